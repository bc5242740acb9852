package dev.selfdistill.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Named view of what {@link MultimodalNet} returns. The network's {@link NDList} is laid out as
 * {@code [joint, fusedLogits, embedding_0..embedding_{M-1}, modalityLogits_0..(if present),
 * hidden_{0,0}..hidden_{M-1,S-1}, extra heads in declaration order]}.
 *
 * @param joint joint embedding from the fusion, shape (batch, jointSize)
 * @param logits fused classifier logits, shape (batch, classes)
 * @param embeddings per-modality embeddings before masking, each (batch, embeddingSize)
 * @param modalityLogits per-modality classifier logits, empty unless the network has
 *     modality heads
 * @param hidden per modality, the output of every encoder stage, shallowest first
 * @param heads outputs of the extra heads, by {@link HeadSpec#name()}
 */
public record ModelOutput(
        NDArray joint,
        NDArray logits,
        List<NDArray> embeddings,
        List<NDArray> modalityLogits,
        List<List<NDArray>> hidden,
        Map<String, NDArray> heads) {

    /** Parses the output list of {@code net}. */
    public static ModelOutput of(NDList list, MultimodalNet net) {
        int modalities = net.modalities();
        int at = 2;
        List<NDArray> embeddings = List.copyOf(list.subList(at, at + modalities));
        at += modalities;
        List<NDArray> modalityLogits = List.of();
        if (net.hasModalityHeads()) {
            modalityLogits = List.copyOf(list.subList(at, at + modalities));
            at += modalities;
        }
        List<List<NDArray>> hidden = new ArrayList<>();
        for (int m = 0; m < modalities; m++) {
            int stages = net.stageCount(m);
            hidden.add(List.copyOf(list.subList(at, at + stages)));
            at += stages;
        }
        Map<String, NDArray> heads = new LinkedHashMap<>();
        for (HeadSpec spec : net.headSpecs()) {
            heads.put(spec.name(), list.get(at++));
        }
        return new ModelOutput(list.get(0), list.get(1), embeddings, modalityLogits, List.copyOf(hidden), heads);
    }

    /** Returns an extra head's output, failing with the known names when it is absent. */
    public NDArray head(String name) {
        NDArray output = heads.get(name);
        if (output == null) {
            throw new IllegalArgumentException("the network has no head '" + name + "'; heads: " + heads.keySet());
        }
        return output;
    }
}
