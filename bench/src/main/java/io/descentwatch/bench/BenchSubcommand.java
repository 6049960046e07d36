package io.descentwatch.bench;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A benchmark: measures and prints its Markdown tables to the command's output. */
abstract class BenchSubcommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        measure(out);
        out.flush();
        return 0;
    }

    abstract void measure(PrintWriter out) throws Exception;
}
