package io.descentwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.serve.Serve;
import io.descentwatch.serve.ServeSettings;
import io.descentwatch.testkit.BrowserPage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python client, measured on a real {@code serve} (in this JVM, fresh data directory, free ports): the cost of
 * one {@code log()} against a bare confluent-kafka {@code produce} of the same JSON (and against the README's
 * hand-written publish), in one Python process, interleaved; and the time from a {@code log()} call to the live
 * page in headless Chromium showing that event, with the client's default linger and with none.
 */
final class ClientBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COST_TOPIC = "bench.client-cost";

    /** Per-call costs in microseconds (one value per repetition) and page latencies in milliseconds. */
    record Result(
            int events,
            List<Double> client,
            List<Double> bare,
            List<Double> handmade,
            List<Double> pageDefault,
            List<Double> pageNoLinger,
            int latencyEvents) {}

    private ClientBench() {}

    static Result run(Path script, String python, int events, int repetitions, int latencyEvents, Duration interval)
            throws Exception {
        try (ScratchDirectory data = ScratchDirectory.create("bench-client-")) {
            ServeSettings settings = LocalServe.settings(data);
            try (Serve serve = new Serve(
                    settings,
                    DetectionSettings.defaults(),
                    TopicSettings.defaults(),
                    new PrintWriter(new StringWriter()),
                    Clock.systemUTC())) {
                String bootstrap = serve.kafkaAt().toString();
                // the cost is measured on a topic of its own: on the epochs topic the detector and the page would
                // process the events meanwhile, competing for the cores with what is measured (and the longer
                // loops more), and the page would still be busy with them when its latency is timed
                TopicSettings topics = TopicSettings.defaults();
                new TopicProvisioner(serve.kafka().clientProperties())
                        .ensure(List.of(TopicProvisioner.topic(COST_TOPIC, topics)));
                JsonNode cost = JSON.readTree(python(
                                python,
                                script,
                                List.of(
                                        "cost",
                                        "--bootstrap",
                                        bootstrap,
                                        "--topic",
                                        COST_TOPIC,
                                        "--events",
                                        String.valueOf(events),
                                        "--repetitions",
                                        String.valueOf(repetitions)))
                        .get(0));
                List<Double> pageDefault;
                List<Double> pageNoLinger;
                try (BrowserPage page = BrowserPage.open("http://" + serve.httpAt() + "/")) {
                    page.await(
                            "document.body && document.body.dataset.charts",
                            v -> !v.isMissingNode()
                                    && !v.isNull()
                                    && !v.asText().isEmpty(),
                            Duration.ofSeconds(60));
                    pageDefault = latencies(
                            page, python, script, bootstrap, "bench-latency/default", null, latencyEvents, interval);
                    pageNoLinger = latencies(
                            page, python, script, bootstrap, "bench-latency/no-linger", "0", latencyEvents, interval);
                }
                return new Result(
                        events,
                        doubles(cost.get("client_us")),
                        doubles(cost.get("bare_us")),
                        doubles(cost.get("handmade_us")),
                        pageDefault,
                        pageNoLinger,
                        latencyEvents);
            }
        }
    }

    /**
     * Watches the runs table for {@code runId}'s epochs (a MutationObserver notes when each first shows, by the
     * browser's clock), lets the client log at a trainer's pace, and returns, per event, page time minus the
     * wall-clock time of its {@code log()} call (one machine, one clock).
     */
    private static List<Double> latencies(
            BrowserPage page,
            String python,
            Path script,
            String bootstrap,
            String runId,
            String linger,
            int events,
            Duration interval)
            throws Exception {
        page.evaluate("(() => { window.seen = window.seen || {}; const run = " + JSON.writeValueAsString(runId)
                + "; const body = document.querySelector('#runs tbody'); const note = () => { for (const tr of "
                + "body.rows) { if (tr.cells[0].textContent === run) { const k = run + '@' + tr.cells[3]"
                + ".textContent; if (!(k in window.seen)) window.seen[k] = Date.now(); } } }; new MutationObserver"
                + "(note).observe(body, {childList: true, subtree: true, characterData: true}); return true; })()");
        List<String> args = new ArrayList<>(List.of(
                "latency",
                "--bootstrap",
                bootstrap,
                "--events",
                String.valueOf(events),
                "--interval",
                String.valueOf(interval.toMillis() / 1000.0),
                "--run-id",
                runId));
        if (linger != null) {
            args.addAll(List.of("--linger", linger));
        }
        Map<Long, Double> sent = new HashMap<>();
        for (String line : python(python, script, args)) {
            JsonNode n = JSON.readTree(line);
            sent.put(n.get("epoch").asLong(), n.get("sent_ms").asDouble());
        }
        Thread.sleep(3000);
        JsonNode seen = page.evaluate("window.seen");
        List<Double> out = new ArrayList<>();
        sent.forEach((epoch, at) -> {
            JsonNode shown = seen.get(runId + "@" + epoch);
            // an epoch overtaken by the next one before a redraw is never shown on its own: it has no time
            if (shown != null) {
                out.add(shown.asDouble() - at);
            }
        });
        return out;
    }

    private static List<String> python(String python, Path script, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python, script.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        }
        if (p.waitFor() != 0 || lines.isEmpty()) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed with exit code " + p.exitValue());
        }
        return lines;
    }

    private static List<Double> doubles(JsonNode array) {
        List<Double> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asDouble()));
        return out;
    }
}
