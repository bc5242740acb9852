package dev.selfdistill.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * Gated multimodal unit (Arevalo et al., 2017, "Gated Multimodal Units for Information Fusion"),
 * in its form for M modalities: {@code h_m = tanh(W_m e_m)}, {@code z_m = sigmoid(V_m [e_1; ...;
 * e_M])} and {@code joint = dropout(sum_m presence_m * z_m * h_m)}, all of the joint width.
 *
 * <p>The gates read the masked concatenation, in which a missing modality's embedding is zero,
 * and the presence factor removes a missing modality's term, so the output does not depend on a
 * missing input's content.
 */
final class GatedFusion extends AbstractBlock {
    private final int modalities;
    private final List<Linear> values = new ArrayList<>();
    private final List<Linear> gates = new ArrayList<>();
    private final Dropout dropout;
    private final int width;

    GatedFusion(int modalities, int width, double dropout) {
        this.modalities = modalities;
        this.width = width;
        for (int m = 0; m < modalities; m++) {
            values.add(addChildBlock("value" + m, Linear.builder().setUnits(width).optBias(false).build()));
            gates.add(addChildBlock("gate" + m, Linear.builder().setUnits(width).build()));
        }
        this.dropout = addChildBlock("dropout", Dropout.builder().optRate((float) dropout).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray concatenated = inputs.get(0);
        NDArray presence = inputs.get(1);
        long embedding = concatenated.getShape().get(1) / modalities;
        NDArray joint = null;
        for (int m = 0; m < modalities; m++) {
            NDArray part = concatenated.get(new NDIndex(":, {}:{}", m * embedding, (m + 1) * embedding));
            NDArray value = values.get(m).forward(store, new NDList(part), training).head().tanh();
            NDArray gate = Activation.sigmoid(gates.get(m).forward(store, new NDList(concatenated), training).head());
            NDArray term = value.mul(gate).mul(presence.get(new NDIndex(":, {}:{}", m, m + 1)));
            joint = joint == null ? term : joint.add(term);
        }
        return dropout.forward(store, new NDList(joint), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), width)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long embedding = inputShapes[0].get(1) / modalities;
        for (int m = 0; m < modalities; m++) {
            values.get(m).initialize(manager, dataType, new Shape(batch, embedding));
            gates.get(m).initialize(manager, dataType, inputShapes[0]);
        }
        dropout.initialize(manager, dataType, new Shape(batch, width));
    }
}
