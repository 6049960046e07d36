package io.descentwatch.importers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.descentwatch.events.EpochEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TensorBoard event files in the documented layout: runs by directory, scalars by tag, corrupt records reported. */
class TensorBoardImportTest {

    private final List<String> problems = new ArrayList<>();
    private final List<EpochEvent> events = new ArrayList<>();

    /** Test loss every other step, train loss every step: what a trainer logging per batch and per epoch writes. */
    private static EventFileWriter run(boolean tf2, double scale) throws IOException {
        EventFileWriter w = new EventFileWriter();
        for (int step = 0; step <= 10; step++) {
            double train = scale / (1 + step);
            if (tf2) {
                w.tensor("loss/train", step, train);
            } else {
                w.simple("loss/train", step, train);
            }
            if (step % 2 == 0) {
                double test = 2 * scale / (1 + step) + 0.1;
                if (tf2) {
                    w.tensor("loss/test", step, test);
                } else {
                    w.simple("loss/test", step, test);
                }
            }
        }
        return w;
    }

    private LogImport.Result importTree(Path root, RunAttributes attributes) throws Exception {
        LogImport importer = new LogImport(
                new LogImport.Settings(new MetricMapping(null, null, null, null), null, null, attributes, Set.of()));
        return importer.read(root, LogFormat.AUTO.resolve(root, Set.of()), events::add, problems::add);
    }

    @Test
    void everyDirectoryWithEventFilesIsARunAndScalarsOfBothKindsAreRead(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("widths");
        run(false, 1).writeTo(root.resolve("w16/s1"), "events.out.tfevents.1700000000.host.1.0");
        run(true, 2).writeTo(root.resolve("w64/s1"), "events.out.tfevents.1700000000.host.2.0");
        Path runsFile =
                Files.writeString(tmp.resolve("runs.csv"), "run,param_count,train_size\nw16/*,16,100\nw64/*,64,\n");

        LogImport.Result result =
                importTree(root, RunAttributes.load(runsFile, new RunAttributes.Defaults(null, null, 100L)));

        assertThat(problems).isEmpty();
        assertThat(result.format()).isEqualTo(LogFormat.TENSORBOARD);
        assertThat(result.runs())
                .extracting(LogImport.FoundRun::runId)
                .containsExactly("widths/w16/s1", "widths/w64/s1");
        assertThat(result.runs()).extracting(LogImport.FoundRun::paramCount).containsExactly(16L, 64L);
        assertThat(result.runs()).allSatisfy(r -> {
            assertThat(r.evaluations()).isEqualTo(6); // steps 0, 2, ..., 10
            assertThat(r.trainLossTag()).isEqualTo("loss/train");
            assertThat(r.testLossTag()).isEqualTo("loss/test");
            assertThat(r.trainSize()).isEqualTo(100);
        });
        EpochEvent tf2At4 = events.stream()
                .filter(e -> e.runId().equals("widths/w64/s1") && e.epoch() == 4)
                .findFirst()
                .orElseThrow();
        assertThat(tf2At4.testLoss()).isCloseTo(2 * 2 / 5.0 + 0.1, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(tf2At4.trainLoss()).isCloseTo(2 / 5.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(tf2At4.sweepId()).isEqualTo("widths");
        assertThat(tf2At4.tags()).containsEntry(EpochEvent.SWEEP_RUNS_TAG, "2");
        assertThat(events.stream().filter(EpochEvent::isFinal))
                .extracting(EpochEvent::epoch)
                .containsOnly(10L);
    }

    @Test
    void aCorruptRecordIsReportedWithItsFileAndTheRestIsRead(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("sweep");
        byte[] good = run(false, 1).bytes();
        // flip one byte in the data of the record that holds the test loss of step 4: its CRC fails
        byte[] flipped = good.clone();
        int victim = indexOfRecord(flipped, 4, "loss/test");
        flipped[victim] ^= 0x55;
        Path bad = Files.write(Files.createDirectories(root.resolve("a")).resolve("events.out.tfevents.1.a"), flipped);
        // a file cut off half way through a record: what a killed writer leaves
        Path cut = Files.write(
                Files.createDirectories(root.resolve("b")).resolve("events.out.tfevents.1.b"),
                Arrays.copyOf(good, good.length - 7));
        // a record whose length is damaged: nothing after it can be framed
        byte[] badLength = good.clone();
        badLength[firstSummaryOffset(good)] ^= 0x01;
        Path lost =
                Files.write(Files.createDirectories(root.resolve("c")).resolve("events.out.tfevents.1.c"), badLength);
        run(false, 1).writeTo(root.resolve("d"), "events.out.tfevents.1.d");

        LogImport.Result result =
                importTree(root, RunAttributes.load(null, new RunAttributes.Defaults(10L, "s", 100L)));

        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith(bad.toString())
                        .contains("data fails its CRC-32C check; record skipped"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith(cut.toString())
                        .contains("ends inside a record")
                        .contains("rest of this file is skipped"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p).startsWith(lost.toString()).contains("length fails"));
        assertThat(result.runs()).extracting(LogImport.FoundRun::runId).containsExactly("s/a", "s/b", "s/d");
        // a: step 4's test loss skipped; b: its last record (the test loss of step 10) cut off; d: whole
        assertThat(result.runs()).extracting(LogImport.FoundRun::evaluations).containsExactly(5, 5, 6);
        assertThat(events.stream().filter(e -> e.runId().equals("s/a")).map(EpochEvent::epoch))
                .doesNotContain(4L);
        // c: its directory had no scalars left to read
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("no scalars"));
    }

    @Test
    void aRunWithoutAParameterCountIsNamedAndLeftOut(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("sweep");
        run(false, 1).writeTo(root.resolve("a"), "events.out.tfevents.1.a");
        run(false, 1).simple("param_count", 0, 50).writeTo(root.resolve("b"), "events.out.tfevents.1.b");

        LogImport.Result result =
                importTree(root, RunAttributes.load(null, new RunAttributes.Defaults(null, null, 100L)));

        // b carries its own size as a scalar tag
        assertThat(result.runs()).extracting(LogImport.FoundRun::runId).containsExactly("sweep/b");
        assertThat(result.runs().get(0).paramCount()).isEqualTo(50);
        assertThat(problems).singleElement().asString().contains("run a").contains("--param-count");
    }

    @Test
    void aDirectoryWithoutLogsIsRefusedNamingIt(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("notes.txt"), "nothing here");
        assertThatThrownBy(() -> LogFormat.AUTO.resolve(tmp, Set.of()))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining(tmp.toString())
                .hasMessageContaining("tfevents");
    }

    /** Where in the file the data of the record with this tag at this step starts (framing: 12 bytes before). */
    private static int indexOfRecord(byte[] file, long step, String tag) throws IOException {
        TfRecordReader reader = new TfRecordReader(new java.io.ByteArrayInputStream(file));
        while (reader.next() instanceof TfRecordReader.Record r) {
            io.descentwatch.importers.proto.Event e = io.descentwatch.importers.proto.Event.parseFrom(r.data());
            if (e.getStep() == step
                    && e.hasSummary()
                    && e.getSummary().getValue(0).getTag().equals(tag)) {
                return (int) r.offset() + 12 + r.data().length / 2;
            }
        }
        throw new AssertionError("no record " + tag + " at " + step);
    }

    private static int firstSummaryOffset(byte[] file) throws IOException {
        TfRecordReader reader = new TfRecordReader(new java.io.ByteArrayInputStream(file));
        reader.next(); // the version record
        return (int) ((TfRecordReader.Record) reader.next()).offset();
    }
}
