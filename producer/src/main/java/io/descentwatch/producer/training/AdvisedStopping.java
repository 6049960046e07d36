package io.descentwatch.producer.training;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.Advice;
import io.descentwatch.producer.earlystopping.AdvisedRun;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code train --stop auto} and {@code worker --stop auto}: each run follows DescentWatch's stopping advice, computed in process on its own
 * evaluations and told the run's planned epochs (as its published events tell the live detector), and ends at the
 * first STOP (that evaluation is its last event, marked final). Remembers the advice each run ended with, for the
 * summary.
 */
public final class AdvisedStopping {

    private final DetectionSettings settings;
    private final Map<String, Advice> stopped = new ConcurrentHashMap<>();

    public AdvisedStopping(DetectionSettings settings) {
        this.settings = settings;
    }

    /** The stopping for {@code mode}: null for {@link StopMode#end} (each run trains to its last epoch). */
    public static AdvisedStopping of(StopMode mode, DetectionSettings settings) {
        return mode == StopMode.auto ? new AdvisedStopping(settings) : null;
    }

    /** A fresh observer for one run. */
    RunObserver observer() {
        return new RunObserver() {
            private AdvisedRun advised;
            private String runId;

            @Override
            public void started(RunSpec run, RunShape shape) {
                runId = run.runId();
                advised = new AdvisedRun(
                        settings,
                        run.runId(),
                        run.sweepId(),
                        new AdvisedRun.Shape(shape.paramCount(), shape.trainSize(), shape.outputDim(), shape.epochs()));
            }

            @Override
            public void evaluated(Evaluation evaluation, boolean last) {}

            @Override
            public boolean stopAfter(Evaluation e) {
                boolean stop = advised.evaluate(e.epoch(), e.trainLoss(), e.testLoss());
                if (stop) {
                    stopped.put(runId, advised.advice());
                }
                return stop;
            }
        };
    }

    /** The advice each run that was stopped early ended with, by run id. */
    public Map<String, Advice> stopped() {
        return Map.copyOf(stopped);
    }
}
