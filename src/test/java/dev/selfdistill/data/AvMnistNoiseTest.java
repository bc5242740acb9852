package dev.selfdistill.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The test audio rebuilt with extra waveform noise, on a slice of the real data. */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AvMnistNoiseTest {
    @TempDir static Path temp;
    private Path dataDir;
    private AvMnistConfig config;

    @BeforeAll
    void locateData() {
        Path prepared = Path.of("/tmp/sd-data");
        if (Files.isDirectory(prepared.resolve("av-mnist"))) {
            dataDir = prepared;
        } else {
            dataDir = temp.resolve("data");
            Path mirror = TestFiles.sharedData("");
            AvMnistData.fetch(
                    dataDir,
                    mirror,
                    true,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        }
        config = new AvMnistConfig(null, 300, null, null, null, null, null, null).withDefaults();
    }

    private static double meanAbsoluteDifference(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }

    @Test
    void replayMatchesPreparedTestAudio() {
        AvMnist.Splits splits = AvMnist.prepare(AvMnistData.locate(dataDir), config);
        AvMnist.TestReplay replay =
                AvMnist.replayTestSplit(dataDir, config, new double[] {200, -10}, 7);
        float[] clean = splits.test().inputs(splits.test().modalityIndex("audio"));
        assertArrayEquals(clean, replay.cleanTestAudio());
        assertEquals(2, replay.noisyAudio().size());
        // Noise 200 dB below the speech is lost in float rounding, so the features stay put,
        // while noise 10 dB above it moves them by a large part of their unit sd.
        double quiet = meanAbsoluteDifference(clean, replay.noisyAudio().get(0));
        double loud = meanAbsoluteDifference(clean, replay.noisyAudio().get(1));
        assertTrue(quiet < 1e-4, "200 dB SNR changed the features by " + quiet);
        assertTrue(loud > 0.1, "-10 dB SNR changed the features by only " + loud);
        // Digits are mostly black background, so black lies below the mean and white above it,
        // and white - black = 1 / sd > 1 because degraded pixels have an sd below 1.
        assertTrue(replay.blackPixel() < 0, "black pixel at " + replay.blackPixel());
        assertTrue(
                replay.whitePixel() > replay.blackPixel() + 1,
                "white pixel at " + replay.whitePixel());
    }

    @Test
    void sameSeedGivesSameNoise() {
        double[] snr = {0};
        float[] first = AvMnist.replayTestSplit(dataDir, config, snr, 3).noisyAudio().get(0);
        float[] second = AvMnist.replayTestSplit(dataDir, config, snr, 3).noisyAudio().get(0);
        float[] other = AvMnist.replayTestSplit(dataDir, config, snr, 4).noisyAudio().get(0);
        assertArrayEquals(first, second);
        assertTrue(meanAbsoluteDifference(first, other) > 0, "another seed must draw other noise");
    }
}
