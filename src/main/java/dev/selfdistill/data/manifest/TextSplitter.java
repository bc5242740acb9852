package dev.selfdistill.data.manifest;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.selfdistill.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Splits the text of one input into tokens, before {@link TextTokenizer} maps them to ids. Close
 * it when the dataset is loaded, because a Hugging Face tokenizer keeps native memory.
 */
public interface TextSplitter extends AutoCloseable {

    /**
     * Returns the tokens of a text, in order, with null for a token that the splitter itself
     * marks unknown (a Hugging Face tokenizer's {@code unk_token}), which maps to {@link
     * TextTokenizer#UNKNOWN}.
     */
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
        private final String unknownToken;

        private HuggingFace(HuggingFaceTokenizer tokenizer, boolean lowerCase, String unknownToken) {
            this.tokenizer = tokenizer;
            this.lowerCase = lowerCase;
            this.unknownToken = unknownToken;
        }

        /**
         * Returns the model's {@code unk_token}, or null when it has none, as when every byte of
         * the input is in the model's vocabulary.
         *
         * @throws UserError if the file is not JSON or has no {@code model} object
         */
        private static String unknownToken(Path file, String key) {
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(file.toFile());
            } catch (IOException e) {
                throw new UserError(key + ".tokenizer_file " + file + " is not valid JSON (" + firstLine(e)
                        + "); save the tokenizer with tokenizer.save() from the tokenizers library, or use tokenizer: word");
            }
            JsonNode model = root == null ? null : root.get("model");
            if (model == null || !model.isObject()) {
                throw new UserError(key + ".tokenizer_file " + file + " has no \"model\" object, so it is not a "
                        + "Hugging Face tokenizer.json; give the tokenizer.json saved with the model, or use tokenizer: word");
            }
            JsonNode unknown = model.get("unk_token");
            return unknown != null && unknown.isTextual() ? unknown.asText() : null;
        }

        static HuggingFace load(Path file, boolean lowerCase, String key) {
            if (!Files.isRegularFile(file)) {
                throw new UserError(key + ".tokenizer_file " + file + " does not exist or is not a file; "
                        + "give the path of a Hugging Face tokenizer.json (relative paths start at the manifest's folder)");
            }
            String unknownToken = unknownToken(file, key);
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
                return new HuggingFace(tokenizer, lowerCase, unknownToken);
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
            List<String> tokens = new ArrayList<>();
            for (String token : tokenizer.encode(input, false, false).getTokens()) {
                tokens.add(token.equals(unknownToken) ? null : token);
            }
            return tokens;
        }

        @Override
        public void close() {
            tokenizer.close();
        }
    }
}
