package io.descentwatch.report;

import io.descentwatch.detection.LedgerState;
import io.descentwatch.detection.RunPhase;
import io.descentwatch.events.Advice;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertDetails;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.EpochEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Gathers what a report shows from epoch events and alerts as they arrive, in any order and from any thread. Like
 * the detector it ignores duplicate and stale events (epoch at or below the last one of the run), and it keeps
 * each alert once (by id), so a replayed or re-consumed stream draws the same report. Each run's curve is kept
 * thinned ({@link Curve}), so what it holds grows with the number of runs, not of events; each sweep has a version
 * that goes up whenever anything it shows changed, so a page redraws only the sweeps that did.
 */
public final class ReportBuilder {

    /** Enough points for a smooth curve at any screen width; more only cost the browser. */
    public static final int DEFAULT_POINTS_PER_RUN = 400;

    private final Clock clock;
    private final int pointsPerRun;
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private final Map<String, RunPhase> phases = new HashMap<>();
    private final Map<String, Advice> advice = new HashMap<>();
    private final Map<String, Long> sweepVersions = new HashMap<>();
    private final Map<String, Instant> sweepUpdated = new HashMap<>();
    private long changes;
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
        Run run = runs.computeIfAbsent(e.runId(), id -> new Run(e, pointsPerRun));
        if (e.epoch() <= run.lastEpoch) {
            return false;
        }
        run.add(e);
        Advice held = advice.get(e.runId());
        if (held != null && held.bestEpoch() >= 0) {
            run.curve.protect(held.bestEpoch());
        }
        changed(run.sweepId);
        Instant t = e.time() != null ? e.time() : clock.instant();
        sweepUpdated.merge(run.sweepId, t, (a, b) -> b.isAfter(a) ? b : a);
        return true;
    }

    /** Adds an alert; false when an alert with its id was already added. */
    public synchronized boolean accept(Alert a) {
        if (alerts.putIfAbsent(a.alertId(), a) != null) {
            return false;
        }
        Run run = a.runId() == null ? null : runs.get(a.runId());
        if (run != null) {
            // the points the chart marks stay on the curve, however far back they lie
            run.curve.protect(a.epoch());
            for (String key : List.of(AlertDetails.FIRST_MIN_EPOCH, AlertDetails.PEAK_EPOCH)) {
                if (a.details().get(key) instanceof Number n) {
                    run.curve.protect(n.longValue());
                }
            }
        }
        changed(a.sweepId());
        return true;
    }

    /** The detector's current phase of a run (from the runs topic), shown beside its latest losses. */
    public synchronized void phase(String runId, RunPhase phase) {
        if (phase != phases.put(runId, phase)) {
            changedRun(runId);
        }
    }

    /**
     * The stopping advice in force for a run (from the advice topic's changes and the runs topic's summaries, which
     * bring it up to date between changes), shown beside its phase; an advice given at an earlier epoch than the one
     * held (a re-read older summary, or a change read after a later summary) does not replace it.
     */
    public synchronized void advice(Advice a) {
        Advice now = advice.merge(a.runId(), a, (held, next) -> next.epoch() >= held.epoch() ? next : held);
        Run run = runs.get(a.runId());
        if (run != null && now.bestEpoch() >= 0) {
            run.curve.protect(now.bestEpoch());
        }
        changedRun(a.runId());
    }

    private void changedRun(String runId) {
        Run run = runs.get(runId);
        if (run != null) {
            changed(run.sweepId);
        }
    }

    private void changed(String sweepId) {
        sweepVersions.put(sweepId, ++changes);
    }

    /** Every sweep with its runs' curves, and every alert. */
    public Report snapshot(boolean live) {
        return snapshot(live, s -> true, true);
    }

    /**
     * Every sweep with its runs' latest losses and alerts but not their curves: what an index of the sweeps
     * shows, at a cost that does not grow with the curves.
     */
    public Report overview(boolean live) {
        return snapshot(live, s -> true, false);
    }

    /** One sweep in full (its curves, its alerts), or empty when there is no such sweep. */
    public Optional<Report> sweep(String sweepId, boolean live) {
        Report r = snapshot(live, sweepId::equals, true);
        return r.sweeps().isEmpty() ? Optional.empty() : Optional.of(r);
    }

    /**
     * A run's advice ledger (from the runs topic's summary, or the offline detector's state); one from an earlier
     * evaluation than the one held (a re-read older summary) does not replace it.
     */
    public synchronized void ledger(String runId, LedgerState l) {
        ledgers.merge(runId, l, (held, next) -> next.lastEpoch() >= held.lastEpoch() ? next : held);
        changedRun(runId);
    }

    private synchronized Report snapshot(boolean live, Predicate<String> sweeps, boolean curves) {
        Map<String, List<Alert>> runAlerts = new HashMap<>();
        Map<String, List<Alert>> sweepAlerts = new TreeMap<>();
        List<Alert> all = new ArrayList<>(alerts.values());
        all.sort(Comparator.comparing(Alert::time).thenComparing(a -> a.type().ordinal()));
        all.removeIf(a -> !sweeps.test(a.sweepId()));
        for (Alert a : all) {
            if (a.scope() == AlertScope.RUN) {
                runAlerts.computeIfAbsent(a.runId(), k -> new ArrayList<>()).add(a);
            } else {
                sweepAlerts.computeIfAbsent(a.sweepId(), k -> new ArrayList<>()).add(a);
            }
        }
        Map<String, List<Report.RunView>> bySweep = new TreeMap<>();
        for (Run r : runs.values()) {
            if (!sweeps.test(r.sweepId)) {
                continue;
            }
            bySweep.computeIfAbsent(r.sweepId, k -> new ArrayList<>())
                    .add(r.view(
                            phases.get(r.runId),
                            advice.get(r.runId),
                            ledgers.get(r.runId),
                            runAlerts.getOrDefault(r.runId, List.of()),
                            curves));
            sweepAlerts.putIfAbsent(r.sweepId, List.of());
        }
        List<Report.SweepView> result = new ArrayList<>();
        for (Map.Entry<String, List<Alert>> s : sweepAlerts.entrySet()) {
            List<Report.RunView> views = bySweep.getOrDefault(s.getKey(), List.of());
            views.sort(Comparator.comparingLong(Report.RunView::paramCount).thenComparing(Report.RunView::runId));
            result.add(new Report.SweepView(
                    s.getKey(),
                    views,
                    s.getValue(),
                    sweepVersions.getOrDefault(s.getKey(), 0L),
                    sweepUpdated.get(s.getKey())));
        }
        return new Report(clock.instant(), live, result, all);
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
        final Curve curve;

        Run(EpochEvent first, int pointsPerRun) {
            this.runId = first.runId();
            this.sweepId = first.sweepId();
            this.curve = new Curve(pointsPerRun);
        }

        void add(EpochEvent e) {
            paramCount = e.paramCount();
            trainSize = e.trainSize();
            outputDim = e.outputDim();
            lastEpoch = e.epoch();
            finished |= e.isFinal();
            curve.add(e.epoch(), e.trainLoss(), e.testLoss());
        }

        Report.RunView view(RunPhase phase, Advice advice, LedgerState ledger, List<Alert> alerts, boolean withCurve) {
            Report.Point last = curve.last();
            return new Report.RunView(
                    runId,
                    sweepId,
                    paramCount,
                    trainSize,
                    outputDim,
                    lastEpoch,
                    last.trainLoss(),
                    last.testLoss(),
                    finished,
                    phase,
                    advice,
                    ledger,
                    withCurve ? curve.view() : List.of(),
                    alerts);
        }
    }
}
