package dev.selfdistill.data;

import dev.selfdistill.UserError;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Lists the recordings of the Free Spoken Digit Dataset (FSDD). */
public final class AudioFiles {
    /** FSDD file names: one digit, a speaker name without underscores, and an index. */
    private static final Pattern FSDD_NAME =
            Pattern.compile("([0-9])_([A-Za-z0-9-]+)_([0-9]{1,9})\\.wav");

    /** Recordings with an index below this are FSDD's test split, by the dataset's convention. */
    public static final int FSDD_TEST_INDICES = 5;

    private AudioFiles() {}

    /**
     * One FSDD recording, named {@code {digit}_{speaker}_{index}.wav}.
     *
     * @param digit spoken digit, 0 to 9
     * @param speaker speaker name as in the file name, e.g. {@code george}
     * @param index take number of this speaker and digit, from 0
     * @param path the WAV file
     */
    public record Recording(int digit, String speaker, int index, Path path) {
        /**
         * Returns whether the recording is in FSDD's test split: takes 0 to 4 of every speaker
         * and digit, 300 of the 3,000 files.
         */
        public boolean inFsddTestSplit() {
            return index < FSDD_TEST_INDICES;
        }
    }

    /**
     * Lists the recordings in {@code recordingsDir}, sorted by digit, speaker, index and then
     * file name, so the order never depends on the file system.
     *
     * <p>Subfolders and hidden files (names starting with a dot, such as {@code .DS_Store}) are
     * skipped. Every other file must be named {@code {digit}_{speaker}_{index}.wav}.
     *
     * @param recordingsDir folder that contains the WAV files directly
     * @return the recordings, never empty
     * @throws UserError if the folder is missing or unreadable, contains no recordings, or
     *     contains a file with another name
     */
    public static List<Recording> listFsdd(Path recordingsDir) {
        if (!Files.isDirectory(recordingsDir)) {
            throw new UserError(
                    "FSDD recordings folder " + recordingsDir + " not found; fetch the data with "
                            + "`selfdistill data fetch av-mnist`");
        }
        List<Recording> recordings = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(recordingsDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".") || Files.isDirectory(entry)) {
                    continue;
                }
                recordings.add(parseName(entry));
            }
        } catch (IOException e) {
            throw new UserError(
                    "Failed to list FSDD recordings in " + recordingsDir + ": " + e.getMessage(),
                    e);
        }
        if (recordings.isEmpty()) {
            throw new UserError(
                    "FSDD recordings folder " + recordingsDir + " contains no WAV files; fetch "
                            + "the data again with `selfdistill data fetch av-mnist`");
        }
        recordings.sort(
                Comparator.comparingInt(Recording::digit)
                        .thenComparing(Recording::speaker)
                        .thenComparingInt(Recording::index)
                        .thenComparing(r -> r.path().getFileName().toString()));
        return List.copyOf(recordings);
    }

    /**
     * Parses an FSDD file name.
     *
     * @throws UserError naming the file if its name does not match {@code
     *     {digit}_{speaker}_{index}.wav}
     */
    static Recording parseName(Path file) {
        Matcher matcher = FSDD_NAME.matcher(file.getFileName().toString());
        if (!matcher.matches()) {
            throw new UserError(
                    "Unexpected file " + file + " among the FSDD recordings: expected "
                            + "{digit}_{speaker}_{index}.wav, e.g. 7_george_12.wav; move it "
                            + "out of the folder");
        }
        return new Recording(
                Integer.parseInt(matcher.group(1)),
                matcher.group(2),
                Integer.parseInt(matcher.group(3)),
                file);
    }
}
