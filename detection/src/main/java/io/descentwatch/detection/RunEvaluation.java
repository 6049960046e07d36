package io.descentwatch.detection;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One event applied to one run's state ({@link RunDetector#step}): the working copy of the next state, and the
 * alerts it raises. The decisions are here; {@link RunAlertWording} assembles the alerts (details and wording).
 */
final class RunEvaluation {
    private final DetectionSettings settings;
    private final StoppingAdvisor advisor;
    private final RunSummaries summaries;
    private final RunState before;
    private final EpochEvent event;
    private final SweepChances sweepChances;
    private final List<Alert> alerts = new ArrayList<>();
    /**
     * The run's fired alert types: the state's own unmodifiable set until an alert fires here, then a copy. Most
     * events fire nothing, and copying the set on each of them cost a tenth of a detector step.
     */
    private Set<AlertType> fired;

    private RunPhase phase;
    private final SmoothedSeries test;
    private final SmoothedSeries train;
    private final double firstTrainLoss;
    private final double firstTestLoss;
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

    RunEvaluation(
            DetectionSettings settings,
            StoppingAdvisor advisor,
            RunSummaries summaries,
            RunState before,
            EpochEvent event,
            SweepChances sweepChances) {
        this.settings = settings;
        this.advisor = advisor;
        this.summaries = summaries;
        this.before = before;
        this.event = event;
        this.sweepChances = sweepChances;
        this.fired = before.fired();
        this.phase = before.phase();
        this.test = before.test().add(event.epoch(), event.testLoss(), settings);
        this.train = before.train().add(event.epoch(), event.trainLoss(), settings);
        this.firstTrainLoss = firstFinite(before.firstTrainLoss(), event.trainLoss());
        this.firstTestLoss = firstFinite(before.curve().firstTestLoss(), event.testLoss());
        RunCurve.Landmarks landmarks = before.curve().landmarks();
        this.minimum = landmarks.minimum();
        this.peak = landmarks.peak();
        this.low = landmarks.low();
        RunCurve.Streaks s = before.curve().streaks();
        this.held = s.held();
        this.heldSince = s.heldSince();
        this.fit = s.fit();
        this.fitStart = s.fitStart();
        this.diverge = s.diverge();
        this.interpolationEpoch = before.interpolationEpoch();
    }

    /** The first finite value of a loss: the one kept so far, or this event's if none was kept yet (NaN). */
    private static double firstFinite(double kept, double now) {
        return Double.isNaN(kept) && Double.isFinite(now) ? now : kept;
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
        // the facts as this event states them, as the detector always took them
        RunState next = new RunState(
                RunFacts.of(event),
                before.progress().after(event),
                new RunCurve(
                        phase,
                        test,
                        firstTestLoss,
                        new RunCurve.Landmarks(minimum, peak, low),
                        train,
                        firstTrainLoss,
                        new RunCurve.Streaks(held, heldSince, fit, fitStart, diverge),
                        interpolationEpoch),
                before.verdicts().withFired(fired));
        StoppingAdvisor.Step advised = advisor.advise(before.advice(), next, event, sweepChances);
        next = next.withAdvice(advised.state());
        LedgerState ledger = StopLedger.step(
                before.ledger(),
                event.epoch(),
                event.testLoss(),
                advised.state().current(),
                advised.sweepMove());
        next = next.withLedger(ledger);
        RunSummary summary = summaries.summarize(next, RunSummaries.plannedSweepRuns(event));
        if (RunSummaries.statusChanged(before.reported(), summary)) {
            return new RunStep(next.withReported(summary), alerts, Optional.of(summary), true, true, advised.changed());
        }
        if (summaries.lossMoved(before.reported(), summary)
                || advised.changed().isPresent()
                || StopLedger.aRuleStopped(before.ledger(), ledger)) {
            return new RunStep(
                    next.withReported(summary), alerts, Optional.of(summary), false, true, advised.changed());
        }
        return new RunStep(next, alerts, Optional.empty(), false, true);
    }

    /**
     * Diverging: a loss not finite, or the train loss over the divergence factor times its start while the test loss
     * is above its own start. The train loss alone misread games: the loss a GAN's critic reports is one player's
     * objective, which can grow tenfold from a start near zero while the held-out distance falls. In the independent
     * trainers' seventy-two rounds, 17 runs' train loss passed ten times its start with finite losses: the 5 whose test
     * loss was still below its start (all of `wgan-gp-digits`) each went on to a better test loss, by 15% to 43%; of
     * the 12 whose test loss was above its start (1.3 to 550 times it), 11 never came back, and one (a step that
     * decays as 1/t) did from 73 times its start. A state stored before format 8 has no first test loss: its run takes
     * the test loss of its first evaluation after the upgrade as its start (a run that diverges later rises past that
     * too).
     */
    private void checkDivergence() {
        boolean exploding = Double.isFinite(firstTrainLoss)
                && Double.isFinite(event.trainLoss())
                && event.trainLoss() > settings.divergenceFactor() * Math.abs(firstTrainLoss)
                && (Double.isNaN(firstTestLoss) || event.testLoss() > firstTestLoss);
        boolean diverging = !Double.isFinite(event.testLoss()) || !Double.isFinite(event.trainLoss()) || exploding;
        diverge = diverging ? diverge + 1 : 0;
        // A final event cannot be followed by a confirmation, so a run that ends diverging has diverged.
        if (diverging && (diverge >= settings.confirmEvaluations() || event.isFinal())) {
            phase = RunPhase.DIVERGED;
            fire(RunAlertWording.diverged(
                    event,
                    new RunAlertWording.Divergence(firstTrainLoss, diverge, firstTestLoss),
                    settings.divergenceFactor()));
        }
    }

    private void checkInterpolation() {
        double threshold = interpolationThreshold(settings, firstTrainLoss);
        boolean fits = (event.trainError() != null && event.trainError() == 0.0)
                || atInterpolation(event.trainLoss(), threshold);
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
            String confirmedBy =
                    fit >= settings.confirmEvaluations() ? fit + " evaluations in a row" : "the run's final evaluation";
            fire(RunAlertWording.interpolationReached(
                    event, new RunAlertWording.Fit(fitStart, threshold, confirmedBy, firstTrainLoss), test));
        }
    }

    private void followTestLoss() {
        long epoch = event.epoch();
        double level = test.level();
        // Nothing is judged before the running median is full: until then there is no noise estimate either.
        if (test.count() < settings.medianWindow()) {
            return;
        }
        // an expression, which the compiler checks for every phase (a switch statement it does not)
        Runnable follow = switch (phase) {
            case DESCENDING ->
                () -> {
                    minimum = minimum == null ? Landmark.at(epoch, test) : minimum.lowest(epoch, test);
                    double threshold = threshold(settings.riseThreshold(), minimum);
                    if (confirmed(above(level, minimum.loss(), threshold))) {
                        phase = RunPhase.RISING;
                        held = 0;
                        peak = Landmark.at(epoch, test);
                        fire(AlertType.TEST_LOSS_RISING, threshold);
                    }
                };
            case RISING ->
                () -> {
                    peak = peak.highest(epoch, test);
                    double threshold = threshold(settings.fallThreshold(), peak);
                    if (confirmed(below(level, peak.loss(), threshold))) {
                        phase = RunPhase.SECOND_DESCENT;
                        held = 0;
                        low = Landmark.at(epoch, test);
                        fire(AlertType.SECOND_DESCENT, threshold);
                    }
                };
            case SECOND_DESCENT ->
                () -> {
                    low = low.lowest(epoch, test);
                    double threshold = threshold(settings.belowMargin(), minimum);
                    if (confirmed(below(level, minimum.loss(), threshold))) {
                        phase = RunPhase.BELOW_FIRST_MINIMUM;
                        held = 0;
                        fire(AlertType.BELOW_FIRST_MINIMUM, threshold);
                    }
                };
            case BELOW_FIRST_MINIMUM -> () -> low = low.lowest(epoch, test);
            case DIVERGED -> () -> {};
        };
        follow.run();
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
        return held >= settings.confirmEvaluations() || (held >= 2 && now - heldSince >= settings.smoothingSpan());
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

    /** A test-loss alert, on the landmarks as they stand now. */
    private void fire(AlertType type, double threshold) {
        fire(RunAlertWording.testLoss(
                type, event, new RunAlertWording.TestLossLandmarks(minimum, test, peak, threshold)));
    }

    /** An alert, unless its type has already fired for this run (each fires once per run). */
    private void fire(Alert alert) {
        if (fired.contains(alert.type())) {
            return;
        }
        if (fired == before.fired()) {
            fired = fired.isEmpty() ? EnumSet.noneOf(AlertType.class) : EnumSet.copyOf(fired);
        }
        fired.add(alert.type());
        alerts.add(alert);
    }

    /**
     * Whether a train loss shows the training set fitted: at or under the threshold, and not below zero. A loss that
     * goes below zero (the negative log-likelihood of a continuous density: a beta or a Gaussian regression's) has
     * no floor at zero, so nearing zero says nothing about the fit; the thirty-third held-out round's beta regression
     * was read as interpolated once its train loss turned negative, and all nine of its winning second descents were
     * told STOP there.
     */
    static boolean atInterpolation(double trainLoss, double threshold) {
        return trainLoss >= 0 && trainLoss <= threshold;
    }

    /** The train loss at or under which a run counts as fitting its training set. */
    static double interpolationThreshold(DetectionSettings settings, double firstTrainLoss) {
        double relative =
                Double.isFinite(firstTrainLoss) ? settings.interpolationFraction() * Math.abs(firstTrainLoss) : 0;
        return Math.max(settings.interpolationLoss(), relative);
    }
}
