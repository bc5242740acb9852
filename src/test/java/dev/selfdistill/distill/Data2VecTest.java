package dev.selfdistill.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.selfdistill.UserError;
import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.model.HeadSpec;
import dev.selfdistill.model.ModelConfig;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.model.MultimodalNet;
import dev.selfdistill.train.Batches;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Data2VecTest {
    private static Data2Vec method(Map<String, Object> parameters) {
        return new Data2Vec(Data2Vec.Settings.from(new MethodParams(Data2Vec.NAME, parameters)));
    }

    @Test
    void smoothL1MatchesHandValues() {
        // beta 0.25, errors 0, 0.1, 1, -2: 0, 0.1^2 / 0.5 = 0.02, 1 - 0.125 = 0.875, 2 - 0.125 = 1.875;
        // mean (0 + 0.02 + 0.875 + 1.875) / 4 = 0.6925.
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray prediction = manager.create(new float[] {0, 0.1f, 1, -2}, new Shape(1, 4));
            NDArray target = manager.zeros(new Shape(1, 4));
            assertEquals(0.6925, Data2Vec.smoothL1(prediction, target, 0.25).getFloat(), 1e-6);
        }
    }

    @Test
    void instanceNormalizationMatchesHandValues() {
        // [1, 2, 3]: mean 2, variance 2/3, so (x - 2) / sqrt(2/3 + 1e-5) = [-1.224735686, 0, 1.224735686].
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray normalized = Data2Vec.instanceNormalize(manager.create(new float[] {1, 2, 3}, new Shape(1, 3)));
            assertArrayEquals(new float[] {-1.224735686f, 0, 1.224735686f}, normalized.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void regressionLossWeightsLayersEqually() {
        // Layers of width 1 and 2, beta 1, prediction [1, 0, 0] against zeros: the first layer's
        // loss is 1 - 0.5 = 0.5 and the second's 0, so the mean over layers is 0.25 (a mean over
        // the three values would give 0.1667).
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray prediction = manager.create(new float[] {1, 0, 0}, new Shape(1, 3));
            List<NDArray> targets = List.of(manager.zeros(new Shape(1, 1)), manager.zeros(new Shape(1, 2)));
            assertEquals(0.25, Data2Vec.regressionLoss(prediction, targets, 1).getFloat(), 1e-6);
        }
    }

    @Test
    void patchMaskZeroesWholeTiles() {
        // 4x4 with 2x2 patches: 4 tiles, ratio 0.5 masks 2 of them, 8 values.
        float[] mask = Data2Vec.patchMask(4, 4, 2, 0.5, new Random(0));
        int zeros = 0;
        for (float value : mask) {
            zeros += value == 0 ? 1 : 0;
        }
        assertEquals(8, zeros);
        for (int tileRow = 0; tileRow < 2; tileRow++) {
            for (int tileColumn = 0; tileColumn < 2; tileColumn++) {
                float first = mask[tileRow * 8 + tileColumn * 2];
                for (int y = 0; y < 2; y++) {
                    for (int x = 0; x < 2; x++) {
                        assertEquals(first, mask[(tileRow * 2 + y) * 4 + tileColumn * 2 + x], "tile " + tileRow + "," + tileColumn);
                    }
                }
            }
        }
    }

    @Test
    void timeSpanMaskCoversEveryBand() {
        // 2 bands x 6 frames with 2-frame spans: 3 spans, ratio 1/3 masks one span in both bands.
        float[] mask = Data2Vec.timeSpanMask(2, 6, 2, 1.0 / 3, new Random(0));
        int zeros = 0;
        for (int frame = 0; frame < 6; frame++) {
            assertEquals(mask[frame], mask[6 + frame], "frame " + frame + " differs between bands");
            zeros += mask[frame] == 0 ? 1 : 0;
        }
        assertEquals(2, zeros);
    }

    @Test
    void layerWidthsFollowGroups() {
        List<int[]> stages = List.of(new int[] {16, 32}, new int[] {16, 32});
        assertArrayEquals(new int[] {128}, Data2Vec.layerWidths(1, 128, 64, stages));
        assertArrayEquals(new int[] {128, 64, 64, 32, 32}, Data2Vec.layerWidths(3, 128, 64, stages));
        assertArrayEquals(new int[] {128, 64, 64, 32, 32, 16, 16}, Data2Vec.layerWidths(4, 128, 64, stages));
        UserError error = assertThrows(UserError.class, () -> Data2Vec.layerWidths(5, 128, 64, stages));
        assertTrue(error.getMessage().contains("methods.feature.top_layers"), error.getMessage());
    }

    @Test
    void targetsMatchHeadWidth() {
        MultimodalDataset data = SyntheticData.dataset(4, 1);
        Data2Vec method = method(Map.of("top_layers", 4));
        List<HeadSpec> heads = method.heads(ModelConfig.defaults(), data);
        try (NDManager manager = NDManager.newBaseManager()) {
            MultimodalNet net = new MultimodalNet(ModelConfig.defaults(), data.modalities(), data.numClasses(), false, heads);
            net.initialize(manager, DataType.FLOAT32, Batches.inputShapes(data, 4));
            NDList inputs = Batches.inputs(data, new int[] {0, 1, 2, 3}, manager, null, null);
            ModelOutput output = ModelOutput.of(net.forward(new ParameterStore(manager, false), inputs, false), net);
            List<NDArray> targets = method.targetLayers(output);
            long[] widths = targets.stream().mapToLong(t -> t.getShape().get(1)).toArray();
            // joint 128, embeddings 64 and 64, last stages 32 and 32, first stages 16 and 16.
            assertArrayEquals(new long[] {128, 64, 64, 32, 32, 16, 16}, widths);
            assertEquals(352, output.head(Data2Vec.HEAD).getShape().get(1));
        }
    }

    @Test
    void settingsRejectIdenticalStudentInput() {
        UserError error = assertThrows(UserError.class, () -> method(Map.of("mask_ratio", 0)));
        assertTrue(error.getMessage().contains("noise_std"), error.getMessage());
    }

    @Test
    void unsupervisedVariantIsLabelFree() {
        assertEquals(false, method(Map.of("supervised", false)).trainsClassifier());
        assertEquals(true, method(Map.of()).trainsClassifier());
    }
}
