package io.descentwatch.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.descentwatch.detection.DescentDetector;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.testkit.BrowserPage;
import io.descentwatch.testkit.LabSweeps;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of a lab, 2,000 runs in 100 sweeps, as a browser draws it (headless Chromium, driven over DevTools):
 * it opens on an index of the sweeps with those that found something first, a sweep picked there opens in detail,
 * and its epoch chart colours the runs by size on one scale (a colour bar, no legend entry per run) and names the
 * run under the pointer; the index loaded again with nothing new redraws nothing. With {@code -Ddw.screenshots=DIR} it also leaves screenshots of both views there (the
 * README's).
 */
class LabScaleBrowserTest {

    private static final int SWEEPS = 100;
    private static final int RUNS_PER_SWEEP = 20;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theIndexLeadsWithFindingsAndASweepOpensWithRunsColouredBySize(@TempDir Path dir) throws Exception {
        LabSweeps lab = new LabSweeps(SWEEPS, RUNS_PER_SWEEP, 60);
        Report report = build(lab);
        long withFindings = report.sweeps().stream()
                .filter(s -> !Findings.found(s).isEmpty())
                .count();
        assertThat(withFindings).as("some sweeps found something, some did not").isBetween(1L, SWEEPS - 1L);
        Path page = new HtmlReport(dir).write(report);

        try (BrowserPage browser = BrowserPage.open(page.toUri().toString())) {
            browser.await("document.body.dataset.sweeps", v -> v.asText().equals(String.valueOf(SWEEPS)), WAIT);
            // the index: one row per sweep, those with findings first
            JsonNode findings = browser.evaluate(
                    "[...document.querySelectorAll('#sweeps tbody tr')]" + ".map(tr => Number(tr.dataset.findings))");
            assertThat(findings).hasSize(SWEEPS);
            List<Integer> counts = new ArrayList<>();
            findings.forEach(n -> counts.add(n.asInt()));
            assertThat(counts.subList(0, (int) withFindings))
                    .as("sweeps with findings first")
                    .allMatch(n -> n > 0);
            assertThat(counts.subList((int) withFindings, SWEEPS)).allMatch(n -> n == 0);
            // the first of them is open in detail without a click
            String first = browser.evaluate("document.querySelector('#sweeps tbody tr').dataset.key")
                    .asText();
            browser.await("document.body.dataset.open", v -> v.asText().equals(first), WAIT);
            screenshot(browser, "page-index.png", false);

            // the index loaded again with nothing changed: no row drawn again, the open sweep not loaded again
            JsonNode before = browser.evaluate(
                    "(window.firstRow = document.querySelector('#sweeps tbody tr')," + " { ...window.dwDrawn })");
            browser.evaluate("new Promise(r => { const s = document.createElement('script'); s.src = 'data.js?again';"
                    + " s.onload = r; document.head.appendChild(s); })");
            JsonNode after = browser.evaluate("window.dwDrawn");
            assertThat(after.get("index").asInt()).isEqualTo(before.get("index").asInt() + 1);
            assertThat(after.get("rows").asInt()).isEqualTo(before.get("rows").asInt());
            assertThat(after.get("sweep").asInt()).isEqualTo(before.get("sweep").asInt());
            assertThat(browser.evaluate("window.firstRow === document.querySelector('#sweeps tbody tr')")
                            .asBoolean())
                    .as("the same row, kept")
                    .isTrue();

            // search and filter narrow the index
            browser.evaluate("(() => { const s = document.getElementById('search'); s.value = 'sweep042';"
                    + " s.dispatchEvent(new Event('input')); })()");
            assertThat(browser.evaluate("document.querySelectorAll('#sweeps tbody tr').length")
                            .asInt())
                    .isEqualTo(1);
            browser.evaluate("(() => { const s = document.getElementById('search'); s.value = '';"
                    + " s.dispatchEvent(new Event('input')); const f = document.getElementById('filter');"
                    + " f.value = 'findings'; f.dispatchEvent(new Event('input')); })()");
            assertThat(browser.evaluate("document.querySelectorAll('#sweeps tbody tr').length")
                            .asInt())
                    .isEqualTo((int) withFindings);

            // another sweep with findings opens in detail on a click
            int pick = 3 * 17;
            String sweepId = lab.sweepId(pick);
            browser.evaluate("document.querySelector('#sweeps tbody tr[data-sweep=\"" + sweepId + "\"]').click()");
            browser.await(
                    "document.getElementById('detail-title').textContent",
                    v -> v.asText().contains(sweepId),
                    WAIT);
            assertThat(browser.evaluate("document.querySelectorAll('#runs tbody tr').length")
                            .asInt())
                    .isEqualTo(RUNS_PER_SWEEP);
            assertThat(browser.evaluate("[...document.querySelectorAll('#runs tbody tr')].every(tr =>"
                                    + " tr.dataset.run.startsWith('" + sweepId + "/'))")
                            .asBoolean())
                    .isTrue();
            String chart = "echarts.getInstanceByDom(document.querySelector('.chart[id$=\"-epochwise\"]'))";
            browser.await(
                    "document.querySelector('.chart[id$=\"-epochwise\"]').dataset.rendered",
                    v -> v.asText().equals("true"),
                    WAIT);

            // coloured by size: one colour bar, no run in the legend, darker with every larger size
            JsonNode option = browser.evaluate("(() => { const o = " + chart + ".getOption();"
                    + " const runs = o.series.filter(s => s.type === 'line' && s.triggerLineEvent);"
                    + " return { bars: (o.visualMap || []).length, legend: o.legend[0].data,"
                    + " runs: runs.map(s => s.name), colours: runs.map(s => s.color) }; })()");
            assertThat(option.get("bars").asInt()).isEqualTo(1);
            assertThat(option.get("runs")).hasSize(RUNS_PER_SWEEP);
            List<String> legend = new ArrayList<>();
            option.get("legend").forEach(n -> legend.add(n.asText()));
            option.get("runs").forEach(n -> assertThat(legend).doesNotContain(n.asText()));
            assertThat(legend).as("the landmarks are in the legend").isNotEmpty();
            double previous = Double.MAX_VALUE;
            for (JsonNode c : option.get("colours")) {
                double lum = luminance(c.asText());
                assertThat(lum).as("runs in size order, each darker").isLessThan(previous);
                previous = lum;
            }

            // the pointer over one run's line names that run
            JsonNode target = browser.evaluate("(() => { const c = " + chart + ";"
                    + " const div = document.querySelector('.chart[id$=\"-epochwise\"]');"
                    + " div.scrollIntoView({ block: 'center' }); const box = div.getBoundingClientRect();"
                    + " const runs = c.getOption().series.map((s, i) => [s, i]).filter(([s]) => s.triggerLineEvent);"
                    + " let best = null;"
                    + " for (const k of [0.5, 0.7, 0.85]) {"
                    + "  const px = runs.map(([s, i]) => c.convertToPixel({ seriesIndex: i },"
                    + "   s.data[Math.floor(k * (s.data.length - 1))]));"
                    + "  px.forEach((p, j) => { const gap = Math.min(...px.filter((q, m) => m !== j)"
                    + "   .map(q => Math.hypot(q[0] - p[0], q[1] - p[1])));"
                    + "   if (!best || gap > best.gap) best = { gap, name: runs[j][0].name,"
                    + "    x: box.left + p[0], y: box.top + p[1] }; }); }"
                    + " return best; })()");
            assertThat(target.get("gap").asDouble())
                    .as("a run drawn apart from the others")
                    .isGreaterThan(8);
            browser.mouseMove(target.get("x").asDouble() - 3, target.get("y").asDouble() - 3);
            browser.mouseMove(target.get("x").asDouble(), target.get("y").asDouble());
            String name = target.get("name").asText();
            browser.await(
                    "document.querySelector('.chart[id$=\"-epochwise\"]').dataset.focus",
                    v -> v.asText().equals(name),
                    WAIT);
            assertThat(browser.evaluate("document.querySelector('.chart-box .chart[id$=\"-epochwise\"] + .focus')"
                                    + ".textContent")
                            .asText())
                    .isEqualTo(name);
            screenshot(browser, "page-sweep.png", false);
        }
    }

    /** The report as the report command builds it: the offline detector's alerts, advice and ledgers. */
    private static Report build(LabSweeps lab) {
        DescentDetector detector = new DescentDetector();
        ReportBuilder builder = new ReportBuilder();
        EpochEventCodec codec = new EpochEventCodec();
        lab.forEach(line -> {
            EpochEvent e = codec.decode(line).value();
            if (builder.accept(e)) {
                for (Alert a : detector.accept(e, builder::advice)) {
                    builder.accept(a);
                }
            }
        });
        detector.endOfInput().forEach(builder::accept);
        detector.runs().forEach((run, state) -> builder.ledger(run, state.ledger()));
        return builder.snapshot(false);
    }

    private static double luminance(String rgb) {
        String[] c = rgb.replaceAll("[^0-9,]", "").split(",");
        return 0.2126 * Integer.parseInt(c[0]) + 0.7152 * Integer.parseInt(c[1]) + 0.0722 * Integer.parseInt(c[2]);
    }

    private static void screenshot(BrowserPage browser, String name, boolean fullPage) throws Exception {
        String dir = System.getProperty("dw.screenshots");
        if (dir != null && !dir.isBlank()) {
            Files.createDirectories(Path.of(dir));
            browser.screenshot(Path.of(dir).resolve(name), fullPage);
        }
    }
}
