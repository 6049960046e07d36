#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, ninety-eighth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is robust and heavy-tailed regression: target noise that is
Student-t (down to one degree of freedom, the Cauchy), Laplace, a contaminated normal or gross one-sided outliers,
fitted under the squared, Huber, Cauchy or absolute loss by SGD or Adam, by models whose size sits near and past the
interpolation threshold, the test loss reported in the training loss:

- heavytail-mlp-losses: a one-hidden-layer ReLU MLP (tanh in 1 run) regressing a standardised sum
  of random sine waves of 3 Gaussian inputs (train_seventysixth.py's regression_data), float32; 100 training points
  whose targets carry heavy-tailed noise, 2,000 held-out points at the clean target (their targets carrying the same
  noise in 2 runs); Adam on minibatches (momentum SGD and plain SGD in 1 run each); the hidden width swept 8 ... 512
  around the threshold (5 h + 1 weights against 100 points).
- robust-rf-readout: a linear readout of N random ReLU features (each standardised on the training points, over
  sqrt(N)) from zero, float64, of 3 Gaussian inputs with a sum of sine waves as the target (scikit-learn's diabetes
  in 4 runs), minibatch SGD at lr over the largest eigenvalue of the features' Gram matrix (full-batch gradient
  descent and Adam in 1-2 runs each); N swept 50 ... 400 around n = 100 (the diabetes 150 patients).
- outlier-real-mlp: scikit-learn's diabetes (100 patients to train, the other 342 held out) and linnerud (3 exercises
  to 3 physiological measures; 14 men to train, 6 held out), inputs and targets standardised on the training set, a
  share of the training targets moved by gross outliers (a one-sided shift) or noise added; a one-hidden-layer
  ReLU MLP (tanh in 1 run) or, on the diabetes, a linear model of the inputs and their pairwise products; Adam (SGD
  with momentum in 2 runs).

Noise (heavy_noise, from the run's generator): 'gauss' scale times N(0, 1); 't' scale times a Student-t of df degrees
of freedom (a normal over the root of a gamma-drawn chi-square over df); 'laplace' a Laplace of scale 'scale' (by the
inverse distribution function of a uniform draw); 'contam' scale times N(0, 1), a share of the points out times N(0, 1)
instead (Tukey's contaminated normal); 'gross' scale times N(0, 1) plus, for a share of the points, a shift of out
(plus out / 2 times a uniform), one-sided. Losses (robust_loss, a mean over points and outputs of the residual r):
'squared' r^2, 'huber' r^2 / 2 within k and k (|r| - k / 2) beyond, 'cauchy' (k^2 / 2) log(1 + (r / k)^2), 'absolute'
|r|. Train loss: the loss on the training points at their noisy targets; test loss: the same loss on the held-out
points (at noisy targets drawn like the training ones, at the clean target, or the held-out patients' and men's
standardised measurements); no error rates. A run whose loss turns NaN or infinite sends that evaluation as its last
and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, leaves from train_thirtysixth.py, take from train_thirtyninth.py,
count from train_fortyeighth.py, mlp_params and mlp from train_sixtyfifth.py, logger and train_until from
train_seventyfourth.py and regression_data from train_seventysixth.py; one thread, every random draw from a seeded
torch.Generator (splits, inputs, noise, outliers, random features, initialisations, minibatches), synthetic event
times, 6 significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_ninetyeighth.py --family heavytail-mlp-losses [--list] [--runs 0,3] [--out FILE]

Families (see README.md): heavytail-mlp-losses, robust-rf-readout, outlier-real-mlp. Evaluation spacings: train.py's
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
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import regression_data  # noqa: E402  (sine-wave targets or the diabetes, a seeded split)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- shared parts


def heavy_noise(g, shape, c, dtype):
    """Noise of c['noise'] kind and c['scale'] from g (see the module's docstring): 'gauss', 't' (df degrees of
    freedom), 'laplace', 'contam' (a share of the points out times N(0, 1)) or 'gross' (a share shifted by out plus
    out / 2 times U(0, 1), one-sided); zeros where c['noise'] is None."""
    kind, s = c.get("noise"), c.get("scale") or 0.0
    if not kind:
        return torch.zeros(shape, dtype=dtype)
    if kind == "laplace":
        u = torch.rand(shape, generator=g, dtype=F64) - 0.5
        return (-s * torch.sign(u) * torch.log1p(-2 * u.abs())).to(dtype)
    e = torch.randn(shape, generator=g, dtype=F64)
    if kind == "t":
        df = c["df"]
        chi2 = 2 * torch._standard_gamma(torch.full(shape, df / 2, dtype=F64), generator=g)
        e = e / torch.sqrt(chi2 / df)
    e = s * e
    if kind in ("contam", "gross"):
        hit = torch.rand(shape, generator=g, dtype=F64) < c["share"]
        if kind == "contam":
            wide = c["out"] * torch.randn(shape, generator=g, dtype=F64)
        else:
            wide = e + c["out"] * (1 + 0.5 * torch.rand(shape, generator=g, dtype=F64))
        e = torch.where(hit, wide, e)
    return e.to(dtype)


def robust_loss(kind, r, k):
    """The mean over all entries of the residuals r of the squared, Huber (threshold k), Cauchy (scale k) or absolute
    loss."""
    if kind == "squared":
        return (r * r).mean()
    if kind == "huber":
        a = r.abs()
        return torch.where(a <= k, 0.5 * r * r, k * (a - 0.5 * k)).mean()
    if kind == "cauchy":
        return (0.5 * k * k * torch.log1p((r / k) ** 2)).mean()
    return r.abs().mean()


def make_opt(c, params):
    """Adam at lr, or SGD at lr with heavy-ball momentum c['mom'] (0: plain); 'gd' is SGD on the whole set."""
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"])
    return torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0)


def noise_tag(c):
    kind = c.get("noise")
    if not kind:
        return "none"
    return {"gauss": "gaussian", "t": "student-t", "laplace": "laplace", "contam": "contaminated-normal",
            "gross": "gross-one-sided-outliers"}[kind]


def noise_name(d):
    kind = d.get("noise")
    if not kind:
        return "-asis"
    extra = "%g" % d["df"] if kind == "t" else "%g-out%g" % (d["share"], d["out"]) if kind in ("contam", "gross") \
        else ""
    return "-%s%s-sc%g" % (kind, extra, d["scale"])


def loss_name(d):
    return d["loss"] + ("%g" % d["k"] if d["loss"] in ("huber", "cauchy") else "")


def opt_name(d):
    return "%s-lr%g%s" % (d["opt"], d["lr"], "-mom%g" % d["mom"] if d.get("mom") else "")


# ------------------------------------------------------------------------------------------------ heavytail-mlp-losses


def heavytail_mlp_losses(w, run_id, c):
    """An MLP regressing a sine-wave target under heavy-tailed target noise, float32. Data (from the run's generator):
    regression_data 'synth' (n training points of d Gaussian inputs, the target a standardised sum of J random sine
    waves; 2,000 test points), heavy_noise added to the training targets and, where test is 'noisy', to the test
    targets too. Model: d -> hid (x depth, ReLU or tanh) -> 1, mlp_params (U(+-1 / sqrt(fan-in)) from the run's
    generator). Loss: robust_loss. Optimizer: make_opt on minibatches of batch. Train loss: the loss on the noisy
    training targets; test loss: the same loss on the test points (noisy or clean targets)."""
    g = torch.Generator().manual_seed(981_000 + c["seed"])
    x, y, xt, yt = regression_data(g, dict(data="synth", n=c["n"], d=c["d"], J=c["J"]))
    x, y, xt, yt = x.to(F32), y.to(F32), xt.to(F32), yt.to(F32)
    y = y + heavy_noise(g, (len(y),), c, F32)
    if c["test"] == "noisy":
        yt = yt + heavy_noise(g, (len(yt),), c, F32)
    act = torch.tanh if c["act"] == "tanh" else torch.relu
    params = mlp_params(g, [c["d"]] + [c["hid"]] * c["depth"] + [1], F32)
    opt = make_opt(c, params)
    k = c.get("k")

    def step(idx):
        opt.zero_grad()
        robust_loss(c["loss"], mlp(params, take(x, idx), act)[:, 0] - take(y, idx), k).backward()
        opt.step()

    n = len(y)
    run = w.run(run_id, count(params), n, {"family": "mlp", "hidden": c["hid"], "depth": c["depth"],
                                           "activation": c["act"]},
                settings(c, ("seed", "n", "d", "J", "noise", "scale", "df", "share", "out", "test", "hid", "depth",
                             "act", "loss", "k", "opt", "lr", "mom", "batch", "eval"))
                | {"optimizer": c["opt"], "noise": noise_tag(c), "params_per_point": "%.3g" % (count(params) / n),
                   "test_loss": "heldout-%s-%s" % (c["loss"], "noisy-targets" if c["test"] == "noisy"
                                                    else "clean-target"),
                   "test_size": str(len(yt))})
    log_ = logger(run)

    def log(e, final):
        log_(e, robust_loss(c["loss"], mlp(params, x, act)[:, 0] - y, k),
             robust_loss(c["loss"], mlp(params, xt, act)[:, 0] - yt, k), final=final)

    train_until(g, n, c, step, log)


def runs_heavytail_mlp_losses():
    # The logic: 100 points of 3 Gaussian inputs, the target a standardised sum of 4 sine waves, Student-t noise of 2
    # degrees of freedom (infinite variance) at scale 0.5 on the training targets; a ReLU MLP 3 -> 32 -> 1 (161
    # weights, 1.6 a point: past the threshold near h = 20, so it can fit the noise, outliers included) under Adam at
    # 0.01 on minibatches of 20, the Huber loss at k = 1, 300 epochs, the test loss the Huber loss against the clean
    # target on 2,000 points: the smooth part is fitted first, then the noise, the held-out loss rising as it is. One
    # thing at a time besides: the squared, absolute and Cauchy losses, the Huber loss at k = 0.2, Laplace, Cauchy (t1)
    # and Gaussian noise, a contaminated normal (10% at sd 5) and gross one-sided outliers (10% shifted by 4-6) (under
    # the Huber and under the squared loss), the widths 8, 16, 128 and 512, tanh, momentum SGD and plain SGD, noisy test
    # targets drawn like the training ones (under the Huber and the squared loss), and 200 points. Evaluation spacing
    # mixed.
    base = dict(n=100, d=3, J=4, noise="t", scale=0.5, df=2.0, share=None, out=None, test="clean", hid=32, depth=1,
                act="relu", loss="huber", k=1.0, opt="adam", lr=0.01, mom=None, batch=20, epochs=300, eval="every")
    return heavytail_mlp_losses, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(loss="squared", k=None, eval="every:2"),
        dict(loss="absolute", k=None, eval="jitter:40"),
        dict(loss="cauchy", k=1.0, eval="every"),
        dict(k=0.2, eval="geom:3"),
        dict(noise="laplace", df=None, eval="every"),
        dict(noise="t", df=1.0, scale=0.3, eval="mixed:40:4"),
        dict(noise="gauss", df=None, eval="log:40"),
        dict(noise="contam", df=None, scale=0.3, share=0.1, out=5.0, eval="every"),
        dict(noise="gross", df=None, scale=0.3, share=0.1, out=4.0, eval="burst:20:5"),
        dict(noise="gross", df=None, scale=0.3, share=0.1, out=4.0, loss="squared", k=None, eval="every:2"),
        dict(hid=8, eval="every"),
        dict(hid=16, eval="mixlog:30:40"),
        dict(hid=128, eval="every"),
        dict(hid=512, eval="rand:100"),
        dict(act="tanh", eval="every:2"),
        dict(opt="sgd", lr=0.01, mom=0.9, eval="jitter:35"),
        dict(opt="sgd", lr=0.05, eval="every"),
        dict(test="noisy", eval="every:3"),
        dict(test="noisy", loss="squared", k=None, eval="every"),
        dict(n=200, eval="geom:2"),
    ], lambda d: "sines-n%d%s-%s-mlp%s%dx%d-%s-%s-b%d" % (
        d["n"], noise_name(d), d["test"], d["act"], d["depth"], d["hid"], loss_name(d), opt_name(d), d["batch"]))


# ---------------------------------------------------------------------------------------------------- robust-rf-readout


def robust_rf_readout(w, run_id, c):
    """A linear readout of random ReLU features under a robust loss, float64. Data (from the run's generator):
    regression_data ('synth': n points of d Gaussian inputs, a standardised sum of J sine waves, 2,000 test points;
    'diabetes': n patients to train, the rest held out, standardised on the training ones), heavy_noise added to the
    training targets and, for 'synth' where test is 'noisy', to the test targets. Features: relu(x W + b) (W N(0, I /
    d), b N(0, 1), from the run's generator), each standardised on the training points, over sqrt(N). Readout: N
    weights from zero. Loss: robust_loss. Optimizer: 'sgd' (minibatches of batch) and 'gd' (the whole set) at lr over
    the largest eigenvalue of Phi^T Phi / n, with heavy-ball momentum mom where set; 'adam' at lr on minibatches. Train
    loss: the loss on the noisy training targets; test loss: the same loss on the test points (noisy or clean targets,
    the held-out patients' standardised progression)."""
    g = torch.Generator().manual_seed(982_000 + c["seed"])
    x, y, xt, yt = regression_data(g, dict(data=c["data"], n=c["n"], d=c.get("d"), J=c.get("J")))
    y = y + heavy_noise(g, (len(y),), c, F64)
    if c["data"] == "synth" and c["test"] == "noisy":
        yt = yt + heavy_noise(g, (len(yt),), c, F64)
    N, d = c["N"], x.shape[1]
    W = torch.randn(d, N, generator=g, dtype=F64) / math.sqrt(d)
    b = torch.randn(N, generator=g, dtype=F64)
    P, Pt = torch.relu(x @ W + b), torch.relu(xt @ W + b)
    mu, sd = P.mean(0), P.std(0).clamp_min(1e-8)
    phi, phit = (P - mu) / sd / math.sqrt(N), (Pt - mu) / sd / math.sqrt(N)
    n = len(y)
    top = float(torch.linalg.eigvalsh(phi.T @ phi / n)[-1])
    a = leaves([torch.zeros(N, dtype=F64)])
    lr = c["lr"] if c["opt"] == "adam" else c["lr"] / top
    opt = make_opt(dict(c, lr=lr), a)
    k = c.get("k")

    def step(idx):
        opt.zero_grad()
        robust_loss(c["loss"], take(phi, idx) @ a[0] - take(y, idx), k).backward()
        opt.step()

    test = "heldout-%s-%s" % (c["loss"], "true-progression" if c["data"] == "diabetes"
                              else "noisy-targets" if c["test"] == "noisy" else "clean-target")
    run = w.run(run_id, N, n, {"family": "random-relu-features", "features": N, "data": c["data"]},
                settings(c, ("seed", "data", "n", "d", "J", "noise", "scale", "df", "share", "out", "test", "N",
                             "loss", "k", "opt", "lr", "mom", "batch", "eval"))
                | {"optimizer": c["opt"], "noise": noise_tag(c), "width_ratio": "%.3g" % (N / n),
                   "full_batch": "true" if c["opt"] == "gd" else "false", "test_loss": test,
                   "test_size": str(len(yt))})
    log_ = logger(run)

    def log(e, final):
        log_(e, robust_loss(c["loss"], phi @ a[0] - y, k), robust_loss(c["loss"], phit @ a[0] - yt, k), final=final)

    train_until(g, n, c, step, log)


def runs_robust_rf_readout():
    # The logic: 100 points of 3 Gaussian inputs, the target a standardised sum of 4 sine waves, Student-t noise of 2
    # degrees of freedom at scale 0.5 on the training targets, the test loss against the clean target of 2,000 points;
    # 120 random ReLU features
    # (1.2 a point, just past the threshold at 100, where the Gram matrix's smallest eigenvalues are tiny) under a
    # readout from zero trained by minibatch SGD (minibatches of 10) at 0.2 over the largest eigenvalue on the Huber
    # loss at k = 0.5, 800 epochs: the large-eigenvalue directions fit the target, the small ones late and mostly the
    # noise, the held-out loss rising late. One thing at a time besides: the squared loss (at 0.1, its curvature being
    # twice the Huber's inside k), the absolute and Cauchy losses, t1 and Laplace noise and gross one-sided outliers
    # (under the Huber and the squared loss), the feature counts 50, 80, 100, 200 and 400, full-batch gradient descent
    # (with heavy-ball momentum 0.9 in 1 run), Adam at 0.01, noisy test targets drawn like the training ones, and
    # scikit-learn's diabetes (150 patients, 160 features; its own noise, and with gross outliers on 10% of the training
    # patients, under the Huber, squared and absolute losses). Evaluation spacing mixed, mostly sparse (the late fit).
    base = dict(data="synth", n=100, d=3, J=4, noise="t", scale=0.5, df=2.0, share=None, out=None, test="clean",
                N=120, loss="huber", k=0.5, opt="sgd", lr=0.2, mom=None, batch=10, epochs=800, eval="log:40")
    dia = dict(data="diabetes", n=150, d=None, J=None, noise=None, scale=None, df=None, test=None, N=160)
    return robust_rf_readout, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(loss="squared", k=None, lr=0.1, eval="every:4"),
        dict(loss="absolute", k=None, eval="jitter:40"),
        dict(loss="cauchy", k=0.5, eval="every:2"),
        dict(df=1.0, scale=0.3, eval="mixlog:30:40"),
        dict(noise="laplace", df=None, eval="every:5"),
        dict(noise="gross", df=None, scale=0.3, share=0.1, out=4.0, eval="geom:4"),
        dict(noise="gross", df=None, scale=0.3, share=0.1, out=4.0, loss="squared", k=None, lr=0.1, eval="every:3"),
        dict(N=50, eval="log:35"),
        dict(N=80, eval="every:4"),
        dict(N=100, eval="mixed:50:8"),
        dict(N=200, eval="every:2"),
        dict(N=400, eval="burst:40:6"),
        dict(opt="gd", lr=0.5, batch=None, eval="every:5"),
        dict(opt="gd", lr=0.1, mom=0.9, batch=None, eval="log:40"),
        dict(opt="adam", lr=0.01, eval="every:4"),
        dict(test="noisy", eval="rand:120"),
        dict(dia, eval="jitter:35"),
        dict(dia, noise="gross", scale=0.0, share=0.1, out=4.0, eval="every:4"),
        dict(dia, noise="gross", scale=0.0, share=0.1, out=4.0, loss="squared", k=None, lr=0.1, eval="every:3"),
        dict(dia, noise="gross", scale=0.0, share=0.1, out=4.0, loss="absolute", k=None, eval="geom:5"),
    ], lambda d: "%s-n%d%s%s-rf%d-%s-%s-%s" % (
        "sines" if d["data"] == "synth" else d["data"], d["n"], noise_name(d),
        "-" + d["test"] if d.get("test") else "", d["N"], loss_name(d), opt_name(d),
        "full" if d["opt"] == "gd" else "b%d" % d["batch"]))


# ---------------------------------------------------------------------------------------------------- outlier-real-mlp


def real_regression(g, c):
    """(x, y, xt, yt) float32 with targets as columns: scikit-learn's diabetes (n patients to train, the rest held
    out) or linnerud (inputs the 3 exercises, targets the 3 physiological measures; n men to train, the rest held out),
    a seeded split, inputs and targets standardised on the training set; 'quad' appends the standardised pairwise
    products of the inputs."""
    import sklearn.datasets
    xs, ys = getattr(sklearn.datasets, "load_" + c["data"])(return_X_y=True)
    X, Y = torch.tensor(xs, dtype=F64), torch.tensor(ys, dtype=F64)
    if Y.dim() == 1:
        Y = Y[:, None]
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    X = (X - X[tr].mean(0)) / X[tr].std(0)
    if c.get("model") == "quad":
        pairs = torch.combinations(torch.arange(X.shape[1]), 2)
        Z = X[:, pairs[:, 0]] * X[:, pairs[:, 1]]
        X = torch.cat([X, (Z - Z[tr].mean(0)) / Z[tr].std(0).clamp_min(1e-8)], 1)
    Y = (Y - Y[tr].mean(0)) / Y[tr].std(0)
    return X[tr].to(F32), Y[tr].to(F32), X[te].to(F32), Y[te].to(F32)


def outlier_real_mlp(w, run_id, c):
    """An MLP (or a linear model) on a real regression data set with contaminated training targets, float32. Data
    (from the run's generator): real_regression, heavy_noise added to each training target entry (gross outliers: a
    share of the entries shifted). Model: 'mlp' d -> hid (ReLU or tanh) -> outputs, or 'quad' a linear model of the
    inputs and their pairwise products, mlp_params (U(+-1 / sqrt(fan-in)) from the run's generator). Loss: robust_loss
    over all outputs. Optimizer: make_opt on minibatches of batch (the whole set where batch is None). Train loss: the
    loss on the contaminated training targets; test loss: the same loss on the held-out points' standardised
    measurements."""
    g = torch.Generator().manual_seed(983_000 + c["seed"])
    x, y, xt, yt = real_regression(g, c)
    y = y + heavy_noise(g, tuple(y.shape), c, F32)
    d, K = x.shape[1], y.shape[1]
    act = torch.tanh if c.get("act") == "tanh" else torch.relu
    params = mlp_params(g, [d, c["hid"], K] if c["model"] == "mlp" else [d, K], F32)
    opt = make_opt(c, params)
    k = c.get("k")

    def step(idx):
        opt.zero_grad()
        robust_loss(c["loss"], mlp(params, take(x, idx), act) - take(y, idx), k).backward()
        opt.step()

    n = len(y)
    run = w.run(run_id, count(params), n,
                {"family": "mlp", "hidden": c["hid"], "depth": 1, "activation": c["act"]} if c["model"] == "mlp"
                else {"family": "linear", "features": d, "basis": "inputs-and-pairwise-products"},
                settings(c, ("seed", "data", "n", "model", "noise", "scale", "df", "share", "out", "hid", "act",
                             "loss", "k", "opt", "lr", "mom", "batch", "eval"))
                | {"optimizer": c["opt"], "noise": noise_tag(c),
                   "params_per_target": "%.3g" % (count(params) / (n * K)),
                   "full_batch": "true" if not c.get("batch") else "false",
                   "test_loss": "heldout-%s-true-targets" % c["loss"], "test_size": str(len(yt))},
                output_dim=K)
    log_ = logger(run)

    def log(e, final):
        log_(e, robust_loss(c["loss"], mlp(params, x, act) - y, k),
             robust_loss(c["loss"], mlp(params, xt, act) - yt, k), final=final)

    train_until(g, n, c, step, log)


def runs_outlier_real_mlp():
    # The logic: 100 diabetes patients (the other 342 held out), 10% of their standardised progressions shifted up by
    # 4-6 (gross outliers, one-sided, so that the squared loss's fit is pulled), a ReLU MLP 10 -> 64 -> 1 (769 weights,
    # 7.7 a patient: past the threshold near h = 8, so it can fit the outliers and the targets' own noise) under Adam at
    # 3e-3 on minibatches of 20, the Huber loss at k = 1, 300 epochs: the trend first, then the noise and outliers, the
    # held-out Huber loss rising. One thing at a time besides: the squared, absolute and Cauchy losses, 25% outliers,
    # Student-t noise (t2 at scale 0.5) and the targets as they are, the widths 8, 16 and 256, tanh, momentum SGD
    # (under the Huber and the squared loss), a linear model of the inputs and their 45 pairwise products (56 weights)
    # on 60 patients (near its threshold) under the Huber and the squared loss; and linnerud (14 men to train, 6 held
    # out, 3 targets; full batch, Adam at 5e-3, 400 epochs), a ReLU MLP 3 -> h -> 3 (7 h + 3 weights against 42 target
    # entries) of width 16 and 4 under the Huber loss with 10% gross outliers, under the absolute loss, and with
    # Laplace noise. Evaluation spacing mixed.
    base = dict(data="diabetes", n=100, model="mlp", noise="gross", scale=0.0, df=None, share=0.1, out=4.0, hid=64,
                act="relu", loss="huber", k=1.0, opt="adam", lr=3e-3, mom=None, batch=20, epochs=300, eval="every")
    lin = dict(data="linnerud", n=14, hid=16, lr=5e-3, batch=None, epochs=400)
    quad = dict(model="quad", n=60, hid=None, act=None, batch=10)
    return outlier_real_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(loss="squared", k=None, eval="every:2"),
        dict(loss="absolute", k=None, eval="jitter:40"),
        dict(loss="cauchy", k=1.0, eval="every"),
        dict(share=0.25, eval="geom:3"),
        dict(noise="t", scale=0.5, df=2.0, share=None, out=None, eval="every"),
        dict(noise=None, scale=None, share=None, out=None, eval="mixed:40:4"),
        dict(hid=8, eval="every:3"),
        dict(hid=16, eval="every"),
        dict(hid=256, eval="burst:20:5"),
        dict(act="tanh", eval="every:2"),
        dict(opt="sgd", lr=0.01, mom=0.9, eval="log:40"),
        dict(opt="sgd", lr=0.01, mom=0.9, loss="squared", k=None, eval="every"),
        dict(quad, eval="every:2"),
        dict(quad, loss="squared", k=None, eval="mixlog:30:40"),
        dict(lin, eval="every"),
        dict(lin, hid=4, eval="every:2"),
        dict(lin, loss="absolute", k=None, eval="rand:120"),
        dict(lin, noise="laplace", scale=0.3, share=None, out=None, eval="every"),
    ], lambda d: "%s-n%d%s-%s-%s-%s-%s" % (
        d["data"], d["n"], noise_name(d),
        "mlp%s%d" % (d["act"], d["hid"]) if d["model"] == "mlp" else "quad-linear", loss_name(d), opt_name(d),
        "b%d" % d["batch"] if d["batch"] else "full"))


FAMILIES = {"heavytail-mlp-losses": runs_heavytail_mlp_losses, "robust-rf-readout": runs_robust_rf_readout,
            "outlier-real-mlp": runs_outlier_real_mlp}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
