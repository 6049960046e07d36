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

    /** The planned last epoch from the {@link #MAX_EPOCHS_TAG} tag; -1 when absent or not a positive integer. */
    public long maxEpochs() {
        String value = tags.get(MAX_EPOCHS_TAG);
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

    /** A minimal event, for trainers and tests that have nothing optional to say. */
    public static EpochEvent of(String runId, String sweepId, long epoch, double trainLoss, double testLoss,
                                long paramCount, long trainSize, Instant time) {
        return new EpochEvent(runId, sweepId, epoch, trainLoss, testLoss, null, null, paramCount, trainSize, 1,
                time, Map.of(), Map.of(), false);
    }

    /**
     * Parameters per fitted target value: the model can just interpolate its training set near 1.
     */
    public double pOverN() {
        return ParameterRatio.of(paramCount, trainSize, outputDim);
    }

    public EpochEvent withFinal(boolean value) {
        return new EpochEvent(runId, sweepId, epoch, trainLoss, testLoss, trainError, testError, paramCount,
                trainSize, outputDim, time, model, tags, value);
    }

    /** This event with the tag {@code key} set to {@code value} (added, or replacing the one it had). */
    public EpochEvent withTag(String key, String value) {
        Map<String, String> more = new java.util.HashMap<>(tags);
        more.put(key, value);
        return new EpochEvent(runId, sweepId, epoch, trainLoss, testLoss, trainError, testError, paramCount,
                trainSize, outputDim, time, model, more, isFinal);
    }
}
