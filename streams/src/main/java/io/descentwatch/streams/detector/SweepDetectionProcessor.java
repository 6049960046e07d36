package io.descentwatch.streams.detector;

import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.SweepDetector;
import io.descentwatch.detection.SweepState;
import io.descentwatch.detection.SweepStep;
import io.descentwatch.events.Alert;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Runs the per-sweep detector on run summaries repartitioned by sweep id, with the sweep's state in a store. */
final class SweepDetectionProcessor implements Processor<String, RunSummary, String, DetectorOutput> {

    private final SweepDetector detector;
    private final String storeName;
    private ProcessorContext<String, DetectorOutput> context;
    private KeyValueStore<String, SweepState> store;

    SweepDetectionProcessor(SweepDetector detector, String storeName) {
        this.detector = detector;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, DetectorOutput> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, RunSummary> record) {
        String sweepId = record.key();
        SweepStep step = detector.step(store.get(sweepId), record.value());
        store.put(sweepId, step.state());
        for (Alert alert : step.alerts()) {
            context.forward(record.withValue(new DetectorOutput.AlertRaised(alert)));
        }
        context.forward(record.withValue(new DetectorOutput.SweepChanged(step.state())));
    }
}
