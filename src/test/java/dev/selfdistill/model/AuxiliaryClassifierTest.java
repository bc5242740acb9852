package dev.selfdistill.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

class AuxiliaryClassifierTest {
    @Test
    void splitReturnsFeatureThenLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray output =
                    manager.create(new float[] {1, 2, 7, 8, 9, 3, 4, 5, 6, 0}, new Shape(2, 5));
            assertArrayEquals(
                    new float[] {1, 2, 3, 4},
                    AuxiliaryClassifier.feature(output, 2).toFloatArray(),
                    0f);
            assertArrayEquals(
                    new float[] {7, 8, 9, 5, 6, 0},
                    AuxiliaryClassifier.logits(output, 2).toFloatArray(),
                    0f);
        }
    }

    @Test
    void convolutionalHeadHasFeaturePlusClassColumns() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AuxiliaryClassifier head = AuxiliaryClassifier.convolutional(8, 6, 3);
            Shape input = new Shape(2, 16, 14, 14);
            head.initialize(manager, DataType.FLOAT32, input);
            NDArray output =
                    head.forward(
                                    new ParameterStore(manager, false),
                                    new NDList(manager.randomNormal(input)),
                                    false)
                            .singletonOrThrow();
            assertEquals(new Shape(2, 9), output.getShape());
            assertEquals(new Shape(2, 9), head.getOutputShapes(new Shape[] {input})[0]);
        }
    }

    @Test
    void bothSlicesCarryGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AuxiliaryClassifier head = AuxiliaryClassifier.dense(4, 3);
            head.initialize(manager, DataType.FLOAT32, new Shape(2, 5));
            for (Pair<String, Parameter> parameter : head.getParameters()) {
                parameter.getValue().getArray().setRequiresGradient(true);
            }
            NDList input = new NDList(manager.randomNormal(new Shape(2, 5)));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray output =
                        head.forward(new ParameterStore(manager, false), input, true)
                                .singletonOrThrow();
                collector.backward(AuxiliaryClassifier.logits(output, 4).square().sum());
            }
            // The logits reach both the classifier and, through the feature, the adapter.
            for (Pair<String, Parameter> parameter : head.getParameters()) {
                float norm = parameter.getValue().getArray().getGradient().abs().sum().getFloat();
                assertTrue(norm > 0, parameter.getKey() + " got no gradient");
            }
        }
    }
}
