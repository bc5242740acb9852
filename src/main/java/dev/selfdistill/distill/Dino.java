package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.selfdistill.model.HeadSpec;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.model.MultimodalNet;
import dev.selfdistill.model.WeightNormalizedLinear;
import dev.selfdistill.train.Augmentation;
import dev.selfdistill.train.Batch;
import dev.selfdistill.train.Batches;
import dev.selfdistill.train.TrainingContext;
import java.util.List;
import java.util.Map;

/**
 * Label-free self-distillation with no labels (DINO: Caron et al., 2021, "Emerging Properties in
 * Self-Supervised Vision Transformers"). Student and EMA teacher see two differently augmented
 * views v_1, v_2 of each sample. Both pass the joint embedding through a projection head with K
 * outputs, and the student learns to match the teacher's centred, sharpened softmax across views:
 *
 * <pre>
 *   P_a = softmax((g_t(v_a) - c) / tau_t)            teacher, no gradient
 *   L   = (1/2) [ H(P_1, softmax(g_s(v_2) / tau_s)) + H(P_2, softmax(g_s(v_1) / tau_s)) ]
 *   H(p, q) = -sum_k p_k ln q_k, averaged over the batch
 *   c   = m_c c + (1 - m_c) mean over both views of g_t(v)      after every step
 *   theta_t = m theta_t + (1 - m) theta_s,  m = 1 - (1 - m_0) (cos(pi step / steps) + 1) / 2
 * </pre>
 *
 * <p>The teacher starts as a copy of the student, BatchNorm statistics included, and follows it
 * by EMA of every parameter and statistic; it normalises with batch statistics and has no
 * dropout ({@link BatchStatisticsTeacher}). tau_t rises linearly from {@code teacher_temperature_start} to {@code
 * teacher_temperature} over the first {@code teacher_warmup} fraction of the steps (DINO warms
 * it over 30 epochs). The head is DINO's, scaled down: twice Linear to {@code hidden_size},
 * BatchNorm and GELU, then Linear to {@code bottleneck_size}, L2 normalisation, and a
 * weight-normalised Linear to K without bias ({@link WeightNormalizedLinear}).
 *
 * <p>DINO's head has the BatchNorm layers as an option ({@code use_bn_in_head}, off by default
 * there); here {@code head_batch_norm} is on by default. Without it, the freshly initialised
 * network maps every sample to nearly the same point, so the centred teacher is near uniform at
 * tau_t 0.07. In 4-epoch runs on 1,400 AV-MNIST samples the teacher's per-sample entropy then
 * reached 98% of ln K by epoch 2 with every momentum tried (0.9 to 1), sharper temperatures and
 * weaker views. With the BatchNorm layers it stayed near 82%.
 *
 * <p>Views are built by this method from the training split with its own augmentation, stronger
 * than the study's default. The image is shifted by up to {@code image_shift} pixels, the
 * spectrogram gets a time mask of up to {@code audio_time_mask} frames and a frequency mask of up
 * to {@code audio_frequency_mask} bands, and with probability {@code modality_dropout} one
 * modality of the view is marked missing and zeroed. The student output that the training loop
 * computes on the study's augmented batch is not used, so a step costs three student forward
 * passes, two backward passes and two teacher passes.
 *
 * <p>The fused classifier head gets no gradient, so {@link #trainsClassifier()} is false: the
 * training loop keeps the last epoch, and the method is judged by a linear probe and k-NN on the
 * frozen joint embedding. Every epoch reports the {@link CollapseMonitor} measures as the epoch's
 * diagnostics, and after the warm-up a collapsed teacher stops the run with a {@link
 * dev.selfdistill.UserError}.
 *
 * <p>Defaults: K ({@code outputs}) 256, because DINO's 65,536 suits ImageNet and not a few
 * thousand digits; {@code hidden_size} 256 and {@code bottleneck_size} 64, scaled to the joint
 * embedding of 128 (DINO: 2048 and 256); {@code head_batch_norm} true; from DINO, {@code momentum} 0.996, {@code
 * teacher_temperature_start} 0.04, {@code teacher_temperature} 0.07, {@code
 * student_temperature} 0.1 and {@code center_momentum} 0.9; {@code teacher_warmup} 0.3 (30 of
 * DINO's 100 epochs); views {@code image_shift} 4, {@code audio_time_mask} 12, {@code
 * audio_frequency_mask} 8 and {@code modality_dropout} 0.2, chosen here as about twice the study's
 * default augmentation; {@code collapse_threshold} 0.05 of ln K (0 turns the check off).
 */
public final class Dino implements Method {
    public static final String NAME = "label-free";

    /** Name of the projection head on the joint embedding. */
    public static final String HEAD = "dino_projection";

    /** The default view augmentation, also the strong augmentation of {@link PseudoLabel}. */
    public static final Augmentation.Config DEFAULT_VIEWS = new Augmentation.Config(4, 12, 8, 0.2);

    /** Validated hyperparameters; see the class description for each. */
    public record Settings(
            int outputs,
            int hiddenSize,
            int bottleneckSize,
            boolean headBatchNorm,
            double momentum,
            double teacherTemperatureStart,
            double teacherTemperature,
            double teacherWarmup,
            double studentTemperature,
            double centerMomentum,
            Augmentation.Config views,
            double collapseThreshold) {

        /** Reads the settings and rejects unknown keys. */
        public static Settings from(MethodParams params) {
            Augmentation.Config d = DEFAULT_VIEWS;
            Settings settings =
                    new Settings(
                            params.integer("outputs", 256, 2, 65_536),
                            params.integer("hidden_size", 256, 1, 8192),
                            params.integer("bottleneck_size", 64, 1, 8192),
                            params.flag("head_batch_norm", true),
                            params.number("momentum", 0.996, 0, 1),
                            params.positive("teacher_temperature_start", 0.04),
                            params.positive("teacher_temperature", 0.07),
                            params.number("teacher_warmup", 0.3, 0, 1),
                            params.positive("student_temperature", 0.1),
                            params.number("center_momentum", 0.9, 0, 1),
                            new Augmentation.Config(
                                    params.integer("image_shift", d.imageShift(), 0, 14),
                                    params.integer("audio_time_mask", d.audioTimeMask(), 0, 1000),
                                    params.integer("audio_frequency_mask", d.audioFrequencyMask(), 0, 1000),
                                    params.number("modality_dropout", d.modalityDropout(), 0, 1)),
                            params.number("collapse_threshold", 0.05, 0, 0.5));
            params.checkAllRead();
            return settings;
        }
    }

    private final Settings settings;
    private final Augmentation views;
    private final CollapseMonitor monitor;
    private BatchStatisticsTeacher teacher;
    private float[] center;
    private float[] pendingBatchMean;
    private Map<String, Double> lastDiagnostics = Map.of();

    public Dino(Settings settings) {
        this.settings = settings;
        this.views = new Augmentation(settings.views());
        this.monitor = new CollapseMonitor(settings.outputs());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean trainsClassifier() {
        return false;
    }

    @Override
    public List<HeadSpec> heads() {
        return List.of(new HeadSpec(HEAD, HeadSpec.JOINT, () -> projectionHead(settings)));
    }

    /** Builds DINO's projection head at this method's sizes (see the class description). */
    static Block projectionHead(Settings settings) {
        SequentialBlock head = new SequentialBlock();
        for (int layer = 0; layer < 2; layer++) {
            head.add(Linear.builder().setUnits(settings.hiddenSize()).build());
            if (settings.headBatchNorm()) {
                head.add(BatchNorm.builder().build());
            }
            head.add(Activation::gelu);
        }
        return head.add(Linear.builder().setUnits(settings.bottleneckSize()).build())
                .add(list -> new NDList(list.singletonOrThrow().normalize(2, 1, 1e-12)))
                .add(new WeightNormalizedLinear(settings.outputs()));
    }

    @Override
    public void start(TrainingContext context) {
        teacher = new BatchStatisticsTeacher(context);
        center = new float[settings.outputs()];
    }

    @Override
    public LossTerms loss(Batch batch, ModelOutput student, TrainingContext context) {
        NDList first = Batches.inputs(context.train(), batch.indices(), batch.manager(), views, context.random());
        NDList second = Batches.inputs(context.train(), batch.indices(), batch.manager(), views, context.random());
        NDArray studentFirst = ModelOutput.of(context.forwardStudent(first), context.student()).head(HEAD);
        NDArray studentSecond = ModelOutput.of(context.forwardStudent(second), context.student()).head(HEAD);
        NDArray teacherFirst = teacherOutput(first);
        NDArray teacherSecond = teacherOutput(second);

        NDArray centerArray = batch.manager().create(center, new Shape(1, center.length));
        double teacherTemperature = teacherTemperature(context.progress());
        NDArray teacherLogFirst = teacherLogProbabilities(teacherFirst, centerArray, teacherTemperature);
        NDArray teacherLogSecond = teacherLogProbabilities(teacherSecond, centerArray, teacherTemperature);
        List<NDArray> students = List.of(studentFirst, studentSecond);
        List<NDArray> teachers = List.of(teacherLogFirst, teacherLogSecond);
        NDArray loss = crossViewLoss(students, teachers, settings.studentTemperature());

        NDArray allTeacher = NDArrays.concat(new NDList(teacherFirst, teacherSecond), 0);
        pendingBatchMean = allTeacher.mean(new int[] {0}).toFloatArray();
        record(students, teachers);
        return new LossTerms().add("dino", 1.0, loss);
    }

    private NDArray teacherOutput(NDList view) {
        return ModelOutput.of(teacher.forward(view), teacher.net()).head(HEAD).stopGradient();
    }

    /** Adds the batch's entropies and teacher-student KL to the epoch's collapse measures. */
    private void record(List<NDArray> students, List<NDArray> teacherLogs) {
        NDArray teacherLog = NDArrays.concat(new NDList(teacherLogs.get(0), teacherLogs.get(1)), 0);
        NDArray probabilities = teacherLog.exp();
        double entropySum = probabilities.mul(teacherLog).sum().neg().getFloat();
        long rows = probabilities.getShape().get(0);
        monitor.addTeacher(probabilities.sum(new int[] {0}).toFloatArray(), entropySum, rows);
        for (int a = 0; a < teacherLogs.size(); a++) {
            for (int b = 0; b < students.size(); b++) {
                if (a == b) {
                    continue;
                }
                NDArray studentLog = students.get(b).stopGradient().div((float) settings.studentTemperature()).logSoftmax(1);
                NDArray p = teacherLogs.get(a);
                double kl = p.exp().mul(p.sub(studentLog)).sum().getFloat();
                monitor.addDivergence(kl, p.getShape().get(0));
            }
        }
    }

    /**
     * Returns ln softmax((teacher - center) / temperature) row-wise: DINO's centred and sharpened
     * teacher distribution, in log space so that entropies need no 0 ln 0 guard.
     *
     * @param teacher (batch, K) head outputs
     * @param center (1, K) running centre
     */
    static NDArray teacherLogProbabilities(NDArray teacher, NDArray center, double temperature) {
        return teacher.stopGradient().sub(center).div((float) temperature).logSoftmax(1);
    }

    /**
     * Returns DINO's loss over every pair of different views: the mean over pairs (a, b), a != b,
     * of the batch-mean cross-entropy -sum_k P_a,k ln softmax(s_b / tau_s)_k.
     *
     * @param students per view, the student's (batch, K) head outputs
     * @param teacherLogs per view, the teacher's ln P from {@link #teacherLogProbabilities}
     */
    static NDArray crossViewLoss(List<NDArray> students, List<NDArray> teacherLogs, double studentTemperature) {
        NDArray total = null;
        int pairs = 0;
        for (int a = 0; a < teacherLogs.size(); a++) {
            NDArray target = teacherLogs.get(a).exp();
            for (int b = 0; b < students.size(); b++) {
                if (a == b) {
                    continue;
                }
                NDArray term = Losses.softCrossEntropy(students.get(b).div((float) studentTemperature), target);
                total = total == null ? term : total.add(term);
                pairs++;
            }
        }
        if (total == null) {
            throw new IllegalArgumentException("the DINO loss needs at least two views");
        }
        return total.div((float) pairs);
    }

    /** Returns tau_t after the given fraction of training: linear warm-up, then constant. */
    double teacherTemperature(double progress) {
        return warmedTemperature(progress, settings.teacherTemperatureStart(), settings.teacherTemperature(), settings.teacherWarmup());
    }

    /** Returns {@code start + (end - start) * min(1, progress / warmup)}, or {@code end} without warm-up. */
    static double warmedTemperature(double progress, double start, double end, double warmup) {
        if (warmup <= 0) {
            return end;
        }
        return start + (end - start) * Math.min(1.0, progress / warmup);
    }

    /** Returns DINO's cosine momentum schedule {@code 1 - (1 - m_0) (cos(pi p) + 1) / 2}, p in [0, 1]. */
    static double cosineMomentum(double base, double progress) {
        return 1 - (1 - base) * (Math.cos(Math.PI * Math.min(1.0, progress)) + 1) / 2;
    }

    /** Returns {@code m c + (1 - m) batchMean}, DINO's centre update. */
    static float[] updatedCenter(float[] center, float[] batchMean, double momentum) {
        float[] next = new float[center.length];
        for (int k = 0; k < center.length; k++) {
            next[k] = (float) (momentum * center[k] + (1 - momentum) * batchMean[k]);
        }
        return next;
    }

    @Override
    public void afterStep(TrainingContext context) {
        center = updatedCenter(center, pendingBatchMean, settings.centerMomentum());
        teacher.update(context.student(), cosineMomentum(settings.momentum(), context.progress()));
    }

    @Override
    public void afterEpoch(int epoch, TrainingContext context) {
        lastDiagnostics = monitor.diagnostics();
        // Before the warm-up ends the teacher temperature is still rising, and DINO's collapse
        // analysis concerns the steady state, so the check waits for the warm-up to finish.
        boolean warmedUp = context.progress() > settings.teacherWarmup();
        try {
            if (warmedUp && settings.collapseThreshold() > 0) {
                monitor.check(NAME, epoch, settings.collapseThreshold());
            }
        } finally {
            monitor.reset();
        }
    }

    @Override
    public Map<String, Double> epochDiagnostics() {
        return lastDiagnostics;
    }

    /** Returns the teacher network, for evaluation of its own embedding. */
    public MultimodalNet teacher() {
        return teacher.net();
    }
}
