package io.descentwatch.detection;

import java.util.Arrays;

/**
 * The smoothed train and test levels at log-spaced points of a run's recent past, in constant space: enough to
 * read (by linear interpolation in log-epochs) where both losses were one advice span ago, whatever the evaluation
 * grid. A point is kept every quarter of a doubling at most, and points older than the span are dropped except the
 * one just before it, so a run of a million epochs holds as many points as one of a hundred.
 *
 * @param logEpochs log(1 + epoch) of each point, ascending
 * @param train     the smoothed train loss at each point
 * @param test      the smoothed test loss at each point
 */
public record LevelHistory(double[] logEpochs, double[] train, double[] test) {

    /**
     * A quarter of a doubling (0.17 log-epochs), about the smoothing's time constant (0.15): the smoothed levels
     * are nearly straight between points that close, so interpolating between them adds no error worth having.
     */
    static final double SPACING = Math.log(2) / 4;

    public static final LevelHistory EMPTY = new LevelHistory(new double[0], new double[0], new double[0]);

    /** The arrays are taken as they are (this runs for every point kept); the accessors hand out copies. */
    public LevelHistory {
        if (logEpochs.length != train.length || logEpochs.length != test.length) {
            throw new IllegalArgumentException("a level history needs as many train and test levels as points");
        }
    }

    @Override
    public double[] logEpochs() {
        return logEpochs.clone();
    }

    @Override
    public double[] train() {
        return train.clone();
    }

    @Override
    public double[] test() {
        return test.clone();
    }

    public int size() {
        return logEpochs.length;
    }

    /** This history with the levels at {@code logEpoch}, keeping what a look back over {@code span} needs. */
    LevelHistory add(double logEpoch, double trainLevel, double testLevel, double span) {
        int n = logEpochs.length;
        if (!Double.isFinite(trainLevel)
                || !Double.isFinite(testLevel)
                || (n > 0 && logEpoch - logEpochs[n - 1] < SPACING)) {
            return this;
        }
        // the first point to keep: the last one at or before the span's start (needed to interpolate there)
        int first = 0;
        while (first + 1 < n && logEpochs[first + 1] <= logEpoch - span) {
            first++;
        }
        int kept = n - first;
        double[] e = Arrays.copyOfRange(logEpochs, first, n + 1);
        double[] tr = Arrays.copyOfRange(train, first, n + 1);
        double[] te = Arrays.copyOfRange(test, first, n + 1);
        e[kept] = logEpoch;
        tr[kept] = trainLevel;
        te[kept] = testLevel;
        return new LevelHistory(e, tr, te);
    }

    /** Whether the history reaches back to {@code logEpoch}. */
    boolean reaches(double logEpoch) {
        return logEpochs.length > 0 && logEpochs[0] <= logEpoch;
    }

    double trainAt(double logEpoch) {
        return at(train, logEpoch);
    }

    double testAt(double logEpoch) {
        return at(test, logEpoch);
    }

    private double at(double[] values, double logEpoch) {
        int n = logEpochs.length;
        if (n == 0 || logEpoch < logEpochs[0]) {
            return Double.NaN;
        }
        for (int i = 1; i < n; i++) {
            if (logEpochs[i] >= logEpoch) {
                double w = (logEpoch - logEpochs[i - 1]) / (logEpochs[i] - logEpochs[i - 1]);
                return values[i - 1] + w * (values[i] - values[i - 1]);
            }
        }
        return values[n - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LevelHistory h
                && Arrays.equals(logEpochs, h.logEpochs)
                && Arrays.equals(train, h.train)
                && Arrays.equals(test, h.test);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(logEpochs) + Arrays.hashCode(test);
    }

    @Override
    public String toString() {
        return "LevelHistory{points=" + logEpochs.length + "}";
    }
}
