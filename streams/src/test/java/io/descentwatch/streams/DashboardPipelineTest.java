package io.descentwatch.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.descentwatch.detection.DescentDetector;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.DetectorSettings;
import io.descentwatch.streams.sink.InfluxSink;
import io.descentwatch.streams.sink.SinkSettings;
import io.descentwatch.testkit.InfluxServer;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real pipeline (corpus -> broker -> detector -> sink -> InfluxDB), then every query of every provisioned
 * dashboard, with its variables substituted as Grafana would, run against that InfluxDB: each must return the
 * series and columns its panel draws. This stands in for a Grafana server, which this machine does not have.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardPipelineTest {

    private static final Path DASHBOARDS = Path.of(System.getProperty("descentwatch.repo.root", ".."))
            .resolve("dashboards/json");
    /** Covers every event time in the corpus, as a dashboard's time range would. */
    private static final String TIME_FILTER = "time >= '2000-01-01T00:00:00Z' AND time <= '2100-01-01T00:00:00Z'";

    private InfluxServer influx;
    private InfluxDB client;
    private String database;
    private List<Alert> expectedAlerts;
    private List<EpochEvent> events;
    private String peakedSweep;

    @BeforeAll
    void runThePipeline() throws Exception {
        influx = TestServices.influx();
        database = "dashboards_" + System.nanoTime();
        TopicSettings topics = TestServices.freshTopics("dashboards");
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        events = DescentTopologyTest.sample(LabelledCurves.epochwise(), 12);
        events.addAll(DescentTopologyTest.sample(LabelledCurves.modelwise(), 3));
        DescentDetector offline = new DescentDetector(DetectionSettings.defaults());
        expectedAlerts = new ArrayList<>();
        events.forEach(e -> expectedAlerts.addAll(offline.accept(e)));
        peakedSweep = expectedAlerts.stream().filter(a -> a.type() == AlertType.MODEL_WISE_PEAK)
                .map(Alert::sweepId).findFirst().orElseThrow();

        SinkSettings sinkSettings = SinkSettings.defaults(influx.url());
        sinkSettings.database = database;
        sinkSettings.groupId = "dashboards-sink-" + System.nanoTime();
        Path stateDir = Files.createTempDirectory("dashboards-state");
        try (DetectorApp detector = new DetectorApp(kafka, topics, DetectionSettings.defaults(),
                DetectorSettings.defaults("dashboards-" + System.nanoTime(), stateDir)).start()) {
            InfluxSink sink = new InfluxSink(kafka.clientProperties(), topics, sinkSettings);
            Thread t = new Thread(sink, "dashboards-sink");
            t.start();
            assertThat(detector.awaitRunning(Duration.ofSeconds(60))).isTrue();
            InfluxSinkFaultTest.produce(kafka, topics.epochs, events);
            client = InfluxDBFactory.connect(influx.url());
            awaitCount("SELECT count(epoch) FROM epoch", InfluxSinkFaultTest.distinctPoints(events));
            awaitCount("SELECT count(alert_id) FROM alert", expectedAlerts.size());
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
                tests.add(DynamicTest.dynamicTest(file.getFileName() + " variable " + v.path("name").asText(),
                        () -> assertThat(values(run(q, ".*"))).isNotEmpty()));
            }
            for (JsonNode a : d.path("annotations").path("list")) {
                if (a.has("target")) {
                    String q = a.path("target").path("query").asText();
                    tests.add(DynamicTest.dynamicTest(file.getFileName() + " annotation " + a.path("name").asText(),
                            () -> assertThat(columns(run(q, ".*"))).contains(
                                    a.path("target").path("textColumn").asText())));
                }
            }
            for (JsonNode panel : d.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String q = target.path("query").asText();
                    String name = file.getFileName() + " panel '" + panel.path("title").asText() + "'";
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
            case "xychart" -> {
                assertThat(columns).contains("run");
                for (JsonNode s : panel.path("options").path("series")) {
                    assertThat(columns).contains(s.path("x").path("matcher").path("options").asText(),
                            s.path("y").path("matcher").path("options").asText());
                }
                Set<String> runs = r.getSeries().stream().map(s -> s.getTags().get("run"))
                        .collect(Collectors.toSet());
                assertThat(runs).as("one line per run").hasSizeGreaterThan(1);
            }
            case "stat" -> assertThat(columns).contains("parameters", "p/n");
            case "timeseries", "bargauge" -> assertThat(r.getSeries()).as("one series per group")
                    .allSatisfy(s -> assertThat(s.getTags()).isNotEmpty());
            case "table" -> assertThat(values(r)).isNotEmpty();
            default -> throw new AssertionError("no check for panel type " + panel.path("type"));
        }
        assertThat(values(r)).isNotEmpty();
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
                QueryResult.Result r = client.query(new Query(query, database)).getResults().get(0);
                seen = r.getSeries() == null ? 0 : ((Number) r.getSeries().get(0).getValues().get(0).get(1))
                        .longValue();
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
