package io.descentwatch.report;

import java.util.List;

/**
 * One chart of a report, independent of what draws it: the HTML page (Apache ECharts) and the PNG files
 * (JFreeChart) both render this, so the two always show the same thing. Only finite values, and only positive
 * ones on a log axis, are ever put in a chart.
 *
 * @param id      stable within a report: the PNG's file name and the page element's id
 * @param y2      a second y axis on the right for the series that ask for it, or null
 * @param markers vertical lines across the chart (the interpolation threshold, the model-wise peak)
 */
public record Chart(String id, String title, Axis x, Axis y, Axis y2, List<Series> series, List<Marker> markers) {

    public Chart {
        series = List.copyOf(series);
        markers = List.copyOf(markers);
    }

    public record Axis(String label, boolean log) {}

    public enum Style {
        LINE,
        DASHED_LINE,
        POINTS
    }

    /**
     * @param labels     one per point (what a point is, for its tooltip), or empty when the series name says it all
     * @param secondAxis drawn against the chart's second y axis
     * @param scale      what a sequential colour scale colours the series by (its run's parameter count), so that
     *                   hundreds of runs read as one ordered family with a colour bar instead of a legend entry
     *                   each; 0 where the series keeps a colour (and legend entry) of its own
     */
    public record Series(
            String name, Style style, List<double[]> points, List<String> labels, boolean secondAxis, double scale) {
        public Series {
            points = List.copyOf(points);
            labels = List.copyOf(labels);
        }

        public Series(String name, Style style, List<double[]> points, List<String> labels, boolean secondAxis) {
            this(name, style, points, labels, secondAxis, 0);
        }

        public Series(String name, Style style, List<double[]> points, List<String> labels) {
            this(name, style, points, labels, false, 0);
        }

        public boolean scaled() {
            return scale > 0;
        }
    }

    public record Marker(double x, String label) {}

    public int pointCount() {
        return series.stream().mapToInt(s -> s.points().size()).sum();
    }
}
