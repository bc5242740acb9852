package dev.selfdistill.study;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metrics of one training epoch, written as one JSON line per epoch in a run's {@code
 * epochs.jsonl}.
 *
 * @param epoch epoch number, starting at 1
 * @param trainLoss mean total loss of the method over the epoch's batches
 * @param trainAccuracy accuracy of the fused head on the augmented training batches
 * @param validationLoss cross-entropy of the fused head on the validation split
 * @param validationAccuracy accuracy of the fused head on the validation split, in [0, 1]
 * @param learningRate learning rate at the end of the epoch
 * @param samplesPerSecond training throughput over the epoch (forward, backward and step)
 * @param seconds wall time of the epoch including validation
 * @param extra method-specific diagnostics of the epoch by name, for example the teacher entropy
 *     of a label-free method. Most methods have none, and an empty map is left out of the JSON.
 */
public record EpochRecord(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        double validationLoss,
        double validationAccuracy,
        double learningRate,
        double samplesPerSecond,
        double seconds,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Double> extra) {

    /** Copies {@code extra} in its order; a null map (a line written without it) is empty. */
    public EpochRecord {
        extra = extra == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    /** Builds a record without method-specific diagnostics. */
    public EpochRecord(
            int epoch,
            double trainLoss,
            double trainAccuracy,
            double validationLoss,
            double validationAccuracy,
            double learningRate,
            double samplesPerSecond,
            double seconds) {
        this(epoch, trainLoss, trainAccuracy, validationLoss, validationAccuracy, learningRate, samplesPerSecond, seconds, Map.of());
    }
}
