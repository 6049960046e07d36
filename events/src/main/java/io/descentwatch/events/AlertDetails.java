package io.descentwatch.events;

import java.util.Map;

/**
 * The keys of an alert's {@code details} (wire contract v1): one home for the names that the detectors write and
 * the report, the dashboards and other consumers read, so that a renamed key is a compile error rather than a
 * "?" in a report. Values are numbers (loss values and thresholds as doubles, epochs and sizes as longs) or short
 * texts; which keys an alert has depends on its type (see each constant).
 */
public final class AlertDetails {

    // run alerts: the landmarks of the test-loss curve (TEST_LOSS_RISING, SECOND_DESCENT, BELOW_FIRST_MINIMUM)
    /** Epoch of the test loss's first minimum. */
    public static final String FIRST_MIN_EPOCH = "first_min_epoch";
    /** The smoothed test loss at its first minimum. */
    public static final String FIRST_MIN_LOSS = "first_min_loss";
    /** Epoch of the test loss's peak after the first minimum (once there is one). */
    public static final String PEAK_EPOCH = "peak_epoch";
    /** The smoothed test loss at that peak; for MODEL_WISE_PEAK, the peak size's test loss. */
    public static final String PEAK_LOSS = "peak_loss";
    /** The smoothed test loss the decision was taken on; for sweep alerts, the named size's test loss. */
    public static final String LOSS = "loss";
    /** The event's own (unsmoothed) test loss. */
    public static final String RAW_LOSS = "raw_loss";
    /** The relative change that counted (the base threshold or the noise's, whichever was larger). */
    public static final String THRESHOLD = "threshold";
    /** The run's noise estimate, as a relative standard deviation. */
    public static final String NOISE = "noise";

    // run alerts: INTERPOLATION_REACHED and DIVERGED
    /** First epoch of the streak of evaluations at or under the interpolation criterion. */
    public static final String INTERPOLATION_EPOCH = "interpolation_epoch";

    public static final String TRAIN_LOSS = "train_loss";
    public static final String FIRST_TRAIN_LOSS = "first_train_loss";
    /** DIVERGED: the run's first finite test loss, which an exploding train loss counts against. */
    public static final String FIRST_TEST_LOSS = "first_test_loss";

    public static final String TRAIN_ERROR = "train_error";
    public static final String TEST_LOSS = "test_loss";
    /** What settled INTERPOLATION_REACHED: later evaluations, or the run's last one. */
    public static final String CONFIRMED_BY = "confirmed_by";
    /** The --divergence-factor a DIVERGED run's train loss exceeded. */
    public static final String DIVERGENCE_FACTOR = "divergence_factor";
    /** Consecutive evaluations the condition held. */
    public static final String EVALUATIONS = "evaluations";

    // sweep alerts (INTERPOLATION_THRESHOLD, MODEL_WISE_PEAK, OVERPARAMETERIZED_WINS)
    public static final String P_OVER_N = "p_over_n";
    public static final String PARAM_COUNT = "param_count";
    public static final String THRESHOLD_PARAM_COUNT = "threshold_param_count";
    public static final String LARGEST_NON_INTERPOLATING_PARAM_COUNT = "largest_non_interpolating_param_count";
    public static final String LEFT_PARAM_COUNT = "left_param_count";
    public static final String LEFT_LOSS = "left_loss";
    public static final String RIGHT_PARAM_COUNT = "right_param_count";
    public static final String RIGHT_LOSS = "right_loss";
    public static final String PROMINENCE = "prominence";
    public static final String BEST_BELOW_PARAM_COUNT = "best_below_param_count";
    public static final String BEST_BELOW_LOSS = "best_below_loss";
    public static final String MARGIN = "margin";
    public static final String SEEDS = "seeds";
    public static final String LOSS_MEASURE = "loss_measure";
    public static final String NOISE_BASIS = "noise_basis";

    /** What a reader shows for a detail the alert does not have. */
    public static final String MISSING = "?";

    private AlertDetails() {}

    /** A detail as a number, or NaN when the alert does not have it (or it is not a number). */
    public static double number(Alert alert, String key) {
        return alert.details().get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /**
     * A detail as a person reads it: numbers through {@link AlertWording#num} (whole numbers as they are), texts as
     * they are, {@link #MISSING} when the alert does not have it.
     */
    public static String shown(Alert alert, String key) {
        return shown(alert.details(), key);
    }

    public static String shown(Map<String, Object> details, String key) {
        Object v = details.get(key);
        if (v instanceof Double || v instanceof Float) {
            return AlertWording.num(((Number) v).doubleValue());
        }
        return v == null ? MISSING : v.toString();
    }
}
