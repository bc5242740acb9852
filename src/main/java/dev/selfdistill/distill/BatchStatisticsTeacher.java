package dev.selfdistill.distill;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.selfdistill.model.ModelConfig;
import dev.selfdistill.model.MultimodalNet;
import dev.selfdistill.model.Parameters;
import dev.selfdistill.train.TrainingContext;

/**
 * An EMA teacher that normalises with the batch's statistics: a frozen copy of the student with
 * dropout 0, run in training mode without gradient. DINO's teacher also stays in training mode.
 * The reason here is that an EMA with momentum near 1 also averages the BatchNorm running
 * statistics. In a run of a few hundred steps the teacher's running statistics then stay near
 * their initial 0 and 1 while its activations have moved, so inference mode would normalise with
 * the wrong values. Dropout has no parameters, so the EMA between student and teacher still
 * matches every parameter one to one.
 */
final class BatchStatisticsTeacher {
    private final MultimodalNet net;
    private final ParameterStore store;

    /** Builds the teacher from the run's student, initialised to a copy of it. */
    BatchStatisticsTeacher(TrainingContext context) {
        MultimodalNet student = context.student();
        ModelConfig model = context.model();
        ModelConfig config = new ModelConfig(model.imageEncoder(), model.audioEncoder(), model.fusion(), model.embeddingSize(), model.jointSize(), 0.0);
        net = new MultimodalNet(config, student.modalityNames(), student.numClasses(), student.hasModalityHeads(), student.headSpecs());
        net.initialize(context.manager(), DataType.FLOAT32, context.inputShapes());
        net.freezeParameters(true);
        Parameters.copy(student, net);
        store = new ParameterStore(context.manager(), false);
    }

    /**
     * Runs the teacher on {@code inputs} with batch statistics. Its parameters are frozen, so no
     * gradient reaches them even inside the step's gradient collector.
     */
    NDList forward(NDList inputs) {
        return net.forward(store, inputs, true);
    }

    /** Moves the teacher towards the student: {@code theta_t = m theta_t + (1 - m) theta_s}. */
    void update(MultimodalNet student, double momentum) {
        Parameters.exponentialMovingAverage(student, net, momentum);
    }

    MultimodalNet net() {
        return net;
    }
}
