package io.descentwatch.cli;

import io.descentwatch.options.CommandLines;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one entry point: every role of the product is a subcommand. The benchmarks are a program of their own
 * ({@code ./descentwatch bench}, the bench module), so that they and the test kit they start servers with stay out
 * of the product's classpath.
 */
@Command(
        name = "descentwatch",
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

    /** A command (the whole tool, or one subcommand on its own in tests) as the launcher runs it. */
    static CommandLine configured(Object command) {
        return CommandLines.configured(command);
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
