package dev.selfdistill.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.selfdistill.UserError;
import dev.selfdistill.data.MultimodalDataset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PseudoLabelTest {
    @Test
    void termsMatchHandValues() {
        // Row 0 is labelled (class 2), rows 1 and 2 are unlabelled and row 2 is below the threshold.
        //   CE_0 = -ln softmax([1, 2, 3])_2 = 0.407605964
        //   CE_1 = -(0.2, 0.3, 0.5) . ln softmax([0.5, -1, 2]) = 1.441311297
        // ce = 0.407605964 / 1; pseudo = 1.441311297 / 2 unlabelled rows = 0.720655648.
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {1, 2, 3, 0.5f, -1, 2, 0, 0, 0}, new Shape(3, 3));
            NDArray targets = manager.create(new float[] {0, 0, 1, 0.2f, 0.3f, 0.5f, 0.4f, 0.3f, 0.3f}, new Shape(3, 3));
            NDList terms = PseudoLabel.semiSupervisedTerms(logits, targets, new float[] {1, 0, 0}, new float[] {0, 1, 0});
            assertEquals(0.407605964, terms.get(0).getFloat(), 1e-5);
            assertEquals(0.720655648, terms.get(1).getFloat(), 1e-5);
        }
    }

    @Test
    void batchWithoutLabelsHasZeroLabelledTerm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {1, 2, 3}, new Shape(1, 3));
            NDArray targets = manager.create(new float[] {0.2f, 0.3f, 0.5f}, new Shape(1, 3));
            NDList terms = PseudoLabel.semiSupervisedTerms(logits, targets, new float[] {0}, new float[] {1});
            assertEquals(0, terms.get(0).getFloat(), 0);
        }
    }

    @Test
    void softTargetsUseTemperature() {
        // softmax([0, ln 3] / 1) = [0.25, 0.75]; at T = 2, softmax([0, ln 3 / 2]) = [0.366025, 0.633975].
        float[][] logits = {{0, (float) Math.log(3)}};
        assertArrayEquals(new float[] {0.25f, 0.75f}, PseudoLabel.softTargets(logits, 1)[0], 1e-6f);
        assertArrayEquals(new float[] {0.3660254f, 0.6339746f}, PseudoLabel.softTargets(logits, 2)[0], 1e-6f);
    }

    @Test
    void subsetIsStratified() {
        // Classes of 10, 20 and 5 samples at fraction 0.1 keep max(1, round(1, 2, 0.5)) = 1, 2, 1.
        int[] labels = new int[35];
        for (int i = 0; i < 35; i++) {
            if (i < 10) {
                labels[i] = 0;
            } else if (i < 30) {
                labels[i] = 1;
            } else {
                labels[i] = 2;
            }
        }
        int[] chosen = LabeledSubset.stratified(labels, 3, 0.1, 7);
        int[] perClass = new int[3];
        for (int index : chosen) {
            perClass[labels[index]]++;
        }
        assertArrayEquals(new int[] {1, 2, 1}, perClass);
        for (int i = 1; i < chosen.length; i++) {
            assertTrue(chosen[i - 1] < chosen[i], "indices must be sorted and distinct");
        }
        assertArrayEquals(chosen, LabeledSubset.stratified(labels, 3, 0.1, 7), "same seed, same subset");
    }

    @Test
    void labeledOnlyRepeatsTheSameSubset() {
        MultimodalDataset data = SyntheticData.dataset(40, 1);
        LabeledOnly method = new LabeledOnly(LabeledOnly.Settings.from(new MethodParams(LabeledOnly.NAME, Map.of("labeled_fraction", 0.25))));
        MultimodalDataset subset = method.trainingData(data, 5);
        int[] expected = LabeledSubset.stratified(data.labels(), data.numClasses(), 0.25, 5);
        // 4 classes of 10 samples at 0.25: round(2.5) = 3 each, so 12 labels, seen round(1 / 0.25) = 4
        // times per epoch.
        assertEquals(12, expected.length);
        assertEquals(48, subset.size());
        for (int i = 0; i < subset.size(); i++) {
            assertEquals(data.label(expected[i % 12]), subset.label(i), "sample " + i);
        }
    }

    @Test
    void subsetRepeatsCanBeSet() {
        MultimodalDataset data = SyntheticData.dataset(40, 1);
        Map<String, Object> parameters = Map.of("labeled_fraction", 0.25, "subset_repeats", 1);
        LabeledOnly method = new LabeledOnly(LabeledOnly.Settings.from(new MethodParams(LabeledOnly.NAME, parameters)));
        assertEquals(12, method.trainingData(data, 5).size());
    }

    @Test
    void repeatsDefaultToInverseFraction() {
        // round(1 / 0.1) = 10, round(1 / 0.3) = 3, round(1 / 1) = 1; an explicit value wins.
        assertEquals(10, new LabeledSubset.Settings(0.1, 0).effectiveRepeats());
        assertEquals(3, new LabeledSubset.Settings(0.3, 0).effectiveRepeats());
        assertEquals(1, new LabeledSubset.Settings(1, 0).effectiveRepeats());
        assertEquals(2, new LabeledSubset.Settings(0.1, 2).effectiveRepeats());
        assertArrayEquals(new int[] {4, 7, 4, 7}, LabeledSubset.repeated(new int[] {4, 7}, 2));
    }

    @Test
    void fractionMustBePositive() {
        UserError zero = assertThrows(UserError.class, () -> Methods.plan(PseudoLabel.NAME, Map.of("labeled_fraction", 0)));
        assertTrue(zero.getMessage().contains("methods.pseudo-label.labeled_fraction must be above 0"), zero.getMessage());
        UserError large = assertThrows(UserError.class, () -> Methods.plan(LabeledOnly.NAME, Map.of("labeled_fraction", 1.5)));
        assertTrue(large.getMessage().contains("methods.labeled-only.labeled_fraction"), large.getMessage());
    }
}
