package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * A weighted sum of named scalar loss terms, so that every method's objective reads as written in
 * its paper (for example {@code (1 - alpha) CE + alpha T^2 KL}) and each term is logged separately.
 */
public final class LossTerms {
    /** One term: {@code weight * value}. */
    public record Term(String name, double weight, NDArray value) {}

    private final List<Term> terms = new ArrayList<>();

    /** Adds {@code weight * value}; a term of weight 0 is logged but left out of the total. */
    public LossTerms add(String name, double weight, NDArray value) {
        terms.add(new Term(name, weight, value));
        return this;
    }

    public List<Term> terms() {
        return List.copyOf(terms);
    }

    /** Returns the weighted sum of the terms. */
    public NDArray total() {
        if (terms.isEmpty()) {
            throw new IllegalStateException("a method returned no loss term");
        }
        NDArray sum = null;
        for (Term term : terms) {
            if (term.weight() == 0) {
                continue;
            }
            NDArray weighted = term.value().mul((float) term.weight());
            sum = sum == null ? weighted : sum.add(weighted);
        }
        return sum != null ? sum : terms.get(0).value().mul(0);
    }
}
