package dev.selfdistill.report;

import dev.selfdistill.eval.ClassificationMetrics;
import dev.selfdistill.eval.EmbeddingMetrics;
import dev.selfdistill.eval.Projection;
import dev.selfdistill.eval.RobustnessCurve;
import dev.selfdistill.eval.RobustnessSuite;
import dev.selfdistill.eval.RunEvaluation;
import dev.selfdistill.eval.RunEvidence;
import dev.selfdistill.study.Metrics;
import dev.selfdistill.study.SeedStatistics;
import dev.selfdistill.study.Summary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the report sections on the quality of the representation and on robustness: representation
 * quality (linear probe and k-NN), cross-modal retrieval, robustness curves with their areas,
 * reliability diagrams and a 2-D projection of the joint embedding. Numbers come from the report's
 * summaries over seeds, and curves, diagrams and projections from each run's {@link RunEvidence}.
 */
public final class EvidenceSections {
    private static final String ERROR_BARS =
            "Error bars show the 95% confidence interval of the mean over seeds (Student t);"
                    + " a method with one seed has none.";

    /**
     * The evidence of one run.
     *
     * @param label the run's row label
     * @param seed the run's seed
     * @param evidence curves, reliability bins and projection of the run
     * @param trainsClassifier whether the run's method trains the fused classifier on labels
     */
    public record RunFiles(
            String label, int seed, RunEvidence evidence, boolean trainsClassifier) {}

    private EvidenceSections() {}

    /**
     * Returns the sections that have data, in report order. A study without evidence files gets one
     * section that names the command that computes them.
     */
    public static List<Section> build(StudyReport report, List<RunFiles> runs) {
        Set<String> used = new HashSet<>();
        List<Section> sections = new ArrayList<>();
        Section representation = representation(report, used);
        if (representation != null) {
            sections.add(representation);
        }
        Section retrieval = retrieval(report);
        if (retrieval != null) {
            sections.add(retrieval);
        }
        Section robustness = robustness(report, runs, used);
        if (robustness != null) {
            sections.add(robustness);
        }
        Section reliability = reliability(report, runs, used);
        if (reliability != null) {
            sections.add(reliability);
        }
        Section projection = projection(report, runs, used);
        if (projection != null) {
            sections.add(projection);
        }
        if (sections.isEmpty()) {
            sections.add(
                    new Section(
                            "Representation and robustness",
                            List.of(
                                    "This study folder has no evaluation of the representation"
                                            + " or of robustness. Run `selfdistill evaluate"
                                            + " STUDY_DIR --data DIR` to compute them from the"
                                            + " saved models."),
                            List.of()));
        }
        return sections;
    }

    private static Section representation(StudyReport report, Set<String> used) {
        List<String> metrics = new ArrayList<>();
        metrics.addAll(metricsWithPrefix(report, Metrics.PROBE_ACCURACY));
        metrics.addAll(metricsWithPrefix(report, Metrics.KNN_ACCURACY));
        if (metrics.isEmpty()) {
            return null;
        }
        String text =
                "Frozen embeddings of the model chosen on validation, on clean inputs, for the"
                        + " joint embedding and for each modality's embedding. Linear probe:"
                        + " multinomial logistic regression on the standardised embedding, fitted"
                        + " on the training split with the L2 strength chosen on the validation"
                        + " split from {"
                        + lambdas()
                        + "} and scored on the test split."
                        + " k-NN: each test embedding takes the label with the largest sum of"
                        + " exp(cosine similarity / "
                        + EmbeddingMetrics.DEFAULT_TAU
                        + ") over its "
                        + EmbeddingMetrics.DEFAULT_K
                        + " most similar training embeddings (the weighted k-NN of DINO, Caron et"
                        + " al., 2021). Both are test accuracies.";
        Section.Table table =
                metricTable(
                        report,
                        "Representation quality: mean \u00b1 sd over seeds, 95% CI (clipped to 0-100%) below.",
                        metrics);
        // Labels without a model of their own (ensembles) have no embedding, so no bar.
        List<String> measured =
                report.labels().stream()
                        .filter(label -> metrics.stream().anyMatch(m -> hasValue(report, label, m)))
                        .toList();
        StudyReport measuredOnly =
                new StudyReport(
                        report.title(),
                        report.studyYaml(),
                        report.environment(),
                        report.runs(),
                        measured,
                        report.baselineLabel(),
                        report.metrics(),
                        report.summaries(),
                        report.comparisons(),
                        report.notes());
        List<Figure> figures = ReportFigures.metricBarCharts(measuredOnly, metrics, used);
        return new Section("Representation quality", List.of(text), List.of(table), figures);
    }

    private static Section retrieval(StudyReport report) {
        List<String> metrics = metricsWithPrefix(report, Metrics.RETRIEVAL);
        if (metrics.isEmpty()) {
            return null;
        }
        List<String> paragraphs =
                List.of(
                        "Protocol: "
                                + EmbeddingMetrics.protocol()
                                + " Queries and gallery are"
                                + " the test split's embeddings of the two modalities.",
                        "The two modality embeddings live in different spaces unless a method"
                                + " aligns them, so these numbers measure how far the spaces"
                                + " happen to be aligned by label. Random rankings of a gallery"
                                + " with 10 balanced classes give about 10% recall@1, 41%"
                                + " recall@5, 65% recall@10 and 10% mAP.");
        Section.Table table =
                metricTable(
                        report,
                        "Cross-modal retrieval on the test split: mean \u00b1 sd over seeds, 95% CI"
                                + " below.",
                        metrics);
        return new Section("Cross-modal retrieval", paragraphs, List.of(table), List.of());
    }

    private static Section robustness(StudyReport report, List<RunFiles> runs, Set<String> used) {
        Map<String, Map<String, List<RobustnessCurve>>> bySweep = new LinkedHashMap<>();
        for (RunFiles run : runs) {
            for (RobustnessCurve curve : run.evidence().robustness()) {
                bySweep.computeIfAbsent(curve.sweep(), sweep -> new LinkedHashMap<>())
                        .computeIfAbsent(run.label(), label -> new ArrayList<>())
                        .add(curve);
            }
        }
        List<String> areas = metricsWithPrefix(report, Metrics.ROBUSTNESS_AUC);
        if (bySweep.isEmpty() && areas.isEmpty()) {
            return null;
        }
        List<String> paragraphs = robustnessProtocol();
        List<Section.Table> tables = new ArrayList<>();
        List<String> first = new ArrayList<>(areas);
        first.addAll(metricsWithPrefix(report, Metrics.ACCURACY_WITHOUT));
        if (!first.isEmpty()) {
            tables.add(
                    metricTable(
                            report,
                            "Robustness AUC and accuracy with a modality missing: mean \u00b1 sd"
                                    + " over seeds, 95% CI (clipped to 0-100%) below.",
                            first));
        }
        List<String> relative = metricsWithPrefix(report, Metrics.RELATIVE_ROBUSTNESS);
        if (!relative.isEmpty()) {
            tables.add(
                    metricTable(
                            report,
                            "Relative robustness (AUC / clean accuracy): mean \u00b1 sd over seeds,"
                                    + " 95% CI (clipped to 0-100%) below.",
                            relative));
        }
        List<Figure> figures = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<RobustnessCurve>>> entry : bySweep.entrySet()) {
            Figure figure = robustnessFigure(report, entry.getKey(), entry.getValue(), used);
            if (figure != null) {
                figures.add(figure);
            }
        }
        return new Section(
                "Robustness to corrupted and missing inputs", paragraphs, tables, figures);
    }

    /** Returns the paragraphs that state how the sweeps and their areas are computed. */
    private static List<String> robustnessProtocol() {
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add(
                "Each sweep corrupts one modality of the test split at increasing levels, with"
                        + " the corruptions drawn once from fixed seeds, so every method and seed"
                        + " is scored on the same corrupted inputs. The sweeps score a fixed"
                        + " class-stratified subset of at most "
                        + RobustnessSuite.MAX_SAMPLES
                        + " test samples, which keeps their cost down, and level 0 is that subset"
                        + " unchanged. Image Gaussian noise adds N(0, sd^2) to the standardised"
                        + " pixels. Salt-and-pepper sets each pixel, with the given probability, to"
                        + " the standardised value of a black or a white pixel. Occlusion sets a"
                        + " square at a random position to 0 (the training mean). Audio noise adds"
                        + " white noise to the waveform at the given SNR relative to the clean"
                        + " recording, on top of the dataset's own noise, and computes the log-mel"
                        + " features again. Time dropout sets that fraction of the spectrogram's"
                        + " frames to 0.");
        paragraphs.add(
                "Robustness AUC is the trapezoid area under accuracy over the ladder scaled to"
                        + " [0, 1], that is the mean accuracy over the sweep with half weight on"
                        + " the two ends. Relative robustness divides it by the clean accuracy,"
                        + " a MultiBench-style measure (Liang et al., 2021) normalised by each"
                        + " model's own clean accuracy, so 1 means no loss. A missing modality's"
                        + " embedding is zeroed through the presence mask for every test sample.");
        return paragraphs;
    }

    /** Draws one sweep: mean accuracy per level over seeds, with its 95% interval. */
    private static Figure robustnessFigure(
            StudyReport report,
            String sweep,
            Map<String, List<RobustnessCurve>> byLabel,
            Set<String> used) {
        Map<String, double[][]> series = new LinkedHashMap<>();
        List<String> altParts = new ArrayList<>();
        RobustnessCurve reference = null;
        for (String label : orderedLabels(report, byLabel.keySet())) {
            List<RobustnessCurve> curves = byLabel.get(label);
            RobustnessCurve first = curves.get(0);
            // Curves of one label share the suite, so their levels agree; others are left out.
            List<RobustnessCurve> same =
                    curves.stream().filter(c -> Arrays.equals(c.levels(), first.levels())).toList();
            int levels = first.levels().length;
            double[] x = first.levels().clone();
            double[] mean = new double[levels];
            double[] halfWidth = new double[levels];
            for (int k = 0; k < levels; k++) {
                int level = k;
                Summary summary =
                        SeedStatistics.summarize(
                                same.stream()
                                        .mapToDouble(c -> c.accuracies()[level] * 100)
                                        .toArray());
                mean[k] = summary.mean();
                halfWidth[k] = summary.ciHigh() - summary.mean();
            }
            series.put(label, new double[][] {x, mean, halfWidth});
            altParts.add(
                    String.format(
                            Locale.ROOT,
                            "%s %.1f%% clean, %.1f%% at %s (%d seeds)",
                            label,
                            mean[0],
                            mean[levels - 1],
                            first.levelLabels().get(levels - 1),
                            same.size()));
            reference = reference == null ? first : reference;
        }
        if (reference == null) {
            return null;
        }
        String sweepTitle = Metrics.sweepTitle(sweep);
        String title = "Test accuracy under " + sweepTitle;
        byte[] png =
                Charts.lineChartWithErrors(
                        title, reference.levelTitle(), "Test accuracy (%)", series);
        String alt =
                "Line chart of mean test accuracy against the level of "
                        + sweepTitle
                        + ", one line per method: "
                        + String.join("; ", altParts)
                        + ".";
        String caption =
                "Levels: "
                        + String.join(", ", reference.levelLabels())
                        + ". Mean over seeds. "
                        + ERROR_BARS;
        return new Figure(
                ReportFigures.uniqueFileName("robustness-" + sweep, used),
                title,
                alt,
                png,
                caption);
    }

    private static Section reliability(StudyReport report, List<RunFiles> runs, Set<String> used) {
        Map<String, List<List<ClassificationMetrics.ReliabilityBin>>> byLabel =
                new LinkedHashMap<>();
        for (RunFiles run : runs) {
            if (!run.evidence().reliability().isEmpty()) {
                byLabel.computeIfAbsent(run.label(), label -> new ArrayList<>())
                        .add(run.evidence().reliability());
            }
        }
        if (byLabel.isEmpty()) {
            return null;
        }
        List<Figure> figures = new ArrayList<>();
        for (String label : orderedLabels(report, byLabel.keySet())) {
            Figure figure = reliabilityFigure(report, label, byLabel.get(label), used);
            if (figure != null) {
                figures.add(figure);
            }
        }
        String text =
                "Test predictions sorted into 15 equal-width bins by confidence (the largest"
                        + " probability); each point is a bin's mean confidence and accuracy, with"
                        + " the bins of all seeds of a method pooled by adding their counts. Points"
                        + " below the diagonal are over-confident. The expected calibration error"
                        + " (ECE) in the tables uses the same 15 bins (Guo et al., 2017).";
        return new Section("Calibration: reliability diagrams", List.of(text), figures);
    }

    private static Figure reliabilityFigure(
            StudyReport report,
            String label,
            List<List<ClassificationMetrics.ReliabilityBin>> seeds,
            Set<String> used) {
        int bins = seeds.get(0).size();
        long[] counts = new long[bins];
        double[] confidence = new double[bins];
        double[] correct = new double[bins];
        for (List<ClassificationMetrics.ReliabilityBin> seed : seeds) {
            if (seed.size() != bins) {
                continue;
            }
            for (int b = 0; b < bins; b++) {
                ClassificationMetrics.ReliabilityBin bin = seed.get(b);
                if (bin.count() > 0) {
                    counts[b] += bin.count();
                    confidence[b] += bin.meanConfidence() * bin.count();
                    correct[b] += bin.accuracy() * bin.count();
                }
            }
        }
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<String> altParts = new ArrayList<>();
        long total = Arrays.stream(counts).sum();
        for (int b = 0; b < bins; b++) {
            if (counts[b] == 0) {
                continue;
            }
            double meanConfidence = 100 * confidence[b] / counts[b];
            double accuracy = 100 * correct[b] / counts[b];
            x.add(meanConfidence);
            y.add(accuracy);
            altParts.add(
                    String.format(
                            Locale.ROOT,
                            "%.0f%% confidence: %.0f%% accuracy (%d)",
                            meanConfidence,
                            accuracy,
                            counts[b]));
        }
        if (x.isEmpty()) {
            return null;
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        series.put(label, new double[][] {toArray(x), toArray(y)});
        series.put("perfect calibration", new double[][] {{0, 100}, {0, 100}});
        String title = "Reliability diagram: " + label;
        byte[] png =
                Charts.lineChart(
                        title, "Mean confidence in bin (%)", "Accuracy in bin (%)", series);
        Summary ece = report.summaries().getOrDefault(label, Map.of()).get(Metrics.TEST_ECE);
        String eceText =
                ece == null || Double.isNaN(ece.mean())
                        ? ""
                        : String.format(
                                Locale.ROOT, " Mean ECE over seeds: %.2f%%.", 100 * ece.mean());
        String alt =
                "Reliability diagram of "
                        + label
                        + ", test predictions of "
                        + seeds.size()
                        + " seeds pooled in 15 confidence bins; per non-empty bin the mean"
                        + " confidence, accuracy and count: "
                        + String.join("; ", altParts)
                        + ".";
        String caption =
                String.format(
                                Locale.ROOT,
                                "%d test predictions from %d seeds; empty bins are left out.",
                                total,
                                seeds.size())
                        + eceText;
        return new Figure(
                ReportFigures.uniqueFileName("reliability-" + label, used),
                title,
                alt,
                png,
                caption);
    }

    private static Section projection(StudyReport report, List<RunFiles> runs, Set<String> used) {
        Map<String, RunFiles> firstSeed = new LinkedHashMap<>();
        boolean anyLabelFree = false;
        for (RunFiles run : runs) {
            anyLabelFree |= !run.trainsClassifier();
            if (run.evidence().projection() == null) {
                continue;
            }
            RunFiles kept = firstSeed.get(run.label());
            if (kept == null || run.seed() < kept.seed()) {
                firstSeed.put(run.label(), run);
            }
        }
        if (firstSeed.isEmpty()) {
            return null;
        }
        // A label-free method's classifier accuracy has no meaning, so then all are ranked on
        // the joint linear probe, which every method has.
        String rankMetric =
                anyLabelFree ? Metrics.PROBE_ACCURACY + Metrics.JOINT : Metrics.TEST_ACCURACY;
        String best = bestLabel(report, firstSeed.keySet(), rankMetric);
        List<String> shown = new ArrayList<>();
        if (firstSeed.containsKey(report.baselineLabel())) {
            shown.add(report.baselineLabel());
        }
        if (best != null) {
            shown.add(best);
        }
        if (shown.isEmpty()) {
            shown.add(firstSeed.keySet().iterator().next());
        }
        List<Figure> figures = new ArrayList<>();
        for (String label : shown) {
            figures.add(projectionFigure(firstSeed.get(label), used));
        }
        String ranking = Metrics.describeOrDefault(rankMetric).title().toLowerCase(Locale.ROOT);
        String text =
                "The joint test embedding of the baseline and of the best other method by mean "
                        + ranking
                        + (best == null ? " (no other method has a projection)" : " (" + best + ")")
                        + ", projected on its first two principal components and coloured by class."
                        + " Each plot shows the run with the lowest seed. Axes are in embedding"
                        + " units; a principal axis's sign is fixed so its largest entry is"
                        + " positive.";
        return new Section("Embedding projection", List.of(text), figures);
    }

    /** Returns the label other than the baseline with the highest mean of the metric, or null. */
    private static String bestLabel(StudyReport report, Set<String> labels, String metric) {
        String best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (String label : orderedLabels(report, labels)) {
            if (label.equals(report.baselineLabel())) {
                continue;
            }
            Summary summary = report.summaries().getOrDefault(label, Map.of()).get(metric);
            if (summary != null && summary.mean() > bestScore) {
                bestScore = summary.mean();
                best = label;
            }
        }
        return best;
    }

    private static Figure projectionFigure(RunFiles run, Set<String> used) {
        Projection projection = run.evidence().projection();
        Map<Integer, List<Integer>> byClass = new TreeMap<>();
        for (int i = 0; i < projection.labels().length; i++) {
            byClass.computeIfAbsent(projection.labels()[i], c -> new ArrayList<>()).add(i);
        }
        Map<String, double[][]> series = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<Integer>> entry : byClass.entrySet()) {
            List<Integer> rows = entry.getValue();
            double[] x = new double[rows.size()];
            double[] y = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                x[i] = projection.x()[rows.get(i)];
                y[i] = projection.y()[rows.get(i)];
            }
            series.put("class " + entry.getKey(), new double[][] {x, y});
        }
        double[] explained = projection.explainedVariance();
        String title =
                String.format(
                        Locale.ROOT, "Joint test embedding: %s, seed %d", run.label(), run.seed());
        String xTitle =
                String.format(
                        Locale.ROOT,
                        "Principal component 1 (embedding units, %.1f%% of variance)",
                        100 * explained[0]);
        String yTitle =
                String.format(
                        Locale.ROOT,
                        "Principal component 2 (embedding units, %.1f%% of variance)",
                        100 * explained[1]);
        byte[] png = Charts.scatter(title, xTitle, yTitle, series);
        String alt =
                String.format(
                        Locale.ROOT,
                        "Scatter plot of the %d test samples of %s (seed %d) on the first two"
                                + " principal components of the joint embedding, one colour per"
                                + " class (%d classes); the components explain %.1f%% and %.1f%%"
                                + " of the variance.",
                        projection.labels().length,
                        run.label(),
                        run.seed(),
                        byClass.size(),
                        100 * explained[0],
                        100 * explained[1]);
        String caption = "Projection: " + projection.method() + " of the joint test embedding.";
        return new Figure(
                ReportFigures.uniqueFileName("projection-" + run.label(), used),
                title,
                alt,
                png,
                caption);
    }

    private static String lambdas() {
        List<String> values = new ArrayList<>();
        for (double lambda : RunEvaluation.PROBE_LAMBDAS) {
            values.add(String.format(Locale.ROOT, "%.0e", lambda).replace("e-0", "e-"));
        }
        return String.join(", ", values);
    }

    private static boolean hasValue(StudyReport report, String label, String metric) {
        Summary summary = report.summaries().getOrDefault(label, Map.of()).get(metric);
        return summary != null && summary.n() > 0;
    }

    /** Returns the metrics in the report's summaries that start with {@code prefix}, in order. */
    private static List<String> metricsWithPrefix(StudyReport report, String prefix) {
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Summary> byMetric : report.summaries().values()) {
            for (Map.Entry<String, Summary> entry : byMetric.entrySet()) {
                if (entry.getKey().startsWith(prefix) && entry.getValue().n() > 0) {
                    names.add(entry.getKey());
                }
            }
        }
        return List.copyOf(names);
    }

    /**
     * Builds a table with one row per label that has at least one of the metrics, and one column
     * per metric.
     */
    private static Section.Table metricTable(
            StudyReport report, String caption, List<String> metrics) {
        List<String> headers = new ArrayList<>();
        headers.add("Method");
        headers.add("Seeds");
        List<Integer> numeric = new ArrayList<>();
        numeric.add(1);
        for (String metric : metrics) {
            Metrics.Descriptor descriptor = Metrics.describeOrDefault(metric);
            headers.add(
                    Formats.titleWithUnit(descriptor)
                            + (descriptor.higherIsBetter() ? " \u2191" : " \u2193"));
            numeric.add(headers.size() - 1);
        }
        List<List<String>> rows = new ArrayList<>();
        for (String label : report.labels()) {
            Map<String, Summary> byMetric = report.summaries().getOrDefault(label, Map.of());
            if (metrics.stream().noneMatch(m -> hasValue(report, label, m))) {
                continue;
            }
            int seeds = ReportContent.seedCount(report, label);
            List<String> row = new ArrayList<>();
            row.add(label);
            row.add(Integer.toString(seeds));
            for (String metric : metrics) {
                row.add(
                        ReportContent.summaryCell(
                                Metrics.describeOrDefault(metric),
                                byMetric.get(metric),
                                seeds,
                                ReportContent.columnDecimals(report, metric)));
            }
            rows.add(row);
        }
        return new Section.Table(caption, headers, rows, numeric);
    }

    /** Returns the labels in report order, then any others in the given order. */
    private static List<String> orderedLabels(StudyReport report, Set<String> labels) {
        List<String> ordered = new ArrayList<>(labels);
        ordered.sort(
                Comparator.comparingInt(
                        label -> {
                            int index = report.labels().indexOf(label);
                            return index < 0 ? Integer.MAX_VALUE : index;
                        }));
        return ordered;
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
