package io.descentwatch.detection;

/**
 * Where the run detector reads how its sweep's ended runs move the chance told to a run ({@link ChanceMove}, learned
 * by {@link SweepChanceEvidence}): the sweep detector's latest for the sweep, in memory offline ({@link
 * DescentDetector}) and from a global store fed by the sweep detector in the Kafka topology. Read only when an advice
 * is made anew, which most evaluations do not.
 */
@FunctionalInterface
public interface SweepChances {

    /** No sweep read: each run's chance is its own curve's, as for the first run of a sweep. */
    SweepChances NONE = sweepId -> ChanceMove.NONE;

    /** The move for the runs of {@code sweepId}; none while none of its runs has ended. */
    ChanceMove move(String sweepId);
}
