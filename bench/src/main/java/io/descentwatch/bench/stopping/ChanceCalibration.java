package io.descentwatch.bench.stopping;

import io.descentwatch.detection.AdviceChance;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.RunDetector;
import io.descentwatch.detection.RunState;
import io.descentwatch.detection.StoppingAdvisor;
import io.descentwatch.events.Advice;
import io.descentwatch.events.EpochEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether the advice's chance says what it means: of the advice given with a chance near 0.8, about 80% should be
 * followed by a test loss 2% under the best so far. One row per advice given (the advice is refreshed about once
 * per doubling of epochs), so a run of a million epochs counts about as much as one of a thousand. Also fits the
 * chance's logistic model (iteratively reweighted least squares, a small ridge) on the families the rule was
 * designed on, and prints the weights {@link AdviceChance} carries.
 */
public final class ChanceCalibration {

    /** One advice given: what its chance was estimated from, the chance, and whether going on did beat the best. */
    record Given(String family, double[] features, double chance, boolean beaten) {}

    /** The bins of the calibration table: the chance's range in each. */
    private static final double[] EDGES = {0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.0000001};

    private ChanceCalibration() {}

    /** Every advice given on the runs, as a trainer following none of them would see it (each run to its end). */
    static List<Given> given(List<Curve> curves, DetectionSettings settings) {
        RunDetector detector = new RunDetector(settings);
        StoppingAdvisor advisor = new StoppingAdvisor(settings);
        List<Given> rows = new ArrayList<>();
        for (Curve c : curves) {
            List<EpochEvent> events = c.events();
            double[] laterBest = new double[events.size() + 1];
            laterBest[events.size()] = Double.MAX_VALUE;
            for (int i = events.size() - 1; i >= 0; i--) {
                double t = events.get(i).testLoss();
                laterBest[i] = Math.min(laterBest[i + 1], Double.isFinite(t) ? t : Double.MAX_VALUE);
            }
            RunState state = null;
            for (int i = 0; i < events.size(); i++) {
                EpochEvent e = events.get(i).isFinal() ? events.get(i).withFinal(false) : events.get(i);
                RunState before = state;
                state = detector.step(state, e).state();
                Advice now = state.advice().current();
                if (now == null
                        || now.chance() == null
                        || now.epoch() != e.epoch()
                        || i + 1 == events.size()
                        || (before != null && before.advice().current() == now)) {
                    continue;
                }
                // the advisor is a pure function: asked again from the state before, it says what it read
                double[] x = advisor.advise(
                                before == null ? io.descentwatch.detection.AdviceState.START : before.advice(),
                                state,
                                e)
                        .chanceFeatures();
                if (x != null) {
                    boolean beaten = laterBest[i + 1] < (1 - Curve.WITHIN) * now.bestTestLoss();
                    rows.add(new Given(c.family(), x, now.chance(), beaten));
                }
            }
        }
        return rows;
    }

    /** The logistic model's weights fitted to the rows (Newton's method; a ridge of 0.01 keeps them finite). */
    static double[] fit(List<Given> rows) {
        int k = AdviceChance.FEATURES.length;
        double[] w = new double[k];
        for (int iteration = 0; iteration < 50; iteration++) {
            double[][] h = new double[k][k];
            double[] g = new double[k];
            for (Given r : rows) {
                double p = AdviceChance.estimate(r.features(), w);
                double y = r.beaten() ? 1 : 0;
                for (int a = 0; a < k; a++) {
                    g[a] += (y - p) * r.features()[a];
                    for (int b = 0; b < k; b++) {
                        h[a][b] += p * (1 - p) * r.features()[a] * r.features()[b];
                    }
                }
            }
            for (int a = 0; a < k; a++) {
                g[a] -= 0.01 * w[a];
                h[a][a] += 0.01;
            }
            double[] step = solve(h, g);
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

    /** Gaussian elimination with partial pivoting: the Newton step of an 11-weight model. */
    private static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            m[i] = java.util.Arrays.copyOf(a[i], n + 1);
            m[i][n] = b[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = m[col];
            m[col] = m[pivot];
            m[pivot] = t;
            for (int r = col + 1; r < n; r++) {
                double f = m[r][col] / m[col][col];
                for (int c = col; c <= n; c++) {
                    m[r][c] -= f * m[col][c];
                }
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = m[r][n];
            for (int c = r + 1; c < n; c++) {
                s -= m[r][c] * x[c];
            }
            x[r] = s / m[r][r];
        }
        return x;
    }

    /**
     * Prints the fit on the design families' rows, as the Java array {@link AdviceChance} carries. Each design run
     * counts twice, as its trainer sent it and with its budget told (tag max_epochs), since a trainer may do either.
     */
    public static void printFit(PrintWriter out, List<Curve> curves, DetectionSettings settings) {
        List<Curve> design = curves.stream().filter(StoppingCurves::designedOn).toList();
        List<Given> rows = new ArrayList<>(given(design, settings));
        rows.addAll(given(design.stream().map(Curve::withBudgetAnnounced).toList(), settings));
        double[] w = fit(rows);
        out.printf(
                Locale.ROOT,
                "fitted on %d advice given on the design families (%s)%n",
                rows.size(),
                String.join(
                        ", ",
                        curves.stream()
                                .filter(StoppingCurves::designedOn)
                                .map(Curve::family)
                                .distinct()
                                .sorted()
                                .toList()));
        StringBuilder s = new StringBuilder("    static final double[] WEIGHTS = {");
        for (int i = 0; i < w.length; i++) {
            s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.4f", w[i]));
        }
        out.println(s.append("};"));
        for (int i = 0; i < w.length; i++) {
            out.printf(Locale.ROOT, "  %-20s %8.4f%n", AdviceChance.FEATURES[i], w[i]);
        }
        out.flush();
    }

    /** Calibration tables: one per family (designed on, or held out of the fit), then all held-out families. */
    public static void printTables(PrintWriter out, List<Curve> curves, DetectionSettings settings) {
        List<Given> rows = given(curves, settings);
        Map<String, List<Given>> byFamily = new TreeMap<>();
        rows.forEach(r ->
                byFamily.computeIfAbsent(r.family(), f -> new ArrayList<>()).add(r));
        java.util.Set<String> design = new java.util.HashSet<>();
        curves.stream().filter(StoppingCurves::designedOn).forEach(c -> design.add(c.family()));
        byFamily.forEach((family, given) ->
                table(out, family + (design.contains(family) ? " (designed on)" : " (held out)"), given));
        List<Given> held =
                rows.stream().filter(r -> !design.contains(r.family())).toList();
        if (!held.isEmpty()) {
            table(out, "all held-out families", held);
        }
        out.flush();
    }

    static void table(PrintWriter out, String title, List<Given> rows) {
        out.printf("%s: chance given with the advice against what followed%n%n", title);
        out.println("| chance | advice given | mean chance | went on to beat the best by 2% | gap |");
        out.println("| --- | --- | --- | --- | --- |");
        for (int b = 0; b + 1 < EDGES.length; b++) {
            double lo = EDGES[b];
            double hi = EDGES[b + 1];
            List<Given> in = rows.stream()
                    .filter(r -> r.chance() >= lo && r.chance() < hi)
                    .toList();
            if (in.isEmpty()) {
                continue;
            }
            double mean = in.stream().mapToDouble(Given::chance).average().orElse(Double.NaN);
            double rate = in.stream().filter(Given::beaten).count() / (double) in.size();
            out.printf(
                    Locale.ROOT,
                    "| %.1f-%.1f | %d | %.2f | %.2f | %+.0f points |%n",
                    lo,
                    Math.min(hi, 1),
                    in.size(),
                    mean,
                    rate,
                    100 * (rate - mean));
        }
        out.println();
    }
}
