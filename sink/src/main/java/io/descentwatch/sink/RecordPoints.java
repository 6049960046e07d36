package io.descentwatch.sink;

import io.descentwatch.detection.PublishedJson;
import io.descentwatch.events.AdviceCodec;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.CodecSerde;
import io.descentwatch.kafka.Topic;
import io.descentwatch.kafka.TopicSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.Serdes;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Which InfluxDB point a Kafka record makes, by the topic it came from: an epoch event, an alert, (the runs
 * topic) a run's summary and its advice ledger, or (the compacted advice topic) a run's stopping advice. A record
 * that does not
 * decode makes none: it is in the detector's dead-letter topic.
 */
final class RecordPoints {

    /** A topic the sink reads, and the points one of its values makes (none for an invalid value). */
    private record Source<V>(Topic<String, V> topic, Function<V, List<Point>> toPoints) {
        List<Point> points(ConsumerRecord<String, byte[]> r) {
            return toPoints.apply(topic.valueSerde().deserializer().deserialize(r.topic(), r.value()));
        }

        /** A source whose value makes one point (null for none). */
        static <V> Source<V> one(Topic<String, V> topic, Function<V, Point> toPoint) {
            return new Source<>(topic, v -> {
                Point p = toPoint.apply(v);
                return p == null ? List.of() : List.of(p);
            });
        }
    }

    private final SinkSettings settings;
    private final Map<String, Source<?>> sources;
    private final AtomicLong skipped = new AtomicLong();

    RecordPoints(TopicSettings topics, SinkSettings settings) {
        this.settings = settings;
        EpochEventCodec events = new EpochEventCodec();
        AlertCodec alerts = new AlertCodec();
        AdviceCodec advice = new AdviceCodec();
        PublishedJson published = new PublishedJson();
        // epochs and alerts are validated here too: a record the detector rejected has no point
        List<Source<?>> all = List.of(
                Source.one(new Topic<>(topics.epochs, Serdes.String(), CodecSerde.of(
                        d -> events.encode(d.value()), events::decode)), d -> d.isValid() ? InfluxPoints.epoch(d.value()) : null),
                Source.one(new Topic<>(topics.alerts, Serdes.String(), CodecSerde.of(
                        d -> alerts.encode(d.value()), alerts::decode)), d -> d.isValid() ? InfluxPoints.alert(d.value()) : null),
                new Source<>(new Topic<>(topics.runs, Serdes.String(), CodecSerde.of(published::encodeSummary,
                        published::decodeSummary)), InfluxPoints::runStateAndLedger),
                Source.one(new Topic<>(topics.advice, Serdes.String(), CodecSerde.of(
                        d -> advice.encode(d.value()), advice::decode)), d -> d.isValid() ? InfluxPoints.advice(d.value()) : null));
        Map<String, Source<?>> byName = new HashMap<>();
        all.forEach(s -> byName.put(s.topic().name(), s));
        this.sources = Map.copyOf(byName);
    }

    /** The topics the sink reads. */
    List<String> topicNames() {
        return List.copyOf(sources.keySet());
    }

    /** Records that were not valid and so have no point. */
    long skipped() {
        return skipped.get();
    }

    /** The points of a poll, for the sink's database and retention policy. */
    BatchPoints batch(ConsumerRecords<String, byte[]> records) {
        BatchPoints batch = BatchPoints.database(settings.database).retentionPolicy(settings.retentionPolicy).build();
        for (ConsumerRecord<String, byte[]> r : records) {
            List<Point> points = points(r);
            if (points.isEmpty()) {
                skipped.incrementAndGet();
            } else {
                points.forEach(batch::point);
            }
        }
        return batch;
    }

    /** The points a record makes, by its topic; none for a tombstone, an unreadable value or another topic. */
    List<Point> points(ConsumerRecord<String, byte[]> r) {
        Source<?> source = sources.get(r.topic());
        if (r.value() == null || source == null) {
            return List.of();
        }
        try {
            return source.points(r);
        } catch (RuntimeException e) {
            return List.of();
        }
    }
}
