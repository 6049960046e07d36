package io.descentwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

/** Every per-event benchmark has a budget, and every budget a benchmark: a new part cannot go unbudgeted. */
class CostBudgetTest {

    @Test
    void everyBenchmarkButTheFloorHasABudgetAndEveryBudgetABenchmark() {
        Set<String> benchmarks = Arrays.stream(PerEventCost.class.getMethods())
                .filter(m -> m.isAnnotationPresent(Benchmark.class))
                .map(Method::getName)
                .collect(Collectors.toSet());
        Set<String> budgeted =
                Arrays.stream(CostBudget.values()).map(b -> b.benchmark).collect(Collectors.toSet());
        assertThat(benchmarks).contains(CostBudget.FLOOR);
        assertThat(budgeted).doesNotContain(CostBudget.FLOOR);
        assertThat(benchmarks)
                .containsExactlyInAnyOrderElementsOf(
                        java.util.stream.Stream.concat(budgeted.stream(), java.util.stream.Stream.of(CostBudget.FLOOR))
                                .toList());
    }

    @Test
    void aBudgetIsAMultipleOfTheFloorMeasuredInTheSameRun() {
        CostBudget step = CostBudget.DETECTOR_STEP;
        assertThat(step.within(step.floors * 500, 500)).isTrue();
        assertThat(step.within(step.floors * 500 + 1, 500)).isFalse();
        assertThat(step.within(step.floors * 500 + 1, 501))
                .as("a slower machine's floor")
                .isTrue();
    }
}
