package dev.selfdistill.eval;

import java.util.List;

/**
 * Test accuracy of one model along one robustness sweep.
 *
 * @param sweep sweep name, for example {@code image_gaussian}
 * @param modality the corrupted modality
 * @param levelTitle x-axis title of the sweep, with its unit
 * @param levels corruption level of each point in the unit of {@code levelTitle}, increasing, the
 *     first being 0 (clean inputs)
 * @param levelLabels short label of each level for tables and alt text, for example {@code 5 dB}
 * @param accuracies test accuracy at each level, in [0, 1]
 */
public record RobustnessCurve(
        String sweep,
        String modality,
        String levelTitle,
        double[] levels,
        List<String> levelLabels,
        double[] accuracies) {

    /** Checks that the arrays match and copies the label list. */
    public RobustnessCurve {
        if (levels.length < 2
                || levels.length != accuracies.length
                || levels.length != levelLabels.size()) {
            throw new IllegalArgumentException(
                    "sweep "
                            + sweep
                            + " needs at least 2 levels with one accuracy and one label"
                            + " each, but has "
                            + levels.length
                            + " levels, "
                            + accuracies.length
                            + " accuracies and "
                            + levelLabels.size()
                            + " labels");
        }
        levelLabels = List.copyOf(levelLabels);
    }

    /** Returns each level's position on the ladder scaled to [0, 1]: (x - x_0) / (x_max - x_0). */
    public double[] positions() {
        double first = levels[0];
        double range = levels[levels.length - 1] - first;
        double[] positions = new double[levels.length];
        for (int i = 0; i < levels.length; i++) {
            positions[i] = (levels[i] - first) / range;
        }
        return positions;
    }

    /**
     * Returns the trapezoid area under accuracy over the scaled ladder, {@link
     * EmbeddingMetrics#trapezoidArea} of ({@link #positions()}, accuracies). It lies in [0, 1]. For
     * evenly spaced levels it is the mean accuracy over the sweep with half weight on the two end
     * levels.
     */
    public double area() {
        return EmbeddingMetrics.trapezoidArea(positions(), accuracies);
    }

    /**
     * Returns {@link EmbeddingMetrics#relativeRobustness} over the scaled ladder, the area divided
     * by the clean accuracy (the first point): 1 when accuracy never drops. Returns NaN when the
     * clean accuracy is 0, where the ratio is undefined.
     */
    public double relative() {
        if (!(accuracies[0] > 0)) {
            return Double.NaN;
        }
        return EmbeddingMetrics.relativeRobustness(positions(), accuracies, accuracies[0]);
    }
}
