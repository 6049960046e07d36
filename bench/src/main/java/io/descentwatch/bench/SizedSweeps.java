package io.descentwatch.bench;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.testkit.ModelWiseCurve;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Benchmark and test load for sweeps of a given run count: run {@code i} belongs to sweep {@code i / runsPerSweep};
 * within a sweep, runs cycle through {@code sizes} model sizes on a log grid (ten per decade, from 10 to past the
 * training set size of 100) and repeat them as seeds. Each run's test loss settles at its size's loss, which
 * falls, peaks at the interpolation threshold (p/n = 1) and falls lower past it, with relative seed-to-seed noise;
 * sizes past the threshold fit their training set. No {@code sweep_runs} tag, as a trainer of its own sends: a
 * sweep is complete once its runs go quiet.
 */
public final class SizedSweeps implements RunEvents {

    public static final long TRAIN_SIZE = 100;
    /** The grid's step: ten sizes per decade. */
    private static final double GRID_STEP = Math.pow(10, 0.1);

    private static final long SMALLEST = 10;
    /** A run's test loss over its size's, at epoch e: 1 + this / e, so that it settles as it trains. */
    private static final double SETTLING = 0.2;
    /** The model-wise peak: the test loss doubles at the threshold, a peak no noise level here could hide. */
    private static final double PEAK_HEIGHT = 1;

    private final String prefix;
    private final int runsPerSweep;
    private final int sizes;
    private final int evaluations;
    private final double noise;

    /**
     * @param evaluations evaluations per run, the last one {@code final}; four or more let a fitted size confirm
     *                    interpolation (three evaluations under the threshold)
     * @param noise       relative seed-to-seed noise of a run's test loss
     */
    public SizedSweeps(String prefix, int runsPerSweep, int sizes, int evaluations, double noise) {
        this.prefix = prefix;
        this.runsPerSweep = runsPerSweep;
        this.sizes = sizes;
        this.evaluations = evaluations;
        this.noise = noise;
    }

    @Override
    public int epochsPerRun() {
        return evaluations;
    }

    public String sweepId(int run) {
        return prefix + "/sweep" + run / runsPerSweep;
    }

    @Override
    public String runId(int run) {
        int inSweep = run % runsPerSweep;
        return sweepId(run) + "/p" + paramCount(run) + "/seed" + inSweep / sizes;
    }

    public long paramCount(int run) {
        return Math.round(SMALLEST * Math.pow(GRID_STEP, run % runsPerSweep % sizes));
    }

    @Override
    public EpochEvent event(int run, int epoch, Instant time) {
        long p = paramCount(run);
        double seedLoss = ModelWiseCurve.testLoss(p, TRAIN_SIZE, PEAK_HEIGHT)
                * Math.exp(noise * new SplittableRandom(run).nextGaussian());
        double train = epoch == 1 ? 1.0 : p >= TRAIN_SIZE ? 1e-7 : 0.3;
        return EpochEvent.builder()
                .runId(runId(run))
                .sweepId(sweepId(run))
                .epoch(epoch)
                .trainLoss(train)
                .testLoss(seedLoss * (1 + SETTLING / epoch))
                .paramCount(p)
                .trainSize(TRAIN_SIZE)
                .time(time)
                .model(Map.of("family", "sized-sweeps"))
                .isFinal(epoch == evaluations)
                .build();
    }
}
