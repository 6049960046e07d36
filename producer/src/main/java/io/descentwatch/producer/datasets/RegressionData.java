package io.descentwatch.producer.datasets;

import java.util.Objects;

/**
 * A regression sample: inputs (one row per example), noisy targets the model is trained on, and the noise-free
 * targets the test loss is measured against.
 */
public record RegressionData(double[][] x, double[] y, double[] cleanY) {

    public RegressionData {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        Objects.requireNonNull(cleanY, "cleanY");
        if (x.length != y.length || y.length != cleanY.length) {
            throw new IllegalArgumentException("x, y and cleanY must have one row per example");
        }
    }

    public int size() {
        return y.length;
    }

    public int dimension() {
        return x.length == 0 ? 0 : x[0].length;
    }
}
