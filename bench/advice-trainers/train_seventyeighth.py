#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, seventy-eighth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone), and made to differ from the families of train.py ... train_seventysixth.py (among
them train_more.py's schedules, per-epoch schedules on a linear model, train_twentythird.py's sgdr-convnet, warm
restarts, and train_fiftyfirst.py's warmup-cosine-cnn and onecycle-mlp) in model, schedule and data. The theme of the
round is the learning-rate schedules that modern trainers use and that are tied to the run's budget, set before
every minibatch step from the step count t and the run's planned number of steps T (epochs x minibatches an epoch):

- wsd-cooldown-mlp: warmup-stable-decay (the 'trapezoidal' schedule of recent language-model training, Zhai et al.
  2022, Hu et al. 2024, Hägele et al. 2024): a linear warm-up over the first share of the steps, the peak step held
  constant, and a short cool-down to zero over the last share of the steps (linear, cosine or 1 - sqrt), on a ReLU
  MLP classifying scikit-learn's 8 x 8 digits (breast cancer and wine in 1 run each) under AdamW (betas 0.9, 0.95) on
  minibatches (momentum SGD in 1 run), float32. Noise: a share of the training labels flipped. Loss: the
  cross-entropy. Train loss: that of the training points at their given labels; test loss: that of held-out points
  with true labels; error rates: the misclassified shares.
- rsqrt-kernel-sgd: the inverse-square-root schedule with a linear warm-up (Vaswani et al. 2017: the step rising
  linearly for W steps, then peak x sqrt(W / t)); with a linear cool-down to zero over the last share of the steps
  (Zhai et al. 2022's 'rsqrt with cooldown') in part of the grid, a constant step in 1 run; on kernel regression
  trained in the dual (f(x) = sum_i alpha_i k(x_i, x), a Gaussian or Laplace kernel) by functional minibatch SGD on
  the squared error, float64. Data: synthetic inputs with fast coordinates and slow ones (of a small scale, which the
  kernel resolves late) under a random sum-of-sines target; Friedman's first function (written out) and scikit-learn's
  diabetes in 1 run each. Noise: Gaussian target noise. Train loss: the mean squared error on the noisy training
  targets; test loss: that against the clean targets of 2,000 fresh points (the held-out patients' standardised
  progression on the diabetes); no error rates.
- poly-d2z-convnet: polynomial decay of the step to zero at the run's last step (after a short linear warm-up):
  peak x (1 - u)^p, u the share of the post-warm-up steps done; p 1 is the linear decay-to-zero now recommended over
  cosine (Defazio et al. 2023, Bergsma et al. 2025), p 2, 3 and 0.5 too, and a floor (the decay ending at a tenth of
  the peak) in 1 run; the one-cycle policy (train_fiftyfirst.py's one_cycle, the momentum cycled) and a constant
  step in 1 run each as contrasts; on a small all-convolutional network (3 x 3 convolution, ReLU, a strided 3 x 3
  convolution, ReLU, a linear readout) classifying the digits under momentum SGD (Nesterov in 1 run, Adam in 1) with
  weight decay, float32. Noise: a share of the training labels flipped (Gaussian pixel noise on the training images
  in 1 run). Loss: the cross-entropy. Train loss: that of the training images at their given labels; test loss: that
  of held-out images with true labels; error rates: the misclassified shares.

A run whose loss turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, batches from train_twentyfirst.py, uniform from
train_thirtysecond.py, leaves and real_classes from train_thirtysixth.py, take and flip_labels from
train_thirtyninth.py, count from train_fortyeighth.py, one_cycle from train_fiftyfirst.py, mlp_params and mlp from
train_sixtyfifth.py, logger and train_until from train_seventyfourth.py, digit_split from train_seventyfifth.py and
digit_images from train_seventysixth.py; one thread, every random draw from a seeded torch.Generator (splits, flips,
inputs, targets, noise, initialisations, minibatches), synthetic event times, 6 significant digits. No planned last
epoch is told: the last event's final marks it.

    /usr/bin/python3 train_seventyeighth.py --family wsd-cooldown-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): wsd-cooldown-mlp, rsqrt-kernel-sgd, poly-d2z-convnet. Evaluation spacings: train.py's
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
from train_twentyfirst import batches  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves, real_classes  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_fiftyfirst import one_cycle  # noqa: E402  (the one-cycle step and momentum, written out)
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventyfifth import digit_split  # noqa: E402
from train_seventysixth import digit_images  # noqa: E402

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


def planned_steps(n, c):
    """T: the run's planned steps, epochs x minibatches an epoch (batches' count; 1 for the whole set)."""
    return c["epochs"] * len(batches(torch.Generator().manual_seed(0), n, c.get("batch")))


# ---------------------------------------------------------------------------------------------------- wsd-cooldown-mlp


def wsd_factor(c, t, T):
    """The step's multiplier before step t (0-based) of T under warmup-stable-decay: (t + 1) / W over the first W =
    round(warm T) steps, 1 until the last D = round(cool T) steps, then over those, u = (t - (T - D) + 1) / D running
    up to 1 at the last step, 'linear' 1 - u, 'cosine' (1 + cos(pi u)) / 2 or '1-sqrt' 1 - sqrt(u) (Hägele et al.
    2024); cool 0 (or unset) keeps the peak to the end (the constant contrast)."""
    W = int(round((c.get("warm") or 0.0) * T))
    D = int(round((c.get("cool") or 0.0) * T))
    if t < W:
        return (t + 1) / W
    if D == 0 or t < T - D:
        return 1.0
    u = min(1.0, (t - (T - D) + 1) / D)
    if c["shape"] == "cosine":
        return 0.5 * (1 + math.cos(math.pi * u))
    if c["shape"] == "1-sqrt":
        return 1 - math.sqrt(u)
    return 1 - u


def wsd_cooldown_mlp(w, run_id, c):
    """A ReLU MLP under warmup-stable-decay, float32. Data (from the run's generator): 'digits' digit_split (n training
    images, 'test' held out); 'cancer' or 'wine' real_classes (n training points, the rest held out, standardised);
    a share flip of the training labels flipped. Model: d -> hid (x depth, ReLU) -> K, U(+-1 / sqrt(fan-in)) from the
    run's generator. Optimizer: AdamW (betas 0.9, 0.95, decoupled weight decay wd) or momentum SGD ('sgd', 0.9, weight
    decay wd) on minibatches of batch, the step set before every minibatch to lr x wsd_factor over the run's planned
    steps. Loss: the cross-entropy. Train loss: that of the training points at their given labels; test loss: that of
    the held-out points, true labels; error rates: the misclassified shares. A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(781_000 + c["seed"])
    if c["data"] == "digits":
        x, y, xt, yt = digit_split(g, c["n"], c["test"])
        K = 10
    else:
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], 1.0, F32)
    n, d = x.shape
    yn = flip_labels(g, y, K, c.get("flip"))
    params = mlp_params(g, [d] + [c["hid"]] * c["depth"] + [K], F32)
    if c["opt"] == "sgd":
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9, weight_decay=c.get("wd") or 0.0)
    else:
        opt = torch.optim.AdamW(params, lr=c["lr"], betas=(0.9, 0.95), weight_decay=c.get("wd") or 0.0)
    T = planned_steps(n, c)
    t = [0]

    def step(idx):
        for group in opt.param_groups:
            group["lr"] = c["lr"] * wsd_factor(c, t[0], T)
        opt.zero_grad()
        fn.cross_entropy(mlp(params, take(x, idx), torch.relu), take(yn, idx)).backward()
        opt.step()
        t[0] += 1

    run = w.run(run_id, count(params), n, {"family": "mlp", "hidden": c["hid"], "depth": c["depth"],
                                           "activation": "relu"},
                settings(c, ("seed", "data", "n", "flip", "hid", "depth", "opt", "lr", "wd", "warm", "cool", "shape",
                             "batch", "eval"))
                | {"optimizer": c["opt"] if c["opt"] == "sgd" else "adamw", "schedule": "warmup-stable-decay"
                   if c.get("cool") else "warmup-constant", "step_unit": "minibatch", "loss": "cross-entropy",
                   "test_loss": "heldout-ce-true-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=K)
    log_ = logger(run)

    def log(e, final):
        o, ot = mlp(params, x, torch.relu), mlp(params, xt, torch.relu)
        log_(e, fn.cross_entropy(o, yn), fn.cross_entropy(ot, yt), (o.argmax(1) != yn).float().mean(),
             (ot.argmax(1) != yt).float().mean(), final=final)

    train_until(g, n, c, step, log)


def runs_wsd_cooldown_mlp():
    # The logic: 1,000 digits, 20% of their labels flipped, a ReLU MLP 64 -> 64 -> 10 (4,810 weights, about five a
    # label, so it can fit many of the flips) under AdamW at a peak step 0.01 (betas 0.9, 0.95, weight decay 0.01) on
    # minibatches of 50, 60 epochs (1,200 steps): a warm-up over the first 5% of the steps, the peak held, and a
    # linear cool-down to zero over the last 20%. At the peak the minibatch noise keeps the network from settling on
    # the flipped labels and the held-out loss wanders; the cool-down removes that noise, which can fit the flips (the
    # held-out cross-entropy rising late) or settle the clean part (falling late). One thing at a time besides: a
    # cool-down over the last 10% and 50%, none (the constant contrast), the cosine and 1 - sqrt shapes, the peak
    # 0.003 and 0.03, no warm-up, clean and 40% flipped labels, width 16 and 512, two hidden layers, momentum SGD
    # (0.9 at 0.05), minibatches of 20, budgets of 25 and 150 epochs, 400 digits, breast cancer (200 patients) and
    # wine (100 bottles). Evaluation spacing mixed. (Before this grid was committed, probes on seed 97 of a first
    # base, 500 digits, width 256, peak 0.003, found nearly every run past its best by the cool-down; the base was
    # moved to more digits, a narrower network and a larger peak.)
    base = dict(data="digits", n=1000, test=600, flip=0.2, hid=64, depth=1, opt="adamw", lr=0.01, wd=0.01,
                warm=0.05, cool=0.2, shape="linear", batch=50, epochs=60, eval="every")
    return wsd_cooldown_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(cool=0.1, eval="every"),
        dict(cool=0.5, eval="every:2"),
        dict(cool=None, shape=None, eval="every"),
        dict(shape="cosine", eval="jitter:30"),
        dict(shape="1-sqrt", eval="every"),
        dict(lr=0.003, eval="every:2"),
        dict(lr=0.03, eval="every"),
        dict(warm=None, eval="geom:2"),
        dict(flip=None, eval="every"),
        dict(flip=0.4, eval="mixed:20:2"),
        dict(hid=16, eval="every"),
        dict(hid=512, eval="every:3"),
        dict(depth=2, eval="every"),
        dict(opt="sgd", lr=0.05, wd=0.0005, eval="log:30"),
        dict(batch=20, eval="every:2"),
        dict(epochs=25, eval="every"),
        dict(epochs=150, eval="burst:15:5"),
        dict(n=400, eval="mixlog:20:30"),
        dict(data="cancer", n=200, test=None, hid=64, eval="every"),
        dict(data="wine", n=100, test=None, hid=64, batch=20, eval="rand:40"),
    ], lambda d: "%s-n%d%s-relu%dx%d-%s-lr%g-wd%g-%s-b%d-e%d" % (
        d["data"], d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", d["depth"], d["hid"], d["opt"],
        d["lr"], d["wd"], ("warm%g-" % d["warm"] if d.get("warm") else "nowarm-")
        + ("cool%g-%s" % (d["cool"], d["shape"]) if d.get("cool") else "const"), d["batch"], d["epochs"]))


# ---------------------------------------------------------------------------------------------------- rsqrt-kernel-sgd


def rsqrt_factor(c, t, T):
    """The step's multiplier before step t (0-based) of T: 'rsqrt' (t + 1) / W for t < W, then sqrt(W / (t + 1))
    (Vaswani et al. 2017; without a warm-up, W 0, 1 / sqrt(1 + t / tau)); 'rsqrt-cool' the same, then a linear
    cool-down from its value at T - D to zero at the last step, D = round(cool T) (Zhai et al. 2022); 'const' 1."""
    if c["sched"] == "const":
        return 1.0
    W = c.get("warm") or 0

    def base(s):
        if W:
            return (s + 1) / W if s < W else math.sqrt(W / (s + 1))
        return 1 / math.sqrt(1 + s / c["tau"])
    if c["sched"] == "rsqrt-cool":
        D = int(round(c["cool"] * T))
        if t >= T - D:
            return base(T - D) * (1 - min(1.0, (t - (T - D) + 1) / D))
    return base(t)


def sines(g, z, J):
    """A random sum of J sine waves of z columns (frequencies N(0, I / z), phases uniform) as a function."""
    Wv = torch.randn(J, z, generator=g, dtype=F64) / math.sqrt(z)
    P = 2 * math.pi * torch.rand(J, generator=g, dtype=F64)
    return lambda u: torch.sin(u @ Wv.T + P).sum(1) / math.sqrt(J)


def kernel_data(g, c):
    """(x, noisy training targets, xt, clean test targets), float64, from g. 'two-scale': inputs N(0, I) of df fast and
    ds slow coordinates, the slow ones multiplied by s in the model's inputs; the target sqrt(F) a(fast) + sqrt(S)
    b(slow at unit scale), a and b random sums of J sine waves, each standardised over the test points; n training
    and 2,000 fresh test points. 'friedman': Friedman's first function 10 sin(pi x1 x2) + 20 (x3 - 1/2)^2 + 10 x4 + 5
    x5 of 10 uniform inputs (five unused), standardised by its sd over the test points. 'diabetes': scikit-learn's
    diabetes (inputs and progression standardised on the n training patients, the rest held out). Training targets
    plus sd N(0, 1)."""
    if c["data"] == "diabetes":
        from sklearn.datasets import load_diabetes
        xs, ys = load_diabetes(return_X_y=True)
        X, Y = torch.tensor(xs, dtype=F64), torch.tensor(ys, dtype=F64)
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        X = (X - X[tr].mean(0)) / X[tr].std(0)
        Y = (Y - Y[tr].mean()) / Y[tr].std()
        x, y, xt, yt = X[tr], Y[tr], X[te], Y[te]
    elif c["data"] == "friedman":
        x = torch.rand(c["n"], 10, generator=g, dtype=F64)
        xt = torch.rand(2000, 10, generator=g, dtype=F64)

        def f(u):
            return (10 * torch.sin(math.pi * u[:, 0] * u[:, 1]) + 20 * (u[:, 2] - 0.5) ** 2 + 10 * u[:, 3]
                    + 5 * u[:, 4])
        mu, s = float(f(xt).mean()), float(f(xt).std())
        y, yt = (f(x) - mu) / s, (f(xt) - mu) / s
    else:
        df, ds = c["df"], c["ds"]
        a, b = sines(g, df, c["J"]), sines(g, ds, c["J"])
        z = torch.randn(c["n"], df + ds, generator=g, dtype=F64)
        zt = torch.randn(2000, df + ds, generator=g, dtype=F64)
        sa, sb = float(a(zt[:, :df]).std()), float(b(zt[:, df:]).std())

        def f(u):
            return math.sqrt(c["F"]) * a(u[:, :df]) / sa + math.sqrt(c["S"]) * b(u[:, df:]) / sb
        y, yt = f(z), f(zt)
        scale = torch.cat([torch.ones(df, dtype=F64), torch.full((ds,), c["s"], dtype=F64)])
        x, xt = z * scale, zt * scale
    if c.get("sd"):
        y = y + c["sd"] * torch.randn(len(y), generator=g, dtype=F64)
    return x, y, xt, yt


def kernel(a, b, kind, h):
    """'rbf' exp(-|a - b|^2 / (2 h^2)) or 'laplace' exp(-|a - b| / h)."""
    d2 = (a * a).sum(1)[:, None] + (b * b).sum(1)[None, :] - 2 * a @ b.T
    d2 = d2.clamp(min=0)
    if kind == "laplace":
        return torch.exp(-d2.sqrt() / h)
    return torch.exp(-d2 / (2 * h * h))


def rsqrt_kernel_sgd(w, run_id, c):
    """Kernel regression in the dual under an inverse-square-root schedule, float64. Data (from the run's generator):
    kernel_data. Model: f(x) = sum_i alpha_i k(x_i, x) (kernel, bandwidth h times sqrt of the input dimension), alpha
    from zero. Optimizer: functional minibatch SGD on the squared error, alpha_B -= eta (f(x_B) - y_B) / |B| for each
    minibatch B of batch (heavy-ball momentum mom on alpha where set), eta = lr x rsqrt_factor over the run's planned
    steps. Train loss: the mean squared error on the noisy training targets; test loss: that against the clean test
    targets (the held-out patients' progression on the diabetes); no error rates. A NaN or infinite loss ends the
    run."""
    g = torch.Generator().manual_seed(782_000 + c["seed"])
    x, y, xt, yt = kernel_data(g, c)
    n, d = x.shape
    h = c["h"] * math.sqrt(d)
    Kx, Kt = kernel(x, x, c["kernel"], h), kernel(xt, x, c["kernel"], h)
    alpha, vel = torch.zeros(n, dtype=F64), torch.zeros(n, dtype=F64)
    mom = c.get("mom") or 0.0
    T = planned_steps(n, c)
    t = [0]

    def step(idx):
        eta = c["lr"] * rsqrt_factor(c, t[0], T)
        B = torch.arange(n) if idx is None else idx
        r = Kx[B] @ alpha - y[B]
        if mom:
            vel.mul_(mom)
            vel[B] += r / len(B)
            alpha.sub_(eta * vel)
        else:
            alpha[B] -= eta * r / len(B)
        t[0] += 1

    run = w.run(run_id, n, n, {"family": "kernel-regression", "kernel": c["kernel"], "parametrisation": "dual"},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "J", "sd", "kernel", "h", "lr", "mom",
                             "sched", "warm", "tau", "cool", "batch", "eval"))
                | {"optimizer": "functional-sgd" + ("-momentum" if mom else ""), "step_unit": "minibatch",
                   "schedule": {"rsqrt": "inverse-sqrt-warmup", "rsqrt-cool": "inverse-sqrt-warmup-cooldown",
                                "const": "constant"}[c["sched"]], "loss": "mse",
                   "test_loss": "heldout-mse" if c["data"] == "diabetes" else "mse-clean-target",
                   "test_size": str(len(yt))})
    log_ = logger(run)

    def log(e, final):
        log_(e, ((Kx @ alpha - y) ** 2).mean(), ((Kt @ alpha - yt) ** 2).mean(), final=final)

    train_until(g, n, c, step, log)


def runs_rsqrt_kernel_sgd():
    # The logic: 300 points of 6 fast and 4 slow Gaussian coordinates (the slow ones at 0.3 of the scale in the
    # inputs), the target a fast sum of sines of power 1 and a slow one of power 2 (at unit scale), Gaussian target
    # noise of sd 0.5; an RBF kernel of bandwidth sqrt(10) in the dual (one weight a point, so it can interpolate the
    # noise), functional SGD at the peak step 1 on minibatches of 10, warmed up over 300 steps and then decaying as
    # 1 / sqrt(t), 300 epochs (9,000 steps): the large eigendirections (the fast part, then the noise) are fitted
    # first, the slow part's small ones only late, and the inverse square root keeps the step large enough that they
    # may still be reached within the budget. One thing at a time besides: a linear cool-down over the last 20% and
    # 50% of the steps, a constant step (the contrast), no warm-up (the timescale 300 steps), a warm-up over 3,000
    # steps, the peak 0.3, the bandwidth 0.5 and 2 (relative), the Laplace kernel, the slow scale 0.15 and 0.5, no
    # slow part, noise sd 1, 150 points, minibatches of 30, heavy-ball momentum 0.5, budgets of 100 and 1,000 epochs,
    # Friedman's first function (400 points, sd 0.5) and scikit-learn's diabetes (300 patients). Evaluation spacing
    # mixed. (Before this grid was committed, probes on seed 97 found the sine waves' frequencies N(0, I) too rough to
    # learn from 300 points, the test loss near the target's variance; they were made N(0, I / dim), and the slow
    # scale moved from 0.2 to 0.3.)
    base = dict(data="two-scale", n=300, df=6, ds=4, s=0.3, F=1.0, S=2.0, J=8, sd=0.5, kernel="rbf", h=1.0, lr=1.0,
                mom=None, sched="rsqrt", warm=300, tau=None, cool=None, batch=10, epochs=300, eval="log:30")
    return rsqrt_kernel_sgd, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(sched="rsqrt-cool", cool=0.2, eval="log:30"),
        dict(sched="rsqrt-cool", cool=0.5, eval="every:3"),
        dict(sched="const", warm=None, eval="log:40"),
        dict(warm=None, tau=300, eval="jitter:30"),
        dict(warm=3000, eval="every:2"),
        dict(lr=0.3, eval="mixed:30:3"),
        dict(h=0.5, eval="log:30"),
        dict(h=2.0, eval="every:4"),
        dict(kernel="laplace", eval="log:35"),
        dict(s=0.15, eval="geom:4"),
        dict(s=0.5, eval="log:30"),
        dict(S=0.0, eval="every:3"),
        dict(sd=1.0, eval="mixlog:20:30"),
        dict(n=150, eval="every:5"),
        dict(batch=30, eval="log:40"),
        dict(mom=0.5, eval="burst:25:5"),
        dict(epochs=100, eval="every"),
        dict(epochs=1000, eval="log:30"),
        dict(data="friedman", n=400, df=None, ds=None, s=None, F=None, S=None, J=None, eval="rand:80"),
        dict(data="diabetes", n=300, df=None, ds=None, s=None, F=None, S=None, J=None, sd=None, eval="log:30"),
    ], lambda d: "%s-n%d%s%s-%s-h%g-lr%g%s-%s-b%d-e%d" % (
        d["data"], d["n"], "-s%g-S%g" % (d["s"], d["S"]) if d.get("s") else "",
        "-sd%g" % d["sd"] if d.get("sd") else "", d["kernel"], d["h"], d["lr"],
        "-mom%g" % d["mom"] if d.get("mom") else "",
        d["sched"] + ("-warm%d" % d["warm"] if d.get("warm") else "-tau%d" % d["tau"] if d.get("tau") else "")
        + ("-cool%g" % d["cool"] if d.get("cool") else ""), d["batch"], d["epochs"]))


# ---------------------------------------------------------------------------------------------------- poly-d2z-convnet


def poly_factor(c, t, T):
    """The step's multiplier before step t (0-based) of T: (t + 1) / W over the first W = round(warm T) steps, then
    end + (1 - end) (1 - u)^p, u = (t - W + 1) / (T - W) the share of the post-warm-up steps done at the step's end
    (so the last step's multiplier is end, 0 unless a floor is set); 'const' 1 after the warm-up."""
    W = int(round((c.get("warm") or 0.0) * T))
    if t < W:
        return (t + 1) / W
    if c["sched"] == "const":
        return 1.0
    u = min(1.0, (t - W + 1) / (T - W))
    end = c.get("end") or 0.0
    return end + (1 - end) * (1 - u) ** c["p"]


def conv_params(g, k):
    """A 3 x 3 convolution 1 -> k (padding 1), a strided 3 x 3 convolution k -> 2k (stride 2, padding 1: 8 x 8 to 4 x
    4) and a linear readout of the 2k x 16 maps to 10 classes; U(+-1 / sqrt(fan-in)) from g, float32."""
    return leaves([uniform(g, 9, k, 1, 3, 3), uniform(g, 9, k), uniform(g, 9 * k, 2 * k, k, 3, 3),
                   uniform(g, 9 * k, 2 * k), uniform(g, 32 * k, 32 * k, 10), uniform(g, 32 * k, 10)])


def conv_forward(p, z):
    z = torch.relu(fn.conv2d(z, p[0], p[1], padding=1))
    z = torch.relu(fn.conv2d(z, p[2], p[3], stride=2, padding=1))
    return z.flatten(1) @ p[4] + p[5]


def poly_d2z_convnet(w, run_id, c):
    """A small all-convolutional network under a polynomial decay to zero, float32. Data (from the run's generator):
    digit_images (n training images, 'test' held out, pixel noise pix on the training images where set); a share flip
    of the training labels flipped. Model: conv_params with k channels. Optimizer: SGD with momentum mom (Nesterov
    where nest is set) and weight decay wd, or Adam ('adam', weight decay wd), on minibatches of batch; the step set
    before every minibatch to lr x poly_factor over the run's planned steps, or ('onecycle') the step and momentum
    set by one_cycle (div 25, final 1e4, pct, the cosine anneal, the momentum from 0.95 to 0.85 and back). Loss: the
    cross-entropy. Train loss: that of the training images at their given labels; test loss: that of the held-out
    images, true labels; error rates: the misclassified shares. A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(783_000 + c["seed"])
    x, y, xt, yt = digit_images(g, c)
    n = len(y)
    yn = flip_labels(g, y, 10, c.get("flip"))
    params = conv_params(g, c["k"])
    adam = c["opt"] == "adam"
    if adam:
        opt = torch.optim.Adam(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=c["mom"], nesterov=bool(c.get("nest")),
                              weight_decay=c.get("wd") or 0.0)
    T = planned_steps(n, c)
    cyc = dict(lr=c["lr"], m_hi=0.95, m_lo=0.85, div=25.0, final=1e4, pct=c.get("pct"), anneal="cos")
    t = [0]

    def step(idx):
        for group in opt.param_groups:
            if c["sched"] == "onecycle":
                group["lr"], group["momentum"] = one_cycle(cyc, t[0], T)
            else:
                group["lr"] = c["lr"] * poly_factor(c, t[0], T)
        opt.zero_grad()
        fn.cross_entropy(conv_forward(params, take(x, idx)), take(yn, idx)).backward()
        opt.step()
        t[0] += 1

    sched = {"poly": "polynomial-decay-to-%s" % ("zero" if not c.get("end") else "floor"), "const": "constant",
             "onecycle": "one-cycle"}[c["sched"]]
    run = w.run(run_id, count(params), n, {"family": "all-conv", "channels": c["k"], "downsample": "stride-2-conv"},
                settings(c, ("seed", "n", "flip", "pix", "k", "opt", "lr", "mom", "nest", "wd", "sched", "warm", "p",
                             "end", "pct", "batch", "eval"))
                | {"optimizer": "adam" if adam else "sgd-nesterov" if c.get("nest") else "sgd-momentum",
                   "schedule": sched, "step_unit": "minibatch", "loss": "cross-entropy",
                   "test_loss": "heldout-digits-ce-true-labels", "error": "misclassified",
                   "test_size": str(len(yt))}, output_dim=10)
    log_ = logger(run)

    def log(e, final):
        o, ot = conv_forward(params, x), conv_forward(params, xt)
        log_(e, fn.cross_entropy(o, yn), fn.cross_entropy(ot, yt), (o.argmax(1) != yn).float().mean(),
             (ot.argmax(1) != yt).float().mean(), final=final)

    train_until(g, n, c, step, log)


def runs_poly_d2z_convnet():
    # The logic: 400 digits, 25% of their labels flipped, a small all-convolutional network (8 then 16 channels of 3 x
    # 3, the second strided, a linear readout; 3,818 weights, about ten a label, so it can fit the flips) under momentum
    # SGD (0.9, weight decay 5e-4) at a peak step 0.05 on minibatches of 40, 50 epochs (500 steps), warmed up over the
    # first 5% of the steps and then decayed linearly to zero at the last: the step stays large long enough for the
    # network to fit the clean part and then, as it shrinks, the flips, the held-out loss rising. One thing at a time
    # besides: the powers 2, 3 and 0.5 (a fast early fall, or a step held high to near the end), a floor at a tenth of
    # the peak, a constant step (the contrast), the one-cycle policy (a 30% rise), the peak 0.02 and 0.15, clean and
    # 40% flipped labels, Gaussian pixel noise 0.3, 4 and 16 channels, Nesterov momentum, Adam at 0.003, no weight
    # decay, minibatches of 100, budgets of 20 and 120 epochs, 800 digits. Evaluation spacing mixed. (Probed on seed
    # 97 before this grid was committed, unchanged.)
    base = dict(n=400, test=600, flip=0.25, pix=None, k=8, opt="sgd", lr=0.05, mom=0.9, nest=None, wd=5e-4,
                sched="poly", warm=0.05, p=1.0, end=None, pct=None, batch=40, epochs=50, eval="every")
    return poly_d2z_convnet, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(p=2.0, eval="every"),
        dict(p=3.0, eval="every:2"),
        dict(p=0.5, eval="jitter:30"),
        dict(end=0.1, eval="every"),
        dict(sched="const", p=None, eval="every:2"),
        dict(sched="onecycle", warm=None, p=None, pct=0.3, eval="every"),
        dict(lr=0.02, eval="mixed:20:2"),
        dict(lr=0.15, eval="every"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="every"),
        dict(pix=0.3, eval="geom:2"),
        dict(k=4, eval="every"),
        dict(k=16, eval="every:3"),
        dict(nest=True, eval="every"),
        dict(opt="adam", lr=0.003, mom=None, wd=None, eval="log:30"),
        dict(wd=None, eval="every"),
        dict(batch=100, eval="burst:10:4"),
        dict(epochs=20, eval="every"),
        dict(epochs=120, eval="mixlog:20:30"),
        dict(n=800, eval="rand:40"),
    ], lambda d: "digits-n%d%s%s-conv%d-%s-lr%g%s-%s-b%d-e%d" % (
        d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", "-pix%g" % d["pix"] if d.get("pix") else "",
        d["k"], d["opt"] + ("-nesterov" if d.get("nest") else ""), d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "",
        ("poly%g" % d["p"] + ("-end%g" % d["end"] if d.get("end") else "") if d["sched"] == "poly"
         else d["sched"] + ("%g" % d["pct"] if d.get("pct") else "")), d["batch"], d["epochs"]))


FAMILIES = {"wsd-cooldown-mlp": runs_wsd_cooldown_mlp, "rsqrt-kernel-sgd": runs_rsqrt_kernel_sgd,
            "poly-d2z-convnet": runs_poly_d2z_convnet}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
