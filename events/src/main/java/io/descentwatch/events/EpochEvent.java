package io.descentwatch.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One evaluation of one training run: wire contract v1 ({@code descentwatch.epoch/v1}).
 *
 * <p>Losses may be NaN or infinite: a diverging run is data, not an error. {@code trainError} and
 * {@code testError} are null when the trainer does not report them.
 */
public record EpochEvent(
        String runId,
        String sweepId,
        long epoch,
        double trainLoss,
        double testLoss,
        Double trainError,
        Double testError,
        long paramCount,
        long trainSize,
        int outputDim,
        Instant time,
        Map<String, Object> model,
        Map<String, String> tags,
        boolean isFinal) {

    public static final String SCHEMA = "descentwatch.epoch/v1";

    /**
     * The tag by which a producer tells how many runs (model sizes times seeds) its sweep will have. Optional;
     * with it, sweep decisions settle as soon as every planned run is known, however coarse the grid of sizes.
     */
    public static final String SWEEP_RUNS_TAG = "sweep_runs";

    /**
     * The tag by which a trainer tells the last epoch it plans to train to (its budget). Optional; with it, the
     * stopping advice says STOP when a second descent cannot pass the best test loss before that epoch.
     */
    public static final String MAX_EPOCHS_TAG = "max_epochs";

    /**
     * The tag by which a trainer tells the last epoch at which its own schedule changes what is fitted: data added,
     * removed or relabelled, weights pruned, units or layers added, frozen or unfrozen, a regulariser, augmentation or
     * injected noise switched or ramped (for a ramp, the epoch it ends). Learning-rate schedules do not count.
     * Optional; with it, the stopping advice does not read a STOP from the curve until that change has shown.
     */
    public static final String SCHEDULE_END_TAG = "schedule_end";

    /** The planned last epoch from the {@link #MAX_EPOCHS_TAG} tag; -1 when absent or not a positive integer. */
    public long maxEpochs() {
        return positiveEpochTag(MAX_EPOCHS_TAG);
    }

    /**
     * The last epoch of the trainer's scheduled changes from the {@link #SCHEDULE_END_TAG} tag; -1 when absent or
     * not a positive integer.
     */
    public long scheduleEnd() {
        return positiveEpochTag(SCHEDULE_END_TAG);
    }

    private long positiveEpochTag(String tag) {
        String value = tags.get(tag);
        if (value == null) {
            return -1;
        }
        try {
            long epochs = Long.parseLong(value.trim());
            return epochs > 0 ? epochs : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public EpochEvent {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(sweepId, "sweepId");
        Objects.requireNonNull(time, "time");
        model = model == null ? Map.of() : Map.copyOf(model);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /**
     * A builder that names every field, as producers, importers, tests and benchmarks build events: run and sweep
     * ids, epoch, both losses, parameter count, train size and time must be set; the errors default to absent, the
     * output dimension to 1, model and tags to empty and {@code final} to false, as on the wire.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this event's fields, to change a few of them. */
    public Builder toBuilder() {
        return new Builder()
                .runId(runId)
                .sweepId(sweepId)
                .epoch(epoch)
                .trainLoss(trainLoss)
                .testLoss(testLoss)
                .trainError(trainError)
                .testError(testError)
                .paramCount(paramCount)
                .trainSize(trainSize)
                .outputDim(outputDim)
                .time(time)
                .model(model)
                .tags(tags)
                .isFinal(isFinal);
    }

    /**
     * Parameters per fitted target value: the model can just interpolate its training set near 1.
     */
    public double pOverN() {
        return ParameterRatio.of(paramCount, trainSize, outputDim);
    }

    public EpochEvent withFinal(boolean value) {
        return toBuilder().isFinal(value).build();
    }

    /** This event with the tag {@code key} set to {@code value} (added, or replacing the one it had). */
    public EpochEvent withTag(String key, String value) {
        Map<String, String> more = new java.util.HashMap<>(tags);
        more.put(key, value);
        return toBuilder().tags(more).build();
    }

    /**
     * Builds an event by naming each field (as influxdb-java's {@code Point.Builder} does), so that two fields of
     * one type cannot be swapped silently. {@link #build} says which required fields were not set.
     */
    public static final class Builder {
        private static final int RUN_ID = 1;
        private static final int SWEEP_ID = 1 << 1;
        private static final int EPOCH = 1 << 2;
        private static final int TRAIN_LOSS = 1 << 3;
        private static final int TEST_LOSS = 1 << 4;
        private static final int PARAM_COUNT = 1 << 5;
        private static final int TRAIN_SIZE = 1 << 6;
        private static final int TIME = 1 << 7;
        private static final int REQUIRED = (1 << 8) - 1;
        private static final String[] REQUIRED_NAMES = {
            "runId", "sweepId", "epoch", "trainLoss", "testLoss", "paramCount", "trainSize", "time"
        };

        private int set;
        private String runId;
        private String sweepId;
        private long epoch;
        private double trainLoss;
        private double testLoss;
        private Double trainError;
        private Double testError;
        private long paramCount;
        private long trainSize;
        private int outputDim = 1;
        private Instant time;
        private Map<String, Object> model = Map.of();
        private Map<String, String> tags = Map.of();
        private boolean isFinal;

        private Builder() {}

        public Builder runId(String value) {
            runId = value;
            set |= RUN_ID;
            return this;
        }

        public Builder sweepId(String value) {
            sweepId = value;
            set |= SWEEP_ID;
            return this;
        }

        public Builder epoch(long value) {
            epoch = value;
            set |= EPOCH;
            return this;
        }

        /** NaN or infinite for a diverging run: data, not an error. */
        public Builder trainLoss(double value) {
            trainLoss = value;
            set |= TRAIN_LOSS;
            return this;
        }

        /** NaN or infinite for a diverging run: data, not an error. */
        public Builder testLoss(double value) {
            testLoss = value;
            set |= TEST_LOSS;
            return this;
        }

        /** Null when the trainer does not report it (the default). */
        public Builder trainError(Double value) {
            trainError = value;
            return this;
        }

        /** Null when the trainer does not report it (the default). */
        public Builder testError(Double value) {
            testError = value;
            return this;
        }

        public Builder paramCount(long value) {
            paramCount = value;
            set |= PARAM_COUNT;
            return this;
        }

        public Builder trainSize(long value) {
            trainSize = value;
            set |= TRAIN_SIZE;
            return this;
        }

        /** Outputs per example; 1 unless set, as on the wire. */
        public Builder outputDim(int value) {
            outputDim = value;
            return this;
        }

        public Builder time(Instant value) {
            time = value;
            set |= TIME;
            return this;
        }

        public Builder model(Map<String, Object> value) {
            model = value;
            return this;
        }

        public Builder tags(Map<String, String> value) {
            tags = value;
            return this;
        }

        public Builder isFinal(boolean value) {
            isFinal = value;
            return this;
        }

        public EpochEvent build() {
            if (set != REQUIRED) {
                StringBuilder missing = new StringBuilder();
                for (int i = 0; i < REQUIRED_NAMES.length; i++) {
                    if ((set & (1 << i)) == 0) {
                        missing.append(missing.isEmpty() ? "" : ", ").append(REQUIRED_NAMES[i]);
                    }
                }
                throw new IllegalStateException("an epoch event needs " + missing);
            }
            return new EpochEvent(
                    runId,
                    sweepId,
                    epoch,
                    trainLoss,
                    testLoss,
                    trainError,
                    testError,
                    paramCount,
                    trainSize,
                    outputDim,
                    time,
                    model,
                    tags,
                    isFinal);
        }
    }
}
