package dev.selfdistill.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.model.ModelConfig;
import dev.selfdistill.model.MultimodalNet;
import dev.selfdistill.train.Batches;
import dev.selfdistill.train.Inference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The suite's corrupted sets on synthetic data, and its scores with an untrained network. */
class RobustnessSuiteTest {
    private static final long[] IMAGE = {1, 28, 28};
    private static final long[] AUDIO = {1, 32, 48};

    /** A split of {@code count} samples with standard-normal inputs and labels i mod 10. */
    private static MultimodalDataset dataset(int count, long seed) {
        Random random = new Random(seed);
        float[][] inputs = {new float[count * 784], new float[count * 1536]};
        for (float[] values : inputs) {
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
        }
        float[][] presence = {new float[count], new float[count]};
        Arrays.fill(presence[0], 1f);
        Arrays.fill(presence[1], 1f);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 10;
        }
        return new MultimodalDataset(
                List.of("image", "audio"), List.of(IMAGE, AUDIO), inputs, presence, labels, 10);
    }

    /** Audio noise stand-in: the clean audio plus k at level k, so each level is recognisable. */
    private static List<float[]> shiftedAudio(MultimodalDataset test) {
        List<float[]> levels = new ArrayList<>();
        for (int k = 0; k < RobustnessSuite.AUDIO_SNR_DB.length; k++) {
            float[] values = test.inputs(1).clone();
            for (int i = 0; i < values.length; i++) {
                values[i] += k + 1;
            }
            levels.add(values);
        }
        return levels;
    }

    @Test
    void sweepsStartCleanAndEndCorrupted() {
        MultimodalDataset test = dataset(30, 2);
        RobustnessSuite suite = RobustnessSuite.build(test, -0.5f, 2f, shiftedAudio(test));
        assertEquals(
                List.of(
                        "image_gaussian",
                        "image_salt_pepper",
                        "image_occlusion",
                        "audio_noise",
                        "audio_time_dropout"),
                suite.sweepNames());
        assertEquals(30, suite.sampleCount());
        for (RobustnessSuite.Sweep sweep : suite.sweeps()) {
            int m = test.modalityIndex(sweep.modality());
            assertTrue(
                    sweep.levels().length >= 6,
                    sweep.name() + " has fewer than 5 corrupted levels");
            assertEquals(0, sweep.levels()[0]);
            assertEquals("clean", sweep.levelLabels().get(0));
            assertArrayEquals(
                    test.inputs(m),
                    sweep.inputs().get(0),
                    sweep.name() + " level 0 must be the clean input");
            float[] last = sweep.inputs().get(sweep.inputs().size() - 1);
            assertFalse(
                    Arrays.equals(test.inputs(m), last),
                    sweep.name() + " must change the input at its top level");
        }
        // At 50% about half of the 23,520 pixels are pepper (-0.5) or salt (2): sd about 77.
        float[] saltPepper = suite.sweeps().get(1).inputs().get(5);
        int replaced = 0;
        for (float value : saltPepper) {
            replaced += value == -0.5f || value == 2f ? 1 : 0;
        }
        assertTrue(replaced > 11_000 && replaced < 12_500, "replaced " + replaced);
        RobustnessSuite.Sweep audio = suite.sweeps().get(3);
        assertEquals(test.inputs(1)[0] + 1, audio.inputs().get(1)[0], 1e-6f);
        assertEquals(
                List.of("clean", "10 dB", "5 dB", "0 dB", "-5 dB", "-10 dB"), audio.levelLabels());
    }

    @Test
    void sameDataGivesSameCorruptedSets() {
        MultimodalDataset test = dataset(30, 2);
        RobustnessSuite first = RobustnessSuite.build(test, -0.5f, 2f, null);
        RobustnessSuite second = RobustnessSuite.build(test, -0.5f, 2f, null);
        assertEquals(
                List.of(
                        "image_gaussian",
                        "image_salt_pepper",
                        "image_occlusion",
                        "audio_time_dropout"),
                first.sweepNames());
        for (int s = 0; s < first.sweeps().size(); s++) {
            for (int k = 0; k < first.sweeps().get(s).inputs().size(); k++) {
                assertArrayEquals(
                        first.sweeps().get(s).inputs().get(k),
                        second.sweeps().get(s).inputs().get(k));
            }
        }
    }

    @Test
    void largeSplitUsesStratifiedSubset() {
        // 10 classes of 300 samples: a third (1,000 / 3,000) of each class, 100 samples, is kept.
        int[] labels = new int[3000];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 10;
        }
        int[] subset = RobustnessSuite.stratifiedSubset(labels, 10, 1000);
        assertEquals(1000, subset.length);
        int[] perClass = new int[10];
        for (int i = 1; i < subset.length; i++) {
            assertTrue(subset[i] > subset[i - 1], "indices must increase");
        }
        for (int index : subset) {
            perClass[labels[index]]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(100, perClass[c]);
        }
        assertArrayEquals(subset, RobustnessSuite.stratifiedSubset(labels, 10, 1000));
    }

    @Test
    void fusedInferenceMatchesFullForward() {
        MultimodalDataset test = dataset(30, 2);
        RobustnessSuite suite = RobustnessSuite.build(test, -0.5f, 2f, shiftedAudio(test));
        try (NDManager manager = NDManager.newBaseManager()) {
            MultimodalNet net =
                    new MultimodalNet(ModelConfig.defaults(), test.modalities(), 10, false);
            net.initialize(manager, DataType.FLOAT32, Batches.inputShapes(test, 4));
            Inference.Outputs clean = Inference.run(net, test, manager);
            assertTrue(FusedInference.matchesForward(net, test, clean, manager));
            for (RobustnessSuite.Sweep sweep : suite.sweeps()) {
                int m = test.modalityIndex(sweep.modality());
                float[] corrupted = sweep.inputs().get(3);
                float[][] full = Inference.logits(net, test.withInputs(m, corrupted), manager);
                float[][] fused =
                        FusedInference.withInput(net, test, clean, m, corrupted, true, manager);
                for (int i = 0; i < full.length; i++) {
                    assertArrayEquals(full[i], fused[i], 1e-4f, sweep.name() + " sample " + i);
                }
            }
            for (int m = 0; m < 2; m++) {
                float[][] full = Inference.logits(net, test.withoutModality(m), manager);
                float[][] fused = FusedInference.without(net, test, clean, m, true, manager);
                for (int i = 0; i < full.length; i++) {
                    assertArrayEquals(
                            full[i], fused[i], 1e-4f, "without modality " + m + ", sample " + i);
                }
            }
            List<RobustnessCurve> curves = suite.evaluate(net, test, clean, true, manager);
            List<RobustnessCurve> fullPasses = suite.evaluate(net, test, clean, false, manager);
            double cleanAccuracy =
                    ClassificationMetrics.accuracy(
                            RunEvaluator.softmax(clean.logits()), test.labels());
            assertEquals(5, curves.size());
            for (int c = 0; c < curves.size(); c++) {
                RobustnessCurve curve = curves.get(c);
                assertEquals(cleanAccuracy, curve.accuracies()[0], 0.0);
                assertTrue(curve.area() >= 0 && curve.area() <= 1);
                assertArrayEquals(
                        fullPasses.get(c).accuracies(), curve.accuracies(), 0.0, curve.sweep());
            }
        }
    }
}
