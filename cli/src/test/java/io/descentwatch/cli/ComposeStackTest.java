package io.descentwatch.cli;

import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole compose stack, where a Docker engine exists (skipped cleanly without one; what it checks is also
 * checked without Docker by ComposeFileTest, the dashboard query tests and the pipeline tests).
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackTest {

    @Test
    void theStackStartsAndGrafanaServesTheProvisionedDashboards() throws Exception {
        String password = "test-" + System.nanoTime();
        File compose = new File(System.getProperty("descentwatch.repo.root", ".."), "docker-compose.yml");
        try (ComposeContainer stack = new ComposeContainer(compose)
                .withEnv(Map.of("INFLUXDB_ADMIN_USER", "admin", "INFLUXDB_ADMIN_PASSWORD", password,
                        "DW_INFLUX_USER", "descentwatch", "DW_INFLUX_PASSWORD", password,
                        "GRAFANA_ADMIN_PASSWORD", password, "DW_WEBHOOK_URL", "http://localhost:9/alerts"))
                .withBuild(true)
                .withExposedService("grafana", 3000, Wait.forHttp("/api/health")
                        .withStartupTimeout(Duration.ofMinutes(10)))) {
            stack.start();
            String base = "http://" + stack.getServiceHost("grafana", 3000) + ":"
                    + stack.getServicePort("grafana", 3000);
            String auth = "Basic " + Base64.getEncoder().encodeToString(("admin:" + password)
                    .getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> search = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(base + "/api/search?tag=descentwatch")).header("Authorization", auth).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(search.body()).contains("descentwatch-live", "descentwatch-epochwise",
                    "descentwatch-modelwise", "descentwatch-alerts");
        }
    }
}
