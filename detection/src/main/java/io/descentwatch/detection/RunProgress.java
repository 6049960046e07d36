package io.descentwatch.detection;

import io.descentwatch.events.EpochEvent;
import java.time.Instant;

/**
 * How far a run has got: its latest accepted epoch and time, how many events were used and ignored, and whether it
 * still trains.
 *
 * @param lastEpoch the highest epoch accepted; events at or below it are duplicates or stale (-1 before the first)
 * @param lastTime  the time of the latest accepted event
 * @param events    events used and ignored
 * @param activity  whether the run said final, went quiet, both or neither
 */
public record RunProgress(long lastEpoch, Instant lastTime, EventCounts events, RunActivity activity) {

    /**
     * @param accepted events used
     * @param ignored  duplicates and stale retransmissions ignored
     */
    public record EventCounts(long accepted, long ignored) {
        public static final EventCounts NONE = new EventCounts(0, 0);
    }

    /** Before a run's first event is used. */
    static RunProgress start(Instant firstTime) {
        return new RunProgress(-1, firstTime, EventCounts.NONE, RunActivity.TRAINING);
    }

    /** After the event was used: it is the latest, and the run is no longer quiet. */
    RunProgress after(EpochEvent event) {
        return new RunProgress(
                event.epoch(),
                event.time(),
                new EventCounts(events.accepted() + 1, events.ignored()),
                activity.afterEvent(event.isFinal()));
    }

    /** One more duplicate or stale event ignored. */
    RunProgress withIgnored() {
        return new RunProgress(lastEpoch, lastTime, new EventCounts(events.accepted(), events.ignored() + 1), activity);
    }

    /** The run went quiet. */
    RunProgress quiet() {
        return new RunProgress(lastEpoch, lastTime, events, activity.withIdle(true));
    }
}
