package dev.selfdistill.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.transformer.TransformerEncoderBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A text encoder stage over token ids: embedding lookup, optionally a Transformer layer, then
 * mean pooling over the non-padding tokens.
 *
 * <p>Input: (batch, length) token ids stored as floats, 0 = padding. Output: (batch, width), the
 * mean of the token vectors {@code v_t} with {@code id_t != 0}, or zeros when every token is
 * padding. DJL's {@code Embedding} blocks ({@code TrainableWordEmbedding}) look up items of a
 * {@code Vocabulary} of strings, whereas the ids here come from the dataset array, so this block
 * keeps its own weight matrix and calls the engine's lookup {@link Embedding#embedding}.
 *
 * <p>With {@code transformer}, a learned positional embedding is added and one {@link
 * TransformerEncoderBlock} (Vaswani et al., 2017) runs over the tokens, with a key padding mask
 * so no token attends to padding.
 */
final class TokenEmbedding extends AbstractBlock {
    /** Attention heads of the text Transformer layer. */
    static final int HEADS = 4;

    private final int width;
    private final Parameter tokens;
    private final Parameter positions;
    private final TransformerEncoderBlock transformer;

    /**
     * @param vocabularySize number of token ids, including padding (0) and unknown (1)
     * @param width size of each token vector, a multiple of {@link #HEADS} with a transformer
     * @param transformer whether to add positions and a Transformer layer before pooling
     */
    TokenEmbedding(int vocabularySize, int width, boolean transformer) {
        this.width = width;
        tokens = addParameter(Parameter.builder().setName("tokens").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabularySize, width)).build());
        if (transformer) {
            positions = addParameter(Parameter.builder().setName("positions")
                    .setType(Parameter.Type.WEIGHT).build());
            this.transformer = addChildBlock("transformer",
                    new TransformerEncoderBlock(width, HEADS, 2 * width, 0.1f, ai.djl.nn.Activation::relu));
        } else {
            positions = null;
            this.transformer = null;
        }
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        if (positions != null) {
            positions.setShape(new Shape(inputShapes[0].get(1), width));
        }
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        if (transformer != null) {
            transformer.initialize(manager, dataType, new Shape(inputShapes[0].get(0), inputShapes[0].get(1), width));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.singletonOrThrow();
        NDArray weight = store.getValue(tokens, ids.getDevice(), training);
        NDArray vectors = Embedding.embedding(ids.toType(DataType.INT64, false), weight, SparseFormat.DENSE).head();
        NDArray mask = ids.gt(0f).toType(DataType.FLOAT32, false);
        if (transformer != null) {
            vectors = vectors.add(store.getValue(positions, ids.getDevice(), training).expandDims(0));
            long length = ids.getShape().get(1);
            // (batch, query, key): 1 where the key token is not padding.
            NDArray attention = mask.expandDims(1).repeat(1, length);
            vectors = transformer.forward(store, new NDList(vectors, attention), training).head();
        }
        NDArray sum = vectors.mul(mask.expandDims(2)).sum(new int[] {1});
        NDArray count = mask.sum(new int[] {1}, true).maximum(1f);
        return new NDList(sum.div(count));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), width)};
    }
}
