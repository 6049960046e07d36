package io.descentwatch.detection;

import io.descentwatch.events.Alert;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one event for its run: the next state, the alerts it raised, what the sweep should hear (present
 * only when that changed enough to matter), and whether the event was used at all (false for duplicates and stale
 * retransmissions, which only bump a counter in the state).
 */
public record RunStep(RunState state, List<Alert> alerts, Optional<RunSummary> sweepUpdate, boolean accepted) {

    public RunStep {
        alerts = List.copyOf(alerts);
    }
}
