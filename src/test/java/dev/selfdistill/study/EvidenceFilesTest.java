package dev.selfdistill.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.UserError;
import dev.selfdistill.eval.ClassificationMetrics;
import dev.selfdistill.eval.Projection;
import dev.selfdistill.eval.RobustnessCurve;
import dev.selfdistill.eval.RunEvidence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvidenceFilesTest {
    @TempDir Path runDir;

    private static RunEvidence sample() {
        RobustnessCurve curve =
                new RobustnessCurve(
                        "audio_noise",
                        "audio",
                        "Extra noise step",
                        new double[] {0, 1, 2},
                        List.of("clean", "10 dB", "5 dB"),
                        new double[] {0.8, 0.7, 0.5});
        // Probabilities 0.9, 0.9 and 0.6 with two of the three correct: bin (0.8667, 0.9333]
        // has 2 samples, mean confidence 0.9 and accuracy 0.5; bin (0.5333, 0.6] has 1 correct.
        float[][] probabilities = {{0.9f, 0.1f}, {0.9f, 0.1f}, {0.4f, 0.6f}};
        List<ClassificationMetrics.ReliabilityBin> bins =
                ClassificationMetrics.reliability(probabilities, new int[] {0, 1, 1}, 15);
        Projection projection =
                new Projection(
                        Projection.PCA,
                        new double[] {0.7, 0.2},
                        new float[] {1.5f, -1.5f, 0f},
                        new float[] {0f, 0.25f, -0.25f},
                        new int[] {0, 1, 1});
        return new RunEvidence(List.of(curve), bins, projection);
    }

    @Test
    void evidenceSurvivesRoundTrip() {
        RunEvidence written = sample();
        EvidenceFiles.write(runDir, written);
        RunEvidence read = EvidenceFiles.read(runDir);

        RobustnessCurve curve = read.robustness().get(0);
        assertEquals("audio_noise", curve.sweep());
        assertEquals(List.of("clean", "10 dB", "5 dB"), curve.levelLabels());
        assertArrayEquals(new double[] {0.8, 0.7, 0.5}, curve.accuracies());
        assertEquals(written.robustness().get(0).area(), curve.area(), 1e-15);

        assertEquals(15, read.reliability().size());
        ClassificationMetrics.ReliabilityBin high = read.reliability().get(13);
        assertEquals(2, high.count());
        assertEquals(0.9, high.meanConfidence(), 1e-6);
        assertEquals(0.5, high.accuracy(), 1e-12);
        assertEquals(1.0, read.reliability().get(8).accuracy(), 1e-12);
        assertTrue(
                Double.isNaN(read.reliability().get(0).accuracy()),
                "an empty bin reads back as NaN");

        assertArrayEquals(new float[] {1.5f, -1.5f, 0f}, read.projection().x());
        assertArrayEquals(new int[] {0, 1, 1}, read.projection().labels());
        assertEquals(0.7, read.projection().explainedVariance()[0]);
    }

    @Test
    void ensembleEvidenceHasOnlyReliability() {
        RunEvidence sample = sample();
        EvidenceFiles.write(runDir, new RunEvidence(List.of(), sample.reliability(), null));
        assertFalse(Files.exists(runDir.resolve(EvidenceFiles.ROBUSTNESS)));
        assertFalse(Files.exists(runDir.resolve(EvidenceFiles.PROJECTION)));
        RunEvidence read = EvidenceFiles.read(runDir);
        assertTrue(read.robustness().isEmpty());
        assertNull(read.projection());
    }

    @Test
    void folderWithoutFilesHasNoEvidence() {
        assertNull(EvidenceFiles.read(runDir));
    }

    @Test
    void damagedFileNamesItself() throws IOException {
        Files.writeString(runDir.resolve(EvidenceFiles.RELIABILITY), "{\"bins\": [");
        UserError error = assertThrows(UserError.class, () -> EvidenceFiles.read(runDir));
        assertTrue(error.getMessage().contains(EvidenceFiles.RELIABILITY), error.getMessage());
        assertTrue(error.getMessage().contains("selfdistill evaluate"), error.getMessage());
    }

    @Test
    void trainsClassifierReadsRunConfig() throws IOException {
        assertTrue(EvidenceFiles.trainsClassifier(runDir), "a missing config means a classifier");
        Files.writeString(
                runDir.resolve("config.json"),
                "{\"method\": \"dino\", \"trains_classifier\": false}");
        assertFalse(EvidenceFiles.trainsClassifier(runDir));
    }
}
