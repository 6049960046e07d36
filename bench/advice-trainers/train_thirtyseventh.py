#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, thirty-seventh held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 116 families of train.py ... train_thirtysixth.py in model, loss,
optimizer, noise, data and evaluation spacing; the theme of the round is models trained on noisy minibatches (small
batches, large steps, a test loss that jumps between evaluations) and evaluated at irregular spacing (random gaps,
bursts, every epoch early and sparse later):

- polyak-sps: a linear model of a two-scale linear teacher (and of scikit-learn's diabetes, its pairwise products
  at unit scale beside its raw columns at a small one), trained on minibatches of 1-64 by the stochastic Polyak step
  size SPS_max (each step (f_B - f*) / (c |grad f_B|^2), capped at gamma_max),
  under Gaussian or Student-t target noise, judged by the squared error against the clean targets of fresh points
  (the held-out patients' progression on diabetes);
- sparsemax-schedfree: a one-hidden-layer ReLU classifier trained on the sparsemax loss (the Fenchel-Young loss of
  the sparsemax, whose predicted distribution has exact zeros) by a hand-written schedule-free SGD (gradients taken
  at an interpolation between the SGD iterate and its running average; the average is the model), on minibatches of
  2-32, on scikit-learn's digits with the right half dimmed, its wine, breast cancer and iris with half their
  columns at a small scale, with flipped labels, judged by the sparsemax loss of the clean held-out labels at the
  averaged weights;
- ekf-online: a one-hidden-layer tanh network trained by an extended Kalman filter (the weights the state, a
  minibatch of 1-16 targets the measurement, process noise Q that keeps the gain from vanishing), on a two-scale
  linear teacher, scikit-learn's diabetes products and its breast cancer as +-1 targets with flipped labels, judged
  by the squared error against clean held-out targets.

The file format, determinism and helpers are the earlier files': Writer, the two-scale teacher and the digits and
the command line from train.py, epochs_of and settings from train_more.py, label_noise from train_fourth.py,
dict_runs from train_seventh.py, batches from train_twentyfirst.py, uniform from train_thirtysecond.py,
diabetes_products from train_thirtythird.py, plain_opt from train_thirtyfourth.py and real_classes from
train_thirtysixth.py; one thread, every random draw from a seeded torch.Generator, synthetic event times, 6
significant digits.

    /usr/bin/python3 train_thirtyseventh.py --family polyak-sps [--list] [--runs 0,3] [--out FILE]

Families (see README.md): polyak-sps, sparsemax-schedfree, ekf-online. Evaluation spacings: train.py's 'every',
'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M', and this file's irregular ones (eval_epochs):
  'mixed:A:K'   every epoch up to A, then every K-th epoch, and the last;
  'mixlog:A:K'  every epoch up to A, then about K per decade (train.py's log grid) beyond it, and the last;
  'geom:G'      epoch 0, then gaps of 1 + a geometric draw of mean G - 1 (a Bernoulli process of rate 1 / G, seeded
                by the run), and the last;
  'burst:P:B'   bursts of B consecutive epochs starting every P epochs (0 ... B - 1, P ... P + B - 1, ...), and the
                last.
"""
import math
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before torch loads its BLAS
    os.environ[var] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import torch.nn.functional as fn  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train import schedule, two_scale_regression  # noqa: E402
from train_more import epochs_of, settings  # noqa: E402
from train_fourth import label_noise  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_twentyfirst import batches  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtythird import diabetes_products  # noqa: E402
from train_thirtyfourth import plain_opt  # noqa: E402  (Adam, or SGD with momentum 0.9)
from train_thirtysixth import real_classes  # noqa: E402

torch.set_num_threads(1)


# ---------------------------------------------------------------------------------------------------- spacing


def eval_epochs(spacing, epochs, seed):
    """The evaluated epochs: the irregular 'mixed:A:K', 'mixlog:A:K', 'geom:G' and 'burst:P:B' (see the module's
    docstring), or train_more.py's epochs_of ('every', 'every:K', 'log:K', 'jitter:K', 'rand:M')."""
    kind, _, rest = spacing.partition(":")
    if kind == "mixed":
        a, k = (int(v) for v in rest.split(":"))
        return sorted(set(range(min(a, epochs) + 1)) | set(range(a, epochs + 1, k)) | {epochs})
    if kind == "mixlog":
        a, k = (int(v) for v in rest.split(":"))
        return sorted(set(range(min(a, epochs) + 1)) | {e for e in schedule("log:%d" % k, epochs) if e > a}
                      | {epochs})
    if kind == "geom":
        p = 1 / float(rest)
        g = torch.Generator().manual_seed(92_000 + seed)
        pts, e = {0, epochs}, 0
        while True:
            u = torch.rand(1, generator=g, dtype=torch.float64).item()
            e += 1 + int(math.floor(math.log(1 - u) / math.log(1 - p))) if p < 1 else 1
            if e >= epochs:
                return sorted(pts)
            pts.add(e)
    if kind == "burst":
        per, b = (int(v) for v in rest.split(":"))
        return sorted({e for s in range(0, epochs + 1, per) for e in range(s, min(s + b, epochs + 1))} | {epochs})
    return epochs_of(spacing, epochs, seed)


def spaced_fit(g, n, c, step, log):
    """Minibatch epochs to each evaluation epoch of c['eval'] (eval_epochs): every epoch calls step(idx) for each
    minibatch of batches(g, n, c['batch']) (idx None: the whole set), then log(epoch, final=...) at the evaluated
    ones."""
    pts = eval_epochs(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for idx in batches(g, n, c.get("batch")):
                step(idx)
            e += 1
        log(e, final=e == pts[-1])


def leaves(tensors):
    for q in tensors:
        q.requires_grad_()
    return tensors


def take(t, idx):
    return t if idx is None else t[idx]


# ---------------------------------------------------------------------------------------------------- polyak-sps


def regression_data(g, c, dtype):
    """(x, y, xt, yt): the two-scale linear teacher of train.py (data 'synth': df features of scale 1, ds of scale s, a
    fast part of power F and a slow one of power S; n training points and 2,000 fresh test points with clean targets),
    or scikit-learn's diabetes (data 'diabetes': diabetes_products, its 55 standardised squares and products at scale 1
    beside its 10 standardised columns at scale s; n training patients, the held-out patients' progression the test
    targets). Noise on the training targets only: c['noise'] times Gaussian draws, or Student-t of c['dof'] degrees of
    freedom at unit variance (label_noise)."""
    if c["data"] == "synth":
        x, y, xt, yt = two_scale_regression(g, dict(c, noise=0.0))
    else:
        X, Y, tr, te = diabetes_products(g, c["n"], c["s"], torch.float64)
        x, y, xt, yt = X[tr], Y[tr], X[te], Y[te]
    y = y + c["noise"] * label_noise(g, len(y), c.get("dof") or 0)
    return tuple(a.to(dtype) for a in (x, y, xt, yt))


def polyak_sps(w, run_id, c):
    """A linear model y ~ x . theta (no intercept: the targets are centred), float64, from zero, on regression_data,
    trained on half the squared error by the stochastic Polyak step size SPS_max (Loizou, Vaswani, Laradji &
    Lacoste-Julien 2021) on minibatches: each step theta -= gamma grad f_B(theta) with gamma = min((f_B(theta) - f*) /
    (c_sps |grad f_B(theta)|^2), gamma_max), f* the assumed optimal value (0: interpolation); at batch 1 and c_sps
    0.5, uncapped, it is the randomised Kaczmarz projection. Its step grows where the residual lies in directions of
    small curvature (the slow features), up to the cap; or plain SGD at a fixed step (opt 'sgd') for contrast. Train
    loss: the squared error on the noisy training targets; test loss: the squared error against the clean test
    targets (the held-out patients' progression on diabetes)."""
    g = torch.Generator().manual_seed(371_000 + c["seed"])
    x, y, xt, yt = regression_data(g, c, torch.float64)
    theta = torch.zeros(x.shape[1], dtype=torch.float64)

    def step(idx):
        xb, yb = take(x, idx), take(y, idx)
        r = xb @ theta - yb
        grad = xb.T @ r / len(r)
        if c["opt"] == "sps":
            loss, sq = 0.5 * (r @ r).item() / len(r), (grad @ grad).item()
            gamma = min(max(loss - c["fstar"], 0.0) / (c["c_sps"] * sq + 1e-300), c["gmax"])
        else:
            gamma = c["lr"]
        theta.sub_(gamma * grad)

    run = w.run(run_id, x.shape[1], len(x), {"family": "linear", "inputs": x.shape[1]},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "noise", "dof", "opt", "c_sps", "gmax",
                             "fstar", "lr", "batch", "eval"))
                | {"optimizer": "sps-max" if c["opt"] == "sps" else "sgd", "loss": "mse",
                   "test_loss": "clean-mse" if c["data"] == "synth" else "heldout-mse"})

    def log(e, final):
        run.log(e, ((x @ theta - y) ** 2).mean(), ((xt @ theta - yt) ** 2).mean(), final=final)

    spaced_fit(g, len(x), c, step, log)


def runs_polyak_sps():
    # The logic: the Polyak step is large wherever a minibatch's loss is large against its gradient, so on small
    # batches of noisy targets it jumps (batch 4: 38 steps an epoch on 150 points), and with f* 0 on a model that
    # cannot interpolate (110 features, 150 points) it never settles; the 100 unit-scale features (df / n 0.67) fit
    # the noise and the unlearned slow part early, while the slow part (power 1 over 10 features at scale 0.1) waits
    # in directions of curvature 100 times smaller, where the step can grow up to its cap. The grid moves one thing
    # at a time: the batch (1, 16, 64), the Polyak constant c (0.2, 2), the cap (0.01, binding; 100, none), an
    # assumed optimum f* above zero, plain SGD at a fixed step, the scale gap (0.3, none), the noise (1.0; Student-t
    # of 3 degrees of freedom), the data (n 120, 250; df 60), no slow signal, and diabetes (products at unit scale,
    # raw columns at 0.1; batch 1; 80 patients for 65 features). Every evaluation spacing is irregular or mixed.
    base = dict(data="synth", n=150, df=100, ds=10, s=0.1, F=2.0, S=1.0, noise=0.5, dof=None, opt="sps", c_sps=0.5,
                gmax=1.0, fstar=0.0, lr=None, batch=4, epochs=400, eval="mixed:20:4")
    diab = dict(data="diabetes", n=250, df=None, ds=None, F=None, S=None, noise=0.3)
    return polyak_sps, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(batch=1, epochs=150, eval="geom:3"),
        dict(batch=16, eval="every:2"),
        dict(batch=64, epochs=1000, eval="burst:40:3"),
        dict(c_sps=0.2, eval="mixlog:10:30"),
        dict(c_sps=2.0, eval="rand:60"),
        dict(gmax=0.01, eval="mixed:30:5"),
        dict(gmax=100.0, eval="geom:4"),
        dict(fstar=0.1, eval="every:3"),
        dict(opt="sgd", c_sps=None, gmax=None, fstar=None, lr=0.005, eval="mixed:20:4"),
        dict(s=0.3, eval="jitter:30"),
        dict(s=1.0, eval="geom:3"),
        dict(noise=1.0, eval="mixed:15:5"),
        dict(dof=3, eval="burst:20:4"),
        dict(n=120, eval="mixlog:20:30"),
        dict(n=250, eval="every:2"),
        dict(df=60, eval="geom:5"),
        dict(S=0.0, eval="mixed:20:4"),
        dict(diab, eval="mixed:20:4"),
        dict(diab, batch=1, epochs=150, eval="geom:2"),
        dict(diab, n=80, eval="rand:80"),
    ], lambda d: "%s-n%d%s-s%g-noise%g%s-%s-b%d" % (
        d["data"], d["n"], "-df%d-ds%d-F%g-S%g" % (d["df"], d["ds"], d["F"], d["S"]) if d["data"] == "synth" else "",
        d["s"], d["noise"], "-t%d" % d["dof"] if d.get("dof") else "",
        "sps-c%g-gmax%g-fstar%g" % (d["c_sps"], d["gmax"], d["fstar"]) if d["opt"] == "sps" else "sgd-lr%g" % d["lr"],
        d["batch"]))


# ------------------------------------------------------------------------------------------------ sparsemax-schedfree


def sparsemax(z):
    """The sparsemax (Martins & Astudillo 2016) of each row of z: the Euclidean projection on the simplex,
    max(z - tau, 0) with tau set by the sorted scores."""
    zs = z.sort(1, descending=True).values
    k = torch.arange(1, z.shape[1] + 1, dtype=z.dtype)
    cs = zs.cumsum(1)
    support = (1 + k * zs > cs).to(z.dtype)
    kz = support.sum(1, keepdim=True)
    tau = (cs.gather(1, kz.long() - 1) - 1) / kz
    return torch.relu(z - tau)


def sparsemax_loss(z, y):
    """The sparsemax loss, the Fenchel-Young loss of the sparsemax (Blondel, Martins & Niculae 2020): <z, p> -
    |p|^2 / 2 + 1 / 2 - z_y with p = sparsemax(z), averaged; >= 0, zero where p is the label's one-hot; its gradient
    p - e_y (p held fixed: Danskin)."""
    p = sparsemax(z).detach()
    return ((z * p).sum(1) - 0.5 * (p * p).sum(1) + 0.5 - z.gather(1, y[:, None]).squeeze(1)).mean()


class ScheduleFreeSGD:
    """Schedule-free SGD (Defazio, Yang, Mehta, Mishchenko, Khaled & Cutkosky 2024), hand-written: the parameters
    hold y = (1 - beta) z + beta x, where the gradient is taken; z -= lr_t grad (the SGD sequence), x = (1 - c) x + c z
    with c = lr_t^2 / sum of lr_i^2 so far (the uniform average of the z's at a constant step), lr_t ramped up
    linearly over 'warmup' steps. The model evaluated is x (or y, for contrast)."""

    def __init__(self, params, lr, beta=0.9, warmup=0):
        self.params, self.lr, self.beta, self.warmup, self.t, self.wsum = params, lr, beta, warmup, 0, 0.0
        self.z = [q.detach().clone() for q in params]
        self.x = [q.detach().clone() for q in params]

    def zero_grad(self):
        for q in self.params:
            q.grad = None

    def step(self):
        self.t += 1
        lr = self.lr * min(1.0, self.t / self.warmup) if self.warmup else self.lr
        self.wsum += lr * lr
        ck = lr * lr / self.wsum
        with torch.no_grad():
            for q, z, x in zip(self.params, self.z, self.x):
                z.sub_(lr * q.grad)
                x.mul_(1 - ck).add_(z, alpha=ck)
                q.copy_((1 - self.beta) * z + self.beta * x)


def sparsemax_schedfree(w, run_id, c):
    """A one-hidden-layer ReLU classifier d -> h -> K, float32, weights U(+-1 / sqrt(fan-in)) from the run's generator,
    trained on the sparsemax loss (or the cross-entropy, loss 'ce', for contrast) by ScheduleFreeSGD on minibatches
    (or SGD with momentum 0.9, opt 'momentum', for contrast). Data: train.digits (n training images, the right half of
    every image, columns 4-7, times s, a share 'flip' of the labels replaced by another class; the other images,
    clean, the test set) or real_classes (breast cancer, wine, iris), a share 'flip' of their training labels
    replaced by another class. Train loss: the training loss on the noisy labels; test loss: the same loss of the
    clean test labels; both at the averaged weights x (at y where at 'y'); error rates too."""
    torch.manual_seed(372_000 + c["seed"])
    g = torch.Generator().manual_seed(372_000 + c["seed"])
    if c["data"] == "digits":
        x, y, xt, yt = train.digits(c["seed"], c["n"], c.get("flip") or 0.0, (c["s"], [4, 5, 6, 7]))
        K = 10
    else:
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], c["s"])
        if c.get("flip"):
            hit = torch.rand(len(y), generator=g) < c["flip"]
            y = torch.where(hit, (y + torch.randint(1, K, (len(y),), generator=g)) % K, y)
    d, h = x.shape[1], c["h"]
    params = leaves([uniform(g, d, d, h), uniform(g, d, h), uniform(g, h, h, K), uniform(g, h, K)])
    lossf = sparsemax_loss if c["loss"] == "sparsemax" else fn.cross_entropy

    def forward(p, z):
        return torch.relu(z @ p[0] + p[1]) @ p[2] + p[3]

    if c["opt"] == "sf":
        opt = ScheduleFreeSGD(params, c["lr"], c["beta"], c.get("warmup") or 0)
    else:
        opt = plain_opt(c, params)

    def step(idx):
        opt.zero_grad()
        lossf(forward(params, take(x, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, sum(q.numel() for q in params), len(x), {"family": "relu-mlp", "width": h, "classes": K},
                settings(c, ("seed", "data", "n", "s", "flip", "h", "loss", "opt", "lr", "beta", "warmup", "at",
                             "batch", "eval"))
                | {"optimizer": "schedule-free-sgd" if c["opt"] == "sf" else c["opt"],
                   "test_loss": "clean-" + c["loss"]}, output_dim=K)

    def log(e, final):
        p = opt.x if c["opt"] == "sf" and c["at"] == "x" else params
        with torch.no_grad():
            f, ft = forward(p, x), forward(p, xt)
            run.log(e, lossf(f, y), lossf(ft, yt), (f.argmax(1) != y).float().mean(),
                    (ft.argmax(1) != yt).float().mean(), final=final)

    spaced_fit(g, len(x), c, step, log)


def runs_sparsemax_schedfree():
    # The logic: a network of 2,410 weights memorises the 20% flipped labels of 300 digits, and the sparsemax loss
    # stops pushing on a training point once its sparsemax is its label's one-hot, so the flips are fitted in a
    # finite time and the clean ones left alone; the dimmed right half (s 0.1) carries signal learned late. The
    # schedule-free average x is the uniform average of the SGD sequence z, so the memorisation that z does on its
    # noisy small batches at a large step reaches x late and slowly, while y, where the gradients are taken, jumps.
    # The grid moves one thing at a time: the batch (2, 32), the step (0.1, 2), the interpolation beta (0.5, 0.98),
    # a warm-up, the model judged at y, momentum SGD for contrast, the flips (none, 0.4), the scale gap (none, 0.3),
    # the width (128), the data (n 150; wine, breast cancer, iris) and the cross-entropy. Every evaluation spacing is
    # irregular or mixed.
    base = dict(data="digits", n=300, s=0.1, flip=0.2, h=32, loss="sparsemax", opt="sf", lr=0.5, beta=0.9,
                warmup=None, at="x", batch=8, epochs=300, eval="mixed:30:5")
    return sparsemax_schedfree, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(batch=2, epochs=100, eval="geom:3"),
        dict(batch=32, eval="every:3"),
        dict(lr=2.0, eval="burst:30:3"),
        dict(lr=0.1, eval="mixlog:15:30"),
        dict(beta=0.5, eval="rand:80"),
        dict(beta=0.98, eval="geom:4"),
        dict(warmup=1000, eval="mixed:30:5"),
        dict(at="y", eval="every:2"),
        dict(opt="momentum", lr=0.05, beta=None, at=None, eval="mixed:30:5"),
        dict(flip=None, eval="jitter:30"),
        dict(flip=0.4, eval="geom:3"),
        dict(s=1.0, eval="mixed:20:6"),
        dict(s=0.3, eval="burst:25:4"),
        dict(h=128, eval="mixlog:20:30"),
        dict(n=150, eval="every:4"),
        dict(data="wine", n=100, eval="mixed:30:5"),
        dict(data="cancer", n=300, eval="geom:3"),
        dict(data="iris", n=90, eval="rand:100"),
        dict(loss="ce", eval="mixed:30:5"),
    ], lambda d: "%s-n%d-s%g%s-h%d-%s-%s-b%d" % (
        d["data"], d["n"], d["s"], "-flip%g" % d["flip"] if d.get("flip") else "", d["h"], d["loss"],
        "sf-lr%g-beta%g%s-at%s" % (d["lr"], d["beta"], "-warm%d" % d["warmup"] if d.get("warmup") else "", d["at"])
        if d["opt"] == "sf" else "%s-lr%g" % (d["opt"], d["lr"]), d["batch"]))


# ---------------------------------------------------------------------------------------------------- ekf-online


def ekf_online(w, run_id, c):
    """A one-hidden-layer tanh network f(x) = v . tanh(W x + b) + a, float64, weights U(+-1 / sqrt(fan-in)) from the
    run's generator, trained by an extended Kalman filter (Singhal & Wu 1989; Puskorius & Feldkamp 1991): the weights
    theta the state, of covariance P (at the start p0 / fan-in on the diagonal, layer by layer); for every minibatch, P
    += Q I (process noise), H the Jacobian of the minibatch's outputs in theta (written out), S = H P H^T + R I, the
    gain K = P H^T S^-1, theta += K (y - f), P -= K H P (symmetrised every 50 updates). Data: regression_data (the
    two-scale teacher or diabetes products), or scikit-learn's breast cancer (data 'cancer': real_classes, half the
    columns at scale s) with +-1 targets, a share 'flip' of them flipped. Train loss: the squared error on the noisy
    training targets; test loss: the squared error against the clean test targets (the held-out progression, or the
    clean +-1 labels)."""
    torch.manual_seed(373_000 + c["seed"])
    g = torch.Generator().manual_seed(373_000 + c["seed"])
    if c["data"] == "cancer":
        x, y, xt, yt, _ = real_classes(g, "cancer", c["n"], c["s"])
        y, yt = 2.0 * y - 1, 2.0 * yt - 1
        if c.get("flip"):
            y = torch.where(torch.rand(len(y), generator=g) < c["flip"], -y, y)
        x, y, xt, yt = (a.double() for a in (x, y, xt, yt))
    else:
        x, y, xt, yt = regression_data(g, c, torch.float64)
    d, h = x.shape[1], c["h"]
    W, b = uniform(g, d, h, d).double(), uniform(g, d, h).double()
    v, a = uniform(g, h, h).double(), uniform(g, h, 1).double()
    theta = torch.cat([W.reshape(-1), b, v, a])
    P = len(theta)
    fan = torch.cat([torch.full((h * d + h,), 1.0 / d), torch.full((h + 1,), 1.0 / h)]).double()
    cov = torch.diag(c["p0"] * fan)  # the prior: p0 times the initialisation's 1 / fan-in scale, layer by layer

    def predict(th, z):
        Wm, bv = th[:h * d].view(h, d), th[h * d:h * d + h]
        return torch.tanh(z @ Wm.T + bv) @ th[h * d + h:h * d + 2 * h] + th[-1]

    state = {"theta": theta, "cov": cov, "updates": 0}

    def step(idx):
        th, P_ = state["theta"], state["cov"]
        xb, yb = take(x, idx), take(y, idx)
        Wm, bv, vv = th[:h * d].view(h, d), th[h * d:h * d + h], th[h * d + h:h * d + 2 * h]
        act = torch.tanh(xb @ Wm.T + bv)
        f = act @ vv + th[-1]
        dpre = vv * (1 - act * act)  # d f / d (pre-activation), m x h
        H = torch.cat([(dpre[:, :, None] * xb[:, None, :]).reshape(len(xb), -1), dpre, act,
                       torch.ones(len(xb), 1, dtype=torch.float64)], 1)
        if c.get("Q"):
            P_.diagonal().add_(c["Q"])
        PHt = P_ @ H.T
        S = H @ PHt + c["R"] * torch.eye(len(xb), dtype=torch.float64)
        K = torch.linalg.solve(S, PHt.T).T
        state["theta"] = th + K @ (yb - f)
        P_.sub_(K @ PHt.T)
        state["updates"] += 1
        if state["updates"] % 50 == 0:  # round-off makes P drift from symmetric; every 50 updates, whatever the spacing
            P_.copy_(0.5 * (P_ + P_.T))

    run = w.run(run_id, P, len(x), {"family": "tanh-mlp", "inputs": d, "width": h},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "noise", "flip", "h", "R", "Q", "p0",
                             "batch", "eval"))
                | {"optimizer": "ekf", "loss": "mse",
                   "test_loss": {"synth": "clean-mse", "diabetes": "heldout-mse",
                                 "cancer": "clean-pm1-mse"}[c["data"]]})

    def log(e, final):
        th = state["theta"]
        run.log(e, ((predict(th, x) - y) ** 2).mean(), ((predict(th, xt) - yt) ** 2).mean(), final=final)

    spaced_fit(g, len(x), c, step, log)


def runs_ekf_online():
    # The logic: the Kalman filter is a Gauss-Newton step with a prior, so after k passes over the data it is close
    # to the weights under a ridge penalty that shrinks like 1 / k: the tanh network (20 inputs, width 8: 177 weights
    # on 200 points) fits the fast part (power 1 over 10 unit-scale features) within a few passes and the noise more
    # and more as the penalty shrinks, while the slow part (power 2 over 10 features at scale 0.02, whose prior
    # variance in the output is s^2 p0 / fan-in) is reached only once the penalty is 1 / s^2 times smaller, some tens
    # of passes in; the process noise Q keeps the gain from vanishing, so the filter keeps jumping on its small noisy
    # batches. The grid moves one thing at a time: the batch (1, 16), the measurement noise R (0.02, 2), the process
    # noise (none, 1e-3), the prior p0 (0.1, 10), the scale gap (0.005, 0.1), the target noise (1.0), the data
    # (n 100, 400), the slow signal (none), the width (4, 32), diabetes (products at unit scale, raw columns at 0.02)
    # and breast cancer as +-1 targets with flipped labels (half its columns at 0.02). Every evaluation spacing is
    # irregular or mixed, most with every epoch early.
    base = dict(data="synth", n=200, df=10, ds=10, s=0.02, F=1.0, S=2.0, noise=0.5, flip=None, h=8, R=0.25, Q=1e-5,
                p0=1.0, batch=4, epochs=120, eval="mixed:10:3")
    diab = dict(data="diabetes", n=250, df=None, ds=None, F=None, S=None, noise=0.3)
    cancer = dict(data="cancer", n=300, df=None, ds=None, F=None, S=None, noise=None, flip=0.2)
    return ekf_online, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(batch=1, epochs=60, eval="geom:2"),
        dict(batch=16, eval="every:2"),
        dict(R=0.02, eval="mixlog:10:30"),
        dict(R=2.0, eval="burst:20:3"),
        dict(Q=None, eval="mixed:10:3"),
        dict(Q=1e-3, eval="geom:3"),
        dict(p0=0.1, eval="rand:60"),
        dict(p0=10.0, eval="mixed:15:4"),
        dict(s=0.005, eval="jitter:30"),
        dict(s=0.1, eval="every:3"),
        dict(noise=1.0, eval="mixed:10:4"),
        dict(n=100, eval="mixlog:10:30"),
        dict(n=400, eval="every:2"),
        dict(h=4, eval="mixed:10:3"),
        dict(h=32, eval="burst:15:3"),
        dict(S=0.0, eval="geom:3"),
        dict(diab, eval="mixed:10:3"),
        dict(diab, Q=1e-3, eval="geom:3"),
        dict(cancer, eval="mixed:10:3"),
        dict(cancer, flip=0.4, eval="rand:60"),
    ], lambda d: "%s-n%d%s-s%g%s%s-h%d-R%g-Q%g-prior%g-b%d" % (
        d["data"], d["n"], "-df%d-ds%d-S%g" % (d["df"], d["ds"], d["S"]) if d["data"] == "synth" else "", d["s"],
        "-noise%g" % d["noise"] if d.get("noise") else "", "-flip%g" % d["flip"] if d.get("flip") else "", d["h"],
        d["R"], d.get("Q") or 0, d["p0"], d["batch"]))


FAMILIES = {"polyak-sps": runs_polyak_sps, "sparsemax-schedfree": runs_sparsemax_schedfree,
            "ekf-online": runs_ekf_online}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
