package io.descentwatch.detection;

import java.util.Arrays;

/**
 * The test losses of one model size's healthy seeds, as a multiset that takes values in and out (a run's summary
 * changes while it trains) and answers with their median and scatter. Immutable.
 *
 * <p>Up to {@link #EXACT_LIMIT} seeds the values are kept as they are, so sweeps of ordinary seed counts decide on
 * exactly the numbers they always did. Past that they fold into a histogram on a log-like scale ({@code asinh},
 * which also takes zero and negative losses): a size of ten thousand seeds costs what one of a few dozen does, and
 * its median is known to a small fraction of a bin (values are taken as spread evenly within their bin), far
 * inside the seed-to-seed spread any decision is judged against. The histogram's bins start {@link #BIN_WIDTH} wide; when more than {@link #MAX_BINS} are filled,
 * neighbouring bins merge (the width doubles), so a size's record stays bounded whatever its seeds do. A value
 * always falls in the bin of its current width, so it can be taken out again after a merge. Sums of the values and
 * their squares are kept exactly for the scatter.
 */
public final class SeedLosses {

    /** Seeds kept as exact values: more than any sweep of the labelled corpora or the presets has per size. */
    static final int EXACT_LIMIT = 32;
    /** Filled bins past which neighbours merge: the bound on a size's record (a few hundred bytes). */
    static final int MAX_BINS = 48;
    /** Width of the finest bin on the asinh scale: one percent of relative loss, a median error under 0.5%. */
    static final double BIN_WIDTH = Math.log(1.01);
    /** Losses far above this behave as on a log scale; it only sets where zero sits. */
    private static final double SCALE = 1e-9;

    static final SeedLosses EMPTY = new SeedLosses(new double[0], null, null, 0, 0, 0, 0);

    /** Sorted exact values, or null once the values are binned. */
    private final double[] exact;
    /** Bin keys, increasing, and the count in each (binned mode). */
    private final int[] keys;

    private final int[] counts;
    /** How many times the bins have merged: a bin is {@code BIN_WIDTH * 2^level} wide. */
    private final int level;

    private final int count;
    private final double sum;
    private final double squares;

    private SeedLosses(double[] exact, int[] keys, int[] counts, int level, int count, double sum, double squares) {
        this.exact = exact;
        this.keys = keys;
        this.counts = counts;
        this.level = level;
        this.count = count;
        this.sum = sum;
        this.squares = squares;
    }

    static SeedLosses exact(double[] sortedValues) {
        return new SeedLosses(sortedValues.clone(), null, null, 0, sortedValues.length, 0, 0);
    }

    static SeedLosses binned(int level, int[] keys, int[] counts, double sum, double squares) {
        int n = Arrays.stream(counts).sum();
        return new SeedLosses(null, keys.clone(), counts.clone(), level, n, sum, squares);
    }

    int count() {
        return count;
    }

    boolean isExact() {
        return exact != null;
    }

    /** The exact values, sorted (exact mode only). */
    double[] values() {
        return exact.clone();
    }

    int level() {
        return level;
    }

    int[] keys() {
        return keys.clone();
    }

    int[] counts() {
        return counts.clone();
    }

    double sum() {
        return sum;
    }

    double squares() {
        return squares;
    }

    SeedLosses with(double loss) {
        if (exact != null && exact.length < EXACT_LIMIT) {
            double[] next = Arrays.copyOf(exact, exact.length + 1);
            int at = insertionPoint(exact, loss);
            System.arraycopy(exact, at, next, at + 1, exact.length - at);
            next[at] = loss;
            return new SeedLosses(next, null, null, 0, next.length, 0, 0);
        }
        SeedLosses binned = exact != null ? toBins() : this;
        return binned.add(loss, 1).compacted();
    }

    /** Without one occurrence of {@code loss}; unchanged if it is not there. */
    SeedLosses without(double loss) {
        if (exact != null) {
            int at = Arrays.binarySearch(exact, loss);
            if (at < 0) {
                return this;
            }
            double[] next = new double[exact.length - 1];
            System.arraycopy(exact, 0, next, 0, at);
            System.arraycopy(exact, at + 1, next, at, next.length - at);
            return new SeedLosses(next, null, null, 0, next.length, 0, 0);
        }
        int at = Arrays.binarySearch(keys, key(loss, level));
        return at < 0 ? this : add(loss, -1);
    }

    double median() {
        if (count == 0) {
            return Double.NaN;
        }
        if (exact != null) {
            return SmoothedSeries.median(exact);
        }
        return count % 2 == 1 ? nth(count / 2) : (nth(count / 2 - 1) + nth(count / 2)) / 2;
    }

    /** The values' squared deviations from their mean, relative to {@code median}, summed. */
    double scatter(double median) {
        if (median == 0 || count == 0) {
            return Double.NaN;
        }
        if (exact == null) {
            return Math.max(0, squares - sum * sum / count) / (median * median);
        }
        double mean = 0;
        for (double loss : exact) {
            mean += loss / exact.length;
        }
        double total = 0;
        for (double loss : exact) {
            total += (loss - mean) * (loss - mean);
        }
        return total / (median * median);
    }

    /**
     * The {@code i}-th smallest value as its bin knows it (binned mode): the values of a bin taken as spread evenly
     * across it, so that a median between two close sizes is not rounded to a bin's middle (with hundreds of seeds a
     * bin holds tens of them, and the error is a small fraction of its width).
     */
    private double nth(int i) {
        int before = 0;
        for (int b = 0; b < keys.length; b++) {
            if (before + counts[b] > i) {
                double within = (i - before + 0.5) / counts[b];
                return SCALE * Math.sinh((keys[b] + within) * BIN_WIDTH * (1L << level));
            }
            before += counts[b];
        }
        throw new IllegalStateException("a median past the last bin");
    }

    private SeedLosses toBins() {
        SeedLosses bins = new SeedLosses(null, new int[0], new int[0], 0, 0, 0, 0);
        for (double v : exact) {
            bins = bins.add(v, 1);
        }
        return bins.compacted();
    }

    /** {@code delta} (+1 or -1) occurrences of {@code loss} in its bin. */
    private SeedLosses add(double loss, int delta) {
        int key = key(loss, level);
        int at = Arrays.binarySearch(keys, key);
        int[] nextKeys;
        int[] nextCounts;
        if (at >= 0) {
            nextKeys = keys;
            nextCounts = counts.clone();
            nextCounts[at] += delta;
            if (nextCounts[at] == 0) {
                nextKeys = remove(keys, at);
                nextCounts = remove(nextCounts, at);
            }
        } else {
            int p = -at - 1;
            nextKeys = insert(keys, p, key);
            nextCounts = insert(counts, p, delta);
        }
        return new SeedLosses(
                null, nextKeys, nextCounts, level, count + delta, sum + delta * loss, squares + delta * loss * loss);
    }

    /** Merges neighbouring bins until at most {@link #MAX_BINS} are filled. */
    private SeedLosses compacted() {
        SeedLosses s = this;
        while (s.keys.length > MAX_BINS) {
            int[] k = new int[s.keys.length];
            int[] c = new int[s.keys.length];
            int n = 0;
            for (int b = 0; b < s.keys.length; b++) {
                int merged = s.keys[b] >> 1;
                if (n > 0 && k[n - 1] == merged) {
                    c[n - 1] += s.counts[b];
                } else {
                    k[n] = merged;
                    c[n++] = s.counts[b];
                }
            }
            s = new SeedLosses(null, Arrays.copyOf(k, n), Arrays.copyOf(c, n), s.level + 1, s.count, s.sum, s.squares);
        }
        return s;
    }

    /** The bin of {@code loss} at {@code level}: at level 0 by {@link #BIN_WIDTH}; an arithmetic shift later. */
    static int key(double loss, int level) {
        return (int) Math.floor(asinh(loss / SCALE) / BIN_WIDTH) >> level;
    }

    private static double asinh(double x) {
        return Math.signum(x) * Math.log(Math.abs(x) + Math.sqrt(x * x + 1));
    }

    private static int insertionPoint(double[] sorted, double v) {
        int at = Arrays.binarySearch(sorted, v);
        return at >= 0 ? at : -at - 1;
    }

    private static int[] insert(int[] a, int at, int v) {
        int[] next = new int[a.length + 1];
        System.arraycopy(a, 0, next, 0, at);
        next[at] = v;
        System.arraycopy(a, at, next, at + 1, a.length - at);
        return next;
    }

    private static int[] remove(int[] a, int at) {
        int[] next = new int[a.length - 1];
        System.arraycopy(a, 0, next, 0, at);
        System.arraycopy(a, at + 1, next, at, next.length - at);
        return next;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeedLosses s
                && count == s.count
                && level == s.level
                && Arrays.equals(exact, s.exact)
                && Arrays.equals(keys, s.keys)
                && Arrays.equals(counts, s.counts)
                && Double.compare(sum, s.sum) == 0
                && Double.compare(squares, s.squares) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(exact) + Arrays.hashCode(keys) + count;
    }
}
