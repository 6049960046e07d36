package io.descentwatch.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import io.descentwatch.testkit.LabelledCurves;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The charts say what the alerts say, on the labelled corpus run through the offline detector. */
class ReportChartsTest {

    @Test
    void modelWiseChartsMarkTheThresholdAndPeakTheAlertsNameAndHaveOnePointPerSize() throws Exception {
        Report report = CorpusReports.of(LabelledCurves.modelwise(), e -> true);
        Map<String, Chart> charts =
                ReportCharts.of(report).stream().collect(Collectors.toMap(Chart::id, Function.identity()));
        int peaks = 0;
        for (int i = 0; i < report.sweeps().size(); i++) {
            Report.SweepView sweep = report.sweeps().get(i);
            Chart modelWise = charts.get("sweep" + (i + 1) + "-modelwise");
            assertThat(modelWise).as(sweep.sweepId()).isNotNull();
            assertThat(modelWise.x().log()).isTrue();
            Chart.Series test = modelWise.series().get(0);
            assertThat(test.points()).hasSize((int) sweep.sizes());
            assertThat(test.points()).extracting(p -> p[0]).isSorted();
            List<Double> markers =
                    modelWise.markers().stream().map(Chart.Marker::x).toList();
            for (AlertType type : List.of(AlertType.INTERPOLATION_THRESHOLD, AlertType.MODEL_WISE_PEAK)) {
                sweep.alert(type).ifPresent(a -> assertThat(markers).contains((double) a.paramCount()));
            }
            if (sweep.alert(AlertType.MODEL_WISE_PEAK).isPresent()) {
                peaks++;
            }
            assertThat(modelWise.markers())
                    .hasSize(sweep.alerts().stream()
                            .filter(a -> a.type() == AlertType.INTERPOLATION_THRESHOLD
                                    || a.type() == AlertType.MODEL_WISE_PEAK)
                            .toList()
                            .size());
        }
        assertThat(peaks).as("sweeps with a model-wise peak").isGreaterThan(5);
    }

    @Test
    void epochWiseChartsDrawEveryRunAndPutEachLandmarkWhereItsAlertSaysItIs() throws Exception {
        Report report = CorpusReports.of(LabelledCurves.epochwise(), e -> true);
        assertThat(report.sweeps()).isNotEmpty();
        int landmarks = 0;
        for (Report.SweepView sweep : report.sweeps()) {
            Chart chart = ReportCharts.epochWise(sweep, "epochwise");
            List<Chart.Series> lines = chart.series().stream()
                    .filter(s -> s.style() == Chart.Style.LINE)
                    .toList();
            assertThat(lines).hasSize(sweep.runs().size());
            Chart.Series descents = chart.series().stream()
                    .filter(s -> s.name().equals("second descent"))
                    .findFirst()
                    .orElse(null);
            List<Alert> secondDescents = sweep.runs().stream()
                    .flatMap(r -> r.alerts().stream())
                    .filter(a -> a.type() == AlertType.SECOND_DESCENT)
                    .toList();
            if (secondDescents.isEmpty()) {
                assertThat(descents).isNull();
                continue;
            }
            assertThat(descents.points()).hasSize(secondDescents.size());
            for (Alert a : secondDescents) {
                assertThat(descents.points()).anySatisfy(p -> {
                    assertThat(p[0]).isEqualTo((double) a.epoch());
                    assertThat(p[1]).isEqualTo(((Number) a.details().get("loss")).doubleValue());
                });
                landmarks++;
            }
            Chart.Series peaks = chart.series().stream()
                    .filter(s -> s.name().equals("peak"))
                    .findFirst()
                    .orElseThrow();
            for (Alert a : secondDescents) {
                assertThat(peaks.points())
                        .anySatisfy(p ->
                                assertThat(p[0]).isEqualTo(((Number) a.details().get("peak_epoch")).doubleValue()));
            }
        }
        assertThat(landmarks).isGreaterThan(10);
    }

    @Test
    void nothingThatALogAxisCannotShowGetsIntoAChart() throws Exception {
        Report report = CorpusReports.of(LabelledCurves.epochwise(), e -> true);
        for (Chart chart : ReportCharts.of(report)) {
            for (Chart.Series s : chart.series()) {
                assertThat(s.points()).allSatisfy(p -> {
                    assertThat(p[0]).isPositive().isFinite();
                    assertThat(p[1]).isPositive().isFinite();
                });
            }
        }
    }
}
