package io.descentwatch.producer.datasets;

import java.util.Random;

/**
 * Linear regression with Gaussian inputs: x ~ N(0, diag(scale^2)), y = &lt;b, x&gt; + sigma * N(0, 1).
 * The presets' synthetic data: random features (unit scales), two feature scales (Heckel and Yilmaz) and the
 * min-norm least-squares check (Belkin, Hsu and Xu) all draw from it. Because x is Gaussian with known scales,
 * the expected test loss of a linear predictor is known exactly ({@link #excessRisk}).
 */
public record GaussianLinearTeacher(double[] scales, double[] coefficients, double sigma) {

    public GaussianLinearTeacher {
        if (scales.length != coefficients.length) {
            throw new IllegalArgumentException("one scale per coefficient");
        }
        if (!(sigma >= 0)) {
            throw new IllegalArgumentException("sigma must be >= 0");
        }
        scales = scales.clone();
        coefficients = coefficients.clone();
    }

    public int dimension() {
        return scales.length;
    }

    public RegressionData sample(Random random, int n) {
        int d = dimension();
        double[][] x = new double[n][d];
        double[] y = new double[n];
        double[] clean = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                x[i][j] = scales[j] * random.nextGaussian();
                s += coefficients[j] * x[i][j];
            }
            clean[i] = s;
            y[i] = s + sigma * random.nextGaussian();
        }
        return new RegressionData(x, y, clean);
    }

    /**
     * E[(&lt;b, x&gt; - &lt;w, x_used&gt;)^2] over fresh x, where the predictor sees only the first w.length
     * features: the test MSE against noise-free targets on infinitely many test examples.
     */
    public double excessRisk(double[] w) {
        double r = 0;
        for (int j = 0; j < dimension(); j++) {
            double diff = coefficients[j] - (j < w.length ? w[j] : 0);
            r += scales[j] * scales[j] * diff * diff;
        }
        return r;
    }
}
