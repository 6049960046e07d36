package io.descentwatch.detection;

import io.descentwatch.events.Alert;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one run summary for its sweep: the next state, the sweep alerts it raised, a notice for the
 * operator when the sweep first went past its cap on model sizes (logged once, not an alert: nothing about the
 * training is wrong), and the move of the chance told to the sweep's runs, when an ended run changed it
 * ({@link SweepChanceEvidence}): what the run detector reads back.
 */
public record SweepStep(
        SweepState state, List<Alert> alerts, Optional<String> notice, Optional<ChanceMove> chanceMove) {

    public SweepStep {
        alerts = List.copyOf(alerts);
    }
}
