import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * Builds the two example manifest datasets described in docs/manifests.md.
 *
 * <p>Usage: {@code java scripts/BuildManifests.java OUT_DIR [ROWS] [FSDD_RECORDINGS]}. OUT_DIR
 * receives {@code products/} (Fashion-MNIST PNGs, text and tabular columns) and {@code
 * spoken-digits/} (a manifest that points to the FSDD WAV files where they are; nothing is
 * copied). ROWS defaults to 600. FSDD_RECORDINGS defaults to
 * {@code $SELFDISTILL_MIRROR/fsdd/recordings}. Fashion-MNIST is read from
 * /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist). Everything is drawn
 * from java.util.Random with seed 7, so the output is the same on every run.
 */
public final class BuildManifests {
    static final String[] CLASSES = {"t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"};
    static final String[] COLOURS = {"black", "white", "red", "blue", "green", "grey"};
    static final String[] DIGITS = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};
    /** Probability that the text names the true class; otherwise it names a random other class. */
    static final double TEXT_TRUE = 0.5;
    /** Probability that the brand is the class's own brand; otherwise one of 10 drawn uniformly. */
    static final double BRAND_TRUE = 0.4;
    /** Probability that an image, a text or all tabular cells are left empty (missing). */
    static final double MISSING = 0.1;

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java scripts/BuildManifests.java OUT_DIR [ROWS] [FSDD_RECORDINGS]");
            System.exit(2);
        }
        Path out = Path.of(args[0]).toAbsolutePath();
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 600;
        String mirror = System.getenv("SELFDISTILL_MIRROR");
        Path recordings = args.length > 2 ? Path.of(args[2]) : mirror == null ? null : Path.of(mirror, "fsdd", "recordings");
        products(out.resolve("products"), rows);
        if (recordings == null || !Files.isDirectory(recordings)) {
            System.err.println("FSDD recordings not found (give FSDD_RECORDINGS or set SELFDISTILL_MIRROR); skipped spoken-digits");
        } else {
            spokenDigits(out.resolve("spoken-digits"), recordings.toAbsolutePath(), rows);
        }
    }

    static void products(Path folder, int rows) throws IOException {
        Path source = Path.of("/usr/share/datasets/fashion-mnist");
        byte[] images = readIdx(source.resolve("train-images-idx3-ubyte.gz"), 16);
        byte[] labels = readIdx(source.resolve("train-labels-idx1-ubyte.gz"), 8);
        Files.createDirectories(folder.resolve("images"));
        Random random = new Random(7);
        StringBuilder csv = new StringBuilder("id,label,photo,title,price,brand\n");
        for (int i = 0; i < rows; i++) {
            int label = labels[i];
            String photo = "";
            if (random.nextDouble() >= MISSING) {
                photo = "images/" + i + ".png";
                BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                for (int p = 0; p < 784; p++) {
                    image.getRaster().setSample(p % 28, p / 28, 0, images[i * 784 + p] & 0xff);
                }
                ImageIO.write(image, "png", folder.resolve(photo).toFile());
            }
            String title = "";
            if (random.nextDouble() >= MISSING) {
                int named = random.nextDouble() < TEXT_TRUE ? label : otherThan(label, random);
                title = COLOURS[random.nextInt(COLOURS.length)] + " " + CLASSES[named] + ", size " + (36 + random.nextInt(10));
            }
            String price = "";
            String brand = "";
            if (random.nextDouble() >= MISSING) {
                // Class c costs 10 + 5c on average, with a standard deviation of 12.
                price = String.format(java.util.Locale.ROOT, "%.2f", Math.max(1, 10 + 5 * label + 12 * random.nextGaussian()));
                brand = "brand-" + (random.nextDouble() < BRAND_TRUE ? label : random.nextInt(10));
            }
            csv.append(i).append(',').append(CLASSES[label]).append(',').append(photo).append(",\"").append(title)
                    .append("\",").append(price).append(',').append(brand).append('\n');
        }
        Files.writeString(folder.resolve("products.csv"), csv, StandardCharsets.UTF_8);
        System.out.println("Wrote " + rows + " rows to " + folder.resolve("products.csv"));
    }

    static void spokenDigits(Path folder, Path recordings, int rows) throws IOException {
        Files.createDirectories(folder);
        List<Path> files = new ArrayList<>();
        try (var stream = Files.list(recordings)) {
            stream.filter(p -> p.toString().endsWith(".wav")).sorted().forEach(files::add);
        }
        Random random = new Random(7);
        java.util.Collections.shuffle(files, random);
        StringBuilder csv = new StringBuilder("id,label,clip,transcript\n");
        for (int i = 0; i < Math.min(rows, files.size()); i++) {
            Path file = files.get(i);
            String name = file.getFileName().toString();
            int digit = Integer.parseInt(name.substring(0, name.indexOf('_')));
            String transcript = "";
            if (random.nextDouble() >= MISSING) {
                int named = random.nextDouble() < TEXT_TRUE ? digit : otherThan(digit, random);
                transcript = "caller said " + DIGITS[named];
            }
            csv.append(name.replace(".wav", "")).append(',').append(DIGITS[digit]).append(",\"").append(file)
                    .append("\",\"").append(transcript).append("\"\n");
        }
        Files.writeString(folder.resolve("spoken-digits.csv"), csv, StandardCharsets.UTF_8);
        System.out.println("Wrote " + Math.min(rows, files.size()) + " rows to " + folder.resolve("spoken-digits.csv"));
    }

    static int otherThan(int label, Random random) {
        int other = random.nextInt(9);
        return other >= label ? other + 1 : other;
    }

    static byte[] readIdx(Path file, int header) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            byte[] all = in.readAllBytes();
            return java.util.Arrays.copyOfRange(all, header, all.length);
        }
    }
}
