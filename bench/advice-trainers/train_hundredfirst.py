#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-first held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is overparameterised linear classifiers: a linear readout
(from zero) of N random ReLU or random Fourier features of scikit-learn's digits, wine or breast cancer, the number of
features N swept on both sides of the number of training points n, trained by full-batch gradient descent or SGD on
the multinomial logistic (cross-entropy), the binary logistic or the one-vs-rest squared hinge loss, with or without a
small L2 penalty, a share of the training labels flipped in most runs:

- relufeat-softmax-gd: multinomial logistic regression on random ReLU features of the 8 x 8 digits (300 training
  images, 600 held out), full-batch gradient descent; N swept 50 ... 2,400 around n = 300.
- fourierfeat-sqhinge-sgd: the one-vs-rest squared hinge on random Fourier features of the wine (100 training wines,
  the other 78 held out; the breast cancer and the digits in 3 runs), minibatch SGD; N swept 25 ... 1,600 around
  n = 100, the kernel's bandwidth swept.
- cancer-rf-logit-l2: binary logistic regression (one logit) on random ReLU features (Fourier in 2 runs) of the
  breast cancer (100 training patients, the other 469 held out), full-batch gradient descent (SGD and heavy ball in 3
  runs); N swept 20 ... 1,000 around n = 100, the L2 penalty swept 0 ... 1e-2.

Data (class_split, from the run's generator): a random split into n training points and held-out points; the wine and
the breast cancer standardised per column on the training points (train_thirtysixth.py's real_classes), the digits
centred per pixel and divided by one overall sd (pixels blank in training stay finite); a share flip of the training
labels replaced by another class (train_thirtyninth.py's flip_labels). Features (rf_features, from the run's
generator): W N(0, I / d); 'relu' relu(x W + b), b N(0, 1), each feature standardised on the training points ('raw':
not standardised, times sqrt(2)), over sqrt(N); 'fourier' sqrt(2 / N) cos(bw x W + b), b U(0, 2 pi) (a Gaussian kernel
of width sqrt(d) / bw). Readout: an N x K matrix and K biases (one logit for 'logistic'), from zero. Losses: 'ce' the
multinomial cross-entropy, 'logistic' the binary cross-entropy on one logit, 'sqhinge' sum_k max(0, 1 - t_k o_k)^2
with t_k = +1 for the label's class and -1 for the others; a penalty wd / 2 times the readout's squared weights (not
the biases) added to the training objective where wd is set. Optimizer: torch.optim.SGD at lr over the largest
eigenvalue of [Phi, 1]^T [Phi, 1] / n, on minibatches of batch (the whole set where batch is None), with heavy-ball
momentum mom where set. Train loss: the loss (without the penalty) on the training points at their given labels; test
loss: the same loss on the held-out points at their true labels; error rates: the misclassified shares. A run whose loss
turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, leaves and real_classes from train_thirtysixth.py, take and
flip_labels from train_thirtyninth.py, count from train_fortyeighth.py and logger and train_until from
train_seventyfourth.py; one thread, every random draw from a seeded torch.Generator (splits, label flips, features,
minibatches), float64, synthetic event times, 6 significant digits. No planned last epoch is told: the last event's
final marks it.

    /usr/bin/python3 train_hundredfirst.py --family relufeat-softmax-gd [--list] [--runs 0,3] [--out FILE]

Families (see README.md): relufeat-softmax-gd, fourierfeat-sqhinge-sgd, cancer-rf-logit-l2. Evaluation spacings:
train.py's 'every', 'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's
'mixed:A:K', 'mixlog:A:K', 'geom:G', 'burst:P:B'.
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
from train_thirtysixth import leaves, real_classes  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F64 = torch.float64


# ---------------------------------------------------------------------------------------------------- shared parts


def class_split(g, c):
    """(x, y, xt, yt, K) float64: scikit-learn's digits (n to train, 'test' others held out; centred per pixel on the
    training images and divided by their one overall sd), or the wine or breast cancer ('cancer'; n to train, the rest
    held out; real_classes: standardised per column on the training points); all from g."""
    if c["data"] != "digits":
        return real_classes(g, c["data"], c["n"], 1.0, F64)
    from sklearn.datasets import load_digits
    xs, ys = load_digits(return_X_y=True)
    X, Y = torch.tensor(xs, dtype=F64), torch.tensor(ys)
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:c["n"] + c["test"]]
    X = X - X[tr].mean(0)
    X = X / X[tr].std()
    return X[tr], Y[tr], X[te], Y[te], 10


def rf_features(g, x, xt, c):
    """(Phi, Phi_t): N random features of the inputs (see the module's docstring), from g."""
    N, d = c["N"], x.shape[1]
    W = torch.randn(d, N, generator=g, dtype=F64) / math.sqrt(d)
    if c["feat"] == "fourier":
        b = 2 * math.pi * torch.rand(N, generator=g, dtype=F64)
        return tuple(math.sqrt(2.0 / N) * torch.cos(c["bw"] * (z @ W) + b) for z in (x, xt))
    b = torch.randn(N, generator=g, dtype=F64)
    P, Pt = torch.relu(x @ W + b), torch.relu(xt @ W + b)
    if c.get("norm") == "raw":
        return P * math.sqrt(2.0 / N), Pt * math.sqrt(2.0 / N)
    mu, sd = P.mean(0), P.std(0).clamp_min(1e-8)
    return (P - mu) / sd / math.sqrt(N), (Pt - mu) / sd / math.sqrt(N)


def top_eig(phi):
    """The largest eigenvalue of [Phi, 1]^T [Phi, 1] / n (from the smaller of the two Gram matrices)."""
    z = torch.cat([phi, torch.ones(len(phi), 1, dtype=F64)], 1)
    m = z @ z.T if z.shape[1] > z.shape[0] else z.T @ z
    return float(torch.linalg.eigvalsh(m / len(phi))[-1])


def class_loss(kind, o, y):
    """The mean over points of the multinomial cross-entropy ('ce'), the binary cross-entropy on o's one logit
    ('logistic') or the one-vs-rest squared hinge ('sqhinge')."""
    if kind == "ce":
        return fn.cross_entropy(o, y)
    if kind == "logistic":
        return fn.binary_cross_entropy_with_logits(o[:, 0], y.to(o.dtype))
    t = 2 * fn.one_hot(y, o.shape[1]).to(o.dtype) - 1
    return (torch.relu(1 - t * o) ** 2).sum(1).mean()


def predict(kind, o):
    return (o[:, 0] > 0).long() if kind == "logistic" else o.argmax(1)


def rf_classifier(w, run_id, c, base):
    """A linear readout of random features trained as a classifier (see the module's docstring); every random draw
    from a generator seeded by base plus the run's seed."""
    g = torch.Generator().manual_seed(base + c["seed"])
    x, y, xt, yt, K = class_split(g, c)
    yn = flip_labels(g, y, K, c.get("flip"))
    phi, phit = rf_features(g, x, xt, c)
    n, N = phi.shape
    out = 1 if c["loss"] == "logistic" else K
    top = top_eig(phi)
    A, b = leaves([torch.zeros(N, out, dtype=F64), torch.zeros(out, dtype=F64)])
    opt = torch.optim.SGD([A, b], lr=c["lr"] / top, momentum=c.get("mom") or 0.0)
    wd = c.get("wd") or 0.0

    def step(idx):
        opt.zero_grad()
        obj = class_loss(c["loss"], take(phi, idx) @ A + b, take(yn, idx))
        if wd:
            obj = obj + 0.5 * wd * (A * A).sum()
        obj.backward()
        opt.step()

    kind = "random-fourier-features" if c["feat"] == "fourier" else "random-relu-features"
    opt_name = "gd" if not c.get("batch") else "sgd"
    if c.get("mom"):
        opt_name = "heavy-ball-" + opt_name
    run = w.run(run_id, count([A, b]), n, {"family": kind, "features": N, "readout": "linear", "data": c["data"]},
                settings(c, ("seed", "data", "n", "flip", "feat", "norm", "bw", "N", "loss", "wd", "lr", "mom",
                             "batch", "eval"))
                | {"optimizer": opt_name, "full_batch": "false" if c.get("batch") else "true",
                   "penalty": "l2" if wd else "none", "width_ratio": "%.3g" % (N / n),
                   "params_per_point": "%.3g" % (count([A, b]) / n),
                   "test_loss": "heldout-%s-true-labels" % c["loss"], "error": "misclassified",
                   "test_size": str(len(yt))}, output_dim=out)
    log_ = logger(run)

    def log(e, final):
        o, ot = phi @ A + b, phit @ A + b
        log_(e, class_loss(c["loss"], o, yn), class_loss(c["loss"], ot, yt),
             (predict(c["loss"], o) != yn).double().mean(), (predict(c["loss"], ot) != yt).double().mean(),
             final=final)

    train_until(g, n, c, step, log)


def rf_name(d):
    feat = "fourier-bw%g" % d["bw"] if d["feat"] == "fourier" else "relu" + ("-raw" if d.get("norm") == "raw" else "")
    return "%s-n%d%s-%s-N%d-%s%s-%s-lr%g%s-%s" % (
        d["data"], d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", feat, d["N"], d["loss"],
        "-wd%g" % d["wd"] if d.get("wd") else "", "gd" if not d.get("batch") else "sgd", d["lr"],
        "-mom%g" % d["mom"] if d.get("mom") else "", "full" if not d.get("batch") else "b%d" % d["batch"])


# ------------------------------------------------------------------------------------------------ relufeat-softmax-gd


def relufeat_softmax_gd(w, run_id, c):
    rf_classifier(w, run_id, c, 1_011_000)


def runs_relufeat_softmax_gd():
    # The logic: 300 digits, 20% of their labels flipped, 600 held out; N = 600 standardised random ReLU features (two a
    # training image, 6,010 weights) under a softmax readout from zero, full-batch gradient descent at 8 over the
    # largest eigenvalue (the ten-class cross-entropy's curvature is a tenth of the squared error's at the start and
    # at most half of it), 2,000 epochs: the large directions carry the digits' classes and are fitted first, the many
    # small ones late and mostly the flipped labels, the held-out cross-entropy rising as the readout grows to separate
    # them. One thing at a time besides: N
    # from 50 to 2,400 (50, 100, 200 and 300 below or at n, where the flips cannot all be separated), clean and 40%
    # flipped labels, L2 penalties 1e-4 and 1e-3, the step 2, heavy-ball momentum 0.9 at 1, minibatch SGD (30, at 2),
    # 150 and 600 training images, raw (unstandardised) ReLU features, and the squared hinge at 0.5. Evaluation
    # spacing mixed.
    base = dict(data="digits", n=300, test=600, flip=0.2, feat="relu", norm="std", bw=None, N=600, loss="ce",
                wd=None, lr=8.0, mom=None, batch=None, epochs=2000, eval="mixed:50:10")
    return relufeat_softmax_gd, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(N=50, eval="every:5"),
        dict(N=100, eval="log:40"),
        dict(N=200, eval="jitter:40"),
        dict(N=300, eval="every:3"),
        dict(N=450, eval="geom:6"),
        dict(N=1200, eval="every:4"),
        dict(N=2400, eval="mixlog:40:40"),
        dict(flip=None, eval="every:5"),
        dict(flip=0.4, eval="burst:60:8"),
        dict(wd=1e-4, eval="every:3"),
        dict(wd=1e-3, eval="log:35"),
        dict(lr=2.0, eval="every:6"),
        dict(lr=1.0, mom=0.9, eval="mixed:30:5"),
        dict(batch=30, lr=2.0, epochs=300, eval="every"),
        dict(n=150, eval="every:4"),
        dict(n=600, N=1200, eval="rand:150"),
        dict(norm="raw", eval="jitter:35"),
        dict(loss="sqhinge", lr=0.5, eval="every:5"),
    ], rf_name)


# -------------------------------------------------------------------------------------------- fourierfeat-sqhinge-sgd


def fourierfeat_sqhinge_sgd(w, run_id, c):
    rf_classifier(w, run_id, c, 1_012_000)


def runs_fourierfeat_sqhinge_sgd():
    # The logic: 100 wines (3 classes, 13 columns standardised), 25% of their labels flipped, the other 78 held out;
    # N = 200 random Fourier features at bandwidth 1 (a Gaussian kernel of width sqrt(13); two features a wine, 603
    # weights) under a one-vs-rest squared-hinge readout from zero, minibatch SGD (10 a batch, 10 steps an epoch) at 0.5
    # over the largest eigenvalue (the squared hinge's curvature is up to twice the squared error's), 400 epochs: the
    # smooth part of the kernel fits the three cultivars within tens of epochs, the rest of the spectrum the flipped
    # wines late, the held-out hinge rising as it does (and SGD's noise on top). One thing at a time besides: N from 25
    # to 1,600, the bandwidths 0.5, 2 and 4 (a narrower kernel: more of the spectrum fits single wines), clean and 10%
    # flipped labels, L2 penalties 1e-3 and 1e-2, minibatches of 1 (at 0.1) and 50, full-batch gradient descent,
    # momentum 0.9 (at 0.1), the multinomial cross-entropy (at 1), and the breast cancer (150 patients, N 300 and 75;
    # 2 classes) and the digits (200 images, 300 held out, N 400, bandwidth 2). Evaluation spacing mixed.
    base = dict(data="wine", n=100, test=None, flip=0.25, feat="fourier", norm=None, bw=1.0, N=200, loss="sqhinge",
                wd=None, lr=0.5, mom=None, batch=10, epochs=400, eval="every")
    cancer = dict(data="cancer", n=150, N=300)
    return fourierfeat_sqhinge_sgd, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(N=25, eval="every:2"),
        dict(N=50, eval="jitter:40"),
        dict(N=100, eval="every"),
        dict(N=400, eval="geom:3"),
        dict(N=1600, eval="every:4"),
        dict(bw=0.5, eval="log:40"),
        dict(bw=2.0, eval="every:2"),
        dict(bw=4.0, eval="mixed:40:4"),
        dict(flip=None, eval="every:3"),
        dict(flip=0.1, eval="burst:25:5"),
        dict(wd=1e-3, eval="every"),
        dict(wd=1e-2, eval="mixlog:30:40"),
        dict(batch=1, lr=0.1, epochs=150, eval="every"),
        dict(batch=50, eval="every:2"),
        dict(batch=None, epochs=1500, eval="log:35"),
        dict(mom=0.9, lr=0.1, eval="rand:120"),
        dict(loss="ce", lr=1.0, eval="every:2"),
        dict(cancer, eval="every:3"),
        dict(cancer, N=75, eval="jitter:35"),
        dict(data="digits", n=200, test=300, N=400, bw=2.0, epochs=200, eval="every"),
    ], rf_name)


# ------------------------------------------------------------------------------------------------ cancer-rf-logit-l2


def cancer_rf_logit_l2(w, run_id, c):
    rf_classifier(w, run_id, c, 1_013_000)


def runs_cancer_rf_logit_l2():
    # The logic: 100 breast-cancer patients (30 columns standardised), 15% of their labels flipped, the other 469 held
    # out; N = 300 standardised random ReLU features (three a patient, 301 weights) under one logit from zero, binary
    # logistic loss, full-batch gradient descent at 4 over the largest eigenvalue (the logistic curvature is at most a
    # quarter of the squared error's), 3,000 epochs, no penalty: the two classes are nearly linearly separable and are
    # fitted first, then the flipped patients, separable only past N near n, the logit growing without bound and the
    # held-out cross-entropy rising with it; a small L2 penalty bounds it. One thing at a time besides: the penalty
    # 1e-5, 1e-4, 1e-3 and 1e-2, N 20, 50, 100, 150 and 1,000 (and 1e-3 at N 50 and 1,000), random Fourier features
    # at bandwidths 1 and 3, clean and 30% flipped labels, 200 patients, minibatch SGD (10, at 1; with and without the
    # penalty 1e-3) and heavy-ball momentum 0.9 (at 1). Evaluation spacing mixed, mostly sparse (the late fit).
    base = dict(data="cancer", n=100, test=None, flip=0.15, feat="relu", norm="std", bw=None, N=300, loss="logistic",
                wd=None, lr=4.0, mom=None, batch=None, epochs=3000, eval="log:40")
    sgd = dict(batch=10, lr=1.0, epochs=500)
    return cancer_rf_logit_l2, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(wd=1e-5, eval="every:10"),
        dict(wd=1e-4, eval="jitter:40"),
        dict(wd=1e-3, eval="every:6"),
        dict(wd=1e-2, eval="mixed:60:15"),
        dict(N=20, eval="every:8"),
        dict(N=50, eval="log:35"),
        dict(N=100, eval="geom:8"),
        dict(N=150, eval="every:5"),
        dict(N=1000, eval="mixlog:40:40"),
        dict(N=50, wd=1e-3, eval="every:10"),
        dict(N=1000, wd=1e-3, eval="burst:100:10"),
        dict(feat="fourier", norm=None, bw=1.0, eval="every:7"),
        dict(feat="fourier", norm=None, bw=3.0, eval="log:45"),
        dict(flip=None, eval="every:10"),
        dict(flip=0.3, eval="rand:200"),
        dict(n=200, eval="jitter:35"),
        dict(sgd, eval="every"),
        dict(sgd, wd=1e-3, eval="every:2"),
        dict(lr=1.0, mom=0.9, eval="geom:5"),
    ], rf_name)


FAMILIES = {"relufeat-softmax-gd": runs_relufeat_softmax_gd, "fourierfeat-sqhinge-sgd": runs_fourierfeat_sqhinge_sgd,
            "cancer-rf-logit-l2": runs_cancer_rf_logit_l2}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
