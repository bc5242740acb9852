package dev.selfdistill.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CorruptionsTest {
    private static final int SAMPLES = 20;
    private static final int ROWS = 6;
    private static final int COLUMNS = 10;
    private static final int SIZE = ROWS * COLUMNS;

    /** Values 1 to n, so no value is 0 before a corruption. */
    private static float[] ramp() {
        float[] values = new float[SAMPLES * SIZE];
        for (int i = 0; i < values.length; i++) {
            values[i] = i + 1;
        }
        return values;
    }

    private static int countChanged(float[] before, float[] after) {
        int changed = 0;
        for (int i = 0; i < before.length; i++) {
            if (before[i] != after[i]) {
                changed++;
            }
        }
        return changed;
    }

    @Test
    void levelZeroReturnsUnchangedCopy() {
        float[] clean = ramp();
        float[][] results = {
            Corruptions.gaussianNoise(clean, 0, new Random(1)),
            Corruptions.saltAndPepper(clean, 0, -3f, 3f, new Random(1)),
            Corruptions.occlusion(clean, SIZE, ROWS, COLUMNS, 0, new Random(1)),
            Corruptions.timeDropout(clean, SIZE, ROWS, COLUMNS, 0, new Random(1))
        };
        for (float[] result : results) {
            assertArrayEquals(ramp(), result);
            assertNotSame(clean, result);
        }
    }

    @Test
    void highLevelsChangeInputAndLeaveItIntact() {
        float[] clean = ramp();
        float[] gaussian = Corruptions.gaussianNoise(clean, 2.0, new Random(1));
        float[] saltPepper = Corruptions.saltAndPepper(clean, 0.5, -3f, 3f, new Random(1));
        float[] occluded = Corruptions.occlusion(clean, SIZE, ROWS, COLUMNS, 5, new Random(1));
        float[] dropped = Corruptions.timeDropout(clean, SIZE, ROWS, COLUMNS, 0.5, new Random(1));
        assertArrayEquals(ramp(), clean, "the input array must not be modified");
        // Gaussian noise changes (almost) every value.
        assertTrue(countChanged(clean, gaussian) > 0.99 * clean.length);
        // About half the values become -3 or 3: 600 of 1200 expected, sd about 17.
        int replaced = 0;
        for (float v : saltPepper) {
            replaced += v == -3f || v == 3f ? 1 : 0;
        }
        assertTrue(replaced > 500 && replaced < 700, "replaced " + replaced);
        // A 5 x 5 square per sample: exactly 25 zeros in each of the 20 samples.
        assertEquals(SAMPLES * 25, countChanged(clean, occluded));
        // round(0.5 x 10) = 5 whole columns of 6 rows per sample.
        assertEquals(SAMPLES * 5 * ROWS, countChanged(clean, dropped));
    }

    @Test
    void occlusionIsOneSquarePerSample() {
        float[] occluded = Corruptions.occlusion(ramp(), SIZE, ROWS, COLUMNS, 3, new Random(7));
        for (int s = 0; s < SAMPLES; s++) {
            int top = Integer.MAX_VALUE;
            int left = Integer.MAX_VALUE;
            int zeros = 0;
            for (int r = 0; r < ROWS; r++) {
                for (int c = 0; c < COLUMNS; c++) {
                    if (occluded[s * SIZE + r * COLUMNS + c] == 0) {
                        top = Math.min(top, r);
                        left = Math.min(left, c);
                        zeros++;
                    }
                }
            }
            assertEquals(9, zeros);
            for (int r = top; r < top + 3; r++) {
                for (int c = left; c < left + 3; c++) {
                    assertEquals(0f, occluded[s * SIZE + r * COLUMNS + c], "sample " + s);
                }
            }
        }
    }

    @Test
    void timeDropoutZeroesWholeColumns() {
        float[] dropped = Corruptions.timeDropout(ramp(), SIZE, ROWS, COLUMNS, 0.3, new Random(3));
        for (int s = 0; s < SAMPLES; s++) {
            int zeroColumns = 0;
            for (int c = 0; c < COLUMNS; c++) {
                int zeros = 0;
                for (int r = 0; r < ROWS; r++) {
                    zeros += dropped[s * SIZE + r * COLUMNS + c] == 0 ? 1 : 0;
                }
                assertTrue(
                        zeros == 0 || zeros == ROWS,
                        "column " + c + " of sample " + s + " is partly zero");
                zeroColumns += zeros == ROWS ? 1 : 0;
            }
            assertEquals(3, zeroColumns);
        }
    }

    @Test
    void sameSeedGivesSameCorruption() {
        float[] clean = ramp();
        assertArrayEquals(
                Corruptions.gaussianNoise(clean, 1, new Random(5)),
                Corruptions.gaussianNoise(clean, 1, new Random(5)));
        assertArrayEquals(
                Corruptions.occlusion(clean, SIZE, ROWS, COLUMNS, 4, new Random(5)),
                Corruptions.occlusion(clean, SIZE, ROWS, COLUMNS, 4, new Random(5)));
        assertTrue(
                !Arrays.equals(
                        Corruptions.gaussianNoise(clean, 1, new Random(5)),
                        Corruptions.gaussianNoise(clean, 1, new Random(6))));
    }

    @Test
    void invalidLevelsAreRejected() {
        float[] clean = ramp();
        assertThrows(
                IllegalArgumentException.class,
                () -> Corruptions.gaussianNoise(clean, -1, new Random()));
        assertThrows(
                IllegalArgumentException.class,
                () -> Corruptions.saltAndPepper(clean, 1.5, 0, 1, new Random()));
        assertThrows(
                IllegalArgumentException.class,
                () -> Corruptions.occlusion(clean, SIZE, ROWS, COLUMNS, 7, new Random()));
        assertThrows(
                IllegalArgumentException.class,
                () -> Corruptions.timeDropout(clean, SIZE, 7, COLUMNS, 0.1, new Random()));
    }
}
