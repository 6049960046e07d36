package io.descentwatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Numbers are worded in the US locale for speed, and must read exactly as the root locale writes them: alerts and
 * advice reasons are compared across versions, and the contract's examples quote them.
 */
class AlertWordingTest {

    /** Values of every magnitude and sign, and the edges where rounding changes a number's form. */
    private static List<Double> values() {
        List<Double> values = new ArrayList<>(List.of(
                0.0,
                -0.0,
                1.0,
                -1.0,
                0.0001,
                0.00009995,
                0.000099949,
                9.995,
                99.95,
                999.5,
                999.4999,
                1000.0,
                0.125,
                0.135,
                2.5,
                -2.5,
                1e-300,
                1e300,
                Double.MIN_VALUE,
                Double.MAX_VALUE,
                0.5,
                0.005,
                0.015));
        SplittableRandom random = new SplittableRandom(24);
        for (int i = 0; i < 20_000; i++) {
            double magnitude = Math.pow(10, random.nextInt(-12, 13));
            values.add((random.nextBoolean() ? 1 : -1) * random.nextDouble() * magnitude);
            // numbers that end in a 5 where the rounding happens
            values.add(Math.round(random.nextDouble() * 100_000) / 10.0 + 0.05);
        }
        return values;
    }

    @Test
    void numReadsAsTheRootLocaleWritesItWithThreeSignificantDigits() {
        for (double v : values()) {
            assertThat(AlertWording.num(v)).as("num(%s)", v).isEqualTo(String.format(Locale.ROOT, "%.3g", v));
        }
        assertThat(AlertWording.num(0.012345)).isEqualTo("0.0123");
        assertThat(AlertWording.num(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void percentReadsAsTheRootLocaleWritesAWholePercentage() {
        for (double v : values()) {
            double fraction = v / 1000;
            assertThat(AlertWording.percent(fraction))
                    .as("percent(%s)", fraction)
                    .isEqualTo(String.format(Locale.ROOT, "%.0f%%", 100 * fraction));
        }
        assertThat(AlertWording.percent(0.126)).isEqualTo("13%");
    }
}
