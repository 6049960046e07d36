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
 * at least 95% of winning second descents kept (the families that lose one are named); at most
 * half the epochs (median) in each family where nothing better comes (but for the families named, where it is known
 * not to hold); a kept model no further from the best than patience 10's; the chance within 10 points in every bin,
 * pooled over the families held out of its fit (later rounds than the fit's), and over each fitted family as
 * estimated by the weights fitted without it.
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
            "fifth held-out round: median 59.7% of the epochs where nothing better comes, 10 runs",
            "vae-digits",
            "eighth held-out round: median 58.3% of the epochs where nothing better comes, 8 runs",
            "lasso-ista",
            "ninth held-out round: median 56.9% of the epochs where nothing better comes, 9 runs (descents too"
                    + " steady for their pace to say when they would pass the best)",
            "hetero-nll",
            "eleventh held-out round: median 52.2% of the epochs where nothing better comes, 8 runs");

    /**
     * Held-out families in which the advice is known to lose a winning second descent (its kept model more than 2%
     * above the run's best), with what was measured: 13 of the 304 winners of the eleven rounds' thirty-eight
     * families, so that the 95% is met (95.7%; 95.4% without {@code logistic-two-scale} and {@code
     * deep-linear}, seen before the rule's rewrite; measured once each, the ninth round 24 of 26, the tenth 30 of 30,
     * the eleventh 23 of 24). Twelve are the budget's: eight rises told STOP with 1.5 to 2.0 doublings left, four
     * slowing descents whose pace passes the best only after the planned end (two of them the ninth round's, on a
     * step-valued test error). One, the eleventh round's, is a slowing descent projected to end above the best (lost
     * without the budget too). The eighth round's two {@code vae-digits} losses (a train loss read as flat while it
     * is mostly irreducible noise) are kept since {@code --advice-train-fall} went to 0.5%. The test checks that these
     * are the only families that lose one, so a new loss fails it, and so does a fix (update this).
     */
    private static final Map<String, String> LOSES_WINNERS = Map.of(
            "sgd-two-scale", "1 of 14, first round",
            "bilinear-ratings", "2 of 12, fifth round",
            "tanh-student", "1 of 8, fifth round",
            "sign-logcosh", "1 of 11, sixth round",
            "graph-conv", "1 of 9, seventh round",
            "small-val-noisy", "1 of 7, seventh round",
            "batchnorm-cnn", "1 of 12, eighth round",
            "weightnorm-relu", "2 of 8, eighth round",
            "shift-error", "2 of 5, ninth round",
            "augment-ema", "1 of 4, eleventh round");

    /**
     * The bins (by their lower edge) in which the chance is known to be more than 10 points off, pooled over the
     * families held out of its fit (the ninth to eleventh rounds', since the fit takes the first eight), with the
     * budget told: +12 points at 0.0-0.1 (261 advice; the ninth round alone +25, the tenth +11, the eleventh +1,
     * which was 15-18 points too high at 0.1-0.5 instead). The test checks that they are the only ones, so a new miss
     * fails it, and so does a fix (update this).
     */
    private static final java.util.Set<Double> MISCALIBRATED_BINS = java.util.Set.of(0.0);

    /** Every independent trainer's run, as its trainer sent it. */
    private static List<Curve> independent;

    /** The runs of the families held out of the rule's design, each telling its budget, by family. */
    private static Map<String, List<Curve>> families;

    @BeforeAll
    static void load() throws IOException {
        independent = new ArrayList<>();
        try (Stream<Path> files = Files.list(INDEPENDENT)) {
            for (Path file : files.sorted().toList()) {
                independent.addAll(StoppingCurves.load(file));
            }
        }
        families = new TreeMap<>();
        for (Curve c : independent) {
            if (!StoppingCurves.designedOn(c)) {
                families.computeIfAbsent(c.family(), f -> new ArrayList<>()).add(c.withBudgetAnnounced());
            }
        }
    }

    @Test
    void theHeldOutFamiliesAreThere() {
        // the eleven held-out rounds' thirty-eight families, with runs of both kinds between them
        assertThat(families).hasSizeGreaterThanOrEqualTo(38);
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
        java.util.Set<String> losing = new java.util.TreeSet<>();
        for (Map.Entry<String, List<Curve>> family : families.entrySet()) {
            StoppingBench.Row row = StoppingBench.score(advice, family.getValue());
            StoppingBench.Row classic = StoppingBench.score(patience10, family.getValue());
            winning += row.winning();
            kept += row.winningKept();
            if (row.winningKept() < row.winning()) {
                losing.add(family.getKey());
            }
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
        assertThat(losing).as("families where a winning second descent is lost").isEqualTo(LOSES_WINNERS.keySet());
        assertThat(winning).isGreaterThanOrEqualTo(40);
        assertThat(kept)
                .as("winning second descents kept, of " + winning + ": the issue's 95%")
                .isGreaterThanOrEqualTo((int) Math.ceil(0.95 * winning));
    }

    @Test
    void theChanceIsCalibratedWithinTenPointsOnFamiliesHeldOutOfItsFitButForTheKnownMisses() {
        java.util.Set<String> heldOut = new java.util.TreeSet<>(families.keySet());
        heldOut.removeAll(StoppingCurves.CHANCE_FAMILIES);
        assertThat(heldOut).as("families held out of the chance's fit").isNotEmpty();
        List<ChanceCalibration.Bin> bins = bins(heldOut::contains);
        assertThat(bins).as("every range of chance is given").hasSize(6);
        java.util.Set<Double> off = new java.util.TreeSet<>();
        for (ChanceCalibration.Bin bin : bins) {
            if (bin.given() >= ChanceCalibration.BIN_FLOOR && Math.abs(bin.gapPoints()) > 10) {
                off.add(bin.lo());
            }
        }
        assertThat(off)
                .as("bins more than 10 points off, pooled over " + heldOut + ": " + bins)
                .isEqualTo(MISCALIBRATED_BINS);
    }

    /**
     * The fit's own check that it generalises: each fitted family's advice, estimated by the weights fitted without
     * that family, pooled, is within 10 points in every bin. A fit that learned its families' own frequencies (too
     * little ridge) or nothing (too much) fails it.
     */
    @Test
    void theChanceFittedWithoutEachFamilyHoldsOnThatFamilyPooled() throws IOException {
        List<Curve> curves = new ArrayList<>(StoppingCurves.load(null));
        curves.addAll(independent);
        ChanceFit.Result fit = ChanceFit.fit(ChanceCalibration.fitRows(curves, SETTINGS));
        assertThat(fit.weights())
                .as("the weights AdviceChance carries are this fit's")
                .containsExactly(
                        io.descentwatch.detection.AdviceChance.weights(), org.assertj.core.data.Offset.offset(5e-5));
        for (ChanceCalibration.Bin bin : ChanceCalibration.bins(fit.chosen().estimated())) {
            assertThat(bin.gapPoints())
                    .as("left out of the fit, in [%s, %s) (%s advice)", bin.lo(), bin.hi(), bin.given())
                    .isBetween(-10.0, 10.0);
        }
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
