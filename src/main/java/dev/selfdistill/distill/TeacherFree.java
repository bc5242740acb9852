package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.train.Batch;
import dev.selfdistill.train.TrainingContext;

/**
 * Teacher-free distillation from a hand-designed teacher, Tf-KD_reg (Yuan et al., 2020, "Revisiting
 * Knowledge Distillation via Label Smoothing Regularization"). The virtual teacher of a sample with
 * label y puts probability a on y and (1 - a) / (K - 1) on each other class:
 *
 * <pre>
 *   u_c = a if c = y, else (1 - a) / (K - 1)
 *   q   = softmax(log(u) / T)                      (u^(1/T), renormalised)
 *   L   = (1 - alpha) CE(y, z) + alpha T^2 KL(q || softmax(z / T))
 * </pre>
 *
 * <p>The teacher is softened as a real teacher whose logits are log(u), so the KL term is smallest
 * when the student's ordinary softmax equals u at any T. The reference code
 * (yuanli2333/Teacher-free-Knowledge-Distillation, {@code loss_kd_regularization}) instead divides
 * the probabilities themselves by T, {@code softmax(u / T)}, which at T = 20 is nearly uniform;
 * {@code probabilities_as_logits: true} selects that teacher. That code also leaves the student at
 * temperature 1, has no T^2 factor and scales PyTorch's element-wise mean KL by a per-model
 * multiplier; this class keeps the T^2, batch-mean form of {@link Losses#distillation}.
 *
 * <p>Defaults: {@code correct_probability} (a) 0.9, {@code temperature} 20 and {@code alpha} 0.1.
 * The reference code's CIFAR-100 settings use T = 20 (ResNet-18) to 40 (MobileNetV2, GoogLeNet),
 * alpha 0.1 (ResNet-18, GoogLeNet) or 0.95 (MobileNetV2, ShuffleNetV2) and a = 0.99. For a small
 * CNN on ten classes this project takes T = 20 and alpha = 0.1 from the ResNet-18 setting and a =
 * 0.9, so that the teacher smooths the labels noticeably: with a = 0.99 on ten classes it is nearly
 * one-hot.
 */
public final class TeacherFree implements Method {
    public static final String NAME = "teacher-free";

    /** Validated hyperparameters. */
    public record Settings(
            double correctProbability,
            double temperature,
            double alpha,
            boolean probabilitiesAsLogits) {
        /** Reads the parameters with their defaults, rejecting unknown keys and invalid values. */
        public static Settings from(MethodParams params) {
            Settings settings =
                    new Settings(
                            params.number("correct_probability", 0.9, 0, 1),
                            params.positive("temperature", 20.0),
                            params.number("alpha", 0.1, 0, 1),
                            params.flag("probabilities_as_logits", false));
            params.checkAllRead();
            return settings;
        }
    }

    /** Validates the parameters and returns the plan that creates one method per run. */
    public static MethodPlan plan(MethodParams params) {
        Settings settings = Settings.from(params);
        return Methods.simple(NAME, params, () -> new TeacherFree(settings));
    }

    private final Settings settings;

    /** Creates the method for one run. */
    public TeacherFree(Settings settings) {
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
        NDArray teacher = virtualTeacher(logits, labels);
        return new LossTerms()
                .add("ce", 1 - settings.alpha(), Losses.crossEntropy(logits, labels))
                .add(
                        "virtual_kd",
                        settings.alpha(),
                        SampleLosses.distillationFromProbabilities(
                                        logits, teacher, settings.temperature())
                                .mean());
    }

    /** Returns the softened virtual teacher q, (batch, classes), for the labels of a batch. */
    NDArray virtualTeacher(NDArray logits, NDArray labels) {
        int classes = Math.toIntExact(logits.getShape().get(1));
        if (classes < 2) {
            throw new IllegalArgumentException(
                    "a virtual teacher needs at least two classes, got " + classes);
        }
        double a = settings.correctProbability();
        double other = (1 - a) / (classes - 1);
        NDArray u =
                labels.oneHot(classes, logits.getDataType())
                        .mul((float) (a - other))
                        .add((float) other);
        NDArray teacherLogits = settings.probabilitiesAsLogits() ? u : u.log();
        return teacherLogits.div((float) settings.temperature()).softmax(1);
    }
}
