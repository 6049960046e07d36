package io.descentwatch.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.Metrics;
import org.junit.jupiter.api.Test;

/** Summing a client's metrics by name, over those a test on their group or tags accepts. */
class KafkaMetricsTest {

    @Test
    void sumsTheFiniteValuesOfTheNamedMetricsItIsAskedFor() {
        try (Metrics metrics = new Metrics()) {
            add(metrics, "request-total", "producer-metrics", Map.of("client-id", "a"), 3);
            add(metrics, "request-total", "producer-metrics", Map.of("client-id", "b"), 4);
            add(metrics, "request-total", "producer-metrics", Map.of("client-id", "c"), Double.NaN);
            add(metrics, "request-total", "consumer-metrics", Map.of("client-id", "a"), 100);
            add(metrics, "records-lag", "consumer-fetch-manager-metrics", Map.of("partition", "0"), 5);
            add(metrics, "records-lag", "consumer-fetch-manager-metrics", Map.of(), 50);

            assertThat(KafkaMetrics.sum(
                            metrics.metrics(), "request-total", n -> n.group().equals("producer-metrics")))
                    .isEqualTo(7);
            assertThat(KafkaMetrics.sum(metrics.metrics(), "request-total", n -> true))
                    .isEqualTo(107);
            assertThat(KafkaMetrics.sum(
                            metrics.metrics(), "records-lag", n -> n.tags().containsKey("partition")))
                    .isEqualTo(5);
            assertThat(KafkaMetrics.sum(metrics.metrics(), "no-such-metric", n -> true))
                    .isZero();
        }
    }

    private static void add(Metrics metrics, String name, String group, Map<String, String> tags, double value) {
        metrics.addMetric(metrics.metricName(name, group, tags), (Measurable) (config, now) -> value);
    }
}
