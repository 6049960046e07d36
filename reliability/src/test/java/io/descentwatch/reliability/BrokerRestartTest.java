package io.descentwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.broker.EmbeddedKafkaBroker;
import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.cli.DescentWatchCommand;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.StreamsAppSettings;
import io.descentwatch.testkit.TestServices;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The broker stopped in the middle of a sweep and started again: the workers keep training and hold their events,
 * every event arrives exactly once, and the detector, which lost its broker mid-transaction, recovers on its own
 * and raises exactly the alerts of an undisturbed run.
 */
class BrokerRestartTest {

    private static final Duration OUTAGE = Duration.ofSeconds(10);

    @Test
    void aBrokerRestartMidSweepLosesAndDuplicatesNothing() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, WorkerKillTest.FAST_GROUPS);
                ScratchDirectory state = ScratchDirectory.create("broker-restart-")) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            TopicSettings topics = TestServices.freshTopics("broker-restart");
            try (DetectorApp detector = new DetectorApp(
                            kafka,
                            topics,
                            DetectionSettings.defaults(),
                            StreamsAppSettings.defaults("broker-restart-" + System.nanoTime(), state.path()))
                    .start()) {
                assertThat(detector.awaitRunning(Duration.ofMinutes(1))).isTrue();
                CompletableFuture<Long> training = CompletableFuture.supplyAsync(() -> train(
                                broker,
                                topics,
                                "two-scale-epochwise",
                                "--seeds",
                                "1,2,3,4",
                                "--epochs",
                                "4000",
                                "--engine",
                                "network")
                        + train(broker, topics, "rf-modelwise"));
                assertThat(Fixtures.await(
                                Duration.ofMinutes(2),
                                () -> !Fixtures.readAll(kafka, topics.epochs, 1, Duration.ofMillis(300))
                                        .isEmpty()))
                        .as("events before the outage")
                        .isTrue();

                broker.stop();
                Thread.sleep(OUTAGE.toMillis());
                assertThat(training)
                        .as("training goes on while the broker is away")
                        .isNotDone();
                broker.restart();

                long trained = training.get(5, TimeUnit.MINUTES);
                List<ConsumerRecord<String, byte[]>> records =
                        Fixtures.readAll(kafka, topics.epochs, 0, Duration.ofSeconds(5));
                EpochEventCodec codec = new EpochEventCodec();
                List<EpochEvent> events = new ArrayList<>();
                records.forEach(r -> events.add(codec.decode(r.value()).value()));
                long distinct = events.stream()
                        .map(e -> e.runId() + "@" + e.epoch())
                        .distinct()
                        .count();
                assertThat(events).as("every event the workers trained arrived").hasSize((int) trained);
                assertThat(distinct).as("none twice").isEqualTo(events.size());
                assertThat(events.stream().filter(EpochEvent::isFinal).count()).isEqualTo(4 + 9);

                // per run, the order the detector saw: the order on the topic
                List<EpochEvent> byRun = events.stream()
                        .collect(Collectors.groupingBy(
                                EpochEvent::runId, java.util.LinkedHashMap::new, Collectors.toList()))
                        .values()
                        .stream()
                        .flatMap(List::stream)
                        .toList();
                List<Alert> expected = Fixtures.offline(byRun);
                List<Alert> seen =
                        Fixtures.alerts(Fixtures.readAll(kafka, topics.alerts, expected.size(), Duration.ofMinutes(3)));
                Fixtures.assertSameAlerts(kafka, topics, seen, expected);
                assertThat(seen).as("no alert repeated").hasSameSizeAs(expected);
                assertThat(detector.state()).isEqualTo(KafkaStreams.State.RUNNING);
                ReliabilityLog.record(
                        "broker-restarted",
                        Map.of(
                                "outage_seconds",
                                OUTAGE.toSeconds(),
                                "events_published",
                                events.size(),
                                "events_distinct",
                                distinct,
                                "runs_finished",
                                events.stream().filter(EpochEvent::isFinal).count(),
                                "alerts_expected",
                                expected.size(),
                                "alerts_seen",
                                seen.size(),
                                "events_trained",
                                trained));
            }
        }
    }

    /** Trains a quick sweep with the train command, publishing to the broker; returns the events it trained. */
    private static long train(EmbeddedKafkaBroker broker, TopicSettings topics, String preset, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "train",
                "--preset",
                preset,
                "--quick",
                "--sweep-id",
                "broker-restart-" + (preset.startsWith("rf") ? "rf" : "ts"),
                "--bootstrap",
                broker.bootstrapServers(),
                "--topic-epochs",
                topics.epochs));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        CommandLine cmd = DescentWatchCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        assertThat(cmd.execute(args.toArray(String[]::new))).as(out.toString()).isZero();
        Matcher m = Pattern.compile("(\\d+) events of (\\d+) runs").matcher(out.toString());
        assertThat(m.find()).as(out.toString()).isTrue();
        return Long.parseLong(m.group(1));
    }
}
