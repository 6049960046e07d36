package io.descentwatch.detection;

/**
 * One model size of a sweep as the sweep detector keeps it: counts of its runs and the test losses of its healthy
 * seeds, folded so that the record does not grow with the seed count ({@link SeedLosses}). Everything a decision
 * about the size needs ({@link ModelSize}) comes from this; the runs themselves are kept apart, one entry each
 * ({@link SweepRuns}). Immutable.
 *
 * @param seeds         runs of this size
 * @param ended         of which ended (said {@code final}, went quiet or diverged)
 * @param diverged      of which diverged
 * @param interpolating healthy runs that interpolated
 * @param losses        healthy runs' test losses (a healthy run did not diverge and has a finite test loss)
 */
public record SizeAggregate(long paramCount, int seeds, int ended, int diverged, int interpolating, SeedLosses losses) {

    static SizeAggregate empty(long paramCount) {
        return new SizeAggregate(paramCount, 0, 0, 0, 0, SeedLosses.EMPTY);
    }

    SizeAggregate with(RunSummary run) {
        return change(run, 1);
    }

    SizeAggregate without(RunSummary run) {
        return change(run, -1);
    }

    private SizeAggregate change(RunSummary run, int delta) {
        boolean healthy = healthy(run);
        SeedLosses next = !healthy ? losses : delta > 0 ? losses.with(run.testLoss()) : losses.without(run.testLoss());
        return new SizeAggregate(
                paramCount,
                seeds + delta,
                ended + (run.ended() ? delta : 0),
                diverged + (run.diverged() ? delta : 0),
                interpolating + (healthy && run.interpolated() ? delta : 0),
                next);
    }

    /** A run whose loss speaks for its size: it did not diverge and has a finite test loss. */
    static boolean healthy(RunSummary run) {
        return !run.diverged() && Double.isFinite(run.testLoss());
    }
}
