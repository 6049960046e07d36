package io.descentwatch.streams.detector;

import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.SweepDetector;
import io.descentwatch.detection.SweepState;
import io.descentwatch.detection.SweepStep;
import io.descentwatch.events.Alert;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the per-sweep detector on run summaries repartitioned by sweep id, with the sweep's state in a store.
 * Alerts go out at once; the sweep's whole picture (one entry per run) goes to the compacted sweeps topic once per
 * publish interval for the sweeps that changed, since writing it on every update cost more than detecting.
 */
final class SweepDetectionProcessor implements Processor<String, RunSummary, String, DetectorOutput> {

    private final SweepDetector detector;
    private final String storeName;
    private final Duration publishInterval;
    private final Map<String, SweepState> changed = new LinkedHashMap<>();
    private ProcessorContext<String, DetectorOutput> context;
    private KeyValueStore<String, SweepState> store;

    SweepDetectionProcessor(SweepDetector detector, String storeName, Duration publishInterval) {
        this.publishInterval = publishInterval;
        this.detector = detector;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, DetectorOutput> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        changed.clear();
        context.schedule(publishInterval, PunctuationType.WALL_CLOCK_TIME, this::publishChanged);
    }

    @Override
    public void process(Record<String, RunSummary> record) {
        String sweepId = record.key();
        SweepStep step = detector.step(store.get(sweepId), record.value());
        store.put(sweepId, step.state());
        for (Alert alert : step.alerts()) {
            context.forward(record.withValue(new DetectorOutput.AlertRaised(alert)));
        }
        changed.put(sweepId, step.state());
    }

    private void publishChanged(long now) {
        for (Map.Entry<String, SweepState> e : changed.entrySet()) {
            context.forward(new Record<>(e.getKey(), new DetectorOutput.SweepChanged(e.getValue()), now));
        }
        changed.clear();
    }

    @Override
    public void close() {
        changed.clear();
    }
}
