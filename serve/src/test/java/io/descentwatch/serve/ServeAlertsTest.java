package io.descentwatch.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.descentwatch.alerts.NoticeJson;
import io.descentwatch.broker.LoopbackPorts;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.LedgerState;
import io.descentwatch.detection.PublishedJson;
import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.StopRule;
import io.descentwatch.detection.SweepLedger;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.report.LedgerText;
import io.descentwatch.testkit.BrowserPage;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.WebhookReceiver;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * serve in this JVM, fed two model-wise sweeps of the corpus (announcing their size, so their verdicts come when
 * their last run is known): its webhook is posted only the chosen types, the run alerts of a sweep as digests and
 * each sweep verdict on its own; its terminal prints digests; the live page, in headless Chromium, leads with the
 * verdicts and shows the run alerts per sweep and type.
 */
class ServeAlertsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A table row's cells as the page shows them. */
    private static final TypeReference<List<String>> CELLS = new TypeReference<>() {};

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theWebhookGetsTheChosenAlertsAsDigestsPerSweepAndThePageLeadsWithTheVerdicts(@TempDir Path data)
            throws Exception {
        ServeSettings settings = ServeSettings.defaults();
        settings.kafka = "127.0.0.1:" + LoopbackPorts.free();
        settings.http = "127.0.0.1:" + LoopbackPorts.free();
        settings.dataDir = data;
        settings.fresh = true;
        settings.digest.window = Duration.ofSeconds(3);
        Set<AlertType> posted = EnumSet.allOf(AlertType.class);
        posted.remove(AlertType.INTERPOLATION_REACHED);
        settings.webhookTypes = posted;
        StringWriter printed = new StringWriter();
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            settings.webhook = receiver.url("/hook").toString();
            try (Serve serve = new Serve(
                    settings,
                    DetectionSettings.defaults(),
                    TopicSettings.defaults(),
                    new PrintWriter(printed, true),
                    Clock.systemUTC())) {
                int port = serve.httpAt().port();
                publishTwoSweeps(serve.kafkaAt().toString(), TopicSettings.defaults().epochs);
                JsonNode alerts = settledAlerts(port);
                Map<String, JsonNode> byId = new HashMap<>();
                alerts.forEach(a -> byId.put(a.get("alert_id").asText(), a));
                Set<String> sweepAlerts =
                        ids(alerts, a -> a.get("scope").asText().equals("sweep"));
                Set<String> runAlerts = ids(alerts, a -> a.get("scope").asText().equals("run"));
                Set<String> expected = ids(alerts, a -> !a.get("type").asText().equals("INTERPOLATION_REACHED"));
                assertThat(sweepAlerts).as("sweep verdicts").isNotEmpty();
                assertThat(runAlerts.size()).as("many run alerts").isGreaterThan(10);

                // the API: the same subscription as the command line's, by scope, type and sweep
                assertThat(ids(get(port, "/api/alerts?scope=sweep"), a -> true)).isEqualTo(sweepAlerts);
                assertThat(ids(get(port, "/api/alerts?scope=run"), a -> true)).isEqualTo(runAlerts);
                String sweep =
                        byId.get(sweepAlerts.iterator().next()).get("sweep_id").asText();
                assertThat(ids(
                                get(port, "/api/alerts?type=MODEL_WISE_PEAK,INTERPOLATION_THRESHOLD&sweep=" + sweep),
                                a -> true))
                        .isEqualTo(ids(
                                alerts,
                                a -> a.get("sweep_id").asText().equals(sweep)
                                        && Set.of("MODEL_WISE_PEAK", "INTERPOLATION_THRESHOLD")
                                                .contains(a.get("type").asText())));
                HttpResponse<String> bad = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/alerts?scope=all"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(bad.statusCode()).isEqualTo(400);
                assertThat(bad.body()).contains("scope", "run, sweep");

                // health and Prometheus metrics on the page's port: what the detector in serve did, and no
                // record the page had to skip
                assertThat(get(port, "/health/ready").get("status").asText()).isEqualTo("UP");
                assertThat(get(port, "/health/live").get("status").asText()).isEqualTo("UP");
                String metrics = HTTP.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                assertThat(metrics)
                        .contains(
                                "descentwatch_detector_alerts_total{service=\"serve\"} " + alerts.size() + ".0",
                                "descentwatch_serve_feed_errors_total{service=\"serve\"} 0.0");

                // the webhook: every chosen alert once, sweep verdicts one post each, run alerts per sweep
                List<JsonNode> posts = awaitPosts(receiver, expected.size());
                List<String> delivered = new ArrayList<>();
                int digests = 0;
                for (JsonNode post : posts) {
                    if (post.has("digest")) {
                        digests++;
                        JsonNode d = post.get("digest");
                        assertThat(d.get("schema").asText()).isEqualTo(NoticeJson.DIGEST_SCHEMA);
                        assertThat(post.get("text").asText())
                                .contains("sweep " + d.get("sweep_id").asText() + ": ");
                        for (JsonNode a : d.get("alerts")) {
                            assertThat(a.get("sweep_id").asText())
                                    .isEqualTo(d.get("sweep_id").asText());
                            assertThat(a.get("scope").asText()).isEqualTo("run");
                            delivered.add(a.get("alert_id").asText());
                        }
                    } else {
                        delivered.add(post.get("alert").get("alert_id").asText());
                    }
                }
                assertThat(delivered)
                        .as("each chosen alert once")
                        .doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(expected);
                assertThat(digests).isPositive();
                assertThat(posts.size()).as("fewer posts than alerts").isLessThan(expected.size());
                for (JsonNode post : posts) {
                    if (post.has("alert")
                            && post.get("alert").get("scope").asText().equals("sweep")) {
                        assertThat(post.get("text").asText())
                                .contains(post.get("alert").get("type").asText());
                    }
                }
                assertThat(posts.stream()
                                .filter(p -> p.has("alert")
                                        && p.get("alert").get("scope").asText().equals("sweep"))
                                .count())
                        .as("each verdict on its own")
                        .isEqualTo(sweepAlerts.size());

                // the terminal: every verdict's message, the run alerts in digest lines
                awaitPrinted(printed, "run alerts");
                for (String id : sweepAlerts) {
                    assertThat(printed.toString())
                            .contains(byId.get(id).get("message").asText());
                }
                assertThat(printed.toString()
                                .lines()
                                .filter(l -> l.contains(" run alerts "))
                                .count())
                        .isLessThan(runAlerts.size());

                // the page: the index of both sweeps first; each sweep in detail shows its verdicts first, then
                // one row per type of run alerts
                try (BrowserPage page = BrowserPage.open("http://" + serve.httpAt() + "/")) {
                    page.await("document.body.dataset.sweeps", v -> v.asText().equals("2"), Duration.ofSeconds(30));
                    assertThat(page.evaluate("[...document.querySelectorAll('h2')].map(h => h.textContent)[0]")
                                    .asText())
                            .isEqualTo("Sweeps");
                    assertThat(page.evaluate("document.querySelector('#detail h3').textContent")
                                    .asText())
                            .isEqualTo("Sweep findings");
                    Set<String> sweepAndType = new HashSet<>();
                    alerts.forEach(a -> {
                        if (a.get("scope").asText().equals("run")) {
                            sweepAndType.add(a.get("sweep_id").asText() + "|"
                                    + a.get("type").asText());
                        }
                    });
                    int sweepRows = 0;
                    int runAlertCount = 0;
                    int runAlertRows = 0;
                    for (JsonNode key : page.evaluate(
                            "[...document.querySelectorAll('#sweeps tbody tr')]" + ".map(tr => tr.dataset.key)")) {
                        page.evaluate("location.hash = 'sweep=" + key.asText() + "'");
                        page.await(
                                "document.getElementById('detail').dataset.key",
                                v -> v.asText().equals(key.asText()),
                                Duration.ofSeconds(30));
                        sweepRows += page.evaluate("document.querySelectorAll('#sweep-alerts > tbody > tr').length")
                                .asInt();
                        runAlertCount += page.evaluate("[...document.querySelectorAll('#run-alerts > tbody > tr')]"
                                        + ".reduce((n, tr) => n + Number(tr.dataset.count), 0)")
                                .asInt();
                        runAlertRows += page.evaluate("document.querySelectorAll('#run-alerts > tbody > tr').length")
                                .asInt();
                    }
                    assertThat(sweepRows).isEqualTo(sweepAlerts.size());
                    assertThat(runAlertCount).isEqualTo(runAlerts.size());
                    long rows = alerts.findValuesAsText("type").size();
                    assertThat(runAlertRows).isEqualTo(sweepAndType.size()).isLessThan((int) rows);
                    // a folded list opens on a click and stays open when the page updates
                    page.evaluate("document.querySelector('#run-alerts details summary').click()");
                    assertThat(page.evaluate("document.querySelector('#run-alerts details').open")
                                    .asBoolean())
                            .isTrue();
                    assertThat(page.evaluate("document.querySelectorAll('#run-alerts details')[0]"
                                            + ".querySelectorAll('tr.run-alert').length")
                                    .asInt())
                            .isEqualTo(page.evaluate(
                                            "Number(document.querySelector('#run-alerts > tbody > tr').dataset.count)")
                                    .asInt());
                    page.evaluate("new Promise(r => { const s = document.createElement('script');"
                            + " s.src = 'sweeps/' + document.body.dataset.open + '.js?again'; s.onload = r;"
                            + " document.head.appendChild(s); })");
                    assertThat(page.evaluate("document.querySelector('#run-alerts details').open")
                                    .asBoolean())
                            .as("still open after the data was loaded again")
                            .isTrue();

                    // the run table: each run's advice in force, the checkpoint to keep and why, as /api/runs says
                    Map<String, JsonNode> advised = new HashMap<>();
                    get(port, "/api/runs").forEach(r -> {
                        if (r.hasNonNull("advice")) {
                            advised.put(r.get("run_id").asText(), r.get("advice"));
                        }
                    });
                    assertThat(advised).as("runs with advice").isNotEmpty();
                    // and /api/advice: each run's latest change of verdict or basis, as the advice topic has it,
                    // which the advice in force (its checkpoint and chance brought up to date since) still gives
                    Map<String, JsonNode> changed = new HashMap<>();
                    get(port, "/api/advice").forEach(a -> {
                        assertThat(a.get("schema").asText()).isEqualTo("descentwatch.advice/v1");
                        assertThat(changed.put(a.get("run_id").asText(), a))
                                .as("one advice per run")
                                .isNull();
                    });
                    assertThat(changed.keySet()).isEqualTo(advised.keySet());
                    changed.forEach((run, a) -> {
                        JsonNode inForce = advised.get(run);
                        assertThat(List.of(inForce.get("advice"), inForce.get("basis")))
                                .as("advice of %s", run)
                                .isEqualTo(List.of(a.get("advice"), a.get("basis")));
                        assertThat(inForce.get("epoch").asLong())
                                .isGreaterThanOrEqualTo(a.get("epoch").asLong());
                    });
                    Map<String, List<String>> expectedAdvice = new HashMap<>();
                    advised.forEach((run, a) -> expectedAdvice.put(
                            run,
                            List.of(
                                    a.get("advice").asText(),
                                    a.get("best_epoch").asLong() >= 0
                                            ? a.get("best_epoch").asText()
                                            : "",
                                    a.has("chance")
                                            ? Math.round(100 * a.get("chance").asDouble()) + "%"
                                            : "",
                                    a.get("reason").asText())));
                    assertThat(expectedAdvice.values())
                            .extracting(v -> v.get(0))
                            .containsAnyOf("STOP", "CONTINUE")
                            .allMatch(v -> v.equals("STOP") || v.equals("CONTINUE"));
                    Map<String, List<String>> shownAdvice = new HashMap<>();
                    for (JsonNode key : page.evaluate(
                            "[...document.querySelectorAll('#sweeps tbody tr')]" + ".map(tr => tr.dataset.key)")) {
                        page.evaluate("location.hash = 'sweep=" + key.asText() + "'");
                        page.await(
                                "document.getElementById('detail').dataset.key",
                                v -> v.asText().equals(key.asText()),
                                Duration.ofSeconds(30));
                        page.evaluate("Object.fromEntries([...document.querySelectorAll('#runs > tbody > tr')]"
                                        + ".map(tr => [tr.cells[0].textContent, [...tr.cells].slice(7, 11)"
                                        + ".map(td => td.textContent)]))")
                                .properties()
                                .forEach(e -> shownAdvice.put(e.getKey(), JSON.convertValue(e.getValue(), CELLS)));
                    }
                    Map<String, List<String>> shown = shownAdvice;
                    expectedAdvice.forEach((run, cells) -> assertThat(shown.get(run))
                            .as("advice of %s on the page", run)
                            .isEqualTo(cells));

                    // the ledger's column group and the per-sweep totals, as the run summaries on /api/runs say
                    assertLedgerShown(page, port);
                }
            }
        }
    }

    /**
     * The run table ends with where patience 3, patience 10 and the advice stop and what each keeps, and the
     * per-sweep block has each rule's totals, as the latest run summaries (/api/runs) say once the runs ended.
     */
    private static void assertLedgerShown(BrowserPage page, int port) throws Exception {
        PublishedJson published = new PublishedJson();
        Map<String, List<String>> cells = new HashMap<>();
        Map<String, List<LedgerState>> bySweep = new TreeMap<>();
        for (JsonNode r : get(port, "/api/runs")) {
            RunSummary s = published.decodeSummary(JSON.writeValueAsBytes(r));
            assertThat(s.ledger()).as("ledger of %s", s.runId()).isNotNull();
            cells.put(
                    s.runId(),
                    Stream.of(StopRule.values())
                            .map(rule -> LedgerText.cell(s.ledger(), rule))
                            .toList());
            bySweep.computeIfAbsent(s.sweepId(), k -> new ArrayList<>()).add(s.ledger());
        }
        assertThat(cells.values())
                .as("patience stops some runs")
                .anyMatch(c -> c.get(0).startsWith("stop "));
        // one sweep at a time in detail: each sweep's runs and totals, gathered
        Map<String, List<String>> shown = new HashMap<>();
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode key :
                page.evaluate("[...document.querySelectorAll('#sweeps tbody tr')].map(tr => tr.dataset.key)")) {
            page.evaluate("location.hash = 'sweep=" + key.asText() + "'");
            page.await(
                    "document.getElementById('detail').dataset.key",
                    v -> v.asText().equals(key.asText()),
                    Duration.ofSeconds(30));
            page.evaluate(
                            "Object.fromEntries([...document.querySelectorAll('#runs > tbody > tr')]"
                                    + ".map(tr => [tr.cells[0].textContent, [...tr.cells].slice(11).map(td => td.textContent)]))")
                    .properties()
                    .forEach(e -> shown.put(e.getKey(), JSON.convertValue(e.getValue(), CELLS)));
            page.evaluate("[...document.querySelectorAll('#ledger > tbody > tr')].map(tr => [...tr.cells]"
                            + ".map(td => td.textContent))")
                    .forEach(r -> rows.add(JSON.convertValue(r, CELLS)));
        }
        cells.forEach((run, c) ->
                assertThat(shown.get(run)).as("ledger of %s on the page", run).isEqualTo(c));
        List<List<String>> totals = new ArrayList<>();
        bySweep.forEach((sweep, ledgers) -> {
            SweepLedger l = SweepLedger.of(ledgers);
            for (StopRule rule : StopRule.values()) {
                totals.add(List.of(
                        sweep,
                        rule.label(),
                        LedgerText.stopped(l, rule),
                        LedgerText.spent(l, rule),
                        LedgerText.kept(l, rule),
                        LedgerText.meanExcess(l, rule)));
            }
        });
        assertThat(rows).containsExactlyInAnyOrderElementsOf(totals);
    }

    /** The first two sweeps of the model-wise corpus, each event saying how many runs its sweep has. */
    private static void publishTwoSweeps(String bootstrap, String topic) throws IOException {
        List<String> lines = LabelledCurves.firstRuns(LabelledCurves.modelwise(), 2);
        Map<String, Set<String>> runs = new HashMap<>();
        List<ObjectNode> events = new ArrayList<>();
        for (String line : lines) {
            ObjectNode e = (ObjectNode) JSON.readTree(line);
            runs.computeIfAbsent(e.get("sweep_id").asText(), s -> new HashSet<>())
                    .add(e.get("run_id").asText());
            events.add(e);
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("enable.idempotence", "false");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (ObjectNode e : events) {
                ObjectNode tags = e.has("tags") ? (ObjectNode) e.get("tags") : e.putObject("tags");
                tags.put(
                        EpochEvent.SWEEP_RUNS_TAG,
                        String.valueOf(runs.get(e.get("sweep_id").asText()).size()));
                producer.send(new ProducerRecord<>(topic, e.get("run_id").asText(), JSON.writeValueAsString(e)));
            }
        }
    }

    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** /api/alerts once it holds sweep verdicts and has not changed for 3 s. */
    private static JsonNode settledAlerts(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        JsonNode last = JSON.createArrayNode();
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            JsonNode now = JSON.readTree(HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/alerts"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            if (now.size() != last.size()) {
                last = now;
                stableSince = System.nanoTime();
            } else if (now.findValuesAsText("scope").contains("sweep")
                    && System.nanoTime() - stableSince > Duration.ofSeconds(3).toNanos()) {
                return now;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the alerts did not settle with a sweep verdict among them: " + last);
    }

    private static List<JsonNode> awaitPosts(WebhookReceiver receiver, int alerts) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<JsonNode> posts = List.of();
        while (System.nanoTime() < deadline) {
            posts = new ArrayList<>();
            int count = 0;
            for (WebhookReceiver.Request r : receiver.requests()) {
                JsonNode body = JSON.readTree(r.body());
                posts.add(body);
                count += body.has("digest") ? body.get("digest").get("alerts").size() : 1;
            }
            if (count >= alerts) {
                return posts;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the webhook was not posted all " + alerts + " alerts: " + posts);
    }

    private static void awaitPrinted(StringWriter printed, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!printed.toString().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("serve did not print \"" + text + "\":\n" + printed);
            }
            Thread.sleep(200);
        }
    }

    private static Set<String> ids(JsonNode alerts, java.util.function.Predicate<JsonNode> which) {
        Set<String> ids = new HashSet<>();
        alerts.forEach(a -> {
            if (which.test(a)) {
                ids.add(a.get("alert_id").asText());
            }
        });
        return ids;
    }
}
