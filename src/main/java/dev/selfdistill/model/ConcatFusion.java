package dev.selfdistill.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Concatenation fusion: {@code joint = dropout(relu(W [e_1; ...; e_M] + b))} over the masked
 * embeddings. Input {@code [concatenated, presence]}; the presence mask is not read because the
 * embeddings of missing modalities are already zero.
 */
final class ConcatFusion extends AbstractBlock {
    private final SequentialBlock mlp;

    ConcatFusion(int jointSize, double dropout) {
        mlp = addChildBlock("mlp", new SequentialBlock()
                .add(Linear.builder().setUnits(jointSize).build())
                .add(Activation::relu)
                .add(Dropout.builder().optRate((float) dropout).build()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        return mlp.forward(store, new NDList(inputs.get(0)), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return mlp.getOutputShapes(new Shape[] {inputShapes[0]});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        mlp.initialize(manager, dataType, inputShapes[0]);
    }
}
