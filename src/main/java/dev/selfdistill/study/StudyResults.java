package dev.selfdistill.study;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.selfdistill.UserError;
import dev.selfdistill.distill.MethodPlan;
import dev.selfdistill.io.AtomicFiles;
import dev.selfdistill.eval.EmbeddingMetrics;
import dev.selfdistill.eval.RobustnessSuite;
import dev.selfdistill.eval.RunEvidence;
import dev.selfdistill.report.EvidenceSections;
import dev.selfdistill.report.ReportWriter;
import dev.selfdistill.report.StudyReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The runs of a study with their statistics across seeds: a summary per label and metric and a
 * paired comparison of every label against the baseline, Holm-corrected per metric.
 */
public final class StudyResults {
    private final String studyYaml;
    private final String title;
    private final List<RunResult> runs;
    private final List<String> labels;
    private final String baseline;
    private final List<String> metrics;
    private final Map<String, Map<String, Summary>> summaries;
    private final List<Comparison> comparisons;
    private final List<String> notes;
    private final Map<String, String> environment;

    private StudyResults(String title, String studyYaml, List<RunResult> runs, String baseline, List<String> notes, Map<String, String> environment) {
        this.title = title;
        this.studyYaml = studyYaml;
        this.runs = List.copyOf(runs);
        this.baseline = baseline;
        this.notes = List.copyOf(notes);
        this.environment = environment;
        Set<String> labelSet = new LinkedHashSet<>();
        runs.stream().map(RunResult::label).filter(baseline::equals).forEach(labelSet::add);
        runs.stream().map(RunResult::label).forEach(labelSet::add);
        this.labels = List.copyOf(labelSet);
        this.metrics = metricOrder(runs);
        this.summaries = summarise();
        this.comparisons = compareAll();
    }

    /** Aggregates the runs of a finished study. */
    public static StudyResults of(StudyConfig config, List<MethodPlan> plans, List<RunResult> runs, List<String> dataDescription, Map<String, String> environment) {
        List<String> notes = new ArrayList<>(dataDescription);
        notes.add("Model selection: the epoch with the best validation accuracy; every test metric is measured once, on that model.");
        notes.add("Calibration: expected calibration error with 15 equal-width confidence bins; NLL in nats.");
        notes.add("Missing modality: the modality's embedding is zeroed through the presence mask for every test sample.");
        if (plans.stream().anyMatch(p -> p.generations() > 0)) {
            notes.add("Born-again generation 0 is the baseline run of the same seed; the ensemble averages the probabilities of generations 0 to the last.");
        }
        notes.addAll(evaluationNotes());
        return new StudyResults(
                "Self-distillation study: " + config.name(),
                StudyFiles.toYaml(config),
                runs,
                config.baseline(),
                notes,
                environment);
    }

    /**
     * Returns the protocol statements of the representation and robustness evaluations, which every
     * study's notes include.
     */
    public static List<String> evaluationNotes() {
        return List.of(
                "Representation: a linear probe (fitted on train, L2 strength chosen on validation,"
                    + " scored on test) and a weighted "
                        + EmbeddingMetrics.DEFAULT_K
                        + "-NN classifier (tau "
                        + EmbeddingMetrics.DEFAULT_TAU
                        + ", training split as memory bank, test queries) on the frozen joint and"
                        + " per-modality embeddings of clean inputs.",
                "Retrieval: "
                        + EmbeddingMetrics.protocol()
                        + " Queries and gallery come from the test split.",
                "Robustness: corruptions of a fixed class-stratified subset of at most "
                        + RobustnessSuite.MAX_SAMPLES
                        + " test samples, drawn once from fixed seeds, so every method and seed"
                        + " sees the same corrupted inputs. Robustness AUC is the trapezoid area"
                        + " under accuracy over the corruption ladder scaled to [0, 1].",
                "Ensembles have no single model or embedding, so only their classifier metrics and"
                    + " reliability are measured.");
    }

    /** Reads the results of a study folder written by {@link #write(Path)}. */
    public static StudyResults read(Path studyDir) {
        Path runsFile = studyDir.resolve("runs.json");
        Path notesFile = studyDir.resolve("notes.json");
        Path yamlFile = studyDir.resolve("study.yaml");
        if (!Files.isRegularFile(runsFile) || !Files.isRegularFile(yamlFile)) {
            throw new UserError(studyDir + ": not a study folder (runs.json or study.yaml missing); pass a folder written by `selfdistill compare`");
        }
        try {
            List<RunResult> runs = StudyFiles.json().readValue(runsFile.toFile(), new TypeReference<List<RunResult>>() {});
            Map<String, Object> meta = StudyFiles.json().readValue(notesFile.toFile(), new TypeReference<Map<String, Object>>() {});
            String yaml = Files.readString(yamlFile);
            StudyConfig config = StudyFiles.parse(yaml, yamlFile.toString());
            @SuppressWarnings("unchecked")
            List<String> notes = (List<String>) meta.getOrDefault("notes", List.of());
            @SuppressWarnings("unchecked")
            Map<String, String> environment = (Map<String, String>) meta.getOrDefault("environment", Map.of());
            return new StudyResults("Self-distillation study: " + config.name(), yaml, runs, config.baseline(), notes, environment);
        } catch (IOException e) {
            throw new UserError(studyDir + ": cannot read the study results: " + e.getMessage() + "; the folder may be damaged, re-run the study");
        }
    }

    private static List<String> metricOrder(List<RunResult> runs) {
        Set<String> names = new LinkedHashSet<>();
        for (String headline : Metrics.headline()) {
            if (runs.stream().anyMatch(r -> r.metrics().containsKey(headline))) {
                names.add(headline);
            }
        }
        runs.forEach(r -> r.metrics().keySet().stream().filter(n -> n.startsWith(Metrics.ACCURACY_WITHOUT)).forEach(names::add));
        runs.forEach(r -> r.metrics().keySet().stream().filter(n -> Metrics.describe(n).isPresent()).forEach(names::add));
        return List.copyOf(names);
    }

    private Map<String, Map<String, Summary>> summarise() {
        Map<String, Map<String, Summary>> result = new LinkedHashMap<>();
        for (String label : labels) {
            Map<String, Summary> byMetric = new LinkedHashMap<>();
            for (String metric : metrics) {
                double[] values = runsOf(label).stream().mapToDouble(r -> r.metric(metric)).toArray();
                byMetric.put(metric, SeedStatistics.summarize(values));
            }
            result.put(label, byMetric);
        }
        return result;
    }

    private List<Comparison> compareAll() {
        List<Comparison> all = new ArrayList<>();
        if (!labels.contains(baseline)) {
            return all;
        }
        for (String metric : metrics) {
            Metrics.Descriptor descriptor = Metrics.describeOrDefault(metric);
            if (!isComparable(metric)) {
                continue;
            }
            List<Comparison> family = new ArrayList<>();
            for (String label : labels) {
                // A label that never measured the metric (an ensemble's probe) has nothing to test.
                if (label.equals(baseline)
                        || runsOf(label).stream().noneMatch(r -> r.metrics().containsKey(metric))) {
                    continue;
                }
                List<Integer> seeds = new ArrayList<>();
                runsOf(label).forEach(r -> seeds.add(r.seed()));
                double[] method = new double[seeds.size()];
                double[] reference = new double[seeds.size()];
                for (int i = 0; i < seeds.size(); i++) {
                    int seed = seeds.get(i);
                    method[i] = runOf(label, seed).metric(metric);
                    RunResult base = runOf(baseline, seed);
                    reference[i] = base == null ? Double.NaN : base.metric(metric);
                }
                family.add(SeedStatistics.compare(label, baseline, metric, method, reference, descriptor.higherIsBetter(), descriptor.unit()));
            }
            all.addAll(SeedStatistics.holm(family));
        }
        return all;
    }

    /**
     * Metrics that measure quality; compute and bookkeeping metrics are summarised, not tested.
     * Of the retrieval measures only mean average precision is tested: it summarises the whole
     * ranking, and testing each recall@K as well would add correlated tests to the verdicts
     * without adding a question. The recalls stay in the summary tables.
     */
    private static boolean isComparable(String metric) {
        return Metrics.headline().contains(metric)
                || metric.startsWith(Metrics.ACCURACY_WITHOUT)
                || metric.equals(Metrics.TEST_BRIER)
                || metric.startsWith(Metrics.PROBE_ACCURACY)
                || metric.startsWith(Metrics.KNN_ACCURACY)
                || (metric.startsWith(Metrics.RETRIEVAL) && metric.endsWith("_map"))
                || metric.startsWith(Metrics.ROBUSTNESS_AUC);
    }

    /** Metrics of the console table: the classifier's quality metrics and the joint probe. */
    private static boolean isConsoleColumn(String metric) {
        return (isComparable(metric) && !Metrics.isEvidence(metric))
                || metric.equals(Metrics.PROBE_ACCURACY + Metrics.JOINT);
    }

    private List<RunResult> runsOf(String label) {
        return runs.stream().filter(r -> r.label().equals(label)).toList();
    }

    private RunResult runOf(String label, int seed) {
        return runs.stream().filter(r -> r.label().equals(label) && r.seed() == seed).findFirst().orElse(null);
    }

    public List<RunResult> runs() {
        return runs;
    }

    public List<String> labels() {
        return labels;
    }

    public Map<String, Map<String, Summary>> summaries() {
        return summaries;
    }

    public List<Comparison> comparisons() {
        return comparisons;
    }

    /**
     * Returns these results with the runs replaced, for example after {@code selfdistill evaluate}
     * measured them again, and with {@code extraNotes} appended to the notes unless a note is
     * already there.
     */
    public StudyResults withRuns(List<RunResult> newRuns, List<String> extraNotes) {
        List<String> merged = new ArrayList<>(notes);
        extraNotes.stream().filter(note -> !merged.contains(note)).forEach(merged::add);
        return new StudyResults(title, studyYaml, newRuns, baseline, merged, environment);
    }

    /**
     * Writes runs.json, summary.json, summary.csv, comparisons.json and the report, whose
     * representation and robustness sections read each run folder's evidence files.
     */
    public void write(Path studyDir) {
        AtomicFiles.writeString(studyDir.resolve("runs.json"), StudyFiles.toJson(runs));
        AtomicFiles.writeString(studyDir.resolve("notes.json"), StudyFiles.toJson(Map.of("notes", notes, "environment", environment)));
        AtomicFiles.writeString(studyDir.resolve("summary.json"), StudyFiles.toJson(summaries));
        AtomicFiles.writeString(studyDir.resolve("summary.csv"), csv());
        AtomicFiles.writeString(
                studyDir.resolve("comparisons.json"), StudyFiles.toJson(comparisons));
        StudyReport report = report();
        ReportWriter.write(
                studyDir, report, EvidenceSections.build(report, readEvidence(studyDir)));
    }

    /** Returns the evidence files of every run folder that has them. */
    private List<EvidenceSections.RunFiles> readEvidence(Path studyDir) {
        List<EvidenceSections.RunFiles> files = new ArrayList<>();
        for (RunResult run : runs) {
            Path runDir = runFolder(studyDir, run);
            RunEvidence evidence = EvidenceFiles.read(runDir);
            if (evidence != null) {
                files.add(
                        new EvidenceSections.RunFiles(
                                run.label(),
                                run.seed(),
                                evidence,
                                EvidenceFiles.trainsClassifier(runDir)));
            }
        }
        return files;
    }

    /** Returns the folder of a run inside a study folder: {@code runs/<label slug>/seed-<seed>}. */
    public static Path runFolder(Path studyDir, RunResult run) {
        return studyDir.resolve("runs")
                .resolve(StudyRunner.slug(run.label()))
                .resolve("seed-" + run.seed());
    }

    /**
     * Returns what the report shows. The table of results per method lists every described metric
     * except the representation and robustness ones, which get their own sections.
     */
    public StudyReport report() {
        List<String> tabulated = metrics.stream().filter(m -> !Metrics.isEvidence(m)).toList();
        return new StudyReport(
                title,
                studyYaml,
                environment,
                runs,
                labels,
                baseline,
                tabulated,
                summaries,
                comparisons,
                notes);
    }

    private String csv() {
        StringBuilder out = new StringBuilder("label,metric,n,mean,sd,ci_low,ci_high\n");
        for (String label : labels) {
            for (String metric : metrics) {
                Summary s = summaries.get(label).get(metric);
                out.append(quote(label)).append(',').append(metric).append(',').append(s.n()).append(',')
                        .append(s.mean()).append(',').append(s.sd()).append(',').append(s.ciLow()).append(',').append(s.ciHigh()).append('\n');
            }
        }
        return out.toString();
    }

    private static String quote(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    /**
     * Returns the console table: mean and sd per label for the compared classifier metrics and the
     * joint linear probe.
     */
    public String table() {
        List<String> shown = metrics.stream().filter(StudyResults::isConsoleColumn).toList();
        List<String> extra = Stream.of(Metrics.WALL_SECONDS).filter(metrics::contains).toList();
        List<String> columns = new ArrayList<>(shown);
        columns.addAll(extra);
        int labelWidth = Math.max(8, labels.stream().mapToInt(String::length).max().orElse(8));
        StringBuilder out = new StringBuilder();
        out.append(String.format("%-" + labelWidth + "s", "method"));
        for (String metric : columns) {
            out.append(String.format("  %-19s", shortName(metric)));
        }
        out.append('\n');
        for (String label : labels) {
            out.append(String.format("%-" + labelWidth + "s", label));
            for (String metric : columns) {
                Summary s = summaries.get(label).get(metric);
                out.append(String.format("  %-19s", format(metric, s)));
            }
            out.append('\n');
        }
        out.append("mean ± sd over seeds; accuracies, F1, ECE and gap in %, NLL in nats.\n");
        int fewestPairs = Integer.MAX_VALUE;
        for (Comparison comparison : comparisons) {
            if (comparison.metric().equals(Metrics.TEST_ACCURACY) || comparison.metric().startsWith(Metrics.ACCURACY_WITHOUT)) {
                out.append("- ").append(comparison.verdict()).append('\n');
                fewestPairs = Math.min(fewestPairs, comparison.n());
            }
        }
        String note = Verdicts.wilcoxonNote(fewestPairs);
        if (!note.isEmpty()) {
            out.append(note).append('\n');
        }
        return out.toString();
    }

    private static String shortName(String metric) {
        return metric.replace("test_", "")
                .replace(Metrics.ACCURACY_WITHOUT, "acc_without_")
                .replace("generalisation_gap", "gap")
                .replace(Metrics.PROBE_ACCURACY, "probe_");
    }

    private static String format(String metric, Summary s) {
        if (s.n() == 0) {
            return "n/a";
        }
        boolean fraction = "fraction".equals(Metrics.describeOrDefault(metric).unit()) || metric.equals(Metrics.GENERALISATION_GAP);
        double scale = fraction ? 100 : 1;
        String pattern = fraction ? "%.2f" : metric.equals(Metrics.WALL_SECONDS) ? "%.0f" : "%.4f";
        String mean = String.format(pattern, s.mean() * scale);
        return Double.isNaN(s.sd()) ? mean : mean + " ± " + String.format(pattern, s.sd() * scale);
    }
}
