package io.descentwatch.producer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.producer.EpochPublisher;
import io.descentwatch.producer.output.EventOutput;
import io.descentwatch.producer.output.KafkaOutput;
import io.descentwatch.testkit.TestServices;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A quick sweep, really trained, published to the real in-process broker. */
class SweepPublishingIntegrationTest {

    @Test
    void aPublishedQuickSweepArrivesCompleteInOrderPerRunWithoutDuplicates() throws Exception {
        TopicSettings topics = TestServices.freshTopics("sweep-publish");
        Properties client = new Properties();
        client.put("bootstrap.servers", TestServices.kafka().bootstrapServers());
        new TopicProvisioner(client).ensure(List.of(TopicProvisioner.topic(topics.epochs, topics)));

        Preset preset = Presets.named(RandomFeaturesPreset.NAME);
        Parameters quick = Parameters.resolve(preset.parameters(), true, Map.of(), preset.name());
        MemoryOutput sent = new MemoryOutput();
        try (KafkaOutput kafka = new KafkaOutput(new EpochPublisher(client, topics.epochs), topics.epochs)) {
            new SweepRunner(2, 1, Clock.systemUTC())
                    .run(preset.plan("rf-kafka", quick), tee(kafka, sent), new SweepRunner.Progress() {});
        }
        int expected = sent.events.size();
        List<ConsumerRecord<String, EpochEvent>> received =
                KafkaRecords.readUntil(topics.epochs, r -> r.size() >= expected);

        assertThat(received).hasSize(expected);
        Map<String, List<EpochEvent>> perRun = new HashMap<>();
        Map<String, Integer> partitionOf = new HashMap<>();
        for (ConsumerRecord<String, EpochEvent> r : received) {
            assertThat(r.key()).isEqualTo(r.value().runId());
            assertThat(partitionOf.computeIfAbsent(r.key(), k -> r.partition())).isEqualTo(r.partition());
            perRun.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
        }
        assertThat(perRun).hasSize(9);
        // exactly what training produced (as the wire carries it), in the order it produced it, run by run
        EpochEventCodec codec = new EpochEventCodec();
        Map<String, List<EpochEvent>> expectedPerRun = new HashMap<>();
        sent.byRun()
                .forEach((run, events) -> expectedPerRun.put(
                        run,
                        events.stream()
                                .map(e -> codec.decode(codec.encode(e)).value())
                                .toList()));
        assertThat(perRun).isEqualTo(expectedPerRun);
        perRun.values().forEach(events -> {
            assertThat(events).extracting(EpochEvent::epoch).isSorted().doesNotHaveDuplicates();
            assertThat(events.get(events.size() - 1).isFinal()).isTrue();
        });
    }

    @Test
    void trainingStopsWithAClearErrorWhenKafkaStaysAway() {
        Properties nowhere = new Properties();
        nowhere.put("bootstrap.servers", "127.0.0.1:1"); // nothing listens on port 1
        Preset preset = Presets.named(TwoScalePreset.NAME);
        Parameters tiny =
                Parameters.resolve(preset.parameters(), true, Map.of("epochs", "50", "seeds", "1"), preset.name());
        assertThatThrownBy(() -> {
                    try (KafkaOutput kafka = KafkaOutput.create(nowhere, "t", Duration.ofSeconds(2))) {
                        new SweepRunner(1, 1, Clock.systemUTC())
                                .run(preset.plan("away", tiny), kafka, new SweepRunner.Progress() {});
                    }
                })
                .isInstanceOf(SweepRunner.SweepFailedException.class)
                .hasMessageContaining("away/d0210/s1 failed")
                .hasMessageContaining("Kafka");
    }

    static EventOutput tee(EventOutput a, MemoryOutput b) {
        return new EventOutput() {
            @Override
            public void publish(EpochEvent event) {
                a.publish(event);
                b.publish(event);
            }

            @Override
            public void flush() {
                a.flush();
            }

            @Override
            public String describe() {
                return a.describe();
            }

            @Override
            public void close() {
                a.close();
            }
        };
    }
}
