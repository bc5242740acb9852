package dev.selfdistill.data;

import dev.selfdistill.UserError;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads MNIST-style IDX files: unsigned-byte image tensors (magic {@code 0x00000803}) and label
 * vectors (magic {@code 0x00000801}), raw or gzip-compressed. The format is the one described on
 * Yann LeCun's MNIST page: a big-endian 32-bit magic number, one big-endian 32-bit size per
 * dimension, then the values in row-major order.
 *
 * <p>Compression is detected from the gzip magic bytes {@code 0x1f 0x8b}, not from the file name.
 * Every error is a {@link UserError} that names the file and suggests fetching the data again.
 */
public final class IdxReader {
    /** Magic number of a three-dimensional unsigned-byte IDX tensor (images). */
    static final int IMAGE_MAGIC = 0x00000803;

    /** Magic number of a one-dimensional unsigned-byte IDX tensor (labels). */
    static final int LABEL_MAGIC = 0x00000801;

    private static final String REFETCH = "re-fetch it with `selfdistill data fetch av-mnist`";

    private IdxReader() {}

    /**
     * Images of one IDX file.
     *
     * @param count number of images
     * @param rows height of each image in pixels
     * @param columns width of each image in pixels
     * @param pixels {@code count * rows * columns} unsigned bytes (read with {@code & 0xff}),
     *     image by image, each image row-major
     */
    public record IdxImages(int count, int rows, int columns, byte[] pixels) {
        /** Checks that the pixel array has exactly {@code count * rows * columns} entries. */
        public IdxImages {
            if (count <= 0 || rows <= 0 || columns <= 0) {
                throw new IllegalArgumentException(
                        "count, rows and columns must be positive, got "
                                + count + ", " + rows + ", " + columns);
            }
            if ((long) count * rows * columns != pixels.length) {
                throw new IllegalArgumentException(
                        "expected " + (long) count * rows * columns + " pixels, got "
                                + pixels.length);
            }
        }

        /** Returns the number of pixels in one image ({@code rows * columns}). */
        public int imageSize() {
            return rows * columns;
        }
    }

    /**
     * Reads an IDX image file (magic {@code 0x00000803}, dimensions count, rows, columns).
     *
     * @param file raw or gzip-compressed IDX file
     * @return the images with their unsigned-byte pixels
     * @throws UserError if the file is missing or unreadable, is not an IDX image file, has a
     *     non-positive dimension, is a corrupt gzip stream, or has fewer or more payload bytes
     *     than its header declares
     */
    public static IdxImages readImages(Path file) {
        try (InputStream in = open(file)) {
            int magic = readHeaderInt(in, file, 0, 4);
            checkMagic(file, magic, IMAGE_MAGIC);
            int count = readDimension(in, file, 1, 4, "image count");
            int rows = readDimension(in, file, 2, 4, "row count");
            int columns = readDimension(in, file, 3, 4, "column count");
            long size = (long) count * rows * columns;
            byte[] pixels = readPayload(in, file, size, "pixel data");
            return new IdxImages(count, rows, columns, pixels);
        } catch (IOException e) {
            throw readFailure(file, e);
        }
    }

    /**
     * Reads an IDX label file (magic {@code 0x00000801}, one dimension). The values are returned
     * as stored, with no check of their range.
     *
     * @param file raw or gzip-compressed IDX file
     * @return one unsigned byte per label
     * @throws UserError if the file is missing or unreadable, is not an IDX label file, declares
     *     zero labels, is a corrupt gzip stream, or has fewer or more bytes than it declares
     */
    public static byte[] readLabels(Path file) {
        try (InputStream in = open(file)) {
            int magic = readHeaderInt(in, file, 0, 2);
            checkMagic(file, magic, LABEL_MAGIC);
            int count = readDimension(in, file, 1, 2, "label count");
            return readPayload(in, file, count, "label data");
        } catch (IOException e) {
            throw readFailure(file, e);
        }
    }

    /** Opens {@code file}, decompressing it when it starts with the gzip magic bytes. */
    private static InputStream open(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new UserError("IDX file " + file + " not found; " + REFETCH);
        }
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if (first == 0x1f && second == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }

    /** Reads the big-endian int at {@code position} of a header of {@code headerInts} ints. */
    private static int readHeaderInt(InputStream in, Path file, int position, int headerInts)
            throws IOException {
        byte[] bytes = in.readNBytes(4);
        if (bytes.length < 4) {
            int found = position * 4 + bytes.length;
            throw new UserError(
                    "IDX file " + file + " is truncated: expected a " + headerInts * 4
                            + "-byte header, found " + found + " bytes; " + REFETCH);
        }
        return ((bytes[0] & 0xff) << 24)
                | ((bytes[1] & 0xff) << 16)
                | ((bytes[2] & 0xff) << 8)
                | (bytes[3] & 0xff);
    }

    private static int readDimension(
            InputStream in, Path file, int position, int headerInts, String name)
            throws IOException {
        int value = readHeaderInt(in, file, position, headerInts);
        if (value <= 0) {
            // A size of 2^31 or more reads as negative here, and is far beyond any real dataset.
            throw new UserError(
                    "IDX file " + file + " declares an invalid " + name + " of "
                            + Integer.toUnsignedString(value) + " (must be positive); " + REFETCH);
        }
        return value;
    }

    private static void checkMagic(Path file, int magic, int expected) {
        if (magic == expected) {
            return;
        }
        String wanted = expected == IMAGE_MAGIC ? "an IDX image file" : "an IDX label file";
        String detail;
        if (magic == IMAGE_MAGIC) {
            detail = " (it is an IDX image file)";
        } else if (magic == LABEL_MAGIC) {
            detail = " (it is an IDX label file)";
        } else {
            detail = String.format(
                    " (magic number 0x%08x, expected 0x%08x)", magic, expected);
        }
        throw new UserError("File " + file + " is not " + wanted + detail + "; " + REFETCH);
    }

    private static byte[] readPayload(InputStream in, Path file, long size, String what)
            throws IOException {
        // Java arrays stop a few entries short of Integer.MAX_VALUE.
        if (size > Integer.MAX_VALUE - 8) {
            throw new UserError(
                    "IDX file " + file + " declares " + size + " bytes of " + what
                            + ", more than one array can hold; " + REFETCH);
        }
        // readNBytes grows its buffer as data arrives, so a corrupt header that declares a huge
        // size does not allocate that size up front.
        byte[] payload = in.readNBytes((int) size);
        if (payload.length < size) {
            throw new UserError(
                    "IDX file " + file + " is truncated: expected " + size + " bytes of " + what
                            + ", found " + payload.length + "; " + REFETCH);
        }
        if (in.read() != -1) {
            throw new UserError(
                    "IDX file " + file + " has trailing bytes after the " + size + " bytes of "
                            + what + " that its header declares; " + REFETCH);
        }
        return payload;
    }

    private static UserError readFailure(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new UserError("IDX file " + file + " not found; " + REFETCH, e);
        }
        if (e instanceof ZipException) {
            return new UserError(
                    "IDX file " + file + " is not valid gzip data (" + e.getMessage() + "); "
                            + REFETCH, e);
        }
        if (e instanceof EOFException) {
            return new UserError(
                    "IDX file " + file + " is a truncated gzip stream (" + e.getMessage() + "); "
                            + REFETCH, e);
        }
        return new UserError(
                "Failed to read IDX file " + file + ": " + e.getMessage() + "; " + REFETCH, e);
    }
}
