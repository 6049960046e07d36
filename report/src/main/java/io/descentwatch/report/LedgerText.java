package io.descentwatch.report;

import static io.descentwatch.events.AlertWording.num;

import io.descentwatch.detection.LedgerState;
import io.descentwatch.detection.RuleTrack;
import io.descentwatch.detection.StopRule;
import io.descentwatch.detection.SweepLedger;
import java.util.Locale;

/**
 * The advice ledger in words, the same on the page, in the report and in {@code detect --advice}: one cell per
 * rule and run, one line of totals per rule and sweep.
 */
public final class LedgerText {

    private LedgerText() {}

    /**
     * One rule on one run: where it stops (or that it is still training), what it keeps and how that compares with
     * the run's best so far, e.g. {@code stop 38, keeps 1.18 @32 (+293%)} or
     * {@code training, keeps 0.301 @19953 (within 2%)}.
     */
    public static String cell(LedgerState l, StopRule rule) {
        RuleTrack t = rule.of(l);
        String where = t.stopped() ? "stop " + t.stopEpoch() : "training";
        if (t.keptEpoch() < 0) {
            return where;
        }
        double excess = t.excessOver(l.bestTestLoss());
        String versus = l.kept(rule)
                ? "within " + percent(LedgerState.KEPT_TOLERANCE)
                : Double.isFinite(excess) ? "+" + percent(excess) : "?";
        return where + ", keeps " + num(t.keptTestLoss()) + " @" + t.keptEpoch() + " (" + versus + ")";
    }

    /** Runs it has stopped, of the sweep's: {@code 2 of 3}. */
    public static String stopped(SweepLedger s, StopRule rule) {
        return s.of(rule).stopped() + " of " + s.runs();
    }

    /**
     * Epochs it spends, of what training every run to the end spends: {@code 94 of 40000 (0.24%)} (two decimals
     * under 1%, where early stopping's shares are).
     */
    public static String spent(SweepLedger s, StopRule rule) {
        long spent = s.of(rule).epochsSpent();
        if (s.epochsSoFar() == 0) {
            return String.valueOf(spent);
        }
        double share = 100.0 * spent / s.epochsSoFar();
        return spent + " of " + s.epochsSoFar()
                + String.format(Locale.ROOT, share < 1 ? " (%.2f%%)" : " (%.1f%%)", share);
    }

    /** Runs where it keeps a model within 2% of the run's best so far: {@code 1 of 3}. */
    public static String kept(SweepLedger s, StopRule rule) {
        return s.of(rule).kept() + " of " + s.runs();
    }

    /** Mean relative excess of what it keeps over the run's best: {@code +120%}, or {@code -} without a figure. */
    public static String meanExcess(SweepLedger s, StopRule rule) {
        double e = s.of(rule).meanExcess();
        return Double.isFinite(e) ? "+" + percent(e) : "-";
    }

    private static String percent(double fraction) {
        double p = 100 * fraction;
        return p < 10 && p != Math.rint(p)
                ? String.format(Locale.ROOT, "%.1f%%", p)
                : String.format(Locale.ROOT, "%.0f%%", p);
    }
}
