package io.descentwatch.cli;

import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The Kafka a publishing command writes to: the connection ({@link KafkaSettings}), the topic names
 * ({@link TopicSettings}) and {@code --create-topics}, whether the command creates the topics it writes to when they
 * are missing. A picocli mixin of replay, train, sweep and worker, so the flags read and behave the same in each.
 */
final class KafkaTarget {

    @Mixin
    KafkaSettings settings;

    @Mixin
    TopicSettings topics;

    @Option(
            names = "--create-topics",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Create the topics this command writes to if they are missing, with --partitions and "
                    + "--replication-factor (default: on; --no-create-topics leaves them to an administrator).")
    boolean createTopics;

    Properties clientProperties() {
        return settings.clientProperties();
    }

    /** Creates the named topics that are missing, unless --no-create-topics said not to. */
    void ensureTopics(String... names) {
        if (createTopics) {
            List<NewTopic> wanted = Stream.of(names)
                    .map(name -> name.equals(topics.jobs)
                            ? TopicProvisioner.jobsTopic(name, topics)
                            : TopicProvisioner.topic(name, topics))
                    .toList();
            new TopicProvisioner(settings.clientProperties()).ensure(wanted);
        }
    }
}
