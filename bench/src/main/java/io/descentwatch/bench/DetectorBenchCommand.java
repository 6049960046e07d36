package io.descentwatch.bench;

import io.descentwatch.options.Range;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** `bench detector`: sustained events per second of the full detector topology against a pass-through one. */
@Command(name = "detector", mixinStandardHelpOptions = true,
        description = "Sustained events/s: full detector topology vs pass-through, same broker and events.")
final class DetectorBenchCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ServerOptions servers = new ServerOptions();

    @Option(names = "--runs", defaultValue = "5000", description = "Runs (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "10000000")
    int runs;

    @Option(names = "--epochs", defaultValue = "200", description = "Evaluations per run (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "1000000")
    int epochs;

    @Option(names = "--repetitions", defaultValue = "3", description = "Alternating repetitions (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "1000")
    int repetitions;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (BenchServers s = new BenchServers(servers.bootstrap, null, false)) {
            DetectorThroughputBench.Result r = DetectorThroughputBench.run(s.kafka, runs, epochs, repetitions);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("| topology | events | events/s (median of %d) | each run |%n", repetitions);
            out.println("| --- | --- | --- | --- |");
            out.printf("| detector (full) | %s | %s | %s |%n", Stats.fmt(r.events()),
                    Stats.fmt(Stats.median(r.detector())), Stats.each(r.detector()));
            out.printf("| pass-through | %s | %s | %s |%n", Stats.fmt(r.events()),
                    Stats.fmt(Stats.median(r.passThrough())), Stats.each(r.passThrough()));
            out.printf(Locale.ROOT, "%ndetector / pass-through = %.2f (median of the rounds' ratios)%n", r.ratio());
        }
        return 0;
    }
}
