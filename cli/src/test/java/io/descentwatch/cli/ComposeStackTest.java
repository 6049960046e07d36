package io.descentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The whole compose stack, where a Docker engine exists (skipped cleanly without one; what it checks is also
 * checked without Docker by ComposeFileTest, DashboardPipelineTest and InfluxSinkAuthTest): Grafana serves the
 * provisioned dashboards, and its own query API ({@code /api/ds/query}, what a panel calls) returns data for every
 * target of every panel once the default sweep has trained, through the InfluxDB user the stack sets up.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackTest {

    private static final Path ROOT = Path.of(System.getProperty("descentwatch.repo.root", ".."));
    private static final Duration DATA_TIMEOUT = Duration.ofMinutes(15);
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theStackStartsAndGrafanaReturnsDataForEveryPanel() throws Exception {
        String password = "test-" + System.nanoTime();
        File compose = ROOT.resolve("docker-compose.yml").toFile();
        try (ComposeContainer stack = new ComposeContainer(compose)
                .withEnv(Map.of(
                        "INFLUXDB_ADMIN_USER",
                        "admin",
                        "INFLUXDB_ADMIN_PASSWORD",
                        password,
                        "DW_INFLUX_USER",
                        "descentwatch",
                        "DW_INFLUX_PASSWORD",
                        password,
                        "GRAFANA_ADMIN_PASSWORD",
                        password))
                .withBuild(true)
                .withExposedService(
                        "grafana", 3000, Wait.forHttp("/api/health").withStartupTimeout(Duration.ofMinutes(10)))) {
            stack.start();
            String base =
                    "http://" + stack.getServiceHost("grafana", 3000) + ":" + stack.getServicePort("grafana", 3000);
            String auth = "Basic "
                    + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> search = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/search?tag=descentwatch"))
                            .header("Authorization", auth)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(search.body())
                    .contains(
                            "descentwatch-live",
                            "descentwatch-epochwise",
                            "descentwatch-modelwise",
                            "descentwatch-alerts");

            Map<String, JsonNode> targets = panelTargets();
            Map<String, String> missing = new LinkedHashMap<>();
            long deadline = System.nanoTime() + DATA_TIMEOUT.toNanos();
            do {
                missing.clear();
                for (Map.Entry<String, JsonNode> t : targets.entrySet()) {
                    String problem = problemWith(base, auth, t.getValue());
                    if (problem != null) {
                        missing.put(t.getKey(), problem);
                    }
                }
                if (!missing.isEmpty()) {
                    Thread.sleep(10_000);
                }
            } while (!missing.isEmpty() && System.nanoTime() < deadline);
            assertThat(missing).as("panels without data after %s", DATA_TIMEOUT).isEmpty();
        }
    }

    /** Every panel target of every dashboard, with the dashboard variables set to All, as Grafana sends them. */
    private Map<String, JsonNode> panelTargets() throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(ROOT.resolve("dashboards/json"))) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        for (Path f : files) {
            for (JsonNode panel : json.readTree(f.toFile()).path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    ObjectNode q = target.deepCopy();
                    q.put(
                            "query",
                            target.path("query")
                                    .asText()
                                    .replace("$sweep", ".*")
                                    .replace("$run", ".*"));
                    out.put(
                            f.getFileName() + " '" + panel.path("title").asText() + "' "
                                    + target.path("refId").asText(),
                            q);
                }
            }
        }
        return out;
    }

    /** Null when Grafana returns at least one frame with values for the target; otherwise what it returned. */
    private String problemWith(String base, String auth, JsonNode target) throws Exception {
        ObjectNode body = json.createObjectNode();
        body.put("from", "now-24h");
        body.put("to", "now");
        body.putArray("queries").add(target);
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/ds/query"))
                        .header("Authorization", auth)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return r.statusCode() + " " + r.body();
        }
        JsonNode result = json.readTree(r.body())
                .path("results")
                .path(target.path("refId").asText());
        if (result.has("error")) {
            return result.path("error").asText();
        }
        List<Integer> lengths = new ArrayList<>();
        for (JsonNode frame : result.path("frames")) {
            JsonNode values = frame.path("data").path("values");
            lengths.add(values.size() == 0 ? 0 : values.get(0).size());
        }
        return lengths.stream().anyMatch(n -> n > 0) ? null : "no rows (frames: " + lengths + ")";
    }
}
