package io.descentwatch.streams.sink;

import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.StateCodec;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.Decoded;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.TopicSettings;
import okhttp3.OkHttpClient;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies epochs, run states and alerts from Kafka into InfluxDB. Offsets are committed only after InfluxDB
 * acknowledged the batch; while InfluxDB is down the same batch is retried with backoff and consumption pauses,
 * so nothing is lost. Points are idempotent, so a batch written twice (a crash between write and commit) leaves
 * the same data.
 */
public final class InfluxSink implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InfluxSink.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final SinkSettings settings;
    private final TopicSettings topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final InfluxDB influx;
    private final EpochEventCodec eventCodec = new EpochEventCodec();
    private final AlertCodec alertCodec = new AlertCodec();
    private final StateCodec stateCodec = new StateCodec();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public InfluxSink(Properties kafkaClient, TopicSettings topics, SinkSettings settings) {
        this.settings = settings;
        this.topics = topics;
        Properties p = new Properties();
        p.putAll(kafkaClient);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // only what the detector committed: an aborted transaction's alerts never reach the dashboards
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(settings.batchSize));
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        OkHttpClient.Builder http = new OkHttpClient.Builder().connectTimeout(5, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS).writeTimeout(30, TimeUnit.SECONDS);
        this.influx = settings.user == null || settings.user.isBlank()
                ? InfluxDBFactory.connect(settings.url, http)
                : InfluxDBFactory.connect(settings.url, settings.user, settings.password(), http);
    }

    public long pointsWritten() {
        return written.get();
    }

    /** Batches of which InfluxDB refused some points for good (and stored the others). */
    public long batchesPartlyRefused() {
        return refused.get();
    }

    /** Records that were not valid and so have no point (they are in the detector's dead-letter topic). */
    public long recordsSkipped() {
        return skipped.get();
    }

    @Override
    public void run() {
        retryUntilDone("create database " + settings.database,
                () -> influx.query(new Query("CREATE DATABASE " + quoted(settings.database))));
        consumer.subscribe(List.of(topics.epochs, topics.runs, topics.alerts));
        log.info("sink writing {}, {}, {} to {} database {}", topics.epochs, topics.runs, topics.alerts,
                settings.url, settings.database);
        try {
            while (!stopping.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                BatchPoints batch = BatchPoints.database(settings.database)
                        .retentionPolicy(settings.retentionPolicy).build();
                for (ConsumerRecord<String, byte[]> r : records) {
                    Point p = toPoint(r);
                    if (p == null) {
                        skipped.incrementAndGet();
                    } else {
                        batch.point(p);
                    }
                }
                if (!batch.getPoints().isEmpty()) {
                    writeWithRetry(batch);
                }
                written.addAndGet(batch.getPoints().size());
                try {
                    consumer.commitSync();
                } catch (CommitFailedException e) {
                    // partitions moved to another instance, which re-reads them; rewritten points are identical
                    log.info("offsets not committed after a rebalance; the new owner rewrites the same points");
                }
            }
        } catch (WakeupException e) {
            if (!stopping.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(10));
            influx.close();
        }
    }

    Point toPoint(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return null;
        }
        if (r.topic().equals(topics.epochs)) {
            Decoded<io.descentwatch.events.EpochEvent> d = eventCodec.decode(r.value());
            return d.isValid() ? InfluxPoints.epoch(d.value()) : null;
        }
        if (r.topic().equals(topics.alerts)) {
            Decoded<io.descentwatch.events.Alert> d = alertCodec.decode(r.value());
            return d.isValid() ? InfluxPoints.alert(d.value()) : null;
        }
        try {
            RunSummary s = stateCodec.decodeSummary(r.value());
            return InfluxPoints.runState(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Writes the batch, retrying with doubling backoff while InfluxDB is unreachable. Consumption is paused
     * meanwhile but the consumer keeps polling, so the group does not consider this instance dead.
     */
    private void writeWithRetry(BatchPoints batch) {
        Duration backoff = FIRST_BACKOFF;
        boolean paused = false;
        while (true) {
            try {
                influx.write(batch);
                if (paused) {
                    consumer.resume(consumer.assignment());
                    log.info("InfluxDB is back; resumed writing");
                }
                return;
            } catch (InfluxDBException.UnableToParseException | InfluxDBException.FieldTypeConflictException
                     | InfluxDBException.PointsBeyondRetentionPolicyException e) {
                // A partial write: InfluxDB stored the batch's other points and will never take these, so retrying
                // would stop the sink for good on one point. The contract keeps such points out (ids InfluxDB
                // cannot store are rejected at the door); this is the last line, loud but not fatal.
                refused.incrementAndGet();
                log.error("InfluxDB refused points of a batch and stored the rest: {}", e.getMessage());
                if (paused) {
                    consumer.resume(consumer.assignment());
                }
                return;
            } catch (RuntimeException e) {
                if (stopping.get()) {
                    throw new WakeupException();
                }
                if (!paused) {
                    log.warn("InfluxDB write failed ({}); retrying with backoff up to {} ms, offsets held",
                            e.getMessage(), settings.maxBackoffMs);
                    consumer.pause(consumer.assignment());
                    paused = true;
                }
                consumer.poll(backoff);
                backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0
                        ? settings.maxBackoff() : backoff.multipliedBy(2);
            }
        }
    }

    private void retryUntilDone(String what, Runnable action) {
        Duration backoff = FIRST_BACKOFF;
        while (!stopping.get()) {
            try {
                action.run();
                return;
            } catch (RuntimeException e) {
                log.warn("{} failed ({}); retrying in {} ms", what, e.getMessage(), backoff.toMillis());
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0
                        ? settings.maxBackoff() : backoff.multipliedBy(2);
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String quoted(String identifier) {
        return "\"" + identifier.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close() {
        stopping.set(true);
        consumer.wakeup();
    }
}
