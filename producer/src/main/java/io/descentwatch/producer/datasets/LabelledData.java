package io.descentwatch.producer.datasets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/** A classification sample: features (one row per example) and integer class labels in [0, classes). */
public record LabelledData(double[][] x, int[] labels, int classes) {

    public LabelledData {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(labels, "labels");
        if (x.length != labels.length) {
            throw new IllegalArgumentException(x.length + " feature rows but " + labels.length + " labels");
        }
        for (int label : labels) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label " + label + " outside [0, " + classes + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public int dimension() {
        return x.length == 0 ? 0 : x[0].length;
    }

    /** Two disjoint random subsets of {@code first} and {@code second} examples (train and test), reproducible. */
    public LabelledData[] split(Random random, int first, int second) {
        if (first + second > size()) {
            throw new IllegalArgumentException(
                    "asked for " + first + " + " + second + " examples but the data has " + size());
        }
        List<Integer> order = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, random);
        return new LabelledData[] {select(order.subList(0, first)), select(order.subList(first, first + second))};
    }

    private LabelledData select(List<Integer> rows) {
        double[][] sx = new double[rows.size()][];
        int[] sl = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            sx[i] = x[rows.get(i)];
            sl[i] = labels[rows.get(i)];
        }
        return new LabelledData(sx, sl, classes);
    }

    /**
     * The same examples with each label, with probability {@code rate}, replaced by a uniformly drawn class (which
     * may be the true one, as in Nakkiran et al.): the noise a model must memorise to interpolate.
     */
    public LabelledData withLabelNoise(Random random, double rate) {
        int[] noisy = Arrays.copyOf(labels, labels.length);
        for (int i = 0; i < noisy.length; i++) {
            if (random.nextDouble() < rate) {
                noisy[i] = random.nextInt(classes);
            }
        }
        return new LabelledData(x, noisy, classes);
    }

    /** Features scaled to zero mean and unit variance per column, with statistics from {@code reference}. */
    public LabelledData standardisedLike(LabelledData reference) {
        int d = dimension();
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (double[] row : reference.x) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / reference.size();
            }
        }
        for (double[] row : reference.x) {
            for (int j = 0; j < d; j++) {
                sd[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / reference.size();
            }
        }
        double[][] out = new double[size()][d];
        for (int i = 0; i < size(); i++) {
            for (int j = 0; j < d; j++) {
                double s = Math.sqrt(sd[j]);
                out[i][j] = s > 1e-12 ? (x[i][j] - mean[j]) / s : 0; // a constant column carries nothing
            }
        }
        return new LabelledData(out, labels, classes);
    }
}
