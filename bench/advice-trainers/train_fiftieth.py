#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, fiftieth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 152 families of train.py ... train_fortyeighth.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is training-time regularisers and schedules of small
classifiers that no earlier round used, at sizes around where the model can just fit its training set, with label
noise in part of the grid:

- label-smooth: a ReLU MLP (a linear softmax model in a run) trained on the cross-entropy against label-smoothed
  targets, (1 - eps) one-hot + eps / K (Szegedy et al. 2016), eps 0-0.4 across the grid; synthetic classes told
  weakly by fast features in noise and clearly by slow ones at a small scale, or scikit-learn's wine or breast cancer
  with half the columns dimmed; a share of the training labels flipped. Train loss: the smoothed cross-entropy of the
  noisy training labels (the objective); test loss: the plain cross-entropy of clean test labels.
- dropconnect-mlp: DropConnect (Wan et al. 2013): every weight (not unit) of a one-hidden-layer ReLU MLP is dropped
  with probability p by an independent mask per training example (one mask per minibatch in a run), the kept ones
  scaled by 1 / (1 - p); at evaluation the mean network (the full weights, the masks' average) or, in a few runs, the
  average of the predicted probabilities over 8 fixed masks. Train and test loss: the cross-entropy of the evaluated
  network on the noisy training labels and on clean test labels.
- batch-ramp: minibatch SGD (momentum 0.9, or plain) at a constant step whose batch size grows by a factor at fixed
  epochs ("don't decay the learning rate, increase the batch size", Smith et al. 2018), up to the full set; contrast
  runs with a constant batch and with the step divided by the same factor at the same epochs. A ReLU MLP on the
  synthetic two-scale classes or on wine or breast cancer, a share of the labels flipped; cross-entropy, test loss on
  clean labels.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, batches from train_twentyfirst.py, uniform from
train_thirtysecond.py, leaves and real_classes from train_thirtysixth.py, eval_epochs from train_thirtyseventh.py,
epoch_loop, take and flip_labels from train_thirtyninth.py, plain_opt from train_thirtyfourth.py (Adam, or SGD with
momentum 0.9) and mlp_params, mlp_forward, unit_rows and count from train_fortyeighth.py; one thread, every random
draw from a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_fiftieth.py --family label-smooth [--list] [--runs 0,3] [--out FILE]

Families (see README.md): label-smooth, dropconnect-mlp, batch-ramp. Evaluation spacings: train.py's 'every',
'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K', 'mixlog:A:K',
'geom:G', 'burst:P:B'.
"""
import math
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before torch loads its BLAS
    os.environ[var] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_twentyfirst import batches  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtyfourth import plain_opt  # noqa: E402  (Adam, or SGD with momentum 0.9)
from train_thirtysixth import leaves, real_classes  # noqa: E402
from train_thirtyseventh import eval_epochs  # noqa: E402
from train_thirtyninth import epoch_loop, flip_labels, take  # noqa: E402
from train_fortyeighth import count, mlp_forward, mlp_params, unit_rows  # noqa: E402

torch.set_num_threads(1)

F64 = torch.float64


def class_data(g, c):
    """(x, y, xt, yt, K), float64, the training labels flipped (flip_labels, a share c['flip']). 'synth': K classes
    uniform, df fast features a P_f[y] + N(0, 1) (P_f unit rows) and ds slow ones s (b P_s[y] + sigma_s N(0, 1)) (P_s
    unit rows times sqrt(ds)), n training points and 2,000 test points; 'wine' or 'cancer': real_classes (n training
    points, the rest for test, half the columns times s)."""
    if c["data"] == "synth":
        K, df, ds = c["K"], c["df"], c["ds"]
        P_f, P_s = unit_rows(g, K, df), unit_rows(g, K, ds) * math.sqrt(ds)

        def draw(m):
            y = torch.randint(0, K, (m,), generator=g)
            xf = c["a"] * P_f[y] + torch.randn(m, df, generator=g, dtype=F64)
            xs = c["s"] * (c["b"] * P_s[y] + c["sigma_s"] * torch.randn(m, ds, generator=g, dtype=F64))
            return torch.cat([xf, xs], 1), y

        x, y = draw(c["n"])
        xt, yt = draw(2000)
    else:
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], c["s"], dtype=F64)
    return x, flip_labels(g, y, K, c.get("flip")), xt, yt, K


def data_tags(c):
    return ("data", "n", "K", "df", "ds", "a", "b", "s", "sigma_s", "flip")


def ce(f, y):
    return torch.nn.functional.cross_entropy(f, y)


def errors(f, y):
    return (f.argmax(1) != y).double().mean()


def data_name(d):
    if d["data"] == "synth":
        return "synth-n%d-K%d-df%d-ds%d-a%g-s%g" % (d["n"], d["K"], d["df"], d["ds"], d["a"], d["s"])
    return "%s-n%d-s%g" % (d["data"], d["n"], d["s"])


def noise_name(d):
    return "-flip%g" % d["flip"] if d.get("flip") else "-clean"


# ---------------------------------------------------------------------------------------------------- label-smooth


def smoothed_ce(f, y, K, eps):
    """The cross-entropy of log-softmax(f) against (1 - eps) one-hot(y) + eps / K."""
    lp = f.log_softmax(1)
    return -((1 - eps) * lp.gather(1, y[:, None]).squeeze(1) + eps * lp.mean(1)).mean()


def label_smooth(w, run_id, c):
    """A classifier trained on label-smoothed targets, float64: a ReLU MLP d -> h -> K (h None: a linear softmax
    model), weights and biases U(+-1 / sqrt(fan-in)) from the run's generator. Data: class_data. Loss: smoothed_ce at
    eps (0: the plain cross-entropy). Optimizer: Adam ('adam') or SGD with momentum 0.9 ('momentum') at step lr on
    minibatches. Train loss: the smoothed cross-entropy of the noisy training labels; test loss: the plain
    cross-entropy of the clean test labels; error rates of the most probable class."""
    g = torch.Generator().manual_seed(501_000 + c["seed"])
    x, y, xt, yt, K = class_data(g, c)
    eps = c.get("eps") or 0.0
    params = mlp_params(g, [x.shape[1]] + ([c["h"]] if c.get("h") else []) + [K])
    opt = plain_opt(c, params)

    def step(idx):
        opt.zero_grad()
        smoothed_ce(mlp_forward(params, take(x, idx)), take(y, idx), K, eps).backward()
        opt.step()

    run = w.run(run_id, count(params), len(x),
                {"family": "smooth-" + ("mlp" if c.get("h") else "linear"), "width": c.get("h") or 0,
                 "inputs": x.shape[1], "classes": K},
                settings(c, ("seed",) + data_tags(c) + ("eps", "h", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "smoothed-ce", "test_loss": "clean-ce",
                   "points_per_weight": "%.3g" % (len(x) / count(params))},
                output_dim=K)

    def log(e, final):
        f, ft = mlp_forward(params, x), mlp_forward(params, xt)
        run.log(e, smoothed_ce(f, y, K, eps), ce(ft, yt), errors(f, y), errors(ft, yt), final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_label_smooth():
    # The logic: a ReLU MLP of 16 hidden units over 16 fast and 12 slow features of 4 synthetic classes (532 weights)
    # on 500 points, 20% of whose labels are flipped, can just fit its training set: the fast features tell the
    # class weakly (a unit prototype times 0.8 in N(0, 1) noise) and let the network memorise the flips, the slow ones
    # tell it clearly at scale 0.15 and are learned later. Label smoothing at 0.1 caps the logits' margins, so it
    # limits how far memorising the flips can drive the clean test cross-entropy up, and larger eps keeps the network
    # from confident predictions (the clean test CE then has a floor). Adam at 0.003 on minibatches of 50, 300 epochs.
    # The grid moves one thing at a time: eps (0, 0.05, 0.2, 0.4), the flips (none, 10%, 40%; and 40% with eps 0.4),
    # the width (8, 32), a linear softmax model, the slow scale (0.05, 0.4), momentum SGD (0.05), the step (0.01),
    # full batches, 250 points, 8 classes, and wine and breast cancer (half the columns times 0.1; 100 and 300
    # training points).
    base = dict(data="synth", n=500, K=4, df=16, ds=12, a=0.8, b=0.5, s=0.15, sigma_s=0.3, flip=0.2, eps=0.1, h=16,
                opt="adam", lr=0.003, batch=50, epochs=300, eval="every:3")
    real = dict(K=None, df=None, ds=None, a=None, b=None, sigma_s=None, s=0.1)
    return label_smooth, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(eps=None, eval="every:2"),
        dict(eps=0.05, eval="jitter:35"),
        dict(eps=0.2, eval="mixed:30:3"),
        dict(eps=0.4, eval="geom:3"),
        dict(flip=None, eval="every:4"),
        dict(flip=0.1, eval="log:35"),
        dict(flip=0.4, eval="every:3"),
        dict(flip=0.4, eps=0.4, eval="rand:90"),
        dict(h=8, eval="every:3"),
        dict(h=32, eval="mixlog:20:30"),
        dict(h=None, lr=0.01, eval="every:4"),
        dict(s=0.05, eval="geom:4"),
        dict(s=0.4, eval="every:3"),
        dict(opt="momentum", lr=0.05, eval="every:3"),
        dict(lr=0.01, eval="every:2"),
        dict(batch=None, lr=0.01, eval="jitter:30"),
        dict(n=250, eval="every:3"),
        dict(K=8, eval="burst:30:5"),
        dict(real, data="wine", n=100, h=16, eval="every:3"),
        dict(real, data="cancer", n=300, h=16, eval="every:3"),
    ], lambda d: "%s%s-eps%g-%s-%s-lr%g-b%s" % (
        data_name(d), noise_name(d), d.get("eps") or 0, "mlp%d" % d["h"] if d.get("h") else "linear", d["opt"],
        d["lr"], d.get("batch") or "full"))


# ---------------------------------------------------------------------------------------------------- dropconnect-mlp


def dropconnect_mlp(w, run_id, c):
    """A one-hidden-layer ReLU MLP d -> h -> K under DropConnect, float64, weights and biases U(+-1 / sqrt(fan-in))
    from the run's generator. Training: every minibatch, each weight of both layers kept with probability 1 - p by a
    Bernoulli mask drawn from the run's generator, one mask per example ('example') or one per minibatch ('batch'), the
    kept weights scaled by 1 / (1 - p) (biases never dropped); p 0: the plain network. Evaluation ('mean'): the full
    weights, the masks' average; ('mc'): the average of the softmax probabilities over S masks drawn once from a
    generator seeded by the run (the same masks at every evaluation, each applied to every point). Loss: the
    cross-entropy. Optimizer: Adam ('adam') or SGD with momentum 0.9 ('momentum') at step lr on minibatches. Train
    loss: the evaluated network's cross-entropy of the noisy training labels; test loss: that of the clean test
    labels; error rates too."""
    g = torch.Generator().manual_seed(502_000 + c["seed"])
    x, y, xt, yt, K = class_data(g, c)
    d, h, p = x.shape[1], c["h"], c.get("p") or 0.0
    params = mlp_params(g, [d, h, K])
    W1, b1, W2, b2 = params
    opt = plain_opt(c, params)
    keep = 1.0 - p

    def masked(xb):
        m = len(xb)
        if c["mask"] == "batch":
            M1 = (torch.rand(h, d, generator=g) < keep).double() / keep
            M2 = (torch.rand(K, h, generator=g) < keep).double() / keep
            return torch.relu(xb @ (M1 * W1).T + b1) @ (M2 * W2).T + b2
        M1 = (torch.rand(m, h, d, generator=g) < keep).double() / keep
        M2 = (torch.rand(m, K, h, generator=g) < keep).double() / keep
        z = torch.relu(torch.einsum("nhd,nd->nh", M1 * W1, xb) + b1)
        return torch.einsum("nkh,nh->nk", M2 * W2, z) + b2

    def step(idx):
        opt.zero_grad()
        xb = take(x, idx)
        f = masked(xb) if p else mlp_forward(params, xb)
        ce(f, take(y, idx)).backward()
        opt.step()

    infer = c.get("infer") or "mean"
    if infer == "mc":
        ge = torch.Generator().manual_seed(502_500 + c["seed"])
        S = c["S"]
        E1 = (torch.rand(S, h, d, generator=ge, dtype=F64) < keep).double() / keep
        E2 = (torch.rand(S, K, h, generator=ge, dtype=F64) < keep).double() / keep

    def evaluate(z):
        """log-probabilities of the evaluated network."""
        if infer == "mean" or not p:
            return mlp_forward(params, z).log_softmax(1)
        lps = [(torch.relu(z @ (E1[i] * W1).T + b1) @ (E2[i] * W2).T + b2).log_softmax(1) for i in range(S)]
        return torch.logsumexp(torch.stack(lps), 0) - math.log(S)

    run = w.run(run_id, count(params), len(x),
                {"family": "dropconnect-mlp", "width": h, "inputs": d, "classes": K},
                settings(c, ("seed",) + data_tags(c) + ("p", "mask", "infer", "S", "h", "opt", "lr", "batch",
                                                         "eval"))
                | {"optimizer": c["opt"], "loss": "ce", "test_loss": "clean-ce",
                   "points_per_weight": "%.3g" % (len(x) / count(params))},
                output_dim=K)

    def log(e, final):
        lp, lpt = evaluate(x), evaluate(xt)
        run.log(e, -lp.gather(1, y[:, None]).mean(), -lpt.gather(1, yt[:, None]).mean(), errors(lp, y),
                errors(lpt, yt), final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_dropconnect_mlp():
    # The logic: a ReLU MLP of 24 hidden units over 16 fast and 12 slow features of 4 synthetic classes (796 weights)
    # on 500 points, 20% of whose labels are flipped, can fit its training set without DropConnect (the plain network,
    # p 0, in the grid); DropConnect at p 0.3, a mask per example, slows the memorisation of the flips (each example
    # sees a different thinned network) while the slow features (scale 0.15) are learned, and its noise is strongest
    # on the fast weights that memorise. Adam at 0.003 on minibatches of 50, 300 epochs, the mean network evaluated.
    # The grid moves one thing at a time: p (0, 0.1, 0.5), one mask per minibatch, the average over 8 fixed masks at
    # evaluation (p 0.3 and 0.5), the flips (none, 40%), the width (12, 48), the slow scale (0.05, 0.4), momentum SGD
    # (0.05), full batches (step 0.01), 250 points, and wine and breast cancer (half the columns times 0.1).
    base = dict(data="synth", n=500, K=4, df=16, ds=12, a=0.8, b=0.5, s=0.15, sigma_s=0.3, flip=0.2, p=0.3,
                mask="example", infer=None, S=None, h=24, opt="adam", lr=0.003, batch=50, epochs=300, eval="every:3")
    real = dict(K=None, df=None, ds=None, a=None, b=None, sigma_s=None, s=0.1)
    return dropconnect_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(p=None, mask=None, eval="every:2"),
        dict(p=0.1, eval="jitter:35"),
        dict(p=0.5, eval="mixed:30:3"),
        dict(mask="batch", eval="geom:3"),
        dict(infer="mc", S=8, eval="every:4"),
        dict(p=0.5, infer="mc", S=8, eval="log:35"),
        dict(flip=None, eval="every:3"),
        dict(flip=0.4, eval="rand:90"),
        dict(h=12, eval="every:3"),
        dict(h=48, eval="mixlog:20:30"),
        dict(s=0.05, eval="every:4"),
        dict(s=0.4, eval="geom:4"),
        dict(opt="momentum", lr=0.05, eval="every:3"),
        dict(batch=None, lr=0.01, eval="every:3"),
        dict(n=250, eval="every:2"),
        dict(real, data="wine", n=100, eval="burst:30:5"),
        dict(real, data="cancer", n=300, eval="every:3"),
        dict(real, data="cancer", n=300, p=None, mask=None, eval="jitter:30"),
    ], lambda d: "%s%s-p%g%s%s-h%d-%s-lr%g-b%s" % (
        data_name(d), noise_name(d), d.get("p") or 0, "-" + d["mask"] if d.get("mask") else "",
        "-mc%d" % d["S"] if d.get("infer") == "mc" else "", d["h"], d["opt"], d["lr"], d.get("batch") or "full"))


# ---------------------------------------------------------------------------------------------------- batch-ramp


def batch_at(c, e, n):
    """The batch size of epoch e: b0 times factor^(the milestones passed), capped at n (None: the full set); constant
    b0 where the ramp is off."""
    b = c["b0"]
    if c["ramp"] == "batch":
        b = b * c["factor"] ** sum(1 for m in c["miles"] if e >= m)
    return None if b >= n else b


def lr_at(c, e):
    """The step of epoch e: lr, divided by factor at each milestone passed where the ramp is 'lr' (the contrast)."""
    if c["ramp"] == "lr":
        return c["lr"] / c["factor"] ** sum(1 for m in c["miles"] if e >= m)
    return c["lr"]


def batch_ramp(w, run_id, c):
    """Minibatch SGD whose batch size grows on a fixed schedule, float64: a ReLU MLP d -> h -> K, weights and biases
    U(+-1 / sqrt(fan-in)) from the run's generator; data class_data. Optimizer: SGD at a constant step lr (momentum
    mom: 0.9, or 0) on minibatches of batch_at(e) (a seeded permutation every epoch; the last minibatch of an epoch
    may be smaller), ramp 'batch': b0 times factor at each milestone epoch, up to the full set; ramp 'none': b0
    throughout; ramp 'lr' (contrast): b0 throughout and the step divided by factor at the milestones. Loss: the
    cross-entropy. Train loss: that of the noisy training labels; test loss: that of the clean test labels; error
    rates too."""
    g = torch.Generator().manual_seed(503_000 + c["seed"])
    x, y, xt, yt, K = class_data(g, c)
    params = mlp_params(g, [x.shape[1], c["h"], K])
    opt = torch.optim.SGD(params, lr=c["lr"], momentum=c["mom"])
    n = len(x)

    run = w.run(run_id, count(params), n,
                {"family": "batch-ramp-mlp", "width": c["h"], "inputs": x.shape[1], "classes": K},
                settings(c, ("seed",) + data_tags(c) + ("ramp", "b0", "factor", "miles", "h", "lr", "mom", "eval"))
                | {"optimizer": "sgd" if not c["mom"] else "momentum", "loss": "ce", "test_loss": "clean-ce",
                   "points_per_weight": "%.3g" % (n / count(params))},
                output_dim=K)

    def log(e, final):
        f, ft = mlp_forward(params, x), mlp_forward(params, xt)
        run.log(e, ce(f, y), ce(ft, yt), errors(f, y), errors(ft, yt), final=final)

    pts = eval_epochs(c["eval"], c["epochs"], c["seed"])
    e = 0
    for pt in pts:
        while e < pt:
            for group in opt.param_groups:
                group["lr"] = lr_at(c, e)
            for idx in batches(g, n, batch_at(c, e, n)):
                opt.zero_grad()
                ce(mlp_forward(params, take(x, idx)), take(y, idx)).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            log(e, final=e == pts[-1])


def runs_batch_ramp():
    # The logic: a ReLU MLP of 16 hidden units over 16 fast and 12 slow features of 4 synthetic classes (532 weights)
    # on 400 points, 20% of whose labels are flipped, can just fit its training set; momentum SGD at 0.05 on
    # minibatches of 10 is noisy enough early to learn the class means (fast and, at scale 0.15, slow) before it fits
    # the flips, and the batch doubling every 50 epochs (10, 20, ..., 320, then the full set from epoch 250) lowers
    # the gradient noise as a decaying step would, so the network settles into memorising the flips late or, with
    # the slow features learned, finds a lower test loss; 300 epochs. The grid moves one thing at a time: a constant
    # batch of 10, the step divided by 2 at the same epochs (the contrast Smith et al. compare with), a factor of 5
    # every 75 epochs, ramps from 5 and from 40, the flips (none, 40%), the width (8, 32), the slow scale (0.05, 0.4),
    # plain SGD (step 0.2), the step 0.02, 200 points, and wine and breast cancer (half the columns times 0.1).
    miles = (50, 100, 150, 200, 250)
    base = dict(data="synth", n=400, K=4, df=16, ds=12, a=0.8, b=0.5, s=0.15, sigma_s=0.3, flip=0.2, ramp="batch",
                b0=10, factor=2, miles=miles, h=16, lr=0.05, mom=0.9, epochs=300, eval="every:3")
    real = dict(K=None, df=None, ds=None, a=None, b=None, sigma_s=None, s=0.1)
    return batch_ramp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(ramp="none", eval="every:2"),
        dict(ramp="lr", eval="jitter:35"),
        dict(factor=5, miles=(75, 150, 225), eval="mixed:30:3"),
        dict(b0=5, eval="geom:3"),
        dict(b0=40, eval="every:4"),
        dict(flip=None, eval="log:35"),
        dict(flip=0.4, eval="every:3"),
        dict(h=8, eval="rand:90"),
        dict(h=32, eval="mixlog:20:30"),
        dict(s=0.05, eval="every:4"),
        dict(s=0.4, eval="geom:4"),
        dict(mom=0.0, lr=0.2, eval="every:3"),
        dict(lr=0.02, eval="every:3"),
        dict(n=200, eval="every:2"),
        dict(real, data="wine", n=100, b0=5, eval="burst:30:5"),
        dict(real, data="cancer", n=300, eval="every:3"),
        dict(real, data="cancer", n=300, ramp="none", eval="jitter:30"),
    ], lambda d: "%s%s-%s-b%d-x%d-h%d-lr%g-m%g" % (
        data_name(d), noise_name(d), d["ramp"], d["b0"], d["factor"], d["h"], d["lr"], d["mom"]))


FAMILIES = {"label-smooth": runs_label_smooth, "dropconnect-mlp": runs_dropconnect_mlp, "batch-ramp": runs_batch_ramp}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
