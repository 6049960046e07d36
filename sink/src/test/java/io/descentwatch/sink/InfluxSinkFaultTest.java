package io.descentwatch.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.FixtureProducer;
import io.descentwatch.testkit.InfluxServer;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;

/** The sink keeps its promise when InfluxDB goes away: every point arrives once InfluxDB is back. */
class InfluxSinkFaultTest {

    @Test
    void aSinkThatLosesInfluxDbForAWhileEndsWithExactlyTheUndisturbedPoints() throws Exception {
        TopicSettings topics = TestServices.freshTopics("sink-fault");
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        new TopicProvisioner(kafka.clientProperties())
                .ensure(List.of(
                        TopicProvisioner.topic(topics.epochs, topics),
                        TopicProvisioner.topic(topics.alerts, topics),
                        TopicProvisioner.compactedTopic(topics.runs, topics)));
        List<EpochEvent> events = sample(LabelledCurves.epochwise(), 20);
        int half = events.size() / 2;
        // retransmitted events carry the same run and time: one point each, as intended (idempotent writes)
        long points = distinctPoints(events);
        long firstHalfPoints = distinctPoints(events.subList(0, half));

        try (InfluxServer influx = InfluxServer.start()) {
            // reference: an undisturbed sink over all events
            produce(kafka, topics.epochs, events);
            SinkSettings reference = settings(influx, "reference", "sink-ref-" + System.nanoTime());
            runUntil(kafka, topics, reference, influx, points);

            // disturbed: InfluxDB stops mid-stream and comes back
            TopicSettings topics2 = TestServices.freshTopics("sink-fault-2");
            new TopicProvisioner(kafka.clientProperties())
                    .ensure(List.of(
                            TopicProvisioner.topic(topics2.epochs, topics2),
                            TopicProvisioner.topic(topics2.alerts, topics2),
                            TopicProvisioner.compactedTopic(topics2.runs, topics2)));
            SinkSettings disturbed = settings(influx, "disturbed", "sink-dis-" + System.nanoTime());
            disturbed.maxBackoffMs = 500;
            InfluxSink sink = new InfluxSink(kafka.clientProperties(), topics2, disturbed);
            Thread t = new Thread(sink, "sink-under-test");
            t.start();
            produce(kafka, topics2.epochs, events.subList(0, half));
            awaitCount(influx, "disturbed", firstHalfPoints, Duration.ofSeconds(60));
            // InfluxDB answers queries with a batch's points before the sink has read the write's acknowledgement:
            // wait for the sink to count them too, or the last batch is counted while InfluxDB is down
            awaitAcknowledged(sink, firstHalfPoints, Duration.ofSeconds(30));
            long acknowledgedBefore = sink.pointsWritten();
            influx.stop();
            produce(kafka, topics2.epochs, events.subList(half, events.size()));
            Thread.sleep(3000);
            assertThat(sink.pointsWritten())
                    .as("nothing is acknowledged while InfluxDB is down")
                    .isEqualTo(acknowledgedBefore);
            influx.restart();
            awaitCount(influx, "disturbed", points, Duration.ofSeconds(60));
            sink.close();
            t.join(20_000);

            assertThat(dump(influx, "disturbed")).isEqualTo(dump(influx, "reference"));
            assertThat(count(influx, "disturbed")).isEqualTo(points);
        }
    }

    /** The events of the first {@code runs} runs (of a model-wise file: sweeps) of a corpus file, in file order. */
    static List<EpochEvent> sample(Path file, int runs) {
        EpochEventCodec codec = new EpochEventCodec();
        return new ArrayList<>(LabelledCurves.firstRuns(file, runs).stream()
                .map(l -> codec.decode(l).value())
                .toList());
    }

    /** Points an event list makes: one per run and time. */
    static long distinctPoints(List<EpochEvent> events) {
        return events.stream()
                .map(e -> e.runId() + "\u0000" + e.time())
                .distinct()
                .count();
    }

    private static SinkSettings settings(InfluxServer influx, String db, String group) {
        SinkSettings s = SinkSettings.defaults(influx.url());
        s.database = db;
        s.groupId = group;
        return s;
    }

    private static void runUntil(
            KafkaSettings kafka, TopicSettings topics, SinkSettings s, InfluxServer influx, long expected)
            throws Exception {
        InfluxSink sink = new InfluxSink(kafka.clientProperties(), topics, s);
        Thread t = new Thread(sink, "reference-sink");
        t.start();
        awaitCount(influx, s.database, expected, Duration.ofSeconds(60));
        sink.close();
        t.join(20_000);
    }

    static void produce(KafkaSettings kafka, String topic, List<EpochEvent> events) {
        EpochEventCodec codec = new EpochEventCodec();
        FixtureProducer.send(kafka.clientProperties(), topic, events, EpochEvent::runId, codec::encode);
    }

    static void awaitCount(InfluxServer influx, String db, long expected, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (count(influx, db) >= expected) {
                    return;
                }
            } catch (RuntimeException e) {
                // database not created yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("InfluxDB database " + db + " did not reach " + expected + " epoch points; it has "
                + count(influx, db));
    }

    private static void awaitAcknowledged(InfluxSink sink, long points, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sink.pointsWritten() < points) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the sink counted " + sink.pointsWritten() + " points acknowledged, not "
                        + points + ", though InfluxDB holds them");
            }
            Thread.sleep(50);
        }
    }

    static long count(InfluxServer influx, String db) {
        try (InfluxDB client = InfluxDBFactory.connect(influx.url())) {
            QueryResult r = client.query(new Query("SELECT count(epoch) FROM epoch", db));
            List<QueryResult.Series> series = r.getResults().get(0).getSeries();
            return series == null
                    ? 0
                    : ((Number) series.get(0).getValues().get(0).get(1)).longValue();
        }
    }

    static List<List<Object>> dump(InfluxServer influx, String db) {
        try (InfluxDB client = InfluxDBFactory.connect(influx.url())) {
            QueryResult r = client.query(
                    new Query("SELECT run, sweep, epoch, train_loss, test_loss, param_count FROM epoch", db));
            return r.getResults().get(0).getSeries().get(0).getValues();
        }
    }
}
