package io.descentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The compose stack's default notification receiver, over real HTTP on a loopback port. */
class NotificationLogTest {

    private final List<String> printed = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void grafanasPayloadBecomesOneLinePerAlertWithItsSweepRunAndSummary() throws Exception {
        String grafana = """
                {"receiver":"descentwatch-webhook","status":"firing","alerts":[
                 {"status":"firing","labels":{"alertname":"Second descent","sweep":"rf","run":"rf/N0100/s1",
                  "type":"SECOND_DESCENT"},"annotations":{"summary":"Run rf/N0100/s1 (sweep rf) entered its second descent"}},
                 {"status":"firing","labels":{"alertname":"Model-wise peak","sweep":"rf","type":"MODEL_WISE_PEAK"},
                  "annotations":{"summary":"Sweep rf shows a peak"}}],"groupLabels":{},"version":"1"}""";
        try (NotificationLog log = start()) {
            assertThat(post(log, grafana)).isEqualTo(204);
        }
        assertThat(printed)
                .containsExactly(
                        "[firing] Second descent (sweep=rf, run=rf/N0100/s1): Run rf/N0100/s1 (sweep rf) entered its second descent",
                        "[firing] Model-wise peak (sweep=rf): Sweep rf shows a peak");
    }

    @Test
    void aNotificationOfASweepsRunAlertsIsOneLineForTheSweep() throws Exception {
        StringBuilder alerts = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            alerts.append(i > 1 ? "," : "").append("""
                    {"status":"firing","labels":{"alertname":"Second descent","sweep":"rf","run":"rf/N%04d/s1",
                     "type":"SECOND_DESCENT","scope":"run"},"annotations":{"summary":"run %d"}}""".formatted(i * 10, i));
        }
        alerts.append("""
                ,{"status":"firing","labels":{"alertname":"Run diverged","sweep":"rf","run":"rf/N0900/s1",
                 "type":"DIVERGED","scope":"run"},"annotations":{"summary":"diverged"}}""");
        String grafana = "{\"status\":\"firing\",\"alerts\":[" + alerts
                + "],\"groupLabels\":{\"scope\":\"run\",\"sweep\":\"rf\"},\"version\":\"1\"}";
        try (NotificationLog log = start()) {
            assertThat(post(log, grafana)).isEqualTo(204);
        }
        assertThat(printed)
                .containsExactly("[firing] run alerts (sweep=rf): SECOND_DESCENT in 5 runs "
                        + "(N0010/s1, N0020/s1, N0030/s1 +2), DIVERGED in 1 run (N0900/s1)");
    }

    @Test
    void descentWatchsOwnPayloadPrintsItsTextAndAnythingElseAsItCameOnOneLine() throws Exception {
        try (NotificationLog log = start()) {
            assertThat(post(log, "{\"text\":\"run r: second descent\",\"alert\":{}}"))
                    .isEqualTo(204);
            assertThat(post(log, "not json\nforged line")).isEqualTo(204);
        }
        assertThat(printed).containsExactly("run r: second descent", "not json forged line");
    }

    @Test
    void healthAnswersAndOversizedOrNonPostRequestsAreRefused() throws Exception {
        try (NotificationLog log = start()) {
            URI base = URI.create("http://127.0.0.1:" + log.port());
            assertThat(http.send(
                                    HttpRequest.newBuilder(base.resolve("/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(http.send(
                                    HttpRequest.newBuilder(base.resolve("/x")).build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .isEqualTo(405);
            assertThat(post(log, "x".repeat(NotificationLog.MAX_BODY + 1))).isEqualTo(413);
        }
        assertThat(printed).singleElement().asString().startsWith("refused a notification");
    }

    private NotificationLog start() {
        return NotificationLog.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), printed::add);
    }

    private int post(NotificationLog log, String body) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + log.port() + "/descentwatch"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
