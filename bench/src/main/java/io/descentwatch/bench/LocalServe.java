package io.descentwatch.bench;

import io.descentwatch.broker.LoopbackPorts;
import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.serve.ServeSettings;

/** What a benchmark's own serve runs with: broker and page on free loopback ports, fresh data in a scratch directory. */
final class LocalServe {

    private LocalServe() {}

    static ServeSettings settings(ScratchDirectory data) {
        ServeSettings settings = ServeSettings.defaults();
        settings.kafka = "127.0.0.1:" + LoopbackPorts.free();
        settings.http = "127.0.0.1:" + LoopbackPorts.free();
        settings.dataDir = data.path();
        settings.fresh = true;
        return settings;
    }
}
