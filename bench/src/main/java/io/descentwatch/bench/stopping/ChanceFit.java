package io.descentwatch.bench.stopping;

import io.descentwatch.bench.stopping.ChanceCalibration.Given;
import io.descentwatch.detection.AdviceChance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The chance's logistic model, fitted by Newton's method with a ridge, the ridge chosen by leaving one family out.
 *
 * <p>Why leave a family out: the chance is judged on families it was not fitted on, where how often a second
 * descent comes differs from the design families'. A model fitted with almost no ridge learned each design
 * family's own frequencies: fitted on all design families but one and asked about that one, its calibration was off
 * by up to 17 points in a bin, the same overconfidence it showed on the held-out families. The ridge that predicts
 * a left-out family best (lowest log loss, averaged over each design family left out in turn) is the one to trust
 * on a family never seen; the weights are then fitted on every design family with it.
 */
final class ChanceFit {

    /** The ridges the fit chooses among: from almost none (each design family's frequencies) to weights near 0. */
    static final double[] RIDGES = {0.01, 0.1, 0.3, 1, 2, 3, 5, 10, 20, 50};

    /** What leaving each family out says about one ridge: the mean log loss, and each row with its chance as
     * estimated by the weights fitted without its family. */
    record LeftOut(double ridge, double logLoss, List<Given> estimated) {}

    /** The chosen ridge, what each ridge scored left out, and the weights fitted on every row with the chosen one. */
    record Result(double ridge, List<LeftOut> scores, double[] weights) {

        LeftOut chosen() {
            return scores.stream().filter(s -> s.ridge() == ridge).findFirst().orElseThrow();
        }
    }

    private ChanceFit() {}

    static Result fit(List<Given> rows) {
        Map<String, List<Given>> byFamily = new TreeMap<>();
        rows.forEach(r ->
                byFamily.computeIfAbsent(r.family(), f -> new ArrayList<>()).add(r));
        if (byFamily.size() < 2) {
            throw new IllegalArgumentException(
                    "leaving one family out needs two families or more, got " + byFamily.keySet());
        }
        List<LeftOut> scores = new ArrayList<>();
        for (double ridge : RIDGES) {
            List<Given> estimated = new ArrayList<>();
            for (Map.Entry<String, List<Given>> left : byFamily.entrySet()) {
                double[] w = weights(
                        rows.stream()
                                .filter(r -> !r.family().equals(left.getKey()))
                                .toList(),
                        ridge);
                for (Given r : left.getValue()) {
                    double p = AdviceChance.estimate(r.features(), w);
                    estimated.add(new Given(r.family(), r.features(), p, r.beaten()));
                }
            }
            scores.add(new LeftOut(ridge, ChanceCalibration.logLoss(estimated), estimated));
        }
        LeftOut best = scores.stream()
                .min(java.util.Comparator.comparingDouble(LeftOut::logLoss))
                .orElseThrow();
        return new Result(best.ridge(), scores, weights(rows, best.ridge()));
    }

    /** The logistic model's weights that maximise the likelihood of the rows less ridge/2 times their squares. */
    static double[] weights(List<Given> rows, double ridge) {
        int k = rows.isEmpty() ? AdviceChance.FEATURES.length : rows.get(0).features().length;
        double[] w = new double[k];
        for (int iteration = 0; iteration < 100; iteration++) {
            RealMatrix hessian = new Array2DRowRealMatrix(k, k);
            double[] gradient = new double[k];
            for (Given r : rows) {
                double[] x = r.features();
                double p = AdviceChance.estimate(x, w);
                double y = r.beaten() ? 1 : 0;
                double v = p * (1 - p);
                for (int a = 0; a < k; a++) {
                    gradient[a] += (y - p) * x[a];
                    for (int b = a; b < k; b++) {
                        hessian.addToEntry(a, b, v * x[a] * x[b]);
                    }
                }
            }
            for (int a = 0; a < k; a++) {
                gradient[a] -= ridge * w[a];
                hessian.addToEntry(a, a, ridge);
                for (int b = 0; b < a; b++) {
                    hessian.setEntry(a, b, hessian.getEntry(b, a)); // one sum for both halves: exactly symmetric
                }
            }
            // with the ridge the negative Hessian is positive definite: Cholesky solves the Newton step
            double[] step = new CholeskyDecomposition(hessian)
                    .getSolver()
                    .solve(new ArrayRealVector(gradient, false))
                    .toArray();
            double size = 0;
            for (int a = 0; a < k; a++) {
                w[a] += step[a];
                size = Math.max(size, Math.abs(step[a]));
            }
            if (size < 1e-9) {
                break;
            }
        }
        return w;
    }
}
