package io.descentwatch.report;

import io.descentwatch.testkit.HeadlessChromium;
import io.descentwatch.testkit.LabelledCurves;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTML report as a browser draws it: Debian's Chromium, headless, opens the page from a file:// URL and runs
 * its scripts; the DOM it leaves must hold every chart, drawn (SVG paths) with the data it was given, and every
 * alert in the table.
 */
class HtmlReportBrowserTest {

    private static final Pattern CHART = Pattern.compile(
            "<div class=\"chart\" id=\"([^\"]+)\"([^>]*)>(.*?)</svg>", Pattern.DOTALL);

    @Test
    void everyChartRendersWithItsDataAndEveryAlertIsListed(@TempDir Path dir) throws Exception {
        // four sweeps with several seeds per size and one with a single seed: every kind of series and marker
        Report report = CorpusReports.of(LabelledCurves.modelwise(), e -> e.sweepId().compareTo("mw-m03") <= 0
                || e.sweepId().equals("mw-p00"));
        List<Chart> charts = ReportCharts.of(report);
        Path page = new HtmlReport(dir).write(report, charts, Findings.of(report));

        String dom = HeadlessChromium.dumpDom(page, 10_000);

        assertThat(dom).contains("data-charts=\"" + charts.size() + "\"");
        Matcher m = CHART.matcher(dom);
        int seen = 0;
        while (m.find()) {
            String id = m.group(1);
            Chart chart = charts.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
            String attributes = m.group(2);
            assertThat(attributes).as(id).contains("data-rendered=\"true\"")
                    .contains("data-points=\"" + chart.pointCount() + "\"");
            long drawnSeries = chart.series().stream().filter(s -> !s.points().isEmpty()).count();
            int paths = count(m.group(3), "<path");
            assertThat(paths).as(id + ": SVG paths for " + drawnSeries + " series").isGreaterThan((int) drawnSeries);
            seen++;
        }
        assertThat(seen).isEqualTo(charts.size());
        assertThat(count(dom.substring(dom.indexOf("id=\"alerts\"")), "<tr>") - 1)
                .as("alert rows").isGreaterThanOrEqualTo(report.alerts().size());
        assertThat(dom).contains("final; generated");
        for (String line : Findings.of(report)) {
            assertThat(dom).contains(line.strip().replace("&", "&amp;"));
        }
    }

    @Test
    void aLiveReportSaysSoAndPicksUpNewDataWithoutAReload(@TempDir Path dir) throws Exception {
        Report live = new Report(Instant.EPOCH, true, List.of(), List.of());
        HtmlReport html = new HtmlReport(dir);
        Path page = html.write(live, List.of(), List.of("nothing yet"));
        String dom = HeadlessChromium.dumpDom(page, 2_000);
        assertThat(dom).contains("class=\"live\"").contains("data-live=\"true\"");
        assertThat(Files.readString(dir.resolve(HtmlReport.DATA))).startsWith("dwReport(");
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
