package io.descentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.TestServices;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * {@code sweep --once}, as the compose stack's one-shot job runs it on every {@code docker compose up}: the first
 * run publishes the sweep's jobs, a second publishes nothing, another sweep id publishes again.
 */
class SweepOnceTest {

    @Test
    void aSweepPlannedTwiceWithOncePublishesItsJobsOnce() {
        TopicSettings topics = TestServices.freshTopics("sweep-once");
        String bootstrap = TestServices.kafka().bootstrapServers();

        CommandRun first = sweep(bootstrap, topics, "compose-two-scale");
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("published");
        long jobs = records(bootstrap, topics.jobs);
        assertThat(jobs).isPositive();

        CommandRun again = sweep(bootstrap, topics, "compose-two-scale");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("already on " + topics.jobs).doesNotStartWith("published");
        assertThat(records(bootstrap, topics.jobs)).isEqualTo(jobs);

        CommandRun other = sweep(bootstrap, topics, "another-sweep");
        assertThat(other.exitCode()).as(other.err()).isZero();
        assertThat(records(bootstrap, topics.jobs)).isEqualTo(2 * jobs);
    }

    @Test
    void theJobsTopicKeepsItsJobsForGoodSoThatAWeekLaterTheSweepIsStillKnown() throws Exception {
        TopicSettings topics = TestServices.freshTopics("sweep-retention");
        String bootstrap = TestServices.kafka().bootstrapServers();
        assertThat(sweep(bootstrap, topics, "kept").exitCode()).isZero();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            ConfigResource jobs = new ConfigResource(ConfigResource.Type.TOPIC, topics.jobs);
            ConfigResource epochs = new ConfigResource(ConfigResource.Type.TOPIC, topics.epochs);
            Map<ConfigResource, Config> configs =
                    admin.describeConfigs(List.of(jobs, epochs)).all().get();
            assertThat(configs.get(jobs).get(TopicConfig.RETENTION_MS_CONFIG).value())
                    .isEqualTo("-1");
            // the events keep the broker's retention: they are in InfluxDB and the detector's state
            assertThat(configs.get(epochs).get(TopicConfig.RETENTION_MS_CONFIG).value())
                    .isNotEqualTo("-1");
        }
    }

    @Test
    void onceWithoutASweepIdIsAFlagErrorBeforeAnythingStarts() {
        CommandRun run =
                CommandRun.of("sweep", "--preset", "two-scale-epochwise", "--once", "--bootstrap", "127.0.0.1:1");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--once needs --sweep-id");
    }

    private static CommandRun sweep(String bootstrap, TopicSettings topics, String sweepId) {
        return CommandRun.of(
                "sweep",
                "--preset",
                "two-scale-epochwise",
                "--quick",
                "--once",
                "--sweep-id",
                sweepId,
                "--bootstrap",
                bootstrap,
                "--topic-jobs",
                topics.jobs,
                "--topic-epochs",
                topics.epochs);
    }

    private static long records(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            return c.endOffsets(tps).values().stream()
                            .mapToLong(Long::longValue)
                            .sum()
                    - c.beginningOffsets(tps).values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
        }
    }
}
