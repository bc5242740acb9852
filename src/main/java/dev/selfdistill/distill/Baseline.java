package dev.selfdistill.distill;

import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.train.Batch;
import dev.selfdistill.train.TrainingContext;

/** Ordinary training: cross-entropy of the fused logits against the labels. No parameters. */
public final class Baseline implements Method {
    public static final String NAME = "baseline";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LossTerms loss(Batch batch, ModelOutput student, TrainingContext context) {
        return new LossTerms().add("ce", 1.0, Losses.crossEntropy(student.logits(), batch.labels()));
    }
}
