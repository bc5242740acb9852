package dev.selfdistill.study;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VerdictsTest {
    @Test
    void formatPTwoSignificantDigits() {
        assertEquals("p = 0.063", Verdicts.formatP(0.0625));
        assertEquals("p = 0.01", Verdicts.formatP(0.01));
        assertEquals("p = 0.53", Verdicts.formatP(0.5285954792));
        assertEquals("p = 1", Verdicts.formatP(1.0));
    }

    @Test
    void formatPSmallAndBoundary() {
        assertEquals("p < 0.001", Verdicts.formatP(0.0004));
        // 0.04996 would round to 0.050, which reads as not significant.
        assertEquals("p < 0.05", Verdicts.formatP(0.04996));
        assertEquals("p = 0.05", Verdicts.formatP(0.0504));
    }

    @Test
    void decimalsFollowHalfWidth() {
        // Two significant digits of the half-width: 0.5 -> 2 decimals, 1.96 -> 1, 25 -> 0.
        assertEquals(2, Verdicts.decimals(0.5, 3));
        assertEquals(1, Verdicts.decimals(1.96, 3));
        assertEquals(0, Verdicts.decimals(25, 3));
        // No interval: three significant digits of the value, 0.021 -> 4 decimals.
        assertEquals(4, Verdicts.decimals(0, 0.021));
        assertEquals(0, Verdicts.decimals(Double.NaN, 0));
    }

    @Test
    void metricPhraseLowercasesTitle() {
        assertEquals("test accuracy", Verdicts.metricPhrase(Metrics.TEST_ACCURACY));
        assertEquals("test accuracy with audio missing",
                Verdicts.metricPhrase(Metrics.ACCURACY_WITHOUT + "audio"));
        assertEquals("custom_metric", Verdicts.metricPhrase("custom_metric"));
    }

    @Test
    void noPairedSeeds() {
        Comparison c = new Comparison("a", "baseline", Metrics.TEST_ACCURACY, 0, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "");
        assertEquals(
                "no paired seeds of a and baseline on test accuracy: no test run; at least 2 are"
                        + " needed (3 or more for a useful interval)",
                Verdicts.of(c, true, "fraction", 1));
    }
}
