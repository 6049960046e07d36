package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.descentwatch.events.Advice;
import io.descentwatch.events.EpochEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Losses are moved and compared by a share of their size: for a loss at or above zero exactly as the rules' products
 * did (so no verdict there changes), and the same way round for one under zero.
 */
class LossSharesTest {

    @Test
    void atOrAboveZeroEachGivesWhatTheProductGaveBitForBit() {
        Random random = new Random(11);
        double[] shares = {0.02, 0.10, 0.25, 0.5};
        List<Double> losses = new ArrayList<>(List.of(0.0, -0.0, Double.MIN_VALUE, 1e-300, 1.0, 1e300));
        for (int i = 0; i < 20_000; i++) {
            losses.add(Math.exp(random.nextGaussian() * 5));
        }
        for (double loss : losses) {
            double share = shares[random.nextInt(shares.length)];
            double other = Math.exp(random.nextGaussian() * 5);
            assertThat(bits(LossShares.raised(loss, share))).isEqualTo(bits((1 + share) * loss));
            assertThat(bits(LossShares.lowered(loss, share))).isEqualTo(bits((1 - share) * loss));
            if (loss > 0) {
                assertThat(bits(LossShares.above(other, loss))).isEqualTo(bits(other / loss - 1));
                assertThat(bits(LossShares.below(other, loss))).isEqualTo(bits(1 - other / loss));
            }
        }
    }

    @Test
    void underZeroALossIsMovedAndComparedTheSameWayRound() {
        assertThat(LossShares.lowered(-0.05, 0.02)).isCloseTo(-0.051, within(1e-12));
        assertThat(LossShares.raised(-0.05, 0.02)).isCloseTo(-0.049, within(1e-12));
        // the twenty-sixth round's bbb-variational run: a best of -0.0535, the test loss back at 0.141
        assertThat(LossShares.above(0.141, -0.0535)).isCloseTo(3.636, within(1e-3));
        assertThat(LossShares.below(-0.1, -0.05)).isCloseTo(1.0, within(1e-12));
        assertThat(LossShares.above(-0.1, -0.05)).isCloseTo(-1.0, within(1e-12));
    }

    /** A rise above a first minimum under zero is worded as the rise it is, not as a fall of hundreds of percent. */
    @Test
    void aRiseAboveAFirstMinimumUnderZeroIsWordedAsARise() {
        List<EpochEvent> run = AdviceCurves.nothingBetter("flat-under-zero", 20_000, -1.0);
        assertThat(run.stream().mapToDouble(EpochEvent::testLoss).min().orElseThrow())
                .isNegative();
        Advice stop =
                adviceChanges(run).stream().filter(Advice::stop).findFirst().orElseThrow();
        assertThat(stop.reason()).containsPattern(Pattern.compile("test loss \\d[\\d.,]*% above its first minimum"));
    }

    /**
     * A run that sits at its first train loss has not started learning, whether its losses are above zero or under
     * it: flat there is not converged (a 10% margin under a first loss of -1 lies at -1.1, not at -0.9).
     */
    @Test
    void aRunFlatAtItsFirstTrainLossIsNotToldItConvergedAboveOrUnderZero() {
        for (double sign : new double[] {1, -1}) {
            List<EpochEvent> run = AdviceCurves.curve("flat", 5_000, t -> sign * 1.0, t -> sign * 0.5);
            assertThat(adviceChanges(run))
                    .as("losses of sign %s", sign)
                    .isNotEmpty()
                    .noneMatch(Advice::stop);
        }
    }

    private static List<Advice> adviceChanges(List<EpochEvent> run) {
        return AdviceCurves.adviceChanges(new RunDetector(DetectionSettings.defaults()), run);
    }

    private static long bits(double d) {
        return Double.doubleToRawLongBits(d);
    }
}
