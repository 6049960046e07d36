package io.descentwatch.sink;

import io.descentwatch.kafka.KafkaMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The sink's meters: how long InfluxDB takes to acknowledge a batch (write latency), points written, records
 * that made no point (dead letters and tombstones; unreadable ones, an error, counted apart), failed writes and
 * partly refused batches, the records not yet read (consumer lag) and rebalances; and, through Micrometer's Kafka
 * binder, every metric of the sink's consumer under Kafka's own names.
 */
final class SinkMeters {

    private final Timer writes;
    private final Counter writeFailures;
    /**
     * What the function meters read. Micrometer holds a function meter's object weakly, and these suppliers exist
     * only for the meters: the sink keeps this instance, and so them (collected, a meter would report its last
     * value for ever).
     */
    private final List<LongSupplier> counted;

    private SinkMeters(Timer writes, Counter writeFailures, List<LongSupplier> counted) {
        this.writes = writes;
        this.writeFailures = writeFailures;
        this.counted = counted;
    }

    @SuppressWarnings("resource") // the binder lives as long as the consumer, which closes its metrics itself
    static SinkMeters bind(
            MeterRegistry registry,
            Consumer<?, ?> consumer,
            LongSupplier pointsWritten,
            LongSupplier recordsSkipped,
            LongSupplier recordsUnreadable,
            LongSupplier batchesRefused) {
        new KafkaClientMetrics(consumer).bindTo(registry);
        FunctionCounter.builder("descentwatch.sink.points.written", pointsWritten, LongSupplier::getAsLong)
                .description("Points InfluxDB acknowledged")
                .register(registry);
        FunctionCounter.builder("descentwatch.sink.records.skipped", recordsSkipped, LongSupplier::getAsLong)
                .description("Records that made no point: dead letters, tombstones and unreadable records")
                .register(registry);
        FunctionCounter.builder("descentwatch.sink.records.unreadable", recordsUnreadable, LongSupplier::getAsLong)
                .description("Records of the sink's topics it could not read (an error: their points are missing)")
                .register(registry);
        FunctionCounter.builder("descentwatch.sink.batches.partly.refused", batchesRefused, LongSupplier::getAsLong)
                .description("Batches of which InfluxDB refused some points for good")
                .register(registry);
        Gauge.builder("descentwatch.sink.consumer.lag", consumer, SinkMeters::lag)
                .description("Records in this instance's partitions not yet read")
                .baseUnit("records")
                .strongReference(true)
                .register(registry);
        FunctionCounter.builder(
                        "descentwatch.sink.rebalances",
                        consumer,
                        c -> sum(c, "consumer-coordinator-metrics", "rebalance-total"))
                .description("Rebalances of the sink's group this instance took part in")
                .register(registry);
        Timer writes = Timer.builder("descentwatch.sink.write")
                .description("InfluxDB write latency, one batch (failed attempts included)")
                .publishPercentileHistogram()
                .register(registry);
        Counter failures = Counter.builder("descentwatch.sink.write.failures")
                .description("InfluxDB writes that failed and were retried")
                .register(registry);
        return new SinkMeters(
                writes, failures, List.of(pointsWritten, recordsSkipped, recordsUnreadable, batchesRefused));
    }

    void timedWrite(Runnable write) {
        writes.record(write);
    }

    void writeFailed() {
        writeFailures.increment();
    }

    private static double lag(Consumer<?, ?> consumer) {
        return KafkaMetrics.sum(consumer.metrics(), "records-lag", n -> n.tags().containsKey("partition"));
    }

    private static double sum(Consumer<?, ?> consumer, String group, String name) {
        return KafkaMetrics.sum(consumer.metrics(), name, n -> n.group().equals(group));
    }
}
