"""The README's Optuna example on real Optuna and PyTorch against a real serve (run by PythonAgainstServeTest)."""
import json
import pathlib
import subprocess
import sys

from serve_env import serve  # noqa: F401 (the fixture)

EXAMPLE = pathlib.Path(__file__).resolve().parents[1] / "examples" / "optuna_second_descent.py"


def test_the_wrapped_median_pruner_keeps_the_winning_second_descents_the_median_pruner_cuts(serve):
    done = subprocess.run([sys.executable, str(EXAMPLE), "--bootstrap", serve["bootstrap"], "--trials", "12",
                           "--json"], capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    median, wrapped = result["median"], result["wrapped"]
    assert median["trials"] == wrapped["trials"] == 12
    # the same learning rates were tried, so the same trials would have won
    assert median["winning_second_descents"] == wrapped["winning_second_descents"] > 0
    # the median pruner cuts winners in their bump; wrapped, more of them reach the end, never fewer
    assert median["winning_second_descents_kept"] < median["winning_second_descents"]
    assert wrapped["winning_second_descents_kept"] > median["winning_second_descents_kept"]
    assert wrapped["cuts_turned_down"] >= 1
    assert wrapped["best_value"] <= median["best_value"] + 1e-12
    # keeping trials costs epochs: the wrapped study trains more of them
    assert wrapped["epochs_spent"] > median["epochs_spent"]
