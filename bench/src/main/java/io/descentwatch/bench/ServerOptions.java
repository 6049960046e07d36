package io.descentwatch.bench;

import picocli.CommandLine.Option;

/**
 * Where a benchmark measures: a Kafka and an InfluxDB given by address, or (the default) the local servers the tests
 * use, started for the run. A picocli mixin of the benchmarks that need servers.
 */
final class ServerOptions {
    @Option(names = "--bootstrap", description = "Kafka to measure on (default: an in-process broker).")
    String bootstrap;

    @Option(names = "--influx-url", description = "InfluxDB to measure on (default: influxd on PATH).")
    String influxUrl;

    /** Kafka as given, or an in-process broker. */
    BenchServers start() {
        return new BenchServers(bootstrap, null, false);
    }

    /** Kafka and InfluxDB as given, or local ones started for the run. */
    BenchServers startWithInflux() {
        return new BenchServers(bootstrap, influxUrl, true);
    }
}
