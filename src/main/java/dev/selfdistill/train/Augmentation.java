package dev.selfdistill.train;

import dev.selfdistill.UserError;
import java.util.Random;

/**
 * Student-side input augmentation, applied on the standardised arrays before they become
 * tensors. Zero is the training mean after standardisation, so shifted-in pixels and masked
 * spectrogram cells are set to 0.
 *
 * <ul>
 *   <li>image shift: translate by up to {@code imageShift} pixels in each direction;
 *   <li>SpecAugment-style masking (Park et al., 2019): one time mask of up to {@code
 *       audioTimeMask} frames and one frequency mask of up to {@code audioFrequencyMask} bands;
 *   <li>modality dropout: with probability {@code modalityDropout}, one modality chosen at random
 *       is marked missing for the sample.
 * </ul>
 */
public final class Augmentation {
    /**
     * Augmentation settings.
     *
     * @param imageShift maximum translation in pixels
     * @param audioTimeMask maximum width of the time mask in frames
     * @param audioFrequencyMask maximum height of the frequency mask in mel bands
     * @param modalityDropout probability of dropping one modality of a sample
     */
    public record Config(
            Integer imageShift,
            Integer audioTimeMask,
            Integer audioFrequencyMask,
            Double modalityDropout) {

        public static Config defaults() {
            return new Config(2, 6, 4, 0.0);
        }

        /** Returns a config that changes nothing. */
        public static Config none() {
            return new Config(0, 0, 0, 0.0);
        }

        Config withDefaults() {
            Config d = defaults();
            return new Config(
                    imageShift != null ? imageShift : d.imageShift,
                    audioTimeMask != null ? audioTimeMask : d.audioTimeMask,
                    audioFrequencyMask != null ? audioFrequencyMask : d.audioFrequencyMask,
                    modalityDropout != null ? modalityDropout : d.modalityDropout);
        }

        void validate() {
            if (imageShift < 0 || imageShift > 14) {
                throw new UserError("training.augmentation.image_shift must be 0 to 14 pixels, got " + imageShift);
            }
            if (audioTimeMask < 0) {
                throw new UserError("training.augmentation.audio_time_mask must be >= 0 frames, got " + audioTimeMask);
            }
            if (audioFrequencyMask < 0) {
                throw new UserError(
                        "training.augmentation.audio_frequency_mask must be >= 0 bands, got " + audioFrequencyMask);
            }
            if (!(modalityDropout >= 0 && modalityDropout <= 1)) {
                throw new UserError(
                        "training.augmentation.modality_dropout must be a probability in [0, 1], got " + modalityDropout);
            }
        }

        boolean isIdentity() {
            return imageShift == 0 && audioTimeMask == 0 && audioFrequencyMask == 0 && modalityDropout == 0;
        }
    }

    private final Config config;

    public Augmentation(Config config) {
        this.config = config;
    }

    public boolean isIdentity() {
        return config.isIdentity();
    }

    /**
     * Augments one sample in place.
     *
     * @param modalities modality names, {@code image} and {@code audio} get their transforms
     * @param shapes per-sample shapes (channels, height, width)
     * @param values per modality, the sample's values (modified in place)
     * @param presence per modality, 1 when present (modified in place)
     */
    public void apply(java.util.List<String> modalities, long[][] shapes, float[][] values, float[] presence, Random random) {
        for (int m = 0; m < modalities.size(); m++) {
            String modality = modalities.get(m);
            long[] shape = shapes[m];
            // Text and tabular samples are vectors and get no transform of their own.
            if (shape.length < 2) {
                continue;
            }
            int height = (int) shape[shape.length - 2];
            int width = (int) shape[shape.length - 1];
            if (modality.equals("image") && config.imageShift() > 0) {
                shift(values[m], height, width, config.imageShift(), random);
            } else if (modality.equals("audio")) {
                maskColumns(values[m], height, width, config.audioTimeMask(), random);
                maskRows(values[m], height, width, config.audioFrequencyMask(), random);
            }
        }
        if (config.modalityDropout() > 0 && modalities.size() > 1 && random.nextDouble() < config.modalityDropout()) {
            int present = 0;
            for (float p : presence) {
                present += p > 0 ? 1 : 0;
            }
            if (present > 1) {
                int drop;
                do {
                    drop = random.nextInt(modalities.size());
                } while (presence[drop] == 0);
                presence[drop] = 0;
                java.util.Arrays.fill(values[drop], 0f);
            }
        }
    }

    private static void shift(float[] image, int height, int width, int maxShift, Random random) {
        int dy = random.nextInt(2 * maxShift + 1) - maxShift;
        int dx = random.nextInt(2 * maxShift + 1) - maxShift;
        if (dx == 0 && dy == 0) {
            return;
        }
        int channels = image.length / (height * width);
        float[] source = image.clone();
        java.util.Arrays.fill(image, 0f);
        for (int c = 0; c < channels; c++) {
            int base = c * height * width;
            for (int y = 0; y < height; y++) {
                int sy = y - dy;
                if (sy < 0 || sy >= height) {
                    continue;
                }
                for (int x = 0; x < width; x++) {
                    int sx = x - dx;
                    if (sx >= 0 && sx < width) {
                        image[base + y * width + x] = source[base + sy * width + sx];
                    }
                }
            }
        }
    }

    private static void maskColumns(float[] spectrogram, int bands, int frames, int maxWidth, Random random) {
        if (maxWidth <= 0) {
            return;
        }
        int width = random.nextInt(Math.min(maxWidth, frames) + 1);
        int start = random.nextInt(frames - width + 1);
        for (int b = 0; b < bands; b++) {
            java.util.Arrays.fill(spectrogram, b * frames + start, b * frames + start + width, 0f);
        }
    }

    private static void maskRows(float[] spectrogram, int bands, int frames, int maxHeight, Random random) {
        if (maxHeight <= 0) {
            return;
        }
        int height = random.nextInt(Math.min(maxHeight, bands) + 1);
        int start = random.nextInt(bands - height + 1);
        java.util.Arrays.fill(spectrogram, start * frames, (start + height) * frames, 0f);
    }
}
