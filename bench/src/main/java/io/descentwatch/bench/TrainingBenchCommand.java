package io.descentwatch.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `bench training`: how fast each preset trains on one single-threaded worker. */
@Command(
        name = "training",
        mixinStandardHelpOptions = true,
        description = "How fast each preset trains on one single-threaded worker, and what share of this core's "
                + "double-precision matrix-product rate that is.")
final class TrainingBenchCommand extends BenchSubcommand {
    @Option(names = "--quick", description = "The presets' quick sizes.")
    boolean quick;

    @CommandLine.Mixin
    Repetitions repetitions = new Repetitions();

    @Override
    void measure(PrintWriter out) throws Exception {
        double peak = TrainingBench.peakFlopsPerSecond();
        out.printf(Locale.ROOT, "one core, DGEMM 1024 x 1024: %.2f GFLOP/s%n%n", peak / 1e9);
        out.println("| preset | runs | epochs | parameters | wall s (1 worker) | epochs/s | GFLOP/s | share of DGEMM "
                + "| each run's s |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (String preset : io.descentwatch.producer.training.Presets.names()) {
            List<TrainingBench.Speed> runs = new java.util.ArrayList<>();
            for (int i = 0; i < repetitions.count; i++) {
                runs.add(TrainingBench.speed(preset, quick));
            }
            List<TrainingBench.Speed> bySeconds = runs.stream()
                    .sorted(java.util.Comparator.comparingDouble(TrainingBench.Speed::seconds))
                    .toList();
            TrainingBench.Speed r = bySeconds.get(bySeconds.size() / 2);
            out.printf(
                    Locale.ROOT,
                    "| %s | %d | %,d | %,d - %,d | %.1f | %,.0f | %.2f | %.0f%% | %s |%n",
                    preset,
                    r.runs(),
                    r.epochs(),
                    r.minParams(),
                    r.maxParams(),
                    r.seconds(),
                    r.epochsPerSecond(),
                    r.flopsPerSecond() / 1e9,
                    100 * r.flopsPerSecond() / peak,
                    Stats.each(
                            runs.stream().map(TrainingBench.Speed::seconds).toList(),
                            v -> String.format(Locale.ROOT, "%.1f", v)));
            out.flush();
        }
    }
}
