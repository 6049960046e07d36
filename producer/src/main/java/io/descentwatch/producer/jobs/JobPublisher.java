package io.descentwatch.producer.jobs;

import io.descentwatch.producer.output.KafkaOutput;
import io.descentwatch.producer.training.RunSpec;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a sweep as one job per run to the jobs topic (idempotent, acks=all, key = run id so the jobs spread
 * over the partitions and so over the workers), and waits until Kafka has every one.
 */
public final class JobPublisher {

    private final Properties clientProperties;
    private final String topic;
    private final JobCodec codec = new JobCodec();

    public JobPublisher(Properties clientProperties, String topic) {
        this.clientProperties = clientProperties;
        this.topic = topic;
    }

    public void publish(List<RunSpec> runs, Duration timeout) {
        Properties p = new Properties();
        p.putAll(clientProperties);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(timeout.toMillis()));
        KafkaOutput.fitTimeouts(p, timeout);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> sent = runs.stream()
                    .<Future<?>>map(r -> producer.send(new ProducerRecord<>(topic, r.runId(), codec.encode(r))))
                    .toList();
            producer.flush();
            for (Future<?> f : sent) {
                f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "publishing jobs to Kafka topic '" + topic + "' failed: "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the jobs within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing jobs", e);
        }
    }
}
