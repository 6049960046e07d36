package io.descentwatch.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the descentwatch command line: its exit code and what it printed. */
record CommandRun(int exitCode, String out, String err) {

    /** The whole command line, as the launcher runs it (with the benchmarks, a program of their own, as "bench"). */
    static CommandRun of(String... args) {
        return of(everything(), args);
    }

    /**
     * The product's command line with the benchmarks' under "bench", as {@code ./descentwatch} reaches both: what
     * the tests of every command (their options, their errors) walk.
     */
    static CommandLine everything() {
        CommandLine all = DescentWatchCommand.commandLine();
        // configured as its own launcher configures it: the parent's settings reach only the subcommands it had then
        all.addSubcommand(
                "bench", io.descentwatch.options.CommandLines.configured(new io.descentwatch.bench.BenchCommand()));
        return all;
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
