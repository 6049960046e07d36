package io.descentwatch.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertType;
import io.descentwatch.kafka.TopicSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.influxdb.dto.Point;
import org.junit.jupiter.api.Test;

/**
 * A record the sink cannot read is an error, counted apart from the dead letters it skips by design: skipping it
 * keeps the sink writing, and the count (descentwatch_sink_records_unreadable_total) says points are missing.
 */
class RecordPointsTest {

    private final TopicSettings topics = TopicSettings.defaults().prefixed("record-points.");
    private final RecordPoints points = new RecordPoints(topics, SinkSettings.defaults("http://127.0.0.1:1"));

    private static ConsumerRecord<String, byte[]> record(String topic, long offset, String value) {
        return new ConsumerRecord<>(
                topic, 0, offset, "run-1", value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anUnreadableRunSummaryIsCountedAsAnErrorAndADeadLetterOrTombstoneIsNot() {
        assertThat(points.points(record(topics.runs, 0, "{\"run_id\": 3, \"not\": \"a summary\"}")))
                .isEmpty();
        assertThat(points.points(record(topics.runs, 1, "\u0001\u0002binary"))).isEmpty();
        assertThat(points.unreadable()).isEqualTo(2);

        // invalid epoch events and advice decode as invalid: dead letters the detector reported, no error here
        assertThat(points.points(record(topics.epochs, 2, "{\"epoch\": \"3\"}")))
                .isEmpty();
        assertThat(points.points(record(topics.advice, 2, "\u0001\u0002binary")))
                .isEmpty();
        // a tombstone of a compacted topic, and a topic the sink does not read
        assertThat(points.points(record(topics.runs, 3, null))).isEmpty();
        assertThat(points.points(record("elsewhere", 4, "{}"))).isEmpty();
        assertThat(points.unreadable()).isEqualTo(2);
    }

    @Test
    void anAlertIsWrittenAtItsEventTimeAndAgainAsItArrivedForTheAlertRules() {
        Instant arrival = Instant.parse("2026-12-03T12:00:00Z");
        RecordPoints at = new RecordPoints(
                topics, SinkSettings.defaults("http://127.0.0.1:1"), Clock.fixed(arrival, ZoneOffset.UTC));
        // stamped by its event, a year before it arrives (a replayed run's, or a skewed clock's)
        Alert alert = Alert.of(AlertType.SECOND_DESCENT)
                .run("run-1")
                .sweep("sweep-1")
                .epoch(40)
                .paramCount(1_000)
                .trainSize(100)
                .message("Run run-1 entered its second descent")
                .at(Instant.parse("2025-12-03T12:00:00Z"))
                .build();
        List<Point> ps =
                at.points(new ConsumerRecord<>(topics.alerts, 0, 0, alert.runId(), new AlertCodec().encode(alert)));
        assertThat(ps).hasSize(2);
        assertThat(ps.get(0).lineProtocol()).startsWith("alert,").endsWith(" " + nanos(alert.time()));
        assertThat(ps.get(1).lineProtocol())
                .startsWith("alert_arrival,")
                .contains("run=", "sweep=", "type=")
                .endsWith(" " + nanos(arrival));
    }

    private static String nanos(Instant t) {
        return String.valueOf(t.getEpochSecond() * 1_000_000_000L + t.getNano());
    }
}
