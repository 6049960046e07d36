package io.descentwatch.bench.stopping;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Each rule's figures over the families held out of the rule's design, pooled as issue 21's targets read them, so
 * that one command gives them: the winning second descents kept over all those families, the median family's share
 * of the epochs where nothing better comes (each family's median, then their median) and how many families spend at
 * most half, and the mean excess of the kept model over the run's best on the runs where nothing better comes (the
 * issue's regret where the first minimum wins, against patience 10's). The families whose training changes under
 * the run without telling it ({@link StoppingCurves#UNTOLD_TRAINING_CHANGES}) are pooled apart: the advice cannot see
 * a change the curve has not shown yet, and their runs that tell it are judged in the rounds that do.
 */
final class PooledFamilies {

    /** One rule's sums over the families added so far. */
    private static final class Pool {
        int winning;
        int kept;
        final List<Double> familyMedians = new ArrayList<>();
        double excessWhereNothingBetter;
        int nothingBetter;

        void add(StoppingBench.Row row) {
            winning += row.winning();
            kept += row.winningKept();
            if (row.nothingBetter() > 0) {
                familyMedians.add(row.medianEpochShare());
                excessWhereNothingBetter += row.meanExcessWhereNothingBetter() * row.nothingBetter();
                nothingBetter += row.nothingBetter();
            }
        }
    }

    private final Map<String, Pool> counted = new LinkedHashMap<>();
    private final Map<String, Pool> untold = new LinkedHashMap<>();
    private final TreeSet<String> untoldFamilies = new TreeSet<>();
    private int families;
    private int runs;

    /** Adds a held-out family's rows, one per rule, in the rules' order. */
    void add(String family, List<StoppingBench.Row> rows) {
        boolean apart = StoppingCurves.UNTOLD_TRAINING_CHANGES.contains(family);
        if (apart) {
            untoldFamilies.add(family);
        } else {
            families++;
            runs += rows.get(0).runs();
        }
        for (StoppingBench.Row row : rows) {
            (apart ? untold : counted)
                    .computeIfAbsent(row.rule(), r -> new Pool())
                    .add(row);
        }
    }

    void print(PrintWriter out) {
        if (counted.isEmpty()) {
            return;
        }
        out.printf(
                Locale.ROOT,
                "held-out families pooled (%,d families, %,d runs; outside the families whose training changes under"
                        + " the run without telling it: %s)%n%n",
                families,
                runs,
                untoldFamilies.isEmpty() ? "none here" : String.join(", ", untoldFamilies));
        out.println("| rule | winning second descents kept | median family: share of epochs where nothing better comes"
                + " | families at most half | mean excess of kept over best where nothing better comes |");
        out.println("| --- | --- | --- | --- | --- |");
        counted.forEach((rule, p) -> {
            long atMostHalf = p.familyMedians.stream().filter(m -> m <= 0.5).count();
            out.printf(
                    Locale.ROOT,
                    "| %s | %s (%d/%d) | %s | %d of %d | %s |%n",
                    rule,
                    percent(p.winning == 0 ? Double.NaN : (double) p.kept / p.winning),
                    p.kept,
                    p.winning,
                    percent(StoppingBench.median(p.familyMedians)),
                    atMostHalf,
                    p.familyMedians.size(),
                    percent(p.nothingBetter == 0 ? Double.NaN : p.excessWhereNothingBetter / p.nothingBetter));
        });
        out.println();
        String apart = String.join(", ", untoldFamilies);
        untold.forEach((rule, p) ->
                out.printf(Locale.ROOT, "%s on %s: %d of %d winners kept%n", rule, apart, p.kept, p.winning));
        if (!untold.isEmpty()) {
            out.println();
        }
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * share);
    }
}
