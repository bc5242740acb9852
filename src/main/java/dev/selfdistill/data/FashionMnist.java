package dev.selfdistill.data;

import dev.selfdistill.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017) as a single-modality {@code image} dataset:
 * 28x28 grey images of 10 clothing classes in the IDX format of MNIST.
 *
 * <p>The four files {@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz},
 * {@code t10k-images-idx3-ubyte.gz} and {@code t10k-labels-idx1-ubyte.gz} are looked up in
 * {@code DATA/fashion-mnist/}, then in {@code /usr/share/datasets/fashion-mnist/} (where the
 * Debian package {@code dataset-fashion-mnist} installs them). The 10,000 t10k images are the
 * test split; {@code data.validation_fraction} of the training images, stratified by class, are
 * held out for validation. With {@code data.max_images}, at most that many training images and
 * a proportional share of the test images are kept. Pixels are scaled to [0, 1] and standardised
 * with the training mean and standard deviation; the AV-MNIST degradation keys of {@code data}
 * are not applied.
 */
public final class FashionMnist {
    /** Folder installed by the Debian package {@code dataset-fashion-mnist}. */
    public static final Path SYSTEM_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");

    static final List<String> FILES = List.of(
            "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    /** Class names in label order, as published with the dataset. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** Returns the folder holding the four files, or throws naming both places searched. */
    public static Path locate(Path dataDir) {
        for (Path folder : List.of(dataDir.resolve("fashion-mnist"), SYSTEM_FOLDER)) {
            if (FILES.stream().allMatch(name -> Files.isRegularFile(folder.resolve(name)))) {
                return folder;
            }
        }
        throw new UserError("Fashion-MNIST not found in " + dataDir.resolve("fashion-mnist") + " or " + SYSTEM_FOLDER
                + "; install it with `apt-get install dataset-fashion-mnist` or put " + String.join(", ", FILES)
                + " in " + dataDir.resolve("fashion-mnist"));
    }

    /** Loads the three splits. */
    public static AvMnist.Splits load(Path dataDir, AvMnistConfig config) {
        config.validate();
        Path folder = locate(dataDir);
        IdxReader.IdxImages trainImages = IdxReader.readImages(folder.resolve(FILES.get(0)));
        byte[] trainLabels = IdxReader.readLabels(folder.resolve(FILES.get(1)));
        IdxReader.IdxImages testImages = IdxReader.readImages(folder.resolve(FILES.get(2)));
        byte[] testLabels = IdxReader.readLabels(folder.resolve(FILES.get(3)));
        Random random = new Random(config.seed());
        int[] trainIndices = range(trainImages.count());
        int[] testIndices = range(testImages.count());
        if (config.maxImages() > 0 && config.maxImages() < trainIndices.length) {
            trainIndices = prefix(trainIndices, config.maxImages(), random);
            int testCount = Math.max(1, (int) Math.round((double) config.maxImages() * testImages.count() / trainImages.count()));
            testIndices = prefix(testIndices, testCount, random);
        }
        double validation = config.validationFraction();
        // stratifiedSplit returns the validation part first and the remainder, the training part, last.
        int[][] parts = AvMnist.stratifiedSplit(trainIndices, trainLabels, new double[] {validation}, random);
        MultimodalDataset train = dataset(trainImages, trainLabels, parts[1]);
        double[] meanSd = meanSd(train.inputs(0));
        List<String> description = new ArrayList<>();
        MultimodalDataset validationSet = dataset(trainImages, trainLabels, parts[0]);
        MultimodalDataset test = dataset(testImages, testLabels, testIndices);
        for (MultimodalDataset split : List.of(train, validationSet, test)) {
            float[] values = split.inputs(0);
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) ((values[i] - meanSd[0]) / meanSd[1]);
            }
        }
        description.add(String.format("Fashion-MNIST from %s: %d train, %d validation, %d test images (data seed %d)",
                folder, train.size(), validationSet.size(), test.size(), config.seed()));
        return new AvMnist.Splits(train, validationSet, test, description, Map.of());
    }

    private static int[] range(int count) {
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = i;
        }
        return indices;
    }

    private static int[] prefix(int[] indices, int count, Random random) {
        int[] copy = indices.clone();
        AvMnist.shuffle(copy, random);
        return java.util.Arrays.copyOf(copy, count);
    }

    private static MultimodalDataset dataset(IdxReader.IdxImages images, byte[] labels, int[] indices) {
        int size = images.imageSize();
        float[] pixels = new float[indices.length * size];
        int[] classes = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            for (int p = 0; p < size; p++) {
                pixels[i * size + p] = (images.pixels()[indices[i] * size + p] & 0xff) / 255f;
            }
            classes[i] = labels[indices[i]];
        }
        float[] presence = new float[indices.length];
        java.util.Arrays.fill(presence, 1f);
        return new MultimodalDataset(List.of("image"), List.of(new long[] {1, images.rows(), images.columns()}),
                new float[][] {pixels}, new float[][] {presence}, classes, 10);
    }

    private static double[] meanSd(float[] values) {
        double sum = 0;
        double squares = 0;
        for (float v : values) {
            sum += v;
            squares += (double) v * v;
        }
        double mean = sum / values.length;
        return new double[] {mean, Math.sqrt(Math.max(1e-12, squares / values.length - mean * mean))};
    }
}
