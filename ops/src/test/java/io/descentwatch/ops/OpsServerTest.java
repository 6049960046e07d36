package io.descentwatch.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OpsServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void answersHealthAsTheServiceReportsItAndMetricsInPrometheusText() throws Exception {
        PrometheusMeterRegistry registry = Metrics.registry("test-role");
        Counter alerts = Counter.builder("descentwatch.test.alerts").register(registry);
        alerts.increment(7);
        AtomicReference<Health> health = new AtomicReference<>(Health.starting("restoring \"state\""));
        try (OpsServer server =
                OpsServer.startIfEnabled(OpsSettings.of("127.0.0.1", freePort()), registry, health::get)) {
            int port = server.port();
            assertThat(get(port, "/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(port, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("{\"status\":\"DOWN\",\"detail\":\"restoring \\\"state\\\"\"}\n");

            health.set(Health.ready("running"));
            assertThat(get(port, "/health/ready").statusCode()).isEqualTo(200);
            health.set(Health.dead("threads failed:\n\tstream-thread-1"));
            HttpResponse<String> live = get(port, "/health/live");
            assertThat(live.statusCode()).isEqualTo(503);
            // a detail of several lines stays one line of JSON, its control characters escaped
            assertThat(live.body())
                    .isEqualTo("{\"status\":\"DOWN\",\"detail\":\"threads failed:\\n\\tstream-thread-1\"}\n");

            HttpResponse<String> metrics = get(port, "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
            assertThat(metrics.body())
                    .contains("descentwatch_test_alerts_total{service=\"test-role\"} 7.0")
                    .contains("jvm_memory_used_bytes");
            assertThat(get(port, "/elsewhere").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void offUnlessAPortIsGivenAndATakenPortNamesTheFlag() throws Exception {
        PrometheusMeterRegistry registry = Metrics.registry("test-role");
        assertThat(OpsServer.startIfEnabled(OpsSettings.of("127.0.0.1", 0), registry, () -> Health.ready("")))
                .isNull();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> OpsServer.startIfEnabled(
                            OpsSettings.of("127.0.0.1", taken.getLocalPort()), registry, () -> Health.ready("")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--ops-port " + taken.getLocalPort());
        }
    }
}
