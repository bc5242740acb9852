package dev.selfdistill.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.model.MultimodalNet;
import dev.selfdistill.train.Inference;
import java.util.ArrayList;
import java.util.List;

/**
 * Fused logits of a split in which one modality changes, computed from the clean embeddings of the
 * other modalities, so that only the changed modality's encoder runs. A corrupted input runs
 * through its own encoder. A missing modality needs no encoder at all, because the network
 * multiplies its embedding by a presence of 0. The results equal those of a full forward pass on
 * the changed split, which {@link #checkAgainstForward} confirms for each network.
 */
final class FusedInference {
    private static final int CHUNK = 500;

    private FusedInference() {}

    /**
     * Returns the fused logits with modality {@code modality}'s inputs replaced by {@code values}
     * (same layout as {@link MultimodalDataset#inputs}). With {@code reuse} only that modality's
     * encoder runs and the other modalities keep their clean embeddings, else the whole network
     * runs on the changed split.
     *
     * @param clean the network's outputs on the unchanged split
     * @param reuse whether {@link #matchesForward} holds for this network
     */
    static float[][] withInput(
            MultimodalNet net,
            MultimodalDataset split,
            Inference.Outputs clean,
            int modality,
            float[] values,
            boolean reuse,
            NDManager parent) {
        if (!reuse) {
            return Inference.logits(net, split.withInputs(modality, values), parent);
        }
        return run(net, split, clean, modality, values, false, split.size(), parent);
    }

    /**
     * Returns the fused logits with {@code modality} missing for every sample, from the clean
     * embeddings with {@code reuse}, else from a full forward pass.
     */
    static float[][] without(
            MultimodalNet net,
            MultimodalDataset split,
            Inference.Outputs clean,
            int modality,
            boolean reuse,
            NDManager parent) {
        if (!reuse) {
            return Inference.logits(net, split.withoutModality(modality), parent);
        }
        return run(net, split, clean, modality, null, true, split.size(), parent);
    }

    /**
     * Returns whether the fused logits computed from the clean embeddings of the split's first
     * chunk equal the full forward pass's logits, to within 1e-4 of the largest logit's magnitude.
     * They differ only when the network's forward pass no longer matches {@link
     * MultimodalNet#fusedLogits}.
     */
    static boolean matchesForward(
            MultimodalNet net, MultimodalDataset split, Inference.Outputs clean, NDManager parent) {
        int count = Math.min(CHUNK, split.size());
        float[][] fused = run(net, split, clean, -1, null, false, count, parent);
        double largest = 0;
        double difference = 0;
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < fused[i].length; c++) {
                largest = Math.max(largest, Math.abs(clean.logits()[i][c]));
                difference = Math.max(difference, Math.abs(fused[i][c] - clean.logits()[i][c]));
            }
        }
        return difference <= 1e-4 * Math.max(1, largest);
    }

    /**
     * Runs the fusion over the first {@code count} samples. {@code modality} is the changed
     * modality (-1 for none); with {@code missing} its presence is 0, else its embedding comes from
     * encoding {@code values}.
     */
    private static float[][] run(
            MultimodalNet net,
            MultimodalDataset split,
            Inference.Outputs clean,
            int modality,
            float[] values,
            boolean missing,
            int count,
            NDManager parent) {
        int modalities = split.modalities().size();
        float[][] logits = new float[count][];
        for (int start = 0; start < count; start += CHUNK) {
            int end = Math.min(count, start + CHUNK);
            int rows = end - start;
            try (NDManager manager = parent.newSubManager()) {
                ParameterStore store = new ParameterStore(manager, false);
                List<NDArray> embeddings = new ArrayList<>();
                float[] presence = new float[rows * modalities];
                for (int m = 0; m < modalities; m++) {
                    if (m == modality && values != null) {
                        embeddings.add(
                                net.encode(
                                        store,
                                        m,
                                        inputChunk(split, m, values, start, end, manager),
                                        false));
                    } else {
                        embeddings.add(rowsChunk(clean.embeddings()[m], start, end, manager));
                    }
                    for (int i = 0; i < rows; i++) {
                        boolean absent = missing && m == modality;
                        presence[i * modalities + m] = absent ? 0 : split.presence(m)[start + i];
                    }
                }
                NDArray mask = manager.create(presence, new Shape(rows, modalities));
                float[] flat = net.fusedLogits(store, embeddings, mask, false).toFloatArray();
                int classes = flat.length / rows;
                for (int i = 0; i < rows; i++) {
                    float[] row = new float[classes];
                    System.arraycopy(flat, i * classes, row, 0, classes);
                    logits[start + i] = row;
                }
            }
        }
        return logits;
    }

    private static NDArray inputChunk(
            MultimodalDataset split,
            int modality,
            float[] values,
            int start,
            int end,
            NDManager manager) {
        int size = split.sampleSize(modality);
        float[] chunk = new float[(end - start) * size];
        System.arraycopy(values, start * size, chunk, 0, chunk.length);
        long[] sample = split.shape(modality);
        long[] dims = new long[sample.length + 1];
        dims[0] = end - start;
        System.arraycopy(sample, 0, dims, 1, sample.length);
        return manager.create(chunk, new Shape(dims));
    }

    private static NDArray rowsChunk(float[][] rows, int start, int end, NDManager manager) {
        int width = rows[start].length;
        float[] chunk = new float[(end - start) * width];
        for (int i = start; i < end; i++) {
            System.arraycopy(rows[i], 0, chunk, (i - start) * width, width);
        }
        return manager.create(chunk, new Shape(end - start, width));
    }
}
