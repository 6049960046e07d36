package io.descentwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.descentwatch.events.EpochEvent;
import io.descentwatch.events.EpochEventCodec;
import io.descentwatch.importers.proto.Event;
import io.descentwatch.importers.proto.Summary;
import io.descentwatch.kafka.TopicSettings;
import io.descentwatch.testkit.LabelledCurves;
import io.descentwatch.testkit.TestServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code detect}, {@code report} and {@code replay} over another tracker's logs: a labelled model-wise sweep
 * written as a TensorBoard tree (one directory per run, the documented event-file layout) finds what the same
 * runs find as JSON lines.
 */
class ImportedLogsTest {

    private static final String SWEEP = "mw-m00";

    @TempDir
    Path tmp;

    /** The sweep's runs in the order an import sends them (by size, then id), one evaluation per epoch in epoch
     *  order (the corpus repeats some stale epochs; a log keeps the latest value of a step), losses as float32
     *  as TensorBoard keeps them, and the run count an import tags them with. */
    private static Map<String, List<EpochEvent>> sweep() throws IOException {
        EpochEventCodec codec = new EpochEventCodec();
        Map<String, TreeMap<Long, EpochEvent>> byEpoch = new TreeMap<>();
        Files.readAllLines(LabelledCurves.modelwise()).stream()
                .map(l -> codec.decode(l).value())
                .filter(e -> e.sweepId().equals(SWEEP))
                .forEach(e ->
                        byEpoch.computeIfAbsent(e.runId(), k -> new TreeMap<>()).put(e.epoch(), e));
        Map<String, List<EpochEvent>> runs = new LinkedHashMap<>();
        byEpoch.values().stream()
                .map(m -> List.copyOf(m.values()))
                .sorted(Comparator.comparingLong(
                                (List<EpochEvent> r) -> r.get(0).paramCount())
                        .thenComparing(r -> r.get(0).runId()))
                .forEach(r -> runs.put(r.get(0).runId(), r));
        return runs;
    }

    /** The runs as a TensorBoard tree under {@code root}, and a runs file with their sizes. */
    private static Path writeTensorBoardTree(Path root, Map<String, List<EpochEvent>> runs) throws IOException {
        StringBuilder runsFile = new StringBuilder("run,param_count,train_size\n");
        for (Map.Entry<String, List<EpochEvent>> run : runs.entrySet()) {
            String name = run.getKey().substring(SWEEP.length() + 1);
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            file.write(frame(Event.newBuilder()
                    .setWallTime(1.7e9)
                    .setFileVersion("brain.Event:2")
                    .build()
                    .toByteArray()));
            for (EpochEvent e : run.getValue()) {
                for (Map.Entry<String, Double> scalar : Map.of("loss/train", e.trainLoss(), "loss/test", e.testLoss())
                        .entrySet()) {
                    file.write(frame(Event.newBuilder()
                            .setWallTime(1.7e9 + e.epoch())
                            .setStep(e.epoch())
                            .setSummary(Summary.newBuilder()
                                    .addValue(Summary.Value.newBuilder()
                                            .setTag(scalar.getKey())
                                            .setSimpleValue(scalar.getValue().floatValue())))
                            .build()
                            .toByteArray()));
                }
            }
            Path dir = Files.createDirectories(root.resolve(name));
            Files.write(dir.resolve("events.out.tfevents.1700000000.host.1.0"), file.toByteArray());
            EpochEvent first = run.getValue().get(0);
            runsFile.append(name)
                    .append(',')
                    .append(first.paramCount())
                    .append(',')
                    .append(first.trainSize())
                    .append('\n');
        }
        return Files.writeString(root.getParent().resolve("runs.csv"), runsFile);
    }

    /** TFRecord framing, as TensorFlow's record writer lays it out. */
    private static byte[] frame(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(16 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        byte[] length = new byte[8];
        b.get(0, length);
        b.putInt(masked(length));
        b.put(data);
        b.putInt(masked(data));
        return b.array();
    }

    private static int masked(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        int v = (int) crc.getValue();
        return ((v >>> 15) | (v << 17)) + 0xa282ead8;
    }

    private Path writeJsonLines(Map<String, List<EpochEvent>> runs) throws IOException {
        EpochEventCodec codec = new EpochEventCodec();
        List<String> lines = new ArrayList<>();
        for (List<EpochEvent> run : runs.values()) {
            for (int i = 0; i < run.size(); i++) {
                EpochEvent e = run.get(i);
                lines.add(codec.encodeToString(EpochEvent.builder()
                        .runId(e.runId())
                        .sweepId(e.sweepId())
                        .epoch(e.epoch())
                        .trainLoss((float) e.trainLoss())
                        .testLoss((float) e.testLoss())
                        .paramCount(e.paramCount())
                        .trainSize(e.trainSize())
                        .time(e.time())
                        .tags(Map.of(EpochEvent.SWEEP_RUNS_TAG, Integer.toString(runs.size())))
                        .isFinal(i == run.size() - 1)
                        .build()));
            }
        }
        return Files.write(tmp.resolve("events.jsonl"), lines);
    }

    /** An alert's decision without its id, time and wording: type, run, epoch. */
    private static List<String> decisions(String alertLines) {
        return alertLines
                .lines()
                .filter(l -> l.contains("descentwatch.alert/v1"))
                .map(l -> l.replaceAll(
                        ".*\"type\":\"([A-Z_]+)\".*\"run_id\":(\"[^\"]*\"|null).*\"epoch\":(-?\\d+).*", "$1 $2 $3"))
                .sorted()
                .toList();
    }

    @Test
    void detectOverATensorBoardTreeRaisesWhatTheSameRunsRaiseAsJsonLines() throws Exception {
        Map<String, List<EpochEvent>> runs = sweep();
        Path root = tmp.resolve(SWEEP);
        Path runsFile = writeTensorBoardTree(root, runs);

        CommandRun fromJson =
                CommandRun.of("detect", "--input", writeJsonLines(runs).toString());
        CommandRun fromTensorBoard =
                CommandRun.of("detect", "--input", root.toString(), "--runs-file", runsFile.toString());

        assertThat(fromTensorBoard.exitCode()).as(fromTensorBoard.err()).isZero();
        assertThat(decisions(fromJson.out()))
                .isNotEmpty()
                .anySatisfy(d -> assertThat(d).startsWith("MODEL_WISE_PEAK"));
        assertThat(decisions(fromTensorBoard.out())).containsExactlyElementsOf(decisions(fromJson.out()));
        // what was found goes to stderr, beside the counts: stdout is the alerts alone
        assertThat(fromTensorBoard.err())
                .contains("imported " + root + " (tensorboard): " + runs.size() + " runs in 1 sweep")
                .contains("loss/train / loss/test");
    }

    @Test
    void reportOverATensorBoardTreeShowsWhatItFoundAndTheSameFindings(@TempDir Path out) throws Exception {
        Map<String, List<EpochEvent>> runs = sweep();
        Path root = tmp.resolve(SWEEP);
        Path runsFile = writeTensorBoardTree(root, runs);
        CommandRun fromJson = CommandRun.of(
                "report",
                "--input",
                writeJsonLines(runs).toString(),
                "--out",
                out.resolve("json").toString());

        CommandRun run = CommandRun.of(
                "report",
                "--input",
                root.toString(),
                "--runs-file",
                runsFile.toString(),
                "--out",
                out.resolve("tb").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("sweep " + SWEEP + ": " + runs.size() + " runs");
        String firstRun = runs.keySet().iterator().next();
        assertThat(run.out())
                .containsPattern(firstRun.replace("/", "/") + " +"
                        + String.format("%,d", runs.get(firstRun).get(0).paramCount()));
        List<String> findings = fromJson.out()
                .lines()
                .filter(l -> l.startsWith("sweep ") || l.startsWith("  "))
                .filter(l -> !l.contains("report:"))
                .toList();
        assertThat(findings).isNotEmpty();
        assertThat(run.out()).contains(findings);
        assertThat(out.resolve("tb/index.html")).isRegularFile();
    }

    @Test
    void aRunWithoutSizesIsNamedAndTheOthersAreDetected() throws Exception {
        Path csv = Files.writeString(
                tmp.resolve("training.log.csv"), "epoch,loss,val_loss\n0,0.9,1.0\n1,0.5,0.8\n2,0.3,0.9\n");

        CommandRun run = CommandRun.of("detect", "--input", csv.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err())
                .contains("run training.log (" + csv + "): no parameter count")
                .contains("--param-count")
                .contains("0 events")
                .contains("1 import problems");
        CommandRun given =
                CommandRun.of("detect", "--input", csv.toString(), "--param-count", "50", "--train-size", "100");
        assertThat(given.err()).contains("3 events").contains("imported " + csv + " (csv): 1 runs");
    }

    @Test
    void badInputAndFlagsAreRefusedNamingTheFlag() throws Exception {
        CommandRun missing =
                CommandRun.of("detect", "--input", tmp.resolve("nowhere").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--input").contains("nowhere");

        CommandRun format =
                CommandRun.of("report", "--input", tmp.toString(), "--out", tmp.toString(), "--format", "parquet");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err()).contains("--format").contains("tensorboard");

        CommandRun size = CommandRun.of("detect", "--input", tmp.toString(), "--param-count", "0");
        assertThat(size.exitCode()).isEqualTo(2);
        assertThat(size.err()).contains("--param-count");

        Path runsFile = Files.writeString(tmp.resolve("bad-runs.csv"), "name,param_count\nx,3\n");
        Files.writeString(tmp.resolve("log.csv"), "epoch,loss,val_loss\n0,1,1\n");
        CommandRun runs = CommandRun.of("detect", "--input", tmp.toString(), "--runs-file", runsFile.toString());
        assertThat(runs.exitCode()).isEqualTo(2);
        assertThat(runs.err()).contains(runsFile.toString()).contains("'run' column");
    }

    @Test
    void replayPublishesAnImportedLogToTheBroker() throws Exception {
        TopicSettings topics = TestServices.freshTopics("replay-import");
        Path csv = Files.writeString(
                tmp.resolve("history.csv"),
                ",_step,_runtime,_timestamp,train_loss,test_loss\n0,1,1.0,1700000001.0,0.9,1.0\n"
                        + "1,2,2.0,1700000002.0,0.5,0.8\n");

        CommandRun run = CommandRun.of(
                "replay",
                "--input",
                csv.toString(),
                "--sweep",
                "wb",
                "--param-count",
                "8",
                "--train-size",
                "16",
                "--bootstrap",
                TestServices.kafka().bootstrapServers(),
                "--topic-epochs",
                topics.epochs);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("published 2 events of 1 runs");
        List<ConsumerRecord<String, byte[]>> records = ReplayCommandTest.readAll(topics.epochs, 2);
        assertThat(records).extracting(ConsumerRecord::key).containsOnly("wb/history");
        EpochEvent last = new EpochEventCodec()
                .decode(new String(records.get(1).value(), StandardCharsets.UTF_8))
                .value();
        assertThat(last.epoch()).isEqualTo(2);
        assertThat(last.paramCount()).isEqualTo(8);
        assertThat(last.isFinal()).isTrue();
    }
}
