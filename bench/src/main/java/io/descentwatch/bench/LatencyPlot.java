package io.descentwatch.bench;

import io.descentwatch.report.Chart;
import io.descentwatch.report.PngCharts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Produce-to-alert latency against event rate, drawn with the report's chart model and PNG renderer. */
final class LatencyPlot {

    private LatencyPlot() {}

    static void write(List<AlertLatencyBench.Result> results, Path png) throws Exception {
        List<double[]> p50 = new ArrayList<>();
        List<double[]> p99 = new ArrayList<>();
        List<double[]> max = new ArrayList<>();
        for (AlertLatencyBench.Result r : results) {
            p50.add(new double[] {r.achievedRate(), r.latencyMs().median()});
            p99.add(new double[] {r.achievedRate(), r.latencyMs().p99()});
            max.add(new double[] {r.achievedRate(), r.latencyMs().max()});
        }
        String name = png.getFileName().toString().replaceFirst("\\.png$", "");
        Chart chart = new Chart(
                name,
                "produce-to-alert latency against event rate",
                new Chart.Axis("events per second (log)", true),
                new Chart.Axis("milliseconds", false),
                null,
                List.of(
                        new Chart.Series("p50", Chart.Style.LINE, p50, List.of()),
                        new Chart.Series("p99", Chart.Style.LINE, p99, List.of()),
                        new Chart.Series("max", Chart.Style.DASHED_LINE, max, List.of())),
                List.of());
        Path dir = png.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        PngCharts.write(List.of(chart), dir);
    }
}
