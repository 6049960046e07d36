package io.descentwatch.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.detection.StopRule;
import io.descentwatch.detection.SweepLedger;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertScope;
import io.descentwatch.testkit.HeadlessChromium;
import io.descentwatch.testkit.LabelledCurves;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report as a browser draws it: Debian's Chromium, headless, opens the page from a file:// URL and runs
 * its scripts; the DOM it leaves must hold the index of every sweep and, for the sweep it opens (the one its
 * address names), every chart, drawn (SVG paths) with the data it was given, and every alert in the tables.
 */
class HtmlReportBrowserTest {

    private static final Pattern CHART =
            Pattern.compile("<div class=\"chart\" id=\"([^\"]+)\"([^>]*)>(.*?)</svg>", Pattern.DOTALL);

    @Test
    void everyChartRendersWithItsDataAndEveryAlertIsListed(@TempDir Path dir) throws Exception {
        // four sweeps with several seeds per size and one with a single seed: every kind of series and marker
        Report report = CorpusReports.of(
                LabelledCurves.modelwise(),
                e -> e.sweepId().compareTo("mw-m03") <= 0 || e.sweepId().equals("mw-p00"));
        assertThat(report.alerts()).as("the data has sweep verdicts").anyMatch(a -> a.scope() == AlertScope.SWEEP);
        assertThat(report.alerts().stream()
                        .filter(a -> a.scope() == AlertScope.RUN)
                        .count())
                .as("the data has many run alerts")
                .isGreaterThan(10);
        assertThat(report.sweeps().stream().flatMap(s -> s.runs().stream()))
                .as("some advice says stop")
                .anyMatch(r -> r.advice() != null && r.advice().stop());
        List<Report.RunView> all =
                report.sweeps().stream().flatMap(s -> s.runs().stream()).toList();
        assertThat(all)
                .as("the advice stops some runs")
                .anyMatch(r -> r.ledger().advice().stopped());
        assertThat(all)
                .as("patience stops a run the advice keeps training")
                .anyMatch(r ->
                        r.ledger().patience3().stopped() && !r.ledger().advice().stopped());
        Path page = new HtmlReport(dir).write(report);
        int n = 0;
        for (Report.SweepView sweep : report.sweeps()) {
            String key = SweepIndex.key(sweep.sweepId());
            String dom = HeadlessChromium.dumpDom(page.toUri() + "#sweep=" + key, 10_000);
            assertThat(dom)
                    .as("the index lists every sweep")
                    .contains("data-sweeps=\"" + report.sweeps().size() + "\"");
            for (Report.SweepView other : report.sweeps()) {
                assertThat(dom)
                        .contains("<tr data-key=\"" + SweepIndex.key(other.sweepId()) + "\" data-sweep=\""
                                + other.sweepId() + "\"");
            }
            assertThat(dom).contains("data-open=\"" + key + "\"");
            assertSweepShown(oneSweep(report, sweep), ReportCharts.of(sweep, ++n), dom);
        }
    }

    private static Report oneSweep(Report report, Report.SweepView sweep) {
        return new Report(
                report.generated(),
                report.live(),
                List.of(sweep),
                report.alerts().stream()
                        .filter(a -> a.sweepId().equals(sweep.sweepId()))
                        .toList());
    }

    private static void assertSweepShown(Report report, List<Chart> charts, String dom) {
        assertThat(dom).contains("data-charts=\"" + charts.size() + "\"");
        Matcher m = CHART.matcher(dom);
        int seen = 0;
        while (m.find()) {
            String id = m.group(1);
            Chart chart =
                    charts.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
            String attributes = m.group(2);
            assertThat(attributes)
                    .as(id)
                    .contains("data-rendered=\"true\"")
                    .contains("data-points=\"" + chart.pointCount() + "\"");
            long drawnSeries =
                    chart.series().stream().filter(s -> !s.points().isEmpty()).count();
            int paths = count(m.group(3), "<path");
            assertThat(paths)
                    .as(id + ": SVG paths for " + drawnSeries + " series")
                    .isGreaterThan((int) drawnSeries);
            seen++;
        }
        assertThat(seen).isEqualTo(charts.size());
        assertAlertsSummarised(report, dom);
        assertAdviceShown(report, dom);
        assertLedgerShown(report, dom);
        assertThat(dom).contains("final; ");
        for (String line : Findings.found(report.sweeps().get(0))) {
            assertThat(dom).contains(line.strip().replace("&", "&amp;"));
        }
    }

    @Test
    void aLiveReportSaysSoAndPicksUpNewDataWithoutAReload(@TempDir Path dir) throws Exception {
        Report live = new Report(Instant.EPOCH, true, List.of(), List.of());
        HtmlReport html = new HtmlReport(dir);
        Path page = html.write(live);
        String dom = HeadlessChromium.dumpDom(page, 2_000);
        assertThat(dom).contains("class=\"live\"").contains("data-live=\"true\"");
        assertThat(Files.readString(dir.resolve(HtmlReport.DATA))).startsWith("dwReport(");
    }

    /**
     * Each run's row in the run table shows its advice (CONTINUE or STOP), the checkpoint to keep, the chance that
     * going on beats the best so far, and why.
     */
    private static void assertAdviceShown(Report report, String dom) {
        List<Report.RunView> runs =
                report.sweeps().stream().flatMap(s -> s.runs().stream()).toList();
        assertThat(runs).as("runs with advice").anyMatch(r -> r.advice() != null);
        assertThat(dom).contains("<th>advice</th><th>keep epoch</th><th>chance</th><th>why</th>");
        assertThat(runs)
                .as("some advice with a chance")
                .anyMatch(r -> r.advice() != null && r.advice().chance() != null);
        for (Report.RunView r : runs) {
            if (r.advice() == null) {
                continue;
            }
            String verdict = r.advice().verdict().name();
            String keep =
                    r.advice().bestEpoch() >= 0 ? String.valueOf(r.advice().bestEpoch()) : "";
            String chance = r.advice().chance() == null
                    ? ""
                    : Math.round(100 * r.advice().chance()) + "%";
            assertThat(dom)
                    .as("advice of %s", r.runId())
                    .contains("<td>" + html(r.runId()) + "</td>")
                    .containsPattern(Pattern.quote("<td>" + html(r.runId()) + "</td>") + "(<td[^>]*>[^<]*</td>){6}"
                            + Pattern.quote("<td class=\"advice " + verdict.toLowerCase() + "\">" + verdict
                                    + "</td><td class=\"num\">" + keep + "</td><td class=\"num\">" + chance
                                    + "</td><td>"
                                    + html(r.advice().reason()) + "</td>"));
        }
    }

    /**
     * Each run's row ends with the ledger's column group (where patience 3, patience 10 and the advice stop, what
     * each keeps), and the per-sweep block has one row per sweep and rule with its totals.
     */
    private static void assertLedgerShown(Report report, String dom) {
        List<Report.RunView> runs =
                report.sweeps().stream().flatMap(s -> s.runs().stream()).toList();
        assertThat(runs).as("every run has its ledger").allMatch(r -> r.ledger() != null);
        assertThat(dom)
                .contains("<th class=\"ledger\">patience 3</th><th class=\"ledger\">patience 10</th>"
                        + "<th class=\"ledger\">advice stops</th>");
        for (Report.RunView r : runs) {
            StringBuilder cells = new StringBuilder();
            for (StopRule rule : StopRule.values()) {
                cells.append("<td class=\"ledger")
                        .append(r.ledger().kept(rule) ? " kept" : "")
                        .append("\">")
                        .append(html(LedgerText.cell(r.ledger(), rule)))
                        .append("</td>");
            }
            // the run's row: its id, ten cells up to the advice's reason, then the ledger's three
            assertThat(dom)
                    .as("ledger of %s", r.runId())
                    .containsPattern(Pattern.quote("<td>" + html(r.runId()) + "</td>") + "(<td[^>]*>[^<]*</td>){10}"
                            + Pattern.quote(cells + "</tr>"));
        }
        int rows = 0;
        for (Report.SweepView sweep : report.sweeps()) {
            SweepLedger l = sweep.ledger();
            if (l.runs() == 0) {
                continue;
            }
            for (StopRule rule : StopRule.values()) {
                assertThat(dom)
                        .as("totals of %s for %s", rule, sweep.sweepId())
                        .contains("<tr><td>"
                                + html(sweep.sweepId()) + "</td><td>" + rule.label() + "</td><td>"
                                + LedgerText.stopped(l, rule)
                                + "</td><td>" + LedgerText.spent(l, rule) + "</td><td>" + LedgerText.kept(l, rule)
                                + "</td><td>" + LedgerText.meanExcess(l, rule) + "</td></tr>");
                rows++;
            }
        }
        assertThat(rows).isEqualTo(3 * report.sweeps().size());
        assertThat(dom.indexOf("id=\"ledger\""))
                .as("the sweep totals follow the run table")
                .isGreaterThan(dom.indexOf("id=\"runs\""));
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * The page leads with the sweeps' verdicts, one row each, grouped per sweep; the run alerts follow, one row per
     * sweep and type with how many runs, each run listed (folded) under it: not one row per run.
     */
    private static void assertAlertsSummarised(Report report, String dom) {
        List<Alert> sweepAlerts = report.alerts().stream()
                .filter(a -> a.scope() == AlertScope.SWEEP)
                .toList();
        List<Alert> runAlerts = report.alerts().stream()
                .filter(a -> a.scope() == AlertScope.RUN)
                .toList();

        int sweepFindings = dom.indexOf("id=\"sweep-findings\"");
        assertThat(sweepFindings)
                .as("sweep findings come first")
                .isPositive()
                .isLessThan(dom.indexOf("id=\"findings\""))
                .isLessThan(dom.indexOf("id=\"charts\""))
                .isLessThan(dom.indexOf("id=\"run-alerts\""));
        String sweepTable = table(dom, "sweep-alerts");
        assertThat(count(sweepTable, "<tr ")).as("one row per sweep verdict").isEqualTo(sweepAlerts.size());
        for (Alert a : sweepAlerts) {
            assertThat(sweepTable).contains("data-sweep=\"" + a.sweepId() + "\" data-type=\"" + a.type() + "\"");
        }
        long sweepsWithVerdicts =
                sweepAlerts.stream().map(Alert::sweepId).distinct().count();
        assertThat(count(sweepTable, "first-of-sweep")).as("grouped per sweep").isEqualTo((int) sweepsWithVerdicts);
        if (!sweepAlerts.isEmpty()) {
            assertThat(dom).containsPattern("id=\"no-sweep-alerts\" hidden");
        }

        String runTable = table(dom, "run-alerts");
        Map<String, Long> perSweepAndType = runAlerts.stream()
                .collect(Collectors.groupingBy(a -> a.sweepId() + "|" + a.type(), Collectors.counting()));
        Matcher row = Pattern.compile("<tr data-sweep=\"([^\"]+)\" data-type=\"(\\w+)\" data-count=\"(\\d+)\"")
                .matcher(runTable);
        Map<String, Long> shown = new java.util.HashMap<>();
        while (row.find()) {
            shown.put(row.group(1) + "|" + row.group(2), Long.parseLong(row.group(3)));
        }
        assertThat(shown)
                .as("one row per sweep and type, with its count of runs")
                .isEqualTo(perSweepAndType);
        assertThat(shown.size()).as("no more rows than run alerts").isLessThanOrEqualTo(runAlerts.size());
        assertThat(count(runTable, "class=\"run-alert\""))
                .as("every run alert listed under its row")
                .isEqualTo(runAlerts.size());
        assertThat(count(runTable, "<details>")).as("folded").isEqualTo(perSweepAndType.size());
    }

    private static String table(String dom, String id) {
        int start = dom.indexOf("<table id=\"" + id + "\"");
        assertThat(start).as(id).isNotNegative();
        int body = dom.indexOf("<tbody>", start);
        return dom.substring(body, dom.indexOf("</tbody>", body) + 8).replace("<tbody>", "");
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
