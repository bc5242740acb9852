package dev.selfdistill.cli;

import dev.selfdistill.UserError;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code selfdistill} command line. */
@Command(
        name = "selfdistill",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "Measures whether self-distillation makes stronger multimodal representations.",
        subcommands = {
            CompareCommand.class,
            DataCommand.class,
            EvaluateCommand.class,
            ReportCommand.class,
            BenchmarkCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /** Exit status for mistakes in the user's input. */
    public static final int USER_ERROR = 2;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // The PyTorch and tokenizers native libraries ship inside the jar, so offline mode only
        // stops DJL from looking for others on the network. Naming the engine keeps the Rust
        // engine, which the tokenizers jar also registers, from becoming the default.
        setDefault("ai.djl.offline", "true");
        setDefault("ai.djl.default_engine", "PyTorch");
        System.exit(execute(args));
    }

    private static void setDefault(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** Runs the command line and returns the exit status, without exiting. */
    public static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            Throwable cause = exception;
            while (cause != null && !(cause instanceof UserError)) {
                cause = cause.getCause();
            }
            if (cause instanceof UserError userError) {
                line.getErr().println("error: " + userError.getMessage());
                return USER_ERROR;
            }
            if (exception instanceof UncheckedIOException io) {
                line.getErr().println("error: " + io.getMessage());
                return 1;
            }
            throw exception;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
