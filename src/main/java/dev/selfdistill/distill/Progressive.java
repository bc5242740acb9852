package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.train.Batch;
import dev.selfdistill.train.TrainingContext;

/**
 * Progressive self-knowledge distillation, PS-KD (Kim et al., 2021, "Self-Knowledge Distillation
 * with Progressive Refinement of Targets"). The target of sample i in epoch t mixes its label with
 * the model's own prediction for it in epoch t - 1:
 *
 * <pre>
 *   q_i = (1 - a_t) onehot(y_i) + a_t p_i^(t-1),     a_t = alpha_T t / T
 *   L   = -mean_i sum_c q_ic log softmax(z_i)_c
 * </pre>
 *
 * where t counts epochs from 1, T is the configured number of epochs and p^(t-1) is the softmax of
 * the sample's logits when it was last trained on (augmented input, training mode), stored per
 * sample index. The first epoch has no previous prediction and uses the plain labels. Predictions
 * are written into one table during an epoch and swapped in at its end, as the reference code
 * (lgcnsai/PS-KD-Pytorch) reads each sample's previous-epoch row before overwriting it. With early
 * stopping ({@code training.patience}) a run can end before a_t reaches alpha_T.
 *
 * <p>Default: {@code alpha_T} 0.8, the reference code's default. Memory: two float tables of
 * (training samples x classes).
 */
public final class Progressive implements Method {
    public static final String NAME = "progressive";

    /** Validated hyperparameters. */
    public record Settings(double alphaT) {
        /** Reads the parameters with their defaults, rejecting unknown keys and invalid values. */
        public static Settings from(MethodParams params) {
            Settings settings = new Settings(params.number("alpha_T", 0.8, 0, 1));
            params.checkAllRead();
            return settings;
        }
    }

    /** Validates the parameters and returns the plan that creates one method per run. */
    public static MethodPlan plan(MethodParams params) {
        Settings settings = Settings.from(params);
        return Methods.simple(NAME, params, () -> new Progressive(settings));
    }

    private final Settings settings;
    private float[][] previous;
    private float[][] current;
    private boolean[] written;

    /** Creates the method for one run. */
    public Progressive(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(TrainingContext context) {
        allocate(context.train().size(), context.train().numClasses());
    }

    void allocate(int samples, int classes) {
        previous = null;
        current = new float[samples][classes];
        written = new boolean[samples];
    }

    /** Returns a_t = alpha_T t / T for epoch t (from 1) of T. */
    double mixing(int epoch, int epochs) {
        return settings.alphaT() * epoch / epochs;
    }

    @Override
    public LossTerms loss(Batch batch, ModelOutput student, TrainingContext context) {
        return loss(
                student.logits(),
                batch.labels(),
                batch.indices(),
                mixing(context.epoch(), context.epochs()),
                batch.manager());
    }

    /**
     * Returns the loss terms and records the batch's predictions for the next epoch.
     *
     * @param alpha a_t; ignored while no previous epoch exists
     */
    LossTerms loss(NDArray logits, NDArray labels, int[] indices, double alpha, NDManager manager) {
        int classes = Math.toIntExact(logits.getShape().get(1));
        NDArray oneHot = labels.oneHot(classes, logits.getDataType());
        LossTerms terms = new LossTerms();
        if (previous == null) {
            terms.add("ce", 1.0, Losses.softCrossEntropy(logits, oneHot));
        } else {
            NDArray earlier = rows(previous, indices, manager);
            NDArray targets = oneHot.mul((float) (1 - alpha)).add(earlier.mul((float) alpha));
            terms.add("pskd_ce", 1.0, Losses.softCrossEntropy(logits, targets));
        }
        record(indices, logits.stopGradient().softmax(1).toFloatArray(), classes);
        return terms;
    }

    private void record(int[] indices, float[] probabilities, int classes) {
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(probabilities, i * classes, current[indices[i]], 0, classes);
            written[indices[i]] = true;
        }
    }

    /**
     * Makes this epoch's predictions the targets of the next. A sample left out of the epoch (the
     * training loop drops a last batch of one) keeps its earlier row, or a one-hot row after the
     * first epoch.
     */
    @Override
    public void afterEpoch(int epoch, TrainingContext context) {
        swap(context.train().labels());
    }

    void swap(int[] labels) {
        for (int i = 0; i < current.length; i++) {
            if (!written[i]) {
                if (previous != null) {
                    System.arraycopy(previous[i], 0, current[i], 0, current[i].length);
                } else {
                    java.util.Arrays.fill(current[i], 0f);
                    current[i][labels[i]] = 1f;
                }
            }
        }
        float[][] next = previous != null ? previous : new float[current.length][current[0].length];
        previous = current;
        current = next;
        written = new boolean[current.length];
    }

    /** Returns the previous epoch's prediction of one sample, for tests. */
    float[] previousPrediction(int sample) {
        return previous == null ? null : previous[sample].clone();
    }

    private static NDArray rows(float[][] table, int[] indices, NDManager manager) {
        int classes = table[0].length;
        float[] values = new float[indices.length * classes];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(table[indices[i]], 0, values, i * classes, classes);
        }
        return manager.create(values, new Shape(indices.length, classes));
    }
}
