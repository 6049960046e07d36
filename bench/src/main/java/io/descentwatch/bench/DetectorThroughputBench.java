package io.descentwatch.bench;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.streams.detector.DescentTopology;
import io.descentwatch.streams.detector.DetectorSettings;
import io.descentwatch.streams.detector.PassThroughTopology;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;

/**
 * Sustained events/s through the full detector topology and through a pass-through topology, on the same broker,
 * over the same pre-loaded events, with the same Streams settings (exactly-once, one thread), alternating.
 */
final class DetectorThroughputBench {

    record Result(long events, List<Double> detector, List<Double> passThrough) {
        double ratio() {
            return Stats.median(detector) / Stats.median(passThrough);
        }
    }

    static Result run(KafkaSettings kafka, int runCount, int epochsPerRun, int repetitions) throws Exception {
        TopicSettings topics = TopicSettings.defaults().prefixed("bench-throughput-" + System.nanoTime() + ".");
        new TopicProvisioner(kafka.clientProperties()).ensure(List.of(
                TopicProvisioner.topic(topics.epochs, topics), TopicProvisioner.topic(topics.deadLetters, topics),
                TopicProvisioner.topic(topics.alerts, topics), TopicProvisioner.compactedTopic(topics.runs, topics),
                TopicProvisioner.compactedTopic(topics.sweeps, topics)));
        long events = EventLoader.load(kafka, topics.epochs, new SyntheticRuns("tp", epochsPerRun), runCount, 200);
        List<Double> detector = new ArrayList<>();
        List<Double> passThrough = new ArrayList<>();
        // the first round warms the JIT up for both and is not counted: a detector runs for days, not seconds
        for (int i = 0; i <= repetitions; i++) {
            double d = eventsPerSecond(kafka, topics, events, (t, app) -> DescentTopology.build(t,
                    DetectionSettings.defaults(), app));
            double p = eventsPerSecond(kafka, topics, events, (t, app) -> PassThroughTopology.build(t));
            if (i > 0) {
                detector.add(d);
                passThrough.add(p);
            }
        }
        return new Result(events, detector, passThrough);
    }

    private static double eventsPerSecond(KafkaSettings kafka, TopicSettings topics, long events,
                                          BiFunction<TopicSettings, DetectorSettings, Topology> topology)
            throws Exception {
        String appId = "bench-" + System.nanoTime();
        Path state = Files.createTempDirectory("bench-state");
        DetectorSettings settings = DetectorSettings.defaults(appId, state);
        try (KafkaStreams streams = new KafkaStreams(topology.apply(topics, settings),
                settings.streamsProperties(kafka.clientProperties()))) {
            // timed from RUNNING: the group join before it is the same fixed cost for both topologies
            CountDownLatch running = new CountDownLatch(1);
            long[] start = new long[1];
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING && running.getCount() > 0) {
                    start[0] = System.nanoTime();
                    running.countDown();
                }
            });
            streams.start();
            running.await();
            if (!GroupProgress.awaitCaughtUp(kafka.clientProperties(), appId, topics.epochs,
                    Duration.ofMinutes(10))) {
                throw new IllegalStateException("benchmark app " + appId + " did not catch up in 10 minutes");
            }
            double seconds = (System.nanoTime() - start[0]) / 1e9;
            return events / seconds;
        }
    }
}
