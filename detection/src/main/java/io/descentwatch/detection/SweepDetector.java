package io.descentwatch.detection;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Sweep-scope detection over the runs' summaries: the interpolation threshold, the model-wise peak and whether the
 * over-parameterized models win. Runs report in any order and while still training, so each alert waits until
 * the runs it depends on have ended; it then fires once per sweep.
 *
 * <p>Decisions never need the producer to say how many runs there are. A sweep is complete once no more runs can
 * come: every known run has gone quiet (the idle timeout live, the end of the input offline), or the
 * {@code sweep_runs} tag says every planned run is known. A complete sweep is decided on what it has, whatever its
 * grid's spacing; before that a landmark is named only where the known sizes around it are within the size
 * resolution, so that no unseen size can sit in a gap and hold the real one.
 */
public final class SweepDetector {

    private final DetectionSettings settings;
    private final ModelWisePeak peaks;
    private final SweepAlertWording wording;

    public SweepDetector(DetectionSettings settings) {
        this.settings = settings;
        this.peaks = new ModelWisePeak(settings);
        this.wording = new SweepAlertWording(settings);
    }

    public SweepDetector() {
        this(DetectionSettings.defaults());
    }

    /**
     * One run's new summary for its sweep. {@code runs} holds the sweep's runs and is updated here; the state is
     * bounded by the number of model sizes, so an update costs the same whatever the sweep's run count.
     */
    public SweepStep step(SweepState previousOrNull, SweepRuns runs, RunSummary update) {
        SweepState before = previousOrNull != null ? previousOrNull : SweepState.start(update.sweepId());
        RunSummary known = runs.get(update.runId());
        if (known != null && update.epoch() < known.epoch()) {
            // Summaries of one run arrive in order; an older one is a retransmission.
            return new SweepStep(before, List.of(), Optional.empty(), Optional.empty());
        }
        SweepState counted = before.without(known).with(update, settings.sweepMaxSizes());
        runs.put(update);
        Optional<String> notice = before.runsPastSizeCap() == 0 && counted.runsPastSizeCap() > 0
                ? Optional.of("sweep " + update.sweepId() + " has more than " + settings.sweepMaxSizes()
                        + " model sizes (--sweep-max-sizes): runs of further sizes, from " + update.runId() + " ("
                        + update.paramCount()
                        + " parameters) on, are left out of its sweep decisions and counted in its "
                        + "picture's runs_past_size_cap")
                : Optional.empty();
        boolean complete = counted.complete();
        List<ModelSize> sizes = ModelSize.of(counted.sizes().values(), complete);
        Set<AlertType> fired =
                before.fired().isEmpty() ? EnumSet.noneOf(AlertType.class) : EnumSet.copyOf(before.fired());
        List<Alert> alerts = new ArrayList<>();
        Optional<ModelSize> threshold = settledThreshold(sizes, complete);
        if (threshold.isPresent() && fired.add(AlertType.INTERPOLATION_THRESHOLD)) {
            alerts.add(wording.threshold(
                    threshold.get(),
                    sizes.get(sizes.indexOf(threshold.get()) - 1),
                    representative(runs, threshold.get()),
                    update));
        }
        if (!fired.contains(AlertType.MODEL_WISE_PEAK)) {
            peak(sizes, complete).ifPresent(p -> {
                fired.add(AlertType.MODEL_WISE_PEAK);
                alerts.add(wording.peak(p, representative(runs, p.size()), update));
            });
        }
        // The best model below the threshold may be any of them, and a size not seen yet could be it: the win waits
        // until no more runs can come.
        if (threshold.isPresent() && complete && !fired.contains(AlertType.OVERPARAMETERIZED_WINS)) {
            win(sizes, threshold.get()).ifPresent(w -> {
                fired.add(AlertType.OVERPARAMETERIZED_WINS);
                alerts.add(wording.win(w, representative(runs, w.winner()), update));
            });
        }
        return new SweepStep(counted.withFired(fired), alerts, notice, chanceMove(before, counted));
    }

    /**
     * The sweep's new move of the chance told to its runs, when an ended run's told chances changed what the sweep
     * knows of them; nothing when they did not, or when the sweep is not read ({@code --advice-sweep-prior} 0).
     */
    private Optional<ChanceMove> chanceMove(SweepState before, SweepState after) {
        double prior = settings.advice().sweepPrior();
        return prior == 0 || after.chances().equals(before.chances())
                ? Optional.empty()
                : Optional.of(after.chances().move(prior));
    }

    /**
     * The run an alert about {@code size} names: the healthy seed whose test loss is closest to the size's median
     * (the first by run id of equals). Walks the sweep's runs, which only an alert does, at most once per alert
     * type and sweep.
     */
    static RunSummary representative(SweepRuns runs, ModelSize size) {
        RunSummary[] best = {null};
        runs.forEach(r -> {
            if (r.paramCount() == size.paramCount()
                    && SizeAggregate.healthy(r)
                    && (best[0] == null || closer(r, best[0], size.testLoss()))) {
                best[0] = r;
            }
        });
        if (best[0] == null) {
            throw new IllegalStateException("no healthy run of size " + size.paramCount() + " in its sweep");
        }
        return best[0];
    }

    /** Whether {@code a}'s test loss is closer to {@code median} than {@code b}'s, or as close and first by id. */
    private static boolean closer(RunSummary a, RunSummary b, double median) {
        double da = Math.abs(a.testLoss() - median);
        double db = Math.abs(b.testLoss() - median);
        return da < db || da == db && a.runId().compareTo(b.runId()) < 0;
    }

    /**
     * The smallest interpolating size, once that is settled: larger models usually interpolate first, so it counts
     * only when every known smaller size has ended without interpolating, and the next smaller one is within the
     * size resolution (otherwise a size not seen yet could sit in the gap and interpolate) or the sweep is complete.
     */
    Optional<ModelSize> settledThreshold(List<ModelSize> sizes, boolean complete) {
        for (int i = 0; i < sizes.size(); i++) {
            ModelSize size = sizes.get(i);
            if (size.interpolates()) {
                return i > 0 && (complete || resolved(sizes.get(i - 1), size)) ? Optional.of(size) : Optional.empty();
            }
            if (!size.finished()) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The model-wise peak over the finished sizes ({@link ModelWisePeak}), once no unfinished size lies between
     * the best sizes that bound it (one still training could end higher and move the peak) and the known sizes next
     * to it are within the size resolution, or the sweep is complete. Before completeness, a peak that stands out
     * by the early bar ({@link ModelWisePeak#early}) is named on the sizes that have ended, once no size next to it
     * is still training and no size of the grid is missing next to it ({@link #widestGap}): no size added or ended
     * later can take such a peak away, only show a higher one within that gap (which the sweep picture then shows;
     * the alert, fired once, names the size known when it fired).
     */
    Optional<ModelWisePeak.Peak> peak(List<ModelSize> sizes, boolean complete) {
        List<ModelSize> done = sizes.stream().filter(ModelSize::finished).toList();
        Optional<ModelWisePeak.Peak> verdict = peaks.find(done, complete)
                .filter(v -> !pending(sizes, v) && (complete || pinned(sizes, v.size(), settings.sizeResolution())));
        if (verdict.isPresent() || complete) {
            return verdict;
        }
        return peaks.early(done)
                .filter(v -> !trainingNextTo(sizes, done, v.size())
                        && !risingStillTraining(sizes, v)
                        && pinned(sizes, v.size(), widestGap(sizes)));
    }

    /** Whether a size still training lies between the best sizes that bound the peak: it could end higher. */
    private static boolean pending(List<ModelSize> sizes, ModelWisePeak.Peak v) {
        long from = v.leftBest().paramCount();
        long to = v.rightBest().paramCount();
        return sizes.stream().anyMatch(s -> !s.finished() && s.paramCount() > from && s.paramCount() < to);
    }

    /** A gap a quarter wider than the grid's typical step looks like a missing size. */
    private static final double MISSING_SIZE_GAP = 1.25;

    /**
     * The widest gap next to an early peak: a quarter more than the grid's typical step (the median ratio of
     * neighbouring known sizes), so that a missing size of the grid holds the peak back, however fine the grid;
     * never more than the square of the resolution (a grid of three sizes per decade).
     */
    private double widestGap(List<ModelSize> sizes) {
        double[] steps = new double[sizes.size() - 1];
        for (int i = 1; i < sizes.size(); i++) {
            steps[i - 1] = (double) sizes.get(i).paramCount() / sizes.get(i - 1).paramCount();
        }
        double resolution = settings.sizeResolution();
        return Math.min(resolution * resolution, MISSING_SIZE_GAP * SmoothedSeries.median(steps));
    }

    /**
     * Whether a size still training lies between the peak and the ended sizes next to it: it could end higher and
     * be the peak. Sizes still training further out cannot take the peak away, only make it stand out more.
     */
    private static boolean trainingNextTo(List<ModelSize> sizes, List<ModelSize> done, ModelSize peak) {
        int at = done.indexOf(peak);
        long from = done.get(at - 1).paramCount();
        long to = done.get(at + 1).paramCount();
        return sizes.stream().anyMatch(s -> !s.finished() && s.paramCount() > from && s.paramCount() < to);
    }

    /**
     * Whether a size still training between the best sizes that bound the peak already stands as far over them as
     * the early bar asks: it may end as the peak. A broad peak region ends size by size, and naming the first of it
     * to end would make the named size depend on which run ended first.
     */
    private boolean risingStillTraining(List<ModelSize> sizes, ModelWisePeak.Peak v) {
        long from = v.leftBest().paramCount();
        long to = v.rightBest().paramCount();
        double bar = LossShares.raised(
                Math.max(v.leftBest().testLoss(), v.rightBest().testLoss()), settings.earlyPeak());
        return sizes.stream()
                .anyMatch(s -> !s.finished() && s.paramCount() > from && s.paramCount() < to && s.testLoss() >= bar);
    }

    /** Whether the known sizes next to {@code size} are within {@code factor} of it: no wider gap to hold the peak. */
    private static boolean pinned(List<ModelSize> sizes, ModelSize size, double factor) {
        int at = sizes.indexOf(size);
        return at > 0
                && at < sizes.size() - 1
                && size.paramCount() <= factor * sizes.get(at - 1).paramCount()
                && sizes.get(at + 1).paramCount() <= factor * size.paramCount();
    }

    /** Whether two neighbouring known sizes are close enough that no unseen size between them matters. */
    private boolean resolved(ModelSize smaller, ModelSize larger) {
        return larger.paramCount() <= settings.sizeResolution() * smaller.paramCount();
    }

    /**
     * A finished size at or past the threshold that beats every size below it by the margin, once every known size
     * below the threshold has finished: one still training could yet end lower than the winner.
     */
    record Win(ModelSize winner, ModelSize bestBelow, ModelSize threshold) {}

    Optional<Win> win(List<ModelSize> sizes, ModelSize threshold) {
        List<ModelSize> belowThreshold = sizes.stream()
                .filter(s -> s.paramCount() < threshold.paramCount())
                .toList();
        List<ModelSize> past = sizes.stream()
                .filter(s -> s.finished() && s.paramCount() >= threshold.paramCount())
                .toList();
        if (belowThreshold.isEmpty()
                || past.isEmpty()
                || !belowThreshold.stream().allMatch(ModelSize::finished)) {
            return Optional.empty();
        }
        ModelSize bestBelow = ModelWisePeak.lowest(belowThreshold);
        ModelSize winner = ModelWisePeak.lowest(past);
        if (winner.testLoss() <= LossShares.lowered(bestBelow.testLoss(), settings.overparameterizedMargin())) {
            return Optional.of(new Win(winner, bestBelow, threshold));
        }
        return Optional.empty();
    }
}
