package dev.selfdistill.data;

import static dev.selfdistill.data.TestFiles.gzip;
import static dev.selfdistill.data.TestFiles.idx;
import static dev.selfdistill.data.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.UserError;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    private static final byte[] PIXELS = {
        0, 1, 2, 3, 4, 5, 6, 7,
        (byte) 255, (byte) 254, 10, 11, 12, 13, 14, 15,
        16, 17, 18, 19, 20, 21, 22, (byte) 128
    };

    @TempDir Path dir;

    private byte[] threeImages() {
        return idx(IdxReader.IMAGE_MAGIC, new int[] {3, 2, 4}, PIXELS);
    }

    @Test
    void readsRawImages() {
        Path file = write(dir.resolve("images.idx"), threeImages());
        IdxReader.IdxImages images = IdxReader.readImages(file);
        assertEquals(3, images.count());
        assertEquals(2, images.rows());
        assertEquals(4, images.columns());
        assertEquals(8, images.imageSize());
        assertArrayEquals(PIXELS, images.pixels());
        assertEquals(255, images.pixels()[8] & 0xff);
    }

    @Test
    void detectsGzipByMagicBytes() {
        // The names are deliberately misleading: detection must not rely on them.
        Path compressed = write(dir.resolve("images.idx"), gzip(threeImages()));
        Path raw = write(dir.resolve("raw.gz"), threeImages());
        assertArrayEquals(PIXELS, IdxReader.readImages(compressed).pixels());
        assertArrayEquals(PIXELS, IdxReader.readImages(raw).pixels());
    }

    @Test
    void readsLabelsAndCount() {
        byte[] labels = {7, 0, 9, 3, 3};
        Path file = write(dir.resolve("labels.gz"), gzip(idx(IdxReader.LABEL_MAGIC,
                new int[] {5}, labels)));
        byte[] read = IdxReader.readLabels(file);
        assertEquals(5, read.length);
        assertArrayEquals(labels, read);
    }

    @Test
    void rejectsLabelFileAsImages() {
        Path file = write(dir.resolve("labels"), idx(IdxReader.LABEL_MAGIC, new int[] {2},
                new byte[] {1, 2}));
        UserError error = assertThrows(UserError.class, () -> IdxReader.readImages(file));
        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("not an IDX image file"), error.getMessage());
        assertTrue(error.getMessage().contains("it is an IDX label file"), error.getMessage());
        assertTrue(error.getMessage().contains("selfdistill data fetch av-mnist"),
                error.getMessage());
    }

    @Test
    void rejectsUnknownMagic() {
        Path file = write(dir.resolve("other"), idx(0x12345678, new int[] {1, 1, 1},
                new byte[] {0}));
        UserError images = assertThrows(UserError.class, () -> IdxReader.readImages(file));
        assertTrue(images.getMessage().contains("0x12345678"), images.getMessage());
        UserError labels = assertThrows(UserError.class, () -> IdxReader.readLabels(file));
        assertTrue(labels.getMessage().contains("not an IDX label file"), labels.getMessage());
    }

    @Test
    void rejectsTruncatedPixels() {
        byte[] full = threeImages();
        Path file = write(dir.resolve("short.gz"), gzip(Arrays.copyOf(full, full.length - 4)));
        UserError error = assertThrows(UserError.class, () -> IdxReader.readImages(file));
        assertTrue(error.getMessage().contains(
                "truncated: expected 24 bytes of pixel data, found 20"), error.getMessage());
        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
    }

    @Test
    void rejectsTruncatedHeader() {
        Path file = write(dir.resolve("header"), Arrays.copyOf(threeImages(), 10));
        UserError error = assertThrows(UserError.class, () -> IdxReader.readImages(file));
        assertTrue(error.getMessage().contains("expected a 16-byte header, found 10 bytes"),
                error.getMessage());
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] full = threeImages();
        Path file = write(dir.resolve("long"), Arrays.copyOf(full, full.length + 1));
        UserError error = assertThrows(UserError.class, () -> IdxReader.readImages(file));
        assertTrue(error.getMessage().contains("trailing bytes"), error.getMessage());
        byte[] labels = idx(IdxReader.LABEL_MAGIC, new int[] {2}, new byte[] {1, 2, 3});
        Path labelFile = write(dir.resolve("labels"), labels);
        assertThrows(UserError.class, () -> IdxReader.readLabels(labelFile));
    }

    @Test
    void rejectsTruncatedLabels() {
        byte[] labels = idx(IdxReader.LABEL_MAGIC, new int[] {4}, new byte[] {1, 2, 3});
        Path file = write(dir.resolve("labels"), labels);
        UserError error = assertThrows(UserError.class, () -> IdxReader.readLabels(file));
        assertTrue(error.getMessage().contains("expected 4 bytes of label data, found 3"),
                error.getMessage());
    }

    @Test
    void rejectsZeroDimension() {
        Path file = write(dir.resolve("empty"), idx(IdxReader.IMAGE_MAGIC, new int[] {3, 0, 4},
                new byte[0]));
        UserError error = assertThrows(UserError.class, () -> IdxReader.readImages(file));
        assertTrue(error.getMessage().contains("invalid row count of 0"), error.getMessage());
    }

    @Test
    void rejectsCorruptGzip() {
        byte[] compressed = gzip(threeImages());
        byte[] corrupt = compressed.clone();
        for (int i = 10; i < corrupt.length - 8; i++) {
            corrupt[i] = (byte) 0xff;
        }
        Path file = write(dir.resolve("corrupt.gz"), corrupt);
        UserError error = assertThrows(UserError.class, () -> IdxReader.readImages(file));
        assertTrue(error.getMessage().contains("not valid gzip data"), error.getMessage());

        Path cut = write(dir.resolve("cut.gz"), Arrays.copyOf(compressed, compressed.length / 2));
        UserError truncated = assertThrows(UserError.class, () -> IdxReader.readImages(cut));
        assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    }

    @Test
    void rejectsBadChecksumInGzipTrailer() {
        byte[] compressed = gzip(threeImages());
        // The last 8 bytes are the CRC-32 and the size of the uncompressed data.
        compressed[compressed.length - 8] ^= 0x01;
        Path file = write(dir.resolve("crc.gz"), compressed);
        UserError error = assertThrows(UserError.class, () -> IdxReader.readImages(file));
        assertTrue(error.getMessage().contains("not valid gzip data"), error.getMessage());
    }

    @Test
    void rejectsMissingFile() {
        Path file = dir.resolve("absent.gz");
        UserError error = assertThrows(UserError.class, () -> IdxReader.readLabels(file));
        assertTrue(error.getMessage().contains(file + " not found"), error.getMessage());
        assertTrue(error.getMessage().contains("selfdistill data fetch av-mnist"),
                error.getMessage());
    }

    @Test
    void readsSharedMnistSubset() {
        Path folder = TestFiles.sharedData("mnist-10k");
        IdxReader.IdxImages images = IdxReader.readImages(folder.resolve("images-idx3-ubyte.gz"));
        byte[] labels = IdxReader.readLabels(folder.resolve("labels-idx1-ubyte.gz"));
        assertEquals(10_000, images.count());
        assertEquals(28, images.rows());
        assertEquals(28, images.columns());
        assertEquals(10_000, labels.length);
        int[] perClass = new int[10];
        for (byte label : labels) {
            perClass[label]++;
        }
        for (int count : perClass) {
            assertTrue(count >= 863, Arrays.toString(perClass));
            assertTrue(count <= 1127, Arrays.toString(perClass));
        }
        int maxPixel = 0;
        for (byte pixel : images.pixels()) {
            maxPixel = Math.max(maxPixel, pixel & 0xff);
        }
        assertEquals(255, maxPixel);
    }
}
