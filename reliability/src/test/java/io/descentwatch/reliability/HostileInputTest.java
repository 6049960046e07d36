package io.descentwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.sink.InfluxSink;
import io.descentwatch.sink.SinkSettings;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.StreamsAppSettings;
import io.descentwatch.testkit.InfluxServer;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.junit.jupiter.api.Test;

/**
 * 10,000 malformed and adversarial records mixed into real runs, through the real detector and sink: neither
 * stops, every bad record lands in the dead-letter topic with its reason and its original bytes, the valid
 * records raise exactly the alerts of a clean run, and every odd id arrives in InfluxDB unchanged.
 */
class HostileInputTest {

    private static final int HOSTILE = 10_000;

    @Test
    void garbageNeverStopsTheDetectorOrTheSinkAndNeverChangesWhatTheValidRecordsSay() throws Exception {
        TopicSettings topics = TestServices.freshTopics("hostile");
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        InfluxServer influx = TestServices.influx();
        String db = "hostile_" + System.nanoTime();

        List<EpochEvent> valid = new ArrayList<>(Fixtures.corpus(LabelledCurves.epochwise(), Fixtures.everyKthRun(15)));
        valid.addAll(Fixtures.corpus(LabelledCurves.modelwise(), id -> id.startsWith("mw-m01/")));
        for (int i = 0; i < HostileRecords.ODD_IDS.size(); i++) {
            valid.addAll(HostileRecords.oddRun(HostileRecords.ODD_IDS.get(i), i));
        }
        List<Alert> expected = Fixtures.offline(valid);
        List<byte[]> hostile = HostileRecords.rejected(HOSTILE, new SplittableRandom(7));
        EpochEventCodec codec = new EpochEventCodec();
        assertThat(hostile)
                .as("every hostile record is one the contract refuses")
                .allSatisfy(b -> assertThat(codec.decode(b).isValid()).isFalse());

        SinkSettings sinkSettings = SinkSettings.defaults(influx.url());
        sinkSettings.database = db;
        sinkSettings.groupId = db;
        try (ScratchDirectory state = ScratchDirectory.create("hostile-state-");
                DetectorApp detector = new DetectorApp(
                                kafka,
                                topics,
                                DetectionSettings.defaults(),
                                StreamsAppSettings.defaults("hostile-" + System.nanoTime(), state.path()))
                        .start()) {
            InfluxSink sink = new InfluxSink(kafka.clientProperties(), topics, sinkSettings);
            Thread sinkThread = new Thread(sink, "hostile-sink");
            sinkThread.start();
            assertThat(detector.awaitRunning(Duration.ofSeconds(60))).isTrue();

            // interleaved: a hostile record after every few valid ones, under keys of every kind
            SplittableRandom mix = new SplittableRandom(11);
            try (KafkaProducer<String, byte[]> producer = Fixtures.producer(kafka)) {
                int h = 0;
                for (int v = 0; v < valid.size(); v++) {
                    EpochEvent e = valid.get(v);
                    producer.send(new ProducerRecord<>(topics.epochs, e.runId(), codec.encode(e)));
                    while (h < HOSTILE && mix.nextInt(valid.size()) < HOSTILE) {
                        String key = switch (h % 3) {
                            case 0 -> null;
                            case 1 -> HostileRecords.ODD_IDS.get(h % HostileRecords.ODD_IDS.size());
                            default -> "k" + h;
                        };
                        producer.send(new ProducerRecord<>(topics.epochs, key, hostile.get(h++)));
                    }
                }
                while (h < HOSTILE) {
                    producer.send(new ProducerRecord<>(topics.epochs, "tail", hostile.get(h++)));
                }
            }

            List<ConsumerRecord<String, byte[]>> dead =
                    Fixtures.readAll(kafka, topics.deadLetters, HOSTILE, Duration.ofMinutes(3));
            List<Alert> seen =
                    Fixtures.alerts(Fixtures.readAll(kafka, topics.alerts, expected.size(), Duration.ofMinutes(2)));
            long points = valid.stream()
                    .map(e -> e.runId() + "\u0000" + e.time())
                    .distinct()
                    .count();
            boolean sinkCaughtUp = Fixtures.await(
                    Duration.ofMinutes(2),
                    () -> Fixtures.influxCount(influx.url(), db, "SELECT count(epoch) FROM epoch") >= points);

            // the dead letters: each hostile record once, with its original bytes and a reason
            assertThat(dead).hasSize(HOSTILE);
            Map<String, Integer> sent = new HashMap<>();
            hostile.forEach(b -> sent.merge(fingerprint(b), 1, Integer::sum));
            Map<String, Integer> got = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : dead) {
                got.merge(fingerprint(r.value()), 1, Integer::sum);
                assertThat(header(r, "dw.rejection.reason")).isNotBlank();
                assertThat(header(r, "dw.rejection.kind")).isNotBlank();
                assertThat(header(r, "dw.source.topic")).isEqualTo(topics.epochs);
            }
            assertThat(got).isEqualTo(sent);

            // the valid records said exactly what they say without the garbage
            Fixtures.assertSameAlerts(kafka, topics, seen, expected);
            assertThat(seen).as("no alert repeated").hasSameSizeAs(expected);

            // InfluxDB: every valid point, every odd id exactly as sent
            assertThat(sinkCaughtUp).as("sink wrote every valid point").isTrue();
            assertThat(Fixtures.influxCount(influx.url(), db, "SELECT count(epoch) FROM epoch"))
                    .isEqualTo(points);
            assertThat(runTags(influx.url(), db)).containsAll(HostileRecords.ODD_IDS);

            // and both are still working
            assertThat(detector.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(sinkThread.isAlive()).isTrue();
            assertThat(sink.recordsSkipped()).isEqualTo(HOSTILE);
            assertThat(sink.batchesPartlyRefused())
                    .as("InfluxDB refused nothing the contract let in")
                    .isZero();

            ReliabilityLog.record(
                    "hostile-input",
                    Map.of(
                            "valid_events_sent",
                            valid.size(),
                            "hostile_records_sent",
                            HOSTILE,
                            "dead_letters_received",
                            dead.size(),
                            "alerts_expected",
                            expected.size(),
                            "alerts_seen",
                            seen.size(),
                            "epoch_points_expected",
                            points,
                            "epoch_points_written",
                            Fixtures.influxCount(influx.url(), db, "SELECT count(epoch) FROM epoch"),
                            "odd_ids_round_tripped",
                            HostileRecords.ODD_IDS.size()));
            sink.close();
            sinkThread.join(20_000);
        }
    }

    private static String fingerprint(byte[] b) {
        return b == null ? "null" : b.length + ":" + Arrays.hashCode(b);
    }

    private static String header(ConsumerRecord<String, byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static Set<String> runTags(String url, String db) {
        Set<String> tags = new HashSet<>();
        try (InfluxDB client = InfluxDBFactory.connect(url)) {
            var result = client.query(new Query("SHOW TAG VALUES FROM \"epoch\" WITH KEY = \"run\"", db));
            for (var series : result.getResults().get(0).getSeries()) {
                series.getValues().forEach(row -> tags.add((String) row.get(1)));
            }
        }
        return tags;
    }
}
