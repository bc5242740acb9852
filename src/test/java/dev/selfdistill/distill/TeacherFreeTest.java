package dev.selfdistill.distill;

import static dev.selfdistill.distill.LossTermsAssertions.assertTerm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TeacherFreeTest {
    // Logits z0 = [1, 2, 3] (label 2), z1 = [0.5, -1, 2] (label 0); K = 3, a = 0.9, T = 2,
    // alpha = 0.5. The virtual teacher u0 = [0.05, 0.05, 0.9].
    //   Log-softened: q = u^(1/2) / sum u^(1/2) = [0.2236, 0.2236, 0.9487] / 1.3959
    //     = [0.160189, 0.160189, 0.679623]
    //     T^2 KL(q || softmax(z / 2)) per row = 0.285322, 1.715015; mean 1.000168
    //     L = 0.5 * 1.074459 + 0.5 * 1.000168 = 1.037314
    //   Probabilities as logits: q = softmax(u / 2) = [0.283319, 0.283319, 0.433362]
    //     mean T^2 KL = 0.458436; L = 0.5 * 1.074459 + 0.5 * 0.458436 = 0.766447
    private static final float[] LOGITS = {1, 2, 3, 0.5f, -1, 2};

    private static TeacherFree method(boolean probabilitiesAsLogits) {
        Map<String, Object> values =
                Map.of(
                        "correct_probability",
                        0.9,
                        "temperature",
                        2.0,
                        "alpha",
                        0.5,
                        "probabilities_as_logits",
                        probabilitiesAsLogits);
        return new TeacherFree(
                TeacherFree.Settings.from(new MethodParams(TeacherFree.NAME, values)));
    }

    @Test
    void virtualTeacherIsSoftenedLikeLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(LOGITS, new Shape(2, 3));
            NDArray labels = manager.create(new int[] {2, 0});
            float[] expected = {
                0.1601886f, 0.1601886f, 0.6796228f, 0.6796228f, 0.1601886f, 0.1601886f
            };
            assertArrayEquals(
                    expected, method(false).virtualTeacher(logits, labels).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void lossMatchesHandValue() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(LOGITS, new Shape(2, 3));
            NDArray labels = manager.create(new int[] {2, 0});
            LossTerms terms = method(false).loss(logits, labels);
            assertTerm(terms, "ce", 0.5, 1.0744586306);
            assertTerm(terms, "virtual_kd", 0.5, 1.0001684281);
            assertEquals(1.0373135293, terms.total().getFloat(), 1e-5);
        }
    }

    @Test
    void probabilitiesAsLogitsMatchesReferenceTeacher() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(LOGITS, new Shape(2, 3));
            NDArray labels = manager.create(new int[] {2, 0});
            float[] expected = {
                0.2833190f, 0.2833190f, 0.4333620f, 0.4333620f, 0.2833190f, 0.2833190f
            };
            assertArrayEquals(
                    expected, method(true).virtualTeacher(logits, labels).toFloatArray(), 1e-6f);
            assertEquals(0.7664472598, method(true).loss(logits, labels).total().getFloat(), 1e-5);
        }
    }

    @Test
    void studentEqualToVirtualTeacherHasNoKl() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Logits log(u) give softmax(z) = u, so the log-softened KL vanishes at every T.
            float small = (float) Math.log(0.05);
            float large = (float) Math.log(0.9);
            NDArray logits = manager.create(new float[] {small, small, large}, new Shape(1, 3));
            NDArray labels = manager.create(new int[] {2});
            assertTerm(method(false).loss(logits, labels), "virtual_kd", 0.5, 0.0);
        }
    }

    @Test
    void defaultsAreDocumentedValues() {
        TeacherFree.Settings settings =
                TeacherFree.Settings.from(new MethodParams(TeacherFree.NAME, Map.of()));
        assertEquals(0.9, settings.correctProbability());
        assertEquals(20.0, settings.temperature());
        assertEquals(0.1, settings.alpha());
        assertEquals(false, settings.probabilitiesAsLogits());
    }
}
