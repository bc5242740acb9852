package dev.selfdistill.distill;

import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.train.Batch;
import dev.selfdistill.train.TrainingContext;

/**
 * The supervised reference for {@link PseudoLabel}: the baseline (cross-entropy of the fused
 * logits) trained only on the stratified labelled subset of {@link LabeledSubset}. It uses the
 * same {@code labeled_fraction} (default 0.1), {@code subset_repeats} (default round(1 /
 * labeled_fraction)) and seed, so it is the same network as the pseudo-label teacher. Each epoch
 * visits the subset {@code subset_repeats} times, so the run takes about as many optimizer steps
 * as the baseline.
 */
public final class LabeledOnly implements Method {
    public static final String NAME = "labeled-only";

    /** Validated hyperparameters. */
    public record Settings(LabeledSubset.Settings subset) {
        /** Reads the settings and rejects unknown keys. */
        public static Settings from(MethodParams params) {
            Settings settings = new Settings(LabeledSubset.Settings.from(params));
            params.checkAllRead();
            return settings;
        }
    }

    private final Settings settings;

    public LabeledOnly(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MultimodalDataset trainingData(MultimodalDataset train, int seed) {
        LabeledSubset.Settings subset = settings.subset();
        int[] labeled = LabeledSubset.stratified(train.labels(), train.numClasses(), subset.fraction(), seed);
        return train.subset(LabeledSubset.repeated(labeled, subset.effectiveRepeats()));
    }

    @Override
    public LossTerms loss(Batch batch, ModelOutput student, TrainingContext context) {
        return new LossTerms().add("ce", 1.0, Losses.crossEntropy(student.logits(), batch.labels()));
    }
}
