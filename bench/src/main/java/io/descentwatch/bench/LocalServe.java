package io.descentwatch.bench;

import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.serve.ServeSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** What a benchmark's own serve runs with: broker and page on free loopback ports, fresh data in a scratch directory. */
final class LocalServe {

    private LocalServe() {}

    static ServeSettings settings(ScratchDirectory data) {
        ServeSettings settings = ServeSettings.defaults();
        settings.kafka = "127.0.0.1:" + freePort();
        settings.http = "127.0.0.1:" + freePort();
        settings.dataDir = data.path();
        settings.fresh = true;
        return settings;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
