package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A frozen teacher's logits on every sample of the training split, computed once on clean inputs
 * and kept on the heap, so each step only copies the batch's rows instead of running the teacher.
 */
public final class TeacherLogits {
    private final float[][] logits;

    /** @param logits [sample][class], by index in the training split */
    public TeacherLogits(float[][] logits) {
        this.logits = logits;
    }

    public int size() {
        return logits.length;
    }

    /** Returns the rows of the given samples as a (batch, classes) array in {@code manager}. */
    public NDArray lookup(int[] indices, NDManager manager) {
        int classes = logits[0].length;
        float[] rows = new float[indices.length * classes];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(logits[indices[i]], 0, rows, i * classes, classes);
        }
        return manager.create(rows, new Shape(indices.length, classes));
    }
}
