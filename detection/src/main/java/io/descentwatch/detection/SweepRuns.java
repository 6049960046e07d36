package io.descentwatch.detection;

import java.util.function.Consumer;

/**
 * The latest summary of every run of one sweep, kept one entry per run: in memory offline, in a state store keyed
 * by sweep and run in the Kafka topology. The sweep detector reads one entry per update (to take the run's earlier
 * summary out of its size's aggregate) and walks them all only to name the run an alert quotes, so a sweep's cost
 * per update does not grow with its run count.
 */
public interface SweepRuns {

    /** The run's latest summary, or null if the sweep has not heard of it. */
    RunSummary get(String runId);

    void put(RunSummary summary);

    /** Every run of the sweep, in any order. */
    void forEach(Consumer<RunSummary> action);
}
