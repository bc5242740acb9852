package dev.selfdistill.data.manifest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A word-level tokenizer with a vocabulary built from training texts.
 *
 * <p>Words are maximal runs of Unicode letters and digits, so punctuation separates words and
 * is dropped. Id 0 is padding and id 1 the unknown word; vocabulary words get ids from 2 in order
 * of decreasing training count, ties broken alphabetically, so the ids do not depend on row
 * order. Only the first {@code maxLength} words of each text are counted, because later words
 * are truncated away and would never be looked up.
 */
public final class WordTokenizer {
    /** Id of padding positions. */
    public static final int PADDING = 0;

    /** Id of words outside the vocabulary. */
    public static final int UNKNOWN = 1;

    private final boolean lowerCase;
    private final int maxLength;
    private final Map<String, Integer> ids;

    private WordTokenizer(boolean lowerCase, int maxLength, Map<String, Integer> ids) {
        this.lowerCase = lowerCase;
        this.maxLength = maxLength;
        this.ids = ids;
    }

    /**
     * Builds the vocabulary from training texts.
     *
     * @param texts the training split's texts
     * @param lowerCase whether to lower-case (root locale) before splitting
     * @param maxLength tokens kept per text
     * @param minCount minimum training count of a vocabulary word
     * @param maxVocabulary maximum number of vocabulary words, the most frequent kept
     */
    public static WordTokenizer fit(List<String> texts, boolean lowerCase, int maxLength, int minCount, int maxVocabulary) {
        Map<String, Integer> counts = new HashMap<>();
        for (String text : texts) {
            List<String> words = words(text, lowerCase);
            for (String word : words.subList(0, Math.min(maxLength, words.size()))) {
                counts.merge(word, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.removeIf(entry -> entry.getValue() < minCount);
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> entry : entries.subList(0, Math.min(maxVocabulary, entries.size()))) {
            ids.put(entry.getKey(), ids.size() + 2);
        }
        return new WordTokenizer(lowerCase, maxLength, ids);
    }

    static List<String> words(String text, boolean lowerCase) {
        String normalised = lowerCase ? text.toLowerCase(Locale.ROOT) : text;
        List<String> words = new ArrayList<>();
        for (String word : normalised.split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    /** Returns the {@code maxLength} ids of a text, padded with {@link #PADDING} at the end. */
    public float[] encode(String text) {
        float[] encoded = new float[maxLength];
        List<String> words = words(text, lowerCase);
        for (int t = 0; t < Math.min(maxLength, words.size()); t++) {
            encoded[t] = ids.getOrDefault(words.get(t), UNKNOWN);
        }
        return encoded;
    }

    /** Returns the number of ids: the vocabulary words plus padding and unknown. */
    public int idCount() {
        return ids.size() + 2;
    }

    /** Returns the vocabulary words in id order, starting at id 2. */
    public List<String> vocabulary() {
        return List.copyOf(ids.keySet());
    }
}
