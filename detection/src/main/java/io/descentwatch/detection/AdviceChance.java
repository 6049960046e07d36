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
     * Fitted by {@code ./descentwatch bench stopping --fit-chance} on the DL4J presets and the forty-one independent
     * families of the first eleven held-out rounds, one row per advice given (once per doubling of epochs), with the
     * ridge (3) that predicted each family best when that family was left out of the fit. Fitted on the presets and
     * three families alone, it was 20 to 27 points underconfident on the fifth round, whose second descents came more
     * often than those few families had seen; fitted with almost no ridge, the weights were half as large again and
     * the chance overconfident on families it had not seen. Each round joined the fit only after it had been measured
     * once held out of it; the ninth to eleventh rounds joined before the twelfth was measured. Refitted on the same
     * rows once {@code --advice-train-climb} (designed on the thirteenth round) changed a few verdicts, and again
     * when {@code --advice-turn} went from 2 to 1.75 (before the twenty-second round); the twelfth and later rounds
     * are held out of it.
     */
    static final double[] WEIGHTS = {
        1.5100, -0.6633, -0.1798, -1.1241, -1.0828, -2.0591, 3.8421, 1.9584, -1.2903, 0.9479, -0.8197, -3.0883
    };

    /**
     * The estimate for a family the weights never saw: the weights' log-odds z taken to {@code SCALE * z + OFFSET}.
     * Fitted by {@code --fit-chance} (by likelihood) on the advice of the families held out of the weights' fit and
     * of the rule's design up to the seventeenth round ({@code RECALIBRATION_FAMILIES} in the benchmark), whose
     * trainers fixed their grids before any outcome was seen. The weights' own families were asked for a mix of
     * winners, and each family's base rate differs: left out one at a time, the weights were within 3 points pooled,
     * yet on the twelfth to seventeenth rounds they were 13 points too low under 0.1 and 23 too high over 0.9. A scale
     * under 1 says how much of the weights' confidence does not carry over to a family never seen: 0.46, fitted on
     * 7,068 advice, put those rounds within 8 points in every bin of 20 advice or more, and the first eleven rounds'
     * families, left out of the weights in turn, 17 points too low over 0.5 (within 3 before).
     */
    static final double SCALE = 0.4615;

    /** See {@link #SCALE}. */
    static final double OFFSET = -0.1919;

    private AdviceChance() {}

    /** The recalibration the estimate applies to the weights' log-odds: {@link #SCALE} and {@link #OFFSET}. */
    public static double[] recalibration() {
        return new double[] {SCALE, OFFSET};
    }

    /** A copy of the weights the estimate uses, for the benchmark's test that they are its fit's. */
    public static double[] weights() {
        return WEIGHTS.clone();
    }

    /** The features of one evaluation; null while the advice is still warming up (no chance is given). */
    static double[] features(
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

    /** The estimate for {@code x}, in (0, 1): the weights' log-odds, recalibrated for a family never seen. */
    static double estimate(double[] x) {
        return recalibrated(logOdds(x, WEIGHTS), SCALE, OFFSET);
    }

    /** The chance of log-odds {@code z} taken to {@code scale * z + offset}: what the benchmark's tables call too. */
    public static double recalibrated(double z, double scale, double offset) {
        return 1 / (1 + Math.exp(-(scale * z + offset)));
    }

    /** The logistic model with the given weights: what the fit in the benchmark calls too. */
    public static double estimate(double[] x, double[] weights) {
        return recalibrated(logOdds(x, weights), 1, 0);
    }

    /** The weights' log-odds for {@code x}. */
    public static double logOdds(double[] x, double[] weights) {
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
