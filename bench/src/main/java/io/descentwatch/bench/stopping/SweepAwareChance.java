package io.descentwatch.bench.stopping;

import io.descentwatch.bench.stopping.ChanceCalibration.Given;
import io.descentwatch.detection.DetectionSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the chance would say if it also learned from the runs of the same sweep that have already finished: a
 * measurement, not (yet) what the detector does.
 *
 * <p>Why. The chance is fitted on many trainers' runs and misses on families it was not fitted on by 10 to 36 points
 * in a bin, in both directions: a family's runs share a base rate of second descents that no feature of one curve
 * shows (a round with a family of no winner at all, the next with one that wins in 21 of 22 runs). A sweep shows it:
 * once some of its runs have finished, whether going on paid after each advice they were given is known. So each
 * run's chances are moved, in log-odds, by one offset per sweep: the most likely offset for the finished runs' advice
 * and what followed it, under a normal prior of standard deviation {@link #PRIOR_SIGMA} around none (a sweep of one
 * finished run moves little; one of many, as far as they say).
 *
 * <p>Read as a sweep of the runs of each family in the order their trainer wrote them (its grid's order), trained
 * {@code workers} at a time: each run's advice is moved by the offset of the runs of the batches before its own. One
 * worker (a sequential sweep) is the most a sweep could tell; more know fewer finished runs at each advice.
 */
final class SweepAwareChance {

    /**
     * The prior's standard deviation, in log-odds: the value with the lowest log loss on the design families (the
     * twelfth to twenty-third rounds, the chance's own), among 0.25, 0.4, 0.5, 0.6, 0.75, 1, 1.25 and 2 (0.4 and 0.5
     * tied at 0.4971 against 0.5398 for the chance alone); larger values let a few runs move the offset further.
     */
    static final double PRIOR_SIGMA = 0.5;

    /** A chance this close to 0 or 1 says nothing to move: a diverged run's 0 stays 0. */
    private static final double CERTAIN = 1e-9;

    private SweepAwareChance() {}

    /**
     * Every advice given on the curves, in their order, each chance moved by the offset that the curves of its family
     * in earlier batches of {@code workers} imply.
     */
    static List<Given> given(List<Curve> curves, DetectionSettings settings, double sigma, int workers) {
        return moved(
                curves.stream()
                        .map(c -> ChanceCalibration.given(List.of(c), settings))
                        .toList(),
                sigma,
                workers);
    }

    /**
     * Each run's advice (one list per run, in the order the runs start), each chance moved by the offset that the
     * runs of its family in earlier batches of {@code workers} imply.
     */
    static List<Given> moved(List<List<Given>> runs, double sigma, int workers) {
        Map<String, List<Given>> finished = new HashMap<>();
        Map<String, List<Given>> training = new HashMap<>();
        Map<String, Integer> started = new HashMap<>();
        List<Given> moved = new ArrayList<>();
        for (List<Given> rows : runs) {
            if (rows.isEmpty()) {
                continue;
            }
            String family = rows.get(0).family();
            List<Given> before = finished.computeIfAbsent(family, f -> new ArrayList<>());
            List<Given> batch = training.computeIfAbsent(family, f -> new ArrayList<>());
            if (started.merge(family, 1, Integer::sum) % workers == 1 % workers) {
                // a new batch starts once the one before it has finished
                before.addAll(batch);
                batch.clear();
            }
            double offset = offset(before, sigma);
            for (Given g : rows) {
                moved.add(new Given(g.family(), g.features(), shifted(g.chance(), offset), g.beaten()));
            }
            batch.addAll(rows);
        }
        return moved;
    }

    /**
     * The log-odds offset that makes the rows' chances most likely to have said what followed them, under a normal
     * prior of standard deviation {@code sigma} around 0 (Newton's method; the objective is concave).
     */
    static double offset(List<Given> rows, double sigma) {
        double offset = 0;
        for (int step = 0; step < 50; step++) {
            double gradient = -offset / (sigma * sigma);
            double curvature = 1 / (sigma * sigma);
            for (Given g : rows) {
                if (g.chance() <= CERTAIN || g.chance() >= 1 - CERTAIN) {
                    continue;
                }
                double p = shifted(g.chance(), offset);
                gradient += (g.beaten() ? 1 : 0) - p;
                curvature += p * (1 - p);
            }
            double change = gradient / curvature;
            offset += change;
            if (Math.abs(change) < 1e-10) {
                break;
            }
        }
        return offset;
    }

    /** {@code chance} moved by {@code offset} in log-odds; 0 and 1 stay. */
    static double shifted(double chance, double offset) {
        if (chance <= CERTAIN || chance >= 1 - CERTAIN) {
            return chance;
        }
        return 1 / (1 + Math.exp(-(Math.log(chance / (1 - chance)) + offset)));
    }
}
