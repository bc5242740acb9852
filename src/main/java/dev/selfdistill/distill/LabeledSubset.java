package dev.selfdistill.distill;

import dev.selfdistill.UserError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The stratified labelled part of a training split for semi-supervised runs: from each class c
 * with n_c samples, {@code max(1, round(fraction * n_c))} samples drawn without replacement with
 * {@code new Random(seed)}, so {@link PseudoLabel} and {@link LabeledOnly} of the same seed see
 * the same labels.
 *
 * <p>A network trained on the subset alone sees the subset {@code repeats} times per epoch, by
 * default {@code round(1 / fraction)}. It then takes about as many optimizer steps as a baseline
 * run of the study's epochs over the whole split. Without the repeats, a 10% subset would get a
 * tenth of the steps, and in a 4-epoch study its network stayed near chance (13% test accuracy on
 * AV-MNIST with 139 labels).
 */
public final class LabeledSubset {
    /**
     * The settings {@code labeled_fraction} (default 0.1, in (0, 1]) and {@code subset_repeats}
     * (default 0, which means {@code round(1 / labeled_fraction)}).
     */
    public record Settings(double fraction, int repeats) {
        /** Reads both settings; the caller checks for unknown keys. */
        public static Settings from(MethodParams params) {
            double fraction = params.number("labeled_fraction", 0.1, 0, 1);
            if (fraction == 0) {
                throw new UserError(
                        "methods." + params.method() + ".labeled_fraction must be above 0, because a run needs labelled samples; got 0");
            }
            return new Settings(fraction, params.integer("subset_repeats", 0, 0, 10_000));
        }

        /** Returns how often a subset-only network sees the subset per epoch. */
        public int effectiveRepeats() {
            return repeats > 0 ? repeats : Math.max(1, (int) Math.round(1 / fraction));
        }
    }

    private LabeledSubset() {}

    /**
     * Returns the sorted indices of the labelled samples.
     *
     * @param labels class of every sample of the split
     * @param numClasses number of classes; a class without samples contributes none
     * @param fraction share of each class to keep, in (0, 1]
     * @param seed the run's seed
     */
    public static int[] stratified(int[] labels, int numClasses, double fraction, int seed) {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction must be in (0, 1], got " + fraction);
        }
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < numClasses; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < labels.length; i++) {
            byClass.get(labels[i]).add(i);
        }
        Random random = new Random(seed);
        List<Integer> chosen = new ArrayList<>();
        for (List<Integer> members : byClass) {
            if (members.isEmpty()) {
                continue;
            }
            Collections.shuffle(members, random);
            int keep = Math.max(1, (int) Math.round(fraction * members.size()));
            chosen.addAll(members.subList(0, keep));
        }
        int[] indices = chosen.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(indices);
        return indices;
    }

    /** Returns {@code indices} concatenated {@code times} times. */
    public static int[] repeated(int[] indices, int times) {
        int[] result = new int[indices.length * times];
        for (int copy = 0; copy < times; copy++) {
            System.arraycopy(indices, 0, result, copy * indices.length, indices.length);
        }
        return result;
    }

    /** Returns a mask of length {@code size} that is true at the given indices. */
    public static boolean[] mask(int size, int[] indices) {
        boolean[] mask = new boolean[size];
        for (int index : indices) {
            mask[index] = true;
        }
        return mask;
    }
}
