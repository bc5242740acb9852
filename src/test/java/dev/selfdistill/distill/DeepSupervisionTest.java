package dev.selfdistill.distill;

import static dev.selfdistill.distill.LossTermsAssertions.assertTerm;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.selfdistill.model.HeadSpec;
import dev.selfdistill.model.ModelConfig;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.model.MultimodalNet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeepSupervisionTest {
    // One modality (image, cnn-small: two stages), no embedding heads, joint size D = 2, K = 3.
    // Fused logits z_C = [[1, 2, 3], [0.5, -1, 2]], labels [2, 0], joint F_C = [[1, 0], [0.5, 2]].
    // Head stage0: F_0 = [[1, 1], [0, 2]], z_0 = [[0, 0, 1], [1, 0, 0]].
    // Head stage1: F_1 = [[0, 0], [1, 1]], z_1 = [[2, 1, 0], [0, 1, 2]].
    // alpha 0.3, lambda 0.03, T 3 (the defaults).
    //   CE(z_C) = 1.074459
    //   CE(z_0) = 0.551445 per sample; CE(z_1) = 2.407606 per sample -> aux_ce = 2.959051
    //   T^2 KL(softmax(z_C/3) || softmax(z_i/3)): z_0: 0.093839, 0.899048; z_1: 1.309222, 0.438231
    //     -> aux_kd = 0.496443 + 0.873726 = 1.370170
    //   ||F_i - F_C||^2 / 2: F_0: 0.5, 0.125; F_1: 0.5, 0.625 -> hint = 0.3125 + 0.5625 = 0.875
    //   L = 1.074459 + 0.7 * 2.959051 + 0.3 * 1.370170 + 0.03 * 0.875 = 3.583095
    // With sample 1 lacking the modality, every shallow term averages over sample 0 alone:
    //   aux_kd = 0.093839 + 1.309222 = 1.403061, hint = 0.5 + 0.5 = 1.0, aux_ce unchanged.
    private static final ModelConfig MODEL =
            new ModelConfig("cnn-small", "cnn-small", "concat", 4, 2, 0.1);

    private static DeepSupervision method() {
        Map<String, Object> values = Map.of("embedding_heads", false);
        DeepSupervision method =
                new DeepSupervision(
                        DeepSupervision.Settings.from(
                                new MethodParams(DeepSupervision.NAME, values)));
        method.heads(List.of("image"), 3, MODEL);
        return method;
    }

    private static ModelOutput output(NDManager manager) {
        Map<String, NDArray> heads = new LinkedHashMap<>();
        heads.put(
                "ds_image_stage0",
                manager.create(new float[] {1, 1, 0, 0, 1, 0, 2, 1, 0, 0}, new Shape(2, 5)));
        heads.put(
                "ds_image_stage1",
                manager.create(new float[] {0, 0, 2, 1, 0, 1, 1, 0, 1, 2}, new Shape(2, 5)));
        NDArray joint = manager.create(new float[] {1, 0, 0.5f, 2}, new Shape(2, 2));
        NDArray logits = manager.create(new float[] {1, 2, 3, 0.5f, -1, 2}, new Shape(2, 3));
        return new ModelOutput(joint, logits, List.of(), List.of(), List.of(), heads);
    }

    @Test
    void lossMatchesHandValueAtDefaults() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray presence = manager.create(new float[] {1, 1}, new Shape(2, 1));
            LossTerms terms =
                    method().loss(output(manager), manager.create(new int[] {2, 0}), presence);
            assertTerm(terms, "ce", 1.0, 1.0744586306);
            assertTerm(terms, "aux_ce", 0.7, 2.9590506784);
            assertTerm(terms, "aux_kd", 0.3, 1.3701697161);
            assertTerm(terms, "hint", 0.03, 0.875);
            assertEquals(3.5830950203, terms.total().getFloat(), 1e-5);
        }
    }

    @Test
    void missingModalityLeavesSampleOut() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray presence = manager.create(new float[] {1, 0}, new Shape(2, 1));
            LossTerms terms =
                    method().loss(output(manager), manager.create(new int[] {2, 0}), presence);
            assertTerm(terms, "aux_ce", 0.7, 2.9590506784);
            assertTerm(terms, "aux_kd", 0.3, 1.4030613159);
            assertTerm(terms, "hint", 0.03, 1.0);
            assertEquals(3.5967125002, terms.total().getFloat(), 1e-5);
        }
    }

    @Test
    void teacherTermsSendNoGradientToDeepestHead() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelOutput output = output(manager);
            output.logits().setRequiresGradient(true);
            output.joint().setRequiresGradient(true);
            NDArray head = output.head("ds_image_stage0");
            head.setRequiresGradient(true);
            NDArray presence = manager.create(new float[] {1, 1}, new Shape(2, 1));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                LossTerms terms = method().loss(output, manager.create(new int[] {2, 0}), presence);
                NDArray teacherTerms =
                        terms.terms().get(2).value().add(terms.terms().get(3).value());
                collector.backward(teacherTerms);
            }
            assertEquals(0f, output.logits().getGradient().abs().sum().getFloat(), 0f);
            assertEquals(0f, output.joint().getGradient().abs().sum().getFloat(), 0f);
            assertTrue(
                    head.getGradient().abs().sum().getFloat() > 1e-3,
                    "the shallow head should get a gradient");
        }
    }

    @Test
    void headsCoverEveryStageAndEmbedding() {
        DeepSupervision method =
                new DeepSupervision(
                        DeepSupervision.Settings.from(
                                new MethodParams(DeepSupervision.NAME, Map.of())));
        List<HeadSpec> heads = method.heads(List.of("image", "audio"), 10, ModelConfig.defaults());
        List<String> inputs = heads.stream().map(HeadSpec::input).toList();
        assertEquals(
                List.of(
                        "hidden/image/0",
                        "hidden/image/1",
                        "embedding/image",
                        "hidden/audio/0",
                        "hidden/audio/1",
                        "embedding/audio"),
                inputs);
    }

    @Test
    void networkWithHeadsReturnsFeatureAndLogits() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelConfig model = ModelConfig.defaults();
            DeepSupervision method =
                    new DeepSupervision(
                            DeepSupervision.Settings.from(
                                    new MethodParams(DeepSupervision.NAME, Map.of())));
            List<String> modalities = List.of("image", "audio");
            MultimodalNet net =
                    new MultimodalNet(
                            model, modalities, 10, false, method.heads(modalities, 10, model));
            Shape image = new Shape(4, 1, 28, 28);
            Shape audio = new Shape(4, 1, 32, 48);
            net.initialize(manager, DataType.FLOAT32, image, audio, new Shape(4, 2));
            NDList inputs =
                    new NDList(
                            manager.randomNormal(image),
                            manager.randomNormal(audio),
                            manager.ones(new Shape(4, 2)));
            ModelOutput output =
                    ModelOutput.of(
                            net.forward(new ParameterStore(manager, false), inputs, false), net);
            assertEquals(6, output.heads().size());
            for (NDArray head : output.heads().values()) {
                assertEquals(new Shape(4, model.jointSize() + 10), head.getShape());
            }
            LossTerms terms =
                    method.loss(output, manager.create(new int[] {0, 1, 2, 3}), inputs.get(2));
            assertTrue(
                    Float.isFinite(terms.total().getFloat()), "loss " + terms.total().getFloat());
        }
    }
}
