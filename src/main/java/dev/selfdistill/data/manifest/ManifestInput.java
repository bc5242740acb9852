package dev.selfdistill.data.manifest;

import dev.selfdistill.UserError;
import dev.selfdistill.data.LogMelSpectrogram;
import java.util.Set;

/**
 * One input column of a manifest and its preprocessing. Keys that do not apply to the input's
 * modality are rejected by {@link #validate}.
 *
 * @param column manifest column holding the input
 * @param modality {@code image}, {@code audio}, {@code text} or {@code tabular}
 * @param name modality name in the network; default: the modality, so that several tabular
 *     columns form the one {@code tabular} modality. Columns of image, audio or text need
 *     distinct names, and a name other than the four modalities needs an entry in {@code
 *     model.encoders}
 * @param required whether an empty cell is a row error instead of a missing input; default false
 * @param size image side length in pixels after resizing; default 28
 * @param channels image channels: 1 (grey) or 3 (RGB); default 1
 * @param tokenizer text tokenizer: {@code word} (words split at non-alphanumeric characters) or
 *     {@code huggingface} (the tokens of {@code tokenizer_file}); default {@code huggingface} when
 *     {@code tokenizer_file} is given, else {@code word}
 * @param tokenizerFile a Hugging Face {@code tokenizer.json}, relative to the manifest's folder;
 *     only with {@code tokenizer: huggingface}
 * @param maxLength text length in tokens after truncation and padding; default 32
 * @param lowerCase whether text is lower-cased before tokenizing; default true for {@code word}
 *     and false for {@code huggingface}, whose file carries its own normaliser
 * @param minCount minimum count in the training split for a word to enter the vocabulary;
 *     default 1
 * @param maxVocabulary maximum number of words kept, the most frequent first; default 20,000
 * @param type tabular column type: {@code numeric} or {@code categorical}
 * @param audio log-mel settings of an audio input; default {@link LogMelSpectrogram.Config#defaults}
 */
public record ManifestInput(
        String column,
        String modality,
        String name,
        Boolean required,
        Integer size,
        Integer channels,
        String tokenizer,
        String tokenizerFile,
        Integer maxLength,
        Boolean lowerCase,
        Integer minCount,
        Integer maxVocabulary,
        String type,
        LogMelSpectrogram.Config audio) {

    static final Set<String> MODALITIES = Set.of("image", "audio", "text", "tabular");

    /** Returns this input with defaults filled in for its modality. */
    public ManifestInput withDefaults() {
        boolean image = "image".equals(modality);
        boolean text = "text".equals(modality);
        // A tokenizer file alone selects the Hugging Face tokenizer, whose file carries its own
        // normaliser, so lower-casing is off by default there.
        String filledTokenizer = tokenizer;
        Boolean filledLowerCase = lowerCase;
        if (text && filledTokenizer == null) {
            filledTokenizer = tokenizerFile != null ? "huggingface" : "word";
        }
        if (text && filledLowerCase == null) {
            filledLowerCase = tokenizerFile == null;
        }
        return new ManifestInput(
                column,
                modality,
                name != null ? name : modality,
                required != null ? required : false,
                size != null ? size : image ? 28 : null,
                channels != null ? channels : image ? 1 : null,
                filledTokenizer,
                tokenizerFile,
                maxLength != null ? maxLength : text ? 32 : null,
                filledLowerCase,
                minCount != null ? minCount : text ? 1 : null,
                maxVocabulary != null ? maxVocabulary : text ? 20000 : null,
                type,
                audio != null ? audio : "audio".equals(modality) ? LogMelSpectrogram.Config.defaults() : null);
    }

    /**
     * Checks the input; {@code key} is its position in the study file, such as {@code
     * manifest.inputs[2]}.
     */
    public void validate(String key) {
        if (column == null || column.isBlank()) {
            throw new UserError(key + ".column is missing; name the manifest column of this input");
        }
        if (modality == null || !MODALITIES.contains(modality)) {
            throw new UserError(key + ".modality has unknown value '" + modality
                    + "'; allowed: audio, image, tabular, text");
        }
        if (!name.matches("[A-Za-z0-9_-]+")) {
            throw new UserError(key + ".name must use only letters, digits, '_' and '-', got '" + name + "'");
        }
        rejectUnless(key, "size", size, "image");
        rejectUnless(key, "channels", channels, "image");
        rejectUnless(key, "tokenizer", tokenizer, "text");
        rejectUnless(key, "tokenizer_file", tokenizerFile, "text");
        rejectUnless(key, "max_length", maxLength, "text");
        rejectUnless(key, "lower_case", lowerCase, "text");
        rejectUnless(key, "min_count", minCount, "text");
        rejectUnless(key, "max_vocabulary", maxVocabulary, "text");
        rejectUnless(key, "type", type, "tabular");
        rejectUnless(key, "audio", audio, "audio");
        switch (modality) {
            case "image" -> {
                if (size < 1 || size > 1024) {
                    throw new UserError(key + ".size must be a side length from 1 to 1024 pixels, got " + size);
                }
                if (channels != 1 && channels != 3) {
                    throw new UserError(key + ".channels must be 1 (grey) or 3 (RGB), got " + channels);
                }
            }
            case "text" -> {
                if (!tokenizer.equals("word") && !tokenizer.equals("huggingface")) {
                    throw new UserError(key + ".tokenizer has unknown value '" + tokenizer
                            + "'; allowed: huggingface (with tokenizer_file), word");
                }
                if (tokenizer.equals("huggingface") && (tokenizerFile == null || tokenizerFile.isBlank())) {
                    throw new UserError(key + ".tokenizer huggingface needs tokenizer_file, the path of a "
                            + "tokenizer.json; add it or use tokenizer: word");
                }
                if (tokenizer.equals("word") && tokenizerFile != null) {
                    throw new UserError(key + ".tokenizer_file applies only to tokenizer: huggingface; "
                            + "remove it or set tokenizer: huggingface");
                }
                if (maxLength < 1) {
                    throw new UserError(key + ".max_length must be a positive number of tokens, got " + maxLength);
                }
                if (minCount < 1) {
                    throw new UserError(key + ".min_count must be a positive count, got " + minCount);
                }
                if (maxVocabulary < 1) {
                    throw new UserError(key + ".max_vocabulary must be a positive count, got " + maxVocabulary);
                }
            }
            case "tabular" -> {
                if (!"numeric".equals(type) && !"categorical".equals(type)) {
                    throw new UserError(key + ".type must be 'numeric' or 'categorical' for a tabular input, got '"
                            + type + "'");
                }
            }
            default -> audio.validate();
        }
    }

    private void rejectUnless(String key, String option, Object value, String allowedModality) {
        if (value != null && !allowedModality.equals(modality)) {
            throw new UserError(key + "." + option + " applies only to " + allowedModality
                    + " inputs, but this input is " + modality + "; remove it");
        }
    }
}
