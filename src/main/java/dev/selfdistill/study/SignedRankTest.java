package dev.selfdistill.study;

import java.util.Arrays;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

/**
 * Two-sided Wilcoxon signed-rank test of paired differences against a median of 0 (Wilcoxon,
 * 1945, "Individual comparisons by ranking methods", Biometrics Bulletin 1(6)).
 *
 * <p>Zero differences are dropped, as in Wilcoxon's original procedure and R's {@code
 * wilcox.test}. Without ties among the remaining |d| and with at most 20 of them, the p-value
 * comes from commons-math 3.6.1 {@link WilcoxonSignedRankTest}, whose exact enumeration costs
 * 2^n steps and assumes untied ranks 1..n. Otherwise tied values get their mean rank and the
 * p-value is the exact permutation probability given those ranks, computed by dynamic
 * programming over the 2^n equally likely sign patterns. Both are exact.
 */
final class SignedRankTest {
    /** Largest n sent to the commons-math enumeration, which takes about n 2^n steps. */
    static final int COMMONS_EXACT_MAX = 20;

    private SignedRankTest() {}

    /**
     * Returns the two-sided p-value for {@code differences}, treating |d| <= tolerance as zero
     * and |d| values within tolerance of each other as tied. Returns 1 when every difference is
     * zero, since no sign pattern is more extreme than the observed one.
     */
    static double twoSidedP(double[] differences, double tolerance) {
        double[] nonZero =
                Arrays.stream(differences).filter(d -> Math.abs(d) > tolerance).toArray();
        if (nonZero.length == 0) {
            return 1.0;
        }
        double[] ranks = midRanks(nonZero, tolerance);
        boolean tied = Arrays.stream(ranks).distinct().count() < ranks.length;
        if (!tied && nonZero.length <= COMMONS_EXACT_MAX) {
            double[] zeros = new double[nonZero.length];
            double p = new WilcoxonSignedRankTest().wilcoxonSignedRankTest(nonZero, zeros, true);
            // commons-math doubles the one-sided tail, which exceeds 1 when W+ = W-.
            return Math.min(1.0, p);
        }
        return exactConditionalP(nonZero, ranks);
    }

    /**
     * Returns min(1, 2 min(P(W+ >= w), P(W+ <= w))) where w is the observed sum of the ranks of
     * positive differences and each sign is + or - with probability 1/2 independently. Ranks are
     * multiples of 1/2, so the distribution is tabulated over twice the rank sum.
     */
    static double exactConditionalP(double[] nonZero, double[] ranks) {
        int n = nonZero.length;
        int[] doubled = new int[n];
        int total = 0;
        int observed = 0;
        for (int i = 0; i < n; i++) {
            doubled[i] = (int) Math.round(2 * ranks[i]);
            total += doubled[i];
            if (nonZero[i] > 0) {
                observed += doubled[i];
            }
        }

        double[] probability = new double[total + 1];
        probability[0] = 1.0;
        int reach = 0;
        for (int r : doubled) {
            reach += r;
            for (int sum = reach; sum >= 0; sum--) {
                double withPlus = sum >= r ? probability[sum - r] : 0;
                probability[sum] = 0.5 * probability[sum] + 0.5 * withPlus;
            }
        }

        double upper = 0;
        double lower = 0;
        for (int sum = 0; sum <= total; sum++) {
            if (sum >= observed) {
                upper += probability[sum];
            }
            if (sum <= observed) {
                lower += probability[sum];
            }
        }
        return Math.min(1.0, 2 * Math.min(upper, lower));
    }

    /**
     * Returns the ranks of |values| from 1 (smallest), giving each group of values within
     * {@code tolerance} of the group's smallest member the mean of the group's ranks.
     */
    static double[] midRanks(double[] values, double tolerance) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(Math.abs(values[a]), Math.abs(values[b])));
        double[] ranks = new double[n];
        int start = 0;
        while (start < n) {
            double groupMin = Math.abs(values[order[start]]);
            int end = start + 1;
            while (end < n && Math.abs(values[order[end]]) - groupMin <= tolerance) {
                end++;
            }
            // Positions start..end-1 hold ranks start+1..end, whose mean is (start+1+end)/2.
            double meanRank = (start + 1 + end) / 2.0;
            for (int k = start; k < end; k++) {
                ranks[order[k]] = meanRank;
            }
            start = end;
        }
        return ranks;
    }
}
