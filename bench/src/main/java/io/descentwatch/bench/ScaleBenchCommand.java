package io.descentwatch.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bench scale`: many concurrent runs through one or more detector instances. */
@Command(
        name = "scale",
        mixinStandardHelpOptions = true,
        description = "Many concurrent runs through one or more detector instances: events/s, state size, heap.")
final class ScaleBenchCommand extends BenchSubcommand {
    @CommandLine.Mixin
    ServerOptions servers = new ServerOptions();

    @Option(
            names = "--case",
            split = ";",
            defaultValue = "1000x200x1x4;10000x200x1x4;1000x2000x1x4;" + "10000x200x2x4",
            description = "Cases RUNSxEPOCHSxINSTANCESxPARTITIONS, separated by ';' (default ${DEFAULT-VALUE}).")
    List<String> cases;

    @CommandLine.Mixin
    Repetitions repetitions = new Repetitions();

    @Override
    void measure(PrintWriter out) throws Exception {
        try (BenchServers s = servers.start()) {
            out.println("| concurrent runs | epochs each | instances | partitions | events | events/s | "
                    + "state on disk | heap held | each run's events/s |");
            out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            boolean warmedUp = false;
            for (String c : cases) {
                String[] v = c.trim().split("x");
                if (v.length != 4) {
                    throw new CommandLine.ParameterException(
                            spec.commandLine(),
                            "--case: " + c + " is not RUNSxEPOCHSxINSTANCESxPARTITIONS, e.g. 10000x200x2x4");
                }
                if (!warmedUp) {
                    // the first case once untimed: a cold JIT would make it look slower than it is
                    ScaleBench.run(s.kafka, Integer.parseInt(v[0]), Integer.parseInt(v[1]), 1, Integer.parseInt(v[3]));
                    warmedUp = true;
                }
                List<ScaleBench.Result> runs = new java.util.ArrayList<>();
                for (int i = 0; i < repetitions.count; i++) {
                    runs.add(ScaleBench.run(
                            s.kafka,
                            Integer.parseInt(v[0]),
                            Integer.parseInt(v[1]),
                            Integer.parseInt(v[2]),
                            Integer.parseInt(v[3])));
                }
                ScaleBench.Result r = runs.get(0);
                out.printf(
                        Locale.ROOT,
                        "| %,d | %,d | %d | %d | %,d | %s | %.1f MB | %.0f MB | %s |%n",
                        r.runs(),
                        r.epochs(),
                        r.instances(),
                        r.partitions(),
                        r.events(),
                        Stats.fmt(Stats.median(runs.stream()
                                .map(ScaleBench.Result::eventsPerSecond)
                                .toList())),
                        Stats.median(runs.stream()
                                        .map(x -> (double) x.stateBytes())
                                        .toList())
                                / 1e6,
                        Stats.median(runs.stream()
                                        .map(x -> (double) x.heapBytes())
                                        .toList())
                                / 1e6,
                        Stats.each(runs.stream()
                                .map(ScaleBench.Result::eventsPerSecond)
                                .toList()));
                out.flush();
            }
        }
    }
}
