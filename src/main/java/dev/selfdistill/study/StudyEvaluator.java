package dev.selfdistill.study;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import dev.selfdistill.UserError;
import dev.selfdistill.data.AvMnist;
import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.distill.Baseline;
import dev.selfdistill.distill.Method;
import dev.selfdistill.distill.Methods;
import dev.selfdistill.distill.TeacherLogits;
import dev.selfdistill.eval.RobustnessSuite;
import dev.selfdistill.eval.RunEvaluation;
import dev.selfdistill.eval.RunEvaluator;
import dev.selfdistill.eval.RunEvidence;
import dev.selfdistill.io.AtomicFiles;
import dev.selfdistill.model.ModelConfig;
import dev.selfdistill.model.MultimodalNet;
import dev.selfdistill.model.Parameters;
import dev.selfdistill.train.Batches;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates the saved models of a study folder again ({@code selfdistill evaluate}): rebuilds each
 * run's network from its {@code config.json}, loads {@code model-0000.params}, runs every
 * evaluation of {@link RunEvaluation} on the data, recomputes born-again ensembles from their
 * members, and rewrites each run's {@code metrics.json} and evidence files, the study's aggregates
 * and the report. Training metrics (validation accuracy, epochs, wall time) are kept.
 *
 * <p>Every run folder is checked before the first model is evaluated, and files are written only
 * after every run has been evaluated, so a failure leaves the folder as it was.
 */
public final class StudyEvaluator {
    /** File name prefix of the saved parameters, as {@code Model.save(runDir, "model")} writes. */
    static final String MODEL_PREFIX = "model";

    private final Path studyDir;
    private final Path dataDir;
    private final PrintStream console;

    public StudyEvaluator(Path studyDir, Path dataDir, PrintStream console) {
        this.studyDir = studyDir;
        this.dataDir = dataDir;
        this.console = console;
    }

    /** An evaluated run with the files to write. */
    private record Evaluated(
            RunResult result, RunEvidence evidence, RunEvaluator.Predictions predictions) {}

    /**
     * Evaluates every run and rewrites the study folder, returning the new results.
     *
     * @throws UserError when the folder, a run folder or its parameters are missing, the data
     *     differ from the study's {@code data.txt}, or the parameters do not fit the network that
     *     the run's config describes
     */
    public StudyResults run() {
        if (!Files.isDirectory(studyDir)) {
            throw new UserError(
                    studyDir
                            + ": study folder not found; pass a folder written by `selfdistill"
                            + " compare`");
        }
        StudyResults previous = StudyResults.read(studyDir);
        StudyConfig config = StudyFiles.read(studyDir.resolve("study.yaml"));
        config.validate();
        for (RunResult run : previous.runs()) {
            if (run.generation() >= 0) {
                checkRunFolder(StudyResults.runFolder(studyDir, run));
            }
        }
        AvMnist.Splits splits = StudyRunner.loadSplits(dataDir, config);
        checkSameData(splits);
        RobustnessSuite suite = StudyRunner.buildSuite(dataDir, config, splits, console);

        Map<String, Evaluated> evaluated = new LinkedHashMap<>();
        for (RunResult run : previous.runs()) {
            if (run.generation() >= 0) {
                evaluated.put(key(run.label(), run.seed()), evaluate(run, splits, suite));
            }
        }
        for (RunResult run : previous.runs()) {
            if (run.generation() < 0) {
                evaluated.put(
                        key(run.label(), run.seed()),
                        ensemble(run, previous.runs(), evaluated, splits));
            }
        }

        List<RunResult> runs = new ArrayList<>();
        for (RunResult run : previous.runs()) {
            Evaluated result = evaluated.get(key(run.label(), run.seed()));
            Path runDir = StudyResults.runFolder(studyDir, run);
            AtomicFiles.writeString(
                    runDir.resolve("metrics.json"), StudyFiles.toJson(result.result().metrics()));
            EvidenceFiles.write(runDir, result.evidence());
            runs.add(result.result());
        }
        StudyResults results = previous.withRuns(runs, StudyResults.evaluationNotes());
        results.write(studyDir);
        return results;
    }

    /**
     * Rejects data whose description (split sizes, source counts, degradation, features) differs
     * from the {@code data.txt} that {@code compare} wrote, for example another MNIST download.
     * Files with equal descriptions but other contents are not detected.
     */
    private void checkSameData(AvMnist.Splits splits) {
        Path file = studyDir.resolve("data.txt");
        if (!Files.isRegularFile(file)) {
            return;
        }
        List<String> recorded;
        try {
            recorded = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read the data description: " + e.getMessage());
        }
        for (int i = 0; i < splits.description().size(); i++) {
            String loaded = splits.description().get(i);
            if (i >= recorded.size() || !recorded.get(i).equals(loaded)) {
                throw new UserError(
                        dataDir
                                + ": the data differ from those the study was trained on (now '"
                                + loaded
                                + "', "
                                + file
                                + " records '"
                                + (i < recorded.size() ? recorded.get(i) : "")
                                + "'); pass the --data folder that `selfdistill compare` used");
            }
        }
    }

    private static String key(String label, int seed) {
        return label + "\n" + seed;
    }

    private static void checkRunFolder(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            throw new UserError(
                    runDir
                            + ": run folder not found; the study folder is incomplete, re-run"
                            + " `selfdistill compare`");
        }
        if (!Files.isRegularFile(runDir.resolve("config.json"))) {
            throw new UserError(
                    runDir.resolve("config.json")
                            + ": run config not found; the study folder is incomplete, re-run"
                            + " `selfdistill compare`");
        }
        Path params = runDir.resolve(MODEL_PREFIX + "-0000.params");
        if (!Files.isRegularFile(params)) {
            throw new UserError(
                    params
                            + ": saved parameters not found, so this run cannot be evaluated;"
                            + " re-run `selfdistill compare`");
        }
    }

    private Evaluated evaluate(RunResult run, AvMnist.Splits splits, RobustnessSuite suite) {
        Path runDir = StudyResults.runFolder(studyDir, run);
        console.println("== " + run.label() + ", seed " + run.seed());
        JsonNode runConfig = readConfig(runDir);
        ModelConfig modelConfig = modelConfig(runDir, runConfig);
        try (Method method = method(runDir, runConfig, run.generation());
                Model model = Model.newInstance("evaluate-" + StudyRunner.slug(run.label()))) {
            // Rebuild the network as TrainingLoop built it: text encoders size their embedding
            // tables from the split the method trained on, and some heads depend on the model.
            MultimodalDataset trained = method.trainingData(splits.train(), run.seed());
            ModelConfig sized = modelConfig.forData(trained);
            MultimodalNet net =
                    new MultimodalNet(
                            sized,
                            trained.modalities(),
                            trained.numClasses(),
                            method.needsModalityHeads(),
                            method.heads(sized, trained));
            model.setBlock(net);
            load(runDir, model, net, splits, run.metric(Metrics.PARAMETERS));
            RunEvaluation.Result evaluation =
                    RunEvaluation.evaluate(
                            net,
                            splits.train(),
                            splits.validation(),
                            splits.test(),
                            suite,
                            model.getNDManager());
            Map<String, Double> metrics = new LinkedHashMap<>(run.metrics());
            metrics.putAll(evaluation.metrics());
            console.println(
                    String.format(
                            "   test accuracy %.4f (recorded %.4f), joint probe %.4f, %.1f s"
                                    + " evaluation",
                            metrics.get(Metrics.TEST_ACCURACY),
                            run.metric(Metrics.TEST_ACCURACY),
                            metrics.get(Metrics.PROBE_ACCURACY + Metrics.JOINT),
                            metrics.get(Metrics.EVALUATION_SECONDS)));
            RunResult result =
                    new RunResult(
                            run.method(),
                            run.label(),
                            run.seed(),
                            run.generation(),
                            metrics,
                            run.epochs());
            return new Evaluated(result, evaluation.evidence(), evaluation.predictions());
        }
    }

    /**
     * Loads the saved parameters into {@code net} and checks that they fit it: DJL 0.36.0 reads
     * each array's shape from the file and leaves parameters past the file's end unread, so a
     * mismatch is found by comparing every shape with a fresh initialisation and the trainable
     * count with the one recorded at training.
     */
    private static void load(
            Path runDir,
            Model model,
            MultimodalNet net,
            AvMnist.Splits splits,
            double recordedParameters) {
        Shape[] inputShapes = Batches.inputShapes(splits.train(), 2);
        net.initialize(model.getNDManager(), DataType.FLOAT32, inputShapes);
        List<Shape> expected = new ArrayList<>();
        for (Pair<String, Parameter> parameter : net.getParameters()) {
            expected.add(parameter.getValue().getArray().getShape());
        }
        Path params = runDir.resolve(MODEL_PREFIX + "-0000.params");
        try {
            model.load(runDir, MODEL_PREFIX);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            throw mismatch(params, "loading failed: " + e);
        }
        PairList<String, Parameter> loaded = net.getParameters();
        for (int i = 0; i < loaded.size(); i++) {
            Shape shape = loaded.get(i).getValue().getArray().getShape();
            if (!shape.equals(expected.get(i))) {
                throw mismatch(
                        params,
                        "parameter "
                                + loaded.get(i).getKey()
                                + " has shape "
                                + shape
                                + " in the file but "
                                + expected.get(i)
                                + " in the network");
            }
        }
        long count = Parameters.countTrainable(net);
        if (!Double.isNaN(recordedParameters) && count != (long) recordedParameters) {
            throw mismatch(
                    params,
                    "the network has "
                            + count
                            + " trainable parameters but the run recorded "
                            + (long) recordedParameters);
        }
    }

    private static UserError mismatch(Path params, String detail) {
        return new UserError(
                params
                        + ": the saved parameters do not match the architecture in config.json ("
                        + detail
                        + "); evaluate the folder with the selfdistill version that trained it, or"
                        + " re-run `selfdistill compare`");
    }

    private static JsonNode readConfig(Path runDir) {
        Path file = runDir.resolve("config.json");
        try {
            return StudyFiles.json().readTree(file.toFile());
        } catch (IOException e) {
            throw new UserError(
                    file
                            + ": cannot read the run config ("
                            + e.getMessage().lines().findFirst().orElse("")
                            + "); re-run `selfdistill compare`");
        }
    }

    private static ModelConfig modelConfig(Path runDir, JsonNode runConfig) {
        Path file = runDir.resolve("config.json");
        JsonNode model = runConfig.get("model");
        if (model == null) {
            throw new UserError(
                    file
                            + ": has no 'model' section, so the network cannot be rebuilt; re-run"
                            + " `selfdistill compare`");
        }
        try {
            ModelConfig config =
                    StudyFiles.json().treeToValue(model, ModelConfig.class).withDefaults();
            config.validate();
            return config;
        } catch (IOException e) {
            throw new UserError(
                    file
                            + ": invalid 'model' section ("
                            + e.getMessage().lines().findFirst().orElse("")
                            + ")");
        }
    }

    /**
     * Creates the run's method, which declares the heads the network was trained with. A generation
     * of a born-again style method needs its teacher's logits only for training, so it gets an
     * empty placeholder.
     */
    private static Method method(Path runDir, JsonNode runConfig, int generation) {
        JsonNode name = runConfig.get("method");
        if (name == null || !name.isTextual()) {
            throw new UserError(
                    runDir.resolve("config.json")
                            + ": has no 'method' name, so the network cannot be rebuilt; re-run"
                            + " `selfdistill compare`");
        }
        Map<String, Object> parameters = new LinkedHashMap<>();
        JsonNode node = runConfig.get("method_parameters");
        if (node != null) {
            parameters =
                    StudyFiles.json()
                            .convertValue(
                                    node,
                                    StudyFiles.json()
                                            .getTypeFactory()
                                            .constructMapType(
                                                    LinkedHashMap.class,
                                                    String.class,
                                                    Object.class));
        }
        TeacherLogits placeholder = generation > 0 ? new TeacherLogits(new float[0][]) : null;
        return Methods.plan(name.asText(), parameters).create(generation, placeholder);
    }

    /**
     * Recomputes a born-again ensemble from its evaluated members: the baseline run of the same
     * seed (generation 0) and the method's generations 1 and later.
     */
    private static Evaluated ensemble(
            RunResult run,
            List<RunResult> runs,
            Map<String, Evaluated> evaluated,
            AvMnist.Splits splits) {
        List<RunResult> members = new ArrayList<>();
        runs.stream()
                .filter(
                        r ->
                                r.method().equals(Baseline.NAME)
                                        && r.generation() == 0
                                        && r.seed() == run.seed())
                .findFirst()
                .ifPresent(members::add);
        runs.stream()
                .filter(
                        r ->
                                r.method().equals(run.method())
                                        && r.generation() > 0
                                        && r.seed() == run.seed())
                .sorted(Comparator.comparingInt(RunResult::generation))
                .forEach(members::add);
        if (members.size() < 2) {
            throw new UserError(
                    "runs.json: the ensemble '"
                            + run.label()
                            + "' of seed "
                            + run.seed()
                            + " has "
                            + members.size()
                            + " member runs, so it cannot be recomputed; re-run `selfdistill"
                            + " compare`");
        }
        List<RunEvaluator.Predictions> predictions =
                members.stream()
                        .map(m -> evaluated.get(key(m.label(), m.seed())).predictions())
                        .toList();
        RunEvaluator.Predictions average = RunEvaluator.average(predictions);
        Map<String, Double> metrics = new LinkedHashMap<>(run.metrics());
        metrics.putAll(RunEvaluator.metrics(average, splits.train(), splits.test()));
        RunResult result =
                new RunResult(
                        run.method(),
                        run.label(),
                        run.seed(),
                        run.generation(),
                        metrics,
                        run.epochs());
        return new Evaluated(
                result, RunEvaluation.ensembleEvidence(average, splits.test()), average);
    }
}
