"""Writes the four CSV layouts the importer reads with pandas' to_csv, column for column as each logger lays them out.

Usage: write_csv_logs.py OUT_DIR. Every run: train loss 1/(1+e) and test loss 2/(1+e)+0.1 after e completed
epochs, e = 1..10, scaled per run; the accuracy columns are 1 - error, error = test loss / 10.
"""
import sys
from pathlib import Path

import pandas as pd

out = Path(sys.argv[1])


def train(e, k=1.0):
    return k / (1 + e)


def test(e, k=1.0):
    return 2 * k / (1 + e) + 0.1


# Lightning's CSVLogger: lightning_logs/version_N/metrics.csv; training and validation metrics are logged at
# different times, so they land on separate rows of the same epoch (0-based), the other cells empty
rows = []
for e in range(1, 11):
    rows.append({"train_loss": train(e), "epoch": e - 1, "step": e * 10 - 1})
    rows.append({"val_loss": test(e), "epoch": e - 1, "step": e * 10 - 1})
(out / "lightning_logs" / "version_0").mkdir(parents=True)
pd.DataFrame(rows).to_csv(out / "lightning_logs" / "version_0" / "metrics.csv", index=False)

# Keras' CSVLogger: epoch (0-based), then the logs' keys sorted
keras = pd.DataFrame({"epoch": [e - 1 for e in range(1, 11)],
                      "accuracy": [1 - train(e) / 10 for e in range(1, 11)],
                      "loss": [train(e) for e in range(1, 11)],
                      "val_accuracy": [1 - test(e) / 10 for e in range(1, 11)],
                      "val_loss": [test(e) for e in range(1, 11)]})
(out / "keras").mkdir()
keras.to_csv(out / "keras" / "training.log.csv", index=False)

# W&B's run.history(): _step, _runtime, _timestamp (Unix seconds) and the logged keys; to_csv keeps the index
wandb = pd.DataFrame({"_step": list(range(1, 11)),
                      "_runtime": [float(e) for e in range(1, 11)],
                      "_timestamp": [1.7e9 + e for e in range(1, 11)],
                      "train_loss": [train(e, 2) for e in range(1, 11)],
                      "test_loss": [test(e, 2) for e in range(1, 11)]})
(out / "wandb").mkdir()
wandb.to_csv(out / "wandb" / "history.csv")

# MLflow's metric history (MlflowClient.get_metric_history, one row per Metric), two runs in one file
mlflow = pd.DataFrame([{"key": key, "value": f(e, k), "timestamp": 1_700_000_000_000 + e, "step": e,
                        "run_id": run_id}
                       for run_id, k in (("0a1b", 3.0), ("2c3d", 4.0))
                       for key, f in (("train_loss", train), ("val_loss", test))
                       for e in range(1, 11)])
(out / "mlflow").mkdir()
mlflow.to_csv(out / "mlflow" / "metric_history.csv", index=False)
