package dev.selfdistill.eval;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularValueDecomposition;

/**
 * A 2-D projection of embeddings for a scatter plot: the first two principal components.
 *
 * @param method how the points were projected, for captions
 * @param explainedVariance fraction of the total variance along each of the two components
 * @param x coordinate of each row on the first component
 * @param y coordinate of each row on the second component
 * @param labels class label of each row
 */
public record Projection(
        String method, double[] explainedVariance, float[] x, float[] y, int[] labels) {

    /** Caption text of a PCA projection. */
    public static final String PCA = "PCA (first two principal components of the covariance)";

    /**
     * Projects the rows on the two eigenvectors of their covariance matrix (population, 1 / N) with
     * the largest eigenvalues, after subtracting the mean row. The decomposition is commons-math's
     * {@link SingularValueDecomposition} of the symmetric d x d covariance, whose singular values
     * are its eigenvalues in decreasing order. Each eigenvector's sign is fixed so that its entry
     * of largest magnitude is positive, so the same embeddings always give the same picture. With d
     * = 1 the second coordinate is 0.
     *
     * @throws IllegalArgumentException when the rows are empty, ragged or not finite, or the labels
     *     do not match them
     */
    public static Projection principalComponents(float[][] rows, int[] labels) {
        int dim = Inputs.requireMatrix("rows", rows);
        Inputs.requireLabels("labels", labels, rows.length, Integer.MAX_VALUE);
        double[] mean = mean(rows, dim);

        // For a symmetric positive semi-definite matrix the SVD is the eigendecomposition, and
        // commons-math's SVD converges on the rank-deficient covariances of ReLU embeddings,
        // where its EigenDecomposition 3.6.1 can fail with "convergence failed".
        SingularValueDecomposition decomposition =
                new SingularValueDecomposition(
                        new Array2DRowRealMatrix(covariance(rows, mean), false));
        double[] eigenvalues = decomposition.getSingularValues();
        double total = Arrays.stream(eigenvalues).sum();
        double[][] components = new double[2][];
        double[] explained = new double[2];
        for (int c = 0; c < 2; c++) {
            if (c >= dim) {
                components[c] = new double[dim];
                continue;
            }
            components[c] = signFixed(decomposition.getU().getColumnVector(c));
            explained[c] = total > 0 ? eigenvalues[c] / total : 0;
        }

        float[] x = new float[rows.length];
        float[] y = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double px = 0;
            double py = 0;
            for (int j = 0; j < dim; j++) {
                double value = rows[i][j] - mean[j];
                px += value * components[0][j];
                py += value * components[1][j];
            }
            x[i] = (float) px;
            y[i] = (float) py;
        }
        return new Projection(PCA, explained, x, y, labels.clone());
    }

    private static double[] mean(float[][] rows, int dim) {
        double[] mean = new double[dim];
        for (float[] row : rows) {
            for (int j = 0; j < dim; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < dim; j++) {
            mean[j] /= rows.length;
        }
        return mean;
    }

    /** Returns the population covariance (1 / N) of the rows around {@code mean}. */
    private static double[][] covariance(float[][] rows, double[] mean) {
        int dim = mean.length;
        double[][] covariance = new double[dim][dim];
        double[] centred = new double[dim];
        for (float[] row : rows) {
            for (int j = 0; j < dim; j++) {
                centred[j] = row[j] - mean[j];
            }
            for (int a = 0; a < dim; a++) {
                for (int b = a; b < dim; b++) {
                    covariance[a][b] += centred[a] * centred[b];
                }
            }
        }
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                covariance[a][b] /= rows.length;
                covariance[b][a] = covariance[a][b];
            }
        }
        return covariance;
    }

    private static double[] signFixed(RealVector vector) {
        double[] values = vector.toArray();
        int largest = 0;
        for (int j = 1; j < values.length; j++) {
            if (Math.abs(values[j]) > Math.abs(values[largest])) {
                largest = j;
            }
        }
        if (values[largest] < 0) {
            for (int j = 0; j < values.length; j++) {
                values[j] = -values[j];
            }
        }
        return values;
    }
}
