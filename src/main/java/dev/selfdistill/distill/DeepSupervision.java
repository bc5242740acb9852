package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import dev.selfdistill.model.AuxiliaryClassifier;
import dev.selfdistill.model.Encoders;
import dev.selfdistill.model.HeadSpec;
import dev.selfdistill.model.ModelConfig;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.train.Batch;
import dev.selfdistill.train.TrainingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Deep supervision with self-distillation, after "Be Your Own Teacher: Improve the Performance of
 * Convolutional Neural Networks via Self Distillation" (Zhang et al., 2019). Shallow classifiers
 * ({@link AuxiliaryClassifier}, convolutional on feature maps and dense on the vector stages of
 * text and tabular encoders) sit on every encoder stage of every modality and, unless {@code
 * embedding_heads} is false, on every modality embedding (the encoder's last section, the fusion's
 * input). The fused classifier is the deepest classifier C and its input, the joint embedding, is
 * the deepest feature F_C:
 *
 * <pre>
 *   L = CE(y, z_C) + sum_i [ (1 - alpha) CE(y, z_i)
 *                            + alpha T^2 KL(softmax(z_C / T) || softmax(z_i / T))
 *                            + lambda ||F_i - F_C||^2 / D ]
 * </pre>
 *
 * where z_i and F_i are shallow classifier i's logits and bottleneck feature and D is the joint
 * embedding's size. The teacher terms z_C and F_C are detached, so the deepest classifier learns
 * from the labels alone. Each shallow classifier's terms average over the samples that have its
 * modality, because a head on a missing (zeroed) input has nothing to learn from. The joint
 * embedding is taken as the network returns it, after the fusion's dropout. The KL term carries
 * Hinton's T^2 factor, as in the reimplementation luanyunteng/pytorch-be-your-own-teacher.
 *
 * <p>The paper writes the hint as the squared L2 norm. This class divides it by D (PyTorch's {@code
 * mse_loss}), because the joint embedding's scale is unbounded. On a synthetic 4-class test the
 * summed form with lambda 0.03 outweighed every other term and the fused head collapsed to a
 * constant prediction, while the mean form trained normally.
 *
 * <p>Defaults: {@code alpha} 0.3, {@code feature_weight} (lambda) 0.03 and {@code temperature} 3
 * are the values given for the paper's CIFAR-100 experiments. NOTE: they were not re-read from the
 * paper here. The reimplementation above also uses T = 3, but alpha 0.1 and lambda 1e-6 with a
 * feature loss summed over the batch. {@code adapter_channels} 64 (filters of each adapter's
 * convolution) and {@code embedding_heads} true are this project's choices.
 */
public final class DeepSupervision implements Method {
    public static final String NAME = "deep-supervision";

    /** Validated hyperparameters. */
    public record Settings(
            double alpha,
            double featureWeight,
            double temperature,
            int adapterChannels,
            boolean embeddingHeads) {
        /** Reads the parameters with their defaults, rejecting unknown keys and invalid values. */
        public static Settings from(MethodParams params) {
            Settings settings =
                    new Settings(
                            params.number("alpha", 0.3, 0, 1),
                            params.number("feature_weight", 0.03, 0, 1e6),
                            params.positive("temperature", 3.0),
                            params.integer("adapter_channels", 64, 1, 4096),
                            params.flag("embedding_heads", true));
            params.checkAllRead();
            return settings;
        }
    }

    /** A shallow classifier: its head name and the modality whose presence it needs. */
    record Shallow(String head, int modality) {}

    /** Validates the parameters and returns the plan that creates one method per run. */
    public static MethodPlan plan(MethodParams params) {
        Settings settings = Settings.from(params);
        return Methods.simple(NAME, params, () -> new DeepSupervision(settings));
    }

    private final Settings settings;
    private final List<Shallow> shallow = new ArrayList<>();
    private int featureSize;

    /** Creates the method for one run. */
    public DeepSupervision(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Declares one shallow classifier per encoder stage (and per embedding) of every modality. */
    @Override
    public List<HeadSpec> heads(List<String> modalities, int numClasses, ModelConfig model) {
        shallow.clear();
        int size = model.jointSize();
        int channels = settings.adapterChannels();
        featureSize = size;
        List<HeadSpec> specs = new ArrayList<>();
        for (int m = 0; m < modalities.size(); m++) {
            String modality = modalities.get(m);
            String encoder = model.encoderFor(modality);
            int vocabulary = Encoders.readsTokens(encoder) ? model.vocabularySize(modality) : 0;
            int stages = Encoders.encoder(encoder, model.embeddingSize(), vocabulary).stageCount();
            // Convolutional encoders have (batch, channels, height, width) stages, text and
            // tabular encoders (batch, features) ones.
            boolean featureMaps = encoder.startsWith("cnn-");
            for (int stage = 0; stage < stages; stage++) {
                String head = "ds_" + modality + "_stage" + stage;
                Supplier<Block> factory =
                        featureMaps
                                ? () ->
                                        AuxiliaryClassifier.convolutional(
                                                channels, size, numClasses)
                                : () -> AuxiliaryClassifier.dense(size, numClasses);
                specs.add(new HeadSpec(head, HeadSpec.hidden(modality, stage), factory));
                shallow.add(new Shallow(head, m));
            }
            if (settings.embeddingHeads()) {
                String head = "ds_" + modality + "_embedding";
                specs.add(
                        new HeadSpec(
                                head,
                                HeadSpec.embedding(modality),
                                () -> AuxiliaryClassifier.dense(size, numClasses)));
                shallow.add(new Shallow(head, m));
            }
        }
        return specs;
    }

    @Override
    public LossTerms loss(Batch batch, ModelOutput student, TrainingContext context) {
        NDArray presence = batch.inputs().get(batch.inputs().size() - 1);
        return loss(student, batch.labels(), presence);
    }

    /** Returns the loss terms given the network's output and the (batch, modalities) presence. */
    LossTerms loss(ModelOutput student, NDArray labels, NDArray presence) {
        if (shallow.isEmpty()) {
            throw new IllegalStateException(
                    "deep-supervision has no shallow classifiers because heads(modalities,"
                            + " numClasses, model) was not called");
        }
        NDArray fused = student.logits();
        NDArray deepest = student.joint();
        NDArray ce = null;
        NDArray kd = null;
        NDArray hint = null;
        for (Shallow head : shallow) {
            NDArray output = student.head(head.head());
            NDArray logits = AuxiliaryClassifier.logits(output, featureSize);
            NDArray feature = AuxiliaryClassifier.feature(output, featureSize);
            NDArray mask = presence.get(":, {}", head.modality());
            NDArray headCe =
                    SampleLosses.maskedMean(SampleLosses.crossEntropy(logits, labels), mask);
            NDArray headKd =
                    SampleLosses.maskedMean(
                            SampleLosses.distillation(logits, fused, settings.temperature()), mask);
            NDArray headHint =
                    SampleLosses.maskedMean(SampleLosses.meanSquaredError(feature, deepest), mask);
            ce = ce == null ? headCe : ce.add(headCe);
            kd = kd == null ? headKd : kd.add(headKd);
            hint = hint == null ? headHint : hint.add(headHint);
        }
        return new LossTerms()
                .add("ce", 1.0, Losses.crossEntropy(fused, labels))
                .add("aux_ce", 1 - settings.alpha(), ce)
                .add("aux_kd", settings.alpha(), kd)
                .add("hint", settings.featureWeight(), hint);
    }
}
