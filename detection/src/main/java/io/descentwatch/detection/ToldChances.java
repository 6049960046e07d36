package io.descentwatch.detection;

import java.util.ArrayList;
import java.util.List;

/**
 * The chance each run was told with its advice, against what followed: whether the run went on to beat its best so
 * far by {@link LedgerState#KEPT_TOLERANCE}. Known only once a run has ended; each run's ledger keeps what it was told
 * ({@link LedgerState#toldOutcomes}), so this is what reads a whole input ({@code detect --advice}), the sweep's
 * estimate of its base rate ({@link SweepChanceEvidence}) and the benchmark that judges the chance.
 *
 * <p>Why per sweep. The chance is fitted on many trainers and misses on a trainer it was not fitted on by up to
 * tens of points in a bin, in either direction: a trainer's runs share a base rate of winning second descents that
 * no single curve shows. Whether 0.8 means 80% on a researcher's own trainer is what this table tells them.
 *
 * <p>An advice counts as told when the advice in force was made anew at an evaluation (a new verdict or basis, or
 * the refresh of its figures once per advice span): the chance the run summary and the live page show. Advice at a
 * run's last evaluation has nothing after it and is left out, as is a diverged run's chance of 0, which is not an
 * estimate.
 */
public final class ToldChances {

    /** The table's bins: finer in the middle, where a chance says most. */
    private static final double[] EDGES = {0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0 + 1e-9};

    /** One chance told and what followed it. */
    public record Told(double chance, boolean beaten) {}

    /** One bin of the table: the chances' range, how many were told in it, their mean and how many were beaten. */
    public record Bin(double lo, double hi, int told, double meanChance, int beaten) {
        public double beatenShare() {
            return beaten / (double) told;
        }

        /** How far what followed lies from what was said, in points: positive when the chance was too low. */
        public double gapPoints() {
            return 100 * (beatenShare() - meanChance);
        }
    }

    private ToldChances() {}

    /**
     * Whether a run whose best was {@code bestThen} when it was told went on to beat it by the tolerance: its best at
     * the end lies that far below. The best at the end is reached after the advice whenever it lies below the best
     * then, so this is whether any later evaluation did.
     */
    static boolean beaten(double bestThen, double bestAtEnd) {
        return bestAtEnd < LossShares.lowered(bestThen, LedgerState.KEPT_TOLERANCE);
    }

    /** The chances binned; bins with none told are left out. */
    public static List<Bin> bins(List<Told> told) {
        List<Bin> bins = new ArrayList<>();
        for (int b = 0; b + 1 < EDGES.length; b++) {
            double lo = EDGES[b];
            double hi = EDGES[b + 1];
            List<Told> in = told.stream()
                    .filter(t -> t.chance() >= lo && t.chance() < hi)
                    .toList();
            if (!in.isEmpty()) {
                bins.add(new Bin(
                        lo,
                        Math.min(hi, 1),
                        in.size(),
                        in.stream().mapToDouble(Told::chance).average().orElseThrow(),
                        (int) in.stream().filter(Told::beaten).count()));
            }
        }
        return bins;
    }
}
