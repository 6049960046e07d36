package io.descentwatch.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Decoded;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.Topic;
import io.descentwatch.kafka.TopicSettings;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicsTest {

    private final TopicSettings names = TopicSettings.defaults().prefixed("t-");
    private final Topics topics = Topics.of(names);

    @Test
    void eachSharedTopicHasItsOwnName() {
        assertThat(List.of(
                                topics.epochs(),
                                topics.deadLetters(),
                                topics.alerts(),
                                topics.runs(),
                                topics.advice(),
                                topics.sweeps(),
                                topics.sweepChances())
                        .stream()
                        .map(Topic::name))
                .containsExactlyElementsOf(everyName());
    }

    /** Every topic name the settings hold but the training jobs', in the order {@link Topics} holds them. */
    private List<String> everyName() {
        return List.of(
                names.epochs,
                names.deadLetters,
                names.alerts,
                names.runs,
                names.advice,
                names.sweeps,
                names.sweepChances);
    }

    @Test
    void thePublishedStatesAreCreatedCompactedAndTheEventsAndAlertsAreNot() {
        Map<String, String> cleanup = new HashMap<>();
        Topics.creations(names)
                .forEach(t -> cleanup.put(
                        t.name(), t.configs() == null ? null : t.configs().get("cleanup.policy")));
        assertThat(cleanup.keySet()).containsExactlyInAnyOrderElementsOf(everyName());
        assertThat(List.of(names.runs, names.advice, names.sweeps, names.sweepChances))
                .allSatisfy(t -> assertThat(cleanup.get(t)).as(t).isEqualTo("compact"));
        assertThat(List.of(names.epochs, names.deadLetters, names.alerts))
                .allSatisfy(t -> assertThat(cleanup.get(t)).as(t).isNotEqualTo("compact"));
    }

    @Test
    void theEpochsTopicReadsTheContractValidOrNotAndWritesWhatItReads() {
        Topic<String, Decoded<EpochEvent>> epochs = topics.epochs();
        String json = "{\"schema\":\"descentwatch.epoch/v1\",\"run_id\":\"s/r1\",\"sweep_id\":\"s\",\"epoch\":3,"
                + "\"train_loss\":0.5,\"test_loss\":0.75,\"param_count\":10,\"train_size\":20,"
                + "\"time\":\"2026-11-28T12:00:00Z\"}";
        Decoded<EpochEvent> read =
                epochs.valueSerde().deserializer().deserialize(epochs.name(), json.getBytes(StandardCharsets.UTF_8));
        assertThat(read.isValid()).isTrue();
        assertThat(read.value().runId()).isEqualTo("s/r1");

        byte[] written = epochs.valueSerde().serializer().serialize(epochs.name(), read);
        assertThat(epochs.valueSerde().deserializer().deserialize(epochs.name(), written))
                .isEqualTo(read);

        assertThat(epochs.valueSerde()
                        .deserializer()
                        .deserialize(
                                epochs.name(),
                                "{\"schema\":\"descentwatch.epoch/v1\"}".getBytes(StandardCharsets.UTF_8))
                        .isValid())
                .as("a record without the required fields")
                .isFalse();
    }
}
