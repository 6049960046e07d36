package io.descentwatch.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.testkit.LabelledCurves;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngChartsTest {

    @Test
    void everyChartBecomesAPngWithItsCurvesDrawn(@TempDir Path dir) throws Exception {
        Report report = CorpusReports.of(
                LabelledCurves.modelwise(),
                e -> e.sweepId().equals("mw-m00") || e.sweepId().equals("mw-m01"));
        List<Chart> charts = ReportCharts.of(report);
        List<Path> files = PngCharts.write(charts, dir);
        assertThat(files).hasSameSizeAs(charts);
        for (Path file : files) {
            BufferedImage image = ImageIO.read(file.toFile());
            assertThat(image.getWidth()).isEqualTo(PngCharts.WIDTH);
            assertThat(image.getHeight()).isEqualTo(PngCharts.HEIGHT);
            // several series colours, gridlines, text: a blank or failed render has one or two colours
            Set<Integer> colours = new HashSet<>();
            for (int y = 0; y < image.getHeight(); y += 2) {
                for (int x = 0; x < image.getWidth(); x += 2) {
                    colours.add(image.getRGB(x, y));
                }
            }
            assertThat(colours).as(file.getFileName().toString()).hasSizeGreaterThan(20);
        }
    }

    @Test
    void aChartWithoutDataStillRendersItsAxes(@TempDir Path dir) throws Exception {
        Chart empty = new Chart(
                "empty",
                "nothing yet",
                new Chart.Axis("epoch (log)", true),
                new Chart.Axis("test loss (log)", true),
                null,
                List.of(new Chart.Series("run", Chart.Style.LINE, List.of(), List.of())),
                List.of());
        List<Path> files = PngCharts.write(List.of(empty), dir);
        assertThat(ImageIO.read(files.get(0).toFile())).isNotNull();
    }
}
