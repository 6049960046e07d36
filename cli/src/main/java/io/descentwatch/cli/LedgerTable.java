package io.descentwatch.cli;

import static io.descentwatch.events.AlertWording.num;

import io.descentwatch.detection.LedgerState;
import io.descentwatch.detection.RunState;
import io.descentwatch.detection.StopRule;
import io.descentwatch.detection.SweepLedger;
import io.descentwatch.report.LedgerText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The advice ledger as {@code detect --advice} prints it at the end, for a person: per run, where each rule stops,
 * what it keeps and spends; per sweep, the totals. Written to stderr beside the counts, so that stdout stays JSON
 * lines.
 */
final class LedgerTable {

    private LedgerTable() {}

    static void print(PrintWriter err, Iterable<RunState> runs) {
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
        }
    }

    private static String pct(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.0f%%", 100 * fraction) : "-";
    }
}
