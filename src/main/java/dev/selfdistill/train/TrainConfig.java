package dev.selfdistill.train;

import dev.selfdistill.UserError;
import java.util.Set;

/**
 * Optimisation settings shared by every method of a study.
 *
 * @param optimizer {@code adam} or {@code sgd} (with momentum)
 * @param learningRate initial learning rate
 * @param momentum SGD momentum (ignored by Adam)
 * @param weightDecay L2 penalty added to the gradient of every parameter
 * @param schedule {@code cosine} (to 0 over all steps), {@code step} or {@code constant}
 * @param stepEpochs for {@code step}: epochs between decays
 * @param stepGamma for {@code step}: multiplier at each decay
 * @param batchSize samples per optimizer step
 * @param epochs maximum number of epochs
 * @param patience stop after this many epochs without a better validation accuracy (0: never)
 * @param augmentation input augmentation of the student
 */
public record TrainConfig(
        String optimizer,
        Double learningRate,
        Double momentum,
        Double weightDecay,
        String schedule,
        Integer stepEpochs,
        Double stepGamma,
        Integer batchSize,
        Integer epochs,
        Integer patience,
        Augmentation.Config augmentation) {

    private static final Set<String> OPTIMIZERS = Set.of("adamw", "adam", "sgd");
    private static final Set<String> SCHEDULES = Set.of("cosine", "step", "constant");

    public static TrainConfig defaults() {
        return new TrainConfig(
                "adamw", 2e-3, 0.9, 1e-4, "cosine", 10, 0.1, 64, 12, 4, Augmentation.Config.defaults());
    }

    /** Returns this config with the learning rate multiplied by {@code factor}. */
    public TrainConfig withLearningRateScaled(double factor) {
        return new TrainConfig(optimizer, learningRate * factor, momentum, weightDecay, schedule,
                stepEpochs, stepGamma, batchSize, epochs, patience, augmentation);
    }

    /** Returns this config with every null field taken from {@link #defaults()}. */
    public TrainConfig withDefaults() {
        TrainConfig d = defaults();
        return new TrainConfig(
                optimizer != null ? optimizer : d.optimizer,
                learningRate != null ? learningRate : d.learningRate,
                momentum != null ? momentum : d.momentum,
                weightDecay != null ? weightDecay : d.weightDecay,
                schedule != null ? schedule : d.schedule,
                stepEpochs != null ? stepEpochs : d.stepEpochs,
                stepGamma != null ? stepGamma : d.stepGamma,
                batchSize != null ? batchSize : d.batchSize,
                epochs != null ? epochs : d.epochs,
                patience != null ? patience : d.patience,
                augmentation != null ? augmentation.withDefaults() : d.augmentation);
    }

    /** Checks every value and names the key of the first invalid one. */
    public void validate() {
        if (!OPTIMIZERS.contains(optimizer)) {
            throw new UserError("training.optimizer has unknown value '" + optimizer + "'; allowed: adamw, adam, sgd");
        }
        if (!SCHEDULES.contains(schedule)) {
            throw new UserError(
                    "training.schedule has unknown value '" + schedule + "'; allowed: constant, cosine, step");
        }
        if (!(learningRate > 0 && learningRate < 10)) {
            throw new UserError("training.learning_rate must be in (0, 10), got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new UserError("training.momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0)) {
            throw new UserError("training.weight_decay must be >= 0, got " + weightDecay);
        }
        if (stepEpochs < 1) {
            throw new UserError("training.step_epochs must be a positive integer, got " + stepEpochs);
        }
        if (!(stepGamma > 0 && stepGamma <= 1)) {
            throw new UserError("training.step_gamma must be in (0, 1], got " + stepGamma);
        }
        if (batchSize < 2) {
            throw new UserError(
                    "training.batch_size must be at least 2 (BatchNorm needs two samples), got " + batchSize);
        }
        if (epochs < 1) {
            throw new UserError("training.epochs must be a positive integer, got " + epochs);
        }
        if (patience < 0) {
            throw new UserError("training.patience must be 0 (no early stopping) or positive, got " + patience);
        }
        augmentation.validate();
    }
}
