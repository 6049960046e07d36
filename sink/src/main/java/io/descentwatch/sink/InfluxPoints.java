package io.descentwatch.sink;

import io.descentwatch.detection.LedgerState;
import io.descentwatch.detection.RuleTrack;
import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.StopRule;
import io.descentwatch.events.Advice;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.influxdb.dto.Point;

/**
 * The measurement schema: how events, run summaries and alerts become InfluxDB points. Time is the event's own
 * time, so re-writing the same record writes the same point (same series and timestamp overwrite: idempotent).
 * InfluxDB has no NaN or infinity: such losses are left out of the point and the `diverged` field says so.
 */
public final class InfluxPoints {

    public static final String EPOCH = "epoch";
    public static final String RUN_STATE = "run_state";
    public static final String ALERT = "alert";
    /**
     * An alert again, stamped with when the sink wrote it rather than with the event's time: what Grafana's alert
     * rules look at, so that alerts of replayed runs and of trainers with skewed clocks notify too.
     */
    public static final String ALERT_ARRIVAL = "alert_arrival";

    public static final String ADVICE = "advice";
    public static final String LEDGER = "ledger";

    private InfluxPoints() {}

    public static Point epoch(EpochEvent e) {
        Point.Builder p = Point.measurement(EPOCH)
                .time(nanos(e.time()), TimeUnit.NANOSECONDS)
                .tag("sweep", e.sweepId())
                .tag("run", e.runId())
                .addField("epoch", e.epoch())
                .addField("param_count", e.paramCount())
                .addField("train_size", e.trainSize())
                .addField("output_dim", (long) e.outputDim())
                .addField("p_over_n", e.pOverN())
                .addField("diverged", !Double.isFinite(e.trainLoss()) || !Double.isFinite(e.testLoss()));
        finite(p, "train_loss", e.trainLoss());
        finite(p, "test_loss", e.testLoss());
        if (e.trainError() != null) {
            p.addField("train_error", e.trainError());
        }
        if (e.testError() != null) {
            p.addField("test_error", e.testError());
        }
        return p.build();
    }

    public static Point runState(RunSummary s) {
        Point.Builder p = Point.measurement(RUN_STATE)
                .time(nanos(s.time()), TimeUnit.NANOSECONDS)
                .tag("sweep", s.sweepId())
                .tag("run", s.runId())
                .addField("phase", s.phase().name())
                .addField("epoch", s.epoch())
                .addField("param_count", s.paramCount())
                .addField("p_over_n", s.pOverN())
                .addField("interpolated", s.interpolated())
                .addField("interpolation_epoch", s.interpolationEpoch())
                .addField("finished", s.finished())
                .addField("diverged", s.diverged());
        finite(p, "test_loss_smoothed", s.testLoss());
        finite(p, "train_loss_smoothed", s.trainLoss());
        return p.build();
    }

    /** A run summary's points: its state, and its ledger's (none from a detector that kept no ledger). */
    public static List<Point> runStateAndLedger(RunSummary s) {
        List<Point> points = new ArrayList<>(1 + StopRule.values().length);
        points.add(runState(s));
        if (s.ledger() != null && s.ledger().lastEpoch() >= 0) {
            for (StopRule rule : StopRule.values()) {
                points.add(ledger(s, rule));
            }
        }
        return points;
    }

    /**
     * One rule's account of a run, as of the run's summary: one series per run and rule (tag {@code rule}:
     * patience_3, patience_10, advice), so a sweep's totals are a sum over the last point of each. {@code stopped}
     * and {@code kept_best} are 0 or 1 (not booleans) for the same reason: they are summed.
     */
    public static Point ledger(RunSummary s, StopRule rule) {
        LedgerState l = s.ledger();
        RuleTrack t = rule.of(l);
        Point.Builder p = Point.measurement(LEDGER)
                .time(nanos(s.time()), TimeUnit.NANOSECONDS)
                .tag("sweep", s.sweepId())
                .tag("run", s.runId())
                .tag("rule", rule.wireName())
                .addField("stopped", t.stopped() ? 1L : 0L)
                .addField("stop_epoch", t.stopEpoch())
                .addField("kept_epoch", t.keptEpoch())
                .addField("epochs_spent", t.epochsSpent())
                .addField("kept_best", l.kept(rule) ? 1L : 0L)
                .addField("best_epoch", l.bestEpoch())
                .addField("run_epoch", l.lastEpoch());
        finite(p, "kept_test_loss", t.keptTestLoss());
        finite(p, "best_test_loss", l.bestTestLoss());
        finite(p, "excess", t.excessOver(l.bestTestLoss()));
        return p.build();
    }

    public static Point alert(Alert a) {
        Point.Builder p = Point.measurement(ALERT)
                .time(nanos(a.time()), TimeUnit.NANOSECONDS)
                .tag("sweep", a.sweepId())
                .tag("type", a.type().name())
                .tag("scope", a.scope().wireName())
                .addField("alert_id", a.alertId())
                .addField("message", a.message())
                .addField("epoch", a.epoch())
                .addField("param_count", a.paramCount())
                .addField("p_over_n", a.pOverN());
        if (a.runId() != null) {
            p.tag("run", a.runId());
        }
        return p.build();
    }

    /**
     * The alert as it arrived: the alert's tags (sweep, type, scope, run) and its id and message, at {@code at}, the
     * sink's clock. One point per delivery, unlike the others: an alert written twice (a sink restarted between
     * write and commit) arrives twice, which a rule that asks "any in the last 5 minutes" does not count twice.
     */
    public static Point alertArrival(Alert a, Instant at) {
        Point.Builder p = Point.measurement(ALERT_ARRIVAL)
                .time(nanos(at), TimeUnit.NANOSECONDS)
                .tag("sweep", a.sweepId())
                .tag("type", a.type().name())
                .tag("scope", a.scope().wireName())
                .addField("alert_id", a.alertId())
                .addField("message", a.message());
        if (a.runId() != null) {
            p.tag("run", a.runId());
        }
        return p.build();
    }

    /**
     * A run's stopping advice at the evaluation it was given at. Tags are sweep and run only: one series per run,
     * so the advice over time and the latest advice per run are one GROUP BY run (a verdict or basis tag would
     * split a run into several series). Verdict and basis are fields, for the panels to show and filter on.
     */
    public static Point advice(Advice a) {
        Point.Builder p = Point.measurement(ADVICE)
                .time(nanos(a.time()), TimeUnit.NANOSECONDS)
                .tag("sweep", a.sweepId())
                .tag("run", a.runId())
                .addField("epoch", a.epoch())
                .addField("verdict", a.verdict().name())
                .addField("basis", a.basis().wireName())
                .addField("reason", a.reason())
                .addField("best_epoch", a.bestEpoch());
        finite(p, "best_test_loss", a.bestTestLoss());
        if (a.chance() != null) {
            p.addField("chance", a.chance());
        }
        return p.build();
    }

    private static void finite(Point.Builder p, String field, double value) {
        if (Double.isFinite(value)) {
            p.addField(field, value);
        }
    }

    private static long nanos(Instant t) {
        return TimeUnit.SECONDS.toNanos(t.getEpochSecond()) + t.getNano();
    }
}
