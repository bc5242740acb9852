package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;
import dev.selfdistill.model.ModelConfig;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.model.Parameters;
import dev.selfdistill.train.Batch;
import dev.selfdistill.train.Inference;
import dev.selfdistill.train.TrainConfig;
import dev.selfdistill.train.TrainingContext;
import dev.selfdistill.train.TrainingLoop;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Classic knowledge distillation from a larger, separately trained teacher (Hinton et al., 2015,
 * "Distilling the Knowledge in a Neural Network"):
 *
 * <pre>
 *   L = (1 - alpha) CE(y, s) + alpha T^2 KL(softmax(t / T) || softmax(s / T))
 * </pre>
 *
 * <p>Before the student's first step, {@link #start} trains the teacher with the baseline loss on
 * the same training split, validation split, training settings and seed. The teacher has {@code
 * cnn-wide} in place of every convolutional encoder (twice the filters of {@code cnn-small}), the
 * student's text and tabular encoders, embedding size and fusion, and a joint embedding of {@code
 * teacher_joint_size} (default twice the student's). Its logits on the clean training split are
 * computed once and the teacher is closed. The teacher's training happens inside the run, so the
 * run's wall time includes it; a run costs about a wide-model baseline plus a student run.
 *
 * <p>The teacher trains at {@code teacher_learning_rate_scale} (default 0.5) times the study's
 * learning rate. Adam moves every weight by about the learning rate per step, so a layer's output
 * moves in proportion to its fan-in, and the wide encoders' projections have twice the fan-in.
 * At the study's rate the wide network learned far worse than the small one (docs/methods.md).
 *
 * <p>Defaults: {@code temperature} 4 and {@code alpha} 0.9, the KD baseline of Tian et al. (2020,
 * "Contrastive Representation Distillation"; code HobbitLong/RepDistiller: {@code --kd_T 4 -r 0.1
 * -a 0.9}). Hinton et al. give no single default.
 */
public final class ClassicKd implements Method {
    public static final String NAME = "classic-kd";
    private static final Logger LOG = LoggerFactory.getLogger(ClassicKd.class);
    private static final String TEACHER_ENCODER = "cnn-wide";

    /**
     * Validated hyperparameters; {@code teacherJointSize} 0 means twice the student's, and the
     * teacher's learning rate is the study's times {@code teacherLearningRateScale}.
     */
    public record Settings(double temperature, double alpha, int teacherJointSize, double teacherLearningRateScale) {
        /** Reads the parameters with their defaults, rejecting unknown keys and invalid values. */
        public static Settings from(MethodParams params) {
            Settings settings =
                    new Settings(
                            params.positive("temperature", 4.0),
                            params.number("alpha", 0.9, 0, 1),
                            params.integer("teacher_joint_size", 0, 0, 1 << 16),
                            params.positive("teacher_learning_rate_scale", 0.5));
            params.checkAllRead();
            return settings;
        }
    }

    /** Validates the parameters and returns the plan that creates one method per run. */
    public static MethodPlan plan(MethodParams params) {
        Settings settings = Settings.from(params);
        return Methods.simple(NAME, params, () -> new ClassicKd(settings));
    }

    private final Settings settings;
    private TeacherLogits teacher;

    /** Creates the method for one run. */
    public ClassicKd(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * Returns the teacher's architecture for a student architecture: every convolutional encoder
     * becomes {@code cnn-wide}, text and tabular encoders stay as they are.
     */
    ModelConfig teacherConfig(ModelConfig student) {
        int jointSize =
                settings.teacherJointSize() > 0
                        ? settings.teacherJointSize()
                        : 2 * student.jointSize();
        Map<String, String> encoders = new LinkedHashMap<>();
        if (student.encoders() != null) {
            student.encoders()
                    .forEach((modality, encoder) -> encoders.put(modality, widened(encoder)));
        }
        return new ModelConfig(
                widened(student.imageEncoder()),
                widened(student.audioEncoder()),
                student.fusion(),
                student.embeddingSize(),
                jointSize,
                student.dropout(),
                Map.copyOf(encoders),
                student.vocabularySizes());
    }

    /** Returns the teacher's training settings: the study's, at the scaled learning rate. */
    TrainConfig teacherTraining(TrainConfig study) {
        return study.withLearningRateScaled(settings.teacherLearningRateScale());
    }

    private static String widened(String encoder) {
        return encoder != null && encoder.startsWith("cnn-") ? TEACHER_ENCODER : encoder;
    }

    @Override
    public void start(TrainingContext context) {
        ModelConfig teacherConfig = teacherConfig(context.model());
        String label = NAME + " teacher";
        try (Baseline baseline = new Baseline();
                TrainingLoop.Trained trained =
                        TrainingLoop.train(
                                label,
                                context.seed(),
                                teacherConfig,
                                teacherTraining(context.trainConfig()),
                                context.train(),
                                context.validation(),
                                baseline,
                                null)) {
            teacher =
                    new TeacherLogits(
                            Inference.logits(
                                    trained.net(),
                                    context.train(),
                                    trained.model().getNDManager()));
            LOG.info(
                    "{}: {} trainable parameters, validation accuracy {} at epoch {}, {} s",
                    label,
                    Parameters.countTrainable(trained.net()),
                    String.format(
                            "%.4f",
                            trained.epochs().get(trained.bestEpoch() - 1).validationAccuracy()),
                    trained.bestEpoch(),
                    String.format("%.0f", trained.trainSeconds()));
        }
    }

    @Override
    public LossTerms loss(Batch batch, ModelOutput student, TrainingContext context) {
        if (teacher == null) {
            throw new IllegalStateException(
                    "classic-kd has no teacher because start(context) was not called");
        }
        return loss(
                student.logits(), batch.labels(), teacher.lookup(batch.indices(), batch.manager()));
    }

    /** Returns the loss terms given the student's and the teacher's logits of a batch. */
    LossTerms loss(NDArray logits, NDArray labels, NDArray teacherLogits) {
        return new LossTerms()
                .add("ce", 1 - settings.alpha(), Losses.crossEntropy(logits, labels))
                .add(
                        "kd",
                        settings.alpha(),
                        Losses.distillation(logits, teacherLogits, settings.temperature()));
    }
}
