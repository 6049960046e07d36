package io.descentwatch.importers;

import java.util.List;
import java.util.Optional;

/**
 * The CSV logs the importer knows, each by the columns its writer puts in the header. The step of a wide layout is
 * one column, every other numeric column a series; MLflow's metric history is long, one value per row.
 */
public enum CsvLayout {

    /** Lightning's {@code CSVLogger} ({@code lightning_logs/version_N/metrics.csv}): {@code epoch}, {@code step},
     *  one column per logged metric, train and validation metrics on separate rows of the same epoch. */
    LIGHTNING("epoch", 1, null),
    /** Keras' {@code CSVLogger}: {@code epoch}, then {@code loss}, {@code val_loss} and the other metrics. */
    KERAS("epoch", 1, null),
    /** W&B's run history ({@code run.history()} or the run page's export): {@code _step}, {@code _runtime},
     *  {@code _timestamp} (Unix seconds), one column per logged key. */
    WANDB("_step", 0, "_timestamp"),
    /** MLflow's metric history ({@code MlflowClient.get_metric_history}): {@code key}, {@code value},
     *  {@code step}, {@code timestamp} (Unix milliseconds), and {@code run_id} when several runs share a file. */
    MLFLOW("step", 0, "timestamp");

    /** The column that orders a wide layout's rows (MLflow: the step of each value). */
    final String stepColumn;
    /** Added to the step to make completed epochs: Lightning and Keras number the first epoch 0. */
    final long epochOffset;
    /** The column of wall time, or null. */
    final String timeColumn;

    CsvLayout(String stepColumn, long epochOffset, String timeColumn) {
        this.stepColumn = stepColumn;
        this.epochOffset = epochOffset;
        this.timeColumn = timeColumn;
    }

    /** Columns that are the log's bookkeeping, not a series. */
    static final List<String> BOOKKEEPING =
            List.of("epoch", "step", "_step", "_runtime", "_timestamp", "timestamp", "run_id");

    /** The layout a header names, most specific first; empty when it is none of them. */
    static Optional<CsvLayout> detect(List<String> header) {
        if (header.contains("key") && header.contains("value") && header.contains("step")) {
            return Optional.of(MLFLOW);
        }
        if (header.contains("_step")) {
            return Optional.of(WANDB);
        }
        if (header.contains("epoch") && header.contains("step")) {
            return Optional.of(LIGHTNING);
        }
        if (header.contains("epoch")) {
            return Optional.of(KERAS);
        }
        return Optional.empty();
    }
}
