"""The generator's corpus is labelled as its noise-free curves say, by the corpus README's definitions (checked here
on the curves, not by calling the generator's own labelling), and the same seed makes the same corpus."""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

GENERATOR = Path(__file__).with_name("generate_curves.py")


def generate(out, seed):
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(out), "--seed", str(seed), "--runs", "60",
                    "--sweeps", "4"], check=True)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = generate(tmp_path_factory.mktemp("corpus"), 7)
    labels = json.loads((out / "labels.json").read_text())
    clean = json.loads((out / "clean.json").read_text())
    return out, labels, clean


def test_the_same_seed_makes_the_same_corpus_and_another_seed_another(corpus, tmp_path):
    out, _, _ = corpus
    again = generate(tmp_path / "again", 7)
    other = generate(tmp_path / "other", 8)
    for name in ("epochwise.jsonl", "modelwise.jsonl", "labels.json"):
        assert (again / name).read_bytes() == (out / name).read_bytes(), name
    assert (other / "labels.json").read_bytes() != (out / "labels.json").read_bytes()


def test_every_family_and_verdict_is_there(corpus):
    _, labels, _ = corpus
    runs = labels["epochwise"].values()
    assert {r["family"] for r in runs} == {"dd", "u", "mono", "late"}
    for verdict in ("rise", "second_descent", "interpolates", "not_interpolates", "diverged"):
        assert any(r.get(verdict) for r in runs), verdict
    assert any(r.get("below_first_min") for r in runs)
    sweeps = labels["modelwise"].values()
    assert any(s["peaked"] for s in sweeps) and not all(s["peaked"] for s in sweeps)


def test_run_labels_hold_on_the_noise_free_curves(corpus):
    _, labels, clean = corpus
    for run, lab in labels["epochwise"].items():
        c = clean["epochwise"][run]
        epochs, test, train = c["epoch"], c["test"], c["train"]
        at = {e: i for i, e in enumerate(epochs)}
        fit = [e for e, v in zip(epochs, train) if v <= 1e-3 * train[0]]
        assert lab["interpolates"] == bool(fit) and lab["not_interpolates"] != bool(fit), run
        if fit:
            assert lab["interpolation_epoch"] == fit[0], run
        if "first_min_epoch" not in lab:
            assert all(b <= a for a, b in zip(test, test[1:])), run + ": no first minimum, so no rise at all"
            assert not lab["rise"] and not lab["second_descent"]
            continue
        m = at[lab["first_min_epoch"]]
        assert all(b <= a for a, b in zip(test[:m + 1], test[1:m + 1])), run + ": falls until its first minimum"
        assert test[m + 1] > test[m], run
        peak = max(test[m:])
        assert lab["peak_loss"] == pytest.approx(peak) and test[at[lab["peak_epoch"]]] == peak, run
        assert lab["rise"] == (peak >= 1.10 * test[m]), run
        assert lab["ambiguous_rise"] == (1.02 * test[m] <= peak < 1.10 * test[m]), run
        p = at[lab["peak_epoch"]]
        low = min(test[p:])
        assert lab["second_descent"] == (lab["rise"] and low <= 0.90 * peak), run
        if not lab["rise"]:
            continue
        confirm = [e for e, v in zip(epochs[p:], test[p:]) if v <= 0.95 * peak]
        assert lab["confirm_epoch"] == (confirm[0] if confirm else None), run
        assert lab["below_first_min"] == (test[-1] <= 0.95 * test[m]), run
        assert lab["not_below_first_min"] == (test[-1] >= 1.05 * test[m]), run


def test_events_are_the_clean_curves_with_the_labelled_noise(corpus):
    out, labels, clean = corpus
    by_run = {}
    times = []
    for line in (out / "epochwise.jsonl").read_text().splitlines():
        e = json.loads(line)
        times.append(e["time"])
        by_run.setdefault(e["run_id"], {})[e["epoch"]] = e
    assert times == sorted(times), "interleaved in time, as concurrent workers send them"
    for run, lab in labels["epochwise"].items():
        events = by_run[run]
        assert sorted(events) == clean["epochwise"][run]["epoch"], run
        assert lab["n_events"] == len(events)
        ratios = [abs(e["test_loss"] / v - 1) for v, e in zip(clean["epochwise"][run]["test"],
                                                                 (events[k] for k in sorted(events)))
                  if isinstance(e["test_loss"], float)]
        ratios.sort()
        # the median of |N(0, s)| is 0.67 s; spikes and divergence only touch a few
        assert 0.3 * lab["noise_rel"] < ratios[len(ratios) // 2] < 1.5 * lab["noise_rel"], run
        assert lab["diverged"] == any(not isinstance(e["train_loss"], float) for e in events.values()), run


def test_sweep_labels_hold_on_the_noise_free_final_losses(corpus):
    _, labels, _ = corpus
    for sweep, lab in labels["modelwise"].items():
        sizes = {}
        for run in lab["runs"].values():
            sizes[run["param_count"]] = run
        ps = sorted(sizes)
        test = [sizes[p]["final_test"] for p in ps]
        train = [sizes[p]["final_train"] for p in ps]
        assert lab["threshold_param_count"] == next(p for p, v in zip(ps, train) if v == 0), sweep
        stands = [test[i] / max(min(test[:i]), min(test[i + 1:])) - 1 for i in range(1, len(ps) - 1)]
        best = max(stands)
        assert lab["peaked"] == (best >= 0.10), sweep
        if lab["peaked"]:
            assert lab["peak_param_count"] == ps[1 + stands.index(best)], sweep
        below = [v for p, v in zip(ps, test) if p < lab["threshold_param_count"]]
        past = [v for p, v in zip(ps, test) if p >= lab["threshold_param_count"]]
        assert lab["overparameterized_wins"] == (bool(below) and min(past) <= 0.95 * min(below)), sweep
        assert math.isclose(lab["bump_rel"], max(0.0, best), rel_tol=1e-9, abs_tol=1e-12), sweep
