package io.descentwatch.streams.detector;

import io.descentwatch.detection.BinaryStateCodec;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.RunDetector;
import io.descentwatch.detection.RunState;
import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.StateCodec;
import io.descentwatch.detection.SweepDetector;
import io.descentwatch.detection.SweepState;
import io.descentwatch.events.AdviceCodec;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.TopicSettings;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.Map;

/**
 * The detector as a plain function of a {@link StreamsBuilder} and settings:
 *
 * <pre>
 * epochs --validate--+--invalid--> dead letters (original bytes + reason headers)
 *                    +--valid--> [re-key by run id if the producer keyed otherwise]
 *                                 --> run detector (store by run id; --+--> alerts
 *                                     idle runs end by wall clock)     |
 *                                                                      +--> runs (compacted; loss-only
 *                                                                      |    updates once per commit interval)
 *                                                                      +--> advice (compacted; on change)
 *                                                                      +--> repartition by sweep id
 *                                                                            --> sweep detector (sizes by sweep id,
 *                                                                                 runs by sweep and run id)
 *                                                                                 --+--> alerts
 *                                                                                   +--> sweeps (compacted, per
 *                                                                                        size, once per commit
 *                                                                                        interval)
 * </pre>
 */
public final class DescentTopology {

    public static final String RUN_STORE = "run-state";
    /** Each sweep's bounded state: one aggregate per model size (a new name with format 4: see the README). */
    public static final String SWEEP_STORE = "sweep-sizes";
    /** Each run's latest summary as its sweep last heard it, keyed by sweep id, NUL, run id. */
    public static final String SWEEP_RUNS_STORE = "sweep-runs";
    /** When each run not yet quiet was last heard from (wall clock), for the idle timeout. */
    public static final String RUN_ACTIVITY_STORE = "run-activity";

    private DescentTopology() {
    }

    public static Topology build(TopicSettings topics, DetectionSettings settings, DetectorSettings app) {
        StreamsBuilder builder = new StreamsBuilder();
        build(builder, topics, settings, app);
        return builder.build();
    }

    public static void build(StreamsBuilder builder, TopicSettings topics, DetectionSettings settings,
                             DetectorSettings app) {
        int decodedStates = app.decodedStates;
        Duration publishInterval = Duration.ofMillis(app.commitIntervalMs);
        EpochEventCodec eventCodec = new EpochEventCodec();
        AlertCodec alertCodec = new AlertCodec();
        // binary for what only the detector reads (stores, repartition); JSON for the topics people read
        BinaryStateCodec internal = new BinaryStateCodec();
        StateCodec published = new StateCodec();
        Serde<EpochEvent> eventSerde = CodecSerde.of(eventCodec::encode, b -> eventCodec.decode(b).value());
        Serde<RunState> runStateSerde = CodecSerde.of(internal::encodeRun, internal::decodeRun);
        Serde<SweepState> sweepStateSerde = CodecSerde.of(internal::encodeSweep, internal::decodeSweep);
        Serde<RunSummary> summarySerde = CodecSerde.of(internal::encodeSummary, internal::decodeSummary);
        Serde<RunSummary> publishedSummarySerde = CodecSerde.of(published::encodeSummary,
                published::decodeSummary);

        builder.addStateStore(DecodedStateStore.builder(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RUN_STORE), Serdes.String(), runStateSerde), decodedStates));
        builder.addStateStore(DecodedStateStore.builder(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SWEEP_STORE), Serdes.String(), sweepStateSerde), decodedStates));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SWEEP_RUNS_STORE),
                Serdes.String(), summarySerde).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RUN_ACTIVITY_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());

        Map<String, KStream<String, InspectedRecord>> validated = builder
                .stream(topics.epochs, Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("epochs"))
                .mapValues(bytes -> new InspectedRecord(bytes, eventCodec.decode(bytes)), Named.as("validate"))
                .split(Named.as("validated-"))
                .branch((key, r) -> r.decoded().isValid(), Branched.as("valid"))
                .defaultBranch(Branched.as("invalid"));

        validated.get("validated-invalid")
                .processValues(DeadLetterHeaders::new, Named.as("dead-letter-headers"))
                .to(topics.deadLetters, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("dead-letters"));

        // Per-run order needs every event of a run on one partition: events keyed otherwise are re-keyed first.
        Map<String, KStream<String, EpochEvent>> byKey = validated.get("validated-valid")
                .mapValues(r -> r.decoded().value(), Named.as("events"))
                .split(Named.as("keyed-"))
                .branch((key, e) -> e.runId().equals(key), Branched.as("by-run"))
                .defaultBranch(Branched.as("otherwise"));
        KStream<String, EpochEvent> rekeyed = byKey.get("keyed-otherwise")
                .selectKey((key, e) -> e.runId(), Named.as("key-by-run"))
                .repartition(Repartitioned.with(Serdes.String(), eventSerde).withName("events-by-run"));
        KStream<String, EpochEvent> events = byKey.get("keyed-by-run").merge(rekeyed, Named.as("events-keyed"));

        RunDetector runDetector = new RunDetector(settings);
        KStream<String, DetectorOutput> runOutput = events.process(
                () -> new RunDetectionProcessor(runDetector, RUN_STORE, publishInterval, RUN_ACTIVITY_STORE,
                        app.runIdleTimeout()), Named.as("run-detector"), RUN_STORE, RUN_ACTIVITY_STORE);

        Produced<String, byte[]> alertsOut = Produced.with(Serdes.String(), Serdes.ByteArray());
        runOutput.filter((k, o) -> o instanceof DetectorOutput.AlertRaised, Named.as("run-alerts"))
                .mapValues(o -> alertCodec.encode(((DetectorOutput.AlertRaised) o).alert()),
                        Named.as("encode-run-alerts"))
                .to(topics.alerts, alertsOut.withName("run-alerts-out"));

        KStream<String, DetectorOutput.RunChanged> changes = runOutput
                .filter((k, o) -> o instanceof DetectorOutput.RunChanged, Named.as("run-changes"))
                .mapValues(o -> (DetectorOutput.RunChanged) o, Named.as("as-run-changes"));
        changes.mapValues(DetectorOutput.RunChanged::summary, Named.as("run-summaries"))
                .to(topics.runs, Produced.with(Serdes.String(), publishedSummarySerde).withName("runs-out"));

        AdviceCodec adviceCodec = new AdviceCodec();
        runOutput.filter((k, o) -> o instanceof DetectorOutput.AdviceChanged, Named.as("run-advice"))
                .mapValues(o -> adviceCodec.encode(((DetectorOutput.AdviceChanged) o).advice()),
                        Named.as("encode-run-advice"))
                .to(topics.advice, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("advice-out"));

        // only status changes cross to the sweep detector: it decides on nothing else
        SweepDetector sweepDetector = new SweepDetector(settings);
        KStream<String, DetectorOutput> sweepOutput = changes
                .filter((k, c) -> c.statusChanged(), Named.as("status-changes"))
                .mapValues(DetectorOutput.RunChanged::summary, Named.as("status-summaries"))
                .selectKey((runId, s) -> s.sweepId(), Named.as("key-by-sweep"))
                .repartition(Repartitioned.with(Serdes.String(), summarySerde).withName("summaries-by-sweep"))
                .process(() -> new SweepDetectionProcessor(sweepDetector, SWEEP_STORE, SWEEP_RUNS_STORE,
                        publishInterval), Named.as("sweep-detector"), SWEEP_STORE, SWEEP_RUNS_STORE);
        sweepOutput.filter((k, o) -> o instanceof DetectorOutput.AlertRaised, Named.as("sweep-alerts"))
                .mapValues(o -> alertCodec.encode(((DetectorOutput.AlertRaised) o).alert()),
                        Named.as("encode-sweep-alerts"))
                .to(topics.alerts, alertsOut.withName("sweep-alerts-out"));
        sweepOutput.filter((k, o) -> o instanceof DetectorOutput.SweepChanged, Named.as("sweep-changes"))
                .mapValues(o -> published.encodeSweep(((DetectorOutput.SweepChanged) o).picture()),
                        Named.as("encode-sweep-state"))
                .to(topics.sweeps, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("sweeps-out"));
    }
}
