package io.descentwatch.detection;

import io.descentwatch.events.Advice;
import java.time.Instant;

/**
 * What a sweep needs to hear about one of its runs: its size, where its (smoothed, robust) losses are, and whether it
 * has interpolated, finished or diverged. This is the record the run detector sends to the sweep detector (in Kafka,
 * over the repartition by sweep id) and what the compacted runs topic holds (flat, as {@link RunSummaryJson} lays
 * it out). Ordered so that no two neighbours share a type.
 *
 * @param run                the run's ids and model size
 * @param epoch              the run's latest epoch
 * @param time               time of the run's latest event
 * @param phase              where the run's test-loss curve is; {@link RunPhase#DIVERGED} once it diverged
 * @param testLoss           smoothed test loss (NaN until a finite value was seen)
 * @param interpolationEpoch the first epoch of the evaluations that confirmed interpolation; -1 if not interpolated
 * @param trainLoss          spike-filtered latest train loss (NaN until a finite value was seen)
 * @param activity           whether the run said {@code final}, and whether it went quiet: sent nothing for the
 *                           detector's idle timeout, or the input it was read from ended (it counts as ended for
 *                           sweep decisions whether or not it said {@code final}, until an event brings it back)
 * @param sweepRuns          how many runs the sweep is planned to have (the event tag {@code sweep_runs}); 0 when
 *                           the producer did not say
 * @param advice             the stopping advice in force for the run (null before the first)
 * @param ledger             what patience 3, patience 10 and the advice would have done with the run so far (null
 *                           in a summary from a detector that kept no ledger)
 */
public record RunSummary(
        RunFacts run,
        long epoch,
        Instant time,
        RunPhase phase,
        double testLoss,
        long interpolationEpoch,
        double trainLoss,
        RunActivity activity,
        int sweepRuns,
        Advice advice,
        LedgerState ledger) {

    public String runId() {
        return run.runId();
    }

    public String sweepId() {
        return run.sweepId();
    }

    public long paramCount() {
        return run.size().paramCount();
    }

    public long trainSize() {
        return run.size().trainSize();
    }

    public int outputDim() {
        return run.size().outputDim();
    }

    public boolean interpolated() {
        return interpolationEpoch >= 0;
    }

    public boolean diverged() {
        return phase == RunPhase.DIVERGED;
    }

    /** The run said {@code final}. */
    public boolean finished() {
        return activity.finished();
    }

    /** The run went quiet. */
    public boolean idle() {
        return activity.idle();
    }

    /** Ended for sweep decisions: it said so, went quiet, or diverged (a diverged run says nothing more). */
    public boolean ended() {
        return finished() || idle() || diverged();
    }

    /** Parameters per fitted target value: about 1 at the interpolation threshold. */
    public double pOverN() {
        return run.size().pOverN();
    }

    /** This summary with another activity (as when the run goes quiet). */
    public RunSummary withActivity(RunActivity next) {
        return new RunSummary(
                run, epoch, time, phase, testLoss, interpolationEpoch, trainLoss, next, sweepRuns, advice, ledger);
    }

    /**
     * What the sweep detector reads of this summary: no advice (no sweep decision reads it, and its reason was half
     * the bytes of each summary crossing over), and the chances the run was told only once it has ended, the only
     * time they count ({@link SweepState}).
     */
    public RunSummary forSweep() {
        LedgerState kept = ledger == null || ended() ? ledger : ledger.withoutTold();
        return new RunSummary(
                run, epoch, time, phase, testLoss, interpolationEpoch, trainLoss, activity, sweepRuns, null, kept);
    }

    /** This summary with another advice in force. */
    public RunSummary withAdvice(Advice next) {
        return new RunSummary(
                run, epoch, time, phase, testLoss, interpolationEpoch, trainLoss, activity, sweepRuns, next, ledger);
    }
}
