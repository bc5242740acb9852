package dev.selfdistill.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDList;
import java.util.function.UnaryOperator;
import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.model.ModelConfig;
import dev.selfdistill.model.MultimodalNet;
import java.util.Random;

/** State of the training in progress that a method may read. */
public final class TrainingContext {
    private final MultimodalNet student;
    private final UnaryOperator<NDList> studentForward;
    private final NDManager manager;
    private final MultimodalDataset train;
    private final MultimodalDataset validation;
    private final ModelConfig model;
    private final TrainConfig trainConfig;
    private final int seed;
    private final Shape[] inputShapes;
    private final int epochs;
    private final long totalSteps;
    private final Random random;
    private int epoch;
    private long step;

    TrainingContext(
            MultimodalNet student,
            UnaryOperator<NDList> studentForward,
            NDManager manager,
            MultimodalDataset train,
            MultimodalDataset validation,
            ModelConfig model,
            TrainConfig trainConfig,
            int seed,
            Shape[] inputShapes,
            long totalSteps,
            Random random) {
        this.student = student;
        this.studentForward = studentForward;
        this.manager = manager;
        this.train = train;
        this.validation = validation;
        this.model = model;
        this.trainConfig = trainConfig;
        this.seed = seed;
        this.inputShapes = inputShapes;
        this.epochs = trainConfig.epochs();
        this.totalSteps = totalSteps;
        this.random = random;
    }

    public MultimodalNet student() {
        return student;
    }

    /**
     * Runs the student in training mode on further inputs (a second view, a paired sample); call
     * it inside the step's gradient collector, from {@link dev.selfdistill.distill.Method#loss}.
     */
    public NDList forwardStudent(NDList inputs) {
        return studentForward.apply(inputs);
    }

    /** The model's manager: arrays that must live for the whole run (teachers, caches). */
    public NDManager manager() {
        return manager;
    }

    public MultimodalDataset train() {
        return train;
    }

    /** Returns the validation split, for methods that train a teacher of their own. */
    public MultimodalDataset validation() {
        return validation;
    }

    public ModelConfig model() {
        return model;
    }

    /** Returns the study's training settings, for methods that train a teacher of their own. */
    public TrainConfig trainConfig() {
        return trainConfig;
    }

    /** Returns the run's seed. */
    public int seed() {
        return seed;
    }

    /** Input shapes the student was initialised with, for building a teacher of the same shape. */
    public Shape[] inputShapes() {
        return inputShapes.clone();
    }

    /** Current epoch, starting at 1. */
    public int epoch() {
        return epoch;
    }

    public int epochs() {
        return epochs;
    }

    /** Optimizer steps taken so far. */
    public long step() {
        return step;
    }

    public long totalSteps() {
        return totalSteps;
    }

    /** Fraction of training done, in [0, 1], by optimizer steps. */
    public double progress() {
        return totalSteps == 0 ? 1 : Math.min(1.0, step / (double) totalSteps);
    }

    /** The run's seeded random source, for methods that draw (pairs, views). */
    public Random random() {
        return random;
    }

    void setEpoch(int epoch) {
        this.epoch = epoch;
    }

    void advanceStep() {
        step++;
    }
}
