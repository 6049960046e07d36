package io.descentwatch.sink;

import io.descentwatch.kafka.TopicSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A record the sink cannot read is an error, counted apart from the dead letters it skips by design: skipping it
 * keeps the sink writing, and the count (descentwatch_sink_records_unreadable_total) says points are missing.
 */
class RecordPointsTest {

    private final TopicSettings topics = TopicSettings.defaults().prefixed("record-points.");
    private final RecordPoints points = new RecordPoints(topics, SinkSettings.defaults("http://127.0.0.1:1"));

    private static ConsumerRecord<String, byte[]> record(String topic, long offset, String value) {
        return new ConsumerRecord<>(topic, 0, offset, "run-1", value == null ? null
                : value.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anUnreadableRunSummaryIsCountedAsAnErrorAndADeadLetterOrTombstoneIsNot() {
        assertThat(points.point(record(topics.runs, 0, "{\"run_id\": 3, \"not\": \"a summary\"}"))).isNull();
        assertThat(points.point(record(topics.runs, 1, "\u0001\u0002binary"))).isNull();
        assertThat(points.unreadable()).isEqualTo(2);

        // invalid epoch events and advice decode as invalid: dead letters the detector reported, no error here
        assertThat(points.point(record(topics.epochs, 2, "{\"epoch\": \"3\"}"))).isNull();
        assertThat(points.point(record(topics.advice, 2, "\u0001\u0002binary"))).isNull();
        // a tombstone of a compacted topic, and a topic the sink does not read
        assertThat(points.point(record(topics.runs, 3, null))).isNull();
        assertThat(points.point(record("elsewhere", 4, "{}"))).isNull();
        assertThat(points.unreadable()).isEqualTo(2);
    }
}
