package dev.selfdistill.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.cli.Main;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A study on a manifest with image, text (Hugging Face tokens) and tabular inputs, end to end. */
@Tag("slow")
class ManifestStudyTest {
    private static final String[] CLASSES = {"dark", "light"};

    @TempDir Path folder;

    /** Writes 60 rows: a dark or light 8x8 image, a title that differs by class, a price and a brand. */
    private Path writeManifest() throws IOException {
        Random random = new Random(0);
        StringBuilder csv = new StringBuilder("id,label,photo,title,price,brand\n");
        for (int i = 0; i < 60; i++) {
            int label = i % 2;
            BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    image.getRaster().setSample(x, y, 0, label * 160 + random.nextInt(96));
                }
            }
            ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
            String title = label == 0 ? "blue bag" : "red shoes, light";
            csv.append(i).append(',').append(CLASSES[label]).append(',').append(i).append(".png,\"")
                    .append(title).append("\",").append(10 + 20 * label + random.nextInt(5)).append(",b")
                    .append(random.nextInt(3)).append('\n');
        }
        try (InputStream in = getClass().getResourceAsStream("/tokenizers/wordpiece-tiny.json")) {
            Files.copy(in, folder.resolve("tokenizer.json"));
        }
        Path manifest = folder.resolve("items.csv");
        Files.writeString(manifest, csv.toString());
        return manifest;
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void compareThenEvaluateReproduces() throws IOException {
        Path manifest = writeManifest();
        String yaml = """
                name: manifest-study
                dataset: manifest
                manifest:
                  path: %s
                  id: id
                  label: label
                  inputs:
                    - {column: photo, modality: image, size: 8}
                    - {column: title, modality: text, tokenizer_file: tokenizer.json, max_length: 6}
                    - {column: price, modality: tabular, type: numeric}
                    - {column: brand, modality: tabular, type: categorical}
                training:
                  epochs: 1
                methods:
                  - name: baseline
                seeds: 1
                """.formatted(manifest);
        Path study = folder.resolve("study");
        new StudyRunner(StudyFiles.parse(yaml, "manifest study"), folder.resolve("data"), study, quiet()).run();
        List<RunResult> recorded = StudyResults.read(study).runs();
        assertTrue(Files.readString(study.resolve("data.txt")).contains("huggingface tokens"));

        // Evaluation rebuilds the network, whose text embedding is sized from the training split.
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setOut(quiet());
            status = Main.execute("evaluate", study.toString());
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        RunResult before = recorded.get(0);
        RunResult after = StudyResults.read(study).runs().get(0);
        assertEquals(before.metric(Metrics.TEST_ACCURACY), after.metric(Metrics.TEST_ACCURACY), 0.0);
        assertEquals(before.metric("probe_accuracy_joint"), after.metric("probe_accuracy_joint"), 0.0);
    }
}
