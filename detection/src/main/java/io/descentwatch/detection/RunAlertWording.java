package io.descentwatch.detection;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertDetails;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.AlertWording;
import io.descentwatch.events.EpochEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run alerts as the contract words them, as {@link SweepAlertWording} does for sweep alerts: the run detector
 * decides ({@link RunEvaluation}, {@link RunDetector#idle}), this fills in each alert's details by name
 * ({@link AlertDetails}, the keys its {@link AlertType} declares) and words its message from them
 * ({@link AlertWording#message}). An alert is about the evaluation that decided it: the event's, or, for a run
 * that went quiet, its last one.
 */
final class RunAlertWording {

    private RunAlertWording() {}

    /**
     * The divergence verdict: the run's first finite train loss (the scale the divergence factor multiplies), for how
     * many evaluations the condition held, and the run's first finite test loss (an exploding train loss counts only
     * while the test loss is above it; NaN while no test loss has been finite).
     */
    record Divergence(double firstTrainLoss, int evaluations, double firstTestLoss) {}

    /**
     * DIVERGED: losses not finite, or the train loss over the divergence factor times its start with the test loss
     * above its own.
     */
    static Alert diverged(EpochEvent event, Divergence divergence, double divergenceFactor) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(AlertDetails.TRAIN_LOSS, event.trainLoss());
        d.put(AlertDetails.TEST_LOSS, event.testLoss());
        d.put(AlertDetails.FIRST_TRAIN_LOSS, divergence.firstTrainLoss());
        d.put(AlertDetails.FIRST_TEST_LOSS, divergence.firstTestLoss());
        d.put(AlertDetails.DIVERGENCE_FACTOR, divergenceFactor);
        d.put(AlertDetails.EVALUATIONS, (long) divergence.evaluations());
        return about(AlertType.DIVERGED, event).details(d).worded().build();
    }

    /**
     * TEST_LOSS_RISING, SECOND_DESCENT or BELOW_FIRST_MINIMUM: the test-loss curve's landmarks so far (the peak
     * once there is one), the smoothed and raw test loss now, and the threshold and noise the decision used.
     */
    static Alert testLoss(AlertType type, EpochEvent event, TestLossLandmarks at) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(AlertDetails.FIRST_MIN_EPOCH, at.minimum().epoch());
        d.put(AlertDetails.FIRST_MIN_LOSS, at.minimum().loss());
        if (at.peak() != null) {
            d.put(AlertDetails.PEAK_EPOCH, at.peak().epoch());
            d.put(AlertDetails.PEAK_LOSS, at.peak().loss());
        }
        d.put(AlertDetails.LOSS, at.test().level());
        d.put(AlertDetails.RAW_LOSS, event.testLoss());
        d.put(AlertDetails.THRESHOLD, at.threshold());
        d.put(AlertDetails.NOISE, at.test().noise());
        return about(type, event).details(d).worded().build();
    }

    /**
     * What a test-loss alert's decision rests on: the first minimum, the smoothed test loss now (its level and
     * noise), the peak (null before the test loss has one), and the relative change that counted.
     */
    record TestLossLandmarks(Landmark minimum, SmoothedSeries test, Landmark peak, double threshold) {}

    /** INTERPOLATION_REACHED on an evaluation: the event's train loss (and train error, when it tells one). */
    static Alert interpolationReached(EpochEvent event, Fit fit, SmoothedSeries test) {
        return interpolation(
                about(AlertType.INTERPOLATION_REACHED, event), fit, event.trainLoss(), event.trainError(), test);
    }

    /** INTERPOLATION_REACHED for a run that went quiet: its last evaluation, train loss as the detector kept it. */
    static Alert interpolationReached(RunState quiet, Fit fit) {
        Alert.Builder about = Alert.of(AlertType.INTERPOLATION_REACHED)
                .run(quiet.runId())
                .sweep(quiet.sweepId())
                .epoch(quiet.lastEpoch())
                .paramCount(quiet.paramCount())
                .trainSize(quiet.trainSize())
                .outputDim(quiet.outputDim())
                .at(quiet.lastTime());
        return interpolation(about, fit, quiet.train().filtered(1), null, quiet.test());
    }

    /**
     * The interpolation verdict: since when the train loss has been at or under the criterion, the criterion, the
     * run's first train loss it is relative to, and what settled it (later evaluations, or the run's last one).
     */
    record Fit(long sinceEpoch, double threshold, String confirmedBy, double firstTrainLoss) {}

    private static Alert interpolation(
            Alert.Builder about, Fit fit, double trainLoss, Double trainError, SmoothedSeries test) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(AlertDetails.INTERPOLATION_EPOCH, fit.sinceEpoch());
        d.put(AlertDetails.TRAIN_LOSS, trainLoss);
        d.put(AlertDetails.FIRST_TRAIN_LOSS, fit.firstTrainLoss());
        d.put(AlertDetails.THRESHOLD, fit.threshold());
        if (trainError != null) {
            d.put(AlertDetails.TRAIN_ERROR, trainError);
        }
        d.put(AlertDetails.TEST_LOSS, test.level());
        d.put(AlertDetails.CONFIRMED_BY, fit.confirmedBy());
        return about.details(d).worded().build();
    }

    /** The run an alert is about, at the event that decided it. */
    private static Alert.Builder about(AlertType type, EpochEvent event) {
        return Alert.of(type)
                .run(event.runId())
                .sweep(event.sweepId())
                .epoch(event.epoch())
                .paramCount(event.paramCount())
                .trainSize(event.trainSize())
                .outputDim(event.outputDim())
                .at(event.time());
    }
}
