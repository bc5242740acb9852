package dev.selfdistill.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in headless Chromium to check that it renders offline: every embedded
 * image decodes, the verdict table is in the DOM and the page screenshot is not blank. Skipped
 * where {@code /usr/bin/chromium} is not installed (Debian package {@code chromium}).
 */
@Tag("browser")
class ReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final long TIMEOUT_SECONDS = 60;
    // Measured with Chromium 156 (Debian 12): a blank page at 1200x2000 gives an 11 KB screenshot
    // and the sample report about 225 KB.
    private static final long MIN_SCREENSHOT_BYTES = 50_000;
    private static final Pattern BODY_TAG = Pattern.compile("<body\\b[^>]*>");

    @TempDir static Path tempDir;
    private static Path reportHtml;

    @BeforeEach
    void requireChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM);
    }

    @BeforeAll
    static void writeReport() {
        Path studyDir = tempDir.resolve("study");
        ReportWriter.write(studyDir, SampleReports.standard());
        reportHtml = studyDir.resolve(ReportWriter.HTML_FILE);
    }

    @Test
    void imagesLoadAndVerdictIsPresent() throws Exception {
        Path output = tempDir.resolve("dom.html");
        runChromium(List.of("--virtual-time-budget=5000", "--dump-dom"), output);
        String dom = Files.readString(output);

        Matcher body = BODY_TAG.matcher(dom);
        assertTrue(body.find(), "no <body> in the dumped DOM");
        String bodyTag = body.group();
        int loaded = intAttribute(bodyTag, "data-images-loaded");
        int total = intAttribute(bodyTag, "data-images-total");
        assertTrue(total > 0, "the page has no images: " + bodyTag);
        assertEquals(total, loaded, "images that failed to load: " + bodyTag);
        assertEquals(6, total);
        assertTrue(dom.contains("<table id=\"verdict\">"), "no verdict table in the DOM");
    }

    @Test
    void screenshotShowsContent() throws Exception {
        Path screenshot = tempDir.resolve("report.png");
        runChromium(
                List.of("--screenshot=" + screenshot, "--window-size=1200,2000"),
                tempDir.resolve("screenshot.log"));

        assertTrue(Files.isRegularFile(screenshot), "Chromium wrote no screenshot");
        long size = Files.size(screenshot);
        assertTrue(size > MIN_SCREENSHOT_BYTES, "screenshot is only " + size + " bytes");
    }

    /** Runs Chromium on the report with {@code extraArguments}, sending stdout to {@code out}. */
    private static void runChromium(List<String> extraArguments, Path out)
            throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(tempDir, "chromium-profile");
        List<String> command = new ArrayList<>();
        command.add(CHROMIUM.toString());
        // Flags that keep Chromium off the network and away from the user's profile.
        command.addAll(
                List.of(
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--user-data-dir=" + profile));
        command.addAll(extraArguments);
        command.add(reportHtml.toUri().toString());

        Path log = Files.createTempFile(tempDir, "chromium", ".log");
        Process process =
                new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(log.toFile())
                        .start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            // Chromium starts renderer and utility processes, so end those too.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(
                    "Chromium timed out after " + TIMEOUT_SECONDS + " s; stderr: " + tail(log));
        }
        assertEquals(0, process.exitValue(), "Chromium failed; stderr: " + tail(log));
    }

    private static int intAttribute(String tag, String name) {
        Matcher value = Pattern.compile(name + "=\"(\\d+)\"").matcher(tag);
        assertTrue(value.find(), "no " + name + " on " + tag);
        return Integer.parseInt(value.group(1));
    }

    private static String tail(Path log) throws IOException {
        String text = Files.readString(log);
        return text.length() <= 2000 ? text : text.substring(text.length() - 2000);
    }
}
