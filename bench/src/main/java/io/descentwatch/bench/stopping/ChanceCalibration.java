package io.descentwatch.bench.stopping;

import io.descentwatch.detection.AdviceChance;
import io.descentwatch.detection.AdviceState;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.LedgerState;
import io.descentwatch.detection.RunDetector;
import io.descentwatch.detection.RunState;
import io.descentwatch.detection.StoppingAdvisor;
import io.descentwatch.detection.SweepChances;
import io.descentwatch.detection.ToldChances;
import io.descentwatch.events.Advice;
import io.descentwatch.events.EpochEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Whether the advice's chance says what it means: of the advice given with a chance near 0.8, about 80% should be
 * followed by a test loss 2% under the best so far. One row per advice given (the advice is refreshed about once
 * per doubling of epochs), so a run of a million epochs counts about as much as one of a thousand. Also fits the
 * chance's logistic model (iteratively reweighted least squares, a small ridge) on the families it is fitted on
 * ({@link StoppingCurves#CHANCE_FAMILIES}), and prints the weights {@link AdviceChance} carries.
 */
public final class ChanceCalibration {

    /** One advice given: what its chance was estimated from, the chance, and whether going on did beat the best. */
    record Given(String family, double[] features, double chance, boolean beaten) {}

    private ChanceCalibration() {}

    /**
     * Every advice given on the runs, as a trainer following none of them would see it (each run to its end), each
     * run told its own curve's chance: as the first run of a sweep is, and what the chance is fitted on.
     */
    static List<Given> given(List<Curve> curves, DetectionSettings settings) {
        List<Given> rows = new ArrayList<>();
        for (Curve c : curves) {
            rows.addAll(advised(c, settings, SweepChances.NONE).rows());
        }
        return rows;
    }

    /** One run's advice given, and its ledger at its end: what its sweep learns from it. */
    record Advised(List<Given> rows, LedgerState ledger) {}

    /** The advice given on one run to its end, each chance moved by what {@code sweepChances} says of its sweep. */
    static Advised advised(Curve c, DetectionSettings settings, SweepChances sweepChances) {
        RunDetector detector = new RunDetector(settings);
        StoppingAdvisor advisor = new StoppingAdvisor(settings);
        List<Given> rows = new ArrayList<>();
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
            state = detector.step(state, e, sweepChances).state();
            Advice now = state.advice().current();
            if (now == null
                    || now.chance() == null
                    || now.epoch() != e.epoch()
                    || i + 1 == events.size()
                    || (before != null && before.advice().current() == now)) {
                continue;
            }
            // the advisor is a pure function: asked again from the state before, it says what it read
            double[] x = advisor.advise(before == null ? AdviceState.START : before.advice(), state, e)
                    .chanceFeatures();
            if (x != null) {
                boolean beaten = laterBest[i + 1] < Curve.below(now.bestTestLoss(), Curve.WITHIN);
                rows.add(new Given(c.family(), x, now.chance(), beaten));
            }
        }
        return new Advised(rows, state == null ? LedgerState.START : state.ledger());
    }

    /**
     * Prints the fit on the fitted families' rows, as the Java array {@link AdviceChance} carries. Each fitted run
     * counts twice, as its trainer sent it and with its budget told (tag max_epochs), since a trainer may do either.
     */
    public static void printFit(PrintWriter out, List<Curve> curves, DetectionSettings settings) {
        List<Given> rows = fitRows(curves, settings);
        ChanceFit.Result fit = ChanceFit.fit(rows);
        out.println("ridge: log loss of each fitted family's rows under the weights fitted without that family");
        fit.scores()
                .forEach(s -> out.printf(
                        Locale.ROOT,
                        "  %6.2f  %.4f%s%n",
                        s.ridge(),
                        s.logLoss(),
                        s.ridge() == fit.ridge() ? "  <- chosen" : ""));
        out.println();
        table(
                out,
                "each fitted family left out of the fit in turn",
                fit.chosen().estimated());
        worstPerFamily(out, fit.chosen().estimated());
        double[] w = fit.weights();
        out.printf(
                Locale.ROOT,
                "fitted with ridge %s on %d advice given on the fitted families (%s)%n",
                fit.ridge(),
                rows.size(),
                String.join(", ", byFamily(rows).keySet()));
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

    /**
     * The rows the chance is fitted on: the advice given on the runs of {@link StoppingCurves#CHANCE_FAMILIES}, each
     * run counted as its trainer sent it and with its budget told.
     */
    static List<Given> fitRows(List<Curve> curves, DetectionSettings settings) {
        List<Curve> fitted =
                curves.stream().filter(StoppingCurves::chanceFittedOn).toList();
        List<Given> rows = new ArrayList<>(given(fitted, settings));
        rows.addAll(given(fitted.stream().map(Curve::withBudgetAnnounced).toList(), settings));
        return rows;
    }

    /** The rows by family, in the families' order. */
    static Map<String, List<Given>> byFamily(List<Given> rows) {
        return rows.stream().collect(Collectors.groupingBy(Given::family, TreeMap::new, Collectors.toList()));
    }

    /**
     * Each family's widest calibration gap under the weights fitted without it, over the bins with at least
     * {@link #BIN_FLOOR} advice: what the pooled table averages away, and what a family never seen can expect.
     */
    static void worstPerFamily(PrintWriter out, List<Given> estimated) {
        out.println(
                "each fitted family, left out of the fit: its widest gap in a bin of " + BIN_FLOOR + " advice or more");
        byFamily(estimated)
                .forEach((family, given) -> bins(given).stream()
                        .filter(b -> b.told() >= BIN_FLOOR)
                        .max(Comparator.comparingDouble(b -> Math.abs(b.gapPoints())))
                        .ifPresent(b -> out.printf(
                                Locale.ROOT,
                                "  %-22s %+4.0f points at %.1f-%.1f (%d advice)%n",
                                family,
                                b.gapPoints(),
                                b.lo(),
                                b.hi(),
                                b.told())));
        out.println();
    }

    /** The mean log loss of the rows' chances against what followed (lower is better). */
    static double logLoss(List<Given> rows) {
        double sum = 0;
        for (Given g : rows) {
            sum -= Math.log(Math.max(1e-12, g.beaten() ? g.chance() : 1 - g.chance()));
        }
        return sum / rows.size();
    }

    /** The fewest advice in a bin whose gap is worth reading on its own: below it one run can swing it. */
    static final int BIN_FLOOR = 20;

    /**
     * Calibration tables: one per family (fitted on, or held out of the fit), then pooled over the families held out
     * of the fit in two groups: those that came before it (the first eleven rounds, whose trainers were asked for
     * winners, and the shipped presets), where second descents come more often than the fit's trainers saw, and every
     * other (later rounds, or a user's own runs), which is what the chance is for.
     */
    public static void printTables(PrintWriter out, List<Curve> curves, DetectionSettings settings) {
        List<Given> rows = given(curves, settings);
        Set<String> fitted = new HashSet<>();
        Set<String> before = new HashSet<>(StoppingCurves.ASKED_FOR_WINNERS);
        for (Curve c : curves) {
            if (StoppingCurves.chanceFittedOn(c)) {
                fitted.add(c.family());
            } else if (c.fromPreset()) {
                before.add(c.family());
            }
        }
        byFamily(rows)
                .forEach((family, given) -> table(
                        out, family + (fitted.contains(family) ? " (fitted on)" : " (held out of the fit)"), given));
        List<Given> older = rows.stream()
                .filter(r -> !fitted.contains(r.family()) && before.contains(r.family()))
                .toList();
        List<Given> unseen = rows.stream()
                .filter(r -> !fitted.contains(r.family()) && !before.contains(r.family()))
                .toList();
        if (!older.isEmpty()) {
            table(out, "families held out of the fit that came before it (first eleven rounds, presets)", older);
        }
        if (!unseen.isEmpty()) {
            table(out, "every other family held out of the fit (later rounds, your own runs)", unseen);
            IntFunction<List<Given>> movedWith = workers -> SweepAwareChance.given(curves, settings, workers).stream()
                    .filter(r -> !fitted.contains(r.family()) && !before.contains(r.family()))
                    .toList();
            List<Given> moved = movedWith.apply(1);
            table(
                    out,
                    "the same as the detector tells them when each family is one sweep run after run, each run's"
                            + " chance moved by what the ended runs before it showed (--advice-sweep-prior "
                            + settings.advice().sweepPrior() + ")",
                    moved);
            out.printf(
                    Locale.ROOT,
                    "log loss on those families: %.4f each run told its own curve's chance (a sweep's first run),"
                            + " %.4f moved by the ended runs before it (%.4f with its runs trained 4 at a time, %.4f 8 at"
                            + " a time)%n%n",
                    logLoss(unseen),
                    logLoss(moved),
                    logLoss(movedWith.apply(4)),
                    logLoss(movedWith.apply(8)));
            CalibrationBySweep.print(out, unseen, moved);
        }
        out.flush();
    }

    /** The rows binned by their chance, as {@code detect --advice} bins a sweep's; bins without rows are left out. */
    static List<ToldChances.Bin> bins(List<Given> rows) {
        return ToldChances.bins(rows.stream()
                .map(r -> new ToldChances.Told(r.chance(), r.beaten()))
                .toList());
    }

    static void table(PrintWriter out, String title, List<Given> rows) {
        out.printf("%s: chance given with the advice against what followed%n%n", title);
        out.println("| chance | advice given | mean chance | went on to beat the best by 2% | gap |");
        out.println("| --- | --- | --- | --- | --- |");
        for (ToldChances.Bin b : bins(rows)) {
            out.printf(
                    Locale.ROOT,
                    "| %.1f-%.1f | %d | %.2f | %.2f | %+.0f points |%n",
                    b.lo(),
                    b.hi(),
                    b.told(),
                    b.meanChance(),
                    b.beatenShare(),
                    b.gapPoints());
        }
        out.println();
    }
}
