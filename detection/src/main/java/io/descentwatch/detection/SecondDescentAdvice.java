package io.descentwatch.detection;

import static io.descentwatch.events.AlertWording.num;
import static io.descentwatch.events.AlertWording.percent;

import io.descentwatch.events.Advice.Basis;

/**
 * The stopping advice once the test loss falls again after its bump: above the first minimum (phase
 * SECOND_DESCENT) its pace says where it goes; below it (BELOW_FIRST_MINIMUM) it is followed for as long as it falls.
 *
 * <p>Why not the pace below the first minimum too. A second descent that passes the first minimum by less than 2%
 * and then slows down is followed for up to a doubling of epochs after it has levelled off, because its fall over
 * the span still counts the descent of a doubling ago (two runs of the third held-out round, {@code glm-poisson},
 * to their last epoch). Judged by its pace, as above the first minimum, that family's median share of epochs where
 * nothing better comes fell from 58% to 49%, but 16 more of the 115 winning second descents of the PyTorch families
 * were stopped with a model more than 2% worse than the run's best (ridge-rf 4 of 12, sgd-two-scale 4 of 14,
 * two-scale-linear 4 of 15, deep-linear 2 of 10, random-features and real-data 1 each; measured with {@code bench
 * stopping --by-family --announce-budget} on every curve): far under the first minimum a second descent is a long
 * tail, and one that seems to slow down between two spans goes on further than the geometric series of {@link Pace}
 * says. Above the first minimum the same projection keeps them. Two narrower variants (only the budget, by the pace's
 * time to pass; waiting out a pause only with two doublings left) lost the same winners: below the first minimum
 * they fall about 1% a doubling for several doublings, flat by the threshold and still worth more than 2%
 * (docs/benchmarks.md).
 */
final class SecondDescentAdvice {

    /**
     * How far past the planned last epoch the pace of a slowing second descent must put its pass of the best before
     * the budget stops it, as a multiple of that epoch: a doubling. The pace's time to pass is no bound: second
     * descents that seemed to slow down between two spans sped up again as a slower feature was picked up (on the
     * fifty-six rounds, of the 77 runs told that they could not pass before the planned epoch, 8 went on to pass the
     * best by 2%, 10%; told so only with a doubling past it, 38 runs were, and none of them passed).
     */
    static final double PACE_SLACK = 2;

    /**
     * How far above the best a slowing second descent's projected end must be before it is told STOP: the projection
     * extrapolates two spans, and an end projected within this of the best is within its error (on the fifty-six
     * rounds, of the 98 runs told that their descent was slowing down to end above the best, 7 went on to pass it by
     * 2%; with the slack, 5 of 99).
     */
    static final double PROJECTION_SLACK = 0.03;

    private final AdviceSettings advice;
    private final String span;

    /** @param span the advice span in words ("doubling"), as reasons name it */
    SecondDescentAdvice(AdviceSettings advice, String span) {
        this.advice = advice;
        this.span = span;
    }

    AdviceJudgement judge(AdviceReading r) {
        return r.run().phase() == RunPhase.BELOW_FIRST_MINIMUM ? belowFirstMinimum(r) : aboveFirstMinimum(r);
    }

    /**
     * While it falls by more than {@code --advice-test-fall} per span towards an end under the best so far, or within
     * {@link #PROJECTION_SLACK} above it, CONTINUE, unless its pace passes the best only more than a doubling after the
     * run's planned end ({@link #PACE_SLACK}); once it slows down to end further above the best, STOP; a pause while
     * the train loss still falls (deep networks learn one scale after another, with plateaus between) is waited out
     * unless the planned end is too near; otherwise STOP.
     */
    private AdviceJudgement aboveFirstMinimum(AdviceReading r) {
        RunState run = r.run();
        double level = run.test().level();
        double now = r.clock().logEpoch();
        double bestLoss = r.best().loss();
        Pace pace = Pace.of(r.history(), now, advice.spanLogEpochs(), run);
        double ends = pace.ends();
        double target = LossShares.lowered(bestLoss, StoppingAdvisor.WITHIN);
        boolean falling = r.falls().test() > advice.testFall();
        // where the projection may end and still be followed: a second descent is not stopped for a projected end
        // within the projection's own error of the best
        boolean endsNearTheBest = ends < target || ends <= bestLoss + PROJECTION_SLACK * Math.abs(bestLoss);
        // when it would pass the target if it kept its last span's pace: a descent that is slowing down takes longer
        // still, so past the planned end it cannot make it; one that is speeding up (as it does just after its peak)
        // may, so it is not judged on its pace yet
        long passes = pace.slowing()
                ? (long) Math.min(
                        Long.MAX_VALUE, Math.expm1(now + advice.spanLogEpochs() * (level - target) / pace.last()))
                : -1;
        if (falling
                && ends < target
                && r.clock().budgeted()
                && passes > PACE_SLACK * r.clock().maxEpochs()) {
            return AdviceJudgement.stop(
                    Basis.NO_SECOND_DESCENT,
                    () -> "the second descent cannot pass the best test loss " + num(bestLoss)
                            + " before the planned epoch " + r.clock().maxEpochs()
                            + ": at its pace it would near epoch "
                            + passes + ", more than a doubling later: " + r.keep());
        }
        if (falling && endsNearTheBest) {
            Landmark peak = run.peak();
            return AdviceJudgement.go(
                    Basis.SECOND_DESCENT_RUNNING,
                    () -> "the second descent is under way: test loss " + num(level) + ", down "
                            + percent(LossShares.below(level, peak.loss())) + " from its peak at epoch " + peak.epoch()
                            + ", "
                            + percent(LossShares.above(level, run.minimum().loss())) + " above the first minimum"
                            + (Double.isFinite(ends) ? "; at its pace it ends near " + num(ends) : ""));
        }
        if (falling) {
            return AdviceJudgement.stop(
                    Basis.NO_SECOND_DESCENT,
                    () -> "the second descent is slowing down to end near " + num(ends)
                            + ", not under the best test loss " + num(bestLoss) + ": " + r.keep());
        }
        // as in a rise, nothing says whether a pause ends while the fit goes on, unless the planned end is too near
        if (r.stillFitting() && r.clock().doublingsLeft() >= advice.turnDoublings()) {
            return AdviceJudgement.go(
                    Basis.SECOND_DESCENT_POSSIBLE,
                    () -> "the second descent has paused, but it can go on: " + r.trainFell(span));
        }
        return AdviceJudgement.stop(
                Basis.NO_SECOND_DESCENT,
                () -> "the second descent has stopped falling "
                        + percent(LossShares.above(level, run.minimum().loss())) + " above the first minimum"
                        + (r.stillFitting() ? "" : " and " + r.fitEnded()) + ": " + r.keep());
    }

    /** CONTINUE while it falls, or while the train loss still falls; STOP once both have levelled off. */
    private AdviceJudgement belowFirstMinimum(AdviceReading r) {
        if (r.falls().test() > advice.testFall()) {
            return AdviceJudgement.go(
                    Basis.SECOND_DESCENT_RUNNING,
                    () -> "the second descent is below the first minimum and still falling: test loss fell "
                            + percent(r.falls().test()) + " over the last " + span + " of epochs");
        }
        // a training set classified without error is no end of the fit: under weight decay the train loss falls on
        // and the test loss with it, after a pause (grokking's later steps; the converged STOP reads it so too)
        if (r.stillFitting()) {
            return AdviceJudgement.go(
                    Basis.SECOND_DESCENT_RUNNING,
                    () -> "the second descent is levelling off below the first minimum, but the " + r.trainFell(span));
        }
        double level = r.run().test().level();
        return AdviceJudgement.stop(
                Basis.SECOND_DESCENT_LEVELLED,
                () -> "the second descent has levelled off "
                        + percent(LossShares.below(level, r.run().minimum().loss())) + " below the first minimum: "
                        + r.keep());
    }
}
