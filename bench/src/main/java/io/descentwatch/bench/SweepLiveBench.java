package io.descentwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.detection.DescentDetector;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.Decoded;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.TopicFollower;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.serve.Serve;
import io.descentwatch.serve.ServeSettings;
import io.descentwatch.streams.detector.StreamsAppSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sweeps sent live through a real {@code serve} (in this JVM, as {@code ./descentwatch serve} runs it, on free
 * loopback ports and a fresh data directory), as trainers DescentWatch did not write send them, many at once as a
 * lab's would be; the sweep alerts read back from {@code /api/alerts} as they appear, and each sweep's live verdicts,
 * once {@code /api/sweeps} says it is complete, set beside the offline detector's on the same events.
 *
 * <p>The time a peak took is counted from the <em>deciding event</em>: the latest of the ending events of the runs
 * of the true peak's size and of the best size on each side. A run ends with its {@code final} event when it sends
 * one; otherwise when the detector can first know it went quiet, its last event plus the run idle timeout.
 */
final class SweepLiveBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** After the last sweep is complete, how long late alerts may take to show. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    /** What the benchmark sends, and how long it waits. */
    record Settings(
            int sweepsPerCase,
            int noiseSweepsPerCase,
            int evaluations,
            Duration evaluationGap,
            Duration stagger,
            Duration runIdleTimeout,
            Duration timeout,
            Duration pollInterval,
            long seed) {}

    /** The figures of one case. */
    record Row(
            LiveSweep.Case kase,
            int sweeps,
            int livePeaks,
            int atTrueSize,
            int withinOneSize,
            List<Double> secondsToPeak,
            List<Double> secondsToTopic,
            int complete,
            int agree,
            int offlinePeaks) {}

    /** Every case's figures, and what the run took. */
    record Result(
            List<Row> rows,
            int sweeps,
            int runs,
            long events,
            double sendingSeconds,
            double totalSeconds,
            int alerts,
            int alertsBytes,
            List<String> disagreements,
            List<String> details) {}

    /** The cases, in the order of the table. */
    static List<LiveSweep.Case> cases(int sweepsPerCase, int noiseSweepsPerCase) {
        List<LiveSweep.Case> cases = new ArrayList<>();
        if (sweepsPerCase > 0) {
            for (int seeds : new int[] {1, 3}) {
                for (LiveSweep.Grid grid : new LiveSweep.Grid[] {LiveSweep.Grid.COARSE, LiveSweep.Grid.FINE}) {
                    for (boolean sendsFinal : new boolean[] {true, false}) {
                        cases.add(
                                new LiveSweep.Case(LiveSweep.Kind.PEAK, seeds, grid, sendsFinal, LiveSweep.PEAK_NOISE));
                    }
                }
            }
            for (LiveSweep.Grid grid : new LiveSweep.Grid[] {LiveSweep.Grid.COARSE, LiveSweep.Grid.FINE}) {
                for (boolean sendsFinal : new boolean[] {true, false}) {
                    cases.add(new LiveSweep.Case(LiveSweep.Kind.BUMP, 1, grid, sendsFinal, LiveSweep.PEAK_NOISE));
                }
            }
        }
        if (noiseSweepsPerCase > 0) {
            cases.add(new LiveSweep.Case(LiveSweep.Kind.NOISE, 1, LiveSweep.Grid.JITTERED, null, 0.05));
            for (double noise : new double[] {0.03, 0.05, 0.10, 0.15}) {
                cases.add(new LiveSweep.Case(LiveSweep.Kind.NOISE, 3, LiveSweep.Grid.JITTERED, null, noise));
            }
        }
        return cases;
    }

    /** One event due at {@code offsetNanos} after the start of sending. */
    private record Due(long offsetNanos, int sweep, int run, int evaluation) {}

    private SweepLiveBench() {}

    static Result run(Settings s, DetectionSettings detection, StreamsAppSettings app, PrintWriter progress)
            throws Exception {
        long begun = System.nanoTime();
        List<LiveSweep.Case> cases = cases(s.sweepsPerCase(), s.noiseSweepsPerCase());
        List<LiveSweep> sweeps = new ArrayList<>();
        List<Integer> caseOf = new ArrayList<>();
        long runTag = System.currentTimeMillis() % 100_000;
        for (int c = 0; c < cases.size(); c++) {
            LiveSweep.Case k = cases.get(c);
            int count = k.kind() == LiveSweep.Kind.NOISE ? s.noiseSweepsPerCase() : s.sweepsPerCase();
            for (int i = 0; i < count; i++) {
                String id = String.format(
                        Locale.ROOT,
                        "live%d/%s-%ds-%s-%s-%.0f/%d",
                        runTag,
                        k.kind().name().toLowerCase(Locale.ROOT),
                        k.seeds(),
                        k.grid().name().toLowerCase(Locale.ROOT),
                        k.sendsFinal() == null ? "alt" : k.sendsFinal() ? "final" : "nofinal",
                        100 * k.noise(),
                        i);
                sweeps.add(new LiveSweep(id, k, i, s.evaluations(), s.seed() * 1_000_003L + c * 10_007L + i));
                caseOf.add(c);
            }
        }
        List<Due> schedule = schedule(sweeps, s);
        long totalEvents = schedule.size();
        int totalRuns = sweeps.stream().mapToInt(w -> w.runs.size()).sum();
        progress.printf(
                Locale.ROOT,
                "sweep-live: %d sweeps, %,d runs, %,d events; starting serve%n",
                sweeps.size(),
                totalRuns,
                totalEvents);
        progress.flush();

        // per sweep: the events as sent, and when each run's last event went out (System.nanoTime)
        List<List<EpochEvent>> sent = new ArrayList<>();
        long[][] lastSent = new long[sweeps.size()][];
        for (int i = 0; i < sweeps.size(); i++) {
            sent.add(new ArrayList<>(sweeps.get(i).events()));
            lastSent[i] = new long[sweeps.get(i).runs.size()];
        }

        double sendingSeconds;
        Map<String, Map<AlertType, Seen>> live;
        Map<String, Long> completeAt;
        int alertsCount;
        int alertsBytes;
        Map<String, Map<AlertType, Long>> onTopic = new ConcurrentHashMap<>();
        try (ScratchDirectory data = ScratchDirectory.create("bench-sweep-live-")) {
            ServeSettings settings = LocalServe.settings(data);
            try (Serve serve = new Serve(
                    settings,
                    detection,
                    TopicSettings.defaults(),
                    app,
                    new PrintWriter(Writer.nullWriter()),
                    Clock.systemUTC())) {
                Poller poller = new Poller("http://" + serve.httpAt(), s.pollInterval());
                Thread polling = new Thread(poller, "sweep-live-poller");
                polling.setDaemon(true);
                polling.start();
                // the alerts topic too, as any Kafka client reads it: where the time to the API goes
                TopicFollower follower = new TopicFollower(
                        serve.kafka().clientProperties(),
                        List.of(TopicSettings.defaults().alerts),
                        Duration.ofMillis(50));
                AlertCodec codec = new AlertCodec();
                Thread following = new Thread(
                        () -> follower.run(
                                r -> {
                                    Decoded<Alert> d = codec.decode(r.value());
                                    if (d.isValid() && d.value().scope() == AlertScope.SWEEP) {
                                        onTopic.computeIfAbsent(d.value().sweepId(), id -> new ConcurrentHashMap<>())
                                                .putIfAbsent(d.value().type(), System.nanoTime());
                                    }
                                    return false;
                                },
                                changed -> {}),
                        "sweep-live-alerts");
                following.setDaemon(true);
                following.start();
                try {
                    long sendingStart = System.nanoTime();
                    send(serve, sweeps, schedule, sent, lastSent, poller, progress, totalEvents);
                    sendingSeconds = (System.nanoTime() - sendingStart) / 1e9;
                    awaitComplete(sweeps, poller, s, progress, begun);
                    poller.pollAlertsNow();
                } finally {
                    poller.stop();
                    follower.stop();
                    polling.join(10_000);
                    following.join(10_000);
                }
                live = poller.seen;
                completeAt = poller.completeAt;
                alertsCount = poller.lastAlertsCount;
                alertsBytes = poller.lastAlertsBytes;
            }
        }

        // offline: the `detect` logic on each sweep's events as sent, to the end of the input
        List<String> disagreements = new ArrayList<>();
        List<String> details = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < cases.size(); c++) {
            LiveSweep.Case k = cases.get(c);
            int n = 0;
            int livePeaks = 0;
            int atTrue = 0;
            int withinOne = 0;
            int complete = 0;
            int agree = 0;
            int offlinePeaks = 0;
            List<Double> seconds = new ArrayList<>();
            List<Double> secondsOnTopic = new ArrayList<>();
            for (int i = 0; i < sweeps.size(); i++) {
                if (caseOf.get(i) != c) {
                    continue;
                }
                n++;
                LiveSweep sweep = sweeps.get(i);
                Map<AlertType, Seen> liveAlerts = live.getOrDefault(sweep.sweepId, Map.of());
                Map<AlertType, Long> offline = offline(sent.get(i), detection);
                Seen peak = liveAlerts.get(AlertType.MODEL_WISE_PEAK);
                offlinePeaks += offline.containsKey(AlertType.MODEL_WISE_PEAK) ? 1 : 0;
                if (peak != null) {
                    livePeaks++;
                    int at = sweep.indexOf(peak.paramCount());
                    atTrue += sweep.peak >= 0 && at == sweep.peak ? 1 : 0;
                    withinOne += sweep.peak >= 0 && at >= 0 && Math.abs(at - sweep.peak) <= 1 ? 1 : 0;
                    Long topicAt = onTopic.getOrDefault(sweep.sweepId, Map.of()).get(AlertType.MODEL_WISE_PEAK);
                    if (sweep.peak >= 0) {
                        long decided = deciding(sweep, lastSent[i], s.runIdleTimeout());
                        seconds.add((peak.atNanos() - decided) / 1e9);
                        if (topicAt != null) {
                            secondsOnTopic.add((topicAt - decided) / 1e9);
                        }
                    }
                }
                details.add(
                        detail(sweep, lastSent[i], s.runIdleTimeout(), peak, offline, completeAt.get(sweep.sweepId)));
                if (completeAt.containsKey(sweep.sweepId)) {
                    complete++;
                    Map<AlertType, Long> liveVerdicts = new EnumMap<>(AlertType.class);
                    liveAlerts.forEach((type, seen) -> liveVerdicts.put(type, seen.paramCount()));
                    if (liveVerdicts.equals(offline)) {
                        agree++;
                    } else {
                        disagreements.add(sweep.sweepId + ": live " + liveVerdicts + ", offline " + offline);
                    }
                }
            }
            rows.add(new Row(
                    k, n, livePeaks, atTrue, withinOne, seconds, secondsOnTopic, complete, agree, offlinePeaks));
        }
        return new Result(
                rows,
                sweeps.size(),
                totalRuns,
                totalEvents,
                sendingSeconds,
                (System.nanoTime() - begun) / 1e9,
                alertsCount,
                alertsBytes,
                disagreements,
                details);
    }

    /**
     * Each sweep starts at a random time within the stagger and sends its runs one after the other, its evaluations
     * one gap apart (and one gap between runs), as a trainer working through its sizes does.
     */
    private static List<Due> schedule(List<LiveSweep> sweeps, Settings s) {
        Random random = new Random(s.seed());
        long gap = s.evaluationGap().toNanos();
        List<Due> due = new ArrayList<>();
        for (int i = 0; i < sweeps.size(); i++) {
            LiveSweep sweep = sweeps.get(i);
            long start = (long) (random.nextDouble() * s.stagger().toNanos());
            for (int r = 0; r < sweep.runs.size(); r++) {
                for (int k = 0; k < sweep.evaluations; k++) {
                    due.add(new Due(start + ((long) r * sweep.evaluations + k) * gap, i, r, k));
                }
            }
        }
        due.sort(Comparator.comparingLong(Due::offsetNanos));
        return due;
    }

    private static void send(
            Serve serve,
            List<LiveSweep> sweeps,
            List<Due> schedule,
            List<List<EpochEvent>> sent,
            long[][] lastSent,
            Poller poller,
            PrintWriter progress,
            long total)
            throws InterruptedException {
        Properties p = serve.kafka().clientProperties();
        // as a trainer's client: sent at once, a few milliseconds of batching at most
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        EpochEventCodec codec = new EpochEventCodec();
        String topic = TopicSettings.defaults().epochs;
        long start = System.nanoTime();
        long nextProgress = start + PROGRESS_EVERY.toNanos();
        long count = 0;
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (Due d : schedule) {
                long wait = start + d.offsetNanos() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                LiveSweep sweep = sweeps.get(d.sweep());
                EpochEvent e = sweep.event(d.run(), d.evaluation(), Instant.now());
                long now = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, e.runId(), codec.encode(e)));
                sent.get(d.sweep()).add(e);
                if (d.evaluation() == sweep.evaluations - 1) {
                    lastSent[d.sweep()][d.run()] = now;
                }
                count++;
                if (now >= nextProgress) {
                    progress.printf(
                            Locale.ROOT,
                            "sweep-live: %3.0f s, sent %,d of %,d events; %s%n",
                            (now - start) / 1e9,
                            count,
                            total,
                            poller.summary());
                    progress.flush();
                    nextProgress += PROGRESS_EVERY.toNanos();
                }
            }
            producer.flush();
        }
    }

    /** Waits until every sweep is complete on {@code /api/sweeps} (then a grace for late alerts), or the timeout. */
    private static void awaitComplete(
            List<LiveSweep> sweeps, Poller poller, Settings s, PrintWriter progress, long begun)
            throws InterruptedException {
        long deadline = System.nanoTime() + s.runIdleTimeout().plus(s.timeout()).toNanos();
        long nextProgress = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long complete = sweeps.stream()
                    .filter(w -> poller.completeAt.containsKey(w.sweepId))
                    .count();
            if (System.nanoTime() >= nextProgress) {
                progress.printf(
                        Locale.ROOT,
                        "sweep-live: %3.0f s, all sent; waiting for sweeps to complete "
                                + "(run idle timeout %s); %s%n",
                        (System.nanoTime() - begun) / 1e9,
                        s.runIdleTimeout(),
                        poller.summary());
                progress.flush();
                nextProgress += PROGRESS_EVERY.toNanos();
            }
            if (complete == sweeps.size()) {
                Thread.sleep(GRACE.toMillis());
                return;
            }
            Thread.sleep(200);
        }
        progress.printf(Locale.ROOT, "sweep-live: timed out; %s%n", poller.summary());
        progress.flush();
    }

    /** One sweep: its truth, its live and offline peaks, and when its peak and its completeness came. */
    private static String detail(
            LiveSweep sweep,
            long[] lastSent,
            Duration idleTimeout,
            Seen peak,
            Map<AlertType, Long> offline,
            Long completeAt) {
        long last = java.util.Arrays.stream(lastSent).max().orElse(0);
        String truth = sweep.peak < 0
                ? "no peak"
                : String.format(
                        Locale.ROOT,
                        "peak at %d (%.2fx over %d and %d)",
                        sweep.sizes[sweep.peak],
                        sweep.prominence,
                        sweep.sizes[sweep.bestBelow],
                        sweep.sizes[sweep.bestAbove]);
        String live = peak == null
                ? "none"
                : sweep.peak < 0
                        ? peak.paramCount() + " (false)"
                        : String.format(
                                Locale.ROOT,
                                "%d, %+.1f s after the deciding event",
                                peak.paramCount(),
                                (peak.atNanos() - deciding(sweep, lastSent, idleTimeout)) / 1e9);
        Long off = offline.get(AlertType.MODEL_WISE_PEAK);
        return String.format(
                Locale.ROOT,
                "%s (%s): true %s; live peak %s; offline peak %s; complete %s",
                sweep.sweepId,
                sweep.sendsFinal ? "final" : "no final",
                truth,
                live,
                off == null ? "none" : off,
                completeAt == null
                        ? "never"
                        : String.format(Locale.ROOT, "%.1f s after its last event", (completeAt - last) / 1e9));
    }

    /** When the sizes that decide the peak had ended, as the detector can know it (System.nanoTime). */
    private static long deciding(LiveSweep sweep, long[] lastSent, Duration idleTimeout) {
        long latest = Long.MIN_VALUE;
        for (int r = 0; r < sweep.runs.size(); r++) {
            if (sweep.decides(sweep.runs.get(r))) {
                long end = lastSent[r] + (sweep.sendsFinal ? 0 : idleTimeout.toNanos());
                latest = Math.max(latest, end);
            }
        }
        return latest;
    }

    /** The sweep alerts of the offline detector on these events, ended as {@code detect} ends its input. */
    static Map<AlertType, Long> offline(List<EpochEvent> events, DetectionSettings settings) {
        DescentDetector detector = new DescentDetector(settings);
        List<Alert> alerts = new ArrayList<>();
        for (EpochEvent e : events) {
            alerts.addAll(detector.accept(e));
        }
        alerts.addAll(detector.endOfInput());
        Map<AlertType, Long> verdicts = new EnumMap<>(AlertType.class);
        for (Alert a : alerts) {
            if (a.scope() == AlertScope.SWEEP) {
                verdicts.putIfAbsent(a.type(), a.paramCount());
            }
        }
        return verdicts;
    }

    /** A sweep alert as first seen on {@code /api/alerts}. */
    record Seen(long paramCount, long atNanos) {}

    /**
     * Follows {@code /api/status} and, whenever its alert count moves, {@code /api/alerts}, noting when each sweep
     * alert first shows; and {@code /api/sweeps} about once a second, noting when each sweep is first complete.
     */
    static final class Poller implements Runnable {
        private static final long SWEEPS_EVERY_NANOS = 1_000_000_000L;

        private final HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final String base;
        private final Duration interval;
        private final AtomicBoolean running = new AtomicBoolean(true);
        final Map<String, Map<AlertType, Seen>> seen = new ConcurrentHashMap<>();
        final Map<String, Long> completeAt = new ConcurrentHashMap<>();
        private final AtomicLong alertCount = new AtomicLong(-1);
        private volatile String lastError;
        volatile int lastAlertsBytes;
        volatile int lastAlertsCount;

        Poller(String base, Duration interval) {
            this.base = base;
            this.interval = interval;
        }

        @Override
        public void run() {
            long nextSweeps = 0;
            while (running.get()) {
                try {
                    long count = get("/api/status").get("alerts").asLong();
                    if (count != alertCount.get()) {
                        pollAlertsNow();
                        alertCount.set(count);
                    }
                    if (System.nanoTime() >= nextSweeps) {
                        pollSweeps();
                        nextSweeps = System.nanoTime() + SWEEPS_EVERY_NANOS;
                    }
                    lastError = null;
                } catch (IOException | RuntimeException e) {
                    // broad: the poller measures until told to stop; its last error is reported with the figures
                    lastError = e.toString();
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    Thread.sleep(interval.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        synchronized void pollAlertsNow() throws IOException, InterruptedException {
            HttpResponse<byte[]> body = fetch("/api/alerts");
            JsonNode alerts = JSON.readTree(body.body());
            lastAlertsBytes = body.body().length;
            lastAlertsCount = alerts.size();
            long at = System.nanoTime();
            for (JsonNode a : alerts) {
                if (!AlertScope.SWEEP.wireName().equals(a.path("scope").asText())) {
                    continue;
                }
                AlertType type = AlertType.valueOf(a.get("type").asText());
                seen.computeIfAbsent(a.get("sweep_id").asText(), id -> new ConcurrentHashMap<>())
                        .putIfAbsent(type, new Seen(a.get("param_count").asLong(), at));
            }
        }

        private void pollSweeps() throws IOException, InterruptedException {
            long at = System.nanoTime();
            for (JsonNode sweep : get("/api/sweeps")) {
                if (sweep.path("complete").asBoolean(false)) {
                    completeAt.putIfAbsent(sweep.get("sweep_id").asText(), at);
                }
            }
        }

        private JsonNode get(String path) throws IOException, InterruptedException {
            return JSON.readTree(fetch(path).body());
        }

        private HttpResponse<byte[]> fetch(String path) throws IOException, InterruptedException {
            HttpResponse<byte[]> r = http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IOException(path + ": HTTP " + r.statusCode());
            }
            return r;
        }

        String summary() {
            long peaks = seen.values().stream()
                    .filter(m -> m.containsKey(AlertType.MODEL_WISE_PEAK))
                    .count();
            String error = lastError;
            return String.format(
                    Locale.ROOT,
                    "%d sweeps complete, %d with MODEL_WISE_PEAK%s",
                    completeAt.size(),
                    peaks,
                    error == null ? "" : " (last poll failed: " + error + ")");
        }

        void stop() {
            running.set(false);
        }
    }
}
