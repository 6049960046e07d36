package io.descentwatch.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.InfluxServer;
import io.descentwatch.testkit.TestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;

/** Run and sweep ids that mean something in InfluxDB's line protocol arrive in InfluxDB exactly as sent. */
class InfluxSinkTagsTest {

    private static final List<String> ODD_IDS = List.of(
            "plain-run",
            "with space",
            "comma,separated",
            "equals=sign",
            "quote\"double",
            "quote'single",
            "back\\slash",
            "ünïcödé/模型/🚀",
            "measurement,tag=value field=1 123",
            "trailing space ");

    @Test
    void oddIdsRoundTripUnchanged() throws Exception {
        TopicSettings topics = TestServices.freshTopics("sink-tags");
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        new TopicProvisioner(kafka.clientProperties())
                .ensure(List.of(
                        TopicProvisioner.topic(topics.epochs, topics),
                        TopicProvisioner.topic(topics.alerts, topics),
                        TopicProvisioner.compactedTopic(topics.runs, topics)));
        List<EpochEvent> events = new ArrayList<>();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < ODD_IDS.size(); i++) {
            events.add(EpochEvent.builder()
                    .runId(ODD_IDS.get(i))
                    .sweepId("sweep " + ODD_IDS.get(i))
                    .epoch(1)
                    .trainLoss(0.5)
                    .testLoss(0.7)
                    .paramCount(10)
                    .trainSize(10)
                    .time(t0.plusSeconds(i))
                    .build());
        }
        InfluxSinkFaultTest.produce(kafka, topics.epochs, events);

        InfluxServer influx = TestServices.influx();
        SinkSettings settings = SinkSettings.defaults(influx.url());
        settings.database = "tags_" + System.nanoTime();
        settings.groupId = settings.database;
        InfluxSink sink = new InfluxSink(kafka.clientProperties(), topics, settings);
        Thread t = new Thread(sink, "tags-sink");
        t.start();
        InfluxSinkFaultTest.awaitCount(influx, settings.database, events.size(), Duration.ofSeconds(60));
        sink.close();
        t.join(20_000);

        try (InfluxDB client = InfluxDBFactory.connect(influx.url())) {
            assertThat(tagValues(client, settings.database, "run")).isEqualTo(new HashSet<>(ODD_IDS));
            Set<String> sweeps = new HashSet<>();
            ODD_IDS.forEach(id -> sweeps.add("sweep " + id));
            assertThat(tagValues(client, settings.database, "sweep")).isEqualTo(sweeps);
        }
    }

    private static Set<String> tagValues(InfluxDB client, String database, String key) {
        QueryResult r = client.query(new Query("SHOW TAG VALUES FROM \"epoch\" WITH KEY = \"" + key + "\"", database));
        Set<String> values = new HashSet<>();
        r.getResults().get(0).getSeries().get(0).getValues().forEach(row -> values.add((String) row.get(1)));
        return values;
    }
}
