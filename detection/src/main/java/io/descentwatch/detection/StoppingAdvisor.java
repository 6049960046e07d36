package io.descentwatch.detection;

import static io.descentwatch.events.AlertWording.num;

import io.descentwatch.events.Advice;
import io.descentwatch.events.Advice.Basis;
import io.descentwatch.events.Advice.Verdict;
import io.descentwatch.events.EpochEvent;
import java.util.Optional;

/**
 * Double-descent-aware stopping advice for one run, read from the same smoothed series and landmarks the run
 * detector decides on. Stateless and deterministic, like the detector.
 *
 * <p>The rule. A second descent is the fitting of slower features (Heckel and Yilmaz 2021; Pezeshki et al. 2022):
 * the test loss is a sum of bias and variance terms learned at several time scales, and a slower scale lowers the
 * train loss while it is being learned. So once the test loss has risen above its first minimum, a second descent is
 * possible while the train loss still falls, and no longer once it has stopped falling or fitted the training set
 * exactly, or, for a run that tells its planned last epoch, once too little of the run is left for one to turn
 * ({@link RiseAdvice}); once the test loss falls again, its pace says where it goes ({@link SecondDescentAdvice}).
 * A trainer that knows its own schedule can say when it stops changing what is fitted (tag {@code schedule_end}).
 * Until {@code --advice-schedule-settle} doublings after that epoch, every STOP read from the curve but divergence
 * is withheld (CONTINUE, basis {@code scheduled_change}): what the curve did before the change is of another
 * problem, and a run that had interpolated or converged before new data, a pruning step or a regulariser is told to
 * stop by readings the change makes stale (on the design runs, three of ten winners were told STOP within four
 * evaluations of a regulariser switched on late, with no settling time).
 * Before any rise, a run is only told to stop when both losses have stopped falling (it has converged). A STOP
 * needs its condition to hold for the detector's confirmation count of evaluations; a CONTINUE is given at once,
 * because stopping too early costs the second descent and continuing too long costs only epochs. Each advice
 * carries an estimate of the chance that going on beats the best so far ({@link AdviceChance}).
 */
public final class StoppingAdvisor {

    /**
     * The next state and, when it changed, the advice now in force; and, when an advice was given at this event,
     * what its chance was estimated from (null otherwise, and while warming up), for the benchmark that fits and
     * checks the estimate, and how far its sweep moved that chance, in log-odds (0 otherwise): the run's own chance
     * is what its sweep learns from once it has ended, not the chance as moved.
     */
    public record Step(AdviceState state, Optional<Advice> changed, double[] chanceFeatures, double sweepMove) {}

    private final AdviceSettings advice;
    private final DetectionSettings detection;

    private final RiseAdvice rise;
    private final SecondDescentAdvice secondDescent;

    public StoppingAdvisor(DetectionSettings detection) {
        this.detection = detection;
        this.advice = detection.advice();
        this.rise = new RiseAdvice(advice, doublings());
        this.secondDescent = new SecondDescentAdvice(advice, doublings());
    }

    /**
     * Advises on a run after its detector has taken {@code event} into {@code run}.
     *
     * @param before the advisor's state before the event ({@link AdviceState#START} for a new run)
     */
    public Step advise(AdviceState before, RunState run, EpochEvent event) {
        return advise(before, run, event, SweepChances.NONE);
    }

    /**
     * As {@link #advise(AdviceState, RunState, EpochEvent)}, the chance of an advice made anew moved by what {@code
     * sweepChances} says of the run's sweep (its ended runs' base rate).
     */
    public Step advise(AdviceState before, RunState run, EpochEvent event, SweepChances sweepChances) {
        long epoch = event.epoch();
        long bestEpoch = before.bestEpoch();
        double bestLoss = before.bestLoss();
        if (Double.isFinite(event.testLoss()) && !(event.testLoss() >= bestLoss)) {
            bestEpoch = epoch;
            bestLoss = event.testLoss();
        }
        double now = LogEpochs.of(Math.max(0, epoch));
        double span = advice.spanLogEpochs();
        // two spans back: the pace of a second descent is read from the last two spans (is it slowing down?)
        LevelHistory history =
                before.history().add(now, run.train().level(), run.test().level(), 2 * span);
        AdviceReading.Falls falls = history.reaches(now - span) && history.size() > 1
                ? new AdviceReading.Falls(
                        fall(history.trainAt(now - span), run.train().level()),
                        fall(history.testAt(now - span), run.test().level()))
                : null;
        boolean flatNow = falls != null && falls.train() <= advice.trainFall();
        long flatSince = flatNow ? (before.flatSince() >= 0 ? before.flatSince() : epoch) : -1;
        // flat for a whole span, not just at one look: slow learning often pauses on a plateau and picks up again
        boolean trainFlat = flatNow && now - LogEpochs.of(flatSince) >= span;

        AdviceClock clock = new AdviceClock(epoch, now, event.maxEpochs(), event.scheduleEnd());
        // what the verdict and the chance both read, once the span can be looked back over
        AdviceReading reading = falls == null
                ? null
                : new AdviceReading(
                        run,
                        falls,
                        new AdviceReading.Flatness(
                                trainFlat,
                                flatSince,
                                RunEvaluation.atInterpolation(
                                        run.train().level(),
                                        RunEvaluation.interpolationThreshold(detection, run.firstTrainLoss()))),
                        new AdviceReading.Best(bestEpoch, bestLoss),
                        clock,
                        history,
                        sweepChances);
        long keepEpoch = bestEpoch;
        AdviceJudgement j;
        if (run.diverged()) {
            j = AdviceJudgement.stop(
                    Basis.DIVERGED, () -> "the run has diverged: keep the checkpoint of epoch " + keepEpoch);
        } else if (reading == null || run.test().count() < detection.medianWindow() || run.minimum() == null) {
            j = AdviceJudgement.go(
                    Basis.WARMING_UP,
                    () -> "too early to judge: the advice looks back over the last " + doublings()
                            + " of epochs and needs " + detection.medianWindow() + " evaluations ("
                            + run.test().count() + " so far)");
        } else {
            j = judge(reading);
            if (j.verdict() == Verdict.STOP
                    && j.basis() != Basis.DIVERGED
                    && clock.scheduleUnsettled(advice.scheduleSettleLogEpochs())) {
                j = scheduled(j, clock);
            }
        }
        int held = j.verdict() == Verdict.STOP ? before.held() + 1 : 0;
        Advice current = before.current();
        boolean confirmed = j.verdict() == Verdict.CONTINUE
                || held >= detection.confirmEvaluations()
                || run.diverged()
                || event.isFinal();
        // Only a new verdict or basis is news for the advice topic. The advice in force (what the run summary
        // shows) is refreshed with today's figures once per advice span, and at once when a STOP's checkpoint
        // moves: writing the reason out on every event would cost more than the detection itself.
        Advice next = current;
        double[] features = null;
        double sweepMove = 0;
        if (confirmed
                && (current == null
                        || current.verdict() != j.verdict()
                        || current.basis() != j.basis()
                        || (current.stop() && current.bestEpoch() != bestEpoch)
                        || now - LogEpochs.of(current.epoch()) >= span
                        || event.isFinal())) {
            // the chance is estimated only for an advice that goes out: most events change nothing
            features = reading == null ? null : AdviceChance.features(reading, span, j.verdict() == Verdict.STOP);
            Double chance = null;
            if (run.diverged()) {
                chance = 0.0;
            } else if (features != null) {
                double own = AdviceChance.estimate(features);
                ChanceMove move = sweepChances.move(run.sweepId());
                chance = move.apply(own);
                sweepMove = move.logOddsFrom(own);
            }
            next = new Advice(
                    run.runId(),
                    run.sweepId(),
                    epoch,
                    j.verdict(),
                    j.basis(),
                    chance,
                    j.reason(),
                    bestEpoch,
                    bestLoss,
                    event.time());
        }
        Optional<Advice> changed = next != null && next.differsFrom(current) ? Optional.of(next) : Optional.empty();
        return new Step(
                new AdviceState(bestEpoch, bestLoss, history, flatSince, held, next), changed, features, sweepMove);
    }

    private AdviceJudgement judge(AdviceReading r) {
        RunState run = r.run();
        double level = run.test().level();
        Landmark first = run.minimum();
        return switch (run.phase()) {
            case DESCENDING -> {
                // the fit has ended only when the train loss is flat or at the floor, as the rise reads it: a training
                // set classified without error while the train loss still falls is still being reshaped (grokking)
                if (!r.stillFitting() && r.falls().test() <= advice.testFall() && started(run)) {
                    yield AdviceJudgement.stop(
                            Basis.CONVERGED,
                            () -> "training has converged: " + r.fitEnded() + " and test loss flat at " + num(level)
                                    + ": " + r.keep());
                }
                Optional<AdviceJudgement> late = rise.beforeTheRise(r);
                if (late.isPresent()) {
                    yield late.get();
                }
                yield AdviceJudgement.go(
                        Basis.FIRST_DESCENT,
                        () -> "test loss " + num(level) + " has not risen above its minimum " + num(first.loss())
                                + " (epoch " + first.epoch() + ")");
            }
            case RISING -> rise.judge(r);
            case SECOND_DESCENT, BELOW_FIRST_MINIMUM -> secondDescent.judge(r);
            case DIVERGED -> AdviceJudgement.stop(Basis.DIVERGED, () -> "the run has diverged: " + r.keep());
        };
    }

    /**
     * A STOP read from the curve while the trainer's schedule still changes what is fitted, turned into CONTINUE:
     * the curve so far is of a problem that is about to change.
     */
    private static AdviceJudgement scheduled(AdviceJudgement withheld, AdviceClock clock) {
        return AdviceJudgement.go(
                Basis.SCHEDULED_CHANGE,
                () -> "the trainer's schedule changes what is fitted until epoch " + clock.scheduleEnd()
                        + ", and the curve so far does not say what comes after it; without the schedule: "
                        + withheld.reason());
    }

    /**
     * A second descent counts as beating the best so far when it goes this far under it: the 2% within which a
     * kept checkpoint counts as the best.
     */
    static final double WITHIN = 0.02;

    /** A train loss this much under its first value says the run has learned something. */
    static final double STARTED = 0.10;

    /**
     * Whether the run has started learning: its train loss is {@link #STARTED} under its first. A network that
     * starts slowly (small steps, a narrow first layer, scaled-down inputs) sits flat at its starting loss for a
     * while, train and test alike; flat there is not converged, and stopping keeps an untrained model (seen on
     * label-noise MLPs and CNNs of the digits, where 13 of 54 runs were told to stop at epoch 6 at ln 10).
     */
    static boolean started(RunState run) {
        double first = run.firstTrainLoss();
        return !Double.isFinite(first) || run.train().level() <= LossShares.lowered(first, STARTED);
    }

    private String doublings() {
        double d = advice.spanDoublings();
        return d == 1 ? "doubling" : num(d) + " doublings";
    }

    /** Relative fall from {@code then} to {@code now}; negative for a rise. */
    private static double fall(double then, double now) {
        if (!Double.isFinite(then) || !Double.isFinite(now) || then == 0) {
            return 0;
        }
        return (then - now) / Math.abs(then);
    }
}
