package io.descentwatch.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.broker.EmbeddedKafkaBroker;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Point;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;

/** The harness gives tests real servers: a record goes through the broker, a point through InfluxDB. */
class RealServicesTest {

    @Test
    void producesToAndConsumesFromTheInProcessBroker() throws Exception {
        EmbeddedKafkaBroker broker = TestServices.kafka();
        TopicSettings topics = TestServices.freshTopics("harness");
        Properties client = new Properties();
        client.put("bootstrap.servers", broker.bootstrapServers());
        new TopicProvisioner(client).ensure(List.of(TopicProvisioner.topic(topics.epochs, topics)));

        Properties p = new Properties();
        p.putAll(client);
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topics.epochs, "run-" + (i % 7), "event " + i))
                        .get();
            }
        }
        assertThat(readAll(client, topics.epochs, 100))
                .hasSize(100)
                .extracting(ConsumerRecord::value)
                .contains("event 0", "event 99");
    }

    @Test
    void brokerKeepsItsDataAcrossARestart() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Properties client = new Properties();
            client.put("bootstrap.servers", broker.bootstrapServers());
            TopicSettings topics = TopicSettings.defaults();
            new TopicProvisioner(client).ensure(List.of(TopicProvisioner.topic(topics.epochs, topics)));
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(client, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(topics.epochs, "k", "before restart"))
                        .get();
            }
            broker.restart();
            assertThat(broker.isRunning()).isTrue();
            assertThat(readAll(client, topics.epochs, 1))
                    .extracting(ConsumerRecord::value)
                    .containsExactly("before restart");
        }
    }

    @Test
    void writesToAndQueriesTheRealInfluxDb() {
        InfluxServer server = TestServices.influx();
        try (InfluxDB influx = InfluxDBFactory.connect(server.url())) {
            influx.query(new Query("CREATE DATABASE harness"));
            influx.setDatabase("harness");
            for (int i = 0; i < 10; i++) {
                influx.write(Point.measurement("epoch")
                        .time(1_000 + i, TimeUnit.MILLISECONDS)
                        .tag("run", "r, \"odd\"=1")
                        .addField("test_loss", 1.0 / (i + 1))
                        .build());
            }
            QueryResult r = influx.query(new Query("SELECT count(test_loss) FROM epoch GROUP BY run", "harness"));
            QueryResult.Series s = r.getResults().get(0).getSeries().get(0);
            assertThat(s.getTags()).containsEntry("run", "r, \"odd\"=1");
            assertThat(((Number) s.getValues().get(0).get(1)).intValue()).isEqualTo(10);
        }
    }

    @Test
    void influxKeepsItsDataAcrossARestart() {
        try (InfluxServer server = InfluxServer.start();
                InfluxDB influx = InfluxDBFactory.connect(server.url())) {
            influx.query(new Query("CREATE DATABASE restart"));
            influx.write(
                    "restart",
                    "autogen",
                    Point.measurement("m")
                            .time(1, TimeUnit.SECONDS)
                            .addField("v", 1.0)
                            .build());
            server.restart();
            QueryResult r = influx.query(new Query("SELECT count(v) FROM m", "restart"));
            assertThat(((Number) r.getResults()
                                    .get(0)
                                    .getSeries()
                                    .get(0)
                                    .getValues()
                                    .get(0)
                                    .get(1))
                            .intValue())
                    .isEqualTo(1);
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(Properties client, String topic, int expected) {
        Properties c = new Properties();
        c.putAll(client);
        c.put("group.id", "harness-" + System.nanoTime());
        c.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
