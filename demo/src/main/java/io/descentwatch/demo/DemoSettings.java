package io.descentwatch.demo;

import io.descentwatch.options.Range;
import io.descentwatch.options.Ranges;
import io.descentwatch.sink.EmbeddedSink;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The demo's settings: each a flag with an environment fallback. */
public class DemoSettings {

    @Option(
            names = "--quick",
            defaultValue = "${env:DW_DEMO_QUICK:-false}",
            description = "The presets' quick sizes and the ND4J engine: seconds of training instead of about two "
                    + "minutes, the same alerts (env DW_DEMO_QUICK).")
    public boolean quick;

    @Option(
            names = "--report-dir",
            paramLabel = "DIR",
            defaultValue = "${env:DW_REPORT_DIR:-descentwatch-report}",
            description = "Where the live HTML report (index.html) and, at the end, its PNG charts are written "
                    + "(env DW_REPORT_DIR; default ${DEFAULT-VALUE}).")
    public Path reportDir;

    /** --influx-url and --influx-db: the sink, when wanted. */
    @Mixin
    public EmbeddedSink sink = new EmbeddedSink();

    @Option(
            names = "--workers",
            defaultValue = "${env:DW_WORKERS:-0}",
            description = "Runs trained at once (env DW_WORKERS; default 0 = one per core).")
    @Range(min = "0", max = "1024")
    public int workers;

    @Option(
            names = "--refresh",
            defaultValue = "${env:DW_REFRESH:-PT2S}",
            description = "How often the terminal view and the report's data are redrawn (env DW_REFRESH; "
                    + "default ${DEFAULT-VALUE}; ISO-8601).")
    @Range(min = "PT0.1S", max = "PT1H")
    public Duration refresh;

    @Option(
            names = "--drain-timeout",
            defaultValue = "${env:DW_DRAIN_TIMEOUT:-PT2M}",
            description = "After training, how long to wait for the detector to decide on the last events "
                    + "(env DW_DRAIN_TIMEOUT; default ${DEFAULT-VALUE}).")
    @Range(above = "PT0S", max = "P1D")
    public Duration drainTimeout;

    public static DemoSettings defaults() {
        return Ranges.populate(new DemoSettings());
    }

    public int effectiveWorkers() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }
}
