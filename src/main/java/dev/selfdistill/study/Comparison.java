package dev.selfdistill.study;

/**
 * A paired comparison of one method against the baseline on one metric, over the seeds both
 * share. Differences are {@code method - baseline}; p-values are two-sided and NaN where the
 * test cannot be run with this many seeds.
 *
 * @param label the method's row label
 * @param baseline the baseline's row label
 * @param metric metric name
 * @param n number of paired seeds
 * @param meanDifference mean of the paired differences
 * @param ciLow lower end of the 95% confidence interval of the mean difference (Student t)
 * @param ciHigh upper end of that interval
 * @param tTestP p-value of the paired t-test
 * @param wilcoxonP p-value of the Wilcoxon signed-rank test (exact for small n)
 * @param holmP t-test p-value after Holm correction across the methods compared on this metric
 * @param effectSize Cohen's d_z: mean difference divided by the standard deviation of the
 *     differences
 * @param verdict one plain sentence stating the result, or why no test was run
 */
public record Comparison(
        String label,
        String baseline,
        String metric,
        int n,
        double meanDifference,
        double ciLow,
        double ciHigh,
        double tTestP,
        double wilcoxonP,
        double holmP,
        double effectSize,
        String verdict) {}
