package io.descentwatch.bench;

import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.serve.Serve;
import io.descentwatch.serve.ServeSettings;
import io.descentwatch.streams.detector.StreamsAppSettings;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sweeps sent live through a real {@code serve} (in this JVM, as {@code ./descentwatch serve} runs it, on free
 * loopback ports and a fresh data directory), as trainers DescentWatch did not write send them, many at once as a
 * lab's would be; the sweep alerts read back from {@code /api/alerts} as they appear, and each sweep's live verdicts,
 * once {@code /api/sweeps} says it is complete, set beside the offline detector's on the same events.
 *
 * <p>The time a peak took is counted from the <em>deciding event</em>: the latest of the ending events of the runs
 * of the true peak's size and of the best size on each side. A run ends with its {@code final} event when it sends
 * one; otherwise when the detector can first know it went quiet, its last event plus the run idle timeout.
 */
final class SweepLiveBench {

    /** After the last sweep is complete, how long late alerts may take to show. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    /** What the benchmark sends, and how long it waits. */
    record Settings(
            int sweepsPerCase,
            int noiseSweepsPerCase,
            int evaluations,
            Duration evaluationGap,
            Duration stagger,
            Duration runIdleTimeout,
            Duration timeout,
            Duration pollInterval,
            long seed) {}

    /** The figures of one case. */
    record Row(
            LiveSweep.Case kase,
            int sweeps,
            int livePeaks,
            int atTrueSize,
            int withinOneSize,
            List<Double> secondsToPeak,
            List<Double> secondsToTopic,
            int complete,
            int agree,
            int offlinePeaks) {}

    /** Every case's figures, and what the run took. */
    record Result(
            List<Row> rows,
            int sweeps,
            int runs,
            long events,
            double sendingSeconds,
            double totalSeconds,
            int alerts,
            int alertsBytes,
            List<String> disagreements,
            List<String> details) {}

    /** The cases, in the order of the table. */
    static List<LiveSweep.Case> cases(int sweepsPerCase, int noiseSweepsPerCase) {
        List<LiveSweep.Case> cases = new ArrayList<>();
        if (sweepsPerCase > 0) {
            for (int seeds : new int[] {1, 3}) {
                for (LiveSweep.Grid grid : new LiveSweep.Grid[] {LiveSweep.Grid.COARSE, LiveSweep.Grid.FINE}) {
                    for (boolean sendsFinal : new boolean[] {true, false}) {
                        cases.add(
                                new LiveSweep.Case(LiveSweep.Kind.PEAK, seeds, grid, sendsFinal, LiveSweep.PEAK_NOISE));
                    }
                }
            }
            for (LiveSweep.Grid grid : new LiveSweep.Grid[] {LiveSweep.Grid.COARSE, LiveSweep.Grid.FINE}) {
                for (boolean sendsFinal : new boolean[] {true, false}) {
                    cases.add(new LiveSweep.Case(LiveSweep.Kind.BUMP, 1, grid, sendsFinal, LiveSweep.PEAK_NOISE));
                }
            }
        }
        if (noiseSweepsPerCase > 0) {
            cases.add(new LiveSweep.Case(LiveSweep.Kind.NOISE, 1, LiveSweep.Grid.JITTERED, null, 0.05));
            for (double noise : new double[] {0.03, 0.05, 0.10, 0.15}) {
                cases.add(new LiveSweep.Case(LiveSweep.Kind.NOISE, 3, LiveSweep.Grid.JITTERED, null, noise));
            }
        }
        return cases;
    }

    private SweepLiveBench() {}

    static Result run(Settings s, DetectionSettings detection, StreamsAppSettings app, PrintWriter progress)
            throws Exception {
        long begun = System.nanoTime();
        List<LiveSweep.Case> cases = cases(s.sweepsPerCase(), s.noiseSweepsPerCase());
        List<LiveSweep> sweeps = new ArrayList<>();
        List<Integer> caseOf = new ArrayList<>();
        sweeps(cases, s, sweeps, caseOf);
        SendSchedule schedule = new SendSchedule(sweeps, s);
        long totalEvents = schedule.events();
        int totalRuns = sweeps.stream().mapToInt(w -> w.runs.size()).sum();
        progress.printf(
                Locale.ROOT,
                "sweep-live: %d sweeps, %,d runs, %,d events; starting serve%n",
                sweeps.size(),
                totalRuns,
                totalEvents);
        progress.flush();

        double sendingSeconds;
        ServeApiPoller poller;
        AlertTopicTimes topic;
        int alertsCount;
        int alertsBytes;
        try (ScratchDirectory data = ScratchDirectory.create("bench-sweep-live-")) {
            ServeSettings settings = LocalServe.settings(data);
            try (Serve serve = new Serve(
                    settings,
                    detection,
                    TopicSettings.defaults(),
                    app,
                    new PrintWriter(Writer.nullWriter()),
                    Clock.systemUTC())) {
                poller = new ServeApiPoller("http://" + serve.httpAt(), s.pollInterval());
                Thread polling = new Thread(poller, "sweep-live-poller");
                polling.setDaemon(true);
                polling.start();
                topic = new AlertTopicTimes(serve.kafka().clientProperties());
                Thread following = new Thread(topic, "sweep-live-alerts");
                following.setDaemon(true);
                following.start();
                try {
                    long sendingStart = System.nanoTime();
                    schedule.send(serve, poller, progress);
                    sendingSeconds = (System.nanoTime() - sendingStart) / 1e9;
                    awaitComplete(sweeps, poller, s, progress, begun);
                    poller.pollAlertsNow();
                } finally {
                    poller.stop();
                    topic.stop();
                    polling.join(10_000);
                    following.join(10_000);
                }
                alertsCount = poller.lastAlertsCount;
                alertsBytes = poller.lastAlertsBytes;
            }
        }

        // offline: the `detect` logic on each sweep's events as sent, to the end of the input
        LiveVerdicts.Scored scored =
                new LiveVerdicts(schedule, poller, topic, detection, s.runIdleTimeout()).score(cases, sweeps, caseOf);
        return new Result(
                scored.rows(),
                sweeps.size(),
                totalRuns,
                totalEvents,
                sendingSeconds,
                (System.nanoTime() - begun) / 1e9,
                alertsCount,
                alertsBytes,
                scored.disagreements(),
                scored.details());
    }

    /** Each case's sweeps, into {@code sweeps}, with the place of each one's case in {@code caseOf}. */
    private static void sweeps(List<LiveSweep.Case> cases, Settings s, List<LiveSweep> sweeps, List<Integer> caseOf) {
        long runTag = System.currentTimeMillis() % 100_000;
        for (int c = 0; c < cases.size(); c++) {
            LiveSweep.Case k = cases.get(c);
            int count = k.kind() == LiveSweep.Kind.NOISE ? s.noiseSweepsPerCase() : s.sweepsPerCase();
            for (int i = 0; i < count; i++) {
                String id = String.format(
                        Locale.ROOT,
                        "live%d/%s-%ds-%s-%s-%.0f/%d",
                        runTag,
                        k.kind().name().toLowerCase(Locale.ROOT),
                        k.seeds(),
                        k.grid().name().toLowerCase(Locale.ROOT),
                        k.sendsFinal() == null ? "alt" : k.sendsFinal() ? "final" : "nofinal",
                        100 * k.noise(),
                        i);
                sweeps.add(new LiveSweep(id, k, i, s.evaluations(), s.seed() * 1_000_003L + c * 10_007L + i));
                caseOf.add(c);
            }
        }
    }

    /** Waits until every sweep is complete on {@code /api/sweeps} (then a grace for late alerts), or the timeout. */
    private static void awaitComplete(
            List<LiveSweep> sweeps, ServeApiPoller poller, Settings s, PrintWriter progress, long begun)
            throws InterruptedException {
        long deadline = System.nanoTime() + s.runIdleTimeout().plus(s.timeout()).toNanos();
        long nextProgress = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long complete = sweeps.stream()
                    .filter(w -> poller.completeAt.containsKey(w.sweepId))
                    .count();
            if (System.nanoTime() >= nextProgress) {
                progress.printf(
                        Locale.ROOT,
                        "sweep-live: %3.0f s, all sent; waiting for sweeps to complete "
                                + "(run idle timeout %s); %s%n",
                        (System.nanoTime() - begun) / 1e9,
                        s.runIdleTimeout(),
                        poller.summary());
                progress.flush();
                nextProgress += PROGRESS_EVERY.toNanos();
            }
            if (complete == sweeps.size()) {
                Thread.sleep(GRACE.toMillis());
                return;
            }
            Thread.sleep(200);
        }
        progress.printf(Locale.ROOT, "sweep-live: timed out; %s%n", poller.summary());
        progress.flush();
    }
}
