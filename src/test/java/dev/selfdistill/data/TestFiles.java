package dev.selfdistill.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Builders of small IDX and WAV files, and the location of the real data shared with tests. */
final class TestFiles {
    private TestFiles() {}

    /**
     * Returns the shared data folder, or skips the test when it is absent. The folder is the
     * system property {@code selfdistill.sharedData} (default {@code ../shared/data}), else the
     * environment variable {@code SELFDISTILL_MIRROR}.
     */
    static Path sharedData(String part) {
        List<Path> candidates = new ArrayList<>();
        candidates.add(Path.of(System.getProperty("selfdistill.sharedData", "../shared/data")));
        String mirror = System.getenv("SELFDISTILL_MIRROR");
        if (mirror != null && !mirror.isBlank()) {
            candidates.add(Path.of(mirror));
        }
        for (Path candidate : candidates) {
            if (Files.exists(candidate.resolve(part))) {
                return candidate.resolve(part);
            }
        }
        assumeTrue(false, "shared data " + part + " not found in " + candidates);
        return null;
    }

    /** Returns an IDX file: big-endian magic, dimensions, then {@code payload}. */
    static byte[] idx(int magic, int[] dimensions, byte[] payload) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dimensions.length + payload.length);
        buffer.putInt(magic);
        for (int dimension : dimensions) {
            buffer.putInt(dimension);
        }
        buffer.put(payload);
        return buffer.array();
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builder of RIFF/WAVE bytes from chunks, in the order they are added. */
    static final class Wav {
        private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();

        /** Adds a plain 16-byte fmt chunk. */
        Wav format(int formatTag, int channels, int sampleRate, int bits) {
            ByteBuffer fmt = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            int blockAlign = channels * bits / 8;
            fmt.putShort((short) formatTag).putShort((short) channels).putInt(sampleRate);
            fmt.putInt(sampleRate * blockAlign).putShort((short) blockAlign);
            fmt.putShort((short) bits);
            return chunk("fmt ", fmt.array());
        }

        /** Adds a 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk with the given sub-format code. */
        Wav extensible(int subFormat, int channels, int sampleRate, int bits) {
            ByteBuffer fmt = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN);
            int blockAlign = channels * bits / 8;
            fmt.putShort((short) 0xFFFE).putShort((short) channels).putInt(sampleRate);
            fmt.putInt(sampleRate * blockAlign).putShort((short) blockAlign);
            fmt.putShort((short) bits).putShort((short) 22).putShort((short) bits);
            fmt.putInt(channels == 1 ? 0x4 : 0x3);
            // KSDATAFORMAT_SUBTYPE GUID: the code, then 0000-0010-8000-00aa00389b71.
            fmt.putShort((short) subFormat).putShort((short) 0).putShort((short) 0x0010);
            fmt.put(new byte[] {(byte) 0x80, 0, 0, (byte) 0xaa, 0, 0x38, (byte) 0x9b, 0x71});
            return chunk("fmt ", fmt.array());
        }

        /** Adds a chunk, followed by a pad byte when its size is odd. */
        Wav chunk(String id, byte[] body) {
            return chunk(id, body.length, body);
        }

        /** Adds a chunk whose header declares {@code declaredSize}, which may be a lie. */
        Wav chunk(String id, int declaredSize, byte[] body) {
            ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            header.put(id.getBytes(StandardCharsets.US_ASCII)).putInt(declaredSize);
            chunks.writeBytes(header.array());
            chunks.writeBytes(body);
            if (body.length % 2 == 1 && declaredSize == body.length) {
                chunks.write(0);
            }
            return this;
        }

        Wav data(byte[] body) {
            return chunk("data", body);
        }

        byte[] bytes() {
            byte[] body = chunks.toByteArray();
            ByteBuffer riff = ByteBuffer.allocate(12 + body.length).order(ByteOrder.LITTLE_ENDIAN);
            riff.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(4 + body.length);
            riff.put("WAVE".getBytes(StandardCharsets.US_ASCII)).put(body);
            return riff.array();
        }
    }

    /** Returns little-endian 16-bit samples. */
    static byte[] pcm16(int... samples) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int sample : samples) {
            buffer.putShort((short) sample);
        }
        return buffer.array();
    }

    /** Returns a mono 16-bit PCM WAV file of {@code samples} at {@code sampleRate}. */
    static byte[] wav16(int sampleRate, int... samples) {
        return new Wav().format(1, 1, sampleRate, 16).data(pcm16(samples)).bytes();
    }
}
