package io.descentwatch.detection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One model size of a sweep, its seeds aggregated: the median test loss over the seeds that did not diverge (one
 * unlucky seed cannot make or hide a peak), interpolating once most seeds did, finished once all its seeds have
 * ended (said {@code final}, went quiet or diverged). Seeds start at different times, so while more runs may come
 * a size counts as having all its seeds only when it has as many as the most-seeded size of the sweep; until then
 * a majority and a median are not settled. Once the sweep is complete (no more runs can come) every size has the
 * seeds it has.
 *
 * @param representative the seed whose test loss is closest to the median: the run an alert about this size names
 * @param healthy        seeds that did not diverge
 * @param scatter        the healthy seeds' squared deviations from their mean, relative to the median, summed:
 *                       with {@code healthy - 1} degrees of freedom, what the sweep's noise is measured from
 */
record ModelSize(long paramCount, double testLoss, boolean interpolates, boolean finished, int seeds,
                 RunSummary representative, int healthy, double scatter) {

    /** The sweep's sizes in increasing parameter count; sizes whose every seed diverged are left out. */
    static List<ModelSize> of(Collection<RunSummary> runs, boolean complete) {
        Map<Long, List<RunSummary>> bySize = new TreeMap<>();
        for (RunSummary run : runs) {
            bySize.computeIfAbsent(run.paramCount(), k -> new ArrayList<>()).add(run);
        }
        int expectedSeeds = bySize.values().stream().mapToInt(List::size).max().orElse(0);
        List<ModelSize> sizes = new ArrayList<>();
        bySize.forEach((paramCount, seeds) -> {
            List<RunSummary> healthy = seeds.stream()
                    .filter(r -> !r.diverged() && Double.isFinite(r.testLoss()))
                    .sorted(Comparator.comparing(RunSummary::runId))
                    .toList();
            if (healthy.isEmpty()) {
                return;
            }
            double[] losses = healthy.stream().mapToDouble(RunSummary::testLoss).toArray();
            double median = SmoothedSeries.median(losses);
            long interpolating = healthy.stream().filter(RunSummary::interpolated).count();
            int seedsExpected = complete ? seeds.size() : expectedSeeds;
            // A diverged seed will say nothing more: it does not hold its size back.
            boolean finished = seeds.size() == seedsExpected && seeds.stream().allMatch(RunSummary::ended);
            RunSummary representative = healthy.stream()
                    .min(Comparator.comparingDouble(r -> Math.abs(r.testLoss() - median)))
                    .orElseThrow();
            sizes.add(new ModelSize(paramCount, median, 2 * interpolating > seedsExpected, finished,
                    seeds.size(), representative, losses.length, scatter(losses, median)));
        });
        return sizes;
    }

    private static double scatter(double[] losses, double median) {
        if (median == 0) {
            return Double.NaN;
        }
        double mean = 0;
        for (double loss : losses) {
            mean += loss / losses.length;
        }
        double squares = 0;
        for (double loss : losses) {
            squares += (loss - mean) * (loss - mean);
        }
        return squares / (median * median);
    }
}
