package dev.selfdistill.data.manifest;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.selfdistill.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits the text of one input into tokens, before {@link TextTokenizer} maps them to ids. Close
 * it when the dataset is loaded, because a Hugging Face tokenizer keeps native memory.
 */
public interface TextSplitter extends AutoCloseable {

    /** Returns the tokens of a text, in order. */
    List<String> tokens(String text);

    @Override
    default void close() {}

    /**
     * Returns the splitter that an input's {@code tokenizer} names: words, or the tokens of its Hugging Face {@code
     * tokenizer.json}, resolved against {@code folder} when relative.
     *
     * @param key the input's position in the study file, for error messages
     * @throws UserError if the tokenizer file is missing or is not a tokenizer the library reads
     */
    static TextSplitter forInput(ManifestInput input, Path folder, String key) {
        if (input.tokenizer().equals("word")) {
            boolean lowerCase = input.lowerCase();
            return text -> TextTokenizer.words(text, lowerCase);
        }
        return HuggingFace.load(folder.resolve(input.tokenizerFile()).normalize(), input.lowerCase(), key);
    }

    /**
     * The tokens of a Hugging Face {@code tokenizer.json}, through DJL's binding of the Rust
     * {@code tokenizers} library. The file's normaliser, pre-tokeniser and model apply. Special
     * tokens such as {@code [CLS]} are not added, because the text encoders pool over the tokens
     * and a constant token carries no information about the sample.
     */
    final class HuggingFace implements TextSplitter {
        private final HuggingFaceTokenizer tokenizer;
        private final boolean lowerCase;

        private HuggingFace(HuggingFaceTokenizer tokenizer, boolean lowerCase) {
            this.tokenizer = tokenizer;
            this.lowerCase = lowerCase;
        }

        static HuggingFace load(Path file, boolean lowerCase, String key) {
            if (!Files.isRegularFile(file)) {
                throw new UserError(key + ".tokenizer_file " + file + " does not exist or is not a file; "
                        + "give the path of a Hugging Face tokenizer.json (relative paths start at the manifest's folder)");
            }
            // The native library ships inside the tokenizers jar; offline mode stops DJL from
            // looking for a GPU build of it on the network.
            if (System.getProperty("ai.djl.offline") == null) {
                System.setProperty("ai.djl.offline", "true");
            }
            try {
                // The file's own truncation and padding settings are turned off: TextTokenizer
                // cuts and pads every text to max_length with its own padding id.
                HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file, Map.of(
                        "truncation", "false", "padding", "false", "addSpecialTokens", "false"));
                return new HuggingFace(tokenizer, lowerCase);
            } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
                throw new UserError(key + ".tokenizer_file " + file + " could not be read as a Hugging Face "
                        + "tokenizer.json (" + firstLine(e) + "); save it with tokenizer.save() from the "
                        + "tokenizers library, or use tokenizer: word");
            }
        }

        private static String firstLine(Throwable e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return message.lines().findFirst().orElse(message).strip();
        }

        @Override
        public List<String> tokens(String text) {
            String input = lowerCase ? text.toLowerCase(Locale.ROOT) : text;
            return Arrays.asList(tokenizer.encode(input, false, false).getTokens());
        }

        @Override
        public void close() {
            tokenizer.close();
        }
    }
}
