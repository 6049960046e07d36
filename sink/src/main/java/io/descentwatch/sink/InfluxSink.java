package io.descentwatch.sink;

import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.ops.Health;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
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
import org.influxdb.dto.BatchPoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies epochs, run states and alerts from Kafka into InfluxDB. Offsets are committed only after InfluxDB
 * acknowledged the batch; while InfluxDB is down the same batch is retried with backoff and consumption pauses,
 * so nothing is lost. Points are idempotent, so a batch written twice (a crash between write and commit) leaves
 * the same data. Credentials or grants that no retry can fix (see {@link InfluxDatabase}) end {@link #run()} with
 * an error naming the user and the grant it needs, before anything is committed.
 *
 * <p>This class is the consume-write-commit loop; which point a record makes is {@link RecordPoints}', and the
 * InfluxDB side (client, database, what a failed write means) {@link InfluxConnection}'s.
 */
public final class InfluxSink implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InfluxSink.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** Kafka's max.poll.interval.ms default: a consumer that has not polled for this long is out of its group. */
    private static final Duration STUCK = Duration.ofMinutes(5);

    private final SinkSettings settings;
    private final KafkaConsumer<String, byte[]> consumer;
    private final InfluxConnection influx;
    private final RecordPoints points;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong refused = new AtomicLong();
    private final SinkMeters meters;
    /** Where the loop is, and when it last polled: what {@link #health()} reports. */
    private volatile Phase phase = Phase.STARTING;

    private volatile long lastPollNanos = System.nanoTime();

    /** Where the sink's loop is. */
    private enum Phase {
        STARTING,
        WRITING,
        RETRYING,
        STOPPED
    }
    /** Writes one batch at a time, so that the next batch can be read and decoded meanwhile. */
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "influx-writer");
        t.setDaemon(true);
        return t;
    });

    public InfluxSink(Properties kafkaClient, TopicSettings topics, SinkSettings settings) {
        this(kafkaClient, topics, settings, new SimpleMeterRegistry());
    }

    /** A sink whose meters ({@link SinkMeters}) go to {@code registry}. */
    public InfluxSink(Properties kafkaClient, TopicSettings topics, SinkSettings settings, MeterRegistry registry) {
        this.settings = settings;
        Properties p = new Properties();
        p.putAll(kafkaClient);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // only what the detector committed: an aborted transaction's alerts never reach the dashboards
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(settings.batchSize));
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.influx = new InfluxConnection(settings);
        this.points = new RecordPoints(topics, settings);
        this.meters = SinkMeters.bind(
                registry, consumer, influx::pointsWritten, points::skipped, points::unreadable, refused::get);
    }

    public long pointsWritten() {
        return influx.pointsWritten();
    }

    /** Batches of which InfluxDB refused some points for good (and stored the others). */
    public long batchesPartlyRefused() {
        return refused.get();
    }

    /** Records that were not valid and so have no point (they are in the detector's dead-letter topic). */
    public long recordsSkipped() {
        return points.skipped();
    }

    /**
     * Live while its loop runs and polls (a loop that has not polled for {@link #STUCK} is stuck: the group has
     * dropped it, and only a restart helps); ready while it writes, not while it waits for InfluxDB.
     */
    public Health health() {
        Phase p = phase;
        long sincePoll = System.nanoTime() - lastPollNanos;
        if (p == Phase.STOPPED) {
            return Health.dead("sink stopped");
        }
        if (sincePoll > STUCK.toNanos()) {
            return Health.dead("sink has not polled Kafka for "
                    + Duration.ofNanos(sincePoll).toSeconds() + " s");
        }
        return switch (p) {
            case WRITING -> Health.ready("sink writing to " + settings.url);
            case STARTING -> Health.starting("sink waiting for InfluxDB database " + settings.database);
            case RETRYING -> Health.starting("sink retrying a write to InfluxDB at " + settings.url);
            case STOPPED -> Health.dead("sink stopped");
        };
    }

    @Override
    public void run() {
        try {
            String ready = influx.awaitDatabase(stopping::get);
            if (ready == null) {
                return;
            }
            consumer.subscribe(points.topicNames());
            phase = Phase.WRITING;
            log.info("sink writing {} to {} ({})", String.join(", ", points.topicNames()), settings.url, ready);
            consume();
        } catch (WakeupException e) {
            if (!stopping.get()) {
                throw e;
            }
        } finally {
            phase = Phase.STOPPED;
            writer.shutdownNow();
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
            influx.close();
        }
    }

    /** Polls until stopped, one batch in flight to InfluxDB while the next is read and decoded. */
    private void consume() {
        InFlight inFlight = null;
        while (!stopping.get()) {
            ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
            lastPollNanos = System.nanoTime();
            if (records.isEmpty()) {
                if (inFlight != null) {
                    land(inFlight);
                    inFlight = null;
                }
                continue;
            }
            // this batch is decoded while the previous one is being written: InfluxDB's work and ours overlap
            BatchPoints batch = points.batch(records);
            if (inFlight != null) {
                land(inFlight);
            }
            inFlight = new InFlight(
                    batch,
                    batch.getPoints().isEmpty()
                            ? CompletableFuture.completedFuture(null)
                            : writer.submit(() -> meters.timedWrite(() -> influx.write(batch))),
                    nextOffsets(records));
        }
    }

    /** A batch on its way to InfluxDB, and the offsets to commit once InfluxDB has it. */
    private record InFlight(BatchPoints batch, Future<?> write, Map<TopicPartition, OffsetAndMetadata> offsets) {}

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> rs = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        return offsets;
    }

    /** Waits until InfluxDB has the batch (retrying it here if the write failed), then commits its offsets. */
    private void land(InFlight batch) {
        try {
            batch.write().get();
        } catch (ExecutionException e) {
            writeWithRetry(
                    batch.batch(),
                    e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause()));
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

    /**
     * Retries a batch whose write failed, with doubling backoff while InfluxDB is unreachable. Consumption is
     * paused meanwhile but the consumer keeps polling, so the group does not consider this instance dead. A denied
     * grant is thrown with the offsets uncommitted: once it is fixed, a restarted sink writes this batch.
     */
    private void writeWithRetry(BatchPoints batch, RuntimeException firstFailure) {
        Backoff backoff = new Backoff(settings.maxBackoff());
        boolean paused = false;
        RuntimeException failure = firstFailure;
        while (true) {
            if (influx.classify(failure) == InfluxConnection.Failure.POINTS_REFUSED) {
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
            meters.writeFailed();
            if (!paused) {
                phase = Phase.RETRYING;
                log.warn(
                        "InfluxDB write failed ({}); retrying with backoff up to {} ms, offsets held",
                        failure.getMessage(),
                        settings.maxBackoffMs);
                consumer.pause(consumer.assignment());
                paused = true;
            }
            consumer.poll(backoff.next());
            lastPollNanos = System.nanoTime();
            try {
                meters.timedWrite(() -> influx.write(batch));
                break;
            } catch (RuntimeException e) {
                // broad, as the first write's failure is: whatever InfluxDB's client throws is classified above,
                // and retried unless it is a refusal; the sink never dies of InfluxDB
                failure = e;
            }
        }
        if (paused) {
            consumer.resume(consumer.assignment());
            phase = Phase.WRITING;
            log.info("InfluxDB is back; resumed writing");
        }
    }

    @Override
    public void close() {
        stopping.set(true);
        consumer.wakeup();
    }
}
