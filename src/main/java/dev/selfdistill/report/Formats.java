package dev.selfdistill.report;

import dev.selfdistill.study.Metrics;
import java.util.Locale;

/**
 * Number formatting shared by both report formats. Every method returns {@code "n/a"} for NaN so
 * that a missing value never prints as {@code NaN}.
 */
final class Formats {
    /** Text shown in place of NaN. */
    static final String NOT_AVAILABLE = "n/a";

    private static final String FRACTION = "fraction";

    private Formats() {}

    /** Returns whether the metric is a fraction in [0, 1], which the report shows in percent. */
    static boolean isFraction(Metrics.Descriptor descriptor) {
        return FRACTION.equals(descriptor.unit());
    }

    /**
     * Returns the factor that converts a stored value to the displayed one: 100 for fractions,
     * which are shown in percent (and their differences in percentage points), otherwise 1.
     */
    static double displayScale(Metrics.Descriptor descriptor) {
        return isFraction(descriptor) ? 100.0 : 1.0;
    }

    /** Returns the unit of a displayed value: {@code %} for fractions, else the metric's unit. */
    static String displayUnit(Metrics.Descriptor descriptor) {
        return isFraction(descriptor) ? "%" : descriptor.unit();
    }

    /** Returns the unit of a displayed difference: {@code pp} (percentage points) for fractions. */
    static String differenceUnit(Metrics.Descriptor descriptor) {
        return isFraction(descriptor) ? "pp" : descriptor.unit();
    }

    /** Returns the metric's title with its display unit in brackets, when it has one. */
    static String titleWithUnit(Metrics.Descriptor descriptor) {
        String unit = displayUnit(descriptor);
        return unit.isEmpty() ? descriptor.title() : descriptor.title() + " (" + unit + ")";
    }

    /** Returns the number of decimals for a metric's values: two for percentages, else by size. */
    static int decimalsFor(Metrics.Descriptor descriptor, double magnitude) {
        return isFraction(descriptor) ? 2 : decimalsForMagnitude(magnitude);
    }

    /**
     * Returns the number of decimals that gives values of this size about four significant
     * digits, so that small losses and large counts both stay readable.
     */
    static int decimalsForMagnitude(double magnitude) {
        double size = Math.abs(magnitude);
        if (!Double.isFinite(size) || size >= 1000) {
            return 0;
        }
        if (size >= 100) {
            return 1;
        }
        if (size >= 10) {
            return 2;
        }
        if (size >= 1) {
            return 3;
        }
        return 4;
    }

    /** Formats {@code value} with a fixed number of decimals, or {@code "n/a"} for NaN. */
    static String fixed(double value, int decimals) {
        if (Double.isNaN(value)) {
            return NOT_AVAILABLE;
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** Formats {@code value} like {@link #fixed} with an explicit plus sign for positive values. */
    static String signed(double value, int decimals) {
        String text = fixed(value, decimals);
        if (Double.isFinite(value) && value > 0) {
            return "+" + text;
        }
        return text;
    }

    /**
     * Formats a p-value with three decimals, or in scientific notation below 0.001 so that very
     * small p-values do not print as 0.000.
     */
    static String pValue(double p) {
        if (Double.isNaN(p)) {
            return NOT_AVAILABLE;
        }
        if (p < 0.001) {
            return String.format(Locale.ROOT, "%.1e", p);
        }
        return String.format(Locale.ROOT, "%.3f", p);
    }

    /** Appends a unit to a formatted number, leaving out empty units and the unit "count". */
    static String withUnit(String number, String unit) {
        if (NOT_AVAILABLE.equals(number) || unit.isEmpty() || "count".equals(unit)) {
            return number;
        }
        if ("%".equals(unit)) {
            return number + "%";
        }
        return number + " " + unit;
    }

    /**
     * Returns a bound of a mean's confidence interval clipped to the metric's range: [0, 1] for
     * a fraction. A t-interval over few seeds can reach past the range (an accuracy interval of
     * [-12%, 64%] at 3 seeds), and no mean of such values can lie outside it.
     */
    static double withinRange(Metrics.Descriptor descriptor, double bound) {
        if (!"fraction".equals(descriptor.unit()) || Double.isNaN(bound)) {
            return bound;
        }
        return Math.max(0, Math.min(1, bound));
    }

    /** Formats a confidence interval as {@code [low, high]}, or {@code "n/a"} if either is NaN. */
    static String interval(double low, double high, int decimals, boolean signed) {
        if (Double.isNaN(low) || Double.isNaN(high)) {
            return NOT_AVAILABLE;
        }
        String lowText = signed ? signed(low, decimals) : fixed(low, decimals);
        String highText = signed ? signed(high, decimals) : fixed(high, decimals);
        return "[" + lowText + ", " + highText + "]";
    }
}
