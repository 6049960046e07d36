package io.descentwatch.streams.detector;

import io.descentwatch.events.Decoded;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.Topic;
import io.descentwatch.topics.Topics;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;

/**
 * The detector's input side: the epochs topic decoded against the contract, what fails it sent to the dead letters
 * with its original bytes and reason, and the valid events keyed by run. Every stage of {@link DescentTopology}
 * starts here, the benchmark's validation-only stage included.
 */
final class ValidatedEvents {

    private ValidatedEvents() {}

    /**
     * Valid events keyed by run id; invalid records to the dead letters with their reason. Per-run order needs
     * every event of a run on one partition: events keyed otherwise are re-keyed first.
     */
    static KStream<String, EpochEvent> byRun(StreamsBuilder builder, Topics topics) {
        // read as bytes and decoded with the topic's own deserializer, so that a bad record keeps its bytes
        Topic<String, Decoded<EpochEvent>> epochs = topics.epochs();
        Deserializer<Decoded<EpochEvent>> decoder = epochs.valueSerde().deserializer();
        Map<String, KStream<String, InspectedRecord>> validated = builder.stream(
                        epochs.name(),
                        Consumed.with(epochs.keySerde(), Serdes.ByteArray()).withName("epochs"))
                .mapValues(
                        bytes -> new InspectedRecord(bytes, decoder.deserialize(epochs.name(), bytes)),
                        Named.as("validate"))
                // one split for validity and key: each node an event passes through costs a record copy
                .split(Named.as("validated-"))
                .branch(
                        (key, r) -> r.decoded().isValid()
                                && r.decoded().value().runId().equals(key),
                        Branched.as("by-run"))
                .branch((key, r) -> r.decoded().isValid(), Branched.as("otherwise"))
                .defaultBranch(Branched.as("invalid"));
        DescentTopology.to(
                validated
                        .get("validated-invalid")
                        .processValues(DeadLetterHeaders::new, Named.as("dead-letter-headers")),
                topics.deadLetters(),
                "dead-letters");

        KStream<String, EpochEvent> rekeyed = validated
                .get("validated-otherwise")
                .mapValues(r -> r.decoded().value(), Named.as("events-otherwise"))
                .selectKey((key, e) -> e.runId(), Named.as("key-by-run"))
                .repartition(Repartitioned.with(Serdes.String(), InternalSerdes.EVENT_SERDE)
                        .withName("events-by-run"));
        return validated
                .get("validated-by-run")
                .mapValues(r -> r.decoded().value(), Named.as("events"))
                .merge(rekeyed, Named.as("events-keyed"));
    }
}
