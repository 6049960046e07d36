package io.descentwatch.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

/** The storage of a single KRaft node, formatted as {@code kafka-storage format} would, for a new cluster. */
final class KraftStorage {

    private KraftStorage() {}

    /** Writes the node's {@code config} to {@code file} and formats the storage it names, for a new cluster. */
    static void format(Path file, Properties config) throws IOException {
        format(file, config, Uuid.randomUuid().toString(), "the broker");
    }

    /**
     * Writes {@code node}'s {@code config} to {@code file} and formats the storage it names as a node of cluster
     * {@code clusterId}; {@code node} names it in the file's comment and in the error.
     */
    static void format(Path file, Properties config, String clusterId, String node) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            config.store(out, "descentwatch embedded " + node);
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        // Transactions v2 rejects a new transaction's pipelined batches until its first one lands (KAFKA-18202):
        // correct, but on one node it turns into retries, error logs and latency; v1 keeps exactly-once as well.
        int rc = StorageTool.execute(
                new String[] {"format", "-t", clusterId, "-c", file.toString(), "--feature", "transaction.version=1"},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException(
                    "formatting the storage of " + node + " failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }
}
