package io.descentwatch.streams.detector;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecodedStateStoreTest {

    private static final int CAPACITY = 2;

    private KeyValueStore<String, String> store;
    private KeyValueStore<String, String> below;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void open() {
        store = DecodedStateStore.builder(
                        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("s"), Serdes.String(), Serdes.String())
                                .withLoggingDisabled(),
                        CAPACITY)
                .build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        below = ((WrappedStateStore<KeyValueStore<String, String>, String, String>) store).wrapped();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void changesReachTheStoreBelowOnlyAtCommitAndOnlyTheLastOfEach() {
        store.put("run", "state 1");
        store.put("run", "state 2");
        assertThat(store.get("run")).isEqualTo("state 2");
        assertThat(below.get("run")).isNull();

        flush();
        assertThat(below.get("run")).isEqualTo("state 2");
    }

    @Test
    void readsOfRecentStatesSkipTheStoreBelow() {
        String state = new String("decoded");
        store.put("run", state);
        flush();
        assertThat(store.get("run")).isSameAs(state);
    }

    @Test
    void aChangedStateLeavingMemoryIsWrittenFirst() {
        store.put("a", "1");
        store.put("b", "2");
        store.put("c", "3");
        assertThat(below.get("a")).isEqualTo("1");
        assertThat(below.get("c")).isNull();
        assertThat(store.get("a")).isEqualTo("1");
    }

    @Test
    void uncommittedChangesAreDroppedWhenTheTaskThrowsItsWorkAway() {
        store.put("kept", "committed");
        flush();
        store.put("kept", "uncommitted");
        store.put("lost", "uncommitted");
        clear();
        assertThat(store.get("kept")).isEqualTo("committed");
        assertThat(store.get("lost")).isNull();
    }

    @Test
    void deletesAndScansSeeEveryChange() {
        store.put("a", "1");
        store.put("b", "2");
        store.delete("a");
        assertThat(store.get("a")).isNull();
        try (var all = store.all()) {
            assertThat(all.next().key).isEqualTo("b");
            assertThat(all.hasNext()).isFalse();
        }
    }

    private void flush() {
        ((WrappedStateStore<?, ?, ?>) store).flushCache();
    }

    private void clear() {
        ((WrappedStateStore<?, ?, ?>) store).clearCache();
    }
}
