package io.descentwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JMH benchmarks' events come from as many runs in flight as asked, interleaved as live runs arrive. */
class PerEventCostTest {

    @Test
    void eventsComeFromTheRunsInFlightInTurn() {
        PerEventCost cost = new PerEventCost();
        cost.runsInFlight = 7;
        cost.load();
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            runs.add(cost.detectorStep().state().runId());
        }
        assertThat(runs.subList(0, 7)).doesNotHaveDuplicates();
        assertThat(runs.subList(7, 14)).isEqualTo(runs.subList(0, 7));
        assertThat(runs.get(14)).isEqualTo(runs.get(0));
    }
}
