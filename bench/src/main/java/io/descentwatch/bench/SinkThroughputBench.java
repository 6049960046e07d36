package io.descentwatch.bench;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.sink.InfluxPoints;
import io.descentwatch.sink.InfluxSink;
import io.descentwatch.sink.SinkSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.influxdb.InfluxDB;
import org.influxdb.InfluxDBFactory;
import org.influxdb.dto.BatchPoints;
import org.influxdb.dto.Query;
import org.influxdb.dto.QueryResult;

/**
 * Points/s into InfluxDB through the sink (Kafka -> decode -> points -> batch write -> commit) and, as the
 * baseline, influxdb-java writing the same points directly in batches of the same size, alternating.
 */
final class SinkThroughputBench {

    record Result(long points, List<Double> sink, List<Double> raw) {
        double ratio() {
            return Stats.median(sink) / Stats.median(raw);
        }
    }

    static Result run(KafkaSettings kafka, String influxUrl, int runCount, int epochsPerRun, int repetitions)
            throws Exception {
        TopicSettings topics = TopicSettings.defaults().prefixed("bench-sink-" + System.nanoTime() + ".");
        new TopicProvisioner(kafka.clientProperties())
                .ensure(List.of(
                        TopicProvisioner.topic(topics.epochs, topics),
                        TopicProvisioner.topic(topics.alerts, topics),
                        TopicProvisioner.compactedTopic(topics.runs, topics)));
        SyntheticRuns runs = new SyntheticRuns("sink", epochsPerRun);
        long points = EventLoader.load(kafka, topics.epochs, runs, runCount, 200);
        List<EpochEvent> events = new ArrayList<>();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        long i = 0;
        for (int first = 0; first < runCount; first += 200) {
            for (int epoch = 1; epoch <= epochsPerRun; epoch++) {
                for (int run = first; run < Math.min(runCount, first + 200); run++) {
                    events.add(runs.event(run, epoch, t0.plusMillis(i++)));
                }
            }
        }
        List<Double> sink = new ArrayList<>();
        List<Double> raw = new ArrayList<>();
        // the first round warms the JIT up for both and is not counted, as in the detector benchmark
        for (int r = 0; r <= repetitions; r++) {
            double s = throughSink(kafka, topics, influxUrl, points, "bench_sink_" + r + "_" + System.nanoTime());
            double d = direct(influxUrl, events, "bench_raw_" + r + "_" + System.nanoTime());
            if (r > 0) {
                sink.add(s);
                raw.add(d);
            }
        }
        return new Result(points, sink, raw);
    }

    private static double throughSink(
            KafkaSettings kafka, TopicSettings topics, String influxUrl, long points, String database)
            throws Exception {
        SinkSettings settings = SinkSettings.defaults(influxUrl);
        settings.database = database;
        settings.groupId = database;
        InfluxSink sink = new InfluxSink(kafka.clientProperties(), topics, settings);
        Thread t = new Thread(sink, "bench-sink");
        t.start();
        try (InfluxDB client = InfluxDBFactory.connect(influxUrl)) {
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            // timed from the first acknowledged batch: joining the consumer group is a fixed start-up cost that a
            // direct writer does not have, and says nothing of the sink's rate
            long firstAt = 0;
            long firstPoints = 0;
            while (sink.pointsWritten() < points && System.nanoTime() < deadline) {
                if (firstAt == 0 && sink.pointsWritten() > 0) {
                    firstAt = System.nanoTime();
                    firstPoints = sink.pointsWritten();
                }
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - firstAt) / 1e9;
            sink.close();
            t.join(20_000);
            if (count(client, database) != points) {
                throw new IllegalStateException("sink wrote " + count(client, database) + " of " + points);
            }
            return (points - firstPoints) / seconds;
        }
    }

    private static double direct(String influxUrl, List<EpochEvent> events, String database) {
        int batchSize = SinkSettings.defaults(influxUrl).batchSize;
        try (InfluxDB client = InfluxDBFactory.connect(influxUrl)) {
            client.query(new Query("CREATE DATABASE " + database));
            // timed, like the sink, from the end of the first batch
            long start = 0;
            long firstPoints = 0;
            for (int from = 0; from < events.size(); from += batchSize) {
                BatchPoints batch = BatchPoints.database(database)
                        .retentionPolicy("autogen")
                        .build();
                for (EpochEvent e : events.subList(from, Math.min(events.size(), from + batchSize))) {
                    batch.point(InfluxPoints.epoch(e));
                }
                client.write(batch);
                if (start == 0) {
                    start = System.nanoTime();
                    firstPoints = batch.getPoints().size();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (count(client, database) != events.size()) {
                throw new IllegalStateException("raw writes left " + count(client, database) + " points");
            }
            return (events.size() - firstPoints) / seconds;
        }
    }

    private static long count(InfluxDB client, String database) {
        QueryResult r = client.query(new Query("SELECT count(epoch) FROM epoch", database));
        List<QueryResult.Series> s = r.getResults().get(0).getSeries();
        return s == null ? 0 : ((Number) s.get(0).getValues().get(0).get(1)).longValue();
    }
}
