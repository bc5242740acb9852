package dev.selfdistill.data.manifest;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Decodes image files for manifest inputs. */
final class MediaFiles {
    private MediaFiles() {}

    /** A decoding failure, with a message for the user. */
    static final class DecodeException extends Exception {
        DecodeException(String message) {
            super(message);
        }
    }

    /**
     * Decodes an image with javax.imageio (PNG, JPEG, BMP, GIF: the first frame), resizes it to
     * {@code size x size} with bilinear interpolation, ignoring the aspect ratio, and returns
     * {@code channels x size x size} values in [0, 1], channel-major. One channel is the grey
     * conversion of Java2D; three are red, green and blue.
     */
    static float[] image(Path file, int size, int channels) throws DecodeException {
        BufferedImage source;
        try {
            source = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new DecodeException("the image could not be decoded (" + e.getMessage()
                    + "); replace the file with a valid PNG, JPEG, BMP or GIF");
        }
        if (source == null) {
            throw new DecodeException("the file is not an image that javax.imageio can read; "
                    + "convert it to PNG, JPEG, BMP or GIF");
        }
        int type = channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB;
        BufferedImage resized = new BufferedImage(size, size, type);
        Graphics2D graphics = resized.createGraphics();
        graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        graphics.drawImage(source, 0, 0, size, size, null);
        graphics.dispose();
        float[] values = new float[channels * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                if (channels == 1) {
                    values[y * size + x] = resized.getRaster().getSample(x, y, 0) / 255f;
                } else {
                    int rgb = resized.getRGB(x, y);
                    values[y * size + x] = ((rgb >> 16) & 0xff) / 255f;
                    values[size * size + y * size + x] = ((rgb >> 8) & 0xff) / 255f;
                    values[2 * size * size + y * size + x] = (rgb & 0xff) / 255f;
                }
            }
        }
        return values;
    }

    /** Checks that a file cell points to a readable regular file. */
    static void checkReadable(Path file) throws DecodeException {
        if (!Files.exists(file)) {
            throw new DecodeException("file " + file + " not found; fix the path (relative paths start at the manifest's folder)");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new DecodeException("file " + file + " is not a readable file; check its permissions");
        }
    }
}
