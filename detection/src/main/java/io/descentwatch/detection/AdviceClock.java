package io.descentwatch.detection;

/**
 * Where a run is in its training, for the stopping advice: this evaluation's epoch (and its log, computed once per
 * event), and the last epoch the trainer plans (its {@code max_epochs} tag; -1 when it did not say).
 */
record AdviceClock(long epoch, double logEpoch, long maxEpochs) {

    boolean budgeted() {
        return maxEpochs > 0;
    }

    /** Doublings of epochs left before the planned end (infinite when unknown). */
    double doublingsLeft() {
        return budgeted() ? Math.log((1.0 + maxEpochs) / (1.0 + epoch)) / Math.log(2) : Double.POSITIVE_INFINITY;
    }
}
