package dev.selfdistill.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.selfdistill.UserError;

/**
 * Settings of the AV-MNIST benchmark: splits, the degradation that keeps either modality alone
 * from solving the task, and the log-mel front end.
 *
 * <p>Both degradations are drawn once per sample with {@code seed} and baked into the prepared
 * dataset, as in the original benchmark, so every method and every training seed sees the same
 * data; training seeds only change order, initialisation and augmentation.
 *
 * @param seed seed of the split, the image-recording pairing and the degradation noise
 * @param maxImages use at most this many MNIST images (0 for all), for quick looks and tests
 * @param validationFraction fraction of the images held out for model selection: of all images
 *     with a single MNIST file pair, of the 60,000 training images with the full download
 * @param testFraction fraction of the images used for test when the data has a single MNIST file
 *     pair; with the full MNIST download, its 10,000 test images are the test split
 * @param imageNoiseStd standard deviation of Gaussian noise added to pixels scaled to [0, 1]
 * @param imageOcclusion side length in pixels of a square erased at a random position of every
 *     image (0 for none)
 * @param audioSnrDb signal-to-noise ratio, in dB, of white noise added to every recording
 * @param audio log-mel front-end settings
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record AvMnistConfig(
        @JsonProperty("seed") Integer seed,
        @JsonProperty("max_images") Integer maxImages,
        @JsonProperty("validation_fraction") Double validationFraction,
        @JsonProperty("test_fraction") Double testFraction,
        @JsonProperty("image_noise_std") Double imageNoiseStd,
        @JsonProperty("image_occlusion") Integer imageOcclusion,
        @JsonProperty("audio_snr_db") Double audioSnrDb,
        @JsonProperty("audio") LogMelSpectrogram.Config audio) {

    /** Returns the defaults, chosen so that each modality alone stays well below the fusion. */
    public static AvMnistConfig defaults() {
        return new AvMnistConfig(
                0, 0, 0.1, 0.2, 0.6, 10, 0.0, LogMelSpectrogram.Config.defaults());
    }

    /** Returns this config with every null field taken from {@link #defaults()}. */
    public AvMnistConfig withDefaults() {
        AvMnistConfig d = defaults();
        return new AvMnistConfig(
                seed != null ? seed : d.seed,
                maxImages != null ? maxImages : d.maxImages,
                validationFraction != null ? validationFraction : d.validationFraction,
                testFraction != null ? testFraction : d.testFraction,
                imageNoiseStd != null ? imageNoiseStd : d.imageNoiseStd,
                imageOcclusion != null ? imageOcclusion : d.imageOcclusion,
                audioSnrDb != null ? audioSnrDb : d.audioSnrDb,
                audio != null ? audio : d.audio);
    }

    /** Checks every value and names the key of the first invalid one. */
    public void validate() {
        if (maxImages < 0) {
            throw new UserError(
                    "data.max_images must be 0 (all images) or a positive count, got "
                            + maxImages);
        }
        checkFraction("data.validation_fraction", validationFraction);
        checkFraction("data.test_fraction", testFraction);
        if (!(imageNoiseStd >= 0) || Double.isInfinite(imageNoiseStd)) {
            throw new UserError(
                    "data.image_noise_std must be a finite number >= 0, got " + imageNoiseStd);
        }
        if (imageOcclusion < 0 || imageOcclusion > 28) {
            throw new UserError(
                    "data.image_occlusion must be a side length in pixels from 0 to 28, got "
                            + imageOcclusion);
        }
        if (audioSnrDb.isNaN()) {
            throw new UserError("data.audio_snr_db must be a number in dB, got NaN");
        }
        audio.validate();
    }

    private static void checkFraction(String key, double value) {
        if (!(value > 0 && value < 1)) {
            throw new UserError(key + " must be a fraction between 0 and 1, got " + value);
        }
    }
}
