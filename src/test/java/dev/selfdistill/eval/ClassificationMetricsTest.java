package dev.selfdistill.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.eval.ClassificationMetrics.ReliabilityBin;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
    private static final double EPS = 1e-9;

    // Four samples whose confidences are exact in binary, for 4 bins with edges 0.25, 0.5, 0.75.
    private static final float[][] CALIBRATION_PROBS = {
        {0.875f, 0.125f}, // confidence 0.875, predicts 0, label 0: correct, bin (0.75, 1]
        {0.75f, 0.25f}, // confidence 0.75, predicts 0, label 1: wrong, bin (0.5, 0.75]
        {0.375f, 0.625f}, // confidence 0.625, predicts 1, label 1: correct, bin (0.5, 0.75]
        {1.0f, 0.0f}, // confidence 1.0, predicts 0, label 1: wrong, bin (0.75, 1]
    };
    private static final int[] CALIBRATION_LABELS = {0, 1, 1, 1};

    @Test
    void eceFourSamplesByHand() {
        // Bin (0.5, 0.75]: confidences 0.75, 0.625 -> mean 0.6875; accuracy 1/2.
        //   Contribution (2/4) * |0.5 - 0.6875| = 0.09375.
        // Bin (0.75, 1]: confidences 0.875, 1.0 -> mean 0.9375; accuracy 1/2.
        //   Contribution (2/4) * |0.5 - 0.9375| = 0.21875.
        // ECE = 0.3125. Were 0.75 put in the upper bin, ECE would be 0.5 instead.
        double ece =
                ClassificationMetrics.expectedCalibrationError(
                        CALIBRATION_PROBS, CALIBRATION_LABELS, 4);
        assertEquals(0.3125, ece, EPS);
    }

    @Test
    void reliabilityBinsByHand() {
        List<ReliabilityBin> bins =
                ClassificationMetrics.reliability(CALIBRATION_PROBS, CALIBRATION_LABELS, 4);
        assertEquals(4, bins.size());
        assertEquals(0, bins.get(0).count());
        assertTrue(Double.isNaN(bins.get(0).meanConfidence()));
        assertTrue(Double.isNaN(bins.get(1).accuracy()));
        assertEquals(0.5, bins.get(2).lower(), EPS);
        assertEquals(0.75, bins.get(2).upper(), EPS);
        assertEquals(2, bins.get(2).count());
        assertEquals(0.6875, bins.get(2).meanConfidence(), EPS);
        assertEquals(0.5, bins.get(2).accuracy(), EPS);
        assertEquals(2, bins.get(3).count());
        assertEquals(0.9375, bins.get(3).meanConfidence(), EPS);
        assertEquals(0.5, bins.get(3).accuracy(), EPS);
    }

    @Test
    void reliabilityEdgesInFloatPrecision() {
        // 0.2f is 0.200000003 in binary, but it must land in (0, 0.2] like the decimal 0.2.
        float[][] fifths = {{0.2f, 0.2f, 0.2f, 0.2f, 0.2f}};
        List<ReliabilityBin> bins = ClassificationMetrics.reliability(fifths, new int[] {0}, 5);
        assertEquals(1, bins.get(0).count());
        assertEquals(0, bins.get(1).count());
    }

    @Test
    void reliabilityZeroConfidenceInFirstBin() {
        float[][] zeros = {{0f, 0f}};
        List<ReliabilityBin> bins = ClassificationMetrics.reliability(zeros, new int[] {1}, 3);
        assertEquals(1, bins.get(0).count());
        assertEquals(0.0, bins.get(0).meanConfidence(), EPS);
        assertEquals(0.0, bins.get(0).accuracy(), EPS);
    }

    @Test
    void brierScoreByHand() {
        // Sample 0, label 0: (0.7-1)^2 + 0.2^2 + 0.1^2 = 0.09 + 0.04 + 0.01 = 0.14.
        // Sample 1, label 2: 0.2^2 + 0.5^2 + (0.3-1)^2 = 0.04 + 0.25 + 0.49 = 0.78.
        // Mean 0.46; float inputs limit agreement to about 1e-7.
        float[][] probs = {{0.7f, 0.2f, 0.1f}, {0.2f, 0.5f, 0.3f}};
        assertEquals(0.46, ClassificationMetrics.brierScore(probs, new int[] {0, 2}), 1e-6);
    }

    @Test
    void negativeLogLikelihoodByHand() {
        // -ln 0.7 = 0.3566749439, -ln 0.3 = 1.2039728043; mean 0.7803238741.
        float[][] probs = {{0.7f, 0.2f, 0.1f}, {0.2f, 0.5f, 0.3f}};
        double nll = ClassificationMetrics.negativeLogLikelihood(probs, new int[] {0, 2});
        assertEquals(0.7803238741, nll, 1e-6);
    }

    @Test
    void negativeLogLikelihoodClipsZero() {
        // p = 0 is raised to 1e-12: -ln 1e-12 = 12 ln 10 = 27.6310211159.
        float[][] probs = {{1f, 0f}};
        double nll = ClassificationMetrics.negativeLogLikelihood(probs, new int[] {1});
        assertEquals(12 * Math.log(10), nll, 1e-9);
    }

    @Test
    void macroF1SkipsAbsentClass() {
        // Labels 0 0 1 1 2, predictions 0 1 1 1 0, four classes of which class 3 never occurs.
        // Class 0: TP 1, FP 1 (sample 4), FN 1 (sample 1) -> F1 = 2/(2+1+1) = 0.5.
        // Class 1: TP 2, FP 1 (sample 1), FN 0 -> F1 = 4/5 = 0.8.
        // Class 2: TP 0, never predicted (precision 0), FN 1 -> F1 = 0.
        // Class 3: absent from labels and predictions -> skipped.
        // Macro-F1 = (0.5 + 0.8 + 0) / 3 = 0.4333...; counting class 3 would give 0.325.
        int[] labels = {0, 0, 1, 1, 2};
        int[] predicted = {0, 1, 1, 1, 0};
        assertEquals(1.3 / 3, ClassificationMetrics.macroF1(predicted, labels, 4), EPS);
    }

    @Test
    void macroF1FromProbabilities() {
        // Same case as above, written as probability rows whose argmax is the prediction.
        float[][] probs = {
            {0.7f, 0.1f, 0.1f, 0.1f},
            {0.1f, 0.7f, 0.1f, 0.1f},
            {0.1f, 0.7f, 0.1f, 0.1f},
            {0.1f, 0.7f, 0.1f, 0.1f},
            {0.7f, 0.1f, 0.1f, 0.1f},
        };
        int[] labels = {0, 0, 1, 1, 2};
        assertEquals(1.3 / 3, ClassificationMetrics.macroF1(probs, labels), EPS);
        // Correct: samples 0, 2, 3 -> 3/5.
        assertEquals(0.6, ClassificationMetrics.accuracy(probs, labels), EPS);
    }

    @Test
    void confusionMatrixCountsTrueByPredicted() {
        int[][] matrix =
                ClassificationMetrics.confusionMatrix(
                        new int[] {0, 1, 1, 1, 0}, new int[] {0, 0, 1, 1, 2}, 3);
        assertArrayEquals(new int[] {1, 1, 0}, matrix[0]);
        assertArrayEquals(new int[] {0, 2, 0}, matrix[1]);
        assertArrayEquals(new int[] {1, 0, 0}, matrix[2]);
    }

    @Test
    void softmaxByHand() {
        // Logits 1, 2, 3: exp(-2), exp(-1), 1 over their sum 1.5032147244.
        float[] p = ClassificationMetrics.softmax(new float[] {1, 2, 3}, 1.0);
        assertEquals(0.0900305732, p[0], 1e-7);
        assertEquals(0.2447284711, p[1], 1e-7);
        assertEquals(0.6652409558, p[2], 1e-7);
        // Temperature 2 halves the logits: exp(-1), exp(-0.5), 1 over 1.9744101009.
        float[] hot = ClassificationMetrics.softmax(new float[] {1, 2, 3}, 2.0);
        assertEquals(0.1863237232, hot[0], 1e-7);
        assertEquals(0.3071958857, hot[1], 1e-7);
        assertEquals(0.5064803911, hot[2], 1e-7);
    }

    @Test
    void softmaxLargeLogitsStable() {
        // Without subtracting the max, exp(1000) overflows to infinity and the result is NaN.
        float[] p = ClassificationMetrics.softmax(new float[] {1000, 1000, 0}, 1.0);
        assertEquals(0.5, p[0], 1e-7);
        assertEquals(0.5, p[1], 1e-7);
        assertEquals(0.0, p[2], 1e-7);
    }

    @Test
    void softmaxRejectsZeroTemperature() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ClassificationMetrics.softmax(new float[] {1, 2}, 0));
    }

    @Test
    void argmaxTieTakesFirst() {
        assertEquals(1, ClassificationMetrics.argmax(new float[] {0.1f, 0.45f, 0.45f}));
    }

    @Test
    void rejectsLabelCountMismatch() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ClassificationMetrics.accuracy(CALIBRATION_PROBS, new int[] {0}));
        assertTrue(e.getMessage().contains("1 entries but there are 4 rows"), e.getMessage());
    }

    @Test
    void rejectsLabelOutOfRange() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ClassificationMetrics.brierScore(
                                CALIBRATION_PROBS, new int[] {0, 1, 2, 0}));
        assertTrue(e.getMessage().contains("labels[2] is 2"), e.getMessage());
    }

    @Test
    void rejectsRaggedRows() {
        float[][] ragged = {{0.5f, 0.5f}, {1f}};
        assertThrows(
                IllegalArgumentException.class,
                () -> ClassificationMetrics.accuracy(ragged, new int[] {0, 0}));
    }

    @Test
    void rejectsNonFiniteProbability() {
        float[][] nan = {{Float.NaN, 0.5f}};
        assertThrows(
                IllegalArgumentException.class,
                () -> ClassificationMetrics.negativeLogLikelihood(nan, new int[] {0}));
    }
}
