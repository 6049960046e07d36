package io.descentwatch.demo;

import io.descentwatch.detection.RunSummary;
import io.descentwatch.detection.SweepPicture;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.TopicFollower;
import io.descentwatch.kafka.TopicRoutes;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.report.ReportBuilder;
import io.descentwatch.topics.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the pipeline from the outside, as any client would: reads the epochs, runs, sweeps and alerts topics
 * (committed records only) into a {@link ReportBuilder}, tells a listener about each new alert, and knows when the
 * detector has caught up with everything the workers published.
 */
final class PipelineWatch implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(PipelineWatch.class);

    private final TopicFollower follower;
    private final TopicRoutes<Boolean> routes;
    private final ReportBuilder report;
    private final Consumer<Alert> onAlert;
    /** Guarded by this: what the detector said of each run and sweep, and whether each run published its end. */
    private final Map<String, RunSummary> summaries = new HashMap<>();

    private final Map<String, SweepPicture> sweeps = new HashMap<>();
    private final Map<String, Boolean> runsFinished = new HashMap<>();
    private volatile boolean atEnd;

    PipelineWatch(Properties kafkaClient, TopicSettings topics, ReportBuilder report, Consumer<Alert> onAlert) {
        this.routes = routes(Topics.of(topics));
        this.follower = new TopicFollower(kafkaClient, routes.names(), Duration.ofMillis(100));
        this.report = report;
        this.onAlert = onAlert;
    }

    @Override
    public void run() {
        try {
            follower.run(
                    r -> {
                        routes.route(r);
                        return true;
                    },
                    changed -> atEnd = follower.reachedEnd());
        } catch (RuntimeException e) {
            // broad: this is the view's own thread; whatever ends it is said, and the pipeline goes on
            log.error("the demo's view of the pipeline stopped: {}", e.getMessage(), e);
        }
    }

    /** Each topic's records into the view, decoded with the topic's own serde. */
    private TopicRoutes<Boolean> routes(Topics topics) {
        return new TopicRoutes<Boolean>()
                .on(topics.epochs(), (r, d) -> d.isValid() && event(d.value()))
                .on(topics.runs(), (r, s) -> run(s))
                .on(topics.sweeps(), (r, s) -> sweep(s))
                .on(topics.alerts(), (r, d) -> {
                    if (d.isValid() && report.accept(d.value())) {
                        onAlert.accept(d.value());
                    }
                    return true;
                });
    }

    private boolean event(EpochEvent e) {
        report.accept(e);
        synchronized (this) {
            runsFinished.merge(e.runId(), e.isFinal(), Boolean::logicalOr);
        }
        return true;
    }

    private boolean run(RunSummary s) {
        report.phase(s.runId(), s.phase());
        if (s.advice() != null) {
            report.advice(s.advice());
        }
        if (s.ledger() != null) {
            report.ledger(s.runId(), s.ledger());
        }
        synchronized (this) {
            summaries.put(s.runId(), s);
        }
        return true;
    }

    private synchronized boolean sweep(SweepPicture s) {
        sweeps.put(s.sweepId(), s);
        return true;
    }

    /**
     * Whether the detector has finished with everything published so far: every run that published its final
     * event has a finished summary, every sweep's latest picture counts them all as ended, and this view has
     * read to the end of every topic (so the alerts those decisions raised are in).
     */
    synchronized boolean detectorCaughtUp() {
        if (!atEnd || runsFinished.isEmpty()) {
            return false;
        }
        Map<String, Integer> finalRunsBySweep = new HashMap<>();
        for (Map.Entry<String, Boolean> run : runsFinished.entrySet()) {
            RunSummary s = summaries.get(run.getKey());
            if (!run.getValue() || s == null || !s.finished()) {
                return false;
            }
            finalRunsBySweep.merge(s.sweepId(), 1, Integer::sum);
        }
        // the sweep picture counts runs per size, not by name: it has heard every final run once its ended runs
        // are at least as many
        for (Map.Entry<String, Integer> sweep : finalRunsBySweep.entrySet()) {
            SweepPicture picture = sweeps.get(sweep.getKey());
            if (picture == null || picture.endedRuns() < sweep.getValue()) {
                return false;
            }
        }
        return true;
    }

    synchronized Map<String, RunSummary> summaries() {
        return Map.copyOf(summaries);
    }

    /** Ends {@link #run()} from any thread. */
    void stop() {
        follower.stop();
    }
}
