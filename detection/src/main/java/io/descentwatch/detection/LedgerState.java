package io.descentwatch.detection;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A run's advice ledger: what patience 3, patience 10 and the stopping advice would have done with it so far, and
 * the run's own best, for telling what each keeps from what it could have kept. Bounded (a few numbers per rule)
 * and computed event by event ({@link StopLedger}), live and offline alike.
 *
 * @param bestEpoch    the epoch of the run's lowest test loss so far, whatever any rule did (-1 before any)
 * @param bestTestLoss that test loss (NaN before any)
 * @param lastEpoch    the run's latest evaluation (-1 before any): what training to the end has spent so far
 * @param told         the chances the run was told with its advice, in order (at most {@link #MOST_TOLD}, the
 *                     latest): what its sweep learns its base rate from once the run has ended ({@link
 *                     SweepChanceEvidence}). Kept in the detector's own formats, not in the runs topic's JSON, which
 *                     readers use for the rules' totals
 */
public record LedgerState(
        long bestEpoch,
        double bestTestLoss,
        long lastEpoch,
        @JsonProperty("patience_3") RuleTrack patience3,
        @JsonProperty("patience_10") RuleTrack patience10,
        RuleTrack advice,
        @JsonIgnore List<ChanceTold> told) {

    /** What counts as keeping the best: within 2% of the run's best test loss (the bench's and issue's measure). */
    public static final double KEPT_TOLERANCE = 0.02;

    /**
     * The most chances a ledger keeps, the latest. An advice is made anew once per advice span (a doubling of epochs)
     * and when its verdict or basis changes: about 8 times a run on the independent trainers; a run told more than
     * this lets its earliest go, which only its sweep's estimate of its base rate misses.
     */
    public static final int MOST_TOLD = 64;

    public static final LedgerState START =
            new LedgerState(-1, Double.NaN, -1, RuleTrack.START, RuleTrack.START, RuleTrack.START, List.of());

    public LedgerState {
        // a reader of the runs topic's JSON gets none; an immutable list is kept as it is
        told = told == null ? List.of() : List.copyOf(told);
    }

    /** Whether {@code rule} keeps a model within {@link #KEPT_TOLERANCE} of the run's best so far. */
    public boolean kept(StopRule rule) {
        return rule.of(this).keepsWithin(bestTestLoss, KEPT_TOLERANCE);
    }

    /**
     * The chances told before the run's latest evaluation, each against what followed it; the latest one told has
     * nothing after it yet. Final once the run has ended.
     */
    public List<ToldChances.Told> toldOutcomes() {
        return outcomes(ChanceTold::chance);
    }

    /** The same, each with the chance the run's own curve gave, before its sweep moved it. */
    public List<ToldChances.Told> ownOutcomes() {
        return outcomes(ChanceTold::ownChance);
    }

    private List<ToldChances.Told> outcomes(ToDoubleFunction<ChanceTold> chance) {
        List<ToldChances.Told> out = new ArrayList<>(told.size());
        for (ChanceTold t : told) {
            if (t.epoch() < lastEpoch) {
                out.add(new ToldChances.Told(chance.applyAsDouble(t), ToldChances.beaten(t.bestThen(), bestTestLoss)));
            }
        }
        return out;
    }

    /** This ledger without the chances told. */
    LedgerState withoutTold() {
        return told.isEmpty()
                ? this
                : new LedgerState(bestEpoch, bestTestLoss, lastEpoch, patience3, patience10, advice, List.of());
    }

    /** {@code told} with {@code next} after it, the earliest let go past {@link #MOST_TOLD}. */
    static List<ChanceTold> toldThen(List<ChanceTold> told, ChanceTold next) {
        List<ChanceTold> more = new ArrayList<>(Math.min(told.size() + 1, MOST_TOLD));
        more.addAll(told.size() < MOST_TOLD ? told : told.subList(told.size() - MOST_TOLD + 1, told.size()));
        more.add(next);
        return List.copyOf(more);
    }
}
