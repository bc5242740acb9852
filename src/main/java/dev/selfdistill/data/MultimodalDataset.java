package dev.selfdistill.data;

import java.util.Arrays;
import java.util.List;

/**
 * One split of a multimodal classification dataset, held in memory as flat float arrays: one
 * array per modality with {@code size()} samples of {@code shape(m)} values each, a presence
 * mask (1 where the sample has that input) and integer labels.
 *
 * <p>Sample indices ({@code 0..size()-1}) identify samples within the split; methods that store
 * per-sample state (cached teacher logits, previous-epoch predictions) key it by this index.
 */
public final class MultimodalDataset {
    private final List<String> modalities;
    private final List<long[]> shapes;
    private final float[][] inputs;
    private final float[][] presence;
    private final int[] labels;
    private final int numClasses;

    /**
     * Creates a split.
     *
     * @param modalities modality names, for example {@code image} and {@code audio}
     * @param shapes per-sample shape of each modality, for example {@code {1, 28, 28}}
     * @param inputs per modality, {@code labels.length * product(shape)} values, sample-major
     * @param presence per modality, one value per sample: 1 present, 0 missing
     * @param labels class index of every sample
     * @param numClasses number of classes of the whole dataset (not only of this split)
     */
    public MultimodalDataset(
            List<String> modalities,
            List<long[]> shapes,
            float[][] inputs,
            float[][] presence,
            int[] labels,
            int numClasses) {
        if (modalities.size() != shapes.size()
                || modalities.size() != inputs.length
                || modalities.size() != presence.length) {
            throw new IllegalArgumentException(
                    "modalities, shapes, inputs and presence must have one entry per modality");
        }
        for (int m = 0; m < modalities.size(); m++) {
            long expected = (long) labels.length * sampleSize(shapes.get(m));
            if (inputs[m].length != expected) {
                throw new IllegalArgumentException(
                        "modality "
                                + modalities.get(m)
                                + " has "
                                + inputs[m].length
                                + " values, expected "
                                + expected);
            }
            if (presence[m].length != labels.length) {
                throw new IllegalArgumentException(
                        "presence mask of " + modalities.get(m) + " has the wrong length");
            }
        }
        for (int label : labels) {
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException(
                        "label " + label + " outside [0, " + numClasses + ")");
            }
        }
        this.modalities = List.copyOf(modalities);
        this.shapes = List.copyOf(shapes);
        this.inputs = inputs;
        this.presence = presence;
        this.labels = labels;
        this.numClasses = numClasses;
    }

    /** Returns the number of values of one sample with the given shape. */
    public static int sampleSize(long[] shape) {
        long size = 1;
        for (long dimension : shape) {
            size *= dimension;
        }
        return Math.toIntExact(size);
    }

    public int size() {
        return labels.length;
    }

    public List<String> modalities() {
        return modalities;
    }

    public int modalityIndex(String name) {
        int index = modalities.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException(
                    "unknown modality " + name + "; this dataset has " + modalities);
        }
        return index;
    }

    public long[] shape(int modality) {
        return shapes.get(modality).clone();
    }

    public int sampleSize(int modality) {
        return sampleSize(shapes.get(modality));
    }

    /** The flat input array of one modality; callers must not modify it. */
    public float[] inputs(int modality) {
        return inputs[modality];
    }

    /** The presence mask of one modality; callers must not modify it. */
    public float[] presence(int modality) {
        return presence[modality];
    }

    public int label(int sample) {
        return labels[sample];
    }

    public int[] labels() {
        return labels.clone();
    }

    public int numClasses() {
        return numClasses;
    }

    /** Returns a new split holding copies of the given samples, in the given order. */
    public MultimodalDataset subset(int[] indices) {
        int count = indices.length;
        float[][] newInputs = new float[inputs.length][];
        float[][] newPresence = new float[inputs.length][];
        for (int m = 0; m < inputs.length; m++) {
            int size = sampleSize(m);
            newInputs[m] = new float[count * size];
            newPresence[m] = new float[count];
            for (int i = 0; i < count; i++) {
                System.arraycopy(inputs[m], indices[i] * size, newInputs[m], i * size, size);
                newPresence[m][i] = presence[m][indices[i]];
            }
        }
        int[] newLabels = new int[count];
        for (int i = 0; i < count; i++) {
            newLabels[i] = labels[indices[i]];
        }
        return new MultimodalDataset(
                modalities, shapes, newInputs, newPresence, newLabels, numClasses);
    }

    /** Returns a copy whose inputs of one modality are replaced (same shape and sample count). */
    public MultimodalDataset withInputs(int modality, float[] values) {
        float[][] newInputs = Arrays.copyOf(inputs, inputs.length);
        newInputs[modality] = values;
        return new MultimodalDataset(modalities, shapes, newInputs, presence, labels, numClasses);
    }

    /** Returns a copy in which one modality is missing for every sample (its inputs zeroed). */
    public MultimodalDataset withoutModality(int modality) {
        float[][] newInputs = Arrays.copyOf(inputs, inputs.length);
        float[][] newPresence = Arrays.copyOf(presence, presence.length);
        newInputs[modality] = new float[inputs[modality].length];
        newPresence[modality] = new float[labels.length];
        return new MultimodalDataset(
                modalities, shapes, newInputs, newPresence, labels, numClasses);
    }

    /** Returns a copy that keeps only the named modalities, in the given order. */
    public MultimodalDataset onlyModalities(List<String> names) {
        float[][] newInputs = new float[names.size()][];
        float[][] newPresence = new float[names.size()][];
        List<long[]> newShapes = new java.util.ArrayList<>();
        for (int k = 0; k < names.size(); k++) {
            int m = modalityIndex(names.get(k));
            newInputs[k] = inputs[m];
            newPresence[k] = presence[m];
            newShapes.add(shapes.get(m));
        }
        return new MultimodalDataset(names, newShapes, newInputs, newPresence, labels, numClasses);
    }

    /** Counts samples per class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
