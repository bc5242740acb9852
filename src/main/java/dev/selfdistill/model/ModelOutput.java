package dev.selfdistill.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;

/**
 * Named view of what {@link MultimodalNet} returns. The network's {@link NDList} is laid out as
 * {@code [joint, fusedLogits, embedding_0..embedding_{M-1}, modalityLogits_0..(if present)]}.
 *
 * @param joint joint embedding from the fusion, shape (batch, jointSize)
 * @param logits fused classifier logits, shape (batch, classes)
 * @param embeddings per-modality embeddings before masking, each (batch, embeddingSize)
 * @param modalityLogits per-modality classifier logits, empty unless the network has
 *     modality heads
 */
public record ModelOutput(
        NDArray joint, NDArray logits, List<NDArray> embeddings, List<NDArray> modalityLogits) {

    /** Parses the network's output list for a network with {@code modalities} inputs. */
    public static ModelOutput of(NDList list, int modalities) {
        List<NDArray> embeddings = list.subList(2, 2 + modalities);
        List<NDArray> heads =
                list.size() >= 2 + 2 * modalities
                        ? list.subList(2 + modalities, 2 + 2 * modalities)
                        : List.of();
        return new ModelOutput(list.get(0), list.get(1), List.copyOf(embeddings), List.copyOf(heads));
    }
}
