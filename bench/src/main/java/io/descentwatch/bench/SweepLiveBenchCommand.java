package io.descentwatch.bench;

import io.descentwatch.options.CommandLines;
import io.descentwatch.options.Range;
import io.descentwatch.options.Ranges;
import io.descentwatch.streams.detector.DetectionOptions;
import io.descentwatch.streams.detector.StreamsAppSettings;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `bench sweep-live`: {@link SweepLiveBench}, one table. */
@Command(
        name = "sweep-live",
        mixinStandardHelpOptions = true,
        description = {
            "Model-wise sweeps sent live through a real serve (in this process, free loopback ports, "
                    + "fresh data directory) as other trainers send them: one and three seeds, coarse and fine grids, "
                    + "with and without `final`, never `sweep_runs`, many sweeps at once. Per case: how many got "
                    + "MODEL_WISE_PEAK on /api/alerts and at which size, the seconds from the event that ended the "
                    + "deciding sizes to the peak, false peaks on noise-only sweeps, and whether the live verdicts "
                    + "equal the offline detector's once the sweep is complete.",
            "Flags after `--` go to the served detector as `detector` takes them, e.g. " + "`-- --peak-threshold 0.2`."
        })
final class SweepLiveBenchCommand extends BenchSubcommand {

    @Option(
            names = "--sweeps",
            defaultValue = "5",
            description = "Sweeps per case with a peak (8 cases of peaks 2x-6x over both flanks, 4 of one-seed "
                    + "bumps of 20%%-80%%; default ${DEFAULT-VALUE}); 0 leaves them out.")
    @Range(min = "0", max = "10000")
    int sweeps;

    @Option(
            names = "--noise-sweeps",
            defaultValue = "10",
            description = "Sweeps per noise-only case (one seed at 5%%; three seeds at 3%%, 5%%, 10%%, 15%%; "
                    + "default ${DEFAULT-VALUE}); 0 leaves them out.")
    @Range(min = "0", max = "100000")
    int noiseSweeps;

    @Option(
            names = "--evaluations",
            defaultValue = "6",
            description = "Evaluations per run, at epochs 1, 2, 4, ... (default ${DEFAULT-VALUE}).")
    @Range(min = "4", max = "20")
    int evaluations;

    @Option(
            names = "--evaluation-gap",
            defaultValue = "PT0.1S",
            description = "Wall-clock time between a trainer's evaluations, and between its runs "
                    + "(default ${DEFAULT-VALUE}).")
    @Range(min = "PT0.001S", max = "PT1M")
    Duration evaluationGap;

    @Option(
            names = "--stagger",
            defaultValue = "PT30S",
            description = "Sweeps start at random times within this, so that they interleave "
                    + "(default ${DEFAULT-VALUE}).")
    @Range(min = "PT0S", max = "PT1H")
    Duration stagger;

    @Option(
            names = "--run-idle-timeout",
            defaultValue = "PT20S",
            description = "The served detector's --run-idle-timeout: runs without `final` end this long after "
                    + "their last event, and a sweep is complete once all its runs have (default ${DEFAULT-VALUE}, "
                    + "so that the benchmark takes minutes; serve's own default is PT15M).")
    @Range(above = "PT0S", max = "PT1H")
    Duration runIdleTimeout;

    @Option(
            names = "--timeout",
            defaultValue = "PT1M",
            description = "After the last event and the run idle timeout, how long to wait at most for every sweep "
                    + "to be complete (default ${DEFAULT-VALUE}); sweeps not complete by then are counted so.")
    @Range(min = "PT1S", max = "PT24H")
    Duration timeout;

    @Option(
            names = "--poll-interval",
            defaultValue = "PT0.1S",
            description = "How often /api/status is asked whether there are new alerts (default ${DEFAULT-VALUE}).")
    @Range(min = "PT0.01S", max = "PT10S")
    Duration pollInterval;

    @Option(
            names = "--seed",
            defaultValue = "1",
            description = "Seed of the generated sweeps and their start times (default ${DEFAULT-VALUE}).")
    @Range(min = "0", max = "1000000000")
    long seed;

    @Option(
            names = "--details",
            description = "Also list every sweep: its true peak, its live and offline "
                    + "peaks, when the live one came and when the sweep was complete.")
    boolean details;

    @Parameters(
            paramLabel = "DETECTOR_FLAG",
            arity = "0..*",
            description = "After `--`: flags of `detector` for the served detector (detection thresholds, Streams "
                    + "settings).")
    List<String> detectorFlags = new ArrayList<>();

    @Override
    void measure(PrintWriter out) throws Exception {
        DetectionOptions detection = new DetectionOptions();
        StreamsAppSettings app = new StreamsAppSettings();
        CommandSpec flags = CommandSpec.create();
        flags.addMixin("detection", CommandSpec.forAnnotatedObject(detection));
        flags.addMixin("streams", CommandSpec.forAnnotatedObject(app));
        List<String> args = new ArrayList<>(detectorFlags);
        args.addAll(List.of("--run-idle-timeout", runIdleTimeout.toString()));
        try {
            CommandLine parsed = CommandLines.configured(flags);
            parsed.parseArgs(args.toArray(String[]::new));
            Ranges.check(parsed);
        } catch (CommandLine.ParameterException e) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "detector flags "
                            + String.join(" ", detectorFlags) + ": " + e.getMessage()
                            + " (the run idle timeout is this command's --run-idle-timeout)");
        }
        PrintWriter progress = spec.commandLine().getErr();
        SweepLiveBench.Result r = SweepLiveBench.run(
                new SweepLiveBench.Settings(
                        sweeps,
                        noiseSweeps,
                        evaluations,
                        evaluationGap,
                        stagger,
                        runIdleTimeout,
                        timeout,
                        pollInterval,
                        seed),
                detection.settings(),
                app,
                progress);
        print(r, details, out);
    }

    static void print(SweepLiveBench.Result r, boolean details, PrintWriter out) {
        out.println("| sweeps | seeds | grid | `final` | noise | sweeps sent | MODEL_WISE_PEAK live | at the true "
                + "size (within one) | deciding event to peak on /api/alerts, median s | max s | on the alerts "
                + "topic, median s | complete | live = offline | MODEL_WISE_PEAK offline |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (SweepLiveBench.Row row : r.rows()) {
            LiveSweep.Case k = row.kase();
            boolean noise = k.kind() == LiveSweep.Kind.NOISE;
            Stats t = Stats.of(row.secondsToPeak());
            Stats topic = Stats.of(row.secondsToTopic());
            out.printf(
                    Locale.ROOT,
                    "| %s | %d | %s | %s | %s | %d | %s | %s | %s | %s | %s | %d / %d | %d / %d | %d " + "|%n",
                    k.kind().label,
                    k.seeds(),
                    k.grid().label(),
                    k.finalLabel(),
                    k.noiseLabel(),
                    row.sweeps(),
                    noise ? row.livePeaks() + " false" : row.livePeaks() + " / " + row.sweeps(),
                    noise ? "-" : row.atTrueSize() + " (" + row.withinOneSize() + ")",
                    seconds(t.median()),
                    seconds(t.max()),
                    seconds(topic.median()),
                    row.complete(),
                    row.sweeps(),
                    row.agree(),
                    row.complete(),
                    row.offlinePeaks());
        }
        out.println();
        out.printf(
                Locale.ROOT,
                "%d sweeps, %,d runs, %,d events sent over %.0f s; %.0f s in all. /api/alerts at "
                        + "the end: %,d alerts, %,d KB.%n",
                r.sweeps(),
                r.runs(),
                r.events(),
                r.sendingSeconds(),
                r.totalSeconds(),
                r.alerts(),
                r.alertsBytes() / 1024);
        if (details) {
            out.println();
            out.println("Every sweep:");
            for (String d : r.details()) {
                out.println("- " + d);
            }
        }
        if (!r.disagreements().isEmpty()) {
            out.println();
            out.println("Live and offline verdicts differ (sweep alert type = param_count):");
            for (String d : r.disagreements()) {
                out.println("- " + d);
            }
        }
    }

    private static String seconds(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
