package io.descentwatch.detection;

import io.descentwatch.events.AlertType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the sweep detector remembers about one sweep, bounded whatever the sweep's run count: one aggregate per model
 * size (at most {@code --sweep-max-sizes} of them), counts of its runs, and the sweep alerts already fired. The
 * runs' own summaries are kept apart ({@link SweepRuns}). Immutable.
 *
 * @param knownRuns       runs the sweep has heard of
 * @param quietRuns       of which went quiet or diverged: when all have, no more runs can come
 * @param plannedRuns     the largest planned run count any run reported (the {@code sweep_runs} tag), 0 if none
 * @param runsPastSizeCap runs of sizes beyond the cap, left out of the sweep's decisions (still counted as known)
 * @param chances         the chances its ended runs were told, and what followed: its base rate, which moves the
 *                        chance told to its runs still training
 */
public record SweepState(
        String sweepId,
        Map<Long, SizeAggregate> sizes,
        Set<AlertType> fired,
        int knownRuns,
        int quietRuns,
        int plannedRuns,
        int runsPastSizeCap,
        SweepChanceEvidence chances) {

    public SweepState {
        sizes = Collections.unmodifiableMap(new TreeMap<>(sizes));
        fired = fired.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(fired));
    }

    static SweepState start(String sweepId) {
        return new SweepState(sweepId, Map.of(), Set.of(), 0, 0, 0, 0, SweepChanceEvidence.NONE);
    }

    public boolean hasFired(AlertType type) {
        return fired.contains(type);
    }

    /** No more runs can come: every known run went quiet or diverged, or every planned run is known. */
    public boolean complete() {
        return knownRuns > 0 && quietRuns == knownRuns || plannedRuns > 0 && knownRuns >= plannedRuns;
    }

    /** Runs that ended (said {@code final}, went quiet or diverged), over the sizes within the cap. */
    public int endedRuns() {
        return sizes.values().stream().mapToInt(SizeAggregate::ended).sum();
    }

    /** Without {@code run}'s contribution (its earlier summary), or unchanged for null. */
    SweepState without(RunSummary run) {
        if (run == null) {
            return this;
        }
        SizeAggregate size = sizes.get(run.paramCount());
        Map<Long, SizeAggregate> next = sizes;
        int pastCap = runsPastSizeCap;
        if (size == null) {
            pastCap--;
        } else {
            next = new TreeMap<>(sizes);
            SizeAggregate less = size.without(run);
            if (less.seeds() == 0) {
                next.remove(run.paramCount());
            } else {
                next.put(run.paramCount(), less);
            }
        }
        return new SweepState(
                sweepId,
                next,
                fired,
                knownRuns - 1,
                quietRuns - (quiet(run) ? 1 : 0),
                plannedRuns,
                pastCap,
                run.ended() ? chances.without(run.ledger()) : chances);
    }

    /** With {@code run}'s summary counted; a run of a new size past {@code maxSizes} counts only as known. */
    SweepState with(RunSummary run, int maxSizes) {
        SizeAggregate size = sizes.get(run.paramCount());
        Map<Long, SizeAggregate> next = sizes;
        int pastCap = runsPastSizeCap;
        if (size == null && sizes.size() >= maxSizes) {
            pastCap++;
        } else {
            next = new TreeMap<>(sizes);
            next.put(run.paramCount(), (size == null ? SizeAggregate.empty(run.paramCount()) : size).with(run));
        }
        return new SweepState(
                sweepId,
                next,
                fired,
                knownRuns + 1,
                quietRuns + (quiet(run) ? 1 : 0),
                Math.max(plannedRuns, run.sweepRuns()),
                pastCap,
                run.ended() ? chances.with(run.ledger()) : chances);
    }

    SweepState withFired(Set<AlertType> nowFired) {
        return new SweepState(sweepId, sizes, nowFired, knownRuns, quietRuns, plannedRuns, runsPastSizeCap, chances);
    }

    private static boolean quiet(RunSummary run) {
        return run.idle() || run.diverged();
    }
}
