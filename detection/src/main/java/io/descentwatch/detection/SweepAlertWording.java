package io.descentwatch.detection;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The words and details of the sweep alerts: the sweep detector decides, this says what it decided, for a person
 * (the message) and for programs (the details). {@code run} is the run an alert names (the seed closest to its
 * size's median), {@code trigger} the summary whose arrival decided it (its time is the alert's).
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
        return size.healthy() > 1 ? "median over " + size.healthy() + " seeds of each run's test loss at its end ("
                + run + ")" : "the run's test loss at its end (" + run + ")";
    }

    /** The threshold at {@code threshold}, {@code below} the largest size that does not interpolate. */
    Alert threshold(ModelSize threshold, ModelSize below, RunSummary run, RunSummary trigger) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("param_count", threshold.paramCount());
        d.put("p_over_n", run.pOverN());
        d.put("largest_non_interpolating_param_count", below.paramCount());
        d.put("interpolation_epoch", run.interpolationEpoch());
        d.put("train_loss", run.trainLoss());
        d.put("seeds", (long) threshold.seeds());
        d.put("loss_measure", "train loss of " + run.runId() + ": the running median of its last evaluations");
        return alert(AlertType.INTERPOLATION_THRESHOLD, run, d, "interpolation threshold at "
                + threshold.paramCount() + " parameters (p/n = " + RunDetector.num(run.pOverN())
                + "): the smallest model that fits its training set (train loss " + RunDetector.num(run.trainLoss())
                + " in " + run.runId() + "); " + below.paramCount() + " does not", trigger);
    }

    Alert peak(ModelWisePeak.Peak p, RunSummary run, RunSummary trigger) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("param_count", p.size().paramCount());
        d.put("p_over_n", run.pOverN());
        d.put("peak_loss", p.size().testLoss());
        d.put("left_param_count", p.leftBest().paramCount());
        d.put("left_loss", p.leftBest().testLoss());
        d.put("right_param_count", p.rightBest().paramCount());
        d.put("right_loss", p.rightBest().testLoss());
        d.put("prominence", p.prominence());
        d.put("threshold", p.threshold());
        if (Double.isFinite(p.noise())) {
            d.put("noise", p.noise());
        }
        d.put("noise_basis", p.basis());
        d.put("loss_measure", lossMeasure(p.size()));
        return alert(AlertType.MODEL_WISE_PEAK, run, d, "model-wise peak at " + p.size().paramCount()
                + " parameters (p/n = " + RunDetector.num(run.pOverN()) + "): test loss "
                + RunDetector.num(p.size().testLoss()) + ", " + RunDetector.percent(p.prominence())
                + " above the best smaller (" + p.leftBest().paramCount() + ": "
                + RunDetector.num(p.leftBest().testLoss()) + ") and larger (" + p.rightBest().paramCount() + ": "
                + RunDetector.num(p.rightBest().testLoss()) + ") models; test loss = " + lossMeasure(p.size()),
                trigger);
    }

    Alert win(SweepDetector.Win w, RunSummary run, RunSummary trigger) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("param_count", w.winner().paramCount());
        d.put("p_over_n", run.pOverN());
        d.put("loss", w.winner().testLoss());
        d.put("best_below_param_count", w.bestBelow().paramCount());
        d.put("best_below_loss", w.bestBelow().testLoss());
        d.put("threshold_param_count", w.threshold().paramCount());
        d.put("margin", settings.overparameterizedMargin());
        d.put("loss_measure", lossMeasure(w.winner()));
        return alert(AlertType.OVERPARAMETERIZED_WINS, run, d, "over-parameterized model wins: "
                + w.winner().paramCount() + " parameters reach test loss " + RunDetector.num(w.winner().testLoss())
                + ", below the best under-parameterized model (" + w.bestBelow().paramCount() + ": "
                + RunDetector.num(w.bestBelow().testLoss()) + "); test loss = " + lossMeasure(w.winner()), trigger);
    }

    private static Alert alert(AlertType type, RunSummary landmark, Map<String, Object> details, String what,
                               RunSummary trigger) {
        return Alert.create(type, landmark.runId(), landmark.sweepId(), landmark.epoch(), landmark.paramCount(),
                landmark.trainSize(), landmark.outputDim(), details, "sweep " + landmark.sweepId() + ": " + what,
                trigger.time());
    }
}
