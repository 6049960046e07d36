package io.descentwatch.producer.training;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.producer.output.EventOutput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Collects events in memory, for tests. */
final class MemoryOutput implements EventOutput {

    final List<EpochEvent> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void publish(EpochEvent event) {
        events.add(event);
    }

    @Override
    public void flush() {}

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public void close() {}

    /** Each run's events in arrival order, runs ordered by parameter count. */
    Map<String, List<EpochEvent>> byRun() {
        Map<String, List<EpochEvent>> out = new LinkedHashMap<>();
        synchronized (events) {
            events.stream()
                    .sorted(Comparator.comparingLong(EpochEvent::paramCount))
                    .forEach(e -> out.computeIfAbsent(e.runId(), k -> new ArrayList<>()));
            events.forEach(e -> out.get(e.runId()).add(e));
        }
        return out;
    }

    /** The last event of each run, ordered by parameter count. */
    List<EpochEvent> finals() {
        return byRun().values().stream().map(l -> l.get(l.size() - 1)).toList();
    }

    /** Trains a preset's sweep with the given settings and collects its events. */
    static MemoryOutput train(String preset, boolean quick, Map<String, String> overrides, int workers)
            throws InterruptedException {
        Preset p = Presets.named(preset);
        Parameters parameters = Parameters.resolve(p.parameters(), quick, overrides, preset);
        MemoryOutput sink = new MemoryOutput();
        new SweepRunner(workers, 1, java.time.Clock.systemUTC())
                .run(p.plan(preset + "-test", parameters), sink, new SweepRunner.Progress() {});
        return sink;
    }
}
