#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, ninety-fifth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is least squares where the number of features crosses the
number of samples: gradient descent (full-batch or minibatch) on linear models, with target noise and tiny ridge
penalties, at sizes on both sides of the interpolation threshold:

- spiked-cov-linreg: linear regression on synthetic Gaussian inputs of d features with a structured covariance
  (spiked: a few strong directions over an isotropic bulk; power-law eigenvalues in a random basis; equicorrelated;
  AR(1)), n = 100 training points (200 in 1 run), d = 50 ... 400, a linear teacher whose power is split between the
  spikes and the bulk, Gaussian target noise; full-batch gradient descent from zero on the mean squared error plus a
  tiny ridge, computed exactly in the eigenbasis of the sample covariance (the t-th iterate in closed form), or
  minibatch SGD (2 runs), float64. Test loss: the population risk against the clean teacher, (w - theta)^T Sigma (w -
  theta), exact (no test sample).
- sk-randfeat-sgd: random ReLU or Fourier features of scikit-learn's diabetes (regression of the standardised
  progression, Gaussian noise added to the training targets in part), wine (least squares on one-hot class targets, a
  share of the training labels flipped in part) and linnerud (the three physiological measures from the three
  exercises, standardised; 14 training athletes), N features from 0.5 to 4 times the training points, a linear readout
  from zero trained by minibatch SGD (heavy-ball momentum in 1 run, full batch in 3) with a tiny ridge (weight decay
  1e-5 at the base), float64.
- monomial-tiny-ridge: polynomial features: raw (or standardised) monomials z^0 ... z^p of one input uniform on
  [-1, 1] (strongly anisotropic and correlated columns), 30 training points (60 in 1 run) and a smooth target plus
  Gaussian noise, p + 1 from 10 to 60 features; and scikit-learn's PolynomialFeatures of degree 2 and 3 of the
  diabetes' 10 standardised columns (66 and 286 features, standardised) at 40 ... 250 training patients; a linear
  readout from zero trained by full-batch gradient descent, heavy-ball or Nesterov momentum, or minibatch SGD, on the
  mean squared error plus a tiny ridge (1e-6 at the base), float64.

Train loss: the mean squared error on the training targets (noisy where noise is set; summed over the outputs for
wine's one-hot targets and linnerud's three measures), the ridge term left out; test loss: the population risk against
the clean teacher (spiked-cov-linreg), the same squared error on the held-out points at their true targets or labels
(the real data sets), or against the clean target on 2,000 fresh points (the one-input monomials); error rates: the
misclassified shares (wine only). A run whose loss turns NaN or infinite sends that evaluation as its last and stops
(train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, batches from train_twentyfirst.py, take and flip_labels from
train_thirtyninth.py, logger and train_until from train_seventyfourth.py; one thread, every random draw from a seeded
torch.Generator (splits, covariances' bases, teachers, inputs, target noise, label flips, random features,
minibatches), synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final marks
it.

    /usr/bin/python3 train_ninetyfifth.py --family spiked-cov-linreg [--list] [--runs 0,3] [--out FILE]

Families (see README.md): spiked-cov-linreg, sk-randfeat-sgd, monomial-tiny-ridge. Evaluation spacings: train.py's
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
from train_twentyfirst import batches  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F64 = torch.float64


def top_eig(phi):
    """The largest eigenvalue of phi^T phi / n."""
    return float(torch.linalg.eigvalsh(phi.T @ phi / len(phi))[-1])


def readout_step(c, phi, y, a, buf, lr):
    """One step on the readout a (float64) from the minibatch (phi, y): gradient phi^T (phi a - y) / m + ridge a;
    'gd'/'sgd' plain, 'hb' heavy ball (buf = mom buf + grad, a -= lr buf), 'nesterov' (torch's form: a -= lr (grad +
    mom buf))."""
    gr = phi.T @ (phi @ a - y) / len(y) + (c.get("ridge") or 0.0) * a
    if c["opt"] in ("hb", "nesterov"):
        buf.mul_(c["mom"]).add_(gr)
        gr = gr + c["mom"] * buf if c["opt"] == "nesterov" else buf
    a.sub_(lr * gr)


def sq_err(out, t):
    """The squared error summed over the outputs (one output: the plain squared error), mean over the points."""
    r = out - t
    return (r * r).sum(1).mean() if r.dim() == 2 else (r * r).mean()


# ---------------------------------------------------------------------------------------------------- spiked-cov-linreg


def covariance(g, c):
    """The d x d input covariance Sigma and, for 'spiked', the spikes' orthonormal basis U (d x k; else None), all from
    g: 'spiked' I + (spike - 1) U U^T; 'powerlaw' Q diag(i^-alpha, normalised to mean 1) Q^T, Q a random orthogonal
    basis; 'equicorr' (1 - rho) I + rho 1 1^T; 'ar1' rho^|i - j|."""
    d, kind = c["d"], c["cov"]
    if kind == "spiked":
        U, _ = torch.linalg.qr(torch.randn(d, c["k"], generator=g, dtype=F64))
        return torch.eye(d, dtype=F64) + (c["spike"] - 1) * U @ U.T, U
    if kind == "powerlaw":
        Q, _ = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=F64))
        ev = torch.arange(1, d + 1, dtype=F64) ** -c["alpha"]
        ev = ev / ev.mean()
        return (Q * ev) @ Q.T, None
    i = torch.arange(d, dtype=F64)
    if kind == "equicorr":
        return (1 - c["rho"]) * torch.eye(d, dtype=F64) + c["rho"] * torch.ones(d, d, dtype=F64), None
    return c["rho"] ** (i[:, None] - i[None, :]).abs(), None


def spiked_teacher(g, c, S, U):
    """theta from g: with spikes, a part in the spikes' span of Sigma-power ps and one orthogonal to it of Sigma-power
    pb (each a Gaussian direction rescaled so that theta_part^T Sigma theta_part is its power); without spikes one
    Gaussian direction of Sigma-power ps + pb."""
    d = c["d"]

    def scaled(v, p):
        q = float(v @ S @ v)
        return v * math.sqrt(p / q) if p > 0 else torch.zeros(d, dtype=F64)

    if U is None:
        return scaled(torch.randn(d, generator=g, dtype=F64), c["ps"] + c["pb"])
    vs = U @ torch.randn(U.shape[1], generator=g, dtype=F64)
    vb = torch.randn(d, generator=g, dtype=F64)
    vb = vb - U @ (U.T @ vb)
    return scaled(vs, c["ps"]) + scaled(vb, c["pb"])


def spiked_cov_linreg(w, run_id, c):
    """Linear regression on Gaussian inputs N(0, Sigma) (covariance), float64. Data (from the run's generator): n
    training inputs x = z L^T (L the Cholesky factor of Sigma), targets x theta (spiked_teacher) plus Gaussian noise of
    sd 'noise'. Model: x w, w from zero. Loss: (1/2) mean squared error + (ridge / 2) |w|^2. Optimizer: 'gd' full-batch
    gradient descent at lr over the largest eigenvalue of S = X^T X / n, one step an epoch, its t-th iterate computed
    exactly in S's eigenbasis: w_t = V diag((1 - (1 - eta (l_i + ridge))^t) / (l_i + ridge)) V^T X^T y / n (eta t where
    l_i + ridge is nil); 'sgd' minibatch SGD of batch at the same step. Train loss: the mean squared error on the noisy
    training targets; test loss: the population risk (w - theta)^T Sigma (w - theta) against the clean teacher, exact;
    no error rates."""
    g = torch.Generator().manual_seed(951_000 + c["seed"])
    S, U = covariance(g, c)
    L = torch.linalg.cholesky(S)
    theta = spiked_teacher(g, c, S, U)
    n, d = c["n"], c["d"]
    x = torch.randn(n, d, generator=g, dtype=F64) @ L.T
    y = x @ theta + c["noise"] * torch.randn(n, generator=g, dtype=F64)
    ridge = c.get("ridge") or 0.0
    ev, V = torch.linalg.eigh(x.T @ x / n)
    eta = c["lr"] / float(ev[-1])
    p = V.T @ (x.T @ y / n)
    lam = ev + ridge
    a = eta * lam
    st = {"t": 0, "w": torch.zeros(d, dtype=F64), "buf": torch.zeros(d, dtype=F64)}

    def weights():
        if c["opt"] != "gd":
            return st["w"]
        t = st["t"]
        small = a.abs() < 1e-13
        q = torch.where(small, torch.full_like(a, eta * t),
                        -torch.expm1(t * torch.log1p(-torch.where(small, torch.zeros_like(a), a)))
                        / torch.where(small, torch.ones_like(lam), lam))
        return V @ (q * p)

    def step(idx):
        if c["opt"] == "gd":
            st["t"] += 1
        else:
            readout_step(c, take(x, idx), take(y, idx), st["w"], st["buf"], eta)

    run = w.run(run_id, d, n, {"family": "linear", "features": d, "covariance": c["cov"]},
                settings(c, ("seed", "n", "d", "cov", "k", "spike", "alpha", "rho", "ps", "pb", "noise", "ridge", "opt",
                             "lr", "batch", "eval"))
                | {"optimizer": "gd-exact-eigenbasis" if c["opt"] == "gd" else "sgd",
                   "full_batch": "true" if c["opt"] == "gd" else "false", "loss": "mse-plus-ridge",
                   "features_per_sample": "%.3g" % (d / n), "noise": "gaussian-target",
                   "test_loss": "population-risk-clean-teacher"})
    log_ = logger(run)

    def log(e, final):
        wt = weights()
        r = wt - theta
        log_(e, ((x @ wt - y) ** 2).mean(), r @ S @ r, final=final)

    train_until(g, n, c, step, log)


def runs_spiked_cov_linreg():
    # The logic: 100 training points of d = 120 Gaussian features (1.2 features a point, just past the threshold) whose
    # covariance has 5 spikes of variance 25 over a unit bulk; the teacher's power 1 in the spikes and 1 in the bulk,
    # target noise of sd 0.5; full-batch gradient descent from zero at 0.9 over the largest eigenvalue of the sample
    # covariance (computed exactly, so long runs cost nothing), a tiny ridge 1e-6, 20,000 epochs: the spikes are
    # learnt within tens of steps, the bulk within hundreds, and the noise along the sample covariance's tiny
    # eigenvalues near the threshold over thousands, the risk rising as it is fitted. One thing at a time besides: d =
    # 50, 80, 95, 100, 105, 150, 200 and 400 (both sides of the threshold), a power-law spectrum (alpha 1), an
    # equicorrelated (rho 0.5) and an AR(1) (rho 0.9) covariance, the ridge nil, 1e-4 and 1e-2, noise sd 0.2 and 1,
    # all the teacher's power in the spikes, all in the bulk, 200 points at 240 features, and minibatch SGD (batch 10,
    # at 0.3) at d = 120 and 100 for 2,000 epochs. Evaluation spacing mixed.
    base = dict(n=100, d=120, cov="spiked", k=5, spike=25.0, alpha=None, rho=None, ps=1.0, pb=1.0, noise=0.5,
                ridge=1e-6, opt="gd", lr=0.9, batch=None, epochs=20000, eval="log:35")
    nospike = dict(k=None, spike=None)
    return spiked_cov_linreg, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(d=50, epochs=600, eval="every"),
        dict(d=80, eval="jitter:35"),
        dict(d=95, eval="log:40"),
        dict(d=100, epochs=100000, eval="mixlog:30:35"),
        dict(d=105, eval="geom:150"),
        dict(d=150, eval="log:30"),
        dict(d=200, epochs=3000, eval="every:10"),
        dict(d=400, epochs=2000, eval="mixed:100:20"),
        dict(nospike, cov="powerlaw", alpha=1.0, eval="jitter:30"),
        dict(nospike, cov="equicorr", rho=0.5, eval="log:35"),
        dict(nospike, cov="ar1", rho=0.9, epochs=50000, eval="rand:150"),
        dict(ridge=None, eval="burst:1000:15"),
        dict(ridge=1e-4, eval="log:35"),
        dict(ridge=1e-2, eval="jitter:40"),
        dict(noise=0.2, eval="log:35"),
        dict(noise=1.0, eval="geom:100"),
        dict(pb=0.0, ps=2.0, eval="log:30"),
        dict(ps=0.0, pb=2.0, eval="mixlog:40:30"),
        dict(n=200, d=240, eval="log:35"),
        dict(opt="sgd", lr=0.3, batch=10, epochs=2000, eval="mixed:50:10"),
        dict(opt="sgd", lr=0.3, batch=10, d=100, epochs=2000, eval="every:5"),
    ], lambda d: "n%d-d%d-%s%s-ps%g-pb%g-noise%g%s-%s%s" % (
        d["n"], d["d"], d["cov"], "%dx%g" % (d["k"], d["spike"]) if d["cov"] == "spiked"
        else "%g" % (d["alpha"] if d.get("alpha") is not None else d["rho"]), d["ps"], d["pb"], d["noise"],
        "-ridge%g" % d["ridge"] if d.get("ridge") else "-noridge", d["opt"],
        "-b%d-lr%g" % (d["batch"], d["lr"]) if d["opt"] == "sgd" else "-lr%g" % d["lr"]))


# ---------------------------------------------------------------------------------------------------- sk-randfeat-sgd


def sk_regression_or_classes(g, c):
    """scikit-learn's 'diabetes' (the standardised progression; Gaussian noise of sd 'noise' added to the training
    targets where set), 'wine' (one-hot targets of the 3 classes; a share 'flip' of the training labels flipped) or
    'linnerud' (the 3 physiological measures from the 3 exercises, standardised), split at random (from g) into n
    training points and the rest held out, inputs standardised on the training points. Returns (x, y, xt, yt, labels
    (training, held-out) or None)."""
    import sklearn.datasets
    X, Y = getattr(sklearn.datasets, "load_" + c["data"])(return_X_y=True)
    X, Y = torch.tensor(X, dtype=F64), torch.tensor(Y)
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    X = (X - X[tr].mean(0)) / X[tr].std(0)
    if c["data"] == "wine":
        lab, labt = flip_labels(g, Y[tr], 3, c.get("flip")), Y[te]
        eye = torch.eye(3, dtype=F64)
        return X[tr], eye[lab], X[te], eye[labt], (lab, labt)
    Y = Y.to(F64)
    Y = (Y - Y[tr].mean(0)) / Y[tr].std(0)
    y = Y[tr].clone()
    if c.get("noise"):
        y = y + c["noise"] * torch.randn(y.shape, generator=g, dtype=F64)
    return X[tr], y, X[te], Y[te], None


def sk_randfeat_sgd(w, run_id, c):
    """Random features regression on scikit-learn's data, float64. Data (from the run's generator):
    sk_regression_or_classes. Features (from the run's generator): 'relu' relu(x W + b), 'fourier' sqrt(2) cos(bw x W
    + b), W N(0, I / inputs), b N(0, 1) (relu) or U(0, 2 pi) (fourier), N of them, not standardised. Readout: from zero
    (one output a target), minibatch SGD ('sgd', batch; full batch where batch is unset) or heavy ball ('hb', momentum
    mom) at lr over the largest eigenvalue of Phi^T Phi / n, on the squared error plus (ridge / 2) |a|^2. Train loss:
    the squared error (summed over the outputs) on the training targets at their given (noisy or flipped) values; test
    loss: the same on the held-out points at their true targets; error rates (wine): the misclassified shares."""
    g = torch.Generator().manual_seed(952_000 + c["seed"])
    x, y, xt, yt, labels = sk_regression_or_classes(g, c)
    n, D, N = x.shape[0], x.shape[1], c["N"]
    W = torch.randn(D, N, generator=g, dtype=F64) / math.sqrt(D)
    if c["feat"] == "relu":
        b = torch.randn(N, generator=g, dtype=F64)
        phi, phit = (torch.relu(z @ W + b) for z in (x, xt))
    else:
        b = 2 * math.pi * torch.rand(N, generator=g, dtype=F64)
        phi, phit = (math.sqrt(2) * torch.cos(c["bw"] * (z @ W) + b) for z in (x, xt))
    K = 1 if y.dim() == 1 else y.shape[1]
    a = torch.zeros(N, dtype=F64) if K == 1 else torch.zeros(N, K, dtype=F64)
    buf = torch.zeros_like(a)
    lr = c["lr"] / top_eig(phi)

    def step(idx):
        readout_step(c, take(phi, idx), take(y, idx), a, buf, lr)

    run = w.run(run_id, a.numel(), n, {"family": "random-features", "features": N, "activation": c["feat"],
                                       "data": c["data"]},
                settings(c, ("seed", "data", "n", "noise", "flip", "feat", "bw", "N", "ridge", "opt", "mom", "lr",
                             "batch", "eval"))
                | {"optimizer": {"sgd": "sgd" if c.get("batch") else "gd", "hb": "sgd-heavy-ball"}[c["opt"]],
                   "full_batch": "false" if c.get("batch") else "true", "loss": "mse-plus-ridge",
                   "features_per_sample": "%.3g" % (N / n),
                   "noise": "flipped-labels" if c.get("flip") else "gaussian-target" if c.get("noise") else "none",
                   "test_loss": "heldout-sq-error-true-targets", "test_size": str(len(xt))},
                output_dim=K)
    log_ = logger(run)

    def log(e, final):
        o, ot = phi @ a, phit @ a
        if labels is None:
            log_(e, sq_err(o, y), sq_err(ot, yt), final=final)
        else:
            log_(e, sq_err(o, y), sq_err(ot, yt), (o.argmax(1) != labels[0]).double().mean(),
                 (ot.argmax(1) != labels[1]).double().mean(), final=final)

    train_until(g, n, c, step, log)


def runs_sk_randfeat_sgd():
    # The logic: 100 diabetes patients (342 held out), N = 100 random ReLU features of their 10 standardised columns (one
    # feature a patient: at the threshold), Gaussian noise of sd 0.5 added to the standardised training progression, a
    # readout from zero under minibatch SGD (batch 10, 10 steps an epoch) at 0.5 over the largest eigenvalue with a
    # tiny ridge 1e-5, 1,000 epochs: the few strong directions of the (unstandardised, so anisotropic) features are fit
    # at once, the many weak ones, which near the threshold carry the noise, slowly. One thing at a time besides: N =
    # 50, 90, 110, 200 and 400, Fourier features (bandwidth 1) at N = 100 and 200, the progression as it is, the ridge
    # nil and 1e-3, heavy-ball momentum 0.9 at 0.05, full-batch gradient descent at 0.9 for 3,000 epochs, minibatches
    # of 50, 200 patients at N = 200; the wine (80 bottles, least squares on one-hot targets, 20% of the labels
    # flipped) at N = 80 and 160 and with clean labels; the linnerud (14 athletes, full-batch gradient descent) at N =
    # 14 and 42. Evaluation spacing mixed.
    base = dict(data="diabetes", n=100, noise=0.5, flip=None, feat="relu", bw=None, N=100, ridge=1e-5, opt="sgd",
                mom=None, lr=0.5, batch=10, epochs=1000, eval="mixed:50:10")
    wine = dict(data="wine", n=80, noise=None, flip=0.2, N=80, batch=8)
    linn = dict(data="linnerud", n=14, noise=None, N=14, batch=None, lr=0.9, epochs=3000)
    return sk_randfeat_sgd, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(N=50, eval="every:4"),
        dict(N=90, eval="jitter:35"),
        dict(N=110, eval="geom:8"),
        dict(N=200, eval="mixlog:30:35"),
        dict(N=400, eval="every:5"),
        dict(feat="fourier", bw=1.0, eval="log:40"),
        dict(feat="fourier", bw=1.0, N=200, eval="burst:100:8"),
        dict(noise=None, eval="every:3"),
        dict(ridge=None, eval="rand:120"),
        dict(ridge=1e-3, eval="jitter:40"),
        dict(opt="hb", mom=0.9, lr=0.05, eval="mixed:60:8"),
        dict(batch=None, lr=0.9, epochs=3000, eval="log:35"),
        dict(batch=50, eval="every:2"),
        dict(n=200, N=200, batch=20, eval="geom:6"),
        dict(wine, eval="every"),
        dict(wine, N=160, eval="mixed:40:5"),
        dict(wine, flip=None, eval="jitter:30"),
        dict(linn, eval="mixlog:50:40"),
        dict(linn, N=42, eval="log:35"),
    ], lambda d: "%s-n%d%s%s-%s%s%d-%s%s-lr%g%s" % (
        d["data"], d["n"], "-noise%g" % d["noise"] if d.get("noise") else "",
        "-flip%g" % d["flip"] if d.get("flip") else "", d["feat"], "%g-" % d["bw"] if d.get("bw") else "", d["N"],
        "ridge%g" % d["ridge"] if d.get("ridge") else "noridge", "-hb%g" % d["mom"] if d["opt"] == "hb" else "",
        d["lr"], "-b%d" % d["batch"] if d.get("batch") else "-full"))


# ---------------------------------------------------------------------------------------------------- monomial-tiny-ridge


def smooth_target(z):
    return torch.sin(3 * z) + 0.5 * torch.cos(5 * z)


def monomial_data(g, c):
    """(phi, y, phit, yt): 'line' n inputs z uniform on [-1, 1] (2,000 test points), features z^0 ... z^p (raw, or each
    but the constant standardised on the training points where std is set), targets smooth_target plus Gaussian noise
    of sd 'noise' on the training points, the test targets clean; 'diabetes' scikit-learn's PolynomialFeatures of
    degree p of the 10 columns (standardised on the n training patients), each non-constant feature standardised on
    them, the standardised progression (Gaussian noise of sd 'noise' added to the training targets where set), the
    other patients held out. All draws from g."""
    if c["data"] == "line":
        z = 2 * torch.rand(c["n"], generator=g, dtype=F64) - 1
        zt = 2 * torch.rand(2000, generator=g, dtype=F64) - 1
        pw = torch.arange(c["p"] + 1, dtype=F64)
        phi, phit = z[:, None] ** pw, zt[:, None] ** pw
        y = smooth_target(z) + c["noise"] * torch.randn(c["n"], generator=g, dtype=F64)
        yt = smooth_target(zt)
        std = c.get("std")
    else:
        from sklearn.datasets import load_diabetes
        from sklearn.preprocessing import PolynomialFeatures
        X, Y = load_diabetes(return_X_y=True)
        X, Y = torch.tensor(X, dtype=F64), torch.tensor(Y, dtype=F64)
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        X = (X - X[tr].mean(0)) / X[tr].std(0)
        Y = (Y - Y[tr].mean()) / Y[tr].std()
        P = torch.tensor(PolynomialFeatures(c["p"]).fit_transform(X.numpy()), dtype=F64)
        phi, phit, y, yt = P[tr], P[te], Y[tr].clone(), Y[te]
        if c.get("noise"):
            y = y + c["noise"] * torch.randn(len(y), generator=g, dtype=F64)
        std = True
    if std:
        mu, sd = phi[:, 1:].mean(0), phi[:, 1:].std(0).clamp_min(1e-12)
        phi = torch.cat([phi[:, :1], (phi[:, 1:] - mu) / sd], 1)
        phit = torch.cat([phit[:, :1], (phit[:, 1:] - mu) / sd], 1)
    return phi, y, phit, yt


def monomial_tiny_ridge(w, run_id, c):
    """Polynomial least squares, float64. Data and features (from the run's generator): monomial_data. Readout: from
    zero, 'gd' full-batch gradient descent, 'hb' heavy ball or 'nesterov' (momentum mom, full batch), or 'sgd' minibatch
    SGD (batch), at lr over the largest eigenvalue of Phi^T Phi / n, on the mean squared error plus (ridge / 2) |a|^2.
    Train loss: the mean squared error on the noisy training targets; test loss: the mean squared error against the
    clean target of 2,000 fresh points ('line') or the held-out patients' standardised progression ('diabetes'); no
    error rates."""
    g = torch.Generator().manual_seed(953_000 + c["seed"])
    phi, y, phit, yt = monomial_data(g, c)
    n, D = phi.shape
    a, buf = torch.zeros(D, dtype=F64), torch.zeros(D, dtype=F64)
    lr = c["lr"] / top_eig(phi)

    def step(idx):
        readout_step(c, take(phi, idx), take(y, idx), a, buf, lr)

    line = c["data"] == "line"
    run = w.run(run_id, D, n, {"family": "polynomial", "basis": "monomials" if line else "polynomial-features",
                               "degree": c["p"], "features": D, "data": c["data"]},
                settings(c, ("seed", "data", "n", "p", "std", "noise", "ridge", "opt", "mom", "lr", "batch", "eval"))
                | {"optimizer": {"gd": "gd", "hb": "gd-heavy-ball", "nesterov": "gd-nesterov", "sgd": "sgd"}[c["opt"]],
                   "full_batch": "false" if c.get("batch") else "true", "loss": "mse-plus-ridge",
                   "features_per_sample": "%.3g" % (D / n),
                   "noise": "gaussian-target" if c.get("noise") else "none",
                   "test_loss": "mse-clean-target" if line else "heldout-mse", "test_size": str(len(yt))})
    log_ = logger(run)

    def log(e, final):
        log_(e, ((phi @ a - y) ** 2).mean(), ((phit @ a - yt) ** 2).mean(), final=final)

    train_until(g, n, c, step, log)


def runs_monomial_tiny_ridge():
    # The logic: 30 points uniform on [-1, 1], the smooth target sin(3z) + 0.5 cos(5z) plus noise of sd 0.3, the raw
    # monomials z^0 ... z^39 (40 features, past the 30 points; their Gram matrix is close to a Hilbert matrix, its
    # eigenvalues falling by orders of magnitude), a readout from zero by full-batch gradient descent at 0.9 over the
    # largest eigenvalue with a tiny ridge 1e-6, 10,000 epochs: the low-order shape is fit first and the noise along
    # the weak directions late or never. One thing at a time besides: 10, 20, 30 and 60 features, standardised
    # monomials (strongly correlated columns), heavy ball and Nesterov (momentum 0.9), minibatch SGD (batch 5), the
    # ridge nil and 1e-3, noise sd 0.1 and 0.6, 60 points at 80 features; and the diabetes' polynomial features of
    # degree 2 (66 features) at 40, 66 and 120 patients (66 with noise 0.5 added, 66 under heavy ball) and of degree 3
    # (286) at 250 patients under heavy ball. Evaluation spacing mixed.
    base = dict(data="line", n=30, p=39, std=None, noise=0.3, ridge=1e-6, opt="gd", mom=None, lr=0.9, batch=None,
                epochs=10000, eval="log:35")
    dia = dict(data="diabetes", p=2, n=66, noise=None, epochs=5000)
    return monomial_tiny_ridge, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(p=9, eval="jitter:35"),
        dict(p=19, eval="geom:60"),
        dict(p=29, eval="mixlog:40:35"),
        dict(p=59, eval="log:40"),
        dict(std=True, eval="log:35"),
        dict(opt="hb", mom=0.9, eval="jitter:30"),
        dict(opt="nesterov", mom=0.9, epochs=3000, eval="every:10"),
        dict(opt="sgd", batch=5, lr=0.3, epochs=3000, eval="mixed:60:12"),
        dict(ridge=None, eval="burst:500:10"),
        dict(ridge=1e-3, eval="log:30"),
        dict(noise=0.1, eval="rand:150"),
        dict(noise=0.6, eval="log:35"),
        dict(n=60, p=79, eval="geom:50"),
        dict(dia, eval="mixlog:30:35"),
        dict(dia, n=40, eval="every:20"),
        dict(dia, n=120, eval="jitter:35"),
        dict(dia, noise=0.5, eval="log:40"),
        dict(dia, opt="hb", mom=0.9, epochs=1000, eval="every:4"),
        dict(dia, p=3, n=250, opt="hb", mom=0.9, epochs=1000, eval="mixed:100:5"),
    ], lambda d: "%s-n%d-deg%d%s%s-%s-%s%s-lr%g" % (
        d["data"], d["n"], d["p"], "-std" if d.get("std") else "", "-noise%g" % d["noise"] if d.get("noise") else "",
        "ridge%g" % d["ridge"] if d.get("ridge") else "noridge", d["opt"],
        "%g" % d["mom"] if d.get("mom") else "-b%d" % d["batch"] if d.get("batch") else "", d["lr"]))


FAMILIES = {"spiked-cov-linreg": runs_spiked_cov_linreg, "sk-randfeat-sgd": runs_sk_randfeat_sgd,
            "monomial-tiny-ridge": runs_monomial_tiny_ridge}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
