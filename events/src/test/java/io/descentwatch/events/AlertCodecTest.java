package io.descentwatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertCodecTest {

    private final AlertCodec codec = new AlertCodec();

    @Test
    void roundTripsAnAlertAndCarriesPOverN() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("first_min_epoch", 25L);
        details.put("first_min_loss", 1.53);
        details.put("peak_epoch", 297L);
        Alert a = Alert.of(AlertType.SECOND_DESCENT)
                .run("run-1")
                .sweep("sweep")
                .epoch(2154)
                .paramCount(210)
                .trainSize(500)
                .details(details)
                .message("run run-1: second descent")
                .at(Instant.parse("2026-11-28T12:00:00Z"))
                .build();
        String json = codec.encodeToString(a);
        assertThat(json).contains("\"scope\":\"run\"").contains("\"p_over_n\":0.42");
        Alert back = codec.decode(json).value();
        assertThat(back).isEqualTo(a);
    }

    @Test
    void alertIdsAreDeterministicAndDistinguishTypeAndScope() {
        String a = Alert.alertId(AlertType.SECOND_DESCENT, "run-1");
        assertThat(Alert.alertId(AlertType.SECOND_DESCENT, "run-1")).isEqualTo(a);
        assertThat(Alert.alertId(AlertType.TEST_LOSS_RISING, "run-1")).isNotEqualTo(a);
        assertThat(Alert.alertId(AlertType.SECOND_DESCENT, "run-2")).isNotEqualTo(a);
    }

    @Test
    void rejectsUnknownTypes() {
        Alert a = Alert.of(AlertType.DIVERGED)
                .run("r")
                .sweep("s")
                .epoch(1)
                .paramCount(1)
                .trainSize(1)
                .message("m")
                .at(Instant.EPOCH)
                .build();
        String json = codec.encodeToString(a).replace("DIVERGED", "EXPLODED");
        assertThat(codec.decode(json).isValid()).isFalse();
    }
}
