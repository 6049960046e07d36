package io.descentwatch.report;

import io.descentwatch.detection.LedgerState;
import io.descentwatch.detection.RunPhase;
import io.descentwatch.detection.SweepLedger;
import io.descentwatch.events.Advice;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.ParameterRatio;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a report shows at one moment: every sweep with its runs' curves, and every alert. Immutable; built by
 * {@link ReportBuilder}.
 *
 * @param live whether training is still going on (the HTML page keeps reloading its data while it is)
 */
public record Report(Instant generated, boolean live, List<SweepView> sweeps, List<Alert> alerts) {

    public Report {
        sweeps = List.copyOf(sweeps);
        alerts = List.copyOf(alerts);
    }

    /** One evaluation of a run. Losses may be NaN or infinite where the run diverged. */
    public record Point(long epoch, double trainLoss, double testLoss) {}

    /**
     * One run: its size, its latest evaluation, and its curve (at most a few hundred points, thinned evenly in
     * log-epochs when the run evaluated more often).
     *
     * @param phase  the detector's phase for the run, or null where the report was not told it
     * @param ledger what patience 3, patience 10 and the advice do with the run, or null where the report was not
     *               told it
     */
    public record RunView(
            String runId,
            String sweepId,
            long paramCount,
            long trainSize,
            int outputDim,
            long epoch,
            double trainLoss,
            double testLoss,
            boolean finished,
            RunPhase phase,
            Advice advice,
            LedgerState ledger,
            List<Point> points,
            List<Alert> alerts) {

        public RunView {
            points = List.copyOf(points);
            alerts = List.copyOf(alerts);
        }

        public double pOverN() {
            return ParameterRatio.of(paramCount, trainSize, outputDim);
        }
    }

    /**
     * One sweep: its runs ordered by size (then id) and its sweep-scope alerts.
     *
     * @param version goes up whenever anything the sweep shows changed (a page redraws it only then)
     * @param updated the time of its latest epoch event, or null before any
     */
    public record SweepView(String sweepId, List<RunView> runs, List<Alert> alerts, long version, Instant updated) {

        public SweepView {
            runs = List.copyOf(runs);
            alerts = List.copyOf(alerts);
        }

        public SweepView(String sweepId, List<RunView> runs, List<Alert> alerts) {
            this(sweepId, runs, alerts, 0, null);
        }

        public Optional<Alert> alert(AlertType type) {
            return alerts.stream().filter(a -> a.type() == type).findFirst();
        }

        /** Its runs' advice ledgers added up (runs without a ledger left out). */
        public SweepLedger ledger() {
            return SweepLedger.of(runs.stream()
                    .map(RunView::ledger)
                    .filter(java.util.Objects::nonNull)
                    .toList());
        }

        /** Distinct model sizes: a sweep with several can be drawn against parameter count. */
        public long sizes() {
            return runs.stream().mapToLong(RunView::paramCount).distinct().count();
        }
    }
}
