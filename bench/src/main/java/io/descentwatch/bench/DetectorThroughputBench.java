package io.descentwatch.bench;

import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.KafkaMetrics;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.streams.detector.DescentTopology;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.PassThroughTopology;
import io.descentwatch.streams.detector.StreamsAppSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sustained events/s through the full detector topology and through a pass-through topology, on the same broker,
 * over the same pre-loaded events, with the same Streams settings (exactly-once, one thread), alternating, once the
 * JIT has settled.
 */
final class DetectorThroughputBench {

    private static final Logger log = LoggerFactory.getLogger(DetectorThroughputBench.class);

    /** What a round measures: the detector, whole or cut at a stage, or the pass-through baseline. */
    enum Measured {
        VALIDATION(DescentTopology.Stage.VALIDATION, "validation and routing by run, events dropped"),
        RUN_DETECTOR(DescentTopology.Stage.RUN_DETECTOR, "and the run detector, its outputs dropped"),
        RUN_OUTPUTS(DescentTopology.Stage.RUN_OUTPUTS, "and its alerts, advice and summaries published"),
        SWEEP_REPARTITION(DescentTopology.Stage.SWEEP_REPARTITION, "and status changes repartitioned by sweep"),
        FULL(DescentTopology.Stage.FULL, "and the sweep detector: the full detector"),
        /** Not a stage: the baseline, which copies every event to another topic. */
        PASS_THROUGH(null, "pass-through");

        private final DescentTopology.Stage stage;
        final String label;

        Measured(DescentTopology.Stage stage, String label) {
            this.stage = stage;
            this.label = label;
        }

        Topology topology(TopicSettings topics, StreamsAppSettings app) {
            return stage == null
                    ? PassThroughTopology.build(topics)
                    : DescentTopology.build(stage, topics, DetectionSettings.defaults(), app);
        }
    }

    /**
     * @param warmUp the rounds not counted, in order: each until the JIT compiled for under {@link
     *     JitActivity#STEADY_SHARE} of a round's CPU time, at least one and at most {@link #MOST_WARM_UP_ROUNDS}
     * @param counted the rounds counted, after the warm-up
     * @param traffic what the last full detector round wrote to each topic (its internal topics named without the
     *     application id), beside the events it read
     * @param parts each topology's stream-thread samples by part over the counted rounds, where the run was
     *     profiled (empty where not)
     */
    record Result(
            long events,
            List<Round> warmUp,
            List<Round> counted,
            TopicTraffic traffic,
            Map<Measured, StreamThreadParts.Tally> parts) {
        List<Double> rates(Measured what) {
            return counted.stream().map(r -> r.of(what).recordsPerSecond()).toList();
        }

        /** The median over the counted rounds of a topology's CPU µs per event in threads of one role. */
        double threadMicrosPerEvent(Measured what, ThreadCpu.Role role) {
            return Stats.median(counted.stream()
                    .map(r -> r.runs().get(what).threads().microsPerEvent().get(role))
                    .toList());
        }

        /** The median over the counted rounds of a topology's produce requests per 1,000,000 events. */
        double produceRequestsPerMillionEvents(Measured what) {
            return Stats.median(counted.stream()
                    .map(r -> r.runs().get(what).threads().requestsPerMillionEvents())
                    .toList());
        }

        List<Double> cpuMicrosPerEvent(Measured what) {
            return counted.stream().map(r -> r.of(what).cpuMicrosPerRecord()).toList();
        }

        /**
         * A stage's CPU per event in multiples of another's, the median of the counted rounds' ratios: as for the
         * rates, each ratio shares one round's machine state.
         */
        double cpuMultiple(Measured what, Measured of) {
            return Stats.median(counted.stream()
                    .map(r -> r.of(what).cpuMicrosPerRecord() / r.of(of).cpuMicrosPerRecord())
                    .toList());
        }

        /** The median of each round's ratio: rounds run back to back, so each ratio shares one machine state. */
        double ratio() {
            return ratio(Measured.FULL);
        }

        /** As {@link #ratio()}, for the detector cut short at a stage (or whole). */
        double ratio(Measured what) {
            return Stats.median(counted.stream().map(r -> r.ratio(what)).toList());
        }

        /**
         * The ratio as this benchmark took it before it warmed up to a steady JIT: the same number of rounds, from
         * the second on (the first is always warm-up). It is printed beside the steady one, from the same run.
         */
        double ratioAfterOneWarmUpRound() {
            List<Round> all = new ArrayList<>(warmUp.subList(1, warmUp.size()));
            all.addAll(counted);
            return Stats.median(
                    all.subList(0, counted.size()).stream().map(Round::ratio).toList());
        }
    }

    /**
     * What each topology of a round did, run back to back, and the JIT's share of the CPU the round used.
     */
    record Round(Map<Measured, Run> runs, double jitShare) {
        GroupProgress.Steady of(Measured what) {
            return runs.get(what).steady();
        }

        double ratio() {
            return ratio(Measured.FULL);
        }

        double ratio(Measured what) {
            return of(what).recordsPerSecond() / of(Measured.PASS_THROUGH).recordsPerSecond();
        }
    }

    /** Warm-up stops here even if the JIT is still busy, so that the benchmark ends on a machine that never settles. */
    static final int MOST_WARM_UP_ROUNDS = 8;

    /**
     * @param stages also the detector cut short at each stage, before the full one in every round, to show what
     *     each stage adds
     * @param profile record the stream threads' execution samples with JFR, to tell their CPU time by part
     */
    static Result run(
            KafkaSettings kafka, int runCount, int epochsPerRun, int repetitions, boolean stages, boolean profile)
            throws Exception {
        try (StreamThreadProfile recording = profile ? StreamThreadProfile.start() : null) {
            return run(kafka, runCount, epochsPerRun, repetitions, stages, recording);
        }
    }

    private static Result run(
            KafkaSettings kafka,
            int runCount,
            int epochsPerRun,
            int repetitions,
            boolean stages,
            StreamThreadProfile profileOrNull)
            throws Exception {
        TopicSettings topics = TopicSettings.defaults().prefixed("bench-throughput-" + System.nanoTime() + ".");
        DetectorApp.ensureTopics(kafka, topics);
        long events = EventLoader.load(kafka, topics.epochs, new SyntheticRuns("tp", epochsPerRun), runCount, 200);
        List<Measured> measured = stages ? List.of(Measured.values()) : List.of(Measured.FULL, Measured.PASS_THROUGH);
        List<Round> warmUp = new ArrayList<>();
        List<Round> counted = new ArrayList<>();
        TopicTraffic traffic = null;
        Predicate<String> notTheBrokers = t -> !t.startsWith("__");
        // a detector runs for days, not seconds: rounds are counted once the JIT has (nearly) stopped compiling,
        // which on 2 cores takes several rounds (one round left it compiling for 30% of the next round's CPU)
        while (counted.size() < repetitions) {
            JitActivity jit = JitActivity.start();
            Map<Measured, Run> round = new EnumMap<>(Measured.class);
            for (Measured what : measured) {
                TopicTraffic before = TopicTraffic.snapshot(kafka.clientProperties(), notTheBrokers);
                round.put(what, steady(kafka, topics, what, events));
                if (what == Measured.FULL) {
                    traffic = TopicTraffic.snapshot(kafka.clientProperties(), notTheBrokers)
                            .since(
                                    before,
                                    name -> name.replaceFirst("^bench-throughput-\\d+\\.", "")
                                            .replaceFirst("^bench-\\d+-", ""));
                }
            }
            Round done = new Round(round, jit.share());
            boolean warm = !warmUp.isEmpty()
                    && (JitActivity.steady(warmUp.get(warmUp.size() - 1).jitShare())
                            || warmUp.size() == MOST_WARM_UP_ROUNDS);
            if (warm) {
                counted.add(done);
            } else {
                warmUp.add(done);
            }
            log.info(
                    "{} round: detector {} events/s, pass-through {} events/s, the JIT compiled for {}% of its CPU",
                    warm ? "counted" : "warm-up",
                    Stats.fmt(done.of(Measured.FULL).recordsPerSecond()),
                    Stats.fmt(done.of(Measured.PASS_THROUGH).recordsPerSecond()),
                    Math.round(100 * done.jitShare()));
        }
        return new Result(events, warmUp, counted, traffic, parts(profileOrNull, counted));
    }

    /** Each topology's stream-thread samples over the counted rounds (the warm-up's left out, as for the rates). */
    private static Map<Measured, StreamThreadParts.Tally> parts(StreamThreadProfile profileOrNull, List<Round> counted)
            throws IOException {
        if (profileOrNull == null) {
            return Map.of();
        }
        Map<String, Measured> topologyOf = new HashMap<>();
        counted.forEach(round -> round.runs().forEach((what, run) -> topologyOf.put(run.applicationId(), what)));
        Map<Measured, StreamThreadParts.Tally> parts = new EnumMap<>(Measured.class);
        profileOrNull
                .stop(topologyOf.keySet())
                .forEach((id, tally) -> parts.merge(topologyOf.get(id), tally, StreamThreadParts.Tally::plus));
        return parts;
    }

    /**
     * Where a topology's CPU went, by the role of each thread, in µs per event over its whole run (its start
     * included, so more than the steady stretch's CPU per event), and the produce requests its producers sent per
     * 1,000,000 events: the broker's work goes with the requests more than with the records.
     */
    record Threads(Map<ThreadCpu.Role, Double> microsPerEvent, double requestsPerMillionEvents) {}

    /**
     * A topology's steady rate and CPU per event, and where its CPU went by thread over its whole run; its
     * application id names its threads.
     */
    record Run(String applicationId, GroupProgress.Steady steady, Threads threads) {}

    /** The produce requests this app's producers have sent (the producer metric {@code request-total}). */
    private static double produceRequests(KafkaStreams streams) {
        return KafkaMetrics.sum(
                streams.metrics(), "request-total", n -> n.group().equals("producer-metrics"));
    }

    private static Run steady(KafkaSettings kafka, TopicSettings topics, Measured what, long events) throws Exception {
        String appId = "bench-" + System.nanoTime();
        try (ScratchDirectory state = ScratchDirectory.create("bench-state-")) {
            StreamsAppSettings settings = StreamsAppSettings.defaults(appId, state.path());
            try (KafkaStreams streams = new KafkaStreams(
                    what.topology(topics, settings), settings.streamsProperties(kafka.clientProperties()))) {
                ThreadCpu before = ThreadCpu.now();
                streams.start();
                GroupProgress.Steady steady = GroupProgress.committedSteady(
                        kafka.clientProperties(), appId, topics.epochs, Duration.ofMinutes(10));
                Map<ThreadCpu.Role, Double> micros = new EnumMap<>(ThreadCpu.Role.class);
                ThreadCpu.now().since(before).forEach((role, nanos) -> micros.put(role, nanos / 1000.0 / events));
                return new Run(appId, steady, new Threads(micros, 1e6 * produceRequests(streams) / events));
            }
        }
    }
}
