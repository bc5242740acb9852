package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;

/**
 * Per-sample loss vectors and their masked batch mean, for terms that apply only to some samples of
 * a batch. A modality head learns nothing from a sample whose modality is missing (dropped by
 * modality dropout or absent in the data), so its terms average over the samples that have it.
 * Every vector has shape (batch), and teachers are detached.
 */
public final class SampleLosses {
    /** Floor of teacher probabilities inside a logarithm, so that a zero gives 0 log 0 = 0. */
    private static final float MIN_PROBABILITY = 1e-12f;

    private SampleLosses() {}

    /** Returns {@code -log softmax(logits)_y} per sample. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        int classes = Math.toIntExact(logits.getShape().get(1));
        NDArray oneHot = labels.oneHot(classes, logits.getDataType());
        return softCrossEntropy(logits, oneHot);
    }

    /**
     * Returns {@code -sum_c q_c log softmax(logits)_c} per sample; {@code targets} are detached.
     */
    public static NDArray softCrossEntropy(NDArray logits, NDArray targets) {
        return logits.logSoftmax(1).mul(targets.stopGradient()).sum(new int[] {1}).neg();
    }

    /**
     * Returns the distillation loss of Hinton et al. (2015) per sample, {@code T^2 KL(softmax(t /
     * T) || softmax(s / T))}, with the teacher logits detached; its batch mean equals {@link
     * Losses#distillation}.
     */
    public static NDArray distillation(
            NDArray studentLogits, NDArray teacherLogits, double temperature) {
        checkTemperature(temperature);
        NDArray teacher = teacherLogits.stopGradient().div((float) temperature).softmax(1);
        return distillationFromProbabilities(studentLogits, teacher, temperature);
    }

    /**
     * Returns {@code T^2 KL(q || softmax(s / T))} per sample for a teacher given as probabilities
     * {@code q} (batch, classes), already at temperature T, which receives no gradient. Ensembles
     * and hand-made teachers are probabilities, not logits.
     */
    public static NDArray distillationFromProbabilities(
            NDArray studentLogits, NDArray teacherProbabilities, double temperature) {
        checkTemperature(temperature);
        NDArray q = teacherProbabilities.stopGradient();
        NDArray studentLogProb = studentLogits.div((float) temperature).logSoftmax(1);
        NDArray logQ = q.maximum(MIN_PROBABILITY).log();
        return q.mul(logQ.sub(studentLogProb))
                .sum(new int[] {1})
                .mul((float) (temperature * temperature));
    }

    /**
     * Returns {@code ||a - b||^2 / D} per sample, the mean squared difference over the D values of
     * (batch, D) arrays, as PyTorch's {@code mse_loss}; {@code b} is detached.
     */
    public static NDArray meanSquaredError(NDArray a, NDArray b) {
        return a.sub(b.stopGradient()).square().mean(new int[] {1});
    }

    /**
     * Returns {@code sum_i m_i v_i / max(1, sum_i m_i)}: the mean of {@code values} over the
     * samples whose {@code mask} is 1, and 0 when no sample is selected.
     *
     * @param values (batch)
     * @param mask (batch), 1 to include a sample and 0 to leave it out
     */
    public static NDArray maskedMean(NDArray values, NDArray mask) {
        NDArray weights = mask.toType(values.getDataType(), false).stopGradient();
        return values.mul(weights).sum().div(weights.sum().maximum(1f));
    }

    private static void checkTemperature(double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
    }
}
