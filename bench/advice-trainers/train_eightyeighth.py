#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, eighty-eighth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone), and made to differ from the families of train.py ... train_eightythird.py in what is
evaluated. The theme of the round is weight averaging inside a run, the evaluated model being the averaged one: an
exponential moving average of the weights under several decays and decay schedules, stochastic weight averaging
under a constant or cyclic step from some epoch on, Lookahead's slow weights and averages of the latest periodic
snapshots:

- ema-decay-mlp: a one-hidden-layer ReLU MLP classifying scikit-learn's 8 x 8 digits (flattened; the breast cancer
  and wine in 1 run each) under Adam (momentum SGD in 2 runs) on minibatches, the evaluated model an exponential
  moving average of the weights updated after every step: initialised at the weights ('plain', as torch's
  AveragedModel or timm's ModelEmaV2 do), from zero and divided by 1 - beta^t ('debias', as Adam's moments), with
  the decay warmed up as min(beta, (1 + t) / (10 + t)) ('warmup', TensorFlow's num_updates), or the power-function
  average of Karras et al. 2024 (beta_t = (1 - 1/t)^(gamma + 1), 'power': the average's width a fixed share of the
  run so far), started at epoch 0 or restarted from the weights at a later epoch; the raw weights in 2 runs for
  contrast. Noise: a share of the training labels replaced by another class (flip_labels). Loss: the cross-entropy
  (squared error on one-hot targets in 1 run).
- swa-cyclic-linear: linear least squares on train.py's two-scale teacher (fast features of scale 1, slow ones of
  scale s, Gaussian target noise) or on scikit-learn's diabetes with its squares and pairwise products (Gaussian noise
  added to the training targets), and a multinomial logistic regression on the breast cancer with flipped labels,
  all from zero in float64, by minibatch SGD at lr over the largest eigenvalue of X^T X / n; from swa_start on
  stochastic weight averaging (Izmailov et al. 2018): the step set to swa_lr (reached by a cosine anneal over
  'anneal' epochs where set, as torch's SWALR does) and held, or cyclic (within each cycle of 'cycle' epochs the step
  falls linearly, step by step, from swa_lr to swa_lr / 10), and the weights added to an equal-weight running
  average at the end of every epoch (of every cycle where cyclic) or after every step ('step': Polyak-Ruppert tail
  averaging); the evaluated model the average once it holds a snapshot, the iterate before; no averaging in 3 runs
  for contrast.
- lawa-lookahead-cnn: a small convolutional network (3 x 3 convolutions of k and 2k channels, ReLU, 2 x 2 max pooling
  after each, a linear readout) on the digits with flipped labels under Adam or momentum SGD on minibatches, the
  evaluated model the uniform average of the latest K snapshots of the weights taken at the end of every P-th epoch
  (latest weight averaging, LAWA: Kaddour 2022, Sanyal et al. 2023), or of all snapshots from an epoch on, or
  Lookahead's slow weights (Zhang et al. 2019; train_thirtysecond.py's Lookahead: every k inner steps the slow
  weights move a share alpha of the way to the fast ones, which restart there), or LAWA over the slow weights; the
  raw weights in 2 runs for contrast. Gaussian pixel noise on the training images in 1 run.

Train loss: the evaluated model's loss on the training points at their given (noisy) labels or targets; test loss:
the same loss on held-out points (the classifiers' at true labels; the two-scale teacher's on 2,000 fresh points,
noise included; the diabetes' on the held-out patients' standardised progression); error rates: the misclassified
shares (classifiers only). A run whose loss turns NaN or infinite sends that evaluation as its last and stops
(train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer, the two-scale teacher (two_scale_regression)
and the command line from train.py, settings from train_more.py, dict_runs from train_seventh.py, uniform and
Lookahead from train_thirtysecond.py, leaves and real_classes from train_thirtysixth.py, epoch_loop (with
eval_epochs), take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, diabetes_products from
train_thirtythird.py, mlp_params and mlp from train_sixtyfifth.py, logger and Diverged from train_seventyfourth.py,
digit_images from train_seventysixth.py and classifier_log from train_eightythird.py; one thread, every random draw
from a seeded torch.Generator (splits, label flips, target noise, pixel noise, initialisations, minibatches),
synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_eightyeighth.py --family ema-decay-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): ema-decay-mlp, swa-cyclic-linear, lawa-lookahead-cnn. Evaluation spacings: train.py's
'every', 'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K',
'mixlog:A:K', 'geom:G', 'burst:P:B'.
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
from train import two_scale_regression  # noqa: E402
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtysecond import Lookahead, uniform  # noqa: E402
from train_thirtysixth import leaves, real_classes  # noqa: E402
from train_thirtyninth import epoch_loop, flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_thirtythird import diabetes_products  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import Diverged, logger  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import digit_images  # noqa: E402  (the digits as 1 x 8 x 8 images, a seeded split)
from train_eightythird import classifier_log, noise_name  # noqa: E402

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


def fit(g, n, c, step, log, begin=None, end=None):
    """epoch_loop (begin(e) before epoch e's steps, end(e + 1) after them), stopped early by a divergence."""
    try:
        epoch_loop(g, n, c, step, log, begin=begin, end=end)
    except Diverged:
        pass


# ---------------------------------------------------------------------------------------------------- ema-decay-mlp


class WeightEMA:
    """An exponential moving average of a list of weights, updated after every optimizer step (t the updates so far):
    'plain' a = beta a + (1 - beta) w, a initialised at the weights; 'debias' m = beta m + (1 - beta) w from zero,
    the average m / (1 - beta^t); 'warmup' as 'plain' at the decay min(beta, (1 + t) / (10 + t)); 'power' as 'plain'
    at the decay (1 - 1/t)^(gamma + 1) (Karras et al. 2024: the average's width a fixed share of the updates so far).
    restart() starts it again from the current weights (t = 0)."""

    def __init__(self, params, kind, beta, gamma):
        self.params, self.kind, self.beta, self.gamma = params, kind, beta, gamma
        self.restart()

    def restart(self):
        self.t = 0
        with torch.no_grad():
            self.avg = [torch.zeros_like(q) if self.kind == "debias" else q.detach().clone() for q in self.params]

    def update(self):
        self.t += 1
        t, b = self.t, self.beta
        if self.kind == "warmup":
            b = min(b, (1 + t) / (10 + t))
        elif self.kind == "power":
            b = (1 - 1 / t) ** (self.gamma + 1)
        with torch.no_grad():
            for a, q in zip(self.avg, self.params):
                a.mul_(b).add_(q.detach(), alpha=1 - b)

    def weights(self):
        if self.kind == "debias":
            return [a / (1 - self.beta ** self.t) for a in self.avg] if self.t else self.params
        return self.avg


def ema_decay_mlp(w, run_id, c):
    """A one-hidden-layer ReLU MLP classifier evaluated at an exponential moving average of its weights, float32.
    Data (from the run's generator): 'digits' digit_images (n training, 'test' held-out images) flattened to 64
    pixels; 'cancer' or 'wine' real_classes (standardised on the n training points, the rest held out); a share flip
    of the training labels flipped (flip_labels). Model: d -> hid (ReLU) -> K, mlp_params (U(+-1 / sqrt(fan-in)) from
    the run's generator). Loss: the cross-entropy ('ce') or the squared error to one-hot targets summed over the
    classes ('mse'). Optimizer: torch.optim.Adam (betas 0.9, 0.999) or SGD with momentum mom at lr on minibatches of
    batch. The average: WeightEMA ('ema' its kind, 'beta' its decay, 'gamma' the power's exponent), updated after
    every step, restarted from the weights at the start of epoch 'start' where set (the raw weights evaluated before
    it); 'raw' no average (the weights evaluated). Train loss: the evaluated weights' loss on the training points at
    their given labels; test loss: the same on the held-out points at their true labels; error rates: the
    misclassified shares."""
    g = torch.Generator().manual_seed(881_000 + c["seed"])
    if c["data"] == "digits":
        x, y, xt, yt = digit_images(g, c)
        x, xt, K = x.flatten(1), xt.flatten(1), 10
    else:
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], 1.0, F32)
    yn = flip_labels(g, y, K, c.get("flip"))
    params = mlp_params(g, [x.shape[1], c["hid"], K], F32)
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=c["mom"])
    kind, start = c["ema"], c.get("start")
    ema = WeightEMA(params, kind, c.get("beta"), c.get("gamma")) if kind != "raw" else None
    st = {"on": ema is not None and not start}

    def loss(o, t):
        if c["loss"] == "ce":
            return fn.cross_entropy(o, t)
        return ((o - fn.one_hot(t, K).to(o.dtype)) ** 2).sum(1).mean()

    def begin(e):
        if ema is not None and start and e == start:
            ema.restart()
            st["on"] = True

    def step(idx):
        opt.zero_grad()
        loss(mlp(params, take(x, idx), torch.relu), take(yn, idx)).backward()
        opt.step()
        if st["on"]:
            ema.update()

    def forward(z):
        return mlp(ema.weights() if st["on"] else params, z, torch.relu)

    run = w.run(run_id, count(params), len(y), {"family": "mlp", "hidden": c["hid"], "depth": 1, "activation": "relu"},
                settings(c, ("seed", "data", "n", "flip", "hid", "opt", "lr", "mom", "batch", "loss", "ema", "beta",
                             "gamma", "start", "eval"))
                | {"optimizer": "adam" if c["opt"] == "adam" else "sgd-momentum",
                   "evaluated": "weights" if kind == "raw" else "ema-%s" % kind,
                   "ema_update": "every-step" if kind != "raw" else "none",
                   "noise": "uniform-other-class" if c.get("flip") else "none",
                   "test_loss": "heldout-%s-true-labels" % c["loss"], "error": "misclassified",
                   "test_size": str(len(yt))}, output_dim=K)
    fit(g, len(y), c, step, classifier_log(run, forward, x, yn, xt, yt, loss), begin=begin)


def runs_ema_decay_mlp():
    # The logic: 400 digits, 20% of their labels flipped, an MLP 64 -> 64 -> 10 (4,810 weights, twelve a label, so it
    # can fit the flips) under Adam at 5e-3 on minibatches of 40 (10 steps an epoch), 120 epochs; 600 held-out images.
    # The raw weights fit the clean labels within tens of epochs, then the flips, the held-out loss rising as they do;
    # an average of the weights over the last 1 / (1 - beta) steps lags the weights by about that many steps (0.99: 10
    # epochs; 0.999: 100; 0.9995: 200) and smooths the minibatch noise, so its held-out curve is the raw one delayed,
    # smoothed and lowered where the weights bounce; the plain average keeps a weight beta^t on the initial weights
    # (0.999^1200 = 0.3 at the end), which the debiased and warmed-up averages drop; the power average keeps a fixed
    # share of the run. One thing at a time: the decay (raw, 0.9, 0.99 at 2 seeds, 0.999, 0.9995), the kind at 0.999
    # (debiased, warmed up), the power average (gamma 6.94 and 16.97, widths of about 10% and 5% of the run), a
    # restart from the weights at epoch 30 (0.999), momentum SGD at 0.05 (raw and 0.99), clean labels (0.99), 40%
    # flipped (debiased 0.999), width 256 and the squared error (0.99), minibatches of 10 (40 steps an epoch; 0.999),
    # the breast cancer (150 patients, 32 units) and wine (80, 32 units) at 0.99. Evaluation spacing mixed.
    base = dict(data="digits", n=400, test=600, flip=0.2, hid=64, opt="adam", lr=5e-3, mom=None, batch=40, loss="ce",
                ema="plain", beta=0.99, gamma=None, start=None, epochs=120, eval="every")
    return ema_decay_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(ema="raw", beta=None, eval="every:2"),
        dict(beta=0.9, eval="jitter:30"),
        dict(beta=0.999, eval="every"),
        dict(beta=0.9995, eval="geom:2"),
        dict(ema="debias", beta=0.999, eval="every:2"),
        dict(ema="warmup", beta=0.999, eval="every"),
        dict(ema="power", beta=None, gamma=6.94, eval="mixed:30:3"),
        dict(ema="power", beta=None, gamma=16.97, eval="every:2"),
        dict(beta=0.999, start=30, eval="every"),
        dict(opt="sgd", lr=0.05, mom=0.9, ema="raw", beta=None, eval="every"),
        dict(opt="sgd", lr=0.05, mom=0.9, eval="every:3"),
        dict(flip=None, eval="log:30"),
        dict(flip=0.4, ema="debias", beta=0.999, eval="every:2"),
        dict(hid=256, eval="burst:10:4"),
        dict(loss="mse", eval="every"),
        dict(batch=10, beta=0.999, eval="rand:40"),
        dict(data="cancer", n=150, test=None, hid=32, eval="mixlog:20:30"),
        dict(data="wine", n=80, test=None, hid=32, eval="every:2"),
    ], lambda d: "%s-n%d%s-mlp%d-%s-lr%g-%s-b%d-%s%s%s" % (
        d["data"], d["n"], noise_name(d), d["hid"], d["opt"], d["lr"], d["loss"], d["batch"], d["ema"],
        "-beta%g" % d["beta"] if d.get("beta") else "", "-gamma%g" % d["gamma"] if d.get("gamma") else "")
        + ("-start%d" % d["start"] if d.get("start") else ""))


# ---------------------------------------------------------------------------------------------------- swa-cyclic-linear


def swa_cyclic_linear(w, run_id, c):
    """A linear model trained from zero by minibatch SGD and evaluated at its stochastic weight average, float64.
    Data (from the run's generator): 'twoscale' two_scale_regression (n training points, df features of scale 1 and
    ds of scale s, the target's fast part of power F and slow part of power S at unit scale, Gaussian noise of sd
    'noise'; 2,000 fresh test points drawn the same way, noise included); 'diabetes' diabetes_products (its 55
    standardised squares and products at scale 1 beside its 10 columns at scale s, the standardised progression; n
    patients for training, the rest held out), Gaussian noise of sd 'noise' added to the training targets; least
    squares (the mean squared error) on both; 'cancer' real_classes (the breast cancer's 30 columns standardised on the
    n training patients, the rest held out) with a constant column, a share flip of the training labels flipped, a
    multinomial logistic regression (2 classes, the mean cross-entropy). Optimizer: SGD (heavy-ball momentum mom where
    set) on minibatches of batch at lr over the largest eigenvalue of X^T X / n (times 2 for the cross-entropy, whose
    curvature is at most half of it). SWA from epoch swa_start on (none where None): the step swa_lr (the same
    normalisation), reached from lr by a cosine anneal over 'anneal' epochs where set; 'swa' 'const' holds it and adds
    the weights to an equal-weight running average at the end of every epoch, 'step' holds it and adds them after
    every step, 'cyclic' lets it fall linearly step by step from swa_lr to swa_lr / 10 within each cycle of 'cycle'
    epochs and adds the weights at each cycle's end. The evaluated model is the average once it holds a snapshot, the
    iterate before. Train loss: the evaluated weights' loss on the training targets (noisy) or the given labels; test
    loss: the same on the test points (fresh noisy ones, the held-out patients' progression, the held-out patients'
    true labels); error rates: the misclassified shares (classification only)."""
    g = torch.Generator().manual_seed(882_000 + c["seed"])
    ce = c["data"] == "cancer"
    if c["data"] == "twoscale":
        old = torch.get_default_dtype()
        torch.set_default_dtype(F64)
        try:
            x, y, xt, yt = two_scale_regression(g, c)
        finally:
            torch.set_default_dtype(old)
    elif c["data"] == "diabetes":
        X, Y, tr, te = diabetes_products(g, c["n"], c["s"], F64)
        x, y, xt, yt = X[tr], Y[tr].clone(), X[te], Y[te]
        if c.get("noise"):
            y = y + c["noise"] * torch.randn(len(y), generator=g, dtype=F64)
    else:
        x, y, xt, yt, _ = real_classes(g, "cancer", c["n"], 1.0, F64)
        x, xt = (torch.cat([z, torch.ones(len(z), 1, dtype=F64)], 1) for z in (x, xt))
        y = flip_labels(g, y, 2, c.get("flip"))
    n, d = x.shape
    K = 2 if ce else 1
    top = float(torch.linalg.eigvalsh(x.T @ x / n)[-1])
    norm = (2 if ce else 1) / top
    wgt, buf = torch.zeros(d, K, dtype=F64), torch.zeros(d, K, dtype=F64)
    start, kind = c.get("swa_start"), c.get("swa")
    st = {"avg": None, "m": 0, "lr": c["lr"] * norm, "t": 0}
    steps = math.ceil(n / c["batch"]) if c["batch"] < n else 1

    def add():
        if st["avg"] is None:
            st["avg"] = wgt.clone()
        else:
            st["avg"].mul_(st["m"] / (st["m"] + 1)).add_(wgt, alpha=1 / (st["m"] + 1))
        st["m"] += 1

    def begin(e):
        if start is None or e < start:
            return
        lr0, lr1 = c["lr"] * norm, c["swa_lr"] * norm
        a = c.get("anneal")
        if a and e - start < a:  # cosine from lr to swa_lr over the anneal epochs
            f = (e - start + 1) / a
            st["lr"] = lr1 + (lr0 - lr1) * (1 + math.cos(math.pi * f)) / 2
        else:
            st["lr"] = lr1

    def step_lr():
        if start is None or st["t"] < start * steps or kind != "cyclic":
            return st["lr"]
        cyc = c["cycle"] * steps
        i = (st["t"] - start * steps) % cyc
        return st["lr"] * (1 - 0.9 * i / max(cyc - 1, 1))

    def loss(z, t):
        o = z @ wgt_eval()
        if ce:
            return fn.cross_entropy(o, t)
        return ((o[:, 0] - t) ** 2).mean()

    def wgt_eval():
        return st["avg"] if st["avg"] is not None else wgt

    def step(idx):
        nonlocal buf
        xb, yb = take(x, idx), take(y, idx)
        o = xb @ wgt
        r = torch.softmax(o, 1) - fn.one_hot(yb, 2).to(F64) if ce else o - yb[:, None]
        buf = (c.get("mom") or 0.0) * buf + xb.T @ r / len(xb)
        wgt.sub_(step_lr() * buf)
        st["t"] += 1
        if start is not None and kind == "step" and st["t"] > start * steps:
            add()

    def end(e):
        if start is None or e <= start or kind == "step":
            return
        if kind == "cyclic" and (e - start) % c["cycle"]:
            return
        add()

    tags = settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "noise", "flip", "lr", "mom", "batch",
                        "swa_start", "swa_lr", "swa", "cycle", "anneal", "eval"))
    run = w.run(run_id, d * K, n, {"family": "multinomial-logistic" if ce else "linear", "features": d,
                                   "data": c["data"]},
                tags | {"optimizer": "sgd" + ("-heavy-ball" if c.get("mom") else ""),
                        "evaluated": "iterate" if start is None else "swa-average",
                        "swa_snapshot": {None: "none", "const": "every-epoch", "step": "every-step",
                                         "cyclic": "cycle-end"}[kind if start is not None else None],
                        "loss": "cross-entropy" if ce else "mse",
                        "test_loss": {"twoscale": "fresh-noisy-mse", "diabetes": "heldout-mse",
                                      "cancer": "heldout-ce-true-labels"}[c["data"]],
                        "test_size": str(len(yt))}, output_dim=K)
    log_ = logger(run)

    def log(e, final):
        if ce:
            o, ot = x @ wgt_eval(), xt @ wgt_eval()
            log_(e, loss(x, y), loss(xt, yt), (o.argmax(1) != y).double().mean(), (ot.argmax(1) != yt).double().mean(),
                 final=final)
        else:
            log_(e, loss(x, y), loss(xt, yt), final=final)

    fit(g, n, c, step, log, begin=begin, end=end)


def runs_swa_cyclic_linear():
    # The logic: train.py's two-scale teacher, 200 points, 150 fast features of scale 1 (fitting the target noise, sd
    # 0.5, and the part of the slow signal not yet learnt, over a wide spread of speeds, 150 features for 200 points)
    # and 20 slow ones of scale 0.2 (learnt about 25 times slower, later), least squares from zero by SGD on minibatches
    # of 10 (20 steps an epoch) at 0.3 over the largest eigenvalue, 600 epochs: at a constant step the iterate never
    # settles but bounces around the least-squares fit. SWA from epoch 100 at the same step, one snapshot an epoch: the
    # average smooths the bouncing and lags the iterate by about half the averaging span, so it trails the iterate's
    # fit of the noise and of the slow part alike. One thing at a time: no SWA, the start (20, 300), the SWA step
    # (0.1, 0.8), cyclic steps (cycles of 10 and 2 epochs), a snapshot every step (tail averaging), a high step (0.8)
    # annealed to 0.1 over 10 epochs, noise sd 1, no slow part (S 0), heavy-ball momentum 0.9 at 0.03, minibatches of
    # 50; the diabetes' 80 patients (55 products at scale 1, the 10 columns at 0.3, noise sd 0.5 on their targets)
    # under SWA from 100, without it and cyclic (10); the breast cancer's logistic regression (100 patients, 20%
    # flipped) under SWA from 100, without it and averaged every step; 400 epochs on both. Evaluation spacing mixed.
    base = dict(data="twoscale", n=200, df=150, ds=20, s=0.2, F=3.0, S=3.0, noise=0.5, flip=None, lr=0.3, mom=None,
                batch=10, swa_start=100, swa_lr=0.3, swa="const", cycle=None, anneal=None, epochs=600, eval="log:35")
    no_swa = dict(swa_start=None, swa_lr=None, swa=None)
    diabetes = dict(data="diabetes", n=80, df=None, ds=None, s=0.3, F=None, S=None, noise=0.5, epochs=400)
    cancer = dict(data="cancer", n=100, df=None, ds=None, s=None, F=None, S=None, noise=None, flip=0.2, epochs=400)
    return swa_cyclic_linear, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(no_swa, eval="every:2"),
        dict(swa_start=20, eval="jitter:35"),
        dict(swa_start=300, eval="log:40"),
        dict(swa_lr=0.1, eval="every:3"),
        dict(swa_lr=0.8, eval="geom:4"),
        dict(swa="cyclic", cycle=10, eval="every:2"),
        dict(swa="cyclic", cycle=2, eval="mixed:40:4"),
        dict(swa="step", eval="log:35"),
        dict(lr=0.8, swa_lr=0.1, anneal=10, eval="every:3"),
        dict(noise=1.0, eval="log:35"),
        dict(S=0.0, eval="every:2"),
        dict(mom=0.9, lr=0.03, swa_lr=0.03, eval="log:30"),
        dict(batch=50, eval="every:2"),
        dict(diabetes, eval="log:35"),
        dict(diabetes, **no_swa, eval="every:3"),
        dict(diabetes, swa="cyclic", cycle=10, eval="burst:40:8"),
        dict(cancer, eval="mixlog:30:35"),
        dict(cancer, **no_swa, eval="rand:60"),
        dict(cancer, swa="step", eval="jitter:30"),
    ], lambda d: "%s-n%d%s%s%s-lr%g%s-b%d-%s" % (
        d["data"], d["n"], "-s%g" % d["s"] if d.get("s") else "", "-S%g" % d["S"] if d.get("S") is not None else "",
        "-noise%g" % d["noise"] if d.get("noise") else "-flip%g" % d["flip"], d["lr"],
        "-mom%g" % d["mom"] if d.get("mom") else "", d["batch"],
        "noswa" if d.get("swa_start") is None else "swa%d-%s-lr%g%s%s" % (
            d["swa_start"], d["swa"], d["swa_lr"], "-cyc%d" % d["cycle"] if d.get("cycle") else "",
            "-anneal%d" % d["anneal"] if d.get("anneal") else "")))


# --------------------------------------------------------------------------------------------------- lawa-lookahead-cnn


def lawa_lookahead_cnn(w, run_id, c):
    """A small convolutional network on the digits evaluated at an average of its weights, float32. Data (from the
    run's generator): digit_images (n training, 'test' held-out images; Gaussian pixel noise of sd pix on the training
    images where set); a share flip of the training labels flipped (flip_labels). Model: conv3x3 1 -> k (padding 1),
    ReLU, max-pool 2, conv3x3 k -> 2k, ReLU, max-pool 2, a linear readout of the 8k features to 10 logits;
    U(+-1 / sqrt(fan-in)) from the run's generator. Loss: the cross-entropy. Optimizer: torch.optim.Adam or SGD with
    momentum mom at lr on minibatches of batch, inside Lookahead (train_thirtysecond.py's; every k_la inner steps the
    slow weights move alpha of the way to the fast ones, which restart there) where k_la is set. The base weights are
    the slow weights under Lookahead, the weights otherwise. The average: at the end of every period-th epoch from
    'from' (0 where not set) a snapshot of the base weights; 'window' K the uniform average of the latest K snapshots
    (LAWA), 'all' of every snapshot so far; the base weights evaluated before the first snapshot and throughout where
    'avg' is 'none'. Train loss: the evaluated model's cross-entropy on the training images at their given labels;
    test loss: the same on the held-out images at their true labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(883_000 + c["seed"])
    x, y, xt, yt = digit_images(g, c)
    yn = flip_labels(g, y, 10, c.get("flip"))
    k = c["k"]
    params = leaves([uniform(g, 9, k, 1, 3, 3), uniform(g, 9, k), uniform(g, 9 * k, 2 * k, k, 3, 3),
                     uniform(g, 9 * k, 2 * k), uniform(g, 8 * k, 8 * k, 10), uniform(g, 8 * k, 10)])
    if c["opt"] == "adam":
        inner = torch.optim.Adam(params, lr=c["lr"])
    else:
        inner = torch.optim.SGD(params, lr=c["lr"], momentum=c["mom"])
    la = c.get("k_la")
    opt = Lookahead(inner, params, la, c["alpha"]) if la else inner
    base_w = opt.slow if la else params
    avg = c.get("avg") or "none"
    snaps = []

    def net(p, z):
        z = fn.max_pool2d(torch.relu(fn.conv2d(z, p[0], p[1], padding=1)), 2)
        z = fn.max_pool2d(torch.relu(fn.conv2d(z, p[2], p[3], padding=1)), 2)
        return z.flatten(1) @ p[4] + p[5]

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(net(params, take(x, idx)), take(yn, idx)).backward()
        opt.step()

    def end(e):
        if avg == "none" or e <= (c.get("from") or 0) or (e - (c.get("from") or 0)) % c["period"]:
            return
        snaps.append([q.detach().clone() for q in base_w])
        if avg == "window" and len(snaps) > c["window"]:
            snaps.pop(0)

    def forward(z):
        if not snaps:
            return net(base_w, z)
        return net([sum(s[i] for s in snaps) / len(snaps) for i in range(len(params))], z)

    run = w.run(run_id, count(params), len(y),
                {"family": "cnn", "channels": k, "conv_layers": 2, "pooling": "max", "norm": "none"},
                settings(c, ("seed", "n", "flip", "pix", "k", "opt", "lr", "mom", "batch", "k_la", "alpha", "avg",
                             "window", "period", "from", "eval"))
                | {"optimizer": ("lookahead-" if la else "") + ("adam" if c["opt"] == "adam" else "sgd-momentum"),
                   "evaluated": {"none": "slow-weights" if la else "weights",
                                 "window": "lawa-latest-%d" % (c.get("window") or 0),
                                 "all": "uniform-all-snapshots"}[avg],
                   "averaged": ("slow-weights" if la else "weights") if avg != "none" else "none",
                   "noise": "uniform-other-class" if c.get("flip") else "none", "loss": "cross-entropy",
                   "test_loss": "heldout-ce-true-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=10)
    fit(g, len(y), c, step, classifier_log(run, forward, x, yn, xt, yt, fn.cross_entropy), end=end)


def runs_lawa_lookahead_cnn():
    # The logic: 300 digits, 20% of their labels flipped, a CNN of 8 and 16 channels (1,898 weights, six a label, so
    # it fits many of the flips) under Adam at 3e-3 on minibatches of 50 (6 steps an epoch), 150 epochs; 500 held-out
    # images. The raw weights learn the clean labels, then memorise flips; the average of the latest 5 end-of-epoch
    # snapshots smooths the minibatch noise and lags the weights by 2 epochs, a longer window or period by more, the
    # average of all snapshots by half the run, so it stays nearer the early, less memorised weights. Lookahead's slow
    # weights move a share alpha towards the fast ones every k steps: a smoother, slower path. One thing at a time:
    # raw weights; the window (2, 5 at 2 seeds, 10, 20); a snapshot every 5th epoch (window 5); all snapshots from
    # epoch 0 and from 50; Lookahead (k 5, alpha 0.5; k 10; alpha 0.8) evaluated at its slow weights, and LAWA (5) over
    # them; momentum SGD at 0.05 raw, with LAWA (5) and with Lookahead; clean and 40% flipped labels, Gaussian pixel
    # noise 0.3 on the training images, 16 channels (window 10) and 600 images (LAWA 5). Evaluation spacing mixed.
    base = dict(n=300, test=500, flip=0.2, pix=None, k=8, opt="adam", lr=3e-3, mom=None, batch=50, k_la=None,
                alpha=None, avg="window", window=5, period=1, epochs=150, eval="every")
    none = dict(avg="none", window=None, period=None)
    la = dict(k_la=5, alpha=0.5)
    sgd = dict(opt="sgd", lr=0.05, mom=0.9)
    return lawa_lookahead_cnn, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(none, eval="every:2"),
        dict(window=2, eval="every"),
        dict(window=10, eval="jitter:30"),
        dict(window=20, eval="every:3"),
        dict(period=5, eval="every"),
        dict(avg="all", window=None, eval="geom:2"),
        dict({"from": 50}, avg="all", window=None, eval="every:2"),
        dict(none, **la, eval="every"),
        dict(none, k_la=10, alpha=0.5, eval="mixed:30:2"),
        dict(none, k_la=5, alpha=0.8, eval="every:2"),
        dict(la, eval="every"),
        dict(none, **sgd, eval="every:3"),
        dict(sgd, eval="every"),
        dict(none, **sgd, **la, eval="burst:10:4"),
        dict(flip=None, eval="log:30"),
        dict(flip=0.4, eval="every:2"),
        dict(pix=0.3, eval="every"),
        dict(k=16, window=10, eval="mixlog:15:30"),
        dict(n=600, eval="rand:40"),
    ], lambda d: "digits-n%d%s%s-cnn%d-%s-lr%g%s-b%d-%s" % (
        d["n"], noise_name(d), "-pix%g" % d["pix"] if d.get("pix") else "", d["k"], d["opt"], d["lr"],
        "-la%d-alpha%g" % (d["k_la"], d["alpha"]) if d.get("k_la") else "", d["batch"],
        "raw" if d["avg"] == "none" else "lawa%d-every%d" % (d["window"], d["period"]) if d["avg"] == "window"
        else "all-every%d-from%d" % (d["period"], d.get("from") or 0)))


FAMILIES = {"ema-decay-mlp": runs_ema_decay_mlp, "swa-cyclic-linear": runs_swa_cyclic_linear,
            "lawa-lookahead-cnn": runs_lawa_lookahead_cnn}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
