package dev.selfdistill.data;

import static dev.selfdistill.data.TestFiles.gzip;
import static dev.selfdistill.data.TestFiles.idx;
import static dev.selfdistill.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.UserError;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AvMnistDataTest {
    private static final List<String> SYNTHETIC_RECORDINGS =
            List.of("0_george_0.wav", "0_george_1.wav", "5_theo_12.wav");

    @TempDir Path dir;

    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);

    private String logText() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    private static byte[] imagesFile(int count) {
        return gzip(idx(IdxReader.IMAGE_MAGIC, new int[] {count, 28, 28},
                new byte[count * 28 * 28]));
    }

    private static byte[] labelsFile(int count) {
        return gzip(idx(IdxReader.LABEL_MAGIC, new int[] {count}, new byte[count]));
    }

    private static void writeRecordings(Path mirror) {
        for (String name : SYNTHETIC_RECORDINGS) {
            write(mirror.resolve("fsdd/recordings").resolve(name),
                    TestFiles.wav16(8000, 0, 100, -100, 50));
        }
    }

    /** Builds a mirror with synthetic files in the layout of the shared data folder. */
    private Path subsetMirror() {
        Path mirror = dir.resolve("mirror");
        write(mirror.resolve("mnist-10k/images-idx3-ubyte.gz"), imagesFile(3));
        write(mirror.resolve("mnist-10k/labels-idx1-ubyte.gz"), labelsFile(3));
        writeRecordings(mirror);
        return mirror;
    }

    private List<String> listNames(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void resolveDataDirPrecedence() {
        Path cwd = Path.of("").toAbsolutePath();
        Map<String, String> all = Map.of(
                "SELFDISTILL_DATA", "/env/data", "XDG_CACHE_HOME", "/xdg/cache");
        assertEquals(Path.of("/cli/data"),
                AvMnistData.resolveDataDir("/cli/data", all, "/home/u"));
        assertEquals(cwd.resolve("relative"),
                AvMnistData.resolveDataDir("relative", all, "/home/u"));
        assertEquals(Path.of("/env/data"), AvMnistData.resolveDataDir(null, all, "/home/u"));
        assertEquals(Path.of("/env/data"), AvMnistData.resolveDataDir("  ", all, "/home/u"));
        assertEquals(Path.of("/xdg/cache/selfdistill"),
                AvMnistData.resolveDataDir(null, Map.of("XDG_CACHE_HOME", "/xdg/cache"),
                        "/home/u"));
        assertEquals(Path.of("/home/u/.cache/selfdistill"),
                AvMnistData.resolveDataDir(null, Map.of("XDG_CACHE_HOME", "relative/cache"),
                        "/home/u"));
        assertEquals(Path.of("/home/u/.cache/selfdistill"),
                AvMnistData.resolveDataDir(null, Map.of(), "/home/u"));
        assertEquals(Path.of("/home/u/data"),
                AvMnistData.resolveDataDir("~/data", Map.of(), "/home/u"));
    }

    @Test
    void resolveMirrorPrecedence() {
        Map<String, String> env = Map.of("SELFDISTILL_MIRROR", "/env/mirror");
        assertEquals(Path.of("/cli/mirror"),
                AvMnistData.resolveMirror("/cli/mirror", env, "/home/u"));
        assertEquals(Path.of("/env/mirror"), AvMnistData.resolveMirror(null, env, "/home/u"));
        assertEquals(Path.of("/env/mirror"), AvMnistData.resolveMirror("", env, "/home/u"));
        assertNull(AvMnistData.resolveMirror(null, Map.of(), "/home/u"));
        UserError invalid = assertThrows(UserError.class,
                () -> AvMnistData.resolveMirror("bad\0path", Map.of(), "/home/u"));
        assertTrue(invalid.getMessage().startsWith("--mirror value"), invalid.getMessage());
    }

    @Test
    void locateMissingDataMessage() {
        UserError error = assertThrows(UserError.class, () -> AvMnistData.locate(dir));
        assertEquals("AV-MNIST data not found in " + dir + "; run `selfdistill data fetch "
                + "av-mnist --data " + dir + "` (add `--mirror DIR` to copy from a local "
                + "mirror)", error.getMessage());
    }

    @Test
    void locateIncompleteData() throws IOException {
        Files.createDirectories(dir.resolve("av-mnist/mnist"));
        writeRecordings(dir.resolve("av-mnist"));
        UserError error = assertThrows(UserError.class, () -> AvMnistData.locate(dir));
        assertTrue(error.getMessage().contains("is incomplete"), error.getMessage());
        assertTrue(error.getMessage().contains("images-idx3-ubyte.gz"), error.getMessage());
    }

    @Test
    void fetchCopiesSubsetFromMirror() throws IOException {
        Path mirror = subsetMirror();
        Path data = dir.resolve("data");
        Path root = AvMnistData.fetch(data, mirror, false, log);
        assertEquals(data.resolve("av-mnist"), root);
        assertEquals(List.of("av-mnist"), listNames(data));

        AvMnistData.Files files = AvMnistData.locate(data);
        assertFalse(files.hasMnistTestFiles());
        assertNull(files.testImages());
        assertNull(files.testLabels());
        assertEquals(root.resolve("mnist/images-idx3-ubyte.gz"), files.trainImages());
        assertArrayEquals(Files.readAllBytes(mirror.resolve("mnist-10k/labels-idx1-ubyte.gz")),
                Files.readAllBytes(files.trainLabels()));
        assertEquals(SYNTHETIC_RECORDINGS, listNames(files.recordings()));
        assertEquals(3, IdxReader.readImages(files.trainImages()).count());
        assertTrue(logText().contains("AV-MNIST data is ready in " + root), logText());
    }

    @Test
    void fetchSecondTimeDoesNothing() throws IOException {
        Path data = dir.resolve("data");
        AvMnistData.fetch(data, subsetMirror(), false, log);
        Path marker = write(data.resolve("av-mnist/marker"), new byte[] {1});
        // The mirror does not exist, so any copying would fail.
        Path root = AvMnistData.fetch(data, dir.resolve("absent"), true, log);
        assertEquals(data.resolve("av-mnist"), root);
        assertTrue(Files.exists(marker));
        assertTrue(logText().contains("already present"), logText());
        assertEquals(List.of("av-mnist"), listNames(data));
    }

    @Test
    void fetchCopiesFullMnistLayout() {
        Path mirror = dir.resolve("mirror");
        write(mirror.resolve("mnist/train-images-idx3-ubyte.gz"), imagesFile(4));
        write(mirror.resolve("mnist/train-labels-idx1-ubyte.gz"), labelsFile(4));
        write(mirror.resolve("mnist/t10k-images-idx3-ubyte.gz"), imagesFile(2));
        write(mirror.resolve("mnist/t10k-labels-idx1-ubyte.gz"), labelsFile(2));
        // A subset pair in the same mirror must lose to the four original files.
        write(mirror.resolve("mnist-10k/images-idx3-ubyte.gz"), imagesFile(3));
        write(mirror.resolve("mnist-10k/labels-idx1-ubyte.gz"), labelsFile(3));
        writeRecordings(mirror);
        Path data = dir.resolve("data");
        AvMnistData.fetch(data, mirror, false, log);

        AvMnistData.Files files = AvMnistData.locate(data);
        assertTrue(files.hasMnistTestFiles());
        assertEquals(4, IdxReader.readImages(files.trainImages()).count());
        assertEquals(2, IdxReader.readLabels(files.testLabels()).length);
        assertFalse(Files.exists(data.resolve("av-mnist/mnist/images-idx3-ubyte.gz")));
    }

    @Test
    void fetchAcceptsDataFolderAsMirror() {
        Path first = dir.resolve("first");
        AvMnistData.fetch(first, subsetMirror(), false, log);
        Path second = dir.resolve("second");
        AvMnistData.fetch(second, first.resolve("av-mnist"), false, log);
        assertEquals(3, IdxReader.readLabels(AvMnistData.locate(second).trainLabels()).length);
    }

    @Test
    void fetchVerifiesSharedSubset() throws IOException {
        Path shared = TestFiles.sharedData("mnist-10k").getParent();
        Path mirror = dir.resolve("mirror");
        for (String name : List.of("images-idx3-ubyte.gz", "labels-idx1-ubyte.gz")) {
            Files.createDirectories(mirror.resolve("mnist-10k"));
            Files.copy(shared.resolve("mnist-10k").resolve(name),
                    mirror.resolve("mnist-10k").resolve(name));
        }
        Files.createDirectories(mirror.resolve("fsdd/recordings"));
        for (String name : List.of("0_george_0.wav", "4_jackson_17.wav", "9_theo_49.wav")) {
            Files.copy(shared.resolve("fsdd/recordings").resolve(name),
                    mirror.resolve("fsdd/recordings").resolve(name));
        }
        Path data = dir.resolve("data");
        AvMnistData.fetch(data, mirror, true, log);

        assertEquals(10_000, IdxReader.readLabels(AvMnistData.locate(data).trainLabels()).length);
        // Three of the 3,000 recordings cannot match the list hash, so only a warning follows.
        assertTrue(logText().contains("Verified the checksums of 2 MNIST files"), logText());
        assertTrue(logText().contains("Warning: the 3 FSDD recordings have list hash"),
                logText());
        assertTrue(logText().contains("All 3 FSDD recordings parse as WAV"), logText());
    }

    @Test
    void fetchChecksumFailureLeavesNothing() throws IOException {
        Path mirror = subsetMirror();
        Path data = dir.resolve("data");
        UserError error = assertThrows(UserError.class,
                () -> AvMnistData.fetch(data, mirror, true, log));
        assertTrue(error.getMessage().contains(
                mirror.resolve("mnist-10k/images-idx3-ubyte.gz") + " has sha256 "),
                error.getMessage());
        assertTrue(error.getMessage().contains("--no-verify"), error.getMessage());
        assertEquals(List.of(), listNames(data));
    }

    @Test
    void fetchBadRecordingLeavesNothing() throws IOException {
        Path mirror = subsetMirror();
        // Genuine MNIST files pass their checksums, so the fetch reaches the recordings.
        replaceMnistWithShared(mirror);
        // A valid name with unreadable audio: only the WAV check after the copy can notice.
        write(mirror.resolve("fsdd/recordings/2_theo_3.wav"), "not audio".getBytes());
        Path data = dir.resolve("data");
        UserError error = assertThrows(UserError.class,
                () -> AvMnistData.fetch(data, mirror, true, log));
        assertTrue(error.getMessage().contains(
                mirror.resolve("fsdd/recordings/2_theo_3.wav") + " is not a RIFF/WAVE file"),
                error.getMessage());
        assertFalse(Files.exists(data.resolve("av-mnist")));
        assertEquals(List.of(), listNames(data));
    }

    private static void replaceMnistWithShared(Path mirror) throws IOException {
        Path shared = TestFiles.sharedData("mnist-10k");
        for (String name : List.of("images-idx3-ubyte.gz", "labels-idx1-ubyte.gz")) {
            Files.copy(shared.resolve(name), mirror.resolve("mnist-10k").resolve(name),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void fetchBadNameLeavesNothing() throws IOException {
        Path mirror = subsetMirror();
        write(mirror.resolve("fsdd/recordings/notes.txt"), new byte[0]);
        Path data = dir.resolve("data");
        UserError error = assertThrows(UserError.class,
                () -> AvMnistData.fetch(data, mirror, false, log));
        assertTrue(error.getMessage().contains("notes.txt"), error.getMessage());
        assertEquals(List.of(), listNames(data));
    }

    @Test
    void fetchReplacesIncompleteData() throws IOException {
        Path data = dir.resolve("data");
        write(data.resolve("av-mnist/mnist/labels-idx1-ubyte.gz"), new byte[] {1});
        AvMnistData.fetch(data, subsetMirror(), false, log);
        assertEquals(3, IdxReader.readLabels(AvMnistData.locate(data).trainLabels()).length);
        assertTrue(logText().contains("Replacing incomplete AV-MNIST data"), logText());
        assertEquals(List.of("av-mnist"), listNames(data));
    }

    @Test
    void fetchRejectsBadMirror() throws IOException {
        Path data = dir.resolve("data");
        UserError missing = assertThrows(UserError.class,
                () -> AvMnistData.fetch(data, dir.resolve("absent"), false, log));
        assertTrue(missing.getMessage().startsWith("Mirror folder " + dir.resolve("absent")
                + " not found"), missing.getMessage());

        Path noMnist = dir.resolve("no-mnist");
        writeRecordings(noMnist);
        UserError empty = assertThrows(UserError.class,
                () -> AvMnistData.fetch(data, noMnist, false, log));
        assertTrue(empty.getMessage().contains("has no MNIST files"), empty.getMessage());
        assertEquals(List.of(), listNames(data));
    }

    @Test
    void listHashMatchesSharedRecordings() throws Exception {
        Path recordings = TestFiles.sharedData("fsdd/recordings");
        List<StagedFile> files = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        try (Stream<Path> entries = Files.list(recordings)) {
            for (Path file : entries.toList()) {
                MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
                String hash = hex.formatHex(sha256.digest(Files.readAllBytes(file)));
                files.add(new StagedFile(file.getFileName().toString(), file, file.toString(),
                        hash, ""));
            }
        }
        assertEquals(3000, files.size());
        assertEquals(AvMnistFetch.FSDD_LIST_SHA256, StagedFile.recordingsListHash(files));
    }

    @Test
    void stagedFileChecksums() throws IOException {
        StagedFile staged = StagedFile.write(
                new ByteArrayInputStream("abc".getBytes(StandardCharsets.US_ASCII)),
                dir.resolve("abc"), "origin");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                staged.sha256());
        assertEquals("900150983cd24fb0d6963f7d28e17f72", staged.md5());
        assertEquals("abc", Files.readString(dir.resolve("abc")));
    }

    private static byte[] tarGz(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar =
                new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                TarArchiveEntry header = new TarArchiveEntry(entry.getKey());
                header.setSize(entry.getValue().length);
                tar.putArchiveEntry(header);
                tar.write(entry.getValue());
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void extractRecordingsFromArchive() throws IOException {
        byte[] wav = TestFiles.wav16(8000, 1, 2, 3);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("fsdd-1.0.10/README.md", new byte[] {1});
        entries.put("fsdd-1.0.10/recordings/3_nicolas_8.wav", wav);
        entries.put("fsdd-1.0.10/recordings/0_george_0.wav", wav);
        entries.put("fsdd-1.0.10/recordings/../../escape.wav", wav);
        entries.put("fsdd-1.0.10/other/1_theo_1.wav", wav);
        Path target = dir.resolve("recordings");
        List<StagedFile> staged = Downloads.extractRecordings(
                new ByteArrayInputStream(tarGz(entries)), target, "archive.tar.gz");
        assertEquals(2, staged.size());
        assertEquals(List.of("0_george_0.wav", "3_nicolas_8.wav"), listNames(target));
        assertArrayEquals(wav, Files.readAllBytes(target.resolve("0_george_0.wav")));
        assertEquals("archive.tar.gz entry fsdd-1.0.10/recordings/3_nicolas_8.wav",
                staged.get(0).origin());
        assertFalse(Files.exists(dir.resolve("escape.wav")));
    }

    @Test
    void extractRejectsBadArchives() throws IOException {
        Map<String, byte[]> badName = Map.of("top/recordings/one two.wav", new byte[] {1});
        UserError name = assertThrows(UserError.class, () -> Downloads.extractRecordings(
                new ByteArrayInputStream(tarGz(badName)), dir.resolve("a"), "x.tar.gz"));
        assertTrue(name.getMessage().contains("one two.wav"), name.getMessage());

        Map<String, byte[]> none = Map.of("top/README.md", new byte[] {1});
        UserError empty = assertThrows(UserError.class, () -> Downloads.extractRecordings(
                new ByteArrayInputStream(tarGz(none)), dir.resolve("b"), "x.tar.gz"));
        assertTrue(empty.getMessage().contains("contains no recordings"), empty.getMessage());
    }
}
