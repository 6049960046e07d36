package io.descentwatch.producer.earlystopping;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.RunDetector;
import io.descentwatch.detection.RunState;
import io.descentwatch.events.Advice;
import io.descentwatch.events.EpochEvent;
import java.time.Instant;

/**
 * One run advised in process, with no Kafka: each evaluation goes through the same run detector and stopping
 * advisor as the streaming detector, and the advice in force says whether to stop. Not thread-safe: one per run.
 */
public final class AdvisedRun {

    private final RunDetector detector;
    private final String runId;
    private final String sweepId;
    private final long paramCount;
    private final long trainSize;
    private final int outputDim;
    private RunState state;

    public AdvisedRun(
            DetectionSettings settings, String runId, String sweepId, long paramCount, long trainSize, int outputDim) {
        this.detector = new RunDetector(settings);
        this.runId = runId;
        this.sweepId = sweepId;
        this.paramCount = Math.max(1, paramCount);
        this.trainSize = Math.max(1, trainSize);
        this.outputDim = Math.max(1, outputDim);
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
