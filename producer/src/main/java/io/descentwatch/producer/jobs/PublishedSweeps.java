package io.descentwatch.producer.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Whether the jobs topic already holds a job of a sweep: what lets a one-shot planner (the compose stack's
 * {@code sweep} service, run again by every {@code docker compose up}) publish its sweep only once. The topic is
 * the record, so the answer lives as long as Kafka's data does (and the topic's retention keeps the jobs).
 */
public final class PublishedSweeps {

    private final Properties clientProperties;
    private final String topic;
    private final JobCodec codec = new JobCodec();

    public PublishedSweeps(Properties clientProperties, String topic) {
        this.clientProperties = clientProperties;
        this.topic = topic;
    }

    /** Reads the jobs topic from its start to its current end, without a consumer group. */
    public boolean contains(String sweepId, Duration timeout) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                return false;
            }
            List<TopicPartition> tps = partitions.stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (tps.stream().anyMatch(tp -> consumer.position(tp, timeout) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "could not read Kafka topic '" + topic + "' to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null && isOf(r.value(), sweepId)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private boolean isOf(byte[] job, String sweepId) {
        try {
            return sweepId.equals(codec.decode(job).sweepId());
        } catch (JobCodec.BadJobException e) {
            return false;
        }
    }
}
