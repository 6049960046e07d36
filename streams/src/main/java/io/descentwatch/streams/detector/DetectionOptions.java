package io.descentwatch.streams.detector;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.options.Range;
import io.descentwatch.options.Ranges;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The detection settings as command-line options, mixed into every command that detects: each flag with its
 * environment fallback ({@code DW_*}), its default and why it is what it is, and its {@link Range} (checked by
 * {@link Ranges} before anything starts, so a bad value is a usage error naming the flag, exit 2). The detectors
 * take the plain, checked {@link DetectionSettings} these map onto ({@link #settings()}); its documented defaults
 * are these flags' defaults ({@code DetectionOptionsTest}).
 *
 * <p>The labelled corpus (the test kit's curves) calls a rise or fall real from 10% and has an ambiguous band from 2%
 * (or 5% for falls) to 10%; thresholds sit inside those bands so that the labels' real effects clear them with room
 * for noise, rather than being fitted to the corpus.
 */
public final class DetectionOptions {

    @Option(
            names = "--rise-threshold",
            defaultValue = "${env:DW_RISE_THRESHOLD:-0.05}",
            description = "Relative rise of the smoothed test loss over its running minimum that counts as "
                    + "TEST_LOSS_RISING (default ${DEFAULT-VALUE}). Half of the 10%% a clear rise shows: real "
                    + "overfitting onsets clear it with room for smoothing lag, and 2%% wiggles never reach it.")
    @Range(above = "0", max = "10")
    double riseThreshold;

    @Option(
            names = "--fall-threshold",
            defaultValue = "${env:DW_FALL_THRESHOLD:-0.05}",
            description = "Relative fall of the smoothed test loss below its peak (after a rise) that counts as "
                    + "SECOND_DESCENT (default ${DEFAULT-VALUE}). A second descent is confirmed once the loss is "
                    + "5%% under its peak; a flat top or a noisy plateau does not move that far.")
    @Range(above = "0", below = "1")
    double fallThreshold;

    @Option(
            names = "--below-margin",
            defaultValue = "${env:DW_BELOW_MARGIN:-0.01}",
            description = "Relative margin under the first minimum for BELOW_FIRST_MINIMUM (default "
                    + "${DEFAULT-VALUE}). Crossing the first minimum is the news itself; the margin only keeps a "
                    + "loss that merely touches it from firing (the noise term below widens it for noisy runs).")
    @Range(min = "0", below = "1")
    double belowMargin;

    @Option(
            names = "--noise-sigmas",
            defaultValue = "${env:DW_NOISE_SIGMAS:-3}",
            description = "Every relative threshold is raised to this many standard deviations of the difference "
                    + "between the landmark it compares with (a minimum, a peak) and the current smoothed value, "
                    + "both estimated from the run's own noise (default ${DEFAULT-VALUE}). Three sigma: a "
                    + "noise-only run rarely crosses it even comparing a running extreme with a later value, so "
                    + "noisy runs need a larger effect and quiet runs are judged at the base threshold. A sweep's "
                    + "model-wise peak must clear what its sizes' noise reaches with the chance of one such "
                    + "excursion across all of its sizes.")
    @Range(min = "0", max = "10")
    double noiseSigmas;

    @Option(
            names = "--confirm-evaluations",
            defaultValue = "${env:DW_CONFIRM_EVALUATIONS:-3}",
            description = "Consecutive evaluations a condition must hold before an alert fires (default "
                    + "${DEFAULT-VALUE}); on sparse grids two evaluations a smoothing span apart also do. Three: one "
                    + "stray value cannot fire, and on a log-spaced grid the confirmation stays well within one "
                    + "doubling of epochs.")
    @Range(min = "1", max = "100")
    int confirmEvaluations;

    @Option(
            names = "--median-window",
            defaultValue = "${env:DW_MEDIAN_WINDOW:-5}",
            description = "Raw evaluations in the running median applied before smoothing (default "
                    + "${DEFAULT-VALUE}). Five removes any one or two adjacent outlier spikes and lags a trend by "
                    + "only two evaluations.")
    @Range(min = "1", max = "51")
    int medianWindow;

    @Option(
            names = "--smoothing-span",
            defaultValue = "${env:DW_SMOOTHING_SPAN:-0.15}",
            description = "Time constant of the exponential smoothing, in log-epochs (default ${DEFAULT-VALUE}). "
                    + "Training curves change on a log scale of epochs, so smoothing over a fixed fraction of "
                    + "the elapsed epochs (about 15%%) treats every-epoch, sparse and log-spaced grids alike and "
                    + "keeps the lag far below one doubling (ln 2 = 0.69).")
    @Range(above = "0", max = "10")
    double smoothingSpan;

    @Option(
            names = "--loss-floor",
            defaultValue = "${env:DW_LOSS_FLOOR:-1e-4}",
            description = "Absolute change in loss below which no rise or fall counts, whatever its relative size "
                    + "(default ${DEFAULT-VALUE}). Near zero, relative changes of a tiny loss are noise of the "
                    + "arithmetic, not of the model.")
    @Range(min = "0", max = "1e6")
    double lossFloor;

    @Option(
            names = "--interpolation-fraction",
            defaultValue = "${env:DW_INTERPOLATION_FRACTION:-1e-3}",
            description = "INTERPOLATION_REACHED once the train loss is at or under this fraction of the run's "
                    + "first train loss (default ${DEFAULT-VALUE}): three orders of magnitude of descent means "
                    + "the training set is fitted, whatever the loss scale.")
    @Range(above = "0", below = "1")
    double interpolationFraction;

    @Option(
            names = "--interpolation-loss",
            defaultValue = "${env:DW_INTERPOLATION_LOSS:-1e-5}",
            description = "INTERPOLATION_REACHED also once the train loss is at or under this absolute value "
                    + "(default ${DEFAULT-VALUE}): a loss that small reproduces the targets for any loss of "
                    + "order one at the start, even when the first loss logged was already low.")
    @Range(min = "0", max = "1e6")
    double interpolationLoss;

    @Option(
            names = "--divergence-factor",
            defaultValue = "${env:DW_DIVERGENCE_FACTOR:-10}",
            description = "DIVERGED when the train loss stays above this multiple of its first value (default "
                    + "${DEFAULT-VALUE}) while the test loss is above its own first value, besides any NaN or "
                    + "infinite loss. Gradient descent with a stable step does not end an order of magnitude above "
                    + "where it started; the test loss alone is not read, because it can legitimately spike at the "
                    + "interpolation threshold, and the train loss alone misread games (a GAN critic's objective "
                    + "grows from near zero while its held-out distance falls).")
    @Range(above = "1", max = "1e6")
    double divergenceFactor;

    @Option(
            names = "--summary-step",
            defaultValue = "${env:DW_SUMMARY_STEP:-0.02}",
            description = "Relative move of the smoothed test loss after which a run publishes its summary again "
                    + "(the compacted runs topic and the run_state measurement) (default ${DEFAULT-VALUE}). A run "
                    + "also publishes on its first and final event and on every phase, interpolation or divergence "
                    + "change, and only those status changes reach the sweep detector, which decides on them alone. "
                    + "2%% keeps the published picture within a fifth of the smallest model-wise peak worth "
                    + "calling while publishing a fraction of the events.")
    @Range(above = "0", max = "1")
    double summaryStep;

    @Option(
            names = "--peak-threshold",
            defaultValue = "${env:DW_PEAK_THRESHOLD:-0.10}",
            description = "MODEL_WISE_PEAK when one model size's test loss is at least this much above the best "
                    + "size on each side (default ${DEFAULT-VALUE}). 10%% is the effect the labels call a peak; "
                    + "anything fainter is within the seed-to-seed spread of a sweep.")
    @Range(above = "0", max = "10")
    double peakThreshold;

    @Option(
            names = "--early-peak",
            defaultValue = "${env:DW_EARLY_PEAK:-0.75}",
            description = "A sweep still growing names its MODEL_WISE_PEAK as soon as the peak size stands this much "
                    + "above the best ended size on each side (and above what the sweep's noise could produce, "
                    + "where it can be measured), and so does its higher neighbour or it sits where the sweep starts "
                    + "to interpolate, without waiting for the sweep to be complete or its grid to be fine (default "
                    + "${DEFAULT-VALUE}). Sizes added later only lower the best sizes on each side, so such a peak "
                    + "cannot go away. 0.75 names peaks twice the best size on each side even when noise takes "
                    + "10%% off the peak and puts 10%% on a flank; for noise alone to make one, a run would have "
                    + "to land 0.56 off in log loss (11 standard deviations at 5%% noise) on one of the two sizes "
                    + "where interpolation starts, or two neighbouring runs at once. Fainter peaks wait for the "
                    + "noise bound or for completeness.")
    @Range(min = "0.1", max = "100")
    double earlyPeak;

    @Option(
            names = "--size-resolution",
            defaultValue = "${env:DW_SIZE_RESOLUTION:-1.5}",
            description = "A sweep landmark (the interpolation threshold, the model-wise peak) is named only once "
                    + "the nearest known sizes on either side are within this factor of it (default "
                    + "${DEFAULT-VALUE}). Runs arrive in any order, and a size not seen yet can sit in a wide gap and "
                    + "hold the real landmark. Grids of 6 or more sizes per decade have neighbours within 1.5, so a "
                    + "sweep with every size in qualifies, while one missing size leaves a gap of two steps (over "
                    + "1.58 for grids of up to 10 per decade) and holds the alert back. Once a sweep is complete "
                    + "(every run idle, or every planned run known) any grid is decided on what it has.")
    @Range(above = "1", max = "100")
    double sizeResolution;

    @Option(
            names = "--overparameterized-margin",
            defaultValue = "${env:DW_OVERPARAMETERIZED_MARGIN:-0.05}",
            description = "OVERPARAMETERIZED_WINS when a size at or past the interpolation threshold beats every "
                    + "size below it by this relative margin (default ${DEFAULT-VALUE}); 5%% is well outside the "
                    + "spread of seed medians, so a tie is not called a win.")
    @Range(min = "0", below = "1")
    double overparameterizedMargin;

    @Range(min = "16", max = "1024")
    @Option(
            names = "--sweep-max-sizes",
            defaultValue = "${env:DW_SWEEP_MAX_SIZES:-256}",
            description = "Most model sizes one sweep's decisions cover (default ${DEFAULT-VALUE}). "
                    + "A sweep's state holds a few hundred bytes per size whatever its seed count, and this keeps "
                    + "its largest record under 100 KB, far inside Kafka's 1 MB; double-descent sweeps use tens of "
                    + "sizes. Runs of sizes past the cap still count as known runs but are left out of the sweep's "
                    + "decisions; the detector says so once per sweep and the sweep picture counts them.")
    int sweepMaxSizes;

    /** The stopping advice's own thresholds: {@code --advice-*}. */
    @Mixin
    AdviceOptions advice = new AdviceOptions();

    /** The options' values (command line, environment, defaults), as the detectors take them. */
    public DetectionSettings settings() {
        return DetectionSettings.builder()
                .riseThreshold(riseThreshold)
                .fallThreshold(fallThreshold)
                .belowMargin(belowMargin)
                .noiseSigmas(noiseSigmas)
                .confirmEvaluations(confirmEvaluations)
                .medianWindow(medianWindow)
                .smoothingSpan(smoothingSpan)
                .lossFloor(lossFloor)
                .interpolationFraction(interpolationFraction)
                .interpolationLoss(interpolationLoss)
                .divergenceFactor(divergenceFactor)
                .summaryStep(summaryStep)
                .peakThreshold(peakThreshold)
                .earlyPeak(earlyPeak)
                .sizeResolution(sizeResolution)
                .overparameterizedMargin(overparameterizedMargin)
                .sweepMaxSizes(sweepMaxSizes)
                .advice(advice.settings())
                .build();
    }

    /**
     * Settings as a command line with these arguments would give them, e.g. {@code parse("--rise-threshold",
     * "0.1")}: defaults and {@code DW_*} environment variables for the rest, each value checked against its range.
     */
    public static DetectionSettings parse(String... args) {
        return Ranges.parse(new DetectionOptions(), args).settings();
    }
}
