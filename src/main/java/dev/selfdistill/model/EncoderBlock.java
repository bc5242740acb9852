package dev.selfdistill.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * An encoder made of stages followed by a projection to the embedding. Its output is {@code
 * [embedding, stage_0, ..., stage_{S-1}]}, so that methods can read intermediate features (deep
 * supervision, feature distillation) without a second pass.
 */
public final class EncoderBlock extends AbstractBlock {
    private final List<Block> stages = new ArrayList<>();
    private final Block projection;

    /**
     * @param stages feature stages applied in order
     * @param projection maps the last stage's output to the (batch, embedding) vector
     */
    public EncoderBlock(List<Block> stages, Block projection) {
        for (int i = 0; i < stages.size(); i++) {
            this.stages.add(addChildBlock("stage" + i, stages.get(i)));
        }
        this.projection = addChildBlock("projection", projection);
    }

    public int stageCount() {
        return stages.size();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDList hidden = new NDList();
        for (Block stage : stages) {
            x = stage.forward(store, new NDList(x), training).singletonOrThrow();
            hidden.add(x);
        }
        NDArray embedding = projection.forward(store, new NDList(x), training).singletonOrThrow();
        NDList output = new NDList(embedding);
        output.addAll(hidden);
        return output;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        List<Shape> hidden = new ArrayList<>();
        Shape current = inputShapes[0];
        for (Block stage : stages) {
            current = stage.getOutputShapes(new Shape[] {current})[0];
            hidden.add(current);
        }
        List<Shape> shapes = new ArrayList<>();
        shapes.add(projection.getOutputShapes(new Shape[] {current})[0]);
        shapes.addAll(hidden);
        return shapes.toArray(new Shape[0]);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape current = inputShapes[0];
        for (Block stage : stages) {
            stage.initialize(manager, dataType, current);
            current = stage.getOutputShapes(new Shape[] {current})[0];
        }
        projection.initialize(manager, dataType, current);
    }
}
