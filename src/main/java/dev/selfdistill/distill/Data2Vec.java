package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.selfdistill.UserError;
import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.model.HeadSpec;
import dev.selfdistill.model.ModelConfig;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.model.MultimodalNet;
import dev.selfdistill.train.Batch;
import dev.selfdistill.train.Batches;
import dev.selfdistill.train.TrainingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Feature regression of an EMA teacher's hidden layers from masked inputs (data2vec: Baevski et
 * al., 2022, "data2vec: A General Framework for Self-supervised Learning in Speech, Vision and
 * Language"). The teacher sees the batch's inputs; the student sees the same inputs with image
 * patches and spectrogram time spans set to 0 (and optionally Gaussian noise added) and regresses,
 * through a linear head on its joint embedding, the teacher's top layers:
 *
 * <pre>
 *   y_l   = IN(pool(a_l^teacher(x)))                   for the top K layer groups l
 *   L_feat = (1/|layers|) sum_l mean_d SmoothL1_beta(f_l(joint^student(mask(x))) - y_l)
 *   SmoothL1_beta(e) = e^2 / (2 beta) if |e| &lt; beta, else |e| - beta / 2
 *   L = CE(y, s(x)) + feature_weight L_feat            supervised: true
 *   L = L_feat                                         supervised: false (label-free)
 *   theta_t = m theta_t + (1 - m) theta_s, m linear from momentum_start to momentum_end
 * </pre>
 *
 * <p>The layers, from the top: group 1 is the joint embedding (fusion output); group 2 the
 * modality embeddings (encoder outputs); group 3 the last encoder stage of each modality; group
 * 4 the first stage. Stage outputs (batch, C, H, W) are averaged over H and W to C values; every
 * layer vector is then instance-normalised per sample (zero mean, unit variance over its values,
 * without parameters). data2vec averages its top K normalised blocks into one target. Here the
 * layers differ in width (16 to 128 values), so the head predicts every layer and the per-layer
 * losses are averaged, which weights each layer equally as the average does. {@code top_layers}
 * sets K, counted in groups.
 *
 * <p>The teacher starts as a copy of the student, BatchNorm statistics included, follows it by
 * EMA, and runs without gradient, with batch statistics and without dropout ({@link
 * BatchStatisticsTeacher}). In the supervised variant the cross-entropy uses the student
 * output that the training loop computes on the unmasked batch, and the regression uses a second
 * student pass on the masked batch.
 *
 * <p>Defaults: {@code supervised} true, {@code feature_weight} 1, {@code top_layers} 3, {@code
 * beta} 0.25, {@code mask_ratio} 0.5 of the 7x7 image patches ({@code image_patch}) and of the
 * 4-frame spectrogram spans ({@code audio_span}), {@code noise_std} 0. data2vec masks about 60%
 * of image patches and about half of the speech time steps; 0.5 is a middle value chosen here,
 * and beta 0.25 is chosen for unit-variance targets. data2vec raises the momentum linearly from
 * 0.999 to 0.9999. With 0.999 the teacher of a run of a few hundred steps would stay near its
 * random initialisation, so the defaults here are {@code momentum_start} 0.99 and {@code
 * momentum_end} 0.999, ramped over the whole run.
 */
public final class Data2Vec implements Method {
    public static final String NAME = "feature";

    /** Name of the regression head on the joint embedding. */
    public static final String HEAD = "feature_regression";

    /** Floor added to a layer's variance before the division of the instance normalisation. */
    static final double NORM_EPSILON = 1e-5;

    /** Validated hyperparameters; see the class description for each. */
    public record Settings(
            boolean supervised,
            double featureWeight,
            int topLayers,
            double beta,
            double momentumStart,
            double momentumEnd,
            double maskRatio,
            int imagePatch,
            int audioSpan,
            double noiseStd) {

        /** Reads the settings and rejects unknown keys and a student input equal to the teacher's. */
        public static Settings from(MethodParams params) {
            Settings settings =
                    new Settings(
                            params.flag("supervised", true),
                            params.number("feature_weight", 1.0, 0, 1000),
                            params.integer("top_layers", 3, 1, 16),
                            params.positive("beta", 0.25),
                            params.number("momentum_start", 0.99, 0, 1),
                            params.number("momentum_end", 0.999, 0, 1),
                            params.number("mask_ratio", 0.5, 0, 1),
                            params.integer("image_patch", 7, 1, 1000),
                            params.integer("audio_span", 4, 1, 1000),
                            params.number("noise_std", 0.0, 0, 100));
            params.checkAllRead();
            if (settings.maskRatio() == 0 && settings.noiseStd() == 0) {
                throw new UserError(
                        "methods.feature: mask_ratio and noise_std are both 0, so the student would see the teacher's input;"
                                + " set mask_ratio (for example 0.5) or noise_std above 0");
            }
            return settings;
        }
    }

    private final Settings settings;
    private BatchStatisticsTeacher teacher;
    private int[] layerWidths;
    private double targetStdSum;
    private long targetBatches;
    private Map<String, Double> lastDiagnostics = Map.of();

    public Data2Vec(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean trainsClassifier() {
        return settings.supervised();
    }

    @Override
    public List<HeadSpec> heads(ModelConfig model, MultimodalDataset train) {
        MultimodalNet probe = new MultimodalNet(model, train.modalities(), train.numClasses(), false);
        Shape[] shapes = probe.getOutputShapes(Batches.inputShapes(train, 2));
        List<int[]> stages = new ArrayList<>();
        int at = 2 + train.modalities().size();
        for (int m = 0; m < train.modalities().size(); m++) {
            int[] widths = new int[probe.stageCount(m)];
            for (int s = 0; s < widths.length; s++) {
                widths[s] = Math.toIntExact(shapes[at++].get(1));
            }
            stages.add(widths);
        }
        int jointWidth = Math.toIntExact(shapes[0].get(1));
        int embeddingWidth = Math.toIntExact(shapes[2].get(1));
        layerWidths = layerWidths(settings.topLayers(), jointWidth, embeddingWidth, stages);
        int total = 0;
        for (int width : layerWidths) {
            total += width;
        }
        int units = total;
        return List.of(new HeadSpec(HEAD, HeadSpec.JOINT, () -> Linear.builder().setUnits(units).build()));
    }

    /**
     * Returns the width of every target layer, top first, in the order of {@link #targetLayers}.
     *
     * @param stageWidths per modality, the channel count of each encoder stage, first stage first
     */
    static int[] layerWidths(int groups, int jointWidth, int embeddingWidth, List<int[]> stageWidths) {
        int maxStages = stageWidths.stream().mapToInt(w -> w.length).max().orElse(0);
        if (groups > 2 + maxStages) {
            throw new UserError(
                    "methods.feature.top_layers is " + groups + " but the network has " + (2 + maxStages)
                            + " layer groups (joint, embeddings, " + maxStages + " encoder stages); use at most " + (2 + maxStages));
        }
        List<Integer> widths = new ArrayList<>();
        widths.add(jointWidth);
        for (int group = 2; group <= groups; group++) {
            for (int[] stages : stageWidths) {
                if (group == 2) {
                    widths.add(embeddingWidth);
                } else if (stages.length - (group - 2) >= 0) {
                    widths.add(stages[stages.length - (group - 2)]);
                }
            }
        }
        return widths.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Returns the teacher's target layers of {@code output}, top first: the joint embedding, then
     * per group one vector per modality, each pooled and instance-normalised.
     */
    List<NDArray> targetLayers(ModelOutput output) {
        List<NDArray> layers = new ArrayList<>();
        layers.add(instanceNormalize(output.joint()));
        for (int group = 2; group <= settings.topLayers(); group++) {
            for (int m = 0; m < output.embeddings().size(); m++) {
                List<NDArray> stages = output.hidden().get(m);
                if (group == 2) {
                    layers.add(instanceNormalize(output.embeddings().get(m)));
                } else if (stages.size() - (group - 2) >= 0) {
                    NDArray stage = stages.get(stages.size() - (group - 2));
                    // DJL's PyTorch engine averages over one axis per call.
                    layers.add(instanceNormalize(stage.mean(new int[] {3}).mean(new int[] {2})));
                }
            }
        }
        return layers;
    }

    /** Returns each row of (batch, D) minus its mean, divided by sqrt(its variance + 1e-5). */
    static NDArray instanceNormalize(NDArray vectors) {
        NDArray centred = vectors.sub(vectors.mean(new int[] {1}, true));
        NDArray variance = centred.square().mean(new int[] {1}, true);
        return centred.div(variance.add((float) NORM_EPSILON).sqrt());
    }

    /**
     * Returns the mean of {@code SmoothL1_beta(prediction - target)} over every element:
     * {@code e^2 / (2 beta)} where {@code |e| < beta}, else {@code |e| - beta / 2}, written as
     * {@code (q^2 / 2 + beta (|e| - q)) / beta} with {@code q = min(|e|, beta)} so one expression
     * has the gradient of both pieces.
     */
    static NDArray smoothL1(NDArray prediction, NDArray target, double beta) {
        NDArray error = prediction.sub(target.stopGradient()).abs();
        NDArray quadratic = error.minimum((float) beta);
        NDArray value = quadratic.square().mul(0.5f).add(error.sub(quadratic).mul((float) beta));
        return value.div((float) beta).mean();
    }

    /**
     * Returns the mean over layers of the smooth-L1 loss between each layer's slice of {@code
     * prediction} (batch, sum of widths) and that layer's target.
     */
    static NDArray regressionLoss(NDArray prediction, List<NDArray> targets, double beta) {
        NDArray total = null;
        long from = 0;
        for (NDArray target : targets) {
            long to = from + target.getShape().get(1);
            NDArray term = smoothL1(prediction.get(":, {}:{}", from, to), target, beta);
            total = total == null ? term : total.add(term);
            from = to;
        }
        if (from != prediction.getShape().get(1)) {
            throw new IllegalStateException("the regression head has " + prediction.getShape().get(1) + " outputs, the targets " + from);
        }
        return total.div((float) targets.size());
    }

    @Override
    public void start(TrainingContext context) {
        if (layerWidths == null) {
            throw new IllegalStateException("heads(model, train) must run before start");
        }
        teacher = new BatchStatisticsTeacher(context);
    }

    @Override
    public LossTerms loss(Batch batch, ModelOutput student, TrainingContext context) {
        NDList masked = corrupt(batch.inputs(), context.train().modalities(), context.random(), batch.manager());
        NDArray prediction = ModelOutput.of(context.forwardStudent(masked), context.student()).head(HEAD);
        ModelOutput teacherOutput = ModelOutput.of(teacher.forward(batch.inputs()), teacher.net());
        List<NDArray> targets = new ArrayList<>();
        for (NDArray layer : targetLayers(teacherOutput)) {
            targets.add(layer.stopGradient());
        }
        NDArray regression = regressionLoss(prediction, targets, settings.beta());
        recordTargetSpread(targets);
        LossTerms terms = new LossTerms();
        if (settings.supervised()) {
            terms.add("ce", 1.0, Losses.crossEntropy(student.logits(), batch.labels()));
            terms.add("feature", settings.featureWeight(), regression);
        } else {
            terms.add("feature", 1.0, regression);
        }
        return terms;
    }

    /** Adds the batch's mean over target values of their standard deviation across samples. */
    private void recordTargetSpread(List<NDArray> targets) {
        double sum = 0;
        for (NDArray target : targets) {
            NDArray centred = target.sub(target.mean(new int[] {0}, true));
            sum += centred.square().mean(new int[] {0}).sqrt().mean().getFloat();
        }
        targetStdSum += sum / targets.size();
        targetBatches++;
    }

    /**
     * Returns the student's inputs: for every sample, a {@code mask_ratio} share of the image's
     * patches, or of the spectrogram's time spans (all mel bands), set to 0, then Gaussian noise
     * of {@code noise_std} added. The presence mask is kept.
     */
    NDList corrupt(NDList inputs, List<String> modalities, Random random, NDManager manager) {
        NDList corrupted = new NDList();
        for (int m = 0; m < modalities.size(); m++) {
            NDArray x = inputs.get(m);
            Shape shape = x.getShape();
            int batch = Math.toIntExact(shape.get(0));
            int height = Math.toIntExact(shape.get(shape.dimension() - 2));
            int width = Math.toIntExact(shape.get(shape.dimension() - 1));
            if (settings.maskRatio() > 0) {
                float[] mask = new float[batch * height * width];
                for (int i = 0; i < batch; i++) {
                    float[] sample =
                            modalities.get(m).equals("audio")
                                    ? timeSpanMask(height, width, settings.audioSpan(), settings.maskRatio(), random)
                                    : patchMask(height, width, settings.imagePatch(), settings.maskRatio(), random);
                    System.arraycopy(sample, 0, mask, i * height * width, sample.length);
                }
                x = x.mul(manager.create(mask, new Shape(batch, 1, height, width)));
            }
            if (settings.noiseStd() > 0) {
                x = x.add(manager.randomNormal(0f, (float) settings.noiseStd(), shape, DataType.FLOAT32));
            }
            corrupted.add(x);
        }
        corrupted.add(inputs.get(modalities.size()));
        return corrupted;
    }

    /**
     * Returns a (height x width) mask of 1s with {@code round(ratio * patches)} of the {@code
     * patch x patch} tiles, drawn without replacement, set to 0. Edge tiles may be smaller.
     */
    static float[] patchMask(int height, int width, int patch, double ratio, Random random) {
        int rows = (height + patch - 1) / patch;
        int columns = (width + patch - 1) / patch;
        float[] mask = new float[height * width];
        java.util.Arrays.fill(mask, 1f);
        for (int tile : draw(rows * columns, ratio, random)) {
            int top = (tile / columns) * patch;
            int left = (tile % columns) * patch;
            for (int y = top; y < Math.min(height, top + patch); y++) {
                java.util.Arrays.fill(mask, y * width + left, y * width + Math.min(width, left + patch), 0f);
            }
        }
        return mask;
    }

    /**
     * Returns a (bands x frames) mask of 1s with {@code round(ratio * spans)} of the {@code
     * span}-frame time spans, drawn without replacement, set to 0 in every band.
     */
    static float[] timeSpanMask(int bands, int frames, int span, double ratio, Random random) {
        int spans = (frames + span - 1) / span;
        float[] mask = new float[bands * frames];
        java.util.Arrays.fill(mask, 1f);
        for (int chosen : draw(spans, ratio, random)) {
            int start = chosen * span;
            for (int band = 0; band < bands; band++) {
                java.util.Arrays.fill(mask, band * frames + start, band * frames + Math.min(frames, start + span), 0f);
            }
        }
        return mask;
    }

    /** Returns {@code round(ratio * count)} distinct values of 0..count-1 (partial Fisher-Yates). */
    private static int[] draw(int count, double ratio, Random random) {
        int chosen = (int) Math.round(ratio * count);
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        for (int i = 0; i < chosen; i++) {
            int j = i + random.nextInt(count - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return java.util.Arrays.copyOf(order, chosen);
    }

    /** Returns the teacher momentum after the given fraction of training (linear ramp). */
    double momentum(double progress) {
        return settings.momentumStart() + (settings.momentumEnd() - settings.momentumStart()) * Math.min(1.0, progress);
    }

    @Override
    public void afterStep(TrainingContext context) {
        teacher.update(context.student(), momentum(context.progress()));
    }

    @Override
    public void afterEpoch(int epoch, TrainingContext context) {
        Map<String, Double> values = new LinkedHashMap<>();
        // A target spread near 0 means the teacher maps every sample to the same features, the
        // collapse an EMA regression target can fall into without labels.
        values.put("target_std", targetBatches == 0 ? Double.NaN : targetStdSum / targetBatches);
        lastDiagnostics = values;
        targetStdSum = 0;
        targetBatches = 0;
    }

    @Override
    public Map<String, Double> epochDiagnostics() {
        return lastDiagnostics;
    }
}
