package io.descentwatch.detection;

import io.descentwatch.events.Advice;
import io.descentwatch.events.ParameterRatio;

import java.time.Instant;

/**
 * What a sweep needs to hear about one of its runs: its size, where its (smoothed, robust) losses are, and whether it
 * has interpolated, finished or diverged. This is the record the run detector sends to the sweep detector (in Kafka,
 * over the repartition by sweep id) and what the compacted runs topic holds.
 *
 * @param testLoss           smoothed test loss (NaN until a finite value was seen)
 * @param trainLoss          spike-filtered latest train loss (NaN until a finite value was seen)
 * @param interpolationEpoch the first epoch of the evaluations that confirmed interpolation; -1 if not interpolated
 * @param time               time of the run's latest event
 * @param sweepRuns          how many runs the sweep is planned to have (the event tag {@code sweep_runs}); 0 when
 *                           the producer did not say
 * @param idle               the run sent nothing for the detector's idle timeout, or the input it was read from
 *                           ended: it counts as ended for sweep decisions whether or not it said {@code final}, until
 *                           an event brings it back
 * @param advice             the stopping advice in force for the run (null before the first)
 * @param ledger             what patience 3, patience 10 and the advice would have done with the run so far (null
 *                           in a summary from a detector that kept no ledger)
 */
public record RunSummary(
        String runId,
        String sweepId,
        long paramCount,
        long trainSize,
        int outputDim,
        long epoch,
        Instant time,
        double testLoss,
        double trainLoss,
        boolean interpolated,
        long interpolationEpoch,
        boolean finished,
        boolean diverged,
        RunPhase phase,
        int sweepRuns,
        boolean idle,
        Advice advice,
        LedgerState ledger) {

    /** A summary without advice (a run not advised yet, or a sweep's view of one). */
    public RunSummary(String runId, String sweepId, long paramCount, long trainSize, int outputDim, long epoch,
                      Instant time, double testLoss, double trainLoss, boolean interpolated, long interpolationEpoch,
                      boolean finished, boolean diverged, RunPhase phase, int sweepRuns, boolean idle) {
        this(runId, sweepId, paramCount, trainSize, outputDim, epoch, time, testLoss, trainLoss, interpolated,
                interpolationEpoch, finished, diverged, phase, sweepRuns, idle, null, null);
    }

    /** A summary without a ledger (as a detector from before the ledger published it). */
    public RunSummary(String runId, String sweepId, long paramCount, long trainSize, int outputDim, long epoch,
                      Instant time, double testLoss, double trainLoss, boolean interpolated, long interpolationEpoch,
                      boolean finished, boolean diverged, RunPhase phase, int sweepRuns, boolean idle, Advice advice) {
        this(runId, sweepId, paramCount, trainSize, outputDim, epoch, time, testLoss, trainLoss, interpolated,
                interpolationEpoch, finished, diverged, phase, sweepRuns, idle, advice, null);
    }

    /** Ended for sweep decisions: it said so, went quiet, or diverged (a diverged run says nothing more). */
    public boolean ended() {
        return finished || idle || diverged;
    }

    /** Parameters per fitted target value: about 1 at the interpolation threshold. */
    public double pOverN() {
        return ParameterRatio.of(paramCount, trainSize, outputDim);
    }
}
