package dev.selfdistill.study;

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
 */
public record EpochRecord(
        int epoch,
        double trainLoss,
        double trainAccuracy,
        double validationLoss,
        double validationAccuracy,
        double learningRate,
        double samplesPerSecond,
        double seconds) {}
