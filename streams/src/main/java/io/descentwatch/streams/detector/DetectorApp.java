package io.descentwatch.streams.detector;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.ops.Health;
import io.descentwatch.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The detector process: creates its topics, runs the topology, and stops cleanly. */
public final class DetectorApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DetectorApp.class);

    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);
    private final CompletableFuture<String> failed = new CompletableFuture<>();
    private final RepeatedFailureGuard guard;
    /** Held so that the meters go on counting: Micrometer holds what they read weakly. */
    private DetectorMeters meters;

    /** Creates every topic the detector reads or writes that is missing (the registry's one list of them). */
    public static void ensureTopics(KafkaSettings kafka, TopicSettings topics) {
        new TopicProvisioner(kafka.clientProperties()).ensure(Topics.creations(topics));
    }

    public DetectorApp(
            KafkaSettings kafka, TopicSettings topics, DetectionSettings detection, StreamsAppSettings settings) {
        ensureTopics(kafka, topics);
        streams = new KafkaStreams(
                DescentTopology.build(topics, detection, settings),
                settings.streamsProperties(kafka.clientProperties()));
        guard = settings.failureGuard();
        streams.setUncaughtExceptionHandler(guard);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
            if (now == KafkaStreams.State.ERROR) {
                failed.complete(
                        guard.verdict() != null
                                ? guard.verdict()
                                : "the detector stopped with an error (see the lines above)");
            }
            if (now != before) {
                log.debug("detector {} -> {}", before, now);
            }
        });
    }

    public DetectorApp start() {
        streams.start();
        return this;
    }

    /** Waits until the app has joined its group and restored its state. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Completed, with why, when the detector stopped by itself: its threads failed again and again
     * ({@link RepeatedFailureGuard}). The process should then exit non-zero.
     */
    public CompletableFuture<String> failure() {
        return failed;
    }

    /** Processing threads that failed so far (each replaced, until they failed too often). */
    public long threadFailures() {
        return guard.failures();
    }

    /** Alive unless stopped by an error; ready while it processes (not while it rebalances or restores). */
    public Health health() {
        KafkaStreams.State s = streams.state();
        return switch (s) {
            case RUNNING -> Health.ready("detector " + s);
            case CREATED, REBALANCING -> Health.starting("detector " + s);
            case PENDING_SHUTDOWN, NOT_RUNNING, PENDING_ERROR, ERROR ->
                Health.dead(failed.isDone() ? failed.getNow("") : "detector " + s);
        };
    }

    /**
     * The detector's meters: every Kafka Streams and client metric (Micrometer's binder: lag, rebalances, process
     * rates, RocksDB), and the few an operator asks for first under stable names ({@link DetectorMeters}).
     */
    public void bindMetrics(MeterRegistry registry, TopicSettings topics) {
        new KafkaStreamsMetrics(streams).bindTo(registry);
        meters = DetectorMeters.bind(registry, streams::metrics, topics, guard::failures);
    }

    /**
     * Stops cleanly and leaves the group at once, so that the partitions move to the other instances now rather
     * than after the session timeout (45 s), which would hold back alerts for as long.
     */
    @Override
    public void close() {
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
