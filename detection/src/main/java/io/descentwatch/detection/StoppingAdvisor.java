package io.descentwatch.detection;

import io.descentwatch.events.Advice;
import io.descentwatch.events.Advice.Basis;
import io.descentwatch.events.Advice.Verdict;
import io.descentwatch.events.EpochEvent;

import java.util.Optional;
import java.util.function.Supplier;

import static io.descentwatch.events.AlertWording.num;
import static io.descentwatch.events.AlertWording.percent;

/**
 * Double-descent-aware stopping advice for one run, read from the same smoothed series and landmarks the run
 * detector decides on. Stateless and deterministic, like the detector.
 *
 * <p>The rule. A second descent is the fitting of slower features (Heckel and Yilmaz 2021; Pezeshki et al. 2022),
 * and fitting them lowers the train loss. So once the test loss has risen above its first minimum:
 * <ul>
 *   <li>while the smoothed train loss still falls by more than {@code --advice-train-fall} over the last
 *       {@code --advice-span} doublings of epochs (and has not interpolated), a second descent is still possible:
 *       CONTINUE;</li>
 *   <li>once it has stopped falling (for a whole span: slow learning pauses on plateaus) or reached
 *       interpolation, while the test loss has not come back, no second
 *       descent can come: STOP, and keep the checkpoint of the lowest test loss (the first minimum);</li>
 *   <li>while the test loss falls again by more than {@code --advice-test-fall} per span, CONTINUE; once a second
 *       descent below the first minimum has levelled off and the train loss is flat, STOP.</li>
 * </ul>
 * Whatever the train loss does, a test loss that has risen above its first minimum by more than the whole train
 * loss (times {@code --advice-reach}) cannot come back under it: STOP.
 * Before any rise, a run is only told to stop when both losses have stopped falling (it has converged). A STOP
 * needs its condition to hold for the detector's confirmation count of evaluations; a CONTINUE is given at once,
 * because stopping too early costs the second descent and continuing too long costs only epochs.
 */
public final class StoppingAdvisor {

    /** The next state and, when it changed, the advice now in force. */
    public record Step(AdviceState state, Optional<Advice> changed) {
    }

    private final AdviceSettings advice;
    private final DetectionSettings detection;

    public StoppingAdvisor(DetectionSettings detection) {
        this.detection = detection;
        this.advice = detection.advice();
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
        double now = Math.log1p(Math.max(0, epoch));
        double span = advice.spanLogEpochs();
        LevelHistory history = before.history().add(now, run.train().level(), run.test().level(), span);
        Falls falls = history.reaches(now - span) && history.size() > 1
                ? new Falls(fall(history.trainAt(now - span), run.train().level()),
                fall(history.testAt(now - span), run.test().level()))
                : null;
        boolean flatNow = falls != null && falls.train() <= advice.trainFall();
        long flatSince = flatNow ? (before.flatSince() >= 0 ? before.flatSince() : epoch) : -1;
        // flat for a whole span, not just at one look: slow learning often pauses on a plateau and picks up again
        boolean trainFlat = flatNow && now - Math.log1p(flatSince) >= span;

        Judgement j = judge(run, falls, trainFlat, flatSince, bestEpoch);
        int held = j.verdict() == Verdict.STOP ? before.held() + 1 : 0;
        Advice current = before.current();
        boolean confirmed = j.verdict() == Verdict.CONTINUE || held >= detection.confirmEvaluations()
                || run.diverged() || event.isFinal();
        // Only a new verdict or basis is news for the advice topic. The advice in force (what the run summary
        // shows) is refreshed with today's figures once per advice span, and at once when a STOP's checkpoint
        // moves: writing the reason out on every event would cost more than the detection itself.
        Advice next = current;
        if (confirmed && (current == null || current.verdict() != j.verdict() || current.basis() != j.basis()
                || (current.stop() && current.bestEpoch() != bestEpoch)
                || now - Math.log1p(current.epoch()) >= span || event.isFinal())) {
            next = new Advice(run.runId(), run.sweepId(), epoch, j.verdict(), j.basis(), j.reason(), bestEpoch,
                    bestLoss, event.time());
        }
        Optional<Advice> changed = next != null && next.differsFrom(current) ? Optional.of(next) : Optional.empty();
        return new Step(new AdviceState(bestEpoch, bestLoss, history, flatSince, held, next), changed);
    }

    private record Falls(double train, double test) {
    }

    /** A verdict and its reason, which is only written out when the advice is refreshed. */
    private record Judgement(Verdict verdict, Basis basis, Supplier<String> why) {
        static Judgement go(Basis basis, Supplier<String> why) {
            return new Judgement(Verdict.CONTINUE, basis, why);
        }

        static Judgement stop(Basis basis, Supplier<String> why) {
            return new Judgement(Verdict.STOP, basis, why);
        }

        String reason() {
            return why.get();
        }
    }

    private Judgement judge(RunState run, Falls falls, boolean trainFlat, long flatSince, long bestEpoch) {
        Supplier<String> keep = () -> "keep the checkpoint of epoch " + bestEpoch;
        if (run.diverged()) {
            return Judgement.stop(Basis.DIVERGED, () -> "the run has diverged: " + keep.get());
        }
        if (falls == null || run.test().count() < detection.medianWindow() || run.minimum() == null) {
            return Judgement.go(Basis.WARMING_UP, () -> "too early to judge: the advice looks back over the last "
                    + doublings() + " of epochs and needs " + detection.medianWindow() + " evaluations ("
                    + run.test().count() + " so far)");
        }
        double level = run.test().level();
        Landmark first = run.minimum();
        Supplier<String> trainFell = () -> "train loss fell " + percent(falls.train()) + " over the last "
                + doublings() + " of epochs";
        Supplier<String> flat = () -> run.interpolated()
                ? "train loss at interpolation since epoch " + run.interpolationEpoch()
                : "train loss flat since epoch " + flatSince;
        boolean learning = !trainFlat && !run.interpolated();
        switch (run.phase()) {
            case DESCENDING -> {
                if (!learning && falls.test() <= advice.testFall() && started(run)) {
                    return Judgement.stop(Basis.CONVERGED, () -> "training has converged: " + flat.get() + " and test loss "
                            + "flat at " + num(level) + ": " + keep.get());
                }
                return Judgement.go(Basis.FIRST_DESCENT, () -> "test loss " + num(level) + " has not risen above its "
                        + "minimum " + num(first.loss()) + " (epoch " + first.epoch() + ")");
            }
            case RISING -> {
                if (outOfReach(run)) {
                    return Judgement.stop(Basis.NO_SECOND_DESCENT, () -> outOfReachReason(run, keep.get()));
                }
                if (learning) {
                    return Judgement.go(Basis.SECOND_DESCENT_POSSIBLE, () -> "a second descent is still possible: "
                            + trainFell.get());
                }
                return Judgement.stop(Basis.NO_SECOND_DESCENT, () -> "no second descent can come: " + flat.get()
                        + " and test loss " + percent(level / first.loss() - 1) + " above its first minimum: " + keep.get());
            }
            case SECOND_DESCENT -> {
                if (outOfReach(run)) {
                    return Judgement.stop(Basis.NO_SECOND_DESCENT, () -> outOfReachReason(run, keep.get()));
                }
                if (falls.test() > advice.testFall()) {
                    Landmark peak = run.peak();
                    return Judgement.go(Basis.SECOND_DESCENT_RUNNING, () -> "the second descent is under way: test loss "
                            + num(level) + ", down " + percent(1 - level / peak.loss()) + " from its peak at epoch "
                            + peak.epoch() + ", " + percent(level / first.loss() - 1) + " above the first minimum");
                }
                if (learning) {
                    return Judgement.go(Basis.SECOND_DESCENT_POSSIBLE, () -> "the second descent has slowed, but it can "
                            + "still go on: " + trainFell.get());
                }
                return Judgement.stop(Basis.NO_SECOND_DESCENT, () -> "the second descent has levelled off "
                        + percent(level / first.loss() - 1) + " above the first minimum and " + flat.get() + ": " + keep.get());
            }
            case BELOW_FIRST_MINIMUM -> {
                if (falls.test() > advice.testFall()) {
                    return Judgement.go(Basis.SECOND_DESCENT_RUNNING, () -> "the second descent is below the first "
                            + "minimum and still falling: test loss fell " + percent(falls.test()) + " over the "
                            + "last " + doublings() + " of epochs");
                }
                if (learning) {
                    return Judgement.go(Basis.SECOND_DESCENT_RUNNING, () -> "the second descent is levelling off below "
                            + "the first minimum, but the " + trainFell.get());
                }
                return Judgement.stop(Basis.SECOND_DESCENT_LEVELLED, () -> "the second descent has levelled off "
                        + percent(1 - level / first.loss()) + " below the first minimum: " + keep.get());
            }
            default -> {
                return Judgement.stop(Basis.DIVERGED, () -> "the run has diverged: " + keep.get());
            }
        }
    }

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
        return !Double.isFinite(first) || run.train().level() <= (1 - STARTED) * first;
    }

    /**
     * Whether the test loss is further above its first minimum than the train loss could still give back. A
     * second descent lowers the test loss by learning signal the slow features carry, and learning it lowers the
     * train loss by about as much; the train loss cannot fall below zero, so a test loss that is more than
     * {@code --advice-reach} times the whole train loss above the first minimum cannot come back under it.
     */
    private boolean outOfReach(RunState run) {
        double excess = run.test().level() - run.minimum().loss();
        double train = run.train().level();
        return Double.isFinite(train) && excess > advice.reach() * Math.abs(train) && excess > detection.lossFloor();
    }

    private String outOfReachReason(RunState run, String keep) {
        Landmark first = run.minimum();
        return "no second descent can win: test loss " + num(run.test().level()) + " is "
                + num(run.test().level() - first.loss()) + " above its first minimum " + num(first.loss())
                + ", more than the whole train loss (" + num(run.train().level()) + ") a second descent could "
                + "still turn into test loss: " + keep;
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
