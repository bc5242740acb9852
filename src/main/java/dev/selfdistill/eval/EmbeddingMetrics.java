package dev.selfdistill.eval;

import java.util.Arrays;

/**
 * Quality measures of learned embeddings: a weighted k-nearest-neighbour classifier, a linear
 * probe, cross-modal retrieval, and the area under an accuracy-versus-corruption curve.
 *
 * <p>Embeddings are {@code float[][]} arrays with one row per sample. Every method raises
 * IllegalArgumentException when an array is empty, ragged or contains a non-finite value. It
 * also raises it when two arrays that are compared differ in width, a label is negative, or the
 * label count differs from the row count.
 */
public final class EmbeddingMetrics {
    /** Default number of neighbours per query in the k-NN classifier. */
    public static final int DEFAULT_K = 20;

    /** Default temperature tau of the k-NN vote weights exp(similarity / tau). */
    public static final double DEFAULT_TAU = 0.07;

    /** Default L2 strengths of the linear probe, among which the validation set chooses. */
    private static final double[] DEFAULT_LAMBDAS = {1e-5, 1e-4, 1e-3, 1e-2, 1e-1};

    /** Floor on a feature's standard deviation, so a constant feature is not divided by 0. */
    public static final double SD_FLOOR = 1e-6;

    private static final int[] RECALL_KS = {1, 5, 10};

    private EmbeddingMetrics() {}

    /**
     * Output of the k-NN classifier.
     *
     * @param predictions predicted label of each query row
     * @param accuracy fraction of queries whose prediction equals their label, in [0, 1]
     */
    public record KnnResult(int[] predictions, double accuracy) {}

    /**
     * Output of the linear probe.
     *
     * @param lambda the L2 strength chosen on the validation set
     * @param validationAccuracy validation accuracy with that lambda, in [0, 1]
     * @param testAccuracy test accuracy with that lambda, in [0, 1]
     * @param testProbabilities predicted class probabilities of each test row (N_test x C, with
     *     C one more than the largest label in any of the three splits)
     */
    public record LinearProbeResult(
            double lambda,
            double validationAccuracy,
            double testAccuracy,
            float[][] testProbabilities) {}

    /**
     * Output of cross-modal retrieval, with the measures that {@link #retrieval} defines.
     *
     * @param queries number of query rows
     * @param skippedQueries queries left out of every average because no gallery item has their
     *     label, so no ranking could contain a relevant item
     * @param recallAt1 fraction of scored queries with a relevant item at rank 1
     * @param recallAt5 fraction of scored queries with a relevant item in the top 5
     * @param recallAt10 fraction of scored queries with a relevant item in the top 10
     * @param meanAveragePrecision mean over scored queries of the average precision
     */
    public record RetrievalResult(
            int queries,
            int skippedQueries,
            double recallAt1,
            double recallAt5,
            double recallAt10,
            double meanAveragePrecision) {}

    /**
     * Runs {@link #knn(float[][], int[], float[][], int[], int, double)} with k = 20 and tau =
     * 0.07.
     */
    public static KnnResult knn(
            float[][] train, int[] trainLabels, float[][] query, int[] queryLabels) {
        return knn(train, trainLabels, query, queryLabels, DEFAULT_K, DEFAULT_TAU);
    }

    /**
     * Classifies each query row by a weighted vote of its k nearest train rows and scores the
     * predictions against {@code queryLabels}. {@link #knnPredict} describes the rule.
     */
    public static KnnResult knn(
            float[][] train, int[] trainLabels, float[][] query, int[] queryLabels, int k,
            double tau) {
        int[] predictions = knnPredict(train, trainLabels, query, k, tau);
        Inputs.requireLabels("queryLabels", queryLabels, query.length, Integer.MAX_VALUE);
        int correct = 0;
        for (int i = 0; i < predictions.length; i++) {
            if (predictions[i] == queryLabels[i]) {
                correct++;
            }
        }
        return new KnnResult(predictions, (double) correct / predictions.length);
    }

    /**
     * Predicts a label for each query row with the weighted k-NN classifier of DINO (Caron et
     * al., 2021, "Emerging Properties in Self-Supervised Vision Transformers", ICCV). Train and
     * query rows are L2-normalised and compared by cosine similarity s. The k most similar train
     * rows each add exp(s / tau) to the score of their label, and the label with the highest
     * score is predicted.
     *
     * <p>Ties are broken towards the lower train index among equally similar neighbours and
     * towards the lower label among equal scores. When k exceeds the number of train rows, every
     * train row votes. Weights are computed as exp((s - s_max) / tau), which has the same ratios
     * and cannot overflow for a small tau. Similarities are computed in float arithmetic.
     *
     * @param k neighbours per query, at least 1
     * @param tau temperature, finite and greater than 0
     */
    public static int[] knnPredict(
            float[][] train, int[] trainLabels, float[][] query, int k, double tau) {
        int dim = Inputs.requireMatrix("train", train);
        requireSameWidth("query", query, "train", dim);
        Inputs.requireLabels("trainLabels", trainLabels, train.length, Integer.MAX_VALUE);
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, but is " + k);
        }
        if (!(tau > 0) || !Double.isFinite(tau)) {
            throw new IllegalArgumentException(
                    "tau must be finite and greater than 0, but is " + tau);
        }
        int neighbours = Math.min(k, train.length);
        int classes = Inputs.classCount(trainLabels);
        float[] trainFlat = CosineSimilarity.normalizeRows(train, dim);
        float[] queryFlat = CosineSimilarity.normalizeRows(query, dim);
        int[] predictions = new int[query.length];
        CosineSimilarity.forEachQuery(
                queryFlat, query.length, trainFlat, train.length, dim,
                (q, similarities) ->
                        predictions[q] =
                                vote(similarities, trainLabels, classes, neighbours, tau));
        return predictions;
    }

    /** Returns the label with the largest sum of exp(s / tau) over the top-k neighbours. */
    private static int vote(
            float[] similarities, int[] trainLabels, int classes, int k, double tau) {
        int[] top = topK(similarities, k);
        double maxSimilarity = similarities[top[0]];
        for (int index : top) {
            maxSimilarity = Math.max(maxSimilarity, similarities[index]);
        }
        double[] scores = new double[classes];
        for (int index : top) {
            scores[trainLabels[index]] += Math.exp((similarities[index] - maxSimilarity) / tau);
        }
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (scores[c] > scores[best]) {
                best = c;
            }
        }
        return best;
    }

    /**
     * Returns the indices of the k largest values in no particular order. Among equal values
     * the lower index is kept.
     */
    private static int[] topK(float[] values, int k) {
        int[] top = new int[k];
        for (int i = 0; i < k; i++) {
            top[i] = i;
        }
        int worst = worstOf(values, top);
        for (int i = k; i < values.length; i++) {
            // Indices arrive in increasing order, so an equal value loses to the one kept.
            if (values[i] > values[top[worst]]) {
                top[worst] = i;
                worst = worstOf(values, top);
            }
        }
        return top;
    }

    /** Returns the position in {@code top} of the smallest value, the higher index on ties. */
    private static int worstOf(float[] values, int[] top) {
        int worst = 0;
        for (int p = 1; p < top.length; p++) {
            float v = values[top[p]];
            float w = values[top[worst]];
            if (v < w || (v == w && top[p] > top[worst])) {
                worst = p;
            }
        }
        return worst;
    }

    /**
     * Runs {@link #linearProbe(float[][], int[], float[][], int[], float[][], int[], double[])}
     * with the lambda grid {1e-5, 1e-4, 1e-3, 1e-2, 1e-1}.
     */
    public static LinearProbeResult linearProbe(
            float[][] train, int[] trainLabels, float[][] validation, int[] validationLabels,
            float[][] test, int[] testLabels) {
        return linearProbe(
                train, trainLabels, validation, validationLabels, test, testLabels,
                DEFAULT_LAMBDAS);
    }

    /**
     * Fits a linear probe, multinomial logistic regression on frozen embeddings, for each L2
     * strength in {@code lambdas}, keeps the one with the highest validation accuracy and
     * scores it on the test set.
     *
     * <p>Each feature is standardised with the mean and population standard deviation of the
     * train rows only (the deviation floored at 1e-6), and the same transform is applied to the
     * validation and test rows. The model minimises the mean cross-entropy over the train rows
     * plus (lambda / 2) ||W||_F^2, with the bias unpenalised, by full-batch L-BFGS with a
     * backtracking line search. It stops when no gradient entry exceeds 1e-5 in absolute value
     * or after 500 iterations. The lambdas are fitted from the largest to the smallest, each
     * starting from the previous solution. A tie in validation accuracy goes to the larger
     * lambda. The fit is deterministic, because the gradient is summed over fixed chunks in a
     * fixed order whatever the thread count.
     *
     * @param lambdas L2 strengths to try, each finite and at least 0
     */
    public static LinearProbeResult linearProbe(
            float[][] train, int[] trainLabels, float[][] validation, int[] validationLabels,
            float[][] test, int[] testLabels, double[] lambdas) {
        int dim = Inputs.requireMatrix("train", train);
        requireSameWidth("validation", validation, "train", dim);
        requireSameWidth("test", test, "train", dim);
        Inputs.requireLabels("trainLabels", trainLabels, train.length, Integer.MAX_VALUE);
        Inputs.requireLabels(
                "validationLabels", validationLabels, validation.length, Integer.MAX_VALUE);
        Inputs.requireLabels("testLabels", testLabels, test.length, Integer.MAX_VALUE);
        double[] path = lambdaPath(lambdas);
        int classes = Inputs.classCount(trainLabels, validationLabels, testLabels);

        double[] mean = new double[dim];
        double[] sd = new double[dim];
        trainStatistics(train, dim, mean, sd);
        double[] trainX = standardize(train, dim, mean, sd);
        double[] validationX = standardize(validation, dim, mean, sd);
        double[] testX = standardize(test, dim, mean, sd);

        SoftmaxRegression model = new SoftmaxRegression(trainX, train.length, dim, trainLabels,
                classes);
        double[] theta = new double[model.parameterCount()];
        double bestLambda = Double.NaN;
        double bestAccuracy = -1;
        double[] bestTheta = null;
        for (double lambda : path) {
            theta = model.fit(lambda, theta);
            float[][] validationProbs = model.probabilities(theta, validationX, validation.length);
            double accuracy = ClassificationMetrics.accuracy(validationProbs, validationLabels);
            if (accuracy > bestAccuracy) {
                bestAccuracy = accuracy;
                bestLambda = lambda;
                bestTheta = theta.clone();
            }
        }
        float[][] testProbs = model.probabilities(bestTheta, testX, test.length);
        double testAccuracy = ClassificationMetrics.accuracy(testProbs, testLabels);
        return new LinearProbeResult(bestLambda, bestAccuracy, testAccuracy, testProbs);
    }

    /** Returns the validated lambdas sorted from largest to smallest. */
    private static double[] lambdaPath(double[] lambdas) {
        if (lambdas == null || lambdas.length == 0) {
            throw new IllegalArgumentException(
                    "lambdas is empty, but the probe needs at least one L2 strength");
        }
        for (double lambda : lambdas) {
            if (!(lambda >= 0) || !Double.isFinite(lambda)) {
                throw new IllegalArgumentException(
                        "lambda " + lambda
                                + " is invalid, because each must be finite and at least 0");
            }
        }
        double[] path = lambdas.clone();
        Arrays.sort(path);
        for (int i = 0; i < path.length / 2; i++) {
            double swap = path[i];
            path[i] = path[path.length - 1 - i];
            path[path.length - 1 - i] = swap;
        }
        return path;
    }

    private static void trainStatistics(float[][] train, int dim, double[] mean, double[] sd) {
        for (float[] row : train) {
            for (int j = 0; j < dim; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= train.length;
        }
        for (float[] row : train) {
            for (int j = 0; j < dim; j++) {
                double centred = row[j] - mean[j];
                sd[j] += centred * centred;
            }
        }
        for (int j = 0; j < dim; j++) {
            sd[j] = Math.max(Math.sqrt(sd[j] / train.length), SD_FLOOR);
        }
    }

    private static double[] standardize(float[][] rows, int dim, double[] mean, double[] sd) {
        double[] flat = new double[rows.length * dim];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < dim; j++) {
                flat[i * dim + j] = (rows[i][j] - mean[j]) / sd[j];
            }
        }
        return flat;
    }

    /**
     * Returns the retrieval protocol of {@link #retrieval} as one sentence for reports.
     */
    public static String protocol() {
        return "Each query from one modality ranks the full gallery of the other modality by"
                + " cosine similarity, an item counts as relevant when it has the query's class"
                + " label, and recall@K is the share of queries with a relevant item in the top K"
                + " while mAP averages the precision at each relevant rank over the full"
                + " ranking.";
    }

    /**
     * Scores cross-modal retrieval. Each query row (modality A) ranks every gallery row
     * (modality B) by cosine similarity of the L2-normalised rows, highest first. A gallery item
     * is relevant to a query when their labels are equal. Nothing is excluded from the gallery,
     * because query and gallery hold different modalities, so no item is the query itself.
     *
     * <ul>
     *   <li>recall@K, for K in {1, 5, 10}: the fraction of queries with at least one relevant
     *       item among the first K ranks (the whole gallery when it has fewer than K rows).
     *   <li>average precision of a query: the mean of precision@r = (relevant items in ranks 1..r)
     *       / r over the ranks r of all its relevant items. mAP is its mean over queries.
     * </ul>
     *
     * <p>A query whose label no gallery item has is counted in {@code skippedQueries} and left
     * out of all four means, which are NaN when every query is skipped. Equal similarities are
     * ranked by gallery index, lower first. Similarities are computed in float arithmetic.
     */
    public static RetrievalResult retrieval(
            float[][] queries, int[] queryLabels, float[][] gallery, int[] galleryLabels) {
        int dim = Inputs.requireMatrix("queries", queries);
        requireSameWidth("gallery", gallery, "queries", dim);
        Inputs.requireLabels("queryLabels", queryLabels, queries.length, Integer.MAX_VALUE);
        Inputs.requireLabels("galleryLabels", galleryLabels, gallery.length, Integer.MAX_VALUE);
        int[] relevantPerLabel = new int[Inputs.classCount(queryLabels, galleryLabels)];
        for (int label : galleryLabels) {
            relevantPerLabel[label]++;
        }
        float[] queryFlat = CosineSimilarity.normalizeRows(queries, dim);
        float[] galleryFlat = CosineSimilarity.normalizeRows(gallery, dim);
        // Per query: rank of the first relevant item (0 when there is none) and its AP.
        int[] firstRelevantRank = new int[queries.length];
        double[] averagePrecision = new double[queries.length];
        CosineSimilarity.forEachQuery(
                queryFlat, queries.length, galleryFlat, gallery.length, dim,
                (q, similarities) -> {
                    int label = queryLabels[q];
                    if (relevantPerLabel[label] == 0) {
                        return;
                    }
                    int[] order = rankDescending(similarities);
                    int hits = 0;
                    double precisionSum = 0;
                    for (int rank = 1; rank <= order.length; rank++) {
                        int item = order[rank - 1];
                        if (galleryLabels[item] == label) {
                            hits++;
                            precisionSum += (double) hits / rank;
                            if (hits == 1) {
                                firstRelevantRank[q] = rank;
                            }
                            if (hits == relevantPerLabel[label]) {
                                break;
                            }
                        }
                    }
                    averagePrecision[q] = precisionSum / hits;
                });
        return summarizeRetrieval(firstRelevantRank, averagePrecision);
    }

    private static RetrievalResult summarizeRetrieval(int[] firstRelevantRank, double[] ap) {
        int scored = 0;
        int[] recalled = new int[RECALL_KS.length];
        double apSum = 0;
        for (int q = 0; q < firstRelevantRank.length; q++) {
            int rank = firstRelevantRank[q];
            if (rank == 0) {
                continue;
            }
            scored++;
            apSum += ap[q];
            for (int i = 0; i < RECALL_KS.length; i++) {
                if (rank <= RECALL_KS[i]) {
                    recalled[i]++;
                }
            }
        }
        double denominator = scored == 0 ? Double.NaN : scored;
        return new RetrievalResult(
                firstRelevantRank.length,
                firstRelevantRank.length - scored,
                recalled[0] / denominator,
                recalled[1] / denominator,
                recalled[2] / denominator,
                apSum / denominator);
    }

    /**
     * Returns the gallery indices ordered by similarity, highest first and lower index first on
     * ties. A stable least-significant-digit radix sort over the four bytes of an order-preserving
     * integer key does this in four linear passes instead of O(n log n) comparisons.
     */
    static int[] rankDescending(float[] similarities) {
        int n = similarities.length;
        int[] keys = new int[n];
        int[] order = new int[n];
        for (int g = 0; g < n; g++) {
            // Adding 0 turns -0.0f into 0.0f, so the two zeros get the same key.
            int bits = Float.floatToIntBits(similarities[g] + 0.0f);
            // Flipping the magnitude bits of negatives makes signed int order equal float order.
            // The complement reverses it (highest similarity first), and flipping the sign bit
            // makes unsigned byte order equal that signed order.
            keys[g] = ~(bits ^ ((bits >> 31) & 0x7FFFFFFF)) ^ Integer.MIN_VALUE;
            order[g] = g;
        }
        int[] keysOut = new int[n];
        int[] orderOut = new int[n];
        int[] counts = new int[257];
        for (int shift = 0; shift < 32; shift += 8) {
            Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                counts[((keys[i] >>> shift) & 0xFF) + 1]++;
            }
            if (counts[((keys[0] >>> shift) & 0xFF) + 1] == n) {
                continue; // every key has the same byte here, so this pass would not move anything
            }
            for (int b = 0; b < 256; b++) {
                counts[b + 1] += counts[b];
            }
            // Scattering in input order keeps equal keys in their previous order (stability),
            // which leaves ties sorted by gallery index.
            for (int i = 0; i < n; i++) {
                int position = counts[(keys[i] >>> shift) & 0xFF]++;
                keysOut[position] = keys[i];
                orderOut[position] = order[i];
            }
            int[] swapKeys = keys;
            keys = keysOut;
            keysOut = swapKeys;
            int[] swapOrder = order;
            order = orderOut;
            orderOut = swapOrder;
        }
        return order;
    }

    /**
     * Returns the area under the piecewise-linear curve through (x_i, y_i) by the trapezoid rule,
     * sum_i (x_{i+1} - x_i) (y_i + y_{i+1}) / 2.
     *
     * @param x abscissae in non-decreasing order, at least two
     * @param y ordinates, one per abscissa, finite
     * @throws IllegalArgumentException when the lengths differ, fewer than two points are given,
     *     a value is not finite, or x decreases
     */
    public static double trapezoidArea(double[] x, double[] y) {
        if (x == null || y == null || x.length != y.length) {
            throw new IllegalArgumentException(
                    "x and y must be non-null and of equal length, but have lengths "
                            + (x == null ? "null" : x.length) + " and "
                            + (y == null ? "null" : y.length));
        }
        if (x.length < 2) {
            throw new IllegalArgumentException(
                    "trapezoid rule needs at least 2 points, but got " + x.length);
        }
        double area = 0;
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException(
                        "point " + i + " is (" + x[i] + ", " + y[i]
                                + "), but values must be finite");
            }
            if (i > 0) {
                if (x[i] < x[i - 1]) {
                    throw new IllegalArgumentException(
                            "x decreases at index " + i + " (" + x[i - 1] + " then " + x[i]
                                    + "), so sort the points by x");
                }
                area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2;
            }
        }
        return area;
    }

    /**
     * Returns the relative robustness of an accuracy-versus-corruption curve: the trapezoid area
     * under accuracy over the corruption levels, divided by (x_max - x_min) times the clean
     * accuracy,
     *
     * <pre>
     *   RR = trapezoidArea(levels, accuracies) / ((levels[last] - levels[0]) * cleanAccuracy).
     * </pre>
     *
     * RR is 1 when accuracy stays at the clean value over the whole range and falls towards 0 as
     * it collapses. It can exceed 1 when a corrupted input scores above the clean one. The
     * levels should start at the clean condition (level 0, accuracy = cleanAccuracy) so the curve
     * covers the drop from clean.
     *
     * <p>The name follows MultiBench (Liang et al., 2021, "MultiBench: Multiscale Benchmarks for
     * Multimodal Representation Learning", NeurIPS Datasets and Benchmarks). Its evaluation code
     * (eval_scripts/robustness.py) takes the trapezoid area with the levels spaced 0.1 apart and
     * then min-max normalises it across the methods compared. Dividing by the range and the clean
     * accuracy instead gives a value for one model on its own, which stays comparable across
     * runs.
     *
     * @param levels corruption levels in non-decreasing order with a positive range
     * @param accuracies accuracy at each level
     * @param cleanAccuracy accuracy on uncorrupted inputs, greater than 0
     */
    public static double relativeRobustness(
            double[] levels, double[] accuracies, double cleanAccuracy) {
        double area = trapezoidArea(levels, accuracies);
        double range = levels[levels.length - 1] - levels[0];
        if (!(range > 0)) {
            throw new IllegalArgumentException(
                    "levels span " + range + ", but relative robustness needs a positive range");
        }
        if (!(cleanAccuracy > 0) || !Double.isFinite(cleanAccuracy)) {
            throw new IllegalArgumentException(
                    "cleanAccuracy must be finite and above 0, but is " + cleanAccuracy);
        }
        return area / (range * cleanAccuracy);
    }

    private static void requireSameWidth(
            String name, float[][] matrix, String referenceName, int dim) {
        int width = Inputs.requireMatrix(name, matrix);
        if (width != dim) {
            throw new IllegalArgumentException(
                    name + " rows have " + width + " values, but " + referenceName + " rows have "
                            + dim + ", so they cannot be compared");
        }
    }
}
