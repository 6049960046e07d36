package io.descentwatch.bench;

import io.descentwatch.options.Range;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
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

    @Option(
            names = "--stages",
            description = "Also run the detector cut short at each stage of its topology, in every round, and show "
                    + "what each stage adds per event (default: the full detector and the pass-through only).")
    boolean stages;

    @Option(
            names = "--profile",
            description = "Also record the stream threads with JFR (execution samples every 1 ms) and show where "
                    + "their CPU went by part: decoding, the run detector's step, publishing, ... (default: off).")
    boolean profile;

    @Option(
            names = "--check-budget",
            description = "Also run the stages (as --stages) and exit with status 1 when a stage's CPU per event is "
                    + "over its budget, in multiples of the validation stage's (the budget table's 'within budget' "
                    + "column).")
    boolean checkBudget;

    private final List<StageBudget> over = new ArrayList<>();

    @Override
    void measure(PrintWriter out) throws Exception {
        // the budget is checked on the stages' own figures, so checking it runs them
        boolean withStages = stages || checkBudget;
        try (BenchServers s = servers.start()) {
            DetectorThroughputBench.Result r =
                    DetectorThroughputBench.run(s.kafka, runs, epochs, repetitions.count, withStages, profile);
            // the CPU per event beside the rate: on a machine the topologies saturate, the rate goes with its
            // inverse, and it swings less from one round to the next than the rate does
            out.printf(
                    "| topology | events | events/s (median of %d) | each run | CPU µs per event (median) |%n",
                    repetitions.count);
            out.println("| --- | --- | --- | --- | --- |");
            printRate(out, "detector (full)", r, DetectorThroughputBench.Measured.FULL);
            printRate(out, "pass-through", r, DetectorThroughputBench.Measured.PASS_THROUGH);
            out.printf(Locale.ROOT, "%ndetector / pass-through = %.2f (median of the rounds' ratios)%n", r.ratio());
            out.printf(
                    Locale.ROOT,
                    "%nThe warm-up ends with the first round in which the JIT compiled for under %.0f%% of the "
                            + "round's CPU time: %d warm-up round(s) not counted (the JIT's share of each: %s); the "
                            + "rounds after it are counted whatever the JIT's share (%s). "
                            + "Counted from the second round, as before that rule, the same run gives %.2f.%n",
                    100 * JitActivity.STEADY_SHARE,
                    r.warmUp().size(),
                    percents(r.warmUp()),
                    percents(r.counted()),
                    r.ratioAfterOneWarmUpRound());
            if (withStages) {
                printStages(out, r);
                printBudget(out, r);
            }
            if (!r.parts().isEmpty()) {
                printParts(out, r);
            }
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

    private static void printRate(
            PrintWriter out, String label, DetectorThroughputBench.Result r, DetectorThroughputBench.Measured what) {
        List<Double> rates = r.rates(what);
        out.printf(
                Locale.ROOT,
                "| %s | %s | %s | %s | %.2f |%n",
                label,
                Stats.fmt(r.events()),
                Stats.fmt(Stats.median(rates)),
                Stats.each(rates),
                Stats.median(r.cpuMicrosPerEvent(what)));
    }

    private static String percents(List<DetectorThroughputBench.Round> rounds) {
        return Stats.each(
                rounds.stream().map(DetectorThroughputBench.Round::jitShare).toList(),
                share -> Math.round(100 * share) + "%");
    }

    /**
     * Each stage's rate and CPU time per event (this whole process's, over the same steady stretch as the rate: the
     * broker's and the producers' work for what a stage publishes included), and what it adds to the stage before.
     */
    private static void printStages(PrintWriter out, DetectorThroughputBench.Result r) {
        out.printf("%n| topology | events/s (median) | of the pass-through (median of the rounds' ratios)"
                + " | CPU µs per event (median) | added to the row above | each round's CPU µs per event |%n");
        out.println("| --- | --- | --- | --- | --- | --- |");
        double before = Double.NaN;
        for (DetectorThroughputBench.Measured what : DetectorThroughputBench.Measured.values()) {
            List<Double> cpu = r.cpuMicrosPerEvent(what);
            double median = Stats.median(cpu);
            boolean stage = what != DetectorThroughputBench.Measured.PASS_THROUGH;
            out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %.2f | %s | %s |%n",
                    what.label,
                    Stats.fmt(Stats.median(r.rates(what))),
                    stage ? String.format(Locale.ROOT, "%.2f", r.ratio(what)) : "",
                    median,
                    stage && !Double.isNaN(before) ? String.format(Locale.ROOT, "%+.2f", median - before) : "",
                    Stats.each(cpu, v -> String.format(Locale.ROOT, "%.2f", v)));
            before = stage ? median : before;
        }
        out.printf("%nWhere each topology's CPU went by thread, µs per event over its whole run (its start included),"
                + " and the produce requests it sent (medians of the counted rounds): the broker's share goes with the"
                + " requests more than with the records.%n%n");
        printHeader(
                out,
                Stream.concat(
                        Stream.of(ThreadCpu.Role.values()).map(role -> role.label),
                        Stream.of("produce requests per 1,000,000 events")));
        for (DetectorThroughputBench.Measured what : DetectorThroughputBench.Measured.values()) {
            out.printf("| %s |", what.label);
            for (ThreadCpu.Role role : ThreadCpu.Role.values()) {
                out.printf(Locale.ROOT, " %.2f |", r.threadMicrosPerEvent(what, role));
            }
            out.printf(" %s |%n", Stats.fmt(r.produceRequestsPerMillionEvents(what)));
        }
    }

    /**
     * The stream threads' CPU µs per event by part: each part's share of their JFR samples over the counted rounds,
     * times their CPU µs per event (the thread table's, over each whole run).
     */
    private static void printParts(PrintWriter out, DetectorThroughputBench.Result r) {
        out.printf("%nWhere the stream threads' CPU went, by part: µs per event (each part's share of the stream"
                + " threads' JFR samples over the counted rounds, times their CPU µs per event above):"
                + "%n%n");
        printHeader(
                out,
                Stream.concat(
                        Stream.of(StreamThreadParts.Part.values()).map(part -> part.label),
                        Stream.of("samples (stacks cut short by JFR's depth)")));
        r.parts().forEach((what, tally) -> {
            double micros = r.threadMicrosPerEvent(what, ThreadCpu.Role.STREAM_THREADS);
            out.printf("| %s |", what.label);
            for (StreamThreadParts.Part part : StreamThreadParts.Part.values()) {
                out.printf(Locale.ROOT, " %.2f |", tally.share(part) * micros);
            }
            out.printf(" %s (%s) |%n", Stats.fmt(tally.total()), Stats.fmt(tally.truncated()));
        });
    }

    /** Each budgeted stage's CPU per event in multiples of the validation stage's, against its budget. */
    void printBudget(PrintWriter out, DetectorThroughputBench.Result r) {
        out.printf("%nEach stage's CPU per event against its budget, in multiples of the validation stage's in the"
                + " same round (its floor: what any detector of the contract's JSON pays; the median of the rounds'"
                + " ratios):%n%n");
        printHeader(
                out,
                Stream.of(
                        "CPU µs per event (median)", "floors", "budget (floors)", "within budget", "what it pays for"));
        out.printf(
                Locale.ROOT,
                "| %s | %.2f | 1 | the floor | | decoding the contract's JSON, routing by run |%n",
                StageBudget.FLOOR.label,
                Stats.median(r.cpuMicrosPerEvent(StageBudget.FLOOR)));
        for (StageBudget budget : StageBudget.values()) {
            double floors = r.cpuMultiple(budget.stage, StageBudget.FLOOR);
            boolean within = budget.within(floors);
            if (!within) {
                over.add(budget);
            }
            out.printf(
                    Locale.ROOT,
                    "| %s | %.2f | %.2f | %.2f | %s | %s |%n",
                    budget.stage.label,
                    Stats.median(r.cpuMicrosPerEvent(budget.stage)),
                    floors,
                    budget.floors,
                    within ? "yes" : "NO",
                    budget.why);
        }
        if (!over.isEmpty()) {
            out.printf(
                    "%nover budget: %s%n", over.stream().map(b -> b.stage.label).toList());
        }
    }

    @Override
    int status() {
        return checkBudget && !over.isEmpty() ? 1 : 0;
    }

    /** A table's header: a topology per row, then these columns. */
    private static void printHeader(PrintWriter out, Stream<String> columns) {
        List<String> all = Stream.concat(Stream.of("topology"), columns).toList();
        out.println("| " + String.join(" | ", all) + " |");
        out.println("|" + " --- |".repeat(all.size()));
    }
}
