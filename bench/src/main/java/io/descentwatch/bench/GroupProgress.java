package io.descentwatch.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/** How fast a consumer group (a Streams app is one) commits its way through a topic it reads. */
final class GroupProgress {

    private static final long SAMPLE_MILLIS = 20;

    private GroupProgress() {
    }

    /**
     * Records per second the group committed between its first commit and the one that reached the topic's end.
     * Timing from commit to commit leaves out the group join, topic creation and restoration before processing
     * starts, which differ between apps and say nothing of their steady rate.
     *
     * @throws IllegalStateException when the group has not caught up within the timeout
     */
    static double committedRate(Properties client, String group, String topic, Duration timeout)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(client)) {
            Map<TopicPartition, Long> ends = endOffsets(admin, topic);
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            long firstCommitted = -1;
            long firstAt = 0;
            while (System.nanoTime() < deadline) {
                long now = System.nanoTime();
                long committed = committed(admin, group, ends);
                if (firstCommitted < 0 && committed > 0) {
                    firstCommitted = committed;
                    firstAt = now;
                }
                if (committed >= total) {
                    if (committed == firstCommitted) {
                        throw new IllegalStateException("group " + group + " committed all " + total
                                + " records at once: too few records to time; use more runs or epochs");
                    }
                    return (committed - firstCommitted) / ((now - firstAt) / 1e9);
                }
                Thread.sleep(SAMPLE_MILLIS);
            }
        }
        throw new IllegalStateException("group " + group + " did not reach the end of " + topic + " in " + timeout);
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic)
            throws InterruptedException, ExecutionException {
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
        return admin.listOffsets(partitions.stream().collect(Collectors.toMap(
                        p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest())))
                .all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Records committed so far, counting each partition at most up to its end (markers lie past the data). */
    private static long committed(Admin admin, String group, Map<TopicPartition, Long> ends)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        long sum = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata c = offsets.get(end.getKey());
            sum += c == null ? 0 : Math.min(c.offset(), end.getValue());
        }
        return sum;
    }
}
