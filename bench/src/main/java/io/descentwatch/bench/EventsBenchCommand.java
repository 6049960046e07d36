package io.descentwatch.bench;

import io.descentwatch.options.Range;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** `bench events`: the per-event cost of the detector's own code, measured with JMH. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Per-event cost of the detector's own code (JMH): decoding against tokenizing, a run "
                + "detector step, the encodings of a commit and a summary.")
final class EventsBenchCommand extends BenchSubcommand {
    @Option(names = "--forks", defaultValue = "1",
            description = "JVMs forked per benchmark, each with its own warm-up (default ${DEFAULT-VALUE}).")
    @Range(min = "0", max = "100")
    int forks;

    @Override
    void measure(PrintWriter out) throws Exception {
        out.println("| step | ns per event | error (99.9%) |");
        out.println("| --- | --- | --- |");
        for (String method : List.of("tokenizeOnly", "decode", "detectorStep", "encodeStateForTheStore",
                "encodeSummaryForTheRunsTopic")) {
            // one at a time, so that each result shows as it comes
            Options options = new OptionsBuilder()
                    .include(java.util.regex.Pattern.quote(PerEventCost.class.getName() + "." + method) + "$")
                    .forks(forks).verbosity(VerboseMode.SILENT).build();
            for (RunResult r : new Runner(options).run()) {
                out.printf(Locale.ROOT, "| %s | %.0f | %.0f |%n", method, r.getPrimaryResult().getScore(),
                        r.getPrimaryResult().getScoreError());
                out.flush();
            }
        }
    }
}
