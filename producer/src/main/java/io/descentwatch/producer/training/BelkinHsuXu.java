package io.descentwatch.producer.training;

/**
 * The expected test risk of min-norm least squares on the first p of D independent standard Gaussian features
 * (Belkin, Hsu and Xu 2019, "Two models of double descent for weak features"), with n training examples, target
 * coefficients split into the used part (|b_used|^2) and the rest (|b_rest|^2), and noise variance sigma^2.
 * The formula is E[(y - x'w)^2] on a fresh example, noise included; it has no finite value for n-2 &lt; p &lt; n+2.
 */
public final class BelkinHsuXu {

    private BelkinHsuXu() {}

    /** @return the expected risk, or NaN where the formula does not apply (|p - n| &lt; 2) */
    public static double risk(int n, int p, double usedSq, double restSq, double sigmaSq) {
        double unexplained = restSq + sigmaSq;
        if (p <= n - 2) {
            return unexplained * (1 + (double) p / (n - p - 1));
        }
        if (p >= n + 2) {
            return usedSq * (1 - (double) n / p) + unexplained * (1 + (double) n / (p - n - 1));
        }
        return Double.NaN;
    }
}
