package dev.selfdistill.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.eval.EmbeddingMetrics.KnnResult;
import dev.selfdistill.eval.EmbeddingMetrics.LinearProbeResult;
import dev.selfdistill.eval.EmbeddingMetrics.RetrievalResult;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EmbeddingMetricsTest {
    private static final double EPS = 1e-9;

    // Query (1, 0). Train: one class-0 row at similarity 1, two class-1 rows at similarity 0.6
    // (0.6, +-0.8), and a class-1 row at similarity -1 that only k = 4 reaches.
    private static final float[][] KNN_TRAIN = {{1, 0}, {0.6f, 0.8f}, {0.6f, -0.8f}, {-1, 0}};
    private static final int[] KNN_TRAIN_LABELS = {0, 1, 1, 1};
    private static final float[][] KNN_QUERY = {{2, 0}};

    @Test
    void knnSharpWeightsPickNearest() {
        // tau = 0.07, k = 3: class 0 scores exp(1/0.07) = exp(14.29); class 1 scores
        // 2 exp(0.6/0.07) = 2 exp(8.57). The single nearest row wins by a factor of about 150,
        // although a plain majority vote would give class 1.
        KnnResult result =
                EmbeddingMetrics.knn(
                        KNN_TRAIN, KNN_TRAIN_LABELS, KNN_QUERY, new int[] {0}, 3, 0.07);
        assertArrayEquals(new int[] {0}, result.predictions());
        assertEquals(1.0, result.accuracy(), EPS);
    }

    @Test
    void knnFlatWeightsPickMajority() {
        // tau = 10, k = 3: class 0 scores exp(0.1) = 1.105; class 1 scores 2 exp(0.06) = 2.124.
        KnnResult result =
                EmbeddingMetrics.knn(KNN_TRAIN, KNN_TRAIN_LABELS, KNN_QUERY, new int[] {0}, 3, 10);
        assertArrayEquals(new int[] {1}, result.predictions());
        assertEquals(0.0, result.accuracy(), EPS);
    }

    @Test
    void knnOnlyTopKVote() {
        // tau = 0.5, k = 2: neighbours are the class-0 row (weight exp(2) = 7.389) and the lower
        // train index of the two rows tied at 0.6, which is row 1 (weight exp(1.2) = 3.320), so
        // class 0 wins. With k = 3 class 1 gets 2 * 3.320 = 6.640, still below 7.389. With k = 4
        // the row at -1 adds exp(-2) = 0.135 to class 1: 6.776, still class 0.
        for (int k = 2; k <= 4; k++) {
            int[] predicted =
                    EmbeddingMetrics.knnPredict(KNN_TRAIN, KNN_TRAIN_LABELS, KNN_QUERY, k, 0.5);
            assertArrayEquals(new int[] {0}, predicted, "k = " + k);
        }
        // tau = 0.6 gives class 0 exp(1.667) = 5.294 against class 1 2 exp(1) = 5.437 at k = 3.
        assertArrayEquals(
                new int[] {0},
                EmbeddingMetrics.knnPredict(KNN_TRAIN, KNN_TRAIN_LABELS, KNN_QUERY, 2, 0.6));
        assertArrayEquals(
                new int[] {1},
                EmbeddingMetrics.knnPredict(KNN_TRAIN, KNN_TRAIN_LABELS, KNN_QUERY, 3, 0.6));
    }

    @Test
    void knnTieKeepsLowerTrainIndex() {
        // Rows 0 and 1 both have similarity 0.6 to the query; with k = 1 the lower index wins.
        float[][] train = {{0.6f, 0.8f}, {0.6f, -0.8f}};
        assertArrayEquals(
                new int[] {0},
                EmbeddingMetrics.knnPredict(train, new int[] {0, 1}, KNN_QUERY, 1, 0.07));
        assertArrayEquals(
                new int[] {1},
                EmbeddingMetrics.knnPredict(train, new int[] {1, 0}, KNN_QUERY, 1, 0.07));
    }

    @Test
    void knnManyQueriesMatchSingleQueries() {
        // More queries than one block of 16 exercise the blocked kernel and its remainder path.
        Random random = new Random(7);
        float[][] train = gaussian(random, 50, 6);
        int[] labels = new int[50];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % 3;
        }
        float[][] queries = gaussian(random, 37, 6);
        int[] together = EmbeddingMetrics.knnPredict(train, labels, queries, 5, 0.1);
        for (int q = 0; q < queries.length; q++) {
            int[] alone =
                    EmbeddingMetrics.knnPredict(train, labels, new float[][] {queries[q]}, 5, 0.1);
            assertEquals(alone[0], together[q], "query " + q);
        }
    }

    @Test
    void knnRejectsWidthMismatch() {
        assertThrows(
                IllegalArgumentException.class,
                () -> EmbeddingMetrics.knnPredict(
                        KNN_TRAIN, KNN_TRAIN_LABELS, new float[][] {{1, 0, 0}}, 3, 0.07));
    }

    @Test
    void linearProbeSeparableReachesFullAccuracy() {
        // Three classes centred at 4 e_c in 5 dimensions with noise in [-0.5, 0.5]: the classes
        // are linearly separable, so every test row must be classified correctly.
        Random random = new Random(42);
        int dim = 5;
        float[][] train = new float[150][];
        int[] trainLabels = new int[150];
        float[][] validation = new float[60][];
        int[] validationLabels = new int[60];
        float[][] test = new float[60][];
        int[] testLabels = new int[60];
        fillClusters(random, train, trainLabels, dim);
        fillClusters(random, validation, validationLabels, dim);
        fillClusters(random, test, testLabels, dim);
        LinearProbeResult result =
                EmbeddingMetrics.linearProbe(
                        train, trainLabels, validation, validationLabels, test, testLabels);
        assertEquals(1.0, result.testAccuracy(), EPS);
        assertEquals(1.0, result.validationAccuracy(), EPS);
        // Every lambda separates these clusters, so the tie rule picks the largest.
        assertEquals(0.1, result.lambda(), EPS);
        assertEquals(60, result.testProbabilities().length);
        for (float[] row : result.testProbabilities()) {
            double sum = 0;
            for (float p : row) {
                sum += p;
            }
            assertEquals(1.0, sum, 1e-5);
        }
    }

    @Test
    void softmaxRegressionGradientMatchesFiniteDifferences() {
        Random random = new Random(11);
        int rows = 7;
        int dim = 3;
        int classes = 4;
        double[] x = new double[rows * dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextGaussian();
        }
        int[] labels = {0, 1, 2, 3, 0, 1, 2};
        SoftmaxRegression model = new SoftmaxRegression(x, rows, dim, labels, classes);
        double[] theta = new double[model.parameterCount()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = 0.3 * random.nextGaussian();
        }

        double lambda = 0.2;
        double[] gradient = new double[theta.length];
        model.lossAndGradient(theta, lambda, gradient);

        double h = 1e-6;
        double[] ignored = new double[theta.length];
        for (int p = 0; p < theta.length; p++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[p] += h;
            minus[p] -= h;
            double numeric =
                    (model.lossAndGradient(plus, lambda, ignored)
                                    - model.lossAndGradient(minus, lambda, ignored))
                            / (2 * h);
            assertEquals(numeric, gradient[p], 1e-7, "parameter " + p);
        }
    }

    @Test
    void lbfgsFindsQuadraticMinimum() {
        // f(x) = sum_i (i + 1) (x_i - i)^2 has its minimum 0 at x_i = i.
        Lbfgs.Objective quadratic =
                (x, g) -> {
                    double f = 0;
                    for (int i = 0; i < x.length; i++) {
                        double r = x[i] - i;
                        f += (i + 1) * r * r;
                        g[i] = 2 * (i + 1) * r;
                    }
                    return f;
                };
        Lbfgs.Result result = Lbfgs.minimize(quadratic, new double[6], 100, 1e-10);
        assertTrue(result.converged());
        for (int i = 0; i < 6; i++) {
            assertEquals(i, result.x()[i], 1e-8, "x_" + i);
        }
    }

    // Gallery of 14 one-hot rows, so a query's cosine similarity to row j is w_j / ||w||.
    // Label 0 sits at rows 1, 3, 6; label 1 at the other 11 rows; label 2 nowhere.
    private static final int[] GALLERY_LABELS = {1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1};

    @Test
    void retrievalRecallAndMapByHand() {
        float[][] gallery = new float[14][14];
        for (int j = 0; j < 14; j++) {
            gallery[j][j] = 1;
        }
        float[][] queries = {
            // A, label 0, ranking rows 0..13: relevant at ranks 2, 4, 7.
            ranking(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13),
            // B, label 2: no relevant row, so it is skipped.
            ranking(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13),
            // C, label 1, ranking rows 13..0: relevant at ranks 1-7, 9, 10, 12, 14.
            ranking(13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
            // D, label 0: relevant (rows 1, 3, 6) at ranks 8, 9, 14.
            ranking(0, 2, 4, 5, 7, 8, 9, 1, 3, 10, 11, 12, 13, 6),
            // E, label 0: relevant at ranks 12, 13, 14, after all 11 rows of label 1.
            ranking(0, 2, 4, 5, 7, 8, 9, 10, 11, 12, 13, 1, 3, 6),
        };

        int[] queryLabels = {0, 2, 1, 0, 0};
        RetrievalResult result =
                EmbeddingMetrics.retrieval(queries, queryLabels, gallery, GALLERY_LABELS);
        assertEquals(5, result.queries());
        assertEquals(1, result.skippedQueries());
        // First relevant ranks of A, C, D, E: 2, 1, 8, 12.
        assertEquals(1.0 / 4, result.recallAt1(), EPS);
        assertEquals(2.0 / 4, result.recallAt5(), EPS);
        assertEquals(3.0 / 4, result.recallAt10(), EPS);
        double apA = (1.0 / 2 + 2.0 / 4 + 3.0 / 7) / 3; // 0.4761904762
        double apC =
                (7 + 8.0 / 9 + 9.0 / 10 + 10.0 / 12 + 11.0 / 14) / 11; // 0.9461760462
        double apD = (1.0 / 8 + 2.0 / 9 + 3.0 / 14) / 3; // 0.1871693122
        double apE = (1.0 / 12 + 2.0 / 13 + 3.0 / 14) / 3; // 0.1504884005
        assertEquals((apA + apC + apD + apE) / 4, result.meanAveragePrecision(), 1e-7);
    }

    @Test
    void retrievalTiesRankLowerIndexFirst() {
        // Rows 0 and 1 are identical; row 0 (label 1) ranks first, so recall@1 is 0 for label 0.
        float[][] gallery = {{1, 0}, {1, 0}, {0, 1}};
        int[] galleryLabels = {1, 0, 1};
        RetrievalResult result =
                EmbeddingMetrics.retrieval(
                        new float[][] {{1, 0}}, new int[] {0}, gallery, galleryLabels);
        assertEquals(0.0, result.recallAt1(), EPS);
        assertEquals(1.0, result.recallAt5(), EPS);
        // The single relevant row is at rank 2: AP = 1/2.
        assertEquals(0.5, result.meanAveragePrecision(), EPS);
    }

    @Test
    void rankDescendingMatchesComparisonSort() {
        // Values drawn from a few levels give many ties; negatives and both zeros are included.
        Random random = new Random(5);
        float[] levels = {-1f, -0.5f, -0.0f, 0.0f, 1e-30f, 0.25f, 0.7f, 1f};
        float[] similarities = new float[500];
        Integer[] expected = new Integer[similarities.length];
        for (int g = 0; g < similarities.length; g++) {
            similarities[g] = g % 3 == 0
                    ? levels[random.nextInt(levels.length)]
                    : (float) (2 * random.nextDouble() - 1);
            expected[g] = g;
        }
        // Highest similarity first; -0.0 equals 0.0; equal values by lower index first.
        java.util.Arrays.sort(expected, (a, b) -> {
            float x = similarities[a] + 0.0f;
            float y = similarities[b] + 0.0f;
            return x != y ? Float.compare(y, x) : Integer.compare(a, b);
        });
        int[] actual = EmbeddingMetrics.rankDescending(similarities);
        for (int rank = 0; rank < expected.length; rank++) {
            assertEquals(expected[rank], actual[rank], "rank " + rank);
        }
    }

    @Test
    void protocolIsOneSentence() {
        String protocol = EmbeddingMetrics.protocol();
        assertTrue(protocol.endsWith("."), protocol);
        assertFalse(protocol.contains(". "), protocol);
    }

    @Test
    void trapezoidOfIdentityIsHalf() {
        assertEquals(0.5, EmbeddingMetrics.trapezoidArea(new double[] {0, 1}, new double[] {0, 1}),
                EPS);
        assertEquals(0.5, EmbeddingMetrics.trapezoidArea(
                new double[] {0, 0.25, 0.5, 1}, new double[] {0, 0.25, 0.5, 1}), EPS);
    }

    @Test
    void trapezoidOfPiecewiseCurve() {
        // Points (0, 2), (1, 2), (3, 0), (4, 1):
        // [0, 1]: 1 * (2 + 2) / 2 = 2; [1, 3]: 2 * (2 + 0) / 2 = 2; [3, 4]: 1 * (0 + 1) / 2 = 0.5.
        double area =
                EmbeddingMetrics.trapezoidArea(
                        new double[] {0, 1, 3, 4}, new double[] {2, 2, 0, 1});
        assertEquals(4.5, area, EPS);
    }

    @Test
    void trapezoidRejectsDecreasingX() {
        assertThrows(
                IllegalArgumentException.class,
                () -> EmbeddingMetrics.trapezoidArea(new double[] {0, 2, 1}, new double[3]));
    }

    @Test
    void relativeRobustnessByHand() {
        // Area: 0.5 * (0.8 + 0.6) / 2 + 0.5 * (0.6 + 0.2) / 2 = 0.35 + 0.2 = 0.55.
        // RR = 0.55 / ((1 - 0) * 0.8) = 0.6875.
        double rr =
                EmbeddingMetrics.relativeRobustness(
                        new double[] {0, 0.5, 1}, new double[] {0.8, 0.6, 0.2}, 0.8);
        assertEquals(0.6875, rr, EPS);
        // A flat curve at the clean accuracy gives exactly 1.
        assertEquals(1.0, EmbeddingMetrics.relativeRobustness(
                new double[] {0, 0.3, 0.6}, new double[] {0.7, 0.7, 0.7}, 0.7), EPS);
    }

    /** Returns a query row whose similarity order over the one-hot gallery is {@code rows}. */
    private static float[] ranking(int... rows) {
        float[] query = new float[rows.length];
        for (int rank = 0; rank < rows.length; rank++) {
            query[rows[rank]] = rows.length - rank;
        }
        return query;
    }

    private static float[][] gaussian(Random random, int rows, int dim) {
        float[][] x = new float[rows][dim];
        for (float[] row : x) {
            for (int j = 0; j < dim; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return x;
    }

    private static void fillClusters(Random random, float[][] rows, int[] labels, int dim) {
        for (int i = 0; i < rows.length; i++) {
            labels[i] = i % 3;
            rows[i] = new float[dim];
            for (int j = 0; j < dim; j++) {
                rows[i][j] = (float) (random.nextDouble() - 0.5);
            }
            rows[i][labels[i]] += 4;
        }
    }
}
