package dev.selfdistill.data.manifest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.UserError;
import dev.selfdistill.data.MultimodalDataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestDatasetTest {
    @TempDir Path folder;

    private static ManifestInput input(String column, String modality, String type, Boolean required) {
        return new ManifestInput(column, modality, null, required, null, null, null, null, "text".equals(modality) ? 4 : null,
                null, null, null, type, null);
    }

    private ManifestConfig config(Path manifest, List<ManifestInput> inputs) {
        return new ManifestConfig(manifest.toString(), null, "id", "label", "split", inputs, 0, null, null, null, null).withDefaults();
    }

    private List<ManifestInput> allInputs() {
        List<ManifestInput> inputs = new ArrayList<>();
        inputs.add(new ManifestInput("photo", "image", null, null, 4, 1, null, null, null, null, null, null, null, null));
        inputs.add(input("title", "text", null, null));
        inputs.add(input("price", "tabular", "numeric", null));
        inputs.add(input("brand", "tabular", "categorical", null));
        return inputs;
    }

    private void image(String name, int grey) throws IOException {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                image.getRaster().setSample(x, y, 0, grey);
            }
        }
        ImageIO.write(image, "png", folder.resolve(name).toFile());
    }

    /** Writes a valid manifest of six rows (two per split) with the given extra lines appended. */
    private Path manifest(String... extra) throws IOException {
        image("a.png", 0);
        image("b.png", 255);
        StringBuilder text = new StringBuilder("id,label,split,photo,title,price,brand\n");
        text.append("1,shoe,train,a.png,\"red shoe, light\",10,acme\n");
        text.append("2,bag,train,b.png,blue bag,30,zeta\n");
        text.append("3,shoe,validation,a.png,red boot,,acme\n");
        text.append("4,bag,validation,,blue bag,20,zeta\n");
        text.append("5,shoe,test,a.png,unseen words,40,newbrand\n");
        text.append("6,bag,test,b.png,,,\n");
        for (String line : extra) {
            text.append(line).append('\n');
        }
        Path file = folder.resolve("products.csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void loadsEveryModality() throws IOException {
        ManifestDataset.Loaded loaded = ManifestDataset.load(config(manifest(), allInputs()), false);
        MultimodalDataset train = loaded.splits().train();
        assertEquals(List.of("image", "text", "tabular"), train.modalities());
        assertEquals(List.of("bag", "shoe"), loaded.classes());
        assertArrayEquals(new long[] {1, 4, 4}, train.shape(0));
        assertArrayEquals(new long[] {4}, train.shape(1));
        // price (1 feature) + brand: acme, zeta and the "other" slot.
        assertArrayEquals(new long[] {4}, train.shape(2));
        assertEquals(2, train.size());
        assertEquals(2, loaded.splits().validation().size());
        MultimodalDataset validation = loaded.splits().validation();
        assertEquals(0f, validation.presence(0)[1], "empty photo cell is a missing image");
        MultimodalDataset test = loaded.splits().test();
        assertEquals(0f, test.presence(1)[1], "empty text cell is missing text");
        assertEquals(0f, test.presence(2)[1], "all tabular cells empty is missing tabular");
        // Train images are all 0 or all 1, mean 0.5 and sd 0.5, so a black image standardises to -1.
        assertEquals(-1f, train.inputs(0)[0], 1e-5f);
    }

    @Test
    void tabularStatisticsComeFromTrainOnly() throws IOException {
        ManifestDataset.Loaded loaded = ManifestDataset.load(config(manifest(), allInputs()), false);
        MultimodalDataset test = loaded.splits().test();
        // Train prices 10 and 30: mean 20, sd 10. Test price 40 becomes (40 - 20) / 10 = 2.
        assertEquals(2f, test.inputs(2)[0], 1e-6f);
        // Brand "newbrand" never occurs in train, so it takes the other slot (index 3).
        assertArrayEquals(new float[] {2, 0, 0, 1}, java.util.Arrays.copyOfRange(test.inputs(2), 0, 4), 1e-6f);
        // Validation row 3 has no price, so the feature is 0 (the training mean); brand acme is slot 1.
        assertArrayEquals(new float[] {0, 1, 0, 0}, java.util.Arrays.copyOfRange(loaded.splits().validation().inputs(2), 0, 4), 1e-6f);
    }

    @Test
    void tokenizerVocabularyFromTrainOnly() throws IOException {
        ManifestDataset.Loaded loaded = ManifestDataset.load(config(manifest(), allInputs()), false);
        // Train words: red, shoe, light, blue, bag, each once; ids 2..6 in alphabetical order:
        // bag 2, blue 3, light 4, red 5, shoe 6. Test "unseen words" maps to unknown (1), padded.
        float[] test = java.util.Arrays.copyOfRange(loaded.splits().test().inputs(1), 0, 4);
        assertArrayEquals(new float[] {1, 1, 0, 0}, test, 0f);
        float[] validation = java.util.Arrays.copyOfRange(loaded.splits().validation().inputs(1), 0, 4);
        // "red boot": red 5, boot unknown.
        assertArrayEquals(new float[] {5, 1, 0, 0}, validation, 0f);
    }

    @Test
    void wordTokenizerCountsAndTruncates() {
        TextTokenizer tokenizer = TextTokenizer.fit(
                List.of(TextTokenizer.words("A cat, a dog.", true), TextTokenizer.words("the cat", true)), 3, 2, 100);
        // Counted (first 3 words): a 2, cat 2, dog 1, the 1. min_count 2 keeps a (2) and cat (3).
        assertEquals(List.of("a", "cat"), tokenizer.vocabulary());
        assertEquals(4, tokenizer.idCount());
        assertArrayEquals(new float[] {3, 1, 2}, tokenizer.encode(TextTokenizer.words("Cat dog a cat", true)), 0f);
        assertArrayEquals(new float[] {0, 0, 0}, tokenizer.encode(TextTokenizer.words("...", true)), 0f);
    }

    @Test
    void unknownMarkerNeverEntersVocabulary() {
        // Null is the splitter's own unknown token: id 1, however often it occurs in training.
        List<String> tokens = java.util.Arrays.asList("a", null, null);
        TextTokenizer tokenizer = TextTokenizer.fit(List.of(tokens, tokens), 3, 1, 100);
        assertEquals(List.of("a"), tokenizer.vocabulary());
        assertArrayEquals(new float[] {2, 1, 1}, tokenizer.encode(tokens), 0f);
    }

    /** Returns the input of column {@code title}, read with a Hugging Face {@code tokenizer.json}. */
    private ManifestInput huggingFaceTitle(String tokenizerFile) {
        return new ManifestInput("title", "text", null, null, null, null, null, tokenizerFile, 6, null, null, null, null, null)
                .withDefaults();
    }

    private Path wordPieceFile() throws IOException {
        // A WordPiece tokenizer written by hand in the format tokenizers' save() writes: BERT
        // normaliser (lower-casing), BERT pre-tokeniser, a 13-entry vocabulary.
        Path file = folder.resolve("tokenizer.json");
        try (var in = getClass().getResourceAsStream("/tokenizers/wordpiece-tiny.json")) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void huggingFaceTokenizerSplitsIntoSubwords() throws IOException {
        wordPieceFile();
        try (TextSplitter splitter = TextSplitter.forInput(huggingFaceTitle("tokenizer.json"), folder, "manifest.inputs[1]")) {
            // The file's normaliser lower-cases, and "shoes" is shoe + ##s. "!" is not in the
            // vocabulary, so the tokenizer's [UNK] comes back as null, the unknown marker.
            assertEquals(java.util.Arrays.asList("red", "shoe", "##s", ",", "light", null),
                    splitter.tokens("Red shoes, light!"));
            // No [CLS] or [SEP]: special tokens are not added.
            assertEquals(List.of("bo", "##ot"), splitter.tokens("boot"));
        }
    }

    @Test
    void huggingFaceTokensFormTheTrainingVocabulary() throws IOException {
        wordPieceFile();
        List<ManifestInput> inputs = allInputs();
        inputs.set(1, huggingFaceTitle("tokenizer.json"));
        ManifestDataset.Loaded loaded = ManifestDataset.load(config(manifest(), inputs), false);
        // Train tokens: red , light blue bag shoe, each once (the title "red shoe, light"), so ids
        // in token order: "," 2, bag 3, blue 4, light 5, red 6, shoe 7.
        float[] validation = java.util.Arrays.copyOfRange(loaded.splits().validation().inputs(1), 0, 6);
        // "red boot": red 6; bo and ##ot never occur in training, so both are unknown (1).
        assertArrayEquals(new float[] {6, 1, 1, 0, 0, 0}, validation, 0f);
        assertTrue(loaded.splits().description().get(2).contains("huggingface tokens, vocabulary 8 ids"),
                loaded.splits().description().get(2));
    }

    @Test
    void corruptTokenizerFileNamesTheKey() throws IOException {
        Files.writeString(folder.resolve("tokenizer.json"), "{\"model\": {\"type\": \"WordPie");
        UserError error = assertThrows(UserError.class,
                () -> TextSplitter.forInput(huggingFaceTitle("tokenizer.json"), folder, "manifest.inputs[1]"));
        assertNames(error, "manifest.inputs[1].tokenizer_file", "tokenizer.json", "not valid JSON");
        Files.writeString(folder.resolve("tokenizer.json"), "{\"hello\": 1}");
        UserError notTokenizer = assertThrows(UserError.class,
                () -> TextSplitter.forInput(huggingFaceTitle("tokenizer.json"), folder, "manifest.inputs[1]"));
        assertNames(notTokenizer, "manifest.inputs[1].tokenizer_file", "no \"model\" object");
        UserError missing = assertThrows(UserError.class,
                () -> TextSplitter.forInput(huggingFaceTitle("absent.json"), folder, "manifest.inputs[1]"));
        assertNames(missing, "manifest.inputs[1].tokenizer_file", "absent.json", "does not exist");
    }

    @Test
    void csvHandlesQuotesAndMultilineFields() {
        String text = "id,label,note\r\n1,a,\"x, \"\"y\"\"\"\n2,b,\"line\nbreak\"\n3,c,z\n";
        List<ManifestRows.Row> rows = ManifestRows.csv(Path.of("m.csv"), text, 0);
        assertEquals(3, rows.size());
        assertEquals("x, \"y\"", rows.get(0).cell("note"));
        assertEquals("line\nbreak", rows.get(1).cell("note"));
        assertEquals(3, rows.get(1).line());
        assertEquals(5, rows.get(2).line());
    }

    @Test
    void jsonLinesReadNullAsEmpty() {
        String text = "{\"id\": 1, \"label\": \"a\", \"price\": 2.5}\n\n{\"id\": 2, \"label\": \"b\", \"price\": null}\n";
        List<ManifestRows.Row> rows = ManifestRows.jsonLines(Path.of("m.jsonl"), text, 0);
        assertEquals("2.5", rows.get(0).cell("price"));
        assertEquals("", rows.get(1).cell("price"));
        assertEquals(3, rows.get(1).line());
    }

    @Test
    void stratifiedSplitWithoutSplitColumn() throws IOException {
        StringBuilder text = new StringBuilder("id,label,price\n");
        for (int i = 0; i < 40; i++) {
            text.append(i).append(',').append(i % 2 == 0 ? "even" : "odd").append(',').append(i).append('\n');
        }
        Path file = folder.resolve("numbers.csv");
        Files.writeString(file, text);
        ManifestConfig config = new ManifestConfig(file.toString(), null, null, null, null,
                List.of(input("price", "tabular", "numeric", null)), 3, 0.1, 0.2, null, null).withDefaults();
        ManifestDataset.Loaded loaded = ManifestDataset.load(config, false);
        // Per class of 20: round(2) validation, round(4) test, 14 train.
        assertArrayEquals(new int[] {14, 14}, loaded.splits().train().classCounts());
        assertArrayEquals(new int[] {2, 2}, loaded.splits().validation().classCounts());
        assertArrayEquals(new int[] {4, 4}, loaded.splits().test().classCounts());
    }

    private UserError failure(Path manifest, List<ManifestInput> inputs) {
        return assertThrows(UserError.class, () -> ManifestDataset.load(config(manifest, inputs), false));
    }

    private static void assertNames(UserError error, String... parts) {
        for (String part : parts) {
            assertTrue(error.getMessage().contains(part), "'" + part + "' missing from: " + error.getMessage());
        }
    }

    @Test
    void missingFileNamesLineColumnValue() throws IOException {
        UserError error = failure(manifest("7,bag,train,gone.png,x,1,acme"), allInputs());
        assertNames(error, "products.csv:8", "column 'photo'", "value 'gone.png'", "not found", "--skip-invalid");
    }

    @Test
    void corruptImageIsNamed() throws IOException {
        Files.writeString(folder.resolve("bad.png"), "not a png");
        UserError error = failure(manifest("7,bag,train,bad.png,x,1,acme"), allInputs());
        assertNames(error, "products.csv:8", "column 'photo'", "value 'bad.png'", "PNG");
    }

    @Test
    void unreadableImageIsNamed() throws IOException {
        Files.createDirectory(folder.resolve("folder.png"));
        UserError error = failure(manifest("7,bag,train,folder.png,x,1,acme"), allInputs());
        assertNames(error, "products.csv:8", "column 'photo'", "not a readable file");
    }

    @Test
    void labelOnlyInTestIsNamed() throws IOException {
        UserError error = failure(manifest("7,hat,test,a.png,x,1,acme"), allInputs());
        assertNames(error, "products.csv:8", "column 'label'", "value 'hat'", "only in the test split");
    }

    @Test
    void emptyRequiredTextIsNamed() throws IOException {
        List<ManifestInput> inputs = allInputs();
        inputs.set(1, input("title", "text", null, true));
        UserError error = failure(manifest(), inputs);
        assertNames(error, "products.csv:7", "column 'title'", "required");
    }

    @Test
    void nonNumericCellIsNamed() throws IOException {
        UserError error = failure(manifest("7,bag,train,a.png,x,12 EUR,acme"), allInputs());
        assertNames(error, "products.csv:8", "column 'price'", "value '12 EUR'", "not a number");
    }

    @Test
    void duplicateIdIsNamed() throws IOException {
        UserError error = failure(manifest("2,bag,train,a.png,x,1,acme"), allInputs());
        assertNames(error, "products.csv:8", "column 'id'", "value '2'", "duplicate id");
    }

    @Test
    void pathOutsideFolderIsRejected() throws IOException {
        Path outside = folder.resolveSibling(folder.getFileName() + "-outside.png");
        Files.copy(manifest().resolveSibling("a.png"), outside);
        try {
            UserError error = failure(manifest("7,bag,train,../" + outside.getFileName() + ",x,1,acme"), allInputs());
            assertNames(error, "products.csv:8", "column 'photo'", "leaves the manifest's folder", "allow_outside_paths");
            ManifestConfig allowed = new ManifestConfig(folder.resolve("products.csv").toString(), null, "id", "label", "split",
                    allInputs(), 0, null, null, null, true).withDefaults();
            assertEquals(3, ManifestDataset.load(allowed, false).splits().train().size());
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void skipInvalidCountsEveryBadRow() throws IOException {
        Path file = manifest("7,bag,train,gone.png,x,1,acme", "8,bag,train,a.png,x,abc,acme", "2,bag,train,a.png,x,1,acme",
                "9,hat,test,a.png,x,1,acme");
        ManifestDataset.Loaded loaded = ManifestDataset.load(config(file, allInputs()), true);
        assertEquals(4, loaded.skipped().size());
        assertEquals(List.of(8, 9, 10, 11), loaded.skipped().stream().map(ManifestProblem::line).toList());
        assertEquals(2, loaded.splits().train().size());
        assertTrue(loaded.splits().description().get(0).contains("4 invalid rows skipped"));
    }

    @Test
    void tokenizerSettingsAreChecked() {
        ManifestInput unknown = new ManifestInput("title", "text", null, null, null, null, "bpe", null, null, null, null, null, null, null).withDefaults();
        assertNames(assertThrows(UserError.class, () -> unknown.validate("manifest.inputs[0]")),
                "manifest.inputs[0].tokenizer", "'bpe'", "allowed: huggingface");
        ManifestInput noFile = new ManifestInput("title", "text", null, null, null, null, "huggingface", null, null, null, null, null, null, null).withDefaults();
        assertNames(assertThrows(UserError.class, () -> noFile.validate("manifest.inputs[0]")),
                "manifest.inputs[0].tokenizer", "needs tokenizer_file");
        ManifestInput wordWithFile = new ManifestInput("title", "text", null, null, null, null, "word", "t.json", null, null, null, null, null, null).withDefaults();
        assertNames(assertThrows(UserError.class, () -> wordWithFile.validate("manifest.inputs[0]")),
                "manifest.inputs[0].tokenizer_file", "only to tokenizer: huggingface");
        // A tokenizer file alone selects the Hugging Face tokenizer, and its normaliser replaces lower-casing.
        ManifestInput fileOnly = huggingFaceTitle("t.json");
        assertEquals("huggingface", fileOnly.tokenizer());
        assertEquals(false, fileOnly.lowerCase());
    }

    @Test
    void keyOfOtherModalityIsRejected() {
        ManifestInput input = new ManifestInput("title", "text", null, null, 32, null, null, null, null, null, null, null, null, null).withDefaults();
        UserError error = assertThrows(UserError.class, () -> input.validate("manifest.inputs[1]"));
        assertNames(error, "manifest.inputs[1].size", "only to image");
    }
}
