package dev.selfdistill.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProjectionTest {
    @Test
    void pointsOnLineHaveOneComponent() {
        // Rows t (1, 2, 2) / 3 + (5, 5, 5) for t = -2..2: the first component is the unit
        // direction (1, 2, 2) / 3 (its largest entry positive), so x = t and y = 0, and it
        // explains all the variance.
        float[][] rows = new float[5][];
        for (int t = -2; t <= 2; t++) {
            rows[t + 2] = new float[] {5 + t / 3f, 5 + 2 * t / 3f, 5 + 2 * t / 3f};
        }
        Projection projection = Projection.principalComponents(rows, new int[] {0, 0, 1, 1, 2});
        assertArrayEquals(new float[] {-2, -1, 0, 1, 2}, projection.x(), 1e-5f);
        assertArrayEquals(new float[] {0, 0, 0, 0, 0}, projection.y(), 1e-5f);
        assertEquals(1.0, projection.explainedVariance()[0], 1e-9);
        assertEquals(0.0, projection.explainedVariance()[1], 1e-9);
        assertArrayEquals(new int[] {0, 0, 1, 1, 2}, projection.labels());
    }

    @Test
    void componentsFollowVarianceOrder() {
        // Points (0, 3), (0, -3), (1, 0), (-1, 0): covariance diag(0.5, 4.5), so the second
        // coordinate comes first and explains 4.5 / 5 = 0.9 of the variance. The sign fix makes
        // each component's largest entry positive, so x = second coordinate, y = first.
        float[][] rows = {{0, 3}, {0, -3}, {1, 0}, {-1, 0}};
        Projection projection = Projection.principalComponents(rows, new int[] {0, 1, 2, 3});
        assertArrayEquals(new float[] {3, -3, 0, 0}, projection.x(), 1e-5f);
        assertArrayEquals(new float[] {0, 0, 1, -1}, projection.y(), 1e-5f);
        assertEquals(0.9, projection.explainedVariance()[0], 1e-9);
        assertEquals(0.1, projection.explainedVariance()[1], 1e-9);
    }

    @Test
    void rankDeficientReluEmbeddingsProject() {
        // Many constant (dead) features, as ReLU embeddings have: the decomposition must still
        // converge and give finite coordinates.
        java.util.Random random = new java.util.Random(3);
        float[][] rows = new float[300][64];
        int[] labels = new int[300];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < 4; j++) {
                rows[i][j] = (float) Math.max(0, random.nextGaussian());
            }
            labels[i] = i % 10;
        }
        Projection projection = Projection.principalComponents(rows, labels);
        for (int i = 0; i < rows.length; i++) {
            assertEquals(
                    true, Float.isFinite(projection.x()[i]) && Float.isFinite(projection.y()[i]));
        }
        double explained = projection.explainedVariance()[0] + projection.explainedVariance()[1];
        assertEquals(true, explained > 0.4 && explained <= 1 + 1e-9, "explained " + explained);
    }
}
