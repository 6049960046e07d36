package io.descentwatch.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;

/** `bench stopping`: DescentWatch's stopping advice against classic early-stopping rules on real DL4J curves. */
@Command(name = "stopping", mixinStandardHelpOptions = true,
        description = "Early stopping on real DL4J curves: DescentWatch's advice against patience 3, patience 10, "
                + "Prechelt GL5 and training to the end, on runs held out of tuning (and on the tuning runs).")
final class StoppingBenchCommand extends BenchSubcommand {
    @Option(names = "--curves", paramLabel = "FILE",
            description = "Runs to judge on, as epoch events in JSON lines, gzipped or not, each trained to its "
                    + "end (default: the DL4J curves shipped with the benchmark, made by "
                    + "bench/stopping/generate-curves.sh).")
    java.nio.file.Path curves;

    @Option(names = "--trace", paramLabel = "TEXT",
            description = "Instead of the tables, print every evaluation of the runs whose id contains TEXT: "
                    + "losses, the detector's phase and each rule's stop.")
    String trace;

    @CommandLine.Mixin
    io.descentwatch.detection.DetectionSettings settings;

    @Override
    void measure(PrintWriter out) throws Exception {
        var all = io.descentwatch.bench.stopping.StoppingCurves.load(curves);
        if (trace != null) {
            io.descentwatch.bench.stopping.StoppingTrace.print(out, all, trace, settings);
        } else {
            io.descentwatch.bench.stopping.StoppingBench.print(out, all, settings);
        }
    }
}
