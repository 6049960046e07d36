package io.descentwatch.report;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.descentwatch.detection.LedgerState;
import io.descentwatch.detection.RuleTrack;
import io.descentwatch.detection.StopRule;
import io.descentwatch.detection.SweepLedger;
import io.descentwatch.events.Alert;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The HTML report: a static page ({@code index.html}) with Apache ECharts beside it, an index of the sweeps in
 * {@code data.js} ({@link SweepIndex}) and each sweep's charts, alerts and runs in {@code sweeps/<key>.js}, loaded
 * when the reader opens that sweep: at a hundred sweeps and thousands of runs the page opens on the index at once
 * instead of drawing every curve. Only what changed is rewritten on each update (the index, and the sweeps whose
 * version went up). While the report is live the page loads {@code data.js} again every few seconds and redraws
 * in place, so an open browser tab is a live view with no server, from a {@code file://} URL; once the run is over
 * the data says so and the page stops reloading.
 */
public final class HtmlReport {

    public static final String PAGE = "index.html";
    public static final String DATA = "data.js";
    /** The folder of the per-sweep data files, beside the page. */
    public static final String SWEEPS = "sweeps";

    private static final String ECHARTS_POM = "META-INF/maven/org.webjars.npm/echarts/pom.properties";

    /** Non-ASCII escaped, so the data is plain ASCII JavaScript whatever the run ids hold. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .build();

    private final Path dir;
    private boolean pageWritten;
    /** The version of each sweep's file as last written, by key. */
    private final Map<String, Long> written = new HashMap<>();

    public HtmlReport(Path dir) {
        this.dir = dir;
    }

    public Path page() {
        return dir.resolve(PAGE);
    }

    /**
     * Writes the report's current data (and, the first time, the page and its library): the index, and the file of
     * each sweep that changed since the last write (every one whose version is not known); returns the page.
     */
    public synchronized Path write(Report report) {
        try {
            if (!pageWritten) {
                Files.createDirectories(dir.resolve(SWEEPS));
                copy(resource("io/descentwatch/report/" + PAGE), page());
                String echarts = "META-INF/resources/webjars/echarts/" + echartsVersion() + "/";
                copy(resource(echarts + "dist/echarts.min.js"), dir.resolve("echarts.min.js"));
                copy(resource(echarts + "LICENSE"), dir.resolve("echarts-LICENSE.txt"));
                pageWritten = true;
            }
            int n = 0;
            for (Report.SweepView sweep : report.sweeps()) {
                n++;
                String key = SweepIndex.key(sweep.sweepId());
                Long was = written.get(key);
                if (was == null || sweep.version() == 0 || was != sweep.version()) {
                    replace(dir.resolve(SWEEPS).resolve(key + ".js"), sweepScript(report, sweep, n));
                    written.put(key, sweep.version());
                }
            }
            // the index last: a page that sees a new version finds the sweep's file already there
            replace(dir.resolve(DATA), dataScript(report));
            return page();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Written beside and moved into place, so the page never loads half a file. */
    private void replace(Path target, byte[] data) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".data", ".tmp");
        Files.write(tmp, data);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * What {@code data.js} holds: the index of the sweeps as a call of the page's {@code dwReport}; the report
     * may be an {@link ReportBuilder#overview overview} (no curves), all the index needs.
     */
    public static byte[] dataScript(Report report) {
        return script("dwReport", SweepIndex.of(report, JSON));
    }

    /**
     * What {@code sweeps/<key>.js} holds for one sweep, the {@code n}th of its report (from 1): its charts, alerts
     * and runs as a call of the page's {@code dwSweep}.
     */
    public static byte[] sweepScript(Report report, Report.SweepView sweep, int n) {
        return script("dwSweep", sweepData(report, sweep, n));
    }

    private static byte[] script(String function, ObjectNode data) {
        try {
            return (function + "(" + JSON.writeValueAsString(data) + ");\n").getBytes(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the report's data", e);
        }
    }

    /**
     * The bytes of one of the page's static files, {@code index.html}, {@code echarts.min.js} or
     * {@code echarts-LICENSE.txt}, for a server that serves the page rather than writing it to disk.
     */
    public static byte[] asset(String name) {
        try {
            String echarts = "META-INF/resources/webjars/echarts/" + echartsVersion() + "/";
            String path = switch (name) {
                case PAGE -> "io/descentwatch/report/" + PAGE;
                case "echarts.min.js" -> echarts + "dist/echarts.min.js";
                case "echarts-LICENSE.txt" -> echarts + "LICENSE";
                default -> throw new IllegalArgumentException("no such file of the report: " + name);
            };
            try (InputStream in = resource(path)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the report's " + name + ": " + e.getMessage(), e);
        }
    }

    static ObjectNode sweepData(Report report, Report.SweepView sweep, int n) {
        ObjectNode root = JSON.createObjectNode();
        root.put("key", SweepIndex.key(sweep.sweepId()));
        root.put("sweep", sweep.sweepId());
        root.put("version", sweep.version());
        root.put("generated", report.generated().toString());
        root.set("findings", JSON.valueToTree(Findings.found(sweep)));
        root.set("charts", JSON.valueToTree(ReportCharts.of(sweep, n)));
        ArrayNode runs = root.putArray("runs");
        {
            for (Report.RunView r : sweep.runs()) {
                ObjectNode run = runs.addObject()
                        .put("run", r.runId())
                        .put("sweep", r.sweepId())
                        .put("param_count", r.paramCount())
                        .put("p_over_n", r.pOverN())
                        .put("epoch", r.epoch())
                        .put("train_loss", r.trainLoss())
                        .put("test_loss", r.testLoss())
                        .put("phase", r.phase() == null ? null : r.phase().name())
                        .put("finished", r.finished());
                if (r.advice() != null) {
                    run.putObject("advice")
                            .put("verdict", r.advice().verdict().name())
                            .put("basis", r.advice().basis().wireName())
                            .put("reason", r.advice().reason())
                            .put("best_epoch", r.advice().bestEpoch())
                            .put("epoch", r.advice().epoch());
                    if (r.advice().chance() != null) {
                        ((ObjectNode) run.get("advice"))
                                .put("chance", r.advice().chance());
                    }
                }
                if (r.ledger() != null) {
                    run.set("ledger", ledger(r.ledger()));
                }
            }
        }
        // the sweep's advice ledger: what each rule does with its runs, added up
        ArrayNode ledgers = root.putArray("ledgers");
        SweepLedger l = sweep.ledger();
        if (l.runs() > 0) {
            for (StopRule rule : StopRule.values()) {
                SweepLedger.Totals t = l.of(rule);
                ledgers.addObject()
                        .put("sweep", sweep.sweepId())
                        .put("rule", rule.wireName())
                        .put("label", rule.label())
                        .put("runs", l.runs())
                        .put("epochs_so_far", l.epochsSoFar())
                        .put("stopped", t.stopped())
                        .put("epochs_spent", t.epochsSpent())
                        .put("kept", t.kept())
                        .put("mean_excess", t.meanExcess())
                        .putObject("text")
                        .put("stopped", LedgerText.stopped(l, rule))
                        .put("spent", LedgerText.spent(l, rule))
                        .put("kept", LedgerText.kept(l, rule))
                        .put("mean_excess", LedgerText.meanExcess(l, rule));
            }
        }
        ArrayNode alerts = root.putArray("alerts");
        for (Alert a : report.alerts()) {
            if (!sweep.sweepId().equals(a.sweepId())) {
                continue;
            }
            alerts.addObject()
                    .put("time", a.time().toString())
                    .put("type", a.type().name())
                    .put("scope", a.scope().name().toLowerCase(Locale.ROOT))
                    .put("sweep", a.sweepId())
                    .put("run", a.runId())
                    .put("epoch", a.epoch())
                    .put("param_count", a.paramCount())
                    .put("p_over_n", a.pOverN())
                    .put("message", a.message());
        }
        return root;
    }

    /** A run's ledger: its best so far, then each rule's account with the words the page shows for it. */
    private static ObjectNode ledger(LedgerState l) {
        ObjectNode node =
                JSON.createObjectNode().put("best_epoch", l.bestEpoch()).put("best_test_loss", l.bestTestLoss());
        ObjectNode rules = node.putObject("rules");
        for (StopRule rule : StopRule.values()) {
            RuleTrack t = rule.of(l);
            rules.putObject(rule.wireName())
                    .put("stopped", t.stopped())
                    .put("stop_epoch", t.stopEpoch())
                    .put("kept_epoch", t.keptEpoch())
                    .put("kept_test_loss", t.keptTestLoss())
                    .put("epochs_spent", t.epochsSpent())
                    .put("kept", l.kept(rule))
                    .put("text", LedgerText.cell(l, rule));
        }
        return node;
    }

    private static String echartsVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = resource(ECHARTS_POM)) {
            p.load(in);
        }
        return p.getProperty("version");
    }

    private static InputStream resource(String path) {
        InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("the report's resource " + path + " is missing from the classpath");
        }
        return in;
    }

    private static void copy(InputStream in, Path target) throws IOException {
        try (in) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
