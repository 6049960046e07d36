package io.descentwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.AlertType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Follows {@code /api/status} and, whenever its alert count moves, {@code /api/alerts}, noting when each sweep
 * alert first shows; and {@code /api/sweeps} about once a second, noting when each sweep is first complete.
 */
final class ServeApiPoller implements Runnable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SWEEPS_EVERY_NANOS = 1_000_000_000L;

    /** A sweep alert as first seen on {@code /api/alerts}. */
    record Seen(long paramCount, long atNanos) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final Duration interval;
    private final AtomicBoolean running = new AtomicBoolean(true);
    final Map<String, Map<AlertType, Seen>> seen = new ConcurrentHashMap<>();
    final Map<String, Long> completeAt = new ConcurrentHashMap<>();
    private final AtomicLong alertCount = new AtomicLong(-1);
    private volatile String lastError;
    volatile int lastAlertsBytes;
    volatile int lastAlertsCount;

    ServeApiPoller(String base, Duration interval) {
        this.base = base;
        this.interval = interval;
    }

    @Override
    public void run() {
        long nextSweeps = 0;
        while (running.get()) {
            try {
                long count = get("/api/status").get("alerts").asLong();
                if (count != alertCount.get()) {
                    pollAlertsNow();
                    alertCount.set(count);
                }
                if (System.nanoTime() >= nextSweeps) {
                    pollSweeps();
                    nextSweeps = System.nanoTime() + SWEEPS_EVERY_NANOS;
                }
                lastError = null;
            } catch (IOException | RuntimeException e) {
                // broad: the poller measures until told to stop; its last error is reported with the figures
                lastError = e.toString();
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    synchronized void pollAlertsNow() throws IOException, InterruptedException {
        HttpResponse<byte[]> body = fetch("/api/alerts");
        JsonNode alerts = JSON.readTree(body.body());
        lastAlertsBytes = body.body().length;
        lastAlertsCount = alerts.size();
        long at = System.nanoTime();
        for (JsonNode a : alerts) {
            if (!AlertScope.SWEEP.wireName().equals(a.path("scope").asText())) {
                continue;
            }
            AlertType type = AlertType.valueOf(a.get("type").asText());
            seen.computeIfAbsent(a.get("sweep_id").asText(), id -> new ConcurrentHashMap<>())
                    .putIfAbsent(type, new Seen(a.get("param_count").asLong(), at));
        }
    }

    private void pollSweeps() throws IOException, InterruptedException {
        long at = System.nanoTime();
        for (JsonNode sweep : get("/api/sweeps")) {
            if (sweep.path("complete").asBoolean(false)) {
                completeAt.putIfAbsent(sweep.get("sweep_id").asText(), at);
            }
        }
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return JSON.readTree(fetch(path).body());
    }

    private HttpResponse<byte[]> fetch(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException(path + ": HTTP " + r.statusCode());
        }
        return r;
    }

    String summary() {
        long peaks = seen.values().stream()
                .filter(m -> m.containsKey(AlertType.MODEL_WISE_PEAK))
                .count();
        String error = lastError;
        return String.format(
                Locale.ROOT,
                "%d sweeps complete, %d with MODEL_WISE_PEAK%s",
                completeAt.size(),
                peaks,
                error == null ? "" : " (last poll failed: " + error + ")");
    }

    void stop() {
        running.set(false);
    }
}
