package dev.selfdistill.data.manifest;

import dev.selfdistill.UserError;
import dev.selfdistill.data.AvMnist;
import dev.selfdistill.data.LogMelSpectrogram;
import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.data.WavReader;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads a manifest dataset into train, validation and test splits.
 *
 * <p>Each image, audio and text input is its own modality; the tabular inputs that share a name
 * form one modality. Per sample the arrays are: images {@code {channels, size, size}}, audio
 * {@code {1, mel_bands, frames}} (log-mel of the waveform resampled to {@code audio.sample_rate}),
 * text {@code {max_length}} token ids as floats ({@link TextSplitter}, {@link TextTokenizer}), tabular {@code
 * {features}} ({@link TabularColumns}). Images and audio are standardised with the mean and
 * standard deviation of the training split's present samples. An empty cell makes the input
 * missing for that sample (presence 0, values 0) unless the input is {@code required}; a tabular
 * modality is missing only when all of its cells are empty.
 *
 * <p>Every statistic (vocabulary, category lists, means) comes from the training split only.
 */
public final class ManifestDataset {
    private static final List<String> SPLITS = List.of("train", "validation", "test");

    private ManifestDataset() {}

    /**
     * The loaded splits.
     *
     * @param splits train, validation and test, with description lines
     * @param skipped rows left out because they were invalid (only with {@code skipInvalid})
     * @param classes class names in label order
     */
    public record Loaded(AvMnist.Splits splits, List<ManifestProblem> skipped, List<String> classes) {}

    /** One modality: its name, kind and the inputs that feed it. */
    private record Modality(String name, String kind, List<ManifestInput> inputs) {}

    /** A valid row: decoded files, raw text and tabular cells. */
    private static final class Sample {
        int line;
        String id;
        String label;
        String split;
        final Map<String, float[]> decoded = new HashMap<>();
        final Map<String, List<String>> texts = new HashMap<>();
        final Map<String, String[]> tabular = new HashMap<>();
    }

    /**
     * Loads the dataset.
     *
     * @param config manifest settings, with defaults filled in
     * @param skipInvalid whether invalid rows are left out and listed instead of failing the load
     * @throws UserError naming the manifest, line, column and value of the first invalid row
     *     (without {@code skipInvalid}), or the key of an invalid setting
     */
    public static Loaded load(ManifestConfig config, boolean skipInvalid) {
        config.validate();
        Path manifest = Path.of(config.path()).toAbsolutePath().normalize();
        Path folder = manifest.getParent();
        List<ManifestRows.Row> rows = ManifestRows.read(manifest, config.format(), config.maxRows());
        checkColumns(config, manifest, rows);
        List<Modality> modalities = modalities(config);
        List<ManifestProblem> problems = new ArrayList<>();
        List<Sample> samples = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Map<String, TextSplitter> splitters = new HashMap<>();
        try {
            for (int i = 0; i < config.inputs().size(); i++) {
                ManifestInput input = config.inputs().get(i);
                if (input.modality().equals("text")) {
                    splitters.put(input.name(), TextSplitter.forInput(input, folder, "manifest.inputs[" + i + "]"));
                }
            }
            for (ManifestRows.Row row : rows) {
                Sample sample = new Sample();
                ManifestProblem problem = parse(config, folder, row, sample, ids, splitters);
                if (problem != null) {
                    report(problem, manifest, skipInvalid, problems);
                } else {
                    samples.add(sample);
                }
            }
        } finally {
            splitters.values().forEach(TextSplitter::close);
        }
        if (config.split() == null) {
            drawSplit(samples, config);
        }
        // Classes come from the training split; a label first seen in validation or test could
        // never be predicted, so such rows are invalid.
        TreeSet<String> classSet = new TreeSet<>();
        for (Sample sample : samples) {
            if (sample.split.equals("train")) {
                classSet.add(sample.label);
            }
        }
        List<Sample> kept = new ArrayList<>();
        for (Sample sample : samples) {
            if (!classSet.contains(sample.label)) {
                ManifestProblem problem = new ManifestProblem(sample.line, sample.id, config.label(), sample.label,
                        "the label appears only in the " + sample.split + " split, so no model can learn it; "
                                + "add training rows with this label or remove these rows");
                report(problem, manifest, skipInvalid, problems);
            } else {
                kept.add(sample);
            }
        }
        List<String> classes = List.copyOf(classSet);
        Map<String, List<Sample>> bySplit = new LinkedHashMap<>();
        for (String split : SPLITS) {
            bySplit.put(split, new ArrayList<>());
        }
        for (Sample sample : kept) {
            bySplit.get(sample.split).add(sample);
        }
        for (String split : SPLITS) {
            if (bySplit.get(split).isEmpty()) {
                throw new UserError(manifest + ": the " + split + " split has no valid rows; "
                        + (config.split() == null ? "add rows" : "assign rows to " + split + " in column '" + config.split() + "'"));
            }
        }
        Preprocessing preprocessing = Preprocessing.fit(modalities, bySplit.get("train"));
        List<MultimodalDataset> datasets = new ArrayList<>();
        for (String split : SPLITS) {
            datasets.add(build(modalities, preprocessing, bySplit.get(split), classes));
        }
        List<String> description = new ArrayList<>();
        description.add(String.format("Manifest %s: %d train, %d validation, %d test rows, %d classes%s",
                manifest, datasets.get(0).size(), datasets.get(1).size(), datasets.get(2).size(), classes.size(),
                problems.isEmpty() ? "" : ", " + problems.size() + " invalid rows skipped"));
        for (int m = 0; m < modalities.size(); m++) {
            description.add("  input " + describe(modalities.get(m), datasets.get(0).shape(m), preprocessing, m));
        }
        AvMnist.Splits splits = new AvMnist.Splits(datasets.get(0), datasets.get(1), datasets.get(2), description, Map.of());
        return new Loaded(splits, List.copyOf(problems), classes);
    }

    private static void report(ManifestProblem problem, Path manifest, boolean skipInvalid, List<ManifestProblem> problems) {
        if (!skipInvalid) {
            throw new UserError(problem.describe(manifest) + " (or pass --skip-invalid to leave such rows out)");
        }
        problems.add(problem);
    }

    private static void checkColumns(ManifestConfig config, Path manifest, List<ManifestRows.Row> rows) {
        Set<String> present = new HashSet<>();
        for (ManifestRows.Row row : rows) {
            present.addAll(row.cells().keySet());
        }
        List<String> needed = new ArrayList<>(List.of(config.id(), config.label()));
        if (config.split() != null) {
            needed.add(config.split());
        }
        config.inputs().forEach(input -> needed.add(input.column()));
        for (String column : needed) {
            if (!present.contains(column)) {
                throw new UserError(manifest + ": column '" + column + "' named in the study's manifest section is not in "
                        + "the manifest; its columns are " + new TreeSet<>(present));
            }
        }
    }

    private static List<Modality> modalities(ManifestConfig config) {
        List<Modality> modalities = new ArrayList<>();
        for (String name : config.modalityNames()) {
            List<ManifestInput> inputs = config.inputs().stream().filter(input -> input.name().equals(name)).toList();
            modalities.add(new Modality(name, inputs.get(0).modality(), inputs));
        }
        return modalities;
    }

    /** Parses one row into {@code sample}; returns the first problem, or null when valid. */
    private static ManifestProblem parse(ManifestConfig config, Path folder, ManifestRows.Row row, Sample sample,
            Set<String> ids, Map<String, TextSplitter> splitters) {
        sample.line = row.line();
        sample.id = row.cell(config.id()).strip();
        if (sample.id.isEmpty()) {
            return new ManifestProblem(row.line(), "", config.id(), "", "the id is empty; give every row a unique id");
        }
        if (ids.contains(sample.id)) {
            return new ManifestProblem(row.line(), sample.id, config.id(), sample.id,
                    "duplicate id: an earlier row has the same id; give every row a unique id");
        }
        sample.label = row.cell(config.label()).strip();
        if (sample.label.isEmpty()) {
            return new ManifestProblem(row.line(), sample.id, config.label(), "", "the label is empty; give every row a label");
        }
        if (config.split() != null) {
            sample.split = row.cell(config.split()).strip().toLowerCase(java.util.Locale.ROOT);
            if (!SPLITS.contains(sample.split)) {
                return new ManifestProblem(row.line(), sample.id, config.split(), row.cell(config.split()),
                        "the split must be train, validation or test");
            }
        }
        for (ManifestInput input : config.inputs()) {
            String cell = row.cell(input.column());
            if (cell.isBlank()) {
                if (input.required()) {
                    return new ManifestProblem(row.line(), sample.id, input.column(), cell,
                            "the " + input.modality() + " input is required (required: true) but the cell is empty; "
                                    + "fill it in or set required: false to treat it as missing");
                }
                continue;
            }
            String problem = switch (input.modality()) {
                case "image", "audio" -> decode(config, folder, input, cell.strip(), sample);
                case "text" -> {
                    sample.texts.put(input.name(), splitters.get(input.name()).tokens(cell));
                    yield null;
                }
                default -> {
                    if (input.type().equals("numeric") && !isNumber(cell)) {
                        yield "not a number; write a decimal number such as 12.5, or leave the cell empty for a missing value";
                    }
                    yield null;
                }
            };
            if (problem != null) {
                return new ManifestProblem(row.line(), sample.id, input.column(), cell, problem);
            }
        }
        // Tabular cells are kept as text, in input order, and encoded once training statistics exist.
        for (Modality modality : modalities(config)) {
            if (modality.kind().equals("tabular")) {
                String[] cells = new String[modality.inputs().size()];
                boolean any = false;
                for (int c = 0; c < cells.length; c++) {
                    cells[c] = row.cell(modality.inputs().get(c).column()).strip();
                    any |= !cells[c].isEmpty();
                }
                if (any) {
                    sample.tabular.put(modality.name(), cells);
                }
            }
        }
        ids.add(sample.id);
        return null;
    }

    private static boolean isNumber(String cell) {
        try {
            return Double.isFinite(Double.parseDouble(cell.strip()));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String decode(ManifestConfig config, Path folder, ManifestInput input, String cell, Sample sample) {
        Path file;
        try {
            file = folder.resolve(cell).normalize();
        } catch (InvalidPathException e) {
            return "not a valid path (" + e.getReason() + ")";
        }
        if (!config.allowOutsidePaths() && !file.startsWith(folder)) {
            return "the path leaves the manifest's folder " + folder + "; move the file into that folder "
                    + "or set manifest.allow_outside_paths: true";
        }
        try {
            MediaFiles.checkReadable(file);
            if (input.modality().equals("image")) {
                sample.decoded.put(input.name(), MediaFiles.image(file, input.size(), input.channels()));
            } else {
                WavReader.Waveform waveform;
                try {
                    waveform = WavReader.read(file);
                } catch (UserError e) {
                    return e.getMessage();
                }
                LogMelSpectrogram.Config audio = input.audio();
                float[] samples = WavReader.resample(waveform.samples(), waveform.sampleRate(), audio.sampleRate());
                sample.decoded.put(input.name(), new LogMelSpectrogram(audio).compute(samples));
            }
        } catch (MediaFiles.DecodeException e) {
            return e.getMessage();
        }
        return null;
    }

    /** Draws a split stratified by label: per class, shuffled, the first rows go to validation and test. */
    private static void drawSplit(List<Sample> samples, ManifestConfig config) {
        Map<String, List<Sample>> byLabel = new java.util.TreeMap<>();
        for (Sample sample : samples) {
            byLabel.computeIfAbsent(sample.label, k -> new ArrayList<>()).add(sample);
        }
        Random random = new Random(config.seed());
        for (List<Sample> group : byLabel.values()) {
            java.util.Collections.shuffle(group, random);
            int validation = (int) Math.round(group.size() * config.validationFraction());
            int test = (int) Math.round(group.size() * config.testFraction());
            // A class keeps at least one training row, so that every label can be learned.
            while (validation + test >= group.size() && validation + test > 0) {
                if (test >= validation && test > 0) {
                    test--;
                } else {
                    validation--;
                }
            }
            for (int i = 0; i < group.size(); i++) {
                group.get(i).split = i < validation ? "validation" : i < validation + test ? "test" : "train";
            }
        }
    }

    /** Preprocessing fitted on the training split. */
    private record Preprocessing(Map<String, TextTokenizer> tokenizers, Map<String, TabularColumns> tabular, Map<String, double[]> standardisation) {
        static Preprocessing fit(List<Modality> modalities, List<Sample> train) {
            Map<String, TextTokenizer> tokenizers = new HashMap<>();
            Map<String, TabularColumns> tabular = new HashMap<>();
            Map<String, double[]> standardisation = new HashMap<>();
            for (Modality modality : modalities) {
                String name = modality.name();
                ManifestInput input = modality.inputs().get(0);
                switch (modality.kind()) {
                    case "text" -> {
                        List<List<String>> texts = train.stream().map(s -> s.texts.get(name)).filter(t -> t != null).toList();
                        tokenizers.put(name, TextTokenizer.fit(texts, input.maxLength(), input.minCount(), input.maxVocabulary()));
                    }
                    case "tabular" -> {
                        List<String[]> cells = train.stream().map(s -> s.tabular.get(name)).filter(c -> c != null).toList();
                        tabular.put(name, TabularColumns.fit(modality.inputs(), cells));
                    }
                    default -> {
                        double sum = 0;
                        double squares = 0;
                        long count = 0;
                        for (Sample sample : train) {
                            float[] values = sample.decoded.get(name);
                            if (values != null) {
                                for (float v : values) {
                                    sum += v;
                                    squares += (double) v * v;
                                }
                                count += values.length;
                            }
                        }
                        double mean = count == 0 ? 0 : sum / count;
                        double variance = count == 0 ? 0 : squares / count - mean * mean;
                        standardisation.put(name, new double[] {mean, variance > 1e-12 ? Math.sqrt(variance) : 1});
                    }
                }
            }
            return new Preprocessing(tokenizers, tabular, standardisation);
        }
    }

    private static long[] shape(Modality modality, Preprocessing preprocessing) {
        ManifestInput input = modality.inputs().get(0);
        return switch (modality.kind()) {
            case "image" -> new long[] {input.channels(), input.size(), input.size()};
            case "audio" -> new long[] {1, input.audio().melBands(), input.audio().frames()};
            case "text" -> new long[] {input.maxLength()};
            default -> new long[] {preprocessing.tabular().get(modality.name()).width()};
        };
    }

    private static MultimodalDataset build(List<Modality> modalities, Preprocessing preprocessing, List<Sample> samples, List<String> classes) {
        int count = samples.size();
        List<long[]> shapes = new ArrayList<>();
        float[][] inputs = new float[modalities.size()][];
        float[][] presence = new float[modalities.size()][count];
        for (int m = 0; m < modalities.size(); m++) {
            Modality modality = modalities.get(m);
            long[] shape = shape(modality, preprocessing);
            shapes.add(shape);
            int size = MultimodalDataset.sampleSize(shape);
            inputs[m] = new float[count * size];
            for (int i = 0; i < count; i++) {
                float[] values = encode(modality, preprocessing, samples.get(i));
                if (values != null) {
                    System.arraycopy(values, 0, inputs[m], i * size, size);
                    presence[m][i] = 1;
                }
            }
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = classes.indexOf(samples.get(i).label);
        }
        List<String> names = modalities.stream().map(Modality::name).toList();
        return new MultimodalDataset(names, shapes, inputs, presence, labels, classes.size());
    }

    /** Returns the encoded values of one sample's modality, or null when it is missing. */
    private static float[] encode(Modality modality, Preprocessing preprocessing, Sample sample) {
        String name = modality.name();
        switch (modality.kind()) {
            case "text" -> {
                List<String> tokens = sample.texts.get(name);
                return tokens == null ? null : preprocessing.tokenizers().get(name).encode(tokens);
            }
            case "tabular" -> {
                String[] cells = sample.tabular.get(name);
                return cells == null ? null : preprocessing.tabular().get(name).encode(cells);
            }
            default -> {
                float[] raw = sample.decoded.get(name);
                if (raw == null) {
                    return null;
                }
                double[] meanSd = preprocessing.standardisation().get(name);
                float[] values = Arrays.copyOf(raw, raw.length);
                for (int v = 0; v < values.length; v++) {
                    values[v] = (float) ((values[v] - meanSd[0]) / meanSd[1]);
                }
                return values;
            }
        }
    }

    private static String describe(Modality modality, long[] shape, Preprocessing preprocessing, int index) {
        String columns = String.join(", ", modality.inputs().stream().map(ManifestInput::column).toList());
        String detail = switch (modality.kind()) {
            case "text" -> ", " + modality.inputs().get(0).tokenizer() + " tokens, vocabulary "
                    + preprocessing.tokenizers().get(modality.name()).idCount() + " ids";
            case "tabular" -> ", " + preprocessing.tabular().get(modality.name()).width() + " features";
            default -> "";
        };
        return modality.name() + " (" + modality.kind() + ", columns " + columns + "): shape " + Arrays.toString(shape) + detail;
    }
}
