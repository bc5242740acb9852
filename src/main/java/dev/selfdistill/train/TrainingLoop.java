package dev.selfdistill.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.distill.LossTerms;
import dev.selfdistill.distill.Method;
import dev.selfdistill.eval.ClassificationMetrics;
import dev.selfdistill.model.ModelConfig;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.model.MultimodalNet;
import dev.selfdistill.model.Parameters;
import dev.selfdistill.study.EpochRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one training loop every method runs through. Each epoch shuffles with the run's seed. Each
 * batch builds (augmented) inputs, forwards the student, asks the method for its loss terms, runs
 * backward and the optimizer step, then lets the method update its teacher. After each epoch the
 * loop validates, keeps the parameters with the best validation accuracy, and stops early when
 * validation stops improving.
 * A method that does not train the classifier ({@link Method#trainsClassifier()} false) keeps
 * its last epoch instead and never stops early.
 */
public final class TrainingLoop {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);

    private TrainingLoop() {}

    /**
     * A trained student holding the parameters of its best validation epoch. Close it to free the
     * native memory.
     *
     * @param model the DJL model owning the parameters
     * @param net the network, in the state of the best epoch
     * @param epochs history of every epoch run
     * @param bestEpoch epoch whose parameters were kept
     * @param trainSeconds wall time of training (steps and validation)
     * @param samplesPerSecond mean training throughput over all epochs
     * @param lossTerms mean of each loss term over the last epoch
     */
    public record Trained(
            Model model,
            MultimodalNet net,
            List<EpochRecord> epochs,
            int bestEpoch,
            double trainSeconds,
            double samplesPerSecond,
            Map<String, Double> lossTerms)
            implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    /**
     * Trains a fresh network with the given method.
     *
     * @param label run label for log lines
     * @param seed seeds initialisation, data order, augmentation and dropout
     * @param fullTrain the training split; the method may train on part of it ({@link
     *     Method#trainingData})
     * @param listener receives each epoch's record as soon as it exists (may be null)
     */
    public static Trained train(
            String label,
            int seed,
            ModelConfig modelConfig,
            TrainConfig config,
            MultimodalDataset fullTrain,
            MultimodalDataset validation,
            Method method,
            Consumer<EpochRecord> listener) {
        MultimodalDataset train = method.trainingData(fullTrain, seed);
        // Seeds torch (initialisation, dropout) for this process; runs are sequential, so one
        // run's draws never interleave with another's.
        Engine.getInstance().setRandomSeed(seed);
        Random random = new Random(seed);
        // Text encoders size their embedding tables from the training split's vocabulary.
        modelConfig = modelConfig.forData(train);
        MultimodalNet net = new MultimodalNet(modelConfig, train.modalities(), train.numClasses(), method.needsModalityHeads(), method.heads(modelConfig, train));
        Model model = Model.newInstance("student-" + label.replace(' ', '-'));
        boolean success = false;
        try {
            model.setBlock(net);
            int stepsPerEpoch = (train.size() + config.batchSize() - 1) / config.batchSize();
            long totalSteps = (long) stepsPerEpoch * config.epochs();
            DefaultTrainingConfig trainingConfig =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(optimizer(config, stepsPerEpoch, totalSteps))
                            .optDevices(new Device[] {Device.cpu()});
            Trainer trainer = model.newTrainer(trainingConfig);
            Shape[] shapes = Batches.inputShapes(train, config.batchSize());
            trainer.initialize(shapes);
            TrainingContext context =
                    new TrainingContext(net, trainer::forward, model.getNDManager(), train, validation, modelConfig, config, seed, shapes, totalSteps, random);
            Trained trained = run(label, config, train, validation, method, listener, model, net, trainer, context);
            success = true;
            return trained;
        } finally {
            if (!success) {
                model.close();
            }
        }
    }

    private static Trained run(
            String label,
            TrainConfig config,
            MultimodalDataset train,
            MultimodalDataset validation,
            Method method,
            Consumer<EpochRecord> listener,
            Model model,
            MultimodalNet net,
            Trainer trainer,
            TrainingContext context) {
        Augmentation augmentation = new Augmentation(config.augmentation());
        // The clock starts before start(), so a teacher that a method trains there counts in the
        // run's wall time.
        long start = System.nanoTime();
        method.start(context);
        List<EpochRecord> history = new ArrayList<>();
        List<float[]> best = null;
        double bestAccuracy = -1;
        int bestEpoch = 0;
        long trainNanos = 0;
        long trainSamples = 0;
        Map<String, Double> lastTerms = new LinkedHashMap<>();
        ProgressBar progress = ProgressBar.forTerminal();
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            context.setEpoch(epoch);
            long epochStart = System.nanoTime();
            int[] order = permutation(train.size(), context.random());
            double lossSum = 0;
            long correct = 0;
            int batches = 0;
            Map<String, Double> termSums = new LinkedHashMap<>();
            // Drop a last batch of one sample: BatchNorm cannot normalise a single sample.
            int usable = train.size() % config.batchSize() == 1 ? train.size() - 1 : train.size();
            for (int from = 0; from < usable; from += config.batchSize()) {
                int[] indices = java.util.Arrays.copyOfRange(order, from, Math.min(usable, from + config.batchSize()));
                try (NDManager manager = trainer.getManager().newSubManager()) {
                    NDList inputs = Batches.inputs(train, indices, manager, augmentation.isIdentity() ? null : augmentation, context.random());
                    NDList clean = augmentation.isIdentity() ? inputs : Batches.inputs(train, indices, manager, null, null);
                    NDArray labels = Batches.labels(train, indices, manager);
                    Batch batch = new Batch(inputs, clean, labels, indices, manager);
                    NDArray loss;
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        ModelOutput output = ModelOutput.of(trainer.forward(inputs), net);
                        LossTerms terms = method.loss(batch, output, context);
                        loss = terms.total();
                        collector.backward(loss);
                        for (LossTerms.Term term : terms.terms()) {
                            termSums.merge(term.name(), (double) term.value().getFloat(), Double::sum);
                        }
                        correct += countCorrect(output.logits(), labels);
                    }
                    trainer.step();
                    context.advanceStep();
                    method.afterStep(context);
                    lossSum += loss.getFloat();
                    batches++;
                }
                progress.update(label + " epoch " + epoch, from + indices.length, usable);
            }
            long epochTrainNanos = System.nanoTime() - epochStart;
            trainNanos += epochTrainNanos;
            trainSamples += usable;
            method.afterEpoch(epoch, context);
            progress.clear();

            float[][] validationLogits = Inference.logits(net, validation, trainer.getManager());
            float[][] probabilities = dev.selfdistill.eval.RunEvaluator.softmax(validationLogits);
            int[] validationLabels = validation.labels();
            double validationAccuracy = ClassificationMetrics.accuracy(probabilities, validationLabels);
            double validationLoss = ClassificationMetrics.negativeLogLikelihood(probabilities, validationLabels);
            double samplesPerSecond = usable / (epochTrainNanos / 1e9);
            double learningRate = currentLearningRate(config, context.step(), (int) (context.totalSteps() / config.epochs()), context.totalSteps());
            Map<String, Double> diagnostics = method.epochDiagnostics();
            EpochRecord record =
                    new EpochRecord(epoch, lossSum / batches, correct / (double) usable, validationLoss, validationAccuracy, learningRate, samplesPerSecond, (System.nanoTime() - epochStart) / 1e9, diagnostics);
            history.add(record);
            lastTerms = new LinkedHashMap<>();
            for (Map.Entry<String, Double> entry : termSums.entrySet()) {
                lastTerms.put(entry.getKey(), entry.getValue() / batches);
            }
            LOG.info(
                    "{} epoch {}/{}: loss {} {} val_acc {} val_nll {} {} samples/s",
                    label,
                    epoch,
                    config.epochs(),
                    String.format("%.4f", record.trainLoss()),
                    formatTerms(lastTerms),
                    String.format("%.4f", validationAccuracy),
                    String.format("%.4f", validationLoss),
                    String.format("%.0f", samplesPerSecond));
            if (!diagnostics.isEmpty()) {
                StringBuilder text = new StringBuilder();
                diagnostics.forEach((name, value) -> text.append(' ').append(name).append(' ').append(String.format("%.4f", value)));
                LOG.info("{} epoch {} diagnostics:{}", label, epoch, text);
            }
            if (listener != null) {
                listener.accept(record);
            }
            if (!method.trainsClassifier()) {
                // A label-free method leaves the classifier head untrained, so validation accuracy
                // does not measure its epochs. The loop keeps the last epoch and never stops early.
                bestEpoch = epoch;
                best = Parameters.snapshot(net);
            } else if (validationAccuracy > bestAccuracy) {
                bestAccuracy = validationAccuracy;
                bestEpoch = epoch;
                best = Parameters.snapshot(net);
            } else if (config.patience() > 0 && epoch - bestEpoch >= config.patience()) {
                LOG.info("{}: stopping early after epoch {}; best validation accuracy was at epoch {}", label, epoch, bestEpoch);
                break;
            }
        }
        Parameters.restore(net, best);
        trainer.close();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Trained(model, net, List.copyOf(history), bestEpoch, seconds, trainSamples / (trainNanos / 1e9), lastTerms);
    }

    private static String formatTerms(Map<String, Double> terms) {
        if (terms.size() <= 1) {
            return "";
        }
        StringBuilder text = new StringBuilder("(");
        for (Map.Entry<String, Double> entry : terms.entrySet()) {
            if (text.length() > 1) {
                text.append(' ');
            }
            text.append(entry.getKey()).append(' ').append(String.format("%.4f", entry.getValue()));
        }
        return text.append(')').toString();
    }

    private static long countCorrect(NDArray logits, NDArray labels) {
        return logits.argMax(1).toType(labels.getDataType(), false).eq(labels).sum().getLong();
    }

    static int[] permutation(int size, Random random) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    private static Optimizer optimizer(TrainConfig config, int stepsPerEpoch, long totalSteps) {
        Tracker schedule = update -> (float) currentLearningRate(config, update, stepsPerEpoch, totalSteps);
        float weightDecay = config.weightDecay().floatValue();
        if (config.optimizer().equals("sgd")) {
            return Optimizer.sgd()
                    .setLearningRateTracker(schedule)
                    .optMomentum(config.momentum().floatValue())
                    .optWeightDecays(weightDecay)
                    .build();
        }
        if (config.optimizer().equals("adam")) {
            return Adam.builder().optLearningRateTracker(schedule).optWeightDecays(weightDecay).build();
        }
        return Optimizer.adamW().optLearningRateTracker(schedule).optWeightDecays(weightDecay).build();
    }

    /** Learning rate after {@code step} optimizer steps under the configured schedule. */
    static double currentLearningRate(TrainConfig config, long step, int stepsPerEpoch, long totalSteps) {
        double base = config.learningRate();
        return switch (config.schedule()) {
            case "cosine" -> base * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, step / (double) totalSteps)));
            case "step" -> base * Math.pow(config.stepGamma(), Math.floor(step / (double) (stepsPerEpoch * config.stepEpochs())));
            default -> base;
        };
    }
}
