package dev.selfdistill.data.manifest;

import dev.selfdistill.UserError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A dataset described by a manifest file: one row per sample with an id, a label, an optional
 * split and one column per input. See {@code docs/manifests.md}.
 *
 * @param path manifest file, CSV (RFC 4180 with a header row) or JSON lines; a relative path in a
 *     study file is resolved against the study file's folder
 * @param format {@code csv} or {@code jsonl}; default: from the file extension ({@code .jsonl} and
 *     {@code .ndjson} are JSON lines, anything else CSV)
 * @param id column with a unique sample id
 * @param label column with the class label
 * @param split optional column with {@code train}, {@code validation} or {@code test}; without
 *     it, a split stratified by label is drawn with {@code seed}
 * @param inputs the input columns
 * @param seed seed of the drawn split; default 0
 * @param validationFraction fraction of each class drawn for validation; default 0.1
 * @param testFraction fraction of each class drawn for test; default 0.2
 * @param maxRows read at most this many data rows, the first ones (0 = all); default 0
 * @param allowOutsidePaths whether file cells may point outside the manifest's folder; default
 *     false
 */
public record ManifestConfig(
        String path,
        String format,
        String id,
        String label,
        String split,
        List<ManifestInput> inputs,
        Integer seed,
        Double validationFraction,
        Double testFraction,
        Integer maxRows,
        Boolean allowOutsidePaths) {

    /** Returns this config with every default filled in. */
    public ManifestConfig withDefaults() {
        List<ManifestInput> filled = new ArrayList<>();
        if (inputs != null) {
            for (ManifestInput input : inputs) {
                filled.add(input == null ? null : input.withDefaults());
            }
        }
        return new ManifestConfig(
                path,
                format != null ? format : path != null && (path.endsWith(".jsonl") || path.endsWith(".ndjson")) ? "jsonl" : "csv",
                id != null ? id : "id",
                label != null ? label : "label",
                split,
                filled,
                seed != null ? seed : 0,
                validationFraction != null ? validationFraction : 0.1,
                testFraction != null ? testFraction : 0.2,
                maxRows != null ? maxRows : 0,
                allowOutsidePaths != null ? allowOutsidePaths : false);
    }

    /** Returns the same config with {@code path} resolved against {@code folder} when relative. */
    public ManifestConfig resolvedAgainst(Path folder) {
        if (path == null || Path.of(path).isAbsolute() || folder == null) {
            return this;
        }
        return new ManifestConfig(folder.resolve(path).normalize().toString(), format, id, label, split,
                inputs, seed, validationFraction, testFraction, maxRows, allowOutsidePaths);
    }

    /** Checks every value and names the key of the first invalid one. */
    public void validate() {
        if (path == null || path.isBlank()) {
            throw new UserError("manifest.path is missing; give the CSV or JSON-lines file that lists the samples");
        }
        if (!format.equals("csv") && !format.equals("jsonl")) {
            throw new UserError("manifest.format has unknown value '" + format + "'; allowed: csv, jsonl");
        }
        if (inputs.isEmpty()) {
            throw new UserError("manifest.inputs is empty; list at least one input, for example "
                    + "'- {column: photo, modality: image}'");
        }
        Set<String> columns = new HashSet<>(List.of(id, label));
        if (split != null) {
            columns.add(split);
        }
        if (columns.size() != (split != null ? 3 : 2)) {
            throw new UserError("manifest.id, manifest.label and manifest.split must name different columns");
        }
        Set<String> single = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            String key = "manifest.inputs[" + i + "]";
            ManifestInput input = inputs.get(i);
            if (input == null) {
                throw new UserError(key + " is empty; give column and modality");
            }
            input.validate(key);
            if (!columns.add(input.column())) {
                throw new UserError(key + ".column '" + input.column() + "' is already used; give each column once");
            }
            if (!input.modality().equals("tabular") && !single.add(input.name())) {
                throw new UserError(key + ": two image, audio or text inputs are both named '" + input.name()
                        + "'; give one of them a 'name'");
            }
        }
        for (ManifestInput input : inputs) {
            if (input.modality().equals("tabular") && single.contains(input.name())) {
                throw new UserError("manifest.inputs: the name '" + input.name()
                        + "' is used by a tabular and a non-tabular input; rename one");
            }
        }
        if (!(validationFraction > 0 && testFraction > 0 && validationFraction + testFraction < 1)) {
            throw new UserError("manifest.validation_fraction and manifest.test_fraction must be positive with a sum "
                    + "below 1, got " + validationFraction + " and " + testFraction);
        }
        if (maxRows < 0) {
            throw new UserError("manifest.max_rows must be 0 (all rows) or a positive count, got " + maxRows);
        }
    }

    /** Returns the modality names in input order, each once. */
    public List<String> modalityNames() {
        Set<String> names = new LinkedHashSet<>();
        for (ManifestInput input : inputs) {
            names.add(input.name() != null ? input.name() : input.modality());
        }
        return List.copyOf(names);
    }
}
