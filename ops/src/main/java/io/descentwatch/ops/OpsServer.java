package io.descentwatch.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
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
 * A small web server answering {@link OpsRoutes}' paths for a service without one of its own (detector, sink): a
 * few threads, as health checks and scrapes come every few seconds at most.
 */
public final class OpsServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);

    private final Server server;
    private final ServerConnector connector;

    private OpsServer(OpsSettings settings, OpsRoutes routes) {
        QueuedThreadPool threads = new QueuedThreadPool(4, 1, 60_000);
        threads.setName("ops-http");
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost(settings.bind);
        connector.setPort(settings.port);
        server.addConnector(connector);
        server.setHandler(new Handler.Sequence(routes, new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                return true;
            }
        }));
        server.setStopTimeout(1_000);
    }

    /**
     * Starts the endpoints when {@code --ops-port} asks for them, else returns null.
     *
     * @throws IllegalArgumentException naming {@code --ops-port} when it cannot listen there
     */
    public static OpsServer startIfEnabled(
            OpsSettings settings, PrometheusMeterRegistry registry, Supplier<Health> health) {
        if (!settings.enabled()) {
            return null;
        }
        OpsServer s = new OpsServer(settings, new OpsRoutes(registry, health));
        try {
            s.server.start();
        } catch (Exception e) {
            // broad: Jetty's start declares Exception (a taken port is an IOException inside it)
            s.close();
            throw new IllegalArgumentException(
                    "--ops-port " + settings.port + " (--ops-bind " + settings.bind + "): cannot listen there: "
                            + e.getMessage(),
                    e);
        }
        log.info(
                "health and metrics on http://{}:{}/ (/health/live, /health/ready, /metrics)", settings.bind, s.port());
        return s;
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            // broad: Jetty's stop declares Exception; stopping goes on regardless
            log.warn("the health and metrics server did not stop cleanly: {}", e.getMessage());
        }
    }
}
