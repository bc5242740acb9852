package dev.selfdistill.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RobustnessCurveTest {
    private static RobustnessCurve curve(double[] levels, double[] accuracies) {
        List<String> labels = java.util.Arrays.stream(levels).mapToObj(Double::toString).toList();
        return new RobustnessCurve("test", "image", "level", levels, labels, accuracies);
    }

    @Test
    void areaOfEvenLadder() {
        // Positions 0, 0.5, 1: area = 0.5 (0.9 + 0.6) / 2 + 0.5 (0.6 + 0.3) / 2 = 0.375 + 0.225
        // = 0.6; relative = 0.6 / 0.9 = 0.6667.
        RobustnessCurve curve = curve(new double[] {0, 10, 20}, new double[] {0.9, 0.6, 0.3});
        assertArrayEquals(new double[] {0, 0.5, 1}, curve.positions(), 1e-12);
        assertEquals(0.6, curve.area(), 1e-12);
        assertEquals(0.6 / 0.9, curve.relative(), 1e-12);
    }

    @Test
    void areaOfUnevenLadder() {
        // Levels 0, 1, 4 give positions 0, 0.25, 1: area = 0.25 (1.0 + 0.5) / 2 + 0.75 (0.5 +
        // 0.5) / 2 = 0.1875 + 0.375 = 0.5625.
        RobustnessCurve curve = curve(new double[] {0, 1, 4}, new double[] {1.0, 0.5, 0.5});
        assertEquals(0.5625, curve.area(), 1e-12);
        assertEquals(0.5625, curve.relative(), 1e-12);
    }

    @Test
    void flatCurveHasRelativeRobustnessOne() {
        RobustnessCurve curve =
                curve(
                        new double[] {0, 0.1, 0.2, 0.3, 0.4, 0.5},
                        new double[] {0.7, 0.7, 0.7, 0.7, 0.7, 0.7});
        assertEquals(0.7, curve.area(), 1e-12);
        assertEquals(1.0, curve.relative(), 1e-12);
    }

    @Test
    void zeroCleanAccuracyHasNoRelativeRobustness() {
        RobustnessCurve curve = curve(new double[] {0, 1}, new double[] {0, 0});
        assertEquals(0, curve.area(), 1e-12);
        assertTrue(Double.isNaN(curve.relative()));
    }

    @Test
    void mismatchedArraysAreRejected() {
        assertThrows(
                IllegalArgumentException.class, () -> curve(new double[] {0, 1}, new double[] {1}));
        assertThrows(
                IllegalArgumentException.class, () -> curve(new double[] {0}, new double[] {1}));
    }
}
