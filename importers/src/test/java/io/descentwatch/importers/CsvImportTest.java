package io.descentwatch.importers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.descentwatch.events.EpochEvent;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV logs in the layouts of Lightning's and Keras' CSVLogger, W&B's run history and MLflow's metric history,
 * written by pandas' {@code to_csv} (Debian's python3-pandas; DW_PYTHON names another Python).
 */
class CsvImportTest {

    private final List<String> problems = new ArrayList<>();
    private final List<EpochEvent> events = new ArrayList<>();

    private static void writeWithPandas(Path dir) throws Exception {
        Path script = dir.resolve("write_csv_logs.py");
        try (InputStream in = CsvImportTest.class.getResourceAsStream("/write_csv_logs.py")) {
            Files.copy(in, script);
        }
        Path logs = Files.createDirectories(dir.resolve("logs"));
        String python = System.getenv().getOrDefault("DW_PYTHON", "/usr/bin/python3");
        Process p = new ProcessBuilder(python, script.toString(), logs.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as("pandas writes the logs (apt-get install python3-pandas): " + output)
                .isZero();
    }

    private LogImport.Result importLogs(Path root, MetricMapping mapping) throws Exception {
        LogImport importer = new LogImport(new LogImport.Settings(
                mapping,
                null,
                null,
                RunAttributes.load(null, new RunAttributes.Defaults(10L, "logs", 100L)),
                Set.of()));
        return importer.read(root, LogFormat.AUTO.resolve(root, Set.of()), events::add, problems::add);
    }

    private List<EpochEvent> of(String runId) {
        return events.stream().filter(e -> e.runId().equals(runId)).toList();
    }

    /** Completed epochs e = 1..10 with the losses the script wrote, scaled by k. */
    private static void assertCurve(List<EpochEvent> run, double k) {
        assertThat(run).extracting(EpochEvent::epoch).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        for (EpochEvent e : run) {
            assertThat(e.trainLoss()).as("train loss at %d", e.epoch()).isCloseTo(k / (1 + e.epoch()), offset(1e-9));
            assertThat(e.testLoss())
                    .as("test loss at %d", e.epoch())
                    .isCloseTo(2 * k / (1 + e.epoch()) + 0.1, offset(1e-9));
        }
        assertThat(run.get(run.size() - 1).isFinal()).isTrue();
    }

    @Test
    void readsEachLoggersLayoutAsPandasWritesIt(@TempDir Path tmp) throws Exception {
        writeWithPandas(tmp);

        LogImport.Result result =
                importLogs(tmp.resolve("logs"), new MetricMapping(null, null, null, "1-val_accuracy"));

        assertThat(problems).isEmpty();
        assertThat(result.format()).isEqualTo(LogFormat.CSV);
        assertThat(result.runs())
                .extracting(LogImport.FoundRun::runId)
                .containsExactlyInAnyOrder(
                        "logs/lightning_logs/version_0",
                        "logs/keras/training.log",
                        "logs/wandb/history",
                        "logs/0a1b",
                        "logs/2c3d");
        assertCurve(of("logs/lightning_logs/version_0"), 1); // train and validation rows of one epoch paired
        assertCurve(of("logs/keras/training.log"), 1); // 'loss' and 'val_loss'
        assertCurve(of("logs/wandb/history"), 2); // the index column pandas adds is ignored
        assertCurve(of("logs/0a1b"), 3); // MLflow: one run per run_id
        assertCurve(of("logs/2c3d"), 4);
        // Keras' accuracy, read as an error through 1-val_accuracy; the others have none
        assertThat(of("logs/keras/training.log"))
                .allSatisfy(e -> assertThat(e.testError()).isCloseTo(e.testLoss() / 10, offset(1e-9)));
        assertThat(of("logs/wandb/history"))
                .allSatisfy(e -> assertThat(e.testError()).isNull());
        // W&B and MLflow carry wall time; it is the events' time
        assertThat(of("logs/wandb/history").get(0).time().getEpochSecond()).isEqualTo(1_700_000_001L);
        assertThat(of("logs/0a1b").get(0).time().toEpochMilli()).isEqualTo(1_700_000_000_001L);
    }

    @Test
    void aFileOfNoKnownLayoutOrBrokenOffIsNamedAndTheOthersAreRead(@TempDir Path tmp) throws Exception {
        writeWithPandas(tmp);
        Path logs = tmp.resolve("logs");
        Path unknown = Files.writeString(logs.resolve("notes.csv"), "what,when\nlunch,noon\n");
        Path broken = Files.writeString(
                logs.resolve("keras/broken.csv"), "epoch,loss,val_loss\n0,0.5,0.9\n1,\"0.4,0.8\n2,0.3,0.7\n");
        Path badCell = Files.writeString(
                logs.resolve("keras/cells.csv"), "epoch,loss,val_loss\n0,0.5,0.9\n1,0.4,oops\n2,0.3,0.7\n");

        LogImport.Result result = importLogs(logs, new MetricMapping(null, null, null, null));

        assertThat(problems)
                .anySatisfy(
                        p -> assertThat(p).startsWith(unknown.toString()).contains("not a CSV log of a known layout"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p).startsWith(broken.toString()).contains("cannot be read further"));
        assertThat(problems)
                .anySatisfy(p -> assertThat(p)
                        .startsWith(badCell.toString())
                        .contains("'val_loss'")
                        .contains("not a number"));
        assertThat(result.runs())
                .extracting(LogImport.FoundRun::runId)
                .contains(
                        "logs/lightning_logs/version_0",
                        "logs/keras/training.log",
                        "logs/keras/broken",
                        "logs/keras/cells");
        assertThat(of("logs/keras/broken")).extracting(EpochEvent::epoch).containsExactly(1L);
        assertThat(of("logs/keras/cells")).extracting(EpochEvent::epoch).containsExactly(1L, 3L);
    }

    @Test
    void theRunsFileGivesSweepAndSizesByPattern(@TempDir Path tmp) throws Exception {
        writeWithPandas(tmp);
        Path runsFile = Files.writeString(
                tmp.resolve("runs.csv"), "run,sweep_id,param_count,train_size\n0a1b,mlf,30,60\n*,other,7,\n");
        LogImport importer = new LogImport(new LogImport.Settings(
                new MetricMapping(null, null, null, null),
                null,
                null,
                RunAttributes.load(runsFile, new RunAttributes.Defaults(null, null, 100L)),
                Set.of()));

        LogImport.Result result = importer.read(tmp.resolve("logs/mlflow"), LogFormat.CSV, events::add, problems::add);

        assertThat(problems).isEmpty();
        assertThat(result.runs())
                .extracting(LogImport.FoundRun::runId)
                .containsExactlyInAnyOrder("mlf/0a1b", "other/2c3d");
        assertThat(of("mlf/0a1b").get(0)).satisfies(e -> {
            assertThat(e.paramCount()).isEqualTo(30);
            assertThat(e.trainSize()).isEqualTo(60);
            assertThat(e.tags()).containsEntry(EpochEvent.SWEEP_RUNS_TAG, "1");
        });
        assertThat(of("other/2c3d").get(0).paramCount()).isEqualTo(7);
        assertThat(of("other/2c3d").get(0).trainSize()).isEqualTo(100); // the file has none: the default
    }
}
