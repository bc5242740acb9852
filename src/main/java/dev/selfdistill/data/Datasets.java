package dev.selfdistill.data;

import dev.selfdistill.UserError;
import dev.selfdistill.data.manifest.ManifestConfig;
import dev.selfdistill.data.manifest.ManifestDataset;
import dev.selfdistill.data.manifest.ManifestProblem;
import java.nio.file.Path;
import java.util.List;

/** Loads a study's dataset by name: {@code av-mnist}, {@code fashion-mnist} or {@code manifest}. */
public final class Datasets {
    /** Names of the datasets a study can use. */
    public static final List<String> NAMES = List.of("av-mnist", "fashion-mnist", "manifest");

    private Datasets() {}

    /**
     * Loaded splits and the rows that were left out.
     *
     * @param skipped invalid manifest rows left out with {@code skipInvalid}; empty otherwise
     * @param classes class names in label order
     */
    public record Loaded(AvMnist.Splits splits, List<ManifestProblem> skipped, List<String> classes) {}

    private static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    /**
     * Loads the named dataset.
     *
     * @param dataset dataset name
     * @param dataDir data folder of the built-in datasets
     * @param data settings of the built-in datasets
     * @param manifest settings of a manifest dataset, or null
     * @param skipInvalid whether invalid manifest rows are left out instead of failing the load
     */
    public static Loaded load(String dataset, Path dataDir, AvMnistConfig data, ManifestConfig manifest, boolean skipInvalid) {
        return switch (dataset) {
            case "av-mnist" -> new Loaded(AvMnist.load(dataDir, data), List.of(), DIGITS);
            case "fashion-mnist" -> new Loaded(FashionMnist.load(dataDir, data), List.of(), FashionMnist.CLASSES);
            case "manifest" -> {
                if (manifest == null) {
                    throw new UserError("dataset manifest needs a 'manifest' section with path, id, label and inputs");
                }
                ManifestDataset.Loaded loaded = ManifestDataset.load(manifest, skipInvalid);
                yield new Loaded(loaded.splits(), loaded.skipped(), loaded.classes());
            }
            default -> throw new UserError("dataset has unknown value '" + dataset + "'; allowed: " + String.join(", ", NAMES));
        };
    }

    /** Returns the modality names a dataset offers, read from the config without loading data. */
    public static List<String> modalities(String dataset, ManifestConfig manifest) {
        return switch (dataset) {
            case "fashion-mnist" -> List.of("image");
            case "manifest" -> manifest == null || manifest.inputs() == null ? List.of() : manifest.modalityNames();
            default -> AvMnist.modalities();
        };
    }
}
