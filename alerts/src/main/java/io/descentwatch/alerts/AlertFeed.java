package io.descentwatch.alerts;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.Decoded;
import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the alerts topic and hands each matching alert to a handler, in order per partition. Only committed
 * alerts are read (the detector writes them in transactions). Without a group it reads every partition from the
 * start or from now; with a group it resumes where the group left off and commits an alert only after the
 * handler returned (or, for a {@link Delivery} that holds alerts back, once it delivered them), so a forwarder
 * that stops, or whose webhook fails, delivers the rest when it starts again.
 */
public final class AlertFeed implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertFeed.class);

    /** Handles one alert; an exception stops the feed, leaving that alert uncommitted. */
    @FunctionalInterface
    public interface Handler {
        void handle(Alert alert) throws Exception;
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final String group;
    private final boolean fromBeginning;
    private final AlertFilter filter;
    private final AlertCodec codec = new AlertCodec();
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Where each alert taken but not yet delivered came from (by identity: the delivery returns the same). */
    private final Map<Alert, Position> held = new IdentityHashMap<>();

    private final Map<TopicPartition, TreeSet<Long>> outstanding = new HashMap<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    /**
     * @param group consumer group to resume from and commit to, or null to read without one
     */
    public AlertFeed(Properties kafkaClient, String topic, String group, boolean fromBeginning, AlertFilter filter) {
        Properties p = new Properties();
        p.putAll(kafkaClient);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.group = group;
        this.fromBeginning = fromBeginning;
        this.filter = filter;
    }

    /**
     * Delivers alerts until {@link #close()} is called, {@code max} alerts were handled (0 = no limit), or the
     * handler throws (rethrown here). Returns the number handled.
     */
    public long run(Handler handler, long max) throws Exception {
        return deliver(
                alert -> {
                    handler.handle(alert);
                    return List.of(alert);
                },
                max);
    }

    /**
     * Takes alerts and says which of them it has delivered: it may hold some back and deliver them later (a
     * digest, {@link DigestDelivery}). With a group, an alert's offset is committed only once it was delivered.
     * Called on the feed's thread only.
     */
    public interface Delivery {
        /** Takes one alert; returns the alerts delivered by this call (it, some held back before, or none). */
        List<Alert> accept(Alert alert) throws Exception;

        /** Called after every poll (at least every 200 ms): returns the alerts delivered now. */
        default List<Alert> tick() throws Exception {
            return List.of();
        }

        /** The feed is stopping: deliver what is held back, and return it. */
        default List<Alert> flush() throws Exception {
            return List.of();
        }
    }

    /**
     * Delivers alerts until {@link #close()} is called, {@code max} alerts were taken (0 = no limit), or the
     * delivery throws (rethrown here, with what it held back left uncommitted). On stopping, and after the
     * {@code max}-th alert, what the delivery holds back is flushed and committed. Returns the number taken.
     */
    public long deliver(Delivery delivery, long max) throws Exception {
        start();
        long handled = 0;
        loop:
        while (!stopping.get()) {
            ConsumerRecords<String, byte[]> records;
            try {
                records = consumer.poll(Duration.ofMillis(200));
            } catch (WakeupException e) {
                if (stopping.get()) {
                    break;
                }
                throw e;
            }
            for (ConsumerRecord<String, byte[]> r : records) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                next.put(tp, r.offset() + 1);
                Decoded<Alert> d = codec.decode(r.value());
                if (d instanceof Decoded.Invalid<Alert> bad) {
                    log.warn(
                            "skipping an unreadable alert at {}-{}@{}: {}",
                            r.topic(),
                            r.partition(),
                            r.offset(),
                            bad.rejection().reason());
                } else if (filter.test(d.value())) {
                    outstanding.computeIfAbsent(tp, p -> new TreeSet<>()).add(r.offset());
                    held.put(d.value(), new Position(tp, r.offset()));
                    handled++;
                    released(delivery.accept(d.value()));
                }
                commit();
                if (max > 0 && handled >= max) {
                    break loop;
                }
            }
            released(delivery.tick());
            commit();
        }
        released(delivery.flush());
        commit();
        return handled;
    }

    private record Position(TopicPartition partition, long offset) {}

    private void released(List<Alert> delivered) {
        for (Alert a : delivered) {
            Position p = held.remove(a);
            if (p != null) {
                outstanding.get(p.partition()).remove(p.offset());
            }
        }
    }

    /** With a group: commits, per partition, up to the oldest alert not yet delivered (or all that was read). */
    private void commit() {
        if (group == null) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        next.forEach((tp, after) -> {
            TreeSet<Long> waiting = outstanding.get(tp);
            long upTo = waiting == null || waiting.isEmpty() ? after : waiting.first();
            if (!Long.valueOf(upTo).equals(committed.get(tp))) {
                offsets.put(tp, new OffsetAndMetadata(upTo));
            }
        });
        if (offsets.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException e) {
            if (!stopping.get()) {
                throw e;
            }
            // stop() woke the consumer up outside a poll: the wake-up is used, commit what was delivered
            consumer.commitSync(offsets);
        }
        offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
    }

    private void start() {
        if (group != null) {
            consumer.subscribe(List.of(topic));
            return;
        }
        List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist (is the detector running?)");
        }
        List<TopicPartition> assigned = partitions.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(assigned);
        if (fromBeginning) {
            consumer.seekToBeginning(assigned);
        } else {
            consumer.seekToEnd(assigned);
        }
    }

    /** Stops {@link #run} from any thread. */
    public void stop() {
        stopping.set(true);
        consumer.wakeup();
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
