package io.descentwatch.detection;

/**
 * Where a run's test loss is in the double-descent story. Phases only move forward, which is the hysteresis: a run
 * that has been seen rising is not called descending again until its loss is significantly under the peak.
 */
public enum RunPhase {
    /** Falling, or flat: no significant rise over the running minimum yet. */
    DESCENDING,
    /** Significantly above its first minimum: classic overfitting, where early stopping would stop. */
    RISING,
    /** Significantly below the peak that followed the rise. */
    SECOND_DESCENT,
    /** The second descent has gone under the first minimum. */
    BELOW_FIRST_MINIMUM,
    /** NaN, infinite or exploding losses: nothing else is said about this run. */
    DIVERGED
}
