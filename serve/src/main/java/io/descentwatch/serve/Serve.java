package io.descentwatch.serve;

import io.descentwatch.alerts.AlertDigest;
import io.descentwatch.alerts.AlertFeed;
import io.descentwatch.alerts.DigestDelivery;
import io.descentwatch.alerts.Webhook;
import io.descentwatch.broker.EmbeddedKafkaBroker;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.ops.Health;
import io.descentwatch.ops.Metrics;
import io.descentwatch.ops.OpsRoutes;
import io.descentwatch.sink.InfluxSink;
import io.descentwatch.sink.SinkSettings;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.StreamsAppSettings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a user's own trainer needs, in this JVM, until stopped: the in-process broker on a fixed address with
 * its data kept in the data directory, the streaming detector (state in the same directory), the live page and
 * JSON API, alerts printed as they fire (a sweep's run alerts summarised per sweep, {@link AlertDigest}), and
 * optionally the InfluxDB sink and a webhook (with its own choice of alerts, and the same digests). {@link #close()} stops all
 * of it and keeps the data.
 */
public final class Serve implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Serve.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    /** The detector's group and the names of its internal topics: fixed, so a restart resumes the same state. */
    static final String APPLICATION_ID = "descentwatch-serve";

    static final String WEBHOOK_GROUP = "descentwatch-serve-webhook";
    static final String SINK_GROUP = "descentwatch-serve-sink";

    private final PrintWriter out;
    /** What serve prints: the banner once started, and the alerts as they fire. */
    private ServeConsole console;

    /** What has started, and the order it stops in. */
    private final ServeLifecycle lifecycle = new ServeLifecycle();

    private final List<Thread> threads = new ArrayList<>();
    private final ServeSettings.Endpoints at;
    private final DataDir dataDir;
    private final KafkaSettings kafka;
    private LiveFeed feed;
    private LivePage page;
    private DetectorApp detector;
    /** The meters of the detector, the page and the sink in this process, on the page's port at /metrics. */
    private final PrometheusMeterRegistry registry = Metrics.registry("serve");

    /**
     * Checks the settings, then starts everything; throws {@link BadSettingException} (naming the flag) for
     * bad settings and taken ports, before anything was started.
     */
    public Serve(
            ServeSettings settings, DetectionSettings detection, TopicSettings topics, PrintWriter out, Clock clock)
            throws InterruptedException {
        // the state directory is set at the start, inside the data directory
        this(settings, detection, topics, StreamsAppSettings.defaults(APPLICATION_ID, null), out, clock);
    }

    /**
     * As {@link #Serve(ServeSettings, DetectionSettings, TopicSettings, PrintWriter, Clock)}, with the detector's
     * Streams settings given (its run idle timeout, commit interval, threads), for callers in code such as the
     * live sweep benchmark; their application id and state directory are serve's own, whatever {@code app} says.
     */
    public Serve(
            ServeSettings settings,
            DetectionSettings detection,
            TopicSettings topics,
            StreamsAppSettings app,
            PrintWriter out,
            Clock clock)
            throws InterruptedException {
        this.out = out;
        this.at = settings.validate();
        Webhook webhook = settings.webhook == null || settings.webhook.isBlank() ? null : webhook(settings);
        this.dataDir = DataDir.open(settings.dataDir, settings.fresh);
        try {
            at.kafka().checkFree("--kafka");
            at.http().checkFree("--http");
        } catch (BadSettingException e) {
            dataDir.close();
            throw e;
        }
        boolean resumed = dataDir.hasData();
        this.kafka = KafkaSettings.of(at.kafka().toString());
        try {
            lifecycle.starting();
            start(settings, detection, topics, app, clock, webhook);
            lifecycle.running();
        } catch (InterruptedException | RuntimeException e) {
            // broad, and rethrown: whatever failed, what had started stops, and the data directory is let go
            close();
            throw e;
        }
        console.started(at, dataDir, resumed, feed.counts(), topics);
    }

    private static Webhook webhook(ServeSettings settings) {
        try {
            return new Webhook(
                    settings.webhook, settings.webhookAttempts, Duration.ofMillis(500), settings.webhookTimeout);
        } catch (IllegalArgumentException e) {
            throw new BadSettingException("--webhook: " + e.getMessage(), e);
        }
    }

    private void start(
            ServeSettings settings,
            DetectionSettings detection,
            TopicSettings topics,
            StreamsAppSettings app,
            Clock clock,
            Webhook webhook)
            throws InterruptedException {
        // keep what trainers sent for as long as the user keeps the data directory, not Kafka's default week
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startPersistent(
                at.kafka().host(), at.kafka().port(), dataDir.kafka(), Map.of("log.retention.ms", "-1"));
        lifecycle.started(ServeLifecycle.Part.BROKER, broker);
        app.applicationId = APPLICATION_ID;
        app.stateDir = dataDir.streams();
        DetectorApp detector = new DetectorApp(kafka, topics, detection, app);
        lifecycle.started(ServeLifecycle.Part.DETECTOR, detector);
        this.detector = detector;
        detector.bindMetrics(registry, topics);
        detector.start();
        if (!detector.awaitRunning(START_TIMEOUT)) {
            throw new IllegalStateException("the detector did not start within " + START_TIMEOUT);
        }
        console = new ServeConsole(out, settings.digest(), clock);
        console.startDigests(lifecycle);
        feed = new LiveFeed(kafka.clientProperties(), topics, clock, console::alert);
        lifecycle.started(ServeLifecycle.Part.FEED, feed::stop);
        thread("serve-feed", feed);
        if (!feed.awaitHistory(START_TIMEOUT)) {
            throw new IllegalStateException("could not read the topics' history within " + START_TIMEOUT);
        }
        FunctionCounter.builder("descentwatch.serve.feed.errors", feed, LiveFeed::errors)
                .description("Records the live page skipped because they failed it")
                .register(registry);
        page = new LivePage(
                at.http(), feed, settings.pageInterval, this::status, new OpsRoutes(registry, this::health));
        lifecycle.started(ServeLifecycle.Part.PAGE, page);
        if (settings.sink.enabled()) {
            SinkSettings s = settings.sink.settings(SINK_GROUP);
            InfluxSink sink = new InfluxSink(kafka.clientProperties(), topics, s, registry);
            lifecycle.started(ServeLifecycle.Part.SINK, sink);
            thread("serve-sink", sink);
            log.info("sink writing to InfluxDB {}, database {}", settings.sink.url, settings.sink.database);
        }
        if (webhook != null) {
            // a consumer group: a restarted serve delivers what it had not delivered yet, and nothing twice
            AlertFeed alerts = new AlertFeed(
                    kafka.clientProperties(), topics.alerts, WEBHOOK_GROUP, true, settings.webhookFilter());
            lifecycle.started(ServeLifecycle.Part.WEBHOOK, alerts::stop);
            AlertDigest digest = new AlertDigest(settings.digest());
            thread("serve-webhook", () -> forward(alerts, digest, webhook, clock));
            log.info("forwarding alerts to {}", webhook.describe());
        }
    }

    private void forward(AlertFeed alerts, AlertDigest digest, Webhook webhook, Clock clock) {
        try (alerts) {
            alerts.deliver(new DigestDelivery(digest, clock, webhook::send), 0);
        } catch (Exception e) {
            // broad: AlertFeed.deliver declares Exception (whatever a delivery throws); this thread ends with one
            // line, and the rest of serve goes on
            log.error(
                    "stopped forwarding alerts to {}: {} (the rest of serve goes on; a restart retries)",
                    webhook.describe(),
                    e.getMessage());
        }
    }

    private void thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        threads.add(t);
    }

    /** Live while the detector and the page's view of the topics are; ready while both are. */
    private Health health() {
        Health d = detector.health();
        Health f = feed.health();
        if (!d.isLive() || !f.isLive()) {
            return Health.dead(d.isLive() ? f.detail() : d.detail());
        }
        return d.isReady() && f.isReady()
                ? Health.ready(d.detail() + "; " + f.detail())
                : Health.starting(d.detail() + "; " + f.detail());
    }

    private String status() {
        LiveFeed.Counts c = feed.counts();
        return String.format(
                Locale.ROOT,
                "{\"kafka\":\"%s\",\"events\":%d,\"runs\":%d,\"sweeps\":%d,\"alerts\":%d,"
                        + "\"version\":%d,\"watching\":%d}",
                at.kafka(),
                c.events(),
                c.runs(),
                c.sweeps(),
                c.alerts(),
                feed.version(),
                page == null ? 0 : page.watching());
    }

    /** Waits for the feeds' and sink's threads to end; true when interrupted meanwhile. */
    private boolean joinThreads() {
        boolean interrupted = false;
        for (Thread t : threads) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        threads.clear();
        return interrupted;
    }

    public Endpoint kafkaAt() {
        return at.kafka();
    }

    public Endpoint httpAt() {
        return at.http();
    }

    public KafkaSettings kafka() {
        return kafka;
    }

    /** Blocks until this thread is interrupted (Ctrl-C, via the command's shutdown hook). */
    public void awaitStop() throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }

    /**
     * Stops what started, in the order {@link ServeLifecycle.Part} states (the alert feeds, sink, page and view
     * first, the detector and broker last), and keeps the data; a second call does nothing.
     */
    @Override
    public void close() {
        boolean interrupted = Thread.interrupted();
        AtomicBoolean interruptedJoining = new AtomicBoolean();
        // the clients' threads end before the broker they talk to goes away
        if (lifecycle.stop(() -> interruptedJoining.set(joinThreads()))) {
            interrupted |= interruptedJoining.get() | joinThreads();
            dataDir.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
