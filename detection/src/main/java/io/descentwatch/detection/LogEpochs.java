package io.descentwatch.detection;

/**
 * log(1 + epoch), the detector's clock. Every event takes it five times (each of the two smoothed series, the
 * advisor's present, the start of a flat train loss, the epoch of the advice in force), and {@link Math#log1p} is
 * not a JIT intrinsic: it was 7% of a stream thread's samples in {@code bench detector}. Epochs under 65,536 (most
 * evaluations of most runs) are looked up in a table of that same function's values, so every result is bit for bit
 * what {@code Math.log1p} gives, and no verdict can change; the table takes 512 KB once per JVM.
 */
final class LogEpochs {

    private static final double[] TABLE = new double[1 << 16];

    static {
        for (int i = 0; i < TABLE.length; i++) {
            TABLE[i] = Math.log1p(i);
        }
    }

    private LogEpochs() {}

    /** {@code Math.log1p(epoch)}, from the table where it holds the value. */
    static double of(long epoch) {
        return epoch >= 0 && epoch < TABLE.length ? TABLE[(int) epoch] : Math.log1p(epoch);
    }
}
