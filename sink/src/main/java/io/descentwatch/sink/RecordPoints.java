package io.descentwatch.sink;

import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.PublishedJson;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.Decoded;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.TopicSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Which InfluxDB point a Kafka record makes, by the topic it came from: an epoch event, an alert, or (the runs
 * topic) a run's summary. A record that does not decode makes none: it is in the detector's dead-letter topic.
 */
final class RecordPoints {

    private final TopicSettings topics;
    private final SinkSettings settings;
    private final EpochEventCodec eventCodec = new EpochEventCodec();
    private final AlertCodec alertCodec = new AlertCodec();
    private final PublishedJson stateCodec = new PublishedJson();
    private final AtomicLong skipped = new AtomicLong();

    RecordPoints(TopicSettings topics, SinkSettings settings) {
        this.topics = topics;
        this.settings = settings;
    }

    /** Records that were not valid and so have no point. */
    long skipped() {
        return skipped.get();
    }

    /** The points of a poll, for the sink's database and retention policy. */
    BatchPoints batch(ConsumerRecords<String, byte[]> records) {
        BatchPoints batch = BatchPoints.database(settings.database).retentionPolicy(settings.retentionPolicy).build();
        for (ConsumerRecord<String, byte[]> r : records) {
            Point p = point(r);
            if (p == null) {
                skipped.incrementAndGet();
            } else {
                batch.point(p);
            }
        }
        return batch;
    }

    Point point(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        if (r.topic().equals(topics.epochs)) {
            Decoded<EpochEvent> d = eventCodec.decode(r.value());
            return d.isValid() ? InfluxPoints.epoch(d.value()) : null;
        }
        if (r.topic().equals(topics.alerts)) {
            Decoded<Alert> d = alertCodec.decode(r.value());
            return d.isValid() ? InfluxPoints.alert(d.value()) : null;
        }
        try {
            RunSummary s = stateCodec.decodeSummary(r.value());
            return InfluxPoints.runState(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
