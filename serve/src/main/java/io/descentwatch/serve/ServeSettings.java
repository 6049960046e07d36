package io.descentwatch.serve;

import io.descentwatch.alerts.AlertFilter;
import io.descentwatch.alerts.DigestOptions;
import io.descentwatch.alerts.ScopeChoice;
import io.descentwatch.events.AlertType;
import io.descentwatch.options.Range;
import io.descentwatch.options.Ranges;
import io.descentwatch.sink.EmbeddedSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The settings of {@code serve}: each a flag with an environment fallback. */
public class ServeSettings {

    @Option(
            names = "--kafka",
            paramLabel = "HOST:PORT",
            defaultValue = "${env:DW_SERVE_KAFKA:-localhost:9092}",
            description = "Where the in-process Kafka broker listens for trainers; the default is Kafka's own, so "
                    + "clients work unchanged (env DW_SERVE_KAFKA; default ${DEFAULT-VALUE}).")
    public String kafka;

    @Option(
            names = "--http",
            paramLabel = "HOST:PORT",
            defaultValue = "${env:DW_SERVE_HTTP:-localhost:8080}",
            description = "Where the live page and the JSON API listen; loopback by default, since the page has no "
                    + "authentication (env DW_SERVE_HTTP; default ${DEFAULT-VALUE}).")
    public String http;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = "${env:DW_DATA_DIR:-${sys:user.home}/.descentwatch/serve}",
            description = "The broker's topics and the detector's state, kept across restarts: every run, alert "
                    + "and offset is there again after a restart (env DW_DATA_DIR; default ${DEFAULT-VALUE}).")
    public Path dataDir;

    @Option(
            names = "--fresh",
            defaultValue = "${env:DW_SERVE_FRESH:-false}",
            description = "Start empty: delete the broker's and the detector's data in --data-dir first "
                    + "(env DW_SERVE_FRESH).")
    public boolean fresh;

    /** --influx-url and --influx-db: the sink, when wanted. */
    @Mixin
    public EmbeddedSink sink = new EmbeddedSink();

    @Option(
            names = "--webhook",
            paramLabel = "URL",
            defaultValue = "${env:DW_WEBHOOK_URL}",
            description = "POST each alert (or a sweep's digest of run alerts) here as JSON, as `alerts --webhook` "
                    + "does (http:// or https:// only); delivery resumes after a restart where it left off "
                    + "(env DW_WEBHOOK_URL).")
    public String webhook;

    @Option(
            names = "--webhook-type",
            paramLabel = "TYPE",
            split = ",",
            defaultValue = "${env:DW_WEBHOOK_TYPES}",
            description = "Post only these types, repeatable or comma-separated: ${COMPLETION-CANDIDATES}; all by "
                    + "default (env DW_WEBHOOK_TYPES).")
    public Set<AlertType> webhookTypes = new LinkedHashSet<>();

    @Option(
            names = "--webhook-scope",
            paramLabel = "SCOPE",
            defaultValue = "${env:DW_WEBHOOK_SCOPE}",
            description = "Post only alerts of this scope: ${COMPLETION-CANDIDATES} (run: one run's alerts; sweep: "
                    + "a sweep's verdicts); both by default (env DW_WEBHOOK_SCOPE).")
    public ScopeChoice webhookScope;

    @Option(
            names = "--webhook-sweep",
            paramLabel = "ID",
            defaultValue = "${env:DW_WEBHOOK_SWEEP}",
            description = "Post only alerts of this sweep; * matches any characters (env DW_WEBHOOK_SWEEP).")
    public String webhookSweep;

    /** Run alerts printed and posted as digests per sweep, as {@code alerts} does. */
    @Mixin
    public DigestOptions digest = new DigestOptions();

    @Option(
            names = "--webhook-attempts",
            defaultValue = "${env:DW_WEBHOOK_ATTEMPTS:-5}",
            description = "Tries per alert (0.5 s, then doubling); after the last, forwarding stops with an error "
                    + "and the rest of serve goes on (env DW_WEBHOOK_ATTEMPTS; default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "100")
    public int webhookAttempts;

    @Option(
            names = "--webhook-timeout",
            defaultValue = "${env:DW_WEBHOOK_TIMEOUT:-PT10S}",
            description =
                    "Connect and response timeout of one try (env DW_WEBHOOK_TIMEOUT; default " + "${DEFAULT-VALUE}).")
    @Range(above = "PT0S", max = "PT10M")
    public Duration webhookTimeout;

    @Option(
            names = "--page-interval",
            defaultValue = "${env:DW_PAGE_INTERVAL:-PT0.1S}",
            description = "Open pages are told of changes at most this often (then they fetch the data once); "
                    + "0.1 s keeps an event on the page well within a second while a fast trainer's hundreds of "
                    + "events a second cost a page ten reloads, 10 ms to 1 min (env DW_PAGE_INTERVAL; default "
                    + "${DEFAULT-VALUE}).")
    @Range(min = "PT0.01S", max = "PT1M")
    public Duration pageInterval;

    public static ServeSettings defaults() {
        return Ranges.populate(new ServeSettings());
    }

    /**
     * Every check that needs no network, with messages that name the flag (the ranges first, for settings built
     * in code); returns the parsed endpoints.
     */
    public Endpoints validate() {
        Ranges.check(this);
        Endpoint kafkaAt = Endpoint.parse("--kafka", kafka);
        Endpoint httpAt = Endpoint.parse("--http", http);
        if (kafkaAt.port() == httpAt.port()) {
            throw new BadSettingException("--kafka and --http must use different ports, both are " + kafkaAt.port());
        }
        if (sink.url != null && !sink.url.isBlank() && !sink.url.matches("(?i)https?://.+")) {
            throw new BadSettingException("--influx-url must be an http:// or https:// URL, got '" + sink.url + "'");
        }
        String clash = webhookFilter().contradiction();
        if (clash != null) {
            throw new BadSettingException(
                    "--webhook-type and --webhook-scope: " + clash + ": nothing would ever be posted");
        }
        return new Endpoints(kafkaAt, httpAt);
    }

    /** Which alerts the webhook is posted. */
    public AlertFilter webhookFilter() {
        return new AlertFilter(
                webhookTypes == null ? Set.of() : webhookTypes,
                ScopeChoice.of(webhookScope),
                webhookSweep == null || webhookSweep.isBlank() ? null : webhookSweep,
                null);
    }

    /** How long run alerts wait to be summarised per sweep; zero with {@code --per-alert}. */
    public Duration digest() {
        return digest.effectiveWindow();
    }

    /** Where serve listens. */
    public record Endpoints(Endpoint kafka, Endpoint http) {}
}
