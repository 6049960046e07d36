package io.descentwatch.detection;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a sweep's ended runs say about its base rate: every chance they were told with their advice, as their own
 * curves gave it (before any move by the sweep), binned by the hundredth, with how many of those runs went on to beat
 * their best so far ({@link ToldChances}); and the offset, in log-odds, that moves every chance of the sweep's runs
 * still to come.
 *
 * <p>Why. The chance ({@link AdviceChance}) is fitted on many trainers' runs and misses on a trainer it was not
 * fitted on by 10 to 36 points in a bin, in both directions: a trainer's runs share a base rate of second descents
 * that no feature of one curve shows (a round of independent trainers with a family of no winner at all, the next
 * with one that wins in 21 of 22 runs). A sweep shows it once some of its runs have ended. The offset is the most
 * likely one for the ended runs' chances and what followed them, under a normal prior of standard deviation
 * {@code --advice-sweep-prior} around none: a sweep of one ended run moves its chances little, one of many as far as
 * they say. Measured on the independent trainers' families read as sequential sweeps, it lowered the log loss of the
 * chance on the rounds held out of its fit (docs/benchmarks.md).
 *
 * <p>Bounded whatever the sweep's run count: at most {@link #BINS} bins. Binning moves a chance by at most half a
 * hundredth, which moves the offset by less than its own last digit shown. Immutable.
 *
 * @param bins by bin (a chance's hundredths), the chances told in it and how many were beaten
 */
public record SweepChanceEvidence(Map<Integer, Tally> bins) {

    /** The chances told in one bin, and how many of them the run went on to beat by the tolerance. */
    public record Tally(int told, int beaten) {}

    public static final SweepChanceEvidence NONE = new SweepChanceEvidence(Map.of());

    /** Bins of a hundredth each. */
    static final int BINS = 100;

    /** A chance this close to 0 or 1 says nothing to move, and cannot be moved in log-odds. */
    private static final double CERTAIN = 1e-9;

    public SweepChanceEvidence {
        // in the bins' order, so that the offset's sums come out the same bits in every process
        bins = Collections.unmodifiableSortedMap(new TreeMap<>(bins));
    }

    /** Chances told in all, over the ended runs. */
    public int told() {
        return bins.values().stream().mapToInt(Tally::told).sum();
    }

    /** Of which the run went on to beat its best then. */
    public int beaten() {
        return bins.values().stream().mapToInt(Tally::beaten).sum();
    }

    /** With an ended run's told chances counted. */
    public SweepChanceEvidence with(LedgerState ended) {
        return added(ended, 1);
    }

    /** Without them (the run came back, or its summary is replaced by a later one). */
    SweepChanceEvidence without(LedgerState ended) {
        return added(ended, -1);
    }

    private SweepChanceEvidence added(LedgerState ledger, int sign) {
        if (ledger == null || ledger.told().isEmpty()) {
            return this;
        }
        Map<Integer, Tally> next = new TreeMap<>(bins);
        // the run's own chances: a move is never learned from chances the sweep has already moved
        for (ToldChances.Told t : ledger.ownOutcomes()) {
            if (t.chance() <= CERTAIN || t.chance() >= 1 - CERTAIN) {
                continue;
            }
            int bin = Math.min(BINS - 1, (int) (t.chance() * BINS));
            Tally was = next.getOrDefault(bin, new Tally(0, 0));
            Tally now = new Tally(was.told() + sign, was.beaten() + (t.beaten() ? sign : 0));
            if (now.told() <= 0) {
                next.remove(bin);
            } else {
                next.put(bin, now);
            }
        }
        return new SweepChanceEvidence(next);
    }

    /**
     * The log-odds offset that makes the told chances most likely to have said what followed them, under a normal
     * prior of standard deviation {@code sigma} around 0 (Newton's method; the objective is concave). 0 without
     * evidence, or with {@code sigma} 0 (the sweep is not read).
     */
    public double offset(double sigma) {
        if (sigma <= 0 || bins.isEmpty()) {
            return 0;
        }
        double offset = 0;
        for (int step = 0; step < 50; step++) {
            double gradient = -offset / (sigma * sigma);
            double curvature = 1 / (sigma * sigma);
            for (Map.Entry<Integer, Tally> e : bins.entrySet()) {
                double p = shifted((e.getKey() + 0.5) / BINS, offset);
                Tally t = e.getValue();
                gradient += t.beaten() - t.told() * p;
                curvature += t.told() * p * (1 - p);
            }
            double change = gradient / curvature;
            offset += change;
            if (Math.abs(change) < 1e-10) {
                break;
            }
        }
        return offset;
    }

    /** {@code chance} moved by {@code offset} in log-odds; 0 and 1 stay. */
    public static double shifted(double chance, double offset) {
        if (offset == 0 || chance <= CERTAIN || chance >= 1 - CERTAIN) {
            return chance;
        }
        return 1 / (1 + Math.exp(-(Math.log(chance / (1 - chance)) + offset)));
    }
}
