package io.descentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.kafka.KafkaSettings;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import io.descentwatch.testkit.TopicReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `descentwatch replay` against the real in-process broker. */
class ReplayCommandTest {

    @TempDir
    Path tmp;

    @Test
    void publishesTheWholeCorpusIntactAndInOrderPerRun() throws Exception {
        TopicSettings topics = TestServices.freshTopics("replay");
        List<String> lines = Files.readAllLines(LabelledCurves.epochwise());
        CommandRun run = CommandRun.of(
                "replay",
                "--input",
                LabelledCurves.epochwise().toString(),
                "--bootstrap",
                TestServices.kafka().bootstrapServers(),
                "--topic-epochs",
                topics.epochs);
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("published " + lines.size() + " events").contains("0 lines rejected");

        List<ConsumerRecord<String, byte[]>> records = readAll(topics.epochs, lines.size());
        assertThat(records).hasSize(lines.size());
        // every record is byte-for-byte the line it came from, keyed by its run, in file order within the run
        Map<String, List<String>> expectedPerRun = new HashMap<>();
        EpochEventCodec codec = new EpochEventCodec();
        for (String line : lines) {
            expectedPerRun
                    .computeIfAbsent(codec.decode(line).value().runId(), k -> new ArrayList<>())
                    .add(line);
        }
        Map<String, List<String>> actualPerRun = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            actualPerRun
                    .computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(new String(r.value(), StandardCharsets.UTF_8));
        }
        assertThat(actualPerRun).isEqualTo(expectedPerRun);
    }

    @Test
    void reportsBadLinesWithNumberAndReasonAndPublishesTheRest() throws Exception {
        TopicSettings topics = TestServices.freshTopics("replay-bad");
        List<String> good = Files.readAllLines(LabelledCurves.modelwise()).subList(0, 50);
        List<String> mixed = new ArrayList<>(good.subList(0, 10));
        mixed.add("{not json"); // line 11
        mixed.addAll(good.subList(10, 30));
        mixed.add(good.get(0).replace("\"epoch\":1", "\"epoch\":-5")); // line 32
        mixed.addAll(good.subList(30, 50));
        Path file = tmp.resolve("mixed.jsonl");
        Files.write(file, mixed);

        CommandRun run = CommandRun.of(
                "replay",
                "--input",
                file.toString(),
                "--bootstrap",
                TestServices.kafka().bootstrapServers(),
                "--topic-epochs",
                topics.epochs);
        assertThat(run.exitCode()).isZero();
        assertThat(run.err())
                .contains("line 11: NOT_JSON")
                .contains("line 32: OUT_OF_RANGE")
                .contains("'epoch'");
        assertThat(run.out()).contains("published 50 events").contains("2 lines rejected");
        assertThat(readAll(topics.epochs, 50)).hasSize(50);
    }

    @Test
    void aMissingRequiredFlagNamesTheFlag() {
        CommandRun run = CommandRun.of("replay");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--input");
    }

    static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        return TopicReader.read(
                KafkaSettings.of(TestServices.kafka().bootstrapServers()).clientProperties(),
                topic,
                expected,
                Duration.ofSeconds(60));
    }
}
