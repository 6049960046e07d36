package io.descentwatch.producer.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.kafka.TopicProvisioner;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.producer.output.EventOutput;
import io.descentwatch.producer.output.KafkaOutput;
import io.descentwatch.producer.training.EvalSchedule;
import io.descentwatch.producer.training.Evaluation;
import io.descentwatch.producer.training.KafkaRecords;
import io.descentwatch.producer.training.Parameters;
import io.descentwatch.producer.training.Preset;
import io.descentwatch.producer.training.Presets;
import io.descentwatch.producer.training.RunSpec;
import io.descentwatch.producer.training.TwoScalePreset;
import io.descentwatch.testkit.TestServices;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The distributed path on the real broker: sweep -> jobs topic -> a consumer group of workers -> epochs topic. */
class JobWorkerIntegrationTest {

    static final String GROUP = "test-workers";

    @Test
    void aSweepCompletesWhenOneWorkerDiesMidJob() throws Exception {
        TopicSettings topics = TestServices.freshTopics("jobs-kill");
        Properties client = new Properties();
        client.put("bootstrap.servers", TestServices.kafka().bootstrapServers());
        new TopicProvisioner(client)
                .ensure(List.of(
                        TopicProvisioner.topic(topics.jobs, topics), TopicProvisioner.topic(topics.epochs, topics)));

        // four runs long enough (a second or two each) to be killed in the middle
        Preset preset = Presets.named(TwoScalePreset.NAME);
        Parameters settings = Parameters.resolve(
                preset.parameters(), true, Map.of("epochs", "6000", "seeds", "1..4", "eval", "log:10"), preset.name());
        List<RunSpec> runs = preset.plan("kill-test", settings);
        long expectedPerRun = new EvalSchedule(EvalSchedule.Kind.LOG, 10).epochs(6000).length;

        Map<String, String> finishedBy = new ConcurrentHashMap<>();
        Map<String, String> startedBy = new ConcurrentHashMap<>();
        CountDownLatch someoneMidRun = new CountDownLatch(1);
        CountDownLatch allFinished = new CountDownLatch(runs.size());
        String[] victimRun = new String[1];
        try (KafkaOutput kafka = KafkaOutput.create(client, topics.epochs, Duration.ofSeconds(30))) {
            // whichever worker is first 20 events into a run is the victim
            EventOutput watched = midRun(kafka, victimRun, someoneMidRun);
            Map<String, JobWorker> workers = new HashMap<>();
            Map<String, Thread> threads = new HashMap<>();
            for (String name : List.of("a", "b")) {
                JobWorker w = worker(client, topics, watched, name, startedBy, finishedBy, allFinished);
                workers.put(name, w);
                threads.put(name, new Thread(w, "worker-" + name));
            }
            threads.values().forEach(Thread::start);
            new JobPublisher(client, topics.jobs).publish(runs, Duration.ofSeconds(30));

            assertThat(someoneMidRun.await(60, TimeUnit.SECONDS))
                    .as("a worker is in the middle of a run")
                    .isTrue();
            String victim = startedBy.get(victimRun[0]);
            String survivor = victim.equals("a") ? "b" : "a";
            workers.get(victim).kill();
            threads.get(victim).join(15_000);
            assertThat(threads.get(victim).isAlive()).isFalse();
            assertThat(finishedBy).doesNotContainKey(victimRun[0]);

            assertThat(allFinished.await(90, TimeUnit.SECONDS))
                    .as("every run finished: " + finishedBy)
                    .isTrue();
            // the victim's job was trained again, by the survivor
            assertThat(finishedBy).containsEntry(victimRun[0], survivor);
            workers.get(survivor).stop();
            threads.get(survivor).join(15_000);
        }

        // every run is complete on the epochs topic: the killed run's partial events, then a complete retraining
        List<ConsumerRecord<String, EpochEvent>> records = KafkaRecords.readUntil(
                topics.epochs, r -> r.stream().filter(x -> x.value().isFinal()).count() >= runs.size());
        Map<String, List<EpochEvent>> perRun = new HashMap<>();
        records.forEach(
                r -> perRun.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value()));
        assertThat(perRun.keySet()).isEqualTo(runs.stream().map(RunSpec::runId).collect(Collectors.toSet()));
        perRun.forEach((run, events) -> {
            List<EpochEvent> finals =
                    events.stream().filter(EpochEvent::isFinal).toList();
            assertThat(finals).as(run).hasSize(1);
            // the last complete attempt: from the last epoch-0 event on, every scheduled epoch once, in order
            int start = 0;
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i).epoch() == 0) {
                    start = i;
                }
            }
            List<EpochEvent> attempt = events.subList(start, events.size());
            assertThat(attempt).as(run).hasSize((int) expectedPerRun);
            assertThat(attempt).extracting(EpochEvent::epoch).isSorted().doesNotHaveDuplicates();
            assertThat(attempt.get(attempt.size() - 1).isFinal()).isTrue();
            if (run.equals(victimRun[0])) {
                assertThat(events.size())
                        .as("the killed attempt published some events first")
                        .isGreaterThan(attempt.size());
            } else {
                assertThat(events).hasSize((int) expectedPerRun);
            }
        });

        // and the group has committed every job: nothing is left for a new worker
        try (Admin admin = Admin.create(client)) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            long committedJobs = committed.entrySet().stream()
                    .filter(e -> e.getKey().topic().equals(topics.jobs))
                    .mapToLong(e -> e.getValue().offset())
                    .sum();
            assertThat(committedJobs).isEqualTo(runs.size());
        }
    }

    @Test
    void aJobRoundTripsThroughItsJson() {
        Preset preset = Presets.named("rf-modelwise");
        RunSpec run = preset.plan("s", Parameters.resolve(preset.parameters(), true, Map.of(), "rf-modelwise"))
                .get(3);
        JobCodec codec = new JobCodec();
        assertThat(codec.decode(codec.encode(run))).isEqualTo(run);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> codec.decode("{\"schema\":\"x\"}".getBytes()))
                .hasMessageContaining("schema is 'x'");
    }

    private static JobWorker worker(
            Properties client,
            TopicSettings topics,
            EventOutput sink,
            String name,
            Map<String, String> startedBy,
            Map<String, String> finishedBy,
            CountDownLatch allFinished) {
        return new JobWorker(
                client,
                GROUP,
                topics.jobs,
                sink,
                Duration.ofMinutes(5),
                new JobWorker.Listener() {
                    @Override
                    public void jobStarted(RunSpec run) {
                        startedBy.put(run.runId(), name);
                    }

                    @Override
                    public void jobFinished(RunSpec run, Evaluation last) {
                        if (finishedBy.putIfAbsent(run.runId(), name) == null) {
                            allFinished.countDown();
                        }
                    }
                },
                Clock.systemUTC());
    }

    /** Passes events on and signals once the first run is 20 events in (of 38), naming it. */
    private static EventOutput midRun(EventOutput sink, String[] victimRun, CountDownLatch midRun) {
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        return new EventOutput() {
            @Override
            public void publish(EpochEvent event) {
                sink.publish(event);
                if (seen.merge(event.runId(), 1, Integer::sum) == 20) {
                    synchronized (victimRun) {
                        if (victimRun[0] == null) {
                            victimRun[0] = event.runId();
                            midRun.countDown();
                        }
                    }
                }
            }

            @Override
            public void flush() {
                sink.flush();
            }

            @Override
            public String describe() {
                return sink.describe();
            }

            @Override
            public void close() {}
        };
    }
}
