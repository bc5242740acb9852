package dev.selfdistill.cli;

import dev.selfdistill.UserError;
import dev.selfdistill.data.AvMnistData;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code selfdistill data}: getting datasets. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Fetches and inspects datasets.", subcommands = {DataCommand.Fetch.class, InspectCommand.class})
final class DataCommand implements Runnable {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code selfdistill data fetch av-mnist}. */
    @Command(
            name = "fetch",
            mixinStandardHelpOptions = true,
            description = {
                "Puts a dataset's sources in the data folder: copied from a local mirror when one is given,",
                "otherwise downloaded from their public homes; checksums are verified either way."
            })
    static final class Fetch implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DATASET", description = "Dataset name: av-mnist.")
        String dataset;

        @Option(names = "--data", paramLabel = "DIR", description = "Data folder; default: $SELFDISTILL_DATA or ~/.cache/selfdistill.")
        String data;

        @Option(names = "--mirror", paramLabel = "DIR", description = "Local mirror folder to copy from; default: $SELFDISTILL_MIRROR.")
        String mirror;

        @Option(names = "--no-verify", description = "Skip checksum verification.")
        boolean noVerify;

        @Override
        public Integer call() {
            if (!dataset.equals("av-mnist")) {
                throw new UserError("unknown dataset '" + dataset + "'; datasets that can be fetched: av-mnist");
            }
            Path dataDir = AvMnistData.resolveDataDir(data);
            Path mirrorDir = AvMnistData.resolveMirror(mirror);
            Path result = AvMnistData.fetch(dataDir, mirrorDir, !noVerify, System.out);
            System.out.println("AV-MNIST sources are in " + result);
            return 0;
        }
    }
}
