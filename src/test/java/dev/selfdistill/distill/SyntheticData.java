package dev.selfdistill.distill;

import dev.selfdistill.data.MultimodalDataset;
import java.util.List;
import java.util.Random;

/** A tiny synthetic two-modality dataset with the AV-MNIST input shapes, for method tests. */
final class SyntheticData {
    /** Number of classes of {@link #dataset}. */
    static final int CLASSES = 4;

    private SyntheticData() {}

    /**
     * Builds {@code count} samples with an image {1, 28, 28} and a spectrogram {1, 32, 48}: Gaussian
     * noise plus a class-dependent offset, so the classes are separable.
     */
    static MultimodalDataset dataset(int count, long seed) {
        Random random = new Random(seed);
        int imageSize = 28 * 28;
        int audioSize = 32 * 48;
        float[] image = new float[count * imageSize];
        float[] audio = new float[count * audioSize];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % CLASSES;
            for (int j = 0; j < imageSize; j++) {
                image[i * imageSize + j] = (float) (random.nextGaussian() + (j % CLASSES == labels[i] ? 1 : 0));
            }
            for (int j = 0; j < audioSize; j++) {
                audio[i * audioSize + j] = (float) (random.nextGaussian() + (j / 48 % CLASSES == labels[i] ? 1 : 0));
            }
        }
        float[] present = new float[count];
        java.util.Arrays.fill(present, 1f);
        return new MultimodalDataset(
                List.of("image", "audio"),
                List.of(new long[] {1, 28, 28}, new long[] {1, 32, 48}),
                new float[][] {image, audio},
                new float[][] {present, present.clone()},
                labels,
                CLASSES);
    }
}
