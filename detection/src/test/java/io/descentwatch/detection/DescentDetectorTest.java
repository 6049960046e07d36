package io.descentwatch.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DescentDetectorTest {

    /** A small model-wise sweep of epoch events, its runs interleaved by event time, each sent twice. */
    private static List<EpochEvent> sweepEvents(long seed) {
        Random random = new Random(seed);
        long[] sizes = {40, 50, 63, 79, 100, 126, 158, 200, 251};
        List<EpochEvent> events = new ArrayList<>();
        for (long p : sizes) {
            double end = SweepDetectorTest.risk(p, false);
            long offset = random.nextInt(200);
            Curves.Run run = new Curves.Run("mw/p" + p, seed * 1000 + p)
                    .sweep("mw")
                    .size(p, 100)
                    .test(e -> end + (2.5 - end) * Math.exp(-e / 8.0))
                    .train(p >= 100 ? Curves.trainDecay(5, 0) : e -> 0.5 * (1 - p / 100.0) + Math.exp(-e / 5.0))
                    .grid(Curves.everyEpoch(60))
                    .noise(0.01);
            for (EpochEvent e : run.events()) {
                // as the shipped trainers do, each event says how many runs its sweep has
                EpochEvent shifted = e.toBuilder()
                        .trainError(null)
                        .testError(null)
                        .outputDim(1)
                        .time(e.time().plusSeconds(offset))
                        .tags(Map.of(EpochEvent.SWEEP_RUNS_TAG, String.valueOf(sizes.length)))
                        .build();
                events.add(shifted);
                events.add(shifted);
            }
        }
        events.sort(Comparator.comparing(EpochEvent::time));
        return events;
    }

    @Test
    void eventsFlowThroughRunAndSweepDetectionAndDuplicatesAreCounted() {
        for (long seed = 1; seed <= 3; seed++) {
            DescentDetector detector = new DescentDetector();
            List<Alert> alerts = new ArrayList<>();
            List<EpochEvent> events = sweepEvents(seed);
            for (EpochEvent event : events) {
                alerts.addAll(detector.accept(event));
            }
            assertThat(detector.acceptedEvents()).isEqualTo(events.size() / 2);
            assertThat(detector.ignoredEvents()).isEqualTo(events.size() / 2);
            assertThat(detector.sweepUpdates()).isLessThan(detector.acceptedEvents() / 2);
            assertThat(alerts)
                    .filteredOn(a -> a.type() == AlertType.INTERPOLATION_THRESHOLD)
                    .singleElement()
                    .satisfies(a -> assertThat(a.paramCount()).isEqualTo(100));
            assertThat(alerts)
                    .filteredOn(a -> a.type() == AlertType.MODEL_WISE_PEAK)
                    .singleElement()
                    .satisfies(a -> assertThat(a.paramCount()).isEqualTo(100));
            assertThat(alerts)
                    .filteredOn(a -> a.type() == AlertType.INTERPOLATION_REACHED)
                    .extracting(Alert::paramCount)
                    .containsExactlyInAnyOrder(100L, 126L, 158L, 200L, 251L);
            assertThat(alerts).extracting(Alert::alertId).doesNotHaveDuplicates();
            assertThat(detector.runs()).hasSize(9);
            assertThat(detector.sweeps()).containsOnlyKeys("mw");
        }
    }
}
