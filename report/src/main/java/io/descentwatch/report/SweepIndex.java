package io.descentwatch.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertScope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The index of a report's sweeps, what the page leads with: per sweep its runs, sizes, state, findings, run alerts
 * by type, a summary of the stopping advice and its last update, and the version and key the page uses to load
 * the sweep in detail and to redraw only the sweeps that changed. Small however long the curves are.
 */
public final class SweepIndex {

    private SweepIndex() {}

    /**
     * A sweep's key: its data file's name and its place in the page's address. A hash, because a sweep id may hold
     * anything a file name cannot, and the same id always gives the same key.
     */
    public static String key(String sweepId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(sweepId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static ObjectNode of(Report report, ObjectMapper json) {
        ObjectNode root = json.createObjectNode();
        root.put("live", report.live());
        root.put("generated", report.generated().toString());
        ArrayNode sweeps = root.putArray("sweeps");
        for (Report.SweepView sweep : report.sweeps()) {
            ObjectNode s = sweeps.addObject();
            s.put("key", key(sweep.sweepId()));
            s.put("sweep", sweep.sweepId());
            s.put("version", sweep.version());
            s.put("updated", sweep.updated() == null ? null : sweep.updated().toString());
            s.put("runs", sweep.runs().size());
            s.put("sizes", sweep.sizes());
            s.put(
                    "min_params",
                    sweep.runs().stream()
                            .mapToLong(Report.RunView::paramCount)
                            .min()
                            .orElse(0));
            s.put(
                    "max_params",
                    sweep.runs().stream()
                            .mapToLong(Report.RunView::paramCount)
                            .max()
                            .orElse(0));
            long finished =
                    sweep.runs().stream().filter(Report.RunView::finished).count();
            s.put("finished", finished);
            s.put("state", finished == sweep.runs().size() && finished > 0 ? "finished" : "training");
            s.set("findings", json.valueToTree(Findings.found(sweep)));
            ArrayNode verdicts = s.putArray("verdicts");
            sweep.alerts().stream()
                    .filter(a -> a.scope() == AlertScope.SWEEP)
                    .map(a -> a.type().name())
                    .distinct()
                    .forEach(verdicts::add);
            Map<String, Integer> runAlerts = new TreeMap<>();
            Map<String, Integer> advice = new TreeMap<>();
            for (Report.RunView r : sweep.runs()) {
                for (Alert a : r.alerts()) {
                    runAlerts.merge(a.type().name(), 1, Integer::sum);
                }
                advice.merge(
                        r.advice() == null
                                ? "none"
                                : r.advice().verdict().name().toLowerCase(Locale.ROOT),
                        1,
                        Integer::sum);
            }
            s.set("run_alerts", json.valueToTree(runAlerts));
            s.set("advice", json.valueToTree(advice));
        }
        return root;
    }
}
