package io.descentwatch.detection;

import java.time.Instant;
import java.util.List;
import java.util.Random;

/** What the generated sweeps of the sweep tests share: ended runs of one size, their noise and the truth's peak. */
final class SweepFixtures {

    private SweepFixtures() {}

    /**
     * A run of {@code size} that ended at epoch 100 with {@code testLoss}; one that {@code fits} interpolated at
     * epoch 50 (train loss 1e-9), one that does not ended with train loss 0.3.
     */
    static RunSummary endedRun(String runId, String sweepId, RunSize size, double testLoss, boolean fits) {
        return new RunSummary(
                new RunFacts(runId, sweepId, size),
                100,
                Instant.EPOCH,
                RunPhase.DESCENDING,
                testLoss,
                fits ? 50 : -1,
                fits ? 1e-9 : 0.3,
                RunActivity.TRAINING,
                0,
                null,
                null);
    }

    /** A draw of Student's t with two degrees of freedom: the heavy-tailed spikes of some runs. */
    static double studentT2(Random random) {
        double z = random.nextGaussian();
        double chi = random.nextGaussian() * random.nextGaussian() + random.nextGaussian() * random.nextGaussian();
        return z / Math.sqrt(Math.abs(chi) / 2 + 1e-12);
    }

    /**
     * The truth's peak as the corpus labels it: the noise-free curve's most prominent interior maximum (its index)
     * and how far it stands over the best size on each side, whichever is smaller, less one.
     */
    record TruePeak(int index, double prominence) {

        static TruePeak of(List<Double> truth) {
            int top = 1;
            double prominence = Double.NEGATIVE_INFINITY;
            for (int i = 1; i < truth.size() - 1; i++) {
                double left =
                        truth.subList(0, i).stream().mapToDouble(d -> d).min().orElseThrow();
                double right = truth.subList(i + 1, truth.size()).stream()
                        .mapToDouble(d -> d)
                        .min()
                        .orElseThrow();
                double here = Math.min(truth.get(i) / left, truth.get(i) / right) - 1;
                if (here > prominence) {
                    prominence = here;
                    top = i;
                }
            }
            return new TruePeak(top, prominence);
        }
    }
}
