package io.descentwatch.streams.detector;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.RunDetector;
import io.descentwatch.detection.SweepDetector;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.TopicSettings;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
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

    public static Topology build(TopicSettings topics, DetectionSettings settings, StreamsAppSettings app) {
        StreamsBuilder builder = new StreamsBuilder();
        build(builder, topics, settings, app);
        return builder.build();
    }

    public static void build(StreamsBuilder builder, TopicSettings names, DetectionSettings settings,
                             StreamsAppSettings app) {
        DetectorTopics topics = DetectorTopics.of(names);
        Duration publishInterval = Duration.ofMillis(app.commitIntervalMs);
        addStores(builder, app.decodedStates);
        KStream<String, EpochEvent> events = validEventsByRun(builder, topics);
        KStream<String, DetectorOutput> runOutput = events.process(
                () -> new RunDetectionProcessor(new RunDetector(settings), RUN_STORE, app.summaryInterval,
                        RUN_ACTIVITY_STORE, app.runIdleTimeout(), app.sweepQuiet()), Named.as("run-detector"),
                RUN_STORE, RUN_ACTIVITY_STORE);
        alertsTo(topics, runOutput, "run");
        KStream<String, DetectorOutput.RunChanged> changes = runOutput
                .filter((k, o) -> o instanceof DetectorOutput.RunChanged, Named.as("run-changes"))
                .mapValues(o -> (DetectorOutput.RunChanged) o, Named.as("as-run-changes"));
        changes.mapValues(DetectorOutput.RunChanged::summary, Named.as("run-summaries"))
                .to(topics.runs().name(), DetectorTopics.produced(topics.runs(), "runs-out"));
        runOutput.filter((k, o) -> o instanceof DetectorOutput.AdviceChanged, Named.as("run-advice"))
                .mapValues(o -> ((DetectorOutput.AdviceChanged) o).advice(), Named.as("as-advice"))
                .to(topics.advice().name(), DetectorTopics.produced(topics.advice(), "advice-out"));

        // only status changes cross to the sweep detector: it decides on nothing else
        SweepDetector sweepDetector = new SweepDetector(settings);
        KStream<String, DetectorOutput> sweepOutput = changes
                .filter((k, c) -> c.statusChanged(), Named.as("status-changes"))
                .mapValues(DetectorOutput.RunChanged::summary, Named.as("status-summaries"))
                .selectKey((runId, s) -> s.sweepId(), Named.as("key-by-sweep"))
                .repartition(Repartitioned.with(Serdes.String(), DetectorTopics.INTERNAL_SUMMARY_SERDE)
                        .withName("summaries-by-sweep"))
                .process(() -> new SweepDetectionProcessor(sweepDetector, SWEEP_STORE, SWEEP_RUNS_STORE,
                        publishInterval), Named.as("sweep-detector"), SWEEP_STORE, SWEEP_RUNS_STORE);
        alertsTo(topics, sweepOutput, "sweep");
        sweepOutput.filter((k, o) -> o instanceof DetectorOutput.SweepChanged, Named.as("sweep-changes"))
                .mapValues(o -> ((DetectorOutput.SweepChanged) o).picture(), Named.as("sweep-pictures"))
                .to(topics.sweeps().name(), DetectorTopics.produced(topics.sweeps(), "sweeps-out"));
    }

    /** Binary for what only the detector reads; states kept decoded in front of the two busiest stores. */
    private static void addStores(StreamsBuilder builder, int decodedStates) {
        builder.addStateStore(DecodedStateStore.builder(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(RUN_STORE), Serdes.String(), DetectorTopics.RUN_STATE_SERDE),
                decodedStates));
        builder.addStateStore(DecodedStateStore.builder(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SWEEP_STORE), Serdes.String(), DetectorTopics.SWEEP_STATE_SERDE),
                decodedStates));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(SWEEP_RUNS_STORE),
                Serdes.String(), DetectorTopics.INTERNAL_SUMMARY_SERDE).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RUN_ACTIVITY_STORE),
                Serdes.String(), Serdes.Long()).withCachingEnabled());
    }

    /**
     * Valid events keyed by run id; invalid records to the dead letters with their reason. Per-run order needs
     * every event of a run on one partition: events keyed otherwise are re-keyed first.
     */
    private static KStream<String, EpochEvent> validEventsByRun(StreamsBuilder builder, DetectorTopics topics) {
        EpochEventCodec eventCodec = new EpochEventCodec();
        Map<String, KStream<String, InspectedRecord>> validated = builder
                .stream(topics.epochs().name(), DetectorTopics.consumed(topics.epochs(), "epochs"))
                .mapValues(bytes -> new InspectedRecord(bytes, eventCodec.decode(bytes)), Named.as("validate"))
                .split(Named.as("validated-"))
                .branch((key, r) -> r.decoded().isValid(), Branched.as("valid"))
                .defaultBranch(Branched.as("invalid"));
        validated.get("validated-invalid")
                .processValues(DeadLetterHeaders::new, Named.as("dead-letter-headers"))
                .to(topics.deadLetters().name(), DetectorTopics.produced(topics.deadLetters(), "dead-letters"));

        Map<String, KStream<String, EpochEvent>> byKey = validated.get("validated-valid")
                .mapValues(r -> r.decoded().value(), Named.as("events"))
                .split(Named.as("keyed-"))
                .branch((key, e) -> e.runId().equals(key), Branched.as("by-run"))
                .defaultBranch(Branched.as("otherwise"));
        KStream<String, EpochEvent> rekeyed = byKey.get("keyed-otherwise")
                .selectKey((key, e) -> e.runId(), Named.as("key-by-run"))
                .repartition(Repartitioned.with(Serdes.String(), DetectorTopics.EVENT_SERDE)
                        .withName("events-by-run"));
        return byKey.get("keyed-by-run").merge(rekeyed, Named.as("events-keyed"));
    }

    /** A detector's alerts to the alerts topic; {@code scope} names the nodes ("run" or "sweep"). */
    private static void alertsTo(DetectorTopics topics, KStream<String, DetectorOutput> output, String scope) {
        output.filter((k, o) -> o instanceof DetectorOutput.AlertRaised, Named.as(scope + "-alerts"))
                .mapValues(o -> ((DetectorOutput.AlertRaised) o).alert(), Named.as("as-" + scope + "-alerts"))
                .to(topics.alerts().name(), DetectorTopics.produced(topics.alerts(), scope + "-alerts-out"));
    }
}
