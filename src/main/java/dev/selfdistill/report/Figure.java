package dev.selfdistill.report;

import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A chart that both report formats show: the Markdown report links {@code figures/<fileName>},
 * and the HTML report embeds the same bytes as a {@code data:image/png;base64} URI.
 *
 * <p>The PNG bytes are copied on construction and on access, so a figure cannot change after it
 * is made. Like every record with an array component, {@code equals} compares the array by
 * reference.
 *
 * @param fileName file name under {@code figures/}, for example {@code bar-test_accuracy.png}:
 *     letters, digits, {@code .}, {@code _} and {@code -}, not starting with a dot, ending in
 *     {@code .png}
 * @param title short title shown above the figure
 * @param altText text alternative for readers who cannot see the image, stating what the chart
 *     shows and its main values
 * @param png the encoded PNG image
 * @param caption sentence shown under the figure, such as how to read it or what the error bars
 *     are, or empty
 */
public record Figure(String fileName, String title, String altText, byte[] png, String caption) {
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*\\.png");
    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
    };

    /** Checks the components and copies the PNG bytes. */
    public Figure {
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(altText, "altText");
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(caption, "caption");
        if (!FILE_NAME.matcher(fileName).matches()) {
            throw new IllegalArgumentException(
                    "Invalid figure file name '"
                            + fileName
                            + "': use letters, digits, '.', '_' and '-', ending in .png");
        }
        if (altText.isBlank()) {
            throw new IllegalArgumentException("Figure " + fileName + " has no alt text");
        }
        if (!isPng(png)) {
            throw new IllegalArgumentException(
                    "Figure " + fileName + " is not a PNG image (missing PNG signature)");
        }
        png = png.clone();
    }

    /** Returns a copy of the encoded PNG image. */
    @Override
    public byte[] png() {
        return png.clone();
    }

    /** Returns whether {@code bytes} start with the 8-byte PNG signature. */
    static boolean isPng(byte[] bytes) {
        int length = PNG_SIGNATURE.length;
        return bytes.length > length
                && Arrays.equals(bytes, 0, length, PNG_SIGNATURE, 0, length);
    }
}
