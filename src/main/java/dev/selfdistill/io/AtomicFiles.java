package dev.selfdistill.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files under a temporary name in the target folder and renames them into place, so a
 * failure or an interrupted run never leaves a half-written file under the final name.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Body of a write that streams into the temporary file. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes {@code text} as UTF-8 to {@code target} through a temporary file and a rename. */
    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes {@code bytes} to {@code target} through a temporary file and a rename. */
    public static void writeBytes(Path target, byte[] bytes) {
        write(target, out -> out.write(bytes));
    }

    /** Streams into a temporary file beside {@code target}, then renames it to {@code target}. */
    public static void write(Path target, Writer body) {
        Path parent = target.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            Files.createDirectories(parent);
            temporary = Files.createTempFile(parent, "." + target.getFileName() + ".", ".tmp");
            readableByAll(temporary);
            try (OutputStream out = Files.newOutputStream(temporary)) {
                body.write(out);
            }
            moveIntoPlace(temporary, target);
            temporary = null;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // The original failure matters more than a leftover temporary file.
                }
            }
        }
    }

    /**
     * Gives a file {@code rw-r--r--} or a folder {@code rwxr-xr-x}, the modes of a default umask,
     * on file systems with POSIX permissions. Files.createTempFile and createTempDirectory make
     * them private to the owner, which would otherwise carry over to the renamed results.
     */
    public static void readableByAll(Path path) throws IOException {
        try {
            String mode = Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--";
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): its default access rules apply.
        }
    }

    /** Renames {@code source} to {@code target}, atomically where the file system allows it. */
    public static void moveIntoPlace(Path source, Path target) throws IOException {
        try {
            Files.move(
                    source,
                    target,
                    StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
