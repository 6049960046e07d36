package io.descentwatch.bench;

import io.descentwatch.options.Range;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bench telemetry`: what publishing epoch events costs training. */
@Command(
        name = "telemetry",
        mixinStandardHelpOptions = true,
        description = "What publishing costs training: a preset's sweep with events discarded vs published to "
                + "Kafka, alternating.")
final class TelemetryBenchCommand extends BenchSubcommand {
    @CommandLine.Mixin
    ServerOptions servers = new ServerOptions();

    @Option(
            names = "--preset",
            split = ",",
            defaultValue = "two-scale-epochwise,rf-modelwise",
            description = "Presets, comma-separated (default ${DEFAULT-VALUE}).")
    List<String> presets;

    @Option(
            names = "--eval",
            split = ",",
            defaultValue = "log,every",
            description = "Evaluation schedules to try, comma-separated (default ${DEFAULT-VALUE}; every is "
                    + "the worst case: an event per epoch).")
    List<String> evals;

    @Option(names = "--workers", defaultValue = "2", description = "Workers (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "1024")
    int workers;

    @Option(
            names = "--repetitions",
            defaultValue = "5",
            description = "Alternating repetitions (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "1000")
    int repetitions;

    @Override
    void measure(PrintWriter out) throws Exception {
        try (BenchServers s = servers.start()) {
            out.printf("| preset | eval | events | off: s (median of %d) | on: s | overhead (median) |%n", repetitions);
            out.println("| --- | --- | --- | --- | --- | --- |");
            for (String preset : presets) {
                for (String eval : evals) {
                    TrainingBench.Cost c = TrainingBench.telemetry(
                            s.kafka, preset, false, java.util.Map.of("eval", eval), workers, repetitions);
                    out.printf(
                            Locale.ROOT,
                            "| %s | %s | %,d | %.2f | %.2f | %+.2f%% |%n",
                            preset,
                            eval,
                            c.events(),
                            Stats.median(c.off()),
                            Stats.median(c.on()),
                            100 * c.overhead());
                    out.flush();
                }
            }
        }
    }
}
