package io.descentwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.broker.EmbeddedKafkaCluster;
import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.sink.InfluxSink;
import io.descentwatch.sink.SinkSettings;
import io.descentwatch.testkit.InfluxServer;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A replicated cluster (three brokers, replication factor 3, {@code min.insync.replicas} 2) loses the broker that
 * leads the first epochs partition while events stream in, and gets it back: the producer (idempotent, acks=all),
 * a detector process and the sink carry on through it. Every event is on the topic once, the alerts are the
 * offline detector's with none repeated, and InfluxDB holds every epoch point.
 */
class ClusterBrokerLossTest {

    private static final Duration DOWN = Duration.ofSeconds(10);

    @Test
    void losingOneOfThreeBrokersMidStreamLosesAndRepeatsNothing() throws Exception {
        List<EpochEvent> input = new ArrayList<>(Fixtures.corpus(LabelledCurves.epochwise(), Fixtures.everyKthRun(20)));
        input.addAll(Fixtures.corpus(LabelledCurves.modelwise(), id -> id.startsWith("mw-p05/")));
        List<Alert> expected = Fixtures.offline(input);
        long epochPoints = input.stream()
                .map(e -> e.runId() + "\u0000" + e.time())
                .distinct()
                .count();
        int third = input.size() / 3;
        InfluxServer influx = TestServices.influx();
        String database = "cluster_" + System.nanoTime();

        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(3);
                ScratchDirectory state = ScratchDirectory.create("cluster-detector-")) {
            KafkaSettings kafka = KafkaSettings.of(cluster.bootstrapServers());
            TopicSettings topics = TestServices.freshTopics("cluster");
            topics.partitions = 4;
            topics.replicationFactor = 3;
            new TopicProvisioner(kafka.clientProperties())
                    .ensure(List.of(
                            TopicProvisioner.topic(topics.epochs, topics),
                            TopicProvisioner.topic(topics.alerts, topics),
                            TopicProvisioner.compactedTopic(topics.runs, topics),
                            TopicProvisioner.compactedTopic(topics.advice, topics)));
            SinkSettings sinkSettings = SinkSettings.defaults(influx.url());
            sinkSettings.database = database;
            sinkSettings.groupId = "cluster-sink-" + System.nanoTime();
            sinkSettings.maxBackoffMs = 2000;
            InfluxSink sink = new InfluxSink(kafka.clientProperties(), topics, sinkSettings);
            Thread sinkThread = new Thread(sink, "cluster-sink");

            try (CliProcess detector = CliProcess.start("detector", args(kafka, topics, state), Map.of());
                    KafkaProducer<String, byte[]> producer = producer(kafka)) {
                detector.awaitOutput("detector running", Duration.ofMinutes(2));
                sinkThread.start();
                send(producer, topics.epochs, input.subList(0, third));
                assertThat(Fixtures.await(
                                Duration.ofMinutes(1),
                                () -> !Fixtures.readAll(kafka, topics.alerts, 1, Duration.ofSeconds(1))
                                        .isEmpty()))
                        .as("alerts before the loss")
                        .isTrue();

                int lost = leaderOfFirstPartition(kafka, topics.epochs);
                cluster.stopNode(lost);
                long stoppedAt = System.nanoTime();
                send(producer, topics.epochs, input.subList(third, 2 * third));
                long sentDuringLoss = 2L * third - third;
                Thread.sleep(Math.max(0, DOWN.toMillis() - (System.nanoTime() - stoppedAt) / 1_000_000));
                cluster.restartNode(lost);
                send(producer, topics.epochs, input.subList(2 * third, input.size()));

                List<Alert> seen =
                        Fixtures.alerts(Fixtures.readAll(kafka, topics.alerts, expected.size(), Duration.ofMinutes(3)));
                long onTopic = Fixtures.readAll(kafka, topics.epochs, input.size(), Duration.ofMinutes(1))
                        .size();
                assertThat(Fixtures.await(Duration.ofMinutes(2), () -> count(influx, database) == epochPoints))
                        .as("epoch points in InfluxDB: " + count(influx, database) + " of " + epochPoints)
                        .isTrue();
                sink.close();
                sinkThread.join(20_000);

                assertThat(onTopic).as("every event on the topic once").isEqualTo(input.size());
                Fixtures.assertSameAlerts(kafka, topics, seen, expected);
                assertThat(seen).as("no alert repeated").hasSameSizeAs(expected);
                assertThat(detector.isAlive()).as("the detector carried on").isTrue();
                Map<String, Object> log = new LinkedHashMap<>();
                log.put("brokers", 3);
                log.put("broker_stopped", "node " + (lost + 1) + ", leader of " + topics.epochs + "-0");
                log.put("down_seconds", DOWN.toSeconds());
                log.put("events_sent", input.size());
                log.put("events_sent_while_down", sentDuringLoss);
                log.put("events_on_topic", onTopic);
                log.put("alerts_expected", expected.size());
                log.put("alerts_seen", seen.size());
                log.put("epoch_points_expected", epochPoints);
                log.put("epoch_points_in_influxdb", count(influx, database));
                ReliabilityLog.record("cluster-broker-lost", log);
            }
        }
    }

    /** The node (0-based) that leads partition 0 of the topic: losing it moves leadership mid-stream. */
    private static int leaderOfFirstPartition(KafkaSettings kafka, String topic) throws Exception {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            return admin.describeTopics(List.of(topic))
                            .allTopicNames()
                            .get()
                            .get(topic)
                            .partitions()
                            .get(0)
                            .leader()
                            .id()
                    - 1;
        }
    }

    /** As a trainer publishes: idempotent, acks=all, so a retry after a lost leader writes nothing twice. */
    private static KafkaProducer<String, byte[]> producer(KafkaSettings kafka) {
        Properties p = new Properties();
        p.putAll(kafka.clientProperties());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** Sends the events and waits until the cluster acknowledged each (a failure fails the test). */
    private static void send(KafkaProducer<String, byte[]> producer, String topic, List<EpochEvent> events)
            throws Exception {
        EpochEventCodec codec = new EpochEventCodec();
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (EpochEvent e : events) {
            acks.add(producer.send(new ProducerRecord<>(topic, e.runId(), codec.encode(e))));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get();
        }
    }

    private static long count(InfluxServer influx, String database) {
        try {
            return Fixtures.influxCount(influx.url(), database, "SELECT count(\"epoch\") FROM \"epoch\"");
        } catch (RuntimeException e) {
            return -1; // the database not created yet
        }
    }

    private static List<String> args(KafkaSettings kafka, TopicSettings topics, ScratchDirectory state) {
        return Fixtures.detectorArgs(
                kafka,
                topics,
                "cluster-detector-" + System.nanoTime(),
                state,
                "--partitions",
                String.valueOf(topics.partitions),
                "--replication-factor",
                "3");
    }
}
