package io.descentwatch.detection;

import java.util.Arrays;
import java.util.Objects;

/**
 * A robust, smoothed view of one noisy loss series, in constant space: the last few raw values, a running median
 * over them (removes outlier spikes), and an exponential average of that median whose time constant is measured in
 * log-epochs, so every-epoch, sparse and log-spaced evaluation grids are smoothed alike.
 *
 * <p>It also estimates the series' relative noise from the scatter of each value around its neighbours, and
 * tracks how much of that noise survives the smoothing, so that thresholds can demand more from
 * noisy runs than from quiet ones.
 *
 * @param recent         last raw finite values, oldest first (at most the median window)
 * @param level          the smoothed value (NaN before the first value)
 * @param lastLogEpoch   log(1 + epoch) of the last value added
 * @param priorLogEpoch  log(1 + epoch) of the value before it
 * @param varianceWeight the variance of {@code level} relative to one raw value, for independent raw noise
 * @param noise          the estimated relative noise (standard deviation / level) of one raw value
 * @param count          finite values seen
 */
public record SmoothedSeries(
        double[] recent,
        double level,
        double lastLogEpoch,
        double priorLogEpoch,
        double varianceWeight,
        double noise,
        long count) {

    /** Variance of a sample median relative to a mean for Gaussian noise: the cost of the spike filter. */
    private static final double MEDIAN_VARIANCE_RATIO = Math.PI / 2;
    /** Scales a mean absolute deviation to a standard deviation for Gaussian noise: sqrt(pi / 2). */
    private static final double ABSOLUTE_DEVIATION_TO_SIGMA = Math.sqrt(Math.PI / 2);
    /** A deviation beyond four standard deviations is an outlier spike: it counts as four. */
    private static final double SPIKE_CLIP_SIGMAS = 4;

    public static final SmoothedSeries EMPTY = new SmoothedSeries(new double[0], Double.NaN, 0, 0, 1, 0, 0);

    /**
     * The array is taken as it is, as {@link LevelHistory} takes its own: every event of a run builds two series,
     * and each builds its array afresh; the accessor hands out a copy.
     */
    public SmoothedSeries {
        Objects.requireNonNull(recent, "recent");
    }

    @Override
    public double[] recent() {
        return recent.clone();
    }

    /** The running median of the last values: robust to spikes, hardly smoothed. */
    public double filtered(int medianWindow) {
        int n = Math.min(medianWindow, recent.length);
        return n == 0 ? Double.NaN : median(recent, recent.length - n, recent.length);
    }

    /** Standard deviation of {@link #level()}, relative to it. */
    public double relativeSigma() {
        return noise * Math.sqrt(varianceWeight * MEDIAN_VARIANCE_RATIO);
    }

    /**
     * Standard deviation of the difference between {@link #level()} and an earlier level whose variance weight
     * was {@code earlierWeight}, relative to the level, with today's noise estimate (the better one). The two are
     * treated as independent, which is near enough once they are a smoothing span apart and errs on the careful
     * side when they are not.
     */
    public double relativeSigma(double earlierWeight) {
        return noise * Math.sqrt((varianceWeight + earlierWeight) * MEDIAN_VARIANCE_RATIO);
    }

    public SmoothedSeries add(long epoch, double value, DetectionSettings settings) {
        if (!Double.isFinite(value)) {
            return this;
        }
        int keep = Math.max(settings.medianWindow(), 2);
        double[] next = Arrays.copyOfRange(recent, Math.max(0, recent.length + 1 - keep), recent.length + 1);
        next[next.length - 1] = value;
        double logEpoch = LogEpochs.of(Math.max(0, epoch));
        double filtered = median(next, Math.max(0, next.length - settings.medianWindow()), next.length);
        if (count == 0) {
            return new SmoothedSeries(next, filtered, logEpoch, lastLogEpoch, 1, 0, 1);
        }
        // The weight of a new value grows with the log-epochs it covers: smoothing spans a fixed fraction of the
        // elapsed epochs whatever the evaluation grid.
        double alpha = -Math.expm1(-Math.max(0, logEpoch - lastLogEpoch) / settings.smoothingSpan());
        double nextLevel = level + alpha * (filtered - level);
        double nextWeight = (1 - alpha) * (1 - alpha) * varianceWeight + alpha * alpha;
        return new SmoothedSeries(
                next, nextLevel, logEpoch, lastLogEpoch, nextWeight, nextNoise(value, logEpoch, alpha), count + 1);
    }

    /**
     * Updates the relative noise of one raw value from how far the previous value lies off the straight line
     * (in log-epochs) through its two neighbours: a trend, whatever its slope, cancels out, and what remains is
     * noise with a known spread (1 + w^2 + (1 - w)^2 times the variance of one value). Outliers are clipped so one
     * spike does not blind the detector for the rest of the run.
     */
    private double nextNoise(double value, double logEpoch, double alpha) {
        if (count < 2 || recent.length < 2) {
            return noise;
        }
        double before = recent[recent.length - 2];
        double middle = recent[recent.length - 1];
        double span = logEpoch - priorLogEpoch;
        if (span <= 0 || middle == 0) {
            return noise;
        }
        double w = (lastLogEpoch - priorLogEpoch) / span;
        double residual = middle - (w * value + (1 - w) * before);
        double deviation = ABSOLUTE_DEVIATION_TO_SIGMA
                * Math.abs(residual)
                / Math.sqrt(1 + w * w + (1 - w) * (1 - w))
                / Math.abs(middle);
        if (count == 2) {
            return deviation;
        }
        double clipped = noise > 0 ? Math.min(deviation, SPIKE_CLIP_SIGMAS * noise) : deviation;
        // Early on the level forgets fast, but a noise estimate from a handful of values is itself noise: average
        // at least over all values so far (2 / (n + 1) is the weight of an n-value moving average).
        double weight = Math.min(alpha, 2.0 / (count + 1));
        return noise + weight * (clipped - noise);
    }

    /**
     * The median of {@code values[from, to)}, the same value {@link #median(double[])} gives on a copy of them. A
     * median window holds a few values, and sorting a copy of them on each event of each series took about a tenth
     * of the detector step's samples: this counts instead, in the order {@link Arrays#sort(double[])} uses.
     */
    static double median(double[] values, int from, int to) {
        int n = to - from;
        if (n > SMALL_MEDIAN) {
            return median(Arrays.copyOfRange(values, from, to));
        }
        return n % 2 == 1
                ? nth(values, from, to, n / 2)
                : (nth(values, from, to, n / 2 - 1) + nth(values, from, to, n / 2)) / 2;
    }

    /** Up to this many values, {@link #median(double[], int, int)} counts rather than sorts a copy. */
    private static final int SMALL_MEDIAN = 16;

    /** The k-th smallest of {@code values[from, to)} (from 0), ordered as {@link Double#compare} orders them. */
    private static double nth(double[] values, int from, int to, int k) {
        for (int i = from; i < to; i++) {
            int below = 0;
            int same = 0;
            for (int j = from; j < to; j++) {
                int c = Double.compare(values[j], values[i]);
                if (c < 0) {
                    below++;
                } else if (c == 0) {
                    same++;
                }
            }
            if (below <= k && k < below + same) {
                return values[i];
            }
        }
        throw new IllegalArgumentException("no value of rank " + k + " among " + (to - from));
    }

    static double median(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SmoothedSeries s
                && Arrays.equals(recent, s.recent)
                && Double.compare(level, s.level) == 0
                && Double.compare(lastLogEpoch, s.lastLogEpoch) == 0
                && Double.compare(priorLogEpoch, s.priorLogEpoch) == 0
                && Double.compare(varianceWeight, s.varianceWeight) == 0
                && Double.compare(noise, s.noise) == 0
                && count == s.count;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(recent) + Double.hashCode(level) + 7 * Long.hashCode(count);
    }

    @Override
    public String toString() {
        return "SmoothedSeries{level=" + level + ", noise=" + noise + ", count=" + count + ", recent="
                + Arrays.toString(recent) + "}";
    }
}
