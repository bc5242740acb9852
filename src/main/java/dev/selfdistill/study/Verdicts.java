package dev.selfdistill.study;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * Builds the one-sentence verdict of a {@link Comparison} from its numbers, for example "ema
 * teacher improves test accuracy by 0.80 points relative to baseline (95% CI 0.30 to 1.30,
 * paired t-test p = 0.01 after Holm correction for 3 comparisons, 8 seeds)".
 *
 * <p>The decision uses {@link Comparison#holmP()} at alpha = 0.05. Differences of a metric
 * whose unit is "fraction" are shown in percentage points (x 100). The units "count" and
 * "score" and an empty unit are shown as bare numbers, and any other unit is appended as given.
 * Numbers get enough decimals to show the half-width of the confidence interval to two
 * significant digits.
 */
public final class Verdicts {
    /** Significance level of the verdict, applied to the Holm-adjusted p-value. */
    static final double ALPHA = 0.05;

    /**
     * Pairs below which the Wilcoxon test cannot reject at 0.05: with n non-zero pairs its
     * smallest exact two-sided p is 2 / 2^n, which is 0.0625 at n = 5 and 0.03125 at n = 6.
     */
    static final int WILCOXON_MIN_PAIRS = 6;

    private static final String TOO_FEW =
            ": no test run; at least 2 are needed (3 or more for a useful interval)";

    private Verdicts() {}

    /**
     * Returns the verdict sentence for {@code c}.
     *
     * <p>The case is read from the fields as {@link SeedStatistics#compare} sets them: n < 2
     * means too few seeds, a NaN t-test p with n >= 2 means identical differences, and a mean and
     * interval of exactly 0 mean all differences are zero.
     *
     * @param familySize number of finite p-values in the Holm family, where 1 means uncorrected
     */
    static String of(Comparison c, boolean higherIsBetter, String unitWord, int familySize) {
        String metric = metricPhrase(c.metric());

        if (c.n() == 0) {
            return "no paired seeds of " + c.label() + " and " + c.baseline() + " on " + metric
                    + TOO_FEW;
        }
        if (c.n() == 1) {
            return "only 1 paired seed of " + c.label() + " and " + c.baseline() + " on " + metric
                    + TOO_FEW;
        }

        Display display = Display.of(unitWord);
        if (c.meanDifference() == 0 && c.ciLow() == 0 && c.ciHigh() == 0) {
            return "no difference between " + c.label() + " and " + c.baseline() + " in "
                    + metric + ": the paired differences are zero at all " + c.n()
                    + " seeds (p = 1)";
        }
        if (Double.isNaN(c.tTestP())) {
            int decimals = decimals(0, display.scale * c.meanDifference());
            return c.label() + " differs from " + c.baseline() + " in " + metric + " by "
                    + display.signed(c.meanDifference(), decimals) + " at each of " + c.n()
                    + " seeds: differences identical on every seed; no variance to test";
        }

        double halfWidth = display.scale * (c.ciHigh() - c.ciLow()) / 2;
        int decimals = decimals(halfWidth, display.scale * c.meanDifference());
        String test = "paired t-test " + formatP(c.holmP());
        if (familySize > 1) {
            test += " after Holm correction for " + familySize + " comparisons";
        }
        // The Wilcoxon test's floor at few pairs is stated once per list (wilcoxonNote), not in
        // every sentence.
        String wilcoxon = ", Wilcoxon signed-rank " + formatP(c.wilcoxonP());

        if (c.holmP() < ALPHA) {
            boolean better = (c.meanDifference() > 0) == higherIsBetter;
            // The interval is shown for the size of the change in the stated direction.
            double low = c.meanDifference() > 0 ? c.ciLow() : -c.ciHigh();
            double high = c.meanDifference() > 0 ? c.ciHigh() : -c.ciLow();
            return c.label() + (better ? " improves " : " worsens ") + metric + " by "
                    + display.plain(Math.abs(c.meanDifference()), decimals) + " relative to "
                    + c.baseline() + " (95% CI " + display.number(low, decimals) + " to "
                    + display.number(high, decimals) + ", " + test + ", " + c.n() + " seeds"
                    + wilcoxon + ")";
        }
        return "no difference detected between " + c.label() + " and " + c.baseline() + " in "
                + metric + " at " + c.n() + " seeds (mean difference "
                + display.signed(c.meanDifference(), decimals) + ", 95% CI "
                + display.number(c.ciLow(), decimals) + " to "
                + display.number(c.ciHigh(), decimals) + ", " + test + wilcoxon + ")";
    }

    /**
     * Returns the sentence that explains why Wilcoxon p-values of {@code fewestPairs} pairs cannot
     * decide a verdict, or an empty string when there are enough pairs.
     */
    public static String wilcoxonNote(int fewestPairs) {
        if (fewestPairs < 2 || fewestPairs >= WILCOXON_MIN_PAIRS) {
            return "";
        }
        return "With " + fewestPairs + " pairs the Wilcoxon signed-rank test cannot reach p < 0.05 (its smallest"
                + " two-sided p is 2 / 2^" + fewestPairs + " = " + formatP(2 / Math.pow(2, fewestPairs)).substring(4)
                + "), so the verdicts rest on the paired t-test; " + WILCOXON_MIN_PAIRS
                + " or more seeds let both tests decide.";
    }

    /** Returns the metric's title with a lower-case first letter, for use mid-sentence. */
    static String metricPhrase(String metric) {
        String title = Metrics.describeOrDefault(metric).title();
        if (title.isEmpty()) {
            return metric;
        }
        return Character.toLowerCase(title.charAt(0)) + title.substring(1);
    }

    /**
     * Returns "p = x" with two significant digits, "p < 0.001" below 0.001, and "p < 0.05" when
     * rounding would otherwise print 0.05 for a p-value below it.
     */
    static String formatP(double p) {
        if (Double.isNaN(p)) {
            return "p not available";
        }
        if (p < 0.001) {
            return "p < 0.001";
        }
        BigDecimal rounded = new BigDecimal(p).round(new MathContext(2, RoundingMode.HALF_UP));
        if (p < ALPHA && rounded.doubleValue() >= ALPHA) {
            return "p < 0.05";
        }
        return "p = " + rounded.stripTrailingZeros().toPlainString();
    }

    /**
     * Returns the decimals that show {@code halfWidth} to two significant digits, or {@code
     * value} to three when the half-width is zero or not finite, clamped to [0, 8].
     */
    static int decimals(double halfWidth, double value) {
        double reference;
        int digits;
        if (halfWidth > 0 && Double.isFinite(halfWidth)) {
            reference = halfWidth;
            digits = 2;
        } else if (value != 0 && Double.isFinite(value)) {
            reference = Math.abs(value);
            digits = 3;
        } else {
            return 0;
        }
        int exponent = (int) Math.floor(Math.log10(reference));
        return Math.max(0, Math.min(8, digits - 1 - exponent));
    }

    /** Scale factor and unit label for showing differences of one unit. */
    private record Display(double scale, String unit) {
        static Display of(String unitWord) {
            String unit = unitWord == null ? "" : unitWord.strip();
            if (unit.equals("fraction")) {
                return new Display(100, "points");
            }
            if (unit.equals("count") || unit.equals("score")) {
                return new Display(1, "");
            }
            return new Display(1, unit);
        }

        String number(double value, int decimals) {
            return String.format(Locale.ROOT, "%." + decimals + "f", scale * value);
        }

        String plain(double value, int decimals) {
            return withUnit(number(value, decimals));
        }

        String signed(double value, int decimals) {
            return withUnit(String.format(Locale.ROOT, "%+." + decimals + "f", scale * value));
        }

        private String withUnit(String number) {
            return unit.isEmpty() ? number : number + " " + unit;
        }
    }
}
