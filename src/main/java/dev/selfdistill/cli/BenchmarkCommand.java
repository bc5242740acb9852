package dev.selfdistill.cli;

import dev.selfdistill.data.AvMnist;
import dev.selfdistill.data.AvMnistConfig;
import dev.selfdistill.data.AvMnistData;
import dev.selfdistill.distill.Baseline;
import dev.selfdistill.model.ModelConfig;
import dev.selfdistill.train.Inference;
import dev.selfdistill.train.TrainConfig;
import dev.selfdistill.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code selfdistill benchmark}: trains the default network with the baseline loss on AV-MNIST
 * and prints training and inference throughput and peak memory, one {@code name value} pair a
 * line, so that scripts can compare settings (allocator, threads) as ratios within one run.
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true, description = "Prints training and inference throughput and peak memory of the default network.")
final class BenchmarkCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "Data folder; default: $SELFDISTILL_DATA or ~/.cache/selfdistill.")
    String data;

    @Option(names = "--images", paramLabel = "N", defaultValue = "3000", description = "MNIST images to use (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "3", description = "Training epochs; the first is reported separately as warm-up (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() throws IOException {
        AvMnistConfig d = AvMnistConfig.defaults();
        AvMnistConfig dataConfig = new AvMnistConfig(d.seed(), images, d.validationFraction(), d.testFraction(), d.imageNoiseStd(), d.imageOcclusion(), d.audioSnrDb(), d.audio());
        AvMnist.Splits splits = AvMnist.load(AvMnistData.resolveDataDir(data), dataConfig);
        TrainConfig t = TrainConfig.defaults();
        TrainConfig config = new TrainConfig(t.optimizer(), t.learningRate(), t.momentum(), t.weightDecay(), t.schedule(), t.stepEpochs(), t.stepGamma(), batchSize, epochs, 0, t.augmentation());
        config.validate();
        try (TrainingLoop.Trained trained = TrainingLoop.train("benchmark", 0, ModelConfig.defaults(), config, splits.train(), splits.validation(), new Baseline(), null)) {
            var history = trained.epochs();
            double steady = history.stream().skip(1).mapToDouble(e -> e.samplesPerSecond()).average().orElse(history.get(0).samplesPerSecond());
            long start = System.nanoTime();
            Inference.logits(trained.net(), splits.test(), trained.model().getNDManager());
            double inference = splits.test().size() / ((System.nanoTime() - start) / 1e9);
            System.out.printf("train_samples_per_second_first_epoch %.1f%n", history.get(0).samplesPerSecond());
            System.out.printf("train_samples_per_second %.1f%n", steady);
            System.out.printf("inference_samples_per_second %.1f%n", inference);
            System.out.printf("peak_resident_mib %d%n", peakResidentMib());
            System.out.printf("java_heap_used_mib %d%n", (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        }
        return 0;
    }

    /** Reads the process's peak resident set size (VmHWM) from /proc, or -1 where absent. */
    private static long peakResidentMib() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
            }
        }
        return -1;
    }
}
