package io.descentwatch.detection;

import io.descentwatch.events.AlertType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep as the compacted sweeps topic shows it: per model size, not per run, so the record is bounded by the cap
 * on sizes ({@code --sweep-max-sizes}) whatever the sweep's run count. Each run's own summary is on the runs topic.
 *
 * @param knownRuns       runs the sweep has heard of (including any past the size cap)
 * @param endedRuns       of the runs within the cap, those that ended (said {@code final}, went quiet or diverged)
 * @param plannedRuns     the planned run count the runs reported ({@code sweep_runs}), 0 if none did
 * @param complete        no more runs can come: every run went quiet or diverged, or every planned run is known
 * @param runsPastSizeCap runs of sizes past the cap, left out of the sweep's decisions
 * @param fired           the sweep alerts raised so far
 */
public record SweepPicture(
        String sweepId,
        int knownRuns,
        int endedRuns,
        int plannedRuns,
        boolean complete,
        int runsPastSizeCap,
        Set<AlertType> fired,
        List<Size> sizes) {

    /**
     * One model size.
     *
     * @param testLoss     the median over healthy seeds of their summary test loss (NaN when none is healthy)
     * @param healthy      seeds that did not diverge and have a finite test loss
     * @param finished     every seed this size is expected to have has ended
     * @param interpolates most seeds interpolated
     */
    public record Size(
            long paramCount,
            int seeds,
            int ended,
            int diverged,
            int healthy,
            int interpolating,
            double testLoss,
            boolean finished,
            boolean interpolates) {}

    public SweepPicture {
        fired = Set.copyOf(fired);
        sizes = List.copyOf(sizes);
    }

    public static SweepPicture of(SweepState state) {
        boolean complete = state.complete();
        Map<Long, ModelSize> decided = new HashMap<>();
        for (ModelSize m : ModelSize.of(state.sizes().values(), complete)) {
            decided.put(m.paramCount(), m);
        }
        List<Size> sizes = new ArrayList<>(state.sizes().size());
        for (SizeAggregate a : state.sizes().values()) {
            ModelSize m = decided.get(a.paramCount());
            sizes.add(new Size(
                    a.paramCount(),
                    a.seeds(),
                    a.ended(),
                    a.diverged(),
                    a.losses().count(),
                    a.interpolating(),
                    m == null ? Double.NaN : m.testLoss(),
                    m != null && m.finished(),
                    m != null && m.interpolates()));
        }
        return new SweepPicture(
                state.sweepId(),
                state.knownRuns(),
                state.endedRuns(),
                state.plannedRuns(),
                complete,
                state.runsPastSizeCap(),
                state.fired(),
                sizes);
    }
}
