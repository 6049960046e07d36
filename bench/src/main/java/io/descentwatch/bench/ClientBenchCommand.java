package io.descentwatch.bench;

import io.descentwatch.options.Range;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bench client`: the Python client on a real serve, against a bare produce and the README's publish. */
@Command(
        name = "client",
        mixinStandardHelpOptions = true,
        description = {
            "The Python client on a real serve (started here): the cost of one log() against a "
                    + "bare confluent-kafka produce of the same JSON and against the README's hand-written publish, "
                    + "in one Python process, interleaved; and the time from log() to the live page in headless "
                    + "Chromium showing the event, with the client's default linger and with none.",
            "Needs Debian's Python with python3-confluent-kafka (DW_PYTHON) and Chromium."
        })
final class ClientBenchCommand extends BenchSubcommand {
    @Option(
            names = "--python",
            defaultValue = "${env:DW_PYTHON:-/usr/bin/python3}",
            description = "Python with confluent-kafka (env DW_PYTHON; default ${DEFAULT-VALUE}).")
    String python;

    @Option(
            names = "--client-dir",
            paramLabel = "DIR",
            description = "The Python client's folder (default: clients/python here or beside the jar).")
    java.nio.file.Path clientDir;

    @Option(
            names = "--events",
            defaultValue = "20000",
            description = "log() calls per repetition (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "100000000")
    int events;

    @Option(
            names = "--repetitions",
            defaultValue = "5",
            description = "Interleaved repetitions (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "1000")
    int repetitions;

    @Option(
            names = "--latency-events",
            defaultValue = "20",
            description = "Events timed to the page, per client setting (default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "1000000")
    int latencyEvents;

    @Option(
            names = "--interval",
            defaultValue = "PT0.5S",
            description = "Time between log() calls while timing the page: a trainer's pace, slower than "
                    + "the client's linger (default ${DEFAULT-VALUE}).")
    @Range(min = "PT0S", max = "PT1M")
    Duration interval;

    @Override
    void measure(PrintWriter out) throws Exception {
        java.nio.file.Path script = clientDirectory().resolve("bench").resolve("bench_client.py");
        if (!java.nio.file.Files.isRegularFile(script)) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--client-dir: no bench/bench_client.py " + "in " + clientDirectory()
                            + "; give the folder of the Python client (clients/python)");
        }
        ClientBench.Result r = ClientBench.run(script, python, events, repetitions, latencyEvents, interval);
        out.printf(
                "| per log() call (%,d calls, median of %d) | microseconds | each repetition |%n",
                r.events(), repetitions);
        out.println("| --- | --- | --- |");
        out.printf(
                Locale.ROOT,
                "| descentwatch.Run.log (checks, time stamp, JSON, produce) | %.2f | %s |%n",
                Stats.median(r.client()),
                micros(r.client()));
        out.printf(
                Locale.ROOT,
                "| bare confluent-kafka produce of the same JSON | %.2f | %s |%n",
                Stats.median(r.bare()),
                micros(r.bare()));
        out.printf(
                Locale.ROOT,
                "| the README's hand-written publish (dict, time, json.dumps, produce) | %.2f | " + "%s |%n",
                Stats.median(r.handmade()),
                micros(r.handmade()));
        out.printf(
                Locale.ROOT,
                "%nclient / bare produce = %.2f; client / hand-written = %.2f%n%n",
                Stats.median(r.client()) / Stats.median(r.bare()),
                Stats.median(r.client()) / Stats.median(r.handmade()));
        out.printf(
                "| log() to the page showing it (%d events, one per %s) | median ms | p90 ms | max ms | " + "shown |%n",
                r.latencyEvents(), interval);
        out.println("| --- | --- | --- | --- | --- |");
        latencyRow(
                out,
                "client defaults (linger 0.2 s: the last event carries final)",
                r.pageDefault(),
                r.latencyEvents());
        latencyRow(out, "linger 0 (every event sent at once)", r.pageNoLinger(), r.latencyEvents());
    }

    private java.nio.file.Path clientDirectory() {
        if (clientDir != null) {
            return clientDir;
        }
        java.nio.file.Path here = java.nio.file.Path.of("clients", "python");
        if (java.nio.file.Files.isDirectory(here)) {
            return here;
        }
        try {
            java.nio.file.Path jar = java.nio.file.Path.of(ClientBenchCommand.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            // cli/target/lib/descentwatch-bench.jar or bench/target/classes: the repository is above
            for (java.nio.file.Path p = jar; p != null; p = p.getParent()) {
                if (java.nio.file.Files.isDirectory(p.resolve("clients/python"))) {
                    return p.resolve("clients/python");
                }
            }
        } catch (java.net.URISyntaxException | SecurityException e) {
            // fall through to the relative path, which the error message then names
        }
        return here;
    }

    private static String micros(List<Double> values) {
        return String.join(
                ", ",
                values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    }

    private static void latencyRow(PrintWriter out, String name, List<Double> ms, int sent) {
        List<Double> sorted = ms.stream().sorted().toList();
        double p90 = sorted.isEmpty()
                ? Double.NaN
                : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(0.9 * sorted.size()) - 1));
        out.printf(
                Locale.ROOT,
                "| %s | %s | %s | %s | %d of %d |%n",
                name,
                Stats.fmt(Stats.median(ms)),
                Stats.fmt(p90),
                Stats.fmt(sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1)),
                ms.size(),
                sent);
    }
}
