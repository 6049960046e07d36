package io.descentwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.detection.DescentDetector;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.producer.EpochPublisher;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.StreamsAppSettings;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import io.descentwatch.testkit.WebhookReceiver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `descentwatch alerts` end to end: the real detector turns corpus runs into alerts on the real in-process broker,
 * and the command prints the ones asked for and posts each to a local HTTP receiver.
 */
class AlertsCommandTest {

    /** Runs of the corpus with a second descent and runs without: enough of each kind of alert. */
    private static final Set<String> RUNS = Set.of("ew-p171-dd", "ew-p117-dd", "ew-m000-dd", "ew-m004-u");

    @Test
    void printsTheChosenAlertsAndPostsEachToTheWebhook(@TempDir Path state) throws Exception {
        TopicSettings topics = TestServices.freshTopics("alerts-cmd");
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        EpochEventCodec codec = new EpochEventCodec();
        DescentDetector offline = new DescentDetector();
        List<Alert> expected = new ArrayList<>();
        try (DetectorApp detector = new DetectorApp(kafka, topics, DetectionSettings.defaults(),
                StreamsAppSettings.defaults("alerts-cmd-" + System.nanoTime(), state)).start();
             EpochPublisher publisher = new EpochPublisher(kafka.withProperty("enable.idempotence", "false")
                     .clientProperties(), topics.epochs, Duration.ofMinutes(2))) {
            for (String line : Files.readAllLines(LabelledCurves.epochwise())) {
                var e = codec.decode(line).value();
                if (RUNS.contains(e.runId())) {
                    publisher.publish(e);
                    offline.accept(e).stream().filter(a -> a.type() == AlertType.SECOND_DESCENT
                            || a.type() == AlertType.BELOW_FIRST_MINIMUM).forEach(expected::add);
                }
            }
            publisher.flush();
            assertThat(expected).as("the chosen runs raise descent alerts").hasSizeGreaterThan(2);

            try (WebhookReceiver receiver = new WebhookReceiver()) {
                CommandRun run = CommandRun.of("alerts", "--bootstrap", kafka.bootstrap(), "--topic-alerts",
                        topics.alerts, "--from-beginning", "--type", "SECOND_DESCENT,BELOW_FIRST_MINIMUM",
                        "--format", "json", "--webhook", receiver.url("/hooks/descent").toString(),
                        "--max", String.valueOf(expected.size()));

                assertThat(run.exitCode()).as(run.err()).isZero();
                AlertCodec alerts = new AlertCodec();
                List<Alert> printed = run.out().lines().map(l -> alerts.decode(l.getBytes()).value()).toList();
                assertThat(printed).containsExactlyInAnyOrderElementsOf(expected);
                ObjectMapper json = new ObjectMapper();
                List<Alert> posted = new ArrayList<>();
                for (WebhookReceiver.Request r : receiver.requests()) {
                    assertThat(r.path()).isEqualTo("/hooks/descent");
                    var body = json.readTree(r.body());
                    assertThat(body.get("text").asText()).startsWith("DescentWatch ");
                    posted.add(alerts.decode(body.get("alert").toString().getBytes()).value());
                }
                assertThat(posted).containsExactlyElementsOf(printed);
            }

            CommandRun text = CommandRun.of("alerts", "--bootstrap", kafka.bootstrap(), "--topic-alerts",
                    topics.alerts, "--from-beginning", "--run", "ew-p171-dd", "--max", "1");
            assertThat(text.exitCode()).as(text.err()).isZero();
            assertThat(text.out()).contains("ew-p171-dd").doesNotContain("\"schema\"");
        }
    }

    @Test
    void aWebhookThatIsNotHttpIsAFlagErrorNamingTheFlag() {
        CommandRun run = CommandRun.of("alerts", "--bootstrap", TestServices.kafka().bootstrapServers(),
                "--webhook", "file:///etc/passwd");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--webhook").contains("http:// or https://");
    }

    @Test
    void anUnknownAlertTypeNamesTheValidOnes() {
        CommandRun run = CommandRun.of("alerts", "--type", "PEAK");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--type").contains("MODEL_WISE_PEAK").contains("SECOND_DESCENT");
    }
}
