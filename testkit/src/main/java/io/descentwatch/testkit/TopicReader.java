package io.descentwatch.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic for a test: every committed record (or, asked for, every record) from the beginning until the
 * test has what it waits for (or the timeout passes), then polls a little longer, so that a duplicate or an extra
 * record would be seen too.
 */
public final class TopicReader {

    /** How long reading goes on after the wait is over: long enough for a stray duplicate to arrive. */
    public static final Duration GRACE = Duration.ofSeconds(2);

    private static final Duration POLL = Duration.ofMillis(200);
    /** Records of up to the dead letters' size limit (the reliability tests send oversized ones). */
    private static final int MAX_FETCH_BYTES = 4 * 1024 * 1024;

    private TopicReader() {}

    /** Records until {@code expected} of them arrived, plus the grace period. */
    public static List<ConsumerRecord<String, byte[]>> read(
            Properties client, String topic, long expected, Duration timeout) {
        return readUntil(client, topic, records -> records.size() >= expected, timeout);
    }

    /** Records until {@code done} holds for what was read, plus the grace period. */
    public static List<ConsumerRecord<String, byte[]>> readUntil(
            Properties client, String topic, Predicate<List<ConsumerRecord<String, byte[]>>> done, Duration timeout) {
        return read(client, topic, done, timeout, "read_committed");
    }

    /**
     * Every record written for {@code timeout}, plus the grace period, committed or not: a record here and not
     * among the committed ones was written in a transaction that was aborted or is still open.
     */
    public static List<ConsumerRecord<String, byte[]>> readUncommitted(
            Properties client, String topic, Duration timeout) {
        return read(client, topic, records -> false, timeout, "read_uncommitted");
    }

    private static List<ConsumerRecord<String, byte[]>> read(
            Properties client,
            String topic,
            Predicate<List<ConsumerRecord<String, byte[]>>> done,
            Duration timeout,
            String isolation) {
        Properties c = new Properties();
        c.putAll(client);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + System.nanoTime());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(MAX_FETCH_BYTES));
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(out) && System.nanoTime() < deadline) {
                consumer.poll(POLL).forEach(out::add);
            }
            long graceEnds = System.nanoTime() + GRACE.toNanos();
            while (System.nanoTime() < graceEnds) {
                consumer.poll(POLL).forEach(out::add);
            }
        }
        return out;
    }
}
