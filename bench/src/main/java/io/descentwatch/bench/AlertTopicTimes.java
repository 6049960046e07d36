package io.descentwatch.bench;

import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.Decoded;
import io.descentwatch.kafka.TopicFollower;
import io.descentwatch.kafka.TopicSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The alerts topic too, as any Kafka client reads it: where the time to the API goes. Notes when each sweep alert
 * first lands on the topic (System.nanoTime), until stopped.
 */
final class AlertTopicTimes implements Runnable {

    private final TopicFollower follower;
    private final AlertCodec codec = new AlertCodec();
    /** By sweep id and alert type: when the alert was first read from the topic. */
    final Map<String, Map<AlertType, Long>> onTopic = new ConcurrentHashMap<>();

    AlertTopicTimes(Properties kafkaClient) {
        this.follower = new TopicFollower(kafkaClient, List.of(TopicSettings.defaults().alerts), Duration.ofMillis(50));
    }

    @Override
    public void run() {
        follower.run(
                r -> {
                    Decoded<Alert> d = codec.decode(r.value());
                    if (d.isValid() && d.value().scope() == AlertScope.SWEEP) {
                        onTopic.computeIfAbsent(d.value().sweepId(), id -> new ConcurrentHashMap<>())
                                .putIfAbsent(d.value().type(), System.nanoTime());
                    }
                    return false;
                },
                changed -> {});
    }

    /** Ends {@link #run()} from any thread. */
    void stop() {
        follower.stop();
    }
}
