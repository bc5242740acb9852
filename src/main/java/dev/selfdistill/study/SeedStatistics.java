package dev.selfdistill.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.inference.TTest;

/**
 * Statistics over training seeds: summaries with Student-t confidence intervals, paired
 * comparisons of a method against the baseline, and Holm correction across the methods
 * compared on one metric. Distributions and tests come from commons-math 3.6.1.
 */
public final class SeedStatistics {
    /** Coverage of every confidence interval. */
    public static final double CONFIDENCE = 0.95;

    /**
     * Relative tolerance below which paired differences count as equal or as zero, scaled by the
     * largest |value| compared. It absorbs the rounding of method - baseline, which would
     * otherwise turn identical differences into a tiny variance and a t-test p near 0.
     */
    public static final double EQUALITY_TOLERANCE = 1e-12;

    private SeedStatistics() {}

    /**
     * Summarises the finite values, ignoring NaN: mean, sample standard deviation s (n - 1 in
     * the denominator) and the 95% interval mean +- t_{0.975, n-1} s / sqrt(n) (Student, 1908,
     * "The probable error of a mean", Biometrika 6(1)). With n < 2 the sd and interval are NaN,
     * and with n = 0 the mean is NaN too.
     *
     * @throws IllegalArgumentException when {@code values} is null or contains an infinity
     */
    public static Summary summarize(double[] values) {
        if (values == null) {
            throw new IllegalArgumentException("values is null");
        }
        for (int i = 0; i < values.length; i++) {
            if (Double.isInfinite(values[i])) {
                throw new IllegalArgumentException(
                        "values[" + i + "] is " + values[i]
                                + ", but only finite values or NaN (missing) are allowed");
            }
        }
        double[] finite = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        int n = finite.length;
        if (n == 0) {
            return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(finite).sum() / n;
        if (n == 1) {
            return new Summary(1, mean, Double.NaN, Double.NaN, Double.NaN);
        }
        double squares = 0;
        for (double v : finite) {
            squares += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        double halfWidth = tQuantile(n - 1) * sd / Math.sqrt(n);
        return new Summary(n, mean, sd, mean - halfWidth, mean + halfWidth);
    }

    /**
     * Runs {@link #compare(String, String, String, double[], double[], boolean, String)} with the
     * direction and unit of {@link Metrics#describeOrDefault}.
     */
    public static Comparison compare(
            String label, String baselineLabel, String metric, double[] method,
            double[] baseline) {
        Metrics.Descriptor descriptor = Metrics.describeOrDefault(metric);
        return compare(
                label, baselineLabel, metric, method, baseline, descriptor.higherIsBetter(),
                descriptor.unit());
    }

    /**
     * Compares a method with the baseline on one metric, paired by seed index. Entry i of both
     * arrays comes from the same seed, and a pair with a NaN on either side is dropped. With d_i
     * = method_i - baseline_i over the n remaining pairs, the result contains the mean of d, its
     * 95% Student-t interval, the two-sided paired t-test p (commons-math {@link
     * TTest#pairedTTest}), the exact two-sided Wilcoxon signed-rank p (zero differences dropped,
     * tied |d| given their mean rank), and Cohen's d_z = mean(d) / sd(d) (Cohen, 1988,
     * "Statistical Power Analysis for the Behavioral Sciences", 2nd ed.). {@code holmP} equals
     * the t-test p until {@link #holm} adjusts it.
     *
     * <p>Cases the t-test cannot handle are set explicitly. With n < 2 every statistic is NaN
     * (the mean is d_1 when n = 1). When all differences are zero the t-test p and Wilcoxon p are
     * 1, the interval is [0, 0] and d_z is NaN. When all differences are equal and non-zero the
     * t statistic is infinite, so the t-test p and d_z are NaN and the interval is the point
     * mean(d). "Equal" and "zero" allow {@link #EQUALITY_TOLERANCE} times the largest |value|.
     *
     * @param higherIsBetter whether a positive difference is an improvement
     * @param unitWord the metric's unit as in {@link Metrics.Descriptor#unit()}, used only in the
     *     verdict
     * @throws IllegalArgumentException when the arrays differ in length or contain an infinity
     */
    public static Comparison compare(
            String label, String baselineLabel, String metric, double[] method,
            double[] baseline, boolean higherIsBetter, String unitWord) {
        Paired paired = Paired.of(method, baseline);
        Comparison raw = rawComparison(label, baselineLabel, metric, paired);
        return withVerdict(raw, Verdicts.of(raw, higherIsBetter, unitWord, 1));
    }

    private static Comparison rawComparison(
            String label, String baselineLabel, String metric, Paired paired) {
        double[] d = paired.differences();
        int n = d.length;
        double nan = Double.NaN;
        if (n < 2) {
            double mean = n == 1 ? d[0] : nan;
            return new Comparison(
                    label, baselineLabel, metric, n, mean, nan, nan, nan, nan, nan, nan, "");
        }
        Summary summary = summarize(d);
        double tolerance = EQUALITY_TOLERANCE * paired.scale();
        double wilcoxonP = SignedRankTest.twoSidedP(d, tolerance);
        double range = Arrays.stream(d).max().getAsDouble() - Arrays.stream(d).min().getAsDouble();
        if (range <= tolerance) {
            if (Math.abs(summary.mean()) <= tolerance) {
                return new Comparison(
                        label, baselineLabel, metric, n, 0, 0, 0, 1, 1, 1, nan, "");
            }
            double mean = summary.mean();
            return new Comparison(
                    label, baselineLabel, metric, n, mean, mean, mean, nan, wilcoxonP, nan, nan,
                    "");
        }
        double tTestP = new TTest().pairedTTest(paired.method(), paired.baseline());
        double effectSize = summary.mean() / summary.sd();
        return new Comparison(
                label, baselineLabel, metric, n, summary.mean(), summary.ciLow(),
                summary.ciHigh(), tTestP, wilcoxonP, tTestP, effectSize, "");
    }

    /**
     * Runs {@link #holm(List, boolean, String)} with the direction and unit that {@link
     * Metrics#describeOrDefault} gives for the comparisons' metric.
     */
    public static List<Comparison> holm(List<Comparison> sameMetric) {
        if (sameMetric.isEmpty()) {
            return List.of();
        }
        Metrics.Descriptor descriptor = Metrics.describeOrDefault(sameMetric.get(0).metric());
        return holm(sameMetric, descriptor.higherIsBetter(), descriptor.unit());
    }

    /**
     * Returns copies of the comparisons, in the same order, with the Holm-Bonferroni adjusted
     * t-test p in {@code holmP} and the verdict rebuilt from it (Holm, 1979, "A simple
     * sequentially rejective multiple test procedure", Scandinavian Journal of Statistics 6(2)).
     * With the m finite p-values sorted as p_(1) <= ... <= p_(m), the adjusted value is
     * min(1, max_{j <= i} (m - j + 1) p_(j)), so adjusted values never decrease with rank.
     * Comparisons whose t-test p is NaN are left out of the family and keep a NaN holmP.
     *
     * @param sameMetric comparisons of several methods against one baseline on one metric
     * @throws IllegalArgumentException when the comparisons are on different metrics
     */
    public static List<Comparison> holm(
            List<Comparison> sameMetric, boolean higherIsBetter, String unitWord) {
        for (Comparison c : sameMetric) {
            if (!c.metric().equals(sameMetric.get(0).metric())) {
                throw new IllegalArgumentException(
                        "holm needs comparisons on one metric but got " + sameMetric.get(0).metric()
                                + " and " + c.metric() + ", so correct each metric separately");
            }
        }
        List<Integer> family = new ArrayList<>();
        for (int i = 0; i < sameMetric.size(); i++) {
            if (!Double.isNaN(sameMetric.get(i).tTestP())) {
                family.add(i);
            }
        }
        // A stable sort keeps equal p-values in input order, so the result is deterministic.
        family.sort((a, b) -> Double.compare(sameMetric.get(a).tTestP(),
                sameMetric.get(b).tTestP()));
        int m = family.size();
        double[] adjusted = new double[sameMetric.size()];
        Arrays.fill(adjusted, Double.NaN);
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int index = family.get(rank);
            double scaled = (m - rank) * sameMetric.get(index).tTestP();
            running = Math.max(running, Math.min(1.0, scaled));
            adjusted[index] = running;
        }
        List<Comparison> result = new ArrayList<>(sameMetric.size());
        for (int i = 0; i < sameMetric.size(); i++) {
            Comparison c = sameMetric.get(i);
            Comparison corrected = new Comparison(
                    c.label(), c.baseline(), c.metric(), c.n(), c.meanDifference(), c.ciLow(),
                    c.ciHigh(), c.tTestP(), c.wilcoxonP(), adjusted[i], c.effectSize(), "");
            result.add(withVerdict(corrected, Verdicts.of(corrected, higherIsBetter, unitWord, m)));
        }
        return result;
    }

    /** Returns t_{0.975, df}, the two-sided 95% Student-t quantile. */
    private static double tQuantile(int degreesOfFreedom) {
        return new TDistribution(degreesOfFreedom)
                .inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
    }

    private static Comparison withVerdict(Comparison c, String verdict) {
        return new Comparison(
                c.label(), c.baseline(), c.metric(), c.n(), c.meanDifference(), c.ciLow(),
                c.ciHigh(), c.tTestP(), c.wilcoxonP(), c.holmP(), c.effectSize(), verdict);
    }

    /** Pairs left after dropping NaN, and the largest |value| among them. */
    private record Paired(double[] method, double[] baseline, double[] differences, double scale) {
        static Paired of(double[] method, double[] baseline) {
            if (method == null || baseline == null || method.length != baseline.length) {
                throw new IllegalArgumentException(
                        "method and baseline must be non-null and paired by seed, but have lengths "
                                + (method == null ? "null" : method.length) + " and "
                                + (baseline == null ? "null" : baseline.length));
            }
            int pairCount = 0;
            for (int i = 0; i < method.length; i++) {
                if (Double.isInfinite(method[i]) || Double.isInfinite(baseline[i])) {
                    throw new IllegalArgumentException(
                            "seed index " + i + " has an infinite value (method " + method[i]
                                    + ", baseline " + baseline[i]
                                    + "), but only finite values or NaN (missing) are allowed");
                }
                if (!Double.isNaN(method[i]) && !Double.isNaN(baseline[i])) {
                    pairCount++;
                }
            }
            double[] m = new double[pairCount];
            double[] b = new double[pairCount];
            double[] d = new double[pairCount];
            double scale = 0;
            int k = 0;
            for (int i = 0; i < method.length; i++) {
                if (!Double.isNaN(method[i]) && !Double.isNaN(baseline[i])) {
                    m[k] = method[i];
                    b[k] = baseline[i];
                    d[k] = method[i] - baseline[i];
                    scale = Math.max(scale, Math.max(Math.abs(method[i]), Math.abs(baseline[i])));
                    k++;
                }
            }
            return new Paired(m, b, d, scale);
        }
    }
}
