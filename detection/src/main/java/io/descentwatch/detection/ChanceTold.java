package io.descentwatch.detection;

/**
 * One chance a run was told with its advice: the chance, the evaluation it was told at, the run's best test loss
 * then, and how far the run's sweep had moved it. Whether going on paid is known once the run has ended: its best by
 * then lies {@link LedgerState#KEPT_TOLERANCE} under the best then ({@link ToldChances#beaten}). Ordered so that no
 * two neighbours share a type.
 *
 * @param chance    the chance told, in (0, 1), to a float's precision (as the detector's state stores keep it, so
 *                  that a state read back says what it said)
 * @param epoch     the evaluation it was told at
 * @param bestThen  the run's lowest raw test loss at that evaluation: what going on had to beat
 * @param sweepMove how far, in log-odds, the run's sweep had moved its own curve's chance ({@link
 *                  ChanceMove#logOddsFrom}); 0 when no run of the sweep had ended
 */
public record ChanceTold(double chance, long epoch, double bestThen, float sweepMove) {

    public ChanceTold {
        chance = (float) chance;
    }

    /**
     * The chance the run's own curve gave, before its sweep moved it: what the sweep learns its base rate from, so
     * that a move is never learned from chances it has already moved.
     */
    public double ownChance() {
        return new ChanceMove(-sweepMove, 1).apply(chance);
    }
}
