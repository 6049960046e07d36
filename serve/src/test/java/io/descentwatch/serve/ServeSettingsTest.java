package io.descentwatch.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.descentwatch.alerts.AlertFilter;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.AlertType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServeSettingsTest {

    @Test
    void theDefaultsAreKafkasPortThePageOnLoopbackAndADirectoryUnderHome() {
        ServeSettings s = ServeSettings.defaults();
        ServeSettings.Endpoints at = s.validate();
        assertThat(at.kafka()).isEqualTo(new Endpoint("localhost", 9092));
        assertThat(at.http()).isEqualTo(new Endpoint("localhost", 8080));
        assertThat(s.pageInterval).isEqualTo(Duration.ofMillis(100));
        if (System.getenv("DW_DATA_DIR") == null) {
            assertThat(s.dataDir).isEqualTo(Path.of(System.getProperty("user.home"), ".descentwatch", "serve"));
        }
        assertThat(s.fresh).isFalse();
    }

    @Test
    void badValuesNameTheirFlag() {
        assertThatThrownBy(() ->
                        parse("--kafka", "localhost:1", "--http", "localhost:1").validate())
                .hasMessageContaining("--kafka and --http must use different ports");
        assertThatThrownBy(() -> parse("--page-interval", "PT0.001S").validate())
                .hasMessageContaining("--page-interval")
                .hasMessageContaining("[PT0.01S, PT1M]");
        assertThatThrownBy(() -> parse("--webhook-attempts", "0").validate())
                .hasMessageContaining("--webhook-attempts")
                .hasMessageContaining("[1, 100]");
        assertThatThrownBy(() -> parse("--influx-url", "localhost:8086").validate())
                .hasMessageContaining("--influx-url must be an http:// or https:// URL");
    }

    @Test
    void theWebhookIsPostedTheChosenTypesScopeAndSweepAndRunAlertsWaitForTheDigestUnlessPerAlert() {
        ServeSettings all = ServeSettings.defaults();
        if (System.getenv("DW_WEBHOOK_TYPES") == null
                && System.getenv("DW_WEBHOOK_SCOPE") == null
                && System.getenv("DW_WEBHOOK_SWEEP") == null) {
            assertThat(all.webhookFilter()).isEqualTo(AlertFilter.ALL);
        }
        if (System.getenv("DW_ALERTS_DIGEST_WINDOW") == null && System.getenv("DW_ALERTS_PER_ALERT") == null) {
            assertThat(all.digest()).isEqualTo(Duration.ofMinutes(1));
        }

        ServeSettings s = parse(
                "--webhook-type",
                "SECOND_DESCENT,MODEL_WISE_PEAK",
                "--webhook-scope",
                "sweep",
                "--webhook-sweep",
                "rf-*",
                "--digest-window",
                "PT5S");
        s.validate();
        AlertFilter f = s.webhookFilter();
        assertThat(f.types()).containsExactlyInAnyOrder(AlertType.SECOND_DESCENT, AlertType.MODEL_WISE_PEAK);
        assertThat(f.scope()).isEqualTo(AlertScope.SWEEP);
        assertThat(f.test(Alert.of(AlertType.MODEL_WISE_PEAK)
                        .sweep("rf-1")
                        .epoch(1)
                        .paramCount(1)
                        .trainSize(1)
                        .message("m")
                        .at(Instant.EPOCH)
                        .build()))
                .isTrue();
        assertThat(f.test(Alert.of(AlertType.SECOND_DESCENT)
                        .run("rf-1/a")
                        .sweep("rf-1")
                        .epoch(1)
                        .paramCount(1)
                        .trainSize(1)
                        .message("m")
                        .at(Instant.EPOCH)
                        .build()))
                .as("a run alert, with --webhook-scope sweep")
                .isFalse();
        assertThat(s.digest()).isEqualTo(Duration.ofSeconds(5));
        assertThat(parse("--per-alert").digest()).isZero();
    }

    @Test
    void badWebhookChoicesNameTheirFlagAndTheValidValues() {
        assertThatThrownBy(() -> parse("--webhook-scope", "galaxy"))
                .hasMessageContaining("--webhook-scope")
                .hasMessageContaining("run")
                .hasMessageContaining("sweep");
        assertThatThrownBy(() -> parse("--webhook-type", "PEAK"))
                .hasMessageContaining("--webhook-type")
                .hasMessageContaining("MODEL_WISE_PEAK");
        assertThatThrownBy(() -> parse("--digest-window", "PT2H").validate())
                .hasMessageContaining("--digest-window")
                .hasMessageContaining("PT1H");
        assertThatThrownBy(() -> parse("--webhook-type", "MODEL_WISE_PEAK", "--webhook-scope", "run")
                        .validate())
                .hasMessageContaining("--webhook-type and --webhook-scope");
    }

    private static ServeSettings parse(String... args) {
        return CommandLine.populateCommand(new ServeSettings(), args);
    }
}
