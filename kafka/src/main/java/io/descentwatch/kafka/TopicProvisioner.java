package io.descentwatch.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the topics a role needs if they are missing; existing topics are left as they are. */
public final class TopicProvisioner {

    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration OPEN_RETRY = Duration.ofMillis(50);

    private final Properties clientProperties;

    public TopicProvisioner(Properties clientProperties) {
        this.clientProperties = clientProperties;
    }

    public static NewTopic topic(String name, TopicSettings settings) {
        return new NewTopic(name, settings.partitions, settings.replicationFactor);
    }

    /** A compacted topic keeps the latest record per key: the current picture of each run or sweep. */
    public static NewTopic compactedTopic(String name, TopicSettings settings) {
        return topic(name, settings)
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /**
     * The jobs topic keeps its jobs for good (one small record per run): {@code sweep --once} knows a sweep was
     * published by finding it there, and with the broker's default week of retention a stack started again a week
     * later would publish and train the same sweep again under the same run ids.
     */
    public static NewTopic jobsTopic(String name, TopicSettings settings) {
        return topic(name, settings).configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, "-1"));
    }

    /**
     * The most a dead letter may weigh: what the broker accepted on the epochs topic (1 MiB by default) plus the
     * headers that say why it was rejected, with room to spare for brokers set to take larger records.
     */
    public static final int DEAD_LETTER_MAX_BYTES = 8 * 1024 * 1024;

    /** The dead-letter topic takes any record the epochs topic took, with its reason headers added. */
    public static NewTopic deadLetterTopic(String name, TopicSettings settings) {
        return topic(name, settings)
                .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(DEAD_LETTER_MAX_BYTES)));
    }

    public void ensure(List<NewTopic> topics) {
        try (Admin admin = Admin.create(clientProperties)) {
            List<String> failures = new ArrayList<>();
            admin.createTopics(topics).values().forEach((name, future) -> {
                try {
                    future.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        failures.add(name + ": " + e.getCause().getMessage());
                    }
                } catch (TimeoutException e) {
                    failures.add(name + ": no answer from Kafka within 30 s");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(name + ": interrupted");
                }
            });
            if (!failures.isEmpty()) {
                throw new IllegalStateException("could not create topics: " + String.join("; ", failures));
            }
            awaitOpen(admin, topics.stream().map(NewTopic::name).toList());
        }
    }

    /**
     * Waits until the leader of every partition has it open, which it shows by answering a ListOffsets request
     * for it. An idempotent producer that writes to a partition its leader has not opened yet can lose its first
     * batch for good in Kafka 4.4 (KAFKA-15591: one request fails with NOT_LEADER_OR_FOLLOWER, a later one is
     * appended, and the first is then refused as out of order until the delivery timeout): the test suite's
     * fresh topics met it, and so would a trainer started together with a new cluster.
     */
    private static void awaitOpen(Admin admin, List<String> names) {
        long deadline = System.nanoTime() + OPEN_TIMEOUT.toNanos();
        while (true) {
            try {
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                admin.describeTopics(names)
                        .allTopicNames()
                        .get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                        .values()
                        .forEach(d -> d.partitions()
                                .forEach(p -> partitions.put(
                                        new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "topics " + names + " exist but their partitions are not open " + "after "
                                    + OPEN_TIMEOUT.toSeconds() + " s: " + e.getMessage(),
                            e);
                }
                sleep(OPEN_RETRY);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topics " + names, e);
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
