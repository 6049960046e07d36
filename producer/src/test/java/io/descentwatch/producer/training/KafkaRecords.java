package io.descentwatch.producer.training;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.testkit.TestServices;
import io.descentwatch.testkit.TopicReader;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads a topic of epoch events from the shared test broker, for tests. */
public final class KafkaRecords {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private KafkaRecords() {}

    public static List<ConsumerRecord<String, EpochEvent>> readUntil(
            String topic, Predicate<List<ConsumerRecord<String, EpochEvent>>> done) {
        EpochEventCodec codec = new EpochEventCodec();
        Properties client =
                KafkaSettings.of(TestServices.kafka().bootstrapServers()).clientProperties();
        return TopicReader.readUntil(client, topic, raw -> done.test(decoded(raw, codec)), READ_TIMEOUT).stream()
                .map(r -> decoded(r, codec))
                .toList();
    }

    private static List<ConsumerRecord<String, EpochEvent>> decoded(
            List<ConsumerRecord<String, byte[]>> raw, EpochEventCodec codec) {
        return raw.stream().map(r -> decoded(r, codec)).toList();
    }

    private static ConsumerRecord<String, EpochEvent> decoded(ConsumerRecord<String, byte[]> r, EpochEventCodec codec) {
        EpochEvent e = codec.decode(r.value()).value();
        return new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), e);
    }
}
