package io.descentwatch.detection;

import java.util.List;
import java.util.Optional;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The model-wise peak of a sweep's finished sizes: the size that stands out most over the best size on each side,
 * whichever is smaller, and whether that is more than the sweep's noise could produce.
 *
 * <p>Noise is measured where the curve is smooth, away from the peak region: at the interpolation threshold the
 * variance of the test loss blows up (with one seed per size the peak region is jagged over several sizes), and
 * that roughness is the phenomenon, not noise. The peak region is the run of sizes around the candidate that stand
 * above the higher of the two bounding best sizes; neither its seeds' scatter nor the residuals that touch it count.
 *
 * <p>With one seed per size a peak must also be broad (its higher neighbour stands out over the best sizes beyond
 * both by the peak threshold): no seed median removes an outlier size, and a real peak spans neighbouring sizes.
 * For the same reason a complete one-seed sweep's peak is judged against each side's {@link SideFloor}, the level
 * two neighbouring sizes hold, not against one low outlier size; with both floors held so, noise needs two
 * excursions to make a peak, and the noise bound is set for that (see {@link #threshold}).
 *
 * <p>The noise bound is set for the whole sweep, not per size: the peak is the largest of many sizes and its bounds
 * the smallest on each side, so with twenty sizes the extremes of pure noise stand five of its standard deviations
 * apart. A union bound over every candidate and every size it is compared with (on its shorter side) gives the
 * prominence noise alone reaches with at most the chance of one {@code noiseSigmas} excursion, on log losses since
 * noise is relative; Student's t replaces the normal law while the noise measure rests on few observations.
 */
final class ModelWisePeak {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private final DetectionSettings settings;
    /** The chance of one {@code noiseSigmas} excursion, which noise is allowed across a whole sweep. */
    private final double noiseTail;

    ModelWisePeak(DetectionSettings settings) {
        this.settings = settings;
        this.noiseTail = 1 - STANDARD_NORMAL.cumulativeProbability(settings.noiseSigmas());
    }

    /**
     * A peak.
     *
     * @param prominence the peak's loss over the best size on each side, whichever is smaller, less one
     * @param threshold  the prominence the decision needed
     * @param noise      the relative noise of one size's loss, NaN where it could not be measured
     * @param basis      what the noise was measured from, in words
     */
    record Peak(
            ModelSize size,
            ModelSize leftBest,
            ModelSize rightBest,
            double prominence,
            double threshold,
            double noise,
            String basis) {}

    /**
     * The most prominent maximum over the finished sizes {@code done}, if it clears the threshold: the noise bound
     * with the measure's uncertainty, or, once the sweep is complete, the bound with the noise as measured (the
     * peak threshold where it cannot be measured) when the peak is broad: a peak at the interpolation threshold
     * spans neighbouring sizes, while noise would have to lift two neighbouring sizes at once. Once the sweep is
     * complete a one-seed peak stands over its sides' floors ({@link SideFloor}); the peak named, the best sizes
     * named beside it and the prominence its alert says are those over the lowest sizes, as before.
     */
    Optional<Peak> find(List<ModelSize> done, boolean complete) {
        Optional<Candidate> candidate = candidate(done);
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        Candidate c = candidate.get();
        int top = c.top();
        // Once the sweep is complete no size can come between two known ones, and a one-seed peak is judged against
        // its sides' floors (SideFloor). Before that, adding a size may raise a floor, so the lowest sizes count:
        // they only fall as sizes come in, which keeps a verdict given at one look true at the next.
        SideFloor left = complete ? floor(done.subList(0, top)) : null;
        SideFloor right = complete ? floor(done.subList(top + 1, done.size())) : null;
        double loss = done.get(top).testLoss();
        double evidence = complete
                ? Math.min(LossShares.above(loss, left.testLoss()), LossShares.above(loss, right.testLoss()))
                : c.prominence();
        boolean pairs = complete && left.paired() && right.paired();
        double uncertain =
                c.noise().map(n -> threshold(n, done.size(), true, false)).orElse(Double.POSITIVE_INFINITY);
        double settled =
                c.noise().map(n -> threshold(n, done.size(), false, pairs)).orElse(settings.peakThreshold());
        double threshold;
        if (evidence >= uncertain) {
            threshold = uncertain;
        } else if (complete && evidence >= settled && broad(done, top, settled)) {
            threshold = settled;
        } else {
            return Optional.empty();
        }
        // Without seeds to take a median over, one outlier size (a heavy-tailed spike) looks like a narrow peak,
        // while a real peak at the interpolation threshold spans neighbouring sizes: it must be broad.
        if (!c.seeded() && !broad(done, top, settings.peakThreshold())) {
            return Optional.empty();
        }
        return Optional.of(c.peak(threshold, "not measurable: the peak threshold, for a broad peak"));
    }

    /**
     * A peak that can be named while the sweep still grows, on the sizes that have ended so far: the most prominent
     * maximum stands {@code --early-peak} over the best size on each side and over what the sweep's noise could
     * produce where that can be measured (the normal law: the bound a complete sweep uses), and, without seeds to
     * take a median over, either so does its higher neighbour (a real peak is broad; one outlier run is not) or it
     * sits where the sweep starts to interpolate (where a peak belongs: an outlier run would have to land on one of
     * the two sizes there, not on any of the sweep's sizes; on a coarse grid the peak is often one size wide).
     *
     * <p>Why no sequential penalty: sizes added later only lower the best sizes on each side, so the prominence of
     * every known size can only grow as the sweep does, and the rule's bar does not fall with more sizes. A sweep
     * of one seed per size that passes at some look therefore passes at its last, and its chance of a false peak
     * over all its looks is that of its last look alone. A late seed can move a size's median either way: with
     * seeds the scatter bound carries that, and the noise-only sweeps are judged at every look.
     */
    Optional<Peak> early(List<ModelSize> done) {
        Optional<Candidate> candidate = candidate(done);
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        Candidate c = candidate.get();
        double threshold = Math.max(
                settings.earlyPeak(),
                c.noise().map(n -> threshold(n, done.size(), false, false)).orElse(0.0));
        if (c.prominence() < threshold
                || !c.seeded() && !broad(done, c.top(), threshold) && !atInterpolationEdge(done, c.top())) {
            return Optional.empty();
        }
        return Optional.of(c.peak(threshold, "not measurable: the early peak bar"));
    }

    /**
     * The most prominent maximum of {@code done} (index {@code top}), the best size on each side of it and the
     * sweep's noise measured away from its peak region. Only it is judged: a lesser maximum on its flank may pass
     * a lower noise threshold, but it is not the peak.
     */
    private record Candidate(
            List<ModelSize> done,
            int top,
            double prominence,
            ModelSize left,
            ModelSize right,
            Optional<SweepNoise> noise) {
        boolean seeded() {
            return noise.map(SweepNoise::fromSeeds).orElse(false);
        }

        Peak peak(double threshold, String unmeasured) {
            return new Peak(
                    done.get(top),
                    left,
                    right,
                    prominence,
                    threshold,
                    noise.map(SweepNoise::relative).orElse(Double.NaN),
                    noise.map(SweepNoise::basis).orElse(unmeasured));
        }
    }

    private Optional<Candidate> candidate(List<ModelSize> done) {
        int top = mostProminent(done);
        if (top < 0) {
            return Optional.empty();
        }
        ModelSize left = lowest(done.subList(0, top));
        ModelSize right = lowest(done.subList(top + 1, done.size()));
        Optional<SweepNoise> noise = SweepNoise.outside(
                done, region(done, top, Math.max(left.testLoss(), right.testLoss())), settings.sizeResolution());
        return Optional.of(new Candidate(done, top, prominence(done, top), left, right, noise));
    }

    /** Whether size {@code i} (not the first or last) is next to the change from fitting to interpolating sizes. */
    private static boolean atInterpolationEdge(List<ModelSize> done, int i) {
        boolean fits = done.get(i).interpolates();
        return fits != done.get(i - 1).interpolates() || fits != done.get(i + 1).interpolates();
    }

    /** The index of the size that stands out most over the best size on each side; -1 with fewer than three. */
    private static int mostProminent(List<ModelSize> done) {
        int top = -1;
        double topProminence = Double.NEGATIVE_INFINITY;
        for (int i = 1; i < done.size() - 1; i++) {
            double prominence = prominence(done, i);
            if (prominence > topProminence) {
                top = i;
                topProminence = prominence;
            }
        }
        return top;
    }

    /** How far size {@code i}'s loss stands above the best size on each side, whichever is less. */
    private static double prominence(List<ModelSize> done, int i) {
        double loss = done.get(i).testLoss();
        return Math.min(
                LossShares.above(loss, lowest(done.subList(0, i)).testLoss()),
                LossShares.above(loss, lowest(done.subList(i + 1, done.size())).testLoss()));
    }

    private SideFloor floor(List<ModelSize> side) {
        return SideFloor.of(side, settings.sizeResolution());
    }

    /** The peak region: the indices {from, to} of the run of sizes around {@code top} with loss above {@code floor}. */
    private static int[] region(List<ModelSize> done, int top, double floor) {
        int from = top;
        while (from > 0 && done.get(from - 1).testLoss() > floor) {
            from--;
        }
        int to = top;
        while (to < done.size() - 1 && done.get(to + 1).testLoss() > floor) {
            to++;
        }
        return new int[] {from, to};
    }

    /** Whether the higher neighbour of size {@code i} stands out over the best sizes beyond both by the threshold. */
    private static boolean broad(List<ModelSize> done, int i, double threshold) {
        int j = done.get(i - 1).testLoss() >= done.get(i + 1).testLoss() ? i - 1 : i + 1;
        int from = Math.min(i, j);
        int to = Math.max(i, j);
        if (from == 0 || to == done.size() - 1) {
            return false;
        }
        double loss = done.get(j).testLoss();
        double left = lowest(done.subList(0, from)).testLoss();
        double right = lowest(done.subList(to + 1, done.size())).testLoss();
        return Math.min(LossShares.above(loss, left), LossShares.above(loss, right)) >= threshold;
    }

    /**
     * The prominence that counts: the peak threshold, or what the sizes' noise could produce across the sweep
     * (see the class comment), whichever is larger. With {@code measureUncertain}, Student's t takes the place of
     * the normal distribution. With {@code pairs} (a complete one-seed sweep whose sides' floors are each held by
     * two neighbouring sizes, judged on a broad peak) noise alone makes such a peak only with two excursions: the
     * peak over a floor takes a high peak size or two low floor sizes, and its broadness a high neighbour or a low
     * size beyond it. So each comparison is allowed the square root of the chance it has alone: two independent
     * excursions at that chance together have the chance one has otherwise.
     */
    double threshold(SweepNoise noise, int sizes, boolean measureUncertain, boolean pairs) {
        long comparisons = 0;
        for (int i = 1; i < sizes - 1; i++) {
            comparisons += Math.min(i, sizes - 1 - i);
        }
        double chance = noiseTail / Math.max(1, comparisons);
        double p = 1 - (pairs ? Math.sqrt(chance) : chance);
        double quantile = measureUncertain
                ? new TDistribution(null, noise.freedom()).inverseCumulativeProbability(p)
                : STANDARD_NORMAL.inverseCumulativeProbability(p);
        // the difference of two sizes' log losses has sqrt(2) times the noise of one
        return Math.max(settings.peakThreshold(), Math.expm1(quantile * Math.sqrt(2) * noise.relative()));
    }

    static ModelSize lowest(List<ModelSize> sizes) {
        ModelSize best = sizes.get(0);
        for (ModelSize s : sizes) {
            if (s.testLoss() < best.testLoss()) {
                best = s;
            }
        }
        return best;
    }
}
