package io.descentwatch.topics;

import io.descentwatch.detection.ChanceMove;
import io.descentwatch.detection.PublishedJson;
import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.SweepPicture;
import io.descentwatch.events.Advice;
import io.descentwatch.events.AdviceCodec;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.Decoded;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.CodecSerde;
import io.descentwatch.kafka.Topic;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic the detector, the sink and the live page share, each tied to the serdes of its keys and values here
 * and nowhere else; the names are settings ({@link TopicSettings}). Keys are run or sweep ids. The wire contract's
 * topics (epochs, alerts, advice) read as {@link Decoded}: anyone may write to them, so a reader meets invalid
 * records and skips them as the detector does; a writer writes {@link Decoded.Valid} values. The detector's
 * published states (runs, sweeps) are its own JSON ({@link PublishedJson}); a record that is not fails to decode.
 * The dead letters are the rejected records' own bytes. The training jobs topic is the producer's alone. The sweep
 * chances (a sweep id and its {@link ChanceMove}, as 16 bytes) are the detector's own: its sweep detector's way back to its
 * run detector, read as a global store.
 */
public record Topics(
        Topic<String, Decoded<EpochEvent>> epochs,
        Topic<String, byte[]> deadLetters,
        Topic<String, Decoded<Alert>> alerts,
        Topic<String, RunSummary> runs,
        Topic<String, Decoded<Advice>> advice,
        Topic<String, SweepPicture> sweeps,
        Topic<String, ChanceMove> sweepChances) {

    private static final EpochEventCodec EVENTS = new EpochEventCodec();
    private static final AlertCodec ALERTS = new AlertCodec();
    private static final AdviceCodec ADVICE = new AdviceCodec();
    private static final PublishedJson PUBLISHED = new PublishedJson();

    public static Topics of(TopicSettings names) {
        Serde<String> keys = Serdes.String();
        return new Topics(
                new Topic<>(names.epochs, keys, CodecSerde.of(d -> EVENTS.encode(d.value()), EVENTS::decode)),
                new Topic<>(names.deadLetters, keys, Serdes.ByteArray()),
                new Topic<>(names.alerts, keys, CodecSerde.of(d -> ALERTS.encode(d.value()), ALERTS::decode)),
                new Topic<>(names.runs, keys, CodecSerde.of(PUBLISHED::encodeSummary, PUBLISHED::decodeSummary)),
                new Topic<>(names.advice, keys, CodecSerde.of(d -> ADVICE.encode(d.value()), ADVICE::decode)),
                new Topic<>(names.sweeps, keys, CodecSerde.of(PUBLISHED::encodeSweep, PUBLISHED::decodeSweep)),
                new Topic<>(names.sweepChances, keys, CodecSerde.of(ChanceMove::bytes, ChanceMove::ofBytes)));
    }

    /**
     * How each shared topic is created where it is missing: the published states compacted (a key's latest value
     * is the state), the dead letters with room for the largest record rejected, the rest kept by time.
     */
    public static List<NewTopic> creations(TopicSettings names) {
        return List.of(
                TopicProvisioner.topic(names.epochs, names),
                TopicProvisioner.deadLetterTopic(names.deadLetters, names),
                TopicProvisioner.topic(names.alerts, names),
                TopicProvisioner.compactedTopic(names.runs, names),
                TopicProvisioner.compactedTopic(names.advice, names),
                TopicProvisioner.compactedTopic(names.sweeps, names),
                TopicProvisioner.compactedTopic(names.sweepChances, names));
    }
}
