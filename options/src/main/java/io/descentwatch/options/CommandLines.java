package io.descentwatch.options;

import picocli.CommandLine;

/**
 * A command line as the launcher runs it, for every program of the project (the product's {@code descentwatch}
 * and the benchmarks'): unknown commands and values out of range are usage errors (exit 2), a failure inside a
 * command is one line on stderr (exit 1).
 */
public final class CommandLines {

    private CommandLines() {}

    public static CommandLine configured(Object command) {
        return new CommandLine(command)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionStrategy(new CheckedExecution())
                .setExecutionExceptionHandler(new ErrorReporter());
    }
}
