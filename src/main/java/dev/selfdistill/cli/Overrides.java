package dev.selfdistill.cli;

import dev.selfdistill.UserError;
import dev.selfdistill.study.StudyConfig;
import dev.selfdistill.train.TrainConfig;

/** Applies command-line overrides to a study. */
final class Overrides {
    private Overrides() {}

    static StudyConfig apply(StudyConfig config, Integer seeds, Integer epochs) {
        StudyConfig result = config;
        if (seeds != null) {
            if (seeds < 1) {
                throw new UserError("--seeds must be a positive count, got " + seeds);
            }
            result = new StudyConfig(result.name(), result.dataset(), result.data(), result.model(), result.training(), result.methods(), seeds, result.baseline(), result.modalities(), result.manifest());
        }
        if (epochs != null) {
            TrainConfig t = result.training();
            TrainConfig training = new TrainConfig(t.optimizer(), t.learningRate(), t.momentum(), t.weightDecay(), t.schedule(), t.stepEpochs(), t.stepGamma(), t.batchSize(), epochs, t.patience(), t.augmentation());
            result = new StudyConfig(result.name(), result.dataset(), result.data(), result.model(), training, result.methods(), result.seeds(), result.baseline(), result.modalities(), result.manifest());
        }
        return result;
    }
}
