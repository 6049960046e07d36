package io.descentwatch.bench;

import io.descentwatch.options.Range;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bench events`: the per-event cost of the detector's own code, measured with JMH. */
@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        description = "Per-event cost of the detector's own code (JMH): decoding against tokenizing, a run "
                + "detector step, the encodings of a commit and a summary.")
final class EventsBenchCommand extends BenchSubcommand {
    @Option(
            names = "--forks",
            defaultValue = "1",
            description = "JVMs forked per benchmark, each with its own warm-up (default ${DEFAULT-VALUE}).")
    @Range(min = "0", max = "100")
    int forks;

    @Option(
            names = "--runs-in-flight",
            defaultValue = PerEventCost.RUNS_IN_FLIGHT,
            description = "Runs whose events arrive interleaved, each with its own state (default ${DEFAULT-VALUE}; "
                    + "the detector benchmark has 200 at once).")
    // 10,000 runs of 200 events are 2,000,000 events held in memory, a few GB with their encodings
    @Range(min = "1", max = "10000")
    int runsInFlight;

    @Option(
            names = "--check-budget",
            description = "Exit with status 1 when a step costs more than its budget (the table's last column).")
    boolean checkBudget;

    private final List<CostBudget> over = new ArrayList<>();

    @Override
    void measure(PrintWriter out) throws Exception {
        out.println("| step | ns per event | error (99.9%) | budget (floors) | within budget |");
        out.println("| --- | --- | --- | --- | --- |");
        RunResult floor = run(CostBudget.FLOOR);
        double floorNanos = floor.getPrimaryResult().getScore();
        print(out, CostBudget.FLOOR, floor, "the floor (1)", "");
        for (CostBudget budget : CostBudget.values()) {
            RunResult r = run(budget.benchmark);
            double nanos = r.getPrimaryResult().getScore();
            boolean within = budget.within(nanos, floorNanos);
            if (!within) {
                over.add(budget);
            }
            print(
                    out,
                    budget.benchmark,
                    r,
                    String.format(
                            Locale.ROOT, "%.1f = %.0f ns (%s)", budget.floors, budget.floors * floorNanos, budget.why),
                    within ? "yes" : "NO");
        }
        if (!over.isEmpty()) {
            out.println();
            out.println("over budget: " + over.stream().map(b -> b.benchmark).toList());
        }
    }

    /** One benchmark at a time, so that each result shows as it comes. */
    private RunResult run(String method) throws Exception {
        Options options = new OptionsBuilder()
                .include(java.util.regex.Pattern.quote(PerEventCost.class.getName() + "." + method) + "$")
                .forks(forks)
                .param("runsInFlight", String.valueOf(runsInFlight))
                .verbosity(VerboseMode.SILENT)
                .build();
        return new Runner(options).run().iterator().next();
    }

    private static void print(PrintWriter out, String step, RunResult r, String budget, String within) {
        out.printf(
                Locale.ROOT,
                "| %s | %.0f | %.0f | %s | %s |%n",
                step,
                r.getPrimaryResult().getScore(),
                r.getPrimaryResult().getScoreError(),
                budget,
                within);
        out.flush();
    }

    @Override
    int status() {
        return checkBudget && !over.isEmpty() ? 1 : 0;
    }
}
