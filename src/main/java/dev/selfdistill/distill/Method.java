package dev.selfdistill.distill;

import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.train.Batch;
import dev.selfdistill.train.TrainingContext;

/**
 * A training method: its loss, its teacher and what it does after each step or epoch. One
 * training loop serves every method; see {@code TrainingLoop}.
 */
public interface Method extends AutoCloseable {
    /** Returns the registry name, for example {@code ema-teacher}. */
    String name();

    /** Returns whether the network needs a classifier head per modality. */
    default boolean needsModalityHeads() {
        return false;
    }

    /** Returns the extra heads (auxiliary classifiers, projection heads) the method trains. */
    default java.util.List<dev.selfdistill.model.HeadSpec> heads() {
        return java.util.List.of();
    }

    /**
     * Returns the extra heads for a network over the given modalities and classes; the training
     * loop calls this form, before the network exists. Heads on encoder stages need the modality
     * names, the stage count and the class count, which {@link #heads()} cannot know. The default
     * returns {@link #heads()}.
     *
     * @param modalities modality names in input order
     * @param numClasses number of classes
     * @param model the architecture the network is built from
     */
    default java.util.List<dev.selfdistill.model.HeadSpec> heads(
            java.util.List<String> modalities, int numClasses, dev.selfdistill.model.ModelConfig model) {
        return heads();
    }

    /**
     * Returns the extra heads for a network of the given architecture on the given data, for heads
     * whose width depends on the layers they predict; the training loop calls this form. The
     * default returns {@link #heads(java.util.List, int, dev.selfdistill.model.ModelConfig)}.
     */
    default java.util.List<dev.selfdistill.model.HeadSpec> heads(
            dev.selfdistill.model.ModelConfig model, dev.selfdistill.data.MultimodalDataset train) {
        return heads(train.modalities(), train.numClasses(), model);
    }

    /**
     * Returns the samples the run trains on; the default is the whole training split. A method
     * that sees only part of the labels (a labelled-subset reference) returns a subset.
     *
     * @param seed the run's seed, for a reproducible draw
     */
    default dev.selfdistill.data.MultimodalDataset trainingData(
            dev.selfdistill.data.MultimodalDataset train, int seed) {
        return train;
    }

    /**
     * Returns diagnostics of the epoch that just ended (for example signs of representation
     * collapse), stored in the epoch's record; called after {@link #afterEpoch}. Empty by default.
     */
    default java.util.Map<String, Double> epochDiagnostics() {
        return java.util.Map.of();
    }

    /**
     * Returns whether the method trains the fused classifier head on labels. Label-free methods
     * return false, so their classifier metrics are not reported as if the head were trained.
     */
    default boolean trainsClassifier() {
        return true;
    }

    /**
     * Prepares teachers or per-sample state; called once before the first step, outside any
     * gradient collector. A method may train a separate teacher here with {@code
     * TrainingLoop.train}; its cost then counts in this run's wall time.
     */
    default void start(TrainingContext context) {}

    /** Returns the loss terms of one batch given the student's output on the batch's inputs. */
    LossTerms loss(Batch batch, ModelOutput student, TrainingContext context);

    /** Runs after each optimizer step, for example an EMA update of the teacher. */
    default void afterStep(TrainingContext context) {}

    /** Runs after each epoch. */
    default void afterEpoch(int epoch, TrainingContext context) {}

    /** Releases teacher arrays. */
    @Override
    default void close() {}
}
