package io.descentwatch.bench.stopping;

import io.descentwatch.bench.stopping.ChanceCalibration.Given;
import io.descentwatch.detection.ToldChances;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chance's calibration read one sweep at a time: each family as one sweep, its mean chance told against how
 * often its runs went on to beat their best. A pooled table over many families can be calibrated while every sweep
 * in it is off, each by its own base rate; this is the table a user reads of their own sweep.
 */
final class CalibrationBySweep {

    private CalibrationBySweep() {}

    /**
     * Each family read as one sweep: how far the mean chance its runs were told lies from how often they went on to
     * beat their best, with each run's own curve's chance and as the sweep moved it. This is what a user reads in
     * {@code detect --advice}'s table of their own sweep; a pooled table over a few families averages it away.
     * {@code own} and {@code moved} hold the same advice in the same order.
     */
    static void print(PrintWriter out, List<Given> own, List<Given> moved) {
        out.println("each family as one sweep: its mean chance told against how often its runs went on to beat their"
                + " best by 2%");
        out.println();
        out.println("| family | advice given | beaten | mean chance, own curve | gap | mean chance, moved by the sweep"
                + " | gap |");
        out.println("| --- | --- | --- | --- | --- | --- | --- |");
        Map<String, ToldChances.Bin> ownLevels = levelsByFamily(own);
        Map<String, ToldChances.Bin> movedLevels = levelsByFamily(moved);
        ownLevels.forEach((family, o) -> {
            ToldChances.Bin m = movedLevels.get(family);
            out.printf(
                    Locale.ROOT,
                    "| %s | %d | %.2f | %.2f | %+.0f points | %.2f | %+.0f points |%n",
                    family,
                    o.told(),
                    o.beatenShare(),
                    o.meanChance(),
                    o.gapPoints(),
                    m.meanChance(),
                    m.gapPoints());
        });
        out.printf(
                Locale.ROOT,
                "%nover %d families: the mean chance is more than 10 points from what followed in %d with each run's"
                        + " own curve's chance, %d moved by the sweep; the median distance is %.1f and %.1f points%n%n",
                ownLevels.size(),
                offByMoreThan(ownLevels, 10),
                offByMoreThan(movedLevels, 10),
                medianAbsGap(ownLevels),
                medianAbsGap(movedLevels));
    }

    /**
     * Per family, every chance its runs were told as one bin from 0 to 1: the mean chance against how often what
     * followed beat the best, the sweep's own calibration in the large, which its base rate sets.
     */
    static Map<String, ToldChances.Bin> levelsByFamily(List<Given> rows) {
        Map<String, ToldChances.Bin> levels = new TreeMap<>();
        ChanceCalibration.byFamily(rows)
                .forEach((family, given) -> levels.put(
                        family,
                        new ToldChances.Bin(
                                0,
                                1,
                                given.size(),
                                given.stream()
                                        .mapToDouble(Given::chance)
                                        .average()
                                        .orElseThrow(),
                                (int) given.stream().filter(Given::beaten).count())));
        return levels;
    }

    static long offByMoreThan(Map<String, ToldChances.Bin> levels, double points) {
        return levels.values().stream()
                .filter(b -> Math.abs(b.gapPoints()) > points)
                .count();
    }

    private static double medianAbsGap(Map<String, ToldChances.Bin> levels) {
        return StoppingBench.median(
                levels.values().stream().map(b -> Math.abs(b.gapPoints())).toList());
    }
}
