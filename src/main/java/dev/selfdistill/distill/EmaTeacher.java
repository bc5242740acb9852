package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.model.MultimodalNet;
import dev.selfdistill.model.Parameters;
import dev.selfdistill.train.Batch;
import dev.selfdistill.train.TrainingContext;

/**
 * Online self-distillation from an exponential moving average of the student, as in mean teacher
 * (Tarvainen and Valpola, 2017) and momentum distillation (Li et al., 2021, ALBEF). After every
 * optimizer step the teacher moves towards the student, BatchNorm statistics included:
 *
 * <pre>
 *   theta_teacher = m theta_teacher + (1 - m) theta_student
 *   L = (1 - alpha_t) CE(y, s) + alpha_t T^2 KL(softmax(t / T) || softmax(s / T))
 * </pre>
 *
 * <p>The teacher runs in inference mode on the clean inputs and receives no gradient. Because it
 * starts as a copy of an untrained student, {@code alpha_t} rises linearly from 0 to {@code alpha}
 * over the first {@code warmup_epochs} epochs, as ALBEF ramps its distillation weight during the
 * first epoch.
 *
 * <p>Defaults: {@code momentum} 0.995 and {@code alpha} 0.4 (ALBEF's values), {@code temperature}
 * 1, {@code warmup_epochs} 1.
 */
public final class EmaTeacher implements Method {
    public static final String NAME = "ema-teacher";

    /** Validated hyperparameters. */
    public record Settings(double momentum, double temperature, double alpha, double warmupEpochs) {
        public static Settings from(MethodParams params) {
            Settings settings =
                    new Settings(
                            params.number("momentum", 0.995, 0, 1),
                            params.positive("temperature", 1.0),
                            params.number("alpha", 0.4, 0, 1),
                            params.number("warmup_epochs", 1, 0, 1000));
            params.checkAllRead();
            return settings;
        }
    }

    private final Settings settings;
    private MultimodalNet teacher;
    private ParameterStore teacherStore;

    public EmaTeacher(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(TrainingContext context) {
        MultimodalNet student = context.student();
        teacher = student.newSameArchitecture();
        teacher.initialize(context.manager(), ai.djl.ndarray.types.DataType.FLOAT32, context.inputShapes());
        teacher.freezeParameters(true);
        Parameters.copy(student, teacher);
        teacherStore = new ParameterStore(context.manager(), false);
    }

    @Override
    public LossTerms loss(Batch batch, ModelOutput student, TrainingContext context) {
        NDList output = teacher.forward(teacherStore, batch.cleanInputs(), false);
        NDArray teacherLogits = ModelOutput.of(output, teacher).logits().stopGradient();
        double alpha = currentAlpha(context);
        return new LossTerms()
                .add("ce", 1 - alpha, Losses.crossEntropy(student.logits(), batch.labels()))
                .add("kd", alpha, Losses.distillation(student.logits(), teacherLogits, settings.temperature()));
    }

    double currentAlpha(TrainingContext context) {
        if (settings.warmupEpochs() <= 0) {
            return settings.alpha();
        }
        double stepsPerEpoch = context.totalSteps() / (double) context.epochs();
        double ramp = Math.min(1.0, context.step() / (settings.warmupEpochs() * stepsPerEpoch));
        return settings.alpha() * ramp;
    }

    @Override
    public void afterStep(TrainingContext context) {
        Parameters.exponentialMovingAverage(context.student(), teacher, settings.momentum());
    }

    /** The teacher network, for evaluation of the EMA model itself. */
    public MultimodalNet teacher() {
        return teacher;
    }
}
