package dev.selfdistill.cli;

import dev.selfdistill.data.AvMnistData;
import dev.selfdistill.study.StudyConfig;
import dev.selfdistill.study.StudyFiles;
import dev.selfdistill.study.StudyRunner;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code selfdistill compare}: the main job. */
@Command(
        name = "compare",
        mixinStandardHelpOptions = true,
        description = {
            "Trains every method of a study for every seed, then writes the statistics and the report.",
            "Without a study file it runs the built-in AV-MNIST study."
        })
final class CompareCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "STUDY.yaml", description = "Study file (YAML); default: the built-in AV-MNIST study.")
    Path studyFile;

    @Option(names = "--quick", description = "Quick preset: at most 4,000 images, 6 epochs, 2 seeds, one born-again generation.")
    boolean quick;

    @Option(names = "--output", paramLabel = "DIR", description = "Study folder to create; default: studies/NAME-TIMESTAMP.")
    Path output;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder; default: $SELFDISTILL_DATA or ~/.cache/selfdistill.")
    String data;

    @Option(names = "--mirror", paramLabel = "DIR", description = "Local mirror to copy missing data from; default: $SELFDISTILL_MIRROR.")
    String mirror;

    @Option(names = "--no-fetch", description = "Never copy missing data from the mirror; fail with the fetch command instead.")
    boolean noFetch;

    @Option(names = "--seeds", paramLabel = "N", description = "Run seeds 0..N-1 instead of the study's seeds.")
    Integer seeds;

    @Option(names = "--epochs", paramLabel = "N", description = "Override training.epochs.")
    Integer epochs;

    @Option(names = "--skip-invalid", description = "Leave invalid manifest rows out, and list them in skipped-rows.csv of the study folder, instead of failing.")
    boolean skipInvalid;

    @Override
    public Integer call() {
        StudyConfig config = studyFile == null ? StudyFiles.builtIn() : StudyFiles.read(studyFile);
        if (quick) {
            config = StudyFiles.quick(config);
        }
        config = Overrides.apply(config, seeds, epochs);
        Path outputDir = output != null ? output : Path.of("studies", config.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Path dataDir = AvMnistData.resolveDataDir(data);
        // With a mirror configured, missing data is copied first, so that one command runs a
        // study on a fresh machine; without one, the study fails with the fetch command to run.
        Path mirrorDir = AvMnistData.resolveMirror(mirror);
        // Mistakes in the study file are reported before any data is copied.
        config.validate();
        if (!noFetch && config.dataset().equals("av-mnist") && mirrorDir != null && !AvMnistData.isComplete(dataDir)) {
            AvMnistData.fetch(dataDir, mirrorDir, true, System.out);
        }
        new StudyRunner(config, dataDir, outputDir, System.out, skipInvalid).run();
        return 0;
    }
}
