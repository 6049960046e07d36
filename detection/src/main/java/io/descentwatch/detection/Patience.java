package io.descentwatch.detection;

/**
 * Patience early stopping, as Keras' {@code EarlyStopping} (min_delta 0), Lightning's and DL4J's score-improvement
 * rule define it: stop after {@code patience} evaluations in a row without a new lowest test loss (an evaluation
 * whose test loss is not finite counts as one without). The one definition that {@code bench stopping} and the live
 * ledger ({@link StopLedger}) share.
 */
public final class Patience {

    private Patience() {}

    /**
     * Whether an evaluation's test loss is a new best: finite and strictly lower than the best so far (NaN before
     * any).
     */
    public static boolean newBest(double testLoss, double bestSoFar) {
        return Double.isFinite(testLoss) && !(testLoss >= bestSoFar);
    }

    /**
     * The evaluations in a row without a new best after this one.
     *
     * @param without the count before it
     */
    public static int withoutBest(int without, double testLoss, double bestSoFar) {
        return newBest(testLoss, bestSoFar) ? 0 : without + 1;
    }

    /** Whether a rule of this patience stops after an evaluation that leaves {@code without} evaluations in a row. */
    public static boolean stops(int patience, int without) {
        return without >= patience;
    }
}
