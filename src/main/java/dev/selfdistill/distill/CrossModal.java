package dev.selfdistill.distill;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.selfdistill.model.ModelOutput;
import dev.selfdistill.train.Batch;
import dev.selfdistill.train.TrainingContext;
import java.util.List;

/**
 * Cross-modal self-distillation: the fused prediction teaches a classifier head on each modality's
 * embedding, in the spirit of multimodal self-distillation (Ma et al., 2023). No weight is taken
 * from that work. With z_f the fused logits, z_m the logits of modality m's head, and r_im = 1 when
 * sample i has modality m:
 *
 * <pre>
 *   L = CE(y, z_f)
 *       + w_ce  sum_m mean_{i: r_im = 1} CE(y, z_m)
 *       + w_kd  sum_m mean_{i: r_im = 1} T^2 KL(softmax(z_f / T) || softmax(z_m / T))
 *       + w_ens mean_i T^2 KL(e_i || softmax(z_f / T))                  (if ensemble_teaches_fused)
 *   e_i = sum_m r_im softmax(z_m / T) / sum_m r_im
 * </pre>
 *
 * The teachers (z_f in the modality terms, the ensemble e in the last term) are detached. Because
 * the fused head starts untrained, the weights w_kd and w_ens rise linearly from 0 over the first
 * {@code warmup_epochs} epochs, as ema-teacher ramps its distillation weight. In one 3-epoch
 * AV-MNIST run without the ramp ({@code max_images} 2000, seed 0), every head collapsed to a
 * constant prediction in the first epoch, as the untrained fused teacher taught the modality heads
 * a near-uniform output. Modality terms skip samples without the modality, so with {@code
 * training.augmentation.modality_dropout} a dropped modality's head is not trained to guess the
 * label from zeros, while the fused head still learns to predict with one modality missing. The
 * ensemble averages only the heads whose modality the sample has.
 *
 * <p>Defaults: {@code modality_ce_weight} 0.5 and {@code modality_kd_weight} 0.5 give each modality
 * head an even split between the labels and the fused teacher (as born-again's alpha 0.5 in this
 * project) and a total weight of 1, the fused head's own weight, so neither side dominates the
 * encoders' gradients. {@code temperature} 2 softens the fused teacher moderately, because a single
 * modality cannot reach the fused head's confidence on samples it alone does not decide. {@code
 * ensemble_teaches_fused} false and {@code ensemble_weight} 0.5 (used only when the flag is on)
 * keep the fused head on its baseline objective unless asked. {@code warmup_epochs} 1.
 */
public final class CrossModal implements Method {
    public static final String NAME = "cross-modal";

    /** Validated hyperparameters. */
    public record Settings(
            double modalityCeWeight,
            double modalityKdWeight,
            double temperature,
            boolean ensembleTeachesFused,
            double ensembleWeight,
            double warmupEpochs) {
        /** Reads the parameters with their defaults, rejecting unknown keys and invalid values. */
        public static Settings from(MethodParams params) {
            Settings settings =
                    new Settings(
                            params.number("modality_ce_weight", 0.5, 0, 1000),
                            params.number("modality_kd_weight", 0.5, 0, 1000),
                            params.positive("temperature", 2.0),
                            params.flag("ensemble_teaches_fused", false),
                            params.number("ensemble_weight", 0.5, 0, 1000),
                            params.number("warmup_epochs", 1, 0, 1000));
            params.checkAllRead();
            return settings;
        }
    }

    /** Validates the parameters and returns the plan that creates one method per run. */
    public static MethodPlan plan(MethodParams params) {
        Settings settings = Settings.from(params);
        return Methods.simple(NAME, params, () -> new CrossModal(settings));
    }

    private final Settings settings;

    /** Creates the method for one run. */
    public CrossModal(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsModalityHeads() {
        return true;
    }

    @Override
    public LossTerms loss(Batch batch, ModelOutput student, TrainingContext context) {
        NDArray presence = batch.inputs().get(batch.inputs().size() - 1);
        return loss(
                student.logits(),
                student.modalityLogits(),
                batch.labels(),
                presence,
                ramp(context));
    }

    /** Returns the warm-up factor min(1, step / (warmup_epochs * steps per epoch)). */
    double ramp(TrainingContext context) {
        if (settings.warmupEpochs() <= 0) {
            return 1;
        }
        double stepsPerEpoch = context.totalSteps() / (double) context.epochs();
        return Math.min(1.0, context.step() / (settings.warmupEpochs() * stepsPerEpoch));
    }

    /**
     * Returns the loss terms.
     *
     * @param fused fused logits (batch, classes)
     * @param modalityLogits one (batch, classes) array per modality head
     * @param labels class indices (batch)
     * @param presence (batch, modalities), 1 where the sample has the modality
     * @param ramp warm-up factor in [0, 1] on the weights of the teacher terms
     */
    LossTerms loss(
            NDArray fused,
            List<NDArray> modalityLogits,
            NDArray labels,
            NDArray presence,
            double ramp) {
        if (modalityLogits.isEmpty()) {
            throw new IllegalStateException(
                    "cross-modal needs modality heads, but the network has none");
        }
        double temperature = settings.temperature();
        NDArray ce = null;
        NDArray kd = null;
        for (int m = 0; m < modalityLogits.size(); m++) {
            NDArray logits = modalityLogits.get(m);
            NDArray mask = presence.get(":, {}", m);
            NDArray headCe =
                    SampleLosses.maskedMean(SampleLosses.crossEntropy(logits, labels), mask);
            NDArray headKd =
                    SampleLosses.maskedMean(
                            SampleLosses.distillation(logits, fused, temperature), mask);
            ce = ce == null ? headCe : ce.add(headCe);
            kd = kd == null ? headKd : kd.add(headKd);
        }
        LossTerms terms =
                new LossTerms()
                        .add("ce", 1.0, Losses.crossEntropy(fused, labels))
                        .add("modality_ce", settings.modalityCeWeight(), ce)
                        .add("modality_kd", ramp * settings.modalityKdWeight(), kd);
        if (settings.ensembleTeachesFused()) {
            NDArray ensemble = ensemble(modalityLogits, presence, temperature);
            NDArray present = presence.sum(new int[] {1}).gt(0);
            NDArray ensembleKd =
                    SampleLosses.maskedMean(
                            SampleLosses.distillationFromProbabilities(
                                    fused, ensemble, temperature),
                            present);
            terms.add("ensemble_kd", ramp * settings.ensembleWeight(), ensembleKd);
        }
        return terms;
    }

    /**
     * Returns the mean of the present modality heads' probabilities at temperature T, (batch,
     * classes), detached; a sample with no modality gets zeros.
     */
    static NDArray ensemble(List<NDArray> modalityLogits, NDArray presence, double temperature) {
        NDList weighted = new NDList();
        for (int m = 0; m < modalityLogits.size(); m++) {
            NDArray probabilities =
                    modalityLogits.get(m).stopGradient().div((float) temperature).softmax(1);
            weighted.add(probabilities.mul(presence.get(":, {}:{}", m, m + 1)));
        }
        NDArray sum =
                weighted.size() == 1
                        ? weighted.get(0)
                        : NDArrays.stack(weighted).sum(new int[] {0});
        NDArray count = presence.sum(new int[] {1}, true).maximum(1f);
        return sum.div(count);
    }
}
