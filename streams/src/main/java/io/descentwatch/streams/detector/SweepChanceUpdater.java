package io.descentwatch.streams.detector;

import io.descentwatch.detection.ChanceMove;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global store of each sweep's move of the chance told to its runs up to date from the sweep chances
 * topic: the latest record of a sweep is its move (a null value, a tombstone, forgets the sweep).
 */
final class SweepChanceUpdater implements Processor<String, ChanceMove, Void, Void> {

    private final String storeName;
    private KeyValueStore<String, ChanceMove> moves;

    SweepChanceUpdater(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.moves = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, ChanceMove> record) {
        if (record.value() == null) {
            moves.delete(record.key());
        } else {
            moves.put(record.key(), record.value());
        }
    }
}
