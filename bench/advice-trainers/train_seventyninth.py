#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, seventy-ninth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone), and made to differ from the families of train.py ... train_seventyeighth.py in
model, optimizer and data. The theme of the round is runs that are evaluated RARELY, as trainers do whose validation
set is large: only about 8 to 25 evaluations over a long budget (every 100th to 1,000th epoch or optimizer step, a few
log-spaced points, or random and geometric gaps of such a size), a few runs evaluated densely as a contrast:

- bigval-gd-mlp: a ReLU MLP (one hidden layer; two in 1 run) classifying a small training subset of scikit-learn's 8 x
  8 digits (breast cancer in 2 runs, wine in 1), every other image held out as the large validation set, trained
  FULL-BATCH for thousands of epochs by gradient descent with heavy-ball momentum (plain gradient descent in 1 run,
  Adam in 1), float32; half the inputs shrunk to a tenth in 2 runs. Noise: a share of the training labels flipped
  (Gaussian pixel noise on the training images in 1 run). Loss: the cross-entropy (the squared error on one-hot
  targets in 1 run; weight decay in 1). Train loss: the loss of the training points at their given labels; test loss:
  that of the held-out points with true labels; error rates: the misclassified shares.
- elman-rnn-stepeval: a hand-written Elman network (tanh recurrence, a linear readout of the last state) regressing a
  synthetic sequence target, a fast part read from the last two inputs and a slow part from the input 'lag' steps
  before the end (which the recurrence carries only once it has learnt to), trained by Adam (RMSprop in 1 run,
  momentum SGD with gradient-norm clipping in 1) on minibatches drawn at random at every step, evaluated every N
  OPTIMIZER STEPS with N large: here an event's epoch is the number of optimizer steps done (tag epoch_unit), float32.
  Noise: Gaussian target noise (Student-t in 1 run, noise on the training inputs in 1). Train loss: the mean squared
  error on the noisy training targets; test loss: that against the clean target of 2,000 fresh sequences; no error
  rates.
- rff-sqhinge-twoscale: two blocks of random Fourier features cos(x W + b), one of the fast input coordinates and one
  of the slow ones, the slow block's amplitude shrunk (its weights learnt late), on a synthetic problem (the label the
  sign of a random sum of sine waves of the fast coordinates plus one of the slow; scikit-learn's breast cancer and
  wine, their columns cut at random into the two blocks, in 1 run each), a linear readout from zero (one-vs-rest
  columns for the wine) trained on the squared hinge loss by full-batch gradient descent for tens of thousands of
  epochs (heavy-ball momentum in 1 run, minibatch SGD in 1, an L2 penalty in 1), float64. Noise: a share of the
  training labels flipped (Gaussian noise on the training inputs in 1 run). Train loss: the squared hinge at the given
  labels; test loss: that of 4,000 fresh points (the held-out patients or bottles) at their true labels; error rates:
  the misclassified shares.

A run whose loss turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves and real_classes from
train_thirtysixth.py, take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and
mlp from train_sixtyfifth.py, logger and train_until from train_seventyfourth.py, digit_split from train_seventyfifth.py,
target_noise from train_seventysixth.py (moved there after the curves were made, the same draws) and sines from
train_seventyeighth.py; one thread, every random draw from a seeded torch.Generator (splits, flips,
inputs, targets, noise, initialisations, random features, minibatches), synthetic event times, 6 significant digits.
No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_seventyninth.py --family bigval-gd-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): bigval-gd-mlp, elman-rnn-stepeval, rff-sqhinge-twoscale. Evaluation spacings: train.py's
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
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves, real_classes  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventyfifth import digit_split  # noqa: E402
from train_seventyeighth import sines  # noqa: E402  (a random sum of sine waves, float64)
from train_seventysixth import target_noise  # noqa: E402  (Gaussian or Student-t target noise)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- bigval-gd-mlp


def bigval_gd_mlp(w, run_id, c):
    """A ReLU MLP trained full-batch, float32. Data (from the run's generator): 'digits' digit_split (n training images,
    every other of the 1,797 held out; where shrink is set the right half of every image, pixel columns 4-7, times
    shrink); 'cancer' or 'wine' real_classes (n training points, the rest held out, standardised; a random half of the
    columns times shrink where set); a share flip of the training labels flipped; Gaussian noise of sd pix on the
    training inputs where set. Model: d -> hid (x depth, ReLU) -> K, U(+-1 / sqrt(fan-in)) from the run's generator.
    Loss: 'ce' the cross-entropy, 'mse' the squared error on one-hot targets (summed over the classes, averaged over
    the points). Optimizer: 'gd' torch.optim.SGD on the whole training set at the step lr with heavy-ball momentum mom
    (0: plain gradient descent) and weight decay wd, or 'adam' (full-batch Adam at lr); one step an epoch. Train loss:
    the loss of the training points at their given labels; test loss: that of the held-out points, true labels; error
    rates: the misclassified shares. A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(791_000 + c["seed"])
    if c["data"] == "digits":
        x, y, xt, yt = digit_split(g, c["n"], 1797)
        K = 10
        if c.get("shrink"):  # the right half of every image (pixel columns 4-7) times shrink
            keep = torch.ones(8, 8)
            keep[:, 4:] = c["shrink"]
            x, xt = x * keep.reshape(-1), xt * keep.reshape(-1)
    else:
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], c.get("shrink") or 1.0, F32)
    n, d = x.shape
    yn = flip_labels(g, y, K, c.get("flip"))
    if c.get("pix"):
        x = x + c["pix"] * torch.randn(x.shape, generator=g)
    params = mlp_params(g, [d] + [c["hid"]] * c["depth"] + [K], F32)
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0, weight_decay=c.get("wd") or 0.0)

    def loss(o, t):
        if c["loss"] == "mse":
            return ((o - fn.one_hot(t, K).to(o.dtype)) ** 2).sum(1).mean()
        return fn.cross_entropy(o, t)

    def step(idx):
        opt.zero_grad()
        loss(mlp(params, x, torch.relu), yn).backward()
        opt.step()

    opt_name = "adam" if c["opt"] == "adam" else "heavy-ball" if c.get("mom") else "gd"
    run = w.run(run_id, count(params), n, {"family": "mlp", "hidden": c["hid"], "depth": c["depth"],
                                           "activation": "relu"},
                settings(c, ("seed", "data", "n", "flip", "pix", "shrink", "hid", "depth", "loss", "opt", "lr", "mom",
                             "wd", "eval"))
                | {"optimizer": opt_name, "full_batch": "true",
                   "loss": "cross-entropy" if c["loss"] == "ce" else "mse-onehot",
                   "test_loss": "heldout-rest-true-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=K)
    log_ = logger(run)

    def log(e, final):
        o, ot = mlp(params, x, torch.relu), mlp(params, xt, torch.relu)
        log_(e, loss(o, yn), loss(ot, yt), (o.argmax(1) != yn).float().mean(), (ot.argmax(1) != yt).float().mean(),
             final=final)

    train_until(g, n, c, step, log)


def runs_bigval_gd_mlp():
    # The logic: 300 digits, 20% of their labels flipped, every other of the 1,797 images (1,497) held out as the
    # validation set; a ReLU MLP 64 -> 256 -> 10 (19,210 weights, some 64 a label: it can fit every flip) trained on the
    # whole training set by gradient descent with heavy-ball momentum 0.9 at the step 0.01 on the cross-entropy, 3,000
    # epochs: the clean part is fitted over the first several hundred epochs, the flips over the next thousands, the
    # held-out loss rising as they are; evaluated every 150th epoch (21 evaluations). One thing at a time besides, each
    # with an evaluation spacing of its own (mostly 9-25 evaluations, 2 runs dense as a contrast): plain gradient
    # descent at 0.1, Adam at 0.0003, the step 0.003 and 0.05, the squared error on one-hot targets, weight decay 1e-3,
    # width 64 and 512, two hidden layers, clean and 40% flipped labels, pixel noise 0.3 on the training images, the
    # right half of every image shrunk to a tenth (features at a second, slower scale), 150 and 600 digits, 8,000
    # epochs, breast cancer (150 patients; and with half its columns shrunk to a tenth) and wine (100 bottles).
    # (Before this grid was committed, probes on seed 97 of a first base at the step 0.05 found the held-out loss at
    # its lowest by the first evaluation at epoch 150 and rising to the end; 6 probe runs moved the base to 0.01, then
    # the grid's 21 runs on seed 97: 0 winning, 17 nothing better, 4 no bump; unchanged after them.)
    base = dict(data="digits", n=300, flip=0.2, pix=None, shrink=None, hid=256, depth=1, loss="ce", opt="gd", lr=0.01,
                mom=0.9, wd=None, epochs=3000, eval="every:150")
    return bigval_gd_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(mom=None, lr=0.1, eval="log:4"),
        dict(opt="adam", lr=0.0003, mom=None, eval="every:200"),
        dict(lr=0.003, eval="geom:150"),
        dict(lr=0.05, eval="every:300"),
        dict(loss="mse", eval="log:5"),
        dict(wd=1e-3, eval="every:100"),
        dict(hid=64, eval="rand:15"),
        dict(hid=512, eval="every:250"),
        dict(depth=2, eval="jitter:4"),
        dict(flip=None, eval="every:200"),
        dict(flip=0.4, eval="log:3"),
        dict(pix=0.3, eval="every:150"),
        dict(shrink=0.1, eval="every:120"),
        dict(n=150, eval="every:10"),
        dict(n=600, eval="geom:200"),
        dict(epochs=8000, eval="every:400"),
        dict(data="cancer", n=150, eval="log:4"),
        dict(data="cancer", n=150, shrink=0.1, eval="every:5"),
        dict(data="wine", n=100, eval="mixlog:10:4"),
    ], lambda d: "%s-n%d%s%s%s-relu%dx%d-%s-%s-lr%g%s-e%d" % (
        d["data"], d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", "-pix%g" % d["pix"] if d.get("pix")
        else "", "-shrink%g" % d["shrink"] if d.get("shrink") else "", d["depth"], d["hid"], d["loss"],
        d["opt"] + ("-mom%g" % d["mom"] if d.get("mom") else ""), d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "",
        d["epochs"]))


# --------------------------------------------------------------------------------------------------- elman-rnn-stepeval


def sequence_data(g, c):
    """(u, noisy training targets, ut, clean test targets), float32, from g: n training and 2,000 test sequences of L
    steps of din inputs N(0, 1); the target sqrt(F) a(u_{L-1}, u_L) + sqrt(S) b(u_{L-lag}), a (of the last two steps'
    inputs) and b (of the input lag steps before the last) random sums of J sine waves (sines), each centred and
    standardised over the test sequences; the training targets plus sd N(0, 1) (a Student-t of df degrees of
    freedom scaled to sd where set); where inoise is set the training INPUTS then get Gaussian noise of that sd (the
    targets from the clean inputs)."""
    L, din, lag = c["L"], c["din"], c["lag"]
    a, b = sines(g, 2 * din, c["J"]), sines(g, din, c["J"])
    u = torch.randn(c["n"], L, din, generator=g, dtype=F64)
    ut = torch.randn(2000, L, din, generator=g, dtype=F64)

    def parts(z):
        return a(z[:, L - 2:, :].reshape(len(z), -1)), b(z[:, L - 1 - lag, :])
    fa, fb = parts(ut)
    ma, mb, sa, sb = float(fa.mean()), float(fb.mean()), float(fa.std()), float(fb.std())

    def f(z):
        pa, pb = parts(z)
        return math.sqrt(c["F"]) * (pa - ma) / sa + math.sqrt(c["S"]) * (pb - mb) / sb
    y, yt = f(u), f(ut)
    y = target_noise(g, c, y)
    if c.get("inoise"):
        u = u + c["inoise"] * torch.randn(u.shape, generator=g, dtype=F64)
    return u.to(F32), y.to(F32), ut.to(F32), yt.to(F32)


def elman_rnn_stepeval(w, run_id, c):
    """A hand-written Elman network on sequence regression, float32. Data (from the run's generator): sequence_data.
    Model: h_0 = 0, h_t = tanh(u_t W_in + h_{t-1} W_hh + b) over the L steps, the output h_L v + c0; every weight U(+-1
    / sqrt(hid)) (torch.nn.RNN's default) from the run's generator, W_hh times gain. Loss: the mean squared error.
    Optimizer: Adam at lr (betas 0.9, 0.999), 'rmsprop' (alpha 0.99) or 'sgd' (momentum 0.9, the gradient's norm
    clipped to clip) on a minibatch of mb sequences drawn at random (without repeats) from the run's generator at every
    step. An event's epoch is the number of optimizer steps done (one 'epoch' a step), so 'every:150' evaluates every
    150th step. Train loss: the mean squared error on the noisy training targets (noisy training inputs where set);
    test loss: that against the clean targets of the test sequences; no error rates. A NaN or infinite loss ends the
    run."""
    g = torch.Generator().manual_seed(792_000 + c["seed"])
    u, y, ut, yt = sequence_data(g, c)
    n, L, din = u.shape
    h = c["hid"]
    params = leaves([uniform(g, h, din, h), uniform(g, h, h, h) * (c.get("gain") or 1.0), uniform(g, h, h),
                     uniform(g, h, h, 1), uniform(g, h, 1)])

    def forward(z):
        s = torch.zeros(len(z), h)
        for t in range(L):
            s = torch.tanh(z[:, t] @ params[0] + s @ params[1] + params[2])
        return (s @ params[3] + params[4]).squeeze(1)

    if c["opt"] == "rmsprop":
        opt = torch.optim.RMSprop(params, lr=c["lr"], alpha=0.99)
    elif c["opt"] == "sgd":
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9)
    else:
        opt = torch.optim.Adam(params, lr=c["lr"])

    def step(idx):
        pick = torch.randperm(n, generator=g)[:c["mb"]]
        opt.zero_grad()
        ((forward(u[pick]) - y[pick]) ** 2).mean().backward()
        if c.get("clip"):
            torch.nn.utils.clip_grad_norm_(params, c["clip"])
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "elman-rnn", "hidden": h, "steps": L, "activation": "tanh",
                                           "readout": "last-state"},
                settings(c, ("seed", "n", "L", "din", "lag", "F", "S", "J", "sd", "df", "inoise", "hid", "gain", "opt",
                             "lr", "mb", "clip", "eval"))
                | {"optimizer": c["opt"] + ("-clip" if c.get("clip") else ""), "epoch_unit": "optimizer-step",
                   "loss": "mse", "test_loss": "mse-clean-target", "test_size": str(len(yt))})
    log_ = logger(run)

    def log(e, final):
        log_(e, ((forward(u) - y) ** 2).mean(), ((forward(ut) - yt) ** 2).mean(), final=final)

    train_until(g, n, c, step, log)


def runs_elman_rnn_stepeval():
    # The logic: 500 training sequences of 8 steps of one Gaussian input; the target a fast part (power 1) read from the
    # last two steps and a slow part (power 1) from the input 6 steps before the last, Gaussian target noise of sd 0.5;
    # an Elman network of 24 tanh units (649 weights) under Adam at 0.002 on minibatches of 20 drawn at every step,
    # 5,000 steps: the fast part is fitted within a few hundred steps, the slow part only as the recurrence learns to
    # carry the early input over 6 steps, and the noise meanwhile, the held-out error rising as it is fitted; evaluated
    # every 250th step (21 evaluations). One thing at a time besides, each with a spacing of its own (mostly 9-25
    # evaluations, 2 runs dense as a contrast): the lag 3 and 7, no slow part, no fast part, noise sd 0.2 and 1,
    # Student-t noise (3 degrees of freedom), input noise 0.3 on the training sequences, 250 and 1,000 sequences, 12
    # and 64 units, the recurrent weights at gain 2, RMSprop at 0.001, momentum SGD at 0.02 with the gradient's norm
    # clipped to 1, Adam at 0.0007 and 0.006, minibatches of 50, 8,000 steps. (Before this grid was committed, probes on
    # seed 97 of a first base, 200 sequences of 12 steps of 2 inputs, the lag 10, 32 units, Adam at 0.003, found the
    # slow part not learnt before the noise was fitted (the held-out error near the target's variance); 15 probe runs
    # led to one input, 8 steps, the lag 6, 500 sequences, 24 units and the step 0.002, and the target's parts were
    # centred; then the grid's 21 runs on seed 97 (5 winning, 12 nothing better, 4 no bump; 74 CPU s), after which the
    # 10,000 steps became 8,000 for time.)
    base = dict(n=500, L=8, din=1, lag=6, F=1.0, S=1.0, J=6, sd=0.5, df=None, inoise=None, hid=24, gain=None,
                opt="adam", lr=0.002, mb=20, clip=None, epochs=5000, eval="every:250")
    return elman_rnn_stepeval, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(lag=3, eval="every:200"),
        dict(lag=7, eval="geom:300"),
        dict(S=0.0, eval="log:4"),
        dict(F=0.0, eval="every:400"),
        dict(sd=0.2, eval="every:250"),
        dict(sd=1.0, eval="geom:250"),
        dict(df=3.0, eval="every:500"),
        dict(inoise=0.3, eval="rand:15"),
        dict(n=250, eval="every:250"),
        dict(n=1000, eval="log:5"),
        dict(hid=12, eval="every:200"),
        dict(hid=64, eval="every:10"),
        dict(gain=2.0, eval="jitter:4"),
        dict(opt="rmsprop", lr=0.001, eval="every:300"),
        dict(opt="sgd", lr=0.02, clip=1.0, eval="every:250"),
        dict(lr=0.0007, eval="every:400"),
        dict(lr=0.006, eval="every:20"),
        dict(mb=50, eval="log:3"),
        dict(epochs=8000, eval="every:400"),
    ], lambda d: "L%d-lag%d-n%d-F%g-S%g%s%s%s-rnn%d%s-%s-lr%g%s-mb%d-steps%d" % (
        d["L"], d["lag"], d["n"], d["F"], d["S"], "-sd%g" % d["sd"] if d.get("sd") else "",
        "-t%g" % d["df"] if d.get("df") else "", "-inoise%g" % d["inoise"] if d.get("inoise") else "", d["hid"],
        "-gain%g" % d["gain"] if d.get("gain") else "", d["opt"], d["lr"], "-clip%g" % d["clip"] if d.get("clip")
        else "", d["mb"], d["epochs"]))


# ------------------------------------------------------------------------------------------------- rff-sqhinge-twoscale


def split_classes(g, c):
    """(x_fast, x_slow, y, xt_fast, xt_slow, yt, K) from g, float64. 'synth': inputs N(0, I) of df fast and ds slow
    coordinates; the label 1 where sqrt(F) a(fast) + sqrt(S) b(slow) > 0, else 0 (a and b random sums of J sine waves,
    sines, each centred and standardised over the test points); n training and 4,000 fresh test points. 'cancer' or
    'wine': real_classes (n training points, the rest held out, standardised), its columns cut at random into a fast
    half and a slow half."""
    if c["data"] != "synth":
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], 1.0, F64)
        cols = torch.randperm(x.shape[1], generator=g)
        fast, slow = cols[:x.shape[1] // 2], cols[x.shape[1] // 2:]
        return x[:, fast], x[:, slow], y, xt[:, fast], xt[:, slow], yt, K
    df, ds = c["df"], c["ds"]
    a, b = sines(g, df, c["J"]), sines(g, ds, c["J"])
    z = torch.randn(c["n"], df + ds, generator=g, dtype=F64)
    zt = torch.randn(4000, df + ds, generator=g, dtype=F64)
    fa, fb = a(zt[:, :df]), b(zt[:, df:])
    ma, mb, sa, sb = float(fa.mean()), float(fb.mean()), float(fa.std()), float(fb.std())

    def label(v):
        return (math.sqrt(c["F"]) * (a(v[:, :df]) - ma) / sa + math.sqrt(c["S"]) * (b(v[:, df:]) - mb) / sb > 0).long()
    return z[:, :df], z[:, df:], label(z), zt[:, :df], zt[:, df:], label(zt), 2


def rff_block(g, d, N, h):
    """N random Fourier features sqrt(2 / N) cos(x W + b) of d inputs, W N(0, I / (h^2 d)), b uniform in [0, 2 pi),
    drawn from g, as a function."""
    W = torch.randn(d, N, generator=g, dtype=F64) / (h * math.sqrt(d))
    bias = 2 * math.pi * torch.rand(N, generator=g, dtype=F64)
    return lambda z: math.sqrt(2 / N) * torch.cos(z @ W + bias)


def rff_sqhinge_twoscale(w, run_id, c):
    """Two blocks of random Fourier features under a linear readout on the squared hinge loss, float64. Data (from the
    run's generator): split_classes; a share flip of the training labels flipped; Gaussian noise of sd inoise on the
    training inputs where set. Features: rff_block of the fast inputs, Nf = round(ratio n) of them, and rff_block of the
    slow inputs, Ns = round(slow_ratio n) of them, the slow block times s (so gradient descent moves its weights s^2 as
    fast: the slow part of the label is learnt late), bandwidth h, from the run's generator. Readout: a from zero, one
    column of +-1 targets for two classes (the score's sign the class), one-vs-rest columns for more (the largest score
    the class). Loss: the mean over the points of the sum over the columns of max(0, 1 - t f)^2, plus wd / 2 |a|^2 where
    set. Optimizer: gradient descent on the whole set at lr over twice the largest eigenvalue of the features' Gram
    matrix / n (the loss's largest curvature), heavy-ball momentum mom where set, or minibatch SGD ('batch' points a
    step, a seeded permutation an epoch). Train loss: the squared hinge at the given labels (without the penalty); test
    loss: that of the test points at their true labels; error rates: the misclassified shares. A NaN or infinite loss
    ends the run."""
    g = torch.Generator().manual_seed(793_000 + c["seed"])
    xf, xs, y, xtf, xts, yt, K = split_classes(g, c)
    n = len(y)
    yn = flip_labels(g, y, K, c.get("flip"))
    if c.get("inoise"):
        xf = xf + c["inoise"] * torch.randn(xf.shape, generator=g, dtype=F64)
        xs = xs + c["inoise"] * torch.randn(xs.shape, generator=g, dtype=F64)
    Nf, Ns = int(round(c["ratio"] * n)), int(round(c["slow_ratio"] * n))
    ff, fs = rff_block(g, xf.shape[1], Nf, c["h"]), rff_block(g, xs.shape[1], Ns, c["h"])
    phi = torch.cat([ff(xf), c["s"] * fs(xs)], 1)
    phit = torch.cat([ff(xtf), c["s"] * fs(xts)], 1)
    N = Nf + Ns
    cols = 1 if K == 2 else K

    def targets(lab):
        return (2 * lab - 1).to(F64)[:, None] if K == 2 else 2 * fn.one_hot(lab, K).to(F64) - 1
    T, Tt = targets(yn), targets(yt)
    a, vel = torch.zeros(N, cols, dtype=F64), torch.zeros(N, cols, dtype=F64)
    top = torch.linalg.eigvalsh(phi.T @ phi / n)[-1].item()
    lr = c["lr"] / (2 * top)
    wd, mom = c.get("wd") or 0.0, c.get("mom") or 0.0

    def sqhinge(f, t):
        return (torch.relu(1 - t * f) ** 2).sum(1).mean()

    def step(idx):
        p, t = take(phi, idx), take(T, idx)
        grad = -2 * p.T @ (t * torch.relu(1 - t * (p @ a))) / len(p) + wd * a
        vel.mul_(mom).add_(grad)
        a.sub_(lr * vel)

    def errors(f, lab):
        pred = (f[:, 0] > 0).long() if K == 2 else f.argmax(1)
        return (pred != lab).double().mean()

    run = w.run(run_id, N * cols, n, {"family": "random-fourier-features", "fast_features": Nf, "slow_features": Ns,
                                      "data": c["data"]},
                settings(c, ("seed", "data", "n", "df", "ds", "F", "S", "J", "flip", "inoise", "ratio", "slow_ratio",
                             "s", "h", "lr", "mom", "wd", "batch", "eval"))
                | {"optimizer": "sgd" if c.get("batch") else "heavy-ball" if mom else "gd",
                   "full_batch": "false" if c.get("batch") else "true", "loss": "squared-hinge" + ("-l2" if wd else ""),
                   "test_loss": "squared-hinge-true-labels", "error": "misclassified", "test_size": str(len(yt)),
                   "width_ratio": "%.3g" % (N / n)}, output_dim=K)
    log_ = logger(run)

    def log(e, final):
        f, ft = phi @ a, phit @ a
        log_(e, sqhinge(f, T), sqhinge(ft, Tt), errors(f, yn), errors(ft, yt), final=final)

    train_until(g, n, c, step, log)


def runs_rff_sqhinge_twoscale():
    # The logic: 300 points of 3 fast and 2 slow Gaussian coordinates, the label the sign of a sum of sines of the fast
    # ones (power 1) plus one of the slow ones (power 1), 15% of the training labels flipped, 4,000 fresh test points;
    # 150 random Fourier features of the fast coordinates and 90 of the slow ones (bandwidth 0.5 relative to the square
    # root of their dimension), the slow block times 0.3 (its weights move a tenth as fast), a linear readout from zero
    # under full-batch gradient descent at the step 1 / (2 x top eigenvalue) on the squared hinge, 20,000 epochs: the
    # fast block fits its part of the label and then the flips, the slow block its part only later, while the
    # confident mistakes on the flips grow; evaluated at about 4 log-spaced points a decade (19 evaluations). One thing
    # at a time besides, each with a spacing of its own (mostly 9-25 evaluations, 2 runs dense as a contrast): the slow
    # block at 0.1 and at 1 (one scale), no slow part in the label, the fast block of 75 and 300 features, a slow block
    # of 300, the bandwidth 1 and 2, clean and 30% flipped labels, input noise 0.3 on the training points, 150 and
    # 600 points, heavy-ball momentum 0.9, minibatch SGD (minibatches of 20), an L2 penalty 1e-3, 60,000 epochs,
    # breast cancer (200 patients, its columns cut at random into the two blocks) and wine (100 bottles, one-vs-rest).
    # (Before this grid was committed, probes on seed 97 of a first design, one block of features of inputs whose slow
    # coordinates were shrunk (6 fast and 4 slow ones), found the labels' sines uncentred (nearly one class) and, once
    # centred, little learnt (8 probe runs); the two blocks, 3 + 2 coordinates and the bandwidth 0.5 came after 9
    # more, then the grid's 21 runs on seed 97 (0 winning, 20 nothing better, 1 no bump), after which the bandwidth
    # 0.25, whose held-out loss never fell below its start, became 2.)
    base = dict(data="synth", n=300, df=3, ds=2, F=1.0, S=1.0, J=4, flip=0.15, inoise=None, ratio=0.5, slow_ratio=0.3,
                s=0.3, h=0.5, lr=1.0, mom=None, wd=None, batch=None, epochs=20000, eval="log:4")
    return rff_sqhinge_twoscale, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(s=0.1, eval="every:1000"),
        dict(s=1.0, eval="log:5"),
        dict(S=0.0, eval="geom:1000"),
        dict(ratio=0.25, eval="log:4"),
        dict(ratio=1.0, eval="every:2000"),
        dict(slow_ratio=1.0, eval="rand:15"),
        dict(h=1.0, eval="log:3"),
        dict(h=2.0, eval="every:1250"),
        dict(flip=None, eval="every:1000"),
        dict(flip=0.3, eval="jitter:4"),
        dict(inoise=0.3, eval="log:4"),
        dict(n=150, eval="every:50"),
        dict(n=600, eval="geom:1500"),
        dict(mom=0.9, eval="log:5"),
        dict(batch=20, epochs=2000, eval="every:100"),
        dict(wd=1e-3, eval="every:2500"),
        dict(epochs=60000, eval="log:3"),
        dict(data="cancer", n=200, df=None, ds=None, F=None, S=None, J=None, eval="log:4"),
        dict(data="wine", n=100, df=None, ds=None, F=None, S=None, J=None, eval="every:40"),
    ], lambda d: "%s-n%d%s%s%s-rff%g+%g-s%g-h%g-%s-e%d" % (
        d["data"], d["n"], "-F%g-S%g" % (d["F"], d["S"]) if d["data"] == "synth" else "",
        "-flip%g" % d["flip"] if d.get("flip") else "-clean", "-inoise%g" % d["inoise"] if d.get("inoise") else "",
        d["ratio"], d["slow_ratio"], d["s"], d["h"],
        ("sgd-b%d" % d["batch"] if d.get("batch") else "heavy-ball%g" % d["mom"] if d.get("mom") else "gd")
        + ("-wd%g" % d["wd"] if d.get("wd") else ""), d["epochs"]))


FAMILIES = {"bigval-gd-mlp": runs_bigval_gd_mlp, "elman-rnn-stepeval": runs_elman_rnn_stepeval,
            "rff-sqhinge-twoscale": runs_rff_sqhinge_twoscale}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
