package io.descentwatch.streams.detector;

import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.SweepRuns;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One sweep's runs in the sweep-runs store, keyed by sweep id and run id so that each run is its own small record
 * (a sweep of any size never makes a large one) and a sweep's runs sit together for the prefix scan an alert needs.
 */
final class StoreSweepRuns implements SweepRuns {

    /** Cannot occur in a sweep id (the event contract forbids control characters), so no prefix overlaps another. */
    private static final char SEPARATOR = '\0';

    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, RunSummary> store;
    private final String prefix;

    StoreSweepRuns(KeyValueStore<String, RunSummary> store, String sweepId) {
        this.store = store;
        this.prefix = sweepId + SEPARATOR;
    }

    @Override
    public RunSummary get(String runId) {
        return store.get(prefix + runId);
    }

    @Override
    public void put(RunSummary summary) {
        store.put(prefix + summary.runId(), summary);
    }

    @Override
    public void forEach(Consumer<RunSummary> action) {
        try (KeyValueIterator<String, RunSummary> all = store.prefixScan(prefix, KEYS)) {
            while (all.hasNext()) {
                KeyValue<String, RunSummary> next = all.next();
                action.accept(next.value);
            }
        }
    }
}
