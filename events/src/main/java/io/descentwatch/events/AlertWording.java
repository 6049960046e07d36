package io.descentwatch.events;

import java.util.Locale;

/**
 * How alerts are worded: the detectors decide, and this words the decision, so that every alert (and every
 * consumer that quotes one: the report, the terminal, webhooks) writes numbers the same way. Messages are
 * {@code "run <id>: <what>"} for run alerts and {@code "sweep <id>: <what>"} for sweep alerts; each alert type has one method here taking the values its
 * decision rests on (the same values its {@link AlertDetails} hold).
 */
public final class AlertWording {

    private AlertWording() {
    }

    /** A loss, threshold or ratio as alerts print it: three significant digits; NaN and infinities as Java does. */
    public static String num(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    /** A relative change as a whole percentage, e.g. {@code 12%}. */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }

    /** The message of a run alert: which run, then what happened. */
    public static String run(String runId, String what) {
        return "run " + runId + ": " + what;
    }

    /** INTERPOLATION_REACHED. */
    public static String interpolationReached(long epoch, double trainLoss, double threshold, long since,
                                              String confirmedBy, double pOverN) {
        return "reached interpolation: train loss " + num(trainLoss) + " at epoch " + epoch + " (under "
                + num(threshold) + " since epoch " + since + ", confirmed by " + confirmedBy + "), p/n = "
                + num(pOverN);
    }

    /**
     * DIVERGED; {@code exploding} when the train loss went over the divergence factor times its start while the
     * losses were finite, otherwise the losses themselves were not finite.
     */
    public static String diverged(long epoch, boolean exploding, double trainLoss, double testLoss,
                                  double firstTrainLoss, double divergenceFactor) {
        String why = exploding
                ? "train loss " + num(trainLoss) + " is over " + num(divergenceFactor) + "x its start "
                + num(firstTrainLoss)
                : "losses are not finite (train " + num(trainLoss) + ", test " + num(testLoss) + ")";
        return "diverged at epoch " + epoch + ": " + why;
    }

    /** TEST_LOSS_RISING. */
    public static String testLossRising(long epoch, double loss, double firstMinLoss, long firstMinEpoch) {
        return "test loss rising: " + num(loss) + " at epoch " + epoch + ", up " + percent(loss / firstMinLoss - 1)
                + " from its minimum " + num(firstMinLoss) + " at epoch " + firstMinEpoch
                + " (early stopping would stop here)";
    }

    /** SECOND_DESCENT. */
    public static String secondDescent(long epoch, double loss, double peakLoss, long peakEpoch) {
        return "second descent: test loss " + num(loss) + " at epoch " + epoch + ", down from peak " + num(peakLoss)
                + " at epoch " + peakEpoch;
    }

    /** BELOW_FIRST_MINIMUM. */
    public static String belowFirstMinimum(long epoch, double loss, double firstMinLoss, long firstMinEpoch) {
        return "below first minimum: test loss " + num(loss) + " at epoch " + epoch + ", under the first minimum "
                + num(firstMinLoss) + " at epoch " + firstMinEpoch + " (keep training)";
    }

    /** The message of a sweep alert: which sweep, then what it found. */
    public static String sweep(String sweepId, String what) {
        return "sweep " + sweepId + ": " + what;
    }

    /** INTERPOLATION_THRESHOLD: the smallest size that fits its training set, and the largest that does not. */
    public static String interpolationThreshold(long paramCount, double pOverN, double trainLoss, String runId,
                                                long largestNotFitting) {
        return "interpolation threshold at " + paramCount + " parameters (p/n = " + num(pOverN)
                + "): the smallest model that fits its training set (train loss " + num(trainLoss) + " in " + runId
                + "); " + largestNotFitting + " does not";
    }

    /** MODEL_WISE_PEAK, its prominence over the best smaller and larger sizes; {@code lossMeasure} says which loss. */
    public static String modelWisePeak(long paramCount, double pOverN, double loss, double prominence,
                                       long leftParamCount, double leftLoss, long rightParamCount, double rightLoss,
                                       String lossMeasure) {
        return "model-wise peak at " + paramCount + " parameters (p/n = " + num(pOverN) + "): test loss "
                + num(loss) + ", " + percent(prominence) + " above the best smaller (" + leftParamCount + ": "
                + num(leftLoss) + ") and larger (" + rightParamCount + ": " + num(rightLoss) + ") models; test loss = "
                + lossMeasure;
    }

    /** OVERPARAMETERIZED_WINS: the winner against the best size below the threshold. */
    public static String overparameterizedWins(long paramCount, double loss, long bestBelowParamCount,
                                               double bestBelowLoss, String lossMeasure) {
        return "over-parameterized model wins: " + paramCount + " parameters reach test loss " + num(loss)
                + ", below the best under-parameterized model (" + bestBelowParamCount + ": " + num(bestBelowLoss)
                + "); test loss = " + lossMeasure;
    }
}
