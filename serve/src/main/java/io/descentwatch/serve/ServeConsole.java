package io.descentwatch.serve;

import io.descentwatch.alerts.AlertDigest;
import io.descentwatch.alerts.AlertText;
import io.descentwatch.events.Alert;
import io.descentwatch.kafka.TopicSettings;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What serve prints for the user: where it is and what it resumed with, once started, and the alerts as they fire
 * (a sweep's run alerts summarised per sweep, {@link AlertDigest}).
 */
final class ServeConsole {

    private final PrintWriter out;
    private final Clock clock;
    /** The alerts printed here; guarded by {@link #out}. */
    private final AlertDigest printed;

    ServeConsole(PrintWriter out, Duration digest, Clock clock) {
        this.out = out;
        this.clock = clock;
        this.printed = new AlertDigest(digest);
    }

    /** Prints an alert that arrived, or what it completes of a digest. */
    void alert(Alert a) {
        printNotices(() -> printed.accept(a, clock.instant()));
    }

    /**
     * Where digests are on, prints them as their windows end, from a ticker that is part {@link
     * ServeLifecycle.Part#DIGEST} of serve.
     */
    void startDigests(ServeLifecycle lifecycle) {
        if (!printed.window().isZero()) {
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "serve-digest");
                t.setDaemon(true);
                return t;
            });
            // the last digests are printed on stopping, once the feed delivers no more
            lifecycle.started(ServeLifecycle.Part.DIGEST, () -> {
                ticker.shutdownNow();
                printNotices(() -> printed.flush());
            });
            ticker.scheduleWithFixedDelay(
                    () -> printNotices(() -> printed.due(clock.instant())), 200, 200, TimeUnit.MILLISECONDS);
        }
    }

    /** Says that serve is up: where to reach it, where its data is and what it resumed with, how to send to it. */
    void started(
            ServeSettings.Endpoints at,
            DataDir dataDir,
            boolean resumed,
            LiveFeed.Counts counts,
            TopicSettings topics) {
        out.printf(
                Locale.ROOT,
                "descentwatch serve: Kafka at %s, live page at http://%s/ (JSON: /api/alerts, "
                        + "/api/runs, /api/advice, /api/sweeps)%n",
                at.kafka(),
                at.http());
        out.printf(
                Locale.ROOT,
                "data in %s%s%n",
                dataDir.path(),
                resumed
                        ? String.format(
                                Locale.ROOT,
                                ": resumed with %,d events, %d runs, %d sweeps, %d alerts",
                                counts.events(),
                                counts.runs(),
                                counts.sweeps(),
                                counts.alerts())
                        : " (new)");
        out.println("publish epoch events to topic " + topics.epochs + " (the Python client: clients/python); "
                + "alerts are printed here as they fire; Ctrl-C stops");
        out.flush();
    }

    /**
     * Prints what the digest of printed alerts gives out: sweep alerts as they fire, the run alerts of a sweep as
     * one line per window (from the feed's thread and the ticker's, one at a time).
     */
    private void printNotices(Supplier<List<AlertDigest.Notice>> next) {
        synchronized (out) {
            for (AlertDigest.Notice n : next.get()) {
                out.println(AlertText.line(n));
            }
            out.flush();
        }
    }
}
