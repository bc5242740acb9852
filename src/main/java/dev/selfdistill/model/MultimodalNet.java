package dev.selfdistill.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A late-fusion multimodal classifier: one encoder per modality, a fusion module over the
 * concatenated embeddings, and a classifier head on the joint embedding.
 *
 * <p>Input: {@code [x_0, ..., x_{M-1}, presence]} where {@code presence} has shape (batch, M) with 1
 * where the sample has modality m. A missing modality's embedding is multiplied by 0 before the
 * fusion, so the fused prediction never depends on the content of a missing input. Output: see
 * {@link ModelOutput}. Optional per-modality heads (a linear classifier on each modality's
 * embedding) exist only when a method trains them, so a baseline's parameter count is honest.
 */
public final class MultimodalNet extends AbstractBlock {
    private final int modalities;
    private final int numClasses;
    private final boolean modalityHeads;
    private final List<Block> encoders = new ArrayList<>();
    private final Block fusion;
    private final Block head;
    private final List<Block> heads = new ArrayList<>();

    /**
     * Builds the network.
     *
     * @param config architecture
     * @param modalityNames modality names in input order
     * @param numClasses number of classes
     * @param modalityHeads whether to add a classifier head per modality
     */
    public MultimodalNet(ModelConfig config, List<String> modalityNames, int numClasses, boolean modalityHeads) {
        this.modalities = modalityNames.size();
        this.numClasses = numClasses;
        this.modalityHeads = modalityHeads;
        for (String modality : modalityNames) {
            encoders.add(addChildBlock(modality + "_encoder", Encoders.encoder(config.encoderFor(modality), config.embeddingSize())));
        }
        fusion = addChildBlock("fusion", Encoders.fusion(config.fusion(), config.jointSize(), config.dropout()));
        head = addChildBlock("head", Linear.builder().setUnits(numClasses).build());
        if (modalityHeads) {
            for (String modality : modalityNames) {
                heads.add(addChildBlock(modality + "_head", Linear.builder().setUnits(numClasses).build()));
            }
        }
    }

    public int modalities() {
        return modalities;
    }

    public int numClasses() {
        return numClasses;
    }

    public boolean hasModalityHeads() {
        return modalityHeads;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray presence = inputs.get(modalities);
        List<NDArray> embeddings = new ArrayList<>();
        NDList masked = new NDList();
        for (int m = 0; m < modalities; m++) {
            NDArray embedding = encoders.get(m).forward(store, new NDList(inputs.get(m)), training).singletonOrThrow();
            embeddings.add(embedding);
            NDArray weight = presence.get(new NDIndex(":, {}:{}", m, m + 1));
            masked.add(embedding.mul(weight));
        }
        // NDArrays.concat returns a detached duplicate for a single array, which would cut the
        // encoder off from the gradient, so a unimodal network passes its embedding on directly.
        NDArray concatenated = masked.size() == 1 ? masked.get(0) : NDArrays.concat(masked, 1);
        NDArray joint = fusion.forward(store, new NDList(concatenated), training).singletonOrThrow();
        NDArray logits = head.forward(store, new NDList(joint), training).singletonOrThrow();
        NDList output = new NDList(joint, logits);
        output.addAll(embeddings);
        for (int m = 0; m < heads.size(); m++) {
            output.add(heads.get(m).forward(store, new NDList(embeddings.get(m)), training).singletonOrThrow());
        }
        return output;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        List<Shape> shapes = new ArrayList<>();
        long concatenated = 0;
        List<Shape> embeddingShapes = new ArrayList<>();
        for (int m = 0; m < modalities; m++) {
            Shape embedding = encoders.get(m).getOutputShapes(new Shape[] {inputShapes[m]})[0];
            embeddingShapes.add(embedding);
            concatenated += embedding.get(1);
        }
        Shape joint = fusion.getOutputShapes(new Shape[] {new Shape(batch, concatenated)})[0];
        shapes.add(joint);
        shapes.add(new Shape(batch, numClasses));
        shapes.addAll(embeddingShapes);
        for (int m = 0; m < heads.size(); m++) {
            shapes.add(new Shape(batch, numClasses));
        }
        return shapes.toArray(new Shape[0]);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long concatenated = 0;
        for (int m = 0; m < modalities; m++) {
            Block encoder = encoders.get(m);
            encoder.initialize(manager, dataType, inputShapes[m]);
            Shape embedding = encoder.getOutputShapes(new Shape[] {inputShapes[m]})[0];
            concatenated += embedding.get(1);
            if (modalityHeads) {
                heads.get(m).initialize(manager, dataType, embedding);
            }
        }
        Shape fusionInput = new Shape(batch, concatenated);
        fusion.initialize(manager, dataType, fusionInput);
        head.initialize(manager, dataType, fusion.getOutputShapes(new Shape[] {fusionInput})[0]);
    }
}
