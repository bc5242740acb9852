package dev.selfdistill.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class WeightNormalizedLinearTest {
    @Test
    void rowsAreNormalizedBeforeProduct() {
        // Rows [2, 0], [0, -5], [3, 4] become [1, 0], [0, -1], [0.6, 0.8]; x = [3, 4] gives
        // [3, -4, 1.8 + 3.2] = [3, -4, 5].
        try (NDManager manager = NDManager.newBaseManager()) {
            WeightNormalizedLinear layer = new WeightNormalizedLinear(3);
            layer.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            layer.getParameters().get(0).getValue().getArray().set(new float[] {2, 0, 0, -5, 3, 4});
            NDList output = layer.forward(new ParameterStore(manager, false), new NDList(manager.create(new float[] {3, 4}, new Shape(1, 2))), false);
            assertArrayEquals(new float[] {3, -4, 5}, output.singletonOrThrow().toFloatArray(), 1e-5f);
            assertEquals(new Shape(1, 3), layer.getOutputShapes(new Shape[] {new Shape(1, 2)})[0]);
        }
    }
}
