package io.descentwatch.streams.detector;

import org.apache.kafka.streams.state.KeyValueStore;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A state store with the most recently used values kept deserialized in front of it. Every write still goes to
 * the store (and so to its changelog), so the store stays the truth; reads of runs that are training now skip
 * decoding, which was most of the detector's per-event cost. Only the one processor that owns the store writes
 * to it, so the two cannot disagree; the processor starts with an empty view whenever its task is initialised.
 */
final class RecentStates<V> {

    private final KeyValueStore<String, V> store;
    private final Map<String, V> recent;

    RecentStates(KeyValueStore<String, V> store, int capacity) {
        this.store = store;
        this.recent = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    V get(String key) {
        V v = recent.get(key);
        if (v == null) {
            v = store.get(key);
            if (v != null) {
                recent.put(key, v);
            }
        }
        return v;
    }

    void put(String key, V value) {
        store.put(key, value);
        recent.put(key, value);
    }
}
