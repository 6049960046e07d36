package io.descentwatch.detection;

import io.descentwatch.events.Advice;

/**
 * What the stopping advisor remembers about one run, in bounded space.
 *
 * @param bestEpoch the epoch of the lowest raw test loss seen (-1 before any): the checkpoint a trainer keeps
 * @param bestLoss  that test loss (NaN before any)
 * @param history   smoothed levels over the last advice span
 * @param flatSince the first epoch of the current stretch in which the train loss has counted as flat (-1 when it
 *                  is falling)
 * @param held      consecutive evaluations for which the current stop condition held
 * @param current   the advice in force (null before the first)
 */
public record AdviceState(
        long bestEpoch, double bestLoss, LevelHistory history, long flatSince, int held, Advice current) {

    public static final AdviceState START = new AdviceState(-1, Double.NaN, LevelHistory.EMPTY, -1, 0, null);
}
