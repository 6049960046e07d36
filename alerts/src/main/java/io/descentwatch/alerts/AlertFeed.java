package io.descentwatch.alerts;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.Decoded;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows the alerts topic and hands each matching alert to a handler, in order per partition. Only committed
 * alerts are read (the detector writes them in transactions). Without a group it reads every partition from the
 * start or from now; with a group it resumes where the group left off and commits an alert only after the
 * handler returned, so a forwarder that stops, or whose webhook fails, delivers the rest when it starts again.
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
        start();
        long handled = 0;
        try {
            while (!stopping.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Decoded<Alert> d = codec.decode(r.value());
                    if (d instanceof Decoded.Invalid<Alert> bad) {
                        log.warn("skipping an unreadable alert at {}-{}@{}: {}", r.topic(), r.partition(),
                                r.offset(), bad.rejection().reason());
                    } else if (filter.test(d.value())) {
                        handler.handle(d.value());
                        handled++;
                    }
                    if (group != null) {
                        consumer.commitSync(Map.of(new TopicPartition(r.topic(), r.partition()),
                                new OffsetAndMetadata(r.offset() + 1)));
                    }
                    if (max > 0 && handled >= max) {
                        return handled;
                    }
                }
            }
        } catch (WakeupException e) {
            if (!stopping.get()) {
                throw e;
            }
        }
        return handled;
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
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition()))
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
        consumer.close(Duration.ofSeconds(5));
    }
}
