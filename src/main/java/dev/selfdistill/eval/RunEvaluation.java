package dev.selfdistill.eval;

import ai.djl.ndarray.NDManager;
import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.model.MultimodalNet;
import dev.selfdistill.study.Metrics;
import dev.selfdistill.train.Inference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every evaluation of one trained network, on clean inputs unless a sweep corrupts them:
 *
 * <ul>
 *   <li>the classifier metrics of {@link RunEvaluator} (test, missing modality, train);
 *   <li>frozen-embedding quality of the joint embedding and of each modality's embedding: a linear
 *       probe fitted on train with lambda chosen on validation from {@link #PROBE_LAMBDAS} and
 *       scored on test, and the weighted k-NN classifier (k = 20, tau = 0.07) with the training
 *       split as memory bank and the test split as queries ({@link EmbeddingMetrics});
 *   <li>cross-modal retrieval between the first two modalities' test embeddings in both directions,
 *       a retrieval counting as correct when the labels match;
 *   <li>the robustness sweeps of a {@link RobustnessSuite};
 *   <li>reliability bins of the test predictions and a PCA projection of the joint test embedding.
 * </ul>
 *
 * <p>Each split goes through the network once; the embeddings and logits of that pass serve all
 * measures.
 */
public final class RunEvaluation {
    private static final Logger LOG = LoggerFactory.getLogger(RunEvaluation.class);

    /**
     * L2 strengths the validation split chooses among for the linear probe. {@link
     * EmbeddingMetrics}'s default grid also tries 1e-5, the slowest fit. On the joint embedding of
     * a default-size AV-MNIST baseline (7,001 training rows, one epoch, one measurement) the
     * five-value grid took 14.9 CPU seconds and these four values 6.8, and validation chose 1e-4
     * either way.
     */
    public static final double[] PROBE_LAMBDAS = {1e-4, 1e-3, 1e-2, 1e-1};

    /**
     * Everything measured.
     *
     * @param metrics metric name to value, names from {@link Metrics}
     * @param predictions the probabilities kept for ensembles
     * @param evidence curves, reliability bins and projection for the report
     */
    public record Result(
            Map<String, Double> metrics,
            RunEvaluator.Predictions predictions,
            RunEvidence evidence) {}

    private RunEvaluation() {}

    /**
     * Evaluates {@code net} and returns its metrics, predictions and evidence. The metric {@link
     * Metrics#EVALUATION_SECONDS} is the wall time of this call.
     *
     * @param suite robustness sweeps built for {@code test}, or null to skip them
     */
    public static Result evaluate(
            MultimodalNet net,
            MultimodalDataset train,
            MultimodalDataset validation,
            MultimodalDataset test,
            RobustnessSuite suite,
            NDManager manager) {
        StageTimer timer = new StageTimer();
        Inference.Outputs trainOutputs = Inference.run(net, train, manager);
        Inference.Outputs validationOutputs = Inference.run(net, validation, manager);
        Inference.Outputs testOutputs = Inference.run(net, test, manager);
        // The missing-modality and robustness passes reuse the clean test embeddings when the
        // fusion alone reproduces this network's forward pass.
        boolean reuse = FusedInference.matchesForward(net, test, testOutputs, manager);
        if (!reuse) {
            LOG.warn(
                    "The fused logits from stored embeddings differ from the forward pass, so the"
                            + " missing-modality and robustness passes run the whole network");
        }
        List<float[][]> missing = new ArrayList<>();
        // With a single modality, removing it leaves no input, so there is nothing to measure.
        for (int m = 0; test.modalities().size() > 1 && m < test.modalities().size(); m++) {
            missing.add(
                    RunEvaluator.softmax(
                            FusedInference.without(net, test, testOutputs, m, reuse, manager)));
        }
        RunEvaluator.Predictions predictions =
                new RunEvaluator.Predictions(
                        RunEvaluator.softmax(testOutputs.logits()),
                        missing,
                        RunEvaluator.softmax(trainOutputs.logits()),
                        testOutputs);
        Map<String, Double> metrics =
                new LinkedHashMap<>(RunEvaluator.metrics(predictions, train, test));
        timer.end("inference");

        putEmbeddingQuality(
                metrics,
                Metrics.JOINT,
                trainOutputs.joint(),
                validationOutputs.joint(),
                testOutputs.joint(),
                train,
                validation,
                test);
        for (int m = 0; m < test.modalities().size(); m++) {
            putEmbeddingQuality(
                    metrics,
                    test.modalities().get(m),
                    trainOutputs.embeddings()[m],
                    validationOutputs.embeddings()[m],
                    testOutputs.embeddings()[m],
                    train,
                    validation,
                    test);
        }
        timer.end("probes and k-NN");
        if (test.modalities().size() >= 2) {
            putRetrieval(metrics, test, testOutputs, 0, 1);
            putRetrieval(metrics, test, testOutputs, 1, 0);
        }
        timer.end("retrieval");

        List<RobustnessCurve> curves = List.of();
        if (suite != null) {
            curves = suite.evaluate(net, test, testOutputs, reuse, manager);
            for (RobustnessCurve curve : curves) {
                metrics.put(Metrics.robustnessAuc(curve.sweep()), curve.area());
                metrics.put(Metrics.relativeRobustness(curve.sweep()), curve.relative());
            }
        }
        int[] testLabels = test.labels();
        RunEvidence evidence =
                new RunEvidence(
                        curves,
                        ClassificationMetrics.reliability(
                                predictions.test(), testLabels, RunEvaluator.ECE_BINS),
                        Projection.principalComponents(testOutputs.joint(), testLabels));
        timer.end("robustness and projection");
        metrics.put(Metrics.EVALUATION_SECONDS, timer.totalSeconds());
        LOG.info("Evaluated in {}", timer.summary());
        return new Result(metrics, predictions, evidence);
    }

    /**
     * Wall and CPU seconds of consecutive stages. CPU time is the whole process's, native threads
     * included, so it shows the cost apart from other processes competing for the cores.
     */
    private static final class StageTimer {
        private final double wallStart = System.nanoTime() / 1e9;
        private final double cpuStart = processCpuSeconds();
        private double lastWall = wallStart;
        private double lastCpu = cpuStart;
        private final List<String> stages = new ArrayList<>();

        void end(String stage) {
            double wall = System.nanoTime() / 1e9;
            double cpu = processCpuSeconds();
            stages.add(
                    String.format("%s %.1f s (CPU %.1f s)", stage, wall - lastWall, cpu - lastCpu));
            lastWall = wall;
            lastCpu = cpu;
        }

        double totalSeconds() {
            return lastWall - wallStart;
        }

        String summary() {
            return String.format("%.1f s (CPU %.1f s): ", lastWall - wallStart, lastCpu - cpuStart)
                    + String.join(", ", stages);
        }

        private static double processCpuSeconds() {
            return ProcessHandle.current()
                    .info()
                    .totalCpuDuration()
                    .map(d -> d.toNanos() / 1e9)
                    .orElse(Double.NaN);
        }
    }

    /** Returns the evidence of an ensemble, which has predictions but no embeddings or model. */
    public static RunEvidence ensembleEvidence(
            RunEvaluator.Predictions ensemble, MultimodalDataset test) {
        return new RunEvidence(
                List.of(),
                ClassificationMetrics.reliability(
                        ensemble.test(), test.labels(), RunEvaluator.ECE_BINS),
                null);
    }

    private static void putEmbeddingQuality(
            Map<String, Double> metrics,
            String name,
            float[][] trainRows,
            float[][] validationRows,
            float[][] testRows,
            MultimodalDataset train,
            MultimodalDataset validation,
            MultimodalDataset test) {
        EmbeddingMetrics.LinearProbeResult probe =
                EmbeddingMetrics.linearProbe(
                        trainRows,
                        train.labels(),
                        validationRows,
                        validation.labels(),
                        testRows,
                        test.labels(),
                        PROBE_LAMBDAS);
        metrics.put(Metrics.PROBE_ACCURACY + name, probe.testAccuracy());
        EmbeddingMetrics.KnnResult knn =
                EmbeddingMetrics.knn(trainRows, train.labels(), testRows, test.labels());
        metrics.put(Metrics.KNN_ACCURACY + name, knn.accuracy());
    }

    private static void putRetrieval(
            Map<String, Double> metrics,
            MultimodalDataset test,
            Inference.Outputs outputs,
            int query,
            int gallery) {
        int[] labels = test.labels();
        EmbeddingMetrics.RetrievalResult result =
                EmbeddingMetrics.retrieval(
                        outputs.embeddings()[query], labels, outputs.embeddings()[gallery], labels);
        String from = test.modalities().get(query);
        String to = test.modalities().get(gallery);
        metrics.put(Metrics.retrieval(from, to, "recall_at_1"), result.recallAt1());
        metrics.put(Metrics.retrieval(from, to, "recall_at_5"), result.recallAt5());
        metrics.put(Metrics.retrieval(from, to, "recall_at_10"), result.recallAt10());
        metrics.put(Metrics.retrieval(from, to, "map"), result.meanAveragePrecision());
    }
}
