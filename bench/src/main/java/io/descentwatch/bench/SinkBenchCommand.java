package io.descentwatch.bench;

import io.descentwatch.options.Range;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bench sink`: points per second into InfluxDB, the sink against influxdb-java writing directly. */
@Command(
        name = "sink",
        mixinStandardHelpOptions = true,
        description = "Points/s into InfluxDB: the sink vs influxdb-java writing the same points directly.")
final class SinkBenchCommand extends BenchSubcommand {
    @CommandLine.Mixin
    ServerOptions servers = new ServerOptions();

    @Option(names = "--runs", defaultValue = "400", description = "Runs (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "10000000")
    int runs;

    @Option(names = "--epochs", defaultValue = "1000", description = "Points per run (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "1000000")
    int epochs;

    @CommandLine.Mixin
    Repetitions repetitions = new Repetitions();

    @Override
    void measure(PrintWriter out) throws Exception {
        try (BenchServers s = servers.startWithInflux()) {
            SinkThroughputBench.Result r =
                    SinkThroughputBench.run(s.kafka, s.influxUrl, runs, epochs, repetitions.count);
            out.printf("| writer | points | points/s (median of %d) | each run |%n", repetitions.count);
            out.println("| --- | --- | --- | --- |");
            out.printf(
                    "| sink (Kafka -> InfluxDB) | %s | %s | %s |%n",
                    Stats.fmt(r.points()), Stats.fmt(Stats.median(r.sink())), Stats.each(r.sink()));
            out.printf(
                    "| influxdb-java direct | %s | %s | %s |%n",
                    Stats.fmt(r.points()), Stats.fmt(Stats.median(r.raw())), Stats.each(r.raw()));
            out.printf(Locale.ROOT, "%nsink / direct = %.2f%n", r.ratio());
        }
    }
}
