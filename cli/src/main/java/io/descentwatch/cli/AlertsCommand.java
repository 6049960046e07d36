package io.descentwatch.cli;

import io.descentwatch.alerts.AlertDigest;
import io.descentwatch.alerts.AlertFeed;
import io.descentwatch.alerts.AlertFilter;
import io.descentwatch.alerts.AlertText;
import io.descentwatch.alerts.DigestDelivery;
import io.descentwatch.alerts.DigestOptions;
import io.descentwatch.alerts.NoticeJson;
import io.descentwatch.alerts.ScopeChoice;
import io.descentwatch.alerts.Webhook;
import io.descentwatch.events.AlertType;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.options.Range;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description = {
            "Follows descent alerts on any Kafka: prints them (text or JSON lines) and, with --webhook, "
                    + "posts each one as JSON with a Slack-compatible 'text' field. Only committed alerts are read.",
            "Sweep alerts (the sweep's verdicts) go out at once, one each; the run alerts of a sweep are "
                    + "summarised per sweep over --digest-window, one line and one post per sweep "
                    + "(--per-alert: one per alert, as before).",
            "Without --group it reads from now (or --from-beginning) and remembers nothing; with --group it "
                    + "resumes where the group left off and commits an alert only once it was printed and "
                    + "delivered, so a stopped forwarder misses nothing."
        })
final class AlertsCommand extends Subcommand {

    private static final Logger log = LoggerFactory.getLogger(AlertsCommand.class);

    enum Format {
        text,
        json
    }

    @Mixin
    KafkaSettings kafka;

    @Mixin
    TopicSettings topics;

    @Option(names = "--from-beginning", description = "Start with the oldest alert on the topic, not from now.")
    boolean fromBeginning;

    @Option(
            names = "--type",
            paramLabel = "TYPE",
            split = ",",
            description = "Only these types, repeatable or comma-separated: ${COMPLETION-CANDIDATES}.")
    Set<AlertType> types = new LinkedHashSet<>();

    @Option(
            names = "--scope",
            paramLabel = "SCOPE",
            defaultValue = "${env:DW_ALERTS_SCOPE}",
            description = "Only alerts of this scope: ${COMPLETION-CANDIDATES} (run: one run's alerts; sweep: a "
                    + "sweep's verdicts); both by default (env DW_ALERTS_SCOPE).")
    ScopeChoice scope;

    @Option(names = "--sweep", paramLabel = "ID", description = "Only this sweep; * matches any characters.")
    String sweep;

    @Option(names = "--run", paramLabel = "ID", description = "Only run alerts of this run; * matches any characters.")
    String run;

    @Option(
            names = "--format",
            defaultValue = "${env:DW_ALERTS_FORMAT:-text}",
            description = "${COMPLETION-CANDIDATES}: one line per alert, or the alert's JSON (env DW_ALERTS_FORMAT; "
                    + "default ${DEFAULT-VALUE}).")
    Format format;

    @Mixin
    DigestOptions digestOptions = new DigestOptions();

    @Option(
            names = "--webhook",
            paramLabel = "URL",
            defaultValue = "${env:DW_WEBHOOK_URL}",
            description =
                    "POST each alert (or digest) here as JSON (http:// or https:// only) " + "(env DW_WEBHOOK_URL).")
    String webhook;

    @Option(
            names = "--webhook-attempts",
            defaultValue = "${env:DW_WEBHOOK_ATTEMPTS:-5}",
            description = "Tries per alert or digest before giving up with an error; waits 0.5 s, then doubling "
                    + "(env DW_WEBHOOK_ATTEMPTS; default ${DEFAULT-VALUE}).")
    @Range(min = "1", max = "100")
    int webhookAttempts;

    @Option(
            names = "--webhook-timeout",
            defaultValue = "${env:DW_WEBHOOK_TIMEOUT:-PT10S}",
            description =
                    "Connect and response timeout of one try (env DW_WEBHOOK_TIMEOUT; default " + "${DEFAULT-VALUE}).")
    @Range(above = "PT0S", max = "PT10M")
    Duration webhookTimeout;

    @Option(
            names = "--group",
            paramLabel = "GROUP",
            defaultValue = "${env:DW_ALERTS_GROUP}",
            description = "Consumer group to resume from and commit to (env DW_ALERTS_GROUP).")
    String group;

    @Option(
            names = "--max",
            defaultValue = "0",
            description = "Stop after this many alerts, printing the digests still open (default 0: follow until "
                    + "stopped).")
    @Range(min = "0")
    long max;

    @Override
    public Integer call() throws Exception {
        Webhook hook = null;
        if (webhook != null && !webhook.isBlank()) {
            try {
                hook = new Webhook(webhook, webhookAttempts, Duration.ofMillis(500), webhookTimeout);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--webhook: " + e.getMessage());
            }
        }
        AlertFilter filter =
                new AlertFilter(types.isEmpty() ? Set.of() : EnumSet.copyOf(types), ScopeChoice.of(scope), sweep, run);
        if (filter.contradiction() != null) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--type and --scope: " + filter.contradiction() + ": nothing would ever be printed");
        }
        AlertDigest digest = new AlertDigest(digestOptions.effectiveWindow());
        try (AlertFeed feed = new AlertFeed(kafka.clientProperties(), topics.alerts, group, fromBeginning, filter)) {
            ShutdownHook onExit = ShutdownHook.stopThenAwait("alerts-shutdown", feed::stop, Duration.ofSeconds(10));
            try {
                follow(feed, hook, out(), digest);
            } finally {
                onExit.close();
            }
        }
        return 0;
    }

    /**
     * Prints each notice (an alert, or a sweep's digest) and, with a webhook, delivers it before the next: a failed
     * delivery stops the command. Stopping (Ctrl-C, --max) prints and posts the digests still open.
     */
    private void follow(AlertFeed feed, Webhook forward, PrintWriter out, AlertDigest digest) throws Exception {
        if (forward != null) {
            log.info("forwarding alerts from {} to {}", topics.alerts, forward.describe());
        }
        NoticeJson json = new NoticeJson();
        feed.deliver(
                new DigestDelivery(digest, Clock.systemUTC(), notice -> {
                    out.println(format == Format.json ? json.line(notice) : AlertText.line(notice));
                    out.flush();
                    if (forward != null) {
                        forward.send(notice);
                    }
                }),
                max);
    }
}
