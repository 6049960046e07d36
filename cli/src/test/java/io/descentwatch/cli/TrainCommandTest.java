package io.descentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.TestServices;
import io.descentwatch.testkit.TopicReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `descentwatch train`, `sweep` and `worker` from the command line. */
class TrainCommandTest {

    @TempDir
    Path tmp;

    @Test
    void trainsAQuickSweepIntoAJsonLinesFile() throws Exception {
        Path out = tmp.resolve("two-scale.jsonl");
        CommandRun run = CommandRun.of(
                new TrainCommand(),
                "--preset",
                "two-scale-epochwise",
                "--quick",
                "--epochs",
                "800",
                "--seeds",
                "1,2",
                "--eval",
                "every:100",
                "--sweep-id",
                "cli-test",
                "--out",
                out.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("training sweep cli-test: two-scale-epochwise (quick), 2 runs")
                .contains("cli-test/d0210/s1")
                .contains("18 events of 2 runs");
        EpochEventCodec codec = new EpochEventCodec();
        List<EpochEvent> events = Files.readAllLines(out).stream()
                .map(l -> codec.decode(l).value())
                .toList();
        assertThat(events).hasSize(18);
        Map<String, List<Long>> epochs = events.stream()
                .collect(Collectors.groupingBy(
                        EpochEvent::runId, Collectors.mapping(EpochEvent::epoch, Collectors.toList())));
        assertThat(epochs.get("cli-test/d0210/s2")).containsExactly(0L, 100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L);
        assertThat(events).filteredOn(EpochEvent::isFinal).hasSize(2);
        assertThat(events.get(0).tags())
                .containsEntry("epochs", "800")
                .containsEntry("lr", "0.1")
                .containsEntry("preset", "two-scale-epochwise");
    }

    @Test
    void stopAutoEndsARunWithoutSlowFeaturesEarlyAndLetsTheSecondDescentRun() throws Exception {
        Path out = tmp.resolve("auto.jsonl");
        CommandRun flat = CommandRun.of(
                new TrainCommand(),
                "--preset",
                "two-scale-epochwise",
                "--quick",
                "--seeds",
                "1",
                "--slow-signal",
                "0",
                "--sweep-id",
                "auto-flat",
                "--stop",
                "auto",
                "--out",
                out.toString());
        assertThat(flat.exitCode()).as(flat.err()).isZero();
        assertThat(flat.out())
                .contains("--stop auto: 1 of 1 runs stopped early")
                .contains("auto-flat/d0210/s1: stopped at epoch ")
                .contains("keep the checkpoint of epoch");
        EpochEventCodec codec = new EpochEventCodec();
        List<EpochEvent> events = Files.readAllLines(out).stream()
                .map(l -> codec.decode(l).value())
                .toList();
        EpochEvent last = events.get(events.size() - 1);
        assertThat(last.isFinal()).isTrue();
        // stopped with more than a quarter doubling of its 4,000 epochs left (the turn, at 0.75 doublings, reaches
        // from epoch 2,378, the chance's early reading from 1,682; evaluated 10 times a decade)
        assertThat(last.epoch()).isLessThan(Math.round(4000 / Math.pow(2, 0.25)));
        assertThat(events).filteredOn(EpochEvent::isFinal).hasSize(1);

        Path wins = tmp.resolve("wins.jsonl");
        CommandRun second = CommandRun.of(
                new TrainCommand(),
                "--preset",
                "two-scale-epochwise",
                "--quick",
                "--seeds",
                "1",
                "--sweep-id",
                "auto-wins",
                "--stop",
                "auto",
                "--out",
                wins.toString());
        assertThat(second.exitCode()).as(second.err()).isZero();
        List<EpochEvent> winning = Files.readAllLines(wins).stream()
                .map(l -> codec.decode(l).value())
                .toList();
        double best = winning.stream().mapToDouble(EpochEvent::testLoss).min().orElseThrow();
        double firstMinimum = winning.stream()
                .filter(e -> e.epoch() <= 20)
                .mapToDouble(EpochEvent::testLoss)
                .min()
                .orElseThrow();
        assertThat(best)
                .as("the kept model is the second descent's, well under the first minimum")
                .isLessThan(0.7 * firstMinimum);

        CommandRun bad = CommandRun.of(
                new TrainCommand(),
                "--preset",
                "two-scale-epochwise",
                "--stop",
                "never",
                "--out",
                tmp.resolve("x").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--stop").contains("end, auto");
    }

    @Test
    void trainsIntoKafkaAndFailsClearlyWhenKafkaIsAway() {
        TopicSettings topics = TestServices.freshTopics("cli-train");
        CommandRun run = CommandRun.of(
                new TrainCommand(),
                "--preset",
                "two-scale-epochwise",
                "--quick",
                "--epochs",
                "300",
                "--eval",
                "every:50",
                "--bootstrap",
                TestServices.kafka().bootstrapServers(),
                "--topic-epochs",
                topics.epochs);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("-> Kafka topic " + topics.epochs).contains("14 events of 2 runs");
        assertThat(ReplayCommandTest.readAll(topics.epochs, 14)).hasSize(14);

        CommandRun away = CommandRun.of(
                new TrainCommand(),
                "--preset",
                "two-scale-epochwise",
                "--quick",
                "--epochs",
                "300",
                "--bootstrap",
                "127.0.0.1:1",
                "--no-create-topics",
                "--delivery-timeout",
                "PT2S");
        assertThat(away.exitCode()).isEqualTo(1);
        assertThat(away.err()).contains("descentwatch train: run ").contains("Kafka");
    }

    @Test
    void aFlagThePresetDoesNotHaveIsAnErrorNamingItsSettings() {
        CommandRun run = CommandRun.of(
                new TrainCommand(),
                "--preset",
                "rf-modelwise",
                "--classes",
                "3",
                "--out",
                tmp.resolve("x").toString());
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("no setting --classes").contains("--width-ratios");
        CommandRun unknown = CommandRun.of(
                new TrainCommand(),
                "--preset",
                "nope",
                "--out",
                tmp.resolve("y").toString());
        assertThat(unknown.err()).contains("no preset 'nope'").contains("rf-modelwise");
    }

    @Test
    void listsEveryPresetWithItsDefaults() {
        CommandRun run = CommandRun.of(new TrainCommand(), "--list-presets");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("rf-modelwise:", "two-scale-epochwise:", "minnorm-linear:", "mlp-label-noise:")
                .contains("--epochs           20000 (quick: 4000)");
    }

    @Test
    void aSweepPublishedAsJobsIsTrainedByWorkers() throws Exception {
        TopicSettings topics = TestServices.freshTopics("cli-jobs");
        String bootstrap = TestServices.kafka().bootstrapServers();
        String[] kafka = {"--bootstrap", bootstrap, "--topic-jobs", topics.jobs, "--topic-epochs", topics.epochs};
        CommandRun sweep = CommandRun.of(
                new SweepCommand(),
                concat(
                        new String[] {
                            "--preset",
                            "minnorm-linear",
                            "--quick",
                            "--widths",
                            "10,60",
                            "--epochs",
                            "300",
                            "--sweep-id",
                            "cli-jobs"
                        },
                        kafka));
        assertThat(sweep.exitCode()).as(sweep.err()).isZero();
        assertThat(sweep.out()).contains("published 2 jobs of sweep cli-jobs (minnorm-linear, quick)");

        CompletableFuture<CommandRun> worker = CompletableFuture.supplyAsync(() -> CommandRun.of(
                new WorkerCommand(),
                concat(
                        new String[] {
                            "--workers", "2", "--group", "cli-test-" + System.nanoTime(), "--exit-when-idle", "PT5S"
                        },
                        kafka)));
        CommandRun done = worker.get(120, TimeUnit.SECONDS);
        assertThat(done.exitCode()).as(done.err()).isZero();
        assertThat(done.out())
                .contains("trained cli-jobs/p0010/s1")
                .contains("trained cli-jobs/p0060/s1")
                .contains("workers stopped");
    }

    @Test
    void workersWithStopAutoEndARunAtTheAdvicesFirstStopAndWithStopEndTrainItToTheEnd() throws Exception {
        // the run `train --stop auto` stops early (no slow features: no second descent can come), as a sweep's job
        List<EpochEvent> auto = sweepThroughAWorker("auto", "--stop", "auto");
        EpochEvent last = auto.get(auto.size() - 1);
        assertThat(last.isFinal())
                .as("the last event, at the STOP, is marked final")
                .isTrue();
        assertThat(last.epoch())
                .as("stopped with more than a quarter doubling of its 4000 epochs left")
                .isLessThan(Math.round(4000 / Math.pow(2, 0.25)));
        assertThat(auto).filteredOn(EpochEvent::isFinal).hasSize(1);
        assertThat(auto).extracting(EpochEvent::epoch).isSorted().doesNotHaveDuplicates();

        List<EpochEvent> end = sweepThroughAWorker("end", "--stop", "end");
        assertThat(end.get(end.size() - 1).epoch()).isEqualTo(4000L);
        assertThat(end.get(end.size() - 1).isFinal()).isTrue();
        assertThat(end).filteredOn(EpochEvent::isFinal).hasSize(1);
        assertThat(end.subList(0, auto.size()))
                .as("the same run, the same losses up to the STOP")
                .extracting(EpochEvent::testLoss)
                .isEqualTo(auto.stream().map(EpochEvent::testLoss).toList());
    }

    /** Publishes a one-run sweep as a job, trains it with a worker given {@code stop}, and reads its events. */
    private static List<EpochEvent> sweepThroughAWorker(String name, String... stop) throws Exception {
        TopicSettings topics = TestServices.freshTopics("cli-stop-" + name);
        String bootstrap = TestServices.kafka().bootstrapServers();
        String[] kafka = {"--bootstrap", bootstrap, "--topic-jobs", topics.jobs, "--topic-epochs", topics.epochs};
        CommandRun sweep = CommandRun.of(
                new SweepCommand(),
                concat(
                        new String[] {
                            "--preset",
                            "two-scale-epochwise",
                            "--quick",
                            "--seeds",
                            "1",
                            "--slow-signal",
                            "0",
                            "--sweep-id",
                            "stop-" + name
                        },
                        kafka));
        assertThat(sweep.exitCode()).as(sweep.err()).isZero();
        assertThat(sweep.out()).contains("published 1 jobs of sweep stop-" + name);

        CompletableFuture<CommandRun> worker = CompletableFuture.supplyAsync(() -> CommandRun.of(
                new WorkerCommand(),
                concat(
                        concat(
                                new String[] {
                                    "--workers",
                                    "1",
                                    "--group",
                                    "cli-stop-" + System.nanoTime(),
                                    "--exit-when-idle",
                                    "PT3S"
                                },
                                stop),
                        kafka)));
        CommandRun done = worker.get(120, TimeUnit.SECONDS);
        assertThat(done.exitCode()).as(done.err()).isZero();
        assertThat(done.out()).contains("trained stop-" + name + "/d0210/s1").contains("workers stopped");
        if (stop[1].equals("auto")) {
            assertThat(done.out())
                    .contains("runs stop at the advice's first STOP (--stop auto)")
                    .contains("stop-auto/d0210/s1: stopped at epoch ")
                    .contains("keep the checkpoint of epoch")
                    .contains("--stop auto: 1 runs stopped early");
        } else {
            assertThat(done.out()).doesNotContain("stopped at epoch").doesNotContain("--stop auto");
        }
        EpochEventCodec codec = new EpochEventCodec();
        return TopicReader.readUntil(
                        KafkaSettings.of(bootstrap).clientProperties(),
                        topics.epochs,
                        r -> r.stream()
                                .anyMatch(x -> codec.decode(x.value()).value().isFinal()),
                        Duration.ofSeconds(30))
                .stream()
                .map(r -> codec.decode(r.value()).value())
                .toList();
    }

    static String[] concat(String[] a, String[] b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
