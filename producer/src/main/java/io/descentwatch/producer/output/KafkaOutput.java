package io.descentwatch.producer.output;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.producer.EpochPublisher;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Epoch events to Kafka through {@link EpochPublisher}: idempotent, acks=all, key = run id, buffered by the
 * producer (bounded: a full buffer blocks training), retried until the delivery timeout, then a clear error.
 */
public final class KafkaOutput implements EventOutput {

    private final EpochPublisher publisher;
    private final String topic;

    public KafkaOutput(EpochPublisher publisher, String topic) {
        this.publisher = publisher;
        this.topic = topic;
    }

    /** A sink with its own publisher; see {@link #fitTimeouts}. */
    public static KafkaOutput create(Properties clientProperties, String topic, Duration deliveryTimeout) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        fitTimeouts(p, deliveryTimeout);
        return new KafkaOutput(new EpochPublisher(p, topic, deliveryTimeout), topic);
    }

    /**
     * Kafka refuses a delivery timeout shorter than linger + request timeout (30 s by default): a short delivery
     * timeout brings the request timeout down with it, so that "give up after 10 s" is a setting, not an error.
     */
    public static void fitTimeouts(Properties p, Duration deliveryTimeout) {
        long request = Long.parseLong(p.getProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000"));
        long linger = Long.parseLong(p.getProperty(ProducerConfig.LINGER_MS_CONFIG, "5"));
        if (deliveryTimeout.toMillis() < request + linger) {
            p.put(
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                    String.valueOf(Math.max(100, deliveryTimeout.toMillis() / 2)));
            p.put(ProducerConfig.LINGER_MS_CONFIG, String.valueOf(Math.min(linger, deliveryTimeout.toMillis() / 4)));
        }
    }

    @Override
    public void publish(EpochEvent event) {
        publisher.publish(event);
    }

    @Override
    public void flush() {
        publisher.flush();
    }

    @Override
    public String describe() {
        return "Kafka topic " + topic;
    }

    @Override
    public void close() {
        publisher.close();
    }
}
