package io.descentwatch.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.FixtureProducer;
import io.descentwatch.testkit.TestServices;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Records on the detector's topics that the page cannot read (another writer, another version) are skipped, so
 * that the page goes on with the rest, and counted (descentwatch_serve_feed_errors_total), never swallowed.
 */
class LiveFeedErrorsTest {

    @Test
    void recordsThePageCannotReadAreCountedAndTheRestStillArrives() throws Exception {
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        TopicSettings topics = TestServices.freshTopics("live-feed-errors");
        new TopicProvisioner(kafka.clientProperties())
                .ensure(List.of(
                        TopicProvisioner.topic(topics.epochs, topics),
                        TopicProvisioner.topic(topics.alerts, topics),
                        TopicProvisioner.compactedTopic(topics.runs, topics),
                        TopicProvisioner.compactedTopic(topics.sweeps, topics)));
        EpochEventCodec codec = new EpochEventCodec();
        try (KafkaProducer<String, byte[]> producer = FixtureProducer.open(kafka.clientProperties())) {
            producer.send(new ProducerRecord<>(topics.runs, "run-1", bytes("{\"run_id\": [\"not a summary\"]}")));
            producer.send(new ProducerRecord<>(topics.sweeps, "sweep-1", bytes("not json at all")));
            producer.send(new ProducerRecord<>(
                    topics.epochs,
                    "run-1",
                    codec.encode(EpochEvent.builder()
                            .runId("run-1")
                            .sweepId("sweep-1")
                            .epoch(1)
                            .trainLoss(0.9)
                            .testLoss(1.1)
                            .paramCount(1_000)
                            .trainSize(100)
                            .time(Instant.parse("2026-12-01T00:00:00Z"))
                            .build())));
            producer.flush();
        }
        LiveFeed feed = new LiveFeed(kafka.clientProperties(), topics, Clock.systemUTC(), a -> {});
        assertThat(feed.health().isReady()).isFalse();
        Thread t = new Thread(feed, "live-feed-errors");
        t.start();
        try {
            assertThat(feed.awaitHistory(Duration.ofMinutes(1))).isTrue();
            assertThat(feed.errors()).isEqualTo(2);
            assertThat(feed.counts().events()).isEqualTo(1);
            assertThat(feed.counts().runs()).isZero();
            assertThat(feed.health().isLive()).isTrue();
            assertThat(feed.health().isReady()).isTrue();
        } finally {
            feed.stop();
            t.join(10_000);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
