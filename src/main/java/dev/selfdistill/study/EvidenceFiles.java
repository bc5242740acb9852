package dev.selfdistill.study;

import com.fasterxml.jackson.databind.JsonNode;
import dev.selfdistill.UserError;
import dev.selfdistill.eval.ClassificationMetrics;
import dev.selfdistill.eval.Projection;
import dev.selfdistill.eval.RobustnessCurve;
import dev.selfdistill.eval.RunEvidence;
import dev.selfdistill.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the evidence files of a run folder, so that {@code selfdistill report} redraws
 * every curve, diagram and projection without the models:
 *
 * <ul>
 *   <li>{@code robustness.json}: {@code {"curves": [...]}}, one {@link RobustnessCurve} per sweep;
 *   <li>{@code reliability.json}: {@code {"bins": [...]}}, per confidence bin its edges, sample
 *       count, sum of confidences and number of correct predictions, which are additive, so bins of
 *       several seeds pool by summing;
 *   <li>{@code projection.json}: the {@link Projection} of the joint test embedding.
 * </ul>
 *
 * <p>A file is written only when the run has that evidence, so an ensemble has only {@code
 * reliability.json}.
 */
public final class EvidenceFiles {
    public static final String ROBUSTNESS = "robustness.json";
    public static final String RELIABILITY = "reliability.json";
    public static final String PROJECTION = "projection.json";

    private EvidenceFiles() {}

    /**
     * One reliability bin in additive form.
     *
     * @param lower lower edge of the confidence bin
     * @param upper upper edge of the confidence bin
     * @param count samples whose confidence falls in the bin
     * @param confidenceSum sum of those samples' confidences
     * @param correct samples among them whose prediction equals the label
     */
    public record BinCounts(
            double lower, double upper, int count, double confidenceSum, int correct) {
        /** Converts a bin of {@link ClassificationMetrics#reliability}. */
        public static BinCounts of(ClassificationMetrics.ReliabilityBin bin) {
            if (bin.count() == 0) {
                return new BinCounts(bin.lower(), bin.upper(), 0, 0, 0);
            }
            return new BinCounts(
                    bin.lower(),
                    bin.upper(),
                    bin.count(),
                    bin.meanConfidence() * bin.count(),
                    (int) Math.round(bin.accuracy() * bin.count()));
        }

        /** Converts back, with NaN mean confidence and accuracy for an empty bin. */
        public ClassificationMetrics.ReliabilityBin toBin() {
            double meanConfidence = count == 0 ? Double.NaN : confidenceSum / count;
            double accuracy = count == 0 ? Double.NaN : (double) correct / count;
            return new ClassificationMetrics.ReliabilityBin(
                    lower, upper, count, meanConfidence, accuracy);
        }
    }

    private record RobustnessFile(List<RobustnessCurve> curves) {}

    private record ReliabilityFile(List<BinCounts> bins) {}

    /** Writes the evidence files of one run. */
    public static void write(Path runDir, RunEvidence evidence) {
        if (!evidence.robustness().isEmpty()) {
            AtomicFiles.writeString(
                    runDir.resolve(ROBUSTNESS),
                    StudyFiles.toJson(new RobustnessFile(evidence.robustness())));
        }
        List<BinCounts> bins = evidence.reliability().stream().map(BinCounts::of).toList();
        AtomicFiles.writeString(
                runDir.resolve(RELIABILITY), StudyFiles.toJson(new ReliabilityFile(bins)));
        if (evidence.projection() != null) {
            AtomicFiles.writeString(
                    runDir.resolve(PROJECTION), StudyFiles.toJsonLine(evidence.projection()));
        }
    }

    /**
     * Reads the evidence of one run, or returns null when the folder has none of the files (a study
     * written before these files existed).
     *
     * @throws UserError when a file exists but cannot be parsed
     */
    public static RunEvidence read(Path runDir) {
        Path robustnessFile = runDir.resolve(ROBUSTNESS);
        Path reliabilityFile = runDir.resolve(RELIABILITY);
        Path projectionFile = runDir.resolve(PROJECTION);
        if (!Files.exists(robustnessFile)
                && !Files.exists(reliabilityFile)
                && !Files.exists(projectionFile)) {
            return null;
        }
        List<RobustnessCurve> curves = List.of();
        List<ClassificationMetrics.ReliabilityBin> bins = new ArrayList<>();
        Projection projection = null;
        Path current = robustnessFile;
        try {
            if (Files.exists(robustnessFile)) {
                curves =
                        StudyFiles.json()
                                .readValue(robustnessFile.toFile(), RobustnessFile.class)
                                .curves();
            }
            current = reliabilityFile;
            if (Files.exists(reliabilityFile)) {
                for (BinCounts bin :
                        StudyFiles.json()
                                .readValue(reliabilityFile.toFile(), ReliabilityFile.class)
                                .bins()) {
                    bins.add(bin.toBin());
                }
            }
            current = projectionFile;
            if (Files.exists(projectionFile)) {
                projection = StudyFiles.json().readValue(projectionFile.toFile(), Projection.class);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new UserError(
                    current
                            + ": cannot read the evaluation file ("
                            + e.getMessage().lines().findFirst().orElse("")
                            + "); run `selfdistill evaluate` on the study folder to write it"
                            + " again");
        }
        return new RunEvidence(curves, bins, projection);
    }

    /**
     * Returns whether the run's method trains the fused classifier on labels, from {@code
     * trains_classifier} in its {@code config.json}; true when the key or file is missing.
     */
    public static boolean trainsClassifier(Path runDir) {
        Path config = runDir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return true;
        }
        try {
            JsonNode node = StudyFiles.json().readTree(config.toFile()).get("trains_classifier");
            return node == null || node.asBoolean(true);
        } catch (IOException e) {
            throw new UserError(
                    config
                            + ": cannot read the run's config ("
                            + e.getMessage().lines().findFirst().orElse("")
                            + "); the study folder may be damaged");
        }
    }
}
