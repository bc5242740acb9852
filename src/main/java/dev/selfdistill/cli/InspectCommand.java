package dev.selfdistill.cli;

import dev.selfdistill.data.AvMnist;
import dev.selfdistill.data.AvMnistConfig;
import dev.selfdistill.data.AvMnistData;
import dev.selfdistill.data.Datasets;
import dev.selfdistill.data.MultimodalDataset;
import dev.selfdistill.data.manifest.ManifestProblem;
import dev.selfdistill.study.StudyConfig;
import dev.selfdistill.study.StudyFiles;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code selfdistill data inspect}: a dataset's schema, split sizes, classes and missing inputs. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = "Prints a dataset's inputs (modality, shape), split sizes, class balance and missing-input counts.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DATASET_OR_STUDY", description = "A built-in dataset (av-mnist, fashion-mnist) or a study file (YAML).")
    String target;

    @Option(names = "--data", paramLabel = "DIR", description = "Data folder; default: $SELFDISTILL_DATA or ~/.cache/selfdistill.")
    String data;

    @Option(names = "--skip-invalid", description = "Leave invalid manifest rows out and list them, instead of failing.")
    boolean skipInvalid;

    @Override
    public Integer call() {
        Path dataDir = AvMnistData.resolveDataDir(data);
        Datasets.Loaded loaded;
        if (Files.isRegularFile(Path.of(target)) || target.endsWith(".yaml") || target.endsWith(".yml")) {
            StudyConfig config = StudyFiles.read(Path.of(target));
            config.validate();
            loaded = Datasets.load(config.dataset(), dataDir, config.data(), config.manifest(), skipInvalid);
        } else {
            loaded = Datasets.load(target, dataDir, AvMnistConfig.defaults(), null, skipInvalid);
        }
        print(loaded, System.out);
        return 0;
    }

    static void print(Datasets.Loaded loaded, PrintStream out) {
        AvMnist.Splits splits = loaded.splits();
        splits.description().forEach(out::println);
        MultimodalDataset train = splits.train();
        out.println();
        out.println("Inputs:");
        for (int m = 0; m < train.modalities().size(); m++) {
            out.println("  " + train.modalities().get(m) + ": shape " + Arrays.toString(train.shape(m)));
        }
        List<String> names = List.of("train", "validation", "test");
        List<MultimodalDataset> sets = List.of(train, splits.validation(), splits.test());
        out.println();
        out.printf("%-11s %7s  %s%n", "split", "samples", "missing per input");
        for (int s = 0; s < sets.size(); s++) {
            MultimodalDataset set = sets.get(s);
            StringBuilder missing = new StringBuilder();
            for (int m = 0; m < set.modalities().size(); m++) {
                int count = 0;
                for (float p : set.presence(m)) {
                    count += p == 0 ? 1 : 0;
                }
                missing.append(m == 0 ? "" : ", ").append(set.modalities().get(m)).append(' ').append(count);
            }
            out.printf("%-11s %7d  %s%n", names.get(s), set.size(), missing);
        }
        out.println();
        out.println("Samples per class (train / validation / test):");
        for (int c = 0; c < train.numClasses(); c++) {
            out.printf("  %s: %d / %d / %d%n", loaded.classes().get(c), train.classCounts()[c], splits.validation().classCounts()[c], splits.test().classCounts()[c]);
        }
        if (!loaded.skipped().isEmpty()) {
            out.println();
            out.println("Skipped " + loaded.skipped().size() + " invalid rows:");
            out.println(ManifestProblem.csvHeader());
            loaded.skipped().forEach(problem -> out.println(problem.csvRow()));
        }
    }
}
