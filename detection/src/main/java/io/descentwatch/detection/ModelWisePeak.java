package io.descentwatch.detection;

import java.util.ArrayList;
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
 *
 * <p>The noise bound is set for the whole sweep, not per size: the peak is the largest of many sizes and its bounds
 * the smallest on each side, so with twenty sizes the extremes of pure noise stand five of its standard deviations
 * apart. A union bound over every candidate and every size it is compared with (on its shorter side) gives the
 * prominence noise alone reaches with at most the chance of one {@code noiseSigmas} excursion, on log losses since
 * noise is relative; Student's t replaces the normal law while the noise measure rests on few observations.
 */
final class ModelWisePeak {

    /** Scales a median absolute deviation to a standard deviation for Gaussian noise. */
    private static final double MAD_TO_SIGMA = 1.4826;
    /** Fewer observations than this say too little about scatter to measure the noise at all. */
    private static final int MIN_SIZES_FOR_SCATTER = 3;
    /** A sample median's standard error over a mean's, for Gaussian noise: sqrt(pi / 2) (of two, the mean). */
    private static final double MEDIAN_ERROR_RATIO = Math.sqrt(Math.PI / 2);

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

    /** The relative noise of one size's loss and the degrees of freedom of its measure. */
    record Noise(double relative, double freedom, boolean fromSeeds, String basis) {}

    /**
     * The most prominent maximum over the finished sizes {@code done}, if it clears the threshold: the noise bound
     * with the measure's uncertainty, or, once the sweep is complete, the bound with the noise as measured (the
     * peak threshold where it cannot be measured) when the peak is broad: a peak at the interpolation threshold
     * spans neighbouring sizes, while noise would have to lift two neighbouring sizes at once.
     */
    Optional<Peak> find(List<ModelSize> done, boolean complete) {
        Optional<Candidate> candidate = candidate(done);
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        Candidate c = candidate.get();
        int top = c.top();
        double uncertain = c.noise().map(n -> threshold(n, done.size(), true)).orElse(Double.POSITIVE_INFINITY);
        double settled = c.noise().map(n -> threshold(n, done.size(), false)).orElse(settings.peakThreshold());
        double threshold;
        if (c.prominence() >= uncertain) {
            threshold = uncertain;
        } else if (complete && c.prominence() >= settled && broad(done, top, settled)) {
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
                c.noise().map(n -> threshold(n, done.size(), false)).orElse(0.0));
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
            List<ModelSize> done, int top, double prominence, ModelSize left, ModelSize right, Optional<Noise> noise) {
        boolean seeded() {
            return noise.map(Noise::fromSeeds).orElse(false);
        }

        Peak peak(double threshold, String unmeasured) {
            return new Peak(
                    done.get(top),
                    left,
                    right,
                    prominence,
                    threshold,
                    noise.map(Noise::relative).orElse(Double.NaN),
                    noise.map(Noise::basis).orElse(unmeasured));
        }
    }

    private Optional<Candidate> candidate(List<ModelSize> done) {
        int top = mostProminent(done);
        if (top < 0) {
            return Optional.empty();
        }
        ModelSize left = lowest(done.subList(0, top));
        ModelSize right = lowest(done.subList(top + 1, done.size()));
        Optional<Noise> noise = noise(done, region(done, top, Math.max(left.testLoss(), right.testLoss())));
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

    /** Size {@code i}'s loss over the best size on each side, whichever is smaller, less one. */
    private static double prominence(List<ModelSize> done, int i) {
        double loss = done.get(i).testLoss();
        return Math.min(
                        loss / lowest(done.subList(0, i)).testLoss(),
                        loss / lowest(done.subList(i + 1, done.size())).testLoss())
                - 1;
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
        return Math.min(loss / left, loss / right) - 1 >= threshold;
    }

    /**
     * The prominence that counts: the peak threshold, or what the sizes' noise could produce across the sweep
     * (see the class comment), whichever is larger. With {@code measureUncertain}, Student's t takes the place of
     * the normal distribution.
     */
    double threshold(Noise noise, int sizes, boolean measureUncertain) {
        long comparisons = 0;
        for (int i = 1; i < sizes - 1; i++) {
            comparisons += Math.min(i, sizes - 1 - i);
        }
        double p = 1 - noiseTail / Math.max(1, comparisons);
        double quantile = measureUncertain
                ? new TDistribution(null, noise.freedom()).inverseCumulativeProbability(p)
                : STANDARD_NORMAL.inverseCumulativeProbability(p);
        // the difference of two sizes' log losses has sqrt(2) times the noise of one
        return Math.max(settings.peakThreshold(), Math.expm1(quantile * Math.sqrt(2) * noise.relative()));
    }

    /**
     * The noise of one size's loss outside the peak region {@code region}. With several seeds per size: the
     * seeds' scatter around their size's mean, pooled over the sizes, scaled to the error of a size's median. With
     * one seed: how far each size lies off the straight line (in log parameters) through its neighbours, a median
     * over the sweep, counting only sizes whose neighbours are within the size resolution (on a coarse grid a real
     * curve bends sharply between neighbouring sizes) and whose residual touches no size of the peak region.
     * Empty when neither can be measured.
     */
    Optional<Noise> noise(List<ModelSize> done, int[] region) {
        List<ModelSize> seeded = new ArrayList<>();
        for (int i = 0; i < done.size(); i++) {
            ModelSize s = done.get(i);
            if ((i < region[0] || i > region[1]) && s.healthy() > 1 && Double.isFinite(s.scatter())) {
                seeded.add(s);
            }
        }
        if (seeded.size() >= MIN_SIZES_FOR_SCATTER) {
            double squares = seeded.stream().mapToDouble(ModelSize::scatter).sum();
            int freedom = seeded.stream().mapToInt(s -> s.healthy() - 1).sum();
            int seeds = (int) SmoothedSeries.median(
                    seeded.stream().mapToDouble(ModelSize::healthy).toArray());
            double error = (seeds > 2 ? MEDIAN_ERROR_RATIO : 1) / Math.sqrt(seeds);
            return Optional.of(new Noise(
                    Math.sqrt(squares / freedom) * error,
                    freedom,
                    true,
                    "the scatter of " + seeds + " seeds per size, away from the peak region"));
        }
        List<Double> residuals = new ArrayList<>();
        for (int i = 1; i < done.size() - 1; i++) {
            if (i >= region[0] - 1 && i <= region[1] + 1
                    || !resolved(done.get(i - 1), done.get(i))
                    || !resolved(done.get(i), done.get(i + 1))) {
                continue;
            }
            double u0 = Math.log(done.get(i - 1).paramCount());
            double u1 = Math.log(done.get(i).paramCount());
            double u2 = Math.log(done.get(i + 1).paramCount());
            double w = (u1 - u0) / (u2 - u0);
            double middle = done.get(i).testLoss();
            double line =
                    w * done.get(i + 1).testLoss() + (1 - w) * done.get(i - 1).testLoss();
            residuals.add(Math.abs(middle - line) / Math.sqrt(1 + w * w + (1 - w) * (1 - w)) / Math.abs(middle));
        }
        if (residuals.size() < MIN_SIZES_FOR_SCATTER) {
            return Optional.empty();
        }
        return Optional.of(
                new Noise(
                        MAD_TO_SIGMA
                                * SmoothedSeries.median(
                                        residuals.stream().mapToDouble(d -> d).toArray()),
                        residuals.size(),
                        false,
                        "one seed per size: how far sizes away from the peak region lie off the line through their neighbours"));
    }

    /** Whether two neighbouring known sizes are close enough that no unseen size between them matters. */
    private boolean resolved(ModelSize smaller, ModelSize larger) {
        return larger.paramCount() <= settings.sizeResolution() * smaller.paramCount();
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
