package io.descentwatch.detection;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A run's advice ledger: what patience 3, patience 10 and the stopping advice would have done with it so far, and
 * the run's own best, for telling what each keeps from what it could have kept. Bounded (a few numbers per rule)
 * and computed event by event ({@link StopLedger}), live and offline alike.
 *
 * @param bestEpoch    the epoch of the run's lowest test loss so far, whatever any rule did (-1 before any)
 * @param bestTestLoss that test loss (NaN before any)
 * @param lastEpoch    the run's latest evaluation (-1 before any): what training to the end has spent so far
 */
public record LedgerState(
        long bestEpoch,
        double bestTestLoss,
        long lastEpoch,
        @JsonProperty("patience_3") RuleTrack patience3,
        @JsonProperty("patience_10") RuleTrack patience10,
        RuleTrack advice) {

    /** What counts as keeping the best: within 2% of the run's best test loss (the bench's and issue's measure). */
    public static final double KEPT_TOLERANCE = 0.02;

    public static final LedgerState START =
            new LedgerState(-1, Double.NaN, -1, RuleTrack.START, RuleTrack.START, RuleTrack.START);

    /** Whether {@code rule} keeps a model within {@link #KEPT_TOLERANCE} of the run's best so far. */
    public boolean kept(StopRule rule) {
        return rule.of(this).keepsWithin(bestTestLoss, KEPT_TOLERANCE);
    }
}
