package io.descentwatch.streams.detector;

import io.descentwatch.detection.BinaryStateCodec;
import io.descentwatch.detection.RunState;
import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.SweepState;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.CodecSerde;
import org.apache.kafka.common.serialization.Serde;

/**
 * The serdes of what only the detector reads: its stores and repartition topics, in compact binary
 * ({@link BinaryStateCodec}). The topics it shares with the sink and the live page have theirs in
 * {@link io.descentwatch.topics.Topics}.
 */
final class InternalSerdes {

    private static final BinaryStateCodec INTERNAL = new BinaryStateCodec();
    private static final EpochEventCodec EVENTS = new EpochEventCodec();

    /** Events re-keyed by run id (internal repartition). */
    static final Serde<EpochEvent> EVENT_SERDE =
            CodecSerde.of(EVENTS::encode, b -> EVENTS.decode(b).value());
    /** Run summaries for the sweep detector (internal repartition, its runs store). */
    static final Serde<RunSummary> INTERNAL_SUMMARY_SERDE =
            CodecSerde.of(INTERNAL::encodeSummary, INTERNAL::decodeSummary);

    static final Serde<RunState> RUN_STATE_SERDE = CodecSerde.of(INTERNAL::encodeRun, INTERNAL::decodeRun);
    static final Serde<SweepState> SWEEP_STATE_SERDE = CodecSerde.of(INTERNAL::encodeSweep, INTERNAL::decodeSweep);

    private InternalSerdes() {}
}
