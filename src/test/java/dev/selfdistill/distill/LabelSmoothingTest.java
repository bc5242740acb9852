package dev.selfdistill.distill;

import static dev.selfdistill.distill.LossTermsAssertions.assertTerm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSmoothingTest {
    // Logits z0 = [1, 2, 3] (label 2) and z1 = [0.5, -1, 2] (label 0), K = 3, eps = 0.1:
    //   q0 = [0.1/3, 0.1/3, 0.9 + 0.1/3] = [0.033333, 0.033333, 0.933333], q1 likewise on class 0.
    //   -log softmax(z0) = [2.407606, 1.407606, 0.407606] -> -sum q0 log p0 = 0.507606
    //   -log softmax(z1) = [1.741311, 3.241311, 0.241311] -> -sum q1 log p1 = 1.741311
    //   (row 1 equals its plain CE because -log p1 averages to 1.741311 over the classes)
    //   L = (0.507606 + 1.741311) / 2 = 1.124459; plain CE is 1.074459.
    private static final float[] LOGITS = {1, 2, 3, 0.5f, -1, 2};

    private static LabelSmoothing method(double epsilon) {
        return new LabelSmoothing(
                LabelSmoothing.Settings.from(
                        new MethodParams(LabelSmoothing.NAME, Map.of("epsilon", epsilon))));
    }

    @Test
    void targetsMixOneHotWithUniform() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(LOGITS, new Shape(2, 3));
            NDArray labels = manager.create(new int[] {2, 0});
            float third = 0.1f / 3;
            float[] expected = {third, third, 0.9f + third, 0.9f + third, third, third};
            assertArrayEquals(expected, method(0.1).targets(logits, labels).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void lossMatchesHandValue() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(LOGITS, new Shape(2, 3));
            NDArray labels = manager.create(new int[] {2, 0});
            LossTerms terms = method(0.1).loss(logits, labels);
            assertTerm(terms, "smoothed_ce", 1.0, 1.1244586306);
            assertEquals(1.1244586306, terms.total().getFloat(), 1e-5);
        }
    }

    @Test
    void zeroEpsilonIsCrossEntropy() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(LOGITS, new Shape(2, 3));
            NDArray labels = manager.create(new int[] {2, 0});
            assertEquals(1.0744586306, method(0).loss(logits, labels).total().getFloat(), 1e-5);
        }
    }

    @Test
    void defaultEpsilonIsOneTenth() {
        MethodParams params = new MethodParams(LabelSmoothing.NAME, Map.of());
        assertEquals(0.1, LabelSmoothing.Settings.from(params).epsilon());
    }
}
