package io.descentwatch.bench;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.options.Range;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bench sweep-size`: {@link SweepSizeBench} for each sweep size, one table. */
@Command(
        name = "sweep-size",
        mixinStandardHelpOptions = true,
        description = "One sweep of 100 to 100,000 runs, offline and through the topology: cost per event beside "
                + "a pass-through topology, and the largest record written anywhere (stores, changelogs, topics).")
final class SweepSizeBenchCommand extends BenchSubcommand {

    @CommandLine.Mixin
    ServerOptions servers = new ServerOptions();

    @Option(
            names = "--runs-per-sweep",
            split = ",",
            defaultValue = "100,1000,10000,100000",
            description = "Sweep sizes to measure, in runs (default ${DEFAULT-VALUE}).")
    @Range(min = "3", max = "10000000")
    List<Integer> runsPerSweep;

    @Option(
            names = "--total-runs",
            defaultValue = "100000",
            description = "Runs in all per case, split into sweeps of the case's size, so every case does the same "
                    + "work but for the sweep size (default ${DEFAULT-VALUE}); at least the largest sweep size.")
    @Range(min = "3", max = "10000000")
    int totalRuns;

    @Option(
            names = "--sizes",
            defaultValue = "20",
            description = "Model sizes per sweep (default ${DEFAULT-VALUE}): a sweep of N runs has N / sizes seeds "
                    + "a size.")
    @Range(min = "3", max = "1024")
    int sizes;

    @Option(
            names = "--evaluations",
            defaultValue = "4",
            description = "Evaluations per run (default ${DEFAULT-VALUE}; at least four, so that fitted sizes "
                    + "confirm interpolation).")
    @Range(min = "4", max = "10000")
    int evaluations;

    /** Measurements per case, after one untimed warm-up. */
    @CommandLine.Mixin
    Repetitions repetitions = new Repetitions();

    @Option(names = "--offline-only", description = "Leave out the topology (no broker).")
    boolean offlineOnly;

    @Override
    void measure(PrintWriter out) throws Exception {
        int largest = runsPerSweep.stream().mapToInt(Integer::intValue).max().orElse(0);
        if (totalRuns < largest) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--total-runs: " + totalRuns + " is fewer than the largest sweep (" + largest + " runs)");
        }
        if (runsPerSweep.stream().anyMatch(n -> n < sizes)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--runs-per-sweep: every sweep needs at " + "least --sizes (" + sizes + ") runs");
        }
        DetectionSettings settings = DetectionSettings.defaults();
        out.println("| runs per sweep | sweeps | events | offline us/event | topology us/event | pass-through "
                + "us/event | largest sweep state | largest sweep picture | largest record anywhere (topic) |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        try (BenchServers s = offlineOnly ? null : servers.start()) {
            boolean warmedUp = false;
            for (int n : runsPerSweep) {
                SizedSweeps sweeps = SweepSizeBench.load(n, sizes, evaluations);
                List<EpochEvent> events = SweepSizeBench.events(sweeps, totalRuns);
                if (!warmedUp) {
                    SweepSizeBench.offline(events, settings);
                    warmedUp = true;
                }
                List<Double> offline = new ArrayList<>();
                SweepSizeBench.Offline o = null;
                List<Double> topology = new ArrayList<>();
                List<Double> passThrough = new ArrayList<>();
                SweepSizeBench.Topology t = null;
                for (int i = 0; i < repetitions.count; i++) {
                    o = SweepSizeBench.offline(events, settings);
                    offline.add(o.nanosPerEvent() / 1e3);
                    if (s != null) {
                        t = SweepSizeBench.topology(s.kafka, sweeps, totalRuns, settings);
                        topology.add(1e6 / t.detectorEventsPerSecond());
                        passThrough.add(1e6 / t.passThroughEventsPerSecond());
                    }
                }
                out.printf(
                        Locale.ROOT,
                        "| %,d | %,d | %,d | %s | %s | %s | %,d B | %,d B | %s |%n",
                        n,
                        (totalRuns + n - 1) / n,
                        events.size(),
                        cell(offline),
                        cell(topology),
                        cell(passThrough),
                        o.largestSweepState(),
                        o.largestSweepPicture(),
                        t == null
                                ? "-"
                                : String.format(Locale.ROOT, "%,d B (%s)", t.largestRecord(), t.largestRecordTopic()));
                out.flush();
            }
        }
    }

    /** The median, then every measurement. */
    private static String cell(List<Double> values) {
        if (values.isEmpty()) {
            return "-";
        }
        return String.format(
                Locale.ROOT,
                "%.2f (%s)",
                Stats.median(values),
                Stats.each(values, v -> String.format(Locale.ROOT, "%.2f", v)));
    }
}
