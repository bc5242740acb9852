package dev.selfdistill.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SignedRankTestTest {
    private static final double EPS = 1e-12;

    @Test
    void allPositiveFiveIsExactEnumeration() {
        // Ranks 1..5 all positive: W+ = 15 is reached by 1 of the 2^5 = 32 sign patterns, so the
        // two-sided p is 2 * 1/32 = 0.0625 (scipy 1.17 wilcoxon([1, 2, 3, 4, 5]): 0.0625).
        double[] d = {1, 2, 3, 4, 5};
        assertEquals(0.0625, SignedRankTest.twoSidedP(d, 0), EPS);
        assertEquals(0.0625, SignedRankTest.exactConditionalP(d, new double[] {1, 2, 3, 4, 5}),
                EPS);
    }

    @Test
    void oneNegativeByEnumeration() {
        // d = 1, -2, 3, 4, 5: W+ = 1 + 3 + 4 + 5 = 13. W+ >= 13 means the negative ranks sum to
        // at most 2: the sets {}, {1}, {2}, so 3 of 32 patterns and p = 2 * 3/32 = 0.1875.
        double[] d = {1, -2, 3, 4, 5};
        assertEquals(0.1875, SignedRankTest.twoSidedP(d, 0), EPS);
        assertEquals(0.1875, SignedRankTest.exactConditionalP(d, new double[] {1, 2, 3, 4, 5}),
                EPS);
    }

    @Test
    void tiedRanksUseConditionalDistribution() {
        // |d| = 1, 1, 2, 3, 4, 5: midranks 1.5, 1.5, 3, 4, 5, 6. All positive, so only the
        // all-plus pattern of the 2^6 = 64 reaches W+ = 21: p = 2 / 64 = 0.03125.
        double[] d = {1, 1, 2, 3, 4, 5};
        assertEquals(0.03125, SignedRankTest.twoSidedP(d, 0), EPS);
    }

    @Test
    void zerosAreDropped() {
        // The zero is removed, leaving the five-positive case: p = 0.0625.
        assertEquals(0.0625, SignedRankTest.twoSidedP(new double[] {0, 1, 2, 3, 4, 5}, 0), EPS);
        assertEquals(1.0, SignedRankTest.twoSidedP(new double[] {0, 0, 0}, 0), EPS);
    }

    @Test
    void balancedSignsCapAtOne() {
        // d = 1, 2, -3: W+ = W- = 3; doubling P(W+ >= 3) = 5/8 gives 1.25, reported as 1.
        assertEquals(1.0, SignedRankTest.twoSidedP(new double[] {1, 2, -3}, 0), EPS);
    }

    @Test
    void toleranceMergesNearTies() {
        // 0.1 and 0.1 + 1e-16 are one tie within the tolerance, so they share midrank 1.5.
        double[] ranks = SignedRankTest.midRanks(new double[] {0.1 + 1e-16, 0.1, 0.3}, 1e-12);
        assertArrayEquals(new double[] {1.5, 1.5, 3}, ranks, EPS);
    }

    @Test
    void dynamicProgrammingMatchesCommonsMath() {
        // Untied random differences, n = 12: commons-math enumeration against the recursion.
        Random random = new Random(9);
        for (int trial = 0; trial < 20; trial++) {
            double[] d = new double[12];
            for (int i = 0; i < d.length; i++) {
                d[i] = random.nextGaussian() + 0.3;
            }
            double[] ranks = SignedRankTest.midRanks(d, 0);
            assertEquals(
                    SignedRankTest.twoSidedP(d, 0),
                    SignedRankTest.exactConditionalP(d, ranks),
                    1e-12,
                    "trial " + trial);
        }
    }

    @Test
    void largeUntiedUsesRecursion() {
        // n = 25 all positive, above the commons-math limit: p = 2 / 2^25.
        double[] d = new double[25];
        for (int i = 0; i < d.length; i++) {
            d[i] = i + 1;
        }
        assertEquals(2.0 / (1 << 25), SignedRankTest.twoSidedP(d, 0), 1e-15);
    }
}
