package io.descentwatch.serve;

import io.descentwatch.alerts.AlertFilter;
import io.descentwatch.ops.OpsRoutes;
import io.descentwatch.report.HtmlReport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live page and the JSON API over HTTP (Jetty): the report's page with its charts and tables, its data from
 * the {@link LiveFeed} as {@code data.js} (the index of sweeps) and {@code sweeps/<key>.js} (one sweep in detail,
 * asked for when the reader opens it), a server-sent event stream ({@code /events}) that says when the data
 * changed, and {@code /api/alerts} (filtered by {@code type}, {@code scope}, {@code sweep} and {@code run} as
 * {@code alerts} filters: {@link AlertQuery}), {@code /api/runs}, {@code /api/advice}, {@code /api/sweeps} (newest
 * first) and {@code /api/status}.
 */
public final class LivePage implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LivePage.class);
    /** A comment line this often keeps idle event streams open through proxies and Jetty's idle timeout. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

    private static final String JS = "text/javascript; charset=utf-8";
    private static final String JSON = "application/json";

    private final LiveFeed feed;
    private final Supplier<String> status;
    private final OpsRoutes ops;
    private final Server server;
    private final ServerConnector connector;
    private final List<EventStream> streams = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService notifier = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "serve-page-notifier");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, byte[]> assets;
    private final byte[] echarts;
    private long notifiedVersion = -1;
    private long lastWrite = System.nanoTime();

    /**
     * @param status the body of {@code /api/status} (JSON), asked for on each request
     */
    public LivePage(Endpoint at, LiveFeed feed, Duration interval, Supplier<String> status) {
        this(at, feed, interval, status, null);
    }

    /**
     * @param ops the health and metrics paths ({@code /health/live}, {@code /health/ready}, {@code /metrics}),
     *            answered on the page's port; null for none
     */
    public LivePage(Endpoint at, LiveFeed feed, Duration interval, Supplier<String> status, OpsRoutes ops) {
        this.feed = feed;
        this.status = status;
        this.echarts = HtmlReport.asset("echarts.min.js");
        this.ops = ops;
        this.assets = Map.of(
                "/",
                HtmlReport.asset(HtmlReport.PAGE),
                "/" + HtmlReport.PAGE,
                HtmlReport.asset(HtmlReport.PAGE),
                "/echarts.min.js",
                echarts,
                "/echarts-LICENSE.txt",
                HtmlReport.asset("echarts-LICENSE.txt"));
        QueuedThreadPool threads = new QueuedThreadPool(32, 2, 60_000);
        threads.setName("serve-http");
        this.server = new Server(threads);
        this.connector = new ServerConnector(server, 1, 1);
        connector.setHost(at.host());
        connector.setPort(at.port());
        server.addConnector(connector);
        server.setHandler(new Routes());
        server.setStopTimeout(2_000);
        try {
            server.start();
        } catch (Exception e) {
            // broad: Jetty's start declares Exception (a taken port is an IOException inside it)
            stopQuietly();
            throw new BadSettingException("--http " + at + ": cannot listen there: " + e.getMessage(), e);
        }
        notifier.scheduleWithFixedDelay(
                this::notifyStreams, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The port it listens on (the one asked for). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Open event streams (pages that are watching). */
    public int watching() {
        return streams.size();
    }

    private void notifyStreams() {
        try {
            long v = feed.version();
            boolean changed = v != notifiedVersion;
            boolean quiet = System.nanoTime() - lastWrite > HEARTBEAT.toNanos();
            if (!changed && !quiet) {
                return;
            }
            notifiedVersion = v;
            lastWrite = System.nanoTime();
            String message = changed ? "event: change\ndata: " + v + "\n\n" : ": still here\n\n";
            for (EventStream s : streams) {
                s.send(message);
            }
        } catch (RuntimeException e) {
            // a scheduled task that throws is never run again: the pages would stop updating
            log.warn("could not tell the open pages of a change: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        notifier.shutdownNow();
        for (EventStream s : streams) {
            s.end();
        }
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            server.stop();
        } catch (Exception e) {
            // broad: Jetty's stop declares Exception; stopping goes on regardless
            log.warn("the page's HTTP server did not stop cleanly: {}", e.getMessage());
        }
    }

    /** Which path answers what. */
    private final class Routes extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String method = request.getMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
                return true;
            }
            if (ops != null && ops.handle(request, response, callback)) {
                return true;
            }
            String path = Request.getPathInContext(request);
            byte[] asset = assets.get(path);
            if (asset != null) {
                String type = path.endsWith(".js")
                        ? JS
                        : path.endsWith(".txt") ? "text/plain; charset=utf-8" : "text/html; charset=utf-8";
                send(response, callback, type, asset);
                return true;
            }
            if (path.startsWith("/" + HtmlReport.SWEEPS + "/") && path.endsWith(".js")) {
                String key = path.substring(HtmlReport.SWEEPS.length() + 2, path.length() - 3);
                feed.sweepData(key)
                        .ifPresentOrElse(
                                data -> send(response, callback, JS, data),
                                () -> Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404));
                return true;
            }
            switch (path) {
                case "/data.js" -> send(response, callback, JS, feed.pageData());
                case "/api/alerts" -> {
                    AlertFilter filter;
                    try {
                        filter = AlertQuery.parse(Request.extractQueryParameters(request));
                    } catch (IllegalArgumentException e) {
                        response.setStatus(HttpStatus.BAD_REQUEST_400);
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                        response.write(
                                true, ByteBuffer.wrap(e.getMessage().getBytes(StandardCharsets.UTF_8)), callback);
                        return true;
                    }
                    send(response, callback, JSON, feed.alertsJson(filter));
                }
                case "/api/runs" -> send(response, callback, JSON, feed.runsJson());
                case "/api/advice" -> send(response, callback, JSON, feed.adviceJson());
                case "/api/sweeps" -> send(response, callback, JSON, feed.sweepsJson());
                case "/api/status" ->
                    send(response, callback, JSON, status.get().getBytes(StandardCharsets.UTF_8));
                case "/events" -> streams.add(new EventStream(response, callback));
                default -> Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
            }
            return true;
        }

        private void send(Response response, Callback callback, String type, byte[] body) {
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            // everything but the chart library changes as training goes on (a sweep's data may be as large)
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, body == echarts ? "max-age=86400" : "no-store");
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    /**
     * One page's open event stream. Jetty allows one write at a time on a response, so a message that comes while
     * one is being written replaces any earlier waiting one ("something changed" needs saying only once).
     */
    private final class EventStream {

        private final Response response;
        private final Callback done;
        private boolean writing;
        private String waiting;
        private boolean ended;

        EventStream(Response response, Callback done) {
            this.response = response;
            this.done = done;
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            // a page (re)connecting loads the data at once: it may have missed changes while away
            send(String.format(Locale.ROOT, "retry: 1000\nevent: change\ndata: %d\n\n", feed.version()));
        }

        synchronized void send(String message) {
            if (ended) {
                return;
            }
            if (writing) {
                waiting = message;
                return;
            }
            writing = true;
            response.write(
                    false,
                    ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8)),
                    Callback.from(this::written, this::failed));
        }

        private void written() {
            String next;
            synchronized (this) {
                writing = false;
                next = waiting;
                waiting = null;
            }
            if (next != null) {
                send(next);
            }
        }

        /** The page went away (or the connection broke): forget the stream. */
        private void failed(Throwable cause) {
            synchronized (this) {
                ended = true;
            }
            streams.remove(this);
            done.failed(cause);
        }

        /** Ends the stream normally (serve is stopping). */
        void end() {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
            }
            streams.remove(this);
            done.succeeded();
        }
    }
}
