package io.descentwatch.sink;

import io.descentwatch.kafka.TopicRoutes;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.topics.Topics;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which InfluxDB point a Kafka record makes, by the topic it came from: an epoch event, an alert, (the runs
 * topic) a run's summary and its advice ledger, or (the compacted advice topic) a run's stopping advice. A record
 * that does not
 * decode makes none: it is in the detector's dead-letter topic.
 */
final class RecordPoints {

    private static final Logger log = LoggerFactory.getLogger(RecordPoints.class);

    private final SinkSettings settings;
    private final TopicRoutes<List<Point>> sources;
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();

    RecordPoints(TopicSettings topics, SinkSettings settings) {
        this(topics, settings, Clock.systemUTC());
    }

    /** @param clock when an alert arrived, for {@link InfluxPoints#alertArrival} */
    RecordPoints(TopicSettings names, SinkSettings settings, Clock clock) {
        this.settings = settings;
        Topics topics = Topics.of(names);
        // epochs and alerts are validated here too: a record the detector rejected has no point
        this.sources = new TopicRoutes<List<Point>>()
                .on(topics.epochs(), (r, d) -> d.isValid() ? List.of(InfluxPoints.epoch(d.value())) : List.of())
                // an alert twice: at its event time (the dashboards), and as it arrived (the alert rules)
                .on(
                        topics.alerts(),
                        (r, d) -> d.isValid()
                                ? List.of(
                                        InfluxPoints.alert(d.value()),
                                        InfluxPoints.alertArrival(d.value(), clock.instant()))
                                : List.of())
                .on(topics.runs(), (r, s) -> InfluxPoints.runStateAndLedger(s))
                .on(topics.advice(), (r, d) -> d.isValid() ? List.of(InfluxPoints.advice(d.value())) : List.of());
    }

    /** The topics the sink reads. */
    List<String> topicNames() {
        return sources.names();
    }

    /** Records that were not valid (dead letters, tombstones) and so have no point. */
    long skipped() {
        return skipped.get();
    }

    /** The points of a poll, for the sink's database and retention policy. */
    BatchPoints batch(ConsumerRecords<String, byte[]> records) {
        BatchPoints batch = BatchPoints.database(settings.database)
                .retentionPolicy(settings.retentionPolicy)
                .build();
        for (ConsumerRecord<String, byte[]> r : records) {
            List<Point> ps = points(r);
            if (ps.isEmpty()) {
                skipped.incrementAndGet();
            } else {
                ps.forEach(batch::point);
            }
        }
        return batch;
    }

    /** The points a record makes, by its topic; none for a tombstone, an unreadable value or another topic. */
    List<Point> points(ConsumerRecord<String, byte[]> r) {
        try {
            return sources.route(r).orElse(List.of());
        } catch (RuntimeException e) {
            // broad: one record must not stop the sink. Not a dead letter (those decode, as invalid): a record on one
            // of the detector's own topics that
            // this sink cannot read (another version's format?) or that makes no point. Skipping it keeps the
            // sink going; the count and the log say that points are missing. Logged at the 1st, 10th, 100th...
            // so that a topic full of them is a few lines, not one per record.
            long n = unreadable.incrementAndGet();
            if (isPowerOfTen(n)) {
                log.warn(
                        "skipped a record on {}-{} at offset {} that makes no point ({}); {} such record{} so far",
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        e.toString(),
                        n,
                        n == 1 ? "" : "s");
            }
            return List.of();
        }
    }

    /** Records of the sink's topics that could not be read or made no point (an error, not a dead letter). */
    long unreadable() {
        return unreadable.get();
    }

    private static boolean isPowerOfTen(long n) {
        long p = 1;
        while (p < n && p <= Long.MAX_VALUE / 10) {
            p *= 10;
        }
        return p == n;
    }
}
