package io.descentwatch.testkit;

import io.descentwatch.broker.LoopbackPorts;
import io.descentwatch.broker.ScratchDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real InfluxDB 1.x server from the {@code influxd} binary on PATH (Debian's influxdb package), with its data in
 * a temporary directory and HTTP on a free loopback port. It can be stopped and started again on the same port
 * and data, which is how the sink's fault tests take it away for a while. With {@link #startWithAuth} it demands
 * credentials, as the compose stack's InfluxDB does, and tests create the users they need.
 */
public final class InfluxServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Path dir;
    private final int httpPort;
    private final int rpcPort;
    private final boolean authEnabled;
    private String adminUser;
    private String adminPassword;
    private Process process;

    private InfluxServer(Path dir, int httpPort, int rpcPort, boolean authEnabled) {
        this.dir = dir;
        this.httpPort = httpPort;
        this.rpcPort = rpcPort;
        this.authEnabled = authEnabled;
    }

    /** A server without authentication. */
    public static InfluxServer start() {
        return start(false);
    }

    /**
     * A server with authentication on, as the compose stack runs it, and this admin user created (InfluxDB takes
     * the first admin without credentials, then demands them for everything).
     */
    public static InfluxServer startWithAuth(String adminUser, String adminPassword) {
        InfluxServer server = start(true);
        server.post(
                "CREATE USER " + identifier(adminUser) + " WITH PASSWORD " + literal(adminPassword)
                        + " WITH ALL PRIVILEGES",
                null,
                null);
        server.adminUser = adminUser;
        server.adminPassword = adminPassword;
        return server;
    }

    private static InfluxServer start(boolean auth) {
        String binary = binary();
        try {
            Path dir = Files.createTempDirectory("descentwatch-influx-");
            InfluxServer server = new InfluxServer(dir, LoopbackPorts.free(), LoopbackPorts.free(), auth);
            server.writeConfig();
            server.launch(binary);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare InfluxDB's directory", e);
        }
    }

    /** Creates a user that is not an admin (it has no privileges until granted some). */
    public void createUser(String name, String password) {
        asAdmin("CREATE USER " + identifier(name) + " WITH PASSWORD " + literal(password));
    }

    /** Runs one InfluxQL statement as the admin user (or without credentials when authentication is off). */
    public void asAdmin(String statement) {
        post(statement, adminUser, adminPassword);
    }

    private void post(String statement, String user, String password) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + "/query"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("q=" + URLEncoder.encode(statement, StandardCharsets.UTF_8)));
        if (user != null) {
            request.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            HttpResponse<String> r =
                    HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || r.body().contains("\"error\"")) {
                throw new IllegalStateException("InfluxDB refused " + statement.replaceAll("'[^']*'", "'...'") + ": "
                        + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("InfluxDB at " + url() + " did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while talking to InfluxDB", e);
        }
    }

    private static String identifier(String name) {
        return "\"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
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
                  auth-enabled = %b
                [monitor]
                  store-enabled = false
                [subscriber]
                  enabled = false
                [continuous_queries]
                  enabled = false
                  log-enabled = false
                [logging]
                  level = "warn"
                """.formatted(rpcPort, dir, dir, dir, httpPort, authEnabled);
        Files.writeString(dir.resolve("influxdb.conf"), config);
    }

    private synchronized void launch(String binary) {
        try {
            process = new ProcessBuilder(List.of(
                            binary, "-config", dir.resolve("influxdb.conf").toString()))
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
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create(url() + "/ping"))
                .timeout(Duration.ofSeconds(1))
                .build();
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
}
