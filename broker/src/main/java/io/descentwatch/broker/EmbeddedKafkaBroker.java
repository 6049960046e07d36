package io.descentwatch.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster in KRaft mode, in this JVM, on loopback. Used by the tests and by the embedded
 * demo. It can be stopped and started again on the same ports and data, which is how fault tests restart it.
 * {@link #startPersistent} keeps its data in a directory of the caller's choosing across processes ({@code serve}).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final ScratchDirectory dataDir;
    /** Whether {@link #close()} leaves the data directory in place (a persistent broker) or removes it. */
    private final boolean keepData;

    private final BrokerConfig config;

    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(ScratchDirectory dataDir, boolean keepData, BrokerConfig config) {
        this.dataDir = dataDir;
        this.keepData = keepData;
        this.config = config;
    }

    /** Starts a broker on free loopback ports with its data in a new temporary directory. */
    public static EmbeddedKafkaBroker start() {
        return start(0, Map.of());
    }

    /**
     * @param port      the client port, or 0 for a free one
     * @param overrides broker settings on top of the single-node defaults
     */
    public static EmbeddedKafkaBroker start(int port, Map<String, String> overrides) {
        return start(port, overrides, Map.of());
    }

    /**
     * A broker whose client listener requires SASL/PLAIN authentication (SASL_PLAINTEXT) for the given users, as a
     * secured cluster would, so that every role's security settings can be tried for real.
     */
    public static EmbeddedKafkaBroker startWithSaslPlain(Map<String, String> users) {
        return start(0, Map.of(), users);
    }

    private static EmbeddedKafkaBroker start(int port, Map<String, String> overrides, Map<String, String> users) {
        ScratchDirectory dir = ScratchDirectory.create("descentwatch-kafka-");
        try {
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(
                    dir,
                    false,
                    new BrokerConfig(
                            "127.0.0.1",
                            port == 0 ? LoopbackPorts.free() : port,
                            LoopbackPorts.free(),
                            overrides,
                            users));
            broker.format();
            broker.startServer();
            return broker;
        } catch (IOException e) {
            dir.close();
            throw new UncheckedIOException("cannot prepare the broker's data directory", e);
        } catch (RuntimeException e) {
            // broad, and rethrown: whatever stopped the start, the scratch directory goes
            dir.close();
            throw e;
        }
    }

    /**
     * A broker whose data lives in {@code dataDir} and outlives it: formatted on first use, and on every later start
     * it resumes with the topics, records and offsets it had. {@link #close()} stops it and keeps the directory.
     * Two brokers on one directory are refused by Kafka's own lock on its log directory.
     *
     * @param host the client listener's host (also advertised to clients), e.g. localhost
     * @param port the client listener's port
     */
    public static EmbeddedKafkaBroker startPersistent(
            String host, int port, Path dataDir, Map<String, String> overrides) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the broker's data directory " + dataDir + ": " + e.getMessage(), e);
        }
        // the controller listener is internal to this one node: a fresh free port on every start is fine, since a
        // static single-voter quorum keeps only node ids on disk, never addresses
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(
                new ScratchDirectory(dataDir),
                true,
                new BrokerConfig(host, port, LoopbackPorts.free(), overrides, Map.of()));
        try {
            if (!Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
                broker.format();
            }
            broker.startServer();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the broker's data directory " + dataDir, e);
        } catch (RuntimeException e) {
            // broad, and rethrown: whatever stopped the start, the half-started broker lets go of its ports
            broker.stop();
            throw e;
        }
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    /** What a client needs to connect: the bootstrap address and, for a SASL broker, its admin's credentials. */
    public Properties clientProperties() {
        return config.clientProperties();
    }

    /** Client settings for a SASL/PLAIN user. */
    public static Map<String, String> saslClient(String user, String password) {
        return BrokerConfig.saslClient(user, password);
    }

    public Path dataDir() {
        return dataDir.path();
    }

    public boolean isRunning() {
        return server != null;
    }

    /** Stops the broker and keeps its data, so that {@link #restart()} resumes where it was. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    public synchronized void restart() {
        stop();
        startServer();
    }

    @Override
    public synchronized void close() {
        stop();
        if (!keepData) {
            dataDir.close();
        }
    }

    private void format() throws IOException {
        KraftStorage.format(dataDir.resolve("server.properties"), serverProperties());
    }

    private Properties serverProperties() {
        return config.serverProperties(dataDir.resolve("logs"));
    }

    private synchronized void startServer() {
        long started = System.nanoTime();
        server = new KafkaRaftServer(new KafkaConfig(serverProperties(), false), Time.SYSTEM);
        try {
            server.startup();
            awaitReady();
        } catch (RuntimeException e) {
            // broad, and rethrown: a half-started server holds its ports, threads and the log directory's lock: release
            // them
            stop();
            throw e;
        }
        log.info(
                "Kafka broker ready at {} in {} ms",
                bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private void awaitReady() {
        Properties p = clientProperties();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(p)) {
            while (true) {
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(5, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not answering yet
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("embedded broker not ready after " + READY_TIMEOUT, e);
                    }
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker", e);
        }
    }
}
