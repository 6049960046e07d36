package io.descentwatch.detection;

import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;

import java.time.Instant;
import java.util.Set;

/**
 * Everything the run detector remembers about one run, in bounded space whatever the run's length: the smoothed
 * series (a few recent raw values each), the landmarks of the curve, confirmation counters, the alerts already
 * fired and the last summary sent to the sweep. Immutable; each event produces a new one.
 *
 * @param lastEpoch          the highest epoch accepted; events at or below it are duplicates or stale
 * @param acceptedEvents     events used
 * @param ignoredEvents      duplicates and stale retransmissions ignored
 * @param firstTrainLoss     the run's first finite train loss (NaN before): the scale for interpolation and
 *                           divergence
 * @param minimum            lowest smoothed test loss before the rise; after it, the first minimum (null before the
 *                           first finite test loss)
 * @param peak               highest smoothed test loss since the rise (null before a rise)
 * @param low                lowest smoothed test loss since the second descent (null before it)
 * @param interpolationEpoch first epoch of the evaluations that confirmed interpolation; -1 if not interpolated
 * @param finished           the run said {@code final}
 * @param idle               the run went quiet (no event for the idle timeout, or the end of the input): ended for
 *                           sweep decisions until its next event
 * @param reported           the last summary sent to the sweep (null before the first)
 * @param advice             the stopping advisor's memory of the run ({@link AdviceState#START} before it advised)
 * @param ledger             what patience 3, patience 10 and the advice would have done with the run so far
 *                           ({@link LedgerState#START} before its first evaluation, or in a store written before the
 *                           ledger existed)
 */
public record RunState(
        String runId,
        String sweepId,
        long paramCount,
        long trainSize,
        int outputDim,
        long lastEpoch,
        Instant lastTime,
        long acceptedEvents,
        long ignoredEvents,
        RunPhase phase,
        SmoothedSeries test,
        SmoothedSeries train,
        double firstTrainLoss,
        Landmark minimum,
        Landmark peak,
        Landmark low,
        Streaks streaks,
        long interpolationEpoch,
        boolean finished,
        boolean idle,
        Set<AlertType> fired,
        RunSummary reported,
        AdviceState advice,
        LedgerState ledger) {

    /**
     * Consecutive evaluations for which each condition has held: the current phase's exit condition (since which
     * log-epoch), the train loss being fitted (since which epoch) and the losses diverging.
     */
    public record Streaks(int held, double heldSince, int fit, long fitStart, int diverge) {
        public static final Streaks NONE = new Streaks(0, 0, 0, -1, 0);
    }

    public RunState {
        // Set.copyOf hands back a set that is already unmodifiable: copying a state (as every event does, twice
        // with the advice) costs nothing for it
        fired = fired.isEmpty() ? Set.of() : Set.copyOf(fired);
        advice = advice == null ? AdviceState.START : advice;
        ledger = ledger == null ? LedgerState.START : ledger;
    }

    /** A state whose ledger starts afresh (as for a store written before the ledger existed). */
    public RunState(String runId, String sweepId, long paramCount, long trainSize, int outputDim, long lastEpoch,
                    Instant lastTime, long acceptedEvents, long ignoredEvents, RunPhase phase, SmoothedSeries test,
                    SmoothedSeries train, double firstTrainLoss, Landmark minimum, Landmark peak, Landmark low,
                    Streaks streaks, long interpolationEpoch, boolean finished, boolean idle, Set<AlertType> fired,
                    RunSummary reported, AdviceState advice) {
        this(runId, sweepId, paramCount, trainSize, outputDim, lastEpoch, lastTime, acceptedEvents, ignoredEvents,
                phase, test, train, firstTrainLoss, minimum, peak, low, streaks, interpolationEpoch, finished, idle,
                fired, reported, advice, LedgerState.START);
    }

    /** A state whose advisor starts afresh (as for a store written before the advice existed). */
    public RunState(String runId, String sweepId, long paramCount, long trainSize, int outputDim, long lastEpoch,
                    Instant lastTime, long acceptedEvents, long ignoredEvents, RunPhase phase, SmoothedSeries test,
                    SmoothedSeries train, double firstTrainLoss, Landmark minimum, Landmark peak, Landmark low,
                    Streaks streaks, long interpolationEpoch, boolean finished, boolean idle, Set<AlertType> fired,
                    RunSummary reported) {
        this(runId, sweepId, paramCount, trainSize, outputDim, lastEpoch, lastTime, acceptedEvents, ignoredEvents,
                phase, test, train, firstTrainLoss, minimum, peak, low, streaks, interpolationEpoch, finished, idle,
                fired, reported, AdviceState.START, LedgerState.START);
    }

    static RunState start(EpochEvent first) {
        return new RunState(first.runId(), first.sweepId(), first.paramCount(), first.trainSize(),
                first.outputDim(), -1, first.time(), 0, 0, RunPhase.DESCENDING, SmoothedSeries.EMPTY,
                SmoothedSeries.EMPTY, Double.NaN, null, null, null, Streaks.NONE, -1, false, false, Set.of(), null,
                AdviceState.START, LedgerState.START);
    }

    public boolean interpolated() {
        return interpolationEpoch >= 0;
    }

    public boolean diverged() {
        return phase == RunPhase.DIVERGED;
    }

    public boolean hasFired(AlertType type) {
        return fired.contains(type);
    }

    RunState withIgnored() {
        return new RunState(runId, sweepId, paramCount, trainSize, outputDim, lastEpoch, lastTime, acceptedEvents,
                ignoredEvents + 1, phase, test, train, firstTrainLoss, minimum, peak, low, streaks,
                interpolationEpoch, finished, idle, fired, reported, advice, ledger);
    }

    RunState withReported(RunSummary summary) {
        return new RunState(runId, sweepId, paramCount, trainSize, outputDim, lastEpoch, lastTime, acceptedEvents,
                ignoredEvents, phase, test, train, firstTrainLoss, minimum, peak, low, streaks, interpolationEpoch,
                finished, idle, fired, summary, advice, ledger);
    }

    RunState withAdvice(AdviceState next) {
        return new RunState(runId, sweepId, paramCount, trainSize, outputDim, lastEpoch, lastTime, acceptedEvents,
                ignoredEvents, phase, test, train, firstTrainLoss, minimum, peak, low, streaks, interpolationEpoch,
                finished, idle, fired, reported, next, ledger);
    }

    RunState withLedger(LedgerState next) {
        return new RunState(runId, sweepId, paramCount, trainSize, outputDim, lastEpoch, lastTime, acceptedEvents,
                ignoredEvents, phase, test, train, firstTrainLoss, minimum, peak, low, streaks, interpolationEpoch,
                finished, idle, fired, reported, advice, next);
    }
}
