package dev.selfdistill.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir Path folder;

    private List<Path> contents() throws IOException {
        try (var files = Files.list(folder)) {
            return files.toList();
        }
    }

    @Test
    void writeLeavesOnlyTheTarget() throws IOException {
        Path target = folder.resolve("report.md");
        AtomicFiles.writeString(target, "# Report\n");
        assertEquals("# Report\n", Files.readString(target));
        assertEquals(List.of(target), contents());
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        }
    }

    @Test
    void failedWriteLeavesNothing() throws IOException {
        Path target = folder.resolve("summary.json");
        assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(target, out -> {
            out.write('{');
            throw new IOException("disk full");
        }));
        assertFalse(Files.exists(target));
        assertEquals(List.of(), contents());
    }
}
