package io.descentwatch.producer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.descentwatch.events.EpochEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** rf-modelwise --quick, really trained: the model-wise curve has its peak at N ~ n and descends past 10 n. */
class RandomFeaturesPresetTest {

    @Test
    void quickSweepPeaksNearTheInterpolationThresholdAndTheLargestModelWins() throws Exception {
        MemoryOutput sink = MemoryOutput.train(RandomFeaturesPreset.NAME, true, Map.of(), 2);
        List<EpochEvent> finals = sink.finals();
        int n = 100;
        StringBuilder curve = new StringBuilder("final test loss by N:");
        finals.forEach(e -> curve.append(String.format(" %d=%.4f", e.paramCount(), e.testLoss())));
        System.out.println(curve);

        assertThat(finals).hasSize(9).allSatisfy(e -> {
            assertThat(e.isFinal()).isTrue();
            assertThat(e.epoch()).isEqualTo(5000);
            assertThat(e.trainSize()).isEqualTo(n);
            assertThat(e.outputDim()).isEqualTo(1);
            assertThat(e.paramCount()).isEqualTo(((Number) e.model().get("width")).longValue());
            assertThat(e.tags())
                    .containsEntry("preset", "rf-modelwise")
                    .containsEntry("noise", "0.5")
                    .containsKey("lr");
        });
        EpochEvent peak = finals.stream()
                .max((a, b) -> Double.compare(a.testLoss(), b.testLoss()))
                .orElseThrow();
        assertThat(peak.paramCount()).as(curve.toString()).isBetween((long) (0.7 * n), (long) (1.4 * n));
        double bestSmall = finals.stream()
                .filter(e -> e.paramCount() < 0.5 * n)
                .mapToDouble(EpochEvent::testLoss)
                .min()
                .orElseThrow();
        EpochEvent largest = finals.get(finals.size() - 1);
        assertThat(largest.paramCount()).isEqualTo(10L * n);
        assertThat(largest.testLoss()).as(curve.toString()).isLessThan(bestSmall);
        // the large models interpolate; the small ones cannot
        assertThat(largest.trainLoss()).isLessThan(1e-6);
        assertThat(finals.get(0).trainLoss()).isGreaterThan(0.3);
    }

    @Test
    void everyRunPublishesItsScheduleInOrderWithFinalOnTheLastEventOnly() throws Exception {
        MemoryOutput sink = MemoryOutput.train(
                RandomFeaturesPreset.NAME, true, Map.of("widths", "20,100", "epochs", "300", "eval", "25"), 2);
        assertThat(sink.byRun()).hasSize(2).allSatisfy((run, events) -> {
            assertThat(events)
                    .extracting(EpochEvent::epoch)
                    .containsExactly(0L, 25L, 50L, 75L, 100L, 125L, 150L, 175L, 200L, 225L, 250L, 275L, 300L);
            assertThat(events).filteredOn(EpochEvent::isFinal).hasSize(1);
            assertThat(events.get(events.size() - 1).isFinal()).isTrue();
            assertThat(events).extracting(EpochEvent::time).isSorted();
        });
    }

    @Test
    void theNd4jEngineTakesTheSameStepsAsDl4jsMultiLayerNetwork() throws Exception {
        Map<String, String> small = Map.of("widths", "30,100,250", "epochs", "400", "eval", "50", "test-size", "200");
        List<EpochEvent> fast = MemoryOutput.train(RandomFeaturesPreset.NAME, true, small, 2).events;
        Map<String, String> viaNetwork = new java.util.HashMap<>(small);
        viaNetwork.put("engine", "network");
        List<EpochEvent> reference = MemoryOutput.train(RandomFeaturesPreset.NAME, true, viaNetwork, 2).events;
        Map<String, EpochEvent> byKey = new java.util.HashMap<>();
        reference.forEach(e -> byKey.put(e.runId() + "@" + e.epoch(), e));
        assertThat(fast).hasSize(reference.size()).allSatisfy(e -> {
            EpochEvent r = byKey.get(e.runId() + "@" + e.epoch());
            assertThat(e.trainLoss()).isCloseTo(r.trainLoss(), within(1e-9 * (1 + r.trainLoss())));
            assertThat(e.testLoss()).isCloseTo(r.testLoss(), within(1e-9 * (1 + r.testLoss())));
            assertThat(e.paramCount()).isEqualTo(r.paramCount());
        });
    }
}
