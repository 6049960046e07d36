package io.descentwatch.bench;

import io.descentwatch.options.Range;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bench page-scale`: {@link PageScaleBench}, two tables. */
@Command(
        name = "page-scale",
        mixinStandardHelpOptions = true,
        description = "The live page at lab scale through a real serve (in this process, free loopback ports, fresh "
                + "data directory): a lab of sweeps sent epoch by epoch across all its runs; serve's heap after a "
                + "full collection at each checkpoint beside the empty serve's, then the page opened in headless "
                + "Chromium: when the index and the first sweep in detail are drawn, and the bytes of each.")
final class PageScaleBenchCommand extends BenchSubcommand {

    @Option(names = "--sweeps", defaultValue = "100", description = "Sweeps (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "10000")
    int sweeps;

    @Option(
            names = "--runs-per-sweep",
            defaultValue = "20",
            description = "Runs per sweep, one model size each (default ${DEFAULT-VALUE}).")
    @Range(min = "2", max = "1000")
    int runsPerSweep;

    @Option(
            names = "--checkpoints",
            split = ",",
            defaultValue = "100000,1000000",
            description = "Events sent when the heap is measured, ascending; the last is the whole lab "
                    + "(default ${DEFAULT-VALUE}), each in [1, 100000000].")
    // a hundred million events is a day of a busy lab: past it the benchmark would run for hours
    @Range(min = "1", max = "100000000")
    List<Long> checkpoints = new ArrayList<>();

    @Option(
            names = "--loads",
            defaultValue = "5",
            description = "Times the page is opened at the end (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "100")
    int loads;

    @Option(
            names = "--timeout",
            defaultValue = "PT10M",
            description = "How long serve may take to take in the events of a checkpoint, and a page to load "
                    + "(default ${DEFAULT-VALUE}).")
    @Range(min = "PT1S", max = "PT24H")
    Duration timeout;

    @Override
    void measure(PrintWriter out) throws Exception {
        long runs = (long) sweeps * runsPerSweep;
        for (int i = 0; i < checkpoints.size(); i++) {
            if (checkpoints.get(i) < runs || (i > 0 && checkpoints.get(i) <= checkpoints.get(i - 1))) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(),
                        "--checkpoints " + checkpoints + ": ascending, each at least one event per run (" + runs + ")");
            }
        }
        PageScaleBench.Result r = PageScaleBench.run(
                new PageScaleBench.Settings(sweeps, runsPerSweep, checkpoints, loads, timeout),
                spec.commandLine().getErr());
        out.printf(Locale.ROOT, "%d sweeps, %,d runs. Heap after a full collection:%n%n", sweeps, r.runs());
        out.println("| events | events per run | heap in use, MB | over the empty serve, MB | sent and taken in by |");
        out.println("| --- | --- | --- | --- | --- |");
        out.printf(Locale.ROOT, "| 0 (empty serve) | 0 | %.1f | 0 | - |%n", r.baselineBytes() / 1048576.0);
        for (PageScaleBench.Heap h : r.heaps()) {
            out.printf(
                    Locale.ROOT,
                    "| %,d | %,d | %.1f | %.1f | %.0f s |%n",
                    h.events(),
                    h.events() / r.runs(),
                    h.usedBytes() / 1048576.0,
                    (h.usedBytes() - r.baselineBytes()) / 1048576.0,
                    h.seconds());
        }
        out.println();
        out.printf(
                Locale.ROOT,
                "The page at %,d runs in %d sweeps, opened %d times (ms from navigation):%n%n",
                r.runs(),
                sweeps,
                r.loads().size());
        out.println("| | first contentful paint | index drawn | first sweep in detail drawn |");
        out.println("| --- | --- | --- | --- |");
        Stats fcp = Stats.of(
                r.loads().stream().map(PageScaleBench.Load::firstPaintMs).toList());
        Stats index =
                Stats.of(r.loads().stream().map(PageScaleBench.Load::indexMs).toList());
        Stats sweep =
                Stats.of(r.loads().stream().map(PageScaleBench.Load::sweepMs).toList());
        out.printf(Locale.ROOT, "| median | %.0f | %.0f | %.0f |%n", fcp.median(), index.median(), sweep.median());
        out.printf(Locale.ROOT, "| max | %.0f | %.0f | %.0f |%n", fcp.max(), index.max(), sweep.max());
        out.println();
        out.printf(
                Locale.ROOT,
                "Bytes: the index (data.js) %,d; the largest sweep in detail %,d; every sweep in "
                        + "detail together (what a page loading all at once would carry) %,d.%n",
                r.indexBytes(),
                r.sweepBytes(),
                r.allSweepsBytes());
    }
}
