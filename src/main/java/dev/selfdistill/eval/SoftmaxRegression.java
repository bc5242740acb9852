package dev.selfdistill.eval;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Multinomial logistic regression on standardised features, fitted by L-BFGS. The objective is
 *
 * <pre>
 *   L(W, b) = (1/N) sum_i [ln sum_c exp(z_ic) - z_i,y_i] + (lambda / 2) ||W||_F^2,
 *   z_ic = w_c . x_i + b_c,
 * </pre>
 *
 * so the bias is not penalised. The flat parameter vector is feature-major: entry j C + c is
 * w_cj for j < D, and entry D C + c is b_c. Each evaluation copies it into one array per
 * feature, so that inner loops such as {@code row[c] += a * other[c]} index both arrays with the
 * same c. HotSpot C2 in JDK 17 turns such loops into SIMD code but, when measured, left the
 * variant with an offset into one flat array scalar.
 */
final class SoftmaxRegression {
    /** Samples per chunk of the gradient sum, fixed so that the summation order never varies. */
    private static final int CHUNK = 256;

    /** Largest absolute gradient entry at which the fit counts as converged. */
    static final double GRADIENT_TOLERANCE = 1e-5;

    /** Iteration cap per lambda, which separable data with a tiny lambda may reach. */
    static final int MAX_ITERATIONS = 500;

    private final double[] features;
    private final int rows;
    private final int dim;
    private final int[] labels;
    private final int classes;
    private final int chunks;
    private final double[][][] chunkGradients;
    private final double[] chunkLosses;

    /**
     * Prepares the objective over {@code features} (row-major, rows x dim, already standardised)
     * and labels in [0, classes).
     */
    SoftmaxRegression(double[] features, int rows, int dim, int[] labels, int classes) {
        this.features = features;
        this.rows = rows;
        this.dim = dim;
        this.labels = labels;
        this.classes = classes;
        this.chunks = (rows + CHUNK - 1) / CHUNK;
        this.chunkGradients = new double[chunks][dim + 1][classes];
        this.chunkLosses = new double[chunks];
    }

    /** Returns the number of parameters, classes x (dim + 1). */
    int parameterCount() {
        return classes * (dim + 1);
    }

    /** Fits with L2 strength {@code lambda} from {@code start} and returns the parameters. */
    double[] fit(double lambda, double[] start) {
        Lbfgs.Objective objective = (theta, gradient) -> lossAndGradient(theta, lambda, gradient);
        return Lbfgs.minimize(objective, start, MAX_ITERATIONS, GRADIENT_TOLERANCE).x();
    }

    /** Returns L(theta) and writes its gradient; chunks run in parallel, then sum in order. */
    double lossAndGradient(double[] theta, double lambda, double[] gradient) {
        double[][] weights = unpack(theta);
        IntStream.range(0, chunks).parallel().forEach(chunk -> accumulateChunk(weights, chunk));
        Arrays.fill(gradient, 0);
        double loss = 0;
        for (int chunk = 0; chunk < chunks; chunk++) {
            loss += chunkLosses[chunk];
            double[][] partial = chunkGradients[chunk];
            for (int j = 0; j <= dim; j++) {
                int base = j * classes;
                for (int c = 0; c < classes; c++) {
                    gradient[base + c] += partial[j][c];
                }
            }
        }
        loss /= rows;
        double penalty = 0;
        int weightCount = dim * classes;
        for (int p = 0; p < gradient.length; p++) {
            gradient[p] /= rows;
            if (p < weightCount) {
                penalty += theta[p] * theta[p];
                gradient[p] += lambda * theta[p];
            }
        }
        return loss + 0.5 * lambda * penalty;
    }

    private void accumulateChunk(double[][] weights, int chunk) {
        double[][] gradient = chunkGradients[chunk];
        for (double[] row : gradient) {
            Arrays.fill(row, 0);
        }
        double[] residual = new double[classes];
        double loss = 0;
        int end = Math.min(rows, (chunk + 1) * CHUNK);
        for (int i = chunk * CHUNK; i < end; i++) {
            int xBase = i * dim;
            double logSumExp = logits(weights, features, xBase, residual);
            loss += logSumExp - residual[labels[i]];
            // Turn the logits into softmax - onehot, the gradient of the loss per logit.
            for (int c = 0; c < classes; c++) {
                residual[c] = Math.exp(residual[c] - logSumExp);
            }
            residual[labels[i]] -= 1;
            for (int j = 0; j < dim; j++) {
                double xj = features[xBase + j];
                double[] row = gradient[j];
                for (int c = 0; c < classes; c++) {
                    row[c] += xj * residual[c];
                }
            }
            double[] bias = gradient[dim];
            for (int c = 0; c < classes; c++) {
                bias[c] += residual[c];
            }
        }
        chunkLosses[chunk] = loss;
    }

    /** Copies the flat parameters into dim + 1 arrays of length classes, the bias last. */
    double[][] unpack(double[] theta) {
        double[][] weights = new double[dim + 1][classes];
        for (int j = 0; j <= dim; j++) {
            System.arraycopy(theta, j * classes, weights[j], 0, classes);
        }
        return weights;
    }

    /**
     * Writes z_c = w_c . x + b_c for the row starting at {@code xBase} into {@code logits} and
     * returns ln sum_c exp(z_c), computed with the maximum subtracted.
     */
    private double logits(double[][] weights, double[] x, int xBase, double[] logits) {
        System.arraycopy(weights[dim], 0, logits, 0, classes);
        for (int j = 0; j < dim; j++) {
            double xj = x[xBase + j];
            double[] row = weights[j];
            for (int c = 0; c < classes; c++) {
                logits[c] += row[c] * xj;
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits[c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[c] - max);
        }
        return max + Math.log(sum);
    }

    /** Returns the predicted class probabilities for each row of {@code x} (rows x dim). */
    float[][] probabilities(double[] theta, double[] x, int xRows) {
        double[][] weights = unpack(theta);
        float[][] probs = new float[xRows][classes];
        double[] logits = new double[classes];
        for (int i = 0; i < xRows; i++) {
            double logSumExp = logits(weights, x, i * dim, logits);
            for (int c = 0; c < classes; c++) {
                probs[i][c] = (float) Math.exp(logits[c] - logSumExp);
            }
        }
        return probs;
    }
}
