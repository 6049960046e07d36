package io.descentwatch.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows topics from their beginning, as any outside client of the pipeline would (the demo's view, the live
 * page): committed records only, no consumer group (every follower sees everything), until stopped. Not
 * thread-safe, except {@link #stop()}.
 */
public final class TopicFollower {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<String> topics;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private List<TopicPartition> partitions = List.of();

    /** @param fetchMaxWait how long a fetch waits for new records: part of how late a follower sees them */
    public TopicFollower(Properties kafkaClient, List<String> topics, Duration fetchMaxWait) {
        Properties p = new Properties();
        p.putAll(kafkaClient);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(fetchMaxWait.toMillis()));
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        this.topics = List.copyOf(topics);
    }

    /**
     * Reads until {@link #stop()}: each record to {@code onRecord}, which says whether it changed anything, then,
     * after each poll, {@code afterPoll} with whether any did. Closes the consumer when done; an error other than
     * being stopped is thrown to the caller.
     */
    public void run(Predicate<ConsumerRecord<String, byte[]>> onRecord, Consumer<Boolean> afterPoll) {
        try {
            List<TopicPartition> all = new ArrayList<>();
            for (String topic : topics) {
                for (PartitionInfo info : consumer.partitionsFor(topic, METADATA_TIMEOUT)) {
                    all.add(new TopicPartition(topic, info.partition()));
                }
            }
            partitions = all;
            consumer.assign(all);
            consumer.seekToBeginning(all);
            while (!stopping.get()) {
                boolean changed = false;
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    changed |= onRecord.test(r);
                }
                afterPoll.accept(changed);
            }
        } catch (WakeupException e) {
            if (!stopping.get()) {
                throw e;
            }
        } finally {
            consumer.close(CloseOptions.timeout(CLOSE_TIMEOUT));
        }
    }

    /** Whether every committed record there is right now has been read; from {@code afterPoll} only. */
    public boolean reachedEnd() {
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp) < ends.get(tp)) {
                return false;
            }
        }
        return true;
    }

    /** Ends {@link #run} from any thread. */
    public void stop() {
        stopping.set(true);
        consumer.wakeup();
    }
}
