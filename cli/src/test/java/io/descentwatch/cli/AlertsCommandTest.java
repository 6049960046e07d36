package io.descentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.descentwatch.alerts.NoticeJson;
import io.descentwatch.detection.DescentDetector;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.producer.EpochPublisher;
import io.descentwatch.streams.detector.DetectorApp;
import io.descentwatch.streams.detector.StreamsAppSettings;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import io.descentwatch.testkit.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `descentwatch alerts` end to end: the real detector turns corpus runs into alerts on the real in-process broker,
 * and the command prints the ones asked for and posts each to a local HTTP receiver.
 */
class AlertsCommandTest {

    /** Runs of the corpus with a second descent and runs without: enough of each kind of alert. */
    private static final Set<String> RUNS = Set.of("ew-p171-dd", "ew-p117-dd", "ew-m000-dd", "ew-m004-u");

    @Test
    @SuppressWarnings("try") // the detector is held only to run until the end
    void printsTheChosenAlertsAndPostsEachToTheWebhook(@TempDir Path state) throws Exception {
        TopicSettings topics = TestServices.freshTopics("alerts-cmd");
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        EpochEventCodec codec = new EpochEventCodec();
        DescentDetector offline = new DescentDetector();
        List<Alert> expected = new ArrayList<>();
        try (DetectorApp detector = new DetectorApp(
                                kafka,
                                topics,
                                DetectionSettings.defaults(),
                                StreamsAppSettings.defaults("alerts-cmd-" + System.nanoTime(), state))
                        .start();
                EpochPublisher publisher = new EpochPublisher(
                        kafka.withProperty("enable.idempotence", "false").clientProperties(),
                        topics.epochs,
                        Duration.ofMinutes(2))) {
            for (String line : Files.readAllLines(LabelledCurves.epochwise())) {
                var e = codec.decode(line).value();
                if (RUNS.contains(e.runId())) {
                    publisher.publish(e);
                    offline.accept(e).stream()
                            .filter(a ->
                                    a.type() == AlertType.SECOND_DESCENT || a.type() == AlertType.BELOW_FIRST_MINIMUM)
                            .forEach(expected::add);
                }
            }
            publisher.flush();
            assertThat(expected).as("the chosen runs raise descent alerts").hasSizeGreaterThan(2);

            try (WebhookReceiver receiver = new WebhookReceiver()) {
                CommandRun run = CommandRun.of(
                        "alerts",
                        "--bootstrap",
                        kafka.bootstrap(),
                        "--topic-alerts",
                        topics.alerts,
                        "--from-beginning",
                        "--type",
                        "SECOND_DESCENT,BELOW_FIRST_MINIMUM",
                        "--format",
                        "json",
                        "--per-alert",
                        "--webhook",
                        receiver.url("/hooks/descent").toString(),
                        "--max",
                        String.valueOf(expected.size()));

                assertThat(run.exitCode()).as(run.err()).isZero();
                AlertCodec alerts = new AlertCodec();
                List<Alert> printed = run.out()
                        .lines()
                        .map(l -> alerts.decode(l.getBytes()).value())
                        .toList();
                assertThat(printed).containsExactlyInAnyOrderElementsOf(expected);
                ObjectMapper json = new ObjectMapper();
                List<Alert> posted = new ArrayList<>();
                for (WebhookReceiver.Request r : receiver.requests()) {
                    assertThat(r.path()).isEqualTo("/hooks/descent");
                    var body = json.readTree(r.body());
                    assertThat(body.get("text").asText()).startsWith("DescentWatch ");
                    posted.add(alerts.decode(body.get("alert").toString().getBytes())
                            .value());
                }
                assertThat(posted).containsExactlyElementsOf(printed);
            }

            CommandRun text = CommandRun.of(
                    "alerts",
                    "--bootstrap",
                    kafka.bootstrap(),
                    "--topic-alerts",
                    topics.alerts,
                    "--from-beginning",
                    "--run",
                    "ew-p171-dd",
                    "--max",
                    "1");
            assertThat(text.exitCode()).as(text.err()).isZero();
            assertThat(text.out()).contains("ew-p171-dd").doesNotContain("\"schema\"");
        }
    }

    /**
     * The alerts the detector raises on model-wise sweeps (real ones, from the corpus, decided offline) on a real
     * broker's alerts topic, keyed as the detector keys them: run alerts of a sweep come as one digest per sweep,
     * sweep alerts one each, and the scope narrows both the lines and the posts.
     */
    @Test
    void runAlertsOfASweepComeAsOneDigestAndSweepAlertsOneEachAndScopeNarrowsThem() throws Exception {
        TopicSettings topics = TestServices.freshTopics("alerts-digest");
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        new TopicProvisioner(kafka.clientProperties()).ensure(List.of(TopicProvisioner.topic(topics.alerts, topics)));
        EpochEventCodec codec = new EpochEventCodec();
        DescentDetector offline = new DescentDetector();
        List<Alert> raised = new ArrayList<>();
        for (String line : LabelledCurves.firstRuns(LabelledCurves.modelwise(), 2)) {
            raised.addAll(offline.accept(codec.decode(line).value()));
        }
        raised.addAll(offline.endOfInput());
        List<Alert> runAlerts =
                raised.stream().filter(a -> a.scope() == AlertScope.RUN).toList();
        List<Alert> sweepAlerts =
                raised.stream().filter(a -> a.scope() == AlertScope.SWEEP).toList();
        Set<String> sweeps = runAlerts.stream().map(Alert::sweepId).collect(Collectors.toSet());
        assertThat(sweeps).as("two sweeps with run alerts").hasSize(2);
        assertThat(runAlerts.size()).as("several run alerts per sweep").isGreaterThan(4);
        assertThat(sweepAlerts).as("sweep verdicts").isNotEmpty();
        AlertCodec alerts = new AlertCodec();
        Properties p = kafka.clientProperties();
        p.put("enable.idempotence", "false");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (Alert a : raised) {
                String key = a.scope() == AlertScope.RUN ? a.runId() : a.sweepId();
                producer.send(new ProducerRecord<>(topics.alerts, key, alerts.encode(a)));
            }
        }
        String[] common = {
            "alerts", "--bootstrap", kafka.bootstrap(), "--topic-alerts", topics.alerts, "--from-beginning"
        };

        // a window longer than the test: --max closes the digests, one per sweep
        CommandRun json = CommandRun.of(
                concat(common, "--format", "json", "--digest-window", "PT1H", "--max", String.valueOf(raised.size())));
        assertThat(json.exitCode()).as(json.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : json.out().lines().toList()) {
            lines.add(mapper.readTree(l));
        }
        assertThat(lines).hasSize(sweepAlerts.size() + sweeps.size());
        List<Alert> singles = new ArrayList<>();
        List<Alert> digested = new ArrayList<>();
        Set<String> digestSweeps = new java.util.HashSet<>();
        for (JsonNode n : lines) {
            if (n.get("schema").asText().equals(NoticeJson.DIGEST_SCHEMA)) {
                digestSweeps.add(n.get("sweep_id").asText());
                long counted = 0;
                for (Map.Entry<String, JsonNode> c : n.get("counts").properties()) {
                    counted += c.getValue().asLong();
                }
                assertThat(counted).isEqualTo(n.get("alerts").size());
                for (JsonNode a : n.get("alerts")) {
                    Alert alert = alerts.decode(a.toString()).value();
                    assertThat(alert.sweepId()).isEqualTo(n.get("sweep_id").asText());
                    digested.add(alert);
                }
            } else {
                singles.add(alerts.decode(n.toString()).value());
            }
        }
        assertThat(digestSweeps).isEqualTo(sweeps);
        assertThat(digested).containsExactlyInAnyOrderElementsOf(runAlerts);
        assertThat(singles).containsExactlyInAnyOrderElementsOf(sweepAlerts);

        // sweep findings only, as text and as posts: one each, nothing of the runs
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            CommandRun text = CommandRun.of(concat(
                    common,
                    "--scope",
                    "sweep",
                    "--webhook",
                    receiver.url("/hook").toString(),
                    "--max",
                    String.valueOf(sweepAlerts.size())));
            assertThat(text.exitCode()).as(text.err()).isZero();
            assertThat(text.out().lines()).hasSize(sweepAlerts.size());
            for (Alert a : sweepAlerts) {
                assertThat(text.out()).contains(a.message());
            }
            assertThat(receiver.requests()).hasSize(sweepAlerts.size());
            for (WebhookReceiver.Request r : receiver.requests()) {
                assertThat(mapper.readTree(r.body()).get("alert").get("scope").asText())
                        .isEqualTo("sweep");
            }
        }

        // the old way: one line per run alert
        CommandRun each = CommandRun.of(
                concat(common, "--scope", "run", "--per-alert", "--max", String.valueOf(runAlerts.size())));
        assertThat(each.exitCode()).as(each.err()).isZero();
        assertThat(each.out().lines()).hasSize(runAlerts.size());
        for (Alert a : runAlerts) {
            assertThat(each.out()).contains(a.message());
        }
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void aBadScopeWindowOrAScopeThatNoTypeHasIsAFlagErrorNamingTheValidValues() {
        CommandRun scope = CommandRun.of("alerts", "--scope", "galaxy");
        assertThat(scope.exitCode()).isEqualTo(2);
        assertThat(scope.err()).contains("--scope").contains("run").contains("sweep");

        CommandRun window = CommandRun.of("alerts", "--digest-window", "PT0S");
        assertThat(window.exitCode()).isEqualTo(2);
        assertThat(window.err()).contains("--digest-window");

        CommandRun clash = CommandRun.of("alerts", "--type", "MODEL_WISE_PEAK", "--scope", "run");
        assertThat(clash.exitCode()).isEqualTo(2);
        assertThat(clash.err()).contains("--type").contains("--scope").contains("MODEL_WISE_PEAK");
    }

    @Test
    void aWebhookThatIsNotHttpIsAFlagErrorNamingTheFlag() {
        CommandRun run = CommandRun.of(
                "alerts", "--bootstrap", TestServices.kafka().bootstrapServers(), "--webhook", "file:///etc/passwd");
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
