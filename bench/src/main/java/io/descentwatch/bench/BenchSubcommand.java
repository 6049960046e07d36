package io.descentwatch.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** A benchmark: measures and prints its Markdown tables to the command's output. */
abstract class BenchSubcommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        measure(out);
        out.flush();
        return status();
    }

    abstract void measure(PrintWriter out) throws Exception;

    /** The exit status once measured: 0, unless a benchmark checks its figures against a line they must hold. */
    int status() {
        return 0;
    }
}
