package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The plain settings: documented defaults, set by name, checked when built. The flags are DetectionOptionsTest's. */
class DetectionSettingsTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        DetectionSettings defaults = DetectionSettings.defaults();
        assertThat(defaults.riseThreshold()).isEqualTo(0.05);
        assertThat(defaults.confirmEvaluations()).isEqualTo(3);
        assertThat(defaults.lossFloor()).isEqualTo(1e-4);
        assertThat(defaults.sweepMaxSizes()).isEqualTo(256);
        assertThat(defaults.advice()).isEqualTo(AdviceSettings.defaults());
        assertThat(defaults.advice().spanLogEpochs()).isEqualTo(Math.log(2));
        assertThat(DetectionSettings.builder().build()).isEqualTo(defaults);
    }

    @Test
    void settingsAreSetByNameAndTheRestKeepTheirDefaults() {
        DetectionSettings settings = DetectionSettings.builder()
                .riseThreshold(0.2)
                .confirmEvaluations(4)
                .build();
        assertThat(settings.riseThreshold()).isEqualTo(0.2);
        assertThat(settings.confirmEvaluations()).isEqualTo(4);
        assertThat(settings.fallThreshold())
                .isEqualTo(DetectionSettings.defaults().fallThreshold());
        assertThat(settings.toBuilder().fallThreshold(0.3).build())
                .isEqualTo(DetectionSettings.builder()
                        .riseThreshold(0.2)
                        .confirmEvaluations(4)
                        .fallThreshold(0.3)
                        .build());
    }

    @Test
    void aValueOutOfRangeIsRefusedNamingTheSettingAndTheRange() {
        assertThatThrownBy(() -> DetectionSettings.builder().fallThreshold(1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("fall threshold is 1, valid: (0, 1)");
        assertThatThrownBy(() -> DetectionSettings.builder().medianWindow(0).build())
                .hasMessage("median window is 0, valid: [1, 51]");
        assertThatThrownBy(() ->
                        DetectionSettings.builder().riseThreshold(Double.NaN).build())
                .hasMessageContaining("rise threshold is NaN");
        assertThatThrownBy(() -> DetectionSettings.builder().advice(null).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DetectionSettings.builder().belowMargin(0).build().belowMargin())
                .as("[0, 1) holds 0")
                .isZero();
    }
}
