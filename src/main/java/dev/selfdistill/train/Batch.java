package dev.selfdistill.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * One training batch. All arrays belong to {@code manager}, which the training loop closes after
 * the step, so methods may create temporaries freely.
 *
 * @param inputs the student's inputs, augmented: {@code [x_0, ..., x_{M-1}, presence]}
 * @param cleanInputs the same samples without augmentation, for teachers
 * @param labels class indices, shape (batch), int32
 * @param indices each sample's index in the training split
 * @param manager the batch's manager
 */
public record Batch(NDList inputs, NDList cleanInputs, NDArray labels, int[] indices, NDManager manager) {
    public int size() {
        return indices.length;
    }
}
