package dev.selfdistill.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.selfdistill.model.ModelConfig;
import dev.selfdistill.study.EpochRecord;
import dev.selfdistill.train.Augmentation;
import dev.selfdistill.train.TrainConfig;
import dev.selfdistill.train.TrainingLoop;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Trains each label-free, feature-regression and semi-supervised method for two epochs on a tiny
 * synthetic dataset (64 samples, {@link SyntheticData}) through the real training loop and checks
 * that every loss stays finite.
 */
@Tag("slow")
class PartBMethodsTrainingTest {
    static List<Arguments> methods() {
        return List.of(
                Arguments.of("label-free", Map.of()),
                Arguments.of("feature", Map.of()),
                Arguments.of("feature", Map.of("supervised", false, "noise_std", 0.1)),
                Arguments.of("pseudo-label", Map.of("labeled_fraction", 0.25, "rounds", 2, "strong_augmentation", true)),
                Arguments.of("labeled-only", Map.of("labeled_fraction", 0.25)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("methods")
    void twoEpochsGiveFiniteLosses(String name, Map<String, Object> parameters) {
        TrainConfig config = new TrainConfig("adamw", 2e-3, 0.9, 1e-4, "cosine", 10, 0.1, 32, 2, 0, Augmentation.Config.defaults());
        MethodPlan plan = Methods.plan(name, parameters);
        try (Method method = plan.create(0, null);
                TrainingLoop.Trained trained =
                        TrainingLoop.train(name, 3, ModelConfig.defaults(), config, SyntheticData.dataset(64, 1), SyntheticData.dataset(32, 2), method, null)) {
            assertEquals(2, trained.epochs().size());
            for (EpochRecord epoch : trained.epochs()) {
                assertTrue(Double.isFinite(epoch.trainLoss()), "epoch " + epoch.epoch() + " loss " + epoch.trainLoss());
                for (Map.Entry<String, Double> value : epoch.extra().entrySet()) {
                    assertTrue(Double.isFinite(value.getValue()), value.getKey() + " is " + value.getValue());
                }
            }
            assertTrue(!trained.lossTerms().isEmpty(), "no loss term was logged");
            for (Map.Entry<String, Double> term : trained.lossTerms().entrySet()) {
                assertTrue(Double.isFinite(term.getValue()), term.getKey() + " is " + term.getValue());
            }
            if (!method.trainsClassifier()) {
                assertEquals(2, trained.bestEpoch(), "a label-free run keeps its last epoch");
            }
            if (name.equals("label-free")) {
                assertTrue(trained.epochs().get(1).extra().containsKey("teacher_marginal_entropy"));
            }
        }
    }
}
