package dev.selfdistill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes in the user's input end in one error line, exit status 2 and no output folder. */
class CliErrorsTest {
    @TempDir Path temp;

    private record Outcome(int status, String err) {}

    private Outcome run(String... args) {
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            int status = Main.execute(args);
            return new Outcome(status, err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
    }

    private Path study(String yaml) throws IOException {
        return Files.writeString(temp.resolve("study.yaml"), yaml);
    }

    private void assertUserError(Outcome outcome, String expected) {
        assertEquals(2, outcome.status(), outcome.err());
        String[] lines = outcome.err().strip().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("error: "), outcome.err());
        assertTrue(last.contains(expected), "expected '" + expected + "' in: " + last);
        assertFalse(outcome.err().contains("\tat "), "a user error must not print a stack trace: " + outcome.err());
    }

    @Test
    void missingStudyFile() {
        assertUserError(run("compare", temp.resolve("absent.yaml").toString()), "study file not found");
    }

    @Test
    void unknownMethodName() throws IOException {
        Path file = study("methods:\n  - name: baseline\n  - name: born-twice\n");
        assertUserError(run("compare", file.toString(), "--data", temp.toString()), "unknown method 'born-twice'");
    }

    @Test
    void negativeTemperature() throws IOException {
        Path file = study("methods:\n  - name: born-again\n    temperature: -2\n");
        assertUserError(run("compare", file.toString(), "--data", temp.toString()), "methods.born-again.temperature must be positive");
    }

    @Test
    void misspelledMethodParameter() throws IOException {
        Path file = study("methods:\n  - name: ema-teacher\n    momentun: 0.9\n");
        assertUserError(run("compare", file.toString(), "--data", temp.toString()), "methods.ema-teacher.momentun is not a parameter");
    }

    @Test
    void unknownStudyKey() throws IOException {
        Path file = study("training:\n  epoch: 3\n");
        assertUserError(run("compare", file.toString(), "--data", temp.toString()), "unknown key 'training.epoch'");
    }

    @Test
    void invalidTrainingValue() throws IOException {
        Path file = study("training:\n  batch_size: 1\n");
        assertUserError(run("compare", file.toString(), "--data", temp.toString()), "training.batch_size must be at least 2");
    }

    @Test
    void missingDataNamesFetchCommand() throws IOException {
        Path output = temp.resolve("out");
        Outcome outcome = run("compare", "--quick", "--no-fetch", "--data", temp.resolve("empty").toString(), "--output", output.toString());
        assertUserError(outcome, "selfdistill data fetch av-mnist");
        assertFalse(Files.exists(output), "no output folder may be left after a failure");
    }

    @Test
    void corruptImageFileIsNamed() throws IOException {
        Path mnist = Files.createDirectories(temp.resolve("data/av-mnist/mnist"));
        Files.createDirectories(temp.resolve("data/av-mnist/fsdd/recordings"));
        Files.write(mnist.resolve("images-idx3-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
        Files.write(mnist.resolve("labels-idx1-ubyte.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
        Path output = temp.resolve("out");
        Outcome outcome = run("compare", "--quick", "--no-fetch", "--data", temp.resolve("data").toString(), "--output", output.toString());
        assertEquals(2, outcome.status(), outcome.err());
        assertTrue(outcome.err().contains("images-idx3-ubyte.gz") || outcome.err().contains("labels-idx1-ubyte.gz") || outcome.err().contains("recordings"), outcome.err());
        assertFalse(Files.exists(output));
    }

    @Test
    void existingOutputFolderIsRejected() throws IOException {
        Path output = Files.createDirectories(temp.resolve("taken"));
        Path file = study("seeds: 1\n");
        assertUserError(run("compare", file.toString(), "--no-fetch", "--data", temp.toString(), "--output", output.toString()), "already exists");
    }

    @Test
    void unknownDatasetToFetch() {
        assertUserError(run("data", "fetch", "imagenet", "--data", temp.toString()), "unknown dataset 'imagenet'");
    }

    @Test
    void reportOfNonStudyFolder() {
        assertUserError(run("report", temp.toString()), "not a study folder");
    }
}
