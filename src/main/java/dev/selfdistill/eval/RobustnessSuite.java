package dev.selfdistill.eval;

import ai.djl.ndarray.NDManager;
import dev.selfdistill.data.AvMnist;
import dev.selfdistill.data.AvMnistConfig;
import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.model.MultimodalNet;
import dev.selfdistill.train.Inference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The corrupted test sets of the robustness sweeps, built once per study from fixed seeds so that
 * every method and every training seed is scored on the same corrupted inputs.
 *
 * <p>Sweeps, each with level 0 (the clean test split) and five corrupted levels:
 *
 * <ul>
 *   <li>{@code image_gaussian}: Gaussian noise of sd 0.4 to 2.0 on the standardised image;
 *   <li>{@code image_salt_pepper}: 10% to 50% of the pixels set to the standardised value of a
 *       black or a white pixel;
 *   <li>{@code image_occlusion}: a square of side 4 to 20 pixels set to 0 at a random position;
 *   <li>{@code audio_noise}: extra white noise on the waveform at 10, 5, 0, -5 and -10 dB SNR, with
 *       the log-mel features computed again ({@link AvMnist#replayTestSplit});
 *   <li>{@code audio_time_dropout}: 10% to 50% of the spectrogram's frames set to 0.
 * </ul>
 *
 * <p>Every sweep scores the same class-stratified subset of at most {@link #MAX_SAMPLES} test
 * samples. The corruptions follow {@link Corruptions}. Level k of sweep s draws from {@code new
 * Random(SEED + 1000 s + k)}, with s the sweep's position in the list above. The audio sweeps need
 * a modality named {@code audio}, the image sweeps one named {@code image}. A sweep whose modality
 * the study does not use is left out.
 */
public final class RobustnessSuite {
    /** Base seed of every corruption draw and of the choice of test samples. */
    public static final long SEED = 0;

    /**
     * Test samples every sweep scores at most. The sweeps (five sweeps of five corrupted levels)
     * would dominate the evaluation's cost, so they use a fixed class-stratified subset of this
     * size. An accuracy on it has a standard error of at most 1.6 points, and every method is
     * scored on the same samples, which keeps paired comparisons fair.
     */
    public static final int MAX_SAMPLES = 1000;

    static final double[] IMAGE_NOISE_SD = {0, 0.4, 0.8, 1.2, 1.6, 2.0};
    static final double[] SALT_PEPPER_FRACTION = {0, 0.1, 0.2, 0.3, 0.4, 0.5};
    static final double[] OCCLUSION_SIDE = {0, 4, 8, 12, 16, 20};

    /** SNR in dB of the extra audio noise at levels 1 to 5; level 0 adds none. */
    static final double[] AUDIO_SNR_DB = {10, 5, 0, -5, -10};

    static final double[] TIME_DROPOUT_FRACTION = {0, 0.1, 0.2, 0.3, 0.4, 0.5};

    /**
     * One sweep's inputs.
     *
     * @param name sweep name, for example {@code image_gaussian}
     * @param modality the corrupted modality
     * @param levelTitle x-axis title with its unit
     * @param levels level values, the first 0
     * @param levelLabels short label of each level
     * @param inputs the corrupted modality array at each level, the first being the clean one
     */
    record Sweep(
            String name,
            String modality,
            String levelTitle,
            double[] levels,
            List<String> levelLabels,
            List<float[]> inputs) {}

    private final int testSize;
    private final int[] indices;
    private final MultimodalDataset subset;
    private final List<Sweep> sweeps;

    private RobustnessSuite(
            int testSize, int[] indices, MultimodalDataset subset, List<Sweep> sweeps) {
        this.testSize = testSize;
        this.indices = indices;
        this.subset = subset;
        this.sweeps = List.copyOf(sweeps);
    }

    /**
     * Builds the suite of an AV-MNIST study from a replay of the test split's preparation from the
     * source files in {@code dataDir} ({@link AvMnist#replayTestSplit}), which gives the noisy
     * audio and the standardised values of black and white pixels.
     *
     * @throws IllegalStateException when the rebuilt clean test audio differs from {@code test},
     *     which means the replay of the data preparation has diverged from it
     */
    public static RobustnessSuite forAvMnist(
            Path dataDir, AvMnistConfig config, MultimodalDataset test) {
        AvMnist.TestReplay replay =
                AvMnist.replayTestSplit(dataDir, config, AUDIO_SNR_DB.clone(), SEED + 3001);
        List<float[]> noisyAudio = null;
        if (test.modalities().contains("audio")) {
            float[] expected = test.inputs(test.modalityIndex("audio"));
            if (!Arrays.equals(replay.cleanTestAudio(), expected)) {
                throw new IllegalStateException(
                        "the test audio rebuilt from "
                                + dataDir
                                + " differs from the loaded test split, so the audio noise sweep"
                                + " would score other recordings");
            }
            noisyAudio = replay.noisyAudio();
        }
        return build(test, replay.blackPixel(), replay.whitePixel(), noisyAudio);
    }

    /**
     * Builds the suite for a test split.
     *
     * @param pepper the value salt-and-pepper noise writes for pepper, a black pixel
     * @param salt the value salt-and-pepper noise writes for salt, a white pixel
     * @param noisyAudio the standardised test audio at each SNR of {@link #AUDIO_SNR_DB}, for every
     *     sample of {@code fullTest}, or null to leave out the audio noise sweep
     */
    public static RobustnessSuite build(
            MultimodalDataset fullTest, float pepper, float salt, List<float[]> noisyAudio) {
        int[] indices = stratifiedSubset(fullTest.labels(), fullTest.numClasses(), MAX_SAMPLES);
        MultimodalDataset test = fullTest.subset(indices);
        List<Sweep> sweeps = new ArrayList<>();
        List<String> modalities = test.modalities();
        if (modalities.contains("image")) {
            int m = test.modalityIndex("image");
            float[] clean = test.inputs(m);
            long[] shape = test.shape(m);
            int height = (int) shape[shape.length - 2];
            int width = (int) shape[shape.length - 1];
            int size = test.sampleSize(m);
            sweeps.add(
                    sweep(
                            "image_gaussian",
                            "image",
                            "Gaussian noise sd (standardised units)",
                            IMAGE_NOISE_SD,
                            "sd %.1f",
                            clean,
                            0,
                            (level, random) -> Corruptions.gaussianNoise(clean, level, random)));
            sweeps.add(
                    sweep(
                            "image_salt_pepper",
                            "image",
                            "Fraction of pixels replaced",
                            SALT_PEPPER_FRACTION,
                            "%.0f%%",
                            clean,
                            1,
                            (level, random) ->
                                    Corruptions.saltAndPepper(clean, level, pepper, salt, random)));
            sweeps.add(
                    sweep(
                            "image_occlusion",
                            "image",
                            "Side of the occluded square (pixels)",
                            OCCLUSION_SIDE,
                            "%.0f px",
                            clean,
                            2,
                            (level, random) ->
                                    Corruptions.occlusion(
                                            clean, size, height, width, (int) level, random)));
        }
        if (modalities.contains("audio")) {
            int m = test.modalityIndex("audio");
            float[] clean = test.inputs(m);
            long[] shape = test.shape(m);
            int rows = (int) shape[shape.length - 2];
            int frames = (int) shape[shape.length - 1];
            int size = test.sampleSize(m);
            if (noisyAudio != null) {
                List<float[]> noisy = new ArrayList<>();
                for (float[] level : noisyAudio) {
                    noisy.add(rows(level, size, indices));
                }
                sweeps.add(audioNoiseSweep(clean, noisy));
            }
            sweeps.add(
                    sweep(
                            "audio_time_dropout",
                            "audio",
                            "Fraction of time frames dropped",
                            TIME_DROPOUT_FRACTION,
                            "%.0f%%",
                            clean,
                            4,
                            (level, random) ->
                                    Corruptions.timeDropout(
                                            clean, size, rows, frames, level, random)));
        }
        return new RobustnessSuite(fullTest.size(), indices, test, sweeps);
    }

    /**
     * Returns about {@code max} test indices, in increasing order, with each class in the same
     * share as in the split: class c keeps the first round(n_c max / N) of its samples in a shuffle
     * seeded with {@link #SEED}. Returns every index when the split has at most {@code max}
     * samples.
     */
    static int[] stratifiedSubset(int[] labels, int classes, int max) {
        if (labels.length <= max) {
            return java.util.stream.IntStream.range(0, labels.length).toArray();
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        java.util.Random random = new java.util.Random(SEED);
        List<Integer> kept = new ArrayList<>();
        for (List<Integer> members : byClass) {
            java.util.Collections.shuffle(members, random);
            int count = (int) Math.round(members.size() * (double) max / labels.length);
            kept.addAll(members.subList(0, count));
        }
        return kept.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Copies the samples at {@code indices} out of a sample-major array. */
    private static float[] rows(float[] values, int sampleSize, int[] indices) {
        float[] result = new float[indices.length * sampleSize];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(values, indices[i] * sampleSize, result, i * sampleSize, sampleSize);
        }
        return result;
    }

    /** Corrupts one modality at one level with a seeded generator. */
    private interface Corruption {
        float[] apply(double level, java.util.Random random);
    }

    private static Sweep sweep(
            String name,
            String modality,
            String levelTitle,
            double[] levels,
            String labelFormat,
            float[] clean,
            int position,
            Corruption corruption) {
        boolean percent = labelFormat.contains("%%");
        List<String> labels = new ArrayList<>();
        List<float[]> inputs = new ArrayList<>();
        for (int k = 0; k < levels.length; k++) {
            double shown = percent ? levels[k] * 100 : levels[k];
            labels.add(k == 0 ? "clean" : String.format(Locale.ROOT, labelFormat, shown));
            // Level 0 is the clean array itself, so the first point costs no inference.
            inputs.add(
                    k == 0
                            ? clean
                            : corruption.apply(
                                    levels[k], new java.util.Random(SEED + 1000L * position + k)));
        }
        return new Sweep(name, modality, levelTitle, levels.clone(), labels, inputs);
    }

    private static Sweep audioNoiseSweep(float[] clean, List<float[]> noisy) {
        if (noisy.size() != AUDIO_SNR_DB.length) {
            throw new IllegalArgumentException(
                    "audio noise gave "
                            + noisy.size()
                            + " levels for "
                            + AUDIO_SNR_DB.length
                            + " SNR values");
        }
        double[] levels = new double[AUDIO_SNR_DB.length + 1];
        List<String> labels = new ArrayList<>();
        List<float[]> inputs = new ArrayList<>();
        labels.add("clean");
        inputs.add(clean);
        for (int k = 0; k < AUDIO_SNR_DB.length; k++) {
            levels[k + 1] = k + 1;
            labels.add(String.format(Locale.ROOT, "%.0f dB", AUDIO_SNR_DB[k]));
            inputs.add(noisy.get(k));
        }
        // An SNR ladder has no finite value for "no extra noise", so the x axis is the step.
        String title = "Extra noise step (1 to 5: extra white noise at 10, 5, 0, -5, -10 dB SNR)";
        return new Sweep("audio_noise", "audio", title, levels, labels, inputs);
    }

    /** Returns the outputs of the samples at {@code indices}. */
    private static Inference.Outputs rows(Inference.Outputs outputs, int[] indices) {
        float[][][] embeddings = new float[outputs.embeddings().length][][];
        for (int m = 0; m < embeddings.length; m++) {
            embeddings[m] = pick(outputs.embeddings()[m], indices);
        }
        float[][][] heads = new float[outputs.modalityLogits().length][][];
        for (int m = 0; m < heads.length; m++) {
            heads[m] = pick(outputs.modalityLogits()[m], indices);
        }
        return new Inference.Outputs(
                pick(outputs.logits(), indices), pick(outputs.joint(), indices), embeddings, heads);
    }

    private static float[][] pick(float[][] rows, int[] indices) {
        float[][] picked = new float[indices.length][];
        for (int i = 0; i < indices.length; i++) {
            picked[i] = rows[indices[i]];
        }
        return picked;
    }

    /** Returns the number of test samples every sweep scores. */
    public int sampleCount() {
        return indices.length;
    }

    /** Returns the names of the sweeps in this suite, in order. */
    public List<String> sweepNames() {
        return sweeps.stream().map(Sweep::name).toList();
    }

    List<Sweep> sweeps() {
        return sweeps;
    }

    /**
     * Scores a network on every sweep. The first point of each curve is the accuracy on the
     * unchanged samples.
     *
     * @param fullTest the test split the suite was built from
     * @param fullClean the network's outputs on {@code fullTest}
     * @param reuse whether only the corrupted modality's encoder runs, the other modalities keeping
     *     their clean test embeddings. That gives the same logits as a full forward pass because
     *     each encoder sees only its own input, which the caller has checked.
     */
    public List<RobustnessCurve> evaluate(
            MultimodalNet net,
            MultimodalDataset fullTest,
            Inference.Outputs fullClean,
            boolean reuse,
            NDManager manager) {
        if (fullTest.size() != testSize) {
            throw new IllegalArgumentException(
                    "the suite was built for "
                            + testSize
                            + " test samples, not "
                            + fullTest.size());
        }
        MultimodalDataset test = subset;
        Inference.Outputs clean = rows(fullClean, indices);
        int[] labels = test.labels();
        double cleanAccuracy =
                ClassificationMetrics.accuracy(RunEvaluator.softmax(clean.logits()), labels);
        List<RobustnessCurve> curves = new ArrayList<>();
        for (Sweep sweep : sweeps) {
            int m = test.modalityIndex(sweep.modality());
            double[] accuracies = new double[sweep.levels().length];
            accuracies[0] = cleanAccuracy;
            for (int k = 1; k < accuracies.length; k++) {
                float[][] logits =
                        FusedInference.withInput(
                                net, test, clean, m, sweep.inputs().get(k), reuse, manager);
                accuracies[k] =
                        ClassificationMetrics.accuracy(RunEvaluator.softmax(logits), labels);
            }
            curves.add(
                    new RobustnessCurve(
                            sweep.name(),
                            sweep.modality(),
                            sweep.levelTitle(),
                            sweep.levels(),
                            sweep.levelLabels(),
                            accuracies));
        }
        return curves;
    }
}
