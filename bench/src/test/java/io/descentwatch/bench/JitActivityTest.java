package io.descentwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JitActivityTest {

    @Test
    void theShareIsCompilingTimeOverProcessCpuTimeCappedAtTheWhole() {
        assertThat(JitActivity.share(500, 10_000_000_000L)).isEqualTo(0.05);
        assertThat(JitActivity.share(3_000, 1_000_000_000L)).isEqualTo(1.0);
        assertThat(JitActivity.share(0, 0)).isZero();
        assertThat(JitActivity.share(10, 0)).isEqualTo(1.0);
    }

    @Test
    void aRoundIsSteadyOnlyUnderTheThreshold() {
        assertThat(JitActivity.steady(JitActivity.STEADY_SHARE - 0.001)).isTrue();
        assertThat(JitActivity.steady(JitActivity.STEADY_SHARE)).isFalse();
    }
}
