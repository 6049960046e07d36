package io.descentwatch.streams.detector;

import io.descentwatch.detection.RunDetector;
import io.descentwatch.detection.RunState;
import io.descentwatch.detection.RunStep;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Runs the per-run detector on each event, with the run's state in a persistent store keyed by run id. */
final class RunDetectionProcessor implements Processor<String, EpochEvent, String, DetectorOutput> {

    private final RunDetector detector;
    private final String storeName;
    private ProcessorContext<String, DetectorOutput> context;
    private final int cacheEntries;
    private RecentStates<RunState> store;

    RunDetectionProcessor(RunDetector detector, String storeName, int cacheEntries) {
        this.cacheEntries = cacheEntries;
        this.detector = detector;
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<String, DetectorOutput> context) {
        this.context = context;
        KeyValueStore<String, RunState> kv = context.getStateStore(storeName);
        this.store = new RecentStates<>(kv, cacheEntries);
    }

    @Override
    public void process(Record<String, EpochEvent> record) {
        EpochEvent event = record.value();
        RunStep step = detector.step(store.get(event.runId()), event);
        store.put(event.runId(), step.state());
        for (Alert alert : step.alerts()) {
            context.forward(record.withKey(event.runId()).withValue(new DetectorOutput.AlertRaised(alert)));
        }
        step.sweepUpdate().ifPresent(summary ->
                context.forward(record.withKey(event.runId())
                        .withValue(new DetectorOutput.RunChanged(summary, step.statusChanged()))));
    }
}
