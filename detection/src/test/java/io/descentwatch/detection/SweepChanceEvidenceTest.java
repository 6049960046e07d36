package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.descentwatch.events.Advice;
import io.descentwatch.events.EpochEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a sweep's ended runs say about its base rate and sharpness, and how they move the chance told to its other
 * runs.
 */
class SweepChanceEvidenceTest {

    /** An ended run's ledger: told {@code chances} at epochs 1, 2, ... with best 1.0 then, ending at {@code best}. */
    private static LedgerState ended(double best, double... chances) {
        return ended(best, 0f, chances);
    }

    /** The same, each chance told as its sweep had moved it by {@code sweepMove}. */
    private static LedgerState ended(double best, float sweepMove, double... chances) {
        List<ChanceTold> told = new ArrayList<>();
        for (int i = 0; i < chances.length; i++) {
            told.add(new ChanceTold(new ChanceMove(sweepMove, 1).apply(chances[i]), i + 1, 1.0, sweepMove));
        }
        return new LedgerState(
                chances.length + 1, best, chances.length + 1, RuleTrack.START, RuleTrack.START, RuleTrack.START, told);
    }

    /**
     * The log posterior of a move, evaluated directly from the told chances with the move's own arithmetic (the
     * oracle): normal priors on the offset and the slope's logarithm.
     */
    private static double logPosterior(List<ToldChances.Told> told, double offset, double logSlope, double sigma) {
        ChanceMove move = new ChanceMove(offset, Math.exp(logSlope));
        double sum = -(offset * offset + logSlope * logSlope) / (2 * sigma * sigma);
        for (ToldChances.Told t : told) {
            double p = move.apply(t.chance());
            sum += Math.log(t.beaten() ? p : 1 - p);
        }
        return sum;
    }

    /** The grid point of highest posterior, {@code step} apart, within {@code half} of a centre. */
    private static double[] gridBest(
            List<ToldChances.Told> told, double sigma, double[] centre, double half, double step) {
        double[] best = centre.clone();
        double bestValue = Double.NEGATIVE_INFINITY;
        for (double o = centre[0] - half; o <= centre[0] + half; o += step) {
            for (double u = centre[1] - half; u <= centre[1] + half; u += step) {
                double v = logPosterior(told, o, u, sigma);
                if (v > bestValue) {
                    bestValue = v;
                    best = new double[] {o, u};
                }
            }
        }
        return best;
    }

    @Test
    void theMoveIsTheMostLikelyOffsetAndSlopeOfTheToldChancesUnderThePriors() {
        LedgerState won = ended(0.5, 0.205, 0.405, 0.305, 0.805, 0.705);
        LedgerState lost = ended(1.0, 0.605, 0.705, 0.105, 0.155);
        LedgerState wonAgain = ended(0.5, 0.905, 0.655);
        SweepChanceEvidence evidence =
                SweepChanceEvidence.NONE.with(won).with(lost).with(wonAgain);
        List<ToldChances.Told> told = new ArrayList<>(won.toldOutcomes());
        told.addAll(lost.toldOutcomes());
        told.addAll(wonAgain.toldOutcomes());

        double sigma = 0.5;
        double[] coarse = gridBest(told, sigma, new double[] {0, 0}, 2, 0.01);
        double[] best = gridBest(told, sigma, coarse, 0.02, 1e-4);
        ChanceMove move = evidence.move(sigma);
        // binned by the hundredth: chances at a bin's centre are moved exactly as told
        assertThat(move.offset()).isCloseTo(best[0], within(2e-4));
        assertThat(Math.log(move.slope())).isCloseTo(best[1], within(2e-4));
        assertThat(evidence.told()).isEqualTo(11);
        assertThat(evidence.beaten()).isEqualTo(7);
    }

    @Test
    void chancesThatTellWinnersFromLosersBetterThanToldAreSharpenedAndThoseThatDoNotAreFlattened() {
        SweepChanceEvidence sharp = SweepChanceEvidence.NONE;
        SweepChanceEvidence blind = SweepChanceEvidence.NONE;
        for (int run = 0; run < 20; run++) {
            // told 0.3 or 0.7: the 0.3s never win and the 0.7s always do
            sharp = sharp.with(ended(1.0, 0.305)).with(ended(0.5, 0.705));
            // the same chances, each won half the time
            blind = blind.with(ended(run % 2 == 0 ? 0.5 : 1.0, 0.305)).with(ended(run % 2 == 0 ? 1.0 : 0.5, 0.705));
        }
        ChanceMove sharpened = sharp.move(0.5);
        ChanceMove flattened = blind.move(0.5);
        assertThat(sharpened.slope()).isGreaterThan(1);
        assertThat(sharpened.apply(0.3)).isLessThan(0.3);
        assertThat(sharpened.apply(0.7)).isGreaterThan(0.7);
        assertThat(flattened.slope()).isLessThan(1);
        assertThat(flattened.apply(0.3)).isBetween(0.3, 0.5);
        assertThat(flattened.apply(0.7)).isBetween(0.5, 0.7);
    }

    @Test
    void runsThatBeatTheirChancesMoveThemUpAndRunsThatDoNotMoveThemDown() {
        SweepChanceEvidence winning = SweepChanceEvidence.NONE;
        SweepChanceEvidence losing = SweepChanceEvidence.NONE;
        for (int run = 0; run < 5; run++) {
            winning = winning.with(ended(0.5, 0.3, 0.3));
            losing = losing.with(ended(1.0, 0.7, 0.7));
        }
        assertThat(winning.move(0.5).apply(0.3)).isGreaterThan(0.3);
        assertThat(losing.move(0.5).apply(0.7)).isLessThan(0.7);
        // a wider prior lets the same runs move it further
        assertThat(winning.move(1.0).apply(0.3)).isGreaterThan(winning.move(0.5).apply(0.3));
    }

    @Test
    void aFewRunsMoveTheChanceLittleAndManyAsFarAsTheyShow() {
        SweepChanceEvidence few = SweepChanceEvidence.NONE;
        for (int run = 0; run < 5; run++) {
            few = few.with(ended(1.0, 0.505));
        }
        SweepChanceEvidence many = few;
        for (int run = 5; run < 200; run++) {
            many = many.with(ended(1.0, 0.505));
        }
        assertThat(few.move(0.5).apply(0.5)).isLessThan(0.5);
        assertThat(many.move(0.5).apply(0.5)).isLessThan(few.move(0.5).apply(0.5));
        // the priors keep five losses at 0.5 from moving it to 0.3; 200 put it near their 0
        assertThat(few.move(0.5).apply(0.5)).isGreaterThan(0.3);
        assertThat(many.move(0.5).apply(0.5)).isLessThan(0.15);
        // runs that won as often as they were told move nothing
        SweepChanceEvidence asTold = SweepChanceEvidence.NONE;
        for (int run = 0; run < 200; run++) {
            asTold = asTold.with(ended(run < 61 ? 0.5 : 1.0, 0.305));
        }
        assertThat(asTold.move(0.5).offset()).isCloseTo(0, within(1e-9));
        assertThat(asTold.move(0.5).slope()).isCloseTo(1, within(1e-9));
    }

    @Test
    void noEvidenceOrNoPriorMovesNothingAndARunTakenBackLeavesNoTrace() {
        LedgerState won = ended(0.5, 0.2, 0.4);
        assertThat(SweepChanceEvidence.NONE.move(0.5)).isEqualTo(ChanceMove.NONE);
        assertThat(SweepChanceEvidence.NONE.with(won).move(0)).isEqualTo(ChanceMove.NONE);
        SweepChanceEvidence one = SweepChanceEvidence.NONE.with(ended(1.0, 0.6));
        assertThat(one.with(won).without(won)).isEqualTo(one);
        assertThat(one.without(ended(1.0, 0.6))).isEqualTo(SweepChanceEvidence.NONE);
        // a chance told at the run's last evaluation has nothing after it
        assertThat(ended(0.5, 0.3).toldOutcomes()).hasSize(1);
        LedgerState toldLast = new LedgerState(
                1, 0.5, 1, RuleTrack.START, RuleTrack.START, RuleTrack.START, List.of(new ChanceTold(0.3, 1, 1.0, 0f)));
        assertThat(SweepChanceEvidence.NONE.with(toldLast).told()).isZero();
    }

    @Test
    void aSweepLearnsFromTheChancesItsRunsOwnCurvesGaveNotFromThoseItMoved() {
        LedgerState moved = ended(0.5, 1.5f, 0.205, 0.405);
        assertThat(moved.toldOutcomes().get(0).chance()).isGreaterThan(0.5);
        assertThat(SweepChanceEvidence.NONE.with(moved))
                .isEqualTo(SweepChanceEvidence.NONE.with(ended(0.5, 0.205, 0.405)));
    }

    @Test
    void aRunTellsItsSweepTheChancesItWasToldOnlyOnceItHasEnded() {
        LedgerState ledger = ended(0.5, 0.3, 0.6);
        RunSummary training = new RunSummary(
                new RunFacts("r", "sw", new RunSize(10, 100, 1)),
                3,
                java.time.Instant.EPOCH,
                RunPhase.SECOND_DESCENT,
                0.5,
                -1,
                0.4,
                RunActivity.TRAINING,
                0,
                null,
                ledger);
        assertThat(training.forSweep().ledger().told()).isEmpty();
        assertThat(training.forSweep().ledger().bestTestLoss()).isEqualTo(0.5);
        RunSummary finished = training.withActivity(RunActivity.FINISHED);
        assertThat(finished.forSweep().ledger().told()).isEqualTo(ledger.told());
        assertThat(finished.forSweep().advice()).isNull();
        // what the sweep counts is the same either way: only ended runs count
        SweepState before = SweepState.start("sw").with(training, 10);
        assertThat(before.chances())
                .isEqualTo(SweepState.start("sw").with(training.forSweep(), 10).chances());
        assertThat(before.without(training).with(finished.forSweep(), 10).chances())
                .isEqualTo(SweepChanceEvidence.NONE.with(ledger));
    }

    /** Three runs of a sweep that each win, one after another, then a fourth. */
    private static List<EpochEvent> sweep() {
        List<EpochEvent> events = new ArrayList<>();
        for (int run = 0; run < 4; run++) {
            List<EpochEvent> one = AdviceCurves.secondDescentWins("wins-" + run, 3000, 500 + 50 * run);
            for (int i = 0; i < one.size(); i++) {
                events.add(i + 1 == one.size() ? one.get(i).withFinal(true) : one.get(i));
            }
        }
        return events;
    }

    private static List<Advice> advice(DescentDetector detector, List<EpochEvent> events) {
        List<Advice> changes = new ArrayList<>();
        for (EpochEvent e : events) {
            detector.accept(e, changes::add);
        }
        return changes;
    }

    @Test
    void aSweepsLaterRunsAreToldChancesMovedByItsEndedRunsAndTheSameVerdicts() {
        List<EpochEvent> events = sweep();
        List<Advice> read = advice(new DescentDetector(), events);
        List<Advice> alone = advice(
                new DescentDetector(DetectionSettings.builder()
                        .advice(AdviceSettings.defaults().withSweepPrior(0))
                        .build()),
                events);

        assertThat(read).hasSameSizeAs(alone);
        int moved = 0;
        for (int i = 0; i < read.size(); i++) {
            Advice a = read.get(i);
            Advice b = alone.get(i);
            // the verdict never depends on the chance
            assertThat(a.verdict()).isEqualTo(b.verdict());
            assertThat(a.basis()).isEqualTo(b.basis());
            assertThat(a.epoch()).isEqualTo(b.epoch());
            if (a.runId().equals("wins-0")) {
                // nothing of the sweep has ended yet
                assertThat(a.chance()).isEqualTo(b.chance());
            } else if (a.chance() != null && !a.chance().equals(b.chance())) {
                // every run before it won: the sweep's chances are higher than one curve says
                assertThat(a.chance()).isGreaterThan(b.chance());
                moved++;
            }
        }
        assertThat(moved).isPositive();
    }
}
