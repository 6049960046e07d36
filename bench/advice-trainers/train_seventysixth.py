#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, seventy-sixth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone), and made to differ from the families of train.py ... train_seventyfourth.py in
model, optimizer and data. The theme of the round is quasi-Newton and Gauss-Newton training: steps that use curvature,
estimated from past gradients (L-BFGS), from the Jacobian (Levenberg-Marquardt) or from Hessian-vector products
(AdaHessian), each of which can fit the training set, noise included, in far fewer steps than gradient descent:

- lbfgs-wolfe-mlp: full-batch L-BFGS (torch.optim.LBFGS; history 10, 3 or 50) with a strong Wolfe line search or
  without one (a fixed step 1, 0.5 or 0.2), 'iters' quasi-Newton iterations an epoch, on a one-hidden-layer tanh MLP
  (two layers in 1 run, ReLU in 1) classifying scikit-learn's breast cancer (wine and iris in 1 run each), or in 2
  runs on a wide random-feature model (1,000 fixed random ReLU features, a linear readout trained: a convex problem),
  float64. Noise: a share of the training labels flipped. Loss: the cross-entropy (plus an L2 penalty in 1 run).
  Train loss: the cross-entropy on the training points at their given labels; test loss: the same on the held-out
  points with true labels; error rates: the misclassified shares.
- levmar-tanh-net: Levenberg-Marquardt (Nielsen's gain-ratio damping update, or the classic divide-or-multiply by 10
  with retries) and damped Gauss-Newton at a fixed damping on a one-hidden-layer tanh regression network, the
  damped normal equations (J^T J / n + lambda D) delta = -J^T r / n solved by a Cholesky factorisation at every step
  (D the identity, or Marquardt's diagonal of J^T J / n), the Jacobian written out, float64; one LM iteration an
  epoch. Data: synthetic inputs N(0, I_3) whose target is a random sum of sines (scikit-learn's diabetes, standardised,
  in 1 run). Noise: Gaussian target noise (Student-t in 1 run). Train loss: the mean squared error on the noisy
  training targets; test loss: the mean squared error against the clean target on 2,000 fresh points (the held-out
  patients' standardised progression on the diabetes); no error rates.
- adahessian-convnet: AdaHessian (Yao et al. 2021): Adam's moments with the squared gradient replaced by the square of
  a Hutchinson estimate z * (H z) of the Hessian's diagonal (z Rademacher draws from the run's generator, H z by a
  second backward pass), spatially averaged over each 3 x 3 convolution kernel, the denominator raised to a Hessian
  power k, on a small convolutional network (3 x 3 convolution, ReLU, 2 x 2 average pooling, a ReLU layer, 10 logits)
  classifying scikit-learn's 8 x 8 digits on minibatches, float32; in 1 run Adam (the gradient in place of the
  Hutchinson estimate) as a reference. Noise: a share of the training labels flipped (and Gaussian pixel noise on
  the training images in 1 run). Loss: the cross-entropy. Train loss: the cross-entropy on the training images at
  their given labels; test loss: the same on held-out images with true labels; error rates: the misclassified shares.

A run whose loss turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves and real_classes from
train_thirtysixth.py, epoch_loop (with eval_epochs), take and flip_labels from train_thirtyninth.py, count from
train_fortyeighth.py, mlp_params and mlp from train_sixtyfifth.py and logger and train_until from
train_seventyfourth.py; one thread, every random draw from a seeded torch.Generator (splits, flips, initialisations,
random features, inputs, noise, minibatches, Rademacher vectors), synthetic event times, 6 significant digits. No
planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_seventysixth.py --family lbfgs-wolfe-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): lbfgs-wolfe-mlp, levmar-tanh-net, adahessian-convnet. Evaluation spacings: train.py's
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

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- lbfgs-wolfe-mlp


def lbfgs_wolfe_mlp(w, run_id, c):
    """Full-batch L-BFGS on a classifier, float64. Data (from the run's generator): real_classes (breast cancer, wine or
    iris, standardised on the n training points, the rest held out); a share flip of the training labels flipped.
    Model: 'mlp' d -> hid (x depth, tanh or ReLU) -> K, U(+-1 / sqrt(fan-in)) from the run's generator; 'rf' D fixed
    random ReLU features relu(x W + b) / sqrt(D) (W N(0, I / d), b N(0, 1)) under a linear readout from zero. Loss: the
    cross-entropy (plus wd / 2 times the squared weights where set). Optimizer: torch.optim.LBFGS (history size
    'hist', max_iter 'iters' iterations an epoch, line search 'wolfe' strong Wolfe or 'none' a fixed step lr), one call
    an epoch on the whole training set; its history carries over from epoch to epoch. Train loss: the cross-entropy on
    the training points at their given labels; test loss: the same on the held-out points, true labels; error rates:
    the misclassified shares. A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(761_000 + c["seed"])
    x, y, xt, yt, K = real_classes(g, c["data"], c["n"], 1.0, F64)
    n, d = x.shape
    yn = flip_labels(g, y, K, c.get("flip"))
    if c["model"] == "rf":
        D = c["D"]
        Wf = torch.randn(d, D, generator=g, dtype=F64) / math.sqrt(d)
        bf = torch.randn(D, generator=g, dtype=F64)
        phi, phit = (torch.relu(z @ Wf + bf) / math.sqrt(D) for z in (x, xt))
        params = leaves([torch.zeros(D, K, dtype=F64), torch.zeros(K, dtype=F64)])

        def forward(test):
            return (phit if test else phi) @ params[0] + params[1]
    else:
        act = torch.tanh if c["act"] == "tanh" else torch.relu
        params = mlp_params(g, [d] + [c["hid"]] * c["depth"] + [K], F64)

        def forward(test):
            return mlp(params, xt if test else x, act)

    wd = c.get("wd") or 0.0
    wolfe = c["ls"] == "wolfe"
    opt = torch.optim.LBFGS(params, lr=c["lr"], max_iter=c["iters"], history_size=c["hist"],
                            line_search_fn="strong_wolfe" if wolfe else None)

    def objective():
        o = fn.cross_entropy(forward(False), yn)
        if wd:
            o = o + 0.5 * wd * sum((q * q).sum() for q in params[0::2])
        return o

    def closure():
        opt.zero_grad()
        o = objective()
        o.backward()
        return o

    def step(idx):
        opt.step(closure)

    rf = c["model"] == "rf"
    run = w.run(run_id, count(params), n, {"family": "random-features" if rf else "mlp",
                                           "width": c["D"] if rf else c["hid"], "depth": 1 if rf else c["depth"],
                                           "activation": "relu" if rf else c["act"]},
                settings(c, ("seed", "data", "n", "flip", "model", "act", "hid", "depth", "D", "wd", "hist", "iters",
                             "ls", "lr", "eval"))
                | {"optimizer": "lbfgs", "line_search": "strong-wolfe" if wolfe else "none", "full_batch": "true",
                   "loss": "cross-entropy" + ("-l2" if wd else ""), "test_loss": "heldout-ce-true-labels",
                   "error": "misclassified", "test_size": str(len(yt))}, output_dim=K)
    log_ = logger(run)

    def log(e, final):
        o, ot = forward(False), forward(True)
        log_(e, fn.cross_entropy(o, yn), fn.cross_entropy(ot, yt), (o.argmax(1) != yn).double().mean(),
             (ot.argmax(1) != yt).double().mean(), final=final)

    train_until(g, n, c, step, log)


def runs_lbfgs_wolfe_mlp():
    # The logic: 150 breast-cancer patients, 20% of their labels flipped, a tanh MLP 30 -> 32 -> 2 (1,058 weights, seven
    # a label, so it can fit the flips) under full-batch L-BFGS with a history of 10 and a strong Wolfe line search, one
    # quasi-Newton iteration an epoch, 200 epochs: the curvature pairs let it fit the clean part within a few
    # iterations and then the flipped labels, the held-out cross-entropy rising as they are fitted (every epoch
    # evaluated to the 30th at the base, the fit being fast). One thing at a time besides: no line search at the fixed
    # step 1, 0.5 and 0.2, history 3 and 50, 4 iterations an epoch, width 8 and 128, two hidden layers, ReLU, clean and
    # 35% flipped labels, 75 and 300 patients, wine and iris (70 points), an L2 penalty 1e-3, and a wide random-feature
    # model (1,000 fixed ReLU features, the readout trained: convex) with and without the line search. Evaluation
    # spacing mixed.
    base = dict(data="cancer", n=150, flip=0.2, model="mlp", act="tanh", hid=32, depth=1, D=None, wd=None, hist=10,
                iters=1, ls="wolfe", lr=1.0, epochs=200, eval="mixed:30:2")
    return lbfgs_wolfe_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(ls="none", lr=1.0, eval="every"),
        dict(ls="none", lr=0.5, eval="log:40"),
        dict(ls="none", lr=0.2, eval="every:3"),
        dict(hist=3, eval="every"),
        dict(hist=50, eval="jitter:40"),
        dict(iters=4, eval="every"),
        dict(hid=8, eval="every:2"),
        dict(hid=128, eval="geom:3"),
        dict(depth=2, eval="every:2"),
        dict(act="relu", eval="mixed:40:3"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.35, eval="burst:20:5"),
        dict(n=75, eval="every"),
        dict(n=300, eval="every:3"),
        dict(data="wine", n=70, eval="mixlog:30:40"),
        dict(data="iris", n=70, eval="every:2"),
        dict(wd=1e-3, eval="rand:120"),
        dict(model="rf", act=None, hid=None, depth=None, D=1000, eval="every:2"),
        dict(model="rf", act=None, hid=None, depth=None, D=1000, ls="none", lr=1.0, eval="log:30"),
    ], lambda d: "%s-n%d%s-%s%s-hist%d-it%d-%s%s" % (
        d["data"], d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean",
        "%s%dx%d" % (d["act"], d["depth"], d["hid"]) if d["model"] == "mlp" else "rf%d" % d["D"],
        "-wd%g" % d["wd"] if d.get("wd") else "", d["hist"], d["iters"], d["ls"],
        "" if d["ls"] == "wolfe" else "-lr%g" % d["lr"]))


# ---------------------------------------------------------------------------------------------------- levmar-tanh-net


def target_noise(g, c, y):
    """y plus noise sd times N(0, 1) from g, or a Student-t of 'df' degrees of freedom (a normal over the root of a
    chi-square drawn by the gamma, scaled to unit variance) where df is set; y as it is where sd is not."""
    if c.get("sd"):
        e = torch.randn(len(y), generator=g, dtype=F64)
        if c.get("df"):
            chi2 = 2 * torch._standard_gamma(torch.full((len(y),), c["df"] / 2, dtype=F64), generator=g)
            e = e / torch.sqrt(chi2 / c["df"]) * math.sqrt((c["df"] - 2) / c["df"])
        y = y + c["sd"] * e
    return y


def regression_data(g, c):
    """(x, noisy training targets, xt, clean test targets): 'synth' inputs N(0, I_d), the target f(x) = sum_j sin(w_j .
    x + p_j) / sqrt(J) (J random waves, w_j N(0, I)) standardised by its sd over the 2,000 test points, n training
    targets f + noise sd times N(0, 1) (a Student-t of 'df' degrees of freedom scaled to sd where set) and 2,000 fresh
    test points with the clean target; 'diabetes' scikit-learn's diabetes (inputs and progression standardised on the n
    training patients, the rest held out), noise added to the training targets as above where sd is set; all from g."""
    if c["data"] == "diabetes":
        from sklearn.datasets import load_diabetes
        xs, ys = load_diabetes(return_X_y=True)
        X, Y = torch.tensor(xs, dtype=F64), torch.tensor(ys, dtype=F64)
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        X = (X - X[tr].mean(0)) / X[tr].std(0)
        Y = (Y - Y[tr].mean()) / Y[tr].std()
        x, y, xt, yt = X[tr], Y[tr], X[te], Y[te]
    else:
        d, J = c["d"], c["J"]
        W = torch.randn(J, d, generator=g, dtype=F64)
        P = 2 * math.pi * torch.rand(J, generator=g, dtype=F64)
        x = torch.randn(c["n"], d, generator=g, dtype=F64)
        xt = torch.randn(2000, d, generator=g, dtype=F64)

        def f(z):
            return torch.sin(z @ W.T + P).sum(1) / math.sqrt(J)

        s = float(f(xt).std())
        y, yt = f(x) / s, f(xt) / s
    y = target_noise(g, c, y)
    return x, y, xt, yt


class TanhNet:
    """f(x) = tanh(x W + b) v + c0, the weights one flat float64 vector theta = (W (d x h, row-major), b, v, c0),
    U(+-1 / sqrt(fan-in)) from g (mlp_params' draws); its Jacobian in theta written out."""

    def __init__(self, g, d, h):
        W, b, V, c0 = mlp_params(g, [d, h, 1], F64)
        self.d, self.h = d, h
        self.theta = torch.cat([W.detach().reshape(-1), b.detach(), V.detach().reshape(-1), c0.detach()])

    def parts(self, theta):
        d, h = self.d, self.h
        return theta[:d * h].reshape(d, h), theta[d * h:d * h + h], theta[d * h + h:d * h + 2 * h], theta[-1]

    def f(self, theta, x):
        W, b, v, c0 = self.parts(theta)
        return torch.tanh(x @ W + b) @ v + c0

    def jac(self, theta, x):
        W, b, v, c0 = self.parts(theta)
        H = torch.tanh(x @ W + b)
        S = v * (1 - H * H)
        JW = (x[:, :, None] * S[:, None, :]).reshape(len(x), -1)
        return torch.cat([JW, S, H, torch.ones(len(x), 1, dtype=F64)], 1)


def levmar_tanh_net(w, run_id, c):
    """Levenberg-Marquardt and damped Gauss-Newton on a tanh regression network, float64. Data (from the run's
    generator): regression_data. Model: TanhNet, d -> hid -> 1. Loss: L = (1/2) mean squared residual r = f(x) - y.
    One iteration an epoch: with J the Jacobian, A = J^T J / n and g = J^T r / n, delta solves (A + lambda D) delta = -g
    (a Cholesky factorisation; D the identity for 'levenberg', the diagonal of A plus 1e-12 for 'marquardt'); lambda
    starts at tau times the largest diagonal entry of A. 'nielsen': the gain ratio rho = (L - L(theta + delta)) /
    (delta^T (lambda D delta - g) / 2); rho > 0 accepts the step and multiplies lambda by max(1/3, 1 - (2 rho - 1)^3)
    (nu back to 2), else lambda times nu and nu doubled and a new try (up to 10 an iteration); 'x10': a step that lowers
    L is accepted and lambda divided by 10, else lambda times 10 and a new try (up to 10); 'fixed': lambda fixed at
    'lam' and every step taken (damped Gauss-Newton). Train loss: the mean squared error on the training targets (noisy
    where noise is set); test loss: the mean squared error against the clean targets of the test points (the held-out
    patients' progression on the diabetes); no error rates. Once the gradient's largest entry is below 1e-12 no step is
    taken (converged). A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(762_000 + c["seed"])
    x, y, xt, yt = regression_data(g, c)
    n, d = x.shape
    net = TanhNet(g, d, c["hid"])
    st = {"theta": net.theta, "nu": 2.0, "lam": None}

    def half_mse(theta):
        r = net.f(theta, x) - y
        return 0.5 * float((r * r).mean())

    def step(idx):
        theta = st["theta"]
        r = net.f(theta, x) - y
        J = net.jac(theta, x)
        A = J.T @ J / n
        gr = J.T @ r / n
        Dg = torch.diagonal(A) + 1e-12 if c["scaling"] == "marquardt" else torch.ones(len(theta), dtype=F64)
        if st["lam"] is None:
            st["lam"] = c["lam"] if c["damping"] == "fixed" else c["tau"] * float(torch.diagonal(A).max())
        if float(gr.abs().max()) < 1e-12:  # converged (a gradient tolerance): no step
            return
        L0 = 0.5 * float((r * r).mean())
        for _ in range(1 if c["damping"] == "fixed" else 10):
            lam = st["lam"]
            M = A + torch.diag(lam * Dg)
            delta = -torch.cholesky_solve(gr[:, None], torch.linalg.cholesky(M))[:, 0]
            new = theta + delta
            if c["damping"] == "fixed":
                st["theta"] = new
                return
            L1 = half_mse(new)
            if c["damping"] == "nielsen":
                pred = 0.5 * float(delta @ (lam * Dg * delta - gr))
                rho = (L0 - L1) / pred if pred > 0 else -1.0
                if rho > 0 and math.isfinite(L1):
                    st["theta"] = new
                    st["lam"] = lam * max(1 / 3, 1 - (2 * rho - 1) ** 3)
                    st["nu"] = 2.0
                    return
                st["lam"] = lam * st["nu"]
                st["nu"] *= 2
            else:
                if L1 < L0:
                    st["theta"] = new
                    st["lam"] = lam / 10
                    return
                st["lam"] = lam * 10

    run = w.run(run_id, len(net.theta), n, {"family": "mlp", "hidden": c["hid"], "depth": 1, "activation": "tanh"},
                settings(c, ("seed", "data", "n", "d", "J", "sd", "df", "hid", "damping", "scaling", "tau", "lam",
                             "eval"))
                | {"optimizer": "levenberg-marquardt" if c["damping"] != "fixed" else "damped-gauss-newton",
                   "full_batch": "true", "loss": "mse",
                   "test_loss": "heldout-mse" if c["data"] == "diabetes" else "mse-clean-target",
                   "test_size": str(len(yt))})
    log_ = logger(run)

    def log(e, final):
        theta = st["theta"]
        log_(e, ((net.f(theta, x) - y) ** 2).mean(), ((net.f(theta, xt) - yt) ** 2).mean(), final=final)

    train_until(g, n, c, step, log)


def runs_levmar_tanh_net():
    # The logic: 100 points of 3 Gaussian inputs, the target a standardised sum of 5 random sine waves, Gaussian target
    # noise of sd 0.5; a tanh network 3 -> 24 -> 1 (121 weights, more than the points, so it can interpolate the noise)
    # under Levenberg-Marquardt with Nielsen's damping update, lambda starting at 1e-3 times the largest diagonal entry
    # of J^T J / n, one iteration an epoch, 120 epochs: the Gauss-Newton steps fit the smooth part in a few iterations
    # and then the noise, the clean test error rising as they do. One thing at a time besides: Marquardt's scaling, the
    # classic x10 rule (with Marquardt's scaling in 1 run), the damping started at 1 times the diagonal (tau 1), damped
    # Gauss-Newton at a fixed damping 1e-3, 1e-2 and 1e-1, width 8 and 64, noise sd 0.2 and 1, Student-t noise (3
    # degrees of freedom), 50 and 200 points, 10 waves, and scikit-learn's diabetes (150 patients, width 16; under
    # Nielsen's rule and at a fixed damping 1e-2). Evaluation spacing mixed.
    base = dict(data="synth", n=100, d=3, J=5, sd=0.5, df=None, hid=24, damping="nielsen", scaling="levenberg",
                tau=1e-3, lam=None, epochs=120, eval="every")
    return levmar_tanh_net, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(scaling="marquardt", eval="every"),
        dict(damping="x10", eval="every:2"),
        dict(tau=1.0, eval="log:40"),
        dict(damping="fixed", tau=None, lam=1e-3, eval="every"),
        dict(damping="fixed", tau=None, lam=1e-2, eval="jitter:40"),
        dict(damping="fixed", tau=None, lam=1e-1, eval="every:2"),
        dict(hid=8, eval="every"),
        dict(hid=64, eval="geom:2"),
        dict(sd=0.2, eval="every"),
        dict(sd=1.0, eval="mixed:30:2"),
        dict(df=3.0, eval="every"),
        dict(n=50, eval="every:2"),
        dict(n=200, eval="burst:10:4"),
        dict(J=10, eval="every"),
        dict(data="diabetes", n=150, d=None, J=None, sd=None, hid=16, eval="mixlog:20:40"),
        dict(data="diabetes", n=150, d=None, J=None, sd=None, hid=16, damping="fixed", tau=None, lam=1e-2,
             eval="every"),
        dict(scaling="marquardt", damping="x10", eval="rand:60"),
    ], lambda d: "%s-n%d%s%s%s-tanh%d-%s-%s%s" % (
        d["data"], d["n"], "-J%d" % d["J"] if d.get("J") else "", "-sd%g" % d["sd"] if d.get("sd") else "",
        "-t%g" % d["df"] if d.get("df") else "", d["hid"], d["damping"], d["scaling"],
        "-lam%g" % d["lam"] if d["damping"] == "fixed" else "-tau%g" % d["tau"]))


# --------------------------------------------------------------------------------------------------- adahessian-convnet


def digit_images(g, c):
    """scikit-learn's digits (pixels / 16) as 1 x 8 x 8 images (from the run's generator): n training and 'test' other
    held-out images at random; Gaussian noise of sd 'pix' added to the training pixels where set."""
    from sklearn.datasets import load_digits
    xs, ys = load_digits(return_X_y=True)
    X, Y = torch.tensor(xs, dtype=F32).reshape(-1, 1, 8, 8) / 16, torch.tensor(ys)
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:c["n"] + c["test"]]
    x = X[tr]
    if c.get("pix"):
        x = x + c["pix"] * torch.randn(x.shape, generator=g)
    return x, Y[tr], X[te], Y[te]


class AdaHessian:
    """AdaHessian (Yao, Gholami, Shen, Mustafa, Keutzer & Mahoney 2021): m = b1 m + (1 - b1) grad; every hfreq-th step
    v = b2 v + (1 - b2) D^2, D the Hutchinson estimate |z * (H z)| of the Hessian's diagonal (z Rademacher, from g),
    its absolute value averaged over each convolution kernel's 3 x 3 entries (spatial averaging); the weight moved by
    lr (m / (1 - b1^t)) / ((sqrt(v / (1 - b2^s)))^k + eps) plus lr wd times the weight (decoupled), t the steps, s the
    Hessian updates. 'adam': D replaced by the gradient and updated at every step (Adam)."""

    def __init__(self, params, c, g):
        self.params, self.c, self.g = params, c, g
        self.m = [torch.zeros_like(q) for q in params]
        self.v = [torch.zeros_like(q) for q in params]
        self.t, self.s = 0, 0

    def step(self, loss):
        c = self.c
        hess = c["opt"] == "adahessian" and self.t % c["hfreq"] == 0
        grads = torch.autograd.grad(loss, self.params, create_graph=hess)
        if hess:
            z = [(torch.randint(0, 2, q.shape, generator=self.g) * 2 - 1).to(q.dtype) for q in self.params]
            hz = torch.autograd.grad(grads, self.params, grad_outputs=z)
            D = []
            for zi, hi in zip(z, hz):
                di = (zi * hi).abs()
                if di.dim() == 4:
                    di = di.mean(dim=(2, 3), keepdim=True).expand_as(di)
                D.append(di)
        elif c["opt"] == "adam":
            D = grads
        else:
            D = None
        self.t += 1
        if D is not None:
            self.s += 1
        b1, b2, k = c["b1"], c["b2"], c.get("k") or 1.0
        with torch.no_grad():
            for q, gr, m, v, i in zip(self.params, grads, self.m, self.v, range(len(self.params))):
                m.mul_(b1).add_(gr.detach(), alpha=1 - b1)
                if D is not None:
                    v.mul_(b2).add_(D[i].detach() ** 2, alpha=1 - b2)
                den = (v / (1 - b2 ** self.s)).sqrt() ** k + c["eps"]
                q.sub_(c["lr"] * (m / (1 - b1 ** self.t) / den + (c.get("wd") or 0.0) * q))


def adahessian_convnet(w, run_id, c):
    """AdaHessian on a small convolutional network classifying the digits, float32. Data (from the run's generator):
    digit_images; a share flip of the training labels flipped. Model: a 3 x 3 convolution 1 -> ch channels (padding 1),
    ReLU, 2 x 2 average pooling, ch x 16 -> fc ReLU units -> 10 logits, U(+-1 / sqrt(fan-in)) from the run's generator.
    Loss: the cross-entropy. Optimizer: AdaHessian (or Adam) on minibatches of batch. Train loss: the cross-entropy on
    the training images at their given labels; test loss: the same on the held-out images, true labels; error rates:
    the misclassified shares. A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(763_000 + c["seed"])
    x, y, xt, yt = digit_images(g, c)
    n, ch, fc = len(y), c["ch"], c["fc"]
    yn = flip_labels(g, y, 10, c.get("flip"))
    params = leaves([uniform(g, 9, ch, 1, 3, 3), uniform(g, 9, ch), uniform(g, ch * 16, ch * 16, fc),
                     uniform(g, ch * 16, fc), uniform(g, fc, fc, 10), uniform(g, fc, 10)])

    def forward(z):
        z = fn.avg_pool2d(torch.relu(fn.conv2d(z, params[0], params[1], padding=1)), 2).flatten(1)
        return torch.relu(z @ params[2] + params[3]) @ params[4] + params[5]

    opt = AdaHessian(params, c, g)

    def step(idx):
        opt.step(fn.cross_entropy(forward(take(x, idx)), take(yn, idx)))

    run = w.run(run_id, count(params), n, {"family": "convnet", "channels": ch, "hidden": fc, "pooling": "avg"},
                settings(c, ("seed", "n", "flip", "pix", "ch", "fc", "opt", "lr", "b1", "b2", "eps", "k", "hfreq",
                             "wd", "batch", "eval"))
                | {"optimizer": c["opt"],
                   "hutchinson": "rademacher-spatial-avg" if c["opt"] == "adahessian" else "none",
                   "loss": "cross-entropy", "test_loss": "heldout-digits-ce-true-labels", "error": "misclassified",
                   "test_size": str(len(yt))}, output_dim=10)
    log_ = logger(run)

    def log(e, final):
        o, ot = forward(x), forward(xt)
        log_(e, fn.cross_entropy(o, yn), fn.cross_entropy(ot, yt), (o.argmax(1) != yn).float().mean(),
             (ot.argmax(1) != yt).float().mean(), final=final)

    train_until(g, n, c, step, log)


def runs_adahessian_convnet():
    # The logic: 400 digits, 20% of their labels flipped, a small convolutional network (8 channels of 3 x 3, average
    # pooling to 4 x 4, 32 ReLU units, 10 logits; 4,538 weights, eleven a label, so it can fit the flips) under
    # AdaHessian at the paper's defaults (step 0.15, betas 0.9 and 0.999, eps 1e-4, Hessian power 1) on minibatches of
    # 40, the Hutchinson estimate at every step, 80 epochs; 600 held-out images. One thing at a time besides: the step
    # 0.05 and 0.4, the Hessian power 0.5, the Hessian estimated every 5th step, beta2 0.99, decoupled weight decay
    # 1e-3, clean and 40% flipped labels, Gaussian pixel noise 0.3 on the training images, 200 and 800 images, 4 and 16
    # channels, minibatches of 20 and 100, the step 0.05 at the power 0.5, and Adam at 0.01 as a reference. Evaluation
    # spacing mixed.
    base = dict(n=400, test=600, flip=0.2, pix=None, ch=8, fc=32, opt="adahessian", lr=0.15, b1=0.9, b2=0.999,
                eps=1e-4, k=1.0, hfreq=1, wd=None, batch=40, epochs=80, eval="every")
    return adahessian_convnet, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(lr=0.05, eval="every"),
        dict(lr=0.4, eval="every:2"),
        dict(k=0.5, eval="jitter:30"),
        dict(hfreq=5, eval="every"),
        dict(b2=0.99, eval="every"),
        dict(wd=1e-3, eval="geom:2"),
        dict(flip=None, eval="every"),
        dict(flip=0.4, eval="mixed:20:2"),
        dict(pix=0.3, eval="every"),
        dict(n=200, eval="every"),
        dict(n=800, eval="log:30"),
        dict(ch=4, eval="every"),
        dict(ch=16, eval="burst:10:4"),
        dict(batch=20, eval="every:2"),
        dict(batch=100, eval="every"),
        dict(opt="adam", lr=0.01, eps=1e-8, k=None, hfreq=None, eval="mixlog:15:30"),
        dict(lr=0.05, k=0.5, eval="rand:40"),
    ], lambda d: "digits-n%d%s%s-conv%d-fc%d-%s-lr%g%s%s%s%s-b%d" % (
        d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", "-pix%g" % d["pix"] if d.get("pix") else "",
        d["ch"], d["fc"], d["opt"], d["lr"], "-k%g" % d["k"] if d.get("k") else "",
        "-h%d" % d["hfreq"] if d.get("hfreq") and d["hfreq"] > 1 else "", "-wd%g" % d["wd"] if d.get("wd") else "",
        "-beta2%g" % d["b2"] if d["b2"] != 0.999 else "", d["batch"]))


FAMILIES = {"lbfgs-wolfe-mlp": runs_lbfgs_wolfe_mlp, "levmar-tanh-net": runs_levmar_tanh_net,
            "adahessian-convnet": runs_adahessian_convnet}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
