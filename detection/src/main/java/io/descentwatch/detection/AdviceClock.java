package io.descentwatch.detection;

/**
 * Where a run is in its training, for the stopping advice: this evaluation's epoch (and its log, computed once per
 * event), the last epoch the trainer plans (its {@code max_epochs} tag) and the last epoch at which its own schedule
 * changes what is fitted (its {@code schedule_end} tag); each -1 when the trainer did not say.
 */
record AdviceClock(long epoch, double logEpoch, long maxEpochs, long scheduleEnd) {

    boolean budgeted() {
        return maxEpochs > 0;
    }

    /** Doublings of epochs left before the planned end (infinite when unknown). */
    double doublingsLeft() {
        return budgeted() ? Math.log((1.0 + maxEpochs) / (1.0 + epoch)) / Math.log(2) : Double.POSITIVE_INFINITY;
    }

    /**
     * Whether the trainer's scheduled changes may not have shown in what the advice reads yet: before the last one,
     * or within {@code settleLogEpochs} (log-epochs) after it.
     */
    boolean scheduleUnsettled(double settleLogEpochs) {
        return scheduleEnd > 0 && logEpoch < LogEpochs.of(scheduleEnd) + settleLogEpochs;
    }
}
