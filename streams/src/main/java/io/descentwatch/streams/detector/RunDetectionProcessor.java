package io.descentwatch.streams.detector;

import io.descentwatch.detection.RunDetector;
import io.descentwatch.detection.RunState;
import io.descentwatch.detection.RunStep;
import io.descentwatch.detection.RunSummary;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs the per-run detector on each event, with the run's state in a persistent store keyed by run id.
 *
 * <p>Alerts and status changes (which the sweep detector decides on) go out at once, as do a run's last
 * summary and a summary whose stopping advice changed (its change also goes to the advice topic). A summary that only moves the run's smoothed losses waits for the next publish interval and is
 * replaced by any later one of the same run: the runs topic is compacted, so only the latest counts, and a replay
 * or a fast run would otherwise publish a summary for a third of its events, which cost more than detecting.
 */
final class RunDetectionProcessor implements Processor<String, EpochEvent, String, DetectorOutput> {

    private final RunDetector detector;
    private final String storeName;
    private final Duration publishInterval;
    private final Map<String, Record<String, DetectorOutput>> waiting = new LinkedHashMap<>();
    private ProcessorContext<String, DetectorOutput> context;
    private KeyValueStore<String, RunState> store;

    RunDetectionProcessor(RunDetector detector, String storeName, Duration publishInterval) {
        this.detector = detector;
        this.storeName = storeName;
        this.publishInterval = publishInterval;
    }

    @Override
    public void init(ProcessorContext<String, DetectorOutput> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        waiting.clear();
        context.schedule(publishInterval, PunctuationType.WALL_CLOCK_TIME, now -> publishWaiting());
    }

    @Override
    public void process(Record<String, EpochEvent> record) {
        EpochEvent event = record.value();
        String runId = event.runId();
        RunStep step = detector.step(store.get(runId), event);
        store.put(runId, step.state());
        for (Alert alert : step.alerts()) {
            context.forward(record.withKey(runId).withValue(new DetectorOutput.AlertRaised(alert)));
        }
        step.adviceChanged().ifPresent(advice ->
                context.forward(record.withKey(runId).withValue(new DetectorOutput.AdviceChanged(advice))));
        if (step.sweepUpdate().isEmpty()) {
            return;
        }
        RunSummary summary = step.sweepUpdate().get();
        Record<String, DetectorOutput> changed = record.withKey(runId)
                .withValue(new DetectorOutput.RunChanged(summary, step.statusChanged()));
        // a new stopping advice is acted on by trainers: its summary goes out at once, like a status change
        if (step.statusChanged() || summary.finished() || step.adviceChanged().isPresent()) {
            waiting.remove(runId);
            context.forward(changed);
        } else {
            waiting.put(runId, changed);
        }
    }

    private void publishWaiting() {
        waiting.values().forEach(context::forward);
        waiting.clear();
    }

    @Override
    public void close() {
        waiting.clear();
    }
}
