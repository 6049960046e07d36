package io.descentwatch.serve;

import io.descentwatch.alerts.AlertFilter;
import io.descentwatch.detection.RunSummary;
import io.descentwatch.events.Advice;
import io.descentwatch.events.Alert;
import io.descentwatch.kafka.TopicFollower;
import io.descentwatch.kafka.TopicRoutes;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.ops.Health;
import io.descentwatch.report.ReportBuilder;
import io.descentwatch.topics.Topics;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the page and the JSON API show, kept up to date from the topics as any client would read them (committed
 * records only, from the beginning: a restarted serve shows every run and alert again): every epoch event into a
 * {@link ReportBuilder}, the latest summary of each run and sweep as the detector published it, each run's latest
 * change of advice, and every alert.
 * Each change bumps {@link #version()}, which is how open pages learn that there is something new.
 */
public final class LiveFeed implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);

    /** A record's latest value: the detector's JSON as published, with when it came, for newest-first lists. */
    private record Latest(long timestamp, long arrival, byte[] json) {}

    private final TopicFollower follower;
    private final TopicRoutes<Boolean> routes;
    private final ReportBuilder report;
    private final Consumer<Alert> onNewAlert;
    private final AtomicLong version = new AtomicLong();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final AtomicLong errors = new AtomicLong();
    /** Why following the topics stopped; null while it goes on. */
    private volatile String stopped;
    /** Guarded by this. */
    private final Map<String, Latest> runs = new HashMap<>();

    private final Map<String, Latest> sweeps = new HashMap<>();
    private final Map<String, Latest> advice = new HashMap<>();
    private final List<Alert> alerts = new ArrayList<>();
    private final List<byte[]> alertJson = new ArrayList<>();
    private long arrivals;
    private long eventCount;
    private final PageScripts scripts;

    /**
     * @param onNewAlert told of each alert that arrives once the history on the topics has been read (the alerts
     *                   of earlier sessions are on the page, not printed again)
     */
    public LiveFeed(Properties kafkaClient, TopicSettings topics, Clock clock, Consumer<Alert> onNewAlert) {
        // a fetch waits at most this long for new records: part of an event's way to the page
        this.routes = routes(Topics.of(topics));
        this.follower = new TopicFollower(kafkaClient, routes.names(), Duration.ofMillis(50));
        this.report = new ReportBuilder(clock, ReportBuilder.DEFAULT_POINTS_PER_RUN);
        this.scripts = new PageScripts(report, version::get);
        this.onNewAlert = onNewAlert;
    }

    @Override
    public void run() {
        try {
            follower.run(this::acceptOrCount, changed -> {
                if (changed) {
                    version.incrementAndGet();
                }
                if (caughtUp.getCount() > 0 && follower.reachedEnd()) {
                    caughtUp.countDown();
                }
            });
        } catch (RuntimeException e) {
            // broad: this is the view's own thread; the page would freeze on what it shows now: said in the log, and in
            // health (not live: a restart
            // reads the topics again) and the metrics
            stopped = "the live page's view of the topics stopped: " + e;
            log.error(stopped, e);
        }
    }

    /**
     * One record into the view; a record that fails it (one the detector did not write, or a bug) is skipped, so
     * that the page goes on with the rest, and counted and logged (at the 1st, 10th, 100th... such record, so that
     * a topic full of them is a few lines).
     */
    private boolean acceptOrCount(ConsumerRecord<String, byte[]> r) {
        try {
            return routes.route(r).orElse(false);
        } catch (RuntimeException e) {
            // broad: one bad record (or a bug on one) must not stop the page
            long n = errors.incrementAndGet();
            if (isPowerOfTen(n)) {
                log.warn(
                        "the live page skipped a record on {}-{} at offset {}: {}; {} such record{} so far",
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        e,
                        n,
                        n == 1 ? "" : "s");
            }
            return false;
        }
    }

    private static boolean isPowerOfTen(long n) {
        long p = 1;
        while (p < n && p <= Long.MAX_VALUE / 10) {
            p *= 10;
        }
        return p == n;
    }

    /** Records the page skipped because they failed it (not the invalid records the detector dead-lettered). */
    public long errors() {
        return errors.get();
    }

    /** Live while the view follows the topics; ready once it has read what they held at the start. */
    public Health health() {
        String why = stopped;
        if (why != null) {
            return Health.dead(why);
        }
        return caughtUp.getCount() == 0
                ? Health.ready("live page up to date with the topics")
                : Health.starting("live page reading the topics' history");
    }

    /** Each topic's records into the view, decoded with the topic's serde; true where the view changed. */
    private TopicRoutes<Boolean> routes(Topics topics) {
        return new TopicRoutes<Boolean>()
                .on(topics.epochs(), (r, d) -> d.isValid() && report.accept(d.value()) && counted())
                .on(topics.runs(), this::run)
                // the picture is the detector's JSON as published: decoding it checks that it is
                .on(topics.sweeps(), (r, picture) -> {
                    put(sweeps, r, r.timestamp());
                    return true;
                })
                .on(topics.alerts(), (r, d) -> d.isValid() && alert(r, d.value()))
                // each change of advice as it is given: a run's summary carries it only from the next summary on
                .on(topics.advice(), (r, d) -> d.isValid() && advice(r, d.value()));
    }

    private synchronized boolean counted() {
        eventCount++;
        return true;
    }

    private boolean alert(ConsumerRecord<String, byte[]> r, Alert a) {
        if (!report.accept(a)) {
            return false;
        }
        synchronized (this) {
            alerts.add(a);
            alertJson.add(r.value());
        }
        if (caughtUp.getCount() == 0) {
            onNewAlert.accept(a);
        }
        return true;
    }

    private boolean advice(ConsumerRecord<String, byte[]> r, Advice a) {
        report.advice(a);
        put(advice, r, a.time() == null ? r.timestamp() : a.time().toEpochMilli());
        return true;
    }

    private boolean run(ConsumerRecord<String, byte[]> r, RunSummary s) {
        report.phase(r.key(), s.phase());
        if (s.advice() != null) {
            report.advice(s.advice());
        }
        if (s.ledger() != null) {
            report.ledger(s.runId(), s.ledger());
        }
        // newest first by the run's latest event, as the trainer stamped it
        put(runs, r, s.time() == null ? r.timestamp() : s.time().toEpochMilli());
        return true;
    }

    private synchronized void put(Map<String, Latest> latest, ConsumerRecord<String, byte[]> r, long timestamp) {
        latest.put(r.key(), new Latest(timestamp, arrivals++, r.value()));
    }

    /** Waits until what the topics held at the start has been read; false when it took longer. */
    public boolean awaitHistory(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Goes up whenever what the page shows changed. */
    public long version() {
        return version.get();
    }

    /** The page's index of sweeps ({@code data.js}), computed at most once per version; no curves in it. */
    public byte[] pageData() {
        return scripts.pageData();
    }

    /**
     * One sweep in detail ({@code sweeps/<key>.js}): its charts, alerts and runs, computed again only when the
     * sweep changed; empty for a key no sweep has.
     */
    public Optional<byte[]> sweepData(String key) {
        return scripts.sweepData(key);
    }

    /** The alerts {@code filter} lets through, as JSON (the detector's own), newest first. */
    public synchronized byte[] alertsJson(AlertFilter filter) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            if (filter.test(alerts.get(i))) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparing((Integer i) -> alerts.get(i).time())
                .thenComparing(i -> i)
                .reversed());
        return array(order.stream().map(alertJson::get).toList());
    }

    /** The latest summary of every run, as on the runs topic, newest first. */
    public synchronized byte[] runsJson() {
        return newestFirst(runs);
    }

    /**
     * Each run's latest change of advice (verdict or basis), as on the advice topic, newest first. The advice in
     * force, its checkpoint and chance brought up to date since, is in the run's summary ({@link #runsJson}).
     */
    public synchronized byte[] adviceJson() {
        return newestFirst(advice);
    }

    /** The latest picture of every sweep, as on the sweeps topic, newest first. */
    public synchronized byte[] sweepsJson() {
        return newestFirst(sweeps);
    }

    public synchronized Counts counts() {
        return new Counts(eventCount, runs.size(), sweeps.size(), alerts.size());
    }

    /** How much the feed holds. */
    public record Counts(long events, int runs, int sweeps, int alerts) {}

    private static byte[] newestFirst(Map<String, Latest> latest) {
        return array(latest.values().stream()
                .sorted(Comparator.comparingLong(Latest::timestamp)
                        .thenComparingLong(Latest::arrival)
                        .reversed())
                .map(Latest::json)
                .toList());
    }

    private static byte[] array(List<byte[]> items) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(items.get(i));
        }
        out.write(']');
        return out.toByteArray();
    }

    /** Ends {@link #run()} from any thread. */
    public void stop() {
        follower.stop();
    }
}
