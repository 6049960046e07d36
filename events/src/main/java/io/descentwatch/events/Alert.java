package io.descentwatch.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A descent alert: wire contract v1 ({@code descentwatch.alert/v1}).
 *
 * <p>{@code runId} names the run the alert is about; for sweep alerts it names the run that carries the landmark
 * (the threshold model, the peak model, the winning model) and may be null. {@code details} holds the landmarks
 * behind the decision, in a stable order.
 */
public record Alert(
        String alertId,
        AlertType type,
        String runId,
        String sweepId,
        long epoch,
        long paramCount,
        long trainSize,
        int outputDim,
        Map<String, Object> details,
        String message,
        Instant time) {

    public static final String SCHEMA = "descentwatch.alert/v1";

    public Alert {
        Objects.requireNonNull(alertId, "alertId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sweepId, "sweepId");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(time, "time");
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /**
     * Starts an alert of a type, its fields then set by name (as influxdb-java's {@code Point.Builder} does): ten
     * positional values, four of them longs in a row, compiled with any two swapped. The id is derived from what
     * the alert is about ({@link #alertId}), so a replay produces the same id.
     */
    public static Builder of(AlertType type) {
        return new Builder(type);
    }

    /** An alert's fields by name; {@link #build()} checks the required ones. */
    public static final class Builder {
        private final AlertType type;
        private String runId;
        private String sweepId;
        private long epoch;
        private long paramCount;
        private long trainSize;
        // one output unless said otherwise: regression and binary classification, as the epoch event's default
        private int outputDim = 1;
        private Map<String, Object> details = Map.of();
        private String message;
        private Instant time;

        private Builder(AlertType type) {
            this.type = Objects.requireNonNull(type, "type");
        }

        /** The run the alert is about; for a sweep alert the run carrying its landmark, or null. */
        public Builder run(String runId) {
            this.runId = runId;
            return this;
        }

        public Builder sweep(String sweepId) {
            this.sweepId = sweepId;
            return this;
        }

        public Builder epoch(long epoch) {
            this.epoch = epoch;
            return this;
        }

        public Builder paramCount(long paramCount) {
            this.paramCount = paramCount;
            return this;
        }

        public Builder trainSize(long trainSize) {
            this.trainSize = trainSize;
            return this;
        }

        public Builder outputDim(int outputDim) {
            this.outputDim = outputDim;
            return this;
        }

        /** The landmarks behind the decision, keys from {@link AlertDetails}, in the order given. */
        public Builder details(Map<String, Object> details) {
            this.details = details;
            return this;
        }

        public Builder message(String message) {
            this.message = message;
            return this;
        }

        /**
         * The message the contract words for the type ({@link AlertWording#message}) from what is set so far: call
         * it after the run, sweep, epoch, sizes and details.
         */
        public Builder worded() {
            this.message = AlertWording.message(
                    type, runId, sweepId, epoch, ParameterRatio.of(paramCount, trainSize, outputDim), details);
            return this;
        }

        /** When the alert happened: the time of the event that decided it. */
        public Builder at(Instant time) {
            this.time = time;
            return this;
        }

        public Alert build() {
            Objects.requireNonNull(sweepId, "sweepId");
            String scopeKey =
                    type.scope() == AlertScope.RUN ? Objects.requireNonNull(runId, "runId of a run alert") : sweepId;
            return new Alert(
                    alertId(type, scopeKey),
                    type,
                    runId,
                    sweepId,
                    epoch,
                    paramCount,
                    trainSize,
                    outputDim,
                    details,
                    message,
                    time);
        }
    }

    /**
     * The id is a hash of the type and the run or sweep it is about. Each type fires once per scope, so this is
     * unique, and it stays the same when a restarted detector reaches the same decision a few epochs apart.
     */
    public static String alertId(AlertType type, String scopeKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(type.name().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(scopeKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    public AlertScope scope() {
        return type.scope();
    }

    public double pOverN() {
        return ParameterRatio.of(paramCount, trainSize, outputDim);
    }
}
