package io.descentwatch.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.detection.RunPhase;
import io.descentwatch.events.Advice;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportBuilderTest {

    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private static EpochEvent event(String run, String sweep, long epoch, double test, long params) {
        return EpochEvent.builder()
                .runId(run)
                .sweepId(sweep)
                .epoch(epoch)
                .trainLoss(1.0 / (epoch + 1))
                .testLoss(test)
                .paramCount(params)
                .trainSize(100)
                .time(T0.plusSeconds(epoch))
                .build();
    }

    private final ReportBuilder builder = new ReportBuilder(Clock.fixed(T0, ZoneOffset.UTC), 50);

    @Test
    void duplicateAndStaleEventsAreIgnoredLikeTheDetectorIgnoresThem() {
        assertThat(builder.accept(event("r", "s", 1, 2.0, 10))).isTrue();
        assertThat(builder.accept(event("r", "s", 2, 1.5, 10))).isTrue();
        assertThat(builder.accept(event("r", "s", 2, 9.0, 10))).isFalse();
        assertThat(builder.accept(event("r", "s", 1, 9.0, 10))).isFalse();
        assertThat(builder.accept(event("r", "s", 3, 1.2, 10).withFinal(true))).isTrue();

        Report.RunView run = builder.snapshot(false).sweeps().get(0).runs().get(0);
        assertThat(run.points()).extracting(Report.Point::epoch).containsExactly(1L, 2L, 3L);
        assertThat(run.points()).extracting(Report.Point::testLoss).containsExactly(2.0, 1.5, 1.2);
        assertThat(run.finished()).isTrue();
        assertThat(run.testLoss()).isEqualTo(1.2);
    }

    @Test
    void eachRunShowsTheAdviceOfItsLatestEpochAndARunWithoutAdviceNone() {
        builder.accept(event("s/a", "s", 1, 1.0, 10));
        builder.accept(event("s/b", "s", 1, 1.0, 20));
        Advice early = new Advice(
                "s/a",
                "s",
                1,
                Advice.Verdict.CONTINUE,
                Advice.Basis.WARMING_UP,
                null,
                "warming up",
                -1,
                Double.NaN,
                T0);
        Advice stop = new Advice(
                "s/a",
                "s",
                30,
                Advice.Verdict.STOP,
                Advice.Basis.NO_SECOND_DESCENT,
                0.05,
                "no second",
                12,
                0.3,
                T0.plusSeconds(30));
        builder.advice(early);
        builder.advice(stop);
        builder.advice(early);

        List<Report.RunView> runs = builder.snapshot(false).sweeps().get(0).runs();
        assertThat(runs.get(0).advice())
                .as("a re-read older advice does not replace a later one")
                .isEqualTo(stop);
        assertThat(runs.get(1).advice()).isNull();
    }

    @Test
    void alertsAreKeptOnceAndSortedIntoTheirRunsAndSweeps() {
        builder.accept(event("s/big", "s", 1, 1.0, 500));
        builder.accept(event("s/small", "s", 1, 1.0, 50));
        Alert rising = Alert.of(AlertType.TEST_LOSS_RISING)
                .run("s/small")
                .sweep("s")
                .epoch(1)
                .paramCount(50)
                .trainSize(100)
                .message("rising")
                .at(T0)
                .build();
        Alert peak = Alert.of(AlertType.MODEL_WISE_PEAK)
                .run("s/small")
                .sweep("s")
                .epoch(1)
                .paramCount(50)
                .trainSize(100)
                .message("peak")
                .at(T0)
                .build();
        assertThat(builder.accept(rising)).isTrue();
        assertThat(builder.accept(rising)).isFalse();
        assertThat(builder.accept(peak)).isTrue();

        Report report = builder.snapshot(true);
        assertThat(report.live()).isTrue();
        assertThat(report.alerts()).hasSize(2);
        Report.SweepView sweep = report.sweeps().get(0);
        assertThat(sweep.runs()).extracting(Report.RunView::runId).containsExactly("s/small", "s/big");
        assertThat(sweep.runs().get(0).alerts()).containsExactly(rising);
        assertThat(sweep.alert(AlertType.MODEL_WISE_PEAK)).contains(peak);
        assertThat(sweep.sizes()).isEqualTo(2);
    }

    @Test
    void longRunsAreThinnedEvenlyInLogEpochsKeepingBothEnds() {
        for (long e = 0; e <= 20_000; e++) {
            builder.accept(event("long", "s", e, 1 + Math.sin(e), 10));
        }
        List<Report.Point> points =
                builder.snapshot(false).sweeps().get(0).runs().get(0).points();
        assertThat(points.size()).isBetween(40, 51);
        assertThat(points.get(0).epoch()).isZero();
        assertThat(points.get(points.size() - 1).epoch()).isEqualTo(20_000);
        // even in log-epochs: no gap between kept points spans much more than an even share of the range
        double share = Math.log1p(20_000) / 49;
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < points.size(); i++) {
            gaps.add(Math.log1p(points.get(i).epoch())
                    - Math.log1p(points.get(i - 1).epoch()));
        }
        assertThat(gaps.subList(10, gaps.size())).allSatisfy(g -> assertThat(g).isLessThan(2 * share));
    }

    @Test
    void aRunHoldsABoundedNumberOfPointsHoweverLongItTrains() {
        Curve curve = new Curve(50);
        int most = 0;
        for (long e = 1; e <= 1_000_000; e++) {
            curve.add(e, 1.0 / e, 1 + Math.sin(e / 1000.0));
            most = Math.max(most, curve.size());
        }
        assertThat(most).as("held at once, whatever the number of events").isLessThanOrEqualTo(4 * 50);
        List<Report.Point> shown = curve.view();
        assertThat(shown.size()).isBetween(40, 51);
        assertThat(shown.get(0).epoch()).isEqualTo(1);
        assertThat(shown.get(shown.size() - 1).epoch()).isEqualTo(1_000_000);
    }

    @Test
    void theEpochsAlertsAndAdviceNameStayOnTheCurveWhenItIsThinned() {
        builder.accept(event("r", "s", 1, 3.0, 10));
        // the alert names its first minimum and peak, the advice its checkpoint, all long before the end
        builder.accept(Alert.of(AlertType.SECOND_DESCENT)
                .run("r")
                .sweep("s")
                .epoch(9_001)
                .paramCount(10)
                .trainSize(100)
                .details(Map.of("first_min_epoch", 1_234, "peak_epoch", 4_321, "loss", 0.5))
                .message("run r: second descent")
                .at(T0)
                .build());
        builder.advice(
                new Advice("r", "s", 9_001, Advice.Verdict.STOP, Advice.Basis.values()[0], 0.5, "why", 7_777, 0.4, T0));
        for (long e = 2; e <= 200_000; e++) {
            builder.accept(event("r", "s", e, 1 + Math.sin(e), 10));
        }
        List<Long> epochs = builder.snapshot(false).sweeps().get(0).runs().get(0).points().stream()
                .map(Report.Point::epoch)
                .toList();
        assertThat(epochs).contains(1_234L, 4_321L, 9_001L, 7_777L).hasSizeLessThan(60);
    }

    @Test
    void eachSweepsVersionGoesUpOnlyWhenSomethingItShowsChanged() {
        builder.accept(event("a1", "a", 1, 2.0, 10));
        builder.accept(event("b1", "b", 1, 2.0, 10));
        long a = version(builder.overview(true), "a");
        long b = version(builder.overview(true), "b");
        builder.accept(event("a1", "a", 2, 1.0, 10));
        assertThat(version(builder.overview(true), "a")).isGreaterThan(a);
        assertThat(version(builder.overview(true), "b")).isEqualTo(b);
        builder.phase("b1", RunPhase.DESCENDING);
        assertThat(version(builder.overview(true), "b")).isGreaterThan(b);
        // the overview has no curves; one sweep in full has its own
        assertThat(builder.overview(true).sweeps())
                .allSatisfy(s -> assertThat(s.runs())
                        .allSatisfy(r -> assertThat(r.points()).isEmpty()));
        assertThat(builder.sweep("a", true).orElseThrow().sweeps())
                .singleElement()
                .satisfies(s -> assertThat(s.runs().get(0).points()).hasSize(2));
        assertThat(builder.sweep("nope", true)).isEmpty();
    }

    private static long version(Report report, String sweep) {
        return report.sweeps().stream()
                .filter(s -> s.sweepId().equals(sweep))
                .findFirst()
                .orElseThrow()
                .version();
    }
}
