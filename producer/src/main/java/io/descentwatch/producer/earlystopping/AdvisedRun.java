package io.descentwatch.producer.earlystopping;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.RunDetector;
import io.descentwatch.detection.RunState;
import io.descentwatch.events.Advice;
import io.descentwatch.events.EpochEvent;
import java.time.Instant;
import java.util.Map;

/**
 * One run advised in process, with no Kafka: each evaluation goes through the same run detector and stopping
 * advisor as the streaming detector, and the advice in force says whether to stop. Not thread-safe: one per run.
 *
 * <p>The run's planned last epoch, when known, goes with each evaluation as the {@code max_epochs} tag, as a
 * published event carries it: without it the advice cannot tell that a second descent would come too late, and
 * where none comes it lets a run whose train loss still creeps down train on (on the shipped two-scale preset's
 * runs where nothing better comes, a median 100% of their epochs without it, 75% with it). In process and live, a
 * run is then advised the same.
 */
public final class AdvisedRun {

    private final RunDetector detector;
    private final String runId;
    private final String sweepId;
    private final long paramCount;
    private final long trainSize;
    private final int outputDim;
    private final Map<String, String> tags;
    private RunState state;

    /**
     * @param shape the run's model, data and budget ({@link Shape#UNKNOWN_EPOCHS} when the planned last epoch is not
     *     known)
     */
    public AdvisedRun(DetectionSettings settings, String runId, String sweepId, Shape shape) {
        this.detector = new RunDetector(settings);
        this.runId = runId;
        this.sweepId = sweepId;
        this.paramCount = Math.max(1, shape.paramCount());
        this.trainSize = Math.max(1, shape.trainSize());
        this.outputDim = Math.max(1, shape.outputDim());
        this.tags =
                shape.maxEpochs() > 0 ? Map.of(EpochEvent.MAX_EPOCHS_TAG, Long.toString(shape.maxEpochs())) : Map.of();
    }

    /**
     * What the advice is told about a run besides its losses: trainable parameters, training examples, outputs per
     * example and the planned last epoch. Serializable because a DL4J termination condition, which is, holds one.
     */
    public record Shape(long paramCount, long trainSize, int outputDim, long maxEpochs)
            implements java.io.Serializable {

        /** The planned last epoch when the trainer does not say it. */
        public static final long UNKNOWN_EPOCHS = -1;
    }

    /** Takes one evaluation (after {@code epoch} completed epochs) and says whether the advice is now STOP. */
    public boolean evaluate(long epoch, double trainLoss, double testLoss) {
        EpochEvent event = EpochEvent.builder()
                .runId(runId)
                .sweepId(sweepId)
                .epoch(epoch)
                .trainLoss(trainLoss)
                .testLoss(testLoss)
                .paramCount(paramCount)
                .trainSize(trainSize)
                .outputDim(outputDim)
                .tags(tags)
                .time(Instant.EPOCH.plusSeconds(epoch))
                .build();
        state = detector.step(state, event).state();
        Advice advice = advice();
        return advice != null && advice.stop();
    }

    /** The advice in force (null before the first evaluation). */
    public Advice advice() {
        return state == null ? null : state.advice().current();
    }

    /** The epoch of the lowest test loss so far: the checkpoint to keep (-1 before any). */
    public long bestEpoch() {
        return state == null ? -1 : state.advice().bestEpoch();
    }
}
