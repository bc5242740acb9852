package dev.selfdistill.distill;

import dev.selfdistill.UserError;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs of representation collapse in a self-distillation run with a K-way teacher softmax. DINO
 * (Caron et al., 2021, "Emerging Properties in Self-Supervised Vision Transformers") tracks the
 * teacher entropy and the teacher-student KL for this. Over one epoch the monitor accumulates,
 * for teacher distributions P_i and student distributions Q_i:
 *
 * <pre>
 *   teacher_entropy          = (1/N) sum_i H(P_i),         H(p) = -sum_k p_k ln p_k
 *   teacher_marginal_entropy = H((1/N) sum_i P_i)
 *   teacher_student_kl       = (1/N) sum_i KL(P_i || Q_i)
 * </pre>
 *
 * <p>Both entropies lie in [0, ln K]. Two collapses have opposite signs. When one output
 * dimension dominates every sample, the marginal entropy falls towards 0. When the teacher
 * outputs a uniform distribution for every sample, the per-sample entropy rises towards ln K.
 * In both cases the KL falls towards 0, because the student copies a constant teacher. {@link
 * #check} raises a {@link UserError} for either collapse.
 */
public final class CollapseMonitor {
    private final int outputs;
    private final double[] probabilitySum;
    private long rows;
    private double entropySum;
    private double klSum;
    private long klRows;

    /** @param outputs K, the number of softmax outputs */
    public CollapseMonitor(int outputs) {
        if (outputs < 2) {
            throw new IllegalArgumentException("a collapse monitor needs at least 2 outputs, got " + outputs);
        }
        this.outputs = outputs;
        this.probabilitySum = new double[outputs];
    }

    /**
     * Adds a batch of teacher distributions.
     *
     * @param probabilitySum per output k, the sum over the batch's rows of P_ik
     * @param entropySum the sum over the batch's rows of H(P_i)
     * @param rowCount number of rows
     */
    public void addTeacher(float[] probabilitySum, double entropySum, long rowCount) {
        if (probabilitySum.length != outputs) {
            throw new IllegalArgumentException("expected " + outputs + " probabilities, got " + probabilitySum.length);
        }
        for (int k = 0; k < outputs; k++) {
            this.probabilitySum[k] += probabilitySum[k];
        }
        this.entropySum += entropySum;
        this.rows += rowCount;
    }

    /** Adds the sum of KL(P_i || Q_i) over {@code rowCount} teacher-student pairs. */
    public void addDivergence(double klSum, long rowCount) {
        this.klSum += klSum;
        this.klRows += rowCount;
    }

    /** Returns the mean per-sample teacher entropy in nats. */
    public double teacherEntropy() {
        return entropySum / requireRows();
    }

    /** Returns the entropy of the mean teacher distribution in nats. */
    public double marginalEntropy() {
        long count = requireRows();
        double[] mean = new double[outputs];
        for (int k = 0; k < outputs; k++) {
            mean[k] = probabilitySum[k] / count;
        }
        return entropy(mean);
    }

    /** Returns the mean KL divergence from teacher to student in nats, NaN without pairs. */
    public double divergence() {
        return klRows == 0 ? Double.NaN : klSum / klRows;
    }

    /** Returns the three measures under the names of the class description. */
    public Map<String, Double> diagnostics() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("teacher_entropy", teacherEntropy());
        values.put("teacher_marginal_entropy", marginalEntropy());
        values.put("teacher_student_kl", divergence());
        return values;
    }

    /** Forgets everything added, for the next epoch. */
    public void reset() {
        java.util.Arrays.fill(probabilitySum, 0);
        rows = 0;
        entropySum = 0;
        klSum = 0;
        klRows = 0;
    }

    /**
     * Raises a {@link UserError} when the marginal entropy is below {@code fraction * ln K} (one
     * dimension dominates) or the per-sample entropy is above {@code (1 - fraction) * ln K}
     * (uniform outputs). The message names the value, the threshold and the parameters of
     * {@code method} that counter that collapse.
     *
     * @param method registry name, for the parameter paths in the message
     * @param epoch the epoch just measured
     * @param fraction threshold as a fraction of ln K, in (0, 1); DINO gives no value, 0.05 is
     *     this project's default
     */
    public void check(String method, int epoch, double fraction) {
        double maximum = Math.log(outputs);
        double marginal = marginalEntropy();
        double perSample = teacherEntropy();
        String where = method + ": collapse detected after epoch " + epoch + ": ";
        String parameters = "methods." + method + ".";
        if (marginal < fraction * maximum) {
            throw new UserError(
                    String.format(
                            "%sthe mean teacher distribution has entropy %.4f nats, below %.4f (%.0f%% of ln %d), so one output"
                                    + " dominates every sample; lower %scenter_momentum so the centre follows the teacher faster,"
                                    + " or raise %steacher_temperature to sharpen less",
                            where, marginal, fraction * maximum, 100 * fraction, outputs, parameters, parameters));
        }
        if (perSample > (1 - fraction) * maximum) {
            throw new UserError(
                    String.format(
                            "%sthe teacher's per-sample entropy is %.4f nats, above %.4f (%.0f%% below its maximum ln %d), so"
                                    + " every output is near uniform; lower %steacher_temperature, raise %scenter_momentum, or"
                                    + " warm up longer with a larger %steacher_warmup or more training.epochs",
                            where, perSample, (1 - fraction) * maximum, 100 * fraction, outputs, parameters, parameters, parameters));
        }
    }

    /** Returns the entropy -sum p ln p in nats, with 0 ln 0 = 0. */
    public static double entropy(double[] distribution) {
        double value = 0;
        for (double p : distribution) {
            if (p > 0) {
                value -= p * Math.log(p);
            }
        }
        return value;
    }

    private long requireRows() {
        if (rows == 0) {
            throw new IllegalStateException("no teacher output was added this epoch");
        }
        return rows;
    }
}
