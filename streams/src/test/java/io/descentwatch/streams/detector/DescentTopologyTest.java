package io.descentwatch.streams.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.detection.DescentDetector;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.PublishedJson;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.LabelledCurves;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DescentTopologyTest {

    private final TopicSettings topics = TopicSettings.defaults();
    private final EpochEventCodec events = new EpochEventCodec();
    private final AlertCodec alerts = new AlertCodec();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> input;
    private TestOutputTopic<String, byte[]> alertsOut;
    private TestOutputTopic<String, byte[]> deadLetters;
    private TestOutputTopic<String, byte[]> runsOut;

    @BeforeEach
    void start() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(
                DescentTopology.build(
                        topics,
                        DetectionSettings.defaults(),
                        StreamsAppSettings.defaults("topology-test", Path.of("unused"))),
                p);
        input = driver.createInputTopic(topics.epochs, new StringSerializer(), new ByteArraySerializer());
        alertsOut = driver.createOutputTopic(topics.alerts, new StringDeserializer(), new ByteArrayDeserializer());
        deadLetters =
                driver.createOutputTopic(topics.deadLetters, new StringDeserializer(), new ByteArrayDeserializer());
        runsOut = driver.createOutputTopic(topics.runs, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void badRecordsGoToTheDeadLetterTopicWithTheirReasonAndOriginalBytes() {
        byte[] garbage = {0x01, 0x02, (byte) 0xff};
        byte[] wrongType = """
                {"schema":"descentwatch.epoch/v1","run_id":"r","sweep_id":"s","epoch":"one","train_loss":1,
                 "test_loss":1,"param_count":1,"train_size":1,"time":"2026-01-01T00:00:00Z"}""".getBytes(StandardCharsets.UTF_8);
        input.pipeInput("k1", garbage);
        input.pipeInput("k2", wrongType);
        input.pipeInput(
                "r",
                events.encode(EpochEvent.builder()
                        .runId("r")
                        .sweepId("s")
                        .epoch(1)
                        .trainLoss(1.0)
                        .testLoss(1.0)
                        .paramCount(10)
                        .trainSize(10)
                        .time(Instant.EPOCH)
                        .build()));

        List<TestRecord<String, byte[]>> dlq = deadLetters.readRecordsToList();
        assertThat(dlq).hasSize(2);
        assertThat(dlq.get(0).key()).isEqualTo("k1");
        assertThat(dlq.get(0).value()).isEqualTo(garbage);
        assertThat(header(dlq.get(0), "dw.rejection.kind")).isEqualTo("NOT_JSON");
        assertThat(dlq.get(1).value()).isEqualTo(wrongType);
        assertThat(header(dlq.get(1), "dw.rejection.kind")).isEqualTo("WRONG_TYPE");
        assertThat(header(dlq.get(1), "dw.rejection.reason")).contains("'epoch'");
        assertThat(header(dlq.get(1), "dw.source.topic")).isEqualTo(topics.epochs);
        assertThat(header(dlq.get(1), "dw.source.offset")).isEqualTo("1");
        assertThat(runsOut.readRecordsToList()).extracting(TestRecord::key).containsOnly("r");
    }

    @Test
    void theTopologyRaisesExactlyWhatTheOfflineDetectorRaises() throws IOException {
        List<EpochEvent> sample = sample(LabelledCurves.epochwise(), 12);
        sample.addAll(sample(LabelledCurves.modelwise(), 3));
        DescentDetector offline = new DescentDetector(DetectionSettings.defaults());
        List<Alert> expected = new ArrayList<>();
        for (EpochEvent e : sample) {
            input.pipeInput(e.runId(), events.encode(e));
            expected.addAll(offline.accept(e));
        }
        List<Alert> actual = alertsOut.readValuesToList().stream()
                .map(b -> alerts.decode(b).value())
                .toList();
        assertThat(expected)
                .as("the sample holds alerts of both scopes")
                .extracting(Alert::type)
                .contains(AlertType.SECOND_DESCENT, AlertType.INTERPOLATION_THRESHOLD);
        assertThat(ids(actual)).isEqualTo(ids(expected));
        assertThat(actual).hasSameSizeAs(expected);
    }

    @Test
    void retransmittedEventsRaiseNothingTwice() throws IOException {
        List<EpochEvent> run = sample(LabelledCurves.epochwise(), 4);
        for (EpochEvent e : run) {
            input.pipeInput(e.runId(), events.encode(e));
        }
        List<byte[]> first = alertsOut.readValuesToList();
        assertThat(first).isNotEmpty();
        for (EpochEvent e : run) {
            input.pipeInput(e.runId(), events.encode(e));
        }
        assertThat(alertsOut.readValuesToList()).isEmpty();
    }

    @Test
    void eventsKeyedOtherwiseAreStillDetectedPerRun() throws IOException {
        List<EpochEvent> run = sample(LabelledCurves.epochwise(), 4);
        DescentDetector offline = new DescentDetector(DetectionSettings.defaults());
        List<Alert> expected = new ArrayList<>();
        for (EpochEvent e : run) {
            input.pipeInput((String) null, events.encode(e));
            expected.addAll(offline.accept(e));
        }
        List<Alert> actual = alertsOut.readValuesToList().stream()
                .map(b -> alerts.decode(b).value())
                .toList();
        assertThat(ids(actual)).isEqualTo(ids(expected)).isNotEmpty();
    }

    @Test
    void lossOnlySummariesArePublishedOncePerIntervalAndTheLastAtOnce() {
        StreamsAppSettings app = StreamsAppSettings.defaults("topology-test", Path.of("unused"));
        // test loss falls 10% per epoch: every event moves the summary by more than the summary step
        for (int epoch = 1; epoch <= 20; epoch++) {
            input.pipeInput(
                    "r",
                    events.encode(EpochEvent.builder()
                            .runId("r")
                            .sweepId("s")
                            .epoch(epoch)
                            .trainLoss(2.0)
                            .testLoss(Math.pow(0.9, epoch))
                            .paramCount(1_000)
                            .trainSize(100)
                            .time(Instant.EPOCH.plusSeconds(epoch))
                            .build()));
        }
        List<Long> before = publishedEpochs();
        assertThat(before).as("status changes go out at once").contains(1L).doesNotContain(20L);

        assertThat(app.summaryInterval).isGreaterThan(Duration.ofMillis(app.commitIntervalMs));
        driver.advanceWallClockTime(Duration.ofMillis(app.commitIntervalMs));
        assertThat(publishedEpochs())
                .as("loss-only summaries wait for the summary interval, not a commit")
                .isEmpty();
        driver.advanceWallClockTime(app.summaryInterval.minusMillis(app.commitIntervalMs));
        assertThat(publishedEpochs()).as("only the latest waiting summary").containsExactly(20L);
        driver.advanceWallClockTime(app.summaryInterval);
        assertThat(publishedEpochs()).isEmpty();

        input.pipeInput(
                "r",
                events.encode(EpochEvent.builder()
                        .runId("r")
                        .sweepId("s")
                        .epoch(21)
                        .trainLoss(2.0)
                        .testLoss(0.1)
                        .paramCount(1_000)
                        .trainSize(100)
                        .time(Instant.EPOCH.plusSeconds(21))
                        .build()
                        .withFinal(true)));
        assertThat(publishedEpochs())
                .as("a run's last summary goes out at once")
                .containsExactly(21L);
    }

    private List<Long> publishedEpochs() {
        return runsOut.readValuesToList().stream()
                .map(b -> new PublishedJson().decodeSummary(b).epoch())
                .toList();
    }

    /** The events of the first {@code runs} runs (of a model-wise file: sweeps) of a corpus file, in file order. */
    static List<EpochEvent> sample(Path file, int runs) {
        EpochEventCodec codec = new EpochEventCodec();
        return new ArrayList<>(LabelledCurves.firstRuns(file, runs).stream()
                .map(l -> codec.decode(l).value())
                .toList());
    }

    private static Set<String> ids(List<Alert> alerts) {
        return alerts.stream()
                .map(a -> a.type() + " " + a.alertId() + " @" + a.epoch())
                .collect(Collectors.toSet());
    }

    private static String header(TestRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
