package dev.selfdistill.data;

import dev.selfdistill.UserError;
import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Computes fixed-size log-mel spectrograms of mono audio.
 *
 * <p>The steps are:
 *
 * <ol>
 *   <li>Frame {@code i} covers samples {@code [i * hopLength, i * hopLength + windowLength)},
 *       with no padding at the signal's start (like {@code torch.stft} with {@code
 *       center=False}). A signal of {@code L >= windowLength} samples has {@code 1 + (L -
 *       windowLength) / hopLength} frames, so trailing samples that do not fill a frame are
 *       dropped. A non-empty signal shorter than one window gives one zero-padded frame.
 *   <li>Each frame is multiplied by a periodic Hann window, {@code 0.5 - 0.5 cos(2 pi n /
 *       windowLength)}, and placed in the centre of an {@code fftSize} buffer of zeros.
 *   <li>JTransforms {@code DoubleFFT_1D.realForward} gives the spectrum, and the power of bin
 *       {@code k} is {@code re^2 + im^2} with no scaling by window energy or FFT size.
 *   <li>Triangular filters on the HTK mel scale, {@code mel(f) = 2595 log10(1 + f / 700)}, sum
 *       the power of bins {@code 0 .. fftSize / 2}. The {@code melBands + 2} filter edges lie
 *       evenly in mel between {@code minFrequency} and {@code maxFrequency}. Each filter rises
 *       from 0 at its lower edge to 1 at its centre and falls to 0 at its upper edge, with no
 *       area normalisation.
 *   <li>The output is {@code ln(melPower + 1e-6)}.
 * </ol>
 *
 * <p>The output always has {@code frames} frames. A signal with more frames keeps the centre
 * {@code frames} of them, starting at frame {@code (natural - frames) / 2}. A signal with fewer
 * frames, including an empty one, keeps its frames at the start and is padded at the end with
 * {@link #PAD_VALUE}. That value equals the output for digital silence, so padding reads as
 * silence to a model.
 *
 * <p>An instance is immutable and {@link #compute} is thread-safe, because each call allocates
 * its own FFT and buffers.
 */
public final class LogMelSpectrogram {
    /** Offset added to the mel power before the logarithm, so silence gives a finite value. */
    public static final double LOG_OFFSET = 1e-6;

    /** Value of padded frames: {@code ln(1e-6)}, the output for a frame of zeros. */
    public static final float PAD_VALUE = (float) Math.log(LOG_OFFSET);

    private final Config config;
    private final double[] window;
    private final int windowOffset;
    /** First FFT bin of each mel filter. */
    private final int[] filterStart;
    /** Weights of each mel filter, for bins {@code filterStart[b]} onwards. */
    private final double[][] filterWeights;

    /**
     * Settings of the log-mel front end. Keys in messages use the config file's snake_case
     * names under {@code audio.}.
     *
     * @param sampleRate expected input sample rate in Hz ({@code audio.sample_rate})
     * @param fftSize FFT length in samples ({@code audio.fft_size})
     * @param windowLength Hann window length in samples, at most {@code fftSize} ({@code
     *     audio.window_length})
     * @param hopLength distance between frame starts in samples ({@code audio.hop_length})
     * @param melBands number of mel filters, the output's rows ({@code audio.mel_bands})
     * @param frames number of output frames, the output's columns ({@code audio.frames})
     * @param minFrequency lower edge of the lowest mel filter in Hz ({@code audio.min_frequency})
     * @param maxFrequency upper edge of the highest mel filter in Hz, at most {@code sampleRate
     *     / 2} ({@code audio.max_frequency})
     */
    public record Config(
            int sampleRate,
            int fftSize,
            int windowLength,
            int hopLength,
            int melBands,
            int frames,
            double minFrequency,
            double maxFrequency) {

        /**
         * Returns the defaults for 8 kHz speech: FFT and window of 256 samples (32 ms), hop of
         * 128 (16 ms), 32 mel bands from 0 to 4000 Hz and 48 frames, which cover 0.78 s.
         */
        public static Config defaults() {
            return new Config(8000, 256, 256, 128, 32, 48, 0, 4000);
        }

        /**
         * Checks every setting and returns this config.
         *
         * @return this config, for chaining
         * @throws UserError naming the first invalid key, e.g. "audio.hop_length must be a
         *     positive integer, got 0"
         */
        public Config validate() {
            requirePositive("audio.sample_rate", sampleRate);
            requirePositive("audio.fft_size", fftSize);
            requirePositive("audio.window_length", windowLength);
            if (windowLength > fftSize) {
                throw new UserError(
                        "audio.window_length must be at most audio.fft_size (" + fftSize
                                + "), got " + windowLength);
            }
            requirePositive("audio.hop_length", hopLength);
            requirePositive("audio.mel_bands", melBands);
            requirePositive("audio.frames", frames);
            if (!Double.isFinite(minFrequency) || minFrequency < 0) {
                throw new UserError(
                        "audio.min_frequency must be a frequency of 0 Hz or more, got "
                                + minFrequency);
            }
            double nyquist = sampleRate / 2.0;
            if (!Double.isFinite(maxFrequency) || maxFrequency > nyquist) {
                throw new UserError(
                        "audio.max_frequency must be at most half of audio.sample_rate ("
                                + nyquist + " Hz), got " + maxFrequency);
            }
            if (maxFrequency <= minFrequency) {
                throw new UserError(
                        "audio.max_frequency must be greater than audio.min_frequency ("
                                + minFrequency + " Hz), got " + maxFrequency);
            }
            return this;
        }

        private static void requirePositive(String key, int value) {
            if (value <= 0) {
                throw new UserError(key + " must be a positive integer, got " + value);
            }
        }
    }

    /**
     * Validates {@code config} and precomputes the window and the mel filterbank.
     *
     * @throws UserError if a setting is invalid, or if a mel filter covers no FFT bin because
     *     {@code audio.mel_bands} is too high for the FFT resolution
     */
    public LogMelSpectrogram(Config config) {
        this.config = config.validate();
        int windowLength = config.windowLength();
        window = new double[windowLength];
        for (int n = 0; n < windowLength; n++) {
            // The periodic form divides by N rather than N - 1, as spectral analysis expects.
            window[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / windowLength);
        }
        windowOffset = (config.fftSize() - windowLength) / 2;
        filterStart = new int[config.melBands()];
        filterWeights = new double[config.melBands()][];
        buildFilterbank();
    }

    /** Returns the validated config. */
    public Config config() {
        return config;
    }

    /** Returns the number of output values, {@code melBands * frames}. */
    public int outputSize() {
        return config.melBands() * config.frames();
    }

    /** Converts a frequency in Hz to HTK mels: {@code 2595 log10(1 + f / 700)}. */
    public static double hertzToMel(double hertz) {
        return 2595 * Math.log10(1 + hertz / 700);
    }

    /** Converts HTK mels back to Hz, the inverse of {@link #hertzToMel}. */
    public static double melToHertz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    /**
     * Returns the centre frequency in Hz of mel band {@code band}, counted from 0 at the lowest
     * frequency.
     */
    public double bandCentre(int band) {
        return melEdge(band + 1);
    }

    private double melEdge(int index) {
        double low = hertzToMel(config.minFrequency());
        double high = hertzToMel(config.maxFrequency());
        return melToHertz(low + (high - low) * index / (config.melBands() + 1));
    }

    private void buildFilterbank() {
        int bins = config.fftSize() / 2 + 1;
        double binWidth = (double) config.sampleRate() / config.fftSize();
        for (int band = 0; band < config.melBands(); band++) {
            double lower = melEdge(band);
            double centre = melEdge(band + 1);
            double upper = melEdge(band + 2);
            int first = Math.max(0, (int) Math.ceil(lower / binWidth));
            int last = Math.min(bins - 1, (int) Math.floor(upper / binWidth));
            double[] weights = new double[Math.max(0, last - first + 1)];
            boolean any = false;
            for (int k = first; k <= last; k++) {
                double frequency = k * binWidth;
                double rising = (frequency - lower) / (centre - lower);
                double falling = (upper - frequency) / (upper - centre);
                weights[k - first] = Math.max(0, Math.min(rising, falling));
                any |= weights[k - first] > 0;
            }
            if (!any) {
                throw new UserError(
                        "audio.mel_bands " + config.melBands() + " is too high: mel band "
                                + band + " (" + Math.round(lower) + " to " + Math.round(upper)
                                + " Hz) contains no FFT bin of width " + binWidth
                                + " Hz; lower audio.mel_bands or raise audio.fft_size");
            }
            filterStart[band] = first;
            filterWeights[band] = weights;
        }
    }

    /**
     * Computes the log-mel spectrogram of {@code samples}.
     *
     * @param samples mono amplitudes at {@code config().sampleRate()}, any length including 0
     * @return {@code melBands * frames} natural-log mel powers, indexed {@code band * frames +
     *     frame}
     */
    public float[] compute(float[] samples) {
        int frames = config.frames();
        int hop = config.hopLength();
        int windowLength = config.windowLength();
        int natural = naturalFrameCount(samples.length);
        int first = natural > frames ? (natural - frames) / 2 : 0;
        int computed = Math.min(natural, frames);

        float[] output = new float[config.melBands() * frames];
        Arrays.fill(output, PAD_VALUE);
        DoubleFFT_1D fft = new DoubleFFT_1D(config.fftSize());
        double[] buffer = new double[config.fftSize()];
        double[] power = new double[config.fftSize() / 2 + 1];
        for (int frame = 0; frame < computed; frame++) {
            int start = (first + frame) * hop;
            Arrays.fill(buffer, 0);
            int available = Math.min(windowLength, samples.length - start);
            for (int n = 0; n < available; n++) {
                buffer[windowOffset + n] = samples[start + n] * window[n];
            }
            fft.realForward(buffer);
            powerSpectrum(buffer, power);
            for (int band = 0; band < config.melBands(); band++) {
                double[] weights = filterWeights[band];
                int bin = filterStart[band];
                double sum = 0;
                for (int i = 0; i < weights.length; i++) {
                    sum += weights[i] * power[bin + i];
                }
                output[band * frames + frame] = (float) Math.log(sum + LOG_OFFSET);
            }
        }
        return output;
    }

    /** Returns the frame count of a signal before padding or cropping to {@code frames}. */
    int naturalFrameCount(int length) {
        if (length == 0) {
            return 0;
        }
        if (length < config.windowLength()) {
            return 1;
        }
        return 1 + (length - config.windowLength()) / config.hopLength();
    }

    /**
     * Writes {@code re^2 + im^2} of bins {@code 0 .. n / 2} from the packed output of {@code
     * realForward} for a transform of length {@code n = spectrum.length}.
     */
    static void powerSpectrum(double[] spectrum, double[] power) {
        int n = spectrum.length;
        // JTransforms packs bin 0 (real) into a[0]. For even n, a[1] is the real bin n/2 and
        // a[2k], a[2k+1] are bin k. For odd n, a[1] is the imaginary part of bin (n-1)/2, whose
        // real part is a[n-1].
        power[0] = spectrum[0] * spectrum[0];
        int half = n / 2;
        if (n % 2 == 0) {
            if (n > 1) {
                power[half] = spectrum[1] * spectrum[1];
            }
            for (int k = 1; k < half; k++) {
                power[k] = square(spectrum[2 * k], spectrum[2 * k + 1]);
            }
        } else {
            for (int k = 1; k < half; k++) {
                power[k] = square(spectrum[2 * k], spectrum[2 * k + 1]);
            }
            if (half > 0) {
                power[half] = square(spectrum[n - 1], spectrum[1]);
            }
        }
    }

    private static double square(double re, double im) {
        return re * re + im * im;
    }
}
