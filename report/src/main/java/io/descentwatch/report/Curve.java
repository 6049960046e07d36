package io.descentwatch.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One run's curve as kept for display, in memory bounded per run rather than per event: a run evaluated every
 * epoch for a million epochs holds a few hundred points, so a page left open beside training for weeks does not
 * grow with every event. Points are appended raw; once there are twice the display budget, the older part is
 * thinned in log-epochs keeping each bucket's lowest and highest test loss (a dip or a bump stays visible), the
 * recent part stays raw (an alert about it may still be on its way), and an epoch a landmark names (an alert's
 * first minimum, peak or epoch, the advice's checkpoint) is never dropped.
 */
final class Curve {

    private final int maxPoints;
    private final int recent;
    private final Set<Long> landmarks = new TreeSet<>();
    private long[] epochs = new long[8];
    private double[] train = new double[8];
    private double[] test = new double[8];
    private int size;

    Curve(int maxPoints) {
        this.maxPoints = maxPoints;
        this.recent = Math.max(1, maxPoints / 4);
    }

    void add(long epoch, double trainLoss, double testLoss) {
        if (size == epochs.length) {
            int grown = Math.min(Math.max(2 * size, 8), 2 * maxPoints + landmarks.size() + 1);
            epochs = Arrays.copyOf(epochs, Math.max(grown, size + 1));
            train = Arrays.copyOf(train, epochs.length);
            test = Arrays.copyOf(test, epochs.length);
        }
        epochs[size] = epoch;
        train[size] = trainLoss;
        test[size] = testLoss;
        size++;
        if (size >= 2 * maxPoints + landmarks.size()) {
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
        return new Report.Point(epochs[size - 1], train[size - 1], test[size - 1]);
    }

    /** The curve to draw: at most the display budget, plus the landmarks. */
    List<Report.Point> view() {
        List<Report.Point> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(new Report.Point(epochs[i], train[i], test[i]));
        }
        return LogThinning.thin(all, maxPoints, p -> landmarks.contains(p.epoch()));
    }

    /** Thins all but the recent points to what the display budget leaves them, in place. */
    private void compact() {
        int old = size - recent;
        int buckets = Math.max(1, (maxPoints - recent) / 2);
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
            keep[lo >= 0 ? lo : bucketStart] = true;
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
