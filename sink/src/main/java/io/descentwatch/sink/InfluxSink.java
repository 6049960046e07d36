package io.descentwatch.sink;

import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.PublishedJson;
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
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBException;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Point;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies epochs, run states and alerts from Kafka into InfluxDB. Offsets are committed only after InfluxDB
 * acknowledged the batch; while InfluxDB is down the same batch is retried with backoff and consumption pauses,
 * so nothing is lost. Points are idempotent, so a batch written twice (a crash between write and commit) leaves
 * the same data. Credentials or grants that no retry can fix (see {@link InfluxDatabase}) end {@link #run()} with
 * an error naming the user and the grant it needs, before anything is committed.
 */
public final class InfluxSink implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InfluxSink.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);

    private final SinkSettings settings;
    private final TopicSettings topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final InfluxDB influx;
    private final InfluxDatabase database;
    private final EpochEventCodec eventCodec = new EpochEventCodec();
    private final AlertCodec alertCodec = new AlertCodec();
    private final PublishedJson stateCodec = new PublishedJson();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    /** Writes one batch at a time, so that the next batch can be read and decoded meanwhile. */
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "influx-writer");
        t.setDaemon(true);
        return t;
    });

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
        this.database = new InfluxDatabase(influx, settings.url, settings.database, settings.user);
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
        InFlight inFlight = null;
        try {
            String ready = awaitDatabase();
            if (ready == null) {
                return;
            }
            consumer.subscribe(List.of(topics.epochs, topics.runs, topics.alerts));
            log.info("sink writing {}, {}, {} to {} ({})", topics.epochs, topics.runs, topics.alerts,
                    settings.url, ready);
            while (!stopping.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    if (inFlight != null) {
                        land(inFlight);
                        inFlight = null;
                    }
                    continue;
                }
                // this batch is decoded while the previous one is being written: InfluxDB's work and ours overlap
                BatchPoints batch = toBatch(records);
                if (inFlight != null) {
                    land(inFlight);
                }
                inFlight = new InFlight(batch, batch.getPoints().isEmpty() ? CompletableFuture.completedFuture(null)
                        : writer.submit(() -> write(batch)), nextOffsets(records));
            }
        } catch (WakeupException e) {
            if (!stopping.get()) {
                throw e;
            }
        } finally {
            writer.shutdownNow();
            consumer.close(Duration.ofSeconds(10));
            influx.close();
        }
    }

    /** A batch on its way to InfluxDB, and the offsets to commit once InfluxDB has it. */
    private record InFlight(BatchPoints batch, Future<?> write, Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    private BatchPoints toBatch(ConsumerRecords<String, byte[]> records) {
        BatchPoints batch = BatchPoints.database(settings.database).retentionPolicy(settings.retentionPolicy).build();
        for (ConsumerRecord<String, byte[]> r : records) {
            Point p = toPoint(r);
            if (p == null) {
                skipped.incrementAndGet();
            } else {
                batch.point(p);
            }
        }
        return batch;
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> rs = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        return offsets;
    }

    /** One write; its points count as written once InfluxDB has acknowledged them. */
    private void write(BatchPoints batch) {
        influx.write(batch);
        written.addAndGet(batch.getPoints().size());
    }

    /** Waits until InfluxDB has the batch (retrying it here if the write failed), then commits its offsets. */
    private void land(InFlight batch) {
        try {
            batch.write().get();
        } catch (ExecutionException e) {
            writeWithRetry(batch.batch(), e.getCause() instanceof RuntimeException r ? r
                    : new IllegalStateException(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
        try {
            consumer.commitSync(batch.offsets());
        } catch (CommitFailedException e) {
            // partitions moved to another instance, which re-reads them; rewritten points are identical
            log.info("offsets not committed after a rebalance; the new owner rewrites the same points");
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
     * Retries a batch whose write failed, with doubling backoff while InfluxDB is unreachable. Consumption is
     * paused meanwhile but the consumer keeps polling, so the group does not consider this instance dead.
     */
    private void writeWithRetry(BatchPoints batch, RuntimeException firstFailure) {
        Duration backoff = FIRST_BACKOFF;
        boolean paused = false;
        RuntimeException failure = firstFailure;
        while (true) {
            // before the partial-write check: influxdb-java files a missing user under unable-to-parse
            Optional<InfluxDatabase.AccessDenied> denied = database.accessDenied(failure);
            if (denied.isPresent()) {
                // offsets stay uncommitted: once the grant is fixed, a restarted sink writes this batch
                throw denied.get();
            }
            if (failure instanceof InfluxDBException.UnableToParseException
                    || failure instanceof InfluxDBException.FieldTypeConflictException
                    || failure instanceof InfluxDBException.PointsBeyondRetentionPolicyException) {
                // A partial write: InfluxDB stored the batch's other points and will never take these, so retrying
                // would stop the sink for good on one point. The contract keeps such points out (ids InfluxDB
                // cannot store are rejected at the door); this is the last line, loud but not fatal.
                refused.incrementAndGet();
                log.error("InfluxDB refused points of a batch and stored the rest: {}", failure.getMessage());
                break;
            }
            if (stopping.get()) {
                throw new WakeupException();
            }
            if (!paused) {
                log.warn("InfluxDB write failed ({}); retrying with backoff up to {} ms, offsets held",
                        failure.getMessage(), settings.maxBackoffMs);
                consumer.pause(consumer.assignment());
                paused = true;
            }
            consumer.poll(backoff);
            backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0
                    ? settings.maxBackoff() : backoff.multipliedBy(2);
            try {
                write(batch);
                break;
            } catch (RuntimeException e) {
                failure = e;
            }
        }
        if (paused) {
            consumer.resume(consumer.assignment());
            log.info("InfluxDB is back; resumed writing");
        }
    }

    /**
     * Waits for InfluxDB and its database, retrying while InfluxDB is unreachable; fails at once on what a retry
     * cannot fix (credentials, grants), naming the user and the grant it needs.
     *
     * @return what was found, or null when stopped meanwhile
     */
    private String awaitDatabase() {
        Duration backoff = FIRST_BACKOFF;
        String lastProblem = null;
        while (!stopping.get()) {
            try {
                return database.ensure();
            } catch (InfluxDatabase.AccessDenied e) {
                throw e;
            } catch (RuntimeException e) {
                // one line per new problem, not one per retry
                if (!Objects.equals(lastProblem, e.getMessage())) {
                    log.warn("InfluxDB at {} failed to answer ({}); retrying with backoff up to {} ms",
                            settings.url, e.getMessage(), settings.maxBackoffMs);
                    lastProblem = e.getMessage();
                }
                sleep(backoff);
                backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0
                        ? settings.maxBackoff() : backoff.multipliedBy(2);
            }
        }
        return null;
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
