package io.descentwatch.bench;

import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.detection.BinaryStateCodec;
import io.descentwatch.detection.DescentDetector;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.PublishedJson;
import io.descentwatch.detection.SweepPicture;
import io.descentwatch.detection.SweepState;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.streams.detector.DescentTopology;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.PassThroughTopology;
import io.descentwatch.streams.detector.StreamsAppSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;

/**
 * One sweep of a given run count, offline and through the topology: the cost per event and the largest record
 * written. Every case has the same runs and events in all (the total is split into sweeps of the case's size), so
 * only the sweep size differs between cases. Through the topology, the largest record is read back from every
 * topic the detector wrote: outputs, changelogs and repartition topics.
 */
final class SweepSizeBench {

    /** Runs training at once, as the loader interleaves them: a sweep's updates arrive spread over its runs. */
    private static final int CONCURRENT_RUNS = 1_000;
    /** Relative seed-to-seed noise of the runs' test losses: what real sweeps show. */
    private static final double NOISE = 0.1;

    record Offline(double nanosPerEvent, int largestSweepState, int largestSweepPicture) {}

    record Topology(
            double detectorEventsPerSecond,
            double passThroughEventsPerSecond,
            long largestRecord,
            String largestRecordTopic) {}

    static SizedSweeps load(int runsPerSweep, int sizes, int evaluations) {
        return new SizedSweeps("size" + runsPerSweep, runsPerSweep, sizes, evaluations, NOISE);
    }

    /** The events as the loader sends them: {@link #CONCURRENT_RUNS} at a time, epoch by epoch. */
    static List<EpochEvent> events(SizedSweeps sweeps, int totalRuns) {
        List<EpochEvent> events = new ArrayList<>(totalRuns * sweeps.epochsPerRun());
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int first = 0; first < totalRuns; first += CONCURRENT_RUNS) {
            int last = Math.min(totalRuns, first + CONCURRENT_RUNS);
            for (int epoch = 1; epoch <= sweeps.epochsPerRun(); epoch++) {
                for (int run = first; run < last; run++) {
                    events.add(sweeps.event(run, epoch, t0.plusMillis(events.size())));
                }
            }
        }
        return events;
    }

    static Offline offline(List<EpochEvent> events, DetectionSettings settings) {
        DescentDetector detector = new DescentDetector(settings);
        long start = System.nanoTime();
        for (EpochEvent e : events) {
            detector.accept(e);
        }
        detector.endOfInput();
        double nanos = (double) (System.nanoTime() - start) / events.size();
        BinaryStateCodec binary = new BinaryStateCodec();
        PublishedJson json = new PublishedJson();
        int state = 0;
        int picture = 0;
        for (SweepState s : detector.sweeps().values()) {
            state = Math.max(state, binary.encodeSweep(s).length);
            picture = Math.max(picture, json.encodeSweep(SweepPicture.of(s)).length);
        }
        return new Offline(nanos, state, picture);
    }

    static Topology topology(KafkaSettings kafka, SizedSweeps sweeps, int totalRuns, DetectionSettings settings)
            throws Exception {
        TopicSettings topics = TopicSettings.defaults().prefixed("bench-sweep-size-" + System.nanoTime() + ".");
        DetectorApp.ensureTopics(kafka, topics);
        EventLoader.load(kafka, topics.epochs, sweeps, totalRuns, CONCURRENT_RUNS);
        String appId = "bench-sweep-size-" + System.nanoTime();
        double detector = eventsPerSecond(kafka, topics, appId, app -> DescentTopology.build(topics, settings, app));
        double passThrough = eventsPerSecond(
                kafka, topics, "bench-pass-" + System.nanoTime(), app -> PassThroughTopology.build(topics));
        Map<String, Long> largest = largestRecords(kafka, topics, appId);
        Map.Entry<String, Long> top =
                largest.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
        return new Topology(detector, passThrough, top.getValue(), top.getKey());
    }

    private static double eventsPerSecond(
            KafkaSettings kafka,
            TopicSettings topics,
            String appId,
            Function<StreamsAppSettings, org.apache.kafka.streams.Topology> topology)
            throws Exception {
        try (ScratchDirectory state = ScratchDirectory.create("bench-sweep-size-")) {
            StreamsAppSettings settings = StreamsAppSettings.defaults(appId, state.path());
            try (KafkaStreams streams =
                    new KafkaStreams(topology.apply(settings), settings.streamsProperties(kafka.clientProperties()))) {
                streams.start();
                return GroupProgress.committedRate(
                        kafka.clientProperties(), appId, topics.epochs, Duration.ofMinutes(20));
            }
        }
    }

    /** The largest record (key and value) on each topic the detector wrote: its outputs and internal topics. */
    private static Map<String, Long> largestRecords(KafkaSettings kafka, TopicSettings topics, String appId)
            throws Exception {
        List<String> written =
                new ArrayList<>(List.of(topics.alerts, topics.runs, topics.sweeps, topics.advice, topics.deadLetters));
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(appId + "-"))
                    .forEach(written::add);
        }
        Properties p = kafka.clientProperties();
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        Map<String, Long> largest = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String topic : written) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(i -> new TopicPartition(topic, i.partition()))
                        .toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                long max = 0;
                while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        max = Math.max(max, Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize()));
                    }
                }
                largest.put(
                        topic.startsWith(appId + "-")
                                ? topic.substring(appId.length() + 1)
                                : topic.substring(topic.indexOf('.') + 1),
                        max);
            }
        }
        return largest;
    }

    private SweepSizeBench() {}
}
