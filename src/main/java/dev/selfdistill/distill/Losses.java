package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;

/**
 * Loss functions shared by the methods. Every loss returns a scalar averaged over the batch.
 */
public final class Losses {
    private Losses() {}

    /** Cross-entropy of {@code logits} (batch, classes) against integer {@code labels} (batch). */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        int classes = Math.toIntExact(logits.getShape().get(1));
        NDArray oneHot = labels.oneHot(classes, logits.getDataType());
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg().mean();
    }

    /**
     * Cross-entropy of {@code logits} against a soft target distribution {@code targets} (batch,
     * classes), which receives no gradient: {@code -mean_i sum_c q_ic log p_ic}.
     */
    public static NDArray softCrossEntropy(NDArray logits, NDArray targets) {
        return logits.logSoftmax(1).mul(targets.stopGradient()).sum(new int[] {1}).neg().mean();
    }

    /**
     * Knowledge-distillation loss of Hinton et al. (2015), "Distilling the Knowledge in a Neural
     * Network":
     *
     * <pre>
     *   T^2 * (1/B) * sum_i KL( softmax(t_i / T) || softmax(s_i / T) )
     * </pre>
     *
     * averaged over the batch (PyTorch's {@code batchmean}, not the mean over batch times
     * classes). The factor T^2 keeps the gradient scale of the soft term independent of T. The
     * teacher logits are detached, so no gradient reaches the teacher.
     *
     * @param studentLogits (batch, classes)
     * @param teacherLogits (batch, classes)
     * @param temperature T, positive
     */
    public static NDArray distillation(NDArray studentLogits, NDArray teacherLogits, double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
        NDArray teacher = teacherLogits.stopGradient().div((float) temperature);
        NDArray teacherLogProb = teacher.logSoftmax(1);
        NDArray studentLogProb = studentLogits.div((float) temperature).logSoftmax(1);
        NDArray perSample = teacherLogProb.exp().mul(teacherLogProb.sub(studentLogProb)).sum(new int[] {1});
        return perSample.mean().mul((float) (temperature * temperature));
    }
}
