package io.descentwatch.testkit;

import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Loads test input into a topic. Not idempotent: under heavy load the one-node broker has been seen handing a new
 * producer the id of a closed one, which then stalls on sequence errors (and an idempotent fixture could fence
 * what is under test); one in-flight request keeps the order that idempotence would otherwise keep. Large records
 * are allowed, for the tests of oversized input. What is under test is downstream.
 */
public final class FixtureProducer {

    private static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

    private FixtureProducer() {}

    /** The producer settings on top of the client's (bootstrap, security). */
    public static Properties settings(Properties client) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(MAX_REQUEST_BYTES));
        return p;
    }

    public static KafkaProducer<String, byte[]> open(Properties client) {
        return new KafkaProducer<>(settings(client), new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends every item, keyed and encoded as given, and waits until all are acknowledged. */
    public static <T> void send(
            Properties client, String topic, List<T> items, Function<T, String> key, Function<T, byte[]> value) {
        try (KafkaProducer<String, byte[]> p = open(client)) {
            for (T item : items) {
                p.send(new ProducerRecord<>(topic, key.apply(item), value.apply(item)));
            }
        }
    }
}
