package io.descentwatch.bench;

import io.descentwatch.options.Range;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bench latency`: produce-to-alert latency at steady event rates. */
@Command(
        name = "latency",
        mixinStandardHelpOptions = true,
        description = "Produce-to-alert latency p50/p99/max at steady event rates.")
final class LatencyBenchCommand extends BenchSubcommand {
    @CommandLine.Mixin
    ServerOptions servers = new ServerOptions();

    @Option(
            names = "--rates",
            split = ",",
            defaultValue = "100,1000,10000",
            description = "Events per second to hold, comma-separated (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "10000000")
    List<Integer> rates;

    @Option(names = "--seconds", defaultValue = "30", description = "Seconds per rate (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "86400")
    int seconds;

    @Option(
            names = "--warm-up-seconds",
            defaultValue = "10",
            description = "Seconds of each repetition's events sent at the rate before the timed ones, untimed: a "
                    + "fresh detector's first transactions are slower (default ${DEFAULT-VALUE}).")
    @Range(min = "0", max = "3600")
    int warmUpSeconds;

    @Option(names = "--epochs", defaultValue = "200", description = "Evaluations per run (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "1000000")
    int epochs;

    @CommandLine.Mixin
    Repetitions repetitions = new Repetitions();

    @Option(names = "--plot", paramLabel = "PNG", description = "Also draw latency against rate into this file.")
    java.nio.file.Path plot;

    @Override
    void measure(PrintWriter out) throws Exception {
        List<AlertLatencyBench.Result> medians = new java.util.ArrayList<>();
        try (BenchServers s = servers.start()) {
            out.printf(
                    "| target events/s | achieved events/s | alerts timed | p50 ms | p99 ms | max ms "
                            + "| each run's p99 ms | process CPU, of %d cores |%n",
                    Runtime.getRuntime().availableProcessors());
            out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
            for (int rate : rates) {
                List<AlertLatencyBench.Result> runs = new java.util.ArrayList<>();
                for (int i = 0; i < repetitions.count; i++) {
                    runs.add(AlertLatencyBench.run(
                            s.kafka, rate, Duration.ofSeconds(warmUpSeconds), Duration.ofSeconds(seconds), epochs));
                }
                AlertLatencyBench.Result m = AlertLatencyBench.Result.median(runs);
                medians.add(m);
                out.printf(
                        Locale.ROOT,
                        "| %,d | %s | %d | %.0f | %.0f | %.0f | %s | %.0f%% |%n",
                        rate,
                        Stats.fmt(m.achievedRate()),
                        m.latencyMs().n(),
                        m.latencyMs().median(),
                        m.latencyMs().p99(),
                        m.latencyMs().max(),
                        Stats.each(
                                runs.stream().map(r -> r.latencyMs().p99()).toList(),
                                v -> String.format(Locale.ROOT, "%.0f", v)),
                        100 * m.cpuShare());
                out.flush();
            }
        }
        if (plot != null) {
            LatencyPlot.write(medians, plot);
        }
    }
}
