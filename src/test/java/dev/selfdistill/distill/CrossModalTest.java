package dev.selfdistill.distill;

import static dev.selfdistill.distill.LossTermsAssertions.assertTerm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrossModalTest {
    // Fused z_f = [[2, 0, 1], [0, 1, 0]], head a z_a = [[1, 1, 0], [0, 2, 1]], head b
    // z_b = [[0, 0, 3], [1, -1, 0]], labels [0, 1]; sample 1 lacks modality b. T = 2.
    //   CE(z_f) = (0.407606 + 0.551445) / 2 = 0.479525
    //   head a, both samples: CE = 0.634800; T^2 KL(softmax(z_f/2) || softmax(z_a/2)) per sample
    //     0.365707, 0.091709 -> 0.228708
    //   head b, sample 0 only: CE = 3.094923; KL = 1.551984
    //   L = 0.479525 + 0.5 (0.634800 + 3.094923) + 0.5 (0.228708 + 1.551984) = 3.234733
    //   Ensemble e0 = (softmax(z_a0/2) + softmax(z_b0/2)) / 2 = [0.268966, 0.268966, 0.462067],
    //   e1 = softmax(z_a1/2) = [0.186324, 0.506480, 0.307196];
    //   T^2 KL(e || softmax(z_f/2)) = 0.468546, 0.083781 -> 0.276164; with weight 0.5: 3.372815
    private static final float[] FUSED = {2, 0, 1, 0, 1, 0};
    private static final float[] HEAD_A = {1, 1, 0, 0, 2, 1};
    private static final float[] HEAD_B = {0, 0, 3, 1, -1, 0};
    private static final float[] PRESENCE = {1, 1, 1, 0};

    private static CrossModal method(boolean ensemble) {
        Map<String, Object> values = Map.of("ensemble_teaches_fused", ensemble);
        return new CrossModal(CrossModal.Settings.from(new MethodParams(CrossModal.NAME, values)));
    }

    @Test
    void lossMatchesHandValueAtDefaults() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossTerms terms =
                    method(false)
                            .loss(
                                    manager.create(FUSED, new Shape(2, 3)),
                                    List.of(
                                            manager.create(HEAD_A, new Shape(2, 3)),
                                            manager.create(HEAD_B, new Shape(2, 3))),
                                    manager.create(new int[] {0, 1}),
                                    manager.create(PRESENCE, new Shape(2, 2)),
                                    1.0);
            assertTerm(terms, "ce", 1.0, 0.4795253392);
            assertTerm(terms, "modality_ce", 0.5, 0.6348003843 + 3.0949229564);
            assertTerm(terms, "modality_kd", 0.5, 0.2287078097 + 1.5519838804);
            assertEquals(3.2347328546, terms.total().getFloat(), 1e-5);
            assertEquals(3, terms.terms().size(), "no ensemble term unless asked");
        }
    }

    @Test
    void ensembleTeachesFusedWhenAsked() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossTerms terms =
                    method(true)
                            .loss(
                                    manager.create(FUSED, new Shape(2, 3)),
                                    List.of(
                                            manager.create(HEAD_A, new Shape(2, 3)),
                                            manager.create(HEAD_B, new Shape(2, 3))),
                                    manager.create(new int[] {0, 1}),
                                    manager.create(PRESENCE, new Shape(2, 2)),
                                    1.0);
            assertTerm(terms, "ensemble_kd", 0.5, 0.2761636905);
            assertEquals(3.3728146998, terms.total().getFloat(), 1e-5);
        }
    }

    @Test
    void ensembleAveragesPresentHeadsOnly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray ensemble =
                    CrossModal.ensemble(
                            List.of(
                                    manager.create(HEAD_A, new Shape(2, 3)),
                                    manager.create(HEAD_B, new Shape(2, 3))),
                            manager.create(PRESENCE, new Shape(2, 2)),
                            2.0);
            float[] expected = {
                0.2689663f, 0.2689663f, 0.4620675f, 0.1863237f, 0.5064804f, 0.3071959f
            };
            assertArrayEquals(expected, ensemble.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void warmupScalesTeacherWeights() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossTerms terms =
                    method(true)
                            .loss(
                                    manager.create(FUSED, new Shape(2, 3)),
                                    List.of(
                                            manager.create(HEAD_A, new Shape(2, 3)),
                                            manager.create(HEAD_B, new Shape(2, 3))),
                                    manager.create(new int[] {0, 1}),
                                    manager.create(PRESENCE, new Shape(2, 2)),
                                    0.5);
            // Halfway through the warm-up the teacher terms have half their weights, the labels
            // all.
            assertTerm(terms, "modality_ce", 0.5, 0.6348003843 + 3.0949229564);
            assertTerm(terms, "modality_kd", 0.25, 0.2287078097 + 1.5519838804);
            assertTerm(terms, "ensemble_kd", 0.25, 0.2761636905);
        }
    }

    @Test
    void missingModalityHeadLearnsNothingFromSample() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // Changing head b's logits on sample 1, which lacks modality b, must not change the
            // loss.
            float[] otherB = HEAD_B.clone();
            otherB[3] = 9;
            otherB[5] = -9;
            float first = totalWithHeadB(manager, HEAD_B);
            float second = totalWithHeadB(manager, otherB);
            assertEquals(first, second, 1e-6f);
            float[] changedPresent = HEAD_B.clone();
            changedPresent[0] = 9;
            assertTrue(
                    Math.abs(totalWithHeadB(manager, changedPresent) - first) > 1e-3,
                    "sample 0 has modality b and should count");
        }
    }

    private static float totalWithHeadB(NDManager manager, float[] headB) {
        return method(false)
                .loss(
                        manager.create(FUSED, new Shape(2, 3)),
                        List.of(
                                manager.create(HEAD_A, new Shape(2, 3)),
                                manager.create(headB, new Shape(2, 3))),
                        manager.create(new int[] {0, 1}),
                        manager.create(PRESENCE, new Shape(2, 2)),
                        1.0)
                .total()
                .getFloat();
    }

    @Test
    void modalityDistillationSendsNoGradientToFusedHead() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray fused = manager.create(FUSED, new Shape(2, 3));
            NDArray headA = manager.create(HEAD_A, new Shape(2, 3));
            fused.setRequiresGradient(true);
            headA.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                LossTerms terms =
                        method(false)
                                .loss(
                                        fused,
                                        List.of(headA, manager.create(HEAD_B, new Shape(2, 3))),
                                        manager.create(new int[] {0, 1}),
                                        manager.create(PRESENCE, new Shape(2, 2)),
                                        1.0);
                collector.backward(terms.terms().get(2).value());
            }
            assertEquals(0f, fused.getGradient().abs().sum().getFloat(), 0f);
            assertTrue(
                    headA.getGradient().abs().sum().getFloat() > 1e-3,
                    "head a should get a gradient");
        }
    }

    @Test
    void needsModalityHeads() {
        assertTrue(method(false).needsModalityHeads());
    }
}
