package io.descentwatch.detection;

import io.descentwatch.events.AlertType;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the sweep detector remembers about one sweep: the latest summary of each run (one entry per run, so the size
 * is the sweep's run count) and the sweep alerts already fired. Immutable.
 */
public record SweepState(String sweepId, Map<String, RunSummary> runs, Set<AlertType> fired) {

    public SweepState {
        runs = Collections.unmodifiableMap(new TreeMap<>(runs));
        fired = fired.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(fired));
    }

    static SweepState start(String sweepId) {
        return new SweepState(sweepId, Map.of(), Set.of());
    }

    public boolean hasFired(AlertType type) {
        return fired.contains(type);
    }
}
