package dev.selfdistill.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.eval.ClassificationMetrics;
import dev.selfdistill.eval.Projection;
import dev.selfdistill.eval.RobustnessCurve;
import dev.selfdistill.eval.RunEvidence;
import dev.selfdistill.study.Metrics;
import dev.selfdistill.study.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report sections on representation and robustness, built from hand-made runs. */
class EvidenceSectionsTest {
    private static final String PROBE = Metrics.PROBE_ACCURACY + Metrics.JOINT;
    private static final String KNN = Metrics.KNN_ACCURACY + "image";
    private static final String RETRIEVAL = Metrics.retrieval("image", "audio", "map");
    private static final String AUC = Metrics.robustnessAuc("image_gaussian");
    private static final String RELATIVE = Metrics.relativeRobustness("image_gaussian");
    private static final Pattern IMG_TAG = Pattern.compile("<img\\b[^>]*>");

    @TempDir Path tempDir;

    /** The sample report with evidence metrics for the baseline and the self-distilled label. */
    private static StudyReport report(double selfDistillProbe) {
        StudyReport base = SampleReports.standard();
        Map<String, Map<String, Summary>> summaries = new LinkedHashMap<>();
        base.summaries()
                .forEach((label, byMetric) -> summaries.put(label, new LinkedHashMap<>(byMetric)));
        Map<String, double[]> values = new LinkedHashMap<>();
        values.put(PROBE, new double[] {0.80, 0.81, 0.82});
        values.put(KNN, new double[] {0.70, 0.72, 0.71});
        values.put(RETRIEVAL, new double[] {0.11, 0.12, 0.10});
        values.put(AUC, new double[] {0.60, 0.62, 0.61});
        values.put(RELATIVE, new double[] {0.71, 0.73, 0.72});
        for (Map.Entry<String, double[]> entry : values.entrySet()) {
            summaries
                    .get(SampleReports.BASELINE)
                    .put(entry.getKey(), SampleReports.summarise(entry.getValue()));
            double[] shifted = entry.getValue().clone();
            for (int i = 0; i < shifted.length; i++) {
                shifted[i] += entry.getKey().equals(PROBE) ? selfDistillProbe - 0.81 : 0.02;
            }
            summaries
                    .get(SampleReports.SELF_DISTILL)
                    .put(entry.getKey(), SampleReports.summarise(shifted));
        }
        return new StudyReport(
                base.title(),
                base.studyYaml(),
                base.environment(),
                base.runs(),
                base.labels(),
                base.baselineLabel(),
                base.metrics(),
                summaries,
                base.comparisons(),
                base.notes());
    }

    private static List<ClassificationMetrics.ReliabilityBin> bins() {
        List<ClassificationMetrics.ReliabilityBin> bins = new ArrayList<>();
        for (int b = 0; b < 15; b++) {
            int count = b < 10 ? 0 : 20;
            double confidence = count == 0 ? Double.NaN : (b + 0.5) / 15;
            double accuracy = count == 0 ? Double.NaN : confidence - 0.05;
            bins.add(
                    new ClassificationMetrics.ReliabilityBin(
                            b / 15.0, (b + 1) / 15.0, count, confidence, accuracy));
        }
        return bins;
    }

    private static RunEvidence evidence(double drop, boolean withModel) {
        if (!withModel) {
            return new RunEvidence(List.of(), bins(), null);
        }
        RobustnessCurve curve =
                new RobustnessCurve(
                        "image_gaussian",
                        "image",
                        "Gaussian noise sd (standardised units)",
                        new double[] {0, 0.4, 0.8, 1.2, 1.6, 2.0},
                        List.of("clean", "sd 0.4", "sd 0.8", "sd 1.2", "sd 1.6", "sd 2.0"),
                        new double[] {
                            0.9,
                            0.9 - drop,
                            0.9 - 2 * drop,
                            0.9 - 3 * drop,
                            0.9 - 4 * drop,
                            0.9 - 5 * drop
                        });
        Projection projection =
                new Projection(
                        Projection.PCA,
                        new double[] {0.6, 0.3},
                        new float[] {-1f, -0.5f, 0.5f, 1f},
                        new float[] {0.2f, -0.2f, 0.1f, -0.1f},
                        new int[] {0, 0, 1, 1});
        return new RunEvidence(List.of(curve), bins(), projection);
    }

    private static List<EvidenceSections.RunFiles> runs(boolean selfDistillTrainsClassifier) {
        List<EvidenceSections.RunFiles> runs = new ArrayList<>();
        for (int seed : SampleReports.SEEDS) {
            runs.add(
                    new EvidenceSections.RunFiles(
                            SampleReports.BASELINE, seed, evidence(0.1, true), true));
            runs.add(
                    new EvidenceSections.RunFiles(
                            SampleReports.SELF_DISTILL,
                            seed,
                            evidence(0.05 + 0.01 * seed, true),
                            selfDistillTrainsClassifier));
            runs.add(
                    new EvidenceSections.RunFiles(
                            SampleReports.ENSEMBLE, seed, evidence(0, false), true));
        }
        return runs;
    }

    private static void assertInOrder(String text, List<String> parts) {
        int from = 0;
        for (String part : parts) {
            int at = text.indexOf(part, from);
            assertTrue(at >= 0, "'" + part + "' missing or out of order");
            from = at + part.length();
        }
    }

    @Test
    void reportHasEverySectionWithImages() throws IOException {
        StudyReport report = report(0.83);
        Path studyDir = tempDir.resolve("study");
        List<Section> sections = EvidenceSections.build(report, runs(true));
        ReportWriter.write(studyDir, report, sections);

        String markdown = Files.readString(studyDir.resolve("report.md"));
        assertInOrder(
                markdown,
                List.of(
                        "## Verdict",
                        "## Runs",
                        "## Representation quality",
                        "| Method | Seeds | Linear probe accuracy, joint embedding (%) \u2191",
                        "## Cross-modal retrieval",
                        "Protocol: Each query from one modality",
                        "## Robustness to corrupted and missing inputs",
                        "Robustness AUC, image Gaussian noise (%)",
                        "Relative robustness, image Gaussian noise",
                        "### Test accuracy under image Gaussian noise",
                        "## Calibration: reliability diagrams",
                        "### Reliability diagram: baseline",
                        "### Reliability diagram: born-again ensemble",
                        "## Embedding projection",
                        "### Joint test embedding: baseline, seed 1",
                        "### Joint test embedding: self-distill, seed 1",
                        "## Environment"));
        for (String file :
                List.of(
                        "bar-probe_accuracy_joint.png",
                        "bar-knn_accuracy_image.png",
                        "robustness-image_gaussian.png",
                        "reliability-baseline.png",
                        "reliability-self-distill.png",
                        "reliability-born-again-ensemble.png",
                        "projection-baseline.png",
                        "projection-self-distill.png")) {
            assertTrue(
                    Files.size(studyDir.resolve("figures").resolve(file)) > 1000,
                    file + " is missing or empty");
            assertTrue(markdown.contains("](figures/" + file + ")"), file + " is not linked");
        }
        // The ensemble has no embedding, so it gets no bar and no row in the probe table.
        assertFalse(
                markdown.contains("born-again ensemble 0.00%"),
                "the ensemble must not get a probe bar");
        String html = Files.readString(studyDir.resolve("report.html"));
        Path plainDir = tempDir.resolve("plain");
        ReportWriter.write(plainDir, report, List.of());
        long standardFigures =
                IMG_TAG.matcher(Files.readString(plainDir.resolve("report.html")))
                        .results()
                        .count();
        long extraFigures = sections.stream().mapToLong(s -> s.figures().size()).sum();
        assertEquals(standardFigures + extraFigures, IMG_TAG.matcher(html).results().count());
        assertTrue(html.indexOf("id=\"verdict\"") < html.indexOf("Representation quality"));
    }

    @Test
    void projectionShowsBestByTestAccuracy() {
        // The self-distilled label has the better test accuracy in the sample report, so it is
        // shown even though its probe is worse than the baseline's.
        List<Section> sections = EvidenceSections.build(report(0.70), runs(true));
        Section projection =
                sections.stream()
                        .filter(s -> s.heading().equals("Embedding projection"))
                        .findFirst()
                        .orElseThrow();
        assertEquals(
                List.of("projection-baseline.png", "projection-self-distill.png"),
                projection.figures().stream().map(Figure::fileName).toList());
        assertTrue(projection.paragraphs().get(0).contains("by mean test accuracy (self-distill)"));
    }

    @Test
    void labelFreeStudyRanksByProbe() {
        List<Section> sections = EvidenceSections.build(report(0.70), runs(false));
        Section projection =
                sections.stream()
                        .filter(s -> s.heading().equals("Embedding projection"))
                        .findFirst()
                        .orElseThrow();
        assertTrue(
                projection
                        .paragraphs()
                        .get(0)
                        .contains("by mean linear probe accuracy, joint embedding"),
                projection.paragraphs().get(0));
    }

    @Test
    void studyWithoutEvidenceNamesEvaluateCommand() {
        List<Section> sections = EvidenceSections.build(SampleReports.standard(), List.of());
        assertEquals(1, sections.size());
        assertTrue(sections.get(0).paragraphs().get(0).contains("selfdistill evaluate"));
    }
}
