package io.descentwatch.producer.training;

import io.descentwatch.events.EpochEvent;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns one run's evaluations into wire-contract epoch events: the run's identity, sizes and model, its settings
 * as tags (snake_case, the sweep-level seed list replaced by the run's seed), {@code final} on the last one and
 * the wall-clock time of the evaluation.
 */
public final class RunReporter implements RunObserver {

    private final Consumer<EpochEvent> sink;
    private final Clock clock;
    private RunSpec run;
    private RunShape shape;
    private Map<String, String> tags;

    public RunReporter(Consumer<EpochEvent> sink, Clock clock) {
        this.sink = sink;
        this.clock = clock;
    }

    @Override
    public void started(RunSpec run, RunShape shape) {
        this.run = run;
        this.shape = shape;
        this.tags = tags(run, shape);
    }

    static Map<String, String> tags(RunSpec run, RunShape shape) {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("preset", run.preset());
        run.parameters().values().forEach((k, v) -> {
            if (!k.equals(CommonParameters.SEEDS)) {
                t.put(k.replace('-', '_').toLowerCase(Locale.ROOT), v);
            }
        });
        t.put("seed", String.valueOf(run.seed()));
        // the planned last epoch: with it the stopping advice knows when a second descent cannot arrive in time
        t.put(EpochEvent.MAX_EPOCHS_TAG, String.valueOf(shape.epochs()));
        t.putAll(shape.tags());
        return t;
    }

    @Override
    public void evaluated(Evaluation e, boolean last) {
        sink.accept(EpochEvent.builder()
                .runId(run.runId())
                .sweepId(run.sweepId())
                .epoch(e.epoch())
                .trainLoss(e.trainLoss())
                .testLoss(e.testLoss())
                .trainError(e.trainError())
                .testError(e.testError())
                .paramCount(shape.paramCount())
                .trainSize(shape.trainSize())
                .outputDim(shape.outputDim())
                .time(clock.instant())
                .model(shape.model())
                .tags(tags)
                .isFinal(last)
                .build());
    }
}
