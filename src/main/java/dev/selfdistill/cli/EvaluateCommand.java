package dev.selfdistill.cli;

import dev.selfdistill.data.AvMnistData;
import dev.selfdistill.study.StudyEvaluator;
import dev.selfdistill.study.StudyResults;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code selfdistill evaluate STUDY_DIR}: measures the saved models again without retraining. */
@Command(
        name = "evaluate",
        mixinStandardHelpOptions = true,
        description = {
            "Reloads every run's saved model, runs all evaluations again (classifier metrics,",
            "linear probe, k-NN, retrieval, robustness sweeps, calibration, projection) and",
            "rewrites each run's metrics and evaluation files and the report."
        })
final class EvaluateCommand implements Callable<Integer> {
    @Parameters(
            index = "0",
            paramLabel = "STUDY_DIR",
            description = "A study folder written by `selfdistill compare`.")
    Path studyDir;

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Data folder; default: $SELFDISTILL_DATA or ~/.cache/selfdistill.")
    String data;

    @Override
    public Integer call() {
        Path dataDir = AvMnistData.resolveDataDir(data);
        StudyResults results = new StudyEvaluator(studyDir, dataDir, System.out).run();
        System.out.println();
        System.out.print(results.table());
        System.out.println("Report: " + studyDir.resolve("report.html"));
        return 0;
    }
}
