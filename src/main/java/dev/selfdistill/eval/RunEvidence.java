package dev.selfdistill.eval;

import java.util.List;

/**
 * The data the report draws for one run besides its metrics: robustness curves, reliability bins
 * and the 2-D projection of the joint test embedding. A run that has no model of its own (an
 * ensemble) has empty curves and a null projection.
 *
 * @param robustness one curve per sweep, in suite order
 * @param reliability the {@link RunEvaluator#ECE_BINS} equal-width confidence bins of the test
 *     predictions
 * @param projection the projection of the joint test embedding, or null
 */
public record RunEvidence(
        List<RobustnessCurve> robustness,
        List<ClassificationMetrics.ReliabilityBin> reliability,
        Projection projection) {

    /** Copies the lists. */
    public RunEvidence {
        robustness = List.copyOf(robustness);
        reliability = List.copyOf(reliability);
    }
}
