package dev.selfdistill.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.cli.Main;
import dev.selfdistill.data.AvMnistData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trains real networks on a slice of the real AV-MNIST data: the fused model must beat chance
 * and each single-modality model, and the study folder must hold every promised file.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndStudyTest {
    private static final String SLICE = """
            name: %s
            modalities: %s
            data:
              max_images: 2500
            training:
              epochs: 5
              patience: 0
            methods:
            %s
            seeds: %s
            """;

    // Static, so that JUnit creates the folder before the class-level setup runs.
    @TempDir static Path temp;
    private Path dataDir;

    @BeforeAll
    void fetchFromMirror() {
        Path mirror = mirror();
        dataDir = temp.resolve("data");
        AvMnistData.fetch(dataDir, mirror, true, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    static Path mirror() {
        String env = System.getenv(AvMnistData.MIRROR_ENV);
        Path mirror = Path.of(env != null && !env.isBlank() ? env : System.getProperty("selfdistill.sharedData", "../shared/data"));
        assertTrue(Files.isDirectory(mirror.resolve("fsdd/recordings")), "the end-to-end test needs the real data mirror at " + mirror.toAbsolutePath() + " (set " + AvMnistData.MIRROR_ENV + ")");
        return mirror;
    }

    private StudyResults run(String name, String modalities, String methods, String seeds) {
        StudyConfig config = StudyFiles.parse(String.format(SLICE, name, modalities, methods, seeds), name);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return new StudyRunner(config, dataDir, temp.resolve(name), quiet).run();
    }

    private static double accuracy(StudyResults results, String label) {
        return results.summaries().get(label).get(Metrics.TEST_ACCURACY).mean();
    }

    @Test
    void fusedModelBeatsChanceAndEachModality() {
        double fused = accuracy(run("fused", "[image, audio]", "  - name: baseline", "1"), "baseline");
        double image = accuracy(run("image-only", "[image]", "  - name: baseline", "1"), "baseline");
        double audio = accuracy(run("audio-only", "[audio]", "  - name: baseline", "1"), "baseline");
        assertTrue(fused > 0.5, "fused accuracy " + fused + " should be far above chance (0.1)");
        assertTrue(fused > image + 0.02, "fused " + fused + " should beat image alone " + image);
        assertTrue(fused > audio + 0.02, "fused " + fused + " should beat audio alone " + audio);
    }

    @Test
    void studyFolderHoldsEveryOutput() throws IOException {
        String methods = "  - name: baseline\n  - name: born-again\n    generations: 1\n  - name: ema-teacher";
        StudyResults results = run("methods", "[image, audio]", methods, "2");
        Path study = temp.resolve("methods");
        for (String file : List.of("study.yaml", "runs.json", "summary.json", "summary.csv", "comparisons.json", "report.md", "report.html")) {
            assertTrue(Files.isRegularFile(study.resolve(file)), file + " is missing");
        }
        for (String label : List.of("baseline", "born-again-gen-1", "ema-teacher")) {
            Path run = study.resolve("runs").resolve(label).resolve("seed-1");
            for (String file : List.of("config.json", "epochs.jsonl", "metrics.json", "model-0000.params")) {
                assertTrue(Files.isRegularFile(run.resolve(file)), label + "/" + file + " is missing");
            }
            assertEquals(5, Files.readAllLines(run.resolve("epochs.jsonl")).size());
        }
        assertTrue(Files.isRegularFile(study.resolve("runs/born-again-ensemble/seed-0/metrics.json")));
        assertEquals(List.of("baseline", "born-again gen 1", "born-again ensemble", "ema-teacher"), results.labels());
        assertFalse(results.comparisons().isEmpty());
        try (Stream<Path> siblings = Files.list(temp)) {
            assertTrue(siblings.noneMatch(p -> p.getFileName().toString().contains(".partial-")), "a partial folder was left behind");
        }

        // The report command rebuilds the report from the folder without retraining.
        Files.delete(study.resolve("report.html"));
        assertEquals(0, Main.execute("report", study.toString()));
        assertTrue(Files.isRegularFile(study.resolve("report.html")));
    }
}
