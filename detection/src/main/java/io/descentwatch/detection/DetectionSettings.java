package io.descentwatch.detection;

/**
 * Every threshold the detectors use: plain values, checked against their ranges when built (an
 * {@link IllegalArgumentException} naming the setting), built by name ({@link #builder()}) so that no two of its
 * seventeen numbers can be swapped unseen. {@link #defaults()} is the documented defaults and nothing else: no
 * environment variable is read here, so a test's result does not depend on the shell that runs it. The command
 * line's flags, their {@code DW_*} environment fallbacks, their ranges and why each default is what it is are the
 * streams module's {@code DetectionOptions} (beside the detector's other flags), which maps onto this record.
 *
 * <p>The labelled corpus (the test kit's curves) calls a rise or fall real from 10% and has an ambiguous band from 2%
 * (or 5% for falls) to 10%; thresholds sit inside those bands so that the labels' real effects clear them with room
 * for noise, rather than being fitted to the corpus.
 */
public record DetectionSettings(
        /**
         * Relative rise of the smoothed test loss over its running minimum that counts as TEST_LOSS_RISING (default
         * 0.05).
         */
        double riseThreshold,
        /** Relative fall below the peak that counts as SECOND_DESCENT (default 0.05). */
        double fallThreshold,
        /** Relative margin under the first minimum for BELOW_FIRST_MINIMUM (default 0.01). */
        double belowMargin,
        /** Standard deviations of the run's noise every relative threshold is raised to (default 3). */
        double noiseSigmas,
        /** Consecutive evaluations a condition must hold before an alert fires (default 3). */
        int confirmEvaluations,
        /** Raw evaluations in the running median applied before smoothing (default 5). */
        int medianWindow,
        /** Time constant of the exponential smoothing, in log-epochs (default 0.15). */
        double smoothingSpan,
        /** Absolute change in loss below which no rise or fall counts (default 1e-4). */
        double lossFloor,
        /** INTERPOLATION_REACHED at this fraction of the first train loss (default 1e-3). */
        double interpolationFraction,
        /** INTERPOLATION_REACHED also at this absolute train loss (default 1e-5). */
        double interpolationLoss,
        /**
         * DIVERGED when the train loss stays above this multiple of its first value while the test loss is above its
         * own first value (default 10).
         */
        double divergenceFactor,
        /** Relative move of the smoothed test loss after which a run publishes its summary again (default 0.02). */
        double summaryStep,
        /** MODEL_WISE_PEAK when a size's test loss is this much above the best size on each side (default 0.10). */
        double peakThreshold,
        /** Prominence at which a growing sweep names its peak early (default 0.75). */
        double earlyPeak,
        /** Factor within which a landmark's neighbouring sizes must be known (default 1.5). */
        double sizeResolution,
        /** OVERPARAMETERIZED_WINS margin over every size below the threshold (default 0.05). */
        double overparameterizedMargin,
        /** Most model sizes one sweep's decisions cover (default 256). */
        int sweepMaxSizes,
        /** The stopping advice's own thresholds. */
        AdviceSettings advice) {

    public static final double DEFAULT_RISE_THRESHOLD = 0.05;
    public static final double DEFAULT_FALL_THRESHOLD = 0.05;
    public static final double DEFAULT_BELOW_MARGIN = 0.01;
    public static final double DEFAULT_NOISE_SIGMAS = 3;
    public static final int DEFAULT_CONFIRM_EVALUATIONS = 3;
    public static final int DEFAULT_MEDIAN_WINDOW = 5;
    public static final double DEFAULT_SMOOTHING_SPAN = 0.15;
    public static final double DEFAULT_LOSS_FLOOR = 1e-4;
    public static final double DEFAULT_INTERPOLATION_FRACTION = 1e-3;
    public static final double DEFAULT_INTERPOLATION_LOSS = 1e-5;
    public static final double DEFAULT_DIVERGENCE_FACTOR = 10;
    public static final double DEFAULT_SUMMARY_STEP = 0.02;
    public static final double DEFAULT_PEAK_THRESHOLD = 0.10;
    public static final double DEFAULT_EARLY_PEAK = 0.75;
    public static final double DEFAULT_SIZE_RESOLUTION = 1.5;
    public static final double DEFAULT_OVERPARAMETERIZED_MARGIN = 0.05;
    public static final int DEFAULT_SWEEP_MAX_SIZES = 256;

    public DetectionSettings {
        SettingRange.aboveUpTo("rise threshold", riseThreshold, 0, 10);
        SettingRange.open("fall threshold", fallThreshold, 0, 1);
        SettingRange.fromBelow("below margin", belowMargin, 0, 1);
        SettingRange.closed("noise sigmas", noiseSigmas, 0, 10);
        SettingRange.closed("confirm evaluations", confirmEvaluations, 1, 100);
        SettingRange.closed("median window", medianWindow, 1, 51);
        SettingRange.aboveUpTo("smoothing span", smoothingSpan, 0, 10);
        SettingRange.closed("loss floor", lossFloor, 0, 1e6);
        SettingRange.open("interpolation fraction", interpolationFraction, 0, 1);
        SettingRange.closed("interpolation loss", interpolationLoss, 0, 1e6);
        SettingRange.aboveUpTo("divergence factor", divergenceFactor, 1, 1e6);
        SettingRange.aboveUpTo("summary step", summaryStep, 0, 1);
        SettingRange.aboveUpTo("peak threshold", peakThreshold, 0, 10);
        SettingRange.closed("early peak", earlyPeak, 0.1, 100);
        SettingRange.aboveUpTo("size resolution", sizeResolution, 1, 100);
        SettingRange.fromBelow("overparameterized margin", overparameterizedMargin, 0, 1);
        SettingRange.closed("sweep max sizes", sweepMaxSizes, 16, 1024);
        if (advice == null) {
            throw new IllegalArgumentException("advice settings are required");
        }
    }

    /** The documented defaults. */
    public static DetectionSettings defaults() {
        return builder().build();
    }

    /** Settings by name, from the defaults: {@code builder().riseThreshold(0.1).build()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** These settings by name, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.riseThreshold = riseThreshold;
        b.fallThreshold = fallThreshold;
        b.belowMargin = belowMargin;
        b.noiseSigmas = noiseSigmas;
        b.confirmEvaluations = confirmEvaluations;
        b.medianWindow = medianWindow;
        b.smoothingSpan = smoothingSpan;
        b.lossFloor = lossFloor;
        b.interpolationFraction = interpolationFraction;
        b.interpolationLoss = interpolationLoss;
        b.divergenceFactor = divergenceFactor;
        b.summaryStep = summaryStep;
        b.peakThreshold = peakThreshold;
        b.earlyPeak = earlyPeak;
        b.sizeResolution = sizeResolution;
        b.overparameterizedMargin = overparameterizedMargin;
        b.sweepMaxSizes = sweepMaxSizes;
        b.advice = advice;
        return b;
    }

    /** {@link DetectionSettings} by name; starts from the defaults, checked by {@link #build()}. */
    public static final class Builder {
        private double riseThreshold = DEFAULT_RISE_THRESHOLD;
        private double fallThreshold = DEFAULT_FALL_THRESHOLD;
        private double belowMargin = DEFAULT_BELOW_MARGIN;
        private double noiseSigmas = DEFAULT_NOISE_SIGMAS;
        private int confirmEvaluations = DEFAULT_CONFIRM_EVALUATIONS;
        private int medianWindow = DEFAULT_MEDIAN_WINDOW;
        private double smoothingSpan = DEFAULT_SMOOTHING_SPAN;
        private double lossFloor = DEFAULT_LOSS_FLOOR;
        private double interpolationFraction = DEFAULT_INTERPOLATION_FRACTION;
        private double interpolationLoss = DEFAULT_INTERPOLATION_LOSS;
        private double divergenceFactor = DEFAULT_DIVERGENCE_FACTOR;
        private double summaryStep = DEFAULT_SUMMARY_STEP;
        private double peakThreshold = DEFAULT_PEAK_THRESHOLD;
        private double earlyPeak = DEFAULT_EARLY_PEAK;
        private double sizeResolution = DEFAULT_SIZE_RESOLUTION;
        private double overparameterizedMargin = DEFAULT_OVERPARAMETERIZED_MARGIN;
        private int sweepMaxSizes = DEFAULT_SWEEP_MAX_SIZES;
        private AdviceSettings advice = AdviceSettings.defaults();

        private Builder() {}

        public Builder riseThreshold(double riseThreshold) {
            this.riseThreshold = riseThreshold;
            return this;
        }

        public Builder fallThreshold(double fallThreshold) {
            this.fallThreshold = fallThreshold;
            return this;
        }

        public Builder belowMargin(double belowMargin) {
            this.belowMargin = belowMargin;
            return this;
        }

        public Builder noiseSigmas(double noiseSigmas) {
            this.noiseSigmas = noiseSigmas;
            return this;
        }

        public Builder confirmEvaluations(int confirmEvaluations) {
            this.confirmEvaluations = confirmEvaluations;
            return this;
        }

        public Builder medianWindow(int medianWindow) {
            this.medianWindow = medianWindow;
            return this;
        }

        public Builder smoothingSpan(double smoothingSpan) {
            this.smoothingSpan = smoothingSpan;
            return this;
        }

        public Builder lossFloor(double lossFloor) {
            this.lossFloor = lossFloor;
            return this;
        }

        public Builder interpolationFraction(double interpolationFraction) {
            this.interpolationFraction = interpolationFraction;
            return this;
        }

        public Builder interpolationLoss(double interpolationLoss) {
            this.interpolationLoss = interpolationLoss;
            return this;
        }

        public Builder divergenceFactor(double divergenceFactor) {
            this.divergenceFactor = divergenceFactor;
            return this;
        }

        public Builder summaryStep(double summaryStep) {
            this.summaryStep = summaryStep;
            return this;
        }

        public Builder peakThreshold(double peakThreshold) {
            this.peakThreshold = peakThreshold;
            return this;
        }

        public Builder earlyPeak(double earlyPeak) {
            this.earlyPeak = earlyPeak;
            return this;
        }

        public Builder sizeResolution(double sizeResolution) {
            this.sizeResolution = sizeResolution;
            return this;
        }

        public Builder overparameterizedMargin(double overparameterizedMargin) {
            this.overparameterizedMargin = overparameterizedMargin;
            return this;
        }

        public Builder sweepMaxSizes(int sweepMaxSizes) {
            this.sweepMaxSizes = sweepMaxSizes;
            return this;
        }

        public Builder advice(AdviceSettings advice) {
            this.advice = advice;
            return this;
        }

        public DetectionSettings build() {
            return new DetectionSettings(
                    riseThreshold,
                    fallThreshold,
                    belowMargin,
                    noiseSigmas,
                    confirmEvaluations,
                    medianWindow,
                    smoothingSpan,
                    lossFloor,
                    interpolationFraction,
                    interpolationLoss,
                    divergenceFactor,
                    summaryStep,
                    peakThreshold,
                    earlyPeak,
                    sizeResolution,
                    overparameterizedMargin,
                    sweepMaxSizes,
                    advice);
        }
    }
}
