package dev.selfdistill.train;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.model.MultimodalNet;
import java.util.stream.IntStream;

/** Runs a network in inference mode (no dropout, BatchNorm running statistics) over a split. */
public final class Inference {
    private static final int CHUNK = 500;

    private Inference() {}

    /**
     * Outputs of a network on every sample of a split, copied out of native memory.
     *
     * @param logits fused logits, [sample][class]
     * @param joint joint embeddings, [sample][dimension]
     * @param embeddings per modality, [modality][sample][dimension]
     * @param modalityLogits per modality head, [modality][sample][class]; empty without heads
     */
    public record Outputs(float[][] logits, float[][] joint, float[][][] embeddings, float[][][] modalityLogits) {}

    /** Runs {@code net} over {@code data} in chunks and returns all outputs. */
    public static Outputs run(MultimodalNet net, MultimodalDataset data, NDManager parent) {
        int count = data.size();
        int modalities = data.modalities().size();
        float[][] logits = new float[count][];
        float[][] joint = new float[count][];
        float[][][] embeddings = new float[modalities][count][];
        float[][][] heads = new float[net.hasModalityHeads() ? modalities : 0][count][];
        for (int start = 0; start < count; start += CHUNK) {
            int end = Math.min(count, start + CHUNK);
            int[] indices = IntStream.range(start, end).toArray();
            try (NDManager manager = parent.newSubManager()) {
                NDList inputs = Batches.inputs(data, indices, manager, null, null);
                ModelOutput output = ModelOutput.of(net.forward(new ParameterStore(manager, false), inputs, false), net);
                copyRows(output.logits().toFloatArray(), logits, start, end);
                copyRows(output.joint().toFloatArray(), joint, start, end);
                for (int m = 0; m < modalities; m++) {
                    copyRows(output.embeddings().get(m).toFloatArray(), embeddings[m], start, end);
                    if (heads.length > 0) {
                        copyRows(output.modalityLogits().get(m).toFloatArray(), heads[m], start, end);
                    }
                }
            }
        }
        return new Outputs(logits, joint, embeddings, heads);
    }

    /** Returns only the fused logits. */
    public static float[][] logits(MultimodalNet net, MultimodalDataset data, NDManager parent) {
        return run(net, data, parent).logits();
    }

    private static void copyRows(float[] flat, float[][] target, int start, int end) {
        int width = flat.length / (end - start);
        for (int i = start; i < end; i++) {
            float[] row = new float[width];
            System.arraycopy(flat, (i - start) * width, row, 0, width);
            target[i] = row;
        }
    }
}
