package io.descentwatch.producer.training;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.testkit.TestServices;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

/** Reads a topic of epoch events from the shared test broker, for tests. */
public final class KafkaRecords {

    private KafkaRecords() {
    }

    /** Every record until {@code done} holds for what was read (or 60 s pass), plus a short extra poll. */
    public static List<ConsumerRecord<String, EpochEvent>> readUntil(
            String topic, Predicate<List<ConsumerRecord<String, EpochEvent>>> done) {
        Properties c = new Properties();
        c.put("bootstrap.servers", TestServices.kafka().bootstrapServers());
        c.put("group.id", "reader-" + System.nanoTime());
        c.put("auto.offset.reset", "earliest");
        EpochEventCodec codec = new EpochEventCodec();
        List<ConsumerRecord<String, EpochEvent>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!done.test(out) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(decoded(r, codec)));
            }
            // a short extra poll catches duplicates, which must not exist
            consumer.poll(Duration.ofMillis(500)).forEach(r -> out.add(decoded(r, codec)));
        }
        return out;
    }

    private static ConsumerRecord<String, EpochEvent> decoded(ConsumerRecord<String, byte[]> r, EpochEventCodec codec) {
        EpochEvent e = codec.decode(r.value()).value();
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), e);
    }
}
