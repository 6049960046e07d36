package io.descentwatch.detection;

import static io.descentwatch.events.AlertWording.num;
import static io.descentwatch.events.AlertWording.percent;

/**
 * What the stopping advice reads at one evaluation of a run, once it has warmed up: the run's detector state, how
 * far both smoothed losses fell over the advice span, whether the train loss has been flat for a span (and since
 * when), the checkpoint to keep, where the run is in its budget, the history the pace is read from, and where its
 * sweep's move of the chance is read ({@link #sweepMove()}, only by a rule that reads it).
 */
record AdviceReading(
        RunState run,
        Falls falls,
        Flatness flatness,
        Best best,
        AdviceClock clock,
        LevelHistory history,
        SweepChances sweepChances) {

    /** Relative falls of the smoothed train and test losses over the advice span; negative for a rise. */
    record Falls(double train, double test) {}

    /**
     * Whether the train loss has been flat for a whole span, the epoch it went flat (-1 when it is not), and whether
     * the smoothed train loss is at the interpolation threshold ({@code --interpolation-fraction} of its first value,
     * or {@code --interpolation-loss}): the training set fitted exactly, nothing left in it to fit.
     */
    record Flatness(boolean trainFlat, long since, boolean atFloor) {}

    /** The checkpoint to keep: the lowest raw test loss so far and its epoch. */
    record Best(long epoch, double loss) {}

    /**
     * Whether slower features may still be being fitted: the train loss neither flat nor at interpolation. Read only as
     * the chance's {@code learning} feature, which was fitted on it: since the hundred-sixth round every rule of the
     * advice reads {@link #stillFitting()}, in which a training set classified without error does not end the fit.
     */
    boolean learning() {
        return !flatness.trainFlat() && !run.interpolated();
    }

    /**
     * Whether the network may still be changing what it fits, as every rule of the advice reads it (the converged
     * STOP, the rise, the second descent): the train loss neither flat nor at the interpolation threshold. Unlike {@link #learning()}, a training set classified without error (train error
     * zero, which the detector also counts as interpolation) does not end it: the loss is still above its floor, and
     * under weight decay such a network goes on reshaping the fit while its test loss can fall long after (grokking:
     * Power et al. 2022).
     */
    boolean stillFitting() {
        return !flatness.trainFlat() && !flatness.atFloor();
    }

    /**
     * Whether the smoothed train loss rose by more than {@code climb} over the span. Fitting never raises it: a train
     * loss that climbs back says the training itself has changed under the run (weights pruned, a regulariser ramped
     * up, the data changed), so what the curve did so far no longer bounds what comes next.
     */
    boolean trainClimbing(double climb) {
        return falls.train() < -climb;
    }

    /** How the run's sweep moves its chance now: read from the sweep's store, so only when a rule needs it. */
    ChanceMove sweepMove() {
        return sweepChances.move(run.sweepId());
    }

    String keep() {
        return "keep the checkpoint of epoch " + best.epoch();
    }

    String trainFell(String span) {
        return "train loss fell " + percent(falls.train()) + " over the last " + span + " of epochs";
    }

    String trainClimbed(String span) {
        return "train loss climbed " + percent(-falls.train()) + " over the last " + span + " of epochs";
    }

    /** Why the fit has ended ({@link #stillFitting()} false): fitted exactly, or flat. */
    String fitEnded() {
        return flatness.atFloor()
                ? "train loss " + num(run.train().level()) + " at the interpolation threshold"
                : "train loss flat since epoch " + flatness.since()
                        + (run.interpolated()
                                ? " (at interpolation since epoch " + run.interpolationEpoch() + ")"
                                : "");
    }
}
