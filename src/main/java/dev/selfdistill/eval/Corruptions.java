package dev.selfdistill.eval;

import java.util.Random;

/**
 * Corruptions of one modality's inputs for robustness sweeps. Each method takes the flat,
 * sample-major array of a {@code MultimodalDataset} modality (standardised values) and returns a
 * corrupted copy; the input array is never modified.
 *
 * <p>At level 0 every method returns an unchanged copy, so a sweep's first point is the clean test
 * set. The random draws come only from the given {@link Random}, so the same seed gives the same
 * corrupted set for every model. Filled values are 0, the training mean after standardisation,
 * which is also what the training augmentation writes into masked regions.
 */
public final class Corruptions {
    private Corruptions() {}

    /**
     * Adds independent Gaussian noise N(0, sd^2) to every value.
     *
     * @param sd standard deviation in standardised units (1 is the training data's sd), >= 0
     */
    public static float[] gaussianNoise(float[] values, double sd, Random random) {
        requireLevel("sd", sd, Double.MAX_VALUE);
        float[] result = values.clone();
        if (sd == 0) {
            return result;
        }
        for (int i = 0; i < result.length; i++) {
            result[i] += (float) (random.nextGaussian() * sd);
        }
        return result;
    }

    /**
     * Replaces each value, independently with probability {@code fraction}, by {@code low} (pepper)
     * or {@code high} (salt) with equal odds.
     *
     * @param fraction expected fraction of values replaced, in [0, 1]
     * @param low the pepper value, for example the minimum of the training images
     * @param high the salt value, for example the maximum of the training images
     */
    public static float[] saltAndPepper(
            float[] values, double fraction, float low, float high, Random random) {
        requireLevel("fraction", fraction, 1);
        float[] result = values.clone();
        if (fraction == 0) {
            return result;
        }
        for (int i = 0; i < result.length; i++) {
            if (random.nextDouble() < fraction) {
                result[i] = random.nextBoolean() ? high : low;
            }
        }
        return result;
    }

    /**
     * Sets a {@code side} x {@code side} square at a uniformly random position of every sample to
     * 0, in every channel.
     *
     * @param sampleSize values per sample: channels x height x width
     * @param height rows of each channel
     * @param width columns of each channel
     * @param side side of the square in pixels, from 0 to min(height, width)
     */
    public static float[] occlusion(
            float[] values, int sampleSize, int height, int width, int side, Random random) {
        requireLayout(values, sampleSize, height, width);
        requireLevel("side", side, Math.min(height, width));
        float[] result = values.clone();
        if (side == 0) {
            return result;
        }
        int channels = sampleSize / (height * width);
        for (int offset = 0; offset < result.length; offset += sampleSize) {
            int top = random.nextInt(height - side + 1);
            int left = random.nextInt(width - side + 1);
            for (int c = 0; c < channels; c++) {
                int base = offset + c * height * width;
                for (int r = top; r < top + side; r++) {
                    int row = base + r * width;
                    java.util.Arrays.fill(result, row + left, row + left + side, 0f);
                }
            }
        }
        return result;
    }

    /**
     * Sets round(fraction x frames) distinct time frames (columns), drawn uniformly for every
     * sample, to 0 in every row.
     *
     * @param sampleSize values per sample: channels x rows x frames
     * @param rows rows of each channel, for example mel bands
     * @param frames columns of each channel
     * @param fraction fraction of frames dropped, in [0, 1]
     */
    public static float[] timeDropout(
            float[] values, int sampleSize, int rows, int frames, double fraction, Random random) {
        requireLayout(values, sampleSize, rows, frames);
        requireLevel("fraction", fraction, 1);
        float[] result = values.clone();
        int dropped = (int) Math.round(fraction * frames);
        if (dropped == 0) {
            return result;
        }
        int channels = sampleSize / (rows * frames);
        int[] order = new int[frames];
        for (int offset = 0; offset < result.length; offset += sampleSize) {
            // A partial Fisher-Yates shuffle puts `dropped` distinct frames first.
            for (int f = 0; f < frames; f++) {
                order[f] = f;
            }
            for (int k = 0; k < dropped; k++) {
                int pick = k + random.nextInt(frames - k);
                int swap = order[k];
                order[k] = order[pick];
                order[pick] = swap;
            }
            for (int k = 0; k < dropped; k++) {
                for (int row = 0; row < channels * rows; row++) {
                    result[offset + row * frames + order[k]] = 0f;
                }
            }
        }
        return result;
    }

    private static void requireLevel(String name, double level, double max) {
        if (!(level >= 0 && level <= max)) {
            throw new IllegalArgumentException(
                    name + " must be in [0, " + max + "], but is " + level);
        }
    }

    private static void requireLayout(float[] values, int sampleSize, int rows, int columns) {
        if (rows < 1 || columns < 1 || sampleSize % (rows * columns) != 0) {
            throw new IllegalArgumentException(
                    "a sample of "
                            + sampleSize
                            + " values is not whole channels of "
                            + rows
                            + " x "
                            + columns);
        }
        if (values.length % sampleSize != 0) {
            throw new IllegalArgumentException(
                    values.length + " values are not whole samples of " + sampleSize);
        }
    }
}
