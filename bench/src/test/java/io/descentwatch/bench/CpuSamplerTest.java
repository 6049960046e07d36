package io.descentwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuSamplerTest {

    @Test
    void aBusyThreadShowsAsAShareOfTheCoresAndNothingIsReportedBeforeTheFirstSample() {
        try (CpuSampler cpu = CpuSampler.start()) {
            assertThat(cpu.meanShare()).isNaN();
            long until = System.nanoTime() + 800_000_000L;
            double sink = 0;
            while (System.nanoTime() < until) {
                sink += Math.sqrt(sink + 1);
            }
            assertThat(sink).isPositive();
            assertThat(cpu.meanShare()).isGreaterThan(0).isLessThanOrEqualTo(1);
        }
    }
}
