package io.descentwatch.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/** How far a consumer group (a Streams app is one) has committed through a topic it reads. */
final class GroupProgress {

    private GroupProgress() {
    }

    /** Waits until the group has committed every record of the topic; returns false on timeout. */
    static boolean awaitCaughtUp(Properties client, String group, String topic, Duration timeout)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(client)) {
            Map<TopicPartition, Long> ends = null;
            while (System.nanoTime() < deadline) {
                if (ends == null) {
                    var partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get()
                            .get(topic).partitions();
                    ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(
                                    p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest())))
                            .all().get().entrySet().stream()
                            .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
                }
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                boolean done = true;
                for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                    OffsetAndMetadata c = committed.get(end.getKey());
                    if (end.getValue() > 0 && (c == null || c.offset() < end.getValue())) {
                        done = false;
                        break;
                    }
                }
                if (done) {
                    return true;
                }
                Thread.sleep(50);
            }
        }
        return false;
    }
}
