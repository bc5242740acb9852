package dev.selfdistill.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * Metrics of a classifier's predicted class probabilities: accuracy, macro-F1, negative
 * log-likelihood, expected calibration error, Brier score and reliability bins.
 *
 * <p>Every method takes {@code probs} as an N x C array (row i is the predicted distribution of
 * sample i over C classes) and {@code labels} as N true class indices in [0, C). Rows are used
 * as given: they are not renormalised. The methods raise IllegalArgumentException when the
 * array is empty or ragged, contains a non-finite value, or when a label is out of range or the
 * label count differs from the row count.
 */
public final class ClassificationMetrics {
    /** Probabilities below this are raised to it before the logarithm in the NLL. */
    public static final double NLL_FLOOR = 1e-12;

    private ClassificationMetrics() {}

    /**
     * One bin of a reliability diagram over the max probability (confidence).
     *
     * @param lower lower edge of the bin, excluded except for the first bin, which includes 0
     * @param upper upper edge of the bin, included
     * @param count number of samples whose confidence falls in the bin
     * @param meanConfidence mean confidence of those samples, NaN when the bin is empty
     * @param accuracy fraction of those samples whose argmax equals the label, NaN when empty
     */
    public record ReliabilityBin(
            double lower, double upper, int count, double meanConfidence, double accuracy) {}

    /**
     * Returns the index of the largest entry, the lowest such index when several are equal.
     *
     * @throws IllegalArgumentException when {@code values} is null or empty
     */
    public static int argmax(float[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("argmax needs a non-empty array");
        }
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Returns the argmax of each row of {@code probs}, the predicted class per sample. */
    public static int[] predict(float[][] probs) {
        Inputs.requireMatrix("probs", probs);
        int[] predicted = new int[probs.length];
        for (int i = 0; i < probs.length; i++) {
            predicted[i] = argmax(probs[i]);
        }
        return predicted;
    }

    /**
     * Returns softmax(logits / temperature) with the maximum logit subtracted before {@code exp},
     * so large logits do not overflow: p_c = exp((z_c - max z) / T) / sum_k exp((z_k - max z) /
     * T). The arithmetic is in double precision and the result is rounded to float.
     *
     * @param temperature T, finite and greater than 0, where T = 1 gives the ordinary softmax
     * @throws IllegalArgumentException when the logits are empty or not finite, or T is not a
     *     finite positive number
     */
    public static float[] softmax(float[] logits, double temperature) {
        if (logits == null || logits.length == 0) {
            throw new IllegalArgumentException("softmax needs a non-empty logits array");
        }
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException(
                    "temperature must be finite and greater than 0, but is " + temperature);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) {
            if (!Float.isFinite(logits[i])) {
                throw new IllegalArgumentException(
                        "logits[" + i + "] is " + logits[i] + ", but every logit must be finite");
            }
            max = Math.max(max, logits[i]);
        }
        double[] exps = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            exps[i] = Math.exp((logits[i] - max) / temperature);
            sum += exps[i];
        }
        float[] probs = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            probs[i] = (float) (exps[i] / sum);
        }
        return probs;
    }

    /** Returns the fraction of samples whose argmax equals the label, in [0, 1]. */
    public static double accuracy(float[][] probs, int[] labels) {
        validate(probs, labels);
        int correct = 0;
        for (int i = 0; i < probs.length; i++) {
            if (argmax(probs[i]) == labels[i]) {
                correct++;
            }
        }
        return (double) correct / probs.length;
    }

    /**
     * Returns the C x C confusion matrix of argmax predictions: entry [t][p] counts the samples
     * with true class t predicted as p.
     */
    public static int[][] confusionMatrix(float[][] probs, int[] labels) {
        int classes = validate(probs, labels);
        return confusionMatrix(predict(probs), labels, classes);
    }

    /**
     * Returns the confusion matrix of hard predictions: entry [t][p] counts the samples with true
     * class t predicted as p.
     *
     * @throws IllegalArgumentException when the arrays differ in length or an entry lies outside
     *     [0, classes)
     */
    public static int[][] confusionMatrix(int[] predicted, int[] labels, int classes) {
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be at least 1, but is " + classes);
        }
        if (predicted == null) {
            throw new IllegalArgumentException("predicted is null");
        }
        Inputs.requireLabels("predicted", predicted, predicted.length, classes);
        Inputs.requireLabels("labels", labels, predicted.length, classes);
        int[][] matrix = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            matrix[labels[i]][predicted[i]]++;
        }
        return matrix;
    }

    /**
     * Returns the macro-averaged F1 of the argmax predictions, as defined in {@link
     * #macroF1(int[][])}.
     */
    public static double macroF1(float[][] probs, int[] labels) {
        return macroF1(confusionMatrix(probs, labels));
    }

    /**
     * Returns the macro-averaged F1 of hard predictions over {@code classes} classes, as defined
     * in {@link #macroF1(int[][])}.
     */
    public static double macroF1(int[] predicted, int[] labels, int classes) {
        return macroF1(confusionMatrix(predicted, labels, classes));
    }

    /**
     * Returns the unweighted mean over classes of F1_c = 2 TP_c / (2 TP_c + FP_c + FN_c), which
     * equals 2 P R / (P + R). A class absent from both the labels and the predictions is left out
     * of the mean, because its F1 is 0 / 0. A class that is never predicted has precision 0 and
     * so F1 0. Returns NaN for an empty confusion matrix.
     *
     * @param confusion entry [t][p] counts samples of true class t predicted as p
     */
    public static double macroF1(int[][] confusion) {
        int classes = confusion.length;
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            long truePositives = confusion[c][c];
            long falseNegatives = 0;
            long falsePositives = 0;
            for (int k = 0; k < classes; k++) {
                if (k != c) {
                    falseNegatives += confusion[c][k];
                    falsePositives += confusion[k][c];
                }
            }
            long denominator = 2 * truePositives + falsePositives + falseNegatives;
            if (denominator == 0) {
                continue;
            }
            sum += 2.0 * truePositives / denominator;
            counted++;
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /**
     * Returns the mean negative log-likelihood of the true class, (1/N) sum_i -ln max(p_i,y_i,
     * 1e-12), in nats. The floor keeps a zero probability from giving an infinite mean: one such
     * sample adds ln(1e12) / N, about 27.6 / N.
     */
    public static double negativeLogLikelihood(float[][] probs, int[] labels) {
        validate(probs, labels);
        double sum = 0;
        for (int i = 0; i < probs.length; i++) {
            sum -= Math.log(Math.max(probs[i][labels[i]], NLL_FLOOR));
        }
        return sum / probs.length;
    }

    /**
     * Returns the Brier score for C classes, (1/N) sum_i sum_c (p_ic - [y_i = c])^2, in [0, 2]
     * for probability rows (Brier, 1950, "Verification of forecasts expressed in terms of
     * probability", Monthly Weather Review 78(1)).
     */
    public static double brierScore(float[][] probs, int[] labels) {
        validate(probs, labels);
        double sum = 0;
        for (int i = 0; i < probs.length; i++) {
            for (int c = 0; c < probs[i].length; c++) {
                double target = c == labels[i] ? 1 : 0;
                double error = probs[i][c] - target;
                sum += error * error;
            }
        }
        return sum / probs.length;
    }

    /**
     * Returns the expected calibration error over {@code bins} equal-width confidence bins, ECE =
     * sum_b (n_b / N) |acc_b - conf_b|, where conf is the max probability of a row and acc_b the
     * accuracy of the argmax in bin b (Guo, Pleiss, Sun and Weinberger, 2017, "On Calibration
     * of Modern Neural Networks", ICML). Bins follow {@link #reliability}. Empty bins add 0.
     */
    public static double expectedCalibrationError(float[][] probs, int[] labels, int bins) {
        double ece = 0;
        for (ReliabilityBin bin : reliability(probs, labels, bins)) {
            if (bin.count() > 0) {
                ece += (double) bin.count() / probs.length
                        * Math.abs(bin.accuracy() - bin.meanConfidence());
            }
        }
        return ece;
    }

    /**
     * Sorts the samples into {@code bins} equal-width bins by confidence (the max probability of
     * the row) and returns each bin's count, mean confidence and accuracy, in order of
     * confidence. Bin i covers (i/B, (i+1)/B], and a confidence of exactly 0 goes in the first
     * bin. The edges are rounded to float before the comparison, as in float32 PyTorch code for
     * this ECE, so that a confidence stored as {@code 0.2f} falls in (0, 0.2] although that
     * float lies slightly above 0.2.
     *
     * @throws IllegalArgumentException when {@code bins} is less than 1, or on invalid arrays
     */
    public static List<ReliabilityBin> reliability(float[][] probs, int[] labels, int bins) {
        validate(probs, labels);
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, but is " + bins);
        }
        int[] counts = new int[bins];
        int[] correct = new int[bins];
        double[] confidenceSums = new double[bins];
        for (int i = 0; i < probs.length; i++) {
            int predicted = argmax(probs[i]);
            float confidence = probs[i][predicted];
            int bin = binIndex(confidence, bins);
            counts[bin]++;
            confidenceSums[bin] += confidence;
            if (predicted == labels[i]) {
                correct[bin]++;
            }
        }
        List<ReliabilityBin> result = new ArrayList<>(bins);
        for (int b = 0; b < bins; b++) {
            double meanConfidence = counts[b] == 0 ? Double.NaN : confidenceSums[b] / counts[b];
            double accuracy = counts[b] == 0 ? Double.NaN : (double) correct[b] / counts[b];
            result.add(
                    new ReliabilityBin(
                            (double) b / bins,
                            (double) (b + 1) / bins,
                            counts[b],
                            meanConfidence,
                            accuracy));
        }
        return result;
    }

    /** Returns the bin b with upperEdge(b - 1) < confidence <= upperEdge(b), clamped to range. */
    private static int binIndex(float confidence, int bins) {
        int bin = (int) Math.ceil((double) confidence * bins) - 1;
        bin = Math.max(0, Math.min(bins - 1, bin));
        // The double estimate can be one off from the float comparison, so step to agree with it.
        while (bin > 0 && confidence <= upperEdge(bin - 1, bins)) {
            bin--;
        }
        while (bin < bins - 1 && confidence > upperEdge(bin, bins)) {
            bin++;
        }
        return bin;
    }

    private static float upperEdge(int bin, int bins) {
        return (float) ((double) (bin + 1) / bins);
    }

    /** Checks the shapes and returns the number of classes C. */
    private static int validate(float[][] probs, int[] labels) {
        int classes = Inputs.requireMatrix("probs", probs);
        Inputs.requireLabels("labels", labels, probs.length, classes);
        return classes;
    }
}
