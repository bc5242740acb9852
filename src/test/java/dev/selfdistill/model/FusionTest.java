package dev.selfdistill.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.selfdistill.UserError;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FusionTest {
    private static final Shape IMAGE = new Shape(4, 1, 8, 8);
    private static final Shape TEXT = new Shape(4, 6);
    private static final Shape TABULAR = new Shape(4, 5);
    private static final Shape PRESENCE = new Shape(4, 3);

    private static MultimodalNet network(NDManager manager, String fusion, String textEncoder) {
        ModelConfig config = new ModelConfig("cnn-small", "cnn-small", fusion, 16, 32, 0.1,
                Map.of("text", textEncoder), Map.of("text", 20));
        MultimodalNet net = new MultimodalNet(config, List.of("image", "text", "tabular"), 3, false);
        net.initialize(manager, DataType.FLOAT32, IMAGE, TEXT, TABULAR, PRESENCE);
        return net;
    }

    private static NDArray tokens(NDManager manager, int seed) {
        float[] ids = new float[24];
        for (int i = 0; i < ids.length; i++) {
            // Ids 2..19 with the last token of each sample as padding.
            ids[i] = i % 6 == 5 ? 0 : 2 + (i * 7 + seed) % 18;
        }
        return manager.create(ids, TEXT);
    }

    private static float[] logits(MultimodalNet net, NDManager manager, NDList inputs) {
        return net.forward(new ParameterStore(manager, false), inputs, false).get(1).toFloatArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"concat", "attention", "gated"})
    void missingTextContentDoesNotChangeOutput(String fusion) {
        try (NDManager manager = NDManager.newBaseManager()) {
            MultimodalNet net = network(manager, fusion, "text-transformer");
            NDArray image = manager.randomNormal(IMAGE);
            NDArray tabular = manager.randomNormal(TABULAR);
            // Text is missing for samples 0 and 2.
            NDArray presence = manager.create(new float[] {1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1}, PRESENCE);
            float[] first = logits(net, manager, new NDList(image, tokens(manager, 0), tabular, presence));
            float[] second = logits(net, manager, new NDList(image, tokens(manager, 5), tabular, presence));
            for (int sample : new int[] {0, 2}) {
                assertArrayEquals(Arrays.copyOfRange(first, 3 * sample, 3 * sample + 3),
                        Arrays.copyOfRange(second, 3 * sample, 3 * sample + 3), 1e-5f,
                        "sample " + sample + " changed with its missing text");
            }
            assertFalse(Arrays.equals(Arrays.copyOfRange(first, 3, 6), Arrays.copyOfRange(second, 3, 6)),
                    "text should matter where it is present");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"concat", "attention", "gated"})
    void jointHasConfiguredWidth(String fusion) {
        try (NDManager manager = NDManager.newBaseManager()) {
            MultimodalNet net = network(manager, fusion, "text-mean");
            NDList inputs = new NDList(manager.randomNormal(IMAGE), tokens(manager, 0), manager.randomNormal(TABULAR), manager.ones(PRESENCE));
            ModelOutput output = ModelOutput.of(net.forward(new ParameterStore(manager, false), inputs, false), net);
            assertEquals(new Shape(4, 32), output.joint().getShape());
            assertEquals(new Shape(4, 3), output.logits().getShape());
            assertEquals(new Shape(4, 32), net.getOutputShapes(new Shape[] {IMAGE, TEXT, TABULAR, PRESENCE})[0]);
        }
    }

    @Test
    void textMeanIgnoresPadding() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MultimodalNet net = network(manager, "concat", "text-mean");
            NDArray image = manager.randomNormal(IMAGE);
            NDArray tabular = manager.randomNormal(TABULAR);
            // The same three tokens, padded to 6 with zeros at the end or in the middle: mean
            // pooling over non-padding tokens gives the same text embedding for both layouts.
            float[] a = {2, 3, 4, 0, 0, 0};
            float[] b = {2, 0, 3, 0, 4, 0};
            float[] ids1 = new float[24];
            float[] ids2 = new float[24];
            for (int s = 0; s < 4; s++) {
                System.arraycopy(a, 0, ids1, 6 * s, 6);
                System.arraycopy(b, 0, ids2, 6 * s, 6);
            }
            NDArray presence = manager.ones(PRESENCE);
            float[] first = logits(net, manager, new NDList(image, manager.create(ids1, TEXT), tabular, presence));
            float[] second = logits(net, manager, new NDList(image, manager.create(ids2, TEXT), tabular, presence));
            assertArrayEquals(first, second, 1e-5f);
        }
    }

    @Test
    void unknownFusionNamesKey() {
        ModelConfig config = new ModelConfig("cnn-small", "cnn-small", "sum", 16, 32, 0.1);
        UserError error = assertThrows(UserError.class, () -> config.withDefaults().validate());
        assertTrue(error.getMessage().contains("model.fusion"), error.getMessage());
    }

    @Test
    void encoderMapOverridesDefaults() {
        ModelConfig config = new ModelConfig(null, null, null, null, null, null, Map.of("text", "text-transformer", "photo", "cnn-wide"), null).withDefaults();
        assertEquals("text-transformer", config.encoderFor("text"));
        assertEquals("cnn-wide", config.encoderFor("photo"));
        assertEquals("tabular-mlp", config.encoderFor("tabular"));
        assertEquals("cnn-small", config.encoderFor("image"));
        assertThrows(UserError.class, () -> config.encoderFor("depth"));
    }
}
