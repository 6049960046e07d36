package io.descentwatch.ops;

import io.descentwatch.options.Range;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import picocli.CommandLine.Option;

/** Where a service answers health checks and Prometheus scrapes ({@code /health/live}, {@code /health/ready}, {@code /metrics}). */
public class OpsSettings {

    @Option(
            names = "--ops-port",
            defaultValue = "${env:DW_OPS_PORT:-0}",
            description = "Port of the health and metrics endpoints (/health/live, /health/ready, /metrics in "
                    + "Prometheus' text format); 0 = none. Off by default so that several instances on one host "
                    + "do not clash; the compose stack sets 8081 (env DW_OPS_PORT; default ${DEFAULT-VALUE}).")
    @Range(min = "0", max = "65535")
    public int port;

    @Option(
            names = "--ops-bind",
            defaultValue = "${env:DW_OPS_BIND:-127.0.0.1}",
            description = "Address the health and metrics endpoints listen on. Loopback by default, as they have no "
                    + "authentication; 0.0.0.0 lets a Prometheus elsewhere scrape them (env DW_OPS_BIND; default "
                    + "${DEFAULT-VALUE}).")
    public String bind;

    /** Settings for an endpoint on {@code bind}:{@code port}. */
    public static OpsSettings of(String bind, int port) {
        OpsSettings s = new OpsSettings();
        s.bind = bind;
        s.port = port;
        return s;
    }

    public boolean enabled() {
        return port > 0;
    }

    /**
     * Fails, naming the flags, when the endpoints are asked for where nothing may listen (a taken port, an address
     * not this machine's): checked before a service starts anything, so that a clash is one clear line.
     */
    public void checkFree() {
        if (!enabled()) {
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(bind, port));
        } catch (IOException e) {
            throw new IllegalArgumentException("--ops-port " + port + " (--ops-bind " + bind + "): cannot listen "
                    + "there (" + e.getMessage() + "); pick a free port, or 0 for no endpoints");
        }
    }
}
