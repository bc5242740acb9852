package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.train.Batch;
import dev.selfdistill.train.TrainingContext;

/**
 * Born-again networks (Furlanello et al., 2018, "Born-Again Neural Networks"). Generation 0 is the
 * baseline; generation k is a fresh network of the same architecture taught by the frozen
 * generation k-1:
 *
 * <pre>
 *   L = (1 - alpha) CE(y, s) + alpha T^2 KL(softmax(t / T) || softmax(s / T))
 * </pre>
 *
 * <p>The teacher is frozen and receives clean (unaugmented) inputs, so its logits on the training
 * split are computed once before the generation starts and looked up by sample index. A
 * generation therefore costs about what a baseline run costs. The study reports every generation and the ensemble
 * (mean of the probabilities) of all generations.
 *
 * <p>Defaults: {@code generations} 2, {@code temperature} 1 and {@code alpha} 0.5. Born-again
 * networks match the teacher's ordinary softmax (temperature 1); the label term with equal weight
 * keeps each generation anchored to the ground truth.
 */
public final class BornAgain implements Method {
    public static final String NAME = "born-again";

    /** Validated hyperparameters. */
    public record Settings(int generations, double temperature, double alpha) {
        public static Settings from(MethodParams params) {
            Settings settings =
                    new Settings(
                            params.integer("generations", 2, 1, 20),
                            params.positive("temperature", 1.0),
                            params.number("alpha", 0.5, 0, 1));
            params.checkAllRead();
            return settings;
        }
    }

    private final Settings settings;
    private final TeacherLogits teacher;

    /**
     * @param settings hyperparameters
     * @param teacher the previous generation's logits on the training split, by sample index
     */
    public BornAgain(Settings settings, TeacherLogits teacher) {
        this.settings = settings;
        this.teacher = teacher;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LossTerms loss(Batch batch, ModelOutput student, TrainingContext context) {
        NDArray teacherLogits = teacher.lookup(batch.indices(), batch.manager());
        return new LossTerms()
                .add("ce", 1 - settings.alpha(), Losses.crossEntropy(student.logits(), batch.labels()))
                .add("kd", settings.alpha(), Losses.distillation(student.logits(), teacherLogits, settings.temperature()));
    }
}
