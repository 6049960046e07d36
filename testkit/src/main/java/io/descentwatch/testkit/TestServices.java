package io.descentwatch.testkit;

import io.descentwatch.broker.EmbeddedKafkaBroker;
import io.descentwatch.kafka.TopicSettings;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real servers shared by all integration tests of one JVM: one KRaft broker and one InfluxDB, started on first
 * use and stopped when the JVM exits. Tests that stop a server start their own instead.
 */
public final class TestServices {

    private static final AtomicInteger NAMESPACE = new AtomicInteger();
    private static EmbeddedKafkaBroker kafka;
    private static InfluxServer influx;

    private TestServices() {}

    public static synchronized EmbeddedKafkaBroker kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafkaBroker.start();
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
        }
        return kafka;
    }

    public static synchronized InfluxServer influx() {
        if (influx == null) {
            influx = InfluxServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(influx::close));
        }
        return influx;
    }

    /** Topic names no other test in this JVM uses. */
    public static TopicSettings freshTopics(String testName) {
        return TopicSettings.defaults().prefixed(testName + "-" + NAMESPACE.incrementAndGet() + ".");
    }
}
