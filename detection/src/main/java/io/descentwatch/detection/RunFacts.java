package io.descentwatch.detection;

import io.descentwatch.events.EpochEvent;

/**
 * What a run is, as its events state it: its ids and its model's size. The same for every event of a well-behaved
 * run; the detector takes them from the latest event it used.
 *
 * <p>The two ids are neighbours of one type, but nothing builds them from loose strings except {@link #of} and the
 * store codec (whose fixtures hold distinct ids), and every store and topic is keyed by one of them.
 */
public record RunFacts(String runId, String sweepId, RunSize size) {

    public static RunFacts of(EpochEvent event) {
        return new RunFacts(event.runId(), event.sweepId(), RunSize.of(event));
    }
}
