package dev.selfdistill.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.distill.Baseline;
import dev.selfdistill.train.TrainConfig;
import dev.selfdistill.train.TrainingLoop;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("slow")
class FusionTrainingTest {
    /** 96 samples of text (ids 2..5, the first naming the class) and tabular (noisy one-hot) inputs. */
    private static MultimodalDataset data(int count, int seed) {
        Random random = new Random(seed);
        float[] text = new float[count * 4];
        float[] tabular = new float[count * 3];
        float[][] presence = {new float[count], new float[count]};
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 3;
            text[i * 4] = 2 + labels[i];
            text[i * 4 + 1] = 5;
            tabular[i * 3 + labels[i]] = 1 + (float) random.nextGaussian() * 0.3f;
            presence[0][i] = i % 5 == 0 ? 0 : 1;
            presence[1][i] = 1;
            if (presence[0][i] == 0) {
                java.util.Arrays.fill(text, i * 4, i * 4 + 4, 0f);
            }
        }
        return new MultimodalDataset(List.of("text", "tabular"), List.of(new long[] {4}, new long[] {3}),
                new float[][] {text, tabular}, presence, labels, 3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"concat", "attention", "gated"})
    void trainsWithEachFusion(String fusion) {
        ModelConfig model = new ModelConfig("cnn-small", "cnn-small", fusion, 16, 16, 0.0, Map.of("text", "text-transformer"), null).withDefaults();
        TrainConfig training = new TrainConfig(null, null, null, null, null, null, null, 16, 3, null, null).withDefaults();
        try (TrainingLoop.Trained trained = TrainingLoop.train("fusion", 0, model, training, data(96, 0), data(30, 1), new Baseline(), null)) {
            assertEquals(3, trained.epochs().size());
            double accuracy = trained.epochs().get(trained.bestEpoch() - 1).validationAccuracy();
            // Chance is 1/3; the text token and the tabular slot both reveal the class.
            assertTrue(accuracy > 0.5, fusion + " reached only " + accuracy);
        }
    }
}
