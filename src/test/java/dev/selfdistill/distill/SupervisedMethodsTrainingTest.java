package dev.selfdistill.distill;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.model.ModelConfig;
import dev.selfdistill.study.EpochRecord;
import dev.selfdistill.train.Augmentation;
import dev.selfdistill.train.Inference;
import dev.selfdistill.train.TrainConfig;
import dev.selfdistill.train.TrainingLoop;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Trains each method for a few epochs on a tiny synthetic two-modality dataset through the real
 * training loop: every epoch's loss must be finite and the model must beat chance on its own
 * training data.
 */
@Tag("slow")
class SupervisedMethodsTrainingTest {
    private static final int CLASSES = 4;
    private static final int PER_CLASS = 16;
    private static final int EPOCHS = 3;

    /**
     * Builds 64 samples of 4 classes: an image {1, 28, 28} with a bright 7x7 square in a
     * class-specific quadrant and a spectrogram {1, 32, 48} with 8 bright bands at a class-specific
     * height, both over unit Gaussian noise.
     */
    static MultimodalDataset syntheticDataset() {
        Random random = new Random(7);
        int count = CLASSES * PER_CLASS;
        float[] images = new float[count * 28 * 28];
        float[] audio = new float[count * 32 * 48];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            int label = i % CLASSES;
            labels[i] = label;
            for (int p = 0; p < 28 * 28; p++) {
                int y = p / 28;
                int x = p % 28;
                boolean square = y / 7 == 1 + 2 * (label / 2) && x / 7 == 1 + 2 * (label % 2);
                images[i * 28 * 28 + p] = (float) random.nextGaussian() + (square ? 1.5f : 0f);
            }
            for (int p = 0; p < 32 * 48; p++) {
                int band = p / 48;
                audio[i * 32 * 48 + p] =
                        (float) random.nextGaussian() + (band / 8 == label ? 1.5f : 0f);
            }
        }
        float[] present = new float[count];
        java.util.Arrays.fill(present, 1f);
        return new MultimodalDataset(
                List.of("image", "audio"),
                List.of(new long[] {1, 28, 28}, new long[] {1, 32, 48}),
                new float[][] {images, audio},
                new float[][] {present, present.clone()},
                labels,
                CLASSES);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "deep-supervision",
                "cross-modal",
                "class-wise",
                "progressive",
                "teacher-free",
                "label-smoothing",
                "classic-kd"
            })
    void methodTrainsAboveChance(String name) {
        MultimodalDataset data = syntheticDataset();
        // Modality dropout exercises the presence masks of the modality and shallow heads.
        Augmentation.Config augmentation = new Augmentation.Config(2, 6, 4, 0.2);
        TrainConfig config =
                new TrainConfig(
                        "adamw", 3e-3, 0.9, 1e-4, "constant", 10, 0.1, 16, EPOCHS, 0, augmentation);
        ModelConfig model = ModelConfig.defaults();
        Map<String, Object> parameters =
                name.equals("cross-modal") ? Map.of("ensemble_teaches_fused", true) : Map.of();
        MethodPlan plan = Methods.plan(name, parameters);
        try (Method method = plan.create(0, null);
                TrainingLoop.Trained trained =
                        TrainingLoop.train(name, 3, model, config, data, data, method, null)) {
            for (EpochRecord epoch : trained.epochs()) {
                assertTrue(
                        Double.isFinite(epoch.trainLoss()),
                        name + " epoch " + epoch.epoch() + " loss " + epoch.trainLoss());
            }
            for (Map.Entry<String, Double> term : trained.lossTerms().entrySet()) {
                assertTrue(
                        Double.isFinite(term.getValue()),
                        name + " term " + term.getKey() + " is " + term.getValue());
            }
            float[][] logits =
                    Inference.logits(trained.net(), data, trained.model().getNDManager());
            double accuracy = accuracy(logits, data.labels());
            // Chance is 1/4; the classes are separable, so a trained model is far above it.
            assertTrue(
                    accuracy > 0.5,
                    name + " training accuracy " + accuracy + " is not above chance 0.25");
        }
    }

    private static double accuracy(float[][] logits, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int c = 1; c < logits[i].length; c++) {
                if (logits[i][c] > logits[i][best]) {
                    best = c;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
        return correct / (double) labels.length;
    }
}
