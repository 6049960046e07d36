package io.descentwatch.bench;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.testkit.ModelWiseCurve;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One model-wise sweep as a trainer DescentWatch did not write sends it: its sizes in ascending order, one run after
 * the other (seeds of a size one after the other), a few log-spaced evaluations per run with a noisy test loss that
 * settles at the size's level, {@code final} on each run's last event or not, and never a {@code sweep_runs} tag.
 * The levels follow a model-wise curve (the test kit's {@link ModelWiseCurve}) with a peak at the interpolation
 * threshold of a chosen prominence, or a monotone curve (noise only), with relative seed-to-seed noise.
 */
final class LiveSweep {

    /** What the sweep's curve holds. */
    enum Kind {
        /** A peak standing 2x to 6x over the best size on each side: the latency figure. */
        PEAK("peak 2-6x", 2.0, 6.0),
        /** A peak of 20% to 80% over the best size on each side: recall. */
        BUMP("bump 20-80%", 1.2, 1.8),
        /** A monotone curve: any MODEL_WISE_PEAK is false. */
        NOISE("noise only", 0, 0);

        final String label;
        final double minProminence;
        final double maxProminence;

        Kind(String label, double minProminence, double maxProminence) {
            this.label = label;
            this.minProminence = minProminence;
            this.maxProminence = maxProminence;
        }
    }

    /** Model sizes: a coarse or a fine grid over two decades around the threshold, or the noise-only jittered grid. */
    enum Grid {
        COARSE(8),
        FINE(20),
        JITTERED(0);

        final int sizes;

        Grid(int sizes) {
            this.sizes = sizes;
        }

        String label() {
            return this == JITTERED ? "13-21 jittered" : sizes + " sizes";
        }
    }

    /**
     * A benchmark case: its sweeps share these. {@code sendsFinal} null: alternately with and without {@code final}.
     */
    record Case(Kind kind, int seeds, Grid grid, Boolean sendsFinal, double noise) {
        String finalLabel() {
            return sendsFinal == null ? "alternately" : sendsFinal ? "yes" : "no";
        }

        String noiseLabel() {
            return String.format(Locale.ROOT, "%.0f%%", 100 * noise);
        }
    }

    /** Examples in the training set: the interpolation threshold is at p = n. */
    static final long TRAIN_SIZE = 100;
    /** Relative seed-to-seed noise of the sweeps with a peak: the noise-only sweeps' one-seed level. */
    static final double PEAK_NOISE = 0.05;
    /** A run's test loss over its level at epoch e: 1 + this / e, so that it settles as it trains. */
    private static final double SETTLING = 0.2;
    /** Relative evaluation-to-evaluation noise within a run. */
    private static final double EVALUATION_NOISE = 0.01;
    /** Share of runs of noise-only sweeps with a heavy-tailed (Student-t, two degrees of freedom) level. */
    private static final double SPIKES = 0.1;

    final String sweepId;
    final Case kase;
    final boolean sendsFinal;
    final int evaluations;
    final long[] sizes;
    /** The noise-free level of each size. */
    final double[] truth;
    /** Index of the true peak, the best size below and above it; -1 for noise-only sweeps. */
    final int peak;

    final int bestBelow;
    final int bestAbove;
    /** The true peak's loss over the larger of the best losses on each side. */
    final double prominence;
    /** The runs in the order they are sent. */
    final List<Run> runs = new ArrayList<>();

    /** One run: its size's index, its seed, its level and its evaluations' noise. */
    record Run(String runId, int size, int seed, double level, double[] evaluationNoise) {}

    LiveSweep(String sweepId, Case kase, int index, int evaluations, long seed) {
        // well mixed for neighbouring seeds (java.util.Random's first draws are nearly equal for them)
        SplittableRandom random = new SplittableRandom(seed);
        this.sweepId = sweepId;
        this.kase = kase;
        this.sendsFinal = kase.sendsFinal() == null ? index % 2 == 0 : kase.sendsFinal();
        this.evaluations = evaluations;
        if (kase.kind() == Kind.NOISE) {
            int count = 13 + random.nextInt(9);
            double decades = 1.5 + random.nextDouble();
            double floor = 0.1 + 0.4 * random.nextDouble();
            double exponent = 0.3 + 0.7 * random.nextDouble();
            sizes = new long[count];
            truth = new double[count];
            long previous = 0;
            for (int i = 0; i < count; i++) {
                double jitter = (random.nextDouble() - 0.5) * 0.4 * decades / (count - 1);
                sizes[i] = Math.max(previous + 1, Math.round(10 * Math.pow(10, decades * i / (count - 1) + jitter)));
                previous = sizes[i];
                truth[i] = floor + Math.pow(sizes[i] / 10.0, -exponent);
            }
            peak = -1;
            bestBelow = -1;
            bestAbove = -1;
            prominence = Double.NaN;
        } else {
            int count = kase.grid().sizes;
            double step = 2.0 / (count - 1);
            // a grid of its own for each sweep: shifted by up to half a step
            double shift = (random.nextDouble() - 0.5) * step;
            sizes = new long[count];
            long previous = 0;
            for (int i = 0; i < count; i++) {
                sizes[i] = Math.max(previous + 1, Math.round(TRAIN_SIZE * Math.pow(10, -1 + i * step + shift)));
                previous = sizes[i];
            }
            double target = kase.kind().minProminence
                    + random.nextDouble() * (kase.kind().maxProminence - kase.kind().minProminence);
            double height = heightFor(sizes, target);
            truth = levels(sizes, height);
            int[] p = peakOf(truth);
            peak = p[0];
            bestBelow = p[1];
            bestAbove = p[2];
            prominence = prominence(truth, peak);
        }
        for (int i = 0; i < sizes.length; i++) {
            for (int s = 0; s < kase.seeds(); s++) {
                double e = kase.kind() == Kind.NOISE && random.nextDouble() < SPIKES
                        ? studentT2(random)
                        : random.nextGaussian();
                double level = truth[i] * Math.exp(kase.noise() * e);
                double[] noise = new double[evaluations];
                for (int k = 0; k < evaluations; k++) {
                    noise[k] = Math.exp(EVALUATION_NOISE * random.nextGaussian());
                }
                runs.add(new Run(sweepId + "/p" + sizes[i] + "/s" + s, i, s, level, noise));
            }
        }
    }

    /** The event of {@code run}'s evaluation {@code k} (0-based; epochs 1, 2, 4, ...), stamped {@code time}. */
    EpochEvent event(int run, int k, Instant time) {
        Run r = runs.get(run);
        long p = sizes[r.size()];
        long epoch = 1L << k;
        boolean fits = kase.kind() != Kind.NOISE && p >= TRAIN_SIZE;
        double train = k == 0 ? 1.0 : fits ? 1e-7 : 0.3;
        double test = r.level() * (1 + SETTLING / epoch) * r.evaluationNoise()[k];
        return EpochEvent.builder()
                .runId(r.runId())
                .sweepId(sweepId)
                .epoch(epoch)
                .trainLoss(train)
                .testLoss(test)
                .paramCount(p)
                .trainSize(TRAIN_SIZE)
                .time(time)
                .model(Map.of("family", "live-bench"))
                .isFinal(sendsFinal && k == evaluations - 1)
                .build();
    }

    int events() {
        return runs.size() * evaluations;
    }

    /** Whether a run is one of the sizes that decide the peak: the peak's and the best size's on each side. */
    boolean decides(Run run) {
        return peak >= 0 && (run.size() == peak || run.size() == bestBelow || run.size() == bestAbove);
    }

    private static double[] levels(long[] sizes, double height) {
        double[] l = new double[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            l[i] = ModelWiseCurve.testLoss(sizes[i], TRAIN_SIZE, height);
        }
        return l;
    }

    /** The peak height whose curve has the given prominence on these sizes (bisection; it grows with the height). */
    private static double heightFor(long[] sizes, double target) {
        double lo = 0;
        double hi = 100;
        for (int i = 0; i < 80; i++) {
            double mid = (lo + hi) / 2;
            double[] l = levels(sizes, mid);
            if (prominence(l, peakOf(l)[0]) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    /** The size standing out most over the best size on each side, and those two: {peak, below, above}. */
    static int[] peakOf(double[] losses) {
        int best = -1;
        double most = Double.NEGATIVE_INFINITY;
        for (int i = 1; i < losses.length - 1; i++) {
            double p = prominence(losses, i);
            if (p > most) {
                most = p;
                best = i;
            }
        }
        int below = 0;
        for (int j = 0; j < best; j++) {
            below = losses[j] < losses[below] ? j : below;
        }
        int above = best + 1;
        for (int j = best + 1; j < losses.length; j++) {
            above = losses[j] < losses[above] ? j : above;
        }
        return new int[] {best, below, above};
    }

    private static double prominence(double[] losses, int i) {
        double below = Double.POSITIVE_INFINITY;
        for (int j = 0; j < i; j++) {
            below = Math.min(below, losses[j]);
        }
        double above = Double.POSITIVE_INFINITY;
        for (int j = i + 1; j < losses.length; j++) {
            above = Math.min(above, losses[j]);
        }
        return losses[i] / Math.max(below, above);
    }

    private static double studentT2(SplittableRandom random) {
        double z = random.nextGaussian();
        double chi = random.nextGaussian() * random.nextGaussian() + random.nextGaussian() * random.nextGaussian();
        return z / Math.sqrt(Math.abs(chi) / 2 + 1e-12);
    }

    /** The index of {@code paramCount} among the sizes, or -1. */
    int indexOf(long paramCount) {
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == paramCount) {
                return i;
            }
        }
        return -1;
    }
}
