package io.descentwatch.bench.stopping;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.bench.stopping.ChanceCalibration.Given;
import io.descentwatch.detection.DetectionSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21's targets on the curves of the independent trainers held out of the advice's design (every family of
 * {@code bench/advice-trainers} but the three it was designed on), each run telling its budget as the project's
 * workers and the Python client with {@code epochs=} do. The targets are the issue's, not figures of these curves:
 * at least 95% of winning second descents kept; at most half the epochs (median) in each family where nothing better
 * comes (but for the families named, where it is known not to hold); a kept model no further from the best than
 * patience 10's; the chance within 10 points in every bin, pooled over every held-out family but the
 * fifth round's, named below as a known miss.
 */
class HeldOutAdviceTest {

    private static final Path INDEPENDENT = Path.of("src/main/resources/stopping/independent");
    private static final DetectionSettings SETTINGS = DetectionSettings.defaults();

    /**
     * Held-out families on which a target is known not to be met, with what was measured: issue 21 stays open on
     * them. The test checks that they are the only ones, so a new miss fails it, and so does a fix (update this).
     */
    private static final Map<String, String> OVER_HALF_THE_EPOCHS = Map.of(
            "glm-poisson",
            "third held-out round: median 57.8% of the epochs where nothing better comes, 6 runs"
                    + " (2 told STOP only at their last epoch)",
            "tanh-student",
            "fifth held-out round: median 59.7% of the epochs where nothing better comes, 10 runs");

    /**
     * The fifth held-out round, on which the chance is known to be off by more than 10 points in a bin (pooled over
     * the round with the budget told: +11, +20, +27, +20 points from 0.0 to 0.7; over all twenty families +11 at
     * 0.3-0.5): the chance must hold within 10 points on the other families, and must still miss with these in, so
     * that a fix fails this test too (update this).
     */
    private static final java.util.Set<String> MISCALIBRATED =
            java.util.Set.of("bilinear-ratings", "tanh-student", "resnet-layernorm");

    private static Map<String, List<Curve>> families;

    @BeforeAll
    static void load() throws IOException {
        families = new TreeMap<>();
        try (Stream<Path> files = Files.list(INDEPENDENT)) {
            for (Path file : files.sorted().toList()) {
                for (Curve c : StoppingCurves.load(file)) {
                    if (!StoppingCurves.designedOn(c)) {
                        families.computeIfAbsent(c.family(), f -> new ArrayList<>())
                                .add(c.withBudgetAnnounced());
                    }
                }
            }
        }
    }

    @Test
    void theHeldOutFamiliesAreThere() {
        // the five held-out rounds' twenty families, with runs of both kinds between them
        assertThat(families).hasSizeGreaterThanOrEqualTo(20);
        assertThat(families.values().stream().flatMap(List::stream).map(Curve::kind))
                .contains(Curve.Kind.SECOND_DESCENT_WINS, Curve.Kind.NOTHING_BETTER);
    }

    @Test
    void keepsWinningSecondDescentsAndStopsWhereNothingBetterComes() {
        StoppingRule advice = StoppingRule.descentWatch(SETTINGS);
        StoppingRule patience10 = StoppingRule.patience(10);
        int winning = 0;
        int kept = 0;
        java.util.Set<String> overHalf = new java.util.TreeSet<>();
        for (Map.Entry<String, List<Curve>> family : families.entrySet()) {
            StoppingBench.Row row = StoppingBench.score(advice, family.getValue());
            StoppingBench.Row classic = StoppingBench.score(patience10, family.getValue());
            winning += row.winning();
            kept += row.winningKept();
            if (row.nothingBetter() > 0 && row.medianEpochShare() > 0.5) {
                overHalf.add(family.getKey());
            }
            assertThat(row.meanExcess())
                    .as("mean excess of the kept model over the best, " + family.getKey() + " (patience 10: "
                            + classic.meanExcess() + ")")
                    .isLessThanOrEqualTo(classic.meanExcess() + 0.005);
        }
        assertThat(overHalf)
                .as("families where the median share of epochs where nothing better comes is over half")
                .isEqualTo(OVER_HALF_THE_EPOCHS.keySet());
        assertThat(winning).isGreaterThanOrEqualTo(40);
        assertThat(kept).as("winning second descents kept, of " + winning).isGreaterThanOrEqualTo((int)
                Math.ceil(0.95 * winning));
    }

    @Test
    void theChanceIsCalibratedWithinTenPointsPooledButForTheKnownMiss() {
        List<ChanceCalibration.Bin> bins = bins(f -> !MISCALIBRATED.contains(f));
        assertThat(bins).as("every range of chance is given").hasSize(6);
        for (ChanceCalibration.Bin bin : bins) {
            assertThat(bin.given())
                    .as("advice given with a chance in [%s, %s)", bin.lo(), bin.hi())
                    .isGreaterThan(50);
            assertThat(bin.gapPoints())
                    .as("share that went on to win against the mean chance, in [%s, %s)", bin.lo(), bin.hi())
                    .isBetween(-10.0, 10.0);
        }
        List<ChanceCalibration.Bin> all = bins(f -> true);
        assertThat(all)
                .as("with the fifth round in, some bin is more than 10 points off (the known miss)")
                .anyMatch(b -> Math.abs(b.gapPoints()) > 10);
    }

    private static List<ChanceCalibration.Bin> bins(java.util.function.Predicate<String> family) {
        List<Given> rows = ChanceCalibration.given(
                families.entrySet().stream()
                        .filter(e -> family.test(e.getKey()))
                        .flatMap(e -> e.getValue().stream())
                        .toList(),
                SETTINGS);
        return ChanceCalibration.bins(rows);
    }
}
