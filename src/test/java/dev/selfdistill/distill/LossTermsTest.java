package dev.selfdistill.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class LossTermsTest {
    @Test
    void totalIsWeightedSum() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossTerms terms = new LossTerms().add("ce", 0.7, manager.create(2f)).add("kd", 0.3, manager.create(10f));
            assertEquals(0.7 * 2 + 0.3 * 10, terms.total().getFloat(), 1e-6);
            assertEquals(2, terms.terms().size());
        }
    }

    @Test
    void zeroWeightTermIsLoggedNotAdded() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LossTerms terms = new LossTerms().add("ce", 1, manager.create(2f)).add("kd", 0, manager.create(10f));
            assertEquals(2f, terms.total().getFloat(), 1e-6);
            assertEquals(2, terms.terms().size());
        }
    }
}
