package io.descentwatch.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One run's curve as kept for display, in memory bounded per run rather than per event: a run evaluated every
 * epoch for a million epochs holds at most four times the display budget, so a page left open beside training for
 * weeks does not grow with every event. Points are appended raw; once there are four times the display budget,
 * the older part is thinned to one bucket per display point in log-epochs, keeping each bucket's first point and
 * its lowest and highest test loss (a dip or a bump stays visible), the recent part stays raw (an alert about it may still be on its way),
 * and an epoch a landmark names (an alert's first minimum, peak or epoch, the advice's checkpoint) is never
 * dropped. Losses are kept as floats: seven digits are more than a chart shows (the latest, which the run table
 * shows, is kept exact).
 */
final class Curve {

    /**
     * Held at most, in display budgets: a compaction leaves at most three (and a quarter raw), so in a long run one
     * comes every few hundred events.
     */
    private static final int LIMIT = 4;

    private final int maxPoints;
    private final int recent;
    private final Set<Long> landmarks = new TreeSet<>();
    private long[] epochs = new long[8];
    private float[] train = new float[8];
    private float[] test = new float[8];
    private int size;
    private Report.Point last;

    Curve(int maxPoints) {
        this.maxPoints = maxPoints;
        this.recent = Math.max(1, maxPoints / 4);
    }

    void add(long epoch, double trainLoss, double testLoss) {
        if (size == epochs.length) {
            int grown = Math.min(Math.max(2 * size, 8), LIMIT * maxPoints + landmarks.size() + 1);
            epochs = Arrays.copyOf(epochs, Math.max(grown, size + 1));
            train = Arrays.copyOf(train, epochs.length);
            test = Arrays.copyOf(test, epochs.length);
        }
        epochs[size] = epoch;
        train[size] = (float) trainLoss;
        test[size] = (float) testLoss;
        size++;
        last = new Report.Point(epoch, trainLoss, testLoss);
        if (size >= LIMIT * maxPoints + landmarks.size()) {
            compact();
        }
    }

    /** An epoch a landmark names: kept however long the run goes on (the nearest point, if it was never seen). */
    void protect(long epoch) {
        landmarks.add(epoch);
    }

    int size() {
        return size;
    }

    Report.Point last() {
        return last;
    }

    /** The curve to draw: at most the display budget, plus the landmarks. */
    List<Report.Point> view() {
        List<Report.Point> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(new Report.Point(epochs[i], widen(train[i]), widen(test[i])));
        }
        return LogThinning.thin(all, maxPoints, p -> landmarks.contains(p.epoch()));
    }

    /** A float back as the double it was written as: 1.2f as 1.2, not 1.2000000476837158. */
    private static double widen(float f) {
        return Float.isFinite(f) ? Double.parseDouble(Float.toString(f)) : f;
    }

    /** Thins all but the recent points to what the display budget leaves them, in place. */
    private void compact() {
        int old = size - recent;
        int buckets = maxPoints;
        double first = Math.log1p(epochs[0]);
        double span = Math.log1p(epochs[old - 1]) - first;
        boolean[] keep = new boolean[old];
        keep[0] = true;
        keep[old - 1] = true;
        int bucketStart = 0;
        while (bucketStart < old) {
            int bucket = bucketOf(epochs[bucketStart], first, span, buckets);
            int end = bucketStart;
            int lo = -1;
            int hi = -1;
            while (end < old && bucketOf(epochs[end], first, span, buckets) == bucket) {
                if (Double.isFinite(test[end])) {
                    lo = lo < 0 || test[end] < test[lo] ? end : lo;
                    hi = hi < 0 || test[end] > test[hi] ? end : hi;
                }
                keep[end] |= landmarks.contains(epochs[end]);
                end++;
            }
            // its first point keeps the curve even in log-epochs; its extremes keep its dips and bumps
            keep[bucketStart] = true;
            if (lo >= 0) {
                keep[lo] = true;
            }
            if (hi >= 0) {
                keep[hi] = true;
            }
            bucketStart = end;
        }
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (i >= old || keep[i]) {
                epochs[n] = epochs[i];
                train[n] = train[i];
                test[n] = test[i];
                n++;
            }
        }
        size = n;
    }

    private static int bucketOf(long epoch, double first, double span, int buckets) {
        if (span <= 0) {
            return 0;
        }
        return (int) Math.min(buckets - 1, Math.floor((Math.log1p(epoch) - first) / span * buckets));
    }
}
