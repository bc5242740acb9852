package dev.selfdistill.distill;

import static dev.selfdistill.distill.LossTermsAssertions.assertTerm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressiveTest {
    // Epoch 1, logits z0 = [1, 2, 3] (sample 0, label 2), z1 = [0.5, -1, 2] (sample 1, label 0):
    //   plain CE = 1.074459; stored p0 = softmax(z0) = [0.090031, 0.244728, 0.665241],
    //   p1 = [0.175290, 0.039113, 0.785597].
    // Epoch 2 of T = 4, alpha_T = 0.8: a_2 = 0.8 * 2 / 4 = 0.4.
    //   q0 = 0.6 [0, 0, 1] + 0.4 p0 = [0.036012, 0.097891, 0.866096]
    //   q1 = 0.6 [1, 0, 0] + 0.4 p1 = [0.670116, 0.015645, 0.314239]
    //   new logits z0' = [0, 1, 0], z1' = [2, 0, -1]:
    //   -sum q log softmax(z') = 1.453553, 1.143853; mean 1.298703
    private static final float[] FIRST = {1, 2, 3, 0.5f, -1, 2};
    private static final float[] SECOND = {0, 1, 0, 2, 0, -1};

    private static Progressive method() {
        return new Progressive(
                Progressive.Settings.from(new MethodParams(Progressive.NAME, Map.of())));
    }

    @Test
    void mixingRisesLinearlyToAlphaT() {
        Progressive method = method();
        assertEquals(0.2, method.mixing(1, 4), 1e-12);
        assertEquals(0.4, method.mixing(2, 4), 1e-12);
        assertEquals(0.8, method.mixing(4, 4), 1e-12);
    }

    @Test
    void firstEpochUsesPlainLabels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Progressive method = method();
            method.allocate(2, 3);
            NDArray logits = manager.create(FIRST, new Shape(2, 3));
            LossTerms terms =
                    method.loss(
                            logits,
                            manager.create(new int[] {2, 0}),
                            new int[] {0, 1},
                            0.2,
                            manager);
            assertTerm(terms, "ce", 1.0, 1.0744586306);
            assertNull(method.previousPrediction(0), "no previous epoch yet");
        }
    }

    @Test
    void secondEpochLearnsFromFirstEpochPredictions() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Progressive method = method();
            method.allocate(2, 3);
            NDArray labels = manager.create(new int[] {2, 0});
            // Samples arrive in another order than their indices, as after shuffling.
            method.loss(
                    manager.create(new float[] {0.5f, -1, 2, 1, 2, 3}, new Shape(2, 3)),
                    manager.create(new int[] {0, 2}),
                    new int[] {1, 0},
                    0.2,
                    manager);
            method.swap(new int[] {2, 0});
            assertArrayEquals(
                    new float[] {0.0900306f, 0.2447285f, 0.6652410f},
                    method.previousPrediction(0),
                    1e-6f);
            LossTerms terms =
                    method.loss(
                            manager.create(SECOND, new Shape(2, 3)),
                            labels,
                            new int[] {0, 1},
                            method.mixing(2, 4),
                            manager);
            assertTerm(terms, "pskd_ce", 1.0, 1.2987029226);
        }
    }

    @Test
    void unseenSampleKeepsOneHot() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Progressive method = method();
            method.allocate(3, 3);
            method.loss(
                    manager.create(FIRST, new Shape(2, 3)),
                    manager.create(new int[] {2, 0}),
                    new int[] {0, 1},
                    0.2,
                    manager);
            method.swap(new int[] {2, 0, 1});
            assertArrayEquals(new float[] {0, 1, 0}, method.previousPrediction(2), 0f);
        }
    }

    @Test
    void unseenSampleKeepsEarlierPrediction() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Progressive method = method();
            method.allocate(2, 3);
            NDArray labels = manager.create(new int[] {2, 0});
            method.loss(
                    manager.create(FIRST, new Shape(2, 3)), labels, new int[] {0, 1}, 0.2, manager);
            method.swap(new int[] {2, 0});
            // Epoch 2 trains on sample 0 alone, so sample 1 must keep its epoch-1 prediction.
            method.loss(
                    manager.create(new float[] {0, 1, 0}, new Shape(1, 3)),
                    manager.create(new int[] {2}),
                    new int[] {0},
                    0.4,
                    manager);
            method.swap(new int[] {2, 0});
            assertArrayEquals(
                    new float[] {0.1752904f, 0.0391126f, 0.7855970f},
                    method.previousPrediction(1),
                    1e-6f);
            assertArrayEquals(
                    new float[] {0.2119416f, 0.5761169f, 0.2119416f},
                    method.previousPrediction(0),
                    1e-6f);
        }
    }
}
