package dev.selfdistill.study;

import java.util.List;
import java.util.Map;

/**
 * Outcome of one run: one method (and generation, for born-again) trained with one seed.
 *
 * @param method registry name of the method, for example {@code born-again}
 * @param label the row this run is aggregated under, for example {@code born-again gen 2} or
 *     {@code born-again ensemble}; runs with the same label and different seeds are compared
 * @param seed the run's seed (data order, initialisation, augmentation)
 * @param generation born-again generation, 0 for methods without generations
 * @param metrics final metrics on the splits, keyed by the names in {@link Metrics}
 * @param epochs per-epoch history, empty for derived rows such as an ensemble
 */
public record RunResult(
        String method,
        String label,
        int seed,
        int generation,
        Map<String, Double> metrics,
        List<EpochRecord> epochs) {

    /** Returns the metric, or NaN when this run does not have it. */
    public double metric(String name) {
        Double value = metrics.get(name);
        return value == null ? Double.NaN : value;
    }
}
