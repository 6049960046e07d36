package io.descentwatch.cli;

import io.descentwatch.importers.CsvLayout;
import io.descentwatch.importers.ImportException;
import io.descentwatch.importers.LogFormat;
import io.descentwatch.importers.LogImport;
import io.descentwatch.importers.MetricMapping;
import io.descentwatch.importers.RunAttributes;
import io.descentwatch.options.Range;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * How an offline command reads logs that are not DescentWatch's own: the format, which tags or columns hold the
 * losses and errors, and what each run's sweep, parameter count and training-set size are (logs rarely carry
 * them). A picocli mixin of {@code detect}, {@code report} and {@code replay}.
 */
final class ImportOptions {

    /** The input formats, as typed. */
    enum Format {
        auto,
        jsonl,
        tensorboard,
        csv
    }

    /** The CSV layouts, as typed; auto tells each file by its header. */
    enum Layout {
        auto,
        lightning,
        keras,
        wandb,
        mlflow
    }

    @Option(
            names = "--format",
            defaultValue = "${env:DW_INPUT_FORMAT:-auto}",
            description = "What --input is: jsonl (DescentWatch's epoch events), tensorboard (a directory tree of "
                    + "event files, one run per directory), csv (a CSV log, or a tree of them) or auto (default: a "
                    + "directory with *tfevents* files is TensorBoard's, one with *.csv files CSV, a file by its "
                    + "name; env DW_INPUT_FORMAT). Valid values: ${COMPLETION-CANDIDATES}.")
    Format format;

    @Option(
            names = "--train-loss",
            paramLabel = "TAG",
            defaultValue = "${env:DW_TRAIN_LOSS}",
            description = "The tag or column of the train loss (env DW_TRAIN_LOSS; default: the first of train_loss, "
                    + "train/loss, loss/train, Loss/train, train_loss_epoch, training_loss, loss that the run has).")
    String trainLoss;

    @Option(
            names = "--test-loss",
            paramLabel = "TAG",
            defaultValue = "${env:DW_TEST_LOSS}",
            description = "The tag or column of the test loss (env DW_TEST_LOSS; default: the first of test_loss, "
                    + "test/loss, loss/test, Loss/test, val_loss, val/loss, loss/val, Loss/val, val_loss_epoch, "
                    + "validation_loss, eval/loss, eval_loss that the run has).")
    String testLoss;

    @Option(
            names = "--train-error",
            paramLabel = "TAG",
            defaultValue = "${env:DW_TRAIN_ERROR}",
            description = "The tag or column of the train error; 1-TAG reads an accuracy as an error, e.g. "
                    + "1-accuracy (env DW_TRAIN_ERROR; default: train_error, train/error or error/train if present).")
    String trainError;

    @Option(
            names = "--test-error",
            paramLabel = "TAG",
            defaultValue = "${env:DW_TEST_ERROR}",
            description = "The tag or column of the test error; 1-TAG reads an accuracy, e.g. 1-val_accuracy (env "
                    + "DW_TEST_ERROR; default: test_error, test/error, error/test, val_error or val/error).")
    String testError;

    @Option(
            names = "--csv-layout",
            defaultValue = "${env:DW_CSV_LAYOUT:-auto}",
            description = "The layout of every CSV file: lightning (CSVLogger's metrics.csv), keras (CSVLogger), "
                    + "wandb (run history), mlflow (metric history: key, value, step) or auto (default: by each "
                    + "file's header; env DW_CSV_LAYOUT). Valid values: ${COMPLETION-CANDIDATES}.")
    Layout csvLayout;

    @Option(
            names = "--run-column",
            paramLabel = "COLUMN",
            defaultValue = "${env:DW_RUN_COLUMN}",
            description = "A CSV column that names each row's run, for files that hold several (env DW_RUN_COLUMN; "
                    + "default: MLflow's run_id when present, otherwise one run per file).")
    String runColumn;

    @Option(
            names = "--runs-file",
            paramLabel = "FILE",
            defaultValue = "${env:DW_RUNS_FILE}",
            description = "A small CSV giving runs what their logs lack: a run column (a run's name as the import "
                    + "names it, * matching any characters) and any of sweep_id, param_count, train_size; the first "
                    + "matching row with a value wins (env DW_RUNS_FILE).")
    Path runsFile;

    @Option(
            names = "--sweep",
            paramLabel = "ID",
            defaultValue = "${env:DW_SWEEP}",
            description = "The sweep of every run without one in the runs file or its log (env DW_SWEEP; default: "
                    + "the input's own name, since a directory of runs is usually one sweep).")
    String sweep;

    @Option(
            names = "--param-count",
            paramLabel = "N",
            defaultValue = "${env:DW_PARAM_COUNT}",
            description = "The trainable parameter count of every run without one in the runs file or in its log (a "
                    + "param_count column or scalar tag) (env DW_PARAM_COUNT; no default: a run without any is "
                    + "named and left out).")
    @Range(min = "1")
    Long paramCount;

    @Option(
            names = "--train-size",
            paramLabel = "N",
            defaultValue = "${env:DW_TRAIN_SIZE}",
            description = "The training-set size of every run without one in the runs file or in its log (env "
                    + "DW_TRAIN_SIZE; no default, as for --param-count).")
    @Range(min = "1")
    Long trainSize;

    /** The format of {@code input} ({@code -}: standard input, always JSON lines). */
    LogFormat resolve(String input) throws IOException, ImportException {
        if ("-".equals(input)) {
            return LogFormat.JSONL;
        }
        LogFormat chosen = switch (format) {
            case auto -> LogFormat.AUTO;
            case jsonl -> LogFormat.JSONL;
            case tensorboard -> LogFormat.TENSORBOARD;
            case csv -> LogFormat.CSV;
        };
        return chosen.resolve(Path.of(input), excluded());
    }

    LogImport importer() throws IOException, ImportException {
        CsvLayout layout = switch (csvLayout) {
            case auto -> null;
            case lightning -> CsvLayout.LIGHTNING;
            case keras -> CsvLayout.KERAS;
            case wandb -> CsvLayout.WANDB;
            case mlflow -> CsvLayout.MLFLOW;
        };
        return new LogImport(new LogImport.Settings(
                new MetricMapping(trainLoss, testLoss, trainError, testError),
                layout,
                runColumn,
                RunAttributes.load(runsFile, new RunAttributes.Defaults(paramCount, sweep, trainSize)),
                excluded()));
    }

    /** The runs file is not a log, even when it lies among them. */
    private Set<Path> excluded() {
        return runsFile == null ? Set.of() : Set.of(runsFile.toAbsolutePath().normalize());
    }

    /** What an import found, for a person: per sweep, each run with its sizes, evaluations and the tags read. */
    static void describe(Path input, LogImport.Result result, PrintWriter out) {
        Map<String, List<LogImport.FoundRun>> bySweep = result.runs().stream()
                .collect(Collectors.groupingBy(LogImport.FoundRun::sweepId, TreeMap::new, Collectors.toList()));
        long evaluations = result.runs().stream()
                .mapToLong(LogImport.FoundRun::evaluations)
                .sum();
        out.printf(
                "imported %s (%s): %d runs in %d sweep%s, %,d evaluations%s%n",
                input,
                result.format().name().toLowerCase(),
                result.runs().size(),
                bySweep.size(),
                bySweep.size() == 1 ? "" : "s",
                evaluations,
                result.problems() == 0 ? "" : ", " + result.problems() + " problems (on stderr)");
        int width = Math.max(
                3,
                result.runs().stream().mapToInt(r -> r.runId().length()).max().orElse(3));
        for (Map.Entry<String, List<LogImport.FoundRun>> sweep : bySweep.entrySet()) {
            out.printf("  sweep %s: %d runs%n", sweep.getKey(), sweep.getValue().size());
            out.printf(
                    "    %-" + width + "s %12s %11s %11s  %s%n",
                    "run",
                    "parameters",
                    "train size",
                    "evaluations",
                    "train loss / test loss from");
            sweep.getValue().stream()
                    .sorted(Comparator.comparingLong(LogImport.FoundRun::paramCount)
                            .thenComparing(LogImport.FoundRun::runId))
                    .forEach(r -> out.printf(
                            "    %-" + width + "s %,12d %,11d %,11d  %s / %s%n",
                            r.runId(),
                            r.paramCount(),
                            r.trainSize(),
                            r.evaluations(),
                            r.trainLossTag(),
                            r.testLossTag()));
        }
    }
}
