package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.descentwatch.events.EpochEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chance told with each advice against what followed, as each run's ledger keeps it: what {@code detect --advice}
 * tables per sweep and what a sweep learns its base rate from.
 */
class ToldChancesTest {

    private final RunDetector detector = new RunDetector();

    /**
     * Feeds the run through the detector; notes the best test loss at each advice made anew with a chance before
     * the last evaluation (an oracle beside the ledger's own record); returns the run's last state.
     */
    private RunState run(List<EpochEvent> events, List<Double> toldAt) {
        RunState state = null;
        for (EpochEvent e : events) {
            RunState before = state;
            state = detector.step(state, e).state();
            var now = state.advice().current();
            boolean madeAnew = now != null && (before == null || before.advice().current() != now);
            if (madeAnew
                    && now.chance() != null
                    && e.epoch() < events.get(events.size() - 1).epoch()) {
                toldAt.add(now.bestTestLoss());
            }
        }
        return state;
    }

    @Test
    void eachAdviceMadeAnewBeforeTheLastEvaluationIsJudgedByTheBestAtTheEnd() {
        List<Double> bestWhenTold = new ArrayList<>();
        RunState wins = run(AdviceCurves.secondDescentWins("wins", 3000, 600), bestWhenTold);

        List<ToldChances.Told> told = wins.ledger().toldOutcomes();
        assertThat(told).hasSize(bestWhenTold.size()).isNotEmpty();
        double bestAtEnd = wins.ledger().bestTestLoss();
        for (int i = 0; i < told.size(); i++) {
            assertThat(told.get(i).beaten()).isEqualTo(bestAtEnd < 0.98 * bestWhenTold.get(i));
        }
        // the second descent ends far below the first minimum: advice told at the bump was followed by a better model
        assertThat(told).anyMatch(ToldChances.Told::beaten);
    }

    @Test
    void aRunWhereNothingBetterComesBeatsNothingAndARunOfOneEvaluationHasNoOutcomes() {
        RunState flat = run(AdviceCurves.nothingBetter("flat", 2000), new ArrayList<>());
        // advice told during the first descent was followed by a better model; from the bump on, none was
        List<ToldChances.Told> told = flat.ledger().toldOutcomes();
        int firstNotBeaten =
                told.indexOf(told.stream().filter(t -> !t.beaten()).findFirst().orElseThrow());
        assertThat(told.subList(firstNotBeaten, told.size()))
                .hasSizeGreaterThan(1)
                .noneMatch(ToldChances.Told::beaten);

        RunState one = detector.step(
                        null, AdviceCurves.nothingBetter("one", 100).get(0))
                .state();
        assertThat(one.ledger().toldOutcomes()).isEmpty();
    }

    @Test
    void theLedgerKeepsTheLatestChancesToldPastItsCap() {
        List<ChanceTold> told = List.of();
        for (int i = 0; i < LedgerState.MOST_TOLD + 5; i++) {
            told = LedgerState.toldThen(told, new ChanceTold(0.5, i, 1.0, 0f));
        }
        assertThat(told).hasSize(LedgerState.MOST_TOLD);
        assertThat(told.get(0).epoch()).isEqualTo(5);
        assertThat(told.get(told.size() - 1).epoch()).isEqualTo(LedgerState.MOST_TOLD + 4);
    }

    @Test
    void beatenMeansTwoPercentBelowTheBestThenOnEitherSideOfZero() {
        assertThat(ToldChances.beaten(1.0, 0.979)).isTrue();
        assertThat(ToldChances.beaten(1.0, 0.981)).isFalse();
        // a log-likelihood loss below zero: 2% of its size further down
        assertThat(ToldChances.beaten(-1.0, -1.021)).isTrue();
        assertThat(ToldChances.beaten(-1.0, -1.019)).isFalse();
    }

    @Test
    void binsCountTheToldAndTheBeatenAndLeaveEmptyBinsOut() {
        List<ToldChances.Told> told = List.of(
                new ToldChances.Told(0.05, false),
                new ToldChances.Told(0.75, true),
                new ToldChances.Told(0.85, true),
                new ToldChances.Told(0.80, false),
                new ToldChances.Told(1.0, true));

        List<ToldChances.Bin> bins = ToldChances.bins(told);

        assertThat(bins).extracting(ToldChances.Bin::lo).containsExactly(0.0, 0.7, 0.9);
        ToldChances.Bin high = bins.get(1);
        assertThat(high.told()).isEqualTo(3);
        assertThat(high.beaten()).isEqualTo(2);
        assertThat(high.meanChance()).isCloseTo(0.8, within(1e-12));
        assertThat(high.gapPoints()).isCloseTo(100 * (2 / 3.0 - 0.8), within(1e-9));
        // a chance of 1 falls in the last bin, which ends at 1
        assertThat(bins.get(2).hi()).isEqualTo(1.0);
        assertThat(bins.get(2).told()).isEqualTo(1);
    }
}
