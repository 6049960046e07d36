package io.descentwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.broker.EmbeddedKafkaBroker;
import io.descentwatch.broker.LoopbackPorts;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every role against a broker that demands SASL authentication, configured the way a user configures it (a Kafka
 * client properties file), and no secret ever in what they print: not the Kafka password (even with Kafka's own
 * logs at INFO, where it prints its whole configuration), not the InfluxDB password, not a webhook's token.
 */
class SecurityTest {

    private static final String KAFKA_SECRET = "S3CRET-kafka-7d1f";
    private static final String KEYSTORE_SECRET = "S3CRET-keystore-aa";
    private static final String INFLUX_SECRET = "S3CRET-influx-42x";
    private static final String WEBHOOK_TOKEN = "S3CRET-hook-token-9q";

    @Test
    void everyRoleWorksOverSaslAndNoSecretIsEverPrinted(@TempDir Path tmp) throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startWithSaslPlain(Map.of("alice", KAFKA_SECRET))) {
            TopicSettings topics = TestServices.freshTopics("secured");
            Path clientConfig = tmp.resolve("client.properties");
            Properties client = new Properties();
            client.putAll(EmbeddedKafkaBroker.saslClient("alice", KAFKA_SECRET));
            client.put("ssl.keystore.password", KEYSTORE_SECRET);
            try (OutputStream out = Files.newOutputStream(clientConfig)) {
                client.store(out, "a user's Kafka client settings");
            }
            Path input = tmp.resolve("events.jsonl");
            List<String> lines = Files.readAllLines(LabelledCurves.epochwise()).stream()
                    .filter(l -> l.contains("\"run_id\":\"ew-p171-dd\"") || l.contains("\"run_id\":\"ew-p117-dd\""))
                    .toList();
            Files.write(input, lines);
            List<String> kafka = List.of(
                    "--bootstrap",
                    broker.bootstrapServers(),
                    "--kafka-config",
                    clientConfig.toString(),
                    "--topic-epochs",
                    topics.epochs,
                    "--topic-alerts",
                    topics.alerts,
                    "--topic-dlq",
                    topics.deadLetters,
                    "--topic-runs",
                    topics.runs,
                    "--topic-sweeps",
                    topics.sweeps);
            Map<String, String> printed = new LinkedHashMap<>();

            try (CliProcess detector = CliProcess.start(
                    "detector",
                    args(
                            List.of(
                                    "detector",
                                    "--application-id",
                                    "secured-" + System.nanoTime(),
                                    "--state-dir",
                                    tmp.resolve("state").toString()),
                            kafka),
                    Map.of("DW_LIB_LOG_LEVEL", "INFO"))) {
                detector.awaitOutput("detector running", Duration.ofMinutes(2));

                CliProcess replay = CliProcess.start(
                        "replay", args(List.of("replay", "--input", input.toString()), kafka), Map.of());
                assertThat(replay.awaitExit(Duration.ofMinutes(2)))
                        .as(replay.output())
                        .isZero();
                assertThat(replay.output()).contains("published " + lines.size() + " events");
                printed.put("replay", replay.output());

                CliProcess alerts = CliProcess.start(
                        "alerts",
                        args(List.of("alerts", "--from-beginning", "--type", "SECOND_DESCENT", "--max", "1"), kafka),
                        Map.of());
                assertThat(alerts.awaitExit(Duration.ofMinutes(2)))
                        .as(alerts.output())
                        .isZero();
                assertThat(alerts.output()).contains("SECOND_DESCENT");
                printed.put("alerts", alerts.output());

                int closed = LoopbackPorts.free();
                CliProcess webhook = CliProcess.start(
                        "alerts-webhook",
                        args(
                                List.of(
                                        "alerts",
                                        "--from-beginning",
                                        "--max",
                                        "1",
                                        "--webhook-attempts",
                                        "2",
                                        "--webhook",
                                        "http://127.0.0.1:" + closed + "/hooks/" + WEBHOOK_TOKEN),
                                kafka),
                        Map.of());
                assertThat(webhook.awaitExit(Duration.ofMinutes(2))).isEqualTo(1);
                assertThat(webhook.output()).contains("webhook http://127.0.0.1:" + closed + "/... unreachable");
                printed.put("alerts --webhook", webhook.output());

                CliProcess sink = CliProcess.start(
                        "sink",
                        args(
                                List.of(
                                        "sink",
                                        "--influx-url",
                                        "http://127.0.0.1:" + closed,
                                        "--influx-user",
                                        "bob",
                                        "--sink-max-backoff-ms",
                                        "500"),
                                kafka),
                        Map.of("DW_INFLUX_PASSWORD", INFLUX_SECRET));
                sink.awaitOutput("failed", Duration.ofMinutes(1));
                Thread.sleep(3000);
                sink.kill();
                printed.put("sink", sink.output());

                Path wrong = tmp.resolve("wrong.properties");
                Properties bad = new Properties();
                bad.putAll(EmbeddedKafkaBroker.saslClient("alice", "not-" + KAFKA_SECRET));
                try (OutputStream out = Files.newOutputStream(wrong)) {
                    bad.store(out, null);
                }
                CliProcess refused = CliProcess.start(
                        "replay-wrong-password",
                        List.of(
                                "replay",
                                "--input",
                                input.toString(),
                                "--bootstrap",
                                broker.bootstrapServers(),
                                "--kafka-config",
                                wrong.toString(),
                                "--topic-epochs",
                                topics.epochs),
                        Map.of());
                assertThat(refused.awaitExit(Duration.ofMinutes(2))).isNotZero();
                assertThat(refused.output()).containsIgnoringCase("authentication");
                printed.put("replay with a wrong password", refused.output());

                detector.kill();
                printed.put("detector (Kafka logs at INFO)", detector.output());
            }
            assertThat(printed.get("detector (Kafka logs at INFO)"))
                    .as("Kafka printed its configuration")
                    .contains("sasl.jaas.config = [hidden]");
            for (Map.Entry<String, String> p : printed.entrySet()) {
                assertThat(p.getValue())
                        .as(p.getKey())
                        .doesNotContain(KAFKA_SECRET)
                        .doesNotContain(KEYSTORE_SECRET)
                        .doesNotContain(INFLUX_SECRET)
                        .doesNotContain(WEBHOOK_TOKEN)
                        .doesNotContain("S3CRET");
            }
            Map<String, Object> log = new LinkedHashMap<>();
            printed.forEach((role, out) ->
                    log.put("lines printed by " + role, out.lines().count()));
            log.put("secrets_found_in_output", 0);
            ReliabilityLog.record("secrets", log);
        }
        assertThat(KafkaSettings.isSecret("sasl.jaas.config")).isTrue();
    }

    private static List<String> args(List<String> command, List<String> kafka) {
        List<String> all = new ArrayList<>(command);
        all.addAll(kafka);
        return all;
    }
}
