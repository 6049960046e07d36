package io.descentwatch.bench.stopping;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The premise of the advice's turn (`--advice-turn`), measured on the winning second descents of the curves: a test
 * loss still rising with fewer than that many doublings of epochs left is told STOP because, the rule's first
 * version read on its design runs, a second descent takes 1.3 to 5.6 doublings from its peak to pass the first
 * minimum. Two things are measured per winning run, in hindsight: how many doublings of epochs its test loss took
 * from its peak to below the first minimum (what that sentence says), and how many doublings of the run were left
 * at its peak (what the rule needs: a run that peaks with fewer left than the turn is told STOP while it still
 * rises, whatever comes after).
 */
public final class TurnPremise {

    private TurnPremise() {}

    /**
     * A winning second descent's course: the epoch of its peak (the highest test loss held for three evaluations,
     * as {@link Curve} reads a rise, between the rise and the pass), the first epoch its test loss is under the first
     * minimum after the rise, and its last epoch.
     */
    record Course(long peakEpoch, long passEpoch, long finalEpoch) {

        double doublingsFromPeakToPass() {
            return doublings(peakEpoch, passEpoch);
        }

        double doublingsLeftAtPeak() {
            return doublings(peakEpoch, finalEpoch);
        }

        private static double doublings(long from, long to) {
            return Math.log((1.0 + to) / (1.0 + from)) / Math.log(2);
        }
    }

    /** The course of a run whose second descent wins; empty for any other run. */
    static Optional<Course> of(Curve c) {
        if (c.kind() != Curve.Kind.SECOND_DESCENT_WINS) {
            return Optional.empty();
        }
        double[] test = Curve.testLosses(c.events());
        int n = test.length;
        double first = test[c.firstMinIndex()];
        int rise = c.firstMinIndex() + 1;
        while (rise < n && Curve.held(test, rise) <= Curve.above(first, Curve.RISE)) {
            rise++;
        }
        int pass = rise;
        while (pass < n && test[pass] >= first) {
            pass++;
        }
        if (pass == n) {
            // never for a winner: every test loss between its first minimum and the rise is at or above it
            throw new IllegalStateException(c.runId() + " wins but never goes under its first minimum");
        }
        int peak = rise;
        for (int i = rise; i < pass; i++) {
            if (Curve.held(test, i) > Curve.held(test, peak)) {
                peak = i;
            }
        }
        return Optional.of(
                new Course(c.events().get(peak).epoch(), c.events().get(pass).epoch(), c.finalEpoch()));
    }

    /**
     * One row per family of the winning runs' courses, and a row each for the families held out of the rule's design
     * and for those it was designed on, with the share of runs under {@code turnDoublings} on both counts.
     */
    public static void print(PrintWriter out, List<Curve> curves, double turnDoublings) {
        Map<String, List<Course>> byFamily = new TreeMap<>();
        Map<String, Boolean> designed = new TreeMap<>();
        for (Curve c : curves) {
            of(c).ifPresent(course -> {
                byFamily.computeIfAbsent(c.family(), k -> new ArrayList<>()).add(course);
                designed.put(c.family(), StoppingCurves.designedOn(c));
            });
        }
        String turn = String.format(Locale.ROOT, "%.2f", turnDoublings);
        out.printf(
                "Winning second descents: doublings of epochs from the peak to below the first minimum, and left at"
                        + " the peak (--advice-turn %s)%n%n",
                turn);
        out.println("| family | winning runs | from the peak to below the first minimum: median (quartiles) | under "
                + turn + " | left at the peak: median (quartiles) | under " + turn + " |");
        out.println("| --- | --- | --- | --- | --- | --- |");
        byFamily.forEach((family, courses) ->
                row(out, family + (designed.get(family) ? " (designed on)" : ""), courses, turnDoublings));
        row(
                out,
                "**every family held out of design**",
                pooled(byFamily, designed, Predicate.not(f -> f)),
                turnDoublings);
        row(out, "**every family designed on**", pooled(byFamily, designed, f -> f), turnDoublings);
        out.println();
        out.flush();
    }

    private static List<Course> pooled(
            Map<String, List<Course>> byFamily, Map<String, Boolean> designed, Predicate<Boolean> which) {
        return byFamily.entrySet().stream()
                .filter(e -> which.test(designed.get(e.getKey())))
                .flatMap(e -> e.getValue().stream())
                .toList();
    }

    private static void row(PrintWriter out, String label, List<Course> courses, double turnDoublings) {
        double[] fromPeak = courses.stream()
                .mapToDouble(Course::doublingsFromPeakToPass)
                .sorted()
                .toArray();
        double[] leftAtPeak = courses.stream()
                .mapToDouble(Course::doublingsLeftAtPeak)
                .sorted()
                .toArray();
        out.printf(
                Locale.ROOT,
                "| %s | %d | %s | %s | %s | %s |%n",
                label,
                courses.size(),
                quartiles(fromPeak),
                under(fromPeak, turnDoublings),
                quartiles(leftAtPeak),
                under(leftAtPeak, turnDoublings));
    }

    private static String quartiles(double[] sorted) {
        if (sorted.length == 0) {
            return "-";
        }
        return String.format(
                Locale.ROOT, "%.2f (%.2f-%.2f)", quantile(sorted, 0.5), quantile(sorted, 0.25), quantile(sorted, 0.75));
    }

    /** The quantile by linear interpolation between the order statistics. */
    static double quantile(double[] sorted, double q) {
        double at = q * (sorted.length - 1);
        int lo = (int) Math.floor(at);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
    }

    private static String under(double[] values, double bound) {
        long under = Arrays.stream(values).filter(v -> v < bound).count();
        return values.length == 0
                ? "-"
                : String.format(Locale.ROOT, "%d (%.0f%%)", under, 100.0 * under / values.length);
    }
}
