package io.descentwatch.bench;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.common.TopicPartition;

/**
 * What was written to each topic, in records (offsets, which include transaction markers) and bytes on the broker's
 * log (record batches with their headers): a snapshot, so that two of them give what one run of an application
 * wrote, and so what a topology publishes for each event it reads.
 */
record TopicTraffic(Map<String, Long> offsets, Map<String, Long> bytes) {

    /** Traffic per topic whose name {@code topics} accepts, summed over partitions (and replicas: one broker). */
    static TopicTraffic snapshot(Properties client, Predicate<String> topics)
            throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(client)) {
            List<String> names = admin.listTopics().listings().get().stream()
                    .map(TopicListing::name)
                    .filter(topics)
                    .toList();
            Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(names).allTopicNames().get().values().stream()
                    .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                    .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
            Map<String, Long> offsets = new TreeMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, r) -> offsets.merge(tp.topic(), r.offset(), Long::sum));
            Map<String, Long> bytes = new TreeMap<>();
            Collection<Integer> brokers = admin.describeCluster().nodes().get().stream()
                    .map(n -> n.id())
                    .toList();
            admin.describeLogDirs(brokers)
                    .allDescriptions()
                    .get()
                    .values()
                    .forEach(dirs -> dirs.values()
                            .forEach(dir -> dir.replicaInfos().forEach((TopicPartition tp, ReplicaInfo info) -> {
                                if (names.contains(tp.topic())) {
                                    bytes.merge(tp.topic(), info.size(), Long::sum);
                                }
                            })));
            return new TopicTraffic(offsets, bytes);
        }
    }

    /** What was written between {@code before} and this snapshot, per topic, renamed by {@code label}. */
    TopicTraffic since(TopicTraffic before, java.util.function.UnaryOperator<String> label) {
        Map<String, Long> o = new TreeMap<>();
        Map<String, Long> b = new TreeMap<>();
        offsets.forEach((t, n) -> o.merge(label.apply(t), n - before.offsets.getOrDefault(t, 0L), Long::sum));
        bytes.forEach((t, n) -> b.merge(label.apply(t), n - before.bytes.getOrDefault(t, 0L), Long::sum));
        o.values().removeIf(n -> n == 0);
        b.keySet().retainAll(o.keySet());
        return new TopicTraffic(o, b);
    }
}
