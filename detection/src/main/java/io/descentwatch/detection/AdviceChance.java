package io.descentwatch.detection;

/**
 * The advice's estimate of the chance that going on beats the best test loss so far (by the 2% within which a kept
 * checkpoint counts as the best): a logistic model of what the advisor reads at each evaluation, fitted on runs of
 * many trainers and checked for calibration on families held out of that fit
 * ({@code ./descentwatch bench stopping --calibration}; refitted by {@code --fit-chance}, which prints
 * {@link #WEIGHTS}).
 *
 * <p>Why a fitted model beside a rule: the verdict rests on why second descents happen (slower features still
 * being fitted, a descent's pace), which says when one is still possible; how often a possible one comes is a matter
 * of frequency, which only data can say. The verdict never depends on the estimate, so a poorly calibrated estimate
 * cannot stop a run.
 */
public final class AdviceChance {

    /** The features, in the order of {@link #WEIGHTS}; each is bounded, so no one run can dominate the fit. */
    public static final String[] FEATURES = {
        "bias",
        "rising",
        "second_descent",
        "below_first_minimum",
        "excess_over_best",
        "train_fall",
        "test_fall",
        "projected_margin",
        "slowing",
        "budget_left",
        "learning",
        "told_stop"
    };

    /**
     * Fitted by {@code ./descentwatch bench stopping --fit-chance} on the thirty-six independent families of the
     * twelfth to twenty-third held-out rounds, one row per advice given (once per doubling of epochs), with the ridge
     * (20) that predicted each family best when that family was left out of the fit; refitted the same way when a rise
     * stopped being told STOP for a training set classified without error (after the twenty-eighth round), and again
     * when the budget's turn stopped telling STOP to a run whose raw test loss had set a new best since the peak (after
     * the thirty-second round: 121 fewer rows, most of them advice during a noisy second descent that now says
     * CONTINUE), and when a train loss below zero stopped counting as the training set fitted (after the thirty-third
     * round: 4 rows fewer, of {@code mdn-mixture}), when the budget's turn moved from 1.75 to 1.5 doublings (after the
     * fortieth round), and when a second descent's pace came to be read from its peak on (after the forty-second round;
     * the features' pace too, as the advice reads it), when the turn moved from 1.5 to 1.25 (after the fiftieth round),
     * when the turn came to be read before a rise is confirmed and a slowing descent's pace was given slack (after the
     * fifty-eighth round), when the turn moved from 1.25 to 1 doubling (after the sixty-sixth round) and from 1 to
     * 0.75 (after the seventy-fourth), and when the chance came to end a run half a doubling before the turn (after the
     * seventieth round; fitted once with the weights before it in that reading, not iterated), when it came to read
     * the chance its sweep has moved under 0.3 (after the eighty-eighth round) and a run its sweep has told nothing,
     * as every fitted run is, its own under 0.1 again (after the ninety-eighth; iterated to a fixed point in two steps,
     * no weight moved by more than 0.054), and when a run came to be converged only once its fit has ended (after the
     * hundred-second; two steps, no weight moved by more than 0.016) and a second descent levelled off only once its
     * fit has ended (after the hundred-sixth; two steps, no weight moved by more than 0.029), since the advice it is
     * fitted on changed. Those trainers fixed each grid before any outcome was seen, as a trainer the advice meets
     * does. Fitted before on the DL4J presets and the first eleven rounds, whose trainers were asked for a mix of
     * winners, then rescaled on the twelfth to seventeenth rounds, the estimate carried those families' frequencies and
     * was 14-15 points too low where second descents came often. With each of the twelve rounds left out of the fit in
     * turn, pooled, with the budget told, it was within 9 points in every bin (before the last refit); with each family
     * left out in turn, pooled, it is within 2 points in every bin of 20 advice or more but 0.9-1.0 (24 advice of
     * 14,136, a third of which went on to beat the best against a mean chance of 0.91). Each round joined the fit only
     * after it had been measured once held out of it; the twenty-fourth and later rounds are held out of it.
     */
    static final double[] WEIGHTS = {
        0.3889, -1.4231, -0.5333, -1.0482, -1.1838, -0.2320, 2.0248, 1.0592, -0.8888, 0.9328, -0.2215, -0.8161
    };

    private AdviceChance() {}

    /** A copy of the weights the estimate uses, for the benchmark's test that they are its fit's. */
    public static double[] weights() {
        return WEIGHTS.clone();
    }

    /**
     * The features of the evaluation {@code r} reads, as the advice is told ({@code stop}) or not: null where no chance
     * is given (no first minimum yet, or no finite best). The advisor's told chance and the early turn's chance
     * ({@code RiseAdvice}) are both read here, so they cannot drift apart.
     *
     * @param spanLogEpochs the advice span, in log-epochs, the pace is read over
     */
    static double[] features(AdviceReading r, double spanLogEpochs, boolean stop) {
        double bestLoss = r.best().loss();
        if (r.run().minimum() == null || !Double.isFinite(bestLoss) || bestLoss <= 0) {
            return null;
        }
        return features(
                r.run(),
                r.falls().train(),
                r.falls().test(),
                r.learning(),
                Pace.of(r.history(), r.clock().logEpoch(), spanLogEpochs, r.run()),
                bestLoss,
                r.clock().doublingsLeft(),
                stop);
    }

    private static double[] features(
            RunState run,
            double trainFall,
            double testFall,
            boolean learning,
            Pace pace,
            double bestLoss,
            double budgetDoublingsLeft,
            boolean stop) {
        double level = run.test().level();
        RunPhase phase = run.phase();
        double ends = pace.ends();
        boolean slowing = pace.slowing();
        return new double[] {
            1,
            phase == RunPhase.RISING ? 1 : 0,
            phase == RunPhase.SECOND_DESCENT ? 1 : 0,
            phase == RunPhase.BELOW_FIRST_MINIMUM ? 1 : 0,
            clamp(Math.log(level / bestLoss), 0, 3),
            clamp(trainFall, -1, 1),
            clamp(testFall, -1, 1),
            slowing ? clamp((bestLoss - ends) / bestLoss, -1, 1) : 0,
            slowing ? 1 : 0,
            Double.isInfinite(budgetDoublingsLeft) ? 1 : clamp(budgetDoublingsLeft, 0, 8) / 8,
            learning ? 1 : 0,
            stop ? 1 : 0,
        };
    }

    /** The estimate for {@code x}, in (0, 1). */
    static double estimate(double[] x) {
        return estimate(x, WEIGHTS);
    }

    /** The logistic model with the given weights: what the fit in the benchmark calls too. */
    public static double estimate(double[] x, double[] weights) {
        return ChanceMove.sigmoid(logOdds(x, weights));
    }

    /** The weights' log-odds for {@code x}. */
    private static double logOdds(double[] x, double[] weights) {
        double z = 0;
        for (int i = 0; i < x.length; i++) {
            z += weights[i] * x[i];
        }
        return z;
    }

    private static double clamp(double v, double lo, double hi) {
        return Double.isNaN(v) ? 0 : Math.max(lo, Math.min(hi, v));
    }
}
