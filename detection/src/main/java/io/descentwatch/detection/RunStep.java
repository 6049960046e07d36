package io.descentwatch.detection;

import io.descentwatch.events.Advice;
import io.descentwatch.events.Alert;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one event for its run: the next state, the alerts it raised, the run's new summary (present only
 * when it changed enough to be worth publishing), whether that summary changes the run's status (its phase,
 * interpolation, divergence, finish, or a first report), and whether the event was used at all (false for
 * duplicates and stale retransmissions, which only bump a counter in the state).
 *
 * <p>{@code adviceChanged} is the run's stopping advice when this event changed it (verdict or basis): what the
 * advice topic carries.
 *
 * <p>The sweep detector decides only on status (interpolation, finished sizes), so only status changes need to
 * reach it; loss-only updates are for the published picture of the run.
 */
public record RunStep(
        RunState state,
        List<Alert> alerts,
        Optional<RunSummary> sweepUpdate,
        boolean statusChanged,
        boolean accepted,
        Optional<Advice> adviceChanged) {

    /** A step that does not change the advice. */
    public RunStep(
            RunState state,
            List<Alert> alerts,
            Optional<RunSummary> sweepUpdate,
            boolean statusChanged,
            boolean accepted) {
        this(state, alerts, sweepUpdate, statusChanged, accepted, Optional.empty());
    }

    /** The summary the sweep detector must hear, if any. */
    public Optional<RunSummary> statusUpdate() {
        return statusChanged ? sweepUpdate : Optional.empty();
    }

    public RunStep {
        alerts = List.copyOf(alerts);
    }
}
