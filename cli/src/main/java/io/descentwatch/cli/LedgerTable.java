package io.descentwatch.cli;

import static io.descentwatch.events.AlertWording.num;

import io.descentwatch.detection.ChanceMove;
import io.descentwatch.detection.LedgerState;
import io.descentwatch.detection.RunState;
import io.descentwatch.detection.StopRule;
import io.descentwatch.detection.SweepChanceEvidence;
import io.descentwatch.detection.SweepLedger;
import io.descentwatch.detection.SweepState;
import io.descentwatch.detection.ToldChances;
import io.descentwatch.report.LedgerText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The advice ledger as {@code detect --advice} prints it at the end, for a person: per run, where each rule stops,
 * what it keeps and spends; per sweep, the totals and the chance told against what followed. Written to stderr
 * beside the counts, so that stdout stays JSON lines.
 */
final class LedgerTable {

    private LedgerTable() {}

    /**
     * @param sweeps     each sweep's state at the end of the input, for how far its ended runs moved the chance
     * @param sweepPrior {@code --advice-sweep-prior}: 0 when no sweep moves it
     */
    static void print(PrintWriter err, Iterable<RunState> runs, Map<String, SweepState> sweeps, double sweepPrior) {
        Map<String, List<RunState>> bySweep = new LinkedHashMap<>();
        for (RunState r : runs) {
            if (r.ledger().lastEpoch() >= 0) {
                bySweep.computeIfAbsent(r.sweepId(), id -> new ArrayList<>()).add(r);
            }
        }
        err.println("descentwatch detect: advice ledger (each rule stops at its first stop and keeps its lowest test "
                + "loss so far; \"within " + pct(LedgerState.KEPT_TOLERANCE) + "\": of the run's best)");
        for (Map.Entry<String, List<RunState>> sweep : bySweep.entrySet()) {
            err.println("sweep " + sweep.getKey());
            int width = sweep.getValue().stream()
                    .mapToInt(r -> r.runId().length())
                    .max()
                    .orElse(3);
            String row = "  %-" + width + "s  %-16s %-40s %-40s %s%n";
            err.printf(Locale.ROOT, row, "run", "best (epoch)", "patience 3", "patience 10", "advice");
            List<LedgerState> ledgers = new ArrayList<>();
            for (RunState r : sweep.getValue()) {
                LedgerState l = r.ledger();
                ledgers.add(l);
                err.printf(
                        Locale.ROOT,
                        row,
                        r.runId(),
                        num(l.bestTestLoss()) + " (" + l.bestEpoch() + ")",
                        LedgerText.cell(l, StopRule.PATIENCE_3),
                        LedgerText.cell(l, StopRule.PATIENCE_10),
                        LedgerText.cell(l, StopRule.ADVICE));
            }
            SweepLedger totals = SweepLedger.of(ledgers);
            err.printf(
                    Locale.ROOT,
                    "  totals over %d runs (training every run to the end: %d epochs)%n",
                    totals.runs(),
                    totals.epochsSoFar());
            String total = "    %-12s %-13s %-26s %-20s %s%n";
            err.printf(
                    Locale.ROOT,
                    total,
                    "rule",
                    "runs stopped",
                    "epochs spent",
                    "runs kept within " + pct(LedgerState.KEPT_TOLERANCE),
                    "mean excess over the best");
            for (StopRule rule : StopRule.values()) {
                err.printf(
                        Locale.ROOT,
                        total,
                        rule.label(),
                        LedgerText.stopped(totals, rule),
                        LedgerText.spent(totals, rule),
                        LedgerText.kept(totals, rule),
                        LedgerText.meanExcess(totals, rule));
            }
            printChances(err, sweep.getValue());
            SweepState state = sweeps.get(sweep.getKey());
            if (state != null && sweepPrior > 0 && state.chances().told() > 0) {
                SweepChanceEvidence e = state.chances();
                ChanceMove move = e.move(sweepPrior);
                err.printf(
                        Locale.ROOT,
                        "  its ended runs were told %d chances and beat %d: the chance told to a run after them moves"
                                + " by %+.2f in log-odds after a slope of %.2f (0.20, 0.50 and 0.80 would read %.2f,"
                                + " %.2f and %.2f; --advice-sweep-prior %s)%n",
                        e.told(),
                        e.beaten(),
                        move.offset(),
                        move.slope(),
                        move.apply(0.2),
                        move.apply(0.5),
                        move.apply(0.8),
                        sweepPrior);
            }
        }
    }

    /**
     * The chance the sweep's runs were told against what followed, binned: on a trainer the chance was not fitted on,
     * this says what its 0.8 is worth there.
     */
    private static void printChances(PrintWriter err, List<RunState> runs) {
        List<ToldChances.Told> told = new ArrayList<>();
        runs.forEach(r -> told.addAll(r.ledger().toldOutcomes()));
        if (told.isEmpty()) {
            return;
        }
        err.printf(
                Locale.ROOT,
                "  the chance told with the advice against what followed (%d told before a run's last evaluation;"
                        + " beaten: the run went on to beat its best so far by more than %s)%n",
                told.size(),
                pct(LedgerState.KEPT_TOLERANCE));
        String row = "    %-9s %-6s %-12s %-16s %s%n";
        err.printf(Locale.ROOT, row, "chance", "told", "mean chance", "beaten", "gap");
        for (ToldChances.Bin b : ToldChances.bins(told)) {
            err.printf(
                    Locale.ROOT,
                    row,
                    String.format(Locale.ROOT, "%.1f-%.1f", b.lo(), b.hi()),
                    b.told(),
                    String.format(Locale.ROOT, "%.2f", b.meanChance()),
                    b.beaten() + " (" + pct(b.beatenShare()) + ")",
                    String.format(Locale.ROOT, "%+.0f points", b.gapPoints()));
        }
    }

    private static String pct(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.0f%%", 100 * fraction) : "-";
    }
}
