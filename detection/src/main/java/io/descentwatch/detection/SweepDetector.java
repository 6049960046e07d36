package io.descentwatch.detection;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sweep-scope detection over the runs' summaries: the interpolation threshold, the model-wise peak and whether the
 * over-parameterized models win. Runs report in any order and while still training, so each alert waits until
 * the runs it depends on have finished; it then fires once per sweep.
 */
public final class SweepDetector {

    /** Scales a median absolute deviation to a standard deviation for Gaussian noise. */
    private static final double MAD_TO_SIGMA = 1.4826;
    /** Fewer sizes than this say too little about scatter to measure the noise at all. */
    private static final int MIN_SIZES_FOR_SCATTER = 3;
    /** A sample median's standard error over a mean's, for Gaussian noise: sqrt(pi / 2) (of two, the mean). */
    private static final double MEDIAN_ERROR_RATIO = Math.sqrt(Math.PI / 2);
    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(null, 0, 1);

    private final DetectionSettings settings;
    /** The chance of one {@code noiseSigmas} excursion, which noise is allowed across a whole sweep. */
    private final double noiseTail;

    public SweepDetector(DetectionSettings settings) {
        this.settings = settings;
        this.noiseTail = 1 - STANDARD_NORMAL.cumulativeProbability(settings.noiseSigmas());
    }

    public SweepDetector() {
        this(DetectionSettings.defaults());
    }

    public SweepStep step(SweepState previousOrNull, RunSummary update) {
        SweepState before = previousOrNull != null ? previousOrNull : SweepState.start(update.sweepId());
        RunSummary known = before.runs().get(update.runId());
        if (known != null && update.epoch() < known.epoch()) {
            // Summaries of one run arrive in order; an older one is a retransmission.
            return new SweepStep(before, List.of());
        }
        Map<String, RunSummary> runs = new HashMap<>(before.runs());
        runs.put(update.runId(), update);
        List<ModelSize> sizes = ModelSize.of(runs.values());
        int planned = runs.values().stream().mapToInt(RunSummary::sweepRuns).max().orElse(0);
        // every planned run is known: no unseen size can sit in a gap, whatever the grid's spacing
        boolean allKnown = planned > 0 && runs.size() >= planned;
        Set<AlertType> fired = before.fired().isEmpty()
                ? EnumSet.noneOf(AlertType.class) : EnumSet.copyOf(before.fired());
        List<Alert> alerts = new ArrayList<>();
        Optional<ModelSize> threshold = settledThreshold(sizes, allKnown);
        if (threshold.isPresent() && fired.add(AlertType.INTERPOLATION_THRESHOLD)) {
            alerts.add(thresholdAlert(sizes, threshold.get(), update));
        }
        if (!fired.contains(AlertType.MODEL_WISE_PEAK)) {
            peak(sizes, allKnown).ifPresent(p -> {
                fired.add(AlertType.MODEL_WISE_PEAK);
                alerts.add(peakAlert(p, update));
            });
        }
        // The best model below the threshold may be any of them, not just the threshold's neighbour: when the
        // producer said how many runs there are, wait for all of them; otherwise decide on those seen.
        boolean belowSettled = planned == 0 || allKnown;
        if (threshold.isPresent() && belowSettled && !fired.contains(AlertType.OVERPARAMETERIZED_WINS)) {
            win(sizes, threshold.get()).ifPresent(w -> {
                fired.add(AlertType.OVERPARAMETERIZED_WINS);
                alerts.add(winAlert(w, update));
            });
        }
        return new SweepStep(new SweepState(before.sweepId(), runs, fired), alerts);
    }

    /**
     * The smallest interpolating size, once that is settled: larger models usually interpolate first, so it counts
     * only when every known smaller size has finished without interpolating, and the next smaller one is within the
     * size resolution (otherwise a size not seen yet could sit in the gap and interpolate) or every planned run of
     * the sweep is known.
     */
    Optional<ModelSize> settledThreshold(List<ModelSize> sizes, boolean allKnown) {
        for (int i = 0; i < sizes.size(); i++) {
            ModelSize size = sizes.get(i);
            if (size.interpolates()) {
                return i > 0 && (allKnown || resolved(sizes.get(i - 1), size)) ? Optional.of(size) : Optional.empty();
            }
            if (!size.finished()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** A peak, its prominence and the sizes that bound it. */
    record Peak(ModelSize size, ModelSize leftBest, ModelSize rightBest, double prominence, double threshold) {
    }

    /**
     * The most prominent maximum over the finished sizes: its loss over the best size on each side, whichever is
     * smaller. It counts once that is at least the threshold for it ({@link #peakThreshold}), no unfinished size
     * lies between the two bounding sizes (an unfinished size there could still end higher and move the peak), and
     * the known sizes next to it are within the size resolution (an unseen size in a wide gap could be the real
     * peak), or every planned run of the sweep is known. The threshold allows for the noise measure's own
     * uncertainty, which is large in a small sweep with one seed per size, or one whose noise cannot be measured at
     * all (a coarse grid). Once every planned run is known a peak also counts if it clears the threshold of the
     * noise as measured (or the peak threshold where it cannot be) and is broad: a peak at the interpolation
     * threshold spans neighbouring sizes, while noise would have to lift two neighbouring sizes at once.
     */
    Optional<Peak> peak(List<ModelSize> sizes, boolean allKnown) {
        List<ModelSize> done = sizes.stream().filter(ModelSize::finished).toList();
        int top = -1;
        double topProminence = Double.NEGATIVE_INFINITY;
        for (int i = 1; i < done.size() - 1; i++) {
            double prominence = prominence(done, i);
            if (prominence > topProminence) {
                top = i;
                topProminence = prominence;
            }
        }
        if (top < 0) {
            return Optional.empty();
        }
        // only the most prominent maximum is judged: a lesser one on its flank may pass a lower noise threshold,
        // but it is not the peak
        Optional<Noise> noise = noise(done, top);
        double uncertain = noise.map(n -> threshold(n, done.size(), true)).orElse(Double.POSITIVE_INFINITY);
        double settled = noise.map(n -> threshold(n, done.size(), false)).orElse(settings.peakThreshold());
        double threshold;
        if (topProminence >= uncertain) {
            threshold = uncertain;
        } else if (allKnown && topProminence >= settled && broad(done, top, settled)) {
            threshold = settled;
        } else {
            return Optional.empty();
        }
        Peak best = new Peak(done.get(top), lowest(done.subList(0, top)), lowest(done.subList(top + 1, done.size())),
                topProminence, threshold);
        long from = best.leftBest().paramCount();
        long to = best.rightBest().paramCount();
        boolean pending = sizes.stream().anyMatch(s -> !s.finished() && s.paramCount() > from && s.paramCount() < to);
        int at = sizes.indexOf(best.size());
        boolean pinned = at > 0 && at < sizes.size() - 1 && (allKnown
                || resolved(sizes.get(at - 1), best.size()) && resolved(best.size(), sizes.get(at + 1)));
        return pending || !pinned ? Optional.empty() : Optional.of(best);
    }

    /** Size {@code i}'s loss over the best size on each side, whichever is smaller, less one. */
    private static double prominence(List<ModelSize> done, int i) {
        double loss = done.get(i).testLoss();
        return Math.min(loss / lowest(done.subList(0, i)).testLoss(),
                loss / lowest(done.subList(i + 1, done.size())).testLoss()) - 1;
    }

    /** Whether the higher neighbour of size {@code i} stands out over the best sizes beyond both by the threshold. */
    private static boolean broad(List<ModelSize> done, int i, double threshold) {
        int j = done.get(i - 1).testLoss() >= done.get(i + 1).testLoss() ? i - 1 : i + 1;
        int from = Math.min(i, j);
        int to = Math.max(i, j);
        if (from == 0 || to == done.size() - 1) {
            return false;
        }
        double loss = done.get(j).testLoss();
        double left = lowest(done.subList(0, from)).testLoss();
        double right = lowest(done.subList(to + 1, done.size())).testLoss();
        return Math.min(loss / left, loss / right) - 1 >= threshold;
    }

    /**
     * The noise of one size's loss, relative to it, and the degrees of freedom of its measure (the seeds' beyond
     * one per size, or the residuals counted): a measure from few observations is itself noisy, and one that came
     * out low would let noise pass as a peak.
     */
    record Noise(double relative, double freedom) {
    }

    /**
     * The prominence that counts: the peak threshold, or what the sizes' noise could produce, whichever is larger.
     * Noise is judged across the whole sweep, not per size: the peak is the largest of many sizes and its bounds
     * the smallest on each side, so with twenty sizes the extremes of pure noise stand five of its standard
     * deviations apart. The prominence noise alone reaches with at most the chance of one {@code noiseSigmas}
     * excursion is found by a union bound over every candidate and every size it is compared with on its shorter
     * side (the side that bounds its prominence), on log losses since noise is relative. With
     * {@code measureUncertain}, Student's t takes the place of the normal distribution: the noise is itself
     * measured, from few observations early in a sweep.
     */
    double threshold(Noise noise, int sizes, boolean measureUncertain) {
        long comparisons = 0;
        for (int i = 1; i < sizes - 1; i++) {
            comparisons += Math.min(i, sizes - 1 - i);
        }
        double p = 1 - noiseTail / Math.max(1, comparisons);
        double quantile = measureUncertain ? new TDistribution(null, noise.freedom()).inverseCumulativeProbability(p)
                : STANDARD_NORMAL.inverseCumulativeProbability(p);
        // the difference of two sizes' log losses has sqrt(2) times the noise of one
        return Math.max(settings.peakThreshold(), Math.expm1(quantile * Math.sqrt(2) * noise.relative()));
    }

    /**
     * The noise of one size's loss where it can be told apart from the curve, for a peak candidate at
     * {@code candidate}. With several seeds per size: the seeds' scatter around their size's mean, pooled over
     * the sizes, scaled to the error of a size's median. With one seed: how far each size lies off the straight
     * line (in log parameters) through its neighbours, a median over the sweep, counting only sizes whose
     * neighbours are within the size resolution and leaving out the candidate and its neighbours: on a coarse
     * grid, and around the peak itself, a real double-descent curve bends sharply between neighbouring sizes, and
     * counting those bends as noise made a sweep with every size in withdraw a peak it had called with half of them
     * (decisions then depended on the order runs finished in). Empty when neither can be measured.
     */
    Optional<Noise> noise(List<ModelSize> done, int candidate) {
        List<ModelSize> seeded = done.stream().filter(s -> s.healthy() > 1 && Double.isFinite(s.scatter())).toList();
        if (seeded.size() >= MIN_SIZES_FOR_SCATTER) {
            double squares = seeded.stream().mapToDouble(ModelSize::scatter).sum();
            int freedom = seeded.stream().mapToInt(s -> s.healthy() - 1).sum();
            int seeds = (int) SmoothedSeries.median(seeded.stream().mapToDouble(ModelSize::healthy).toArray());
            double error = (seeds > 2 ? MEDIAN_ERROR_RATIO : 1) / Math.sqrt(seeds);
            return Optional.of(new Noise(Math.sqrt(squares / freedom) * error, freedom));
        }
        List<Double> residuals = new ArrayList<>();
        for (int i = 1; i < done.size() - 1; i++) {
            if (Math.abs(i - candidate) <= 1 || !resolved(done.get(i - 1), done.get(i))
                    || !resolved(done.get(i), done.get(i + 1))) {
                continue;
            }
            double u0 = Math.log(done.get(i - 1).paramCount());
            double u1 = Math.log(done.get(i).paramCount());
            double u2 = Math.log(done.get(i + 1).paramCount());
            double w = (u1 - u0) / (u2 - u0);
            double middle = done.get(i).testLoss();
            double line = w * done.get(i + 1).testLoss() + (1 - w) * done.get(i - 1).testLoss();
            residuals.add(Math.abs(middle - line) / Math.sqrt(1 + w * w + (1 - w) * (1 - w)) / Math.abs(middle));
        }
        if (residuals.size() < MIN_SIZES_FOR_SCATTER) {
            return Optional.empty();
        }
        return Optional.of(new Noise(MAD_TO_SIGMA * SmoothedSeries.median(residuals.stream()
                .mapToDouble(d -> d).toArray()), residuals.size()));
    }

    /** Whether two neighbouring known sizes are close enough that no unseen size between them matters. */
    private boolean resolved(ModelSize smaller, ModelSize larger) {
        return larger.paramCount() <= settings.sizeResolution() * smaller.paramCount();
    }

    /**
     * A finished size at or past the threshold that beats every size below it by the margin, once every known size
     * below the threshold has finished: one still training could yet end lower than the winner.
     */
    record Win(ModelSize winner, ModelSize bestBelow, ModelSize threshold) {
    }

    Optional<Win> win(List<ModelSize> sizes, ModelSize threshold) {
        List<ModelSize> belowThreshold = sizes.stream().filter(s -> s.paramCount() < threshold.paramCount()).toList();
        List<ModelSize> past = sizes.stream()
                .filter(s -> s.finished() && s.paramCount() >= threshold.paramCount()).toList();
        if (belowThreshold.isEmpty() || past.isEmpty() || !belowThreshold.stream().allMatch(ModelSize::finished)) {
            return Optional.empty();
        }
        ModelSize bestBelow = lowest(belowThreshold);
        ModelSize winner = lowest(past);
        if (winner.testLoss() <= (1 - settings.overparameterizedMargin()) * bestBelow.testLoss()) {
            return Optional.of(new Win(winner, bestBelow, threshold));
        }
        return Optional.empty();
    }

    private static ModelSize lowest(List<ModelSize> sizes) {
        ModelSize best = sizes.get(0);
        for (ModelSize s : sizes) {
            if (s.testLoss() < best.testLoss()) {
                best = s;
            }
        }
        return best;
    }

    private Alert thresholdAlert(List<ModelSize> sizes, ModelSize threshold, RunSummary trigger) {
        RunSummary run = threshold.representative();
        ModelSize below = sizes.get(sizes.indexOf(threshold) - 1);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("param_count", threshold.paramCount());
        d.put("p_over_n", run.pOverN());
        d.put("largest_non_interpolating_param_count", below.paramCount());
        d.put("interpolation_epoch", run.interpolationEpoch());
        d.put("train_loss", run.trainLoss());
        d.put("seeds", (long) threshold.seeds());
        return alert(AlertType.INTERPOLATION_THRESHOLD, run, d, "interpolation threshold at "
                + threshold.paramCount() + " parameters (p/n = " + RunDetector.num(run.pOverN())
                + "): the smallest model that fits its training set; " + below.paramCount() + " does not", trigger);
    }

    private Alert peakAlert(Peak p, RunSummary trigger) {
        RunSummary run = p.size().representative();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("param_count", p.size().paramCount());
        d.put("p_over_n", run.pOverN());
        d.put("peak_loss", p.size().testLoss());
        d.put("left_param_count", p.leftBest().paramCount());
        d.put("left_loss", p.leftBest().testLoss());
        d.put("right_param_count", p.rightBest().paramCount());
        d.put("right_loss", p.rightBest().testLoss());
        d.put("prominence", p.prominence());
        d.put("threshold", p.threshold());
        return alert(AlertType.MODEL_WISE_PEAK, run, d, "model-wise peak at " + p.size().paramCount()
                + " parameters (p/n = " + RunDetector.num(run.pOverN()) + "): test loss "
                + RunDetector.num(p.size().testLoss()) + ", " + RunDetector.percent(p.prominence())
                + " above the best smaller (" + p.leftBest().paramCount() + ": "
                + RunDetector.num(p.leftBest().testLoss()) + ") and larger (" + p.rightBest().paramCount() + ": "
                + RunDetector.num(p.rightBest().testLoss()) + ") models", trigger);
    }

    private Alert winAlert(Win w, RunSummary trigger) {
        RunSummary run = w.winner().representative();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("param_count", w.winner().paramCount());
        d.put("p_over_n", run.pOverN());
        d.put("loss", w.winner().testLoss());
        d.put("best_below_param_count", w.bestBelow().paramCount());
        d.put("best_below_loss", w.bestBelow().testLoss());
        d.put("threshold_param_count", w.threshold().paramCount());
        d.put("margin", settings.overparameterizedMargin());
        return alert(AlertType.OVERPARAMETERIZED_WINS, run, d, "over-parameterized model wins: "
                + w.winner().paramCount() + " parameters reach test loss " + RunDetector.num(w.winner().testLoss())
                + ", below the best under-parameterized model (" + w.bestBelow().paramCount() + ": "
                + RunDetector.num(w.bestBelow().testLoss()) + ")", trigger);
    }

    private static Alert alert(AlertType type, RunSummary landmark, Map<String, Object> details, String what,
                               RunSummary trigger) {
        return Alert.create(type, landmark.runId(), landmark.sweepId(), landmark.epoch(), landmark.paramCount(),
                landmark.trainSize(), landmark.outputDim(), details, "sweep " + landmark.sweepId() + ": " + what,
                trigger.time());
    }
}
