package io.descentwatch.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AlertCodecTest {

    private final AlertCodec codec = new AlertCodec();

    @Test
    void roundTripsAnAlertAndCarriesPOverN() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("first_min_epoch", 25L);
        details.put("first_min_loss", 1.53);
        details.put("peak_epoch", 297L);
        Alert a = Alert.create(AlertType.SECOND_DESCENT, "run-1", "sweep", 2154, 210, 500, 1, details,
                "run run-1: second descent", Instant.parse("2026-11-28T12:00:00Z"));
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
        Alert a = Alert.create(AlertType.DIVERGED, "r", "s", 1, 1, 1, 1, Map.of(), "m", Instant.EPOCH);
        String json = codec.encodeToString(a).replace("DIVERGED", "EXPLODED");
        assertThat(codec.decode(json).isValid()).isFalse();
    }
}
