package dev.selfdistill.report;

import dev.selfdistill.study.Comparison;
import dev.selfdistill.study.EpochRecord;
import dev.selfdistill.study.Metrics;
import dev.selfdistill.study.RunResult;
import dev.selfdistill.study.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Hand-built study reports for the report tests: three labels (a baseline, a self-distilled
 * method and a born-again ensemble without epochs), three seeds each, and comparisons of which
 * one has NaN p-values.
 */
final class SampleReports {
    static final String BASELINE = "baseline";
    static final String SELF_DISTILL = "self-distill";
    static final String ENSEMBLE = "born-again ensemble";
    static final String AUDIO_METRIC = Metrics.ACCURACY_WITHOUT + "audio";
    static final int[] SEEDS = {1, 2, 3};
    static final int EPOCHS = 5;

    /** Verdict of the comparison whose p-values are NaN. */
    static final String UNTESTED_VERDICT =
            "Not tested: the ensemble has fewer than three seeds with this metric.";

    private SampleReports() {}

    /** Returns the standard sample report. */
    static StudyReport standard() {
        return withTitle("Self-distillation on AV-MNIST & friends <v1>");
    }

    /** Returns the standard sample report with another title. */
    static StudyReport withTitle(String title) {
        List<String> labels = List.of(BASELINE, SELF_DISTILL, ENSEMBLE);
        List<String> metrics =
                List.of(
                        Metrics.TEST_ACCURACY,
                        Metrics.TEST_NLL,
                        Metrics.TEST_ECE,
                        AUDIO_METRIC,
                        Metrics.WALL_SECONDS);

        List<RunResult> runs = new ArrayList<>();
        for (int seed : SEEDS) {
            runs.add(run("plain", BASELINE, seed, 0.840 + 0.004 * seed, 1.0, true));
            runs.add(run("self-distill", SELF_DISTILL, seed, 0.851 + 0.003 * seed, 1.4, true));
            runs.add(run("born-again", ENSEMBLE, seed, 0.860 + 0.002 * seed, 1.0, false));
        }

        Map<String, Map<String, Summary>> summaries = new LinkedHashMap<>();
        for (String label : labels) {
            Map<String, Summary> byMetric = new LinkedHashMap<>();
            for (String metric : metrics) {
                double[] values =
                        runs.stream()
                                .filter(run -> run.label().equals(label))
                                .mapToDouble(run -> run.metric(metric))
                                .filter(Double::isFinite)
                                .toArray();
                if (values.length > 0) {
                    byMetric.put(metric, summarise(values));
                }
            }
            summaries.put(label, byMetric);
        }
        // One seed only, so the interval is NaN and the chart must draw no error bar.
        summaries.get(ENSEMBLE).put(AUDIO_METRIC, new Summary(1, 0.52, Double.NaN, Double.NaN,
                Double.NaN));

        List<Comparison> comparisons =
                List.of(
                        new Comparison(
                                SELF_DISTILL, BASELINE, Metrics.TEST_ACCURACY, 3, 0.0050, 0.0031,
                                0.0069, 0.0061, 0.25, 0.0122, 5.77,
                                "self-distill is 0.50 points more accurate than baseline."),
                        new Comparison(
                                ENSEMBLE, BASELINE, Metrics.TEST_ACCURACY, 3, 0.0140, 0.0090,
                                0.0190, 0.0042, 0.25, 0.0122, 6.10,
                                "born-again ensemble is 1.40 points more accurate."),
                        new Comparison(
                                SELF_DISTILL, BASELINE, Metrics.TEST_NLL, 3, -0.021, -0.040,
                                -0.002, 0.041, 0.25, 0.082, -1.90,
                                "No clear difference in NLL after Holm correction."),
                        new Comparison(
                                ENSEMBLE, BASELINE, AUDIO_METRIC, 1, 0.02, Double.NaN,
                                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                                UNTESTED_VERDICT));

        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("java", "17.0.15");
        environment.put("djl", "0.36.0");
        environment.put("engine", "PyTorch 2.7.1 (CPU)");
        environment.put("git", "b2e223d");

        String yaml =
                "name: av-mnist\n"
                        + "# Source: https://example.org/av-mnist (text only, never fetched)\n"
                        + "seeds: [1, 2, 3]\n"
                        + "methods:\n"
                        + "  - plain\n"
                        + "  - self-distill\n";

        return new StudyReport(
                title,
                yaml,
                environment,
                runs,
                labels,
                BASELINE,
                metrics,
                summaries,
                comparisons,
                List.of(
                        "Train 5000, validation 1000, test 2000 samples.",
                        "Each method ran with the same three seeds; <b>tags</b> stay text."));
    }

    private static RunResult run(
            String method,
            String label,
            int seed,
            double testAccuracy,
            double lossScale,
            boolean withEpochs) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(Metrics.TEST_ACCURACY, testAccuracy);
        metrics.put(Metrics.TEST_NLL, 0.55 - testAccuracy / 4);
        metrics.put(Metrics.TEST_ECE, 0.030 + 0.002 * seed);
        metrics.put(AUDIO_METRIC, testAccuracy - 0.3);
        metrics.put(Metrics.BEST_EPOCH, (double) EPOCHS - 1);
        metrics.put(Metrics.WALL_SECONDS, 40.0 + seed);
        List<EpochRecord> epochs = new ArrayList<>();
        if (withEpochs) {
            for (int epoch = 1; epoch <= EPOCHS; epoch++) {
                double accuracy = testAccuracy * (1 - 0.5 / (epoch + 0.3 * seed));
                epochs.add(
                        new EpochRecord(
                                epoch,
                                lossScale * (2.0 / epoch + 0.01 * seed),
                                accuracy + 0.02,
                                1.5 / epoch,
                                accuracy,
                                0.01,
                                900.0,
                                8.0));
            }
        }
        return new RunResult(method, label, seed, 0, metrics, epochs);
    }

    /** Returns the mean, sample sd and Student-t 95% interval of {@code values}. */
    static Summary summarise(double[] values) {
        int n = values.length;
        double mean = 0;
        for (double value : values) {
            mean += value / n;
        }
        if (n < 2) {
            return new Summary(n, mean, Double.NaN, Double.NaN, Double.NaN);
        }
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        double sd = Math.sqrt(squares / (n - 1));
        double half = new TDistribution(n - 1).inverseCumulativeProbability(0.975) * sd
                / Math.sqrt(n);
        return new Summary(n, mean, sd, mean - half, mean + half);
    }
}
