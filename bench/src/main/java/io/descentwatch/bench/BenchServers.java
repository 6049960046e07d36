package io.descentwatch.bench;

import io.descentwatch.broker.EmbeddedKafkaBroker;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.testkit.InfluxServer;

/**
 * The servers a benchmark runs against: the given Kafka and InfluxDB, or, when none is given, the same local
 * servers the tests use (an in-process KRaft broker, influxd on a free loopback port).
 */
final class BenchServers implements AutoCloseable {

    private final EmbeddedKafkaBroker broker;
    private final InfluxServer influxServer;
    final KafkaSettings kafka;
    final String influxUrl;

    BenchServers(String bootstrap, String influxUrl, boolean needsInflux) {
        this.broker = bootstrap == null ? EmbeddedKafkaBroker.start() : null;
        this.kafka = KafkaSettings.of(bootstrap == null ? broker.bootstrapServers() : bootstrap);
        this.influxServer = needsInflux && influxUrl == null ? InfluxServer.start() : null;
        this.influxUrl = influxServer != null ? influxServer.url() : influxUrl;
    }

    @Override
    public void close() {
        if (influxServer != null) {
            influxServer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }
}
