package dev.selfdistill.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class SampleLossesTest {
    // Rows of LossesTest: s0 = [1, 2, 3], s1 = [0.5, -1, 2]; t0 = [3, 2, 1], t1 = [0, 0, 4].
    //   CE with labels [2, 0]: 0.407606, 1.741311
    //   T^2 KL at T = 2: 4 * 0.320157 = 1.280627, 4 * 0.102044 = 0.408175
    private static final float[] STUDENT = {1, 2, 3, 0.5f, -1, 2};
    private static final float[] TEACHER = {3, 2, 1, 0, 0, 4};

    @Test
    void crossEntropyPerSample() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(STUDENT, new Shape(2, 3));
            float[] values =
                    SampleLosses.crossEntropy(logits, manager.create(new int[] {2, 0}))
                            .toFloatArray();
            assertArrayEquals(new float[] {0.4076060f, 1.7413113f}, values, 1e-5f);
        }
    }

    @Test
    void distillationPerSampleAveragesToBatchLoss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray student = manager.create(STUDENT, new Shape(2, 3));
            NDArray teacher = manager.create(TEACHER, new Shape(2, 3));
            float[] values = SampleLosses.distillation(student, teacher, 2).toFloatArray();
            assertArrayEquals(new float[] {1.2806267f, 0.4081751f}, values, 1e-5f);
            assertEquals(
                    Losses.distillation(student, teacher, 2).getFloat(),
                    (values[0] + values[1]) / 2,
                    1e-5f);
        }
    }

    @Test
    void zeroTeacherProbabilityContributesNothing() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // q = [0, 0, 1] against s0 at T = 1: KL = -log softmax(s0)_2 = 0.407606, not NaN.
            NDArray student = manager.create(new float[] {1, 2, 3}, new Shape(1, 3));
            NDArray teacher = manager.create(new float[] {0, 0, 1}, new Shape(1, 3));
            assertEquals(
                    0.4076060f,
                    SampleLosses.distillationFromProbabilities(student, teacher, 1).getFloat(0),
                    1e-5f);
        }
    }

    @Test
    void meanSquaredErrorAveragesOverDimensions() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Rows [1, 2] vs [0, 0] and [3, 3] vs [1, 3]: (1 + 4) / 2 = 2.5 and (4 + 0) / 2 = 2.
            NDArray a = manager.create(new float[] {1, 2, 3, 3}, new Shape(2, 2));
            NDArray b = manager.create(new float[] {0, 0, 1, 3}, new Shape(2, 2));
            assertArrayEquals(
                    new float[] {2.5f, 2f},
                    SampleLosses.meanSquaredError(a, b).toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void maskedMeanSkipsMaskedSamples() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray values = manager.create(new float[] {1, 10, 3});
            assertEquals(
                    2f,
                    SampleLosses.maskedMean(values, manager.create(new float[] {1, 0, 1}))
                            .getFloat(),
                    1e-6f);
            assertEquals(
                    0f,
                    SampleLosses.maskedMean(values, manager.create(new float[] {0, 0, 0}))
                            .getFloat(),
                    0f);
        }
    }

    @Test
    void rejectsNonPositiveTemperature() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(STUDENT, new Shape(2, 3));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> SampleLosses.distillation(logits, logits, 0));
        }
    }
}
