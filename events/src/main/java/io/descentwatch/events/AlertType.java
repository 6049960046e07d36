package io.descentwatch.events;

import java.util.List;

/**
 * What a descent alert says. Each fires at most once per run (run scope) or per sweep (sweep scope).
 *
 * <p>Everything that differs by type is declared here, so that a new type does not compile until it has it: its
 * scope, its words (how charts, pages and summaries name it), the keys its {@code details} may carry
 * ({@link AlertDetails}), how charts mark it ({@link ChartMark}), and where it comes in the order a person acts on
 * alerts ({@link #actionRank()}). {@code AlertTypeTest} (report module) walks the types and checks the rest of the
 * places a type must appear: the JSON schema's enum, the README's table of details, the page, the report and the
 * Grafana alert rules. docs/architecture.md lists them.
 */
public enum AlertType {
    INTERPOLATION_REACHED(
            AlertScope.RUN,
            "interpolation reached",
            ChartMark.AT_EPOCH,
            AlertDetails.INTERPOLATION_EPOCH,
            AlertDetails.TRAIN_LOSS,
            AlertDetails.FIRST_TRAIN_LOSS,
            AlertDetails.THRESHOLD,
            AlertDetails.TRAIN_ERROR,
            AlertDetails.TEST_LOSS,
            AlertDetails.CONFIRMED_BY),
    TEST_LOSS_RISING(AlertScope.RUN, "test loss rising", ChartMark.AT_EPOCH, testLossLandmarks()),
    SECOND_DESCENT(AlertScope.RUN, "second descent", ChartMark.AT_EPOCH, testLossLandmarks()),
    BELOW_FIRST_MINIMUM(AlertScope.RUN, "below first minimum", ChartMark.AT_EPOCH, testLossLandmarks()),
    DIVERGED(
            AlertScope.RUN,
            "diverged",
            ChartMark.AT_EPOCH,
            AlertDetails.TRAIN_LOSS,
            AlertDetails.TEST_LOSS,
            AlertDetails.FIRST_TRAIN_LOSS,
            AlertDetails.FIRST_TEST_LOSS,
            AlertDetails.DIVERGENCE_FACTOR,
            AlertDetails.EVALUATIONS),
    INTERPOLATION_THRESHOLD(
            AlertScope.SWEEP,
            "interpolation threshold",
            ChartMark.AT_SIZE,
            AlertDetails.PARAM_COUNT,
            AlertDetails.P_OVER_N,
            AlertDetails.LARGEST_NON_INTERPOLATING_PARAM_COUNT,
            AlertDetails.INTERPOLATION_EPOCH,
            AlertDetails.TRAIN_LOSS,
            AlertDetails.SEEDS,
            AlertDetails.LOSS_MEASURE),
    MODEL_WISE_PEAK(
            AlertScope.SWEEP,
            "model-wise peak",
            ChartMark.AT_SIZE,
            AlertDetails.PARAM_COUNT,
            AlertDetails.P_OVER_N,
            AlertDetails.PEAK_LOSS,
            AlertDetails.LEFT_PARAM_COUNT,
            AlertDetails.LEFT_LOSS,
            AlertDetails.RIGHT_PARAM_COUNT,
            AlertDetails.RIGHT_LOSS,
            AlertDetails.PROMINENCE,
            AlertDetails.THRESHOLD,
            AlertDetails.NOISE,
            AlertDetails.NOISE_BASIS,
            AlertDetails.LOSS_MEASURE),
    // the winner is the lowest point of the model-wise chart past the threshold's line: a mark would repeat it
    OVERPARAMETERIZED_WINS(
            AlertScope.SWEEP,
            "over-parameterized wins",
            ChartMark.NONE,
            AlertDetails.PARAM_COUNT,
            AlertDetails.P_OVER_N,
            AlertDetails.LOSS,
            AlertDetails.BEST_BELOW_PARAM_COUNT,
            AlertDetails.BEST_BELOW_LOSS,
            AlertDetails.THRESHOLD_PARAM_COUNT,
            AlertDetails.MARGIN,
            AlertDetails.LOSS_MEASURE);

    /** How the report's and the page's charts mark an alert of a type. */
    public enum ChartMark {
        /** A point on the run's test-loss curve at the alert's epoch (the epoch-wise chart). */
        AT_EPOCH,
        /** A line at the alert's model size on the model-wise chart. */
        AT_SIZE,
        /** Not marked on a chart (the type's constant says why); the findings and alert lists name it. */
        NONE
    }

    private final AlertScope scope;
    private final String words;
    private final ChartMark mark;
    private final List<String> detailKeys;

    AlertType(AlertScope scope, String words, ChartMark mark, String... detailKeys) {
        this.scope = scope;
        this.words = words;
        this.mark = mark;
        this.detailKeys = List.of(detailKeys);
    }

    /** The landmarks of the test-loss curve that the three test-loss alerts carry (the peak once there is one). */
    private static String[] testLossLandmarks() {
        return new String[] {
            AlertDetails.FIRST_MIN_EPOCH,
            AlertDetails.FIRST_MIN_LOSS,
            AlertDetails.PEAK_EPOCH,
            AlertDetails.PEAK_LOSS,
            AlertDetails.LOSS,
            AlertDetails.RAW_LOSS,
            AlertDetails.THRESHOLD,
            AlertDetails.NOISE
        };
    }

    public AlertScope scope() {
        return scope;
    }

    /** The type as a chart's legend, a page or a summary names it, e.g. {@code second descent}. */
    public String words() {
        return words;
    }

    public ChartMark chartMark() {
        return mark;
    }

    /**
     * The keys an alert of this type may carry in its {@code details}, in the order the detector writes them. Some
     * are there only when known (a peak before the test loss has one, a train error the trainer did not report,
     * a noise that could not be measured).
     */
    public List<String> detailKeys() {
        return detailKeys;
    }

    /**
     * Where the type comes in the order a person reads alerts, lowest first: run alerts by what a person acts on
     * first (a diverged run, then one that beat its first minimum...), then the sweep's verdicts in the order a
     * sweep reaches them. Digests and the page list alerts in this order.
     */
    public int actionRank() {
        return switch (this) {
            case DIVERGED -> 0;
            case BELOW_FIRST_MINIMUM -> 1;
            case SECOND_DESCENT -> 2;
            case TEST_LOSS_RISING -> 3;
            case INTERPOLATION_REACHED -> 4;
            case INTERPOLATION_THRESHOLD -> 5;
            case MODEL_WISE_PEAK -> 6;
            case OVERPARAMETERIZED_WINS -> 7;
        };
    }
}
