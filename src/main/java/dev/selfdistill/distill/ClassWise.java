package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.train.Augmentation;
import dev.selfdistill.train.Batch;
import dev.selfdistill.train.Batches;
import dev.selfdistill.train.TrainingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Class-wise self-knowledge distillation, CS-KD (Yun et al., 2020, "Regularizing Class-wise
 * Predictions via Self-knowledge Distillation"). Every sample x of a batch is paired with another
 * training sample x' of the same class, drawn uniformly. The student's own prediction on x',
 * detached, teaches its prediction on x:
 *
 * <pre>
 *   L = CE(y, z(x)) + lambda T^2 KL(softmax(z(x') / T) || softmax(z(x) / T))
 * </pre>
 *
 * <p>The partners get their own augmentation and run through the student in training mode, as the
 * reference code (alinlab/cs-kd) runs them under {@code no_grad} in training mode, so BatchNorm
 * sees a second batch and a step costs about two forward passes. A class with a single training
 * sample pairs it with itself.
 *
 * <p>Defaults: {@code temperature} 4 and {@code lambda} 1, the reference code's defaults.
 */
public final class ClassWise implements Method {
    public static final String NAME = "class-wise";

    /** Validated hyperparameters. */
    public record Settings(double temperature, double lambda) {
        /** Reads the parameters with their defaults, rejecting unknown keys and invalid values. */
        public static Settings from(MethodParams params) {
            Settings settings =
                    new Settings(
                            params.positive("temperature", 4.0),
                            params.number("lambda", 1.0, 0, 1000));
            params.checkAllRead();
            return settings;
        }
    }

    /** Validates the parameters and returns the plan that creates one method per run. */
    public static MethodPlan plan(MethodParams params) {
        Settings settings = Settings.from(params);
        return Methods.simple(NAME, params, () -> new ClassWise(settings));
    }

    private final Settings settings;
    private int[][] samplesByClass;
    private int[] labels;
    private Augmentation augmentation;

    /** Creates the method for one run. */
    public ClassWise(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(TrainingContext context) {
        MultimodalDataset train = context.train();
        labels = train.labels();
        samplesByClass = samplesByClass(labels, train.numClasses());
        Augmentation configured = new Augmentation(context.trainConfig().augmentation());
        augmentation = configured.isIdentity() ? null : configured;
    }

    @Override
    public LossTerms loss(Batch batch, ModelOutput student, TrainingContext context) {
        int[] partners = partners(batch.indices(), labels, samplesByClass, context.random());
        NDList partnerInputs =
                Batches.inputs(
                        context.train(), partners, batch.manager(), augmentation, context.random());
        NDArray partnerLogits =
                ModelOutput.of(context.forwardStudent(partnerInputs), context.student())
                        .logits()
                        .stopGradient();
        return loss(student.logits(), partnerLogits, batch.labels());
    }

    /** Returns the loss terms given the batch's logits and its partners' logits. */
    LossTerms loss(NDArray logits, NDArray partnerLogits, NDArray labels) {
        return new LossTerms()
                .add("ce", 1.0, Losses.crossEntropy(logits, labels))
                .add(
                        "class_kd",
                        settings.lambda(),
                        Losses.distillation(logits, partnerLogits, settings.temperature()));
    }

    /** Returns, per class, the indices of its samples in ascending order. */
    static int[][] samplesByClass(int[] labels, int numClasses) {
        List<List<Integer>> lists = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            lists.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            lists.get(labels[i]).add(i);
        }
        int[][] byClass = new int[numClasses][];
        for (int c = 0; c < numClasses; c++) {
            byClass[c] = lists.get(c).stream().mapToInt(Integer::intValue).toArray();
        }
        return byClass;
    }

    /**
     * Draws for each sample another sample of its class, uniformly among the class's other samples.
     * A sample that is alone in its class is its own partner.
     */
    static int[] partners(int[] indices, int[] labels, int[][] samplesByClass, Random random) {
        int[] partners = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int sample = indices[i];
            int[] candidates = samplesByClass[labels[sample]];
            if (candidates.length == 1) {
                partners[i] = sample;
                continue;
            }
            // Draw among the class's other samples: skip over the sample's own position.
            int draw = random.nextInt(candidates.length - 1);
            int partner = candidates[draw];
            if (partner >= sample) {
                partner = candidates[draw + 1];
            }
            partners[i] = partner;
        }
        return partners;
    }
}
