package dev.selfdistill.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.UserError;
import dev.selfdistill.data.LogMelSpectrogram.Config;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.jtransforms.fft.DoubleFFT_1D;
import org.junit.jupiter.api.Test;

class LogMelSpectrogramTest {
    private static final Config DEFAULTS = Config.defaults();

    private static float[] tone(double frequency, int length) {
        float[] samples = new float[length];
        for (int n = 0; n < length; n++) {
            samples[n] = (float) (0.5 * Math.sin(2 * Math.PI * frequency * n / 8000));
        }
        return samples;
    }

    private static float value(float[] output, int band, int frame) {
        return output[band * DEFAULTS.frames() + frame];
    }

    @Test
    void defaultsMatchDocumentation() {
        assertEquals(new Config(8000, 256, 256, 128, 32, 48, 0, 4000), DEFAULTS);
        assertEquals(32 * 48, new LogMelSpectrogram(DEFAULTS).outputSize());
    }

    @Test
    void toneOfOneKilohertzPeaksInNearestBand() {
        // Band b has its centre at mel edge b + 1 of 34 edges evenly spaced in HTK mel.
        double highMel = 2595 * Math.log10(1 + 4000 / 700.0);
        int expectedBand = -1;
        double nearest = Double.MAX_VALUE;
        for (int band = 0; band < 32; band++) {
            double mel = highMel * (band + 1) / 33;
            double centre = 700 * (Math.pow(10, mel / 2595) - 1);
            if (Math.abs(centre - 1000) < nearest) {
                nearest = Math.abs(centre - 1000);
                expectedBand = band;
            }
        }
        LogMelSpectrogram spectrogram = new LogMelSpectrogram(DEFAULTS);
        float[] output = spectrogram.compute(tone(1000, 8000));
        assertEquals(32 * 48, output.length);
        for (int frame = 0; frame < 48; frame++) {
            int peak = 0;
            for (int band = 1; band < 32; band++) {
                if (value(output, band, frame) > value(output, peak, frame)) {
                    peak = band;
                }
            }
            assertEquals(expectedBand, peak, "frame " + frame);
        }
        assertEquals(nearest, Math.abs(spectrogram.bandCentre(expectedBand) - 1000), 1e-9);
    }

    @Test
    void outputIsBandMajor() {
        // Silence for the first half, then the tone: only late frames of the band carry power.
        float[] samples = new float[128 * 47 + 256];
        float[] tone = tone(1000, samples.length);
        int toneStart = samples.length / 2;
        System.arraycopy(tone, toneStart, samples, toneStart, samples.length - toneStart);
        float[] output = new LogMelSpectrogram(DEFAULTS).compute(samples);
        int band = 14;
        assertEquals(LogMelSpectrogram.PAD_VALUE, value(output, band, 0));
        assertEquals(LogMelSpectrogram.PAD_VALUE, value(output, band, 20));
        assertTrue(value(output, band, 40) > LogMelSpectrogram.PAD_VALUE + 10);
        assertTrue(value(output, band, 47) > LogMelSpectrogram.PAD_VALUE + 10);
    }

    @Test
    void padsShortSignalWithSilence() {
        LogMelSpectrogram spectrogram = new LogMelSpectrogram(DEFAULTS);
        // 1000 samples give 1 + (1000 - 256) / 128 = 6 frames.
        assertEquals(6, spectrogram.naturalFrameCount(1000));
        float[] output = spectrogram.compute(tone(1000, 1000));
        assertEquals(32 * 48, output.length);
        for (int band = 0; band < 32; band++) {
            for (int frame = 6; frame < 48; frame++) {
                assertEquals(LogMelSpectrogram.PAD_VALUE, value(output, band, frame),
                        "band " + band + " frame " + frame);
            }
        }
        for (int frame = 0; frame < 6; frame++) {
            assertTrue(value(output, 14, frame) > LogMelSpectrogram.PAD_VALUE + 10);
        }
        assertEquals((float) Math.log(1e-6), LogMelSpectrogram.PAD_VALUE);
    }

    @Test
    void padsEmptyAndSubWindowSignals() {
        LogMelSpectrogram spectrogram = new LogMelSpectrogram(DEFAULTS);
        float[] empty = spectrogram.compute(new float[0]);
        for (float value : empty) {
            assertEquals(LogMelSpectrogram.PAD_VALUE, value);
        }
        assertEquals(1, spectrogram.naturalFrameCount(100));
        float[] tiny = spectrogram.compute(tone(1000, 100));
        assertTrue(value(tiny, 14, 0) > LogMelSpectrogram.PAD_VALUE + 10);
        assertEquals(LogMelSpectrogram.PAD_VALUE, value(tiny, 14, 1));
    }

    @Test
    void cropsLongSignalToCentreFrames() {
        Random random = new Random(7);
        int natural = 48 + 21;
        float[] samples = new float[(natural - 1) * 128 + 256 + 50];
        for (int n = 0; n < samples.length; n++) {
            samples[n] = (float) random.nextGaussian() * 0.1f;
        }
        LogMelSpectrogram spectrogram = new LogMelSpectrogram(DEFAULTS);
        assertEquals(natural, spectrogram.naturalFrameCount(samples.length));
        // The centre 48 of 69 frames start at frame (69 - 48) / 2 = 10.
        int start = 10 * 128;
        float[] slice = new float[47 * 128 + 256];
        System.arraycopy(samples, start, slice, 0, slice.length);
        assertArrayEquals(spectrogram.compute(slice), spectrogram.compute(samples));
    }

    @Test
    void powerSpectrumMatchesDft() {
        Random random = new Random(3);
        for (int n : new int[] {16, 15, 2, 1}) {
            double[] signal = new double[n];
            for (int i = 0; i < n; i++) {
                signal[i] = random.nextGaussian();
            }
            double[] packed = signal.clone();
            new DoubleFFT_1D(n).realForward(packed);
            double[] power = new double[n / 2 + 1];
            LogMelSpectrogram.powerSpectrum(packed, power);
            for (int k = 0; k <= n / 2; k++) {
                double re = 0;
                double im = 0;
                for (int t = 0; t < n; t++) {
                    re += signal[t] * Math.cos(2 * Math.PI * k * t / n);
                    im -= signal[t] * Math.sin(2 * Math.PI * k * t / n);
                }
                assertEquals(re * re + im * im, power[k], 1e-9, "n " + n + " bin " + k);
            }
        }
    }

    @Test
    void windowShorterThanFftIsCentred() {
        Config config = new Config(8000, 512, 200, 80, 40, 10, 20, 3800);
        LogMelSpectrogram spectrogram = new LogMelSpectrogram(config);
        float[] output = spectrogram.compute(tone(2000, 8000));
        assertEquals(400, output.length);
        int peak = 0;
        for (int band = 1; band < 40; band++) {
            if (output[band * 10] > output[peak * 10]) {
                peak = band;
            }
        }
        assertTrue(Math.abs(spectrogram.bandCentre(peak) - 2000) < 100,
                "peak centre " + spectrogram.bandCentre(peak));
    }

    @Test
    void computeIsThreadSafe() {
        LogMelSpectrogram spectrogram = new LogMelSpectrogram(DEFAULTS);
        List<float[]> inputs = IntStream.range(0, 32)
                .mapToObj(i -> tone(300 + 100 * i, 7000 + 37 * i))
                .toList();
        List<float[]> sequential = inputs.stream().map(spectrogram::compute).toList();
        List<float[]> parallel = inputs.parallelStream().map(spectrogram::compute).toList();
        for (int i = 0; i < inputs.size(); i++) {
            assertArrayEquals(sequential.get(i), parallel.get(i), "input " + i);
        }
    }

    private record InvalidCase(Config config, String message) {}

    @Test
    void validationNamesKey() {
        List<InvalidCase> cases = List.of(
                new InvalidCase(new Config(0, 256, 256, 128, 32, 48, 0, 0),
                        "audio.sample_rate must be a positive integer, got 0"),
                new InvalidCase(new Config(8000, -1, 256, 128, 32, 48, 0, 4000),
                        "audio.fft_size must be a positive integer, got -1"),
                new InvalidCase(new Config(8000, 256, 0, 128, 32, 48, 0, 4000),
                        "audio.window_length must be a positive integer, got 0"),
                new InvalidCase(new Config(8000, 256, 512, 128, 32, 48, 0, 4000),
                        "audio.window_length must be at most audio.fft_size (256), got 512"),
                new InvalidCase(new Config(8000, 256, 256, 0, 32, 48, 0, 4000),
                        "audio.hop_length must be a positive integer, got 0"),
                new InvalidCase(new Config(8000, 256, 256, 128, 0, 48, 0, 4000),
                        "audio.mel_bands must be a positive integer, got 0"),
                new InvalidCase(new Config(8000, 256, 256, 128, 32, -4, 0, 4000),
                        "audio.frames must be a positive integer, got -4"));
        for (InvalidCase invalid : cases) {
            UserError error = assertThrows(UserError.class, invalid.config()::validate);
            assertEquals(invalid.message(), error.getMessage());
        }
    }

    @Test
    void validationChecksFrequencies() {
        UserError negative = assertThrows(UserError.class,
                () -> new Config(8000, 256, 256, 128, 32, 48, -1, 4000).validate());
        assertTrue(negative.getMessage().startsWith("audio.min_frequency"),
                negative.getMessage());
        UserError aboveNyquist = assertThrows(UserError.class,
                () -> new Config(8000, 256, 256, 128, 32, 48, 0, 4001).validate());
        assertTrue(aboveNyquist.getMessage().startsWith(
                "audio.max_frequency must be at most half of audio.sample_rate (4000.0 Hz)"),
                aboveNyquist.getMessage());
        UserError inverted = assertThrows(UserError.class,
                () -> new Config(8000, 256, 256, 128, 32, 48, 3000, 3000).validate());
        assertTrue(inverted.getMessage().startsWith(
                "audio.max_frequency must be greater than audio.min_frequency"),
                inverted.getMessage());
        UserError notNumber = assertThrows(UserError.class,
                () -> new Config(8000, 256, 256, 128, 32, 48, 0, Double.NaN).validate());
        assertTrue(notNumber.getMessage().startsWith("audio.max_frequency"),
                notNumber.getMessage());
        assertEquals(DEFAULTS, DEFAULTS.validate());
    }

    @Test
    void rejectsBandsWithoutBins() {
        Config config = new Config(8000, 64, 64, 32, 64, 10, 0, 4000);
        UserError error = assertThrows(UserError.class, () -> new LogMelSpectrogram(config));
        assertTrue(error.getMessage().startsWith("audio.mel_bands 64 is too high"),
                error.getMessage());
    }

    @Test
    void computesSharedFsddFile() {
        var wave = WavReader.read(
                TestFiles.sharedData("fsdd/recordings").resolve("3_theo_10.wav"));
        float[] output = new LogMelSpectrogram(DEFAULTS).compute(wave.samples());
        float max = Float.NEGATIVE_INFINITY;
        for (float value : output) {
            assertTrue(Float.isFinite(value));
            max = Math.max(max, value);
        }
        assertTrue(max > LogMelSpectrogram.PAD_VALUE + 10, "max " + max);
    }
}
