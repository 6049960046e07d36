package io.descentwatch.detection;

import io.descentwatch.events.Advice;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Both detectors wired together with in-memory state: an event goes through its run's detector and, when the sweep
 * should hear about it, through its sweep's, whose offset for the chance told to its runs the run detector reads at
 * the next advice ({@link SweepChances}). The offline {@code detect} command and the tests use this; the Kafka
 * topology does the same with state stores and a repartition by sweep id. Not thread-safe.
 */
public final class DescentDetector {

    private final RunDetector runDetector;
    private final SweepDetector sweepDetector;
    /** In the order runs were first seen, so that the end of the input closes them in a reproducible order. */
    private final Map<String, RunState> runs = new LinkedHashMap<>();

    private final Map<String, SweepState> sweeps = new HashMap<>();
    private final Map<String, InMemorySweepRuns> sweepRuns = new HashMap<>();
    /** Each sweep's move of the chance told to its runs, as its sweep detector last said it. */
    private final Map<String, ChanceMove> chanceMoves = new HashMap<>();
    /** What the operator should hear about, once each (a sweep past its cap on model sizes). */
    private final List<String> notices = new ArrayList<>();

    private long acceptedEvents;
    private long ignoredEvents;
    private long sweepUpdates;

    public DescentDetector(DetectionSettings settings) {
        this.runDetector = new RunDetector(settings);
        this.sweepDetector = new SweepDetector(settings);
    }

    public DescentDetector() {
        this(DetectionSettings.defaults());
    }

    /** The alerts this event raises, run alerts first; none for a duplicate or stale event. */
    public List<Alert> accept(EpochEvent event) {
        return accept(event, advice -> {});
    }

    /**
     * The alerts this event raises, as {@link #accept(EpochEvent)}; a change of the run's stopping advice (what
     * the advice topic carries) goes to {@code adviceChanges} first.
     */
    public List<Alert> accept(EpochEvent event, Consumer<Advice> adviceChanges) {
        RunStep step = runDetector.step(
                runs.get(event.runId()), event, sweepId -> chanceMoves.getOrDefault(sweepId, ChanceMove.NONE));
        runs.put(event.runId(), step.state());
        if (!step.accepted()) {
            ignoredEvents++;
            return List.of();
        }
        acceptedEvents++;
        step.adviceChanged().ifPresent(adviceChanges);
        return withSweep(step);
    }

    /**
     * The input ended: every run still open goes quiet ({@link RunDetector#idle}), so runs that never said
     * {@code final} end, and each sweep decides on what it has. Runs go quiet in the order they were first seen, as
     * they would in the streaming detector when they stop in that order. Returns the alerts this raises.
     */
    public List<Alert> endOfInput() {
        List<Alert> all = new ArrayList<>();
        for (RunState state : List.copyOf(runs.values())) {
            RunStep step = runDetector.idle(state);
            if (step.accepted()) {
                runs.put(state.runId(), step.state());
                all.addAll(withSweep(step));
            }
        }
        return all;
    }

    /** The run step's alerts and, if its status changed, the sweep's. */
    private List<Alert> withSweep(RunStep step) {
        if (step.statusUpdate().isEmpty()) {
            return step.alerts();
        }
        sweepUpdates++;
        // what the sweep detector hears of the run in the topology too
        RunSummary summary = step.statusUpdate().get().forSweep();
        SweepStep sweepStep = sweepDetector.step(
                sweeps.get(summary.sweepId()),
                sweepRuns.computeIfAbsent(summary.sweepId(), id -> new InMemorySweepRuns()),
                summary);
        sweeps.put(summary.sweepId(), sweepStep.state());
        sweepStep.notice().ifPresent(notices::add);
        sweepStep.chanceMove().ifPresent(move -> chanceMoves.put(summary.sweepId(), move));
        if (sweepStep.alerts().isEmpty()) {
            return step.alerts();
        }
        List<Alert> all = new ArrayList<>(step.alerts());
        all.addAll(sweepStep.alerts());
        return all;
    }

    public long acceptedEvents() {
        return acceptedEvents;
    }

    /** Duplicates and stale retransmissions: events at or below the last epoch seen for their run. */
    public long ignoredEvents() {
        return ignoredEvents;
    }

    /** Summaries passed to the sweep detector (the repartition traffic in the Kafka topology). */
    public long sweepUpdates() {
        return sweepUpdates;
    }

    public Map<String, RunState> runs() {
        return Collections.unmodifiableMap(runs);
    }

    public Map<String, SweepState> sweeps() {
        return Collections.unmodifiableMap(sweeps);
    }

    /** Notices for the operator so far, in order (each said once). */
    public List<String> notices() {
        return List.copyOf(notices);
    }
}
