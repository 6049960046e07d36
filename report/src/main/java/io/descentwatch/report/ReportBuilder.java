package io.descentwatch.report;

import io.descentwatch.detection.LedgerState;
import io.descentwatch.events.Advice;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.EpochEvent;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Gathers what a report shows from epoch events and alerts as they arrive, in any order and from any thread. Like
 * the detector it ignores duplicate and stale events (epoch at or below the last one of the run), and it keeps
 * each alert once (by id), so a replayed or re-consumed stream draws the same report.
 */
public final class ReportBuilder {

    /** Enough points for a smooth curve at any screen width; more only cost the browser. */
    public static final int DEFAULT_POINTS_PER_RUN = 400;

    private final Clock clock;
    private final int pointsPerRun;
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private final Map<String, String> phases = new HashMap<>();
    private final Map<String, Advice> advice = new HashMap<>();
    private final Map<String, LedgerState> ledgers = new HashMap<>();

    public ReportBuilder(Clock clock, int pointsPerRun) {
        if (pointsPerRun < 2) {
            throw new IllegalArgumentException("pointsPerRun must be at least 2");
        }
        this.clock = clock;
        this.pointsPerRun = pointsPerRun;
    }

    public ReportBuilder() {
        this(Clock.systemUTC(), DEFAULT_POINTS_PER_RUN);
    }

    /** Adds an evaluation; false when it is a duplicate or stale one. */
    public synchronized boolean accept(EpochEvent e) {
        Run run = runs.computeIfAbsent(e.runId(), id -> new Run(e));
        if (e.epoch() <= run.lastEpoch) {
            return false;
        }
        run.add(e);
        return true;
    }

    /** Adds an alert; false when an alert with its id was already added. */
    public synchronized boolean accept(Alert a) {
        return alerts.putIfAbsent(a.alertId(), a) == null;
    }

    /** The detector's current phase of a run (from the runs topic), shown beside its latest losses. */
    public synchronized void phase(String runId, String phase) {
        phases.put(runId, phase);
    }

    /**
     * The stopping advice in force for a run (from the runs topic's summary), shown beside its phase; an advice
     * given at an earlier epoch than the one held (a re-read older summary) does not replace it.
     */
    public synchronized void advice(Advice a) {
        advice.merge(a.runId(), a, (held, next) -> next.epoch() >= held.epoch() ? next : held);
    }

    /**
     * A run's advice ledger (from the runs topic's summary, or the offline detector's state); one from an earlier
     * evaluation than the one held (a re-read older summary) does not replace it.
     */
    public synchronized void ledger(String runId, LedgerState l) {
        ledgers.merge(runId, l, (held, next) -> next.lastEpoch() >= held.lastEpoch() ? next : held);
    }

    public synchronized Report snapshot(boolean live) {
        Map<String, List<Alert>> runAlerts = new HashMap<>();
        Map<String, List<Alert>> sweepAlerts = new TreeMap<>();
        List<Alert> all = new ArrayList<>(alerts.values());
        all.sort(Comparator.comparing(Alert::time).thenComparing(a -> a.type().ordinal()));
        for (Alert a : all) {
            if (a.scope() == AlertScope.RUN) {
                runAlerts.computeIfAbsent(a.runId(), k -> new ArrayList<>()).add(a);
            } else {
                sweepAlerts.computeIfAbsent(a.sweepId(), k -> new ArrayList<>()).add(a);
            }
        }
        Map<String, List<Report.RunView>> bySweep = new TreeMap<>();
        for (Run r : runs.values()) {
            bySweep.computeIfAbsent(r.sweepId, k -> new ArrayList<>())
                    .add(r.view(phases.get(r.runId), advice.get(r.runId), ledgers.get(r.runId),
                            runAlerts.getOrDefault(r.runId, List.of()), pointsPerRun));
            sweepAlerts.putIfAbsent(r.sweepId, List.of());
        }
        List<Report.SweepView> sweeps = new ArrayList<>();
        for (Map.Entry<String, List<Alert>> s : sweepAlerts.entrySet()) {
            List<Report.RunView> views = bySweep.getOrDefault(s.getKey(), List.of());
            views.sort(Comparator.comparingLong(Report.RunView::paramCount).thenComparing(Report.RunView::runId));
            sweeps.add(new Report.SweepView(s.getKey(), views, s.getValue()));
        }
        return new Report(clock.instant(), live, sweeps, all);
    }

    /** A run as it arrives. */
    private static final class Run {
        final String runId;
        final String sweepId;
        long paramCount;
        long trainSize;
        int outputDim;
        long lastEpoch = -1;
        boolean finished;
        final List<Report.Point> points = new ArrayList<>();

        Run(EpochEvent first) {
            this.runId = first.runId();
            this.sweepId = first.sweepId();
        }

        void add(EpochEvent e) {
            paramCount = e.paramCount();
            trainSize = e.trainSize();
            outputDim = e.outputDim();
            lastEpoch = e.epoch();
            finished |= e.isFinal();
            points.add(new Report.Point(e.epoch(), e.trainLoss(), e.testLoss()));
        }

        Report.RunView view(String phase, Advice advice, LedgerState ledger, List<Alert> alerts, int maxPoints) {
            Report.Point last = points.get(points.size() - 1);
            return new Report.RunView(runId, sweepId, paramCount, trainSize, outputDim, lastEpoch, last.trainLoss(),
                    last.testLoss(), finished, phase, advice, ledger, LogThinning.thin(points, maxPoints), alerts);
        }
    }
}
