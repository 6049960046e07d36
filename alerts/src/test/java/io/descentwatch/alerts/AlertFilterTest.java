package io.descentwatch.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.AlertType;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertFilterTest {

    private static Alert alert(AlertType type, String run, String sweep) {
        return Alert.of(type)
                .run(run)
                .sweep(sweep)
                .epoch(10)
                .paramCount(100)
                .trainSize(100)
                .message("m")
                .at(Instant.EPOCH)
                .build();
    }

    @Test
    void typesSweepsAndRunsNarrowTheAlertsAndStarMatchesAnything() {
        Alert descent = alert(AlertType.SECOND_DESCENT, "rf-a/N0100/s1", "rf-a");
        Alert peak = alert(AlertType.MODEL_WISE_PEAK, "rf-a/N0100/s1", "rf-a");
        Alert other = alert(AlertType.SECOND_DESCENT, "mlp/w8/s2", "mlp");

        assertThat(AlertFilter.ALL.test(descent)).isTrue();
        AlertFilter descents = new AlertFilter(Set.of(AlertType.SECOND_DESCENT), null, null);
        assertThat(descents.test(descent)).isTrue();
        assertThat(descents.test(peak)).isFalse();

        AlertFilter rf = new AlertFilter(Set.of(), "rf-*", null);
        assertThat(rf.test(descent)).isTrue();
        assertThat(rf.test(peak)).isTrue();
        assertThat(rf.test(other)).isFalse();

        AlertFilter seed1 = new AlertFilter(Set.of(), null, "*/s1");
        assertThat(seed1.test(descent)).isTrue();
        assertThat(seed1.test(other)).isFalse();
        assertThat(seed1.test(peak))
                .as("a sweep alert is about no run of its own")
                .isFalse();
    }

    @Test
    void aScopeKeepsOnlyRunAlertsOrOnlySweepAlertsAndAContradictionIsNamed() {
        Alert rising = alert(AlertType.TEST_LOSS_RISING, "rf/N0010/s1", "rf");
        Alert peak = alert(AlertType.MODEL_WISE_PEAK, "rf/N0100/s1", "rf");
        AlertFilter runs = new AlertFilter(Set.of(), AlertScope.RUN, null, null);
        AlertFilter sweeps = new AlertFilter(Set.of(), AlertScope.SWEEP, "rf", null);
        assertThat(runs.test(rising)).isTrue();
        assertThat(runs.test(peak)).isFalse();
        assertThat(sweeps.test(rising)).isFalse();
        assertThat(sweeps.test(peak)).isTrue();
        assertThat(runs.contradiction()).isNull();
        assertThat(new AlertFilter(
                                Set.of(AlertType.MODEL_WISE_PEAK, AlertType.SECOND_DESCENT),
                                AlertScope.SWEEP,
                                null,
                                null)
                        .contradiction())
                .isNull();
        assertThat(new AlertFilter(Set.of(AlertType.MODEL_WISE_PEAK), AlertScope.RUN, null, null).contradiction())
                .contains("MODEL_WISE_PEAK")
                .contains("run");
    }

    @Test
    void patternsAreLiteralApartFromTheStar() {
        assertThat(AlertFilter.matches("a.b", "a.b")).isTrue();
        assertThat(AlertFilter.matches("a.b", "axb")).isFalse();
        assertThat(AlertFilter.matches("(x)+[y]", "(x)+[y]")).isTrue();
        assertThat(AlertFilter.matches("run*", "run\nwith newline")).isTrue();
        assertThat(AlertFilter.matches("exact", "exactly")).isFalse();
    }
}
