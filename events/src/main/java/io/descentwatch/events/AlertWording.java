package io.descentwatch.events;

import java.util.Locale;
import java.util.Map;

/**
 * How alerts are worded: the detectors decide, and this words the decision, so that every alert (and every
 * consumer that quotes one: the report, the terminal, webhooks) writes numbers the same way. Messages are
 * {@code "run <id>: <what>"} for run alerts and {@code "sweep <id>: <what>"} for sweep alerts; each alert type has one method here taking the values its
 * decision rests on (the same values its {@link AlertDetails} hold), and {@link #message} words any type from its
 * details in one exhaustive switch, so that a new type does not compile until it is worded.
 */
public final class AlertWording {

    private AlertWording() {}

    /**
     * The locale numbers are written in: the US one, whose digits, decimal point and minus sign are the root
     * locale's (AlertWordingTest checks it), because the JDK's {@link java.util.Formatter} looks up any other
     * locale's digits afresh on every call, building its {@link java.text.DecimalFormatSymbols} each time; the
     * reasons of the advice and the alerts are formatted on the detector's stream thread.
     */
    private static final Locale NUMBERS = Locale.US;

    /** A loss, threshold or ratio as alerts print it: three significant digits; NaN and infinities as Java does. */
    public static String num(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return String.format(NUMBERS, "%.3g", value);
    }

    /** A relative change as a whole percentage, e.g. {@code 12%}. */
    public static String percent(double fraction) {
        return String.format(NUMBERS, "%.0f%%", 100 * fraction);
    }

    /** The message of a run alert: which run, then what happened. */
    public static String run(String runId, String what) {
        return "run " + runId + ": " + what;
    }

    /** INTERPOLATION_REACHED. */
    public static String interpolationReached(
            long epoch, double trainLoss, double threshold, long since, String confirmedBy, double pOverN) {
        return "reached interpolation: train loss " + num(trainLoss) + " at epoch " + epoch + " (under "
                + num(threshold) + " since epoch " + since + ", confirmed by " + confirmedBy + "), p/n = "
                + num(pOverN);
    }

    /**
     * DIVERGED; {@code exploding} when the train loss went over the divergence factor times its start while the
     * losses were finite (and the test loss was over its own start, which alerts from before that condition do not
     * give: NaN), otherwise the losses themselves were not finite.
     */
    public static String diverged(
            long epoch,
            boolean exploding,
            double trainLoss,
            double testLoss,
            double firstTrainLoss,
            double firstTestLoss,
            double divergenceFactor) {
        String why = exploding
                ? "train loss " + num(trainLoss) + " is over " + num(divergenceFactor) + "x its start "
                        + num(firstTrainLoss)
                        + (Double.isNaN(firstTestLoss)
                                ? ""
                                : " and test loss " + num(testLoss) + " is above its start " + num(firstTestLoss))
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
    public static String interpolationThreshold(
            long paramCount, double pOverN, double trainLoss, String runId, long largestNotFitting) {
        return "interpolation threshold at " + paramCount + " parameters (p/n = " + num(pOverN)
                + "): the smallest model that fits its training set (train loss " + num(trainLoss) + " in " + runId
                + "); " + largestNotFitting + " does not";
    }

    /** MODEL_WISE_PEAK, its prominence over the best smaller and larger sizes; {@code lossMeasure} says which loss. */
    public static String modelWisePeak(
            long paramCount,
            double pOverN,
            double loss,
            double prominence,
            long leftParamCount,
            double leftLoss,
            long rightParamCount,
            double rightLoss,
            String lossMeasure) {
        return "model-wise peak at " + paramCount + " parameters (p/n = " + num(pOverN) + "): test loss "
                + num(loss) + ", " + percent(prominence) + " above the best smaller (" + leftParamCount + ": "
                + num(leftLoss) + ") and larger (" + rightParamCount + ": " + num(rightLoss) + ") models; test loss = "
                + lossMeasure;
    }

    /** OVERPARAMETERIZED_WINS: the winner against the best size below the threshold. */
    public static String overparameterizedWins(
            long paramCount, double loss, long bestBelowParamCount, double bestBelowLoss, String lossMeasure) {
        return "over-parameterized model wins: " + paramCount + " parameters reach test loss " + num(loss)
                + ", below the best under-parameterized model (" + bestBelowParamCount + ": " + num(bestBelowLoss)
                + "); test loss = " + lossMeasure;
    }

    /**
     * An alert's whole message, worded from its details: what every detector writes ({@link Alert.Builder#worded()}),
     * so the message never says something its details do not hold. {@code runId} is the alert's run (for a sweep
     * alert, the run carrying its landmark).
     */
    static String message(
            AlertType type, String runId, String sweepId, long epoch, double pOverN, Map<String, Object> d) {
        String what = switch (type) {
            case INTERPOLATION_REACHED ->
                interpolationReached(
                        epoch,
                        number(d, AlertDetails.TRAIN_LOSS),
                        number(d, AlertDetails.THRESHOLD),
                        whole(d, AlertDetails.INTERPOLATION_EPOCH),
                        AlertDetails.shown(d, AlertDetails.CONFIRMED_BY),
                        pOverN);
            case TEST_LOSS_RISING ->
                testLossRising(
                        epoch,
                        number(d, AlertDetails.LOSS),
                        number(d, AlertDetails.FIRST_MIN_LOSS),
                        whole(d, AlertDetails.FIRST_MIN_EPOCH));
            case SECOND_DESCENT ->
                secondDescent(
                        epoch,
                        number(d, AlertDetails.LOSS),
                        number(d, AlertDetails.PEAK_LOSS),
                        whole(d, AlertDetails.PEAK_EPOCH));
            case BELOW_FIRST_MINIMUM ->
                belowFirstMinimum(
                        epoch,
                        number(d, AlertDetails.LOSS),
                        number(d, AlertDetails.FIRST_MIN_LOSS),
                        whole(d, AlertDetails.FIRST_MIN_EPOCH));
            case DIVERGED -> {
                double trainLoss = number(d, AlertDetails.TRAIN_LOSS);
                double testLoss = number(d, AlertDetails.TEST_LOSS);
                double first = number(d, AlertDetails.FIRST_TRAIN_LOSS);
                double firstTest = number(d, AlertDetails.FIRST_TEST_LOSS);
                double factor = number(d, AlertDetails.DIVERGENCE_FACTOR);
                // exploding: finite losses, the train loss over the factor times its start (else: not finite)
                boolean exploding = Double.isFinite(first)
                        && Double.isFinite(trainLoss)
                        && trainLoss > factor * Math.abs(first)
                        && Double.isFinite(testLoss);
                yield diverged(epoch, exploding, trainLoss, testLoss, first, firstTest, factor);
            }
            case INTERPOLATION_THRESHOLD ->
                interpolationThreshold(
                        whole(d, AlertDetails.PARAM_COUNT),
                        number(d, AlertDetails.P_OVER_N),
                        number(d, AlertDetails.TRAIN_LOSS),
                        runId,
                        whole(d, AlertDetails.LARGEST_NON_INTERPOLATING_PARAM_COUNT));
            case MODEL_WISE_PEAK ->
                modelWisePeak(
                        whole(d, AlertDetails.PARAM_COUNT),
                        number(d, AlertDetails.P_OVER_N),
                        number(d, AlertDetails.PEAK_LOSS),
                        number(d, AlertDetails.PROMINENCE),
                        whole(d, AlertDetails.LEFT_PARAM_COUNT),
                        number(d, AlertDetails.LEFT_LOSS),
                        whole(d, AlertDetails.RIGHT_PARAM_COUNT),
                        number(d, AlertDetails.RIGHT_LOSS),
                        AlertDetails.shown(d, AlertDetails.LOSS_MEASURE));
            case OVERPARAMETERIZED_WINS ->
                overparameterizedWins(
                        whole(d, AlertDetails.PARAM_COUNT),
                        number(d, AlertDetails.LOSS),
                        whole(d, AlertDetails.BEST_BELOW_PARAM_COUNT),
                        number(d, AlertDetails.BEST_BELOW_LOSS),
                        AlertDetails.shown(d, AlertDetails.LOSS_MEASURE));
        };
        return switch (type.scope()) {
            case RUN -> run(runId, what);
            case SWEEP -> sweep(sweepId, what);
        };
    }

    private static double number(Map<String, Object> details, String key) {
        return details.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Epochs and parameter counts: whole numbers, written as they are. */
    private static long whole(Map<String, Object> details, String key) {
        return details.get(key) instanceof Number n ? n.longValue() : -1;
    }
}
