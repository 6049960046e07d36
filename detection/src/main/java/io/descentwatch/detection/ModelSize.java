package io.descentwatch.detection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One model size of a sweep, its seeds aggregated: the median test loss over the seeds that did not diverge (one
 * unlucky seed cannot make or hide a peak), interpolating once most seeds did, finished once all its seeds have
 * ended (said {@code final}, went quiet or diverged). Seeds start at different times, so while more runs may come
 * a size counts as having all its seeds only when it has as many as the most-seeded size of the sweep; until then
 * a majority and a median are not settled. Once the sweep is complete (no more runs can come) every size has the
 * seeds it has.
 *
 * @param healthy seeds that did not diverge
 * @param scatter the healthy seeds' squared deviations from their mean, relative to the median, summed: with
 *                {@code healthy - 1} degrees of freedom, what the sweep's noise is measured from
 */
record ModelSize(
        long paramCount,
        double testLoss,
        boolean interpolates,
        boolean finished,
        int seeds,
        int healthy,
        double scatter) {

    /** The sweep's sizes in increasing parameter count; sizes whose every seed diverged are left out. */
    static List<ModelSize> of(Collection<SizeAggregate> aggregates, boolean complete) {
        int expectedSeeds =
                aggregates.stream().mapToInt(SizeAggregate::seeds).max().orElse(0);
        List<ModelSize> sizes = new ArrayList<>(aggregates.size());
        for (SizeAggregate a : aggregates) {
            SeedLosses losses = a.losses();
            if (losses.count() == 0) {
                continue;
            }
            double median = losses.median();
            int seedsExpected = complete ? a.seeds() : expectedSeeds;
            // A diverged seed will say nothing more: it does not hold its size back.
            boolean finished = a.seeds() == seedsExpected && a.ended() == a.seeds();
            sizes.add(new ModelSize(
                    a.paramCount(),
                    median,
                    2 * a.interpolating() > seedsExpected,
                    finished,
                    a.seeds(),
                    losses.count(),
                    losses.scatter(median)));
        }
        return sizes;
    }
}
