package io.descentwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.bench.SizedSweeps;
import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.events.Alert;
import io.descentwatch.events.AlertType;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.TestServices;
import io.descentwatch.testkit.TopicReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A sweep of 10,000 runs and a small sweep on one partition, the detector killed in the middle and started again
 * with no local state: every alert of both sweeps comes once (those the offline detector raises), and the small
 * sweep's alerts come as soon as its last runs end, not held up behind the big sweep.
 */
class LargeSweepRestartTest {

    private static final int BIG_RUNS = 10_000;
    private static final int SIZES = 20;
    private static final int SMALL_RUNS = 14;
    private static final int EVALUATIONS = 4;
    /**
     * From the last event sent to the small sweep's last alert: what processing the big sweep's events still
     * queued before it takes, and a commit. A sweep detector stalled on the big sweep would not meet it at all.
     */
    private static final Duration ON_TIME = Duration.ofSeconds(20);

    /** Run-major per sweep, the two sweeps interleaved: each run's events in order, the sweeps side by side. */
    private static List<EpochEvent> events() {
        SizedSweeps big = new SizedSweeps("big", BIG_RUNS, SIZES, EVALUATIONS, 0.1);
        SizedSweeps small = new SizedSweeps("small", SMALL_RUNS, SMALL_RUNS, EVALUATIONS, 0.02);
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        List<EpochEvent> all = new ArrayList<>();
        int bigPerSmall = BIG_RUNS / SMALL_RUNS;
        for (int epoch = 1; epoch <= EVALUATIONS; epoch++) {
            for (int run = 0; run < BIG_RUNS; run++) {
                all.add(big.event(run, epoch, t0.plusMillis(all.size())));
                if (run % bigPerSmall == 0 && run / bigPerSmall < SMALL_RUNS) {
                    // the small sweep says how many runs it plans, so it is complete without going quiet
                    EpochEvent e = small.event(run / bigPerSmall, epoch, t0.plusMillis(all.size()));
                    all.add(e.toBuilder()
                            .tags(Map.of(EpochEvent.SWEEP_RUNS_TAG, String.valueOf(SMALL_RUNS)))
                            .build());
                }
            }
        }
        return all;
    }

    @Test
    void theSmallSweepIsDecidedOnTimeAndNothingIsLostOrRepeatedAcrossARestart() throws Exception {
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        TopicSettings topics = TestServices.freshTopics("large-sweep");
        // one partition: the two sweeps' summaries share the sweep detector's partition
        topics.partitions = 1;
        new TopicProvisioner(kafka.clientProperties())
                .ensure(List.of(
                        TopicProvisioner.topic(topics.epochs, topics), TopicProvisioner.topic(topics.alerts, topics)));
        List<EpochEvent> input = events();
        // no run goes quiet while the test runs (the idle timeout is the default), so no end of input offline
        List<Alert> expected = Fixtures.offline(input);
        assertThat(expected)
                .filteredOn(a -> a.sweepId().startsWith("small/"))
                .extracting(Alert::type)
                .contains(AlertType.INTERPOLATION_THRESHOLD, AlertType.MODEL_WISE_PEAK);
        assertThat(expected)
                .filteredOn(a -> a.sweepId().startsWith("big/"))
                .extracting(Alert::type)
                .contains(AlertType.INTERPOLATION_THRESHOLD);

        String appId = "large-sweep-" + System.nanoTime();
        int half = input.size() / 2;
        try (ScratchDirectory first = ScratchDirectory.create("large-sweep-a-");
                ScratchDirectory second = ScratchDirectory.create("large-sweep-b-")) {
            try (CliProcess detector = CliProcess.start("detector-1", args(kafka, topics, appId, first), Map.of())) {
                detector.awaitOutput("detector running", Duration.ofMinutes(2));
                Fixtures.produce(kafka, topics.epochs, input.subList(0, half));
                // no alert comes before a run's fourth evaluation: kill it once it has committed run summaries
                assertThat(Fixtures.await(
                                Duration.ofMinutes(1),
                                () -> !Fixtures.readAll(kafka, topics.runs, 1, Duration.ofSeconds(1))
                                        .isEmpty()))
                        .as("summaries before the kill")
                        .isTrue();
                detector.kill();
            }
            try (CliProcess detector = CliProcess.start("detector-2", args(kafka, topics, appId, second), Map.of())) {
                detector.awaitOutput("detector running", Duration.ofMinutes(2));
                Fixtures.produce(kafka, topics.epochs, input.subList(half, input.size()));
                long sent = System.currentTimeMillis();
                Map<String, Long> arrivals = new java.util.HashMap<>();
                int[] arrived = {0};
                List<Alert> seen = Fixtures.alerts(TopicReader.readUntil(
                        kafka.clientProperties(),
                        topics.alerts,
                        got -> {
                            long now = System.currentTimeMillis();
                            for (; arrived[0] < got.size(); arrived[0]++) {
                                ConsumerRecord<String, byte[]> r = got.get(arrived[0]);
                                arrivals.put(r.key() + "/" + r.offset(), now);
                            }
                            return got.size() >= expected.size();
                        },
                        Duration.ofMinutes(3)));

                // thousands of alerts: name the differences, not both lists
                Map<String, String> want = Fixtures.byId(expected);
                Map<String, String> got = Fixtures.byId(seen);
                assertThat(want.entrySet().stream()
                                .filter(e -> !e.getValue().equals(got.get(e.getKey())))
                                .limit(10)
                                .map(e -> e.getValue() + " came as " + got.get(e.getKey()))
                                .toList())
                        .as("alerts missing or different (%d of %d seen)", seen.size(), expected.size())
                        .isEmpty();
                assertThat(got.keySet().stream()
                                .filter(k -> !want.containsKey(k))
                                .limit(10)
                                .map(got::get)
                                .toList())
                        .as("alerts the offline detector does not raise")
                        .isEmpty();
                assertThat(seen).as("no alert repeated").hasSameSizeAs(expected);
                long late = Long.MIN_VALUE;
                for (ConsumerRecord<String, byte[]> r :
                        Fixtures.readAll(kafka, topics.alerts, expected.size(), Duration.ofSeconds(30))) {
                    Alert a = Fixtures.alerts(List.of(r)).get(0);
                    if (a.sweepId().startsWith("small/")
                            && a.type().scope() == io.descentwatch.events.AlertScope.SWEEP) {
                        late = Math.max(late, arrivals.get(r.key() + "/" + r.offset()) - sent);
                    }
                }
                assertThat(late)
                        .as("ms from the last event sent to the small sweep's last sweep alert")
                        .isBetween(0L, ON_TIME.toMillis());
                ReliabilityLog.record(
                        "large-sweep-restart",
                        Map.of(
                                "events_sent",
                                input.size(),
                                "alerts_expected",
                                expected.size(),
                                "alerts_seen",
                                seen.size(),
                                "small_sweep_last_alert_ms_after_last_event",
                                late));
            }
        }
    }

    private static List<String> args(KafkaSettings kafka, TopicSettings topics, String appId, ScratchDirectory state) {
        return Fixtures.quickFailoverDetectorArgs(kafka, topics, appId, state, "--partitions", "1");
    }
}
