package io.descentwatch.streams.detector;

import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The detector process: creates its topics, runs the topology, and stops cleanly. */
public final class DetectorApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DetectorApp.class);

    private final KafkaStreams streams;
    private final CountDownLatch running = new CountDownLatch(1);

    /** Creates every topic the detector reads or writes that is missing: the one list of them. */
    public static void ensureTopics(KafkaSettings kafka, TopicSettings topics) {
        new TopicProvisioner(kafka.clientProperties()).ensure(List.of(
                TopicProvisioner.topic(topics.epochs, topics),
                TopicProvisioner.deadLetterTopic(topics.deadLetters, topics),
                TopicProvisioner.topic(topics.alerts, topics),
                TopicProvisioner.compactedTopic(topics.runs, topics),
                TopicProvisioner.compactedTopic(topics.advice, topics),
                TopicProvisioner.compactedTopic(topics.sweeps, topics)));
    }

    public DetectorApp(KafkaSettings kafka, TopicSettings topics, DetectionSettings detection,
                       StreamsAppSettings settings) {
        ensureTopics(kafka, topics);
        streams = new KafkaStreams(DescentTopology.build(topics, detection, settings),
                settings.streamsProperties(kafka.clientProperties()));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("detector thread failed; replacing it (state is restored from the changelog)", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
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
     * Stops cleanly and leaves the group at once, so that the partitions move to the other instances now rather
     * than after the session timeout (45 s), which would hold back alerts for as long.
     */
    @Override
    public void close() {
        streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    }
}
