package dev.selfdistill.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A linear layer without bias whose weight rows are rescaled to unit L2 norm in every forward
 * pass: {@code y = x W_hat^T} with {@code W_hat_k = W_k / ||W_k||}. This is weight normalisation
 * (Salimans and Kingma, 2016) with the gain fixed to 1, the last layer of the DINO projection head
 * (Caron et al., 2021). On an L2-normalised input every output is then a cosine similarity in
 * [-1, 1], so the softmax temperature alone sets the scale of the logits.
 */
public final class WeightNormalizedLinear extends AbstractBlock {
    /** Floor on a row norm, so a zero row is not divided by 0. */
    private static final double EPSILON = 1e-12;

    private final int units;
    private final Parameter weight;

    /** @param units number of outputs */
    public WeightNormalizedLinear(int units) {
        if (units < 1) {
            throw new IllegalArgumentException("units must be positive, got " + units);
        }
        this.units = units;
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .optRequiresGrad(true)
                                .build());
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        weight.setShape(new Shape(units, inputShapes[0].get(1)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray unitRows = w.normalize(2, 1, EPSILON);
        return new NDList(x.matMul(unitRows.transpose()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), units)};
    }
}
