package io.descentwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.broker.LoopbackPorts;
import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.streams.detector.DescentTopology;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * An error that recurs on the same state: after a rollback, the detector meets a run's state written by a newer
 * format than it reads. Every replacement thread restores that state and fails on it again; the detector must
 * not loop so forever looking alive, but stop with a clear message and exit status 1, for an orchestrator to show
 * the failure and restart it. Before that, a healthy detector's health and metrics endpoints say what it did.
 */
class RepeatingErrorTest {

    /** A run state as a much newer detector might write it: a version byte past any this one reads. */
    private static final byte[] NEWER_STATE = {Byte.MAX_VALUE, 0, 0, 0, 3, 'n', 'e', 'w'};

    private static final int ALLOWED_FAILURES = 2;

    @Test
    void aStateThatFailsEveryThreadEndsTheDetectorWithExitOneInsteadOfALoop() throws Exception {
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        TopicSettings topics = TestServices.freshTopics("repeating-error");
        List<EpochEvent> input = new ArrayList<>(Fixtures.corpus(LabelledCurves.epochwise(), Fixtures.everyKthRun(40)));
        List<Alert> expected = Fixtures.offline(input);
        new TopicProvisioner(kafka.clientProperties())
                .ensure(List.of(
                        TopicProvisioner.topic(topics.epochs, topics), TopicProvisioner.topic(topics.alerts, topics)));
        String appId = "repeating-error-" + System.nanoTime();
        EpochEvent last = input.get(input.size() - 1);
        OpsEndpoints healthy = new OpsEndpoints(LoopbackPorts.free());
        OpsEndpoints failing = new OpsEndpoints(LoopbackPorts.free());

        try (ScratchDirectory first = ScratchDirectory.create("repeating-error-a-");
                ScratchDirectory second = ScratchDirectory.create("repeating-error-b-")) {
            String metrics;
            try (CliProcess detector =
                    CliProcess.start("detector-1", args(kafka, topics, appId, first, healthy), Map.of())) {
                detector.awaitOutput("detector running", Duration.ofMinutes(2));
                assertThat(healthy.status("/health/live")).isEqualTo(200);
                Fixtures.produce(kafka, topics.epochs, input);
                List<Alert> seen =
                        Fixtures.alerts(Fixtures.readAll(kafka, topics.alerts, expected.size(), Duration.ofMinutes(2)));
                Fixtures.assertSameAlerts(kafka, topics, seen, expected);
                assertThat(Fixtures.await(Duration.ofSeconds(30), () -> healthy.status("/health/ready") == 200))
                        .as("ready once running")
                        .isTrue();
                metrics = healthy.metrics();
                // kept beside the counts: what a Prometheus scrape of a detector reads
                java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "reliability"));
                java.nio.file.Files.writeString(
                        java.nio.file.Path.of("target", "reliability", "detector-metrics.txt"), metrics);
                String service = "{service=\"detector\"}";
                assertThat(OpsEndpoints.sample(metrics, "descentwatch_detector_events_total" + service))
                        .isEqualTo(input.size());
                assertThat(OpsEndpoints.sample(metrics, "descentwatch_detector_alerts_total" + service))
                        .isEqualTo(expected.size());
                assertThat(OpsEndpoints.sample(metrics, "descentwatch_detector_dead_letters_total" + service))
                        .isZero();
                assertThat(OpsEndpoints.sample(metrics, "descentwatch_detector_rebalances_total" + service))
                        .isGreaterThanOrEqualTo(1);
                assertThat(OpsEndpoints.sample(metrics, "descentwatch_detector_consumer_lag_records" + service))
                        .isZero();
                assertThat(OpsEndpoints.sample(metrics, "descentwatch_detector_thread_failures_total" + service))
                        .isZero();
                detector.terminate();
                detector.awaitExit(Duration.ofMinutes(1));
            }

            // the rollback: the changelog holds a state of the newest run in a format this detector cannot read
            try (KafkaProducer<String, byte[]> producer = Fixtures.producer(kafka)) {
                producer.send(new ProducerRecord<>(
                                appId + "-" + DescentTopology.RUN_STORE + "-changelog", last.runId(), NEWER_STATE))
                        .get();
            }
            try (CliProcess detector =
                    CliProcess.start("detector-2", args(kafka, topics, appId, second, failing), Map.of())) {
                detector.awaitOutput("detector running", Duration.ofMinutes(2));
                Fixtures.produce(
                        kafka,
                        topics.epochs,
                        List.of(last.toBuilder()
                                .epoch(last.epoch() + 1)
                                .time(last.time().plusSeconds(1))
                                .isFinal(false)
                                .build()));
                int exit = detector.awaitExit(Duration.ofMinutes(3));
                String output = detector.output();
                long replaced = output.lines()
                        .filter(l -> l.contains("detector thread failed ("))
                        .count();

                assertThat(exit).as("exit status; output:\n" + output).isEqualTo(1);
                assertThat(replaced).as("threads replaced before it stopped").isEqualTo(ALLOWED_FAILURES);
                assertThat(output)
                        .contains(
                                "detector stopped: detector threads failed " + (ALLOWED_FAILURES + 1) + " times",
                                "--max-thread-failures " + ALLOWED_FAILURES,
                                "state written in format version " + Byte.MAX_VALUE);
                ReliabilityLog.record(
                        "repeating-error",
                        Map.of(
                                "events_sent",
                                input.size() + 1,
                                "alerts_expected",
                                expected.size(),
                                "events_metric_before",
                                (long) OpsEndpoints.sample(
                                        metrics, "descentwatch_detector_events_total{service=\"detector\"}"),
                                "threads_failed",
                                replaced + 1,
                                "threads_replaced",
                                replaced,
                                "exit_status",
                                exit));
            }
        }
    }

    private static List<String> args(
            KafkaSettings kafka, TopicSettings topics, String appId, ScratchDirectory state, OpsEndpoints ops) {
        return Fixtures.quickFailoverDetectorArgs(
                kafka,
                topics,
                appId,
                state,
                "--stream-threads",
                "1",
                "--max-thread-failures",
                String.valueOf(ALLOWED_FAILURES),
                "--ops-port",
                String.valueOf(ops.port()));
    }
}
