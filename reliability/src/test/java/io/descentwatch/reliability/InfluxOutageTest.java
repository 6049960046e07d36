package io.descentwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.ops.Health;
import io.descentwatch.ops.Metrics;
import io.descentwatch.sink.InfluxSink;
import io.descentwatch.sink.SinkSettings;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.StreamsAppSettings;
import io.descentwatch.testkit.InfluxServer;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.junit.jupiter.api.Test;

/**
 * InfluxDB stopped for 30 s while a run streams through the whole pipeline: the sink holds its offsets, retries,
 * catches up when InfluxDB is back, and the database ends up with exactly the points an undisturbed sink writes
 * from the same topics.
 */
class InfluxOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final List<String> MEASUREMENTS = List.of("epoch", "run_state", "alert", "advice", "ledger");

    @Test
    void afterThirtySecondsWithoutInfluxDbTheSinkEndsWithTheUndisturbedPoints() throws Exception {
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        TopicSettings topics = TestServices.freshTopics("influx-outage");
        List<EpochEvent> events =
                new ArrayList<>(Fixtures.corpus(LabelledCurves.epochwise(), Fixtures.everyKthRun(20)));
        events.addAll(Fixtures.corpus(LabelledCurves.modelwise(), id -> id.startsWith("mw-p05/")));
        int half = events.size() / 2;
        long epochPoints = events.stream()
                .map(e -> e.runId() + "\u0000" + e.time())
                .distinct()
                .count();

        try (InfluxServer influx = InfluxServer.start();
                ScratchDirectory state = ScratchDirectory.create("influx-outage-")) {
            try (DetectorApp detector = new DetectorApp(
                            kafka,
                            topics,
                            DetectionSettings.defaults(),
                            StreamsAppSettings.defaults("influx-outage-" + System.nanoTime(), state.path()))
                    .start()) {
                assertThat(detector.awaitRunning(Duration.ofMinutes(1))).isTrue();
                SinkSettings disturbed = settings(influx, "disturbed");
                PrometheusMeterRegistry meters = Metrics.registry("sink");
                InfluxSink sink = new InfluxSink(kafka.clientProperties(), topics, disturbed, meters);
                Thread t = new Thread(sink, "outage-sink");
                t.start();
                Fixtures.produce(kafka, topics.epochs, events.subList(0, half));
                assertThat(Fixtures.await(Duration.ofMinutes(1), () -> count(influx, "disturbed", "epoch") > 0))
                        .isTrue();

                influx.stop();
                Fixtures.produce(kafka, topics.epochs, events.subList(half, events.size()));
                long acknowledged = sink.pointsWritten();
                Thread.sleep(OUTAGE.toMillis());
                long acknowledgedDuringOutage = sink.pointsWritten() - acknowledged;
                // what /health/ready and /health/live answer meanwhile: waiting, not dead
                Health duringOutage = sink.health();
                double failedWrites =
                        meters.get("descentwatch.sink.write.failures").counter().count();
                influx.restart();

                // the detector has long finished; the reference sink reads the same topics without a fault
                InfluxSink reference = new InfluxSink(kafka.clientProperties(), topics, settings(influx, "reference"));
                Thread r = new Thread(reference, "reference-sink");
                r.start();
                assertThat(Fixtures.await(
                                Duration.ofMinutes(2),
                                () -> count(influx, "disturbed", "epoch") == epochPoints
                                        && count(influx, "reference", "epoch") == epochPoints
                                        && sameCounts(influx)))
                        .as(counts(influx, "disturbed") + " vs " + counts(influx, "reference"))
                        .isTrue();
                Thread.sleep(2000);
                Health afterOutage = sink.health();
                double writesTimed =
                        meters.get("descentwatch.sink.write").timer().count();
                double pointsCounted = meters.get("descentwatch.sink.points.written")
                        .functionCounter()
                        .count();
                sink.close();
                reference.close();
                t.join(20_000);
                r.join(20_000);

                assertThat(acknowledgedDuringOutage)
                        .as("nothing acknowledged while InfluxDB was down")
                        .isZero();
                assertThat(duringOutage.isLive()).as(duringOutage.detail()).isTrue();
                assertThat(duringOutage.isReady()).as(duringOutage.detail()).isFalse();
                assertThat(afterOutage.isReady()).as(afterOutage.detail()).isTrue();
                assertThat(failedWrites)
                        .as("failed writes counted during the outage")
                        .isGreaterThan(0);
                assertThat(writesTimed).as("writes timed").isGreaterThan(failedWrites);
                assertThat(pointsCounted).isEqualTo(sink.pointsWritten());
                assertThat(counts(influx, "disturbed")).isEqualTo(counts(influx, "reference"));
                for (String m : MEASUREMENTS) {
                    assertThat(dump(influx, "disturbed", m)).as(m).isEqualTo(dump(influx, "reference", m));
                }
                Map<String, Object> log = new LinkedHashMap<>();
                log.put("outage_seconds", OUTAGE.toSeconds());
                log.put("write_failures_counted_during_outage", (long) failedWrites);
                log.put("events_sent", events.size());
                log.put("epoch_points_expected", epochPoints);
                counts(influx, "disturbed").forEach((k, v) -> log.put(k + "_points_after_outage", v));
                counts(influx, "reference").forEach((k, v) -> log.put(k + "_points_undisturbed", v));
                ReliabilityLog.record("influxdb-stopped", log);
            }
        }
    }

    private static SinkSettings settings(InfluxServer influx, String db) {
        SinkSettings s = SinkSettings.defaults(influx.url());
        s.database = db;
        s.groupId = "outage-" + db + "-" + System.nanoTime();
        s.maxBackoffMs = 2000;
        return s;
    }

    private static boolean sameCounts(InfluxServer influx) {
        return counts(influx, "disturbed").equals(counts(influx, "reference"));
    }

    private static Map<String, Long> counts(InfluxServer influx, String db) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String m : MEASUREMENTS) {
            counts.put(m, count(influx, db, m));
        }
        return counts;
    }

    private static long count(InfluxServer influx, String db, String measurement) {
        String field = switch (measurement) {
            case "epoch" -> "epoch";
            case "run_state" -> "phase";
            case "advice" -> "verdict";
            case "ledger" -> "epochs_spent";
            default -> "alert_id";
        };
        try {
            return Fixtures.influxCount(
                    influx.url(), db, "SELECT count(\"" + field + "\") FROM \"" + measurement + "\"");
        } catch (RuntimeException e) {
            return -1; // InfluxDB not back yet, or the database not created yet
        }
    }

    private static List<List<Object>> dump(InfluxServer influx, String db, String measurement) {
        try (InfluxDB client = InfluxDBFactory.connect(influx.url())) {
            var result = client.query(new Query("SELECT * FROM \"" + measurement + "\" GROUP BY *", db));
            List<List<Object>> rows = new ArrayList<>();
            var series = result.getResults().get(0).getSeries();
            if (series != null) {
                for (var s : series) {
                    for (List<Object> row : s.getValues()) {
                        List<Object> withTags = new ArrayList<>(row);
                        withTags.add(s.getTags());
                        rows.add(withTags);
                    }
                }
            }
            return rows;
        }
    }
}
