package io.descentwatch.producer.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.EpochEvent;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Same seed and thread count: bit-identical losses, whichever worker trains a run and whatever runs beside it. */
class ReproducibilityTest {

    @Test
    void sameSeedSameThreadsGiveBitIdenticalLosses() throws Exception {
        Map<String, String> rf = Map.of("widths", "40,100,300", "epochs", "500", "eval", "20", "seeds", "1,2");
        assertBitIdentical(
                MemoryOutput.train(RandomFeaturesPreset.NAME, true, rf, 1).events,
                MemoryOutput.train(RandomFeaturesPreset.NAME, true, rf, 2).events);

        // the MLP trains through DL4J's MultiLayerNetwork with Adam: its random init is seeded too
        Map<String, String> mlp = Map.of("widths", "4,32", "epochs", "150", "eval", "10", "test-size", "200");
        List<EpochEvent> first = MemoryOutput.train(MlpLabelNoisePreset.NAME, true, mlp, 2).events;
        assertBitIdentical(first, MemoryOutput.train(MlpLabelNoisePreset.NAME, true, mlp, 1).events);
        // and different seeds really differ
        Map<String, String> otherSeed = new java.util.HashMap<>(mlp);
        otherSeed.put("seeds", "2");
        assertThat(MemoryOutput.train(MlpLabelNoisePreset.NAME, true, otherSeed, 2)
                        .events
                        .get(5)
                        .testLoss())
                .isNotEqualTo(first.stream()
                        .filter(e -> e.runId().endsWith("h0004/s1"))
                        .toList()
                        .get(5)
                        .testLoss());
    }

    private static void assertBitIdentical(List<EpochEvent> a, List<EpochEvent> b) {
        Function<EpochEvent, String> key = e -> e.runId() + "@" + e.epoch();
        Map<String, EpochEvent> other = b.stream().collect(Collectors.toMap(key, e -> e));
        assertThat(a).hasSameSizeAs(b).isNotEmpty().allSatisfy(e -> {
            EpochEvent o = other.get(key.apply(e));
            assertThat(Double.doubleToRawLongBits(e.trainLoss())).isEqualTo(Double.doubleToRawLongBits(o.trainLoss()));
            assertThat(Double.doubleToRawLongBits(e.testLoss())).isEqualTo(Double.doubleToRawLongBits(o.testLoss()));
        });
    }
}
