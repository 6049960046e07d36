package io.descentwatch.producer.datasets;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Independent, reproducible random streams derived from one run seed: the training set, the test set and the
 * model's random weights each get their own stream, so changing the test-set size never changes the training data.
 */
public final class Seeds {

    private Seeds() {}

    /** A generator for one purpose of one seed; same (seed, purpose) gives the same numbers on every machine. */
    public static Random stream(long seed, String purpose) {
        long h = seed;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ b);
        }
        return new Random(mix(h));
    }

    /** SplitMix64's finaliser: spreads nearby seeds (1, 2, 3) into unrelated states. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A rows x cols matrix of independent standard normal draws, row by row. */
    public static double[][] gaussian(Random random, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return m;
    }

    /** A vector with uniformly random direction and the given Euclidean norm. */
    public static double[] direction(Random random, int size, double norm) {
        double[] v = new double[size];
        double sq = 0;
        for (int i = 0; i < size; i++) {
            v[i] = random.nextGaussian();
            sq += v[i] * v[i];
        }
        double scale = sq == 0 ? 0 : norm / Math.sqrt(sq);
        for (int i = 0; i < size; i++) {
            v[i] *= scale;
        }
        return v;
    }
}
