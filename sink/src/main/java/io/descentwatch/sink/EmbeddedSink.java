package io.descentwatch.sink;

import picocli.CommandLine.Option;

/**
 * {@code --influx-url} and {@code --influx-db} of the commands that run the whole pipeline in one process (demo,
 * serve): with a URL they also run the sink into that InfluxDB. A picocli mixin, so both read the same.
 */
public final class EmbeddedSink {

    @Option(
            names = "--influx-url",
            paramLabel = "URL",
            defaultValue = "${env:DW_INFLUX_URL}",
            description = "Also run the sink into this InfluxDB 1.x (or a v1-compatible 2.x/3.x), e.g. "
                    + "http://localhost:8086; user and password from DW_INFLUX_USER and DW_INFLUX_PASSWORD "
                    + "(env DW_INFLUX_URL; default: no sink).")
    public String url;

    @Option(
            names = "--influx-db",
            defaultValue = "${env:DW_INFLUX_DB:-descentwatch}",
            description = "Database the sink writes to, created if missing (env DW_INFLUX_DB; default "
                    + "${DEFAULT-VALUE}).")
    public String database;

    /** Whether a sink is wanted (a URL was given). */
    public boolean enabled() {
        return url != null && !url.isBlank();
    }

    /** The sink's settings in the given consumer group, or null when no sink is wanted. */
    public SinkSettings settings(String groupId) {
        if (!enabled()) {
            return null;
        }
        SinkSettings s = SinkSettings.defaults(url);
        s.database = database;
        s.groupId = groupId;
        return s;
    }
}
