package io.descentwatch.streams.detector;

import io.descentwatch.detection.BinaryStateCodec;
import io.descentwatch.detection.RunState;
import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.PublishedJson;
import io.descentwatch.detection.SweepPicture;
import io.descentwatch.detection.SweepState;
import io.descentwatch.events.Advice;
import io.descentwatch.events.AdviceCodec;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.CodecSerde;
import io.descentwatch.kafka.Topic;
import io.descentwatch.kafka.TopicSettings;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Every topic the detector reads or writes, each with its serdes, in one place: JSON for what people and other
 * programs read (the contract's codecs), compact binary ({@link BinaryStateCodec}) for what only the detector reads
 * (its stores and repartition topics). The epochs topic is read as bytes: validation decodes it, so that a bad
 * record goes to the dead letters unchanged.
 */
record DetectorTopics(Topic<String, byte[]> epochs, Topic<String, byte[]> deadLetters, Topic<String, Alert> alerts,
                      Topic<String, RunSummary> runs, Topic<String, Advice> advice,
                      Topic<String, SweepPicture> sweeps) {

    private static final BinaryStateCodec INTERNAL = new BinaryStateCodec();
    private static final PublishedJson PUBLISHED = new PublishedJson();
    private static final EpochEventCodec EVENTS = new EpochEventCodec();
    private static final AlertCodec ALERTS = new AlertCodec();
    private static final AdviceCodec ADVICE = new AdviceCodec();

    /** Events re-keyed by run id (internal repartition). */
    static final Serde<EpochEvent> EVENT_SERDE = CodecSerde.of(EVENTS::encode, b -> EVENTS.decode(b).value());
    /** Run summaries for the sweep detector (internal repartition, its runs store). */
    static final Serde<RunSummary> INTERNAL_SUMMARY_SERDE = CodecSerde.of(INTERNAL::encodeSummary,
            INTERNAL::decodeSummary);
    static final Serde<RunState> RUN_STATE_SERDE = CodecSerde.of(INTERNAL::encodeRun, INTERNAL::decodeRun);
    static final Serde<SweepState> SWEEP_STATE_SERDE = CodecSerde.of(INTERNAL::encodeSweep, INTERNAL::decodeSweep);

    static DetectorTopics of(TopicSettings names) {
        Serde<String> keys = Serdes.String();
        return new DetectorTopics(
                new Topic<>(names.epochs, keys, Serdes.ByteArray()),
                new Topic<>(names.deadLetters, keys, Serdes.ByteArray()),
                new Topic<>(names.alerts, keys, CodecSerde.of(ALERTS::encode, b -> ALERTS.decode(b).value())),
                new Topic<>(names.runs, keys, CodecSerde.of(PUBLISHED::encodeSummary, PUBLISHED::decodeSummary)),
                new Topic<>(names.advice, keys, CodecSerde.of(ADVICE::encode, b -> ADVICE.decode(b).value())),
                new Topic<>(names.sweeps, keys, CodecSerde.of(PUBLISHED::encodeSweep, PUBLISHED::decodeSweep)));
    }

    static <K, V> Consumed<K, V> consumed(Topic<K, V> topic, String nodeName) {
        return Consumed.with(topic.keySerde(), topic.valueSerde()).withName(nodeName);
    }

    static <K, V> Produced<K, V> produced(Topic<K, V> topic, String nodeName) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(nodeName);
    }
}
