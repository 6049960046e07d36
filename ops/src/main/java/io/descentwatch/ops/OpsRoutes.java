package io.descentwatch.ops;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /health/live}, {@code /health/ready} (200 or 503, with a line of JSON saying why) and {@code /metrics}
 * (Prometheus' text format). A handler of its own, so that a service with a web server already (serve) answers
 * them on its port; the others get an {@link OpsServer}. A path it does not know it leaves to the next handler.
 */
public final class OpsRoutes extends Handler.Abstract {

    /** Prometheus' text exposition format, which every Prometheus-compatible scraper reads. */
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final JsonFactory JSON = new JsonFactory();

    private final PrometheusMeterRegistry registry;
    private final Supplier<Health> health;

    public OpsRoutes(PrometheusMeterRegistry registry, Supplier<Health> health) {
        this.registry = registry;
        this.health = health;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        switch (path) {
            case "/metrics" -> send(response, callback, HttpStatus.OK_200, PROMETHEUS_TEXT, registry.scrape());
            case "/health/live" -> {
                Health h = health.get();
                sendHealth(response, callback, h.isLive(), h.detail());
            }
            case "/health/ready" -> {
                Health h = health.get();
                sendHealth(response, callback, h.isReady(), h.detail());
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** A health check's answer: 200 and UP, or 503 and DOWN, with the detail. */
    private static void sendHealth(Response response, Callback callback, boolean up, String detail) {
        send(
                response,
                callback,
                up ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503,
                "application/json",
                json(up ? "UP" : "DOWN", detail));
    }

    private static String json(String status, String detail) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("status", status);
            g.writeStringField("detail", detail == null ? "" : detail);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.append('\n').toString();
    }

    private static void send(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
