#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, ninety-second held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is model-size sweeps run in grid order, as researchers run
them: each family is one sweep whose runs go from the smallest model to the largest (its runs' order in the file is
the grid's), crossing the interpolation threshold, with label or target noise, one or two settings per size, every
run trained for the same number of epochs:

- mlp-width-ladder: a one-hidden-layer ReLU MLP classifying scikit-learn's 8 x 8 digits (flattened; 300 training
  images, 600 held out), float32, under Adam on minibatches with the cross-entropy; the hidden width swept 4 ... 256
  (10 widths), at each width two runs, 10% and 30% of the training labels replaced by another class.
- rf-count-ladder: random ReLU features of scikit-learn's diabetes (its 10 columns standardised on the 150 training
  patients, the other 292 held out), relu(x W + b) with W N(0, I / 10) and b N(0, 1), each feature standardised on the
  training patients, and a linear readout from zero trained by full-batch gradient descent on the mean squared error,
  float64, at 0.9 over the largest eigenvalue of the features' Gram matrix; the number of features swept 15 ... 600 (10
  counts; 150 the training set's size), at each count two runs, the standardised progression as it is and with
  Gaussian noise of sd 0.5 added to the training targets.
- poly-degree-ladder: polynomial regression in two variables, the orthonormal tensor Legendre basis P_i(x1) P_j(x2)
  of total degree i + j <= p on [-1, 1]^2 ((p + 1)(p + 2) / 2 features), a linear readout from zero trained by
  minibatch heavy-ball SGD (momentum 0.9) at 0.05 over the largest eigenvalue of the features' Gram matrix on the mean
  squared error, float64; 60 training points drawn uniformly, the target a smooth function (a sine ridge, a cosine
  in x2 and a product term) plus Gaussian noise of sd 0.3 on the training targets; the degree swept 1 ... 20 (one run
  a degree; 60 points are fitted from degree 10 on, 66 features).

Train loss: the loss on the training points at their given (noisy) labels or targets; test loss: the same loss on
held-out points (the digits' at their true labels; the diabetes' on the held-out patients' standardised progression;
the polynomial's against the clean target on 2,000 fresh points); error rates: the misclassified shares
(mlp-width-ladder only). A run whose loss turns NaN or infinite sends that evaluation as its last and stops
(train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, leaves from train_thirtysixth.py, take and flip_labels from
train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and mlp from train_sixtyfifth.py, logger and
train_until from train_seventyfourth.py, digit_images from train_seventysixth.py and classifier_log from
train_eightythird.py; one thread, every random draw from a seeded torch.Generator (splits, label flips, target noise,
random features, inputs, initialisations, minibatches), synthetic event times, 6 significant digits. No planned last
epoch is told: the last event's final marks it.

    /usr/bin/python3 train_ninetysecond.py --family mlp-width-ladder [--list] [--runs 0,3] [--out FILE]

Families (see README.md): mlp-width-ladder, rf-count-ladder, poly-degree-ladder. Evaluation spacings: train.py's
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
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import digit_images  # noqa: E402  (the digits as 1 x 8 x 8 images, a seeded split)
from train_eightythird import classifier_log  # noqa: E402

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


def ladder(sizes, key, variants, evals):
    """The rows of a size sweep in grid order: for each size (smallest first) one row per variant (a dict of the
    other settings), the evaluation spacings taken in turn from evals."""
    rows = []
    for s in sizes:
        for v in variants:
            rows.append(dict(v, **{key: s}, eval=evals[len(rows) % len(evals)]))
    return rows


# ---------------------------------------------------------------------------------------------------- mlp-width-ladder


def mlp_width_ladder(w, run_id, c):
    """A one-hidden-layer ReLU MLP classifier on the digits, float32. Data (from the run's generator): digit_images (n
    training, 'test' held-out images) flattened to 64 pixels; a share flip of the training labels replaced by another
    class (flip_labels). Model: 64 -> hid (ReLU) -> 10, mlp_params (U(+-1 / sqrt(fan-in)) from the run's generator).
    Loss: the cross-entropy. Optimizer: torch.optim.Adam at lr on minibatches of batch. Train loss: the cross-entropy
    on the training images at their given labels; test loss: the same on the held-out images at their true labels;
    error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(921_000 + c["seed"])
    x, y, xt, yt = digit_images(g, c)
    x, xt = x.flatten(1), xt.flatten(1)
    yn = flip_labels(g, y, 10, c.get("flip"))
    params = mlp_params(g, [64, c["hid"], 10], F32)
    opt = torch.optim.Adam(params, lr=c["lr"])

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(mlp(params, take(x, idx), torch.relu), take(yn, idx)).backward()
        opt.step()

    n = len(y)
    run = w.run(run_id, count(params), n, {"family": "mlp", "hidden": c["hid"], "depth": 1, "activation": "relu"},
                settings(c, ("seed", "n", "flip", "hid", "lr", "batch", "eval"))
                | {"optimizer": "adam", "loss": "cross-entropy", "sweep_axis": "hidden-width",
                   "params_per_label": "%.3g" % (count(params) / n),
                   "noise": "uniform-other-class" if c.get("flip") else "none",
                   "test_loss": "heldout-ce-true-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=10)
    train_until(g, n, c, step, classifier_log(run, lambda z: mlp(params, z, torch.relu), x, yn, xt, yt,
                                              fn.cross_entropy))


def runs_mlp_width_ladder():
    # The logic: 300 digits, an MLP 64 -> h -> 10 (75 h + 10 weights) under Adam at 5e-3 on minibatches of 50 (6 steps
    # an epoch), 200 epochs for every width; 600 held-out images. The sweep as a researcher runs it, smallest first:
    # h = 4, 8, 12, 16, 24, 32, 48, 64, 128, 256 (310 to 19,210 weights), so that the narrow nets cannot fit the
    # flipped labels within the epochs, the widths around 16-32 (1,200-2,400 weights, four to eight a label) just
    # can, and the wide ones fit them early; at each width 10% and 30% of the labels flipped. Evaluation spacing
    # mixed, taken in turn.
    base = dict(n=300, test=600, flip=None, hid=None, lr=5e-3, batch=50, epochs=200, eval=None)
    rows = ladder((4, 8, 12, 16, 24, 32, 48, 64, 128, 256), "hid", (dict(flip=0.1), dict(flip=0.3)),
                  ("every", "every:2", "jitter:30", "every", "geom:2", "mixed:30:2", "every:3", "burst:10:4",
                   "log:30", "mixlog:20:30", "rand:40", "every"))
    return mlp_width_ladder, dict_runs(base, rows, lambda d: "digits-n%d-flip%g-mlp%d-adam-lr%g-b%d" % (
        d["n"], d["flip"], d["hid"], d["lr"], d["batch"]))


# ---------------------------------------------------------------------------------------------------- rf-count-ladder


def rf_count_ladder(w, run_id, c):
    """Random ReLU features regression on scikit-learn's diabetes, float64. Data (from the run's generator): the 442
    patients split at random into n training patients and the rest held out, the 10 columns and the progression
    standardised on the training patients; Gaussian noise of sd 'noise' added to the training targets where set.
    Features: N random ReLU features relu(x W + b) (W N(0, I / 10), b N(0, 1), from the run's generator), each
    standardised on the training patients. Readout: from zero, full-batch gradient descent at lr over the largest
    eigenvalue of Phi^T Phi / n on the mean squared error (one step an epoch). Train loss: the mean squared error on the
    (noisy) training targets; test loss: the same on the held-out patients' standardised progression; no error rates."""
    from sklearn.datasets import load_diabetes
    g = torch.Generator().manual_seed(922_000 + c["seed"])
    xs, ys = load_diabetes(return_X_y=True)
    X, Y = torch.tensor(xs, dtype=F64), torch.tensor(ys, dtype=F64)
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    X = (X - X[tr].mean(0)) / X[tr].std(0)
    Y = (Y - Y[tr].mean()) / Y[tr].std()
    N, d = c["N"], X.shape[1]
    W = torch.randn(d, N, generator=g, dtype=F64) / math.sqrt(d)
    b = torch.randn(N, generator=g, dtype=F64)
    P = torch.relu(X @ W + b)
    P = (P - P[tr].mean(0)) / P[tr].std(0).clamp_min(1e-8)
    phi, phit, y, yt = P[tr], P[te], Y[tr].clone(), Y[te]
    if c.get("noise"):
        y = y + c["noise"] * torch.randn(len(y), generator=g, dtype=F64)
    n = len(y)
    lr = c["lr"] / float(torch.linalg.eigvalsh(phi.T @ phi / n)[-1])
    a = torch.zeros(N, dtype=F64)

    def step(idx):
        a.sub_(lr * (phi.T @ (phi @ a - y)) / n)

    run = w.run(run_id, N, n, {"family": "random-relu-features", "features": N, "data": "diabetes"},
                settings(c, ("seed", "n", "N", "noise", "lr", "eval"))
                | {"optimizer": "gd", "full_batch": "true", "loss": "mse", "sweep_axis": "feature-count",
                   "width_ratio": "%.3g" % (N / n), "noise": "gaussian-target" if c.get("noise") else "none",
                   "test_loss": "heldout-mse", "test_size": str(len(yt))})
    log_ = logger(run)

    def log(e, final):
        log_(e, ((phi @ a - y) ** 2).mean(), ((phit @ a - yt) ** 2).mean(), final=final)

    train_until(g, n, c, step, log)


def runs_rf_count_ladder():
    # The logic: 150 diabetes patients, N random ReLU features of their 10 columns, the readout from zero by full-batch
    # gradient descent at 0.9 over the largest eigenvalue, 2,000 epochs for every count. The sweep, smallest first:
    # N = 15, 40, 80, 120, 140, 150, 160, 200, 300, 600 (a tenth to four times the patients), so that the few-feature
    # models cannot fit the targets' noise, those near 150 fit it along directions of tiny eigenvalues late in the run,
    # and the many-feature ones fit it sooner and more smoothly; at each count the progression as it is (its own noise,
    # about half its variance) and with Gaussian noise of sd 0.5 added to the training targets. Evaluation spacing
    # mixed, taken in turn.
    base = dict(n=150, N=None, noise=None, lr=0.9, epochs=2000, eval=None)
    rows = ladder((15, 40, 80, 120, 140, 150, 160, 200, 300, 600), "N", (dict(noise=None), dict(noise=0.5)),
                  ("log:35", "every:20", "jitter:35", "mixed:50:25", "geom:20", "log:40", "burst:200:6",
                   "every:25", "mixlog:30:35", "rand:80", "jitter:40"))
    return rf_count_ladder, dict_runs(base, rows, lambda d: "diabetes-n%d-rf%d%s-gd-lr%g" % (
        d["n"], d["N"], "-noise%g" % d["noise"] if d.get("noise") else "-asis", d["lr"]))


# ---------------------------------------------------------------------------------------------------- poly-degree-ladder


def legendre_2d(z, p):
    """The orthonormal tensor Legendre features sqrt(2i + 1) P_i(z1) sqrt(2j + 1) P_j(z2), i + j <= p (ordered by total
    degree), of points z in [-1, 1]^2 (unit second moment under the uniform law)."""
    cols = []
    for t in range(2):
        P = [torch.ones(len(z), dtype=z.dtype), z[:, t]]
        for k in range(1, p):
            P.append(((2 * k + 1) * z[:, t] * P[k] - k * P[k - 1]) / (k + 1))
        cols.append([math.sqrt(2 * k + 1) * P[k] for k in range(p + 1)])
    return torch.stack([cols[0][i] * cols[1][s - i] for s in range(p + 1) for i in range(s + 1)], 1)


def poly_target(z):
    return torch.sin(2 * z[:, 0] + z[:, 1]) + 0.5 * torch.cos(3 * z[:, 1]) + 0.5 * z[:, 0] * z[:, 1]


def poly_degree_ladder(w, run_id, c):
    """Polynomial regression in two variables, float64. Data (from the run's generator): n training points and 2,000
    test points uniform on [-1, 1]^2, the target poly_target, Gaussian noise of sd 'noise' on the training targets.
    Features: legendre_2d of total degree p. Readout: from zero, minibatch SGD with heavy-ball momentum mom (minibatches
    of batch) at lr over the largest eigenvalue of Phi^T Phi / n on the mean squared error. Train loss: the mean squared
    error on the noisy training targets; test loss: the mean squared error against the clean target of the test points;
    no error rates."""
    g = torch.Generator().manual_seed(923_000 + c["seed"])
    n, p = c["n"], c["p"]
    z = torch.rand(n, 2, generator=g, dtype=F64) * 2 - 1
    zt = torch.rand(2000, 2, generator=g, dtype=F64) * 2 - 1
    y = poly_target(z) + c["noise"] * torch.randn(n, generator=g, dtype=F64)
    yt = poly_target(zt)
    phi, phit = legendre_2d(z, p), legendre_2d(zt, p)
    D = phi.shape[1]
    lr = c["lr"] / float(torch.linalg.eigvalsh(phi.T @ phi / n)[-1])
    a, buf = torch.zeros(D, dtype=F64), torch.zeros(D, dtype=F64)

    def step(idx):
        xb, yb = take(phi, idx), take(y, idx)
        buf.mul_(c["mom"]).add_(xb.T @ (xb @ a - yb) / len(yb))
        a.sub_(lr * buf)

    run = w.run(run_id, D, n, {"family": "polynomial", "basis": "tensor-legendre-2d", "degree": p, "features": D},
                settings(c, ("seed", "n", "p", "noise", "lr", "mom", "batch", "eval"))
                | {"optimizer": "sgd-heavy-ball", "loss": "mse", "sweep_axis": "polynomial-degree",
                   "width_ratio": "%.3g" % (D / n), "noise": "gaussian-target",
                   "test_loss": "mse-clean-target", "test_size": str(len(yt))})
    log_ = logger(run)

    def log(e, final):
        log_(e, ((phi @ a - y) ** 2).mean(), ((phit @ a - yt) ** 2).mean(), final=final)

    train_until(g, n, c, step, log)


def runs_poly_degree_ladder():
    # The logic: 60 points in the square, the smooth target plus noise of sd 0.3, the tensor Legendre features of total
    # degree p under a readout from zero by heavy-ball SGD (momentum 0.9, minibatches of 15: 4 steps an epoch) at 0.05
    # over the largest eigenvalue, 600 epochs for every degree. The sweep, smallest first, one run a degree: p = 1 ...
    # 20 (3 to 231 features), so that the low degrees underfit the target, degrees 9-11 (55, 66 and 78 features) sit at
    # the threshold where the 60 noisy points are just fitted, and the high ones fit them with room to spare; the
    # features' spread of scales grows with the degree, so the highest-degree directions are learnt slowest. Evaluation
    # spacing mixed, taken in turn.
    base = dict(n=60, p=None, noise=0.3, lr=0.05, mom=0.9, batch=15, epochs=600, eval=None)
    rows = ladder(tuple(range(1, 21)), "p", (dict(),),
                  ("log:35", "every:3", "jitter:35", "every:5", "geom:4", "mixed:60:6", "log:40", "burst:50:5",
                   "every:4", "mixlog:40:35", "rand:80", "jitter:30"))
    return poly_degree_ladder, dict_runs(base, rows, lambda d: "square-n%d-legendre-deg%d-noise%g-hb-lr%g-b%d" % (
        d["n"], d["p"], d["noise"], d["lr"], d["batch"]))


FAMILIES = {"mlp-width-ladder": runs_mlp_width_ladder, "rf-count-ladder": runs_rf_count_ladder,
            "poly-degree-ladder": runs_poly_degree_ladder}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
