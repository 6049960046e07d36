package io.descentwatch.testkit;

import io.descentwatch.kafka.ScratchDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real InfluxDB 1.x server from the {@code influxd} binary on PATH (Debian's influxdb package), with its data in
 * a temporary directory and HTTP on a free loopback port. It can be stopped and started again on the same port
 * and data, which is how the sink's fault tests take it away for a while.
 */
public final class InfluxServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final int httpPort;
    private final int rpcPort;
    private Process process;

    private InfluxServer(Path dir, int httpPort, int rpcPort) {
        this.dir = dir;
        this.httpPort = httpPort;
        this.rpcPort = rpcPort;
    }

    public static InfluxServer start() {
        String binary = binary();
        try {
            Path dir = Files.createTempDirectory("descentwatch-influx-");
            InfluxServer server = new InfluxServer(dir, freePort(), freePort());
            server.writeConfig();
            server.launch(binary);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare InfluxDB's directory", e);
        }
    }

    /** The influxd binary, or a failure that says how to install it: CI must never skip these tests silently. */
    static String binary() {
        String override = System.getenv("DW_INFLUXD");
        if (override != null && !override.isBlank()) {
            return override;
        }
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, "influxd"))) {
                return Path.of(d, "influxd").toString();
            }
        }
        throw new IllegalStateException("influxd is not on PATH: install InfluxDB 1.x "
                + "(Debian: apt-get install -y influxdb) or set DW_INFLUXD to the binary");
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    public synchronized void restart() {
        stop();
        launch(binary());
    }

    @Override
    public synchronized void close() {
        stop();
        new ScratchDirectory(dir).close();
    }

    private void writeConfig() throws IOException {
        String config = """
                reporting-disabled = true
                bind-address = "127.0.0.1:%d"
                [meta]
                  dir = "%s/meta"
                  logging-enabled = false
                [data]
                  dir = "%s/data"
                  wal-dir = "%s/wal"
                  query-log-enabled = false
                  trace-logging-enabled = false
                [http]
                  enabled = true
                  bind-address = "127.0.0.1:%d"
                  log-enabled = false
                  access-log-path = ""
                [monitor]
                  store-enabled = false
                [subscriber]
                  enabled = false
                [continuous_queries]
                  enabled = false
                  log-enabled = false
                [logging]
                  level = "warn"
                """.formatted(rpcPort, dir, dir, dir, httpPort);
        Files.writeString(dir.resolve("influxdb.conf"), config);
    }

    private synchronized void launch(String binary) {
        try {
            process = new ProcessBuilder(List.of(binary, "-config", dir.resolve("influxdb.conf").toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("influxd.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        awaitReady();
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(url() + "/ping")).timeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("influxd exited with " + process.exitValue() + ": " + logTail());
            }
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 204) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for influxd", e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for influxd", e);
            }
        }
        throw new IllegalStateException("influxd not ready after " + READY_TIMEOUT + ": " + logTail());
    }

    private String logTail() {
        try {
            String log = Files.readString(dir.resolve("influxd.log"));
            return log.length() > 2000 ? log.substring(log.length() - 2000) : log;
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }
}
