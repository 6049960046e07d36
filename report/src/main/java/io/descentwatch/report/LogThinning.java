package io.descentwatch.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Thins a curve evenly in log-epochs, the scale its charts are drawn on: a run evaluated every epoch for 20,000
 * epochs keeps its early descent in full and only a few points per decade later, where the curve is flat anyway.
 */
final class LogThinning {

    private LogThinning() {}

    static List<Report.Point> thin(List<Report.Point> points, int maxPoints) {
        return thin(points, maxPoints, p -> false);
    }

    /**
     * As {@link #thin(List, int)}, keeping every point {@code landmark} names on top of the budget. Each kept point
     * is the first at least a step (in log-epochs) past the one before; the step is the largest that still fills the
     * budget, so points already thinned unevenly (a {@link Curve}'s) fill it as well as raw ones.
     */
    static List<Report.Point> thin(List<Report.Point> points, int maxPoints, Predicate<Report.Point> landmark) {
        if (points.size() <= maxPoints) {
            return List.copyOf(points);
        }
        double range = Math.log1p(points.get(points.size() - 1).epoch())
                - Math.log1p(points.get(0).epoch());
        double lo = 0;
        double hi = range / (maxPoints - 1) * 2;
        for (int i = 0; i < 24; i++) {
            double mid = (lo + hi) / 2;
            if (kept(points, mid, p -> false).size() > maxPoints) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return kept(points, hi, landmark);
    }

    private static List<Report.Point> kept(List<Report.Point> points, double step, Predicate<Report.Point> landmark) {
        List<Report.Point> kept = new ArrayList<>();
        double next = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < points.size(); i++) {
            Report.Point p = points.get(i);
            boolean end = i == points.size() - 1;
            if (end || Math.log1p(p.epoch()) >= next) {
                kept.add(p);
                next = Math.log1p(p.epoch()) + step;
            } else if (landmark.test(p)) {
                kept.add(p);
            }
        }
        return kept;
    }
}
