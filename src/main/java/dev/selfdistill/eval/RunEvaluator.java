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

/**
 * Evaluates a trained network on the test split (accuracy, macro-F1, NLL, ECE with 15 bins,
 * Brier score), on the test split with each modality missing in turn, and on the clean training
 * split (for the generalisation gap).
 */
public final class RunEvaluator {
    /** Number of equal-width confidence bins of the expected calibration error. */
    public static final int ECE_BINS = 15;

    private RunEvaluator() {}

    /**
     * Probabilities kept from an evaluation, so that ensembles can be scored without the models.
     *
     * @param test fused probabilities on the test split, [sample][class]
     * @param withoutModality per modality, test probabilities with that modality missing
     * @param train fused probabilities on the clean training split
     * @param testOutputs everything the network returned on the test split
     */
    public record Predictions(float[][] test, List<float[][]> withoutModality, float[][] train, Inference.Outputs testOutputs) {}

    /** Runs the network on every split needed and returns its predictions. */
    public static Predictions predict(MultimodalNet net, MultimodalDataset train, MultimodalDataset test, NDManager manager) {
        Inference.Outputs testOutputs = Inference.run(net, test, manager);
        List<float[][]> missing = new ArrayList<>();
        // With a single modality, removing it leaves no input, so there is nothing to measure.
        for (int m = 0; test.modalities().size() > 1 && m < test.modalities().size(); m++) {
            missing.add(softmax(Inference.logits(net, test.withoutModality(m), manager)));
        }
        float[][] trainProbabilities = softmax(Inference.logits(net, train, manager));
        return new Predictions(softmax(testOutputs.logits()), missing, trainProbabilities, testOutputs);
    }

    /** Computes the metrics of a set of predictions. */
    public static Map<String, Double> metrics(Predictions predictions, MultimodalDataset train, MultimodalDataset test) {
        int[] testLabels = test.labels();
        Map<String, Double> metrics = new LinkedHashMap<>();
        double testAccuracy = ClassificationMetrics.accuracy(predictions.test(), testLabels);
        metrics.put(Metrics.TEST_ACCURACY, testAccuracy);
        metrics.put(Metrics.TEST_MACRO_F1, ClassificationMetrics.macroF1(predictions.test(), testLabels));
        metrics.put(Metrics.TEST_NLL, ClassificationMetrics.negativeLogLikelihood(predictions.test(), testLabels));
        metrics.put(Metrics.TEST_ECE, ClassificationMetrics.expectedCalibrationError(predictions.test(), testLabels, ECE_BINS));
        metrics.put(Metrics.TEST_BRIER, ClassificationMetrics.brierScore(predictions.test(), testLabels));
        for (int m = 0; m < predictions.withoutModality().size(); m++) {
            metrics.put(Metrics.ACCURACY_WITHOUT + test.modalities().get(m), ClassificationMetrics.accuracy(predictions.withoutModality().get(m), testLabels));
        }
        double trainAccuracy = ClassificationMetrics.accuracy(predictions.train(), train.labels());
        metrics.put(Metrics.TRAIN_ACCURACY, trainAccuracy);
        metrics.put(Metrics.GENERALISATION_GAP, trainAccuracy - testAccuracy);
        return metrics;
    }

    /** Averages the probabilities of several models (an ensemble) and returns the result. */
    public static Predictions average(List<Predictions> members) {
        int modalities = members.get(0).withoutModality().size();
        List<float[][]> missing = new ArrayList<>();
        for (int m = 0; m < modalities; m++) {
            int index = m;
            missing.add(mean(members.stream().map(p -> p.withoutModality().get(index)).toList()));
        }
        return new Predictions(mean(members.stream().map(Predictions::test).toList()), missing, mean(members.stream().map(Predictions::train).toList()), null);
    }

    private static float[][] mean(List<float[][]> arrays) {
        float[][] result = new float[arrays.get(0).length][];
        for (int i = 0; i < result.length; i++) {
            float[] row = new float[arrays.get(0)[i].length];
            for (float[][] array : arrays) {
                for (int c = 0; c < row.length; c++) {
                    row[c] += array[i][c] / arrays.size();
                }
            }
            result[i] = row;
        }
        return result;
    }

    /** Applies a softmax at temperature 1 to every row. */
    public static float[][] softmax(float[][] logits) {
        float[][] probabilities = new float[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            probabilities[i] = ClassificationMetrics.softmax(logits[i], 1.0);
        }
        return probabilities;
    }
}
