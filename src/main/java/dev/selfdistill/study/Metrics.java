package dev.selfdistill.study;

import dev.selfdistill.eval.EmbeddingMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names, units and directions of the metrics a run reports. A metric whose name starts with {@link
 * #ACCURACY_WITHOUT} is the test accuracy with that modality missing. Names built from a prefix and
 * an embedding or sweep name ({@link #PROBE_ACCURACY}, {@link #KNN_ACCURACY}, {@link #RETRIEVAL},
 * {@link #ROBUSTNESS_AUC}, {@link #RELATIVE_ROBUSTNESS}) are described by {@link #describe} from
 * their parts.
 */
public final class Metrics {
    private Metrics() {}

    /** A metric's display title, unit and whether a larger value is better. */
    public record Descriptor(String name, String title, String unit, boolean higherIsBetter) {}

    public static final String TEST_ACCURACY = "test_accuracy";
    public static final String TEST_MACRO_F1 = "test_macro_f1";
    public static final String TEST_NLL = "test_nll";
    public static final String TEST_ECE = "test_ece";
    public static final String TEST_BRIER = "test_brier";
    public static final String TRAIN_ACCURACY = "train_accuracy";
    public static final String VALIDATION_ACCURACY = "validation_accuracy";
    public static final String GENERALISATION_GAP = "generalisation_gap";
    public static final String BEST_EPOCH = "best_epoch";
    public static final String EPOCHS_TO_95 = "epochs_to_95pct";
    public static final String WALL_SECONDS = "wall_seconds";
    public static final String SAMPLES_PER_SECOND = "samples_per_second";
    public static final String PARAMETERS = "parameters";
    public static final String ACCURACY_WITHOUT = "accuracy_without_";

    /** Prefix of the linear-probe test accuracy of an embedding: {@code joint} or a modality. */
    public static final String PROBE_ACCURACY = "probe_accuracy_";

    /** Prefix of the weighted k-NN test accuracy of an embedding. */
    public static final String KNN_ACCURACY = "knn_accuracy_";

    /**
     * Prefix of cross-modal retrieval measures, named {@code retrieval_A_to_B_recall_at_K} or
     * {@code retrieval_A_to_B_map} for queries of modality A against a gallery of modality B.
     */
    public static final String RETRIEVAL = "retrieval_";

    /**
     * Prefix of the area under an accuracy-versus-corruption curve over the ladder scaled to [0,
     * 1], followed by the sweep name, for example {@code robustness_auc_image_gaussian}.
     */
    public static final String ROBUSTNESS_AUC = "robustness_auc_";

    /** Prefix of the robustness area divided by the clean accuracy, followed by the sweep name. */
    public static final String RELATIVE_ROBUSTNESS = "relative_robustness_";

    /** Embedding name of the fused representation in probe and k-NN metric names. */
    public static final String JOINT = "joint";

    public static final String EVALUATION_SECONDS = "evaluation_seconds";

    /** Sweep name to its title, in report order. {@code eval.RobustnessSuite} builds the sweeps. */
    private static final Map<String, String> SWEEP_TITLES = new LinkedHashMap<>();

    private static final Pattern RETRIEVAL_NAME =
            Pattern.compile("retrieval_([a-z]+)_to_([a-z]+)_(recall_at_(\\d+)|map)");

    private static final Map<String, Descriptor> KNOWN = new LinkedHashMap<>();

    static {
        add(TEST_ACCURACY, "Test accuracy", "fraction", true);
        add(TEST_MACRO_F1, "Test macro-F1", "fraction", true);
        add(TEST_NLL, "Test negative log-likelihood", "nats", false);
        add(TEST_ECE, "Test expected calibration error (15 bins)", "fraction", false);
        add(TEST_BRIER, "Test Brier score", "score", false);
        add(TRAIN_ACCURACY, "Train accuracy (clean inputs)", "fraction", true);
        add(VALIDATION_ACCURACY, "Best validation accuracy", "fraction", true);
        add(GENERALISATION_GAP, "Generalisation gap (train - test accuracy)", "fraction", false);
        add(BEST_EPOCH, "Epoch chosen on validation", "epochs", false);
        add(EPOCHS_TO_95, "Epochs to 95% of final validation accuracy", "epochs", false);
        add(WALL_SECONDS, "Wall time of training", "s", false);
        add(SAMPLES_PER_SECOND, "Training throughput", "samples/s", true);
        add(PARAMETERS, "Trainable parameters", "count", false);
        add(EVALUATION_SECONDS, "Wall time of all evaluations", "s", false);
        SWEEP_TITLES.put("image_gaussian", "image Gaussian noise");
        SWEEP_TITLES.put("image_salt_pepper", "image salt-and-pepper noise");
        SWEEP_TITLES.put("image_occlusion", "image occlusion");
        SWEEP_TITLES.put("audio_noise", "audio white noise");
        SWEEP_TITLES.put("audio_time_dropout", "audio time dropout");
    }

    private static void add(String name, String title, String unit, boolean higherIsBetter) {
        KNOWN.put(name, new Descriptor(name, title, unit, higherIsBetter));
    }

    /** Returns the descriptor of a metric name, including {@code accuracy_without_<modality>}. */
    public static Optional<Descriptor> describe(String name) {
        Descriptor known = KNOWN.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        if (name.startsWith(ACCURACY_WITHOUT)) {
            String modality = name.substring(ACCURACY_WITHOUT.length());
            return Optional.of(
                    new Descriptor(
                            name, "Test accuracy with " + modality + " missing", "fraction", true));
        }
        if (name.startsWith(PROBE_ACCURACY)) {
            String embedding = embeddingPhrase(name.substring(PROBE_ACCURACY.length()));
            return Optional.of(
                    new Descriptor(name, "Linear probe accuracy, " + embedding, "fraction", true));
        }
        if (name.startsWith(KNN_ACCURACY)) {
            String embedding = embeddingPhrase(name.substring(KNN_ACCURACY.length()));
            return Optional.of(
                    new Descriptor(
                            name,
                            EmbeddingMetrics.DEFAULT_K + "-NN accuracy, " + embedding,
                            "fraction",
                            true));
        }
        if (name.startsWith(ROBUSTNESS_AUC)) {
            String sweep = sweepTitle(name.substring(ROBUSTNESS_AUC.length()));
            return Optional.of(new Descriptor(name, "Robustness AUC, " + sweep, "fraction", true));
        }
        if (name.startsWith(RELATIVE_ROBUSTNESS)) {
            String sweep = sweepTitle(name.substring(RELATIVE_ROBUSTNESS.length()));
            return Optional.of(new Descriptor(name, "Relative robustness, " + sweep, "", true));
        }
        Matcher retrieval = RETRIEVAL_NAME.matcher(name);
        if (retrieval.matches()) {
            String measure = retrieval.group(4) != null ? "recall@" + retrieval.group(4) : "mAP";
            String title =
                    "Retrieval "
                            + retrieval.group(1)
                            + " to "
                            + retrieval.group(2)
                            + ", "
                            + measure;
            return Optional.of(new Descriptor(name, title, "fraction", true));
        }
        return Optional.empty();
    }

    /** Returns the metric name of a robustness sweep's area. */
    public static String robustnessAuc(String sweep) {
        return ROBUSTNESS_AUC + sweep;
    }

    /** Returns the metric name of a robustness sweep's relative robustness. */
    public static String relativeRobustness(String sweep) {
        return RELATIVE_ROBUSTNESS + sweep;
    }

    /**
     * Returns the metric name of a retrieval measure, {@code measure} being {@code recall_at_K} or
     * {@code map}.
     */
    public static String retrieval(String queryModality, String galleryModality, String measure) {
        return RETRIEVAL + queryModality + "_to_" + galleryModality + "_" + measure;
    }

    /** Returns a sweep's title, or its name with spaces for a sweep without a registered one. */
    public static String sweepTitle(String sweep) {
        return SWEEP_TITLES.getOrDefault(sweep, sweep.replace('_', ' '));
    }

    private static String embeddingPhrase(String embedding) {
        return embedding.equals(JOINT) ? "joint embedding" : embedding + " embedding";
    }

    /**
     * Returns whether a metric measures the representation or robustness (probe, k-NN, retrieval,
     * robustness), which the report shows in its own sections instead of the table of classifier
     * metrics.
     */
    public static boolean isEvidence(String name) {
        return name.startsWith(PROBE_ACCURACY)
                || name.startsWith(KNN_ACCURACY)
                || name.startsWith(RETRIEVAL)
                || name.startsWith(ROBUSTNESS_AUC)
                || name.startsWith(RELATIVE_ROBUSTNESS);
    }

    /** Returns the descriptor, or a neutral one (higher is better, no unit) for unknown names. */
    public static Descriptor describeOrDefault(String name) {
        return describe(name).orElse(new Descriptor(name, name, "", true));
    }

    /** The metrics shown first in tables and the verdict, in display order. */
    public static List<String> headline() {
        return List.of(
                TEST_ACCURACY, TEST_MACRO_F1, TEST_NLL, TEST_ECE, GENERALISATION_GAP);
    }
}
