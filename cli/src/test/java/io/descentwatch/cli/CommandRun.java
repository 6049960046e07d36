package io.descentwatch.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the descentwatch command line: its exit code and what it printed. */
record CommandRun(int exitCode, String out, String err) {

    /** The whole command line, as the launcher runs it. */
    static CommandRun of(String... args) {
        return of(DescentWatchCommand.commandLine(), args);
    }

    /** One subcommand on its own. */
    static CommandRun of(Object command, String... args) {
        return of(DescentWatchCommand.configured(command), args);
    }

    private static CommandRun of(CommandLine cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new CommandRun(code, out.toString(), err.toString());
    }
}
