package io.descentwatch.detection;

import io.descentwatch.events.EpochEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongToDoubleFunction;

/**
 * Hand-made loss curves for the unit tests: a noise-free test-loss and train-loss shape, sampled on an evaluation
 * grid, with multiplicative Gaussian noise and optional outlier spikes from a seeded {@link Random}.
 */
final class Curves {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    /** Evaluation grids. */
    static List<Long> everyEpoch(long last) {
        return everyK(1, last);
    }

    static List<Long> everyK(long k, long last) {
        List<Long> epochs = new ArrayList<>();
        for (long e = 1; e <= last; e += k) {
            epochs.add(e);
        }
        return epochs;
    }

    /** 1, 2, 3, ... growing by the ratio each time (distinct integers). */
    static List<Long> logSpaced(double ratio, long last) {
        List<Long> epochs = new ArrayList<>();
        double e = 1;
        while (e <= last) {
            long epoch = Math.round(e);
            if (epochs.isEmpty() || epoch > epochs.get(epochs.size() - 1)) {
                epochs.add(epoch);
            }
            e *= ratio;
        }
        return epochs;
    }

    /** Gaps drawn uniformly between 1 and maxGap epochs. */
    static List<Long> irregular(Random random, int maxGap, long last) {
        List<Long> epochs = new ArrayList<>();
        for (long e = 1; e <= last; e += 1 + random.nextInt(maxGap)) {
            epochs.add(e);
        }
        return epochs;
    }

    /** A double descent: fast first descent to a minimum, a bump in log-epochs, then a slow second descent. */
    static LongToDoubleFunction doubleDescent(double bump, double peakEpoch, double finalDrop) {
        return e -> 1.0
                + 1.5 * Math.exp(-e / (peakEpoch / 15.0))
                + bump * Math.exp(-sq(Math.log(e / peakEpoch)) / (2 * sq(0.6)))
                - finalDrop * (1 - Math.exp(-e / (peakEpoch * 10)));
    }

    /** Falls to a minimum near minEpoch, then rises steadily and never turns back. */
    static LongToDoubleFunction uShape(double minEpoch, double riseByEnd, long last) {
        return e -> 1.0 + 1.5 * Math.exp(-e / (minEpoch / 4.0)) + riseByEnd * Math.max(0, e - minEpoch) / last;
    }

    static LongToDoubleFunction decreasing(double scale) {
        return e -> 0.5 + 1.0 / (1 + e / scale);
    }

    static LongToDoubleFunction constant(double value) {
        return e -> value;
    }

    /** A train loss that decays exponentially from 2 towards a floor. */
    static LongToDoubleFunction trainDecay(double epochsPerDecade, double floor) {
        return e -> floor + 2.0 * Math.pow(10, -e / epochsPerDecade);
    }

    static double sq(double x) {
        return x * x;
    }

    /** The epoch of the largest value of a shape over a grid after the given epoch. */
    static long argMaxAfter(LongToDoubleFunction f, long after, long last) {
        long best = after;
        for (long e = after; e <= last; e++) {
            if (f.applyAsDouble(e) > f.applyAsDouble(best)) {
                best = e;
            }
        }
        return best;
    }

    /** A run: a test and a train shape sampled on a grid with noise and spikes. */
    static final class Run {
        final String runId;
        String sweepId = "sweep";
        long paramCount = 100;
        long trainSize = 100;
        int outputDim = 1;
        LongToDoubleFunction test = constant(1);
        LongToDoubleFunction train = trainDecay(1e9, 0);
        List<Long> grid = everyEpoch(100);
        double noise;
        double spikeProbability;
        double spikeFactor = 3;
        final Random random;

        Run(String runId, long seed) {
            this.runId = runId;
            this.random = new Random(seed);
        }

        Run test(LongToDoubleFunction f) {
            this.test = f;
            return this;
        }

        Run train(LongToDoubleFunction f) {
            this.train = f;
            return this;
        }

        Run grid(List<Long> epochs) {
            this.grid = epochs;
            return this;
        }

        Run noise(double relative) {
            this.noise = relative;
            return this;
        }

        Run spikes(double probability, double factor) {
            this.spikeProbability = probability;
            this.spikeFactor = factor;
            return this;
        }

        Run size(long params, long samples) {
            this.paramCount = params;
            this.trainSize = samples;
            return this;
        }

        Run sweep(String id) {
            this.sweepId = id;
            return this;
        }

        private double noisy(double value) {
            double v = value * (1 + noise * random.nextGaussian());
            if (random.nextDouble() < spikeProbability) {
                v *= spikeFactor;
            }
            return v;
        }

        List<EpochEvent> events() {
            List<EpochEvent> events = new ArrayList<>();
            for (int i = 0; i < grid.size(); i++) {
                long e = grid.get(i);
                events.add(EpochEvent.builder()
                        .runId(runId)
                        .sweepId(sweepId)
                        .epoch(e)
                        .trainLoss(noisy(train.applyAsDouble(e)))
                        .testLoss(noisy(test.applyAsDouble(e)))
                        .paramCount(paramCount)
                        .trainSize(trainSize)
                        .outputDim(outputDim)
                        .time(START.plusSeconds(e))
                        .isFinal(i == grid.size() - 1)
                        .build());
            }
            return events;
        }
    }
}
