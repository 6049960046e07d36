package io.descentwatch.bench;

import io.descentwatch.events.EpochEvent;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Benchmark load: runs whose curves have every shape the detector looks for, so that a benchmark exercises the
 * detector's real work (smoothing, landmarks, alerts, sweep updates), not just its parsing.
 *
 * <p>Each run's test loss falls to a first minimum near epoch 18, rises about 30% to a peak near epoch 40, then
 * falls below the first minimum; its train loss falls to interpolation near epoch 70. Noise is 1% multiplicative.
 * Runs are grouped in sweeps of {@link #RUNS_PER_SWEEP} model sizes.
 */
public final class SyntheticRuns implements RunEvents {

    public static final int RUNS_PER_SWEEP = 10;
    public static final int TRAIN_SIZE = 100;
    private static final double NOISE = 0.01;

    private final int epochsPerRun;
    private final String prefix;

    public SyntheticRuns(String prefix, int epochsPerRun) {
        this.prefix = prefix;
        this.epochsPerRun = epochsPerRun;
    }

    @Override
    public int epochsPerRun() {
        return epochsPerRun;
    }

    @Override
    public String runId(int run) {
        return prefix + "/s" + (run / RUNS_PER_SWEEP) + "/r" + run;
    }

    /** The event of run {@code run} after {@code epoch} epochs (1-based), deterministic in (run, epoch). */
    @Override
    public EpochEvent event(int run, int epoch, Instant time) {
        SplittableRandom noise = new SplittableRandom(run * 1_000_003L + epoch);
        double e = epoch;
        double bump = 0.5 * Math.exp(-Math.pow(Math.log(e / 40.0), 2) / (2 * 0.35 * 0.35));
        double test = 2.0 * Math.exp(-e / 5.0) + 1.0 + bump - 0.4 * Math.min(e, 200.0) / 200.0;
        double train = 2.0 * Math.exp(-e / 10.0);
        long params = 10L * (1 + run % RUNS_PER_SWEEP) * TRAIN_SIZE / 5;
        return EpochEvent.builder()
                .runId(runId(run))
                .sweepId(prefix + "/s" + (run / RUNS_PER_SWEEP))
                .epoch(epoch)
                .trainLoss(train * (1 + NOISE * noise.nextGaussian()))
                .testLoss(test * (1 + NOISE * noise.nextGaussian()))
                .paramCount(params)
                .trainSize(TRAIN_SIZE)
                .time(time)
                .model(Map.of("family", "synthetic"))
                .isFinal(epoch == epochsPerRun)
                .build();
    }
}
