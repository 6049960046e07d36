package io.descentwatch.detection;

/**
 * One stopping rule's account of one run: where it stops, what it keeps, what it spends. A rule keeps the
 * checkpoint of the lowest test loss up to and including the evaluation it stops at, as every early-stopping tool
 * does; until it stops it is still training, and its account follows the run.
 *
 * @param stopEpoch    the epoch of the evaluation it stopped after; -1 while still training
 * @param keptEpoch    the epoch of the checkpoint it keeps: the lowest test loss up to its stop (-1 before any)
 * @param keptTestLoss that test loss (NaN before any)
 * @param epochsSpent  epochs it trains: its stop epoch, or the run's latest epoch while it is still training
 * @param withoutBest  evaluations in a row without a new lowest test loss (what patience counts)
 */
public record RuleTrack(long stopEpoch, long keptEpoch, double keptTestLoss, long epochsSpent, int withoutBest) {

    public static final RuleTrack START = new RuleTrack(-1, -1, Double.NaN, 0, 0);

    public boolean stopped() {
        return stopEpoch >= 0;
    }

    /**
     * How much worse what it keeps is than {@code best} (the run's lowest test loss so far), relative to it: 0 when
     * it keeps the best, NaN when either is unknown.
     */
    public double excessOver(double best) {
        if (!Double.isFinite(keptTestLoss) || !Double.isFinite(best)) {
            return Double.NaN;
        }
        return best == 0 ? (keptTestLoss == 0 ? 0 : Double.POSITIVE_INFINITY) : (keptTestLoss - best) / Math.abs(best);
    }

    /** Whether it keeps a model within {@code tolerance} (relative) of {@code best}. */
    public boolean keepsWithin(double best, double tolerance) {
        return excessOver(best) <= tolerance;
    }

    /** The account after one more evaluation; a rule that has stopped no longer moves. */
    RuleTrack next(long epoch, double testLoss, boolean stopsHere) {
        if (stopped()) {
            return this;
        }
        boolean better = Patience.newBest(testLoss, keptTestLoss);
        return new RuleTrack(
                stopsHere ? epoch : -1,
                better ? epoch : keptEpoch,
                better ? testLoss : keptTestLoss,
                epoch,
                Patience.withoutBest(withoutBest, testLoss, keptTestLoss));
    }
}
