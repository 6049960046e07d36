package io.descentwatch.streams.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.detection.DescentDetector;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.FixtureProducer;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import io.descentwatch.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector on the real in-process broker, from produce to alert, and across a restart. */
class DetectorAppIntegrationTest {

    private final EpochEventCodec codec = new EpochEventCodec();
    private final AlertCodec alertCodec = new AlertCodec();

    @TempDir
    Path stateDir;

    @Test
    void fromProduceToAlertTheAppRaisesWhatTheOfflineDetectorRaises() throws Exception {
        TopicSettings topics = TestServices.freshTopics("detector");
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        List<EpochEvent> input = DescentTopologyTest.sample(LabelledCurves.epochwise(), 10);
        input.addAll(DescentTopologyTest.sample(LabelledCurves.modelwise(), 2));
        List<Alert> expected = offline(input);

        try (DetectorApp app = new DetectorApp(
                        kafka,
                        topics,
                        DetectionSettings.defaults(),
                        StreamsAppSettings.defaults("detector-it-" + System.nanoTime(), stateDir))
                .start()) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
            produce(kafka, topics.epochs, input);
            produceRaw(kafka, topics.epochs, "bad", "{\"schema\":\"descentwatch.epoch/v1\"}");
            List<Alert> actual = readAlerts(kafka, topics.alerts, expected.size(), Duration.ofSeconds(60));
            assertThat(byId(actual)).isEqualTo(byId(expected));
            assertThat(actual).hasSameSizeAs(expected);
            assertThat(readRaw(kafka, topics.deadLetters, 1, Duration.ofSeconds(30)))
                    .hasSize(1);
        }
    }

    @Test
    void aRestartMidStreamNeitherLosesNorRepeatsAnAlert() throws Exception {
        TopicSettings topics = TestServices.freshTopics("restart");
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        List<EpochEvent> input = DescentTopologyTest.sample(LabelledCurves.epochwise(), 10);
        input.addAll(DescentTopologyTest.sample(LabelledCurves.modelwise(), 2));
        List<Alert> expected = offline(input);
        String appId = "restart-it-" + System.nanoTime();
        int half = input.size() / 2;

        try (DetectorApp app = new DetectorApp(
                        kafka, topics, DetectionSettings.defaults(), StreamsAppSettings.defaults(appId, stateDir))
                .start()) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
            produce(kafka, topics.epochs, input.subList(0, half));
            Thread.sleep(1500);
        }
        // a new instance with empty local state: everything must come back from the changelog
        Path freshState = stateDir.resolve("second-instance");
        try (DetectorApp app = new DetectorApp(
                        kafka, topics, DetectionSettings.defaults(), StreamsAppSettings.defaults(appId, freshState))
                .start()) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
            produce(kafka, topics.epochs, input.subList(half, input.size()));
            List<Alert> actual = readAlerts(kafka, topics.alerts, expected.size(), Duration.ofSeconds(60));
            assertThat(byId(actual)).isEqualTo(byId(expected));
            assertThat(actual).as("no alert repeated").hasSameSizeAs(expected);
        }
    }

    private static Map<String, String> withoutPeaks(Map<String, String> byId) {
        Map<String, String> rest = new java.util.TreeMap<>(byId);
        rest.values().removeIf(v -> v.startsWith(AlertType.MODEL_WISE_PEAK.name()));
        return rest;
    }

    private static long peakSize(List<Alert> alerts) {
        return alerts.stream()
                .filter(a -> a.type() == AlertType.MODEL_WISE_PEAK)
                .findFirst()
                .orElseThrow()
                .paramCount();
    }

    @Test
    void sweepsWhoseRunsJustStopAreDecidedOnceTheRunsGoIdle() throws Exception {
        TopicSettings topics = TestServices.freshTopics("idle");
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        // a real preset sweep as other trainers send it: no final event, no planned run count
        List<EpochEvent> input = LabelledCurves.strippedPresetSweeps(Set.of("rf-s7")).stream()
                .map(l -> codec.decode(l).value())
                .toList();
        DescentDetector detector = new DescentDetector(DetectionSettings.defaults());
        List<Alert> expected = new ArrayList<>();
        input.forEach(e -> expected.addAll(detector.accept(e)));
        expected.addAll(detector.endOfInput());
        assertThat(expected)
                .extracting(Alert::type)
                .contains(
                        AlertType.MODEL_WISE_PEAK, AlertType.INTERPOLATION_THRESHOLD, AlertType.OVERPARAMETERIZED_WINS);

        // long enough that every run is still heard from until the input has gone through, so that they go quiet
        // together, as offline at the end of the input (a shorter one ends runs one by one while others stream in,
        // and an early peak is then named on the sizes known so far)
        StreamsAppSettings app = IdleRunsTopologyTest.withIdleTimeout(Duration.ofSeconds(10));
        app.applicationId = "idle-it-" + System.nanoTime();
        app.stateDir = stateDir;
        try (DetectorApp detectorApp = new DetectorApp(kafka, topics, DetectionSettings.defaults(), app).start()) {
            assertThat(detectorApp.awaitRunning(Duration.ofSeconds(60))).isTrue();
            produce(kafka, topics.epochs, input);
            List<Alert> actual = readAlerts(kafka, topics.alerts, expected.size(), Duration.ofSeconds(60));
            // Runs go quiet by the wall clock here, in another order than at the end of the input offline: a peak
            // that stands out far enough may be named before every size of a broad peak region has ended, so live
            // and offline may name different sizes of that region (what the README says); everything else is the
            // same, and the live peak lies between the best sizes that bound the offline one.
            assertThat(withoutPeaks(byId(actual))).isEqualTo(withoutPeaks(byId(expected)));
            Alert offlinePeak = expected.stream()
                    .filter(a -> a.type() == AlertType.MODEL_WISE_PEAK)
                    .findFirst()
                    .orElseThrow();
            assertThat(peakSize(actual))
                    .as("the live peak, inside the offline peak's flanks")
                    .isGreaterThan(((Number) offlinePeak.details().get("left_param_count")).longValue())
                    .isLessThan(((Number) offlinePeak.details().get("right_param_count")).longValue());
            assertThat(actual).as("no alert repeated").hasSameSizeAs(expected);
        }
    }

    @Test
    void aSweepWhoseRunsSayFinalButNotHowManyGetsItsPeakAndWinWithinSecondsOfItsLastRun() throws Exception {
        TopicSettings topics = TestServices.freshTopics("final");
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        // a real preset sweep as a trainer sends it that ends each run with final but never says how many runs
        List<EpochEvent> input =
                IdleRunsTopologyTest.endingWithFinal(LabelledCurves.strippedPresetSweeps(Set.of("rf-s9")).stream()
                        .map(l -> codec.decode(l).value())
                        .toList());
        DescentDetector detector = new DescentDetector(DetectionSettings.defaults());
        List<Alert> expected = new ArrayList<>();
        input.forEach(e -> expected.addAll(detector.accept(e)));
        expected.addAll(detector.endOfInput());
        assertThat(expected)
                .extracting(Alert::type)
                .contains(AlertType.MODEL_WISE_PEAK, AlertType.OVERPARAMETERIZED_WINS);

        StreamsAppSettings app = StreamsAppSettings.defaults("final-it-" + System.nanoTime(), stateDir);
        try (DetectorApp detectorApp = new DetectorApp(kafka, topics, DetectionSettings.defaults(), app).start()) {
            assertThat(detectorApp.awaitRunning(Duration.ofSeconds(60))).isTrue();
            produce(kafka, topics.epochs, input);
            long lastSent = System.nanoTime();
            Map<AlertType, Long> seconds = new java.util.EnumMap<>(AlertType.class);
            // when each alert type was first read, as a subscriber sees it
            TopicReader.readUntil(
                    kafka.clientProperties(),
                    topics.alerts,
                    records -> {
                        records.forEach(r -> seconds.putIfAbsent(
                                alertCodec.decode(r.value()).value().type(),
                                (System.nanoTime() - lastSent) / 1_000_000_000));
                        return seconds.containsKey(AlertType.OVERPARAMETERIZED_WINS);
                    },
                    Duration.ofSeconds(60));
            System.out.printf(
                    "final runs, no sweep_runs: seconds after the last event: %s (sweep quiet %s)%n",
                    seconds, app.sweepQuiet());
            assertThat(seconds).containsKeys(AlertType.MODEL_WISE_PEAK, AlertType.OVERPARAMETERIZED_WINS);
            // at the latest once the sweep quiet time has passed after its last run, not after the idle timeout
            long bound = app.sweepQuiet().toSeconds() + 10;
            assertThat(app.runIdleTimeout().toSeconds()).isGreaterThan(bound);
            assertThat(seconds.get(AlertType.MODEL_WISE_PEAK)).isLessThanOrEqualTo(bound);
            assertThat(seconds.get(AlertType.OVERPARAMETERIZED_WINS)).isLessThanOrEqualTo(bound);
        }
    }

    private static List<Alert> offline(List<EpochEvent> input) {
        List<Alert> out = PipelineOracle.alerts(input);
        assertThat(out).as("the input raises alerts").isNotEmpty();
        return out;
    }

    static Map<String, String> byId(List<Alert> alerts) {
        return PipelineOracle.byId(alerts);
    }

    private void produce(KafkaSettings kafka, String topic, List<EpochEvent> events) {
        FixtureProducer.send(kafka.clientProperties(), topic, events, EpochEvent::runId, codec::encode);
    }

    private static void produceRaw(KafkaSettings kafka, String topic, String key, String value) {
        FixtureProducer.send(
                kafka.clientProperties(), topic, List.of(value), v -> key, v -> v.getBytes(StandardCharsets.UTF_8));
    }

    private List<Alert> readAlerts(KafkaSettings kafka, String topic, int expected, Duration timeout) {
        return readRaw(kafka, topic, expected, timeout).stream()
                .map(r -> alertCodec.decode(r.value()).value())
                .toList();
    }

    static List<ConsumerRecord<String, byte[]>> readRaw(
            KafkaSettings kafka, String topic, int expected, Duration timeout) {
        return TopicReader.read(kafka.clientProperties(), topic, expected, timeout);
    }
}
