package io.descentwatch.detection;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertDetails;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.AlertWording;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sweep alerts as the contract words them: the sweep detector decides, this fills in each alert's details
 * ({@link AlertDetails}) and message ({@link AlertWording}). {@code run} is the run an alert names (the seed closest
 * to its size's median), {@code trigger} the summary whose arrival decided it (its time is the alert's).
 */
final class SweepAlertWording {

    private final DetectionSettings settings;

    SweepAlertWording(DetectionSettings settings) {
        this.settings = settings;
    }

    /**
     * Which loss a sweep alert quotes, in words: an ended run's summary (the run table, the report) holds the
     * running median of its last evaluations, and a size's loss is the median of those over its seeds.
     */
    String lossMeasure(ModelSize size) {
        String run = "the running median of the last " + settings.medianWindow() + " evaluations";
        return size.healthy() > 1
                ? "median over " + size.healthy() + " seeds of each run's test loss at its end (" + run + ")"
                : "the run's test loss at its end (" + run + ")";
    }

    /** The threshold at {@code threshold}; {@code below} is the largest size that does not interpolate. */
    Alert threshold(ModelSize threshold, ModelSize below, RunSummary run, RunSummary trigger) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(AlertDetails.PARAM_COUNT, threshold.paramCount());
        d.put(AlertDetails.P_OVER_N, run.pOverN());
        d.put(AlertDetails.LARGEST_NON_INTERPOLATING_PARAM_COUNT, below.paramCount());
        d.put(AlertDetails.INTERPOLATION_EPOCH, run.interpolationEpoch());
        d.put(AlertDetails.TRAIN_LOSS, run.trainLoss());
        d.put(AlertDetails.SEEDS, (long) threshold.seeds());
        d.put(
                AlertDetails.LOSS_MEASURE,
                "train loss of " + run.runId() + ": the running median of its last " + "evaluations");
        return alert(AlertType.INTERPOLATION_THRESHOLD, run, d, trigger);
    }

    Alert peak(ModelWisePeak.Peak p, RunSummary run, RunSummary trigger) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(AlertDetails.PARAM_COUNT, p.size().paramCount());
        d.put(AlertDetails.P_OVER_N, run.pOverN());
        d.put(AlertDetails.PEAK_LOSS, p.size().testLoss());
        d.put(AlertDetails.LEFT_PARAM_COUNT, p.leftBest().paramCount());
        d.put(AlertDetails.LEFT_LOSS, p.leftBest().testLoss());
        d.put(AlertDetails.RIGHT_PARAM_COUNT, p.rightBest().paramCount());
        d.put(AlertDetails.RIGHT_LOSS, p.rightBest().testLoss());
        d.put(AlertDetails.PROMINENCE, p.prominence());
        d.put(AlertDetails.THRESHOLD, p.threshold());
        if (Double.isFinite(p.noise())) {
            d.put(AlertDetails.NOISE, p.noise());
        }
        d.put(AlertDetails.NOISE_BASIS, p.basis());
        d.put(AlertDetails.LOSS_MEASURE, lossMeasure(p.size()));
        return alert(AlertType.MODEL_WISE_PEAK, run, d, trigger);
    }

    Alert win(SweepDetector.Win w, RunSummary run, RunSummary trigger) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(AlertDetails.PARAM_COUNT, w.winner().paramCount());
        d.put(AlertDetails.P_OVER_N, run.pOverN());
        d.put(AlertDetails.LOSS, w.winner().testLoss());
        d.put(AlertDetails.BEST_BELOW_PARAM_COUNT, w.bestBelow().paramCount());
        d.put(AlertDetails.BEST_BELOW_LOSS, w.bestBelow().testLoss());
        d.put(AlertDetails.THRESHOLD_PARAM_COUNT, w.threshold().paramCount());
        d.put(AlertDetails.MARGIN, settings.overparameterizedMargin());
        d.put(AlertDetails.LOSS_MEASURE, lossMeasure(w.winner()));
        return alert(AlertType.OVERPARAMETERIZED_WINS, run, d, trigger);
    }

    /** The alert, its message worded from its details ({@link AlertWording#message}). */
    private static Alert alert(AlertType type, RunSummary landmark, Map<String, Object> details, RunSummary trigger) {
        return Alert.of(type)
                .run(landmark.runId())
                .sweep(landmark.sweepId())
                .epoch(landmark.epoch())
                .paramCount(landmark.paramCount())
                .trainSize(landmark.trainSize())
                .outputDim(landmark.outputDim())
                .details(details)
                .worded()
                .at(trigger.time())
                .build();
    }
}
