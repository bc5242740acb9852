package dev.selfdistill.report;

import dev.selfdistill.study.EpochRecord;
import dev.selfdistill.study.Metrics;
import dev.selfdistill.study.RunResult;
import dev.selfdistill.study.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/** Builds the standard figures of a study report: bar charts per metric and learning curves. */
final class ReportFigures {
    private static final String ERROR_BAR_CAPTION =
            "Bars show the mean over seeds and error bars the 95% confidence interval of the mean"
                    + " (Student t), clipped to 0-100% for percentages. A method with fewer than"
                    + " two seeds has no error bar.";

    private ReportFigures() {}

    /**
     * Returns the metrics that get a bar chart: the headline metrics present in the report, in
     * headline order, then every {@code accuracy_without_*} metric in report order.
     */
    static List<String> chartedMetrics(StudyReport report) {
        List<String> charted = new ArrayList<>();
        for (String metric : Metrics.headline()) {
            if (report.metrics().contains(metric)) {
                charted.add(metric);
            }
        }
        for (String metric : report.metrics()) {
            if (metric.startsWith(Metrics.ACCURACY_WITHOUT) && !charted.contains(metric)) {
                charted.add(metric);
            }
        }
        return charted;
    }

    /**
     * Builds one bar chart per charted metric. A metric without a finite mean for any label gets
     * no chart, because there is nothing to draw.
     */
    static List<Figure> metricBarCharts(StudyReport report, Set<String> usedFileNames) {
        return metricBarCharts(report, chartedMetrics(report), usedFileNames);
    }

    /**
     * Builds one bar chart per metric of {@code metrics}, with the mean over seeds and its 95%
     * interval for each label. A metric without a finite mean for any label gets no chart.
     */
    static List<Figure> metricBarCharts(
            StudyReport report, List<String> metrics, Set<String> usedFileNames) {
        List<Figure> figures = new ArrayList<>();
        for (String metric : metrics) {
            Metrics.Descriptor descriptor = Metrics.describeOrDefault(metric);
            double scale = Formats.displayScale(descriptor);
            int count = report.labels().size();
            double[] means = new double[count];
            double[] lows = new double[count];
            double[] highs = new double[count];
            boolean anyMean = false;
            for (int i = 0; i < count; i++) {
                Summary summary = summaryOf(report, report.labels().get(i), metric);
                means[i] = summary == null ? Double.NaN : summary.mean() * scale;
                lows[i] = summary == null ? Double.NaN : Formats.withinRange(descriptor, summary.ciLow()) * scale;
                highs[i] = summary == null ? Double.NaN : Formats.withinRange(descriptor, summary.ciHigh()) * scale;
                anyMean |= Double.isFinite(means[i]);
            }
            if (!anyMean) {
                continue;
            }

            int decimals = ReportContent.columnDecimals(report, metric);
            String unit = Formats.displayUnit(descriptor);
            List<String> altParts = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                altParts.add(
                        report.labels().get(i)
                                + " "
                                + Formats.withUnit(Formats.fixed(means[i], decimals), unit)
                                + " (95% CI "
                                + Formats.interval(lows[i], highs[i], decimals, false)
                                + ")");
            }
            String yTitle = Formats.titleWithUnit(descriptor);
            byte[] png =
                    Charts.barChartWithErrors(
                            descriptor.title(),
                            yTitle,
                            report.labels(),
                            means,
                            lows,
                            highs,
                            decimals);
            String altText =
                    "Bar chart of "
                            + yTitle
                            + " per method, mean over seeds: "
                            + String.join("; ", altParts)
                            + ".";
            String direction =
                    descriptor.higherIsBetter() ? " Higher is better." : " Lower is better.";
            figures.add(
                    new Figure(
                            uniqueFileName("bar-" + metric, usedFileNames),
                            descriptor.title(),
                            altText,
                            png,
                            ERROR_BAR_CAPTION + direction));
        }
        return figures;
    }

    /**
     * Builds the validation-accuracy and training-loss curves, one line per label with the mean
     * over that label's runs at each epoch. Labels whose runs have no epochs (derived rows such
     * as an ensemble) are left out, and no figure is made when no label has epochs.
     */
    static List<Figure> learningCurves(StudyReport report, Set<String> usedFileNames) {
        List<Figure> figures = new ArrayList<>();
        Map<String, double[][]> accuracy =
                meanCurves(report, record -> record.validationAccuracy() * 100.0);
        if (!hasFinitePoint(accuracy)) {
            return figures;
        }
        figures.add(
                new Figure(
                        uniqueFileName("curve-validation_accuracy", usedFileNames),
                        "Validation accuracy per epoch",
                        curveAltText("validation accuracy", "%", accuracy),
                        Charts.lineChart(
                                "Validation accuracy per epoch",
                                "Epoch",
                                "Validation accuracy (%)",
                                accuracy),
                        "Mean over the seeds that reached each epoch, so a curve that continues"
                                + " after some seeds stopped early averages fewer runs."));

        Map<String, double[][]> loss = meanCurves(report, EpochRecord::trainLoss);
        if (hasFinitePoint(loss)) {
            figures.add(
                    new Figure(
                            uniqueFileName("curve-train_loss", usedFileNames),
                            "Training loss per epoch",
                            curveAltText("training loss", "", loss),
                            Charts.lineChart(
                                    "Training loss per epoch",
                                    "Epoch",
                                    "Training loss (method's total loss)",
                                    loss),
                            "Mean over the seeds that reached each epoch. Each method's loss"
                                    + " includes its own distillation terms, so loss levels are"
                                    + " not comparable between methods."));
        }
        return figures;
    }

    /**
     * Returns label to {@code {epochs[], means[]}}, in label order, for the labels that have at
     * least one epoch. Non-finite values are left out of each epoch's mean.
     */
    static Map<String, double[][]> meanCurves(
            StudyReport report, ToDoubleFunction<EpochRecord> value) {
        Map<String, double[][]> curves = new LinkedHashMap<>();
        for (String label : report.labels()) {
            // Epoch number to {sum, count}, sorted by epoch.
            TreeMap<Integer, double[]> sums = new TreeMap<>();
            for (RunResult run : report.runs()) {
                if (!label.equals(run.label())) {
                    continue;
                }
                for (EpochRecord record : run.epochs()) {
                    double[] sum = sums.computeIfAbsent(record.epoch(), epoch -> new double[2]);
                    double v = value.applyAsDouble(record);
                    if (Double.isFinite(v)) {
                        sum[0] += v;
                        sum[1]++;
                    }
                }
            }
            if (sums.isEmpty()) {
                continue;
            }
            double[] epochs = new double[sums.size()];
            double[] means = new double[sums.size()];
            int i = 0;
            for (Map.Entry<Integer, double[]> entry : sums.entrySet()) {
                epochs[i] = entry.getKey();
                double[] sum = entry.getValue();
                means[i] = sum[1] == 0 ? Double.NaN : sum[0] / sum[1];
                i++;
            }
            curves.put(label, new double[][] {epochs, means});
        }
        return curves;
    }

    private static boolean hasFinitePoint(Map<String, double[][]> curves) {
        for (double[][] curve : curves.values()) {
            for (double y : curve[1]) {
                if (Double.isFinite(y)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Describes each curve by its epoch count and last finite value, for screen readers. */
    private static String curveAltText(
            String quantity, String unit, Map<String, double[][]> curves) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, double[][]> entry : curves.entrySet()) {
            double[] epochs = entry.getValue()[0];
            double[] means = entry.getValue()[1];
            int last = means.length - 1;
            while (last >= 0 && !Double.isFinite(means[last])) {
                last--;
            }
            if (last < 0) {
                continue;
            }
            String value = Formats.fixed(means[last], unit.equals("%") ? 2 : 4);
            parts.add(
                    String.format(
                            Locale.ROOT,
                            "%s ends at %s after epoch %d",
                            entry.getKey(),
                            Formats.withUnit(value, unit),
                            (int) epochs[last]));
        }
        return "Line chart of mean "
                + quantity
                + " per epoch, one line per method: "
                + String.join("; ", parts)
                + ".";
    }

    private static Summary summaryOf(StudyReport report, String label, String metric) {
        Map<String, Summary> byMetric = report.summaries().get(label);
        return byMetric == null ? null : byMetric.get(metric);
    }

    /**
     * Returns {@code stem.png} with characters outside {@code [A-Za-z0-9._-]} replaced, adding a
     * number when the name is already used, and records the result in {@code used}.
     */
    static String uniqueFileName(String stem, Set<String> used) {
        String safe = stem.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^\\.+", "");
        String name = safe + ".png";
        for (int suffix = 2; used.contains(name); suffix++) {
            name = safe + "-" + suffix + ".png";
        }
        used.add(name);
        return name;
    }
}
