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

    /** Builds an alert whose id is derived from what it is about, so a replay produces the same id. */
    public static Alert create(AlertType type, String runId, String sweepId, long epoch, long paramCount,
                               long trainSize, int outputDim, Map<String, Object> details, String message,
                               Instant time) {
        String scopeKey = type.scope() == AlertScope.RUN ? runId : sweepId;
        return new Alert(alertId(type, scopeKey), type, runId, sweepId, epoch, paramCount, trainSize, outputDim,
                details, message, time);
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
