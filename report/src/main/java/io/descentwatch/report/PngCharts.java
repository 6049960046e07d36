package io.descentwatch.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** One PNG per chart, for papers and slides: the same {@link Chart}s the HTML page draws, rendered by JFreeChart. */
public final class PngCharts {

    public static final int WIDTH = 1000;
    public static final int HEIGHT = 620;
    /** Past this many series a legend covers the plot and names nothing one can find in it. */
    private static final int MAX_LEGEND_SERIES = 16;

    private static final Color MARKER = new Color(0xd7, 0x30, 0x27);

    private PngCharts() {}

    /** Writes {@code <id>.png} for every chart into {@code dir}; returns the files. */
    public static List<Path> write(List<Chart> charts, Path dir) {
        System.setProperty("java.awt.headless", "true");
        List<Path> files = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            for (Chart c : charts) {
                Path file = dir.resolve(c.id() + ".png");
                ChartUtils.saveChartAsPNG(file.toFile(), render(c), WIDTH, HEIGHT);
                files.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write charts to " + dir + ": " + e.getMessage(), e);
        }
        return files;
    }

    static JFreeChart render(Chart c) {
        XYPlot plot = new XYPlot();
        ValueAxis x = axis(c.x());
        if (x instanceof LogAxis log) {
            // epochs and sizes span decades: ticks at whole powers of ten read best there
            log.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        plot.setDomainAxis(x);
        plot.setRangeAxis(0, axis(c.y()));
        if (c.y2() != null) {
            plot.setRangeAxis(1, axis(c.y2()));
        }
        // one dataset per series, each mapped to its axis; colours come from the plot's sequence, as in a legend
        int i = 0;
        for (Chart.Series s : c.series()) {
            XYSeries xy = new XYSeries(
                    s.name()
                            + (c.series().stream()
                                                    .filter(o -> o.name().equals(s.name()))
                                                    .count()
                                            > 1
                                    ? " #" + i
                                    : ""),
                    false,
                    true);
            for (double[] p : s.points()) {
                xy.add(p[0], p[1]);
            }
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
            boolean points = s.style() == Chart.Style.POINTS;
            renderer.setSeriesLinesVisible(0, !points);
            renderer.setSeriesShapesVisible(0, points || s.points().size() < 30);
            renderer.setSeriesStroke(
                    0,
                    s.style() == Chart.Style.DASHED_LINE
                            ? new BasicStroke(
                                    1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f)
                            : new BasicStroke(1.6f));
            if (s.scaled()) {
                // the runs of a sweep as one family, shaded by size (light small, dark large), as on the page
                renderer.setSeriesPaint(0, shade(s.scale(), c));
                renderer.setSeriesVisibleInLegend(0, false);
            } else {
                renderer.setSeriesPaint(0, plot.getDrawingSupplier().getNextPaint());
                renderer.setSeriesShape(0, plot.getDrawingSupplier().getNextShape());
            }
            plot.setDataset(i, new XYSeriesCollection(xy));
            plot.setRenderer(i, renderer);
            plot.mapDatasetToRangeAxis(i, s.secondAxis() && c.y2() != null ? 1 : 0);
            i++;
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        int stagger = 0;
        for (Chart.Marker m : c.markers()) {
            ValueMarker marker = new ValueMarker(
                    m.x(),
                    MARKER,
                    new BasicStroke(1.4f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {5f, 4f}, 0f));
            marker.setLabel(m.label());
            marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            marker.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            marker.setLabelBackgroundColor(new Color(255, 255, 255, 220));
            // markers close together would print their labels over each other: each one a line lower
            marker.setLabelOffset(new RectangleInsets(4 + 18 * stagger++, 4, 4, 4));
            plot.addDomainMarker(marker);
        }
        JFreeChart chart = new JFreeChart(
                c.title(),
                new Font(Font.SANS_SERIF, Font.BOLD, 15),
                plot,
                c.series().stream().filter(s -> !s.scaled()).count() <= MAX_LEGEND_SERIES);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setPosition(RectangleEdge.BOTTOM);
        }
        return chart;
    }

    /** A series' colour on the sequential scale of its chart: log of its size between the chart's least and most. */
    private static Color shade(double scale, Chart c) {
        double lo = c.series().stream()
                .filter(Chart.Series::scaled)
                .mapToDouble(Chart.Series::scale)
                .min()
                .orElse(1);
        double hi = c.series().stream()
                .filter(Chart.Series::scaled)
                .mapToDouble(Chart.Series::scale)
                .max()
                .orElse(1);
        double t = hi > lo ? (Math.log(scale) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : 0.5;
        // the page's colour bar: pale yellow-green to dark blue (viridis' upper part reversed reads on white)
        Color from = new Color(0xb5, 0xde, 0x2b);
        Color to = new Color(0x30, 0x12, 0x6e);
        return new Color(
                (int) Math.round(from.getRed() + t * (to.getRed() - from.getRed())),
                (int) Math.round(from.getGreen() + t * (to.getGreen() - from.getGreen())),
                (int) Math.round(from.getBlue() + t * (to.getBlue() - from.getBlue())));
    }

    /** Tick labels as a person writes them: 100 and 0.25 plainly, 1e-09 and 2e+05 in exponent form. */
    private static final class TickFormat extends NumberFormat {
        @Override
        public StringBuffer format(double v, StringBuffer to, FieldPosition pos) {
            double a = Math.abs(v);
            return to.append(
                    a == 0 || (a >= 1e-3 && a < 1e5)
                            ? new DecimalFormat("#,##0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(v)
                            : String.format(Locale.ROOT, "%.0e", v));
        }

        @Override
        public StringBuffer format(long v, StringBuffer to, FieldPosition pos) {
            return format((double) v, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("tick labels are only written");
        }
    }

    private static ValueAxis axis(Chart.Axis a) {
        if (a.log()) {
            LogAxis log = new LogAxis(a.label());
            log.setAutoRange(true);
            log.setSmallestValue(1e-300);
            log.setNumberFormatOverride(new TickFormat());
            return log;
        }
        NumberAxis linear = new NumberAxis(a.label());
        linear.setAutoRangeIncludesZero(true);
        return linear;
    }
}
