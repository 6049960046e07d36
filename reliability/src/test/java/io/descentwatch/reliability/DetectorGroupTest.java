package io.descentwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.broker.LoopbackPorts;
import io.descentwatch.broker.ScratchDirectory;
import io.descentwatch.detection.DescentDetector;
import io.descentwatch.detection.DetectionSettings;
import io.descentwatch.detection.PublishedJson;
import io.descentwatch.detection.RunState;
import io.descentwatch.detection.RunSummary;
import io.descentwatch.events.Advice;
import io.descentwatch.events.AdviceCodec;
import io.descentwatch.events.Alert;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Several detector processes of one application id at once: three share the partitions (with a standby replica of
 * each task), one is SIGKILLed while events stream in and a fourth joins under the same load. Its tasks move twice
 * (rebalances, restores from the changelog or the standby), and the alerts, the run summaries' phases and each
 * run's last stopping advice are still the offline detector's: nothing lost, nothing repeated.
 */
class DetectorGroupTest {

    @Test
    void threeInstancesAtOnceOneKilledOneAddedUnderLoadGiveTheOfflineAnswers() throws Exception {
        KafkaSettings kafka = KafkaSettings.of(TestServices.kafka().bootstrapServers());
        TopicSettings topics = TestServices.freshTopics("detector-group");
        topics.partitions = 6;
        new TopicProvisioner(kafka.clientProperties())
                .ensure(List.of(
                        TopicProvisioner.topic(topics.epochs, topics), TopicProvisioner.topic(topics.alerts, topics)));
        List<EpochEvent> input = new ArrayList<>(Fixtures.corpus(LabelledCurves.epochwise(), Fixtures.everyKthRun(12)));
        input.addAll(Fixtures.corpus(
                LabelledCurves.modelwise(), id -> id.startsWith("mw-m02/") || id.startsWith("mw-p03/")));
        DescentDetector offline = new DescentDetector(DetectionSettings.defaults());
        List<Alert> expected = new ArrayList<>();
        Map<String, Advice> expectedAdvice = new HashMap<>();
        input.forEach(e -> expected.addAll(offline.accept(e, a -> expectedAdvice.put(a.runId(), a))));
        String appId = "detector-group-" + System.nanoTime();
        int third = input.size() / 3;
        OpsEndpoints survivor = new OpsEndpoints(LoopbackPorts.free());

        try (ScratchDirectory a = ScratchDirectory.create("detector-group-a-");
                ScratchDirectory b = ScratchDirectory.create("detector-group-b-");
                ScratchDirectory c = ScratchDirectory.create("detector-group-c-");
                ScratchDirectory d = ScratchDirectory.create("detector-group-d-");
                CliProcess first = CliProcess.start("detector-a", args(kafka, topics, appId, a, survivor), Map.of());
                CliProcess second = CliProcess.start("detector-b", args(kafka, topics, appId, b, null), Map.of());
                CliProcess thirdInstance =
                        CliProcess.start("detector-d", args(kafka, topics, appId, d, null), Map.of())) {
            first.awaitOutput("detector running", Duration.ofMinutes(2));
            second.awaitOutput("detector running", Duration.ofMinutes(2));
            thirdInstance.awaitOutput("detector running", Duration.ofMinutes(2));
            Fixtures.produce(kafka, topics.epochs, input.subList(0, third));
            assertThat(Fixtures.await(
                            Duration.ofMinutes(1),
                            () -> !Fixtures.readAll(kafka, topics.alerts, 1, Duration.ofSeconds(1))
                                    .isEmpty()))
                    .as("alerts before the kill")
                    .isTrue();

            // under load: the second third streams in while one instance dies and another joins
            Thread load = new Thread(
                    () -> Fixtures.produce(kafka, topics.epochs, input.subList(third, 2 * third)),
                    "detector-group-load");
            load.start();
            second.kill();
            long alertsAtKill = Fixtures.readAll(kafka, topics.alerts, 0, Duration.ofSeconds(1))
                    .size();
            try (CliProcess added = CliProcess.start("detector-c", args(kafka, topics, appId, c, null), Map.of())) {
                added.awaitOutput("detector running", Duration.ofMinutes(2));
                load.join();
                Fixtures.produce(kafka, topics.epochs, input.subList(2 * third, input.size()));
                List<Alert> seen =
                        Fixtures.alerts(Fixtures.readAll(kafka, topics.alerts, expected.size(), Duration.ofMinutes(3)));

                Fixtures.assertSameAlerts(kafka, topics, seen, expected);
                assertThat(seen).as("no alert repeated").hasSameSizeAs(expected);
                Map<String, String> advice = lastAdvice(kafka, topics, expectedAdvice.size());
                assertThat(advice).isEqualTo(describeAdvice(expectedAdvice));
                Map<String, String> phases =
                        lastPhases(kafka, topics, offline.runs().size());
                assertThat(phases).isEqualTo(describePhases(offline.runs()));

                String metrics = survivor.metrics();
                double rebalances =
                        OpsEndpoints.sample(metrics, "descentwatch_detector_rebalances_total{service=\"detector\"}");
                // the group forming, then b's death and c's arrival (one rebalance when c joins before b's session
                // runs out): the survivor took part in each
                assertThat(rebalances).isGreaterThanOrEqualTo(2);
                Map<String, Object> log = new LinkedHashMap<>();
                log.put("instances_at_once", 3);
                log.put("instances_in_all", 4);
                log.put("partitions", topics.partitions);
                log.put("events_sent", input.size());
                log.put("alerts_committed_before_kill", alertsAtKill);
                log.put("alerts_expected", expected.size());
                log.put("alerts_seen", seen.size());
                log.put("duplicate_alerts", seen.size() - Fixtures.byId(seen).size());
                log.put("runs_with_advice", advice.size());
                log.put("run_phases_compared", phases.size());
                log.put("survivor_rebalances", (long) rebalances);
                ReliabilityLog.record("detector-group", log);
            }
        }
    }

    /** Each run's last advice on the compacted advice topic, by what it says. */
    private static Map<String, String> lastAdvice(KafkaSettings kafka, TopicSettings topics, int runs) {
        AdviceCodec codec = new AdviceCodec();
        Map<String, Advice> last = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : Fixtures.readAll(kafka, topics.advice, runs, Duration.ofSeconds(30))) {
            if (r.value() != null) {
                Advice advice = codec.decode(r.value()).value();
                last.put(advice.runId(), advice);
            }
        }
        return describeAdvice(last);
    }

    private static Map<String, String> describeAdvice(Map<String, Advice> advice) {
        Map<String, String> out = new TreeMap<>();
        advice.forEach(
                (run, a) -> out.put(run, a.verdict() + " " + a.basis() + " @" + a.epoch() + " best@" + a.bestEpoch()));
        return out;
    }

    /** Each run's phase and whether it ended, as the latest summary on the runs topic says. */
    private static Map<String, String> lastPhases(KafkaSettings kafka, TopicSettings topics, int runs) {
        PublishedJson json = new PublishedJson();
        Map<String, String> last = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> r : Fixtures.readAll(kafka, topics.runs, runs, Duration.ofSeconds(30))) {
            if (r.value() != null) {
                RunSummary s = json.decodeSummary(r.value());
                last.put(s.runId(), s.phase() + (s.finished() ? " finished" : ""));
            }
        }
        return last;
    }

    private static Map<String, String> describePhases(Map<String, RunState> runs) {
        Map<String, String> out = new TreeMap<>();
        runs.forEach((run, s) -> out.put(run, s.phase() + (s.finished() ? " finished" : "")));
        return out;
    }

    private static List<String> args(
            KafkaSettings kafka, TopicSettings topics, String appId, ScratchDirectory state, OpsEndpoints ops) {
        List<String> args = Fixtures.quickFailoverDetectorArgs(
                kafka,
                topics,
                appId,
                state,
                "--partitions",
                String.valueOf(topics.partitions),
                "--stream-threads",
                "1",
                "--kafka-property",
                "num.standby.replicas=1");
        if (ops != null) {
            args.addAll(List.of("--ops-port", String.valueOf(ops.port())));
        }
        return args;
    }
}
