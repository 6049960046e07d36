package io.descentwatch.producer;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes epoch events to Kafka, keyed by run id so every event of a run lands on one partition in order.
 *
 * <p>The producer is idempotent with acks=all: retries after a broker hiccup never duplicate or reorder events.
 * Sends are asynchronous and bounded by the producer's buffer; when Kafka stays away longer than the delivery
 * timeout, the failure is kept and raised by the next {@link #publish} or {@link #flush}, so training code sees
 * a clear error instead of losing events silently.
 */
public final class EpochPublisher implements AutoCloseable {

    /** How long events may wait for Kafka before publishing fails: a broker restart takes well under this. */
    public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofMinutes(5);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final EpochEventCodec codec = new EpochEventCodec();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong acknowledged = new AtomicLong();

    public EpochPublisher(Properties clientProperties, String topic) {
        this(clientProperties, topic, DEFAULT_DELIVERY_TIMEOUT);
    }

    public EpochPublisher(Properties clientProperties, String topic, Duration deliveryTimeout) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(deliveryTimeout.toMillis()));
        // send() blocks (back-pressure on the trainer) rather than failing while the buffer is full
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(deliveryTimeout.toMillis()));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    public void publish(EpochEvent event) {
        publishRaw(event.runId(), codec.encode(event));
    }

    /** Publishes already-encoded bytes as they are, e.g. a replayed line that may carry extra fields. */
    public void publishRaw(String runId, byte[] json) {
        throwIfFailed();
        producer.send(new ProducerRecord<>(topic, runId, json), (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            } else {
                acknowledged.incrementAndGet();
            }
        });
    }

    /** Waits until every event sent so far is acknowledged by Kafka, or raises the first failure. */
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    private void throwIfFailed() {
        Exception e = failure.get();
        if (e != null) {
            throw new PublishException("publishing to Kafka topic '" + topic + "' failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            producer.close(Duration.ofSeconds(10));
        }
    }

    /** Kafka did not take the events within the delivery timeout. */
    public static final class PublishException extends RuntimeException {
        public PublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
