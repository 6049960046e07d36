package io.descentwatch.streams.detector;

import io.descentwatch.kafka.KafkaMetrics;
import io.descentwatch.kafka.TopicSettings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The detector's meters an operator asks for first, under names of their own, each the sum of Kafka Streams'
 * metrics across this instance's tasks and clients (which Micrometer's binder also exposes one by one, under
 * Kafka's names): events read, alerts and dead letters written (their rates are events and alerts per second),
 * the records not yet read (consumer lag), rebalances, and the runs and sweeps held in state.
 */
final class DetectorMeters {

    private static final String TOPIC_GROUP = "stream-topic-metrics";
    private static final String STATE_GROUP = "stream-state-metrics";

    /**
     * What the meters read. Micrometer holds a function meter's object weakly, and these exist only for the
     * meters: whoever binds them keeps this instance as long as they should count (collected, a meter would
     * report its last value for ever).
     */
    private final Sum sum;

    private final LongSupplier threadFailures;

    private DetectorMeters(Sum sum, LongSupplier threadFailures) {
        this.sum = sum;
        this.threadFailures = threadFailures;
    }

    /** Registers the meters; keep the result for as long as they should count. */
    static DetectorMeters bind(
            MeterRegistry registry,
            Supplier<Map<MetricName, ? extends Metric>> metrics,
            TopicSettings topics,
            LongSupplier threadFailures) {
        Sum sum = new Sum(metrics);
        FunctionCounter.builder(
                        "descentwatch.detector.events",
                        sum,
                        s -> s.of(
                                TOPIC_GROUP,
                                "records-consumed-total",
                                n -> topics.epochs.equals(n.tags().get("topic"))))
                .description("Epoch events read from the epochs topic")
                .register(registry);
        FunctionCounter.builder(
                        "descentwatch.detector.alerts",
                        sum,
                        s -> s.of(
                                TOPIC_GROUP,
                                "records-produced-total",
                                n -> topics.alerts.equals(n.tags().get("topic"))))
                .description("Alerts written (committed or not: an aborted transaction's are written again)")
                .register(registry);
        FunctionCounter.builder(
                        "descentwatch.detector.dead.letters",
                        sum,
                        s -> s.of(
                                TOPIC_GROUP,
                                "records-produced-total",
                                n -> topics.deadLetters.equals(n.tags().get("topic"))))
                .description("Records rejected to the dead-letter topic")
                .register(registry);
        Gauge.builder(
                        "descentwatch.detector.consumer.lag",
                        sum,
                        s -> s.of(
                                "consumer-fetch-manager-metrics",
                                "records-lag",
                                n -> n.tags().containsKey("partition")))
                .description("Records in this instance's input partitions not yet read")
                .baseUnit("records")
                .strongReference(true)
                .register(registry);
        FunctionCounter.builder(
                        "descentwatch.detector.rebalances",
                        sum,
                        s -> s.of("consumer-coordinator-metrics", "rebalance-total", n -> true))
                .description("Rebalances of the group this instance took part in")
                .register(registry);
        for (String store : new String[] {DescentTopology.RUN_STORE, DescentTopology.SWEEP_STORE}) {
            Gauge.builder(
                            "descentwatch.detector.state.keys",
                            sum,
                            s -> s.of(
                                    STATE_GROUP,
                                    "estimate-num-keys",
                                    n -> store.equals(n.tags().get("rocksdb-state-id"))))
                    .tag("store", store)
                    .description("Runs (run-state) and sweeps (sweep-sizes) held in this instance's state, as "
                            + "RocksDB estimates it")
                    .strongReference(true)
                    .register(registry);
        }
        FunctionCounter.builder("descentwatch.detector.thread.failures", threadFailures, LongSupplier::getAsLong)
                .description("Processing threads that failed (replaced until --max-thread-failures)")
                .register(registry);
        return new DetectorMeters(sum, threadFailures);
    }

    /** Sums the current value of the Kafka metrics of one group and name that a test on their tags accepts. */
    private record Sum(Supplier<Map<MetricName, ? extends Metric>> metrics) {
        double of(String group, String name, Predicate<MetricName> which) {
            return KafkaMetrics.sum(metrics.get(), name, n -> n.group().equals(group) && which.test(n));
        }
    }
}
