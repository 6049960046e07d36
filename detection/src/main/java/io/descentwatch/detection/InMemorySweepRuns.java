package io.descentwatch.detection;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/** {@link SweepRuns} in a map: the offline detector's and the tests'. */
public final class InMemorySweepRuns implements SweepRuns {

    private final Map<String, RunSummary> runs = new HashMap<>();

    @Override
    public RunSummary get(String runId) {
        return runs.get(runId);
    }

    @Override
    public void put(RunSummary summary) {
        runs.put(summary.runId(), summary);
    }

    @Override
    public void forEach(Consumer<RunSummary> action) {
        runs.values().forEach(action);
    }

    public int size() {
        return runs.size();
    }
}
