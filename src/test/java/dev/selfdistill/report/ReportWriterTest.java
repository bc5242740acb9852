package dev.selfdistill.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.UserError;
import dev.selfdistill.study.Comparison;
import dev.selfdistill.study.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
    private static final byte[] PNG_SIGNATURE = {
        (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'
    };
    private static final Pattern IMG_TAG = Pattern.compile("<img\\b[^>]*>");
    private static final Pattern VERDICT_TABLE =
            Pattern.compile("<table id=\"verdict\">(.*?)</table>", Pattern.DOTALL);
    private static final Pattern BODY_ROW =
            Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL);

    @TempDir Path tempDir;

    @Test
    void writesBothFormatsAndFigures() throws IOException {
        Path studyDir = tempDir.resolve("study");
        ReportWriter.write(studyDir, SampleReports.standard());

        assertTrue(Files.isRegularFile(studyDir.resolve("report.md")));
        assertTrue(Files.isRegularFile(studyDir.resolve("report.html")));
        List<String> figureNames = figureFileNames(studyDir);
        // Bar charts of accuracy, NLL, ECE and accuracy without audio, then two learning curves.
        assertEquals(
                List.of(
                        "bar-accuracy_without_audio.png",
                        "bar-test_accuracy.png",
                        "bar-test_ece.png",
                        "bar-test_nll.png",
                        "curve-train_loss.png",
                        "curve-validation_accuracy.png"),
                figureNames);
        for (String name : figureNames) {
            byte[] png = Files.readAllBytes(studyDir.resolve("figures").resolve(name));
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8), name);
        }
    }

    @Test
    void markdownLinksEveryFigureRelatively() throws IOException {
        Path studyDir = tempDir.resolve("study");
        ReportWriter.write(studyDir, SampleReports.standard());
        String markdown = Files.readString(studyDir.resolve("report.md"));

        // An image link whose alt text may contain backslash-escaped brackets.
        Pattern image = Pattern.compile("!\\[((?:\\\\.|[^\\]\\\\])+)\\]\\(([^)]+)\\)");
        Matcher link = image.matcher(markdown);
        List<String> targets = new ArrayList<>();
        while (link.find()) {
            assertFalse(link.group(1).isBlank(), "alt text of " + link.group(2));
            targets.add(link.group(2));
        }
        assertEquals(6, targets.size());
        for (String target : targets) {
            assertTrue(target.startsWith("figures/"), target);
            assertTrue(Files.isRegularFile(studyDir.resolve(target)), target);
        }
    }

    @Test
    void verdictTableHasEveryComparison() throws IOException {
        StudyReport report = SampleReports.standard();
        String html = writeHtml(report);

        Matcher table = VERDICT_TABLE.matcher(html);
        assertTrue(table.find(), "no <table id=\"verdict\">");
        String body = table.group(1).substring(table.group(1).indexOf("<tbody>"));
        List<String> rows = new ArrayList<>();
        Matcher row = BODY_ROW.matcher(body);
        while (row.find()) {
            rows.add(row.group(1));
        }
        assertEquals(report.comparisons().size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Comparison comparison = report.comparisons().get(i);
            String cells = rows.get(i);
            assertTrue(cells.contains(">" + comparison.label() + "<"), cells);
            String title = Metrics.describeOrDefault(comparison.metric()).title();
            assertTrue(cells.contains(">" + title + "<"), cells);
            assertTrue(cells.contains(HtmlRenderer.escape(comparison.verdict())), cells);
        }
        // Accuracy differences are in percentage points with two decimals and a sign.
        assertTrue(rows.get(0).contains(">+0.50 pp<"), rows.get(0));
        assertTrue(rows.get(0).contains("[+0.31, +0.69] pp"), rows.get(0));
        assertTrue(
                rows.get(0).contains("0.006<span class=\"sub\">(Holm 0.012)</span>"), rows.get(0));
    }

    @Test
    void verdictComesBeforeOtherSections() throws IOException {
        Path studyDir = tempDir.resolve("study");
        ReportWriter.write(studyDir, SampleReports.standard());
        String markdown = Files.readString(studyDir.resolve("report.md"));
        String html = Files.readString(studyDir.resolve("report.html"));

        List<String> markdownOrder =
                List.of(
                        "# Self",
                        "## Verdict",
                        "- Train 5000",
                        "## Results per method",
                        "## Charts per metric",
                        "## Learning curves",
                        "## Runs",
                        "## Environment",
                        "## Study file",
                        "```yaml");
        assertInOrder(markdown, markdownOrder);
        List<String> htmlOrder =
                List.of(
                        "<h1>",
                        "<p class=\"summary\">",
                        "<table id=\"verdict\">",
                        "<li>Train 5000",
                        "<table id=\"summary\">",
                        "<h2>Charts per metric</h2>",
                        "<h2>Learning curves</h2>",
                        "<table id=\"runs\">",
                        "<table id=\"environment\">",
                        "<pre><code>name: av-mnist");
        assertInOrder(html, htmlOrder);
    }

    @Test
    void everyImageIsEmbeddedPngWithAlt() throws IOException {
        String html = writeHtml(SampleReports.standard());
        Matcher tag = IMG_TAG.matcher(html);
        int images = 0;
        while (tag.find()) {
            images++;
            String img = tag.group();
            Matcher alt = Pattern.compile("\\balt=\"([^\"]*)\"").matcher(img);
            assertTrue(alt.find(), "no alt: " + img.substring(0, Math.min(80, img.length())));
            assertFalse(alt.group(1).isBlank(), "blank alt");
            Matcher src = Pattern.compile("\\bsrc=\"data:image/png;base64,([^\"]+)\"").matcher(img);
            assertTrue(src.find(), "src is not a PNG data URI");
            byte[] png = Base64.getDecoder().decode(src.group(1));
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8));
        }
        assertEquals(6, images);
    }

    @Test
    void htmlReferencesNoNetworkResource() throws IOException {
        String html = writeHtml(SampleReports.standard());

        Pattern attribute =
                Pattern.compile(
                        "\\b(?:src|href|srcset|action|poster|data)\\s*=\\s*[\"']?([^\"'\\s>]*)");
        Matcher reference = attribute.matcher(html);
        while (reference.find()) {
            String target = reference.group(1).toLowerCase();
            assertFalse(target.startsWith("http:"), reference.group());
            assertFalse(target.startsWith("https:"), reference.group());
            assertFalse(target.startsWith("//"), reference.group());
        }
        assertFalse(html.contains("<link"), "external style sheet or icon");
        assertFalse(html.contains("<script src"), "external script");
        assertFalse(html.contains("@import"), "imported style sheet");
        assertFalse(Pattern.compile("url\\(\\s*['\"]?(https?:)?//").matcher(html).find(),
                "CSS url() to the network");
        // The study YAML mentions a URL in a comment, which is allowed because it is only text.
        assertTrue(html.contains("https://example.org/av-mnist"));
    }

    @Test
    void policyAllowsOnlyInlineContent() throws IOException {
        String html = writeHtml(SampleReports.standard());
        assertTrue(html.contains("http-equiv=\"Content-Security-Policy\""));
        assertTrue(html.contains("default-src 'none'; img-src data:;"));
    }

    @Test
    void nanRendersAsNotAvailable() throws IOException {
        Path studyDir = tempDir.resolve("study");
        StudyReport report = SampleReports.standard();
        ReportWriter.write(studyDir, report);
        String markdown = Files.readString(studyDir.resolve("report.md"));
        String html = Files.readString(studyDir.resolve("report.html"));

        assertFalse(markdown.contains("NaN"), "NaN in report.md");
        assertFalse(html.contains("NaN"), "NaN in report.html");
        String untestedRow =
                markdown.lines()
                        .filter(line -> line.contains("Not tested: the ensemble"))
                        .findFirst()
                        .orElseThrow();
        // Difference +2.00 pp, then CI, t-test p, Holm p, Wilcoxon p and d_z are all n/a.
        assertTrue(untestedRow.contains("| +2.00 pp | n/a | n/a<br>(Holm n/a) | n/a | n/a | 1 |"),
                untestedRow);
    }

    @Test
    void summaryTableShowsFractionsAsPercent() throws IOException {
        Path studyDir = tempDir.resolve("study");
        ReportWriter.write(studyDir, SampleReports.standard());
        String markdown = Files.readString(studyDir.resolve("report.md"));

        String header =
                markdown.lines().filter(line -> line.startsWith("| Method | Seeds |"))
                        .findFirst()
                        .orElseThrow();
        assertTrue(header.contains("Test accuracy (%) \u2191"), header);
        assertTrue(header.contains("Test negative log-likelihood (nats) \u2193"), header);
        String baselineRow =
                markdown.lines().filter(line -> line.startsWith("| baseline | 3 |"))
                        .findFirst()
                        .orElseThrow();
        // Test accuracy of the baseline: 0.844, 0.848, 0.852, so 84.80 ± 0.40 percent.
        assertTrue(
                baselineRow.contains("| 84.80 \u00b1 0.40<br>\\[83.81, 85.79\\] |"), baselineRow);
        String ensembleRow =
                markdown.lines()
                        .filter(line -> line.startsWith("| born-again ensemble | 3 |"))
                        .findFirst()
                        .orElseThrow();
        // One seed for accuracy without audio: no sd, no interval, and the count is shown.
        assertTrue(ensembleRow.contains("| 52.00 (n=1) |"), ensembleRow);
    }

    @Test
    void runTableListsEveryRun() throws IOException {
        StudyReport report = SampleReports.standard();
        String html = writeHtml(report);
        Matcher table =
                Pattern.compile("<table id=\"runs\">(.*?)</table>", Pattern.DOTALL).matcher(html);
        assertTrue(table.find());
        String body = table.group(1).substring(table.group(1).indexOf("<tbody>"));
        long rows = BODY_ROW.matcher(body).results().count();
        assertEquals(report.runs().size(), rows);
        assertTrue(body.contains("<th scope=\"row\">baseline</th><td class=\"num\">1</td>"
                + "<td class=\"num\">84.40</td><td class=\"num\">4</td>"
                + "<td class=\"num\">41.0</td>"), body);
    }

    @Test
    void learningCurvesSkipLabelsWithoutEpochs() throws IOException {
        String html = writeHtml(SampleReports.standard());
        Matcher tag = IMG_TAG.matcher(html);
        String curveAlt = null;
        while (tag.find()) {
            if (tag.group().contains("alt=\"Line chart of mean validation accuracy")) {
                curveAlt = tag.group().replaceAll("(?s).*alt=\"([^\"]*)\".*", "$1");
            }
        }
        assertTrue(curveAlt != null, "no validation accuracy curve");
        assertTrue(curveAlt.contains("baseline ends at"), curveAlt);
        assertTrue(curveAlt.contains("self-distill ends at"), curveAlt);
        assertFalse(curveAlt.contains(SampleReports.ENSEMBLE), curveAlt);
    }

    @Test
    void textIsEscapedInHtml() throws IOException {
        String html = writeHtml(SampleReports.standard());
        assertTrue(html.contains("<title>Self-distillation on AV-MNIST &amp; friends &lt;v1&gt;"));
        assertTrue(html.contains("&lt;b&gt;tags&lt;/b&gt; stay text"));
        assertFalse(html.contains("<b>tags</b>"));
        assertFalse(html.contains("<v1>"));
    }

    @Test
    void scriptInjectionInTitleStaysText() throws IOException {
        String html = writeHtml(SampleReports.withTitle("</title><script>alert(1)</script>"));
        assertFalse(html.contains("<script>alert(1)"));
        assertEquals(1, Pattern.compile("<script>").matcher(html).results().count());
    }

    @Test
    void extraSectionGoesBeforeEnvironment() throws IOException {
        Path studyDir = tempDir.resolve("study");
        byte[] png =
                Charts.scatter(
                        "Embedding",
                        "Component 1",
                        "Component 2",
                        Map.of("class 0", new double[][] {{0, 1, 2}, {1, 0, 2}}));
        // Same file name as a standard figure: the standard one must move aside.
        Figure figure =
                new Figure(
                        "bar-test_accuracy.png",
                        "Embedding of the test set",
                        "Scatter plot of a 2-D embedding with one cluster.",
                        png,
                        "First two principal components.");
        Section section =
                new Section(
                        "Representation",
                        List.of("Embeddings of the fused head."),
                        List.of(figure));
        ReportWriter.write(studyDir, SampleReports.standard(), List.of(section));

        String markdown = Files.readString(studyDir.resolve("report.md"));
        assertInOrder(
                markdown,
                List.of(
                        "## Runs",
                        "## Representation",
                        "Embeddings of the fused head.",
                        "![Scatter plot of a 2-D embedding",
                        "## Environment"));
        assertTrue(markdown.contains("](figures/bar-test_accuracy.png)"));
        assertTrue(markdown.contains("](figures/bar-test_accuracy-2.png)"));
        assertArrayEquals(
                png, Files.readAllBytes(studyDir.resolve("figures/bar-test_accuracy.png")));
        assertTrue(Files.isRegularFile(studyDir.resolve("figures/bar-test_accuracy-2.png")));
        String html = Files.readString(studyDir.resolve("report.html"));
        assertEquals(7, IMG_TAG.matcher(html).results().count());
    }

    @Test
    void duplicateExtraFileNamesRejected() {
        byte[] png =
                Charts.lineChart(
                        "Curve", "x", "y", Map.of("a", new double[][] {{0, 1}, {0, 1}}));
        Figure first = new Figure("same.png", "First", "First chart.", png, "");
        Figure second = new Figure("same.png", "Second", "Second chart.", png, "");
        Section section = new Section("Extra", List.of(), List.of(first, second));
        Path studyDir = tempDir.resolve("study");

        assertThrows(
                IllegalArgumentException.class,
                () -> ReportWriter.write(studyDir, SampleReports.standard(), List.of(section)));
        assertFalse(Files.exists(studyDir), "nothing may be written before the check");
    }

    @Test
    void studyDirThatIsFileFails() throws IOException {
        Path file = tempDir.resolve("study");
        Files.writeString(file, "not a folder");

        UserError error =
                assertThrows(
                        UserError.class,
                        () -> ReportWriter.write(file, SampleReports.standard()));
        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
        assertEquals("not a folder", Files.readString(file));
        assertFalse(Files.exists(tempDir.resolve("report.html")));
        try (Stream<Path> entries = Files.list(tempDir)) {
            assertEquals(List.of(file), entries.toList());
        }
    }

    @Test
    void figuresEntryThatIsFileLeavesNoHtml() throws IOException {
        Path studyDir = tempDir.resolve("study");
        Files.createDirectories(studyDir);
        Files.writeString(studyDir.resolve("figures"), "not a folder");

        assertThrows(UserError.class, () -> ReportWriter.write(studyDir, SampleReports.standard()));
        assertFalse(Files.exists(studyDir.resolve("report.html")));
        assertFalse(Files.exists(studyDir.resolve("report.md")));
    }

    @Test
    void rewritingReplacesEarlierReport() throws IOException {
        Path studyDir = tempDir.resolve("study");
        ReportWriter.write(studyDir, SampleReports.withTitle("First title"));
        ReportWriter.write(studyDir, SampleReports.withTitle("Second title"));

        String html = Files.readString(studyDir.resolve("report.html"));
        assertTrue(html.contains("<h1>Second title</h1>"));
        assertFalse(html.contains("First title"));
        try (Stream<Path> entries = Files.list(studyDir)) {
            List<String> names =
                    entries.map(path -> path.getFileName().toString()).sorted().toList();
            assertEquals(List.of("figures", "report.html", "report.md"), names);
        }
    }

    @Test
    void reportWithoutComparisonsOrEpochs() throws IOException {
        StudyReport full = SampleReports.standard();
        StudyReport bare =
                new StudyReport(
                        "Bare",
                        "",
                        Map.of(),
                        full.runs().stream()
                                .map(run -> new dev.selfdistill.study.RunResult(
                                        run.method(), run.label(), run.seed(), run.generation(),
                                        run.metrics(), List.of()))
                                .toList(),
                        full.labels(),
                        full.baselineLabel(),
                        full.metrics(),
                        full.summaries(),
                        List.of(),
                        List.of());
        Path studyDir = tempDir.resolve("bare");
        ReportWriter.write(studyDir, bare);

        String markdown = Files.readString(studyDir.resolve("report.md"));
        assertTrue(markdown.contains("No comparisons against the baseline were made."));
        assertFalse(markdown.contains("## Learning curves"));
        assertFalse(Files.exists(studyDir.resolve("figures/curve-validation_accuracy.png")));
    }

    private String writeHtml(StudyReport report) throws IOException {
        Path studyDir = tempDir.resolve("html-" + System.nanoTime());
        ReportWriter.write(studyDir, report);
        return Files.readString(studyDir.resolve("report.html"));
    }

    private static List<String> figureFileNames(Path studyDir) throws IOException {
        try (Stream<Path> files = Files.list(studyDir.resolve("figures"))) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertInOrder(String text, List<String> parts) {
        int from = 0;
        for (String part : parts) {
            int at = text.indexOf(part, from);
            assertTrue(at >= 0, "missing or out of order: " + part);
            from = at + part.length();
        }
    }
}
