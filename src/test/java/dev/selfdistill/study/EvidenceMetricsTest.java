package dev.selfdistill.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Descriptors of the representation and robustness metric names. */
class EvidenceMetricsTest {
    private static Metrics.Descriptor describe(String name) {
        return Metrics.describe(name)
                .orElseThrow(() -> new AssertionError(name + " has no descriptor"));
    }

    @Test
    void embeddingMetricsAreFractions() {
        Metrics.Descriptor probe = describe("probe_accuracy_joint");
        assertEquals("Linear probe accuracy, joint embedding", probe.title());
        assertEquals("fraction", probe.unit());
        assertTrue(probe.higherIsBetter());
        assertEquals("20-NN accuracy, audio embedding", describe("knn_accuracy_audio").title());
    }

    @Test
    void labelFreeRunsKeepEmbeddingAndCost() {
        // A label-free run keeps what does not read its untrained classifier head.
        assertTrue(StudyRunner.isEmbeddingOrCost("probe_accuracy_joint"));
        assertTrue(StudyRunner.isEmbeddingOrCost(Metrics.WALL_SECONDS));
        assertTrue(StudyRunner.isEmbeddingOrCost(Metrics.EVALUATION_SECONDS));
        assertFalse(StudyRunner.isEmbeddingOrCost(Metrics.TEST_ACCURACY));
        assertFalse(StudyRunner.isEmbeddingOrCost("robustness_auc_image_gaussian"));
    }

    @Test
    void retrievalNamesParse() {
        assertEquals(
                "Retrieval image to audio, recall@5",
                describe(Metrics.retrieval("image", "audio", "recall_at_5")).title());
        assertEquals(
                "Retrieval audio to image, mAP",
                describe(Metrics.retrieval("audio", "image", "map")).title());
        assertTrue(Metrics.describe("retrieval_image_to_audio_median_rank").isEmpty());
    }

    @Test
    void robustnessNamesUseSweepTitles() {
        Metrics.Descriptor area = describe(Metrics.robustnessAuc("image_salt_pepper"));
        assertEquals("Robustness AUC, image salt-and-pepper noise", area.title());
        assertEquals("fraction", area.unit());
        Metrics.Descriptor relative = describe(Metrics.relativeRobustness("audio_noise"));
        assertEquals("Relative robustness, audio white noise", relative.title());
        assertEquals("", relative.unit());
        assertEquals(
                "Robustness AUC, image blur",
                describe(Metrics.robustnessAuc("image_blur")).title());
    }

    @Test
    void evidenceMetricsLeaveMainTable() {
        assertTrue(Metrics.isEvidence("probe_accuracy_image"));
        assertTrue(Metrics.isEvidence(Metrics.robustnessAuc("audio_noise")));
        assertFalse(Metrics.isEvidence(Metrics.TEST_ACCURACY));
        assertFalse(Metrics.isEvidence(Metrics.EVALUATION_SECONDS));
        assertEquals("Wall time of all evaluations", describe(Metrics.EVALUATION_SECONDS).title());
    }
}
