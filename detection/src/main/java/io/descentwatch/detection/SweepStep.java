package io.descentwatch.detection;

import io.descentwatch.events.Alert;

import java.util.List;

/** The outcome of one run summary for its sweep: the next state and the sweep alerts it raised. */
public record SweepStep(SweepState state, List<Alert> alerts) {

    public SweepStep {
        alerts = List.copyOf(alerts);
    }
}
