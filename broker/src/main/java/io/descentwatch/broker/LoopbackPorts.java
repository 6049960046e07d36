package io.descentwatch.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback port that is free at the moment, for a server started next (the in-process broker, InfluxDB, serve)
 * or for a test that needs one nobody listens on. Bound on loopback only: a test must never open a port to the
 * network, and a wildcard bind may find a port free that a loopback listener holds.
 *
 * <p>No port is handed out twice in one process. A port asked for is only reserved in the caller's mind until its
 * server binds it, and the kernel readily returns the port it just released: two servers asked for one after the
 * other (serve's client port, then its broker's controller port) were once given the same one, and the broker
 * refused to start with two listeners on it. A process asks for a few hundred ports at most, out of the ~28,000 of
 * the ephemeral range, so never reusing one costs nothing.
 */
public final class LoopbackPorts {

    /** Tries before giving up: each returns a port the kernel found free, rarely one handed out before. */
    private static final int ATTEMPTS = 1_000;

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {}

    /** A port on the loopback address that nothing listened on when it was asked for, and never handed out before. */
    public static int free() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = probe();
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no loopback port left that this process has not handed out already");
    }

    private static int probe() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
