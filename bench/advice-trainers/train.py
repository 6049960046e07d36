#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21).

Written without the project's code: each run is trained to its end and every evaluation is written as a
wire-contract v1 epoch event (schema "descentwatch.epoch/v1") on one JSON line, the run's last one with
"final": true. Deterministic: every random draw comes from a seeded torch.Generator, one thread, and the event
times are synthetic (a fixed start plus 10 ms per epoch), so the same settings give the same files (up to
round-off in train losses under about 1e-17 of runs that interpolate).

    /usr/bin/python3 train.py --family two-scale-linear [--runs 0,3] [--out FILE]

Families (see README.md): two-scale-linear, random-features, mlp-sgd, mlp-adam, cnn-digits, first-min-wins,
logistic-two-scale, sgd-two-scale, real-data, deep-linear.
"""
import argparse
import datetime
import json
import math
import os
import sys
import time

# One BLAS thread too, before torch loads its BLAS: torch.set_num_threads does not reach every BLAS build, and a
# second thread changes the order of a matrix product's sums, round-off that a long run can grow into visible loss
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"
import torch  # noqa: E402  (after the thread settings on purpose)

torch.set_num_threads(1)

START = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)


# ---------------------------------------------------------------------------------------------------- output


def num(x):
    """A loss as the wire contract takes it: a number with 6 significant digits, or NaN/Infinity as strings."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return float("%.6g" % x)


def schedule(spacing, epochs):
    """The epochs evaluated: 'every' (0, 1, ..., epochs), 'every:K' (every K-th epoch and the last) or 'log:K'
    (0 and about K points per decade)."""
    if spacing == "every":
        return list(range(epochs + 1))
    if spacing.startswith("every:"):
        return sorted(set(range(0, epochs + 1, int(spacing.split(":")[1]))) | {epochs})
    k = int(spacing.split(":")[1])
    pts = {0, epochs}
    i = 0
    while True:
        e = int(round(10 ** (i / k)))
        if e > epochs:
            break
        pts.add(e)
        i += 1
    return sorted(pts)


class Writer:
    def __init__(self, out, family, sweep):
        self.out, self.family, self.sweep = out, family, sweep

    def run(self, run_id, param_count, train_size, model, tags, output_dim=1):
        tags = {k: str(v) for k, v in tags.items()}
        tags["family"] = self.family
        writer = self

        class Run:
            def log(self, epoch, train_loss, test_loss, train_error=None, test_error=None, final=False):
                e = {"schema": "descentwatch.epoch/v1", "run_id": run_id, "sweep_id": writer.sweep,
                     "epoch": epoch, "train_loss": num(train_loss), "test_loss": num(test_loss)}
                if train_error is not None:
                    e["train_error"] = round(float(train_error), 5)
                    e["test_error"] = round(float(test_error), 5)
                e["param_count"] = int(param_count)
                e["train_size"] = int(train_size)
                if output_dim != 1:
                    e["output_dim"] = output_dim
                t = START + datetime.timedelta(milliseconds=10 * epoch)
                e["time"] = t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000)
                e["model"] = model
                e["tags"] = tags
                if final:
                    e["final"] = True
                writer.out.write(json.dumps(e, separators=(",", ":")) + "\n")

        return Run()


# ---------------------------------------------------------------------------------------------------- data


def digits(seed, n_train, label_noise, column_scale=None):
    """scikit-learn's bundled 8x8 digits (1,797 images): n_train for training with a share of labels replaced by
    another class drawn at random, the rest (clean) for testing. Pixels in [0, 1]; column_scale = (s, cols)
    multiplies the pixels of those image columns by s (features at a second, slower scale)."""
    from sklearn.datasets import load_digits
    x, y = load_digits(return_X_y=True)
    x = torch.tensor(x / 16.0, dtype=torch.float32)
    y = torch.tensor(y)
    if column_scale is not None:
        s, cols = column_scale
        img = x.view(-1, 8, 8).clone()
        img[:, :, cols] *= s
        x = img.view(-1, 64)
    g = torch.Generator().manual_seed(10_000 + seed)
    perm = torch.randperm(len(x), generator=g)
    tr, te = perm[:n_train], perm[n_train:]
    ytr = y[tr].clone()
    flip = torch.rand(n_train, generator=g) < label_noise
    ytr[flip] = (ytr[flip] + torch.randint(1, 10, (int(flip.sum()),), generator=g)) % 10
    return x[tr], ytr, x[te], y[te]


# ---------------------------------------------------------------------------------------------------- families


def two_scale_linear(w, run_id, c):
    """Linear regression y = <x, theta> + noise, x with df features of scale 1 and ds of scale c['s'];
    full-batch gradient descent from zero on the mean squared error; test loss on 2,000 fresh points."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(c["seed"])
    n, df, ds = c["n"], c["df"], c["ds"]
    d = df + ds
    x, y, xt, yt = two_scale_regression(g, c)
    wgt = torch.zeros(d)
    lr = c["lr"]
    run = w.run(run_id, d, n, {"family": "linear", "fast_features": df, "slow_features": ds},
                {k: c[k] for k in ("seed", "s", "F", "S", "noise", "lr", "eval")} | {"optimizer": "gd", "loss": "mse"})
    pts = schedule(c["eval"], c["epochs"])
    e = 0
    for p in pts:
        while e < p:
            wgt -= lr * (x.T @ (x @ wgt - y)) / n
            e += 1
        run.log(e, ((x @ wgt - y) ** 2).mean(), ((xt @ wgt - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def random_features(w, run_id, c):
    """Random ReLU features relu(W x) of a D-dimensional Gaussian input, N of them (N1 at scale 1, the rest at
    scale c['s']), and a linear readout trained from zero by full-batch gradient descent on the mean squared error.
    The target: a random readout of the fast features (power F), of the slow features at scale 1 (power S), of
    teacher-only ReLU features (power M), plus label noise. Step size c['lr'] / (largest eigenvalue)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(100 + c["seed"])
    n, D, N = c["n"], c["D"], c["N"]
    n_slow = int(round(N * c["slow_share"]))
    wf = torch.randn(N, D, generator=g) / math.sqrt(D)
    wt = torch.randn(50, D, generator=g) / math.sqrt(D)
    bw = c.get("bandwidth", 1.0)
    bf, bt = torch.rand(N, generator=g) * 2 * math.pi, torch.rand(50, generator=g) * 2 * math.pi

    def feat(z, b):
        if c["kind"] == "fourier":  # random Fourier features: unit second moment, mean zero
            return math.sqrt(2) * torch.cos(bw * z + b)
        return (torch.relu(z) - 1 / math.sqrt(2 * math.pi)) / math.sqrt(0.5 - 1 / (2 * math.pi))  # standardized
    scale = torch.cat([torch.ones(N - n_slow), torch.full((n_slow,), c["s"])])
    a_fast = torch.randn(N - n_slow, generator=g) * math.sqrt(c["F"] / max(N - n_slow, 1))
    a_slow = torch.randn(n_slow, generator=g) * math.sqrt(c["S"] / max(n_slow, 1))
    a_teach = torch.randn(50, generator=g) * math.sqrt(c["M"] / 50)

    def data(m):
        x = torch.randn(m, D, generator=g)
        raw = feat(x @ wf.T, bf)
        target = raw[:, :N - n_slow] @ a_fast + raw[:, N - n_slow:] @ a_slow + feat(x @ wt.T, bt) @ a_teach
        return raw * scale, target + c["noise"] * torch.randn(m, generator=g)

    phi, y = data(n)
    phit, yt = data(2000)
    top = torch.linalg.eigvalsh(phi.T @ phi / n)[-1].item()
    lr = c["lr"] / top
    a = torch.zeros(N)
    run = w.run(run_id, N, n, {"family": "random-relu-features", "width": N, "input_dim": D},
                {k: c[k] for k in ("seed", "kind", "s", "slow_share", "F", "S", "M", "noise", "lr", "eval")}
                | {"optimizer": "gd", "loss": "mse", "width_ratio": "%.3g" % (N / n)})
    pts = schedule(c["eval"], c["epochs"])
    e = 0
    for p in pts:
        while e < p:
            a -= lr * (phi.T @ (phi @ a - y)) / n
            e += 1
        run.log(e, ((phi @ a - y) ** 2).mean(), ((phit @ a - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def mlp(w, run_id, c):
    """An MLP (one or two hidden ReLU layers) on the 8x8 digits with label noise, minibatch SGD (momentum 0.9) or
    Adam, cross-entropy or squared error on one-hot targets, optional weight decay."""
    xtr, ytr, xte, yte = digits(c["seed"], c["n"], c["label_noise"],
                                (c["col_scale"], list(range(c.get("fast_cols", 4), 8))) if c.get("col_scale") else None)
    torch.manual_seed(c["seed"])
    g = torch.Generator().manual_seed(20_000 + c["seed"])
    layers, prev = [], 64
    for _ in range(c["depth"]):
        layers += [torch.nn.Linear(prev, c["width"]), torch.nn.ReLU()]
        prev = c["width"]
    model = torch.nn.Sequential(*layers, torch.nn.Linear(prev, 10))
    train_classifier(w, run_id, c, model, xtr, ytr, xte, yte, g,
                     {"family": "mlp", "width": c["width"], "depth": c["depth"]})


def cnn(w, run_id, c):
    """A small CNN on the 8x8 digits with label noise: conv 3x3 (k channels) - ReLU - conv 3x3 (2k) - ReLU -
    max-pool 2 - linear to 10 classes."""
    xtr, ytr, xte, yte = digits(c["seed"], c["n"], c["label_noise"])
    xtr, xte = xtr.view(-1, 1, 8, 8), xte.view(-1, 1, 8, 8)
    torch.manual_seed(c["seed"])
    g = torch.Generator().manual_seed(30_000 + c["seed"])
    k = c["width"]
    model = torch.nn.Sequential(torch.nn.Conv2d(1, k, 3, padding=1), torch.nn.ReLU(),
                                torch.nn.Conv2d(k, 2 * k, 3, padding=1), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                torch.nn.Flatten(), torch.nn.Linear(2 * k * 16, 10))
    train_classifier(w, run_id, c, model, xtr, ytr, xte, yte, g, {"family": "cnn", "channels": k})


def train_classifier(w, run_id, c, model, xtr, ytr, xte, yte, g, model_info):
    n = len(xtr)
    params = sum(p.numel() for p in model.parameters())
    if c["opt"] == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=c["lr"], momentum=0.9, weight_decay=c.get("wd", 0.0))
    else:
        opt = torch.optim.Adam(model.parameters(), lr=c["lr"], weight_decay=c.get("wd", 0.0))

    def loss_of(out, t):
        if c["loss"] == "ce":
            return torch.nn.functional.cross_entropy(out, t)
        return ((out - torch.nn.functional.one_hot(t, 10).to(out.dtype)) ** 2).sum(1).mean()

    tags = {k: c[k] for k in ("seed", "label_noise", "lr", "batch", "eval") if k in c} \
        | {"optimizer": c["opt"], "loss": c["loss"], "weight_decay": c.get("wd", 0.0), "train_size": n}
    if c.get("col_scale"):
        tags["slow_columns_scale"] = c["col_scale"]
        tags["slow_columns"] = "%d-7" % c.get("fast_cols", 4)
    run = w.run(run_id, params, n, model_info, tags, output_dim=10)
    pts = schedule(c["eval"], c["epochs"])
    e = 0
    for p in pts:
        while e < p:
            model.train()
            idx = torch.randperm(n, generator=g)
            for b in range(0, n, c["batch"]):
                i = idx[b:b + c["batch"]]
                opt.zero_grad()
                loss_of(model(xtr[i]), ytr[i]).backward()
                opt.step()
            e += 1
        model.eval()
        with torch.no_grad():
            otr, ote = model(xtr), model(xte)
            run.log(e, loss_of(otr, ytr).item(), loss_of(ote, yte).item(),
                    (otr.argmax(1) != ytr).float().mean().item(), (ote.argmax(1) != yte).float().mean().item(),
                    final=e == pts[-1])


# ---------------------------------------------------------------------------------------------------- the runs


def runs_two_scale_linear():
    out = []
    # (n, df, ds, s, F, S, noise, lr, epochs, eval)
    grid = [
        (200, 150, 20, 0.1, 1.0, 3.0, 0.5, 0.05, 20000, "log:35"),
        (200, 150, 20, 0.1, 1.0, 3.0, 1.0, 0.05, 20000, "log:35"),
        (200, 120, 30, 0.05, 1.0, 3.0, 0.5, 0.05, 100000, "log:35"),
        (300, 200, 30, 0.1, 3.0, 2.0, 0.5, 0.05, 20000, "log:35"),
        (300, 240, 40, 0.2, 1.0, 2.0, 0.7, 0.1, 3000, "every"),
        (100, 70, 10, 0.1, 1.0, 1.0, 0.3, 0.1, 20000, "log:40"),
        (100, 80, 10, 0.3, 1.0, 2.0, 0.5, 0.1, 2000, "every"),
        (400, 300, 50, 0.05, 2.0, 4.0, 1.0, 0.02, 100000, "log:30"),
        (400, 350, 20, 0.1, 1.0, 1.0, 0.5, 0.05, 20000, "log:35"),
        (150, 100, 25, 0.15, 1.0, 0.5, 0.5, 0.05, 20000, "log:35"),
        (150, 120, 25, 0.1, 0.5, 2.0, 1.5, 0.05, 20000, "log:35"),
        (250, 200, 10, 0.03, 1.0, 3.0, 0.5, 0.1, 100000, "log:35"),
    ]
    for i, (n, df, ds, s, F, S, noise, lr, epochs, ev) in enumerate(grid):
        for seed in (1, 2):
            out.append(("c%02d-n%d-s%g-S%g-noise%g/seed%d" % (i, n, s, S, noise, seed),
                        dict(n=n, df=df, ds=ds, s=s, F=F, S=S, noise=noise, lr=lr, epochs=epochs, eval=ev,
                             seed=seed + 10 * i)))
    return two_scale_linear, out


def runs_random_features():
    out = []
    # (kind, n, D, N/n, slow_share, s, F, S, M, noise, lr, epochs, eval)
    grid = [
        ("relu", 200, 20, 0.8, 0.2, 0.1, 1.0, 2.0, 0.2, 0.5, 0.5, 50000, "log:35"),
        ("relu", 200, 20, 0.7, 0.25, 0.1, 1.0, 3.0, 0.2, 0.5, 0.5, 50000, "log:35"),
        ("relu", 200, 20, 0.75, 0.2, 0.05, 1.0, 3.0, 0.2, 0.5, 0.5, 100000, "log:30"),
        ("relu", 200, 20, 1.0, 0.0, 1.0, 1.0, 0.0, 0.5, 0.5, 0.5, 20000, "log:35"),
        ("relu", 200, 20, 0.6, 0.2, 0.1, 1.0, 2.0, 0.2, 0.3, 0.5, 50000, "log:35"),
        ("relu", 150, 10, 0.7, 0.3, 0.15, 1.0, 3.0, 0.1, 0.5, 0.9, 4000, "every"),
        ("relu", 300, 30, 0.7, 0.2, 0.1, 1.0, 3.0, 0.3, 0.5, 0.5, 50000, "log:35"),
        ("relu", 200, 20, 1.5, 0.0, 1.0, 1.0, 0.0, 0.5, 0.5, 0.5, 3000, "every"),
        ("relu", 200, 20, 0.8, 0.2, 0.1, 1.0, 0.3, 0.2, 1.0, 0.5, 50000, "log:40"),
        ("relu", 100, 10, 2.0, 0.2, 0.1, 0.5, 2.0, 0.5, 0.5, 0.5, 50000, "log:35"),
        ("fourier", 200, 20, 0.8, 0.2, 0.1, 1.0, 2.0, 0.2, 0.5, 0.5, 50000, "log:35"),
        ("fourier", 200, 20, 1.0, 0.0, 1.0, 1.0, 0.0, 0.2, 0.5, 0.5, 20000, "log:35"),
    ]
    for i, (kind, n, D, r, share, s, F, S, M, noise, lr, epochs, ev) in enumerate(grid):
        for seed in (1, 2):
            N = int(round(r * n))
            out.append(("c%02d-%s-n%d-N%d-slow%g-s%g-noise%g/seed%d" % (i, kind, n, N, share, s, noise, seed),
                        dict(kind=kind, n=n, D=D, N=N, slow_share=share, s=s, F=F, S=S, M=M, noise=noise, lr=lr,
                             epochs=epochs, eval=ev, seed=seed + 10 * i, bandwidth=3.0 if kind == "fourier" else 1)))
    return random_features, out


def classifier_runs(grid, keys):
    out = []
    for i, row in enumerate(grid):
        c = dict(zip(keys, row))
        for seed in c.pop("seeds"):
            name = "c%02d-%s-w%d-d%d-noise%g-%s" % (i, c["opt"], c["width"], c.get("depth", 1), c["label_noise"],
                                                   c["loss"])
            if c.get("wd"):
                name += "-wd%g" % c["wd"]
            if c.get("col_scale"):
                name += "-cols%g" % c["col_scale"]
            out.append(("%s/seed%d" % (name, seed), dict(c, seed=seed + 10 * i)))
    return out


MLP_KEYS = ("opt", "loss", "width", "depth", "n", "label_noise", "lr", "batch", "epochs", "eval", "wd", "col_scale",
            "seeds")


def runs_mlp_sgd():
    grid = [
        ("sgd", "ce", 256, 1, 500, 0.3, 0.05, 100, 1000, "log:35", 0.0, None, (1, 2)),
        ("sgd", "ce", 64, 1, 500, 0.2, 0.05, 100, 1500, "log:35", 0.0, None, (1, 2)),
        ("sgd", "ce", 512, 2, 400, 0.4, 0.02, 50, 800, "every", 0.0, None, (1,)),
        ("sgd", "ce", 128, 2, 600, 0.1, 0.05, 200, 2000, "log:40", 0.0, None, (1, 2)),
        ("sgd", "ce", 256, 1, 500, 0.3, 0.05, 500, 3000, "log:35", 0.0, 0.1, (1, 2)),
        ("sgd", "ce", 1024, 1, 300, 0.2, 0.1, 300, 3000, "log:35", 0.0, None, (1, 2)),
        ("sgd", "ce", 32, 1, 800, 0.25, 0.05, 100, 800, "every", 0.0, None, (1,)),
        ("sgd", "ce", 256, 1, 500, 0.2, 0.01, 500, 5000, "log:35", 0.0, 0.05, (1, 2)),
        ("sgd", "mse", 256, 1, 500, 0.3, 0.05, 100, 1500, "log:35", 0.0, None, (1, 2)),
    ]
    return mlp, classifier_runs(grid, MLP_KEYS)


def runs_mlp_adam():
    grid = [
        ("adam", "ce", 256, 1, 500, 0.3, 0.001, 100, 1000, "log:35", 0.0, None, (1, 2)),
        ("adam", "ce", 64, 1, 500, 0.2, 0.001, 500, 3000, "log:35", 0.0, None, (1, 2)),
        ("adam", "mse", 1024, 1, 500, 0.3, 0.001, 500, 2000, "log:35", 0.0, None, (1, 2)),
        ("adam", "mse", 128, 2, 400, 0.2, 0.0005, 100, 800, "every", 0.0, None, (1,)),
        ("adam", "ce", 256, 2, 600, 0.4, 0.0003, 200, 1500, "log:40", 0.0, None, (1, 2)),
        ("adam", "mse", 256, 1, 500, 0.2, 0.001, 500, 3000, "log:35", 0.0, 0.1, (1, 2)),
        ("adam", "ce", 256, 1, 500, 0.2, 0.001, 500, 3000, "log:35", 0.0, 0.05, (1, 2)),
        ("adam", "ce", 32, 1, 800, 0.1, 0.002, 100, 600, "every", 0.0, None, (1,)),
        ("adam", "mse", 512, 1, 300, 0.4, 0.001, 300, 3000, "log:35", 0.0, None, (1, 2)),
    ]
    return mlp, classifier_runs(grid, MLP_KEYS)


CNN_KEYS = ("opt", "loss", "width", "n", "label_noise", "lr", "batch", "epochs", "eval", "wd", "seeds")


def runs_cnn():
    grid = [
        ("adam", "ce", 8, 500, 0.3, 0.001, 100, 300, "log:35", 0.0, (1, 2)),
        ("adam", "ce", 16, 500, 0.2, 0.001, 250, 500, "log:35", 0.0, (1, 2)),
        ("sgd", "ce", 8, 500, 0.3, 0.05, 100, 300, "every", 0.0, (1,)),
        ("adam", "mse", 8, 400, 0.3, 0.001, 200, 500, "log:35", 0.0, (1, 2)),
        ("sgd", "ce", 4, 600, 0.2, 0.05, 200, 600, "log:40", 0.0, (1, 2)),
        ("adam", "ce", 4, 300, 0.4, 0.002, 300, 800, "log:35", 0.0, (1, 2)),
        ("sgd", "mse", 8, 500, 0.2, 0.05, 100, 300, "every", 0.0, (1,)),
        ("adam", "ce", 4, 500, 0.1, 0.001, 500, 1000, "log:35", 0.0, (1, 2)),
        ("sgd", "ce", 2, 400, 0.3, 0.05, 400, 1000, "log:35", 0.0, (1, 2)),
    ]
    return cnn, classifier_runs(grid, CNN_KEYS)


def runs_first_min_wins():
    """Runs meant to have nothing after the first minimum that beats it: no slow signal or too little of it to pay
    for the noise fitted on the way (two-scale linear), models at or far past the threshold with heavy noise
    (random features), heavy label noise with weight decay (MLP, CNN)."""
    out = []
    lin = [  # (n, df, ds, s, F, S, noise, lr, epochs, eval)
        (200, 170, 20, 0.1, 1.0, 0.0, 0.8, 0.05, 20000, "log:35"),
        (200, 170, 20, 0.1, 1.0, 0.5, 1.0, 0.05, 20000, "log:35"),
        (300, 270, 20, 0.2, 2.0, 0.3, 1.0, 0.1, 3000, "every"),
        (150, 120, 30, 0.05, 1.0, 0.5, 1.5, 0.05, 100000, "log:30"),
    ]
    for i, (n, df, ds, s, F, S, noise, lr, epochs, ev) in enumerate(lin):
        for seed in (1, 2):
            out.append(("lin%02d-n%d-s%g-S%g-noise%g/seed%d" % (i, n, s, S, noise, seed),
                        dict(trainer="two-scale-linear", n=n, df=df, ds=ds, s=s, F=F, S=S, noise=noise, lr=lr,
                             epochs=epochs, eval=ev, seed=500 + seed + 10 * i)))
    rf = [  # (kind, n, D, N/n, noise, epochs, eval)
        ("relu", 200, 20, 1.0, 1.0, 20000, "log:35"),
        ("relu", 100, 20, 5.0, 1.0, 20000, "log:35"),
        ("fourier", 200, 20, 3.0, 1.0, 2000, "every"),
    ]
    for i, (kind, n, D, r, noise, epochs, ev) in enumerate(rf):
        for seed in (1, 2):
            N = int(round(r * n))
            out.append(("rf%02d-%s-n%d-N%d-noise%g/seed%d" % (i, kind, n, N, noise, seed),
                        dict(trainer="random-features", kind=kind, n=n, D=D, N=N, slow_share=0.0, s=1.0, F=1.0,
                             S=0.0, M=0.5, noise=noise, lr=0.5, epochs=epochs, eval=ev, seed=600 + seed + 10 * i,
                             bandwidth=3.0 if kind == "fourier" else 1.0)))
    mlps = [
        ("sgd", "ce", 256, 1, 500, 0.5, 0.05, 100, 1000, "log:35", 5e-4, None, (1, 2)),
        ("adam", "ce", 512, 1, 500, 0.6, 0.001, 250, 1000, "log:35", 1e-4, None, (1,)),
        ("adam", "mse", 256, 2, 400, 0.5, 0.001, 100, 500, "every", 1e-4, None, (1,)),
    ]
    for name, c in classifier_runs(mlps, MLP_KEYS):
        out.append(("mlp-" + name, dict(c, trainer="mlp", seed=700 + c["seed"])))
    cnns = [
        ("sgd", "ce", 8, 500, 0.5, 0.05, 100, 300, "log:35", 5e-4, (1,)),
        ("adam", "ce", 8, 500, 0.6, 0.001, 250, 400, "log:35", 1e-4, (1,)),
    ]
    for name, c in classifier_runs(cnns, CNN_KEYS):
        out.append(("cnn-" + name, dict(c, trainer="cnn", seed=800 + c["seed"])))
    trainers = {"two-scale-linear": two_scale_linear, "random-features": random_features, "mlp": mlp, "cnn": cnn}

    def train(w, run_id, c):
        trainers[c["trainer"]](w, run_id, c)

    return train, out


# ---------------------------------------------------------------------------------------------------- more families


def two_scale_inputs(g, m, df, ds, s):
    """m Gaussian inputs with df features of scale 1 and ds of scale s."""
    return torch.randn(m, df + ds, generator=g) * torch.cat([torch.ones(df), torch.full((ds,), s)])


def two_scale_regression(g, c):
    """The two-scale linear teacher, drawn from g: a fast part of power c['F'] over c['df'] features of scale 1, a
    slow part of power c['S'] over c['ds'] features of scale c['s'] (at unit scale in the target), label noise
    c['noise']; returns c['n'] training points and 2,000 test points as (x, y, xt, yt)."""
    n, df, ds, s = c["n"], c["df"], c["ds"], c["s"]
    theta = torch.cat([torch.randn(df, generator=g) * math.sqrt(c["F"] / df),
                       torch.randn(ds, generator=g) * math.sqrt(c["S"] / max(ds, 1)) / s])

    def data(m):
        x = two_scale_inputs(g, m, df, ds, s)
        return x, x @ theta + c["noise"] * torch.randn(m, generator=g)

    x, y = data(n)
    xt, yt = data(2000)
    return x, y, xt, yt


def logistic_two_scale(w, run_id, c):
    """Softmax regression (K classes; K = 2 is logistic regression) on inputs with df features of scale 1 and ds
    of scale c['s']. Labels drawn from the softmax of a teacher's logits (its fast part of power F, its slow part of
    power S at unit scale), then a share c['flip'] replaced by another class; full-batch gradient descent from zero
    on the cross-entropy; test loss = cross-entropy on 2,000 fresh points drawn the same way."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(1_000 + c["seed"])
    n, df, ds, s, K = c["n"], c["df"], c["ds"], c["s"], c["classes"]
    d = df + ds
    theta = torch.cat([torch.randn(df, K, generator=g) * math.sqrt(c["F"] / df),
                       torch.randn(ds, K, generator=g) * math.sqrt(c["S"] / max(ds, 1)) / s])

    def data(m):
        x = two_scale_inputs(g, m, df, ds, s)
        y = torch.multinomial(torch.softmax(x @ theta, 1), 1, generator=g).squeeze(1)
        flip = torch.rand(m, generator=g) < c["flip"]
        y[flip] = (y[flip] + torch.randint(1, K, (int(flip.sum()),), generator=g)) % K
        return x, y

    x, y = data(n)
    xt, yt = data(2000)
    wgt = torch.zeros(d, K)
    onehot = torch.nn.functional.one_hot(y, K).to(x.dtype)
    ce = torch.nn.functional.cross_entropy
    run = w.run(run_id, d * K, n, {"family": "softmax-regression", "fast_features": df, "slow_features": ds,
                                    "classes": K},
                {k: c[k] for k in ("seed", "s", "F", "S", "flip", "lr", "eval")} | {"optimizer": "gd", "loss": "ce"},
                output_dim=K)
    pts = schedule(c["eval"], c["epochs"])
    e = 0
    for p in pts:
        while e < p:
            wgt -= c["lr"] * (x.T @ (torch.softmax(x @ wgt, 1) - onehot)) / n  # the cross-entropy's gradient
            e += 1
        otr, ote = x @ wgt, xt @ wgt
        run.log(e, ce(otr, y), ce(ote, yt), (otr.argmax(1) != y).double().mean(),
                (ote.argmax(1) != yt).double().mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def sgd_two_scale(w, run_id, c):
    """Linear regression on inputs with df features of scale 1 and ds of scale c['s'] (the target's fast part of
    power F, its slow part of power S at unit scale, label noise), trained from zero by minibatch SGD (optional
    heavy-ball momentum, optional step decay: the step times c['decay'] at each epoch in c['decay_at']) on the mean
    squared error; test loss on 2,000 fresh points."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(2_000 + c["seed"])
    n, df, ds = c["n"], c["df"], c["ds"]
    d = df + ds
    x, y, xt, yt = two_scale_regression(g, c)
    wgt, vel = torch.zeros(d), torch.zeros(d)
    b, lr = c["batch"], c["lr"]
    run = w.run(run_id, d, n, {"family": "linear", "fast_features": df, "slow_features": ds},
                {k: c[k] for k in ("seed", "s", "F", "S", "noise", "lr", "batch", "momentum", "eval")}
                | {"optimizer": "sgd", "loss": "mse", "decay": c["decay"], "decay_at": c["decay_at"]})
    pts = schedule(c["eval"], c["epochs"])
    e = 0
    for p in pts:
        while e < p:
            if e in c["decay_at"]:
                lr *= c["decay"]
            idx = torch.randperm(n, generator=g)
            for i in range(0, n, b):
                xb, yb = x[idx[i:i + b]], y[idx[i:i + b]]
                vel = c["momentum"] * vel + xb.T @ (xb @ wgt - yb) / len(yb)
                wgt -= lr * vel
            e += 1
        run.log(e, ((x @ wgt - y) ** 2).mean(), ((xt @ wgt - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def real_data(w, run_id, c):
    """A data set scikit-learn ships (diabetes, breast_cancer, wine), standardised, split at random into c['n']
    training points and the rest as the test set. Two scales of features: N products of two inputs (a random choice
    of pairs, standardised) at scale 1 (fast, N/n below 1 so they fit the training noise) and the raw inputs scaled
    by c['s'] (slow). A linear readout trained from zero by full-batch gradient descent, optionally with heavy-ball
    momentum, step c['lr'] over the largest eigenvalue of the features' Gram matrix, on the squared error of the
    standardised target (diabetes) or, for the classification sets (a share c['flip'] of training labels replaced by
    another class), the squared error on one-hot targets or the cross-entropy."""
    import sklearn.datasets
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(3_000 + c["seed"])
    xs, ys = getattr(sklearn.datasets, "load_" + c["data"])(return_X_y=True)
    x_all, y_all = torch.tensor(xs, dtype=torch.float64), torch.tensor(ys)
    perm = torch.randperm(len(x_all), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    mu, sd = x_all[tr].mean(0), x_all[tr].std(0)
    x_all = (x_all - mu) / torch.where(sd > 1e-6, sd, torch.ones_like(sd))  # digits: some pixels always blank
    D, N = x_all.shape[1], c["N"]
    pairs = torch.combinations(torch.arange(D), 2)
    pairs = pairs[torch.randperm(len(pairs), generator=g)[:N]]
    z = x_all[:, pairs[:, 0]] * x_all[:, pairs[:, 1]]
    z = (z - z[tr].mean(0)) / z[tr].std(0).clamp_min(1e-6)
    phi_all = torch.cat([z, c["s"] * x_all], 1)
    phi, phit = phi_all[tr], phi_all[te]
    n = len(tr)
    if c["data"] == "diabetes":
        y_all = y_all.double()
        y_all = (y_all - y_all[tr].mean()) / y_all[tr].std()
        y, yt = y_all[tr], y_all[te]
        K = 1
    else:
        K = int(y_all.max()) + 1
        y, yt = y_all[tr].clone(), y_all[te]
        flip = torch.rand(n, generator=g) < c["flip"]
        y[flip] = (y[flip] + torch.randint(1, K, (int(flip.sum()),), generator=g)) % K
        onehot = torch.nn.functional.one_hot(y, K).double()
        if c["loss"] == "mse":  # squared error on one-hot targets
            y, yt = onehot, torch.nn.functional.one_hot(yt, K).double()
    top = torch.linalg.eigvalsh(phi.T @ phi / n)[-1].item()
    lr = c["lr"] / top * (1 if c["loss"] == "mse" else 2)  # the cross-entropy's curvature is at most half the MSE's
    a, vel = torch.zeros(N + D, K), torch.zeros(N + D, K)
    ce = torch.nn.functional.cross_entropy

    def losses(f, t):
        out = f @ a
        if c["loss"] == "ce":
            return ce(out, t)
        return ((out.squeeze(1) - t) ** 2).mean() if K == 1 else ((out - t) ** 2).sum(1).mean()

    run = w.run(run_id, (N + D) * K, n, {"family": "pairwise-products-plus-raw", "products": N, "data": c["data"]},
                {k: c[k] for k in ("seed", "data", "loss", "s", "flip", "lr", "momentum", "eval")}
                | {"optimizer": "gd" if c["momentum"] == 0 else "heavy-ball", "width_ratio": "%.3g" % (N / n)},
                output_dim=K)
    pts = schedule(c["eval"], c["epochs"])
    e = 0
    for p in pts:
        while e < p:
            out = phi @ a
            if c["loss"] == "ce":
                resid = torch.softmax(out, 1) - onehot
            else:
                resid = out - (y.unsqueeze(1) if K == 1 else y)
            vel = c["momentum"] * vel + phi.T @ resid / n
            a -= lr * vel
            e += 1
        run.log(e, losses(phi, y), losses(phit, yt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def deep_linear(w, run_id, c):
    """A deep linear network (c['depth'] linear layers, hidden width c['width'], no nonlinearity) regressing a
    linear teacher on inputs with df features of scale 1 and ds of scale c['s'] (the target's fast part of power F,
    its slow part of power S at unit scale, label noise). Layers initialised at c['init'] times the default scale
    from a seeded generator; full-batch gradient descent (optional heavy-ball momentum) or Adam on the mean squared
    error; test loss on 2,000 fresh points."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(4_000 + c["seed"])
    n, df, ds, h = c["n"], c["df"], c["ds"], c["width"]
    d = df + ds
    x, y, xt, yt = two_scale_regression(g, c)
    dims = [d] + [h] * (c["depth"] - 1) + [1]
    layers = [(torch.randn(a, b, generator=g) * c["init"] / math.sqrt(a)).requires_grad_() for a, b in zip(dims, dims[1:])]
    if c["opt"] == "adam":
        opt = torch.optim.Adam(layers, lr=c["lr"])
    else:
        opt = torch.optim.SGD(layers, lr=c["lr"], momentum=c["momentum"])

    def predict(z):
        for layer in layers:
            z = z @ layer
        return z.squeeze(1)

    run = w.run(run_id, sum(a * b for a, b in zip(dims, dims[1:])), n,
                {"family": "deep-linear", "depth": c["depth"], "width": h, "fast_features": df, "slow_features": ds},
                {k: c[k] for k in ("seed", "s", "F", "S", "noise", "init", "opt", "lr", "momentum", "eval")}
                | {"optimizer": c["opt"], "loss": "mse"})
    pts = schedule(c["eval"], c["epochs"])
    e = 0
    for p in pts:
        while e < p:
            opt.zero_grad()
            ((predict(x) - y) ** 2).mean().backward()
            opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, ((predict(x) - y) ** 2).mean(), ((predict(xt) - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_logistic_two_scale():
    out = []
    # (classes, n, df, ds, s, F, S, flip, lr, epochs, eval)
    grid = [
        (2, 1000, 200, 20, 0.05, 4.0, 9.0, 0.1, 2.0, 20000, "log:35"),
        (2, 1000, 200, 20, 0.1, 4.0, 9.0, 0.1, 2.0, 3000, "every"),
        (2, 1000, 200, 20, 0.05, 4.0, 25.0, 0.1, 2.0, 20000, "log:30"),
        (2, 1000, 200, 20, 0.05, 4.0, 9.0, 0.2, 2.0, 20000, "log:35"),
        (2, 1000, 300, 20, 0.05, 4.0, 9.0, 0.1, 2.0, 20000, "log:35"),
        (2, 1000, 200, 20, 0.05, 9.0, 9.0, 0.1, 2.0, 20000, "log:40"),
        (3, 1200, 200, 30, 0.05, 4.0, 16.0, 0.1, 2.0, 10000, "log:35"),
        (3, 1500, 250, 30, 0.1, 4.0, 16.0, 0.05, 2.0, 2000, "every"),
        (2, 600, 150, 15, 0.03, 2.0, 16.0, 0.05, 4.0, 50000, "log:30"),
        (4, 1200, 200, 30, 0.07, 4.0, 16.0, 0.15, 2.0, 5000, "log:35"),
    ]
    for i, (K, n, df, ds, s, F, S, flip, lr, epochs, ev) in enumerate(grid):
        for seed in (1, 2):
            out.append(("c%02d-k%d-n%d-s%g-S%g-flip%g/seed%d" % (i, K, n, s, S, flip, seed),
                        dict(classes=K, n=n, df=df, ds=ds, s=s, F=F, S=S, flip=flip, lr=lr, epochs=epochs, eval=ev,
                             seed=seed + 10 * i)))
    return logistic_two_scale, out


def runs_sgd_two_scale():
    out = []
    # (n, df, ds, s, F, S, noise, lr, batch, momentum, decay, decay_at, epochs, eval)
    grid = [
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, 0.04, 10, 0.0, 1.0, (), 1500, "every"),
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, 0.06, 10, 0.0, 0.3, (1000,), 1500, "every:2"),
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, 0.005, 20, 0.0, 1.0, (), 3000, "every:3"),
        (200, 150, 20, 0.1, 3.0, 0.5, 0.8, 0.03, 20, 0.0, 1.0, (), 3000, "every:3"),
        (300, 240, 30, 0.15, 3.0, 3.0, 0.5, 0.03, 30, 0.0, 1.0, (), 3000, "log:40"),
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, 0.005, 20, 0.9, 1.0, (), 3000, "every:2"),
        (200, 170, 20, 0.05, 2.0, 3.0, 1.0, 0.05, 50, 0.0, 1.0, (), 5000, "log:35"),
        (400, 300, 40, 0.1, 4.0, 5.0, 0.8, 0.03, 40, 0.0, 0.1, (2000,), 3000, "every:4"),
        (150, 120, 20, 0.2, 2.0, 2.0, 0.7, 0.04, 15, 0.0, 1.0, (), 1000, "every"),
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, 0.1, 10, 0.0, 0.1, (100,), 2000, "log:35"),
        (250, 200, 10, 0.05, 3.0, 3.0, 0.5, 0.05, 25, 0.5, 1.0, (), 10000, "log:35"),
    ]
    for i, (n, df, ds, s, F, S, noise, lr, b, mom, decay, decay_at, epochs, ev) in enumerate(grid):
        for seed in (1, 2):
            out.append(("c%02d-n%d-s%g-S%g-noise%g-b%d-lr%g%s/seed%d"
                        % (i, n, s, S, noise, b, lr, "-decay%g@%s" % (decay, decay_at[0]) if decay_at else "", seed),
                        dict(n=n, df=df, ds=ds, s=s, F=F, S=S, noise=noise, lr=lr, batch=b, momentum=mom, decay=decay,
                             decay_at=decay_at, epochs=epochs, eval=ev, seed=seed + 10 * i)))
    return sgd_two_scale, out


def runs_deep_linear():
    out = []
    # (n, df, ds, s, F, S, noise, width, depth, init, opt, lr, momentum, epochs, eval)
    grid = [
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, 50, 2, 0.5, "gd", 0.02, 0.0, 5000, "log:35"),
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, 50, 3, 0.5, "gd", 0.02, 0.0, 3000, "log:35"),
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, 50, 2, 0.5, "adam", 0.001, 0.0, 3000, "log:40"),
        (200, 150, 20, 0.1, 3.0, 0.5, 1.0, 50, 2, 0.5, "gd", 0.02, 0.0, 3000, "log:35"),
        (200, 170, 20, 0.05, 3.0, 2.0, 0.8, 50, 2, 0.5, "gd", 0.02, 0.0, 3000, "log:35"),
        (150, 120, 20, 0.15, 3.0, 3.0, 0.5, 30, 2, 0.1, "gd", 0.005, 0.9, 1500, "every"),
        (300, 240, 30, 0.1, 3.0, 0.3, 0.7, 100, 2, 0.5, "adam", 0.001, 0.0, 1500, "every:2"),
        (200, 150, 20, 0.1, 2.0, 4.0, 0.5, 20, 3, 0.3, "gd", 0.02, 0.0, 4000, "log:35"),
        (200, 170, 20, 0.1, 3.0, 1.0, 1.5, 50, 2, 0.5, "adam", 0.003, 0.0, 2000, "log:35"),
    ]
    for i, (n, df, ds, s, F, S, noise, h, depth, init, opt, lr, mom, epochs, ev) in enumerate(grid):
        for seed in (1, 2):
            out.append(("c%02d-depth%d-w%d-%s-n%d-s%g-S%g-noise%g/seed%d" % (i, depth, h, opt, n, s, S, noise, seed),
                        dict(n=n, df=df, ds=ds, s=s, F=F, S=S, noise=noise, width=h, depth=depth, init=init, opt=opt,
                             lr=lr, momentum=mom, epochs=epochs, eval=ev, seed=seed + 10 * i)))
    return deep_linear, out


def runs_real_data():
    out = []
    # (data, loss, n, N, s, flip, lr, momentum, epochs, eval, seeds); the seed draws the split and the pairs
    grid = [
        ("diabetes", "mse", 200, 45, 0.03, 0.0, 0.9, 0.0, 50000, "log:35", (1, 2, 3)),
        ("diabetes", "mse", 150, 45, 0.03, 0.0, 0.9, 0.0, 50000, "log:35", (1, 2, 3)),
        ("diabetes", "mse", 200, 45, 0.05, 0.0, 0.1, 0.9, 20000, "log:35", (1, 2, 3)),
        ("diabetes", "mse", 120, 40, 0.03, 0.0, 0.9, 0.0, 50000, "log:30", (1, 2, 3)),
        ("diabetes", "mse", 250, 45, 0.02, 0.0, 0.9, 0.0, 50000, "log:40", (1, 2, 3)),
        ("diabetes", "mse", 200, 45, 0.1, 0.0, 0.1, 0.9, 2000, "every", (1, 2)),
        ("breast_cancer", "mse", 300, 150, 0.1, 0.2, 0.9, 0.0, 30000, "log:35", (1, 2)),
        ("breast_cancer", "ce", 400, 100, 0.1, 0.1, 0.9, 0.0, 20000, "log:35", (1, 2)),
        ("wine", "mse", 120, 50, 0.1, 0.2, 0.9, 0.0, 3000, "every:3", (1, 2)),
    ]
    for i, (data, loss, n, N, s, flip, lr, mom, epochs, ev, seeds) in enumerate(grid):
        for seed in seeds:
            out.append(("c%02d-%s-%s-n%d-N%d-s%g%s/seed%d"
                        % (i, data.replace("_", "-"), loss, n, N, s, "-momentum%g" % mom if mom else "", seed),
                        dict(data=data, loss=loss, n=n, N=N, s=s, flip=flip, lr=lr, momentum=mom, epochs=epochs,
                             eval=ev, seed=seed + 10 * i)))
    return real_data, out


FAMILIES = {"first-min-wins": runs_first_min_wins, "two-scale-linear": runs_two_scale_linear, "random-features": runs_random_features,
            "mlp-sgd": runs_mlp_sgd, "mlp-adam": runs_mlp_adam, "cnn-digits": runs_cnn,
            "logistic-two-scale": runs_logistic_two_scale,
            "sgd-two-scale": runs_sgd_two_scale, "deep-linear": runs_deep_linear,
            "real-data": runs_real_data}


def main(families=None, doc=__doc__):
    """The command line of every trainer file: train.py's families, or another file's (``families``: name ->
    function returning (trainer, [(run id, settings), ...]))."""
    families = FAMILIES if families is None else families
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--family", required=True, choices=sorted(families))
    ap.add_argument("--runs", help="comma-separated indexes of the family's runs (default: all)")
    ap.add_argument("--out", help="JSON-lines file to write (default: stdout)")
    ap.add_argument("--list", action="store_true", help="list the family's runs and exit")
    a = ap.parse_args()
    fn, runs = families[a.family]()
    if a.list:
        for i, (rid, c) in enumerate(runs):
            print(i, rid, c)
        return
    pick = [int(i) for i in a.runs.split(",")] if a.runs else range(len(runs))
    out = open(a.out, "w") if a.out else sys.stdout
    w = Writer(out, a.family, "indep-" + a.family)
    t0 = time.process_time()
    for i in pick:
        rid, c = runs[i]
        t = time.process_time()
        fn(w, "indep-%s/%s" % (a.family, rid), c)
        print("%s %s: %.1f s" % (a.family, rid, time.process_time() - t), file=sys.stderr)
    print("%s: %d runs, %.1f CPU s" % (a.family, len(pick), time.process_time() - t0), file=sys.stderr)
    if a.out:
        out.close()


if __name__ == "__main__":
    main()
