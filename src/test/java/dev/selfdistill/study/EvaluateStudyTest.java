package dev.selfdistill.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Trains a tiny study on the real data, then checks that {@code selfdistill evaluate} reloads every
 * saved model, reproduces the recorded metrics and names each broken run folder.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluateStudyTest {
    private static final String STUDY =
            """
            name: tiny-evaluate
            data:
              max_images: 600
            training:
              epochs: 1
            methods:
              - name: baseline
              - name: born-again
                generations: 1
            seeds: 1
            """;

    // Static, so that JUnit creates the folder before the class-level setup runs.
    @TempDir static Path temp;
    private Path dataDir;
    private Path study;
    private List<RunResult> recorded;

    /** Uses the prepared data at /tmp/sd-data when it exists, else copies the data mirror. */
    @BeforeAll
    void trainStudy() throws IOException {
        Path prepared = Path.of("/tmp/sd-data");
        if (Files.isDirectory(prepared.resolve("av-mnist"))) {
            dataDir = prepared;
        } else {
            String env = System.getenv(AvMnistData.MIRROR_ENV);
            Path mirror = Path.of(env != null && !env.isBlank() ? env : "../shared/data");
            assertTrue(
                    Files.isDirectory(mirror.resolve("fsdd/recordings")),
                    "the test needs the data mirror at "
                            + mirror.toAbsolutePath()
                            + " (set "
                            + AvMnistData.MIRROR_ENV
                            + ")");
            dataDir = temp.resolve("data");
            AvMnistData.fetch(dataDir, mirror, true, quiet());
        }
        study = temp.resolve("study");
        new StudyRunner(StudyFiles.parse(STUDY, "tiny study"), dataDir, study, quiet()).run();
        recorded = StudyResults.read(study).runs();
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private record Outcome(int status, String err) {}

    private static Outcome evaluate(Path folder, Path data) {
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(quiet());
            int status = Main.execute("evaluate", folder.toString(), "--data", data.toString());
            return new Outcome(status, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
    }

    private static void assertUserError(Outcome outcome, String expected) {
        assertEquals(2, outcome.status(), outcome.err());
        String[] lines = outcome.err().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(
                last.startsWith("error: ") && last.contains(expected),
                "expected '" + expected + "' in: " + last);
        assertFalse(
                outcome.err().contains("\tat "),
                "a user error must not print a stack trace: " + outcome.err());
    }

    /** Copies the trained study, so that a test can damage its copy. */
    private Path copyOfStudy(String name) throws IOException {
        Path copy = temp.resolve(name);
        try (Stream<Path> paths = Files.walk(study)) {
            for (Path path : paths.toList()) {
                Path target = copy.resolve(study.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
        return copy;
    }

    @Test
    void compareWritesEvidenceFiles() throws IOException {
        assertEquals(
                List.of("baseline", "born-again gen 1", "born-again ensemble"),
                recorded.stream().map(RunResult::label).toList());
        Path baseline = study.resolve("runs/baseline/seed-0");
        for (String file :
                List.of(
                        EvidenceFiles.ROBUSTNESS,
                        EvidenceFiles.RELIABILITY,
                        EvidenceFiles.PROJECTION)) {
            assertTrue(Files.isRegularFile(baseline.resolve(file)), file + " is missing");
        }
        assertTrue(
                Files.isRegularFile(
                        study.resolve("runs/born-again-ensemble/seed-0")
                                .resolve(EvidenceFiles.RELIABILITY)));
        RunResult run = recorded.get(0);
        for (String metric :
                List.of(
                        "probe_accuracy_joint",
                        "probe_accuracy_image",
                        "knn_accuracy_audio",
                        "retrieval_audio_to_image_map",
                        "robustness_auc_audio_noise",
                        Metrics.EVALUATION_SECONDS)) {
            assertTrue(Double.isFinite(run.metric(metric)), metric + " is missing");
        }
        String report = Files.readString(study.resolve("report.md"));
        for (String heading :
                List.of(
                        "## Representation quality",
                        "## Cross-modal retrieval",
                        "## Robustness to corrupted and missing inputs",
                        "## Calibration: reliability diagrams",
                        "## Embedding projection")) {
            assertTrue(report.contains(heading), heading + " is missing from the report");
        }
    }

    @Test
    void evaluateReproducesRecordedMetrics() throws IOException {
        Path folder = copyOfStudy("again");
        Files.delete(folder.resolve("runs/baseline/seed-0").resolve(EvidenceFiles.ROBUSTNESS));
        Files.delete(folder.resolve("report.html"));
        Outcome outcome = evaluate(folder, dataDir);
        assertEquals(0, outcome.status(), outcome.err());

        List<RunResult> again = StudyResults.read(folder).runs();
        assertEquals(recorded.size(), again.size());
        for (int i = 0; i < recorded.size(); i++) {
            RunResult before = recorded.get(i);
            RunResult after = again.get(i);
            for (String metric : before.metrics().keySet()) {
                if (!metric.equals(Metrics.EVALUATION_SECONDS)) {
                    assertEquals(
                            before.metric(metric),
                            after.metric(metric),
                            0.0,
                            before.label() + " " + metric);
                }
            }
        }
        assertTrue(
                Files.isRegularFile(
                        folder.resolve("runs/baseline/seed-0").resolve(EvidenceFiles.ROBUSTNESS)));
        assertTrue(Files.isRegularFile(folder.resolve("report.html")));
        assertTrue(
                Files.readString(folder.resolve("report.md")).contains("## Embedding projection"));
    }

    @Test
    void missingParametersAreNamed() throws IOException {
        Path folder = copyOfStudy("no-params");
        Path params = folder.resolve("runs/born-again-gen-1/seed-0/model-0000.params");
        Files.delete(params);
        assertUserError(evaluate(folder, dataDir), params + ": saved parameters not found");
    }

    @Test
    void otherDataAreRejected() throws IOException {
        Path folder = copyOfStudy("other-data");
        Path description = folder.resolve("data.txt");
        List<String> lines = Files.readAllLines(description);
        lines.set(0, lines.get(0).replace("pairs from", "pairs (edited) from"));
        Files.write(description, lines);
        assertUserError(
                evaluate(folder, dataDir), "the data differ from those the study was trained on");
    }

    @Test
    void mismatchedArchitectureIsNamed() throws IOException {
        Path folder = copyOfStudy("other-architecture");
        Path config = folder.resolve("runs/baseline/seed-0/config.json");
        ObjectNode node = (ObjectNode) StudyFiles.json().readTree(config.toFile());
        ((ObjectNode) node.get("model")).put("embedding_size", 32);
        Files.writeString(config, StudyFiles.toJson(node));
        assertUserError(evaluate(folder, dataDir), "do not match the architecture in config.json");
        assertEquals(
                Files.readString(study.resolve("runs.json")),
                Files.readString(folder.resolve("runs.json")),
                "a failed evaluation must leave runs.json as it was");
    }
}
