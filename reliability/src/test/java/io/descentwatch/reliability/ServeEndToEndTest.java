package io.descentwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.descentwatch.broker.LoopbackPorts;
import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.AlertType;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.testkit.BrowserPage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A user's first session, with real parts only: {@code serve} as a process of its own, the README's PyTorch
 * width sweep (Debian's python3-torch) publishing through the Python client, the alerts read back from
 * {@code /api/alerts} and from the alerts topic, the page watched in headless Chromium while it updates by itself,
 * and serve stopped with SIGTERM and started again on the same data directory showing the same runs and alerts.
 */
class ServeEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of(System.getProperty("descentwatch.repo.root", ".."))
            .toAbsolutePath()
            .normalize();
    private static final String SWEEP = "e2e-torch";
    private static final int RUNS = 39;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration DIGEST_WINDOW = Duration.ofSeconds(20);
    private static final Pattern DIGEST_LINE = Pattern.compile("(\\d+) run alerts +sweep " + SWEEP + ": ");

    @Test
    void aPyTorchSweepThroughTheClientShowsItsAlertsLiveAndAfterARestart() throws Exception {
        int kafkaPort = LoopbackPorts.free();
        int httpPort = LoopbackPorts.free();
        String page = "http://127.0.0.1:" + httpPort + "/";
        // a short digest window: the run alerts the sweep raises together are printed as one line per sweep soon
        List<String> args = List.of(
                "serve",
                "--kafka",
                "127.0.0.1:" + kafkaPort,
                "--http",
                "127.0.0.1:" + httpPort,
                "--digest-window",
                DIGEST_WINDOW.toString());
        try (ScratchDirectory data = ScratchDirectory.create("serve-e2e-")) {
            List<String> first = new ArrayList<>(args);
            first.addAll(List.of("--data-dir", data.path().toString(), "--fresh"));
            Set<String> alertIds;
            Set<String> runIds;
            try (CliProcess serve = CliProcess.start("serve-1", first, Map.of())) {
                serve.awaitOutput("live page at", Duration.ofMinutes(2));
                assertThat(serve.output()).contains("(new)");
                try (BrowserPage browser = BrowserPage.open(page)) {
                    browser.await(
                            "document.body.dataset.charts", v -> v.asText().equals("0"), Duration.ofSeconds(30));
                    Process sweep = sweep(kafkaPort);
                    // while the sweep trains, the open page shows runs arriving: some, then more, never reloaded
                    int some = browser.await(rowsOf("runs"), v -> v.asInt() > 0, Duration.ofMinutes(2))
                            .asInt();
                    browser.evaluate("window.notReloaded = true");
                    int more = browser.await(rowsOf("runs"), v -> v.asInt() > some, Duration.ofMinutes(2))
                            .asInt();
                    assertThat(more).isLessThanOrEqualTo(RUNS);
                    assertThat(sweep.waitFor(5, TimeUnit.MINUTES))
                            .as("the example finished")
                            .isTrue();
                    String sweepOutput = new String(sweep.getInputStream().readAllBytes());
                    assertThat(sweep.exitValue()).as(sweepOutput).isZero();

                    JsonNode alerts = awaitAlerts(
                            httpPort,
                            Set.of(
                                    AlertType.MODEL_WISE_PEAK,
                                    AlertType.INTERPOLATION_THRESHOLD,
                                    AlertType.OVERPARAMETERIZED_WINS));
                    JsonNode peak = ofType(alerts, AlertType.MODEL_WISE_PEAK);
                    // the peak sits near N = n, where the model can just fit its 100 examples
                    assertThat(peak.get("p_over_n").asDouble()).isBetween(0.5, 2.0);
                    assertThat(ofType(alerts, AlertType.OVERPARAMETERIZED_WINS)
                                    .get("p_over_n")
                                    .asDouble())
                            .isGreaterThan(1.0);
                    assertNewestFirst(alerts, "time");
                    alertIds = ids(alerts, "alert_id");

                    // the same alerts are on the alerts topic, for any Kafka client
                    List<Alert> onTopic = Fixtures.alerts(Fixtures.readAll(
                            KafkaSettings.of("127.0.0.1:" + kafkaPort),
                            "descent.alerts",
                            alertIds.size(),
                            Duration.ofSeconds(30)));
                    assertThat(onTopic.stream().map(Alert::alertId).collect(Collectors.toSet()))
                            .containsExactlyInAnyOrderElementsOf(alertIds);
                    // and serve printed each sweep verdict as it fired, and the run alerts summarised: every one
                    // in a digest line of the sweep or (alone in its window) on its own, in fewer lines than alerts
                    List<Alert> runAlerts = onTopic.stream()
                            .filter(a -> a.scope() == AlertScope.RUN)
                            .toList();
                    for (Alert a : onTopic) {
                        if (a.scope() == AlertScope.SWEEP) {
                            serve.awaitOutput(a.message(), Duration.ofSeconds(10));
                        }
                    }
                    assertThat(runAlerts.size())
                            .as("the example raises run alerts in most runs")
                            .isGreaterThan(RUNS / 2);
                    long deadline =
                            System.nanoTime() + DIGEST_WINDOW.plusSeconds(30).toNanos();
                    int printedRunAlerts = 0;
                    int runAlertLines = 0;
                    while (System.nanoTime() < deadline) {
                        String printed = serve.output();
                        Matcher digest = DIGEST_LINE.matcher(printed);
                        printedRunAlerts = 0;
                        runAlertLines = 0;
                        while (digest.find()) {
                            printedRunAlerts += Integer.parseInt(digest.group(1));
                            runAlertLines++;
                        }
                        for (Alert a : runAlerts) {
                            if (printed.contains(a.message())) {
                                printedRunAlerts++;
                                runAlertLines++;
                            }
                        }
                        if (printedRunAlerts >= runAlerts.size()) {
                            break;
                        }
                        Thread.sleep(250);
                    }
                    assertThat(printedRunAlerts)
                            .as("run alerts printed:\n" + serve.output())
                            .isEqualTo(runAlerts.size());
                    assertThat(runAlertLines).as("lines for them").isLessThan(runAlerts.size());

                    JsonNode runs = awaitRuns(httpPort);
                    runIds = ids(runs, "run_id");
                    assertNewestFirst(runs, "time");
                    // the client follows each run's stopping advice from the advice topic
                    String adviceOut = adviceOf(kafkaPort, runIds.iterator().next());
                    assertThat(adviceOut)
                            .contains(
                                    "descentwatch.advice/v1", runIds.iterator().next())
                            .containsAnyOf("should_stop True", "should_stop False");
                    JsonNode sweeps = get(httpPort, "/api/sweeps");
                    assertThat(ids(sweeps, "sweep_id")).containsExactly(SWEEP);

                    // the page caught up by itself: every run, every alert, the peak among them, no reload
                    browser.await(rowsOf("runs"), v -> v.asInt() == RUNS, Duration.ofSeconds(30));
                    awaitAlertsOnPage(browser, onTopic);
                    assertThat(browser.evaluate("document.querySelector('#sweep-alerts tbody').textContent")
                                    .asText())
                            .contains("MODEL_WISE_PEAK");
                    assertThat(browser.evaluate("window.notReloaded === true").asBoolean())
                            .isTrue();
                    assertThat(browser.evaluate("document.getElementById('status').textContent")
                                    .asText())
                            .contains("updating as events arrive");
                    browser.await(
                            "[...document.querySelectorAll('.chart')].filter(c => c.dataset.rendered"
                                    + " === 'true' && c.querySelector('svg path')).length",
                            v -> v.asInt() >= 2,
                            Duration.ofSeconds(30));
                }

                // SIGTERM: serve stops everything, and nothing is left holding its ports or its data directory
                long stopping = System.nanoTime();
                serve.terminate();
                int code = serve.awaitExit(Duration.ofSeconds(60));
                assertThat(serve.output())
                        .as("exit code %d after %d ms", code, (System.nanoTime() - stopping) / 1_000_000)
                        .contains("serve stopped; data kept");
                assertFree(kafkaPort);
                assertFree(httpPort);
            }

            try (CliProcess again = CliProcess.start("serve-2", withDataDir(args, data.path()), Map.of())) {
                again.awaitOutput("live page at", Duration.ofMinutes(2));
                assertThat(again.output()).contains("resumed with").contains(RUNS + " runs");
                assertThat(ids(get(httpPort, "/api/alerts"), "alert_id")).isEqualTo(alertIds);
                assertThat(ids(get(httpPort, "/api/runs"), "run_id")).isEqualTo(runIds);
                try (BrowserPage browser = BrowserPage.open(page)) {
                    browser.await(rowsOf("runs"), v -> v.asInt() == RUNS, Duration.ofSeconds(30));
                    browser.await(
                            RUN_ALERTS_ON_PAGE + " + " + rowsOf("sweep-alerts"),
                            v -> v.asInt() == alertIds.size(),
                            Duration.ofSeconds(30));
                }
                // earlier alerts are on the page, not printed again
                assertThat(again.output()).doesNotContain("MODEL_WISE_PEAK");
                again.terminate();
                again.awaitExit(Duration.ofSeconds(60));
            }
            assertFree(kafkaPort);
        }
    }

    @Test
    void aTakenPortOrABadFlagIsOneClearLineAndExitCodeTwo() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            try (ScratchDirectory data = ScratchDirectory.create("serve-flags-");
                    CliProcess serve = CliProcess.start(
                            "serve-taken",
                            List.of(
                                    "serve",
                                    "--kafka",
                                    "127.0.0.1:" + taken.getLocalPort(),
                                    "--http",
                                    "127.0.0.1:" + LoopbackPorts.free(),
                                    "--data-dir",
                                    data.path().toString()),
                            Map.of())) {
                assertThat(serve.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
                assertThat(serve.output())
                        .contains("--kafka 127.0.0.1:" + taken.getLocalPort() + ": the port is already in use");
            }
        }
        try (CliProcess serve = CliProcess.start("serve-bad", List.of("serve", "--http", "localhost"), Map.of())) {
            assertThat(serve.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
            assertThat(serve.output()).contains("--http must be HOST:PORT");
        }
    }

    /** What {@code Run.should_stop()} and {@code Run.advice} say for a run of the sweep, through the client. */
    private static String adviceOf(int kafkaPort, String runId) throws Exception {
        String python = System.getenv().getOrDefault("DW_PYTHON", "/usr/bin/python3");
        String script = String.join(
                "\n",
                "import json, sys, time",
                "sys.path.insert(0, sys.argv[1])",
                "import descentwatch",
                "run = descentwatch.Run(sweep_id=sys.argv[2], run_id=sys.argv[3], param_count=1, train_size=1,",
                "                       bootstrap=sys.argv[4], linger=0)",
                "deadline = time.time() + 30",
                "while run.advice is None and time.time() < deadline:",
                "    time.sleep(0.2)",
                "print(json.dumps(run.advice))",
                "print('should_stop', run.should_stop())",
                "run.close(final=False)");
        Process p = new ProcessBuilder(
                        python,
                        "-c",
                        script,
                        ROOT.resolve("clients/python").toString(),
                        SWEEP,
                        runId,
                        "127.0.0.1:" + kafkaPort)
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** The README's example, as a user runs it: Debian's Python with PyTorch, the client from the folder. */
    private static Process sweep(int kafkaPort) throws IOException {
        String python = System.getenv().getOrDefault("DW_PYTHON", "/usr/bin/python3");
        Path example = ROOT.resolve("clients/python/examples/width_sweep.py");
        return new ProcessBuilder(
                        python, example.toString(), "--bootstrap", "127.0.0.1:" + kafkaPort, "--sweep-id", SWEEP)
                .redirectErrorStream(true)
                .start();
    }

    private static List<String> withDataDir(List<String> args, Path dir) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--data-dir", dir.toString()));
        return all;
    }

    /** The run alerts the page counts in its rows of sweep and type. */
    private static final String RUN_ALERTS_ON_PAGE =
            "[...document.querySelectorAll('#run-alerts tbody tr[data-count]')]"
                    + ".reduce((n, tr) => n + Number(tr.dataset.count), 0)";

    /**
     * The page shows every sweep verdict as its own row, and the run alerts one row per type with their count,
     * not one row per run.
     */
    private static void awaitAlertsOnPage(BrowserPage browser, List<Alert> alerts) throws InterruptedException {
        long sweepAlerts =
                alerts.stream().filter(a -> a.scope() == AlertScope.SWEEP).count();
        List<Alert> runAlerts =
                alerts.stream().filter(a -> a.scope() == AlertScope.RUN).toList();
        browser.await(rowsOf("sweep-alerts"), v -> v.asInt() == sweepAlerts, Duration.ofSeconds(30));
        browser.await(RUN_ALERTS_ON_PAGE, v -> v.asInt() == runAlerts.size(), Duration.ofSeconds(30));
        long types = runAlerts.stream().map(Alert::type).distinct().count();
        assertThat(browser.evaluate(rowsOf("run-alerts")).asInt())
                .as("one row per type of the one sweep")
                .isEqualTo((int) types);
    }

    private static String rowsOf(String table) {
        return "document.querySelectorAll('#" + table + " > tbody > tr').length";
    }

    private static JsonNode awaitAlerts(int port, Set<AlertType> types) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        JsonNode alerts = get(port, "/api/alerts");
        while (System.nanoTime() < deadline) {
            alerts = get(port, "/api/alerts");
            Set<String> seen = new TreeSet<>();
            alerts.forEach(a -> seen.add(a.get("type").asText()));
            if (types.stream().allMatch(t -> seen.contains(t.name()))) {
                return alerts;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the sweep's alerts " + types + " did not all come: " + alerts);
    }

    private static JsonNode awaitRuns(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        JsonNode runs = get(port, "/api/runs");
        while (System.nanoTime() < deadline) {
            runs = get(port, "/api/runs");
            long finished = 0;
            for (JsonNode r : runs) {
                finished += r.path("finished").asBoolean() ? 1 : 0;
            }
            if (runs.size() == RUNS && finished == RUNS) {
                return runs;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not every run finished on /api/runs: " + runs);
    }

    private static JsonNode ofType(JsonNode alerts, AlertType type) {
        for (JsonNode a : alerts) {
            if (a.get("type").asText().equals(type.name())) {
                return a;
            }
        }
        throw new AssertionError("no " + type + " in " + alerts);
    }

    private static void assertNewestFirst(JsonNode items, String field) {
        Instant previous = Instant.MAX;
        for (JsonNode item : items) {
            Instant t = Instant.parse(item.get(field).asText());
            assertThat(t).as("newest first").isBeforeOrEqualTo(previous);
            previous = t;
        }
    }

    private static Set<String> ids(JsonNode items, String field) {
        Set<String> ids = new TreeSet<>();
        items.forEach(i -> ids.add(i.get(field).asText()));
        assertThat(ids).as("distinct " + field).hasSize(items.size());
        return ids;
    }

    private static JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    private static void assertFree(int port) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
        }
    }

    static {
        assertThat(Files.isRegularFile(ROOT.resolve("clients/python/examples/width_sweep.py")))
                .as("run from the repository")
                .isTrue();
    }
}
