package io.descentwatch.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.descentwatch.detection.DescentDetector;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.LedgerState;
import io.descentwatch.detection.RuleTrack;
import io.descentwatch.detection.StopRule;
import io.descentwatch.detection.SweepLedger;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.options.Ranges;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.StreamsAppSettings;
import io.descentwatch.testkit.InfluxServer;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * A real pipeline (corpus -> broker -> detector -> sink -> InfluxDB), then every query of every provisioned
 * dashboard, with its variables substituted as Grafana would, run against that InfluxDB: each must return the
 * series and columns its panel draws. This stands in for a Grafana server, which this machine does not have.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardPipelineTest {

    private static final Path DASHBOARDS =
            Path.of(System.getProperty("descentwatch.repo.root", "..")).resolve("dashboards/json");
    /** Covers every event time in the corpus, as a dashboard's time range would. */
    private static final String TIME_FILTER = "time >= '2000-01-01T00:00:00Z' AND time <= '2100-01-01T00:00:00Z'";

    private InfluxServer influx;
    private InfluxDB client;
    private String database;
    private List<Alert> expectedAlerts;
    private List<EpochEvent> events;
    private String peakedSweep;
    /** Each run's ledger at the end, as the offline detector keeps it. */
    private Map<String, LedgerState> expectedLedgers;

    private Map<String, String> sweepOfRun;

    @BeforeAll
    void runThePipeline() throws Exception {
        influx = TestServices.influx();
        database = "dashboards_" + System.nanoTime();
        TopicSettings topics = TestServices.freshTopics("dashboards");
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        events = InfluxSinkFaultTest.sample(LabelledCurves.epochwise(), 12);
        events.addAll(InfluxSinkFaultTest.sample(LabelledCurves.modelwise(), 3));
        DescentDetector offline = new DescentDetector(DetectionSettings.defaults());
        expectedAlerts = new ArrayList<>();
        events.forEach(e -> expectedAlerts.addAll(offline.accept(e)));
        // the corpus's runs say final but not how many runs a sweep has: sweeps complete once their runs go idle
        expectedAlerts.addAll(offline.endOfInput());
        expectedLedgers = new HashMap<>();
        sweepOfRun = new HashMap<>();
        offline.runs().forEach((run, state) -> {
            expectedLedgers.put(run, state.ledger());
            sweepOfRun.put(run, state.sweepId());
        });
        peakedSweep = expectedAlerts.stream()
                .filter(a -> a.type() == AlertType.MODEL_WISE_PEAK)
                .map(Alert::sweepId)
                .findFirst()
                .orElseThrow();

        SinkSettings sinkSettings = SinkSettings.defaults(influx.url());
        sinkSettings.database = database;
        sinkSettings.groupId = "dashboards-sink-" + System.nanoTime();
        Path stateDir = Files.createTempDirectory("dashboards-state");
        StreamsAppSettings app = Ranges.parse(new StreamsAppSettings(), "--run-idle-timeout", "PT3S");
        app.applicationId = "dashboards-" + System.nanoTime();
        app.stateDir = stateDir;
        try (DetectorApp detector = new DetectorApp(kafka, topics, DetectionSettings.defaults(), app).start()) {
            InfluxSink sink = new InfluxSink(kafka.clientProperties(), topics, sinkSettings);
            Thread t = new Thread(sink, "dashboards-sink");
            t.start();
            assertThat(detector.awaitRunning(Duration.ofSeconds(60))).isTrue();
            InfluxSinkFaultTest.produce(kafka, topics.epochs, events);
            client = InfluxDBFactory.connect(influx.url());
            awaitCount("SELECT count(epoch) FROM epoch", InfluxSinkFaultTest.distinctPoints(events));
            awaitCount("SELECT count(alert_id) FROM alert", expectedAlerts.size());
            awaitAdviceForEveryRun();
            awaitFinalLedgerOfEveryRun();
            sink.close();
            t.join(20_000);
        }
    }

    @AfterAll
    void close() {
        if (client != null) {
            client.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyPanelQueryReturnsWhatItsPanelDraws() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        List<Path> files;
        try (Stream<Path> s = Files.list(DASHBOARDS)) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).hasSize(4);
        for (Path file : files) {
            JsonNode d = json.readTree(file.toFile());
            for (JsonNode v : d.path("templating").path("list")) {
                String q = v.path("query").asText();
                tests.add(DynamicTest.dynamicTest(
                        file.getFileName() + " variable " + v.path("name").asText(),
                        () -> assertThat(values(run(q, ".*"))).isNotEmpty()));
            }
            List<JsonNode> annotations = new ArrayList<>();
            d.path("annotations").path("list").forEach(a -> {
                if (a.has("target")) {
                    annotations.add(a);
                }
            });
            for (JsonNode a : annotations) {
                tests.add(DynamicTest.dynamicTest(
                        file.getFileName() + " annotation " + a.path("name").asText(), () -> checkAnnotation(a)));
            }
            if (!annotations.isEmpty()) {
                tests.add(DynamicTest.dynamicTest(
                        file.getFileName() + " shows its annotations on a time panel",
                        () -> assertThat(d.path("panels").findValuesAsText("type"))
                                .contains("timeseries")));
            }
            if (file.getFileName().toString().equals("live-runs.json")) {
                tests.add(DynamicTest.dynamicTest(
                        "live-runs.json annotations show every alert, run and sweep",
                        () -> assertThat(annotations.stream()
                                        .mapToInt(a -> GrafanaFrames.annotationRows(run(
                                                a.path("target").path("query").asText(), ".*")))
                                        .sum())
                                .isEqualTo(expectedAlerts.size())));
            }
            for (JsonNode panel : d.path("panels")) {
                tests.add(DynamicTest.dynamicTest(
                        file.getFileName() + " panel '" + panel.path("title").asText()
                                + "' carries the version of the Grafana that runs",
                        () -> assertThat(panel.path("pluginVersion").asText()).isEqualTo(ComposeGrafana.version())));
                for (JsonNode target : panel.path("targets")) {
                    String q = target.path("query").asText();
                    String name = file.getFileName() + " panel '"
                            + panel.path("title").asText() + "'";
                    tests.add(DynamicTest.dynamicTest(name, () -> checkPanel(panel, q)));
                }
            }
        }
        return tests.stream();
    }

    private void checkPanel(JsonNode panel, String query) {
        // the model-wise stats name one sweep's landmarks: ask for the sweep that has them
        String sweep = query.contains("FROM \"alert\" WHERE \"type\"") ? peakedSweep : ".*";
        QueryResult.Result r = run(query, sweep);
        assertThat(r.getError()).isNull();
        assertThat(r.getSeries()).as("series of %s", query).isNotEmpty();
        List<String> columns = columns(r);
        switch (panel.path("type").asText()) {
            case "xychart" -> checkXyChart(panel, r);
            case "stat" -> assertThat(columns).contains("parameters", "p/n");
            case "timeseries", "bargauge" ->
                assertThat(r.getSeries())
                        .as("one series per group")
                        .allSatisfy(s -> assertThat(s.getTags()).isNotEmpty());
            case "table" -> assertThat(values(r)).isNotEmpty();
            default -> throw new AssertionError("no check for panel type " + panel.path("type"));
        }
        if (query.contains("FROM \"advice\"")) {
            checkAdvice(r);
        }
        if (query.contains("FROM \"ledger\"")) {
            checkLedger(r);
        }
        assertThat(values(r)).isNotEmpty();
    }

    /**
     * The frames Grafana makes of the real answer, after the panel's transformations: one per value of the
     * partition field (one line per run, or per sweep); every series config of the XY chart must draw in every
     * frame, with enough points for what it shows, on positive x (the axes are logarithmic), in x order when the
     * panel sorts.
     */
    private void checkXyChart(JsonNode panel, QueryResult.Result r) {
        GrafanaFrames.Frame table = GrafanaFrames.table(r);
        List<GrafanaFrames.Frame> frames = GrafanaFrames.transform(List.of(table), panel.path("transformations"));
        JsonNode partition = transformation(panel, "partitionByValues");
        assertThat(partition).as("the panel partitions its table").isNotNull();
        String key = partition.path("options").path("fields").get(0).asText();
        assertThat(table.field(key))
                .as("the query returns the partition field %s", key)
                .isNotNull();
        long distinct = table.field(key).values().stream().distinct().count();
        assertThat(distinct).as("more than one %s in the data", key).isGreaterThan(1);
        assertThat(frames).as("one frame per %s", key).hasSize((int) distinct);
        String show = panel.path("fieldConfig")
                .path("defaults")
                .path("custom")
                .path("show")
                .asText("points");
        JsonNode sort = transformation(panel, "sortBy");
        for (JsonNode cfg : panel.path("options").path("series")) {
            ObjectNode one = panel.path("options").deepCopy();
            one.putArray("series").add(cfg);
            List<GrafanaFrames.XySeries> drawn = GrafanaFrames.xySeries(one, frames);
            assertThat(drawn.stream().map(GrafanaFrames.XySeries::frame).toList())
                    .as("series %s draws once in every frame", cfg)
                    .containsExactlyInAnyOrderElementsOf(
                            IntStream.range(0, frames.size()).boxed().toList());
            for (GrafanaFrames.XySeries s : drawn) {
                assertThat(s.points())
                        .as("points of %s in frame %d", s.y().name(), s.frame())
                        .isGreaterThanOrEqualTo(2);
                List<Double> xs = s.x().values().stream()
                        .filter(Objects::nonNull)
                        .map(v -> ((Number) v).doubleValue())
                        .toList();
                assertThat(xs)
                        .as("x on a log axis")
                        .allSatisfy(x -> assertThat(x).isPositive());
                if (sort != null
                        && sort.path("options")
                                .path("sort")
                                .get(0)
                                .path("field")
                                .asText()
                                .equals(s.x().name())) {
                    assertThat(xs).as("a line over %s in order", s.x().name()).isSorted();
                }
            }
        }
        assertThat(show)
                .as("single points per run need points drawn")
                .isIn(key.equals("run") ? List.of("lines", "points", "points+lines") : List.of("points+lines"));
    }

    /**
     * An advice panel shows, for every run of the pipeline, its verdict (CONTINUE or STOP), basis, reason and the
     * checkpoint to keep.
     */
    private void checkAdvice(QueryResult.Result r) {
        assertThat(columns(r)).contains("verdict", "basis", "reason", "best_epoch", "run", "sweep");
        Set<String> runs = events.stream().map(EpochEvent::runId).collect(Collectors.toSet());
        assertThat(r.getSeries().stream().map(s -> s.getTags().get("run")).collect(Collectors.toSet()))
                .as("a row for every run")
                .isEqualTo(runs);
        for (QueryResult.Series s : r.getSeries()) {
            int verdict = s.getColumns().indexOf("verdict");
            int reason = s.getColumns().indexOf("reason");
            int best = s.getColumns().indexOf("best_epoch");
            for (List<Object> row : s.getValues()) {
                assertThat(row.get(verdict)).isIn("CONTINUE", "STOP");
                assertThat((String) row.get(reason)).isNotBlank();
                assertThat(((Number) row.get(best)).longValue()).isGreaterThanOrEqualTo(-1);
            }
        }
    }

    /**
     * A ledger panel shows, for every run and rule (per run) or every sweep and rule (totals), exactly what the
     * offline detector's ledgers say at the end of the input.
     */
    private void checkLedger(QueryResult.Result r) {
        List<String> columns = columns(r);
        assertThat(columns).contains("rule", "sweep");
        Set<String> rules = Stream.of(StopRule.values()).map(StopRule::wireName).collect(Collectors.toSet());
        assertThat(r.getSeries().stream().map(s -> s.getTags().get("rule")).collect(Collectors.toSet()))
                .as("a row for every rule")
                .isEqualTo(rules);
        if (columns.contains("run")) {
            assertThat(r.getSeries().stream().map(s -> s.getTags().get("run")).collect(Collectors.toSet()))
                    .as("a row for every run")
                    .isEqualTo(expectedLedgers.keySet());
            for (QueryResult.Series s : r.getSeries()) {
                LedgerState l = expectedLedgers.get(s.getTags().get("run"));
                StopRule rule = StopRule.valueOf(s.getTags().get("rule").toUpperCase(java.util.Locale.ROOT));
                RuleTrack t = rule.of(l);
                Map<String, Object> row = row(s);
                String what = s.getTags().toString();
                assertThat(number(row, "stop_epoch")).as(what).isEqualTo(t.stopEpoch());
                assertThat(number(row, "kept_epoch")).as(what).isEqualTo(t.keptEpoch());
                assertThat(number(row, "epochs_spent")).as(what).isEqualTo(t.epochsSpent());
                assertThat(number(row, "kept_best")).as(what).isEqualTo(l.kept(rule) ? 1 : 0);
                assertThat(((Number) row.get("kept_test_loss")).doubleValue())
                        .as(what)
                        .isEqualTo(t.keptTestLoss());
            }
            return;
        }
        Map<String, List<LedgerState>> bySweep = new HashMap<>();
        expectedLedgers.forEach((run, l) -> bySweep.computeIfAbsent(sweepOfRun.get(run), k -> new ArrayList<>())
                .add(l));
        assertThat(r.getSeries().stream().map(s -> s.getTags().get("sweep")).collect(Collectors.toSet()))
                .as("a row for every sweep")
                .isEqualTo(bySweep.keySet());
        for (QueryResult.Series s : r.getSeries()) {
            SweepLedger sweep = SweepLedger.of(bySweep.get(s.getTags().get("sweep")));
            SweepLedger.Totals t =
                    sweep.of(StopRule.valueOf(s.getTags().get("rule").toUpperCase(java.util.Locale.ROOT)));
            Map<String, Object> row = row(s);
            String what = s.getTags().toString();
            assertThat(number(row, "epochs_spent")).as(what).isEqualTo(t.epochsSpent());
            if (row.containsKey("runs")) {
                assertThat(number(row, "runs")).as(what).isEqualTo(sweep.runs());
                assertThat(number(row, "runs_stopped")).as(what).isEqualTo(t.stopped());
                assertThat(number(row, "runs_kept_best")).as(what).isEqualTo(t.kept());
                assertThat(number(row, "epochs_so_far")).as(what).isEqualTo(sweep.epochsSoFar());
                assertThat(((Number) row.get("mean_excess")).doubleValue())
                        .as(what)
                        .isCloseTo(t.meanExcess(), org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    /** The last row of a series, by column name. */
    private static Map<String, Object> row(QueryResult.Series s) {
        List<Object> last = s.getValues().get(s.getValues().size() - 1);
        Map<String, Object> row = new HashMap<>();
        for (int i = 0; i < s.getColumns().size(); i++) {
            row.put(s.getColumns().get(i), last.get(i));
        }
        return row;
    }

    private static long number(Map<String, Object> row, String column) {
        assertThat(row).containsKey(column);
        return ((Number) row.get(column)).longValue();
    }

    /**
     * Every run's ledger reaches InfluxDB as it stands at the run's last evaluation: the summary published when
     * the run went quiet carries it.
     */
    private void awaitFinalLedgerOfEveryRun() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Map<String, Long> seen = Map.of();
        Map<String, Long> expected = new HashMap<>();
        expectedLedgers.forEach((run, l) -> expected.put(run, l.lastEpoch()));
        while (System.nanoTime() < deadline) {
            try {
                List<QueryResult.Series> s = client.query(new Query(
                                "SELECT last(run_epoch) FROM ledger " + "WHERE rule = 'advice' GROUP BY run", database))
                        .getResults()
                        .get(0)
                        .getSeries();
                seen = s == null
                        ? Map.of()
                        : s.stream()
                                .collect(Collectors.toMap(
                                        x -> x.getTags().get("run"),
                                        x -> ((Number) x.getValues().get(0).get(1)).longValue()));
                if (seen.equals(expected)) {
                    return;
                }
            } catch (RuntimeException e) {
                // the sink has not written any ledger yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("ledgers at " + seen + ", expected " + expected);
    }

    /** The detector publishes advice for every run from its first evaluation on. */
    private void awaitAdviceForEveryRun() throws InterruptedException {
        long runs = events.stream().map(EpochEvent::runId).distinct().count();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        int seen = -1;
        while (System.nanoTime() < deadline) {
            try {
                List<QueryResult.Series> s = client.query(
                                new Query("SELECT count(epoch) FROM advice GROUP BY run", database))
                        .getResults()
                        .get(0)
                        .getSeries();
                seen = s == null ? 0 : s.size();
                if (seen >= runs) {
                    return;
                }
            } catch (RuntimeException e) {
                // the sink has not written any advice yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("advice for " + seen + " runs, expected " + runs);
    }

    private static JsonNode transformation(JsonNode panel, String id) {
        for (JsonNode t : panel.path("transformations")) {
            if (id.equals(t.path("id").asText())) {
                return t;
            }
        }
        return null;
    }

    /**
     * Grafana keeps an annotation row only when every selected column has a value: all alerts of the scope the
     * annotation selects must survive (sweep alerts have no run tag).
     */
    private void checkAnnotation(JsonNode a) {
        String q = a.path("target").path("query").asText();
        Matcher scope = Pattern.compile("\"scope\" = '(\\w+)'").matcher(q);
        long expected = expectedAlerts.stream()
                .filter(al -> !scope.find(0) || al.scope().wireName().equals(scope.group(1)))
                .count();
        assertThat(expected)
                .as("alerts for %s in the data", a.path("name").asText())
                .isPositive();
        QueryResult.Result r = run(q, ".*");
        assertThat(columns(r)).contains(a.path("target").path("textColumn").asText());
        assertThat(GrafanaFrames.annotationRows(r))
                .as("rows Grafana keeps for %s", a.path("name").asText())
                .isEqualTo(expected);
    }

    /**
     * Each provisioned alert rule's query against the real data: one series, so one alert instance with its sweep
     * (and run) as labels, per sweep or run that has such an alert. Without GROUP BY, one instance covers every
     * run and, while it fires, a second run's alert sends nothing. The notification policy then sends the run
     * alerts of a sweep as one notification per sweep, and each sweep verdict on its own.
     */
    @TestFactory
    Stream<DynamicTest> everyAlertRuleFiresOncePerSweepOrRunWithThemAsLabelsAndNotifiesPerSweep() throws IOException {
        JsonNode rules = new YAMLMapper()
                .readTree(DASHBOARDS
                        .resolveSibling("provisioning/alerting/descent-alerts.yaml")
                        .toFile());
        List<DynamicTest> tests = new ArrayList<>();
        JsonNode root = rules.path("policies").get(0);
        for (JsonNode rule : rules.path("groups").get(0).path("rules")) {
            AlertType type = AlertType.valueOf(rule.path("labels").path("type").asText());
            tests.add(DynamicTest.dynamicTest(
                    "notifications of " + rule.path("uid").asText() + " are per sweep", () -> {
                        String scope = rule.path("labels").path("scope").asText();
                        assertThat(scope)
                                .as("its scope label")
                                .isEqualTo(type.scope().wireName());
                        List<String> groupBy = groupByOf(root, scope);
                        // never per run: a sweep's runs share a notification; a sweep's verdicts each have theirs
                        assertThat(groupBy).contains("sweep").doesNotContain("run");
                        if (scope.equals("sweep")) {
                            assertThat(groupBy).contains("alertname");
                        } else {
                            assertThat(groupBy).doesNotContain("alertname");
                        }
                    }));
        }
        long[] instancesSeen = {0};
        for (JsonNode rule : rules.path("groups").get(0).path("rules")) {
            AlertType type = AlertType.valueOf(rule.path("labels").path("type").asText());
            tests.add(DynamicTest.dynamicTest("alert rule " + rule.path("uid").asText(), () -> {
                String q = rule.path("data").get(0).path("model").path("query").asText();
                QueryResult.Result r = run(q, ".*");
                Set<Map<String, String>> instances = r.getSeries() == null
                        ? Set.of()
                        : r.getSeries().stream()
                                .map(QueryResult.Series::getTags)
                                .collect(Collectors.toSet());
                Set<Map<String, String>> expected = expectedAlerts.stream()
                        .filter(al -> al.type() == type)
                        .map(al -> al.scope().wireName().equals("run")
                                ? Map.of("sweep", al.sweepId(), "run", al.runId())
                                : Map.of("sweep", al.sweepId()))
                        .collect(Collectors.toSet());
                assertThat(instances).isEqualTo(expected);
                instancesSeen[0] = Math.max(instancesSeen[0], instances.size());
                // as Grafana evaluates it now: over the rule's own window back from now. The corpus's alerts are
                // stamped with their events' (old) times, as a replayed run's are; the rule must see them anyway
                long window = rule.path("data")
                        .get(0)
                        .path("relativeTimeRange")
                        .path("from")
                        .asLong();
                String recent = "time > now() - " + window + "s";
                QueryResult.Result now = client.query(new Query(q.replace("$timeFilter", recent), database))
                        .getResults()
                        .get(0);
                Set<Map<String, String>> firing = now.getSeries() == null
                        ? Set.of()
                        : now.getSeries().stream()
                                .map(QueryResult.Series::getTags)
                                .collect(Collectors.toSet());
                assertThat(firing).as("instances within the last %d s", window).isEqualTo(expected);
                if (!expected.isEmpty()) {
                    QueryResult.Result byEventTime = client.query(new Query(
                                    "SELECT count(\"message\") FROM " + "\"alert\" WHERE " + recent, database))
                            .getResults()
                            .get(0);
                    assertThat(byEventTime.getSeries())
                            .as("the same alerts by their event time: none recent")
                            .isNullOrEmpty();
                }
                String text = rule.path("annotations").toString();
                assertThat(text).contains("$labels.sweep");
                if (type.name().equals("SECOND_DESCENT")
                        || type.name().equals("BELOW_FIRST_MINIMUM")
                        || type.name().equals("DIVERGED")) {
                    assertThat(text).contains("$labels.run");
                }
            }));
        }
        tests.add(DynamicTest.dynamicTest(
                "some rule has several instances in this data",
                () -> assertThat(instancesSeen[0]).isGreaterThan(1)));
        return tests.stream();
    }

    /**
     * What an alert with this scope label is grouped by: the group_by of the first child policy whose matchers it
     * meets (Grafana's routing, for the equality matchers used here), else the root's.
     */
    private static List<String> groupByOf(JsonNode root, String scope) {
        JsonNode policy = root;
        for (JsonNode route : root.path("routes")) {
            boolean matches = true;
            for (JsonNode m : route.path("object_matchers")) {
                assertThat(m.get(1).asText()).as("an equality matcher").isEqualTo("=");
                matches &=
                        m.get(0).asText().equals("scope") && m.get(2).asText().equals(scope);
            }
            if (matches && !route.path("object_matchers").isEmpty()) {
                policy = route;
                break;
            }
        }
        List<String> groupBy = new ArrayList<>();
        (policy.has("group_by") ? policy : root).path("group_by").forEach(g -> groupBy.add(g.asText()));
        return groupBy;
    }

    private QueryResult.Result run(String query, String sweep) {
        String q = query.replace("$timeFilter", TIME_FILTER)
                .replace("$__interval", "1s")
                .replace("$sweep", sweep)
                .replace("$run", ".*");
        QueryResult result = client.query(new Query(q, database));
        assertThat(result.getError()).as(q).isNull();
        return result.getResults().get(0);
    }

    private static List<String> columns(QueryResult.Result r) {
        assertThat(r.getSeries()).isNotNull().isNotEmpty();
        QueryResult.Series s = r.getSeries().get(0);
        List<String> cols = new ArrayList<>(s.getColumns());
        // table-format results carry GROUP BY tags as columns, as Grafana shows them
        if (s.getTags() != null) {
            cols.addAll(s.getTags().keySet());
        }
        return cols;
    }

    private static List<List<Object>> values(QueryResult.Result r) {
        if (r.getSeries() == null) {
            return List.of();
        }
        List<List<Object>> rows = new ArrayList<>();
        r.getSeries().forEach(s -> rows.addAll(s.getValues()));
        return rows;
    }

    private void awaitCount(String query, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        long seen = -1;
        while (System.nanoTime() < deadline) {
            try {
                QueryResult.Result r =
                        client.query(new Query(query, database)).getResults().get(0);
                seen = r.getSeries() == null
                        ? 0
                        : ((Number) r.getSeries().get(0).getValues().get(0).get(1)).longValue();
                if (seen >= expected) {
                    assertThat(seen).as(query).isEqualTo(expected);
                    return;
                }
            } catch (RuntimeException e) {
                // the sink has not created the database yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError(query + " reached " + seen + ", expected " + expected);
    }
}
