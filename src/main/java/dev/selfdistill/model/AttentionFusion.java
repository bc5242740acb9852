package dev.selfdistill.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.transformer.TransformerEncoderBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Attention fusion: a small Transformer over one token per modality.
 *
 * <p>Token {@code m} is {@code W_m e_m + b_m + p_m}: the modality's embedding projected to the
 * joint width plus a learned modality embedding {@code p_m}. A learned summary token is put first,
 * as BERT's classification token (Devlin et al., 2019), and one {@link TransformerEncoderBlock}
 * (Vaswani et al., 2017) with {@link Encoders#ATTENTION_HEADS} heads and a feed-forward width of
 * twice the joint width runs over the {@code M + 1} tokens. The key padding mask comes from the
 * presence mask, so no token attends to a missing modality, and the output is the summary
 * token's final vector.
 *
 * <p>DJL's attention adds {@code -100000} to the scores of masked keys, so their softmax weight
 * is exactly 0 in float32. DJL's encoder layer normalises with BatchNorm rather than LayerNorm,
 * so in training mode a batch's statistics include the missing tokens; in inference mode the
 * summary token does not depend on a missing modality at all.
 */
final class AttentionFusion extends AbstractBlock {
    private final int modalities;
    private final int width;
    private final List<Linear> projections = new ArrayList<>();
    private final Parameter modalityEmbedding;
    private final Parameter summary;
    private final TransformerEncoderBlock transformer;

    AttentionFusion(int modalities, int width, double dropout) {
        this.modalities = modalities;
        this.width = width;
        for (int m = 0; m < modalities; m++) {
            projections.add(addChildBlock("project" + m, Linear.builder().setUnits(width).build()));
        }
        modalityEmbedding = addParameter(Parameter.builder().setName("modality")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(modalities, width)).build());
        summary = addParameter(Parameter.builder().setName("summary")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(1, width)).build());
        transformer = addChildBlock("transformer", new TransformerEncoderBlock(
                width, Encoders.ATTENTION_HEADS, 2 * width, (float) dropout, Activation::relu));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray concatenated = inputs.get(0);
        NDArray presence = inputs.get(1);
        long batch = concatenated.getShape().get(0);
        long embedding = concatenated.getShape().get(1) / modalities;
        NDArray modality = store.getValue(modalityEmbedding, concatenated.getDevice(), training);
        NDList tokens = new NDList();
        NDArray summaryVector = store.getValue(summary, concatenated.getDevice(), training);
        tokens.add(concatenated.getManager().zeros(new Shape(batch, 1, width)).add(summaryVector.expandDims(0)));
        for (int m = 0; m < modalities; m++) {
            NDArray part = concatenated.get(new NDIndex(":, {}:{}", m * embedding, (m + 1) * embedding));
            NDArray projected = projections.get(m).forward(store, new NDList(part), training).head();
            tokens.add(projected.add(modality.get(m)).expandDims(1));
        }
        // The list always holds two or more arrays, so NDArrays.concat keeps the gradient.
        NDArray sequence = NDArrays.concat(tokens, 1);
        long length = modalities + 1;
        NDArray keys = NDArrays.concat(new NDList(concatenated.getManager().ones(new Shape(batch, 1)), presence), 1);
        NDArray mask = keys.expandDims(1).repeat(1, length);
        NDArray encoded = transformer.forward(store, new NDList(sequence, mask), training).head();
        return new NDList(encoded.get(new NDIndex(":, 0, :")));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), width)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long embedding = inputShapes[0].get(1) / modalities;
        for (Linear projection : projections) {
            projection.initialize(manager, dataType, new Shape(batch, embedding));
        }
        transformer.initialize(manager, dataType, new Shape(batch, modalities + 1, width));
    }
}
