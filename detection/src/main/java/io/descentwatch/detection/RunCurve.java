package io.descentwatch.detection;

/**
 * What a run's curves have done: the phase, the smoothed test loss with its first finite value and its landmarks,
 * the smoothed train loss with its first finite value (the scale for interpolation and divergence), the confirmation
 * counters, and when it interpolated. Ordered so that no two neighbours share a type.
 *
 * @param phase              where the test-loss curve is
 * @param test               the smoothed test loss
 * @param firstTestLoss      the run's first finite test loss (NaN before; for a state stored before format 8, the
 *                           first after the upgrade): a run has diverged only once its test loss is above it
 * @param landmarks          the test loss's minimum, peak and low
 * @param train              the smoothed train loss
 * @param firstTrainLoss     the run's first finite train loss (NaN before): the scale for interpolation and
 *                           divergence
 * @param streaks            consecutive evaluations for which each condition has held
 * @param interpolationEpoch first epoch of the evaluations that confirmed interpolation; -1 if not interpolated
 */
public record RunCurve(
        RunPhase phase,
        SmoothedSeries test,
        double firstTestLoss,
        Landmarks landmarks,
        SmoothedSeries train,
        double firstTrainLoss,
        Streaks streaks,
        long interpolationEpoch) {

    /** Before a run's first evaluation. */
    static final RunCurve START = new RunCurve(
            RunPhase.DESCENDING,
            SmoothedSeries.EMPTY,
            Double.NaN,
            Landmarks.NONE,
            SmoothedSeries.EMPTY,
            Double.NaN,
            Streaks.NONE,
            -1);

    /**
     * The points of the smoothed test loss that decisions refer to.
     *
     * @param minimum lowest smoothed test loss before the rise; after it, the first minimum (null before the first
     *                finite test loss)
     * @param peak    highest smoothed test loss since the rise (null before a rise)
     * @param low     lowest smoothed test loss since the second descent (null before it)
     */
    public record Landmarks(Landmark minimum, Landmark peak, Landmark low) {
        public static final Landmarks NONE = new Landmarks(null, null, null);
    }

    /**
     * Consecutive evaluations for which each condition has held: the current phase's exit condition (since which
     * log-epoch), the train loss being fitted (since which epoch) and the losses diverging.
     */
    public record Streaks(int held, double heldSince, int fit, long fitStart, int diverge) {
        public static final Streaks NONE = new Streaks(0, 0, 0, -1, 0);
    }

    RunCurve withInterpolationEpoch(long epoch) {
        return new RunCurve(phase, test, firstTestLoss, landmarks, train, firstTrainLoss, streaks, epoch);
    }
}
