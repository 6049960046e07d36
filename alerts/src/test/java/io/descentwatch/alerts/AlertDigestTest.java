package io.descentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertType;
import io.descentwatch.testkit.JsonSchemas;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertDigestTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private static Alert run(AlertType type, String sweep, int width, int second) {
        String id = sweep + "/N" + String.format("%04d", width) + "/s1";
        return Alert.of(type)
                .run(id)
                .sweep(sweep)
                .epoch(10)
                .paramCount(width)
                .trainSize(100)
                .message("run " + id + ": " + type)
                .at(T0.plusSeconds(second))
                .build();
    }

    private static Alert sweep(AlertType type, String sweep, int second) {
        return Alert.of(type)
                .run(sweep + "/N0100/s1")
                .sweep(sweep)
                .epoch(10)
                .paramCount(100)
                .trainSize(100)
                .message("sweep " + sweep + ": " + type)
                .at(T0.plusSeconds(second))
                .build();
    }

    @Test
    void runAlertsOfASweepWaitForTheWindowAndGoOutAsOneDigestWhileSweepAlertsGoAtOnce() {
        AlertDigest digest = new AlertDigest(Duration.ofSeconds(30));
        List<Alert> rising = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Alert a = run(AlertType.TEST_LOSS_RISING, "rf", 10 * (12 - i), i);
            rising.add(a);
            assertThat(digest.accept(a, T0.plusSeconds(i))).as("held back").isEmpty();
        }
        Alert peak = sweep(AlertType.MODEL_WISE_PEAK, "rf", 13);
        assertThat(digest.accept(peak, T0.plusSeconds(13))).containsExactly(new AlertDigest.Single(peak));
        Alert descent = run(AlertType.SECOND_DESCENT, "rf", 400, 14);
        assertThat(digest.accept(descent, T0.plusSeconds(14))).isEmpty();
        assertThat(digest.pending()).isEqualTo(13);

        assertThat(digest.due(T0.plusSeconds(29)))
                .as("the window is open for 30 s from its first alert")
                .isEmpty();
        List<AlertDigest.Notice> out = digest.due(T0.plusSeconds(30));
        assertThat(out).hasSize(1);
        AlertDigest.Digest d = (AlertDigest.Digest) out.get(0);
        assertThat(d.sweepId()).isEqualTo("rf");
        List<Alert> all = new ArrayList<>(rising);
        all.add(descent);
        assertThat(d.alerts()).containsExactlyElementsOf(all);
        assertThat(d.byType().keySet())
                .as("what a person acts on first")
                .containsExactly(AlertType.SECOND_DESCENT, AlertType.TEST_LOSS_RISING);
        assertThat(d.byType().get(AlertType.TEST_LOSS_RISING))
                .as("by model size")
                .isSortedAccordingTo((a, b) -> Long.compare(a.paramCount(), b.paramCount()));
        assertThat(digest.pending()).isZero();

        assertThat(AlertText.summary(d))
                .isEqualTo("sweep rf: SECOND_DESCENT in 1 run (N0400/s1), "
                        + "TEST_LOSS_RISING in 12 runs (N0010/s1, N0020/s1, N0030/s1 +9)");
        assertThat(AlertText.line(d))
                .contains("13 run alerts")
                .contains(AlertText.summary(d))
                .startsWith("2026-11-01 00:00:14Z");
    }

    @Test
    void eachSweepHasItsOwnWindowAndALoneAlertGoesOutAsItIs() {
        AlertDigest digest = new AlertDigest(Duration.ofSeconds(10));
        Alert a1 = run(AlertType.TEST_LOSS_RISING, "a", 10, 0);
        Alert b1 = run(AlertType.DIVERGED, "b", 10, 5);
        Alert a2 = run(AlertType.TEST_LOSS_RISING, "a", 20, 6);
        digest.accept(a1, T0);
        digest.accept(b1, T0.plusSeconds(5));
        digest.accept(a2, T0.plusSeconds(6));
        assertThat(digest.due(T0.plusSeconds(10))).containsExactly(new AlertDigest.Digest("a", List.of(a1, a2)));
        // a new alert of sweep a opens a new window of its own
        Alert a3 = run(AlertType.SECOND_DESCENT, "a", 30, 11);
        digest.accept(a3, T0.plusSeconds(11));
        assertThat(digest.due(T0.plusSeconds(15))).containsExactly(new AlertDigest.Single(b1));
        assertThat(digest.flush()).containsExactly(new AlertDigest.Single(a3));
        assertThat(digest.due(T0.plusSeconds(100))).isEmpty();
    }

    @Test
    void aZeroWindowIsOneNoticePerAlertAsBefore() {
        AlertDigest digest = new AlertDigest(Duration.ZERO);
        Alert a = run(AlertType.TEST_LOSS_RISING, "a", 10, 0);
        assertThat(digest.accept(a, T0)).containsExactly(new AlertDigest.Single(a));
        assertThat(digest.pending()).isZero();
    }

    @Test
    void aDigestsJsonHoldsEveryAlertWholeAndMatchesItsPublishedSchema() throws Exception {
        Alert r1 = run(AlertType.TEST_LOSS_RISING, "rf", 10, 0);
        Alert r2 = run(AlertType.TEST_LOSS_RISING, "rf", 20, 1);
        Alert r3 = run(AlertType.BELOW_FIRST_MINIMUM, "rf", 800, 2);
        AlertDigest.Digest d = new AlertDigest.Digest("rf", List.of(r1, r2, r3));
        ObjectMapper json = new ObjectMapper();
        JsonNode node = json.readTree(new NoticeJson().line(d));

        JsonSchema schema = JsonSchemas.load("alert-digest-v1.schema.json");
        assertThat(schema.validate(node)).isEmpty();
        assertThat(node.get("schema").asText()).isEqualTo(NoticeJson.DIGEST_SCHEMA);
        assertThat(node.get("alert_count").asInt()).isEqualTo(3);
        assertThat(node.get("counts").get("TEST_LOSS_RISING").asInt()).isEqualTo(2);
        assertThat(node.get("counts").fieldNames())
                .toIterable()
                .containsExactly("BELOW_FIRST_MINIMUM", "TEST_LOSS_RISING");
        assertThat(node.get("first_time").asText()).isEqualTo(r1.time().toString());
        assertThat(node.get("last_time").asText()).isEqualTo(r3.time().toString());
        AlertCodec codec = new AlertCodec();
        JsonSchema alertSchema = JsonSchemas.load("alert-v1.schema.json");
        List<Alert> inside = new ArrayList<>();
        for (JsonNode a : node.get("alerts")) {
            assertThat(alertSchema.validate(a)).isEmpty();
            inside.add(codec.decode(a.toString()).value());
        }
        assertThat(inside).containsExactly(r1, r2, r3);

        JsonNode single = json.readTree(new NoticeJson().line(new AlertDigest.Single(r1)));
        assertThat(alertSchema.validate(single)).isEmpty();
        assertThat(codec.decode(single.toString()).value()).isEqualTo(r1);
    }

    @Test
    void aRunIdThatDoesNotStartWithItsSweepIsNamedWhole() {
        Alert other = Alert.of(AlertType.TEST_LOSS_RISING)
                .run("mlp-w8-seed1")
                .sweep("sweepA")
                .epoch(1)
                .paramCount(8)
                .trainSize(100)
                .message("m")
                .at(T0)
                .build();
        assertThat(AlertText.shortRun(other)).isEqualTo("mlp-w8-seed1");
    }
}
