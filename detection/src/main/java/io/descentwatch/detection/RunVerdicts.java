package io.descentwatch.detection;

import io.descentwatch.events.AlertType;
import java.util.Set;

/**
 * What the detector has said about a run: the alerts already fired, the last summary sent to the sweep, the
 * stopping advisor's memory and the stopping ledger.
 *
 * @param fired    the run's alerts so far, each fired once
 * @param reported the last summary sent to the sweep (null before the first)
 * @param advice   the stopping advisor's memory of the run ({@link AdviceState#START} before it advised)
 * @param ledger   what patience 3, patience 10 and the advice would have done with the run so far
 *                 ({@link LedgerState#START} before its first evaluation, or in a store written before the ledger
 *                 existed)
 */
public record RunVerdicts(Set<AlertType> fired, RunSummary reported, AdviceState advice, LedgerState ledger) {

    static final RunVerdicts START = new RunVerdicts(Set.of(), null, AdviceState.START, LedgerState.START);

    public RunVerdicts {
        // Set.copyOf hands back a set that is already unmodifiable: copying a state (as every event does, twice
        // with the advice) costs nothing for it
        fired = fired.isEmpty() ? Set.of() : Set.copyOf(fired);
        advice = advice == null ? AdviceState.START : advice;
        ledger = ledger == null ? LedgerState.START : ledger;
    }

    RunVerdicts withFired(Set<AlertType> next) {
        return new RunVerdicts(next, reported, advice, ledger);
    }

    RunVerdicts withReported(RunSummary next) {
        return new RunVerdicts(fired, next, advice, ledger);
    }

    RunVerdicts withAdvice(AdviceState next) {
        return new RunVerdicts(fired, reported, next, ledger);
    }

    RunVerdicts withLedger(LedgerState next) {
        return new RunVerdicts(fired, reported, advice, next);
    }
}
