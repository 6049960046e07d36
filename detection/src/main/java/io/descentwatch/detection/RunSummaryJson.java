package io.descentwatch.detection;

import io.descentwatch.events.Advice;
import java.time.Instant;

/**
 * The runs topic's JSON layout of a {@link RunSummary}: flat, in this order, as data binding wrote and read the
 * summary before it was grouped into records. {@link PublishedJson} binds this record, so the published bytes and
 * what a reader accepts (missing fields as their defaults, unknown ones ignored) stay as they were.
 * {@code interpolated} and {@code diverged} are written for readers; on reading they follow from
 * {@code interpolation_epoch} and {@code phase}, as the detector always wrote them. Built only by {@link #of}.
 */
record RunSummaryJson(
        String runId,
        String sweepId,
        long paramCount,
        long trainSize,
        int outputDim,
        long epoch,
        Instant time,
        double testLoss,
        double trainLoss,
        boolean interpolated,
        long interpolationEpoch,
        boolean finished,
        boolean diverged,
        RunPhase phase,
        int sweepRuns,
        boolean idle,
        Advice advice,
        LedgerState ledger) {

    static RunSummaryJson of(RunSummary s) {
        return new RunSummaryJson(
                s.runId(),
                s.sweepId(),
                s.paramCount(),
                s.trainSize(),
                s.outputDim(),
                s.epoch(),
                s.time(),
                s.testLoss(),
                s.trainLoss(),
                s.interpolated(),
                s.interpolationEpoch(),
                s.finished(),
                s.diverged(),
                s.phase(),
                s.sweepRuns(),
                s.idle(),
                s.advice(),
                s.ledger());
    }

    RunSummary summary() {
        return new RunSummary(
                new RunFacts(runId, sweepId, new RunSize(paramCount, trainSize, outputDim)),
                epoch,
                time,
                phase,
                testLoss,
                interpolationEpoch,
                trainLoss,
                RunActivity.TRAINING.withFinished(finished).withIdle(idle),
                sweepRuns,
                advice,
                ledger);
    }
}
