package io.descentwatch.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** How fast a consumer group (a Streams app is one) commits its way through a topic it reads. */
final class GroupProgress {

    private static final long SAMPLE_MILLIS = 20;
    private static final double STEADY_FROM = 0.1;
    private static final double STEADY_TO = 0.9;

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private GroupProgress() {}

    /**
     * The steady rate, and the CPU time this whole process (broker, Streams app, producers, JIT and GC alike) spent
     * per record over the same stretch: on a machine that every part shares, the CPU a record costs is steadier
     * than the rate, and it counts what the broker does for what an app publishes.
     */
    record Steady(double recordsPerSecond, double cpuMicrosPerRecord) {}

    static double committedRate(Properties client, String group, String topic, Duration timeout)
            throws InterruptedException, ExecutionException {
        return committedSteady(client, group, topic, timeout).recordsPerSecond();
    }

    /**
     * Records per second the group committed, and this process's CPU time per record, while the group went from
     * {@link #STEADY_FROM} to {@link #STEADY_TO} of the topic. Leaving out the first and last tenth leaves out what
     * is not a steady rate and differs between apps: the group join, topic creation, restoration and the first
     * fetches at the start; at the end, partitions that finish at different times, leaving threads idle. Returns
     * once the group has reached the end.
     *
     * @throws IllegalStateException when the group has not caught up within the timeout
     */
    static Steady committedSteady(Properties client, String group, String topic, Duration timeout)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(client)) {
            Map<TopicPartition, Long> ends = endOffsets(admin, topic);
            long total = ends.values().stream().mapToLong(Long::longValue).sum();
            long from = -1;
            long fromAt = 0;
            long cpuFrom = 0;
            Steady steady = null;
            while (System.nanoTime() < deadline) {
                long now = System.nanoTime();
                long committed = committed(admin, group, ends);
                if (from < 0 && committed >= STEADY_FROM * total) {
                    from = committed;
                    fromAt = now;
                    cpuFrom = OS.getProcessCpuTime();
                }
                if (steady == null && committed >= STEADY_TO * total) {
                    if (committed - from < (STEADY_TO - STEADY_FROM) * total / 2) {
                        throw new IllegalStateException("group " + group + " committed most of its " + total
                                + " records at once: too few records to time; use more runs or epochs");
                    }
                    steady = new Steady(
                            (committed - from) / ((now - fromAt) / 1e9),
                            (OS.getProcessCpuTime() - cpuFrom) / 1e3 / (committed - from));
                }
                if (committed >= total) {
                    return steady;
                }
                Thread.sleep(SAMPLE_MILLIS);
            }
        }
        throw new IllegalStateException("group " + group + " did not reach the end of " + topic + " in " + timeout);
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic)
            throws InterruptedException, ExecutionException {
        var partitions = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions();
        return admin
                .listOffsets(partitions.stream()
                        .collect(Collectors.toMap(
                                p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest())))
                .all()
                .get()
                .entrySet()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Records committed so far, counting each partition at most up to its end (markers lie past the data). */
    private static long committed(Admin admin, String group, Map<TopicPartition, Long> ends)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get();
        long sum = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata c = offsets.get(end.getKey());
            sum += c == null ? 0 : Math.min(c.offset(), end.getValue());
        }
        return sum;
    }
}
