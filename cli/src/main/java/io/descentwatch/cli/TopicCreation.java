package io.descentwatch.cli;

import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import org.apache.kafka.clients.admin.NewTopic;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.stream.Stream;

/**
 * {@code --create-topics}: whether a command creates the topics it writes to when they are missing. A picocli mixin
 * of every command that publishes, so the flag reads and behaves the same everywhere.
 */
final class TopicCreation {

    @Option(names = "--create-topics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Create the topics this command writes to if they are missing, with --partitions and "
                    + "--replication-factor (default: on; --no-create-topics leaves them to an administrator).")
    boolean enabled;

    /** Creates the named topics that are missing, unless the flag said not to. */
    void ensure(KafkaSettings kafka, TopicSettings topics, String... names) {
        if (enabled) {
            List<NewTopic> wanted = Stream.of(names)
                    .map(name -> TopicProvisioner.topic(name, topics)).toList();
            new TopicProvisioner(kafka.clientProperties()).ensure(wanted);
        }
    }
}
