#!/usr/bin/env python3
"""Optuna's median pruner against the same pruner wrapped by DescentWatch, on trials whose second descent wins.

The task: linear regression on two feature scales (Heckel & Yilmaz 2021), n = 200 noisy examples, 100 features of
scale 1 and 10 of scale 0.1, trained from zero by full-batch gradient descent (PyTorch, 4,000 epochs, evaluated
about 20 times per decade of epochs). The large-scale features are learned first and then fit the noise (the
test loss rises), the small-scale ones carry the signal home late (it falls again, far below the first minimum).
Each trial tries one weight decay: little decay gives the largest bump and the best final model, much decay no
bump and a worse one. Both studies try the same weight decays (a seeded random sampler) with the same pruner
(median, 4 startup trials); the second wraps it in DescentWatchPruner, which keeps a trial through its bump while
DescentWatch's advice says a second descent can still come.

    ./descentwatch serve                                               # in one terminal
    python3 clients/python/examples/optuna_second_descent.py           # in another (about a minute)

Prints, per study, the trials kept to the end, the winning second descents among them (trials whose final test
loss is more than 2% under their first minimum, judged in hindsight on the full curve), the best value found and
the epochs spent; ``--json`` prints the same as one JSON object.
"""

import argparse
import json
import math
import os
import sys
import time

import optuna
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))  # the client, uninstalled
import descentwatch  # noqa: E402
from descentwatch.pruning import DescentWatchPruner  # noqa: E402

N, FAST, SLOW, SLOW_SCALE, FAST_SIGNAL, SLOW_SIGNAL, NOISE = 200, 100, 10, 0.1, 1.2, 2.0, 1.0


def task(seed):
    """Training set and noise-free test targets; the test loss is the expected squared error on fresh inputs."""
    g = torch.Generator().manual_seed(seed)
    d = FAST + SLOW
    scale = torch.cat([torch.ones(FAST, dtype=torch.float64), torch.full((SLOW,), SLOW_SCALE, dtype=torch.float64)])
    theta = torch.cat([torch.randn(FAST, generator=g, dtype=torch.float64) * math.sqrt(FAST_SIGNAL / FAST),
                       torch.randn(SLOW, generator=g, dtype=torch.float64) * math.sqrt(SLOW_SIGNAL / SLOW)
                       / SLOW_SCALE])
    x = torch.randn(N, d, generator=g, dtype=torch.float64) * scale
    y = x @ theta + NOISE * torch.randn(N, generator=g, dtype=torch.float64)
    return x, y, theta, scale


def evaluations(epochs, per_decade=20):
    points = {epochs}
    for i in range(int(per_decade * math.log10(epochs)) + 1):
        points.add(int(round(10 ** (i / per_decade))))
    return sorted(p for p in points if 1 <= p <= epochs)


def curve(x, y, theta, scale, lr, epochs):
    """Yields (epoch, train loss, test loss) at each evaluation, by full-batch gradient descent from zero."""
    w = torch.zeros(x.shape[1], dtype=torch.float64)
    epoch = 0
    for point in evaluations(epochs):
        while epoch < point:
            w -= lr * (x.T @ (x @ w - y) / N)
            epoch += 1
        train = float(((x @ w - y) ** 2).mean())
        test = float((((w - theta) * scale) ** 2).sum())   # E[(x'(w - theta))^2] for Gaussian x
        yield epoch, train, test


def wins(losses):
    """In hindsight: the final test loss is more than 2% under the first local minimum."""
    first_min = next((losses[i] for i in range(1, len(losses) - 1) if losses[i] <= losses[i + 1]), losses[-1])
    return losses[-1] < 0.98 * first_min


def run_study(name, pruner, watch, trials, epochs, seed, data):
    x, y, theta, scale = data
    spent = {"epochs": 0}

    def objective(trial):
        lr = trial.suggest_float("lr", 0.003, 0.3, log=True)
        context = watch(trial) if watch else None
        watched = context.__enter__() if context else None
        try:
            for epoch, train, test in curve(x, y, theta, scale, lr, epochs):
                spent["epochs"] = max(spent["epochs"], 0)
                trial.set_user_attr("epochs", epoch)
                if watched:
                    watched.report(epoch, train_loss=train, test_loss=test)
                else:
                    trial.report(test, epoch)
                if trial.should_prune():
                    raise optuna.TrialPruned()
            return test
        except BaseException:
            if context:
                context.__exit__(*sys.exc_info())
                context = None
            raise
        finally:
            if context:
                context.__exit__(None, None, None)

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(study_name=name, sampler=optuna.samplers.RandomSampler(seed=seed), pruner=pruner)
    started = time.monotonic()
    study.optimize(objective, n_trials=trials)
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    winners = {t.number for t in study.trials
               if wins([test for _, _, test in curve(x, y, theta, scale, t.params["lr"], epochs)])}
    return {"study": name, "trials": len(study.trials), "kept_to_the_end": len(complete),
            "winning_second_descents": len(winners),
            "winning_second_descents_kept": len([t for t in complete if t.number in winners]),
            "best_value": min(t.value for t in complete) if complete else None,
            "epochs_spent": sum(t.user_attrs.get("epochs", 0) for t in study.trials),
            "seconds": round(time.monotonic() - started, 1)}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bootstrap", default="localhost:9092", help="Kafka of serve or the detector (default %(default)s)")
    p.add_argument("--trials", type=int, default=30, help="trials per study (default %(default)s)")
    p.add_argument("--epochs", type=int, default=4000, help="epochs per trial (default %(default)s)")
    p.add_argument("--seed", type=int, default=7, help="the data's and the sampler's seed (default %(default)s)")
    p.add_argument("--sweep-id", default=None, help="DescentWatch sweep of the wrapped study's trials (default: "
                                                     "optuna-<time>)")
    p.add_argument("--json", action="store_true", help="print the results as one JSON object")
    a = p.parse_args()
    if a.trials < 1 or a.epochs < 10:
        p.error("--trials must be >= 1 and --epochs >= 10")
    torch.set_num_threads(1)
    data = task(a.seed)
    startup = dict(n_startup_trials=4, n_warmup_steps=10)
    median = run_study("median", optuna.pruners.MedianPruner(**startup), None, a.trials, a.epochs, a.seed, data)
    sweep = descentwatch.Sweep(a.sweep_id or time.strftime("optuna-%Y%m%d-%H%M%S"), size=a.trials,
                               bootstrap=a.bootstrap)
    pruner = DescentWatchPruner(optuna.pruners.MedianPruner(**startup), sweep)
    wrapped = run_study("median + DescentWatch", pruner,
                        lambda trial: pruner.watch(trial, param_count=FAST + SLOW, train_size=N, epochs=a.epochs),
                        a.trials, a.epochs, a.seed, data)
    wrapped["cuts_turned_down"] = len({number for number, _, _ in pruner.kept})
    if a.json:
        print(json.dumps({"median": median, "wrapped": wrapped, "sweep_id": sweep.sweep_id}))
        return
    print(f"{'study':<24} {'kept to the end':>15} {'winning kept':>12} {'best value':>10} {'epochs spent':>12}")
    for r in (median, wrapped):
        best = "-" if r["best_value"] is None else f"{r['best_value']:.3f}"
        print(f"{r['study']:<24} {r['kept_to_the_end']:>9} of {r['trials']:<3} "
              f"{r['winning_second_descents_kept']:>6} of {r['winning_second_descents']:<3} {best:>10} "
              f"{r['epochs_spent']:>12,}")


if __name__ == "__main__":
    main()
