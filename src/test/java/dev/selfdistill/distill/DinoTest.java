package dev.selfdistill.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.selfdistill.UserError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DinoTest {
    // Hand computation (double precision), K = 3, one sample, two views:
    //   teacher t1 = [1, 0, -1], t2 = [0, 2, 0], centre c = [0.5, 0.5, 0], tau_t = 0.5
    //   student s1 = [0.2, 0.1, 0], s2 = [0, 0.3, -0.1], tau_s = 0.1
    //   P1 = softmax([1, -1, -2]) = [0.843794734, 0.114195199, 0.042010066]
    //   P2 = softmax([-1, 3, 0])  = [0.017147826, 0.936239552, 0.046612623]
    //   H(P1, softmax(s2 / 0.1)) = 2.765308372, H(P2, softmax(s1 / 0.1)) = 1.437070761
    //   L = (2.765308372 + 1.437070761) / 2 = 2.101189567
    // Without the centre (c = 0): P1 = softmax([2, 0, -2]), P2 = softmax([0, 4, 0]), L = 2.068717412.
    private static final float[] T1 = {1, 0, -1};
    private static final float[] T2 = {0, 2, 0};
    private static final float[] S1 = {0.2f, 0.1f, 0};
    private static final float[] S2 = {0, 0.3f, -0.1f};

    private static NDArray row(NDManager manager, float[] values) {
        return manager.create(values, new Shape(1, values.length));
    }

    private static double loss(NDManager manager, float[] center) {
        NDArray c = row(manager, center);
        NDArray p1 = Dino.teacherLogProbabilities(row(manager, T1), c, 0.5);
        NDArray p2 = Dino.teacherLogProbabilities(row(manager, T2), c, 0.5);
        return Dino.crossViewLoss(List.of(row(manager, S1), row(manager, S2)), List.of(p1, p2), 0.1).getFloat();
    }

    @Test
    void teacherDistributionIsCentredAndSharpened() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logP = Dino.teacherLogProbabilities(row(manager, T1), row(manager, new float[] {0.5f, 0.5f, 0}), 0.5);
            assertArrayEquals(new float[] {0.843794734f, 0.114195199f, 0.042010066f}, logP.exp().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void crossViewLossMatchesHandValue() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(2.101189567, loss(manager, new float[] {0.5f, 0.5f, 0}), 1e-5);
        }
    }

    @Test
    void centreChangesTheLoss() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(2.068717412, loss(manager, new float[3]), 1e-5);
        }
    }

    @Test
    void crossViewLossPairsOnlyDifferentViews() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // With one view there is no pair of different views to compare.
            NDArray p1 = Dino.teacherLogProbabilities(row(manager, T1), row(manager, new float[3]), 0.5);
            assertThrows(IllegalArgumentException.class, () -> Dino.crossViewLoss(List.of(row(manager, S1)), List.of(p1), 0.1));
        }
    }

    @Test
    void teacherGetsNoGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray teacher = row(manager, T1);
            NDArray student = row(manager, S2);
            teacher.setRequiresGradient(true);
            student.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray c = row(manager, new float[3]);
                NDArray p1 = Dino.teacherLogProbabilities(teacher, c, 0.5);
                NDArray p2 = Dino.teacherLogProbabilities(row(manager, T2), c, 0.5);
                collector.backward(Dino.crossViewLoss(List.of(row(manager, S1), student), List.of(p1, p2), 0.1));
            }
            assertArrayEquals(new float[3], teacher.getGradient().toFloatArray(), 0f);
            assertTrue(student.getGradient().abs().sum().getFloat() > 1e-3, "the student got no gradient");
        }
    }

    @Test
    void teacherTemperatureWarmsLinearly() {
        // 0.04 + (0.07 - 0.04) * 0.15 / 0.3 = 0.055; constant 0.07 from the end of the warm-up.
        assertEquals(0.04, Dino.warmedTemperature(0, 0.04, 0.07, 0.3), 1e-12);
        assertEquals(0.055, Dino.warmedTemperature(0.15, 0.04, 0.07, 0.3), 1e-12);
        assertEquals(0.07, Dino.warmedTemperature(0.3, 0.04, 0.07, 0.3), 1e-12);
        assertEquals(0.07, Dino.warmedTemperature(0.9, 0.04, 0.07, 0.3), 1e-12);
        assertEquals(0.07, Dino.warmedTemperature(0, 0.04, 0.07, 0), 1e-12);
    }

    @Test
    void momentumRisesToOneOnCosine() {
        // 1 - 0.004 * (cos(pi p) + 1) / 2: 0.996 at p = 0, 0.998 at p = 0.5, 1 at p = 1.
        assertEquals(0.996, Dino.cosineMomentum(0.996, 0), 1e-12);
        assertEquals(0.998, Dino.cosineMomentum(0.996, 0.5), 1e-12);
        assertEquals(1.0, Dino.cosineMomentum(0.996, 1), 1e-12);
    }

    @Test
    void centreMovesTowardsBatchMean() {
        // 0.9 * [0, 1] + 0.1 * [1, 0] = [0.1, 0.9].
        assertArrayEquals(new float[] {0.1f, 0.9f}, Dino.updatedCenter(new float[] {0, 1}, new float[] {1, 0}, 0.9), 1e-7f);
    }

    @Test
    void settingsRejectUnknownKey() {
        UserError error = assertThrows(UserError.class, () -> Methods.plan(Dino.NAME, Map.of("temperature", 0.1)));
        assertTrue(error.getMessage().contains("methods.label-free.temperature"), error.getMessage());
    }

    @Test
    void headReadsJointEmbedding() {
        Dino dino = new Dino(Dino.Settings.from(new MethodParams(Dino.NAME, Map.of())));
        assertEquals(1, dino.heads().size());
        assertEquals("joint", dino.heads().get(0).input());
        assertEquals(false, dino.trainsClassifier());
    }
}
