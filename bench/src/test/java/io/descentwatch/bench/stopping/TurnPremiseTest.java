package io.descentwatch.bench.stopping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.descentwatch.events.EpochEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TurnPremiseTest {

    /** A run evaluated at the given epochs with the given test losses, under an independent trainer's family. */
    private static Curve curve(String family, long[] epochs, double[] test) {
        List<EpochEvent> events = new ArrayList<>();
        for (int i = 0; i < epochs.length; i++) {
            events.add(EpochEvent.builder()
                    .runId(family + "/r")
                    .sweepId("indep-" + family)
                    .epoch(epochs[i])
                    .trainLoss(1.0 / (i + 1))
                    .testLoss(test[i])
                    .paramCount(10)
                    .trainSize(10)
                    .time(Instant.parse("2026-12-01T00:00:00Z"))
                    .tags(Map.of("family", family))
                    .build());
        }
        return Curve.of(family + "/r", events);
    }

    private static final long[] EPOCHS = {0, 5, 10, 20, 40, 60, 80, 100, 150, 200, 400, 800, 1000};

    @Test
    void aWinnersCourseRunsFromItsHeldPeakToItsFirstEvaluationUnderTheFirstMinimum() {
        // first minimum 1.0 at epoch 10; 1.6 held from epoch 80 (a lone spike to 3.0 at 20 is no peak); under 1.0
        // at 400
        Curve wins =
                curve("lin", EPOCHS, new double[] {2.0, 1.3, 1.0, 3.0, 1.2, 1.4, 1.6, 1.6, 1.6, 1.4, 0.9, 0.7, 0.6});

        TurnPremise.Course course = TurnPremise.of(wins).orElseThrow();

        assertThat(course.peakEpoch()).isEqualTo(80);
        assertThat(course.passEpoch()).isEqualTo(400);
        assertThat(course.doublingsFromPeakToPass()).isCloseTo(Math.log(401.0 / 81) / Math.log(2), within(1e-12));
        assertThat(course.doublingsLeftAtPeak()).isCloseTo(Math.log(1001.0 / 81) / Math.log(2), within(1e-12));
    }

    @Test
    void onlyWinningSecondDescentsHaveACourse() {
        Curve nothingBetter =
                curve("lin", EPOCHS, new double[] {2.0, 1.3, 1.0, 1.2, 1.4, 1.6, 1.6, 1.6, 1.5, 1.4, 1.1, 1.0, 1.0});
        Curve noBump = curve(
                "lin", EPOCHS, new double[] {2.0, 1.5, 1.2, 1.1, 1.05, 1.0, 0.99, 0.98, 0.98, 0.97, 0.96, 0.95, 0.95});

        assertThat(nothingBetter.kind()).isEqualTo(Curve.Kind.NOTHING_BETTER);
        assertThat(noBump.kind()).isEqualTo(Curve.Kind.NO_BUMP);

        assertThat(TurnPremise.of(nothingBetter)).isEmpty();
        assertThat(TurnPremise.of(noBump)).isEmpty();
    }

    @Test
    void theReportCountsTheWinnersUnderTheTurnPerFamilyAndPooled() {
        // a drop (peak at 60, under the first minimum at 150: 1.31 doublings) and a slow descent (under it at 800)
        Curve fast =
                curve("fast", EPOCHS, new double[] {2.0, 1.3, 1.0, 1.2, 1.4, 1.6, 1.6, 1.6, 0.9, 0.8, 0.7, 0.6, 0.6});
        Curve slow =
                curve("slow", EPOCHS, new double[] {2.0, 1.3, 1.0, 1.2, 1.4, 1.6, 1.6, 1.6, 1.5, 1.4, 1.2, 0.9, 0.6});
        StringWriter text = new StringWriter();

        TurnPremise.print(new PrintWriter(text), List.of(fast, slow), 1.75);

        String report = text.toString();
        assertThat(report).contains("| fast | 1 | 1.31 (1.31-1.31) | 1 (100%) | 4.04 (4.04-4.04) | 0 (0%) |");
        assertThat(report).contains("| slow | 1 | 3.71 (3.71-3.71) | 0 (0%) | 4.04 (4.04-4.04) | 0 (0%) |");
        assertThat(report).contains("| **every family held out of design** | 2 | 2.51 (1.91-3.11) | 1 (50%) |");
    }
}
