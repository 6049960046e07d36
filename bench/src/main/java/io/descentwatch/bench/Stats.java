package io.descentwatch.bench;

import java.util.Arrays;
import java.util.List;

/** Order statistics of a sample. */
record Stats(double median, double p99, double max, int n) {

    static Stats of(List<Double> sample) {
        double[] v = sample.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        return new Stats(quantile(v, 0.5), quantile(v, 0.99), v[v.length - 1], v.length);
    }

    static double median(List<Double> sample) {
        return of(sample).median();
    }

    private static double quantile(double[] sorted, double q) {
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(java.util.Locale.ROOT, "%,.0f", v);
    }

    /** Every repetition's value, for a table's "each run" column. */
    static String each(List<Double> values) {
        return each(values, Stats::fmt);
    }

    static String each(List<Double> values, java.util.function.Function<Double, String> format) {
        return String.join(", ", values.stream().map(format).toList());
    }

    @Override
    public String toString() {
        return Arrays.toString(new double[] {median, p99, max});
    }
}
