package io.descentwatch.bench;

import io.descentwatch.options.Range;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bench detector`: sustained events per second of the full detector topology against a pass-through one. */
@Command(
        name = "detector",
        mixinStandardHelpOptions = true,
        description = "Sustained events/s: full detector topology vs pass-through, same broker and events.")
final class DetectorBenchCommand extends BenchSubcommand {
    @CommandLine.Mixin
    ServerOptions servers = new ServerOptions();

    @Option(names = "--runs", defaultValue = "5000", description = "Runs (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "10000000")
    int runs;

    @Option(names = "--epochs", defaultValue = "200", description = "Evaluations per run (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "1000000")
    int epochs;

    @CommandLine.Mixin
    Repetitions repetitions = new Repetitions();

    @Override
    void measure(PrintWriter out) throws Exception {
        try (BenchServers s = servers.start()) {
            DetectorThroughputBench.Result r = DetectorThroughputBench.run(s.kafka, runs, epochs, repetitions.count);
            out.printf("| topology | events | events/s (median of %d) | each run |%n", repetitions.count);
            out.println("| --- | --- | --- | --- |");
            out.printf(
                    "| detector (full) | %s | %s | %s |%n",
                    Stats.fmt(r.events()), Stats.fmt(Stats.median(r.detector())), Stats.each(r.detector()));
            out.printf(
                    "| pass-through | %s | %s | %s |%n",
                    Stats.fmt(r.events()), Stats.fmt(Stats.median(r.passThrough())), Stats.each(r.passThrough()));
            out.printf(Locale.ROOT, "%ndetector / pass-through = %.2f (median of the rounds' ratios)%n", r.ratio());
            out.printf("%nWhat the detector wrote per event it read (its last round; records include transaction "
                    + "markers; the pass-through writes each event once, as read):%n%n");
            out.println("| topic | records per 1,000 events | bytes per event |");
            out.println("| --- | --- | --- |");
            r.traffic()
                    .offsets()
                    .forEach((topic, records) -> out.printf(
                            Locale.ROOT,
                            "| %s | %.0f | %.0f |%n",
                            topic,
                            1000.0 * records / r.events(),
                            (double) r.traffic().bytes().getOrDefault(topic, 0L) / r.events()));
        }
    }
}
