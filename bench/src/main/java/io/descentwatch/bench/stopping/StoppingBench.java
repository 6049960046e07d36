package io.descentwatch.bench.stopping;

import io.descentwatch.detection.DetectionSettings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Early-stopping rules side by side on the same real curves: DescentWatch's advice against patience 3, patience 10,
 * Prechelt's GL5 and training to the end. For each: the share of runs whose second descent beats the first
 * minimum where the kept model (the best checkpoint up to the stop) is within 2% of the run's best; the median
 * share of the epochs trained on runs where nothing better comes after the first minimum; the mean excess of the
 * kept model's test loss over the run's best.
 */
public final class StoppingBench {

    /** One rule's figures on one set of runs. */
    record Row(
            String rule,
            int winning,
            int winningKept,
            int nothingBetter,
            double medianEpochShare,
            double meanExcess,
            int runs,
            double meanExcessWhereNothingBetter) {}

    private StoppingBench() {}

    static List<StoppingRule> rules(DetectionSettings settings, SweepMoves sweeps) {
        return List.of(
                StoppingRule.descentWatch(settings, sweeps),
                StoppingRule.patience(3),
                StoppingRule.patience(10),
                StoppingRule.prechelt(5),
                StoppingRule.toTheEnd());
    }

    static Row score(StoppingRule rule, List<Curve> curves) {
        int winning = 0;
        int kept = 0;
        List<Double> shares = new ArrayList<>();
        double excess = 0;
        double excessWhereNothingBetter = 0;
        for (Curve c : curves) {
            int stop = rule.stopIndex(c);
            double keptLoss = c.keptUpTo(stop);
            excess += Curve.excess(keptLoss, c.best());
            // an expression, which the compiler checks for every kind of curve (a switch statement it does not)
            boolean wins = switch (c.kind()) {
                case SECOND_DESCENT_WINS -> true;
                case NOTHING_BETTER -> {
                    shares.add((double) c.events().get(stop).epoch() / c.finalEpoch());
                    excessWhereNothingBetter += Curve.excess(keptLoss, c.best());
                    yield false;
                }
                case NO_BUMP -> false;
            };
            if (wins) {
                winning++;
                if (c.keepsBest(keptLoss)) {
                    kept++;
                }
            }
        }
        return new Row(
                rule.name(),
                winning,
                kept,
                shares.size(),
                median(shares),
                curves.isEmpty() ? Double.NaN : excess / curves.size(),
                curves.size(),
                shares.isEmpty() ? Double.NaN : excessWhereNothingBetter / shares.size());
    }

    /**
     * Prints the tables: held-out runs (the figures), then the tuning runs for reference (runs of the shipped presets
     * only: every other run is held out). With {@code byFamily}, one table per family (the preset, or the tag
     * {@code family} an independent trainer sets, or the sweep id), each labelled designed on or held out of design
     * ({@link StoppingCurves#designedOn}) and followed by the runs the advice loses (its kept model more than 2% above
     * the run's best), with the STOP that lost them. Each family is read as one sequential sweep in its file order
     * ({@link SweepMoves}), which only {@code --advice-turn-chance-from sweep} reads; then the held-out families
     * pooled ({@link PooledFamilies}).
     */
    public static void print(PrintWriter out, List<Curve> curves, DetectionSettings settings, boolean byFamily) {
        SweepMoves sweeps = SweepMoves.of(curves, settings);
        List<Curve> held = curves.stream().filter(StoppingCurves::heldOut).toList();
        List<Curve> tuning =
                curves.stream().filter(Predicate.not(StoppingCurves::heldOut)).toList();
        out.printf(Locale.ROOT, "%d runs: %s%n", curves.size(), census(curves));
        out.printf(
                "held-out sweeps: %s%n%n",
                String.join(
                        ", ",
                        held.stream()
                                .map(c -> c.events().get(0).sweepId())
                                .distinct()
                                .sorted()
                                .toList()));
        if (byFamily) {
            // every run of each family: the design families are labelled as such, their figures do not count
            java.util.Map<String, List<Curve>> families = new java.util.TreeMap<>();
            curves.forEach(c ->
                    families.computeIfAbsent(c.family(), k -> new ArrayList<>()).add(c));
            PooledFamilies pooled = new PooledFamilies();
            families.forEach((family, runs) -> {
                boolean designedOn = StoppingCurves.designedOn(runs.get(0));
                List<Row> rows = table(
                        out,
                        family + (designedOn ? ", designed on" : ", held out of design") + " (" + runs.size()
                                + " runs: " + census(runs) + ")",
                        runs,
                        settings,
                        sweeps);
                if (!designedOn) {
                    pooled.add(family, rows);
                }
                lostRuns(out, runs, settings, sweeps);
            });
            pooled.print(out);
            out.flush();
            return;
        }
        table(out, "held out of tuning (" + held.size() + " runs: " + census(held) + ")", held, settings, sweeps);
        if (!tuning.isEmpty()) {
            table(out, "tuning (" + tuning.size() + " runs: " + census(tuning) + ")", tuning, settings, sweeps);
        }
        out.flush();
    }

    /**
     * The runs whose kept model the advice leaves more than 2% above the run's best, with its STOP: winning second
     * descents it stops, and runs it stops before their first minimum.
     */
    static void lostRuns(PrintWriter out, List<Curve> curves, DetectionSettings settings, SweepMoves sweeps) {
        StoppingRule advice = StoppingRule.descentWatch(settings, sweeps);
        List<String> lines = new ArrayList<>();
        for (Curve c : curves) {
            int stop = advice.stopIndex(c);
            double kept = c.keptUpTo(stop);
            if (c.keepsBest(kept)) {
                continue;
            }
            io.descentwatch.events.Advice a = adviceAt(settings, c, stop, sweeps);
            String firstMin = c.firstMinIndex() < 0
                    ? "no first minimum"
                    : String.format(
                            Locale.ROOT,
                            "first minimum %.4g at epoch %d",
                            c.events().get(c.firstMinIndex()).testLoss(),
                            c.events().get(c.firstMinIndex()).epoch());
            lines.add(String.format(
                    Locale.ROOT,
                    "- %s (%s): STOP at epoch %d of %d, kept %.4g (%s), best %.4g at " + "epoch %d; %s: %s",
                    c.runId(),
                    kindName(c.kind()),
                    c.events().get(stop).epoch(),
                    c.finalEpoch(),
                    kept,
                    firstMin,
                    c.best(),
                    bestEpoch(c),
                    a == null ? "-" : a.basis().wireName(),
                    a == null ? "" : a.reason()));
        }
        if (!lines.isEmpty()) {
            out.println("runs whose model kept by the advice is more than 2% above their best:");
            lines.forEach(out::println);
            out.println();
        }
    }

    /** The advice in force after the evaluation at {@code index}, as a trainer following it sees it. */
    static io.descentwatch.events.Advice adviceAt(DetectionSettings settings, Curve run, int index, SweepMoves sweeps) {
        io.descentwatch.detection.RunDetector detector = new io.descentwatch.detection.RunDetector(settings);
        io.descentwatch.detection.RunState state = null;
        for (int i = 0; i <= index; i++) {
            io.descentwatch.events.EpochEvent e = run.events().get(i);
            state = detector.step(state, e.isFinal() ? e.withFinal(false) : e, sweeps.of(run))
                    .state();
        }
        return state == null ? null : state.advice().current();
    }

    private static String kindName(Curve.Kind kind) {
        return switch (kind) {
            case SECOND_DESCENT_WINS -> "second descent wins";
            case NOTHING_BETTER -> "nothing better after the first minimum";
            case NO_BUMP -> "no bump";
        };
    }

    private static long bestEpoch(Curve c) {
        for (io.descentwatch.events.EpochEvent e : c.events()) {
            if (e.testLoss() == c.best()) {
                return e.epoch();
            }
        }
        return -1;
    }

    /** Prints one table of every rule on {@code curves}, and returns its rows in the rules' order. */
    private static List<Row> table(
            PrintWriter out, String title, List<Curve> curves, DetectionSettings settings, SweepMoves sweeps) {
        out.printf("%s%n%n", title);
        out.println("| rule | winning second descents kept (within 2% of best) | median share of epochs, nothing "
                + "better after the first minimum | mean excess of kept over best |");
        out.println("| --- | --- | --- | --- |");
        List<Row> rows = new ArrayList<>();
        for (StoppingRule rule : rules(settings, sweeps)) {
            Row r = score(rule, curves);
            rows.add(r);
            out.printf(
                    Locale.ROOT,
                    "| %s | %s (%d/%d) | %s (%d runs) | %.1f%% |%n",
                    r.rule(),
                    r.winning() == 0
                            ? "-"
                            : String.format(Locale.ROOT, "%.0f%%", 100.0 * r.winningKept() / r.winning()),
                    r.winningKept(),
                    r.winning(),
                    Double.isNaN(r.medianEpochShare())
                            ? "-"
                            : String.format(Locale.ROOT, "%.1f%%", 100 * r.medianEpochShare()),
                    r.nothingBetter(),
                    100 * r.meanExcess());
        }
        out.println();
        return rows;
    }

    /** Runs per family (preset) and kind. */
    static String census(List<Curve> curves) {
        java.util.Map<String, int[]> byPreset = new java.util.TreeMap<>();
        for (Curve c : curves) {
            byPreset.computeIfAbsent(c.family(), k -> new int[Curve.Kind.values().length])[
                    c.kind().ordinal()]++;
        }
        StringBuilder s = new StringBuilder();
        byPreset.forEach((preset, k) -> s.append(s.isEmpty() ? "" : "; ")
                .append(preset)
                .append(' ')
                .append(k[0])
                .append(" winning / ")
                .append(k[1])
                .append(" nothing better / ")
                .append(k[2])
                .append(" no bump"));
        return s.toString();
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
