package io.descentwatch.detection;

import java.nio.ByteBuffer;

/**
 * How a sweep moves the chance told to its runs, in log-odds: {@code logit(moved) = offset + slope * logit(own)}, a
 * logistic recalibration (Platt 1999) of each run's own curve's chance learned from the sweep's ended runs ({@link
 * SweepChanceEvidence}). The offset is the sweep's base rate of winning second descents against the trainers the
 * chance was fitted on; the slope is how sharply the chance's own reading of a curve tells the sweep's winners from
 * its losers: over 1 where the sweep's runs are told too little either way, under 1 where too much.
 *
 * @param offset added to the own chance's log-odds after the slope
 * @param slope  the own chance's log-odds multiplied by it, over 0
 */
public record ChanceMove(double offset, double slope) {

    /** No move: each run is told its own curve's chance, as the first runs of a sweep are. */
    public static final ChanceMove NONE = new ChanceMove(0, 1);

    /** A chance this close to 0 or 1 says nothing to move, and cannot be moved in log-odds. */
    static final double CERTAIN = 1e-9;

    public ChanceMove {
        if (!Double.isFinite(offset) || !(slope > 0) || !Double.isFinite(slope)) {
            throw new IllegalArgumentException(
                    "a chance move needs a finite offset and a positive finite slope, got " + offset + " and " + slope);
        }
    }

    /** {@code chance} moved; 0 and 1 stay. */
    public double apply(double chance) {
        if (equals(NONE) || chance <= CERTAIN || chance >= 1 - CERTAIN) {
            return chance;
        }
        return sigmoid(offset + slope * logit(chance));
    }

    /** How far, in log-odds, this move takes {@code own}: what a run's ledger keeps of it. */
    public double logOddsFrom(double own) {
        double moved = apply(own);
        return moved == own ? 0 : logit(moved) - logit(own);
    }

    /**
     * As the sweep chances topic carries it: the offset and the slope, 8 bytes each. The detector before the slope
     * wrote the offset alone, which still reads (slope 1), so a topic it wrote restores.
     */
    public byte[] bytes() {
        return ByteBuffer.allocate(2 * Double.BYTES)
                .putDouble(offset)
                .putDouble(slope)
                .array();
    }

    /** What {@link #bytes} wrote, or an offset alone; any other length is not a move. */
    public static ChanceMove ofBytes(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        return switch (bytes.length) {
            case Double.BYTES -> new ChanceMove(in.getDouble(), 1);
            case 2 * Double.BYTES -> new ChanceMove(in.getDouble(), in.getDouble());
            default ->
                throw new IllegalArgumentException(
                        "a sweep's chance move is 16 bytes (or 8, an offset alone), not " + bytes.length);
        };
    }

    static double logit(double p) {
        return Math.log(p / (1 - p));
    }

    /** The chance of log-odds {@code z}: {@link #logit}'s inverse. */
    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
