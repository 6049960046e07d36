package io.descentwatch.streams.detector;

import io.descentwatch.events.Decoded;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.Rejection;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks a rejected record for the dead-letter topic: the value stays the original bytes, and headers say why it
 * was rejected and where it came from, so it can be fixed and replayed.
 */
final class DeadLetterHeaders implements FixedKeyProcessor<String, InspectedRecord, byte[]> {

    static final String KIND = "dw.rejection.kind";
    static final String REASON = "dw.rejection.reason";
    static final String SOURCE_TOPIC = "dw.source.topic";
    static final String SOURCE_PARTITION = "dw.source.partition";
    static final String SOURCE_OFFSET = "dw.source.offset";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHeaders.class);
    /** Rejections are logged sparingly: a flood of garbage must not flood the log too. */
    private static final long LOG_EVERY = 1000;

    private static final AtomicLong rejected = new AtomicLong();

    private FixedKeyProcessorContext<String, byte[]> context;

    @Override
    public void init(FixedKeyProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, InspectedRecord> record) {
        Rejection rejection = ((Decoded.Invalid<EpochEvent>) record.value().decoded()).rejection();
        Headers headers = record.headers();
        headers.remove(KIND).add(KIND, bytes(rejection.kind().name()));
        headers.remove(REASON).add(REASON, bytes(rejection.reason()));
        context.recordMetadata().ifPresent((RecordMetadata m) -> {
            headers.remove(SOURCE_TOPIC).add(SOURCE_TOPIC, bytes(m.topic()));
            headers.remove(SOURCE_PARTITION).add(SOURCE_PARTITION, bytes(String.valueOf(m.partition())));
            headers.remove(SOURCE_OFFSET).add(SOURCE_OFFSET, bytes(String.valueOf(m.offset())));
        });
        long n = rejected.incrementAndGet();
        if (n == 1 || n % LOG_EVERY == 0) {
            log.warn("rejected input record #{} to the dead-letter topic: {}", n, rejection);
        }
        context.forward(record.withValue(record.value().raw()));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
