package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.train.Batch;
import dev.selfdistill.train.TrainingContext;

/**
 * Label smoothing regularization (Szegedy et al., 2016, "Rethinking the Inception Architecture for
 * Computer Vision"): cross-entropy against the label mixed with the uniform distribution over the K
 * classes,
 *
 * <pre>
 *   q_c = (1 - eps) [c = y] + eps / K
 *   L   = -mean_i sum_c q_ic log softmax(z_i)_c
 * </pre>
 *
 * <p>Default: {@code epsilon} 0.1, the paper's value for ImageNet.
 */
public final class LabelSmoothing implements Method {
    public static final String NAME = "label-smoothing";

    /** Validated hyperparameters. */
    public record Settings(double epsilon) {
        /** Reads the parameters with their defaults, rejecting unknown keys and invalid values. */
        public static Settings from(MethodParams params) {
            Settings settings = new Settings(params.number("epsilon", 0.1, 0, 1));
            params.checkAllRead();
            return settings;
        }
    }

    /** Validates the parameters and returns the plan that creates one method per run. */
    public static MethodPlan plan(MethodParams params) {
        Settings settings = Settings.from(params);
        return Methods.simple(NAME, params, () -> new LabelSmoothing(settings));
    }

    private final Settings settings;

    /** Creates the method for one run. */
    public LabelSmoothing(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LossTerms loss(Batch batch, ModelOutput student, TrainingContext context) {
        return loss(student.logits(), batch.labels());
    }

    /** Returns the loss terms of a batch. */
    LossTerms loss(NDArray logits, NDArray labels) {
        return new LossTerms()
                .add("smoothed_ce", 1.0, Losses.softCrossEntropy(logits, targets(logits, labels)));
    }

    /** Returns the smoothed targets q, (batch, classes). */
    NDArray targets(NDArray logits, NDArray labels) {
        int classes = Math.toIntExact(logits.getShape().get(1));
        double epsilon = settings.epsilon();
        return labels.oneHot(classes, logits.getDataType())
                .mul((float) (1 - epsilon))
                .add((float) (epsilon / classes));
    }
}
