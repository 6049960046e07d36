package io.descentwatch.bench.stopping;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.bench.stopping.ChanceCalibration.Given;
import io.descentwatch.detection.AdviceSettings;
import io.descentwatch.detection.ChanceMove;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.EpochEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's reading of a family as a sweep whose runs end batch by batch, through the detector's own path. */
class SweepAwareChanceTest {

    private static final DetectionSettings SETTINGS = DetectionSettings.defaults();

    /** A run where nothing better comes after the bump (the test loss rises to a plateau above its minimum). */
    private static Curve nothingBetter(String runId, String family) {
        List<EpochEvent> events = new ArrayList<>();
        long last = -1;
        for (int i = 0; ; i++) {
            long e = i == 0 ? 0 : Math.min(3000, Math.round(Math.pow(10, i / 40.0)));
            if (e == last) {
                continue;
            }
            last = e;
            double fast = Math.exp(-e / 10.0);
            double noise = -Math.expm1(-e / 150.0);
            events.add(EpochEvent.builder()
                    .runId(runId)
                    .sweepId("indep-" + family)
                    .epoch(e)
                    .trainLoss(1.2 + 2 * fast - 0.2 * noise)
                    .testLoss(0.3 + 1.5 * fast + 0.7 * noise + 0.6 * Math.exp(-e / 40.0))
                    .paramCount(210)
                    .trainSize(500)
                    .time(Instant.EPOCH.plusSeconds(e))
                    .build()
                    .withTag("family", family));
            if (e == 3000) {
                return Curve.of(runId, events);
            }
        }
    }

    /** Each run's rows, in order, for the curves as given. */
    private static List<List<Given>> byRun(List<Given> rows, int perRun) {
        List<List<Given>> runs = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += perRun) {
            runs.add(rows.subList(i, i + perRun));
        }
        return runs;
    }

    /** Rows hold arrays, which records compare by identity: their chances, in order. */
    private static List<Double> chances(List<Given> rows) {
        return rows.stream().map(Given::chance).toList();
    }

    @Test
    void eachRunLearnsOnlyFromTheRunsOfItsFamilyThatEndedBeforeItStarted() {
        List<Curve> curves = List.of(
                nothingBetter("f-1", "f"),
                nothingBetter("f-2", "f"),
                nothingBetter("f-3", "f"),
                nothingBetter("g-1", "g"));
        List<Given> alone = ChanceCalibration.given(curves, SETTINGS);
        int perRun = alone.size() / curves.size();
        assertThat(alone).hasSize(perRun * curves.size());
        List<List<Given>> own = byRun(alone, perRun);
        List<List<Given>> sequential = byRun(SweepAwareChance.given(curves, SETTINGS, 1), perRun);
        List<List<Given>> twoAtATime = byRun(SweepAwareChance.given(curves, SETTINGS, 2), perRun);

        assertThat(chances(sequential.get(0))).as("the first run knows nothing").isEqualTo(chances(own.get(0)));
        int low = 0;
        for (int i = 0; i < perRun; i++) {
            double chance = own.get(1).get(i).chance();
            // the first run beat the chances told in its first descent and none told after its bump, which were
            // lower: the second run is told its low chances lower still, and the third, knowing two, lower again
            if (chance < 0.5) {
                low++;
                assertThat(sequential.get(1).get(i).chance()).isLessThanOrEqualTo(chance);
                assertThat(sequential.get(2).get(i).chance())
                        .as("the third knows two")
                        .isLessThanOrEqualTo(sequential.get(1).get(i).chance());
            }
            // the move keeps the order of the chances (an offset and a positive slope in log-odds)
            for (int j = 0; j < perRun; j++) {
                if (chance < own.get(1).get(j).chance()) {
                    assertThat(sequential.get(1).get(i).chance())
                            .isLessThanOrEqualTo(sequential.get(1).get(j).chance());
                }
            }
            // the same features: only the chance moves
            assertThat(sequential.get(1).get(i).features())
                    .isEqualTo(own.get(1).get(i).features());
        }
        assertThat(low).as("chances told after the bump").isPositive();
        assertThat(chances(sequential.get(1))).isNotEqualTo(chances(own.get(1)));
        assertThat(chances(sequential.get(3)))
                .as("another family knows none of them")
                .isEqualTo(chances(own.get(3)));
        assertThat(chances(twoAtATime.get(1)))
                .as("the second trains beside the first")
                .isEqualTo(chances(own.get(1)));
        assertThat(chances(twoAtATime.get(2))).as("the third starts after both").isEqualTo(chances(sequential.get(2)));
    }

    @Test
    void readingTheSweepsChanceTheEarlyTurnStopsTheLaterRunsOfASweepOfLosersSooner() {
        List<Curve> curves = List.of(
                        nothingBetter("f-1", "f"),
                        nothingBetter("f-2", "f"),
                        nothingBetter("f-3", "f"),
                        nothingBetter("g-1", "g"))
                .stream()
                .map(Curve::withBudgetAnnounced)
                .toList();
        AdviceSettings advice = AdviceSettings.defaults().withTurnChance(0.1);
        DetectionSettings own = SETTINGS.toBuilder()
                .advice(advice.withTurnChanceFrom(AdviceSettings.TurnChanceFrom.OWN))
                .build();
        DetectionSettings sweep = SETTINGS.toBuilder()
                .advice(advice.withTurnChanceFrom(AdviceSettings.TurnChanceFrom.SWEEP))
                .build();
        assertThat(SweepMoves.of(curves, own))
                .as("the own chance reads no sweep")
                .isSameAs(SweepMoves.NONE);
        SweepMoves moves = SweepMoves.of(curves, sweep);
        assertThat(moves.of(curves.get(0)).move("indep-f")).isEqualTo(ChanceMove.NONE);
        assertThat(moves.of(curves.get(3)).move("indep-g")).as("another family").isEqualTo(ChanceMove.NONE);
        assertThat(moves.of(curves.get(1)).move("indep-f").apply(0.2))
                .as("a sweep whose ended run found nothing better lowers the chance")
                .isLessThan(0.2);

        StoppingRule byOwn = StoppingRule.descentWatch(own, SweepMoves.NONE);
        StoppingRule bySweep = StoppingRule.descentWatch(sweep, moves);
        for (int first : new int[] {0, 3}) {
            assertThat(bySweep.stopIndex(curves.get(first))).isEqualTo(byOwn.stopIndex(curves.get(first)));
        }
        int sooner = 0;
        for (int later : new int[] {1, 2}) {
            Curve c = curves.get(later);
            assertThat(bySweep.stopIndex(c)).as(c.runId()).isLessThanOrEqualTo(byOwn.stopIndex(c));
            sooner += bySweep.stopIndex(c) < byOwn.stopIndex(c) ? 1 : 0;
        }
        assertThat(sooner).as("later runs stopped sooner").isPositive();
    }
}
