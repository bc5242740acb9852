package dev.selfdistill.data;

import dev.selfdistill.UserError;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Locates and fetches the AV-MNIST data: MNIST digit images paired with FSDD spoken digits.
 *
 * <p>A data folder {@code DIR} contains {@code DIR/av-mnist/} with this layout:
 *
 * <ul>
 *   <li>{@code mnist/} with either the 10,000-digit pair {@code images-idx3-ubyte.gz} and {@code
 *       labels-idx1-ubyte.gz}, or the four original MNIST files {@code
 *       train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz}, {@code
 *       t10k-images-idx3-ubyte.gz} and {@code t10k-labels-idx1-ubyte.gz};
 *   <li>{@code fsdd/recordings/} with the FSDD files {@code {digit}_{speaker}_{index}.wav}.
 * </ul>
 *
 * <p>{@link #fetch} fills the folder from a local mirror or from the public hosts. It builds the
 * folder under a temporary name inside {@code DIR} and renames it to {@code av-mnist} only once
 * every file is in place and verified, so a failed fetch leaves no {@code av-mnist} folder.
 */
public final class AvMnistData {
    /** Name of the dataset folder inside the data folder. */
    public static final String FOLDER = "av-mnist";

    /** Environment variable that sets the data folder when {@code --data} is not given. */
    public static final String DATA_ENV = "SELFDISTILL_DATA";

    /** Environment variable that sets the mirror folder when {@code --mirror} is not given. */
    public static final String MIRROR_ENV = "SELFDISTILL_MIRROR";

    static final String SUBSET_IMAGES = "images-idx3-ubyte.gz";
    static final String SUBSET_LABELS = "labels-idx1-ubyte.gz";
    static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    static final List<String> FULL_MNIST =
            List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);
    static final List<String> SUBSET_MNIST = List.of(SUBSET_IMAGES, SUBSET_LABELS);

    private AvMnistData() {}

    /**
     * Paths of the AV-MNIST files in a data folder.
     *
     * @param trainImages IDX images: the full training set, or the whole 10,000-digit subset
     * @param trainLabels IDX labels matching {@code trainImages}
     * @param testImages the original MNIST test images, or null for the 10,000-digit subset,
     *     which has no separate test file
     * @param testLabels IDX labels matching {@code testImages}, null when it is null
     * @param recordings folder of the FSDD WAV files
     */
    public record Files(
            Path trainImages, Path trainLabels, Path testImages, Path testLabels, Path recordings) {
        /** Returns whether MNIST comes with its own test files (the original four-file set). */
        public boolean hasMnistTestFiles() {
            return testImages != null;
        }
    }

    /**
     * Returns the data folder: {@code cliValue} if given, else the environment variable {@code
     * SELFDISTILL_DATA}, else {@code $XDG_CACHE_HOME/selfdistill} when that variable is an
     * absolute path, else {@code ~/.cache/selfdistill}. A leading {@code ~/} is expanded to the
     * home folder. Blank values count as not given.
     *
     * @param cliValue the {@code --data} option, or null
     * @return an absolute, normalised path that may not exist yet
     * @throws UserError if the chosen value is not a valid path
     */
    public static Path resolveDataDir(String cliValue) {
        return resolveDataDir(cliValue, System.getenv(), System.getProperty("user.home"));
    }

    static Path resolveDataDir(String cliValue, Map<String, String> env, String home) {
        if (isGiven(cliValue)) {
            return toPath(cliValue, "--data", home);
        }
        String fromEnv = env.get(DATA_ENV);
        if (isGiven(fromEnv)) {
            return toPath(fromEnv, DATA_ENV, home);
        }
        // The XDG Base Directory Specification requires a relative XDG_CACHE_HOME to be ignored.
        String cacheHome = env.get("XDG_CACHE_HOME");
        if (isGiven(cacheHome) && Path.of(cacheHome).isAbsolute()) {
            return toPath(cacheHome, "XDG_CACHE_HOME", home).resolve("selfdistill");
        }
        return toPath(home, "user.home", home).resolve(".cache").resolve("selfdistill");
    }

    /**
     * Returns the mirror folder: {@code cliValue} if given, else the environment variable
     * {@code SELFDISTILL_MIRROR}, else null (download from the public hosts). A leading {@code
     * ~/} is expanded and blank values count as not given. Whether the folder exists is checked
     * by {@link #fetch}.
     *
     * @param cliValue the {@code --mirror} option, or null
     * @return an absolute, normalised path, or null
     * @throws UserError if the chosen value is not a valid path
     */
    public static Path resolveMirror(String cliValue) {
        return resolveMirror(cliValue, System.getenv(), System.getProperty("user.home"));
    }

    static Path resolveMirror(String cliValue, Map<String, String> env, String home) {
        if (isGiven(cliValue)) {
            return toPath(cliValue, "--mirror", home);
        }
        String fromEnv = env.get(MIRROR_ENV);
        if (isGiven(fromEnv)) {
            return toPath(fromEnv, MIRROR_ENV, home);
        }
        return null;
    }

    private static boolean isGiven(String value) {
        return value != null && !value.isBlank();
    }

    private static Path toPath(String value, String source, String home) {
        String expanded = value.strip();
        if (expanded.equals("~") || expanded.startsWith("~/")) {
            expanded = home + expanded.substring(1);
        }
        try {
            return Path.of(expanded).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UserError(
                    source + " value '" + value + "' is not a valid path (" + e.getReason()
                            + "); give a folder path", e);
        }
    }

    /**
     * Finds the AV-MNIST files in {@code dataDir/av-mnist}. The four original MNIST files take
     * precedence over the 10,000-digit pair when both are present.
     *
     * @param dataDir the data folder, as returned by {@link #resolveDataDir}
     * @return the file paths; only their presence is checked, not their contents
     * @throws UserError if the folder or one of its parts is missing, saying how to fetch it
     */
    public static Files locate(Path dataDir) {
        Path root = dataDir.resolve(FOLDER);
        if (!java.nio.file.Files.isDirectory(root)) {
            throw new UserError(
                    "AV-MNIST data not found in " + dataDir + "; run `selfdistill data fetch "
                            + "av-mnist --data " + dataDir + "` (add `--mirror DIR` to copy from "
                            + "a local mirror)");
        }
        Path mnist = root.resolve("mnist");
        Path recordings = root.resolve("fsdd").resolve("recordings");
        if (!containsWav(recordings)) {
            throw incomplete(dataDir, "no WAV files in " + recordings);
        }
        if (allExist(mnist, FULL_MNIST)) {
            return new Files(
                    mnist.resolve(TRAIN_IMAGES),
                    mnist.resolve(TRAIN_LABELS),
                    mnist.resolve(TEST_IMAGES),
                    mnist.resolve(TEST_LABELS),
                    recordings);
        }
        if (allExist(mnist, SUBSET_MNIST)) {
            return new Files(
                    mnist.resolve(SUBSET_IMAGES), mnist.resolve(SUBSET_LABELS), null, null,
                    recordings);
        }
        throw incomplete(
                dataDir,
                mnist + " contains neither " + String.join(" + ", SUBSET_MNIST)
                        + " nor the four files " + String.join(", ", FULL_MNIST));
    }

    private static UserError incomplete(Path dataDir, String detail) {
        return new UserError(
                "AV-MNIST data in " + dataDir.resolve(FOLDER) + " is incomplete: " + detail
                        + "; run `selfdistill data fetch av-mnist --data " + dataDir
                        + "` to replace it");
    }

    /** Returns whether every one of {@code names} is a regular file in {@code folder}. */
    static boolean allExist(Path folder, List<String> names) {
        // java.nio.file.Files is written out because the record Files shadows it here.
        return names.stream()
                .allMatch(name -> java.nio.file.Files.isRegularFile(folder.resolve(name)));
    }

    private static boolean containsWav(Path folder) {
        if (!java.nio.file.Files.isDirectory(folder)) {
            return false;
        }
        try (DirectoryStream<Path> wavs =
                java.nio.file.Files.newDirectoryStream(folder, "*.wav")) {
            return wavs.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Fetches AV-MNIST into {@code dataDir/av-mnist}, unless complete data is already there.
     *
     * <p>With a mirror, MNIST is copied from {@code mirror/mnist/} when it contains the four
     * original files, else the 10,000-digit pair from {@code mirror/mnist-10k/} or {@code
     * mirror/mnist/}. Recordings come from {@code mirror/fsdd/recordings/}. An existing data
     * folder's {@code av-mnist} therefore also works as a mirror. Without a mirror, the four
     * original MNIST files and the FSDD 1.0.10 release archive are downloaded over HTTPS.
     *
     * <p>With {@code verify}, MNIST files must match their known checksums: SHA-256 for the
     * subset, MD5 for the original files. The recordings' list hash must match FSDD at commit
     * 26eb9aaf. A different list hash (another FSDD release) only prints a warning, and then
     * every recording must parse as WAV.
     *
     * <p>Incomplete data in {@code dataDir/av-mnist} is replaced once the new copy is ready.
     *
     * @param dataDir the data folder, created if missing
     * @param mirrorOrNull local mirror folder, or null to download
     * @param verify whether to check checksums and, on a list-hash mismatch, WAV parsing
     * @param log receives one line per step and any warning
     * @return the {@code av-mnist} folder
     * @throws UserError if the mirror is missing or incomplete, a download fails, a check
     *     fails, or the data folder cannot be written
     */
    public static Path fetch(Path dataDir, Path mirrorOrNull, boolean verify, PrintStream log) {
        return AvMnistFetch.fetch(dataDir, mirrorOrNull, verify, log);
    }

    /** Returns whether {@link #locate} finds complete data in {@code dataDir}. */
    public static boolean isComplete(Path dataDir) {
        try {
            locate(dataDir);
            return true;
        } catch (UserError e) {
            return false;
        }
    }
}
