package io.descentwatch.reliability;

import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.Decoded;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.streams.detector.PipelineOracle;
import io.descentwatch.testkit.FixtureProducer;
import io.descentwatch.testkit.TopicReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.assertj.core.api.Assertions;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/** What the reliability tests share: corpus input, producing, reading back, and the alerts a clean run raises. */
final class Fixtures {

    private Fixtures() {}

    /** The events of the corpus runs the filter keeps, in file order (interleaved as concurrent workers wrote). */
    /**
     * A detector process's command line on the test's broker and topics, with its own application id and state
     * directory; {@code extra} flags follow.
     */
    static List<String> detectorArgs(
            KafkaSettings kafka, TopicSettings topics, String appId, ScratchDirectory state, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "detector",
                "--bootstrap",
                kafka.bootstrap(),
                "--application-id",
                appId,
                "--state-dir",
                state.path().toString(),
                "--topic-epochs",
                topics.epochs,
                "--topic-dlq",
                topics.deadLetters,
                "--topic-alerts",
                topics.alerts,
                "--topic-runs",
                topics.runs,
                "--topic-sweeps",
                topics.sweeps,
                "--topic-advice",
                topics.advice));
        args.addAll(List.of(extra));
        return args;
    }

    /**
     * {@link #detectorArgs} with the short session timeout that lets a group notice a killed or stopped member
     * within seconds, for the tests that kill and add detectors.
     */
    static List<String> quickFailoverDetectorArgs(
            KafkaSettings kafka, TopicSettings topics, String appId, ScratchDirectory state, String... extra) {
        List<String> args = detectorArgs(kafka, topics, appId, state, extra);
        args.addAll(List.of(
                "--kafka-property", "session.timeout.ms=6000", "--kafka-property", "heartbeat.interval.ms=1000"));
        return args;
    }

    static List<EpochEvent> corpus(Path file, Predicate<String> runFilter) throws IOException {
        EpochEventCodec codec = new EpochEventCodec();
        List<EpochEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            EpochEvent e = codec.decode(line).value();
            if (runFilter.test(e.runId())) {
                events.add(e);
            }
        }
        return events;
    }

    /** Every k-th run, by a hash of its id: a spread of shapes, the same runs each time. */
    static Predicate<String> everyKthRun(int k) {
        return id -> Math.floorMod(id.hashCode(), k) == 0;
    }

    /** A plain producer for test input (the test kit's fixture producer). */
    static KafkaProducer<String, byte[]> producer(KafkaSettings kafka) {
        return FixtureProducer.open(kafka.clientProperties());
    }

    static void produce(KafkaSettings kafka, String topic, List<EpochEvent> events) {
        EpochEventCodec codec = new EpochEventCodec();
        FixtureProducer.send(kafka.clientProperties(), topic, events, EpochEvent::runId, codec::encode);
    }

    /** Every committed record of a topic, until {@code expected} arrived and a little longer, or the timeout. */
    static List<ConsumerRecord<String, byte[]>> readAll(
            KafkaSettings kafka, String topic, long expected, Duration timeout) {
        return TopicReader.read(kafka.clientProperties(), topic, expected, timeout);
    }

    static List<Alert> alerts(List<ConsumerRecord<String, byte[]>> records) {
        AlertCodec codec = new AlertCodec();
        return records.stream().map(r -> codec.decode(r.value()).value()).toList();
    }

    /** The alerts the offline detector raises over the events: what any correct run of the pipeline raises. */
    static List<Alert> offline(List<EpochEvent> events) {
        return PipelineOracle.alerts(events);
    }

    /**
     * Asserts that the pipeline raised exactly the alerts of the offline detector. When it did not, the message
     * names each missing or extra alert with the detector's last summary of its run (its last epoch, phase and
     * whether it finished), which tells a lost alert (the run saw its events) from a stuck or diverged run (it did
     * not), and says whether a missing alert was written uncommitted or never written.
     */
    static void assertSameAlerts(KafkaSettings kafka, TopicSettings topics, List<Alert> seen, List<Alert> expected) {
        Map<String, String> got = byId(seen);
        Map<String, String> want = byId(expected);
        Assertions.assertThat(got)
                .as(() -> mismatchReport(kafka, topics, seen, expected))
                .isEqualTo(want);
    }

    private static String mismatchReport(
            KafkaSettings kafka, TopicSettings topics, List<Alert> seen, List<Alert> expected) {
        Map<String, Alert> wanted = new LinkedHashMap<>();
        expected.forEach(a -> wanted.put(a.alertId(), a));
        Map<String, Alert> got = new LinkedHashMap<>();
        seen.forEach(a -> got.put(a.alertId(), a));
        Map<String, String> lastSummary = new HashMap<>();
        readAll(kafka, topics.runs, Long.MAX_VALUE, Duration.ofSeconds(3))
                .forEach(r -> lastSummary.put(
                        r.key(), r.value() == null ? "(deleted)" : new String(r.value(), StandardCharsets.UTF_8)));
        Map<String, String> written = writtenUncommitted(kafka, topics.alerts);
        StringBuilder report = new StringBuilder("alerts differ from the offline detector's");
        wanted.forEach((id, a) -> {
            if (!got.containsKey(id)) {
                report.append("\nmissing ")
                        .append(describe(a, lastSummary))
                        .append(
                                written.containsKey(id)
                                        ? "; written at " + written.get(id)
                                                + " in a transaction that was aborted or never ended"
                                        : "; never written to the alerts topic");
            }
        });
        got.forEach((id, a) -> {
            if (!wanted.containsKey(id)) {
                report.append("\nextra ").append(describe(a, lastSummary));
            }
        });
        return report.append("\n").append(stableOffsets(kafka, topics.alerts)).toString();
    }

    /**
     * Where each alert lies on the topic as a read_uncommitted consumer sees it (partition@offset by alert id): an
     * alert there but not among the committed ones was written in a transaction that was aborted or is still open.
     */
    private static Map<String, String> writtenUncommitted(KafkaSettings kafka, String topic) {
        AlertCodec codec = new AlertCodec();
        Map<String, String> at = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r :
                TopicReader.readUncommitted(kafka.clientProperties(), topic, Duration.ofSeconds(1))) {
            Decoded<Alert> alert = r.value() == null ? null : codec.decode(r.value());
            if (alert != null && alert.isValid()) {
                at.put(alert.value().alertId(), r.partition() + "@" + r.offset());
            }
        }
        return at;
    }

    /**
     * Each partition's last stable offset against its end: a partition whose stable offset stays behind its end
     * holds a transaction still open, and a read_committed reader sees nothing past it.
     */
    private static String stableOffsets(KafkaSettings kafka, String topic) {
        Properties c = kafka.clientProperties();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> committed =
                        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
                KafkaConsumer<String, byte[]> all = new KafkaConsumer<>(
                        kafka.clientProperties(), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = committed.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            Map<TopicPartition, Long> stable = committed.endOffsets(partitions);
            Map<TopicPartition, Long> end = all.endOffsets(partitions);
            StringBuilder s = new StringBuilder("the alerts topic's stable offset / end per partition:");
            partitions.forEach(tp -> s.append(' ')
                    .append(tp.partition())
                    .append('=')
                    .append(stable.get(tp))
                    .append('/')
                    .append(end.get(tp)));
            return s.toString();
        }
    }

    /** Enough of a summary for its epoch, phase and whether the run finished, which come first. */
    private static final int SUMMARY_SHOWN = 400;

    private static String describe(Alert a, Map<String, String> lastSummary) {
        String run = a.runId() == null ? a.sweepId() : a.runId();
        String summary = lastSummary.getOrDefault(run, "none");
        return a.type() + " of " + run + " (epoch " + a.epoch() + "); the detector's last summary of it: "
                + summary.substring(0, Math.min(summary.length(), SUMMARY_SHOWN));
    }

    /** What an alert says, for comparing runs of the pipeline ({@link PipelineOracle#byId}). */
    static Map<String, String> byId(List<Alert> alerts) {
        return PipelineOracle.byId(alerts);
    }

    /** One number from an InfluxQL query that returns a single value, 0 when it returns nothing. */
    static long influxCount(String url, String db, String query) {
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            QueryResult r = client.query(new Query(query, db));
            List<QueryResult.Series> series = r.getResults().get(0).getSeries();
            if (series == null) {
                return 0;
            }
            long sum = 0;
            for (QueryResult.Series s : series) {
                sum += ((Number) s.getValues().get(0).get(1)).longValue();
            }
            return sum;
        }
    }

    /** Waits until {@code condition} holds, polling; false if it never did within the timeout. */
    static boolean await(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return condition.getAsBoolean();
    }
}
