package dev.selfdistill.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultimodalNetTest {
    private static final Shape IMAGE = new Shape(4, 1, 28, 28);
    private static final Shape AUDIO = new Shape(4, 1, 32, 48);

    private static MultimodalNet network(NDManager manager, boolean heads) {
        MultimodalNet net = new MultimodalNet(ModelConfig.defaults(), List.of("image", "audio"), 10, heads);
        net.initialize(manager, DataType.FLOAT32, IMAGE, AUDIO, new Shape(4, 2));
        return net;
    }

    @Test
    void outputShapesMatchLayout() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MultimodalNet net = network(manager, true);
            NDList inputs = new NDList(manager.randomNormal(IMAGE), manager.randomNormal(AUDIO), manager.ones(new Shape(4, 2)));
            ModelOutput output = ModelOutput.of(net.forward(new ParameterStore(manager, false), inputs, false), net);
            assertEquals(new Shape(4, 128), output.joint().getShape());
            assertEquals(new Shape(4, 10), output.logits().getShape());
            assertEquals(2, output.embeddings().size());
            assertEquals(new Shape(4, 64), output.embeddings().get(1).getShape());
            assertEquals(2, output.modalityLogits().size());
            Shape[] declared = net.getOutputShapes(new Shape[] {IMAGE, AUDIO, new Shape(4, 2)});
            // joint, logits, 2 embeddings, 2 modality heads, 2 stages per encoder.
            assertEquals(10, declared.length);
            assertEquals(2, output.hidden().get(0).size());
            assertEquals(new Shape(4, 16, 14, 14), output.hidden().get(0).get(0).getShape());
            assertEquals(output.hidden().get(1).get(1).getShape(), declared[9]);
            assertEquals(output.logits().getShape(), declared[1]);
        }
    }

    @Test
    void missingModalityContentDoesNotChangePrediction() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MultimodalNet net = network(manager, false);
            NDArray image = manager.randomNormal(IMAGE);
            NDArray presence = manager.create(new float[] {1, 0, 1, 0, 1, 0, 1, 0}, new Shape(4, 2));
            ParameterStore store = new ParameterStore(manager, false);
            float[] first = net.forward(store, new NDList(image, manager.randomNormal(AUDIO), presence), false).get(1).toFloatArray();
            float[] second = net.forward(store, new NDList(image, manager.randomNormal(AUDIO).mul(10), presence), false).get(1).toFloatArray();
            assertArrayEquals(first, second, 1e-6f);
            float[] present = net.forward(store, new NDList(image, manager.randomNormal(AUDIO), manager.ones(new Shape(4, 2))), false).get(1).toFloatArray();
            assertFalse(java.util.Arrays.equals(first, present), "audio should matter when present");
        }
    }

    @Test
    void unimodalEncoderReceivesGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MultimodalNet net = new MultimodalNet(ModelConfig.defaults(), List.of("image"), 10, false);
            net.initialize(manager, DataType.FLOAT32, IMAGE, new Shape(4, 1));
            net.getParameters().forEach(p -> p.getValue().getArray().setRequiresGradient(p.getValue().requiresGradient()));
            NDList inputs = new NDList(manager.randomNormal(IMAGE), manager.ones(new Shape(4, 1)));
            try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.forward(new ParameterStore(manager, false), inputs, true).get(1);
                collector.backward(logits.square().sum());
            }
            NDArray firstConvWeight = net.getParameters().get(0).getValue().getArray();
            assertTrue(firstConvWeight.getGradient().abs().sum().getFloat() > 0, "the image encoder got no gradient");
        }
    }

    @Test
    void baselineHasNoModalityHeads() {
        try (NDManager manager = NDManager.newBaseManager()) {
            long without = Parameters.countTrainable(network(manager, false));
            long with = Parameters.countTrainable(network(manager, true));
            // Two heads of 64 x 10 weights plus 10 biases each.
            assertEquals(2 * (64 * 10 + 10), with - without);
        }
    }
}
