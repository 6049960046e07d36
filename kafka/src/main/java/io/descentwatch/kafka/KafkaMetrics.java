package io.descentwatch.kafka;

import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/** Reading a Kafka client's own metrics (consumer, producer, Kafka Streams), which come as one map per client. */
public final class KafkaMetrics {

    private KafkaMetrics() {}

    /**
     * The sum of the current values of the metrics named {@code name} that {@code which} accepts (by group or tags),
     * leaving out those that are not finite numbers (a rate before its first sample is NaN).
     */
    public static double sum(Map<MetricName, ? extends Metric> metrics, String name, Predicate<MetricName> which) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            if (e.getKey().name().equals(name)
                    && which.test(e.getKey())
                    && e.getValue().metricValue() instanceof Number v
                    && Double.isFinite(v.doubleValue())) {
                total += v.doubleValue();
            }
        }
        return total;
    }
}
