package dev.selfdistill.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.selfdistill.data.MultimodalDataset;
import java.util.Random;

/** Turns rows of a {@link MultimodalDataset} into network inputs. */
public final class Batches {
    private Batches() {}

    /**
     * Builds {@code [x_0, ..., x_{M-1}, presence]} for the given samples, augmented when {@code
     * augmentation} is not null.
     */
    public static NDList inputs(
            MultimodalDataset data, int[] indices, NDManager manager, Augmentation augmentation, Random random) {
        int count = indices.length;
        int modalities = data.modalities().size();
        float[][] values = new float[modalities][];
        float[] presence = new float[count * modalities];
        long[][] shapes = new long[modalities][];
        for (int m = 0; m < modalities; m++) {
            shapes[m] = data.shape(m);
            values[m] = new float[count * data.sampleSize(m)];
        }
        float[][] sample = new float[modalities][];
        float[] samplePresence = new float[modalities];
        for (int i = 0; i < count; i++) {
            int index = indices[i];
            for (int m = 0; m < modalities; m++) {
                int size = data.sampleSize(m);
                if (sample[m] == null) {
                    sample[m] = new float[size];
                }
                System.arraycopy(data.inputs(m), index * size, sample[m], 0, size);
                samplePresence[m] = data.presence(m)[index];
            }
            if (augmentation != null) {
                augmentation.apply(data.modalities(), shapes, sample, samplePresence, random);
            }
            for (int m = 0; m < modalities; m++) {
                System.arraycopy(sample[m], 0, values[m], i * sample[m].length, sample[m].length);
                presence[i * modalities + m] = samplePresence[m];
            }
        }
        NDList list = new NDList();
        for (int m = 0; m < modalities; m++) {
            list.add(manager.create(values[m], batchShape(count, shapes[m])));
        }
        list.add(manager.create(presence, new Shape(count, modalities)));
        return list;
    }

    /** Returns the labels of the given samples as an int32 array. */
    public static NDArray labels(MultimodalDataset data, int[] indices, NDManager manager) {
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            labels[i] = data.label(indices[i]);
        }
        return manager.create(labels).toType(DataType.INT32, false);
    }

    /** Returns the input shapes of a batch of {@code batchSize} samples. */
    public static Shape[] inputShapes(MultimodalDataset data, int batchSize) {
        int modalities = data.modalities().size();
        Shape[] shapes = new Shape[modalities + 1];
        for (int m = 0; m < modalities; m++) {
            shapes[m] = batchShape(batchSize, data.shape(m));
        }
        shapes[modalities] = new Shape(batchSize, modalities);
        return shapes;
    }

    private static Shape batchShape(int count, long[] sampleShape) {
        long[] dims = new long[sampleShape.length + 1];
        dims[0] = count;
        System.arraycopy(sampleShape, 0, dims, 1, sampleShape.length);
        return new Shape(dims);
    }
}
