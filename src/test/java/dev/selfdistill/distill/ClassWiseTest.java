package dev.selfdistill.distill;

import static dev.selfdistill.distill.LossTermsAssertions.assertTerm;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClassWiseTest {
    private static ClassWise method() {
        return new ClassWise(ClassWise.Settings.from(new MethodParams(ClassWise.NAME, Map.of())));
    }

    @Test
    void lossMatchesHandValueAtDefaults() {
        // Logits of the batch s0 = [1, 2, 3] (label 2), s1 = [0.5, -1, 2] (label 0); partners'
        // logits t0 = [3, 2, 1], t1 = [0, 0, 4]. CE = 1.074459; T^2 KL at T = 4 = 0.924257 (the
        // rows of LossesTest). L = 1.074459 + 1 * 0.924257 = 1.998716.
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {1, 2, 3, 0.5f, -1, 2}, new Shape(2, 3));
            NDArray partners = manager.create(new float[] {3, 2, 1, 0, 0, 4}, new Shape(2, 3));
            NDArray labels = manager.create(new int[] {2, 0});
            LossTerms terms = method().loss(logits, partners, labels);
            assertTerm(terms, "ce", 1.0, 1.0744586306);
            assertTerm(terms, "class_kd", 1.0, 0.9242573153);
            assertEquals(1.9987159459, terms.total().getFloat(), 1e-5);
        }
    }

    @Test
    void samplesAreGroupedByClass() {
        int[][] byClass = ClassWise.samplesByClass(new int[] {1, 0, 1, 2, 1}, 4);
        assertArrayEquals(new int[] {1}, byClass[0]);
        assertArrayEquals(new int[] {0, 2, 4}, byClass[1]);
        assertArrayEquals(new int[] {3}, byClass[2]);
        assertArrayEquals(new int[] {}, byClass[3]);
    }

    @Test
    void partnerHasSameClassAndIsAnotherSample() {
        int[] labels = {1, 0, 1, 2, 1, 0};
        int[][] byClass = ClassWise.samplesByClass(labels, 3);
        Random random = new Random(1);
        int[] indices = {0, 1, 2, 4, 5};
        for (int round = 0; round < 200; round++) {
            int[] partners = ClassWise.partners(indices, labels, byClass, random);
            for (int i = 0; i < indices.length; i++) {
                assertEquals(
                        labels[indices[i]],
                        labels[partners[i]],
                        "partner of " + indices[i] + " has another class");
                assertNotEquals(
                        indices[i],
                        partners[i],
                        "sample " + indices[i] + " was paired with itself");
            }
        }
    }

    @Test
    void partnerDrawCoversEveryClassmate() {
        int[] labels = {1, 1, 1, 1};
        int[][] byClass = ClassWise.samplesByClass(labels, 2);
        Random random = new Random(2);
        Set<Integer> seen = new HashSet<>();
        for (int round = 0; round < 200; round++) {
            seen.add(ClassWise.partners(new int[] {2}, labels, byClass, random)[0]);
        }
        assertEquals(Set.of(0, 1, 3), seen);
    }

    @Test
    void lonelySampleIsItsOwnPartner() {
        int[] labels = {0, 1, 1};
        int[][] byClass = ClassWise.samplesByClass(labels, 2);
        assertArrayEquals(
                new int[] {0}, ClassWise.partners(new int[] {0}, labels, byClass, new Random(3)));
    }

    @Test
    void defaultsAreReferenceCodeValues() {
        ClassWise.Settings settings =
                ClassWise.Settings.from(new MethodParams(ClassWise.NAME, Map.of()));
        assertEquals(4.0, settings.temperature());
        assertEquals(1.0, settings.lambda());
        assertTrue(settings.lambda() > 0);
    }
}
