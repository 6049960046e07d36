package io.descentwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The detector killed outright (SIGKILL, mid-stream, no clean shutdown) and started again on a machine with no
 * local state: the alerts are those of an undisturbed run, none lost and none repeated, its state restored from
 * the changelog.
 */
class DetectorKillTest {

    @Test
    void aKilledDetectorRestartedElsewhereRaisesExactlyTheUndisturbedAlerts() throws Exception {
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        TopicSettings topics = TestServices.freshTopics("kill-detector");
        List<EpochEvent> input = new ArrayList<>(Fixtures.corpus(LabelledCurves.epochwise(), Fixtures.everyKthRun(12)));
        input.addAll(Fixtures.corpus(
                LabelledCurves.modelwise(), id -> id.startsWith("mw-m02/") || id.startsWith("mw-p03/")));
        List<Alert> expected = Fixtures.offline(input);
        new TopicProvisioner(kafka.clientProperties())
                .ensure(List.of(
                        TopicProvisioner.topic(topics.epochs, topics), TopicProvisioner.topic(topics.alerts, topics)));
        String appId = "kill-detector-" + System.nanoTime();
        int half = input.size() / 2;

        long alertsBeforeKill;
        try (ScratchDirectory first = ScratchDirectory.create("kill-detector-a-");
                ScratchDirectory second = ScratchDirectory.create("kill-detector-b-")) {
            try (CliProcess detector =
                    CliProcess.start("detector-1", detectorArgs(kafka, topics, appId, first), Map.of())) {
                detector.awaitOutput("detector running", Duration.ofMinutes(2));
                Fixtures.produce(kafka, topics.epochs, input.subList(0, half));
                assertThat(Fixtures.await(
                                Duration.ofMinutes(1),
                                () -> !Fixtures.readAll(kafka, topics.alerts, 1, Duration.ofSeconds(1))
                                        .isEmpty()))
                        .as("alerts before the kill")
                        .isTrue();
                // keep it busy: the rest of the first half's decisions are still in flight when it dies
                Fixtures.produce(kafka, topics.epochs, input.subList(half, half + (input.size() - half) / 3));
                detector.kill();
                alertsBeforeKill = Fixtures.readAll(kafka, topics.alerts, 0, Duration.ofSeconds(1))
                        .size();
            }
            try (CliProcess detector =
                    CliProcess.start("detector-2", detectorArgs(kafka, topics, appId, second), Map.of())) {
                detector.awaitOutput("detector running", Duration.ofMinutes(2));
                Fixtures.produce(kafka, topics.epochs, input.subList(half + (input.size() - half) / 3, input.size()));
                List<Alert> seen =
                        Fixtures.alerts(Fixtures.readAll(kafka, topics.alerts, expected.size(), Duration.ofMinutes(3)));

                Fixtures.assertSameAlerts(kafka, topics, seen, expected);
                assertThat(seen).as("no alert repeated").hasSameSizeAs(expected);
                ReliabilityLog.record(
                        "detector-killed",
                        Map.of(
                                "events_sent",
                                input.size(),
                                "alerts_committed_before_kill",
                                alertsBeforeKill,
                                "alerts_expected",
                                expected.size(),
                                "alerts_seen",
                                seen.size(),
                                "duplicate_alerts",
                                seen.size() - Fixtures.byId(seen).size()));
            }
        }
    }

    /**
     * A detector process; a short session timeout so that the killed instance's partitions move in seconds
     * rather than the default 45 s (the broker allows 6 s at least).
     */
    private static List<String> detectorArgs(
            KafkaSettings kafka, TopicSettings topics, String appId, ScratchDirectory state) {
        return Fixtures.quickFailoverDetectorArgs(kafka, topics, appId, state);
    }
}
