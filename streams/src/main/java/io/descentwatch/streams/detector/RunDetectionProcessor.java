package io.descentwatch.streams.detector;

import io.descentwatch.detection.ChanceMove;
import io.descentwatch.detection.RunDetector;
import io.descentwatch.detection.RunState;
import io.descentwatch.detection.RunStep;
import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.SweepChances;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Runs the per-run detector on each event, with the run's state in a persistent store keyed by run id.
 *
 * <p>Alerts, advice changes and status changes (which the sweep detector decides on) go out at once, as does a
 * run's last summary. A summary that only moves the run's smoothed losses or its advice waits for the next summary
 * interval and is replaced by any later one of the same run: the runs topic is compacted, so only the latest
 * counts, and a replay or a fast run would otherwise publish a summary for a third of its events, which cost more
 * than detecting. A new advice is acted on from the advice topic (trainers, the live page, subscribers), which has
 * each change at once; sending its summary at once too made a quarter of the runs topic's records, for the same
 * advice a second time (measured in docs/benchmarks.md).
 *
 * <p>An advice made anew has its chance moved by what the run's sweep's ended runs showed of its base rate and
 * sharpness: the sweep detector's latest move for the sweep, read from a global store of the sweep chances topic.
 * Live, an ended run's move reaches the other runs' advice once its transaction commits (within about a commit
 * interval); offline it is there at the next event.
 *
 * <p>Runs that stop without saying so end by the wall clock: the time each run was last heard from is kept in a
 * store of its own (so a restart keeps it, and it holds only runs not yet quiet), and a wall-clock punctuation
 * hands every run silent for the idle timeout to {@link RunDetector#idle}, whose status change reaches the sweep
 * detector like any other. A run that said final goes quiet the same way after the shorter sweep quiet time, so
 * that a sweep whose runs all said final is complete within seconds of its last run.
 */
final class RunDetectionProcessor implements Processor<String, EpochEvent, String, DetectorOutput> {

    private final RunDetector detector;
    private final String storeName;
    private final Duration summaryInterval;
    private final String activityStoreName;
    private final Duration idleTimeout;
    private final Duration finishedQuiet;
    private final long writeEveryMs;
    private final Map<String, Record<String, DetectorOutput>> waiting = new LinkedHashMap<>();
    /**
     * When each run was last heard from, and when that was last written to the activity store. Writing every
     * event's time cost more than a detector step (the store's cache serialises key and value on every put, and
     * each commit wrote every active run to RocksDB and the changelog), though only a restart ever reads it back:
     * so the store is written once per idle check interval per run, and the idle check reads the time from here.
     * After a restart a run may be ended up to one check interval early, the resolution the checks have anyway.
     */
    private final Map<String, Heard> heard = new HashMap<>();

    private final String sweepChanceStoreName;

    private ProcessorContext<String, DetectorOutput> context;
    private KeyValueStore<String, RunState> store;
    private KeyValueStore<String, Long> lastHeard;
    /** Each sweep's move of the chance told to its runs, as its sweep detector last said it (a global store). */
    private SweepChances sweepChances;

    RunDetectionProcessor(
            RunDetector detector,
            String storeName,
            Duration summaryInterval,
            String activityStoreName,
            Duration idleTimeout,
            Duration finishedQuiet,
            String sweepChanceStoreName) {
        this.detector = detector;
        this.sweepChanceStoreName = sweepChanceStoreName;
        this.storeName = storeName;
        this.summaryInterval = summaryInterval;
        this.activityStoreName = activityStoreName;
        this.idleTimeout = idleTimeout;
        this.finishedQuiet = finishedQuiet.compareTo(idleTimeout) < 0 ? finishedQuiet : idleTimeout;
        this.writeEveryMs = idleCheckInterval().toMillis();
    }

    /** Idle runs are noticed within this share of the timeout (and at least every minute). */
    private static final int IDLE_CHECKS_PER_TIMEOUT = 10;

    private static final Duration LONGEST_IDLE_CHECK = Duration.ofMinutes(1);

    /** Runs that said final are checked as often as the shorter quiet time needs. */
    private Duration idleCheckInterval() {
        Duration share = finishedQuiet.dividedBy(IDLE_CHECKS_PER_TIMEOUT);
        Duration atLeastOneMs = share.isZero() ? Duration.ofMillis(1) : share;
        return atLeastOneMs.compareTo(LONGEST_IDLE_CHECK) > 0 ? LONGEST_IDLE_CHECK : atLeastOneMs;
    }

    @Override
    public void init(ProcessorContext<String, DetectorOutput> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.lastHeard = context.getStateStore(activityStoreName);
        KeyValueStore<String, ChanceMove> moves = context.getStateStore(sweepChanceStoreName);
        this.sweepChances = sweepId -> {
            ChanceMove move = moves.get(sweepId);
            return move == null ? ChanceMove.NONE : move;
        };
        waiting.clear();
        heard.clear();
        context.schedule(summaryInterval, PunctuationType.WALL_CLOCK_TIME, now -> publishWaiting());
        context.schedule(idleCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::endIdleRuns);
    }

    @Override
    public void process(Record<String, EpochEvent> record) {
        EpochEvent event = record.value();
        String runId = event.runId();
        RunStep step = detector.step(store.get(runId), event, sweepChances);
        store.put(runId, step.state());
        noteHeard(runId, context.currentSystemTimeMs());
        forward(record.withKey(runId), step);
    }

    private void noteHeard(String runId, long now) {
        Heard h = heard.get(runId);
        if (h == null) {
            heard.put(runId, new Heard(now, now));
            lastHeard.put(runId, now);
        } else {
            h.at = now;
            if (now - h.written >= writeEveryMs) {
                h.written = now;
                lastHeard.put(runId, now);
            }
        }
    }

    /** When a run was last heard from (in memory) and when that was last written to the store. */
    private static final class Heard {
        long at;
        long written;

        Heard(long at, long written) {
            this.at = at;
            this.written = written;
        }
    }

    private void forward(Record<String, ?> at, RunStep step) {
        String runId = at.key();
        for (Alert alert : step.alerts()) {
            context.forward(at.withValue(new DetectorOutput.AlertRaised(alert)));
        }
        step.adviceChanged()
                .ifPresent(advice -> context.forward(at.withValue(new DetectorOutput.AdviceChanged(advice))));
        if (step.sweepUpdate().isEmpty()) {
            return;
        }
        RunSummary summary = step.sweepUpdate().get();
        Record<String, DetectorOutput> changed =
                at.withValue(new DetectorOutput.RunChanged(summary, step.statusChanged()));
        if (step.statusChanged() || summary.finished()) {
            waiting.remove(runId);
            context.forward(changed);
        } else {
            waiting.put(runId, changed);
        }
    }

    /**
     * Ends the runs silent for the idle timeout, and those that said final and were silent for the sweep quiet time:
     * a run that said final sends nothing more, and once its sweep has heard nothing new for that long no more runs
     * are coming either. Only runs silent past the shorter time have their state read.
     */
    private void endIdleRuns(long now) {
        Map<String, Long> quiet = new LinkedHashMap<>();
        try (KeyValueIterator<String, Long> stored = lastHeard.all()) {
            stored.forEachRemaining(kv -> {
                Heard h = heard.get(kv.key);
                long at = h == null ? kv.value : Math.max(h.at, kv.value);
                if (now - at >= finishedQuiet.toMillis()) {
                    quiet.put(kv.key, at);
                }
            });
        }
        for (Map.Entry<String, Long> silent : quiet.entrySet()) {
            String runId = silent.getKey();
            RunState state = store.get(runId);
            boolean idle = now - silent.getValue() >= idleTimeout.toMillis();
            if (state != null && !idle && !state.finished()) {
                continue; // still training, only evaluating less often than the sweep quiet time
            }
            lastHeard.delete(runId);
            heard.remove(runId);
            if (state == null) {
                continue;
            }
            RunStep step = detector.idle(state);
            if (step.accepted()) {
                store.put(runId, step.state());
                forward(new Record<>(runId, null, now), step);
            }
        }
    }

    private void publishWaiting() {
        waiting.values().forEach(context::forward);
        waiting.clear();
    }

    @Override
    public void close() {
        waiting.clear();
    }
}
