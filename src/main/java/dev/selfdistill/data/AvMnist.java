package dev.selfdistill.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.selfdistill.UserError;
import dev.selfdistill.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds AV-MNIST: pairs of a handwritten digit (MNIST) and a spoken digit (Free Spoken Digit
 * Dataset) with the same label, as in CentralNet (Vielzeuf et al., 2018) and MultiBench (Liang et
 * al., 2021).
 *
 * <p>Protocol:
 *
 * <ul>
 *   <li>Images are split into train, validation and test, stratified by class. With the full
 *       MNIST download the official 10,000 test images are the test split.
 *   <li>Recordings are split by FSDD's own convention: indices 0-4 of every speaker and digit are
 *       test recordings. Indices 5-9 are held out for validation and 10-49 are training, so no
 *       recording is shared between any two splits.
 *   <li>Each image gets a recording of the same digit from its split's pool, drawn with the
 *       data seed. A recording may serve several images, each with its own noise.
 *   <li>Degradation: Gaussian pixel noise and an erased square on images; white noise at a fixed
 *       signal-to-noise ratio on the waveform before the log-mel transform.
 *   <li>Each modality is standardised with the mean and standard deviation of the training split.
 * </ul>
 *
 * <p>The prepared splits are cached under the data folder, keyed by a hash of the config and the
 * source files, so a second run decodes no WAV file.
 */
public final class AvMnist {
    private static final Logger LOG = LoggerFactory.getLogger(AvMnist.class);
    private static final int CACHE_FORMAT = 1;
    private static final int NUM_CLASSES = 10;
    private static final int TEST_RECORDING_END = 5;
    private static final int VALIDATION_RECORDING_END = 10;

    /**
     * The three splits with lines of provenance.
     *
     * @param recordings per split ({@code train}, {@code validation}, {@code test}), the file
     *     names of the recordings paired with its images; empty when loaded from the cache
     */
    public record Splits(
            MultimodalDataset train,
            MultimodalDataset validation,
            MultimodalDataset test,
            List<String> description,
            java.util.Map<String, java.util.Set<String>> recordings) {

        /** Returns the same splits with every dataset reduced to the named modalities. */
        public Splits onlyModalities(List<String> names) {
            return new Splits(train.onlyModalities(names), validation.onlyModalities(names), test.onlyModalities(names), description, recordings);
        }
    }

    private AvMnist() {}

    /** Loads the prepared splits from the cache, or prepares and caches them. */
    public static Splits load(Path dataDir, AvMnistConfig config) {
        config.validate();
        AvMnistData.Files files = AvMnistData.locate(dataDir);
        String key = cacheKey(files, config);
        Path cacheFile = dataDir.resolve("cache").resolve("av-mnist-" + key + ".bin");
        if (Files.isRegularFile(cacheFile)) {
            try {
                Splits cached = readCache(cacheFile);
                LOG.info("Loaded prepared AV-MNIST from {}", cacheFile);
                return cached;
            } catch (IOException | RuntimeException e) {
                LOG.warn("Ignoring unreadable cache {} ({}); preparing again", cacheFile, e.toString());
            }
        }
        long start = System.nanoTime();
        Splits splits = prepare(files, config);
        writeCache(cacheFile, splits);
        LOG.info(
                "Prepared AV-MNIST in {} s and cached it in {}",
                String.format("%.1f", (System.nanoTime() - start) / 1e9),
                cacheFile);
        return splits;
    }

    /** Prepares the splits from the source files, without touching the cache. */
    public static Splits prepare(AvMnistData.Files files, AvMnistConfig config) {
        return prepare(files, config, null);
    }

    /**
     * What a robustness sweep needs from a replay of the test split's preparation.
     *
     * @param cleanTestAudio the standardised test audio as {@link #prepare} builds it, which the
     *     caller compares with the split it evaluates to confirm that the replay matches
     * @param noisyAudio per SNR level, the standardised log-mel features of every test sample,
     *     sample-major as in {@link MultimodalDataset#inputs}
     * @param blackPixel the standardised value of a pixel of 0 (black) before degradation
     * @param whitePixel the standardised value of a pixel of 1 (white) before degradation
     */
    public record TestReplay(
            float[] cleanTestAudio, List<float[]> noisyAudio, float blackPixel, float whitePixel) {}

    /**
     * Rebuilds the test split's audio exactly as {@link #prepare} does (same recording and same
     * degradation noise per sample) and computes its log-mel features again after adding extra
     * white Gaussian noise to the waveform, once per level. At level s dB the extra noise has power
     * P / 10^(s / 10), where P is the mean square of the clean recording, so s is the SNR of the
     * extra noise alone. The total SNR also counts the noise at {@code audio_snr_db}. Features are
     * standardised with the training split's audio mean and sd, as in {@link #prepare}. This is
     * exact where noise added to the standardised features would only approximate white noise on
     * the waveform. The replay also returns where black and white pixels lie after the images'
     * standardisation, which salt-and-pepper noise needs.
     *
     * <p>Level k draws its noise from {@code new Random(seed + k)}, sample after sample, so every
     * call with the same arguments returns the same arrays. The call prepares every split again
     * from the sources, which takes a few seconds for the 10,000-image default.
     *
     * @param snrDb SNR of the extra noise at each level, in dB
     */
    public static TestReplay replayTestSplit(
            Path dataDir, AvMnistConfig config, double[] snrDb, long seed) {
        config.validate();
        ReplayState replay = new ReplayState(new LogMelSpectrogram(config.audio()), snrDb, seed);
        Splits splits = prepare(AvMnistData.locate(dataDir), config, replay);
        float[] clean = splits.test().inputs(splits.test().modalityIndex("audio"));
        return new TestReplay(
                clean, replay.levels(), replay.standardisedPixel(0), replay.standardisedPixel(1));
    }

    private static Splits prepare(
            AvMnistData.Files files, AvMnistConfig config, ReplayState replay) {
        Random random = new Random(config.seed());
        ImagePool images = readImages(files, config, random);
        List<AudioFiles.Recording> recordings = AudioFiles.listFsdd(files.recordings());
        List<List<AudioFiles.Recording>> trainPool = recordingPool(recordings, VALIDATION_RECORDING_END, Integer.MAX_VALUE);
        List<List<AudioFiles.Recording>> validationPool = recordingPool(recordings, TEST_RECORDING_END, VALIDATION_RECORDING_END);
        List<List<AudioFiles.Recording>> testPool = recordingPool(recordings, 0, TEST_RECORDING_END);

        LogMelSpectrogram logMel = new LogMelSpectrogram(config.audio());
        WaveformCache waveforms = new WaveformCache(config.audio().sampleRate());
        Raw train =
                pair(
                        images.train,
                        trainPool,
                        logMel,
                        waveforms,
                        config,
                        new Random(random.nextLong()),
                        null);
        Raw validation =
                pair(
                        images.validation,
                        validationPool,
                        logMel,
                        waveforms,
                        config,
                        new Random(random.nextLong()),
                        null);
        Raw test =
                pair(
                        images.test,
                        testPool,
                        logMel,
                        waveforms,
                        config,
                        new Random(random.nextLong()),
                        replay);
        java.util.Map<String, java.util.Set<String>> used = new java.util.LinkedHashMap<>();
        used.put("train", train.recordings);
        used.put("validation", validation.recordings);
        used.put("test", test.recordings);

        // Standardise with training statistics only, so validation and test stay unseen.
        for (int m = 0; m < 2; m++) {
            double[] meanSd = meanAndSd(train.inputs[m]);
            for (Raw split : List.of(train, validation, test)) {
                standardise(split.inputs[m], meanSd[0], meanSd[1]);
            }
            if (replay != null) {
                replay.standardise(m, meanSd);
            }
        }
        List<String> description = new ArrayList<>();
        description.add(
                String.format(
                        "AV-MNIST: %d train, %d validation, %d test pairs from %d MNIST images and %d FSDD recordings (data seed %d)",
                        train.labels.length,
                        validation.labels.length,
                        test.labels.length,
                        images.total,
                        recordings.size(),
                        config.seed()));
        description.add(
                String.format(
                        "Degradation: image Gaussian noise sd %.2f and a %dx%d erased square; audio white noise at %.1f dB SNR",
                        config.imageNoiseStd(),
                        config.imageOcclusion(),
                        config.imageOcclusion(),
                        config.audioSnrDb()));
        LogMelSpectrogram.Config a = config.audio();
        description.add(
                String.format(
                        "Audio features: log-mel, %d Hz, FFT %d, window %d, hop %d, %d mel bands, %d frames",
                        a.sampleRate(), a.fftSize(), a.windowLength(), a.hopLength(), a.melBands(), a.frames()));
        return new Splits(train.toDataset(config), validation.toDataset(config), test.toDataset(config), description, used);
    }

    /** Returns the names of the two modalities, in input order. */
    public static List<String> modalities() {
        return List.of("image", "audio");
    }

    private record ImagePool(Images train, Images validation, Images test, int total) {}

    /** Images of one split as floats in [0, 1] before degradation. */
    private record Images(float[] pixels, int[] labels) {}

    private static ImagePool readImages(AvMnistData.Files files, AvMnistConfig config, Random random) {
        IdxReader.IdxImages trainSet = IdxReader.readImages(files.trainImages());
        byte[] trainLabels = IdxReader.readLabels(files.trainLabels());
        checkCounts(files.trainImages(), trainSet, files.trainLabels(), trainLabels);
        checkShape(files.trainImages(), trainSet);
        int[] trainIndices = limit(IntStream.range(0, trainSet.count()).toArray(), config.maxImages(), random);
        if (files.testImages() == null) {
            int[][] parts = stratifiedSplit(trainIndices, trainLabels, new double[] {config.testFraction(), config.validationFraction()}, random);
            return new ImagePool(
                    select(trainSet, trainLabels, parts[2]),
                    select(trainSet, trainLabels, parts[1]),
                    select(trainSet, trainLabels, parts[0]),
                    trainIndices.length);
        }
        IdxReader.IdxImages testSet = IdxReader.readImages(files.testImages());
        byte[] testLabels = IdxReader.readLabels(files.testLabels());
        checkCounts(files.testImages(), testSet, files.testLabels(), testLabels);
        checkShape(files.testImages(), testSet);
        int[] testIndices = limit(IntStream.range(0, testSet.count()).toArray(), config.maxImages() == 0 ? 0 : Math.max(1, (int) Math.round(config.maxImages() * config.testFraction())), random);
        int[][] parts = stratifiedSplit(trainIndices, trainLabels, new double[] {config.validationFraction()}, random);
        return new ImagePool(
                select(trainSet, trainLabels, parts[1]),
                select(trainSet, trainLabels, parts[0]),
                select(testSet, testLabels, testIndices),
                trainIndices.length + testIndices.length);
    }

    private static void checkCounts(Path imageFile, IdxReader.IdxImages images, Path labelFile, byte[] labels) {
        if (images.count() != labels.length) {
            throw new UserError(
                    labelFile + ": has " + labels.length + " labels but " + imageFile + " has " + images.count()
                            + " images; the two files must come from the same MNIST release, re-fetch them with `selfdistill data fetch av-mnist`");
        }
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i] & 0xff;
            if (label >= NUM_CLASSES) {
                throw new UserError(labelFile + ": label " + label + " at position " + i + " is not a digit 0-9; the file is not an MNIST label file");
            }
        }
    }

    private static void checkShape(Path file, IdxReader.IdxImages images) {
        if (images.rows() != 28 || images.columns() != 28) {
            throw new UserError(file + ": images are " + images.rows() + "x" + images.columns() + ", expected MNIST's 28x28");
        }
    }

    private static int[] limit(int[] indices, int max, Random random) {
        if (max <= 0 || max >= indices.length) {
            return indices;
        }
        int[] shuffled = indices.clone();
        shuffle(shuffled, random);
        int[] kept = java.util.Arrays.copyOf(shuffled, max);
        java.util.Arrays.sort(kept);
        return kept;
    }

    /**
     * Splits indices per class: part k gets {@code fractions[k]} of each class, the last part the
     * rest. Rounding is per class, so every class appears in every part when it has enough samples.
     */
    static int[][] stratifiedSplit(int[] indices, byte[] labels, double[] fractions, Random random) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < NUM_CLASSES; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int index : indices) {
            byClass.get(labels[index] & 0xff).add(index);
        }
        List<List<Integer>> parts = new ArrayList<>();
        for (int k = 0; k <= fractions.length; k++) {
            parts.add(new ArrayList<>());
        }
        for (List<Integer> members : byClass) {
            java.util.Collections.shuffle(members, random);
            int offset = 0;
            for (int k = 0; k < fractions.length; k++) {
                int count = (int) Math.round(members.size() * fractions[k]);
                parts.get(k).addAll(members.subList(offset, Math.min(members.size(), offset + count)));
                offset = Math.min(members.size(), offset + count);
            }
            parts.get(fractions.length).addAll(members.subList(offset, members.size()));
        }
        int[][] result = new int[parts.size()][];
        for (int k = 0; k < parts.size(); k++) {
            result[k] = parts.get(k).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        return result;
    }

    private static Images select(IdxReader.IdxImages set, byte[] labels, int[] indices) {
        int size = set.rows() * set.columns();
        float[] pixels = new float[indices.length * size];
        int[] selected = new int[indices.length];
        byte[] source = set.pixels();
        for (int i = 0; i < indices.length; i++) {
            int from = indices[i] * size;
            for (int p = 0; p < size; p++) {
                pixels[i * size + p] = (source[from + p] & 0xff) / 255f;
            }
            selected[i] = labels[indices[i]] & 0xff;
        }
        return new Images(pixels, selected);
    }

    private static List<List<AudioFiles.Recording>> recordingPool(List<AudioFiles.Recording> recordings, int fromIndex, int toIndex) {
        List<List<AudioFiles.Recording>> pool = new ArrayList<>();
        for (int c = 0; c < NUM_CLASSES; c++) {
            pool.add(new ArrayList<>());
        }
        for (AudioFiles.Recording recording : recordings) {
            if (recording.index() >= fromIndex && recording.index() < toIndex && recording.digit() < NUM_CLASSES) {
                pool.get(recording.digit()).add(recording);
            }
        }
        for (int c = 0; c < NUM_CLASSES; c++) {
            if (pool.get(c).isEmpty()) {
                throw new UserError(
                        "FSDD recordings of digit " + c + " with index " + fromIndex + " to " + (toIndex == Integer.MAX_VALUE ? "49" : String.valueOf(toIndex - 1))
                                + " are missing; the recordings folder is incomplete, re-fetch it with `selfdistill data fetch av-mnist`");
            }
        }
        return pool;
    }

    /** Paired inputs of one split before standardisation. */
    private record Raw(float[][] inputs, int[] labels, java.util.Set<String> recordings) {
        MultimodalDataset toDataset(AvMnistConfig config) {
            float[][] presence = {filled(labels.length), filled(labels.length)};
            long[] audioShape = {1, config.audio().melBands(), config.audio().frames()};
            return new MultimodalDataset(modalities(), List.of(new long[] {1, 28, 28}, audioShape), inputs, presence, labels, NUM_CLASSES);
        }
    }

    private static float[] filled(int count) {
        float[] values = new float[count];
        java.util.Arrays.fill(values, 1f);
        return values;
    }

    private static Raw pair(
            Images images,
            List<List<AudioFiles.Recording>> pool,
            LogMelSpectrogram logMel,
            WaveformCache waveforms,
            AvMnistConfig config,
            Random random,
            ReplayState replay) {
        int count = images.labels.length;
        int imageSize = 28 * 28;
        int audioSize = config.audio().melBands() * config.audio().frames();
        float[] pixels = images.pixels.clone();
        float[] audio = new float[count * audioSize];
        java.util.Set<String> used = new java.util.TreeSet<>();
        if (replay != null) {
            replay.allocate(count * audioSize);
        }
        for (int i = 0; i < count; i++) {
            degradeImage(pixels, i * imageSize, config, random);
            List<AudioFiles.Recording> candidates = pool.get(images.labels[i]);
            AudioFiles.Recording recording = candidates.get(random.nextInt(candidates.size()));
            used.add(recording.path().getFileName().toString());
            float[] clean = waveforms.get(recording.path());
            float[] noisy = addNoise(clean, config.audioSnrDb(), random);
            float[] features = logMel.compute(noisy);
            System.arraycopy(features, 0, audio, i * audioSize, audioSize);
            if (replay != null) {
                replay.add(i * audioSize, clean, noisy);
            }
        }
        return new Raw(new float[][] {pixels, audio}, images.labels.clone(), used);
    }

    private static void degradeImage(float[] pixels, int offset, AvMnistConfig config, Random random) {
        int side = config.imageOcclusion();
        if (side > 0) {
            int top = random.nextInt(28 - side + 1);
            int left = random.nextInt(28 - side + 1);
            for (int r = top; r < top + side; r++) {
                for (int c = left; c < left + side; c++) {
                    pixels[offset + r * 28 + c] = 0f;
                }
            }
        }
        double sd = config.imageNoiseStd();
        if (sd > 0) {
            for (int p = 0; p < 28 * 28; p++) {
                pixels[offset + p] += (float) (random.nextGaussian() * sd);
            }
        }
    }

    /** Adds white Gaussian noise so that signal power / noise power equals the SNR. */
    static float[] addNoise(float[] signal, double snrDb, Random random) {
        if (Double.isInfinite(snrDb) && snrDb > 0) {
            return signal.clone();
        }
        double power = 0;
        for (float s : signal) {
            power += (double) s * s;
        }
        power /= Math.max(1, signal.length);
        double noiseSd = Math.sqrt(power / Math.pow(10, snrDb / 10));
        float[] noisy = new float[signal.length];
        for (int i = 0; i < signal.length; i++) {
            noisy[i] = (float) (signal[i] + random.nextGaussian() * noiseSd);
        }
        return noisy;
    }

    /**
     * Log-mel features of the test waveforms with extra noise per level, filled by {@link #pair} in
     * sample order and standardised by {@link #prepare}, which also records the images' mean and
     * sd.
     */
    private static final class ReplayState {
        private final LogMelSpectrogram logMel;
        private final double[] snrDb;
        private final Random[] generators;
        private final List<float[]> levels = new ArrayList<>();
        private double[] imageMeanSd;

        ReplayState(LogMelSpectrogram logMel, double[] snrDb, long seed) {
            this.logMel = logMel;
            this.snrDb = snrDb.clone();
            this.generators = new Random[snrDb.length];
            for (int k = 0; k < snrDb.length; k++) {
                if (Double.isNaN(snrDb[k])) {
                    throw new IllegalArgumentException("SNR level " + k + " is NaN");
                }
                generators[k] = new Random(seed + k);
            }
        }

        void allocate(int values) {
            for (int k = 0; k < snrDb.length; k++) {
                levels.add(new float[values]);
            }
        }

        void add(int offset, float[] clean, float[] noisy) {
            double power = 0;
            for (float s : clean) {
                power += (double) s * s;
            }
            power /= Math.max(1, clean.length);
            for (int k = 0; k < snrDb.length; k++) {
                double sd = Math.sqrt(power / Math.pow(10, snrDb[k] / 10));
                float[] corrupted = new float[noisy.length];
                for (int t = 0; t < noisy.length; t++) {
                    corrupted[t] = (float) (noisy[t] + generators[k].nextGaussian() * sd);
                }
                float[] features = logMel.compute(corrupted);
                System.arraycopy(features, 0, levels.get(k), offset, features.length);
            }
        }

        /** Standardises the noisy audio with the audio statistics, or keeps the image ones. */
        void standardise(int modality, double[] meanSd) {
            if (modality == 0) {
                imageMeanSd = meanSd.clone();
            } else {
                levels.forEach(level -> AvMnist.standardise(level, meanSd[0], meanSd[1]));
            }
        }

        float standardisedPixel(double pixel) {
            return (float) ((pixel - imageMeanSd[0]) / imageMeanSd[1]);
        }

        List<float[]> levels() {
            return levels;
        }
    }

    /** Decodes each recording once, resampled to the front end's rate. */
    private static final class WaveformCache {
        private final int sampleRate;
        private final java.util.Map<Path, float[]> decoded = new java.util.HashMap<>();

        WaveformCache(int sampleRate) {
            this.sampleRate = sampleRate;
        }

        float[] get(Path path) {
            return decoded.computeIfAbsent(path, p -> {
                WavReader.Waveform waveform = WavReader.read(p);
                if (waveform.sampleRate() == sampleRate) {
                    return waveform.samples();
                }
                return WavReader.resample(waveform.samples(), waveform.sampleRate(), sampleRate);
            });
        }
    }

    private static double[] meanAndSd(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double squares = 0;
        for (float v : values) {
            squares += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(squares / values.length);
        return new double[] {mean, Math.max(sd, 1e-6)};
    }

    private static void standardise(float[] values, double mean, double sd) {
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) ((values[i] - mean) / sd);
        }
    }

    static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }

    /** Hashes the config and the identity (name, size, modification time) of every source. */
    private static String cacheKey(AvMnistData.Files files, AvMnistConfig config) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(("format " + CACHE_FORMAT + "\n").getBytes(StandardCharsets.UTF_8));
            digest.update(new ObjectMapper().writeValueAsBytes(config));
            List<Path> sources = new ArrayList<>();
            for (Path p : new Path[] {files.trainImages(), files.trainLabels(), files.testImages(), files.testLabels()}) {
                if (p != null) {
                    sources.add(p);
                }
            }
            try (var stream = Files.list(files.recordings())) {
                stream.sorted().forEach(sources::add);
            }
            for (Path source : sources) {
                String identity = source.getFileName() + " " + Files.size(source) + " " + Files.getLastModifiedTime(source).toMillis() + "\n";
                digest.update(identity.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeCache(Path file, Splits splits) {
        AtomicFiles.write(file, raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 20));
            out.writeInt(CACHE_FORMAT);
            out.writeInt(splits.description().size());
            for (String line : splits.description()) {
                out.writeUTF(line);
            }
            for (MultimodalDataset split : List.of(splits.train(), splits.validation(), splits.test())) {
                writeSplit(out, split);
            }
            out.flush();
        });
    }

    private static void writeSplit(DataOutputStream out, MultimodalDataset split) throws IOException {
        out.writeInt(split.size());
        out.writeInt(split.numClasses());
        out.writeInt(split.modalities().size());
        for (int m = 0; m < split.modalities().size(); m++) {
            out.writeUTF(split.modalities().get(m));
            long[] shape = split.shape(m);
            out.writeInt(shape.length);
            for (long dimension : shape) {
                out.writeLong(dimension);
            }
            for (float v : split.inputs(m)) {
                out.writeFloat(v);
            }
            for (float v : split.presence(m)) {
                out.writeFloat(v);
            }
        }
        for (int i = 0; i < split.size(); i++) {
            out.writeInt(split.label(i));
        }
    }

    private static Splits readCache(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (in.readInt() != CACHE_FORMAT) {
                throw new IOException("cache format differs");
            }
            int lines = in.readInt();
            List<String> description = new ArrayList<>();
            for (int i = 0; i < lines; i++) {
                description.add(in.readUTF());
            }
            MultimodalDataset train = readSplit(in);
            MultimodalDataset validation = readSplit(in);
            MultimodalDataset test = readSplit(in);
            return new Splits(train, validation, test, description, java.util.Map.of());
        }
    }

    private static MultimodalDataset readSplit(DataInputStream in) throws IOException {
        int size = in.readInt();
        int numClasses = in.readInt();
        int modalityCount = in.readInt();
        List<String> names = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        float[][] inputs = new float[modalityCount][];
        float[][] presence = new float[modalityCount][];
        for (int m = 0; m < modalityCount; m++) {
            names.add(in.readUTF());
            long[] shape = new long[in.readInt()];
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readLong();
            }
            shapes.add(shape);
            inputs[m] = new float[size * MultimodalDataset.sampleSize(shape)];
            for (int i = 0; i < inputs[m].length; i++) {
                inputs[m][i] = in.readFloat();
            }
            presence[m] = new float[size];
            for (int i = 0; i < size; i++) {
                presence[m][i] = in.readFloat();
            }
        }
        int[] labels = new int[size];
        for (int i = 0; i < size; i++) {
            labels[i] = in.readInt();
        }
        return new MultimodalDataset(names, shapes, inputs, presence, labels, numClasses);
    }
}
