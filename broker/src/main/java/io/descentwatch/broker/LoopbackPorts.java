package io.descentwatch.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * A loopback port that is free at the moment, for a server started next (the in-process broker, InfluxDB, serve)
 * or for a test that needs one nobody listens on. Bound on loopback only: a test must never open a port to the
 * network, and a wildcard bind may find a port free that a loopback listener holds.
 */
public final class LoopbackPorts {

    private LoopbackPorts() {}

    /** A port on the loopback address that nothing listened on when it was asked for. */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
