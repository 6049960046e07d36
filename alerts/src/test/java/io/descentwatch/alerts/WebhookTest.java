package io.descentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.descentwatch.broker.LoopbackPorts;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertType;
import io.descentwatch.testkit.WebhookReceiver;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The webhook against a real local HTTP server. */
class WebhookTest {

    private static final Alert ALERT = Alert.of(AlertType.SECOND_DESCENT)
            .run("sw/N0100/s1")
            .sweep("sw")
            .epoch(1044)
            .paramCount(100)
            .trainSize(100)
            .details(Map.of("peak_loss", 2.1, "loss", 1.31))
            .message("run sw/N0100/s1: second descent: test loss 1.31")
            .at(Instant.parse("2026-11-01T00:00:00Z"))
            .build();

    private static Webhook webhook(String url, int attempts) {
        return new Webhook(url, attempts, Duration.ofMillis(20), Duration.ofSeconds(2));
    }

    @Test
    void postsTheAlertAsJsonWithASlackTextLine() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            webhook(receiver.url("/hooks/T000/B000/secret").toString(), 3).send(ALERT);

            assertThat(receiver.requests()).hasSize(1);
            WebhookReceiver.Request r = receiver.requests().get(0);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.contentType()).startsWith("application/json");
            JsonNode body = new ObjectMapper().readTree(r.body());
            assertThat(body.get("text").asText()).contains("SECOND_DESCENT").contains(ALERT.message());
            assertThat(new AlertCodec()
                            .decode(body.get("alert").toString().getBytes())
                            .value())
                    .isEqualTo(ALERT);
        }
    }

    @Test
    void postsADigestAsOneRequestWithItsLineAndEveryAlertInIt() throws Exception {
        Alert other = Alert.of(AlertType.TEST_LOSS_RISING)
                .run("sw/N0010/s1")
                .sweep("sw")
                .epoch(50)
                .paramCount(10)
                .trainSize(100)
                .message("run sw/N0010/s1: test loss rising")
                .at(Instant.parse("2026-11-01T00:00:01Z"))
                .build();
        AlertDigest.Digest digest = new AlertDigest.Digest("sw", java.util.List.of(ALERT, other));
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            webhook(receiver.url("/hook").toString(), 3).send(digest);

            assertThat(receiver.requests()).hasSize(1);
            JsonNode body =
                    new ObjectMapper().readTree(receiver.requests().get(0).body());
            assertThat(body.get("text").asText())
                    .isEqualTo("DescentWatch " + AlertText.summary(digest))
                    .contains("SECOND_DESCENT in 1 run")
                    .contains("TEST_LOSS_RISING in 1 run");
            assertThat(body.get("digest").get("schema").asText()).isEqualTo(NoticeJson.DIGEST_SCHEMA);
            AlertCodec codec = new AlertCodec();
            assertThat(body.get("digest").get("alerts"))
                    .extracting(a -> codec.decode(a.toString()).value())
                    .containsExactly(ALERT, other);
        }
    }

    @Test
    void aFailedDigestNamesItsSweep() {
        AlertDigest.Digest digest = new AlertDigest.Digest("sw", java.util.List.of(ALERT, ALERT));
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.failNext(1, 400);
            assertThatThrownBy(
                            () -> webhook(receiver.url("/hook").toString(), 3).send(digest))
                    .hasMessageContaining("digest of 2 alerts of sweep sw")
                    .hasMessageContaining("HTTP 400");
        }
    }

    @Test
    void retriesServerErrorsUntilTheReceiverTakesTheAlert() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.failNext(2, 503);
            webhook(receiver.url("/hook").toString(), 3).send(ALERT);
            assertThat(receiver.requests()).hasSize(3);
        }
    }

    @Test
    void aClientErrorFailsAtOnceSinceRetryingCannotHelp() {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.failNext(5, 404);
            assertThatThrownBy(
                            () -> webhook(receiver.url("/hook").toString(), 5).send(ALERT))
                    .isInstanceOf(Webhook.WebhookException.class)
                    .hasMessageContaining("HTTP 404");
            assertThat(receiver.requests()).hasSize(1);
        }
    }

    @Test
    void anUnreachableUrlFailsClearlyAfterItsAttemptsWithoutShowingThePath() throws Exception {
        int closedPort = LoopbackPorts.free();
        String url = "http://127.0.0.1:" + closedPort + "/hooks/T000/B000/s3cr3t-token";
        assertThatThrownBy(() -> webhook(url, 3).send(ALERT))
                .isInstanceOf(Webhook.WebhookException.class)
                .hasMessageContaining("unreachable")
                .hasMessageContaining("after 3 attempts")
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageNotContaining("s3cr3t-token");
    }

    @Test
    void onlyHttpAndHttpsUrlsWithAHostAreAccepted() {
        for (String bad : new String[] {
            "file:///etc/passwd",
            "ftp://example.org/x",
            "gopher://h/",
            "/relative",
            "http:///nohost",
            "https://user:pw@example.org/hook",
            "not a url"
        }) {
            assertThatThrownBy(() -> webhook(bad, 1)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(webhook("https://hooks.example.org/services/T/B/x", 1).describe())
                .isEqualTo("https://hooks.example.org/...");
    }
}
