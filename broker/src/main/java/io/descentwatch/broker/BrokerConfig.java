package io.descentwatch.broker;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The settings of the single-node broker: one KRaft node, broker and controller, its client listener on {@code
 * host:brokerPort} (plaintext, or SASL/PLAIN for {@code saslUsers}) and its controller's on loopback.
 *
 * @param host      the host the client listener binds to and advertises
 * @param overrides broker settings on top of the single-node defaults
 * @param saslUsers SASL/PLAIN users (name to password) of the client listener; empty for a plaintext listener
 */
record BrokerConfig(
        String host, int brokerPort, int controllerPort, Map<String, String> overrides, Map<String, String> saslUsers) {

    /** The broker's own user on a SASL listener (inter-broker traffic and readiness checks). */
    private static final String ADMIN = "descentwatch-admin";

    private static final String ADMIN_PASSWORD = "embedded-broker-only";

    BrokerConfig {
        overrides = Map.copyOf(overrides);
        saslUsers = Map.copyOf(saslUsers);
    }

    String bootstrapServers() {
        return host + ":" + brokerPort;
    }

    /** What a client needs to connect: the bootstrap address and, for a SASL broker, its admin's credentials. */
    Properties clientProperties() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        if (!saslUsers.isEmpty()) {
            p.putAll(saslClient(ADMIN, ADMIN_PASSWORD));
        }
        return p;
    }

    /** Client settings for a SASL/PLAIN user. */
    static Map<String, String> saslClient(String user, String password) {
        return Map.of(
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user + "\" password=\""
                        + password + "\";");
    }

    /** The node's {@code server.properties}, its log in {@code logDir}. */
    Properties serverProperties(Path logDir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        String client = saslUsers.isEmpty() ? "PLAINTEXT" : "SASL_PLAINTEXT";
        p.put("listeners", client + "://" + host + ":" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", client + "://" + host + ":" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", client);
        p.put("listener.security.protocol.map", client + ":" + client + ",CONTROLLER:PLAINTEXT");
        if (!saslUsers.isEmpty()) {
            StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"" + ADMIN + "\" password=\"" + ADMIN_PASSWORD + "\" user_" + ADMIN + "=\""
                    + ADMIN_PASSWORD + "\"");
            saslUsers.forEach((user, password) -> jaas.append(" user_")
                    .append(user)
                    .append("=\"")
                    .append(password)
                    .append('"'));
            p.put("sasl.enabled.mechanisms", "PLAIN");
            p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            p.put(
                    "listener.name.sasl_plaintext.plain.sasl.jaas.config",
                    jaas.append(';').toString());
        }
        p.put("log.dirs", logDir.toString());
        // one node: every internal topic has one replica, and exactly-once needs an ISR of one
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // the default cleaner buffer is 128 MiB of heap; compacted topics here are small
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.putAll(overrides);
        return p;
    }
}
