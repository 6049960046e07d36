package io.descentwatch.producer.datasets;

import java.util.Random;

/**
 * Synthetic classification: x ~ N(0, I_d), class = argmax of a random linear teacher's K scores. The task is
 * learnable by small networks, so what large networks add near p = n * K is memorised label noise.
 */
public record TeacherClassification(double[][] teacher) {

    public static TeacherClassification random(Random random, int dimension, int classes) {
        return new TeacherClassification(Seeds.gaussian(random, dimension, classes));
    }

    public int dimension() {
        return teacher.length;
    }

    public int classes() {
        return teacher[0].length;
    }

    public LabelledData sample(Random random, int n) {
        double[][] x = Seeds.gaussian(random, n, dimension());
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes(); k++) {
                double s = 0;
                for (int j = 0; j < dimension(); j++) {
                    s += x[i][j] * teacher[j][k];
                }
                if (s > bestScore) {
                    bestScore = s;
                    best = k;
                }
            }
            labels[i] = best;
        }
        return new LabelledData(x, labels, classes());
    }
}
