package io.descentwatch.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.Advice;
import io.descentwatch.events.AdviceCodec;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.FixtureProducer;
import io.descentwatch.testkit.InfluxServer;
import io.descentwatch.testkit.TestServices;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;
import org.junit.jupiter.api.Test;

/**
 * The advice topic becomes the {@code advice} measurement: one point per advice at the advice's time, tagged by sweep
 * and run, with verdict, basis, reason and the checkpoint to keep as fields; a re-sent advice is the same point.
 */
class InfluxSinkAdviceTest {

    @Test
    void everyAdviceIsOnePointAtItsTimeAndResendingItWritesNothingNew() throws Exception {
        TopicSettings topics = TestServices.freshTopics("sink-advice");
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        new TopicProvisioner(kafka.clientProperties())
                .ensure(List.of(
                        TopicProvisioner.topic(topics.epochs, topics),
                        TopicProvisioner.topic(topics.alerts, topics),
                        TopicProvisioner.compactedTopic(topics.runs, topics),
                        TopicProvisioner.compactedTopic(topics.advice, topics)));
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        Advice warming = new Advice(
                "run-a",
                "sweep-1",
                2,
                Advice.Verdict.CONTINUE,
                Advice.Basis.WARMING_UP,
                null,
                "too few evaluations to judge",
                -1,
                Double.NaN,
                t0);
        Advice possible = new Advice(
                "run-a",
                "sweep-1",
                40,
                Advice.Verdict.CONTINUE,
                Advice.Basis.SECOND_DESCENT_POSSIBLE,
                0.6,
                "a second descent is still possible: train loss fell 12%",
                17,
                0.42,
                t0.plusSeconds(40));
        Advice stop = new Advice(
                "run-b",
                "sweep-1",
                90,
                Advice.Verdict.STOP,
                Advice.Basis.NO_SECOND_DESCENT,
                0.04,
                "no second descent comes: the train loss has stopped falling",
                31,
                0.37,
                t0.plusSeconds(90));
        List<Advice> sent = new ArrayList<>(List.of(warming, possible, stop, possible));
        AdviceCodec codec = new AdviceCodec();
        FixtureProducer.send(kafka.clientProperties(), topics.advice, sent, Advice::runId, codec::encode);

        InfluxServer influx = TestServices.influx();
        SinkSettings settings = SinkSettings.defaults(influx.url());
        settings.database = "advice_" + System.nanoTime();
        settings.groupId = settings.database;
        InfluxSink sink = new InfluxSink(kafka.clientProperties(), topics, settings);
        Thread t = new Thread(sink, "advice-sink");
        t.start();
        try (InfluxDB client = InfluxDBFactory.connect(influx.url())) {
            awaitPoints(client, settings.database, sent.size(), Duration.ofSeconds(60));
            sink.close();
            t.join(20_000);

            QueryResult.Result r = client.query(new Query(
                            "SELECT epoch, verdict, basis, reason, best_epoch, "
                                    + "best_test_loss, chance FROM advice GROUP BY sweep, run",
                            settings.database))
                    .getResults()
                    .get(0);
            assertThat(r.getSeries()).hasSize(2);
            QueryResult.Series a = r.getSeries().get(0);
            QueryResult.Series b = r.getSeries().get(1);
            assertThat(a.getTags()).containsEntry("sweep", "sweep-1").containsEntry("run", "run-a");
            assertThat(b.getTags()).containsEntry("sweep", "sweep-1").containsEntry("run", "run-b");
            assertThat(a.getValues()).as("the re-sent advice is the same point").hasSize(2);
            assertThat(a.getValues().get(0))
                    .containsExactly(
                            "2026-01-01T00:00:00Z",
                            2.0,
                            "CONTINUE",
                            "warming_up",
                            "too few evaluations to judge",
                            -1.0,
                            null,
                            null);
            assertThat(a.getValues().get(1))
                    .containsExactly(
                            "2026-01-01T00:00:40Z",
                            40.0,
                            "CONTINUE",
                            "second_descent_possible",
                            possible.reason(),
                            17.0,
                            0.42,
                            0.6);
            assertThat(b.getValues())
                    .containsExactly(List.of(
                            "2026-01-01T00:01:30Z",
                            90.0,
                            "STOP",
                            "no_second_descent",
                            stop.reason(),
                            31.0,
                            0.37,
                            0.04));
        }
    }

    /** Waits until the sink has read every record sent (a re-sent one writes no new point). */
    private static void awaitPoints(InfluxDB client, String db, long records, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long distinct = records - 1;
        while (System.nanoTime() < deadline) {
            try {
                QueryResult r = client.query(new Query("SELECT count(epoch) FROM advice", db));
                List<QueryResult.Series> s = r.getResults().get(0).getSeries();
                if (s != null && ((Number) s.get(0).getValues().get(0).get(1)).longValue() >= distinct) {
                    Thread.sleep(1000);
                    return;
                }
            } catch (RuntimeException e) {
                // database not created yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("advice points did not arrive in " + db);
    }
}
