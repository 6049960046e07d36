package io.descentwatch.bench;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.producer.output.EventOutput;
import io.descentwatch.producer.output.KafkaOutput;
import io.descentwatch.producer.training.Nd4jRuntime;
import io.descentwatch.producer.training.Presets;
import io.descentwatch.producer.training.RunShape;
import io.descentwatch.producer.training.RunSpec;
import io.descentwatch.producer.training.SweepOptions;
import io.descentwatch.producer.training.SweepRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What telemetry costs training, and how fast the presets train. Telemetry: a preset's sweep trained with its
 * events discarded and with them published to Kafka (the idempotent producer, flushed at the end of each run, as
 * the workers do), alternating, same workers. Speed: each preset on one single-threaded worker, in epochs per
 * second and in floating-point operations per second against what this core's double-precision matrix product
 * reaches.
 */
final class TrainingBench {

    /** Discards events: training with no telemetry at all. */
    private static final class Discard implements EventOutput {
        final AtomicLong events = new AtomicLong();

        @Override
        public void publish(EpochEvent event) {
            events.incrementAndGet();
        }

        @Override
        public void flush() {}

        @Override
        public String describe() {
            return "nowhere";
        }

        @Override
        public void close() {}
    }

    record Cost(String preset, String eval, long events, List<Double> off, List<Double> on) {
        /** The median of the rounds' relative differences: each round trains both back to back. */
        double overhead() {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < off.size(); i++) {
                ratios.add(on.get(i) / off.get(i) - 1);
            }
            return Stats.median(ratios);
        }
    }

    record Speed(String preset, int runs, long epochs, long minParams, long maxParams, double seconds, double flops) {
        double epochsPerSecond() {
            return epochs / seconds;
        }

        double flopsPerSecond() {
            return flops / seconds;
        }
    }

    static Cost telemetry(
            KafkaSettings kafka,
            String preset,
            boolean quick,
            Map<String, String> overrides,
            int workers,
            int repetitions)
            throws InterruptedException {
        TopicSettings topics = TopicSettings.defaults().prefixed("bench-telemetry-" + System.nanoTime() + ".");
        new TopicProvisioner(kafka.clientProperties()).ensure(List.of(TopicProvisioner.topic(topics.epochs, topics)));
        List<Double> off = new ArrayList<>();
        List<Double> on = new ArrayList<>();
        long events = 0;
        // the first round warms up ND4J and the JIT for both and is not counted
        for (int r = 0; r <= repetitions; r++) {
            List<RunSpec> runs = plan(preset, quick, overrides, "bench-telemetry-" + r);
            Discard discard = new Discard();
            double withoutTelemetry = seconds(runs, discard, workers);
            double withTelemetry;
            try (KafkaOutput sink =
                    KafkaOutput.create(kafka.clientProperties(), topics.epochs, Duration.ofMinutes(2))) {
                withTelemetry = seconds(plan(preset, quick, overrides, "bench-telemetry-on-" + r), sink, workers);
            }
            if (r > 0) {
                off.add(withoutTelemetry);
                on.add(withTelemetry);
                events = discard.events.get();
            }
        }
        return new Cost(preset, overrides.getOrDefault("eval", "preset's"), events, off, on);
    }

    static Speed speed(String preset, boolean quick) throws InterruptedException {
        List<RunSpec> runs = plan(preset, quick, Map.of(), "bench-speed");
        Map<String, RunShape> shapes = new ConcurrentHashMap<>();
        Discard discard = new Discard();
        // the smallest run once untimed, to load ND4J's natives and warm the JIT up
        seconds(List.of(runs.get(0)), discard, 1);
        long start = System.nanoTime();
        new SweepRunner(1, 1, Clock.systemUTC()).run(runs, discard, new SweepRunner.Progress() {
            @Override
            public void runStarted(RunSpec run, RunShape shape) {
                shapes.put(run.runId(), shape);
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        long epochs = 0;
        double flops = 0;
        for (RunSpec run : runs) {
            RunShape shape = shapes.get(run.runId());
            long e = Presets.named(run.preset()).epochs(run);
            epochs += e;
            flops += flopsPerEpoch(preset, shape) * e;
        }
        return new Speed(
                preset,
                runs.size(),
                epochs,
                shapes.values().stream().mapToLong(RunShape::paramCount).min().orElse(0),
                shapes.values().stream().mapToLong(RunShape::paramCount).max().orElse(0),
                seconds,
                flops);
    }

    /**
     * Multiply-adds of one full-batch epoch, counted as two operations each: for the linear readouts (random
     * features, two scales, min-norm), the prediction and the gradient over the training set, 2 x 2 p n; for the
     * MLP the usual estimate of 6 p n (forward 2 p n, backward 4 p n). Evaluations on the test set are left out,
     * so these are floors.
     */
    static double flopsPerEpoch(String preset, RunShape shape) {
        double pn = (double) shape.paramCount() * shape.trainSize();
        return preset.startsWith("mlp") ? 6 * pn : 4 * pn;
    }

    /** What one core's double-precision matrix product reaches here (1024 x 1024, one thread): the ceiling. */
    static double peakFlopsPerSecond() {
        Nd4jRuntime.configure(1);
        int n = 1024;
        INDArray a = Nd4j.rand(DataType.DOUBLE, n, n);
        INDArray b = Nd4j.rand(DataType.DOUBLE, n, n);
        a.mmul(b);
        int reps = 8;
        long start = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            a.mmul(b);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return reps * 2.0 * n * n * n / seconds;
    }

    private static List<RunSpec> plan(String preset, boolean quick, Map<String, String> overrides, String sweepId) {
        return SweepOptions.plan(Presets.named(preset), quick, overrides, sweepId, Clock.systemUTC())
                .runs();
    }

    private static double seconds(List<RunSpec> runs, EventOutput sink, int workers) throws InterruptedException {
        long start = System.nanoTime();
        new SweepRunner(workers, 1, Clock.systemUTC()).run(runs, sink, new SweepRunner.Progress() {});
        return (System.nanoTime() - start) / 1e9;
    }
}
