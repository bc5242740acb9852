package dev.selfdistill.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The AV-MNIST protocol on the real data: splits, pairing, degradation and the cache. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AvMnistTest {
    private Path temp;
    private Path dataDir;
    private AvMnistConfig config;

    @BeforeAll
    void fetch(@TempDir Path temp) {
        this.temp = temp;
        Path mirror = TestFiles.sharedData("mnist-10k").getParent();
        dataDir = temp.resolve("data");
        AvMnistData.fetch(dataDir, mirror, true, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        AvMnistConfig d = AvMnistConfig.defaults();
        config = new AvMnistConfig(7, 1000, d.validationFraction(), d.testFraction(), d.imageNoiseStd(), d.imageOcclusion(), d.audioSnrDb(), d.audio());
    }

    private static int recordingIndex(String name) {
        String stem = name.substring(0, name.length() - ".wav".length());
        return Integer.parseInt(stem.substring(stem.lastIndexOf('_') + 1));
    }

    @Test
    void recordingsFollowFsddSplits() {
        AvMnist.Splits splits = AvMnist.prepare(AvMnistData.locate(dataDir), config);
        for (String name : splits.recordings().get("test")) {
            assertTrue(recordingIndex(name) < 5, name + " is not an FSDD test recording");
        }
        for (String name : splits.recordings().get("validation")) {
            int index = recordingIndex(name);
            assertTrue(index >= 5 && index < 10, name + " is outside the validation indices 5-9");
        }
        for (String name : splits.recordings().get("train")) {
            assertTrue(recordingIndex(name) >= 10, name + " is outside the training indices 10-49");
        }
        Set<String> shared = new HashSet<>(splits.recordings().get("train"));
        shared.retainAll(splits.recordings().get("test"));
        assertTrue(shared.isEmpty(), "recordings shared by train and test: " + shared);
    }

    @Test
    void splitsAreStratifiedAndSized() {
        AvMnist.Splits splits = AvMnist.prepare(AvMnistData.locate(dataDir), config);
        assertEquals(1000, splits.train().size() + splits.validation().size() + splits.test().size());
        assertEquals(200, splits.test().size(), 10);
        assertEquals(100, splits.validation().size(), 10);
        for (MultimodalDataset split : List.of(splits.train(), splits.validation(), splits.test())) {
            for (int count : split.classCounts()) {
                assertTrue(count > 0, "every class must appear in every split");
            }
        }
        assertEquals(List.of("image", "audio"), splits.train().modalities());
        assertEquals(32 * 48, splits.train().sampleSize(1));
    }

    @Test
    void sameSeedGivesSameData() {
        AvMnist.Splits first = AvMnist.prepare(AvMnistData.locate(dataDir), config);
        AvMnist.Splits second = AvMnist.prepare(AvMnistData.locate(dataDir), config);
        assertTrue(java.util.Arrays.equals(first.test().inputs(1), second.test().inputs(1)));
        assertTrue(java.util.Arrays.equals(first.train().labels(), second.train().labels()));
    }

    @Test
    void trainingStatisticsStandardiseTrainSplit() {
        AvMnist.Splits splits = AvMnist.prepare(AvMnistData.locate(dataDir), config);
        for (int m = 0; m < 2; m++) {
            float[] values = splits.train().inputs(m);
            double sum = 0;
            double squares = 0;
            for (float v : values) {
                sum += v;
                squares += v * v;
            }
            double mean = sum / values.length;
            assertEquals(0, mean, 1e-3);
            assertEquals(1, Math.sqrt(squares / values.length - mean * mean), 1e-3);
        }
    }

    @Test
    void noiseAtInfiniteSnrLeavesSignal() {
        float[] signal = {0.1f, -0.2f, 0.3f};
        float[] same = AvMnist.addNoise(signal, Double.POSITIVE_INFINITY, new java.util.Random(1));
        assertTrue(java.util.Arrays.equals(signal, same));
        float[] noisy = AvMnist.addNoise(signal, 0, new java.util.Random(1));
        assertFalse(java.util.Arrays.equals(signal, noisy));
    }

    @Test
    void secondLoadReadsCacheWithoutDecoding(@TempDir Path own) throws IOException {
        // A data folder of its own, because this test damages the recordings.
        Path dataDir = own.resolve("data");
        AvMnistData.fetch(dataDir, TestFiles.sharedData("mnist-10k").getParent(), false, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        AvMnist.Splits first = AvMnist.load(dataDir, config);
        try (Stream<Path> files = Files.list(dataDir.resolve("cache"))) {
            assertEquals(1, files.filter(p -> p.getFileName().toString().endsWith(".bin")).count());
        }
        // Overwrite every recording with garbage of the same size and time stamp: a load that
        // decoded WAV files would now fail, a load from the cache does not notice.
        Path recordings = dataDir.resolve("av-mnist/fsdd/recordings");
        try (Stream<Path> files = Files.list(recordings)) {
            for (Path file : files.toList()) {
                FileTime time = Files.getLastModifiedTime(file);
                Files.write(file, new byte[(int) Files.size(file)]);
                Files.setLastModifiedTime(file, time);
            }
        }
        AvMnist.Splits second = AvMnist.load(dataDir, config);
        assertTrue(java.util.Arrays.equals(first.test().inputs(1), second.test().inputs(1)));
        assertEquals(first.description(), second.description());
    }
}
