package dev.selfdistill.study;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.selfdistill.UserError;
import dev.selfdistill.data.AvMnistConfig;
import dev.selfdistill.data.Datasets;
import dev.selfdistill.data.manifest.ManifestConfig;
import dev.selfdistill.distill.MethodPlan;
import dev.selfdistill.distill.Methods;
import dev.selfdistill.model.ModelConfig;
import dev.selfdistill.train.TrainConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A study: one dataset, one architecture and one training budget, with several methods trained
 * for several seeds. Bound from a YAML study file with snake_case keys.
 *
 * @param name study name, used in the default output folder
 * @param dataset dataset name: {@code av-mnist}, {@code fashion-mnist} or {@code manifest}
 * @param data dataset settings
 * @param model architecture
 * @param training optimisation settings shared by all methods
 * @param methods each entry has {@code name} and that method's hyperparameters
 * @param seeds either a count n (seeds 0..n-1) or a list of seeds
 * @param baseline label the other methods are compared against
 * @param modalities the inputs the network sees, a subset of the dataset's ({@code image} and
 *     {@code audio} for AV-MNIST); a single modality gives a unimodal reference study; default:
 *     all of the dataset's
 * @param manifest the manifest of {@code dataset: manifest}, null for the built-in datasets
 */
public record StudyConfig(
        String name,
        String dataset,
        AvMnistConfig data,
        ModelConfig model,
        TrainConfig training,
        List<Map<String, Object>> methods,
        Object seeds,
        String baseline,
        List<String> modalities,
        ManifestConfig manifest) {

    /** Returns this config with defaults filled in for every missing value. */
    public StudyConfig withDefaults() {
        String datasetName = dataset != null ? dataset : "av-mnist";
        ManifestConfig filledManifest = manifest != null ? manifest.withDefaults() : null;
        return new StudyConfig(
                name != null ? name : "study",
                datasetName,
                data != null ? data.withDefaults() : AvMnistConfig.defaults(),
                model != null ? model.withDefaults() : ModelConfig.defaults(),
                training != null ? training.withDefaults() : TrainConfig.defaults(),
                methods != null ? methods : List.of(Map.of("name", "baseline")),
                seeds != null ? seeds : 3,
                baseline != null ? baseline : "baseline",
                modalities != null ? modalities : Datasets.modalities(datasetName, filledManifest),
                filledManifest);
    }

    /** Validates every section and returns the method plans in study order. */
    public List<MethodPlan> validate() {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new UserError("name must use only letters, digits, '.', '_' and '-', got '" + name + "'");
        }
        if (!Datasets.NAMES.contains(dataset)) {
            throw new UserError("dataset has unknown value '" + dataset + "'; allowed: " + String.join(", ", Datasets.NAMES));
        }
        if (dataset.equals("manifest") != (manifest != null)) {
            throw new UserError(dataset.equals("manifest")
                    ? "dataset manifest needs a 'manifest' section with path, id, label and inputs"
                    : "the 'manifest' section applies only to 'dataset: manifest'; remove it or set the dataset");
        }
        if (manifest != null) {
            manifest.validate();
        }
        data.validate();
        model.validate();
        training.validate();
        seedList();
        List<String> available = Datasets.modalities(dataset, manifest);
        if (modalities.isEmpty() || !available.containsAll(modalities) || new HashSet<>(modalities).size() != modalities.size()) {
            throw new UserError("modalities must list distinct inputs of " + dataset + " (" + String.join(", ", available) + "), got " + modalities);
        }
        if (methods.isEmpty()) {
            throw new UserError("methods is empty; name at least one method, for example '- name: baseline'");
        }
        List<MethodPlan> plans = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> entry : methods) {
            Object methodName = entry.get("name");
            if (!(methodName instanceof String method)) {
                throw new UserError("every entry of methods needs a 'name', got " + entry);
            }
            if (!seen.add(method)) {
                throw new UserError("methods lists '" + method + "' twice; give each method once");
            }
            Map<String, Object> parameters = new LinkedHashMap<>(entry);
            parameters.remove("name");
            plans.add(Methods.plan(method, parameters));
        }
        return plans;
    }

    /** Returns the seeds, expanding a count n to 0..n-1. */
    @JsonIgnore
    public List<Integer> seedList() {
        if (seeds instanceof Integer count) {
            if (count < 1 || count > 1000) {
                throw new UserError("seeds must be a count from 1 to 1000 or a list of integers, got " + count);
            }
            List<Integer> list = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                list.add(i);
            }
            return list;
        }
        if (seeds instanceof List<?> list && !list.isEmpty()) {
            List<Integer> result = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof Integer seed)) {
                    throw new UserError("seeds must contain integers only, got '" + item + "'");
                }
                if (result.contains(seed)) {
                    throw new UserError("seeds lists " + seed + " twice");
                }
                result.add(seed);
            }
            return result;
        }
        throw new UserError("seeds must be a count such as 3 or a list such as [0, 1, 2], got '" + seeds + "'");
    }
}
