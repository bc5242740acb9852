package dev.selfdistill.data;

import static dev.selfdistill.data.TestFiles.pcm16;
import static dev.selfdistill.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.UserError;
import dev.selfdistill.data.TestFiles.Wav;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavReaderTest {
    private static final float EXACT = 1e-7f;

    @TempDir Path dir;

    private WavReader.Waveform read(byte[] bytes) {
        return WavReader.read(write(dir.resolve("test.wav"), bytes));
    }

    private UserError readError(byte[] bytes) {
        return assertThrows(UserError.class, () -> read(bytes));
    }

    @Test
    void readsPcm16() {
        WavReader.Waveform wave = read(TestFiles.wav16(8000, 0, 16384, -32768, 32767));
        assertEquals(8000, wave.sampleRate());
        assertArrayEquals(new float[] {0, 0.5f, -1, 32767 / 32768f}, wave.samples(), EXACT);
        assertEquals(4 / 8000.0, wave.durationSeconds(), 1e-12);
    }

    @Test
    void readsPcm8Unsigned() {
        byte[] data = {(byte) 128, (byte) 255, 0, (byte) 192};
        WavReader.Waveform wave = read(new Wav().format(1, 1, 11025, 8).data(data).bytes());
        assertEquals(11025, wave.sampleRate());
        assertArrayEquals(new float[] {0, 127 / 128f, -1, 0.5f}, wave.samples(), EXACT);
    }

    @Test
    void readsPcm24() {
        // 0x400000 = 0.5, 0xC00000 = -0.5, 0x800000 = -1, little-endian.
        byte[] data = {0, 0, 0x40, 0, 0, (byte) 0xC0, 0, 0, (byte) 0x80, 1, 0, 0};
        WavReader.Waveform wave = read(new Wav().format(1, 1, 48000, 24).data(data).bytes());
        assertArrayEquals(new float[] {0.5f, -0.5f, -1, 1 / 8388608f}, wave.samples(), EXACT);
    }

    @Test
    void readsPcm32() {
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        data.putInt(1 << 30).putInt(Integer.MIN_VALUE).putInt(-(1 << 29));
        WavReader.Waveform wave = read(new Wav().format(1, 1, 16000, 32).data(data.array())
                .bytes());
        assertArrayEquals(new float[] {0.5f, -1, -0.25f}, wave.samples(), EXACT);
    }

    @Test
    void readsFloat32AndClips() {
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(0.25f).putFloat(-1.5f).putFloat(2f);
        WavReader.Waveform wave = read(new Wav().format(3, 1, 8000, 32).data(data.array())
                .bytes());
        assertArrayEquals(new float[] {0.25f, -1, 1}, wave.samples(), EXACT);
    }

    @Test
    void readsFloat64() {
        ByteBuffer data = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        data.putDouble(-0.125).putDouble(0.75);
        WavReader.Waveform wave = read(new Wav().format(3, 1, 8000, 64).data(data.array())
                .bytes());
        assertArrayEquals(new float[] {-0.125f, 0.75f}, wave.samples(), EXACT);
    }

    @Test
    void readsExtensiblePcmAndFloat() {
        WavReader.Waveform pcm = read(new Wav().extensible(1, 1, 8000, 16)
                .data(pcm16(16384, -16384)).bytes());
        assertArrayEquals(new float[] {0.5f, -0.5f}, pcm.samples(), EXACT);

        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(0.5f).putFloat(-0.25f);
        WavReader.Waveform floats = read(new Wav().extensible(3, 1, 8000, 32)
                .data(data.array()).bytes());
        assertArrayEquals(new float[] {0.5f, -0.25f}, floats.samples(), EXACT);
    }

    @Test
    void averagesStereoToMono() {
        // Frames of (left, right): (0.5, -0.25) and (1.0 - 1/32768, 0.5 - 1/32768).
        byte[] data = pcm16(16384, -8192, 32767, 16383);
        WavReader.Waveform wave = read(new Wav().format(1, 2, 8000, 16).data(data).bytes());
        assertEquals(2, wave.samples().length);
        assertEquals(0.125f, wave.samples()[0], EXACT);
        assertEquals((32767 + 16383) / 65536f, wave.samples()[1], EXACT);
    }

    @Test
    void skipsUnknownChunksWithPadByte() {
        byte[] bytes = new Wav()
                .chunk("LIST", new byte[] {1, 2, 3})
                .format(1, 1, 8000, 16)
                .chunk("fact", new byte[] {9})
                .data(pcm16(8192, -8192, 0))
                .chunk("id3 ", new byte[] {4, 5, 6, 7, 8})
                .bytes();
        WavReader.Waveform wave = read(bytes);
        assertArrayEquals(new float[] {0.25f, -0.25f, 0}, wave.samples(), EXACT);
    }

    @Test
    void dropsIncompleteLastFrame() {
        byte[] data = {0, 0x40, 0, (byte) 0xC0, 1};
        WavReader.Waveform wave = read(new Wav().format(1, 1, 8000, 16).data(data).bytes());
        assertArrayEquals(new float[] {0.5f, -0.5f}, wave.samples(), EXACT);
    }

    @Test
    void rejectsAdpcmWithFormatCode() {
        UserError error = readError(new Wav().format(2, 1, 8000, 4).data(new byte[8]).bytes());
        assertTrue(error.getMessage().contains("ADPCM (format 2) is not supported"),
                error.getMessage());
        assertTrue(error.getMessage().contains("sox in.wav -e signed -b 16 out.wav"),
                error.getMessage());
        assertTrue(error.getMessage().contains(dir.resolve("test.wav").toString()),
                error.getMessage());
    }

    @Test
    void rejectsUnknownExtensibleSubFormat() {
        UserError error = readError(new Wav().extensible(0x55, 1, 8000, 16).data(new byte[4])
                .bytes());
        assertTrue(error.getMessage().contains("MP3 (format 85) in WAVE_FORMAT_EXTENSIBLE"),
                error.getMessage());
    }

    @Test
    void rejectsUnsupportedBitDepth() {
        UserError pcm = readError(new Wav().format(1, 1, 8000, 12).data(new byte[4]).bytes());
        assertTrue(pcm.getMessage().contains("12-bit PCM"), pcm.getMessage());
        UserError floats = readError(new Wav().format(3, 1, 8000, 16).data(new byte[4]).bytes());
        assertTrue(floats.getMessage().contains("16-bit IEEE float"), floats.getMessage());
    }

    @Test
    void rejectsTruncatedDataChunk() {
        byte[] bytes = new Wav().format(1, 1, 8000, 16).chunk("data", 100, new byte[10]).bytes();
        UserError error = readError(bytes);
        assertTrue(error.getMessage().contains("truncated"), error.getMessage());
        assertTrue(error.getMessage().contains("declares 100 bytes but only 10 follow"),
                error.getMessage());
    }

    @Test
    void rejectsNonRiff() {
        UserError text = readError("hello, this is not audio".getBytes());
        assertTrue(text.getMessage().contains("not a RIFF/WAVE file"), text.getMessage());
        byte[] avi = new Wav().format(1, 1, 8000, 16).bytes();
        avi[8] = 'A';
        avi[9] = 'V';
        avi[10] = 'I';
        avi[11] = ' ';
        assertTrue(readError(avi).getMessage().contains("not a RIFF/WAVE file"));
        assertTrue(readError(new byte[0]).getMessage().contains("not a RIFF/WAVE file"));
    }

    @Test
    void rejectsMissingChunks() {
        UserError noFormat = readError(new Wav().data(pcm16(1, 2)).bytes());
        assertTrue(noFormat.getMessage().contains("no fmt chunk"), noFormat.getMessage());
        UserError noData = readError(new Wav().format(1, 1, 8000, 16).bytes());
        assertTrue(noData.getMessage().contains("no data chunk"), noData.getMessage());
        UserError shortFormat = readError(new Wav().chunk("fmt ", new byte[8]).data(pcm16(1))
                .bytes());
        assertTrue(shortFormat.getMessage().contains("fewer than the 16 required"),
                shortFormat.getMessage());
    }

    @Test
    void rejectsZeroChannelsRateAndEmptyData() {
        UserError channels = readError(new Wav().format(1, 0, 8000, 16).data(pcm16(1)).bytes());
        assertTrue(channels.getMessage().contains("zero channels"), channels.getMessage());
        UserError rate = readError(new Wav().format(1, 1, 0, 16).data(pcm16(1)).bytes());
        assertTrue(rate.getMessage().contains("invalid sample rate of 0 Hz"), rate.getMessage());
        UserError empty = readError(new Wav().format(1, 1, 8000, 16).data(new byte[0]).bytes());
        assertTrue(empty.getMessage().contains("empty data chunk"), empty.getMessage());
    }

    @Test
    void rejectsNonFiniteFloat() {
        ByteBuffer data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(0).putFloat(Float.NaN);
        UserError error = readError(new Wav().format(3, 1, 8000, 32).data(data.array()).bytes());
        assertTrue(error.getMessage().contains("non-finite sample (NaN) at frame 1"),
                error.getMessage());
    }

    @Test
    void rejectsMissingFile() {
        Path file = dir.resolve("absent.wav");
        UserError error = assertThrows(UserError.class, () -> WavReader.read(file));
        assertTrue(error.getMessage().contains(file + " not found"), error.getMessage());
    }

    @Test
    void readsSharedFsddFile() {
        Path file = TestFiles.sharedData("fsdd/recordings").resolve("0_george_0.wav");
        WavReader.Waveform wave = WavReader.read(file);
        assertEquals(8000, wave.sampleRate());
        // The data chunk contains 0x12a0 bytes of 16-bit samples, and the first one is 0xfa2f.
        assertEquals(0x12a0 / 2, wave.samples().length);
        assertEquals((short) 0xfa2f / 32768f, wave.samples()[0], EXACT);
        double peak = 0;
        for (float sample : wave.samples()) {
            peak = Math.max(peak, Math.abs(sample));
        }
        assertTrue(peak > 0.05, "peak " + peak);
        assertTrue(peak <= 1, "peak " + peak);
    }

    private static float[] sine(double frequency, int rate, int length) {
        float[] samples = new float[length];
        for (int n = 0; n < length; n++) {
            samples[n] = (float) Math.sin(2 * Math.PI * frequency * n / rate);
        }
        return samples;
    }

    /** Root mean square over the middle half, away from the zero-padded ends. */
    private static double middleRms(float[] samples) {
        double sum = 0;
        int from = samples.length / 4;
        int to = 3 * samples.length / 4;
        for (int n = from; n < to; n++) {
            sum += samples[n] * samples[n];
        }
        return Math.sqrt(sum / (to - from));
    }

    @Test
    void resampleKeepsSameRate() {
        float[] input = sine(440, 8000, 100);
        float[] output = WavReader.resample(input, 8000, 8000);
        assertArrayEquals(input, output);
        output[0] = 5;
        assertEquals(0, input[0]);
    }

    @Test
    void resampleOutputLength() {
        assertEquals(500, WavReader.resample(new float[1000], 16000, 8000).length);
        assertEquals(501, WavReader.resample(new float[1001], 16000, 8000).length);
        assertEquals(2000, WavReader.resample(new float[1000], 8000, 16000).length);
        assertEquals(0, WavReader.resample(new float[0], 44100, 8000).length);
    }

    @Test
    void resampleUpsamplesSine() {
        float[] output = WavReader.resample(sine(440, 8000, 4000), 8000, 16000);
        float[] expected = sine(440, 16000, 8000);
        float maxError = 0;
        for (int n = 2000; n < 6000; n++) {
            maxError = Math.max(maxError, Math.abs(output[n] - expected[n]));
        }
        assertTrue(maxError < 1e-3, "max error " + maxError);
    }

    @Test
    void resampleDownsampleKeepsPassband() {
        float[] output = WavReader.resample(sine(1000, 16000, 8000), 16000, 8000);
        float[] expected = sine(1000, 8000, 4000);
        float maxError = 0;
        for (int n = 1000; n < 3000; n++) {
            maxError = Math.max(maxError, Math.abs(output[n] - expected[n]));
        }
        assertTrue(maxError < 1e-3, "max error " + maxError);
    }

    @Test
    void resampleRemovesAliases() {
        // 6 kHz is above the 4 kHz Nyquist frequency of 8 kHz and would alias to 2 kHz.
        float[] output = WavReader.resample(sine(6000, 16000, 8000), 16000, 8000);
        assertTrue(middleRms(output) < 1e-3, "rms " + middleRms(output));
        float[] fromCd = WavReader.resample(sine(5000, 44100, 44100), 44100, 8000);
        assertEquals(8000, fromCd.length);
        assertTrue(middleRms(fromCd) < 1e-3, "rms " + middleRms(fromCd));
    }

    @Test
    void resampleRejectsBadRates() {
        assertThrows(IllegalArgumentException.class,
                () -> WavReader.resample(new float[4], 0, 8000));
        assertThrows(IllegalArgumentException.class,
                () -> WavReader.resample(new float[4], 8000, -1));
    }

    @Test
    void parseNamesSourceInMessages() {
        UserError error = assertThrows(UserError.class,
                () -> WavReader.parse(new byte[4], "archive.tar.gz entry x.wav"));
        assertTrue(error.getMessage().startsWith("File archive.tar.gz entry x.wav"),
                error.getMessage());
    }
}
