package io.descentwatch.options;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure inside a command into one clear line on stderr and exit code 1, instead of a stack trace.
 * DW_DEBUG=1 shows the trace.
 */
final class ErrorReporter implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        cmd.getErr().println(cmd.getColorScheme().errorText("descentwatch " + cmd.getCommandName() + ": " + message));
        if ("1".equals(System.getenv("DW_DEBUG"))) {
            ex.printStackTrace(cmd.getErr());
        }
        return 1;
    }
}
