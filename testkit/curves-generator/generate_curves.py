#!/usr/bin/python3
"""Generates a labelled corpus of the families the test kit's curves/README.md describes, deterministic by seed.

    /usr/bin/python3 testkit/curves-generator/generate_curves.py --out DIR [--seed 1] [--runs 270] [--sweeps 18]

writes DIR/epochwise.jsonl (runs of epoch events, wire contract v1, interleaved in time as concurrent workers send
them), DIR/modelwise.jsonl (sweeps, one run per model size and seed), DIR/labels.json (what the noise-free curves
hold, by the README's definitions) and DIR/clean.json (the noise-free curves themselves, on each run's grid, so that
the labels can be checked: test_generate_curves.py). It does not reproduce the shipped files byte for byte (those
came from a reference corpus); it makes more of the same kinds, and a new alert type's family goes here first.
"""
import argparse
import json
import math
import os
from datetime import datetime, timedelta, timezone

import numpy as np

RISE = 0.10            # a rise or fall is real from 10% ...
AMBIGUOUS_RISE = 0.02  # ... and between 2% (rises) or 5% (falls) and 10% no verdict is expected
AMBIGUOUS_FALL = 0.05
CONFIRM = 0.05         # confirm_epoch: the first epoch 5% below the peak; the end 5% under/over the first minimum
INTERPOLATION = 1e-3   # train loss at 1e-3 of its start
PEAK = 0.10            # a model-wise peak stands 10% above the best size on each side
WIN = 0.05             # an over-parameterized size is 5% better than every size below the threshold
START = datetime(2026, 11, 1, tzinfo=timezone.utc)


def grid(rng, kind, epochs):
    """The epochs a run is evaluated at."""
    if kind == "every":
        return np.arange(1, epochs + 1)
    if kind == "few":
        return np.arange(1, epochs + 1, int(rng.integers(2, 6)))
    if kind == "log":
        return np.unique(np.round(np.geomspace(1, epochs, int(rng.integers(40, 90)))).astype(int))
    return np.unique(np.sort(rng.choice(np.arange(1, epochs + 1), size=epochs // 3, replace=False)))  # irregular


def bump(t, centre, width):
    """A rise and fall over log-epochs: a second bias-variance trade-off added to the first."""
    return np.exp(-0.5 * ((np.log(t) - math.log(centre)) / width) ** 2)


def epoch_curves(rng, family, t):
    """Noise-free test and train loss of one run of a family."""
    floor = rng.uniform(0.3, 2.0)
    first = floor * rng.uniform(1.5, 3.0)
    tau = rng.uniform(3, 12)
    test = floor + (first - floor) * np.exp(-t / tau)
    if family == "dd":       # double descent: rise, then a fall below or above the first minimum
        test = test + floor * rng.uniform(0.1, 0.8) * bump(t, tau * rng.uniform(4, 10), rng.uniform(0.4, 0.8))
        test = test - floor * rng.uniform(0.0, 0.3) * (1 - np.exp(-t / (tau * 15)))
    elif family == "u":      # overfitting: the loss rises and never comes back
        test = test + floor * rng.uniform(0.0, 0.8) * np.log1p(np.maximum(t / (tau * 3) - 1, 0))
    elif family == "late":   # a rise that turns back only late
        test = test + floor * rng.uniform(0.2, 0.6) * bump(t, t[-1] * rng.uniform(0.3, 0.6), rng.uniform(0.5, 1.0))
    train0 = first * rng.uniform(1.0, 1.5)
    train = train0 * np.exp(-t / (tau * rng.uniform(0.5, 6)))
    return test, train


def epoch_labels(family, t, test, train, diverge_epoch):
    """What the noise-free curves hold, by the corpus README's definitions."""
    lab = {"family": family, "diverged": diverge_epoch is not None, "diverge_epoch": diverge_epoch}
    fit = np.nonzero(train <= INTERPOLATION * train[0])[0]
    lab["interpolates"] = bool(len(fit))
    lab["not_interpolates"] = not len(fit)
    if len(fit):
        lab["interpolation_epoch"] = int(t[fit[0]])
    falling = np.nonzero(np.diff(test) > 0)[0]
    if not len(falling):                       # plain descent: no first minimum before the end
        lab.update(rise=False, second_descent=False)
        return lab
    m = int(falling[0])                        # the first minimum
    p = m + int(np.argmax(test[m:]))           # the peak after it
    rise = test[p] / test[m] - 1
    low = p + int(np.argmin(test[p:]))
    fall = 1 - test[low] / test[p]
    lab.update(first_min_epoch=int(t[m]), first_min_loss=float(test[m]), peak_epoch=int(t[p]),
               peak_loss=float(test[p]), rise_rel=float(rise), fall_rel=float(fall), final_loss=float(test[-1]),
               rise=bool(rise >= RISE), ambiguous_rise=bool(AMBIGUOUS_RISE <= rise < RISE))
    lab["second_descent"] = bool(lab["rise"] and fall >= RISE)
    lab["ambiguous_fall"] = bool(lab["rise"] and AMBIGUOUS_FALL <= fall < RISE)
    if lab["rise"]:
        confirm = np.nonzero(test[p:] <= (1 - CONFIRM) * test[p])[0]
        lab["confirm_epoch"] = int(t[p + confirm[0]]) if len(confirm) else None
        lab["below_first_min"] = bool(test[-1] <= (1 - CONFIRM) * test[m])
        lab["not_below_first_min"] = bool(test[-1] >= (1 + CONFIRM) * test[m])
        if lab["below_first_min"]:
            lab["below_first_min_epoch"] = int(t[p + np.nonzero(test[p:] <= (1 - CONFIRM) * test[m])[0][0]])
    return lab


def noisy(rng, values, rel, spikes):
    out = values * (1 + rel * rng.standard_normal(len(values)))
    if spikes:  # heavy-tailed outliers, as the harder runs have
        hit = rng.random(len(values)) < 0.03
        out[hit] *= 1 + np.abs(rng.standard_t(2, hit.sum())) * 0.3
    return out


def event(run, sweep, epoch, train, test, p, n, when, k=1, model=None):
    e = {"schema": "descentwatch.epoch/v1", "run_id": run, "sweep_id": sweep, "epoch": int(epoch),
         "train_loss": num(train), "test_loss": num(test), "param_count": int(p), "train_size": int(n)}
    if k != 1:
        e["output_dim"] = k
    e["time"] = when.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if model:
        e["model"] = model
    return e


def num(v):
    """JSON has no NaN or Infinity: the contract writes them as strings."""
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def epochwise(rng, count):
    events, labels, clean = [], {}, {}
    families = ["dd"] * 4 + ["u"] * 2 + ["mono"] * 2 + ["late"]
    for i in range(count):
        family = families[i % len(families)]
        hard = rng.random() < 0.3
        run = "ew-%s%03d-%s" % ("m" if hard else "p", i, family)
        kind = str(rng.choice(["every", "every", "log", "irregular", "few"]))
        t = grid(rng, kind, int(rng.integers(80, 400)))
        test, train = epoch_curves(rng, family, t.astype(float))
        diverge = int(t[len(t) * 2 // 3]) if rng.random() < 0.06 else None
        lab = epoch_labels(family, t, test, train, diverge)
        rel = float(rng.choice([0.002, 0.005, 0.01, 0.02, 0.04, 0.06]))
        lab.update(grid=kind, noise_rel=rel, n_events=len(t))
        labels[run] = lab
        clean[run] = {"epoch": t.tolist(), "test": test.tolist(), "train": train.tolist()}
        y_test, y_train = noisy(rng, test, rel, hard), noisy(rng, train, rel, hard)
        if diverge is not None:
            after = t >= diverge
            y_train[after] = np.where(rng.random(after.sum()) < 0.5, np.nan, np.inf)
            y_test[after] = np.nan
        start, step = rng.uniform(0, 60), rng.uniform(0.5, 3)
        p, n = int(rng.choice([50, 200, 1000, 10000])), int(rng.choice([100, 1000]))
        for e, tr, te in zip(t, y_train, y_test):
            when = START + timedelta(seconds=start + e * step)
            events.append(event(run, "ew-corpus", e, tr, te, p, n, when))
            if hard and rng.random() < 0.02:   # a retransmission, later
                events.append(event(run, "ew-corpus", e, tr, te, p, n, when + timedelta(seconds=5)))
    return events, labels, clean


def risk(p, n, noise, soften):
    """Test risk of min-norm least squares on the first p features (Belkin, Hsu & Xu 2019), the spike softened."""
    bias = np.where(p < n, 1 - p / (4 * n), (1 - n / p) * 0.8)
    variance = np.where(p < n, noise * p / (np.abs(n - p) + soften), noise * n / (np.abs(p - n) + soften))
    return 0.2 + bias + variance


def modelwise(rng, count):
    events, labels, clean = [], {}, {}
    for s in range(count):
        hard = s >= count * 2 // 3
        sweep = "mw-%s%02d" % ("m" if hard else "p", s)
        n = int(rng.choice([100, 200, 500, 1000]))
        k = 10 if hard and rng.random() < 0.4 else 1
        target = n * k
        sizes = np.unique(np.round(target * np.geomspace(0.1, 10, int(rng.integers(13, 22)))).astype(int))
        if target not in sizes:
            sizes = np.unique(np.append(sizes, target))
        regularised = s % 3 == 2
        soften = target * (rng.uniform(0.02, 0.3) if hard else 0.05)
        final_test = risk(sizes.astype(float), float(target), rng.uniform(0.05, 0.5) if hard else 0.3, soften)
        if regularised:  # regularisation removes the peak: the risk only falls towards its floor
            final_test = np.minimum.accumulate(final_test)
        final_train = np.where(sizes >= target, 0.0, 0.5 * (1 - sizes / target))
        labels[sweep] = sweep_labels(sizes, final_test, final_train, n, k)
        seeds = int(rng.integers(1, 4)) if hard else 1
        rel = 0.03 if hard else 0.01
        runs = {}
        for i, p in enumerate(sizes):
            for seed in range(seeds):
                run = "%s/p%07d/s%d" % (sweep, p, seed)
                runs[run] = {"param_count": int(p), "final_test": float(final_test[i]),
                             "final_train": float(final_train[i])}
                t = np.arange(1, 61)
                test = final_test[i] + (2.0 - final_test[i]) * np.exp(-t / 8)
                train = final_train[i] + (1.5 - final_train[i]) * np.exp(-t / 8)
                y_test, y_train = noisy(rng, test, rel, hard), np.maximum(noisy(rng, train, rel, False), 0)
                for e in t:
                    when = START + timedelta(seconds=s * 600 + i * 5 + e * 0.5 + seed)
                    events.append(event(run, sweep, e, y_train[e - 1], y_test[e - 1], p, n, when, k,
                                        {"family": "synthetic", "width": int(p)}))
                clean[run] = {"epoch": t.tolist(), "test": test.tolist(), "train": train.tolist()}
        labels[sweep]["runs"] = runs
    return events, labels, clean


def sweep_labels(sizes, test, train, n, k):
    """The model-wise labels, on the noise-free final losses of each size."""
    threshold = int(sizes[np.nonzero(train == 0)[0][0]])
    best, at, prominence = None, None, 0.0
    for i in range(1, len(sizes) - 1):
        stands = test[i] / max(test[:i].min(), test[i + 1:].min()) - 1
        if stands > prominence:
            prominence, at = stands, i
    peaked = prominence >= PEAK
    below = test[sizes < threshold]
    past = test[sizes >= threshold]
    wins = bool(len(below) and past.min() <= (1 - WIN) * below.min())
    return {"peaked": bool(peaked), "peak_param_count": int(sizes[at]) if peaked else None,
            "bump_rel": float(prominence), "ambiguous": bool(0.02 <= prominence < PEAK),
            "threshold_param_count": threshold, "overparameterized_wins": wins, "train_size": n, "output_dim": k}


def main():
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--out", required=True)
    args.add_argument("--seed", type=int, default=1)
    args.add_argument("--runs", type=int, default=270)
    args.add_argument("--sweeps", type=int, default=18)
    a = args.parse_args()
    if a.runs < 1 or a.sweeps < 1:
        args.error("--runs and --sweeps are at least 1")
    rng = np.random.default_rng(a.seed)
    os.makedirs(a.out, exist_ok=True)
    ew, ew_labels, ew_clean = epochwise(rng, a.runs)
    mw, mw_labels, mw_clean = modelwise(rng, a.sweeps)
    ew.sort(key=lambda e: e["time"])  # concurrent workers: interleaved in time
    for name, records in (("epochwise.jsonl", ew), ("modelwise.jsonl", mw)):
        with open(os.path.join(a.out, name), "w") as f:
            f.writelines(json.dumps(r, separators=(",", ":")) + "\n" for r in records)
    with open(os.path.join(a.out, "labels.json"), "w") as f:
        json.dump({"epochwise": ew_labels, "modelwise": mw_labels}, f, sort_keys=True)
    with open(os.path.join(a.out, "clean.json"), "w") as f:
        json.dump({"epochwise": ew_clean, "modelwise": mw_clean}, f)


if __name__ == "__main__":
    main()
