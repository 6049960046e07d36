package io.descentwatch.bench;

import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.streams.detector.DescentTopology;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.PassThroughTopology;
import io.descentwatch.streams.detector.StreamsAppSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * Sustained events/s through the full detector topology and through a pass-through topology, on the same broker,
 * over the same pre-loaded events, with the same Streams settings (exactly-once, one thread), alternating.
 */
final class DetectorThroughputBench {

    /**
     * @param traffic what the last detector round wrote to each topic (its internal topics named without the
     *                application id), beside the events it read
     */
    record Result(long events, List<Double> detector, List<Double> passThrough, TopicTraffic traffic) {
        /** The median of each round's ratio: rounds run back to back, so each ratio shares one machine state. */
        double ratio() {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < detector.size(); i++) {
                ratios.add(detector.get(i) / passThrough.get(i));
            }
            return Stats.median(ratios);
        }
    }

    static Result run(KafkaSettings kafka, int runCount, int epochsPerRun, int repetitions) throws Exception {
        TopicSettings topics = TopicSettings.defaults().prefixed("bench-throughput-" + System.nanoTime() + ".");
        DetectorApp.ensureTopics(kafka, topics);
        long events = EventLoader.load(kafka, topics.epochs, new SyntheticRuns("tp", epochsPerRun), runCount, 200);
        List<Double> detector = new ArrayList<>();
        List<Double> passThrough = new ArrayList<>();
        TopicTraffic traffic = null;
        Predicate<String> notTheBrokers = t -> !t.startsWith("__");
        // the first round warms the JIT up for both and is not counted: a detector runs for days, not seconds
        for (int i = 0; i <= repetitions; i++) {
            TopicTraffic before = TopicTraffic.snapshot(kafka.clientProperties(), notTheBrokers);
            double d = eventsPerSecond(
                    kafka, topics, events, (t, app) -> DescentTopology.build(t, DetectionSettings.defaults(), app));
            traffic = TopicTraffic.snapshot(kafka.clientProperties(), notTheBrokers)
                    .since(
                            before,
                            name -> name.replaceFirst("^bench-throughput-\\d+\\.", "")
                                    .replaceFirst("^bench-\\d+-", ""));
            double p = eventsPerSecond(kafka, topics, events, (t, app) -> PassThroughTopology.build(t));
            if (i > 0) {
                detector.add(d);
                passThrough.add(p);
            }
        }
        return new Result(events, detector, passThrough, traffic);
    }

    private static double eventsPerSecond(
            KafkaSettings kafka,
            TopicSettings topics,
            long events,
            BiFunction<TopicSettings, StreamsAppSettings, Topology> topology)
            throws Exception {
        String appId = "bench-" + System.nanoTime();
        try (ScratchDirectory state = ScratchDirectory.create("bench-state-")) {
            StreamsAppSettings settings = StreamsAppSettings.defaults(appId, state.path());
            try (KafkaStreams streams = new KafkaStreams(
                    topology.apply(topics, settings), settings.streamsProperties(kafka.clientProperties()))) {
                streams.start();
                return GroupProgress.committedRate(
                        kafka.clientProperties(), appId, topics.epochs, Duration.ofMinutes(10));
            }
        }
    }
}
