package dev.selfdistill.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A file written into the staging folder of a fetch, with its origin and checksums.
 *
 * @param name file name inside the staging folder
 * @param staged path of the copy in the staging folder
 * @param origin where the bytes came from (a mirror path or a URL), for error messages
 * @param sha256 lowercase hex SHA-256 of the bytes
 * @param md5 lowercase hex MD5 of the bytes
 */
record StagedFile(String name, Path staged, String origin, String sha256, String md5) {

    /**
     * Streams {@code in} into a new file {@code target} and computes both checksums on the way,
     * so every byte is read once. {@code in} is left open.
     */
    static StagedFile write(InputStream in, Path target, String origin) throws IOException {
        MessageDigest sha256 = digest("SHA-256");
        MessageDigest md5 = digest("MD5");
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            int read;
            while ((read = in.read(buffer)) != -1) {
                sha256.update(buffer, 0, read);
                md5.update(buffer, 0, read);
                out.write(buffer, 0, read);
            }
        }
        HexFormat hex = HexFormat.of();
        return new StagedFile(
                target.getFileName().toString(),
                target,
                origin,
                hex.formatHex(sha256.digest()),
                hex.formatHex(md5.digest()));
    }

    /**
     * Returns the SHA-256 of the listing that {@code find recordings -name '*.wav' | sort | xargs
     * sha256sum} prints: one line {@code HASH  recordings/NAME\n} per file, sorted by path.
     * Recording names are ASCII, so {@link String#compareTo} gives the byte order of {@code sort}
     * in the C locale.
     */
    static String recordingsListHash(List<StagedFile> recordings) {
        List<StagedFile> sorted = new ArrayList<>(recordings);
        sorted.sort((a, b) -> a.name().compareTo(b.name()));
        MessageDigest listing = digest("SHA-256");
        for (StagedFile file : sorted) {
            String line = file.sha256() + "  recordings/" + file.name() + "\n";
            listing.update(line.getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(listing.digest());
    }

    /** Deletes {@code root} and everything under it; a missing {@code root} is not an error. */
    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(
                root,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                            throws IOException {
                        Files.delete(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path directory, IOException error)
                            throws IOException {
                        if (error != null) {
                            throw error;
                        }
                        Files.delete(directory);
                        return FileVisitResult.CONTINUE;
                    }
                });
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide MD5 and SHA-256.
            throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
        }
    }
}
