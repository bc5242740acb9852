package dev.selfdistill.study;

import dev.selfdistill.UserError;
import dev.selfdistill.data.AvMnist;
import dev.selfdistill.data.Datasets;
import dev.selfdistill.data.manifest.ManifestProblem;
import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.distill.Baseline;
import dev.selfdistill.distill.Method;
import dev.selfdistill.distill.MethodPlan;
import dev.selfdistill.distill.Methods;
import dev.selfdistill.distill.TeacherLogits;
import dev.selfdistill.eval.RobustnessSuite;
import dev.selfdistill.eval.RunEvaluation;
import dev.selfdistill.eval.RunEvaluator;
import dev.selfdistill.io.AtomicFiles;
import dev.selfdistill.model.Parameters;
import dev.selfdistill.train.Inference;
import dev.selfdistill.train.TrainingLoop;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a study: every method for every seed, born-again generations in sequence, then the
 * statistics across seeds and the report. All output goes to a hidden temporary folder beside the
 * target, renamed to the target only when the study is complete, so a failed study leaves no
 * half-written study folder.
 */
public final class StudyRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StudyRunner.class);

    /** File of the study folder that lists the manifest rows left out by {@code --skip-invalid}. */
    public static final String SKIPPED_ROWS = "skipped-rows.csv";

    private final StudyConfig config;
    private final Path dataDir;
    private final Path outputDir;
    private final PrintStream console;
    private final boolean skipInvalid;
    private RobustnessSuite suite;

    public StudyRunner(StudyConfig config, Path dataDir, Path outputDir, PrintStream console) {
        this(config, dataDir, outputDir, console, false);
    }

    /**
     * Creates a runner.
     *
     * @param skipInvalid whether invalid manifest rows are left out, counted and listed in
     *     {@code skipped-rows.csv} of the study folder instead of failing the study
     */
    public StudyRunner(StudyConfig config, Path dataDir, Path outputDir, PrintStream console, boolean skipInvalid) {
        this.config = config;
        this.dataDir = dataDir;
        this.outputDir = outputDir;
        this.console = console;
        this.skipInvalid = skipInvalid;
    }

    /** Runs the study and returns its results; the study folder exists when this returns. */
    public StudyResults run() {
        List<MethodPlan> plans = config.validate();
        List<Integer> seeds = config.seedList();
        checkOutputFree(outputDir);
        Datasets.Loaded loaded = Datasets.load(config.dataset(), dataDir, config.data(), config.manifest(), skipInvalid);
        AvMnist.Splits splits = loaded.splits().onlyModalities(config.modalities());
        suite = buildSuite(dataDir, config, splits, console);
        Path work = temporaryFolder(outputDir);
        // An interrupted study (Ctrl-C, kill) also removes its partial folder.
        Thread cleanup = new Thread(() -> deleteRecursively(work), "remove-partial-study");
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean success = false;
        try {
            AtomicFiles.writeString(work.resolve("study.yaml"), StudyFiles.toYaml(config));
            AtomicFiles.writeString(work.resolve("data.txt"), String.join("\n", splits.description()) + "\n");
            splits.description().forEach(line -> console.println(line));
            if (!loaded.skipped().isEmpty()) {
                StringBuilder skipped = new StringBuilder(ManifestProblem.csvHeader()).append('\n');
                loaded.skipped().forEach(problem -> skipped.append(problem.csvRow()).append('\n'));
                AtomicFiles.writeString(work.resolve(SKIPPED_ROWS), skipped.toString());
                console.println("Skipped " + loaded.skipped().size() + " invalid rows; they are listed in "
                        + outputDir.resolve(SKIPPED_ROWS));
            }
            List<RunResult> runs = new ArrayList<>();
            for (int seed : seeds) {
                runs.addAll(runSeed(seed, plans, splits, work));
            }
            StudyResults results = StudyResults.of(config, plans, runs, splits.description(), Provenance.collect());
            results.write(work);
            AtomicFiles.moveIntoPlace(work, outputDir);
            success = true;
            console.println();
            console.print(results.table());
            console.println("Study folder: " + outputDir);
            return results;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to finish the study folder " + outputDir + ": " + e.getMessage(), e);
        } finally {
            if (!success) {
                deleteRecursively(work);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // The JVM is already exiting and the hook runs anyway; the folder is gone either way.
            }
        }
    }

    /** Loads the study's data and keeps the modalities the study uses. */
    /** Loads a study's splits, reduced to its modalities, for commands that reuse saved runs. */
    static AvMnist.Splits loadSplits(Path dataDir, StudyConfig config) {
        return Datasets.load(config.dataset(), dataDir, config.data(), config.manifest(), false).splits().onlyModalities(config.modalities());
    }

    /** Builds the corrupted test sets once, so that every run is scored on the same inputs. */
    static RobustnessSuite buildSuite(
            Path dataDir, StudyConfig config, AvMnist.Splits splits, PrintStream console) {
        if (!config.dataset().equals("av-mnist")) {
            // The sweeps replay AV-MNIST's preparation (exact audio SNR); other datasets get none.
            return null;
        }
        long start = System.nanoTime();
        RobustnessSuite suite =
                RobustnessSuite.forAvMnist(dataDir, config.data(), splits.test());
        console.println(
                String.format(
                        "Robustness sweeps %s built in %.1f s",
                        suite.sweepNames(), (System.nanoTime() - start) / 1e9));
        return suite;
    }

    private List<RunResult> runSeed(int seed, List<MethodPlan> plans, AvMnist.Splits splits, Path work) {
        List<RunResult> results = new ArrayList<>();
        boolean needBaseline = plans.stream().anyMatch(p -> p.name().equals(Baseline.NAME) || p.generations() > 0);
        Completed baseline = null;
        if (needBaseline) {
            MethodPlan plan = plans.stream().filter(p -> p.name().equals(Baseline.NAME)).findFirst().orElse(Methods.plan(Baseline.NAME, Map.of()));
            baseline = train(plan, plan.create(0, null), "baseline", seed, 0, splits, work, true);
            results.add(baseline.result);
        }
        for (MethodPlan plan : plans) {
            if (plan.name().equals(Baseline.NAME)) {
                continue;
            }
            if (plan.generations() == 0) {
                results.add(train(plan, plan.create(0, null), plan.name(), seed, 0, splits, work, false).result);
                continue;
            }
            // Generation 0 of a generational method is the baseline run of this seed.
            List<RunEvaluator.Predictions> members = new ArrayList<>();
            members.add(baseline.predictions);
            Completed previous = baseline;
            for (int generation = 1; generation <= plan.generations(); generation++) {
                Method method = plan.create(generation, previous.trainLogits);
                boolean last = generation == plan.generations();
                previous = train(plan, method, plan.name() + " gen " + generation, seed, generation, splits, work, !last);
                members.add(previous.predictions);
                results.add(previous.result);
            }
            RunEvaluator.Predictions ensemble = RunEvaluator.average(members);
            Map<String, Double> metrics = RunEvaluator.metrics(ensemble, splits.train(), splits.test());
            metrics.put(Metrics.PARAMETERS, members.size() * results.get(0).metric(Metrics.PARAMETERS));
            String label = plan.name() + " ensemble";
            RunResult result = new RunResult(plan.name(), label, seed, -1, metrics, List.of());
            Path runDir =
                    writeRun(
                            work,
                            result,
                            plan,
                            Map.of(
                                    "members",
                                    "generations 0 to "
                                            + plan.generations()
                                            + " (mean of probabilities)"));
            EvidenceFiles.write(runDir, RunEvaluation.ensembleEvidence(ensemble, splits.test()));
            results.add(result);
        }
        return results;
    }

    /** A finished run with what later generations and ensembles need. */
    private record Completed(RunResult result, RunEvaluator.Predictions predictions, TeacherLogits trainLogits) {}

    private Completed train(MethodPlan plan, Method method, String label, int seed, int generation, AvMnist.Splits splits, Path work, boolean keepTeacher) {
        MultimodalDataset train = splits.train();
        console.println("== " + label + ", seed " + seed);
        try (method;
                TrainingLoop.Trained trained = TrainingLoop.train(label, seed, config.model(), config.training(), train, splits.validation(), method, null)) {
            RunEvaluation.Result evaluation =
                    RunEvaluation.evaluate(
                            trained.net(),
                            train,
                            splits.validation(),
                            splits.test(),
                            suite,
                            trained.model().getNDManager());
            RunEvaluator.Predictions predictions = evaluation.predictions();
            Map<String, Double> metrics = new LinkedHashMap<>(evaluation.metrics());
            metrics.put(Metrics.VALIDATION_ACCURACY, trained.epochs().get(trained.bestEpoch() - 1).validationAccuracy());
            metrics.put(Metrics.BEST_EPOCH, (double) trained.bestEpoch());
            metrics.put(Metrics.EPOCHS_TO_95, (double) epochsTo95(trained.epochs()));
            metrics.put(Metrics.WALL_SECONDS, trained.trainSeconds());
            metrics.put(Metrics.SAMPLES_PER_SECOND, trained.samplesPerSecond());
            metrics.put(Metrics.PARAMETERS, (double) Parameters.countTrainable(trained.net()));
            for (Map.Entry<String, Double> term : trained.lossTerms().entrySet()) {
                metrics.put("final_loss_" + term.getKey(), term.getValue());
            }
            if (!method.trainsClassifier()) {
                // The fused head of a label-free method was never trained, so every metric read
                // from it would mislead. Such a method is judged by its frozen embeddings only.
                metrics.keySet().removeIf(name -> !isEmbeddingOrCost(name));
            }
            RunResult result = new RunResult(plan.name(), label, seed, generation, metrics, trained.epochs());
            Path runDir =
                    writeRun(
                            work,
                            result,
                            plan,
                            Map.of("trains_classifier", method.trainsClassifier()));
            EvidenceFiles.write(runDir, evaluation.evidence());
            try {
                trained.model().save(runDir, "model");
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to save the parameters of " + label + " to " + runDir, e);
            }
            TeacherLogits teacher = keepTeacher ? new TeacherLogits(Inference.logits(trained.net(), train, trained.model().getNDManager())) : null;
            StringBuilder line = new StringBuilder(String.format("   test accuracy %.4f", result.metric(Metrics.TEST_ACCURACY)));
            for (String modality : train.modalities()) {
                line.append(String.format(", without %s %.4f", modality, result.metric(Metrics.ACCURACY_WITHOUT + modality)));
            }
            line.append(
                    String.format(
                            ", joint probe %.4f",
                            result.metric(Metrics.PROBE_ACCURACY + Metrics.JOINT)));
            console.println(
                    line.append(
                            String.format(
                                    ", %.0f s training, %.1f s evaluation",
                                    result.metric(Metrics.WALL_SECONDS),
                                    result.metric(Metrics.EVALUATION_SECONDS))));
            return new Completed(result, predictions, teacher);
        }
    }

    /** Returns whether a metric measures the frozen embeddings or the cost, not the head. */
    static boolean isEmbeddingOrCost(String name) {
        return name.startsWith(Metrics.PROBE_ACCURACY)
                || name.startsWith(Metrics.KNN_ACCURACY)
                || name.startsWith(Metrics.RETRIEVAL)
                || name.startsWith("final_loss_")
                || name.equals(Metrics.WALL_SECONDS)
                || name.equals(Metrics.SAMPLES_PER_SECOND)
                || name.equals(Metrics.PARAMETERS)
                || name.equals(Metrics.EVALUATION_SECONDS);
    }

    /** Returns the first epoch whose validation accuracy reaches 95% of the last epoch's. */
    static int epochsTo95(List<EpochRecord> epochs) {
        double target = 0.95 * epochs.get(epochs.size() - 1).validationAccuracy();
        for (EpochRecord epoch : epochs) {
            if (epoch.validationAccuracy() >= target) {
                return epoch.epoch();
            }
        }
        return epochs.size();
    }

    private Path writeRun(Path work, RunResult result, MethodPlan plan, Map<String, ?> extra) {
        Path runDir =
                work.resolve("runs").resolve(slug(result.label())).resolve("seed-" + result.seed());
        Map<String, Object> runConfig = new LinkedHashMap<>();
        runConfig.put("study", config.name());
        runConfig.put("label", result.label());
        runConfig.put("method", plan.name());
        runConfig.put("method_parameters", plan.parameters());
        runConfig.put("seed", result.seed());
        runConfig.put("generation", result.generation());
        runConfig.put("data", config.manifest() != null ? config.manifest() : config.data());
        runConfig.put("model", config.model());
        runConfig.put("training", config.training());
        runConfig.putAll(extra);
        AtomicFiles.writeString(runDir.resolve("config.json"), StudyFiles.toJson(runConfig));
        StringBuilder lines = new StringBuilder();
        for (EpochRecord epoch : result.epochs()) {
            lines.append(StudyFiles.toJsonLine(epoch)).append('\n');
        }
        AtomicFiles.writeString(runDir.resolve("epochs.jsonl"), lines.toString());
        AtomicFiles.writeString(runDir.resolve("metrics.json"), StudyFiles.toJson(result.metrics()));
        return runDir;
    }

    /** Returns a folder-name form of a label: {@code born-again gen 2} becomes {@code born-again-gen-2}. */
    public static String slug(String label) {
        return label.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.]+", "-");
    }

    private static void checkOutputFree(Path outputDir) {
        if (Files.exists(outputDir)) {
            throw new UserError(outputDir + ": the output folder already exists; pass another --output or remove it");
        }
    }

    private static Path temporaryFolder(Path outputDir) {
        try {
            Path parent = outputDir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path folder = Files.createTempDirectory(parent, "." + outputDir.getFileName() + ".partial-");
            AtomicFiles.readableByAll(folder);
            return folder;
        } catch (IOException e) {
            throw new UserError("cannot create the output folder beside " + outputDir + ": " + e.getMessage());
        }
    }

    static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete the partial study folder {}: {}", folder, e.toString());
        }
    }
}
