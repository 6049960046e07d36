package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeedLossesTest {

    private static double exactMedian(List<Double> values) {
        return SmoothedSeries.median(values.stream().mapToDouble(d -> d).toArray());
    }

    /** Relative width of a bin at the losses' level: how far a binned median may lie from the exact one. */
    private static double binWidth(SeedLosses l) {
        return Math.expm1(SeedLosses.BIN_WIDTH * (1L << l.level()));
    }

    private static SeedLosses of(List<Double> values) {
        SeedLosses l = SeedLosses.EMPTY;
        for (double v : values) {
            l = l.with(v);
        }
        return l;
    }

    @Test
    void ordinarySeedCountsAreKeptExactly() {
        Random random = new Random(1);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < SeedLosses.EXACT_LIMIT; i++) {
            values.add(Math.exp(random.nextGaussian()));
        }
        SeedLosses l = of(values);
        assertThat(l.isExact()).isTrue();
        assertThat(l.median()).isEqualTo(exactMedian(values));
        Collections.sort(values);
        assertThat(l.values())
                .containsExactly(values.stream().mapToDouble(d -> d).toArray());
        assertThat(l.with(1.0).isExact()).isFalse();
    }

    @Test
    void aBinnedMedianIsWithinOneBinOfTheExactOneWhateverTheSpread() {
        Random random = new Random(2);
        for (double sigma : new double[] {0.01, 0.05, 0.3, 1, 4}) {
            for (int n : new int[] {33, 101, 1000, 20_000}) {
                List<Double> values = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    values.add(0.7 * Math.exp(sigma * random.nextGaussian()));
                }
                SeedLosses l = of(values);
                assertThat(l.count()).isEqualTo(n);
                assertThat(l.keys().length).isLessThanOrEqualTo(SeedLosses.MAX_BINS);
                double exact = exactMedian(values);
                assertThat(l.median()).as("sigma %s, %d seeds", sigma, n).isCloseTo(exact, within(binWidth(l) * exact));
            }
        }
    }

    @Test
    void aTightSpreadKeepsFineBins() {
        // seed-to-seed spreads of a few percent, what sweeps have: the median is known to about half a percent
        Random random = new Random(3);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            values.add(2.0 * (1 + 0.03 * random.nextGaussian()));
        }
        SeedLosses l = of(values);
        assertThat(l.level()).isLessThanOrEqualTo(1);
        assertThat(l.median()).isCloseTo(exactMedian(values), within(0.01 * 2.0));
    }

    @Test
    void takingValuesOutLeavesTheMedianOfWhatRemains() {
        Random random = new Random(4);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            values.add(Math.exp(0.5 * random.nextGaussian()));
        }
        SeedLosses l = of(values);
        Collections.shuffle(values, random);
        List<Double> kept = new ArrayList<>(values.subList(0, 700));
        for (double gone : values.subList(700, values.size())) {
            l = l.without(gone);
        }
        assertThat(l.count()).isEqualTo(kept.size());
        assertThat(Arrays.stream(l.counts()).sum()).isEqualTo(kept.size());
        double exact = exactMedian(kept);
        assertThat(l.median()).isCloseTo(exact, within(binWidth(l) * exact));
        double mean = kept.stream().mapToDouble(d -> d).average().orElseThrow();
        double squares = kept.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        assertThat(l.scatter(exact)).isCloseTo(squares / (exact * exact), within(1e-6 * squares / (exact * exact)));
        // a value that is not there changes nothing
        assertThat(l.without(-123.0)).isEqualTo(l);
    }

    @Test
    void zeroAndNegativeLossesHaveBinsToo() {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            values.add(i % 3 == 0 ? 0.0 : i % 3 == 1 ? -0.5 : 0.5);
        }
        SeedLosses l = of(values);
        assertThat(l.median()).isCloseTo(0.0, within(1e-6));
        assertThat(l.without(-0.5).without(-0.5).count()).isEqualTo(98);
    }
}
