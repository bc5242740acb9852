package dev.selfdistill.eval;

import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Cosine similarities between L2-normalised rows, computed in float arithmetic in blocks of
 * queries so that each gallery tile is read once per block rather than once per query.
 */
final class CosineSimilarity {
    /** Lower bound on the divisor of a row, the default eps of torch.nn.functional.normalize. */
    static final double NORM_FLOOR = 1e-12;

    /** Queries per block. Each gallery tile is read from memory once per block. */
    static final int BLOCK = 16;

    /** Gallery columns per tile, so that 16 rows of 1024 floats (64 KiB) fit in an L2 cache. */
    static final int TILE = 1024;

    private CosineSimilarity() {}

    /**
     * Returns the rows of {@code matrix}, each divided by max(||row||_2, 1e-12), as one row-major
     * array. A zero row stays zero and so has similarity 0 to everything.
     */
    static float[] normalizeRows(float[][] matrix, int dim) {
        float[] flat = new float[matrix.length * dim];
        for (int i = 0; i < matrix.length; i++) {
            double squares = 0;
            for (int j = 0; j < dim; j++) {
                squares += (double) matrix[i][j] * matrix[i][j];
            }
            double scale = 1.0 / Math.max(Math.sqrt(squares), NORM_FLOOR);
            for (int j = 0; j < dim; j++) {
                flat[i * dim + j] = (float) (matrix[i][j] * scale);
            }
        }
        return flat;
    }

    /** Receives the similarities of one query to every gallery row. */
    @FunctionalInterface
    interface RowConsumer {
        void accept(int query, float[] similarities);
    }

    /**
     * Computes, for every query row, its dot products with all gallery rows and passes them to
     * {@code consumer}. Blocks of queries run in parallel on the common fork-join pool, so the
     * consumer must only write state owned by its query index. Each similarity is summed over
     * the dimensions in index order whatever the block, so results do not depend on the thread
     * count.
     */
    static void forEachQuery(
            float[] queries, int queryRows, float[] gallery, int galleryRows, int dim,
            RowConsumer consumer) {
        // One array per dimension, so the inner loop row[g] += a * column[g] indexes both arrays
        // with the same g. HotSpot C2 in JDK 17 turned that loop into SIMD code, while the same
        // loop over one flat array with an offset stayed scalar and ran about 5x slower when
        // measured on a 2-core AVX-512 machine.
        float[][] byDimension = new float[dim][galleryRows];
        for (int g = 0; g < galleryRows; g++) {
            for (int j = 0; j < dim; j++) {
                byDimension[j][g] = gallery[g * dim + j];
            }
        }
        int blocks = (queryRows + BLOCK - 1) / BLOCK;
        IntConsumer block =
                b -> {
                    int first = b * BLOCK;
                    int count = Math.min(BLOCK, queryRows - first);
                    float[][] out = new float[count][galleryRows];
                    accumulate(queries, first, count, byDimension, galleryRows, dim, out);
                    for (int r = 0; r < count; r++) {
                        consumer.accept(first + r, out[r]);
                    }
                };
        IntStream.range(0, blocks).parallel().forEach(block);
    }

    /**
     * Adds q_r[j] * gallery[j][g] over j to out[r][g], one tile of gallery columns at a time so
     * that the tile of {@code out} and of the gallery stay in cache while all queries use them.
     */
    private static void accumulate(
            float[] queries, int first, int count, float[][] byDimension, int galleryRows,
            int dim, float[][] out) {
        for (int tileStart = 0; tileStart < galleryRows; tileStart += TILE) {
            int tileEnd = Math.min(galleryRows, tileStart + TILE);
            for (int j = 0; j < dim; j++) {
                float[] column = byDimension[j];
                for (int r = 0; r < count; r++) {
                    float a = queries[(first + r) * dim + j];
                    float[] row = out[r];
                    for (int g = tileStart; g < tileEnd; g++) {
                        row[g] += a * column[g];
                    }
                }
            }
        }
    }
}
