package dev.selfdistill.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SeedStatisticsTest {
    private static final double EPS = 1e-9;

    // t_{0.975, 2} in closed form: for 2 degrees of freedom the quantile of p is
    // (2p - 1) / sqrt(2 p (1 - p)), so 0.95 / sqrt(0.04875) = 4.3026527297 (scipy 1.17:
    // stats.t.ppf(0.975, 2) = 4.302652729749462).
    private static final double T_975_DF2 = 0.95 / Math.sqrt(2 * 0.975 * 0.025);

    // t_{0.975, 4} = 2.7764451052 (scipy 1.17: stats.t.ppf(0.975, 4) = 2.7764451051977934).
    private static final double T_975_DF4 = 2.7764451051977934;

    @Test
    void summarizeByHand() {
        // Values 1, 2, 3 (NaN ignored): mean 2, squares 1 + 0 + 1 = 2, sd = sqrt(2 / 2) = 1.
        // Half-width t_{0.975,2} * 1 / sqrt(3) = 4.3026527 / 1.7320508 = 2.4841377.
        Summary s = SeedStatistics.summarize(new double[] {1, Double.NaN, 2, 3});
        assertEquals(3, s.n());
        assertEquals(2.0, s.mean(), EPS);
        assertEquals(1.0, s.sd(), EPS);
        assertEquals(2 - T_975_DF2 / Math.sqrt(3), s.ciLow(), EPS);
        assertEquals(2 + T_975_DF2 / Math.sqrt(3), s.ciHigh(), EPS);
        assertEquals(-0.4841377, s.ciLow(), 1e-6);
    }

    @Test
    void summarizeOneValueHasNoInterval() {
        Summary s = SeedStatistics.summarize(new double[] {0.7, Double.NaN});
        assertEquals(1, s.n());
        assertEquals(0.7, s.mean(), EPS);
        assertTrue(Double.isNaN(s.sd()));
        assertTrue(Double.isNaN(s.ciLow()));
        assertTrue(Double.isNaN(s.ciHigh()));
    }

    @Test
    void summarizeEmptyIsNaN() {
        Summary s = SeedStatistics.summarize(new double[] {Double.NaN});
        assertEquals(0, s.n());
        assertTrue(Double.isNaN(s.mean()));
    }

    @Test
    void summarizeRejectsInfinity() {
        assertThrows(
                IllegalArgumentException.class,
                () -> SeedStatistics.summarize(new double[] {1, Double.POSITIVE_INFINITY}));
    }

    @Test
    void pairedTTestAgainstClosedForm() {
        // Differences 1, 2, 3, 4, 5: mean 3, sd sqrt(2.5), standard error sqrt(2.5 / 5) =
        // sqrt(0.5), t = 3 / sqrt(0.5) = sqrt(18) = 4.2426407 on 4 degrees of freedom.
        // For 4 df the t CDF is F(t) = 1/2 + (3/8) u (1 - u^2 / 12) with u = t / sqrt(1 + t^2/4);
        // here u = 6 / sqrt(11) and 1 - u^2 / 12 = 8/11, so the two-sided p is
        // 2 (1 - F(t)) = 1 - 36 / (11 sqrt(11)) = 0.0132356 (scipy 1.17: 0.01323559956368269).
        double[] baseline = {10, 10, 10, 10, 10};
        double[] method = {11, 12, 13, 14, 15};
        Comparison c =
                SeedStatistics.compare(
                        "m", "baseline", "custom_metric", method, baseline, true, "");
        assertEquals(5, c.n());
        assertEquals(3.0, c.meanDifference(), EPS);
        assertEquals(1 - 36 / (11 * Math.sqrt(11)), c.tTestP(), 1e-10);
        assertEquals(c.tTestP(), c.holmP(), 0.0);
        // Interval 3 +- t_{0.975,4} sqrt(0.5) = 3 +- 1.9632432.
        assertEquals(3 - T_975_DF4 * Math.sqrt(0.5), c.ciLow(), 1e-9);
        assertEquals(3 + T_975_DF4 * Math.sqrt(0.5), c.ciHigh(), 1e-9);
        // d_z = 3 / sqrt(2.5) = 1.8973666.
        assertEquals(3 / Math.sqrt(2.5), c.effectSize(), EPS);
        // All five differences positive and untied: exact two-sided p = 2 / 2^5.
        assertEquals(0.0625, c.wilcoxonP(), EPS);
    }

    @Test
    void verdictImprovesInPoints() {
        // Differences 0.01 .. 0.05 are 1 .. 5 points: the case above scaled by 1/100.
        double[] baseline = {0.70, 0.71, 0.72, 0.73, 0.74};
        double[] method = {0.71, 0.73, 0.75, 0.77, 0.79};
        Comparison c =
                SeedStatistics.compare(
                        "born-again gen 2", "baseline", Metrics.TEST_ACCURACY, method, baseline);
        assertEquals(
                "born-again gen 2 improves test accuracy by 3.0 points relative to baseline"
                        + " (95% CI 1.0 to 5.0, paired t-test p = 0.013, 5 seeds, Wilcoxon"
                        + " signed-rank p = 0.063)",
                c.verdict());
    }

    @Test
    void verdictWorsensLowerIsBetter() {
        // Differences 0.020, 0.018, 0.025, 0.022, 0.019, 0.021 nats: mean 0.0208333,
        // sd 0.0024833, t = 20.55 on 5 df, p = 5.05e-6; interval 0.0182273 to 0.0234394
        // (scipy 1.17 ttest_rel and t.ppf(0.975, 5) = 2.5705818).
        double[] baseline = {0.50, 0.51, 0.52, 0.53, 0.54, 0.55};
        double[] method = {0.520, 0.528, 0.545, 0.552, 0.559, 0.571};
        Comparison c =
                SeedStatistics.compare(
                        "ema teacher", "baseline", Metrics.TEST_NLL, method, baseline);
        assertEquals(0.0182272935, c.ciLow(), 1e-9);
        assertEquals(0.0234393731, c.ciHigh(), 1e-9);
        assertEquals(5.050124763474589e-06, c.tTestP(), 1e-12);
        // Six positive untied differences: exact Wilcoxon p = 2 / 2^6 (scipy 1.17: 0.03125).
        assertEquals(0.03125, c.wilcoxonP(), EPS);
        assertEquals(
                "ema teacher worsens test negative log-likelihood by 0.0208 nats relative to"
                        + " baseline (95% CI 0.0182 to 0.0234, paired t-test p < 0.001, 6 seeds, Wilcoxon signed-rank p = 0.031)",
                c.verdict());
    }

    @Test
    void verdictImprovesLowerIsBetterFlipsInterval() {
        // The same differences with the sign reversed: a lower NLL is an improvement, and the
        // interval is given for the size of the improvement.
        double[] method = {0.50, 0.51, 0.52, 0.53, 0.54, 0.55};
        double[] baseline = {0.520, 0.528, 0.545, 0.552, 0.559, 0.571};
        Comparison c =
                SeedStatistics.compare(
                        "ema teacher", "baseline", Metrics.TEST_NLL, method, baseline);
        assertTrue(c.meanDifference() < 0);
        assertEquals(
                "ema teacher improves test negative log-likelihood by 0.0208 nats relative to"
                        + " baseline (95% CI 0.0182 to 0.0234, paired t-test p < 0.001, 6 seeds, Wilcoxon signed-rank p = 0.031)",
                c.verdict());
    }

    @Test
    void verdictNoDifferenceDetected() {
        // Differences 1, -1, 2 points: mean 2/3, variance 7/3, t^2 = (4/9) * 3 / (7/3) = 4/7.
        // For 2 df the two-sided p is 1 - t / sqrt(2 + t^2) = 1 - sqrt(2) / 3 = 0.5285955.
        // Interval 2/3 +- 4.3026527 * sqrt(7/9) = -3.13 to 4.46 points.
        // |d| = 1, 1, 2 has a tie (midranks 1.5, 1.5, 3). Positive ranks sum to 4.5; over the
        // 8 sign patterns, sums >= 4.5 occur 3 times and <= 4.5 occur 7 times, so the
        // two-sided p is 2 * 3/8 = 0.75 (scipy 1.17 wilcoxon: 0.75).
        double[] baseline = {0.5, 0.5, 0.5};
        double[] method = {0.51, 0.49, 0.52};
        Comparison c =
                SeedStatistics.compare(
                        "ema teacher", "baseline", Metrics.TEST_ACCURACY, method, baseline);
        assertEquals(1 - Math.sqrt(2) / 3, c.tTestP(), 1e-9);
        assertEquals(0.75, c.wilcoxonP(), EPS);
        assertEquals(
                "no difference detected between ema teacher and baseline in test accuracy at 3"
                        + " seeds (mean difference +0.7 points, 95% CI -3.1 to 4.5, paired t-test"
                        + " p = 0.53, Wilcoxon signed-rank p = 0.75)",
                c.verdict());
    }

    @Test
    void allZeroDifferencesGivePOne() {
        double[] values = {0.8, 0.81, 0.79, 0.8};
        Comparison c =
                SeedStatistics.compare("a", "baseline", Metrics.TEST_ACCURACY, values, values);
        assertEquals(1.0, c.tTestP(), 0.0);
        assertEquals(1.0, c.wilcoxonP(), 0.0);
        assertEquals(0.0, c.meanDifference(), 0.0);
        assertTrue(Double.isNaN(c.effectSize()));
        assertEquals(
                "no difference between a and baseline in test accuracy: the paired differences"
                        + " are zero at all 4 seeds (p = 1)",
                c.verdict());
    }

    @Test
    void identicalDifferencesHaveNoTest() {
        // 0.2 - 0.1, 0.3 - 0.2, 0.4 - 0.3, 0.8 - 0.7 are 0.1 in decimal but four different
        // doubles, so a plain t-test would see a tiny variance and report p near 0.
        double[] method = {0.2, 0.3, 0.4, 0.8};
        double[] baseline = {0.1, 0.2, 0.3, 0.7};
        assertFalse(method[1] - baseline[1] == method[2] - baseline[2]);
        Comparison c =
                SeedStatistics.compare("a", "baseline", Metrics.TEST_ACCURACY, method, baseline);
        assertTrue(Double.isNaN(c.tTestP()));
        assertTrue(Double.isNaN(c.holmP()));
        assertTrue(Double.isNaN(c.effectSize()));
        assertEquals(c.ciLow(), c.ciHigh(), 0.0);
        assertEquals(
                "a differs from baseline in test accuracy by +10.0 points at each of 4 seeds:"
                        + " differences identical on every seed; no variance to test",
                c.verdict());
    }

    @Test
    void onePairedSeedRunsNoTest() {
        Comparison c =
                SeedStatistics.compare(
                        "a", "baseline", Metrics.TEST_ACCURACY, new double[] {0.8, Double.NaN},
                        new double[] {0.7, 0.7});
        assertEquals(1, c.n());
        assertEquals(0.1, c.meanDifference(), 1e-12);
        assertTrue(Double.isNaN(c.tTestP()));
        assertTrue(Double.isNaN(c.wilcoxonP()));
        assertEquals(
                "only 1 paired seed of a and baseline on test accuracy: no test run; at least 2"
                        + " are needed (3 or more for a useful interval)",
                c.verdict());
    }

    @Test
    void compareDropsNaNPairs() {
        // Pairs 1 and 3 survive: differences 1 and 3, mean 2.
        Comparison c =
                SeedStatistics.compare(
                        "a", "baseline", "custom_metric", new double[] {1, Double.NaN, 4},
                        new double[] {0, 1, 1}, true, "");
        assertEquals(2, c.n());
        assertEquals(2.0, c.meanDifference(), EPS);
    }

    @Test
    void compareRejectsLengthMismatch() {
        assertThrows(
                IllegalArgumentException.class,
                () -> SeedStatistics.compare(
                        "a", "baseline", "m", new double[] {1, 2}, new double[] {1}, true, ""));
    }

    @Test
    void holmAdjustsByHand() {
        // Sorted p: 0.01 (x3 = 0.03), 0.03 (x2 = 0.06), 0.04 (x1 = 0.04, raised to 0.06 so the
        // adjusted values do not decrease). In input order: 0.03, 0.06, 0.06.
        List<Comparison> adjusted =
                SeedStatistics.holm(
                        List.of(withP("a", 0.01), withP("b", 0.04), withP("c", 0.03)));
        assertEquals(0.03, adjusted.get(0).holmP(), 1e-12);
        assertEquals(0.06, adjusted.get(1).holmP(), 1e-12);
        assertEquals(0.06, adjusted.get(2).holmP(), 1e-12);
        assertEquals(0.04, adjusted.get(1).tTestP(), 0.0);
        assertEquals("b", adjusted.get(1).label());
    }

    @Test
    void holmLeavesNaNOutOfFamily() {
        // Family of two: 0.01 x 2 = 0.02 and 0.04 x 1 = 0.04; the NaN stays NaN.
        List<Comparison> adjusted =
                SeedStatistics.holm(
                        List.of(withP("a", 0.01), withP("b", Double.NaN), withP("c", 0.04)));
        assertEquals(0.02, adjusted.get(0).holmP(), 1e-12);
        assertTrue(Double.isNaN(adjusted.get(1).holmP()));
        assertEquals(0.04, adjusted.get(2).holmP(), 1e-12);
    }

    @Test
    void holmCapsAtOne() {
        // 0.6 x 2 = 1.2 is capped at 1, and 0.7 is then raised to 1.
        List<Comparison> adjusted =
                SeedStatistics.holm(List.of(withP("a", 0.7), withP("b", 0.6)));
        assertEquals(1.0, adjusted.get(0).holmP(), 0.0);
        assertEquals(1.0, adjusted.get(1).holmP(), 0.0);
    }

    @Test
    void holmRebuildsVerdict() {
        // Before correction p = 0.03 is significant; after it, b's 0.04 becomes 0.06.
        List<Comparison> adjusted =
                SeedStatistics.holm(
                        List.of(withP("a", 0.01), withP("b", 0.04), withP("c", 0.03)));
        assertEquals(
                "a improves test accuracy by 1.00 points relative to baseline (95% CI 0.50 to"
                        + " 1.50, paired t-test p = 0.03 after Holm correction for 3 comparisons,"
                        + " 8 seeds, Wilcoxon signed-rank p = 0.02)",
                adjusted.get(0).verdict());
        assertTrue(
                adjusted.get(1).verdict().startsWith("no difference detected between b and"
                        + " baseline in test accuracy at 8 seeds"),
                adjusted.get(1).verdict());
        assertTrue(adjusted.get(1).verdict().contains("p = 0.06 after Holm correction"),
                adjusted.get(1).verdict());
    }

    @Test
    void wilcoxonNoteOnlyBelowSixPairs() {
        assertEquals(
                "With 3 pairs the Wilcoxon signed-rank test cannot reach p < 0.05 (its smallest"
                        + " two-sided p is 2 / 2^3 = 0.25), so the verdicts rest on the paired"
                        + " t-test; 6 or more seeds let both tests decide.",
                Verdicts.wilcoxonNote(3));
        assertEquals("", Verdicts.wilcoxonNote(6));
        assertEquals("", Verdicts.wilcoxonNote(1));
    }

    @Test
    void holmRejectsMixedMetrics() {
        Comparison other =
                new Comparison("x", "baseline", Metrics.TEST_NLL, 8, 0, 0, 0, 0.5, 0.5, 0.5, 0,
                        "");
        assertThrows(
                IllegalArgumentException.class,
                () -> SeedStatistics.holm(List.of(withP("a", 0.01), other)));
    }

    /** Returns a test-accuracy comparison at 8 seeds: +1 point, 95% CI 0.5 to 1.5, t-test p. */
    private static Comparison withP(String label, double p) {
        return new Comparison(
                label, "baseline", Metrics.TEST_ACCURACY, 8, 0.01, 0.005, 0.015, p, 0.02, p, 1.5,
                "");
    }
}
