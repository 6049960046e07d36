package io.descentwatch.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Benchmarks, each side by side with its baseline in the same run on the same servers. Prints Markdown tables
 * (the format of docs/benchmarks.md). Without --bootstrap / --influx-url it starts the local servers the tests use.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures the detector, alert latency and the sink against their baselines; prints Markdown.",
        subcommands = {BenchCommand.Detector.class, BenchCommand.Latency.class, BenchCommand.Sink.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static class Servers {
        @Option(names = "--bootstrap", description = "Kafka to measure on (default: an in-process broker).")
        String bootstrap;

        @Option(names = "--influx-url", description = "InfluxDB to measure on (default: influxd on PATH).")
        String influxUrl;
    }

    @Command(name = "detector", mixinStandardHelpOptions = true,
            description = "Sustained events/s: full detector topology vs pass-through, same broker and events.")
    static final class Detector implements Callable<Integer> {
        @CommandLine.Mixin
        Servers servers = new Servers();

        @Option(names = "--runs", defaultValue = "5000", description = "Runs (default ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--epochs", defaultValue = "200", description = "Evaluations per run (default ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--repetitions", defaultValue = "3", description = "Alternating repetitions (default ${DEFAULT-VALUE}).")
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
                        Stats.fmt(Stats.median(r.detector())), each(r.detector()));
                out.printf("| pass-through | %s | %s | %s |%n", Stats.fmt(r.events()),
                        Stats.fmt(Stats.median(r.passThrough())), each(r.passThrough()));
                out.printf(Locale.ROOT, "%ndetector / pass-through = %.2f (median of the rounds' ratios)%n", r.ratio());
            }
            return 0;
        }
    }

    @Command(name = "latency", mixinStandardHelpOptions = true,
            description = "Produce-to-alert latency p50/p99/max at steady event rates.")
    static final class Latency implements Callable<Integer> {
        @CommandLine.Mixin
        Servers servers = new Servers();

        @Option(names = "--rates", split = ",", defaultValue = "100,1000,10000",
                description = "Events per second to hold, comma-separated (default ${DEFAULT-VALUE}).")
        List<Integer> rates;

        @Option(names = "--seconds", defaultValue = "30", description = "Seconds per rate (default ${DEFAULT-VALUE}).")
        int seconds;

        @Option(names = "--epochs", defaultValue = "200", description = "Evaluations per run (default ${DEFAULT-VALUE}).")
        int epochs;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (BenchServers s = new BenchServers(servers.bootstrap, null, false)) {
                PrintWriter out = spec.commandLine().getOut();
                out.println("| target events/s | achieved events/s | alerts timed | p50 ms | p99 ms | max ms |");
                out.println("| --- | --- | --- | --- | --- | --- |");
                for (int rate : rates) {
                    AlertLatencyBench.Result r = AlertLatencyBench.run(s.kafka, rate, Duration.ofSeconds(seconds),
                            epochs);
                    out.printf(Locale.ROOT, "| %,d | %s | %d | %.0f | %.0f | %.0f |%n", rate,
                            Stats.fmt(r.achievedRate()), r.latencyMs().n(), r.latencyMs().median(),
                            r.latencyMs().p99(), r.latencyMs().max());
                    out.flush();
                }
            }
            return 0;
        }
    }

    @Command(name = "sink", mixinStandardHelpOptions = true,
            description = "Points/s into InfluxDB: the sink vs influxdb-java writing the same points directly.")
    static final class Sink implements Callable<Integer> {
        @CommandLine.Mixin
        Servers servers = new Servers();

        @Option(names = "--runs", defaultValue = "400", description = "Runs (default ${DEFAULT-VALUE}).")
        int runs;

        @Option(names = "--epochs", defaultValue = "1000", description = "Points per run (default ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--repetitions", defaultValue = "3", description = "Alternating repetitions (default ${DEFAULT-VALUE}).")
        int repetitions;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (BenchServers s = new BenchServers(servers.bootstrap, servers.influxUrl, true)) {
                SinkThroughputBench.Result r = SinkThroughputBench.run(s.kafka, s.influxUrl, runs, epochs,
                        repetitions);
                PrintWriter out = spec.commandLine().getOut();
                out.printf("| writer | points | points/s (median of %d) | each run |%n", repetitions);
                out.println("| --- | --- | --- | --- |");
                out.printf("| sink (Kafka -> InfluxDB) | %s | %s | %s |%n", Stats.fmt(r.points()),
                        Stats.fmt(Stats.median(r.sink())), each(r.sink()));
                out.printf("| influxdb-java direct | %s | %s | %s |%n", Stats.fmt(r.points()),
                        Stats.fmt(Stats.median(r.raw())), each(r.raw()));
                out.printf(Locale.ROOT, "%nsink / direct = %.2f%n", r.ratio());
            }
            return 0;
        }
    }

    private static String each(List<Double> values) {
        return String.join(", ", values.stream().map(Stats::fmt).toList());
    }
}
