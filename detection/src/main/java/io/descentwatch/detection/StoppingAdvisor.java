package io.descentwatch.detection;

import static io.descentwatch.events.AlertWording.num;
import static io.descentwatch.events.AlertWording.percent;

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
 * train loss while it is being learned. So once the test loss has risen above its first minimum:
 * <ul>
 *   <li>while the smoothed train loss still falls by more than {@code --advice-train-fall} over the last
 *       {@code --advice-span} doublings of epochs and is above the interpolation threshold, a second descent is
 *       still possible: CONTINUE, even once every training example is classified right (train error zero): under
 *       weight decay such a network goes on reshaping the fit, and its test loss can fall long after (grokking; the
 *       twenty-eighth held-out round's modular arithmetic, all five of whose winners were told STOP there). Nothing
 *       seen during a rise tells a rise that turns from one that does not (measured on every family, see the
 *       README), so the advice waits for the turn;</li>
 *   <li>once it has stopped falling (for a whole span: slow learning pauses on plateaus) or reached the
 *       interpolation threshold (the training set fitted exactly), while the test loss has not come back, no second
 *       descent can come: STOP, and keep the checkpoint of the lowest test loss (the first minimum);</li>
 *   <li>once the test loss falls again, its pace says where it goes ({@link Pace}): while it falls by more than
 *       {@code --advice-test-fall} per span towards an end under the best so far, CONTINUE; once it slows down to
 *       end above the best, or stops falling above it, STOP; below the first minimum, STOP once it has levelled
 *       off and the train loss is flat ({@link SecondDescentAdvice}, which says why the pace is not used there).</li>
 * </ul>
 * While the test loss rises, a smoothed train loss that climbs back by more than {@code --advice-train-climb} over
 * the span overrides every STOP above: fitting never raises the train loss, so the training itself has changed
 * (weights pruned as the run goes, a regulariser ramped up, new data), and neither interpolation, a flat train loss
 * nor the budget's time to turn, all read from the curve so far, says what comes next (a pruned network's second
 * descent came within half a doubling of its turn). Over the presets and thirteen rounds it climbed so in a rise in
 * 15 of the 20 pruned runs and in 6 of the 945 others.
 * The climb shows only once the change is under way; a trainer that knows its own schedule can say so instead (tag
 * {@code schedule_end}, the last epoch at which it changes what is fitted). Until {@code --advice-schedule-settle}
 * doublings after that epoch, every STOP read from the curve but divergence is withheld (CONTINUE, basis
 * {@code scheduled_change}): what the curve did before the change is of another problem, and a run that had
 * interpolated or converged before new data, a pruning step or a regulariser is told to stop by readings the
 * change makes stale (on the design runs, three of ten winners were told STOP within four evaluations of a
 * regulariser switched on late, with no settling time).
 * A trainer that tells its planned last epoch (tag {@code max_epochs}) also learns when a second descent cannot
 * arrive in time: a test loss still rising (not falling) with fewer than {@code --advice-turn} doublings of epochs
 * left, or a slowing second descent whose pace passes the best only after the last epoch, is told to STOP. The
 * turn rests on when second descents that win turn, not on how long they take: of the independent trainers' 558,
 * 16 peaked with fewer than 1.75 doublings left, while from the peak to below the first minimum took them a median
 * of 1.83 doublings and a quarter of them under one (the first version's premise, 1.3 to 5.6 doublings on its
 * design runs, does not hold; {@code bench stopping --turn-premise}). Most winners it loses had peaked in time and
 * stood still or rose again until the clock ran down.
 * Without the tag the advice cannot know how long the run may go on, and waits out every rise while the train loss
 * falls. An earlier bound (a test loss further above its first minimum than the whole train loss cannot come back)
 * is gone: an independent trainer's second descents fell ten times as far as their train loss.
 * Before any rise, a run is only told to stop when both losses have stopped falling (it has converged). A STOP
 * needs its condition to hold for the detector's confirmation count of evaluations; a CONTINUE is given at once,
 * because stopping too early costs the second descent and continuing too long costs only epochs. Each advice
 * carries an estimate of the chance that going on beats the best so far ({@link AdviceChance}).
 */
public final class StoppingAdvisor {

    /**
     * The next state and, when it changed, the advice now in force; and, when an advice was given at this event,
     * what its chance was estimated from (null otherwise, and while warming up), for the benchmark that fits and
     * checks the estimate.
     */
    public record Step(AdviceState state, Optional<Advice> changed, double[] chanceFeatures) {}

    private final AdviceSettings advice;
    private final DetectionSettings detection;

    private final SecondDescentAdvice secondDescent;

    public StoppingAdvisor(DetectionSettings detection) {
        this.detection = detection;
        this.advice = detection.advice();
        this.secondDescent = new SecondDescentAdvice(advice, doublings());
    }

    /**
     * Advises on a run after its detector has taken {@code event} into {@code run}.
     *
     * @param before the advisor's state before the event ({@link AdviceState#START} for a new run)
     */
    public Step advise(AdviceState before, RunState run, EpochEvent event) {
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
        long keepEpoch = bestEpoch;
        AdviceJudgement j;
        if (run.diverged()) {
            j = AdviceJudgement.stop(
                    Basis.DIVERGED, () -> "the run has diverged: keep the checkpoint of epoch " + keepEpoch);
        } else if (falls == null || run.test().count() < detection.medianWindow() || run.minimum() == null) {
            j = AdviceJudgement.go(
                    Basis.WARMING_UP,
                    () -> "too early to judge: the advice looks back over the last " + doublings()
                            + " of epochs and needs " + detection.medianWindow() + " evaluations ("
                            + run.test().count() + " so far)");
        } else {
            j = judge(new AdviceReading(
                    run,
                    falls,
                    new AdviceReading.Flatness(
                            trainFlat,
                            flatSince,
                            run.train().level()
                                    <= RunEvaluation.interpolationThreshold(detection, run.firstTrainLoss())),
                    new AdviceReading.Best(bestEpoch, bestLoss),
                    clock,
                    history));
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
        if (confirmed
                && (current == null
                        || current.verdict() != j.verdict()
                        || current.basis() != j.basis()
                        || (current.stop() && current.bestEpoch() != bestEpoch)
                        || now - LogEpochs.of(current.epoch()) >= span
                        || event.isFinal())) {
            // the chance is estimated only for an advice that goes out: most events change nothing
            features = falls == null || run.minimum() == null || !Double.isFinite(bestLoss) || bestLoss <= 0
                    ? null
                    : AdviceChance.features(
                            run,
                            falls.train(),
                            falls.test(),
                            !trainFlat && !run.interpolated(),
                            Pace.of(history, now, span, run.test().level()),
                            bestLoss,
                            clock.doublingsLeft(),
                            j.verdict() == Verdict.STOP);
            Double chance = null;
            if (run.diverged()) {
                chance = 0.0;
            } else if (features != null) {
                chance = AdviceChance.estimate(features);
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
        return new Step(new AdviceState(bestEpoch, bestLoss, history, flatSince, held, next), changed, features);
    }

    private AdviceJudgement judge(AdviceReading r) {
        RunState run = r.run();
        double level = run.test().level();
        Landmark first = run.minimum();
        boolean learning = r.learning();
        return switch (run.phase()) {
            case DESCENDING -> {
                if (!learning && r.falls().test() <= advice.testFall() && started(run)) {
                    yield AdviceJudgement.stop(
                            Basis.CONVERGED,
                            () -> "training has converged: " + r.flat() + " and test loss flat at " + num(level) + ": "
                                    + r.keep());
                }
                yield AdviceJudgement.go(
                        Basis.FIRST_DESCENT,
                        () -> "test loss " + num(level) + " has not risen above its minimum " + num(first.loss())
                                + " (epoch " + first.epoch() + ")");
            }
            case RISING -> {
                AdviceClock clock = r.clock();
                boolean fitting = r.stillFitting();
                if (r.trainClimbing(advice.trainClimb())) {
                    yield AdviceJudgement.go(
                            Basis.SECOND_DESCENT_POSSIBLE,
                            () -> "a second descent is still possible: the " + r.trainClimbed(doublings())
                                    + ", so training itself has changed (pruned, regularised or new data)"
                                    + " and the curve so far does not bound what comes next");
                }
                if (fitting
                        && clock.doublingsLeft() < advice.turnDoublings()
                        && r.falls().test() <= advice.testFall()) {
                    yield AdviceJudgement.stop(
                            Basis.NO_SECOND_DESCENT,
                            () -> "no second descent can win before the planned epoch " + clock.maxEpochs()
                                    + ": test loss " + percent(LossShares.above(level, first.loss()))
                                    + " above its first minimum with " + num(clock.doublingsLeft())
                                    + " doublings of epochs left and not falling, where a second descent that wins"
                                    + " has nearly always turned with more than " + num(advice.turnDoublings())
                                    + " left: " + r.keep());
                }
                if (fitting || !started(run)) {
                    yield AdviceJudgement.go(
                            Basis.SECOND_DESCENT_POSSIBLE,
                            () -> fitting
                                    ? "a second descent is still possible: " + r.trainFell(doublings())
                                    : notStarted(run));
                }
                yield AdviceJudgement.stop(
                        Basis.NO_SECOND_DESCENT,
                        () -> "no second descent can come: " + r.fitEnded() + " and test loss "
                                + percent(LossShares.above(level, first.loss())) + " above its first minimum: "
                                + r.keep());
            }
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
    private static final double STARTED = 0.10;

    /**
     * Whether the run has started learning: its train loss is {@link #STARTED} under its first. A network that
     * starts slowly (small steps, a narrow first layer, scaled-down inputs) sits flat at its starting loss for a
     * while, train and test alike; flat there is not converged, and stopping keeps an untrained model (seen on
     * label-noise MLPs and CNNs of the digits, where 13 of 54 runs were told to stop at epoch 6 at ln 10).
     */
    private static boolean started(RunState run) {
        double first = run.firstTrainLoss();
        return !Double.isFinite(first) || run.train().level() <= LossShares.lowered(first, STARTED);
    }

    /**
     * Why a flat, unstarted run goes on. Said of the train loss as it stands, not as "not learned yet": a trainer
     * that selects or reweights its noisy training labels (co-teaching) can see its train loss climb back over its
     * first while its test loss falls 90%.
     */
    private static String notStarted(RunState run) {
        return "the train loss " + num(run.train().level()) + " is not " + percent(STARTED) + " under its first "
                + num(run.firstTrainLoss()) + ": it does not show the run learning, so a flat curve is no sign that"
                + " the fit is done";
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
