package io.descentwatch.bench.stopping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.descentwatch.bench.stopping.ChanceCalibration.Given;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SweepAwareChanceTest {

    private static final double[] NO_FEATURES = {};

    private static List<Given> rows(int count, double chance, int beaten) {
        List<Given> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new Given("f", NO_FEATURES, chance, i < beaten));
        }
        return rows;
    }

    @Test
    void noFinishedRunsMoveNothing() {
        assertThat(SweepAwareChance.offset(List.of(), 0.5)).isZero();
        assertThat(SweepAwareChance.shifted(0.3, 0)).isCloseTo(0.3, within(1e-12));
    }

    @Test
    void runsThatNeverWonMoveTheChanceDownAndMoreOfThemFurther() {
        double few = SweepAwareChance.offset(rows(5, 0.5, 0), 0.5);
        double many = SweepAwareChance.offset(rows(200, 0.5, 0), 0.5);
        assertThat(few).isNegative();
        assertThat(many).isLessThan(few);
        // the prior keeps a few runs from saying much: five losses at 0.5 move it less than to 0.3
        assertThat(SweepAwareChance.shifted(0.5, few)).isGreaterThan(0.3);
        // many say as much as they show: 200 losses at 0.5 put the chance near their 0
        assertThat(SweepAwareChance.shifted(0.5, many)).isLessThan(0.15);
    }

    @Test
    void runsThatWonAsOftenAsTheChanceSaidMoveNothing() {
        assertThat(SweepAwareChance.offset(rows(100, 0.3, 30), 0.5)).isCloseTo(0, within(1e-9));
        assertThat(SweepAwareChance.offset(rows(100, 0.3, 60), 0.5)).isPositive();
    }

    @Test
    void eachRunLearnsOnlyFromTheRunsOfItsFamilyThatFinishedBeforeItStarted() {
        List<List<Given>> runs = List.of(
                rows(10, 0.5, 0),
                rows(10, 0.5, 0),
                rows(10, 0.5, 0),
                List.of(new Given("other", NO_FEATURES, 0.5, true)));
        List<Given> sequential = SweepAwareChance.moved(runs, 0.5, 1);
        assertThat(sequential).hasSize(31);
        assertThat(sequential.get(0).chance()).as("the first run knows nothing").isEqualTo(0.5);
        assertThat(sequential.get(10).chance()).as("the second knows the first").isLessThan(0.5);
        assertThat(sequential.get(20).chance())
                .as("the third knows two")
                .isLessThan(sequential.get(10).chance());
        assertThat(sequential.get(30).chance())
                .as("another family knows none of them")
                .isEqualTo(0.5);
        List<Given> twoAtATime = SweepAwareChance.moved(runs, 0.5, 2);
        assertThat(twoAtATime.get(10).chance())
                .as("the second trains beside the first")
                .isEqualTo(0.5);
        assertThat(twoAtATime.get(20).chance())
                .as("the third starts after both")
                .isEqualTo(sequential.get(20).chance());
    }

    @Test
    void certaintiesStayAndCountForNothing() {
        assertThat(SweepAwareChance.shifted(0.0, 2)).isZero();
        List<Given> diverged = rows(50, 0.0, 0);
        assertThat(SweepAwareChance.offset(diverged, 0.5)).isZero();
    }

    @Test
    void logLossIsLowestForTheChanceThatMatchesWhatFollowed() {
        List<Given> thirtyOfHundred = rows(100, 0.3, 30);
        List<Given> saidHalf = new ArrayList<>();
        thirtyOfHundred.forEach(g -> saidHalf.add(new Given(g.family(), g.features(), 0.5, g.beaten())));
        assertThat(ChanceCalibration.logLoss(thirtyOfHundred)).isLessThan(ChanceCalibration.logLoss(saidHalf));
    }
}
