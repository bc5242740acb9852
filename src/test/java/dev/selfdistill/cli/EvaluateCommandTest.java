package dev.selfdistill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes in the arguments of {@code selfdistill evaluate} end in one error line. */
class EvaluateCommandTest {
    @TempDir Path temp;

    private static String errorOf(String... args) {
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(Main.USER_ERROR, Main.execute(args), err.toString(StandardCharsets.UTF_8));
            return err.toString(StandardCharsets.UTF_8).strip();
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
    }

    @Test
    void missingStudyFolder() {
        Path absent = temp.resolve("absent");
        String error = errorOf("evaluate", absent.toString(), "--data", temp.toString());
        assertEquals(
                "error: "
                        + absent
                        + ": study folder not found; pass a folder written by `selfdistill"
                        + " compare`",
                error);
    }

    @Test
    void folderThatIsNoStudy() {
        String error = errorOf("evaluate", temp.toString(), "--data", temp.toString());
        assertTrue(error.startsWith("error: ") && error.contains("not a study folder"), error);
        assertFalse(error.contains("\tat "), error);
    }
}
