package io.descentwatch.streams.detector;

import io.descentwatch.detection.ChanceMove;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.RunDetector;
import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.SweepDetector;
import io.descentwatch.events.Decoded;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.Topic;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.topics.Topics;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.BranchedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The detector as a plain function of a {@link StreamsBuilder} and settings:
 *
 * <pre>
 * epochs --validate--+--invalid--> dead letters (original bytes + reason headers)
 *                    +--valid--> [re-key by run id if the producer keyed otherwise]
 *                                 --> run detector (store by run id; --+--> alerts
 *                                     idle runs end by wall clock)     |
 *                                                                      +--> runs (compacted; loss-only
 *                                                                      |    updates once per summary interval)
 *                                                                      +--> advice (compacted; on change)
 *                                                                      +--> repartition by sweep id
 *                                                                            --> sweep detector (sizes by sweep id,
 *                                                                                 runs by sweep and run id)
 *                                                                                 --+--> alerts
 *                                                                                   +--> sweeps (compacted, per
 *                                                                                   |    size, once per commit
 *                                                                                   |    interval)
 *                                                                                   +--> sweep chances (compacted,
 *                                                                                        when an ended run moves
 *                                                                                        them; read back by the run
 *                                                                                        detector as a global store)
 * </pre>
 *
 * <p>The input side, up to the valid events keyed by run, is {@link ValidatedEvents}'s.
 *
 * <p>The sweep chances are the one path back: a sweep's base rate of winning second descents, which no single curve
 * shows, and how sharply the chance tells its winners from its losers are known only from its ended runs, and they
 * move the chance told to the runs still training.
 */
public final class DescentTopology {

    public static final String RUN_STORE = "run-state";
    /** Each sweep's bounded state: one aggregate per model size (a new name with format 4: see docs/architecture.md). */
    public static final String SWEEP_STORE = "sweep-sizes";
    /** Each run's latest summary as its sweep last heard it, keyed by sweep id, NUL, run id. */
    public static final String SWEEP_RUNS_STORE = "sweep-runs";
    /** When each run not yet quiet was last heard from (wall clock), for the idle timeout. */
    public static final String RUN_ACTIVITY_STORE = "run-activity";
    /** Each sweep's move of the chance told to its runs: a global store of the sweep chances topic. */
    public static final String SWEEP_CHANCE_STORE = "sweep-chances";

    /**
     * How much of the topology to build, in the order the picture above draws it. Only the detector benchmark
     * builds less than {@link #FULL}: what each stage adds to the cost of an event is what it measures, since a
     * profile's shares leave out the broker's and the producers' work for what a stage publishes.
     */
    public enum Stage {
        /**
         * Validation and routing by run, the events dropped: the floor of any detector that reads the contract's
         * JSON, against which the pass-through's cost per event is to be read.
         */
        VALIDATION,
        /** Validation and the run detector, its outputs dropped. */
        RUN_DETECTOR,
        /** And the run detector's alerts, advice and summaries published. */
        RUN_OUTPUTS,
        /** And status changes repartitioned by sweep, dropped there. */
        SWEEP_REPARTITION,
        /** The whole detector. */
        FULL
    }

    private DescentTopology() {}

    public static Topology build(TopicSettings topics, DetectionSettings settings, StreamsAppSettings app) {
        return build(Stage.FULL, topics, settings, app);
    }

    public static Topology build(
            Stage stage, TopicSettings topics, DetectionSettings settings, StreamsAppSettings app) {
        StreamsBuilder builder = new StreamsBuilder();
        build(builder, stage, topics, settings, app);
        return builder.build();
    }

    public static void build(
            StreamsBuilder builder, TopicSettings names, DetectionSettings settings, StreamsAppSettings app) {
        build(builder, Stage.FULL, names, settings, app);
    }

    private static void build(
            StreamsBuilder builder,
            Stage stage,
            TopicSettings names,
            DetectionSettings settings,
            StreamsAppSettings app) {
        Topics topics = Topics.of(names);
        if (stage == Stage.VALIDATION) {
            dropped(ValidatedEvents.byRun(builder, topics), "events");
            return;
        }
        Duration publishInterval = Duration.ofMillis(app.commitIntervalMs);
        addRunStores(builder, app.decodedStates);
        sweepChancesStore(builder, topics);
        KStream<String, EpochEvent> events = ValidatedEvents.byRun(builder, topics);
        KStream<String, DetectorOutput> runOutput = events.process(
                () -> new RunDetectionProcessor(
                        new RunDetector(settings),
                        RUN_STORE,
                        app.summaryInterval,
                        RUN_ACTIVITY_STORE,
                        app.runIdleTimeout(),
                        app.sweepQuiet(),
                        SWEEP_CHANCE_STORE),
                Named.as("run-detector"),
                RUN_STORE,
                RUN_ACTIVITY_STORE);
        if (stage == Stage.RUN_DETECTOR) {
            dropped(runOutput, "run-output");
            return;
        }
        Map<String, KStream<String, DetectorOutput>> run = routed(runOutput, "run", kind -> switch (kind) {
            case ALERT -> alertsTo(topics, "run");
            // to the runs topic and, on a change of status, to the sweep detector: below
            case RUN -> Branched.as("changes");
            case ADVICE ->
                Branched.withConsumer(
                        advice -> to(
                                advice.mapValues(
                                        o -> valid(((DetectorOutput.AdviceChanged) o).advice()), Named.as("as-advice")),
                                topics.advice(),
                                "advice-out"),
                        "advice");
            // a run detector sees one run: it has no sweep to picture, nor a sweep's base rate
            case SWEEP, SWEEP_CHANCE -> null;
        });
        KStream<String, DetectorOutput.RunChanged> changes =
                run.get("run-changes").mapValues(o -> (DetectorOutput.RunChanged) o, Named.as("as-run-changes"));
        to(changes.mapValues(DetectorOutput.RunChanged::summary, Named.as("run-summaries")), topics.runs(), "runs-out");

        if (stage == Stage.RUN_OUTPUTS) {
            return;
        }

        // only status changes cross to the sweep detector: it decides on nothing else; nor does it read a run's
        // advice, or the chances it was told before it ended (RunSummary.forSweep)
        KStream<String, RunSummary> bySweep = changes.filter((k, c) -> c.statusChanged(), Named.as("status-changes"))
                .mapValues(c -> c.summary().forSweep(), Named.as("status-summaries"))
                .selectKey((runId, s) -> s.sweepId(), Named.as("key-by-sweep"))
                .repartition(Repartitioned.with(Serdes.String(), InternalSerdes.INTERNAL_SUMMARY_SERDE)
                        .withName("summaries-by-sweep"));
        if (stage == Stage.SWEEP_REPARTITION) {
            dropped(bySweep, "summaries-by-sweep");
            return;
        }
        addSweepStores(builder, app.decodedStates);
        SweepDetector sweepDetector = new SweepDetector(settings);
        KStream<String, DetectorOutput> sweepOutput = bySweep.process(
                () -> new SweepDetectionProcessor(sweepDetector, SWEEP_STORE, SWEEP_RUNS_STORE, publishInterval),
                Named.as("sweep-detector"),
                SWEEP_STORE,
                SWEEP_RUNS_STORE);
        routed(sweepOutput, "sweep", kind -> switch (kind) {
            case ALERT -> alertsTo(topics, "sweep");
            case SWEEP ->
                Branched.withConsumer(
                        pictures -> to(
                                pictures.mapValues(
                                        o -> ((DetectorOutput.SweepChanged) o).picture(), Named.as("sweep-pictures")),
                                topics.sweeps(),
                                "sweeps-out"),
                        "changes");
            case SWEEP_CHANCE ->
                Branched.withConsumer(
                        moves -> to(
                                moves.mapValues(
                                        o -> ((DetectorOutput.SweepChanceMoved) o).move(),
                                        Named.as("sweep-chance-moves")),
                                topics.sweepChances(),
                                "sweep-chances-out"),
                        "chances");
            // runs and their advice are the run detector's to publish
            case RUN, ADVICE -> null;
        });
    }

    /**
     * A detector's outputs split by kind, in one step: {@code route} says, by an exhaustive switch, what each kind
     * does (a branch named {@code scope-NAME}, which the returned map holds where the branch has no consumer), or
     * null for a kind this detector does not emit. An output of such a kind is a bug: it fails the task, loudly,
     * rather than being dropped without a word.
     */
    private static Map<String, KStream<String, DetectorOutput>> routed(
            KStream<String, DetectorOutput> output,
            String scope,
            Function<DetectorOutput.Kind, Branched<String, DetectorOutput>> route) {
        BranchedKStream<String, DetectorOutput> split = output.split(Named.as(scope + "-"));
        for (DetectorOutput.Kind kind : DetectorOutput.Kind.values()) {
            Branched<String, DetectorOutput> branch = route.apply(kind);
            if (branch != null) {
                split.branch((k, o) -> o.kind() == kind, branch);
            }
        }
        return split.defaultBranch(Branched.withConsumer(
                unrouted -> unrouted.foreach(
                        (k, o) -> {
                            throw new IllegalStateException("the " + scope + " detector emitted a " + o.kind()
                                    + " output, which it has no route for");
                        },
                        Named.as(scope + "-unrouted-output")),
                "unrouted"));
    }

    /** A detector's alerts to the alerts topic; {@code scope} names the nodes ("run" or "sweep"). */
    private static Branched<String, DetectorOutput> alertsTo(Topics topics, String scope) {
        return Branched.withConsumer(
                alerts -> to(
                        alerts.mapValues(
                                o -> valid(((DetectorOutput.AlertRaised) o).alert()),
                                Named.as("as-" + scope + "-alerts")),
                        topics.alerts(),
                        scope + "-alerts-out"),
                "alerts");
    }

    /** A stage's last output, read and dropped: only a benchmark builds a topology that ends here. */
    private static <V> void dropped(KStream<String, V> stream, String what) {
        stream.foreach((k, v) -> {}, Named.as(what + "-dropped"));
    }

    /** What the detector writes to a contract topic is valid: it built it. */
    private static <T> Decoded<T> valid(T value) {
        return new Decoded.Valid<>(value);
    }

    /** A stream to a topic, in the topic's own serdes, by a sink node of the given name. */
    static <V> void to(KStream<String, V> stream, Topic<String, V> topic, String nodeName) {
        stream.to(
                topic.name(),
                Produced.with(topic.keySerde(), topic.valueSerde()).withName(nodeName));
    }

    /**
     * The sweep chances topic as a global store, in memory (the topic is its own changelog): every instance's run
     * detector reads every sweep's move, whichever instance's sweep detector wrote it. A plain store, not a table of
     * timestamped values: the moves of one sweep carry the times of the events of different runs, which need not
     * rise, and the latest written is the one that counts.
     */
    private static void sweepChancesStore(StreamsBuilder builder, Topics topics) {
        Topic<String, ChanceMove> chances = topics.sweepChances();
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(SWEEP_CHANCE_STORE),
                                chances.keySerde(),
                                chances.valueSerde())
                        .withLoggingDisabled(),
                chances.name(),
                Consumed.with(chances.keySerde(), chances.valueSerde()).withName("sweep-chances-in"),
                () -> new SweepChanceUpdater(SWEEP_CHANCE_STORE));
    }

    /** Binary for what only the detector reads; states kept decoded in front of the two busiest stores. */
    private static void addRunStores(StreamsBuilder builder, int decodedStates) {
        builder.addStateStore(DecodedStateStore.builder(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(RUN_STORE), Serdes.String(), InternalSerdes.RUN_STATE_SERDE),
                decodedStates));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(RUN_ACTIVITY_STORE), Serdes.String(), Serdes.Long())
                .withCachingEnabled());
    }

    private static void addSweepStores(StreamsBuilder builder, int decodedStates) {
        builder.addStateStore(DecodedStateStore.builder(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(SWEEP_STORE), Serdes.String(), InternalSerdes.SWEEP_STATE_SERDE),
                decodedStates));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(SWEEP_RUNS_STORE),
                        Serdes.String(),
                        InternalSerdes.INTERNAL_SUMMARY_SERDE)
                .withCachingEnabled());
    }
}
