package io.descentwatch.sink;

import io.descentwatch.options.Range;
import io.descentwatch.options.Ranges;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where and how the sink writes to InfluxDB (1.x, or 2.x/3.x through their v1 compatibility API). */
public class SinkSettings {

    @Option(
            names = "--influx-url",
            defaultValue = "${env:DW_INFLUX_URL:-http://localhost:8086}",
            description = "InfluxDB HTTP URL (env DW_INFLUX_URL; default ${DEFAULT-VALUE}).")
    public String url;

    @Option(
            names = "--influx-db",
            defaultValue = "${env:DW_INFLUX_DB:-descentwatch}",
            description = "Database (env DW_INFLUX_DB; default ${DEFAULT-VALUE}): created if missing when the user is "
                    + "an admin; a user that is not needs ALL (READ and WRITE) on an existing one. On InfluxDB "
                    + "2.x/3.x this is the v1 database name mapped to a bucket.")
    public String database;

    @Option(
            names = "--influx-retention-policy",
            defaultValue = "${env:DW_INFLUX_RP:-autogen}",
            description = "Retention policy written to (env DW_INFLUX_RP; default ${DEFAULT-VALUE}).")
    public String retentionPolicy;

    @Option(
            names = "--influx-user",
            defaultValue = "${env:DW_INFLUX_USER}",
            description = "User name, if InfluxDB has authentication on (env DW_INFLUX_USER).")
    public String user;

    @Option(
            names = "--influx-password-file",
            defaultValue = "${env:DW_INFLUX_PASSWORD_FILE}",
            description = "File holding the password (env DW_INFLUX_PASSWORD_FILE); or set the password itself in "
                    + "env DW_INFLUX_PASSWORD. Never given as a flag, so it stays out of process listings.")
    public Path passwordFile;

    @Option(
            names = "--sink-group",
            defaultValue = "${env:DW_SINK_GROUP:-descentwatch-sink}",
            description = "Consumer group of the sink: instances with the same group share the partitions "
                    + "(env DW_SINK_GROUP; default ${DEFAULT-VALUE}).")
    public String groupId;

    @Option(
            names = "--sink-batch",
            defaultValue = "${env:DW_SINK_BATCH:-5000}",
            description = "Most records per poll and per InfluxDB write: InfluxDB's own guidance is batches of "
                    + "5,000 points (env DW_SINK_BATCH; default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "1000000")
    public int batchSize;

    @Option(
            names = "--sink-max-backoff-ms",
            defaultValue = "${env:DW_SINK_MAX_BACKOFF_MS:-10000}",
            description = "Longest wait between retries while InfluxDB is down; retries start at 100 ms and "
                    + "double (env DW_SINK_MAX_BACKOFF_MS; default ${DEFAULT-VALUE}).")
    // at least the first retry's 100 ms, at most an hour
    @Range(min = "100", max = "3600000")
    public long maxBackoffMs;

    public static SinkSettings defaults(String url) {
        SinkSettings s = Ranges.populate(new SinkSettings());
        s.url = url;
        return s;
    }

    public Duration maxBackoff() {
        return Duration.ofMillis(maxBackoffMs);
    }

    /** The password from its file or from DW_INFLUX_PASSWORD; null when authentication is off. */
    String password() {
        if (passwordFile != null) {
            try {
                return Files.readString(passwordFile).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read --influx-password-file " + passwordFile, e);
            }
        }
        return System.getenv("DW_INFLUX_PASSWORD");
    }
}
