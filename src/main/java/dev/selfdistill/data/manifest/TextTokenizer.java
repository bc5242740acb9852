package dev.selfdistill.data.manifest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Maps the tokens of a text to ids through a vocabulary built from the training split.
 *
 * <p>Tokens come from a {@link TextSplitter}: whole words ({@link #words}) or the subword tokens
 * of a Hugging Face {@code tokenizer.json}. Id 0 is padding and id 1 the unknown token.
 * Vocabulary tokens get ids from 2 in order of decreasing training count, ties broken by the
 * token's text, so the ids do not depend on row order. Only the first {@code maxLength} tokens of
 * each text are counted, because later tokens are truncated away and would never be looked up.
 *
 * <p>A pretrained tokenizer's own ids are not used directly: a token that never occurs in the
 * training split would keep its randomly initialised embedding row, which is no better than a
 * shared unknown embedding, and the compact vocabulary keeps the embedding table the size of
 * what the data uses.
 */
public final class TextTokenizer {
    /** Id of padding positions. */
    public static final int PADDING = 0;

    /** Id of tokens outside the vocabulary. */
    public static final int UNKNOWN = 1;

    private final int maxLength;
    private final Map<String, Integer> ids;

    private TextTokenizer(int maxLength, Map<String, Integer> ids) {
        this.maxLength = maxLength;
        this.ids = ids;
    }

    /**
     * Builds the vocabulary from the tokens of the training texts.
     *
     * @param texts the training split's texts, each already split into tokens (null for a token
     *     the splitter marked unknown)
     * @param maxLength tokens kept per text
     * @param minCount minimum training count of a vocabulary token
     * @param maxVocabulary maximum number of vocabulary tokens, the most frequent kept
     */
    public static TextTokenizer fit(List<List<String>> texts, int maxLength, int minCount, int maxVocabulary) {
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> tokens : texts) {
            for (String token : tokens.subList(0, Math.min(maxLength, tokens.size()))) {
                // Null is a token the splitter already marked unknown; it never enters the vocabulary.
                if (token != null) {
                    counts.merge(token, 1, Integer::sum);
                }
            }
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.removeIf(entry -> entry.getValue() < minCount);
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> entry : entries.subList(0, Math.min(maxVocabulary, entries.size()))) {
            ids.put(entry.getKey(), ids.size() + 2);
        }
        return new TextTokenizer(maxLength, ids);
    }

    /**
     * Splits a text into words: maximal runs of Unicode letters and digits, so punctuation
     * separates words and is dropped.
     *
     * @param lowerCase whether to lower-case (root locale) before splitting
     */
    public static List<String> words(String text, boolean lowerCase) {
        String normalised = lowerCase ? text.toLowerCase(Locale.ROOT) : text;
        List<String> words = new ArrayList<>();
        for (String word : normalised.split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    /** Returns the {@code maxLength} ids of a token list, padded with {@link #PADDING} at the end. */
    public float[] encode(List<String> tokens) {
        float[] encoded = new float[maxLength];
        for (int t = 0; t < Math.min(maxLength, tokens.size()); t++) {
            String token = tokens.get(t);
            encoded[t] = token == null ? UNKNOWN : ids.getOrDefault(token, UNKNOWN);
        }
        return encoded;
    }

    /** Returns the number of ids: the vocabulary tokens plus padding and unknown. */
    public int idCount() {
        return ids.size() + 2;
    }

    /** Returns the vocabulary tokens in id order, starting at id 2. */
    public List<String> vocabulary() {
        return List.copyOf(ids.keySet());
    }
}
