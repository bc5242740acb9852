package dev.selfdistill.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.UserError;
import dev.selfdistill.data.AudioFiles.Recording;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioFilesTest {
    @TempDir Path dir;

    private void touch(String... names) throws Exception {
        for (String name : names) {
            Files.write(dir.resolve(name), new byte[0]);
        }
    }

    @Test
    void listSortsByDigitSpeakerIndex() throws Exception {
        touch("1_george_0.wav", "0_theo_2.wav", "0_theo_10.wav", "0_george_7.wav", "0_theo_1.wav");
        List<String> names = AudioFiles.listFsdd(dir).stream()
                .map(r -> r.path().getFileName().toString())
                .toList();
        assertEquals(List.of("0_george_7.wav", "0_theo_1.wav", "0_theo_2.wav", "0_theo_10.wav",
                "1_george_0.wav"), names);
    }

    @Test
    void listParsesFields() throws Exception {
        touch("7_yweweler_49.wav");
        Recording recording = AudioFiles.listFsdd(dir).get(0);
        assertEquals(7, recording.digit());
        assertEquals("yweweler", recording.speaker());
        assertEquals(49, recording.index());
        assertEquals(dir.resolve("7_yweweler_49.wav"), recording.path());
        assertFalse(recording.inFsddTestSplit());
    }

    @Test
    void listSkipsHiddenFilesAndFolders() throws Exception {
        touch("3_lucas_4.wav", ".DS_Store");
        Files.createDirectory(dir.resolve("extra"));
        List<Recording> recordings = AudioFiles.listFsdd(dir);
        assertEquals(1, recordings.size());
        assertTrue(recordings.get(0).inFsddTestSplit());
    }

    @Test
    void listRejectsOtherNames() throws Exception {
        for (String bad : List.of("README.md", "10_george_1.wav", "1_george.wav", "1_a_b_2.wav",
                "1_george_1.WAV")) {
            Path folder = Files.createDirectory(dir.resolve("case-" + bad.hashCode()));
            Files.write(folder.resolve("2_theo_3.wav"), new byte[0]);
            Files.write(folder.resolve(bad), new byte[0]);
            UserError error = assertThrows(UserError.class, () -> AudioFiles.listFsdd(folder));
            assertTrue(error.getMessage().contains(folder.resolve(bad).toString()),
                    error.getMessage());
            assertTrue(error.getMessage().contains("expected {digit}_{speaker}_{index}.wav"),
                    error.getMessage());
        }
    }

    @Test
    void listRejectsMissingOrEmptyFolder() {
        UserError missing = assertThrows(UserError.class,
                () -> AudioFiles.listFsdd(dir.resolve("absent")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        UserError empty = assertThrows(UserError.class, () -> AudioFiles.listFsdd(dir));
        assertTrue(empty.getMessage().contains("contains no WAV files"), empty.getMessage());
    }

    @Test
    void listSharedFsdd() {
        List<Recording> recordings = AudioFiles.listFsdd(TestFiles.sharedData("fsdd/recordings"));
        assertEquals(3000, recordings.size());
        Set<String> speakers = recordings.stream().map(Recording::speaker)
                .collect(Collectors.toSet());
        assertEquals(Set.of("george", "jackson", "lucas", "nicolas", "theo", "yweweler"),
                speakers);
        assertEquals(300, recordings.stream().filter(Recording::inFsddTestSplit).count());
        assertEquals("0_george_0.wav", recordings.get(0).path().getFileName().toString());
        assertEquals("9_yweweler_49.wav", recordings.get(2999).path().getFileName().toString());
    }
}
