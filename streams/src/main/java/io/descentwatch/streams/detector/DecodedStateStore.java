package io.descentwatch.streams.detector;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

/**
 * A key-value store that keeps the most recently used values decoded and writes changed ones to the store below
 * (and so to its changelog) when the task commits, or when they leave memory. It takes the place of Kafka
 * Streams' record cache, which holds serialised bytes: with it, every event of a run paid for encoding the run's
 * whole state, and every read for decoding it, though only the last state before a commit is ever kept.
 *
 * <p>Kafka Streams flushes caches before it flushes the producer and commits the transaction, so the states
 * written here are in the same transaction as the input offsets they reflect. A task closed without a commit
 * (a crash under exactly-once), or recycled between active and standby (when its store is updated from the
 * changelog underneath), clears this layer with the record cache, and reads go to the store below again. The
 * class builds on Kafka Streams' store wrapper (an internal API) because that is the one way to be told of a
 * commit; it is pinned by the Kafka version in the build and by the restart tests.
 */
final class DecodedStateStore<V> extends WrappedStateStore<KeyValueStore<String, V>, String, V>
        implements KeyValueStore<String, V> {

    private final Map<String, V> recent;
    private final Map<String, V> dirty = new LinkedHashMap<>();

    private DecodedStateStore(KeyValueStore<String, V> inner, int capacity) {
        super(inner);
        this.recent = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                V unwritten = dirty.remove(eldest.getKey());
                if (unwritten != null) {
                    wrapped().put(eldest.getKey(), unwritten);
                }
                return true;
            }
        };
    }

    /**
     * A builder of the store described by {@code inner} (serdes, RocksDB, changelog) with this layer in place of
     * the record cache.
     */
    static <V> StoreBuilder<KeyValueStore<String, V>> builder(
            StoreBuilder<KeyValueStore<String, V>> inner, int capacity) {
        return new Builder<>(inner.withCachingDisabled(), capacity);
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        forget();
        super.init(context, root);
    }

    @Override
    public V get(String key) {
        V v = recent.get(key);
        if (v == null) {
            v = wrapped().get(key);
            if (v != null) {
                recent.put(key, v);
            }
        }
        return v;
    }

    @Override
    public void put(String key, V value) {
        if (value == null) {
            delete(key);
            return;
        }
        recent.put(key, value);
        dirty.put(key, value);
    }

    @Override
    public V putIfAbsent(String key, V value) {
        V old = get(key);
        if (old == null) {
            put(key, value);
        }
        return old;
    }

    @Override
    public void putAll(List<KeyValue<String, V>> entries) {
        entries.forEach(e -> put(e.key, e.value));
    }

    @Override
    public V delete(String key) {
        V old = get(key);
        recent.remove(key);
        dirty.remove(key);
        wrapped().delete(key);
        return old;
    }

    @Override
    public KeyValueIterator<String, V> range(String from, String to) {
        writeChanged();
        return wrapped().range(from, to);
    }

    @Override
    public KeyValueIterator<String, V> all() {
        writeChanged();
        return wrapped().all();
    }

    @Override
    public long approximateNumEntries() {
        return wrapped().approximateNumEntries() + dirty.size();
    }

    /** Called by Kafka Streams as a commit begins, before the producer is flushed. */
    @Override
    public void flushCache() {
        writeChanged();
        super.flushCache();
    }

    /** Called when a task's uncommitted work is thrown away, or its store passes between active and standby. */
    @Override
    public void clearCache() {
        forget();
        super.clearCache();
    }

    @Override
    public void close() {
        forget();
        super.close();
    }

    private void writeChanged() {
        for (Iterator<Map.Entry<String, V>> it = dirty.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, V> e = it.next();
            wrapped().put(e.getKey(), e.getValue());
            it.remove();
        }
    }

    private void forget() {
        recent.clear();
        dirty.clear();
    }

    private record Builder<V>(StoreBuilder<KeyValueStore<String, V>> inner, int capacity)
            implements StoreBuilder<KeyValueStore<String, V>> {

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withCachingEnabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withLoggingEnabled(Map<String, String> config) {
            return new Builder<>(inner.withLoggingEnabled(config), capacity);
        }

        @Override
        public StoreBuilder<KeyValueStore<String, V>> withLoggingDisabled() {
            return new Builder<>(inner.withLoggingDisabled(), capacity);
        }

        @Override
        public KeyValueStore<String, V> build() {
            return new DecodedStateStore<>(inner.build(), capacity);
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
