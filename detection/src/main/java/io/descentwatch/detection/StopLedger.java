package io.descentwatch.detection;

import io.descentwatch.events.Advice;

/**
 * Keeps a run's {@link LedgerState} up to date, one evaluation at a time: the patience rules count evaluations
 * without a new best ({@link Patience}), the advice stops at its first STOP in force, and every rule keeps the
 * lowest test loss up to its stop. The run itself goes on after a rule stops (the advice is advice), so the ledger
 * can say what each rule would have missed. Stateless; the topology and {@code detect} share it.
 */
public final class StopLedger {

    private StopLedger() {}

    /**
     * The ledger after one accepted evaluation.
     *
     * @param advice    the advice in force after this evaluation (null before the first)
     * @param sweepMove how far the run's sweep moved the chance of an advice made at this evaluation, in log-odds
     */
    public static LedgerState step(LedgerState before, long epoch, double testLoss, Advice advice, double sweepMove) {
        boolean better = Patience.newBest(testLoss, before.bestTestLoss());
        RuleTrack p3 = before.patience3();
        RuleTrack p10 = before.patience10();
        return new LedgerState(
                better ? epoch : before.bestEpoch(),
                better ? testLoss : before.bestTestLoss(),
                epoch,
                p3.next(
                        epoch,
                        testLoss,
                        Patience.stops(3, Patience.withoutBest(p3.withoutBest(), testLoss, p3.keptTestLoss()))),
                p10.next(
                        epoch,
                        testLoss,
                        Patience.stops(10, Patience.withoutBest(p10.withoutBest(), testLoss, p10.keptTestLoss()))),
                before.advice().next(epoch, testLoss, advice != null && advice.stop()),
                toldNow(advice, epoch)
                        ? LedgerState.toldThen(
                                before.told(),
                                new ChanceTold(advice.chance(), epoch, advice.bestTestLoss(), (float) sweepMove))
                        : before.told());
    }

    /**
     * Whether the advice in force was made anew at this evaluation, with a chance: an advice's epoch is the
     * evaluation it was made at. A diverged run's chance of 0 is not an estimate, and is left out.
     */
    private static boolean toldNow(Advice advice, long epoch) {
        return advice != null
                && advice.epoch() == epoch
                && advice.chance() != null
                && advice.basis() != Advice.Basis.DIVERGED;
    }

    /** Whether some rule stopped at this step: news worth publishing the run's summary for. */
    public static boolean aRuleStopped(LedgerState before, LedgerState after) {
        for (StopRule rule : StopRule.values()) {
            if (rule.of(after).stopped() != rule.of(before).stopped()) {
                return true;
            }
        }
        return false;
    }
}
