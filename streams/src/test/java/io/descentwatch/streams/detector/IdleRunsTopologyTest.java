package io.descentwatch.streams.detector;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.detection.DescentDetector;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.PublishedJson;
import io.descentwatch.detection.RunSummary;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertCodec;
import io.descentwatch.events.AlertScope;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.options.Ranges;
import io.descentwatch.testkit.LabelledCurves;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs that stop without saying so, as other trainers send them (no {@code final}, no {@code sweep_runs}): the
 * streaming detector ends them by the wall clock after the idle timeout, and then reaches the same sweep verdicts as
 * the offline detector does at the end of its input.
 */
class IdleRunsTopologyTest {

    private static final Duration IDLE = Duration.ofMinutes(1);
    private final TopicSettings topics = TopicSettings.defaults();
    private final EpochEventCodec codec = new EpochEventCodec();
    private final AlertCodec alertCodec = new AlertCodec();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> input;
    private TestOutputTopic<String, byte[]> alertsOut;
    private TestOutputTopic<String, byte[]> runsOut;

    static StreamsAppSettings withIdleTimeout(Duration timeout) {
        StreamsAppSettings app = Ranges.parse(new StreamsAppSettings(), "--run-idle-timeout", timeout.toString());
        app.applicationId = "idle-test";
        app.stateDir = Path.of("unused");
        return app;
    }

    @BeforeEach
    void start() {
        java.util.Properties p = new java.util.Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "idle-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(
                DescentTopology.build(topics, DetectionSettings.defaults(), withIdleTimeout(IDLE)), p);
        input = driver.createInputTopic(topics.epochs, new StringSerializer(), new ByteArraySerializer());
        alertsOut = driver.createOutputTopic(topics.alerts, new StringDeserializer(), new ByteArrayDeserializer());
        runsOut = driver.createOutputTopic(topics.runs, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** Two real preset sweeps (random features, min-norm linear), stripped as other trainers send them. */
    private List<EpochEvent> strippedSweeps() {
        return LabelledCurves.strippedPresetSweeps(Set.of("rf-s5", "mn-s3")).stream()
                .map(l -> codec.decode(l).value())
                .toList();
    }

    @Test
    void idleRunsEndAndTheSweepIsDecidedAsOfflineAtTheEndOfTheInput() throws IOException {
        List<EpochEvent> events = strippedSweeps();
        DescentDetector offline = new DescentDetector(DetectionSettings.defaults());
        for (EpochEvent e : events) {
            input.pipeInput(e.runId(), codec.encode(e));
            offline.accept(e);
        }
        List<Alert> expected = offline.endOfInput();
        assertThat(expected)
                .extracting(Alert::type)
                .contains(AlertType.MODEL_WISE_PEAK, AlertType.OVERPARAMETERIZED_WINS);

        List<Alert> beforeIdle = alerts();
        assertThat(beforeIdle)
                .filteredOn(a -> a.scope() == AlertScope.SWEEP)
                .extracting(Alert::type)
                .as("nothing ended yet: no peak, no win")
                .doesNotContain(AlertType.MODEL_WISE_PEAK, AlertType.OVERPARAMETERIZED_WINS);
        driver.advanceWallClockTime(IDLE.dividedBy(2));
        assertThat(alerts()).as("half the idle timeout decides nothing").isEmpty();

        driver.advanceWallClockTime(IDLE);
        List<Alert> afterIdle = alerts();
        assertThat(ids(afterIdle)).isEqualTo(ids(expected));

        Map<String, RunSummary> latest = latestSummaries();
        assertThat(latest).hasSize(28);
        assertThat(latest.values())
                .allSatisfy(s -> assertThat(s.idle()).as(s.runId()).isTrue());
    }

    @Test
    void runsThatSaidFinalCompleteTheSweepAfterTheSweepQuietTimeNotTheIdleTimeout() throws IOException {
        // as a trainer that ends each run with final but never says how many runs its sweep has
        List<EpochEvent> events = endingWithFinal(strippedSweeps());
        DescentDetector offline = new DescentDetector(DetectionSettings.defaults());
        List<Alert> expected = new java.util.ArrayList<>();
        for (EpochEvent e : events) {
            input.pipeInput(e.runId(), codec.encode(e));
            expected.addAll(offline.accept(e));
        }
        expected.addAll(offline.endOfInput());
        List<Alert> live = new java.util.ArrayList<>(alerts());
        assertThat(live)
                .extracting(Alert::type)
                .as("the win waits until no more runs can come")
                .doesNotContain(AlertType.OVERPARAMETERIZED_WINS);

        Duration quiet = withIdleTimeout(IDLE).sweepQuiet();
        assertThat(quiet).isLessThan(IDLE);
        driver.advanceWallClockTime(quiet.plusSeconds(1));
        live.addAll(alerts());
        assertThat(sweepVerdicts(live))
                .as("complete after the sweep quiet time, as offline at the end of its input")
                .isEqualTo(sweepVerdicts(expected));
        assertThat(live).extracting(Alert::type).contains(AlertType.MODEL_WISE_PEAK, AlertType.OVERPARAMETERIZED_WINS);
        assertThat(latestSummaries().values())
                .allSatisfy(s -> assertThat(s.idle()).as(s.runId()).isTrue());
    }

    /** The events with each run's last one marked final, as a trainer that ends its runs with final sends them. */
    static List<EpochEvent> endingWithFinal(List<EpochEvent> events) {
        Map<String, EpochEvent> lastOfRun = new LinkedHashMap<>();
        events.forEach(e -> lastOfRun.put(e.runId(), e));
        return events.stream()
                .map(e -> lastOfRun.get(e.runId()) == e ? e.withFinal(true) : e)
                .toList();
    }

    /** A sweep's verdicts as type, sweep and size: when a verdict fires may differ, what it names may not. */
    private static Set<String> sweepVerdicts(List<Alert> alerts) {
        return alerts.stream()
                .filter(a -> a.scope() == AlertScope.SWEEP)
                .map(a -> a.type() + " " + a.sweepId() + " P=" + a.paramCount())
                .collect(Collectors.toSet());
    }

    @Test
    void anEventAfterTheIdleTimeoutBringsTheRunBack() throws IOException {
        List<EpochEvent> events = strippedSweeps();
        for (EpochEvent e : events) {
            input.pipeInput(e.runId(), codec.encode(e));
        }
        driver.advanceWallClockTime(IDLE.multipliedBy(2));
        EpochEvent last = events.get(events.size() - 1);
        latestSummaries();
        EpochEvent more = last.toBuilder()
                .epoch(last.epoch() + 100)
                .trainError(null)
                .testError(null)
                .time(last.time().plusSeconds(60))
                .isFinal(false)
                .build();
        input.pipeInput(more.runId(), codec.encode(more));
        assertThat(latestSummaries().get(more.runId()).idle()).isFalse();
        driver.advanceWallClockTime(IDLE.multipliedBy(2));
        assertThat(latestSummaries().get(more.runId()).idle()).isTrue();
    }

    /**
     * The activity store is written once per idle check (1.5 s here), not on every event; a run must still be
     * timed from its last event. Checks fall every 1.5 s from the start, so the one at 60 s sees a run last
     * written at 0 s but last heard at 1 s: ending it there would be a second early.
     */
    @Test
    void aRunIsTimedFromItsLastEventNotItsLastWriteToTheActivityStore() {
        Instant t = Instant.parse("2026-12-01T00:00:00Z");
        input.pipeInput("r", codec.encode(event(1, 1.0, t)));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        input.pipeInput("r", codec.encode(event(2, 0.9, t.plusSeconds(1))));
        driver.advanceWallClockTime(IDLE.minusMillis(500));
        assertThat(latestSummaries().get("r").idle())
                .as("59.5 s after its last event")
                .isFalse();
        driver.advanceWallClockTime(Duration.ofMillis(1_500));
        assertThat(latestSummaries().get("r").idle())
                .as("61 s after its last event")
                .isTrue();
    }

    private static EpochEvent event(long epoch, double loss, Instant time) {
        return EpochEvent.builder()
                .runId("r")
                .sweepId("s")
                .epoch(epoch)
                .trainLoss(loss)
                .testLoss(loss)
                .paramCount(1_000)
                .trainSize(100)
                .time(time)
                .build();
    }

    private List<Alert> alerts() {
        return alertsOut.readValuesToList().stream()
                .map(b -> alertCodec.decode(b).value())
                .toList();
    }

    private Map<String, RunSummary> latestSummaries() {
        Map<String, RunSummary> latest = new LinkedHashMap<>();
        PublishedJson state = new PublishedJson();
        runsOut.readKeyValuesToList().forEach(kv -> latest.put(kv.key, state.decodeSummary(kv.value)));
        return latest;
    }

    private static Set<String> ids(List<Alert> alerts) {
        return alerts.stream()
                .map(a -> a.type() + " " + a.alertId() + " P=" + a.paramCount())
                .collect(Collectors.toSet());
    }
}
