package dev.selfdistill.study;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Names, units and directions of the metrics a run reports. A metric whose name starts with
 * {@link #ACCURACY_WITHOUT} is the test accuracy with that modality missing.
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
        return Optional.empty();
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
