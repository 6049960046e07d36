package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-event shortcuts give bit for bit what they replace, so no verdict can change with them. */
class LogEpochsAndMedianTest {

    @Test
    void logEpochsIsMathLog1pBitForBit() {
        Random random = new Random(7);
        long[] edges = {0, 1, 2, 9, 10, 65_534, 65_535, 65_536, 65_537, 1_000_000, Long.MAX_VALUE, -1, -2};
        for (long e : edges) {
            assertThat(Double.doubleToRawLongBits(LogEpochs.of(e)))
                    .as("epoch %d", e)
                    .isEqualTo(Double.doubleToRawLongBits(Math.log1p(e)));
        }
        for (int i = 0; i < 100_000; i++) {
            long e = random.nextInt(200_000);
            assertThat(Double.doubleToRawLongBits(LogEpochs.of(e)))
                    .as("epoch %d", e)
                    .isEqualTo(Double.doubleToRawLongBits(Math.log1p(e)));
        }
    }

    @Test
    void theMedianOfARangeIsTheMedianOfItsSortedCopy() {
        Random random = new Random(11);
        double[] pool = {0.0, -0.0, 1.0, 1.0, 2.5, 1e-300, 3.0, -4.0, Double.MIN_VALUE};
        for (int trial = 0; trial < 20_000; trial++) {
            int length = 1 + random.nextInt(24);
            double[] values = new double[length];
            for (int i = 0; i < length; i++) {
                // ties, signed zeros and plain noise: each must come out as the sort orders it
                values[i] = random.nextBoolean() ? pool[random.nextInt(pool.length)] : random.nextGaussian();
            }
            int from = random.nextInt(length);
            int to = from + 1 + random.nextInt(length - from);
            double[] before = values.clone();
            double expected = SmoothedSeries.median(Arrays.copyOfRange(values, from, to));
            double actual = SmoothedSeries.median(values, from, to);
            assertThat(Double.doubleToRawLongBits(actual))
                    .as("%s [%d, %d)", Arrays.toString(values), from, to)
                    .isEqualTo(Double.doubleToRawLongBits(expected));
            assertThat(values).as("the values are left as they were").isEqualTo(before);
        }
    }
}
