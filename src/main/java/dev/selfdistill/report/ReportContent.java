package dev.selfdistill.report;

import dev.selfdistill.study.Comparison;
import dev.selfdistill.study.Metrics;
import dev.selfdistill.study.RunResult;
import dev.selfdistill.study.Summary;
import dev.selfdistill.study.Verdicts;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a {@link StudyReport} and the caller's extra sections into the blocks of the report, in
 * display order: title, summary, verdict, notes, results per method, charts, learning curves,
 * runs, extra sections, environment and study file.
 */
final class ReportContent {
    /** HTML id of the verdict table. */
    static final String VERDICT_TABLE_ID = "verdict";

    /** Significance level that the summary paragraph counts Holm-corrected p-values against. */
    private static final double ALPHA = 0.05;

    private ReportContent() {}

    /**
     * Builds the report's blocks.
     *
     * @throws IllegalArgumentException if two extra figures share a file name
     */
    static List<Block> build(StudyReport report, List<Section> extraSections) {
        Set<String> usedFileNames = reserveExtraFileNames(extraSections);
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Block.Heading(1, report.title()));
        blocks.add(new Block.Paragraph(summaryParagraph(report), "summary"));

        blocks.add(new Block.Heading(2, "Verdict"));
        if (report.comparisons().isEmpty()) {
            blocks.add(new Block.Paragraph("No comparisons against the baseline were made."));
        } else {
            blocks.add(verdictTable(report));
        }
        if (!report.notes().isEmpty()) {
            blocks.add(new Block.BulletList(report.notes()));
        }

        blocks.add(new Block.Heading(2, "Results per method"));
        blocks.add(summaryTable(report));

        List<Figure> bars = ReportFigures.metricBarCharts(report, usedFileNames);
        if (!bars.isEmpty()) {
            blocks.add(new Block.Heading(2, "Charts per metric"));
            bars.forEach(figure -> blocks.add(new Block.FigureBlock(figure)));
        }
        List<Figure> curves = ReportFigures.learningCurves(report, usedFileNames);
        if (!curves.isEmpty()) {
            blocks.add(new Block.Heading(2, "Learning curves"));
            curves.forEach(figure -> blocks.add(new Block.FigureBlock(figure)));
        }

        blocks.add(new Block.Heading(2, "Runs"));
        blocks.add(runTable(report));

        for (Section section : extraSections) {
            blocks.add(new Block.Heading(2, section.heading()));
            section.paragraphs().forEach(text -> blocks.add(new Block.Paragraph(text)));
            for (Section.Table table : section.tables()) {
                blocks.add(
                        new Block.Table(
                                "",
                                table.caption(),
                                table.headers(),
                                table.rows(),
                                table.numericColumns()));
            }
            section.figures().forEach(figure -> blocks.add(new Block.FigureBlock(figure)));
        }

        blocks.add(new Block.Heading(2, "Environment"));
        blocks.add(environmentTable(report));
        blocks.add(new Block.Heading(2, "Study file"));
        blocks.add(new Block.Code(report.studyYaml(), "yaml"));
        return blocks;
    }

    /** Returns the file names of the extra figures, so the standard figures avoid them. */
    private static Set<String> reserveExtraFileNames(List<Section> extraSections) {
        Set<String> used = new HashSet<>();
        for (Section section : extraSections) {
            for (Figure figure : section.figures()) {
                if (!used.add(figure.fileName())) {
                    throw new IllegalArgumentException(
                            "Two extra figures share the file name " + figure.fileName());
                }
            }
        }
        return used;
    }

    static String summaryParagraph(StudyReport report) {
        Set<Integer> seeds = new TreeSet<>();
        report.runs().forEach(run -> seeds.add(run.seed()));
        int comparisons = report.comparisons().size();
        long significant =
                report.comparisons().stream().filter(c -> c.holmP() < ALPHA).count();
        long untested =
                report.comparisons().stream().filter(c -> Double.isNaN(c.holmP())).count();

        StringBuilder text = new StringBuilder();
        text.append(
                String.format(
                        Locale.ROOT,
                        "This study has %s of %s over %s and compares each"
                                + " method with the baseline \"%s\" on %d metrics.",
                        count(report.runs().size(), "run"),
                        count(report.labels().size(), "method"),
                        count(seeds.size(), "seed"),
                        report.baselineLabel(),
                        report.metrics().size()));
        if (comparisons == 0) {
            text.append(" No paired comparisons were made.");
        } else {
            text.append(
                    String.format(
                            Locale.ROOT,
                            " Of the %d paired comparisons, %d %s a Holm-corrected t-test"
                                    + " p-value below %.2f and %d could not be tested.",
                            comparisons,
                            significant,
                            significant == 1 ? "has" : "have",
                            ALPHA,
                            untested));
            text.append(" The verdict table below states the result of each comparison.");
        }
        return text.toString();
    }

    /** Returns "1 run" or "3 runs": the count with the noun in the matching number. */
    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    static Block.Table verdictTable(StudyReport report) {
        List<String> headers =
                List.of(
                        "Method",
                        "Metric",
                        "Mean difference",
                        "95% CI",
                        "t-test p (Holm)",
                        "Wilcoxon p",
                        "Effect size d_z",
                        "n",
                        "Verdict");
        List<List<String>> rows = new ArrayList<>();
        for (Comparison comparison : report.comparisons()) {
            Metrics.Descriptor descriptor = Metrics.describeOrDefault(comparison.metric());
            double scale = Formats.displayScale(descriptor);
            String unit = Formats.differenceUnit(descriptor);
            int decimals = Formats.decimalsFor(descriptor, comparison.meanDifference() * scale);
            String difference = Formats.signed(comparison.meanDifference() * scale, decimals);
            String interval =
                    Formats.interval(
                            comparison.ciLow() * scale,
                            comparison.ciHigh() * scale,
                            decimals,
                            true);
            // The Holm-corrected value goes on a second line to keep the column narrow.
            String tTest =
                    Formats.pValue(comparison.tTestP())
                            + "\n(Holm "
                            + Formats.pValue(comparison.holmP())
                            + ")";
            rows.add(
                    List.of(
                            Objects.toString(comparison.label(), ""),
                            descriptor.title(),
                            Formats.withUnit(difference, unit),
                            Formats.withUnit(interval, unit),
                            tTest,
                            Formats.pValue(comparison.wilcoxonP()),
                            Formats.fixed(comparison.effectSize(), 2),
                            Integer.toString(comparison.n()),
                            Objects.toString(comparison.verdict(), "")));
        }
        int fewestPairs = report.comparisons().stream().mapToInt(Comparison::n).min().orElse(0);
        String note = Verdicts.wilcoxonNote(fewestPairs);
        String caption =
                "Paired differences (method minus baseline \""
                        + report.baselineLabel()
                        + "\") over the seeds both share. Differences of fractions are in"
                        + " percentage points (pp). p-values are two-sided."
                        + (note.isEmpty() ? "" : " " + note);
        return new Block.Table(
                VERDICT_TABLE_ID, caption, headers, rows, List.of(2, 3, 4, 5, 6, 7));
    }

    static Block.Table summaryTable(StudyReport report) {
        List<String> headers = new ArrayList<>();
        headers.add("Method");
        headers.add("Seeds");
        List<Integer> numeric = new ArrayList<>();
        numeric.add(1);
        for (String metric : report.metrics()) {
            Metrics.Descriptor descriptor = Metrics.describeOrDefault(metric);
            String arrow = descriptor.higherIsBetter() ? " \u2191" : " \u2193";
            headers.add(Formats.titleWithUnit(descriptor) + arrow);
            numeric.add(headers.size() - 1);
        }
        List<List<String>> rows = new ArrayList<>();
        for (String label : report.labels()) {
            int seeds = seedCount(report, label);
            List<String> row = new ArrayList<>();
            row.add(label);
            row.add(Integer.toString(seeds));
            Map<String, Summary> byMetric = report.summaries().getOrDefault(label, Map.of());
            for (String metric : report.metrics()) {
                row.add(
                        summaryCell(
                                Metrics.describeOrDefault(metric),
                                byMetric.get(metric),
                                seeds,
                                columnDecimals(report, metric)));
            }
            rows.add(row);
        }
        String caption =
                "Mean \u00b1 standard deviation over seeds, with the 95% confidence interval of"
                        + " the mean (Student t) below it, clipped to 0-100% for percentages."
                        + " \u2191 marks metrics where higher is"
                        + " better, \u2193 where lower is better.";
        return new Block.Table("summary", caption, headers, rows, numeric);
    }

    /**
     * Formats one summary as {@code mean ± sd} over {@code [low, high]}, adding {@code (n=k)}
     * when fewer seeds than the label's runs have a finite value.
     */
    static String summaryCell(
            Metrics.Descriptor descriptor, Summary summary, int seeds, int decimals) {
        if (summary == null) {
            return Formats.NOT_AVAILABLE;
        }
        double scale = Formats.displayScale(descriptor);
        String cell = Formats.fixed(summary.mean() * scale, decimals);
        if (!Double.isNaN(summary.sd())) {
            cell += " \u00b1 " + Formats.fixed(summary.sd() * scale, decimals);
        }
        if (summary.n() != seeds) {
            cell += " (n=" + summary.n() + ")";
        }
        String interval =
                Formats.interval(
                        Formats.withinRange(descriptor, summary.ciLow()) * scale,
                        Formats.withinRange(descriptor, summary.ciHigh()) * scale,
                        decimals,
                        false);
        if (!Formats.NOT_AVAILABLE.equals(interval)) {
            cell += "\n" + interval;
        }
        return cell;
    }

    /**
     * Returns the decimals for one metric across all labels, chosen from the largest displayed
     * mean, so that a column of the table and the bars of a chart line up digit for digit.
     */
    static int columnDecimals(StudyReport report, String metric) {
        Metrics.Descriptor descriptor = Metrics.describeOrDefault(metric);
        double largest = 0;
        for (String label : report.labels()) {
            Summary summary = report.summaries().getOrDefault(label, Map.of()).get(metric);
            if (summary != null && Double.isFinite(summary.mean())) {
                largest = Math.max(largest, Math.abs(summary.mean()));
            }
        }
        return Formats.decimalsFor(descriptor, largest * Formats.displayScale(descriptor));
    }

    static int seedCount(StudyReport report, String label) {
        return (int)
                report.runs().stream()
                        .filter(run -> label.equals(run.label()))
                        .map(RunResult::seed)
                        .distinct()
                        .count();
    }

    static Block.Table runTable(StudyReport report) {
        List<String> headers =
                List.of("Method", "Seed", "Test accuracy (%)", "Best epoch", "Wall time (s)");
        List<RunResult> runs = new ArrayList<>(report.runs());
        // Labels outside the display order go last, keeping their input order.
        runs.sort(
                Comparator.comparingInt(
                                (RunResult run) -> {
                                    int index = report.labels().indexOf(run.label());
                                    return index < 0 ? Integer.MAX_VALUE : index;
                                })
                        .thenComparingInt(RunResult::seed));
        List<List<String>> rows = new ArrayList<>();
        for (RunResult run : runs) {
            rows.add(
                    List.of(
                            Objects.toString(run.label(), ""),
                            Integer.toString(run.seed()),
                            Formats.fixed(run.metric(Metrics.TEST_ACCURACY) * 100.0, 2),
                            Formats.fixed(run.metric(Metrics.BEST_EPOCH), 0),
                            Formats.fixed(run.metric(Metrics.WALL_SECONDS), 1)));
        }
        return new Block.Table("runs", "", headers, rows, List.of(1, 2, 3, 4));
    }

    static Block.Table environmentTable(StudyReport report) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, String> entry : report.environment().entrySet()) {
            rows.add(List.of(entry.getKey(), Objects.toString(entry.getValue(), "")));
        }
        return new Block.Table("environment", "", List.of("Key", "Value"), rows, List.of());
    }
}
