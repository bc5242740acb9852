package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.eval.ClassificationMetrics;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.train.Augmentation;
import dev.selfdistill.train.Batch;
import dev.selfdistill.train.Batches;
import dev.selfdistill.train.Inference;
import dev.selfdistill.train.TrainingContext;
import dev.selfdistill.train.TrainingLoop;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Semi-supervised self-training with soft pseudo-labels, in the spirit of noisy student (Xie et
 * al., 2020, "Self-training with Noisy Student improves ImageNet classification"). The run sees
 * labels only for the stratified {@code labeled_fraction} of the training split ({@link
 * LabeledSubset}, drawn with the run's seed). Before the first step, a teacher is trained on the
 * labelled subset alone with the baseline loss, visiting the subset {@code subset_repeats} times
 * per epoch so that it takes about as many steps as a baseline run. It is the network that {@link
 * LabeledOnly} trains. Its softmax at temperature T on the clean inputs becomes the target q_i of
 * every unlabelled sample. The student is noised (the study's
 * augmentation and the model's dropout, optionally a stronger augmentation) and learns
 *
 * <pre>
 *   L = (1/|B_l|) sum_{i in B_l} CE(y_i, s_i)
 *     + unlabeled_weight (1/|B_u|) sum_{i in B_u} 1[max_c q_ic >= confidence_threshold] H(q_i, s_i)
 *   q_i = softmax(t_i / T),  H(q, s) = -sum_c q_c ln softmax(s)_c
 * </pre>
 *
 * where B_l and B_u are the batch's labelled and unlabelled samples; a term whose set is empty in
 * a batch is 0. The unlabelled term is divided by all unlabelled samples of the batch, including
 * those below the threshold, as FixMatch (Sohn et al., 2020) does, so the threshold lowers the
 * term's weight and does not rescale the rest.
 *
 * <p>With {@code rounds} r above 1, r - 1 intermediate students are trained in {@link #start} in
 * turn, each with this loss on the previous model's targets, and the run's student learns from
 * the last of them. Cost: the teacher takes about the optimizer steps of one baseline run (fewer
 * with a smaller {@code subset_repeats}), and every intermediate student costs about one baseline
 * run. All of it happens in {@code start}, so it counts in the run's {@code wall_seconds} but not
 * in its {@code samples_per_second}.
 *
 * <p>The validation split keeps all its labels and selects the best epoch of the teacher and of
 * every student, as in the study's other methods.
 *
 * <p>Defaults: {@code labeled_fraction} 0.1, {@code subset_repeats} round(1 / labeled_fraction),
 * {@code temperature} 1, {@code unlabeled_weight} 1,
 * {@code confidence_threshold} 0 (every pseudo-label counts; noisy student keeps all soft labels
 * on ImageNet), {@code rounds} 1, {@code strong_augmentation} false. With {@code
 * strong_augmentation} true the student trains on a view built with {@link Dino#DEFAULT_VIEWS}
 * (image shift 4, time mask 12, frequency mask 8, modality dropout 0.2) in place of the study's
 * augmentation, at the cost of one more student forward pass per step.
 */
public final class PseudoLabel implements Method {
    public static final String NAME = "pseudo-label";

    private static final Logger LOG = LoggerFactory.getLogger(PseudoLabel.class);

    /** Validated hyperparameters; see the class description for each. */
    public record Settings(
            LabeledSubset.Settings subset,
            double temperature,
            double unlabeledWeight,
            double confidenceThreshold,
            int rounds,
            boolean strongAugmentation) {

        /** Reads the settings and rejects unknown keys. */
        public static Settings from(MethodParams params) {
            Settings settings =
                    new Settings(
                            LabeledSubset.Settings.from(params),
                            params.positive("temperature", 1.0),
                            params.number("unlabeled_weight", 1.0, 0, 1000),
                            params.number("confidence_threshold", 0.0, 0, 1),
                            params.integer("rounds", 1, 1, 10),
                            params.flag("strong_augmentation", false));
            params.checkAllRead();
            return settings;
        }
    }

    private final Settings settings;
    private final Augmentation strong;
    private boolean[] labeled;
    private float[][] targets;
    private long keptSum;
    private long unlabeledSum;
    private Map<String, Double> lastDiagnostics = Map.of();

    public PseudoLabel(Settings settings) {
        this(settings, null, null);
    }

    /** Creates an intermediate student of a later round, whose labels and targets are given. */
    private PseudoLabel(Settings settings, boolean[] labeled, float[][] targets) {
        this.settings = settings;
        this.strong = settings.strongAugmentation() ? new Augmentation(Dino.DEFAULT_VIEWS) : null;
        this.labeled = labeled;
        this.targets = targets;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(TrainingContext context) {
        if (targets != null) {
            return;
        }
        MultimodalDataset train = context.train();
        LabeledSubset.Settings subset = settings.subset();
        int[] labeledIndices = LabeledSubset.stratified(train.labels(), train.numClasses(), subset.fraction(), context.seed());
        labeled = LabeledSubset.mask(train.size(), labeledIndices);
        MultimodalDataset teacherData = train.subset(LabeledSubset.repeated(labeledIndices, subset.effectiveRepeats()));
        long started = System.nanoTime();
        try (TrainingLoop.Trained teacher =
                TrainingLoop.train(
                        NAME + " teacher", context.seed(), context.model(), context.trainConfig(), teacherData, context.validation(), new Baseline(), null)) {
            targets = softTargets(Inference.logits(teacher.net(), train, teacher.model().getNDManager()), settings.temperature());
            LOG.info(
                    "{}: teacher trained on {} labelled of {} samples, best validation accuracy {}",
                    NAME,
                    labeledIndices.length,
                    train.size(),
                    String.format("%.4f", teacher.epochs().get(teacher.bestEpoch() - 1).validationAccuracy()));
        }
        for (int round = 2; round <= settings.rounds(); round++) {
            String label = NAME + " round " + (round - 1) + " student";
            try (PseudoLabel intermediate = new PseudoLabel(settings, labeled, targets);
                    TrainingLoop.Trained student =
                            TrainingLoop.train(label, context.seed(), context.model(), context.trainConfig(), train, context.validation(), intermediate, null)) {
                targets = softTargets(Inference.logits(student.net(), train, student.model().getNDManager()), settings.temperature());
            }
        }
        LOG.info("{}: teacher and {} intermediate students took {} s", NAME, settings.rounds() - 1, String.format("%.0f", (System.nanoTime() - started) / 1e9));
    }

    /** Returns softmax(logits / temperature) of every row. */
    static float[][] softTargets(float[][] logits, double temperature) {
        float[][] probabilities = new float[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = ClassificationMetrics.softmax(logits[i], temperature);
        }
        return probabilities;
    }

    @Override
    public LossTerms loss(Batch batch, ModelOutput student, TrainingContext context) {
        ModelOutput output = student;
        if (strong != null) {
            NDList view = Batches.inputs(context.train(), batch.indices(), batch.manager(), strong, context.random());
            output = ModelOutput.of(context.forwardStudent(view), context.student());
        }
        int rows = batch.size();
        int classes = Math.toIntExact(output.logits().getShape().get(1));
        float[] targetRows = new float[rows * classes];
        float[] labeledMask = new float[rows];
        float[] pseudoMask = new float[rows];
        for (int i = 0; i < rows; i++) {
            int index = batch.indices()[i];
            if (labeled[index]) {
                targetRows[i * classes + context.train().label(index)] = 1;
                labeledMask[i] = 1;
            } else {
                float[] q = targets[index];
                System.arraycopy(q, 0, targetRows, i * classes, classes);
                pseudoMask[i] = max(q) >= settings.confidenceThreshold() ? 1 : 0;
                keptSum += (long) pseudoMask[i];
                unlabeledSum++;
            }
        }
        NDManager manager = batch.manager();
        NDList terms = semiSupervisedTerms(output.logits(), manager.create(targetRows, new Shape(rows, classes)), labeledMask, pseudoMask);
        return new LossTerms().add("ce", 1.0, terms.get(0)).add("pseudo", settings.unlabeledWeight(), terms.get(1));
    }

    /**
     * Returns the two terms of the loss: {@code [sum_i l_i CE_i / max(1, sum_i l_i), sum_i u_i
     * CE_i / max(1, #unlabelled)]}, where {@code CE_i = -sum_c T_ic ln softmax(logits_i)_c}, l is
     * {@code labeledMask} and u is {@code pseudoMask}. A row is unlabelled where {@code
     * labeledMask} is 0.
     *
     * @param targets (batch, classes): one-hot labels on labelled rows, soft targets elsewhere
     */
    static NDList semiSupervisedTerms(NDArray logits, NDArray targets, float[] labeledMask, float[] pseudoMask) {
        NDManager manager = logits.getManager();
        int labeledCount = 0;
        for (float value : labeledMask) {
            labeledCount += value > 0 ? 1 : 0;
        }
        int unlabeledCount = labeledMask.length - labeledCount;
        NDArray rowLoss = logits.logSoftmax(1).mul(targets.stopGradient()).sum(new int[] {1}).neg();
        NDArray labeledTerm = rowLoss.mul(manager.create(labeledMask)).sum().div((float) Math.max(1, labeledCount));
        NDArray pseudoTerm = rowLoss.mul(manager.create(pseudoMask)).sum().div((float) Math.max(1, unlabeledCount));
        return new NDList(labeledTerm, pseudoTerm);
    }

    private static float max(float[] values) {
        float best = values[0];
        for (float value : values) {
            best = Math.max(best, value);
        }
        return best;
    }

    @Override
    public void afterEpoch(int epoch, TrainingContext context) {
        Map<String, Double> values = new LinkedHashMap<>();
        // The share of unlabelled samples whose pseudo-label passed the confidence threshold.
        values.put("pseudo_label_kept", unlabeledSum == 0 ? Double.NaN : keptSum / (double) unlabeledSum);
        lastDiagnostics = values;
        keptSum = 0;
        unlabeledSum = 0;
    }

    @Override
    public Map<String, Double> epochDiagnostics() {
        return lastDiagnostics;
    }
}
