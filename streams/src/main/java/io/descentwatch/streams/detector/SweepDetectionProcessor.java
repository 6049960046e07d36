package io.descentwatch.streams.detector;

import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.SweepDetector;
import io.descentwatch.detection.SweepPicture;
import io.descentwatch.detection.SweepState;
import io.descentwatch.detection.SweepStep;
import io.descentwatch.events.Alert;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the per-sweep detector on run summaries repartitioned by sweep id. A sweep's state (one aggregate per model
 * size) is one record in the sizes store; its runs are one record each in the runs store, so no record grows with
 * the sweep. Alerts and a new move of the chance told to the sweep's runs go out at once; the sweep's picture (per size) goes to the compacted sweeps topic once per
 * publish interval for the sweeps that changed, since writing it on every update cost more than detecting.
 */
final class SweepDetectionProcessor implements Processor<String, RunSummary, String, DetectorOutput> {

    private static final Logger log = LoggerFactory.getLogger(SweepDetectionProcessor.class);

    private final SweepDetector detector;
    private final String sizesStoreName;
    private final String runsStoreName;
    private final Duration publishInterval;
    private final Map<String, SweepState> changed = new LinkedHashMap<>();
    private ProcessorContext<String, DetectorOutput> context;
    private KeyValueStore<String, SweepState> sizes;
    private KeyValueStore<String, RunSummary> runs;

    SweepDetectionProcessor(
            SweepDetector detector, String sizesStoreName, String runsStoreName, Duration publishInterval) {
        this.detector = detector;
        this.sizesStoreName = sizesStoreName;
        this.runsStoreName = runsStoreName;
        this.publishInterval = publishInterval;
    }

    @Override
    public void init(ProcessorContext<String, DetectorOutput> context) {
        this.context = context;
        this.sizes = context.getStateStore(sizesStoreName);
        this.runs = context.getStateStore(runsStoreName);
        changed.clear();
        context.schedule(publishInterval, PunctuationType.WALL_CLOCK_TIME, this::publishChanged);
    }

    @Override
    public void process(Record<String, RunSummary> record) {
        String sweepId = record.key();
        SweepStep step = detector.step(sizes.get(sweepId), new StoreSweepRuns(runs, sweepId), record.value());
        sizes.put(sweepId, step.state());
        step.notice().ifPresent(log::warn);
        for (Alert alert : step.alerts()) {
            context.forward(record.withValue(new DetectorOutput.AlertRaised(alert)));
        }
        // at once, not with the picture: the sweep's runs still training are told it at their next advice
        step.chanceMove()
                .ifPresent(move -> context.forward(record.withValue(new DetectorOutput.SweepChanceMoved(move))));
        changed.put(sweepId, step.state());
    }

    private void publishChanged(long now) {
        for (Map.Entry<String, SweepState> e : changed.entrySet()) {
            context.forward(
                    new Record<>(e.getKey(), new DetectorOutput.SweepChanged(SweepPicture.of(e.getValue())), now));
        }
        changed.clear();
    }

    @Override
    public void close() {
        changed.clear();
    }
}
