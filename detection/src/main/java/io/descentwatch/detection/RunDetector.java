package io.descentwatch.detection;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Run-scope detection: feeds one epoch event into a run's state and says which alerts it raises. Stateless and
 * deterministic (alert times are event times), so a replay or a restarted Kafka task reaches the same decisions.
 *
 * <p>Decisions are taken on the smoothed test loss ({@link SmoothedSeries}): a change counts only when it is larger
 * than a relative threshold, larger than what the run's own noise explains, larger than an absolute floor, and has
 * held for several evaluations in a row.
 */
public final class RunDetector {

    private final DetectionSettings settings;
    private final StoppingAdvisor advisor;

    public RunDetector(DetectionSettings settings) {
        this.settings = settings;
        this.advisor = new StoppingAdvisor(settings);
    }

    public RunDetector() {
        this(DetectionSettings.defaults());
    }

    public DetectionSettings settings() {
        return settings;
    }

    public RunStep step(RunState previousOrNull, EpochEvent event) {
        if (previousOrNull != null && event.epoch() <= previousOrNull.lastEpoch()) {
            return new RunStep(previousOrNull.withIgnored(), List.of(), Optional.empty(), false, false);
        }
        RunState before = previousOrNull != null ? previousOrNull : RunState.start(event);
        return new Evaluation(before, event).run();
    }

    /**
     * The run went quiet: nothing arrived for the idle timeout (live) or its input ended (offline). It now counts as
     * ended for sweep decisions, as if it had said {@code final}, and its last evaluation is final for its
     * interpolation verdict: a train loss under the criterion that there was no later evaluation to confirm still
     * counts. A run already quiet is left as it is; its next event brings it back.
     */
    public RunStep idle(RunState s) {
        if (s.idle()) {
            return new RunStep(s, List.of(), Optional.empty(), false, false);
        }
        List<Alert> alerts = new ArrayList<>();
        long interpolationEpoch = s.interpolationEpoch();
        if (!s.interpolated() && !s.diverged() && s.streaks().fit() > 0) {
            interpolationEpoch = s.streaks().fitStart();
            if (!s.hasFired(AlertType.INTERPOLATION_REACHED)) {
                double trainLoss = s.train().filtered(1);
                double threshold = interpolationThreshold(s.firstTrainLoss());
                alerts.add(interpolationAlert(s.runId(), s.sweepId(), s.paramCount(), s.trainSize(), s.outputDim(),
                        s.lastEpoch(), s.lastTime(), interpolationEpoch, trainLoss, s.firstTrainLoss(), threshold,
                        null, s.test().level(), "the run's last evaluation"));
            }
        }
        Set<AlertType> fired = s.fired().isEmpty() ? EnumSet.noneOf(AlertType.class) : EnumSet.copyOf(s.fired());
        alerts.forEach(a -> fired.add(a.type()));
        RunState quiet = new RunState(s.runId(), s.sweepId(), s.paramCount(), s.trainSize(), s.outputDim(),
                s.lastEpoch(), s.lastTime(), s.acceptedEvents(), s.ignoredEvents(), s.phase(), s.test(), s.train(),
                s.firstTrainLoss(), s.minimum(), s.peak(), s.low(), s.streaks(), interpolationEpoch, s.finished(),
                true, fired, s.reported(), s.advice());
        int sweepRuns = s.reported() != null ? s.reported().sweepRuns() : 0;
        RunSummary summary = summarize(quiet, sweepRuns);
        return new RunStep(quiet.withReported(summary), alerts, Optional.of(summary), true, true);
    }

    private double interpolationThreshold(double firstTrainLoss) {
        double relative = Double.isFinite(firstTrainLoss) ? settings.interpolationFraction() * Math.abs(firstTrainLoss)
                : 0;
        return Math.max(settings.interpolationLoss(), relative);
    }

    /** INTERPOLATION_REACHED; {@code confirmedBy} says what settled it (later evaluations, or the last one). */
    private static Alert interpolationAlert(String runId, String sweepId, long paramCount, long trainSize,
                                            int outputDim, long epoch, Instant time, long fitStart,
                                            double trainLoss, double firstTrainLoss, double threshold,
                                            Double trainError, double testLoss, String confirmedBy) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("interpolation_epoch", fitStart);
        d.put("train_loss", trainLoss);
        d.put("first_train_loss", firstTrainLoss);
        d.put("threshold", threshold);
        if (trainError != null) {
            d.put("train_error", trainError);
        }
        d.put("test_loss", testLoss);
        d.put("confirmed_by", confirmedBy);
        double pOverN = (double) paramCount / ((double) trainSize * outputDim);
        return Alert.create(AlertType.INTERPOLATION_REACHED, runId, sweepId, epoch, paramCount, trainSize, outputDim,
                d, "run " + runId + ": reached interpolation: train loss " + num(trainLoss) + " at epoch " + epoch
                        + " (under " + num(threshold) + " since epoch " + fitStart + ", confirmed by " + confirmedBy
                        + "), p/n = " + num(pOverN), time);
    }

    /** One event applied to one state: the working copy of the next state, and the alerts it raises. */
    private final class Evaluation {
        private final RunState before;
        private final EpochEvent event;
        private final List<Alert> alerts = new ArrayList<>();
        private final Set<AlertType> fired;
        private RunPhase phase;
        private final SmoothedSeries test;
        private final SmoothedSeries train;
        private final double firstTrainLoss;
        private Landmark minimum;
        private Landmark peak;
        private Landmark low;
        /** Consecutive evaluations for which the current phase's exit condition held, and since when. */
        private int held;
        private double heldSince;
        private int fit;
        private long fitStart;
        private int diverge;
        private long interpolationEpoch;

        Evaluation(RunState before, EpochEvent event) {
            this.before = before;
            this.event = event;
            this.fired = before.fired().isEmpty() ? EnumSet.noneOf(AlertType.class) : EnumSet.copyOf(before.fired());
            this.phase = before.phase();
            this.test = before.test().add(event.epoch(), event.testLoss(), settings);
            this.train = before.train().add(event.epoch(), event.trainLoss(), settings);
            this.firstTrainLoss = Double.isNaN(before.firstTrainLoss()) && Double.isFinite(event.trainLoss())
                    ? event.trainLoss() : before.firstTrainLoss();
            this.minimum = before.minimum();
            this.peak = before.peak();
            this.low = before.low();
            RunState.Streaks s = before.streaks();
            this.held = s.held();
            this.heldSince = s.heldSince();
            this.fit = s.fit();
            this.fitStart = s.fitStart();
            this.diverge = s.diverge();
            this.interpolationEpoch = before.interpolationEpoch();
        }

        RunStep run() {
            if (phase != RunPhase.DIVERGED) {
                checkDivergence();
            }
            if (phase != RunPhase.DIVERGED) {
                checkInterpolation();
                if (Double.isFinite(event.testLoss())) {
                    followTestLoss();
                }
            }
            RunState next = new RunState(event.runId(), event.sweepId(), event.paramCount(), event.trainSize(),
                    event.outputDim(), event.epoch(), event.time(), before.acceptedEvents() + 1,
                    before.ignoredEvents(), phase, test, train, firstTrainLoss, minimum, peak, low,
                    new RunState.Streaks(held, heldSince, fit, fitStart, diverge), interpolationEpoch,
                    before.finished() || event.isFinal(), false, fired, before.reported(), before.advice());
            StoppingAdvisor.Step advised = advisor.advise(before.advice(), next, event);
            next = next.withAdvice(advised.state());
            RunSummary summary = summarize(next, plannedSweepRuns(event));
            if (statusChanged(before.reported(), summary)) {
                return new RunStep(next.withReported(summary), alerts, Optional.of(summary), true, true,
                        advised.changed());
            }
            if (lossMoved(before.reported(), summary) || advised.changed().isPresent()) {
                return new RunStep(next.withReported(summary), alerts, Optional.of(summary), false, true,
                        advised.changed());
            }
            return new RunStep(next, alerts, Optional.empty(), false, true);
        }

        private void checkDivergence() {
            boolean exploding = Double.isFinite(firstTrainLoss) && Double.isFinite(event.trainLoss())
                    && event.trainLoss() > settings.divergenceFactor() * Math.abs(firstTrainLoss);
            boolean diverging = !Double.isFinite(event.testLoss()) || !Double.isFinite(event.trainLoss()) || exploding;
            diverge = diverging ? diverge + 1 : 0;
            // A final event cannot be followed by a confirmation, so a run that ends diverging has diverged.
            if (diverging && (diverge >= settings.confirmEvaluations() || event.isFinal())) {
                phase = RunPhase.DIVERGED;
                Map<String, Object> d = details();
                d.put("train_loss", event.trainLoss());
                d.put("test_loss", event.testLoss());
                d.put("first_train_loss", firstTrainLoss);
                d.put("divergence_factor", settings.divergenceFactor());
                d.put("evaluations", (long) diverge);
                String why = exploding && Double.isFinite(event.testLoss())
                        ? "train loss " + num(event.trainLoss()) + " is over "
                        + num(settings.divergenceFactor()) + "x its start " + num(firstTrainLoss)
                        : "losses are not finite (train " + num(event.trainLoss()) + ", test "
                        + num(event.testLoss()) + ")";
                fire(AlertType.DIVERGED, d, "diverged at epoch " + event.epoch() + ": " + why);
            }
        }

        private void checkInterpolation() {
            double threshold = interpolationThreshold(firstTrainLoss);
            boolean fits = (event.trainError() != null && event.trainError() == 0.0)
                    || (Double.isFinite(event.trainLoss()) && event.trainLoss() <= threshold);
            if (!fits) {
                fit = 0;
                fitStart = -1;
                return;
            }
            if (fit == 0) {
                fitStart = event.epoch();
            }
            fit++;
            // a final event has no later evaluation to confirm it: the last one is final for the verdict
            boolean confirmed = fit >= settings.confirmEvaluations() || event.isFinal();
            if (interpolationEpoch < 0 && confirmed) {
                interpolationEpoch = fitStart;
                if (fired.add(AlertType.INTERPOLATION_REACHED)) {
                    alerts.add(interpolationAlert(event.runId(), event.sweepId(), event.paramCount(),
                            event.trainSize(), event.outputDim(), event.epoch(), event.time(), fitStart,
                            event.trainLoss(), firstTrainLoss, threshold, event.trainError(), test.level(),
                            fit >= settings.confirmEvaluations() ? fit + " evaluations in a row"
                                    : "the run's final evaluation"));
                }
            }
        }

        private void followTestLoss() {
            long epoch = event.epoch();
            double level = test.level();
            // Nothing is judged before the running median is full: until then there is no noise estimate either.
            if (test.count() < settings.medianWindow()) {
                return;
            }
            switch (phase) {
                case DESCENDING -> {
                    minimum = minimum == null ? Landmark.at(epoch, test) : minimum.lowest(epoch, test);
                    double threshold = threshold(settings.riseThreshold(), minimum);
                    if (confirmed(above(level, minimum.loss(), threshold))) {
                        phase = RunPhase.RISING;
                        held = 0;
                        peak = Landmark.at(epoch, test);
                        Map<String, Object> d = landmarks(level, threshold);
                        fire(AlertType.TEST_LOSS_RISING, d, "test loss rising: " + num(level) + " at epoch " + epoch
                                + ", up " + percent(level / minimum.loss() - 1) + " from its minimum "
                                + num(minimum.loss()) + " at epoch " + minimum.epoch()
                                + " (early stopping would stop here)");
                    }
                }
                case RISING -> {
                    peak = peak.highest(epoch, test);
                    double threshold = threshold(settings.fallThreshold(), peak);
                    if (confirmed(below(level, peak.loss(), threshold))) {
                        phase = RunPhase.SECOND_DESCENT;
                        held = 0;
                        low = Landmark.at(epoch, test);
                        fire(AlertType.SECOND_DESCENT, landmarks(level, threshold), "second descent: test loss "
                                + num(level) + " at epoch " + epoch + ", down from peak " + num(peak.loss())
                                + " at epoch " + peak.epoch());
                    }
                }
                case SECOND_DESCENT -> {
                    low = low.lowest(epoch, test);
                    double threshold = threshold(settings.belowMargin(), minimum);
                    if (confirmed(below(level, minimum.loss(), threshold))) {
                        phase = RunPhase.BELOW_FIRST_MINIMUM;
                        held = 0;
                        fire(AlertType.BELOW_FIRST_MINIMUM, landmarks(level, threshold), "below first minimum: "
                                + "test loss " + num(level) + " at epoch " + epoch + ", under the first minimum "
                                + num(minimum.loss()) + " at epoch " + minimum.epoch() + " (keep training)");
                    }
                }
                case BELOW_FIRST_MINIMUM -> low = low.lowest(epoch, test);
                case DIVERGED -> {
                }
            }
        }

        /**
         * Whether a phase's exit condition, holding now or not, has held long enough: for the confirmation count of
         * evaluations, or for at least two evaluations spanning a smoothing span of log-epochs (on a sparse grid
         * each evaluation is nearly independent of the last, and waiting for more would cost doublings).
         */
        private boolean confirmed(boolean holds) {
            if (!holds) {
                held = 0;
                return false;
            }
            double now = test.lastLogEpoch();
            if (held == 0) {
                heldSince = now;
            }
            held++;
            return held >= settings.confirmEvaluations()
                    || (held >= 2 && now - heldSince >= settings.smoothingSpan());
        }

        /**
         * The relative change that counts: the base threshold, or what noise could produce between the reference
         * landmark (as uncertain as the smoothed value was when it was set) and the current smoothed value,
         * whichever is larger.
         */
        private double threshold(double base, Landmark reference) {
            return Math.max(base, settings.noiseSigmas() * test.relativeSigma(reference.varianceWeight()));
        }

        private boolean above(double value, double reference, double relative) {
            double change = value - reference;
            return change > relative * Math.abs(reference) && change > settings.lossFloor();
        }

        private boolean below(double value, double reference, double relative) {
            double change = reference - value;
            return change > relative * Math.abs(reference) && change > settings.lossFloor();
        }

        private Map<String, Object> landmarks(double level, double threshold) {
            Map<String, Object> d = details();
            d.put("first_min_epoch", minimum.epoch());
            d.put("first_min_loss", minimum.loss());
            if (peak != null) {
                d.put("peak_epoch", peak.epoch());
                d.put("peak_loss", peak.loss());
            }
            d.put("loss", level);
            d.put("raw_loss", event.testLoss());
            d.put("threshold", threshold);
            d.put("noise", test.noise());
            return d;
        }

        private Map<String, Object> details() {
            return new LinkedHashMap<>();
        }

        private void fire(AlertType type, Map<String, Object> details, String what) {
            if (!fired.add(type)) {
                return;
            }
            alerts.add(Alert.create(type, event.runId(), event.sweepId(), event.epoch(), event.paramCount(),
                    event.trainSize(), event.outputDim(), details, "run " + event.runId() + ": " + what,
                    event.time()));
        }
    }

    /**
     * The run's summary. Its test loss is the smoothed level while the run trains, and once it has ended (said
     * final, or went quiet) the running median of its last evaluations: what a model-wise curve plots is where
     * training ended, and near the interpolation threshold the test loss is often still rising then, which the
     * smoothing's lag would understate (so the peak would move to a size whose loss had levelled off).
     */
    private RunSummary summarize(RunState s, int sweepRuns) {
        double testLoss = s.finished() || s.idle() ? s.test().filtered(settings.medianWindow()) : s.test().level();
        return new RunSummary(s.runId(), s.sweepId(), s.paramCount(), s.trainSize(), s.outputDim(), s.lastEpoch(),
                s.lastTime(), testLoss, s.train().filtered(settings.medianWindow()), s.interpolated(),
                s.interpolationEpoch(), s.finished(), s.diverged(), s.phase(), sweepRuns, s.idle(),
                s.advice().current());
    }

    /** The planned run count of the event's sweep, from its {@code sweep_runs} tag; 0 when absent or unreadable. */
    static int plannedSweepRuns(EpochEvent event) {
        String value = event.tags().get(EpochEvent.SWEEP_RUNS_TAG);
        if (value == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** News the sweep detector decides on. */
    private static boolean statusChanged(RunSummary last, RunSummary now) {
        return last == null || last.phase() != now.phase() || last.interpolated() != now.interpolated()
                || last.finished() != now.finished() || last.diverged() != now.diverged()
                || last.idle() != now.idle();
    }

    /** The published picture follows the test loss once it has moved by the summary step. */
    private boolean lossMoved(RunSummary last, RunSummary now) {
        if (Double.isNaN(last.testLoss())) {
            return !Double.isNaN(now.testLoss());
        }
        return Math.abs(now.testLoss() - last.testLoss()) > settings.summaryStep() * Math.abs(last.testLoss());
    }

    static String num(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * fraction);
    }
}
