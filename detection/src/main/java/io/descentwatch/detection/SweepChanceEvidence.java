package io.descentwatch.detection;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a sweep's ended runs say about its base rate and sharpness: every chance they were told with their advice,
 * as their own curves gave it (before any move by the sweep), binned by the hundredth, with how many of those runs
 * went on to beat their best so far ({@link ToldChances}); and the move ({@link ChanceMove}: an offset and a slope in
 * log-odds) of every chance told to the sweep's runs still to come.
 *
 * <p>Why. The chance ({@link AdviceChance}) is fitted on many trainers' runs and misses on a trainer it was not
 * fitted on by 10 to 36 points in a bin, in both directions: a trainer's runs share a base rate of second descents
 * that no feature of one curve shows (a round of independent trainers with a family of no winner at all, the next
 * with one that wins in 21 of 22 runs). A sweep shows it once some of its runs have ended. And within one trainer's
 * sweep the chance read from each curve tells its winners from its losers more sharply than across the trainers it
 * was fitted on: with the base rate alone moved, the chances told 0.3-0.5 over fifteen rounds of trainers held out
 * of its fit were beaten 12 points less often than told, those told 0.7-0.9 5 points more. The move is the most
 * likely offset and slope for the ended runs' chances and what followed them, under normal priors of standard
 * deviation {@code --advice-sweep-prior} around no move, on the offset and on the slope's logarithm: a sweep of one
 * ended run moves its chances little, one of many as far as they say. Measured on the independent trainers' families
 * read as sequential sweeps, it lowered the log loss of the chance on the rounds held out of its fit
 * (docs/benchmarks.md).
 *
 * <p>Bounded whatever the sweep's run count: at most {@link #BINS} bins. Binning moves a chance by at most half a
 * hundredth, which moves the move by less than its own last digit shown. Immutable.
 *
 * @param bins by bin (a chance's hundredths), the chances told in it and how many were beaten
 */
public record SweepChanceEvidence(Map<Integer, Tally> bins) {

    /** The chances told in one bin, and how many of them the run went on to beat by the tolerance. */
    public record Tally(int told, int beaten) {}

    public static final SweepChanceEvidence NONE = new SweepChanceEvidence(Map.of());

    /** Bins of a hundredth each. */
    static final int BINS = 100;

    public SweepChanceEvidence {
        // in the bins' order, so that the move's sums come out the same bits in every process
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
            if (t.chance() <= ChanceMove.CERTAIN || t.chance() >= 1 - ChanceMove.CERTAIN) {
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
     * The move that makes the told chances most likely to have said what followed them ({@link ChanceMove}: an
     * offset and a slope in log-odds), under normal priors of standard deviation {@code sigma} around no move, on
     * the offset and on the slope's logarithm: a sweep of one ended run moves its chances little, one of many as far
     * as they say. Fisher scoring, each step halved until the posterior does not fall. {@link ChanceMove#NONE}
     * without evidence, or with {@code sigma} 0 (the sweep is not read).
     */
    public ChanceMove move(double sigma) {
        if (sigma <= 0 || bins.isEmpty()) {
            return ChanceMove.NONE;
        }
        double precision = 1 / (sigma * sigma);
        double offset = 0;
        double logSlope = 0;
        double posterior = logPosterior(offset, logSlope, precision);
        for (int step = 0; step < 100; step++) {
            double slope = Math.exp(logSlope);
            double gradOffset = -offset * precision;
            double gradLogSlope = -logSlope * precision;
            double infoOffset = precision;
            double infoCross = 0;
            double infoLogSlope = precision;
            for (Map.Entry<Integer, Tally> e : bins.entrySet()) {
                double x = ChanceMove.logit(center(e.getKey()));
                double p = ChanceMove.sigmoid(offset + slope * x);
                Tally t = e.getValue();
                double residual = t.beaten() - t.told() * p;
                double weight = t.told() * p * (1 - p);
                gradOffset += residual;
                gradLogSlope += residual * slope * x;
                infoOffset += weight;
                infoCross += weight * slope * x;
                infoLogSlope += weight * slope * x * slope * x;
            }
            double det = infoOffset * infoLogSlope - infoCross * infoCross;
            double dOffset = (infoLogSlope * gradOffset - infoCross * gradLogSlope) / det;
            double dLogSlope = (infoOffset * gradLogSlope - infoCross * gradOffset) / det;
            double scale = 1;
            double next = logPosterior(offset + dOffset, logSlope + dLogSlope, precision);
            while (!(next >= posterior) && scale > 1e-9) {
                scale /= 2;
                next = logPosterior(offset + scale * dOffset, logSlope + scale * dLogSlope, precision);
            }
            if (!(next >= posterior)) {
                break;
            }
            offset += scale * dOffset;
            logSlope += scale * dLogSlope;
            posterior = next;
            if (Math.abs(scale * dOffset) + Math.abs(scale * dLogSlope) < 1e-10) {
                break;
            }
        }
        return new ChanceMove(offset, Math.exp(logSlope));
    }

    /** The log posterior of a move, up to a constant: what {@link #move} climbs. */
    private double logPosterior(double offset, double logSlope, double precision) {
        double slope = Math.exp(logSlope);
        double sum = -(offset * offset + logSlope * logSlope) * precision / 2;
        for (Map.Entry<Integer, Tally> e : bins.entrySet()) {
            double z = offset + slope * ChanceMove.logit(center(e.getKey()));
            Tally t = e.getValue();
            // log sigmoid(z) and log(1 - sigmoid(z)), kept finite far out
            sum += -t.beaten() * softplus(-z) - (t.told() - t.beaten()) * softplus(z);
        }
        return sum;
    }

    /** A bin's chance: its middle. */
    private static double center(int bin) {
        return (bin + 0.5) / BINS;
    }

    private static double softplus(double z) {
        return z > 30 ? z : Math.log1p(Math.exp(z));
    }
}
