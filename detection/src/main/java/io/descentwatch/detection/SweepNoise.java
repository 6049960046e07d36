package io.descentwatch.detection;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The relative noise of one size's loss in a sweep, measured away from the peak region, and the degrees of freedom
 * of its measure: what {@link ModelWisePeak} sets its bound from.
 *
 * @param fromSeeds whether it is the seeds' scatter (several seeds per size) rather than one seed's roughness
 * @param basis     what it was measured from, in words
 */
record SweepNoise(double relative, double freedom, boolean fromSeeds, String basis) {

    /** Scales a median absolute deviation to a standard deviation for Gaussian noise. */
    private static final double MAD_TO_SIGMA = 1.4826;
    /** Fewer observations than this say too little about scatter to measure the noise at all. */
    private static final int MIN_SIZES_FOR_SCATTER = 3;
    /** A sample median's standard error over a mean's, for Gaussian noise: sqrt(pi / 2) (of two, the mean). */
    private static final double MEDIAN_ERROR_RATIO = Math.sqrt(Math.PI / 2);

    /**
     * The noise of one size's loss outside the peak region {@code region}. With several seeds per size: the
     * seeds' scatter around their size's mean, pooled over the sizes, scaled to the error of a size's median. With
     * one seed: how far each size lies off the straight line (in log parameters) through its neighbours, a median
     * over the sweep, counting only sizes whose neighbours are within the size resolution (on a coarse grid a real
     * curve bends sharply between neighbouring sizes) and whose residual touches no size of the peak region.
     * Empty when neither can be measured.
     */
    static Optional<SweepNoise> outside(List<ModelSize> done, int[] region, double sizeResolution) {
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
            return Optional.of(new SweepNoise(
                    Math.sqrt(squares / freedom) * error,
                    freedom,
                    true,
                    "the scatter of " + seeds + " seeds per size, away from the peak region"));
        }
        List<Double> residuals = new ArrayList<>();
        for (int i = 1; i < done.size() - 1; i++) {
            if (i >= region[0] - 1 && i <= region[1] + 1
                    || !resolved(done.get(i - 1), done.get(i), sizeResolution)
                    || !resolved(done.get(i), done.get(i + 1), sizeResolution)) {
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
                new SweepNoise(
                        MAD_TO_SIGMA
                                * SmoothedSeries.median(
                                        residuals.stream().mapToDouble(d -> d).toArray()),
                        residuals.size(),
                        false,
                        "one seed per size: how far sizes away from the peak region lie off the line through their neighbours"));
    }

    /** Whether two neighbouring known sizes are close enough that no unseen size between them matters. */
    static boolean resolved(ModelSize smaller, ModelSize larger, double sizeResolution) {
        return larger.paramCount() <= sizeResolution * smaller.paramCount();
    }
}
