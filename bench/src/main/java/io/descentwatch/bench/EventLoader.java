package io.descentwatch.bench;

import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.KafkaSettings;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes synthetic runs to a topic ahead of a throughput benchmark, interleaved as concurrent workers would. */
final class EventLoader {

    private EventLoader() {}

    static long load(KafkaSettings kafka, String topic, RunEvents runs, int runCount, int concurrentRuns) {
        EpochEventCodec codec = new EpochEventCodec();
        Properties p = kafka.clientProperties();
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        long sent = 0;
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int first = 0; first < runCount; first += concurrentRuns) {
                int last = Math.min(runCount, first + concurrentRuns);
                for (int epoch = 1; epoch <= runs.epochsPerRun(); epoch++) {
                    for (int run = first; run < last; run++) {
                        Instant time = t0.plusMillis(sent);
                        producer.send(new ProducerRecord<>(
                                topic, runs.runId(run), codec.encode(runs.event(run, epoch, time))));
                        sent++;
                    }
                }
            }
            producer.flush();
        }
        return sent;
    }
}
