package io.descentwatch.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replicated Kafka cluster in this JVM, on loopback: {@code n} nodes, each broker and controller (KRaft, a static
 * quorum of all of them), every topic replicated to all nodes by default with {@code min.insync.replicas}
 * n - 1, as a production cluster of three is set up. A node can be stopped and started again on the same ports
 * and data, which is how fault tests take one broker away while the others carry on. For the tests.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final ScratchDirectory dataDir;
    private final int[] brokerPorts;
    private final int[] controllerPorts;
    private final KafkaRaftServer[] servers;

    private EmbeddedKafkaCluster(ScratchDirectory dataDir, int nodes) {
        this.dataDir = dataDir;
        this.brokerPorts = new int[nodes];
        this.controllerPorts = new int[nodes];
        this.servers = new KafkaRaftServer[nodes];
        for (int i = 0; i < nodes; i++) {
            brokerPorts[i] = LoopbackPorts.free();
            controllerPorts[i] = LoopbackPorts.free();
        }
    }

    /** Formats and starts {@code nodes} nodes (3 or more: a quorum that survives one lost node). */
    public static EmbeddedKafkaCluster start(int nodes) {
        if (nodes < 3) {
            throw new IllegalArgumentException("a cluster that survives a lost node needs 3 nodes, not " + nodes);
        }
        EmbeddedKafkaCluster cluster =
                new EmbeddedKafkaCluster(ScratchDirectory.create("descentwatch-cluster-"), nodes);
        try {
            String clusterId = Uuid.randomUuid().toString();
            for (int i = 0; i < nodes; i++) {
                cluster.format(i, clusterId);
            }
            // a node's start waits for the controller quorum, which needs a majority of the nodes: start together
            List<CompletableFuture<Void>> starting = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                int node = i;
                starting.add(CompletableFuture.runAsync(() -> cluster.startNode(node)));
            }
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
            cluster.awaitBrokers(nodes);
            log.info("Kafka cluster of {} nodes ready at {}", nodes, cluster.bootstrapServers());
            return cluster;
        } catch (RuntimeException e) {
            // broad, and rethrown: whatever stopped the start, the nodes that started stop
            cluster.close();
            throw e;
        }
    }

    /** Every node's client address: clients find the others from any one that is up. */
    public String bootstrapServers() {
        List<String> all = new ArrayList<>();
        for (int port : brokerPorts) {
            all.add("127.0.0.1:" + port);
        }
        return String.join(",", all);
    }

    public Properties clientProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return p;
    }

    /**
     * Stops node {@code node} (0-based) at once, as a crashed or unplugged broker goes (no controlled shutdown that
     * hands its partitions over first), and keeps its data.
     */
    public void stopNode(int node) {
        KafkaRaftServer s;
        synchronized (this) {
            s = servers[node];
            servers[node] = null;
        }
        if (s != null) {
            s.shutdown();
            s.awaitShutdown();
        }
    }

    /** Starts a stopped node again on its ports and data; returns once every node is a broker of the cluster. */
    public void restartNode(int node) {
        startNode(node);
        awaitBrokers(servers.length);
    }

    /** Stops every node at once: one by one, the last ones would wait for a controller quorum that is gone. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (int i = 0; i < servers.length; i++) {
            int node = i;
            stopping.add(CompletableFuture.runAsync(() -> stopNode(node)));
        }
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
        dataDir.close();
    }

    private Properties config(int node) {
        int n = servers.length;
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(node + 1));
        List<String> voters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            voters.add((i + 1) + "@127.0.0.1:" + controllerPorts[i]);
        }
        p.put("controller.quorum.voters", String.join(",", voters));
        p.put(
                "listeners",
                "PLAINTEXT://127.0.0.1:" + brokerPorts[node] + ",CONTROLLER://127.0.0.1:" + controllerPorts[node]);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts[node]);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("node-" + (node + 1)).toString());
        // every record on every node, and a write acknowledged (acks=all) only once n - 1 of them have it
        String all = String.valueOf(n);
        String quorum = String.valueOf(n - 1);
        p.put("default.replication.factor", all);
        p.put("min.insync.replicas", quorum);
        p.put("offsets.topic.replication.factor", all);
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", all);
        p.put("transaction.state.log.min.isr", quorum);
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", all);
        p.put("share.coordinator.state.topic.min.isr", quorum);
        p.put("group.initial.rebalance.delay.ms", "0");
        // a stopped node goes as a lost one does: its partitions' leadership moves when the controller notices
        // (the broker session timeout), not in a hand-over that a real crash never gives
        p.put("controlled.shutdown.enable", "false");
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        return p;
    }

    private void format(int node, String clusterId) {
        try {
            KraftStorage.format(
                    dataDir.resolve("node-" + (node + 1) + ".properties"),
                    config(node),
                    clusterId,
                    "cluster node " + (node + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare node " + (node + 1) + "'s data directory", e);
        }
    }

    private void startNode(int node) {
        KafkaRaftServer s = new KafkaRaftServer(new KafkaConfig(config(node), false), Time.SYSTEM);
        s.startup();
        synchronized (this) {
            servers[node] = s;
        }
    }

    /** Waits until the cluster reports {@code expected} brokers. */
    private void awaitBrokers(int expected) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(clientProperties())) {
            while (true) {
                try {
                    int brokers = admin.describeCluster()
                            .nodes()
                            .get(5, TimeUnit.SECONDS)
                            .size();
                    if (brokers >= expected) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not answering yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the cluster has not " + expected + " brokers after "
                            + READY_TIMEOUT + " (" + describe() + ")");
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the cluster", e);
        }
    }

    private synchronized String describe() {
        List<String> up = new ArrayList<>();
        for (int i = 0; i < servers.length; i++) {
            up.add("node " + (i + 1) + (servers[i] == null ? " down" : " up"));
        }
        return up.stream().collect(Collectors.joining(", "));
    }
}
