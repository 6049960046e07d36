package io.descentwatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point: every role of the product is a subcommand. */
@Command(name = "descentwatch",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Watches neural-network training live and says when a run reaches the interpolation "
                + "threshold and when double descent occurs.",
        subcommands = {
                VersionCommand.class,
                ReplayCommand.class,
                DetectCommand.class,
                DetectorCommand.class,
                SinkCommand.class,
                TrainCommand.class,
                SweepCommand.class,
                WorkerCommand.class,
                DemoCommand.class,
                ServeCommand.class,
                ReportCommand.class,
                AlertsCommand.class,
                NotificationLogCommand.class,
                io.descentwatch.bench.BenchCommand.class,
                CommandLine.HelpCommand.class
        })
public final class DescentWatchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        return configured(new DescentWatchCommand());
    }

    /**
     * A command (the whole tool, or one subcommand on its own in tests) as the launcher runs it: unknown commands
     * and values out of range are usage errors (exit 2), failures inside a command one line on stderr (exit 1).
     */
    static CommandLine configured(Object command) {
        return new CommandLine(command)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionStrategy(new CheckedExecution())
                .setExecutionExceptionHandler(new ErrorReporter());
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        // After Ctrl-C or SIGTERM the JVM is already exiting, and System.exit would block until the shutdown hooks
        // end, while a hook may be waiting for this thread to finish cleaning up: let it end instead.
        if (!ShutdownHook.jvmExiting()) {
            System.exit(code);
        }
    }
}
