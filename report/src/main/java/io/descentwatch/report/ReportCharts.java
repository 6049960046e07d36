package io.descentwatch.report;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertDetails;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.AlertWording;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The charts of a report: for every sweep of several model sizes, test and train loss against parameter count
 * (the model-wise curve, with the interpolation threshold and the model-wise peak marked); for every sweep, test
 * loss against epoch for each of its runs, with the landmarks of the run alerts marked.
 */
public final class ReportCharts {

    /**
     * Landmarks drawn on the epoch-wise charts, in legend order (the course of a run, then what stops it), with what
     * each alert says about where it is: every type its {@link AlertType.ChartMark} puts at an epoch.
     */
    static final List<AlertType> MARKED_RUN_ALERTS = Arrays.stream(AlertType.values())
            .filter(t -> t.chartMark() == AlertType.ChartMark.AT_EPOCH)
            .sorted(Comparator.comparing(t -> t == AlertType.INTERPOLATION_REACHED || t == AlertType.DIVERGED))
            .toList();

    /** Where the stopping advice says to keep a checkpoint, by whether it says to stop now. */
    private static final String ADVICE_STOP = "advice: stop, keep";

    private static final String ADVICE_CONTINUE = "advice: best so far";

    private ReportCharts() {}

    public static List<Chart> of(Report report) {
        List<Chart> charts = new ArrayList<>();
        int n = 0;
        for (Report.SweepView sweep : report.sweeps()) {
            charts.addAll(of(sweep, ++n));
        }
        return charts;
    }

    /**
     * The charts of one sweep, the {@code n}th of its report (from 1): their ids begin {@code sweep<n>-}, which is
     * how a page that shows one sweep at a time finds them.
     */
    public static List<Chart> of(Report.SweepView sweep, int n) {
        List<Chart> charts = new ArrayList<>();
        if (sweep.sizes() >= 3) {
            charts.add(modelWise(sweep, idPrefix(n) + "modelwise"));
        }
        charts.add(epochWise(sweep, idPrefix(n) + "epochwise"));
        return charts;
    }

    public static String idPrefix(int n) {
        return "sweep" + n + "-";
    }

    /** Latest test and train loss per model size (the median over seeds), against parameter count. */
    static Chart modelWise(Report.SweepView sweep, String id) {
        Map<Long, List<Report.RunView>> bySize = new TreeMap<>();
        for (Report.RunView r : sweep.runs()) {
            bySize.computeIfAbsent(r.paramCount(), k -> new ArrayList<>()).add(r);
        }
        List<double[]> test = new ArrayList<>();
        List<double[]> train = new ArrayList<>();
        List<double[]> seeds = new ArrayList<>();
        List<String> seedLabels = new ArrayList<>();
        boolean severalSeeds = false;
        for (Map.Entry<Long, List<Report.RunView>> size : bySize.entrySet()) {
            List<Report.RunView> runs = size.getValue();
            severalSeeds |= runs.size() > 1;
            add(
                    test,
                    size.getKey(),
                    median(runs.stream().mapToDouble(Report.RunView::testLoss).toArray()));
            add(
                    train,
                    size.getKey(),
                    median(runs.stream().mapToDouble(Report.RunView::trainLoss).toArray()));
            for (Report.RunView r : runs) {
                if (add(seeds, r.paramCount(), r.testLoss())) {
                    seedLabels.add(r.runId() + " at epoch " + r.epoch());
                }
            }
        }
        List<Chart.Series> series = new ArrayList<>();
        series.add(new Chart.Series(
                severalSeeds ? "test loss (median of seeds)" : "test loss", Chart.Style.LINE, test, List.of()));
        series.add(new Chart.Series(
                severalSeeds ? "train loss (median of seeds)" : "train loss",
                Chart.Style.DASHED_LINE,
                train,
                List.of(),
                true));
        if (severalSeeds) {
            series.add(new Chart.Series("test loss, each run", Chart.Style.POINTS, seeds, seedLabels));
        }
        List<Chart.Marker> markers = new ArrayList<>();
        for (AlertType type : AlertType.values()) {
            if (type.chartMark() == AlertType.ChartMark.AT_SIZE) {
                sweep.alert(type)
                        .ifPresent(a -> markers.add(
                                new Chart.Marker(a.paramCount(), type.words() + ", p/n = " + num(a.pOverN()))));
            }
        }
        // test loss on a linear axis, where the peak is plain to see; train loss falls by orders of magnitude
        // towards interpolation, so it gets a log axis of its own
        return new Chart(
                id,
                sweep.sweepId() + ": latest loss against model size",
                new Chart.Axis("parameters (log)", true),
                new Chart.Axis("test loss", false),
                new Chart.Axis("train loss (log)", true),
                series,
                markers);
    }

    /** Test loss against epoch, one line per run, and the landmarks the run alerts name. */
    static Chart epochWise(Report.SweepView sweep, String id) {
        List<Chart.Series> series = new ArrayList<>();
        Map<String, Landmarks> marks = new LinkedHashMap<>();
        marks.put("first minimum", new Landmarks());
        marks.put("peak", new Landmarks());
        for (AlertType t : MARKED_RUN_ALERTS) {
            marks.put(label(t), new Landmarks());
        }
        marks.put(ADVICE_STOP, new Landmarks());
        marks.put(ADVICE_CONTINUE, new Landmarks());
        for (Report.RunView r : sweep.runs()) {
            List<double[]> curve = new ArrayList<>();
            for (Report.Point p : r.points()) {
                add(curve, p.epoch(), p.testLoss());
            }
            // coloured by size on one scale: at 40 or 400 runs the family reads in order, not as a legend
            series.add(new Chart.Series(
                    r.runId() + " (p/n " + num(r.pOverN()) + ")",
                    Chart.Style.LINE,
                    curve,
                    List.of(),
                    false,
                    Math.max(1, r.paramCount())));
            if (r.advice() != null && r.advice().bestEpoch() >= 0) {
                marks.get(r.advice().stop() ? ADVICE_STOP : ADVICE_CONTINUE)
                        .add(
                                r.advice().bestEpoch(),
                                lossAt(r, r.advice().bestEpoch()),
                                r.runId() + ": advice "
                                        + r.advice().verdict().name().toLowerCase(Locale.ROOT) + ", keep epoch "
                                        + r.advice().bestEpoch());
            }
            // latest first: a landmark (the peak above all) is final only in the last alert that names it
            List<Alert> latestFirst = new ArrayList<>(r.alerts());
            Collections.reverse(latestFirst);
            for (Alert a : latestFirst) {
                if (!MARKED_RUN_ALERTS.contains(a.type())) {
                    continue;
                }
                Map<String, Object> d = a.details();
                marks.get("first minimum")
                        .add(
                                d.get(AlertDetails.FIRST_MIN_EPOCH),
                                d.get(AlertDetails.FIRST_MIN_LOSS),
                                r.runId() + ": first minimum");
                marks.get("peak")
                        .add(d.get(AlertDetails.PEAK_EPOCH), d.get(AlertDetails.PEAK_LOSS), r.runId() + ": peak");
                Object loss =
                        d.containsKey(AlertDetails.LOSS) ? d.get(AlertDetails.LOSS) : d.get(AlertDetails.TEST_LOSS);
                marks.get(label(a.type()))
                        .add(
                                a.epoch(),
                                loss != null ? loss : lossAt(r, a.epoch()),
                                r.runId() + ": " + a.message().replaceFirst("^run [^:]*: ", ""));
            }
        }
        marks.forEach((name, l) -> {
            if (!l.points.isEmpty()) {
                series.add(new Chart.Series(name, Chart.Style.POINTS, l.points, l.labels));
            }
        });
        return new Chart(
                id,
                sweep.sweepId() + ": test loss against epoch",
                new Chart.Axis("epoch (log)", true),
                new Chart.Axis("test loss (log)", true),
                null,
                series,
                List.of());
    }

    static String label(AlertType type) {
        return type.words();
    }

    /** The run's test loss at the evaluation nearest an epoch: where an alert without a loss is drawn. */
    private static Object lossAt(Report.RunView run, long epoch) {
        Report.Point nearest = null;
        for (Report.Point p : run.points()) {
            if (Double.isFinite(p.testLoss())
                    && (nearest == null || Math.abs(p.epoch() - epoch) < Math.abs(nearest.epoch() - epoch))) {
                nearest = p;
            }
        }
        return nearest == null ? null : nearest.testLoss();
    }

    /** Adds a point to a log-log series if it can be drawn there. */
    private static boolean add(List<double[]> series, double x, double y) {
        if (x > 0 && y > 0 && Double.isFinite(x) && Double.isFinite(y)) {
            series.add(new double[] {x, y});
            return true;
        }
        return false;
    }

    private static double median(double[] values) {
        double[] finite =
                Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (finite.length == 0) {
            return Double.NaN;
        }
        int m = finite.length / 2;
        return finite.length % 2 == 1 ? finite[m] : (finite[m - 1] + finite[m]) / 2;
    }

    static String num(double v) {
        return AlertWording.num(v);
    }

    /** The points of one kind of landmark, each drawn once however many alerts name it. */
    private static final class Landmarks {
        final List<double[]> points = new ArrayList<>();
        final List<String> labels = new ArrayList<>();
        private final Set<String> seen = new HashSet<>();

        void add(Object epoch, Object loss, String label) {
            if (epoch instanceof Number e
                    && loss instanceof Number l
                    && seen.add(label)
                    && ReportCharts.add(points, e.doubleValue(), l.doubleValue())) {
                labels.add(label);
            }
        }
    }
}
