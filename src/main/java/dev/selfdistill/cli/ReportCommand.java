package dev.selfdistill.cli;

import dev.selfdistill.study.StudyResults;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code selfdistill report STUDY_DIR}: rebuilds the report without retraining. */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Rebuilds the statistics and the report of a study folder without retraining.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "STUDY_DIR", description = "A study folder written by `selfdistill compare`.")
    Path studyDir;

    @Override
    public Integer call() {
        StudyResults results = StudyResults.read(studyDir);
        results.write(studyDir);
        System.out.print(results.table());
        System.out.println("Report: " + studyDir.resolve("report.html"));
        return 0;
    }
}
