package io.descentwatch.producer.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.EpochEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** two-scale-epochwise --quick, really trained: test loss falls, rises >= 10 %, then falls below its first minimum. */
class TwoScalePresetTest {

    @Test
    void quickRunsShowEpochWiseDoubleDescent() throws Exception {
        MemoryOutput sink = MemoryOutput.train(TwoScalePreset.NAME, true, Map.of(), 2);
        assertThat(sink.byRun()).hasSize(2);
        sink.byRun().forEach((run, events) -> {
            Shape s = Shape.of(events);
            System.out.printf(
                    "%s: first minimum %.4f at epoch %d, peak %.4f at epoch %d (+%.0f%%), final %.4f "
                            + "at epoch %d; train loss %.4f -> %.4f%n",
                    run,
                    s.firstMin,
                    s.firstMinEpoch,
                    s.peak,
                    s.peakEpoch,
                    100 * (s.peak / s.firstMin - 1),
                    s.last,
                    events.get(events.size() - 1).epoch(),
                    events.get(0).trainLoss(),
                    events.get(events.size() - 1).trainLoss());
            assertThat(s.peak)
                    .as(run + " rises at least 10% over its first minimum")
                    .isGreaterThanOrEqualTo(1.1 * s.firstMin);
            assertThat(s.last).as(run + " ends below its first minimum").isLessThan(s.firstMin);
            assertThat(events).allSatisfy(e -> assertThat(e.paramCount()).isEqualTo(210));
        });
    }

    /** The first minimum is the lowest test loss before the curve first rises 10% above its running minimum. */
    record Shape(double firstMin, long firstMinEpoch, double peak, long peakEpoch, double last) {
        static Shape of(List<EpochEvent> events) {
            double min = Double.POSITIVE_INFINITY;
            long minEpoch = -1;
            int i = 0;
            for (; i < events.size(); i++) {
                EpochEvent e = events.get(i);
                if (e.testLoss() < min) {
                    min = e.testLoss();
                    minEpoch = e.epoch();
                }
                if (e.testLoss() >= 1.1 * min) {
                    break;
                }
            }
            double peak = Double.NEGATIVE_INFINITY;
            long peakEpoch = -1;
            for (int j = i; j < events.size(); j++) {
                EpochEvent e = events.get(j);
                if (e.testLoss() > peak) {
                    peak = e.testLoss();
                    peakEpoch = e.epoch();
                }
            }
            return new Shape(
                    min,
                    minEpoch,
                    peak,
                    peakEpoch,
                    events.get(events.size() - 1).testLoss());
        }
    }
}
