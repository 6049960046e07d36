package io.descentwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.broker.EmbeddedKafkaBroker;
import io.descentwatch.cli.DescentWatchCommand;
import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.TestServices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A worker process killed outright in the middle of a job: its job goes back to the group, another worker trains
 * it again from the start, and the sweep completes with every run published in full.
 */
class WorkerKillTest {

    /** Group timeouts short enough that a dead member's jobs move in seconds (the broker defaults are 45 s). */
    static final Map<String, String> FAST_GROUPS = Map.of(
            "group.consumer.min.session.timeout.ms",
            "6000",
            "group.consumer.session.timeout.ms",
            "6000",
            "group.consumer.min.heartbeat.interval.ms",
            "1000",
            "group.consumer.heartbeat.interval.ms",
            "1000");

    private static final int RUNS = 3;
    private static final int EPOCHS = 5000;

    @Test
    void aKilledWorkersJobIsTrainedByAnotherAndTheSweepCompletes() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, FAST_GROUPS)) {
            KafkaSettings kafka = KafkaSettings.of(broker.bootstrapServers());
            TopicSettings topics = TestServices.freshTopics("kill-worker");
            List<String> where = List.of(
                    "--bootstrap",
                    broker.bootstrapServers(),
                    "--topic-jobs",
                    topics.jobs,
                    "--topic-epochs",
                    topics.epochs);
            // the network engine: a few seconds per run, long enough to die in the middle of one
            List<String> sweep = new ArrayList<>(List.of(
                    "sweep",
                    "--preset",
                    "two-scale-epochwise",
                    "--quick",
                    "--sweep-id",
                    "kill-worker",
                    "--seeds",
                    "1,2,3",
                    "--epochs",
                    String.valueOf(EPOCHS),
                    "--eval",
                    "every",
                    "--engine",
                    "network"));
            sweep.addAll(where);
            assertThat(DescentWatchCommand.commandLine().execute(sweep.toArray(String[]::new)))
                    .isZero();

            List<String> worker = new ArrayList<>(List.of("worker", "--workers", "1", "--exit-when-idle", "PT15S"));
            worker.addAll(where);
            // the victim starts alone, so that it surely has a job when it dies; the survivor joins meanwhile
            try (CliProcess victim = CliProcess.start("worker-victim", worker, Map.of())) {
                victim.awaitOutput("training ", Duration.ofMinutes(2));
                String job = victim.output()
                        .lines()
                        .filter(l -> l.startsWith("training "))
                        .findFirst()
                        .orElseThrow()
                        .substring("training ".length());
                try (CliProcess survivor = CliProcess.start("worker-survivor", worker, Map.of())) {
                    survivor.awaitOutput("take jobs", Duration.ofMinutes(2));
                    // killed while its run's events are arriving
                    assertThat(Fixtures.await(
                                    Duration.ofMinutes(2),
                                    () -> runsSeen(kafka, topics.epochs).contains(job)))
                            .as(job + " under way")
                            .isTrue();
                    victim.kill();
                    assertThat(survivor.awaitExit(Duration.ofMinutes(4)))
                            .as(survivor.output())
                            .isZero();
                    assertThat(survivor.output()).contains("trained " + job);
                }
            }

            Map<String, List<Long>> epochsByRun = new TreeMap<>();
            List<ConsumerRecord<String, byte[]>> records =
                    Fixtures.readAll(kafka, topics.epochs, 0, Duration.ofSeconds(5));
            EpochEventCodec codec = new EpochEventCodec();
            long finals = 0;
            for (ConsumerRecord<String, byte[]> r : records) {
                EpochEvent e = codec.decode(r.value()).value();
                epochsByRun.computeIfAbsent(e.runId(), k -> new ArrayList<>()).add(e.epoch());
                finals += e.isFinal() ? 1 : 0;
            }
            assertThat(epochsByRun).hasSize(RUNS);
            long retrained = 0;
            for (Map.Entry<String, List<Long>> run : epochsByRun.entrySet()) {
                Set<Long> distinct = Set.copyOf(run.getValue());
                assertThat(distinct).as(run.getKey() + " complete").hasSize(EPOCHS + 1);
                if (run.getValue().size() > distinct.size()) {
                    retrained++;
                }
            }
            assertThat(retrained)
                    .as("the killed worker's run was trained again")
                    .isGreaterThanOrEqualTo(1);
            assertThat(finals).as("each run ended once").isEqualTo(RUNS);
            ReliabilityLog.record(
                    "worker-killed",
                    Map.of(
                            "runs_planned",
                            RUNS,
                            "runs_complete",
                            epochsByRun.size(),
                            "runs_retrained_after_the_kill",
                            retrained,
                            "events_received",
                            records.size(),
                            "events_in_complete_runs",
                            (long) RUNS * (EPOCHS + 1)));
        }
    }

    private static Set<String> runsSeen(KafkaSettings kafka, String topic) {
        EpochEventCodec codec = new EpochEventCodec();
        return Fixtures.readAll(kafka, topic, 0, Duration.ofMillis(500)).stream()
                .map(r -> codec.decode(r.value()).value().runId())
                .collect(Collectors.toSet());
    }
}
