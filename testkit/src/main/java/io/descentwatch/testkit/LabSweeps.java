package io.descentwatch.testkit;

import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A lab's worth of sweeps for the page at scale (its browser test and benchmark): {@code sweeps} sweeps of
 * {@code runsPerSweep} runs, each run a different model size on a log grid. Every third sweep spans the
 * interpolation threshold (sizes 10 to 10,000 for 100 training targets) with a model-wise peak and, for the sizes
 * near the threshold, an epoch-wise bump in test loss; the others stay under the threshold and descend plainly, so
 * the detector finds something in the first kind and nothing in the second. Sweeps differ in when they last trained,
 * so a list of them by last update has an order. Events come as the wire's JSON lines ({@code descentwatch.epoch/v1}),
 * what a trainer publishes and the report command reads.
 */
public final class LabSweeps {

    public static final long TRAIN_SIZE = 100;
    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    private final int sweeps;
    private final int runsPerSweep;
    private final int epochs;

    public LabSweeps(int sweeps, int runsPerSweep, int epochs) {
        this.sweeps = sweeps;
        this.runsPerSweep = runsPerSweep;
        this.epochs = epochs;
    }

    public long events() {
        return (long) sweeps * runsPerSweep * epochs;
    }

    public String sweepId(int sweep) {
        return String.format("lab/sweep%03d", sweep);
    }

    public String runId(int sweep, int run) {
        return sweepId(sweep) + "/p" + paramCount(sweep, run);
    }

    /** Whether the sweep crosses the threshold, where the detector finds a peak, bumps and second descents. */
    public boolean peaked(int sweep) {
        return sweep % 3 == 0;
    }

    public long paramCount(int sweep, int run) {
        double decades = peaked(sweep) ? 3 : 0.95;
        return Math.round(10 * Math.pow(10, decades * run / Math.max(1, runsPerSweep - 1)));
    }

    /** Every event, a sweep at a time and within it epoch by epoch across its runs, as a sweep trains. */
    public void forEach(Consumer<String> to) {
        for (int s = 0; s < sweeps; s++) {
            for (int e = 1; e <= epochs; e++) {
                for (int r = 0; r < runsPerSweep; r++) {
                    to.accept(event(s, r, e));
                }
            }
        }
    }

    /** One event as a JSON line. */
    public String event(int sweep, int run, int epoch) {
        long p = paramCount(sweep, run);
        boolean peaked = peaked(sweep);
        double level = ModelWiseCurve.testLoss(p, TRAIN_SIZE, peaked ? 1 : 0);
        double x = Math.log((double) p / TRAIN_SIZE);
        // epoch-wise: a bump around a quarter of training for the sizes near the threshold, then a second descent
        double nearThreshold = peaked ? Math.exp(-x * x / 2) : 0;
        double t = Math.log((double) epoch / Math.max(2, epochs / 4.0));
        double bump = 1.5 * nearThreshold * Math.exp(-t * t / 0.6);
        double test = level * (1 + 2.0 / epoch) * (1 + bump);
        double train = p >= TRAIN_SIZE ? Math.max(1e-7, Math.pow(epoch, -4)) : Math.max(0.3, 1.0 / epoch);
        String runId = runId(sweep, run);
        Instant time = START.plusSeconds(3600L * ((sweep * 37L) % sweeps) + epoch);
        // ids and numbers only (no character that needs escaping), so formatted directly
        return String.format(
                Locale.ROOT,
                "{\"schema\":\"descentwatch.epoch/v1\",\"run_id\":\"%s\",\"sweep_id\":\"%s\","
                        + "\"epoch\":%d,\"train_loss\":%s,\"test_loss\":%s,\"param_count\":%d,\"train_size\":%d,"
                        + "\"time\":\"%s\"%s}",
                runId,
                sweepId(sweep),
                epoch,
                train,
                test,
                p,
                TRAIN_SIZE,
                time,
                epoch == epochs ? ",\"final\":true" : "");
    }
}
