package io.descentwatch.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates the topics a role needs if they are missing; existing topics are left as they are. */
public final class TopicProvisioner {

    private final Properties clientProperties;

    public TopicProvisioner(Properties clientProperties) {
        this.clientProperties = clientProperties;
    }

    public static NewTopic topic(String name, TopicSettings settings) {
        return new NewTopic(name, settings.partitions, settings.replicationFactor);
    }

    /** A compacted topic keeps the latest record per key: the current picture of each run or sweep. */
    public static NewTopic compactedTopic(String name, TopicSettings settings) {
        return topic(name, settings).configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /**
     * The most a dead letter may weigh: what the broker accepted on the epochs topic (1 MiB by default) plus the
     * headers that say why it was rejected, with room to spare for brokers set to take larger records.
     */
    public static final int DEAD_LETTER_MAX_BYTES = 8 * 1024 * 1024;

    /** The dead-letter topic takes any record the epochs topic took, with its reason headers added. */
    public static NewTopic deadLetterTopic(String name, TopicSettings settings) {
        return topic(name, settings).configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                String.valueOf(DEAD_LETTER_MAX_BYTES)));
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
        }
    }
}
