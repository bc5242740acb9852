package dev.selfdistill.study;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.selfdistill.UserError;
import dev.selfdistill.train.TrainConfig;
import dev.selfdistill.data.AvMnistConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads and writes study files and result files. */
public final class StudyFiles {
    /** Resource path of the built-in AV-MNIST study that {@code compare} runs without arguments. */
    public static final String BUILT_IN = "/studies/av-mnist.yaml";

    private StudyFiles() {}

    /** Returns a YAML mapper with snake_case keys that rejects unknown keys. */
    public static ObjectMapper yaml() {
        return configure(new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)));
    }

    /** Returns a JSON mapper with snake_case keys. */
    public static ObjectMapper json() {
        return configure(new ObjectMapper()).enable(SerializationFeature.INDENT_OUTPUT);
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    /** Reads a study file, naming the file and key of any mistake. */
    public static StudyConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": study file not found; pass the path of a YAML study file, or no argument for the built-in AV-MNIST study");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read the study file: " + e.getMessage());
        }
        StudyConfig config = parse(text, file.toString());
        if (config.manifest() == null) {
            return config;
        }
        // A manifest path in a study file is relative to the study file, not to the working folder.
        Path folder = file.toAbsolutePath().getParent();
        return new StudyConfig(config.name(), config.dataset(), config.data(), config.model(), config.training(),
                config.methods(), config.seeds(), config.baseline(), config.modalities(), config.manifest().resolvedAgainst(folder));
    }

    /** Returns the built-in AV-MNIST study. */
    public static StudyConfig builtIn() {
        try (InputStream in = StudyFiles.class.getResourceAsStream(BUILT_IN)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "built-in study " + BUILT_IN);
        } catch (IOException e) {
            throw new IllegalStateException("built-in study is missing from the jar", e);
        }
    }

    /** Parses study YAML; {@code source} names the file in error messages. */
    public static StudyConfig parse(String text, String source) {
        try {
            StudyConfig config = yaml().readValue(text, StudyConfig.class);
            if (config == null) {
                throw new UserError(source + ": the study file is empty");
            }
            return config.withDefaults();
        } catch (UnrecognizedPropertyException e) {
            String allowed = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw new UserError(source + ": unknown key '" + keyPath(e) + "' at line " + e.getLocation().getLineNr() + "; allowed keys there: " + allowed);
        } catch (MismatchedInputException e) {
            throw new UserError(source + ": invalid value for '" + keyPath(e) + "' at line " + e.getLocation().getLineNr() + ": " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new UserError(source + ": not valid YAML at line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ": " + firstLine(e.getOriginalMessage()));
        }
    }

    private static String keyPath(MismatchedInputException e) {
        List<String> parts = new ArrayList<>();
        for (var reference : e.getPath()) {
            parts.add(reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]");
        }
        return String.join(".", parts).replace(".[", "[");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /**
     * Returns the quick preset of a study: at most 4,000 images, 6 epochs, 2 seeds and one
     * born-again generation, for a first look in a few minutes on two cores.
     */
    public static StudyConfig quick(StudyConfig config) {
        AvMnistConfig d = config.data();
        int maxImages = d.maxImages() == 0 ? 4000 : Math.min(d.maxImages(), 4000);
        AvMnistConfig data = new AvMnistConfig(d.seed(), maxImages, d.validationFraction(), d.testFraction(), d.imageNoiseStd(), d.imageOcclusion(), d.audioSnrDb(), d.audio());
        TrainConfig t = config.training();
        TrainConfig training = new TrainConfig(t.optimizer(), t.learningRate(), t.momentum(), t.weightDecay(), t.schedule(), t.stepEpochs(), t.stepGamma(), t.batchSize(), Math.min(t.epochs(), 6), t.patience(), t.augmentation());
        List<Integer> seeds = config.seedList();
        List<Map<String, Object>> methods = new ArrayList<>();
        for (Map<String, Object> method : config.methods()) {
            Map<String, Object> copy = new LinkedHashMap<>(method);
            if ("born-again".equals(copy.get("name"))) {
                copy.put("generations", 1);
            }
            methods.add(copy);
        }
        return new StudyConfig(config.name() + "-quick", config.dataset(), data, config.model(), training, methods, seeds.subList(0, Math.min(2, seeds.size())), config.baseline(), config.modalities(), config.manifest());
    }

    /** Returns the study as YAML, with every default written out. */
    public static String toYaml(Object value) {
        try {
            return yaml().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the value as indented JSON. */
    public static String toJson(Object value) {
        try {
            return json().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns the value as one line of JSON. */
    public static String toJsonLine(Object value) {
        try {
            return json().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
