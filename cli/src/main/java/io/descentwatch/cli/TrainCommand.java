package io.descentwatch.cli;

import io.descentwatch.events.Advice;
import io.descentwatch.producer.output.EventOutput;
import io.descentwatch.producer.output.JsonLinesOutput;
import io.descentwatch.producer.output.KafkaOutput;
import io.descentwatch.producer.training.AdvisedStopping;
import io.descentwatch.producer.training.Evaluation;
import io.descentwatch.producer.training.ParameterSpec;
import io.descentwatch.producer.training.Preset;
import io.descentwatch.producer.training.PresetFlags;
import io.descentwatch.producer.training.Presets;
import io.descentwatch.producer.training.RunShape;
import io.descentwatch.producer.training.RunSpec;
import io.descentwatch.producer.training.StopMode;
import io.descentwatch.producer.training.SweepOptions;
import io.descentwatch.producer.training.SweepRunner;
import io.descentwatch.streams.detector.DetectionOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        modelTransformer = PresetFlags.class,
        description = {
            "Trains a preset's sweep here with DL4J, one single-threaded worker per core, and publishes "
                    + "one epoch event per evaluation to Kafka (or, with --out, to a JSON-lines file).",
            "Presets: rf-modelwise, two-scale-epochwise, minnorm-linear, mlp-label-noise "
                    + "(--list-presets shows their settings)."
        })
final class TrainCommand extends Subcommand {

    /** How long Ctrl-C waits for trained events to reach Kafka. */
    static final Duration FLUSH_ON_EXIT = Duration.ofSeconds(10);

    @Mixin
    SweepOptions sweep;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            defaultValue = "${env:DW_OUT}",
            description = "Write the events as JSON lines to FILE instead of Kafka (env DW_OUT).")
    Path out;

    @Option(names = "--list-presets", description = "List the presets and their settings, then exit.")
    boolean listPresets;

    @Option(
            names = "--stop",
            defaultValue = "${env:DW_STOP:-end}",
            description = "How each run ends: end (its last epoch) or auto (at the first STOP of DescentWatch's "
                    + "stopping advice, computed here on the run's own evaluations: through the first bump while "
                    + "a second descent can still come, stopped once none can; its last event is marked final). "
                    + "Env DW_STOP; default ${DEFAULT-VALUE}: a preset's runs show its whole curve unless asked. "
                    + "Valid values: ${COMPLETION-CANDIDATES}. The --advice-* thresholds apply. `worker` takes the "
                    + "same option for the runs of a distributed sweep.")
    StopMode stop;

    @Mixin
    WorkerOptions workers;

    @Mixin
    DetectionOptions detection;

    @Mixin
    KafkaTarget kafka;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = out();
        if (listPresets) {
            listPresets(stdout);
            return 0;
        }
        Clock clock = Clock.systemUTC();
        AdvisedStopping advised = AdvisedStopping.of(stop, detection.settings());
        SweepOptions.Sweep plan = sweep.resolve(spec, clock);
        int w = workers.count();
        long started = System.nanoTime();
        SweepRunner.Outcome outcome;
        Map<String, Result> results = new ConcurrentHashMap<>();
        try (EventOutput sink = sink()) {
            stdout.printf(
                    "training sweep %s: %s%s, %d runs, %d workers x %d threads -> %s%n",
                    plan.sweepId(),
                    plan.preset().name(),
                    sweep.quick() ? " (quick)" : "",
                    plan.runs().size(),
                    w,
                    workers.threadsPerWorker,
                    sink.describe());
            stdout.flush();
            long totalEpochs =
                    plan.runs().stream().mapToLong(r -> plan.preset().epochs(r)).sum();
            // on Ctrl-C, deliver what was already trained
            ShutdownHook onExit = ShutdownHook.runAtMost(
                    "dw-train-shutdown", sink::flush, FLUSH_ON_EXIT, "descentwatch train: events not delivered: ");
            try (ProgressBar bar = progressBar(plan.sweepId(), totalEpochs)) {
                SweepRunner runner = new SweepRunner(w, workers.threadsPerWorker, clock);
                if (advised != null) {
                    runner.stopping(advised);
                }
                outcome =
                        runner.run(plan.runs(), sink, progress(bar, plan.runs().size(), results, stdout));
            } finally {
                onExit.close();
            }
        }
        summary(stdout, results);
        if (advised != null) {
            Map<String, Advice> stopped = advised.stopped();
            stdout.printf(
                    "--stop auto: %d of %d runs stopped early%n",
                    stopped.size(), plan.runs().size());
            stopped.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> stdout.printf(
                            "  %s: stopped at epoch %d: %s%n",
                            e.getKey(), e.getValue().epoch(), e.getValue().reason()));
        }
        stdout.printf(
                "%d events of %d runs in %.1f s%n",
                outcome.events(), outcome.runs(), (System.nanoTime() - started) / 1e9);
        return 0;
    }

    private EventOutput sink() {
        if (out != null) {
            return new JsonLinesOutput(out);
        }
        kafka.ensureTopics(kafka.topics.epochs);
        return KafkaOutput.create(kafka.clientProperties(), kafka.topics.epochs, workers.deliveryTimeout);
    }

    /** A run's outcome for the summary table. */
    record Result(RunSpec run, RunShape shape, Evaluation last) {}

    private static SweepRunner.Progress progress(
            ProgressBar bar, int runs, Map<String, Result> results, PrintWriter stdout) {
        Map<String, RunShape> shapes = new ConcurrentHashMap<>();
        AtomicInteger done = new AtomicInteger();
        return new SweepRunner.Progress() {
            @Override
            public void runStarted(RunSpec run, RunShape shape) {
                shapes.put(run.runId(), shape);
            }

            @Override
            public void epochs(long completed) {
                if (bar != null) {
                    bar.stepBy(completed);
                }
            }

            @Override
            public void runFinished(RunSpec run, Evaluation last) {
                RunShape shape = shapes.get(run.runId());
                results.put(run.runId(), new Result(run, shape, last));
                int n = done.incrementAndGet();
                if (bar != null) {
                    bar.setExtraMessage(n + "/" + runs + " runs");
                } else {
                    // no terminal: one plain line per finished run, for logs
                    synchronized (stdout) {
                        stdout.printf(
                                "[%d/%d] %s: epoch %d, train loss %.4g, test loss %.4g%n",
                                n, runs, run.runId(), last.epoch(), last.trainLoss(), last.testLoss());
                        stdout.flush();
                    }
                }
            }
        };
    }

    /** The sweep's final picture, by parameter count: the model-wise curve at a glance. */
    private static void summary(PrintWriter stdout, Map<String, Result> results) {
        List<Result> rows = new ArrayList<>(results.values());
        rows.sort(Comparator.comparingLong((Result r) -> r.shape().paramCount())
                .thenComparing(r -> r.run().seed()));
        int idWidth =
                rows.stream().mapToInt(r -> r.run().runId().length()).max().orElse(3);
        stdout.printf(
                "%-" + idWidth + "s %10s %8s %8s %12s %12s %10s%n",
                "run",
                "params",
                "p/(nk)",
                "epoch",
                "train loss",
                "test loss",
                "test error");
        for (Result r : rows) {
            double pOverN = (double) r.shape().paramCount()
                    / (r.shape().trainSize() * r.shape().outputDim());
            stdout.printf(
                    "%-" + idWidth + "s %10d %8.2f %8d %12.4g %12.4g %10s%n",
                    r.run().runId(),
                    r.shape().paramCount(),
                    pOverN,
                    r.last().epoch(),
                    r.last().trainLoss(),
                    r.last().testLoss(),
                    r.last().testError() == null
                            ? ""
                            : String.format("%.3f", r.last().testError()));
        }
    }

    /** A bar for a person at a terminal; logs and pipes get one line per run instead. */
    private static ProgressBar progressBar(String sweepId, long totalEpochs) {
        if (System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName(sweepId)
                .setInitialMax(totalEpochs)
                .setUnit(" epochs", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(250)
                .continuousUpdate()
                .build();
    }

    private static void listPresets(PrintWriter out) {
        for (Preset p : Presets.all()) {
            out.printf("%s: %s%n", p.name(), p.description());
            for (ParameterSpec s : p.parameters()) {
                out.printf(
                        "  --%-16s %s%s%s%n",
                        s.key(),
                        s.fullDefault(),
                        s.quickDefault().equals(s.fullDefault()) ? "" : " (quick: " + s.quickDefault() + ")",
                        s.numeric() ? ", valid: " + s.bounds().describe() : "");
            }
        }
    }
}
