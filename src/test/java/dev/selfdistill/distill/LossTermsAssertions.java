package dev.selfdistill.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

/** Checks on the named terms of a {@link LossTerms}, shared by the method tests. */
final class LossTermsAssertions {
    private LossTermsAssertions() {}

    /** Asserts that the term {@code name} has the given weight and value. */
    static void assertTerm(LossTerms terms, String name, double weight, double value) {
        LossTerms.Term term = find(terms.terms(), name);
        assertEquals(weight, term.weight(), 1e-12, name + " weight");
        assertEquals(value, term.value().getFloat(), 1e-5, name + " value");
    }

    private static LossTerms.Term find(List<LossTerms.Term> terms, String name) {
        for (LossTerms.Term term : terms) {
            if (term.name().equals(name)) {
                return term;
            }
        }
        throw new AssertionError(
                "no loss term '"
                        + name
                        + "' among "
                        + terms.stream().map(LossTerms.Term::name).toList());
    }
}
