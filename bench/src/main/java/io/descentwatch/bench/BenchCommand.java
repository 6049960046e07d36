package io.descentwatch.bench;

import io.descentwatch.options.Range;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.VerboseMode;
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
        description = "Measures the detector, alert latency, the sink and the Python client against their "
                + "baselines; prints Markdown.",
        subcommands = {BenchCommand.Detector.class, BenchCommand.Events.class, BenchCommand.Latency.class,
                BenchCommand.Sink.class, BenchCommand.Telemetry.class, BenchCommand.Training.class,
                BenchCommand.Scale.class, BenchCommand.Client.class, BenchCommand.Stopping.class})
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "stopping", mixinStandardHelpOptions = true,
            description = "Early stopping on real DL4J curves: DescentWatch's advice against patience 3, patience 10, "
                    + "Prechelt GL5 and training to the end, on runs held out of tuning (and on the tuning runs).")
    static final class Stopping implements Callable<Integer> {
        @Option(names = "--curves", paramLabel = "FILE",
                description = "Runs to judge on, as epoch events in JSON lines, gzipped or not, each trained to its "
                        + "end (default: the DL4J curves shipped with the benchmark, made by "
                        + "bench/stopping/generate-curves.sh).")
        java.nio.file.Path curves;

        @Option(names = "--trace", paramLabel = "TEXT",
                description = "Instead of the tables, print every evaluation of the runs whose id contains TEXT: "
                        + "losses, the detector's phase and each rule's stop.")
        String trace;

        @CommandLine.Mixin
        io.descentwatch.detection.DetectionSettings settings;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            var all = io.descentwatch.bench.stopping.StoppingCurves.load(curves);
            if (trace != null) {
                io.descentwatch.bench.stopping.StoppingTrace.print(spec.commandLine().getOut(), all, trace, settings);
            } else {
                io.descentwatch.bench.stopping.StoppingBench.print(spec.commandLine().getOut(), all, settings);
            }
            return 0;
        }
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
        @Range(min = "1", max = "10000000")
        int runs;

        @Option(names = "--epochs", defaultValue = "200", description = "Evaluations per run (default ${DEFAULT-VALUE}).")
        @Range(min = "1", max = "1000000")
        int epochs;

        @Option(names = "--repetitions", defaultValue = "3", description = "Alternating repetitions (default ${DEFAULT-VALUE}).")
        @Range(min = "1", max = "1000")
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

    @Command(name = "events", mixinStandardHelpOptions = true,
            description = "Per-event cost of the detector's own code (JMH): decoding against tokenizing, a run "
                    + "detector step, the encodings of a commit and a summary.")
    static final class Events implements Callable<Integer> {
        @Option(names = "--forks", defaultValue = "1",
                description = "JVMs forked per benchmark, each with its own warm-up (default ${DEFAULT-VALUE}).")
        @Range(min = "0", max = "100")
        int forks;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
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
        @Range(min = "1", max = "10000000")
        List<Integer> rates;

        @Option(names = "--seconds", defaultValue = "30", description = "Seconds per rate (default ${DEFAULT-VALUE}).")
        @Range(min = "1", max = "86400")
        int seconds;

        @Option(names = "--epochs", defaultValue = "200", description = "Evaluations per run (default ${DEFAULT-VALUE}).")
        @Range(min = "1", max = "1000000")
        int epochs;

        @Option(names = "--repetitions", defaultValue = "3",
                description = "Runs per rate; the table gives their medians (default ${DEFAULT-VALUE}).")
        @Range(min = "1", max = "1000")
        int repetitions;

        @Option(names = "--plot", paramLabel = "PNG", description = "Also draw latency against rate into this file.")
        java.nio.file.Path plot;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            List<AlertLatencyBench.Result> medians = new java.util.ArrayList<>();
            try (BenchServers s = new BenchServers(servers.bootstrap, null, false)) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("| target events/s | achieved events/s | alerts timed | p50 ms | p99 ms | max ms "
                        + "| each run's p99 ms |%n");
                out.println("| --- | --- | --- | --- | --- | --- | --- |");
                for (int rate : rates) {
                    List<AlertLatencyBench.Result> runs = new java.util.ArrayList<>();
                    for (int i = 0; i < repetitions; i++) {
                        runs.add(AlertLatencyBench.run(s.kafka, rate, Duration.ofSeconds(seconds), epochs));
                    }
                    AlertLatencyBench.Result m = AlertLatencyBench.Result.median(runs);
                    medians.add(m);
                    out.printf(Locale.ROOT, "| %,d | %s | %d | %.0f | %.0f | %.0f | %s |%n", rate,
                            Stats.fmt(m.achievedRate()), m.latencyMs().n(), m.latencyMs().median(),
                            m.latencyMs().p99(), m.latencyMs().max(),
                            each(runs.stream().map(r -> r.latencyMs().p99()).toList(),
                                    v -> String.format(Locale.ROOT, "%.0f", v)));
                    out.flush();
                }
            }
            if (plot != null) {
                LatencyPlot.write(medians, plot);
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
        @Range(min = "1", max = "10000000")
        int runs;

        @Option(names = "--epochs", defaultValue = "1000", description = "Points per run (default ${DEFAULT-VALUE}).")
        @Range(min = "1", max = "1000000")
        int epochs;

        @Option(names = "--repetitions", defaultValue = "3", description = "Alternating repetitions (default ${DEFAULT-VALUE}).")
        @Range(min = "1", max = "1000")
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

    @Command(name = "telemetry", mixinStandardHelpOptions = true,
            description = "What publishing costs training: a preset's sweep with events discarded vs published to "
                    + "Kafka, alternating.")
    static final class Telemetry implements Callable<Integer> {
        @CommandLine.Mixin
        Servers servers = new Servers();

        @Option(names = "--preset", split = ",", defaultValue = "two-scale-epochwise,rf-modelwise",
                description = "Presets, comma-separated (default ${DEFAULT-VALUE}).")
        List<String> presets;

        @Option(names = "--eval", split = ",", defaultValue = "log,every",
                description = "Evaluation schedules to try, comma-separated (default ${DEFAULT-VALUE}; every is "
                        + "the worst case: an event per epoch).")
        List<String> evals;

        @Option(names = "--workers", defaultValue = "2", description = "Workers (default ${DEFAULT-VALUE}).")
        @Range(min = "1", max = "1024")
        int workers;

        @Option(names = "--repetitions", defaultValue = "5", description = "Alternating repetitions (default ${DEFAULT-VALUE}).")
        @Range(min = "1", max = "1000")
        int repetitions;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (BenchServers s = new BenchServers(servers.bootstrap, null, false)) {
                PrintWriter out = spec.commandLine().getOut();
                out.printf("| preset | eval | events | off: s (median of %d) | on: s | overhead (median) |%n",
                        repetitions);
                out.println("| --- | --- | --- | --- | --- | --- |");
                for (String preset : presets) {
                    for (String eval : evals) {
                        TrainingBench.Cost c = TrainingBench.telemetry(s.kafka, preset, false,
                                java.util.Map.of("eval", eval), workers, repetitions);
                        out.printf(Locale.ROOT, "| %s | %s | %,d | %.2f | %.2f | %+.2f%% |%n", preset, eval,
                                c.events(), Stats.median(c.off()), Stats.median(c.on()), 100 * c.overhead());
                        out.flush();
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "training", mixinStandardHelpOptions = true,
            description = "How fast each preset trains on one single-threaded worker, and what share of this core's "
                    + "double-precision matrix-product rate that is.")
    static final class Training implements Callable<Integer> {
        @Option(names = "--quick", description = "The presets' quick sizes.")
        boolean quick;

        @Option(names = "--repetitions", defaultValue = "3",
                description = "Runs per preset; the table gives the median one (default ${DEFAULT-VALUE}).")
        @Range(min = "1", max = "1000")
        int repetitions;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            double peak = TrainingBench.peakFlopsPerSecond();
            out.printf(Locale.ROOT, "one core, DGEMM 1024 x 1024: %.2f GFLOP/s%n%n", peak / 1e9);
            out.println("| preset | runs | epochs | parameters | wall s (1 worker) | epochs/s | GFLOP/s | share of DGEMM "
                    + "| each run's s |");
            out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            for (String preset : io.descentwatch.producer.training.Presets.names()) {
                List<TrainingBench.Speed> runs = new java.util.ArrayList<>();
                for (int i = 0; i < repetitions; i++) {
                    runs.add(TrainingBench.speed(preset, quick));
                }
                List<TrainingBench.Speed> bySeconds = runs.stream()
                        .sorted(java.util.Comparator.comparingDouble(TrainingBench.Speed::seconds)).toList();
                TrainingBench.Speed r = bySeconds.get(bySeconds.size() / 2);
                out.printf(Locale.ROOT, "| %s | %d | %,d | %,d - %,d | %.1f | %,.0f | %.2f | %.0f%% | %s |%n",
                        preset, r.runs(), r.epochs(), r.minParams(), r.maxParams(), r.seconds(),
                        r.epochsPerSecond(), r.flopsPerSecond() / 1e9, 100 * r.flopsPerSecond() / peak,
                        each(runs.stream().map(TrainingBench.Speed::seconds).toList(),
                                v -> String.format(Locale.ROOT, "%.1f", v)));
                out.flush();
            }
            return 0;
        }
    }

    @Command(name = "scale", mixinStandardHelpOptions = true,
            description = "Many concurrent runs through one or more detector instances: events/s, state size, heap.")
    static final class Scale implements Callable<Integer> {
        @CommandLine.Mixin
        Servers servers = new Servers();

        @Option(names = "--case", split = ";", defaultValue = "1000x200x1x4;10000x200x1x4;1000x2000x1x4;"
                + "10000x200x2x4",
                description = "Cases RUNSxEPOCHSxINSTANCESxPARTITIONS, separated by ';' (default ${DEFAULT-VALUE}).")
        List<String> cases;

        @Option(names = "--repetitions", defaultValue = "3",
                description = "Runs per case; the table gives medians (default ${DEFAULT-VALUE}).")
        @Range(min = "1", max = "1000")
        int repetitions;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            try (BenchServers s = new BenchServers(servers.bootstrap, null, false)) {
                PrintWriter out = spec.commandLine().getOut();
                out.println("| concurrent runs | epochs each | instances | partitions | events | events/s | "
                        + "state on disk | heap held | each run's events/s |");
                out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
                boolean warmedUp = false;
                for (String c : cases) {
                    String[] v = c.trim().split("x");
                    if (v.length != 4) {
                        throw new CommandLine.ParameterException(spec.commandLine(), "--case: " + c
                                + " is not RUNSxEPOCHSxINSTANCESxPARTITIONS, e.g. 10000x200x2x4");
                    }
                    if (!warmedUp) {
                        // the first case once untimed: a cold JIT would make it look slower than it is
                        ScaleBench.run(s.kafka, Integer.parseInt(v[0]), Integer.parseInt(v[1]), 1,
                                Integer.parseInt(v[3]));
                        warmedUp = true;
                    }
                    List<ScaleBench.Result> runs = new java.util.ArrayList<>();
                    for (int i = 0; i < repetitions; i++) {
                        runs.add(ScaleBench.run(s.kafka, Integer.parseInt(v[0]), Integer.parseInt(v[1]),
                                Integer.parseInt(v[2]), Integer.parseInt(v[3])));
                    }
                    ScaleBench.Result r = runs.get(0);
                    out.printf(Locale.ROOT, "| %,d | %,d | %d | %d | %,d | %s | %.1f MB | %.0f MB | %s |%n",
                            r.runs(), r.epochs(), r.instances(), r.partitions(), r.events(),
                            Stats.fmt(Stats.median(runs.stream().map(ScaleBench.Result::eventsPerSecond).toList())),
                            Stats.median(runs.stream().map(x -> (double) x.stateBytes()).toList()) / 1e6,
                            Stats.median(runs.stream().map(x -> (double) x.heapBytes()).toList()) / 1e6,
                            each(runs.stream().map(ScaleBench.Result::eventsPerSecond).toList()));
                    out.flush();
                }
            }
            return 0;
        }
    }

    private static String each(List<Double> values) {
        return each(values, Stats::fmt);
    }

    private static String each(List<Double> values, java.util.function.Function<Double, String> format) {
        return String.join(", ", values.stream().map(format).toList());
    }

    @Command(name = "client", mixinStandardHelpOptions = true,
            description = {"The Python client on a real serve (started here): the cost of one log() against a "
                    + "bare confluent-kafka produce of the same JSON and against the README's hand-written publish, "
                    + "in one Python process, interleaved; and the time from log() to the live page in headless "
                    + "Chromium showing the event, with the client's default linger and with none.",
                    "Needs Debian's Python with python3-confluent-kafka (DW_PYTHON) and Chromium."})
    static final class Client implements Callable<Integer> {
        @Option(names = "--python", defaultValue = "${env:DW_PYTHON:-/usr/bin/python3}",
                description = "Python with confluent-kafka (env DW_PYTHON; default ${DEFAULT-VALUE}).")
        String python;

        @Option(names = "--client-dir", paramLabel = "DIR",
                description = "The Python client's folder (default: clients/python here or beside the jar).")
        java.nio.file.Path clientDir;

        @Option(names = "--events", defaultValue = "20000",
                description = "log() calls per repetition (default ${DEFAULT-VALUE}).")
        @Range(min = "1", max = "100000000")
        int events;

        @Option(names = "--repetitions", defaultValue = "5",
                description = "Interleaved repetitions (default ${DEFAULT-VALUE}).")
        @Range(min = "1", max = "1000")
        int repetitions;

        @Option(names = "--latency-events", defaultValue = "20",
                description = "Events timed to the page, per client setting (default ${DEFAULT-VALUE}).")
        @Range(min = "1", max = "1000000")
        int latencyEvents;

        @Option(names = "--interval", defaultValue = "PT0.5S",
                description = "Time between log() calls while timing the page: a trainer's pace, slower than "
                        + "the client's linger (default ${DEFAULT-VALUE}).")
        @Range(min = "PT0S", max = "PT1M")
        Duration interval;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            java.nio.file.Path script = clientDirectory().resolve("bench").resolve("bench_client.py");
            if (!java.nio.file.Files.isRegularFile(script)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--client-dir: no bench/bench_client.py "
                        + "in " + clientDirectory() + "; give the folder of the Python client (clients/python)");
            }
            ClientBench.Result r = ClientBench.run(script, python, events, repetitions, latencyEvents, interval);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("| per log() call (%,d calls, median of %d) | microseconds | each repetition |%n", r.events(),
                    repetitions);
            out.println("| --- | --- | --- |");
            out.printf(Locale.ROOT, "| descentwatch.Run.log (checks, time stamp, JSON, produce) | %.2f | %s |%n",
                    Stats.median(r.client()), micros(r.client()));
            out.printf(Locale.ROOT, "| bare confluent-kafka produce of the same JSON | %.2f | %s |%n",
                    Stats.median(r.bare()), micros(r.bare()));
            out.printf(Locale.ROOT, "| the README's hand-written publish (dict, time, json.dumps, produce) | %.2f | "
                    + "%s |%n", Stats.median(r.handmade()), micros(r.handmade()));
            out.printf(Locale.ROOT, "%nclient / bare produce = %.2f; client / hand-written = %.2f%n%n",
                    Stats.median(r.client()) / Stats.median(r.bare()),
                    Stats.median(r.client()) / Stats.median(r.handmade()));
            out.printf("| log() to the page showing it (%d events, one per %s) | median ms | p90 ms | max ms | "
                    + "shown |%n", r.latencyEvents(), interval);
            out.println("| --- | --- | --- | --- | --- |");
            latencyRow(out, "client defaults (linger 0.2 s: the last event carries final)", r.pageDefault(),
                    r.latencyEvents());
            latencyRow(out, "linger 0 (every event sent at once)", r.pageNoLinger(), r.latencyEvents());
            return 0;
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
                java.nio.file.Path jar = java.nio.file.Path.of(Client.class.getProtectionDomain().getCodeSource()
                        .getLocation().toURI());
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
            return String.join(", ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
        }

        private static void latencyRow(PrintWriter out, String name, List<Double> ms, int sent) {
            List<Double> sorted = ms.stream().sorted().toList();
            double p90 = sorted.isEmpty() ? Double.NaN
                    : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(0.9 * sorted.size()) - 1));
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %d of %d |%n", name, Stats.fmt(Stats.median(ms)),
                    Stats.fmt(p90), Stats.fmt(sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1)),
                    ms.size(), sent);
        }
    }
}
