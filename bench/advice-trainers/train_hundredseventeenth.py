#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-seventeenth held-out
round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is knowledge distillation and self-training: students trained
on a fixed teacher's soft labels at a temperature, born-again students of the teacher's own size, and pseudo-labelling
of unlabelled data above a confidence threshold, with label noise in the labelled part; the student's size swept
across where it can just fit its training targets; the test loss is the cross-entropy on the TRUE labels of held-out
data:

- kdtemp-width-digits: scikit-learn's digits, a share of the training labels flipped; a fixed teacher (a
  one-hidden-layer ReLU MLP trained by Adam on the noisy labels for 'tep' epochs, then frozen) gives soft labels at
  temperature T; a ReLU MLP student 64 -> hid -> 10 (hid swept from 4 to 512) is trained on alpha T^2 KL(teacher_T ||
  student_T) + (1 - alpha) CE(noisy labels) (Hinton et al. 2015) by momentum SGD or Adam on minibatches, or full-batch
  GD; float32.
- bornagain-rf-softmax: random ReLU features (N of them, swept across the number of training rows) of scikit-learn's
  breast cancer or wine, a softmax readout trained from zero by full-batch gradient descent (or heavy ball) at lr over
  the curvature bound; generation 0 on the noisy hard labels, every later generation (Furlanello et al. 2018's
  born-again networks) the same size on a fresh draw of features, trained on the previous generation's soft labels at
  temperature T (T^2 KL, mixed with the noisy labels where alpha < 1); the run is the last generation; float64.
- confpl-gelu-blobs: a synthetic Gaussian-cluster task (K classes of several clusters each in d dimensions), a small
  labelled part with flipped labels and a larger unlabelled pool; a two-hidden-layer GELU MLP d -> hid -> hid -> K
  (hid swept) trained by Adam or momentum SGD on the labelled cross-entropy plus, after a warm-up, lam (ramped up) times
  the cross-entropy on the pool's points whose predicted class has a probability of at least tau (Lee 2013's
  pseudo-labels, refreshed every R epochs; hard, or the sharpened probabilities); float32.

Train loss: the objective on the training rows at their given (noisy) targets, the model in its evaluation form (the
distillation objective; the labelled cross-entropy for the pseudo-labelling); test loss: the cross-entropy on held-out
rows at their true labels; error rates: the misclassified shares (training rows against their given labels). A run
whose loss turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, batches from train_twentyfirst.py, real_classes from
train_thirtysixth.py, take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and
mlp from train_sixtyfifth.py, logger and train_until from train_seventyfourth.py; one thread, every random draw from a
seeded torch.Generator (splits, flips, features, clusters, initialisations, minibatches), synthetic event times, 6
significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_hundredseventeenth.py --family kdtemp-width-digits [--list] [--runs 0,3] [--out FILE]

Families (see README.md): kdtemp-width-digits, bornagain-rf-softmax, confpl-gelu-blobs. Evaluation spacings:
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
from train_twentyfirst import batches  # noqa: E402
from train_thirtysixth import real_classes  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- shared parts


def kd_term(z, q, T):
    """T^2 KL(q || softmax(z / T)), the mean over rows: Hinton et al.'s distillation term (its gradient in z is
    T (softmax(z / T) - q), of the hard cross-entropy's size at any T)."""
    return T * T * (torch.xlogy(q, q) - q * fn.log_softmax(z / T, 1)).sum(1).mean()


def errors(out, t):
    return (out.argmax(1) != t).to(out.dtype).mean()


def opt_of(c, params):
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"])
    return torch.optim.SGD(params, lr=c["lr"], momentum=0.9 if c["opt"] == "sgdm" else 0.0)


# ------------------------------------------------------------------------------------------------ kdtemp-width-digits


def digits_split(g, c):
    """scikit-learn's digits (1,797 images, 64 pixels): n training images drawn by g, the rest held out; pixels
    standardised on the training images (blank pixels left at 0); a share 'flip' of the training labels flipped."""
    from sklearn.datasets import load_digits
    xs, ys = load_digits(return_X_y=True)
    X, Y = torch.tensor(xs, dtype=F32), torch.tensor(ys)
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    sd = X[tr].std(0)
    X = (X - X[tr].mean(0)) / torch.where(sd > 1e-6, sd, torch.ones_like(sd))
    return X[tr], flip_labels(g, Y[tr], 10, c.get("flip")), X[te], Y[te]


def kdtemp_width_digits(w, run_id, c):
    """A ReLU MLP student 64 -> hid -> 10 distilled from a fixed teacher, float32. Data (from the run's generator):
    digits_split. Teacher: a ReLU MLP 64 -> 'th' -> 10 (weights U(+-1 / sqrt(fan-in)) from the run's generator) trained
    by Adam (1e-3, minibatches of 50) on the cross-entropy of the noisy labels for 'tep' epochs, then frozen; its soft
    labels q = softmax(teacher / T) on the training images. Student: weights from the run's generator; objective alpha
    T^2 KL(q || softmax(student / T)) + (1 - alpha) CE(student, noisy labels) (alpha 0: no teacher); 'sgdm' momentum
    SGD (0.9), 'adam' or 'gd' (plain, full batch where batch is not set) at lr. Train loss: that objective on the
    training images; test loss: the student's cross-entropy (T = 1) on the held-out images' true labels."""
    g = torch.Generator().manual_seed(1_171_000 + c["seed"])
    x, y, xt, yt = digits_split(g, c)
    n, T, alpha = len(x), float(c["T"]), float(c["alpha"])
    q = None
    if alpha > 0:
        tp = mlp_params(g, [64, c["th"], 10], F32)
        topt = torch.optim.Adam(tp, lr=1e-3)
        for _ in range(c["tep"]):
            for idx in batches(g, n, 50):
                topt.zero_grad()
                fn.cross_entropy(mlp(tp, x[idx], torch.relu), y[idx]).backward()
                topt.step()
        with torch.no_grad():
            q = torch.softmax(mlp(tp, x, torch.relu) / T, 1)
    params = mlp_params(g, [64, c["hid"], 10], F32)
    opt = opt_of(c, params)

    def objective(out, idx):
        hard = fn.cross_entropy(out, take(y, idx))
        if q is None:
            return hard
        return alpha * kd_term(out, take(q, idx), T) + (1 - alpha) * hard

    def step(idx):
        opt.zero_grad()
        objective(mlp(params, take(x, idx), torch.relu), idx).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "mlp", "width": c["hid"], "depth": 1, "activation": "relu",
                                           "teacher_width": c["th"] if q is not None else 0},
                settings(c, ("seed", "n", "flip", "th", "tep", "T", "alpha", "hid", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "kd-t2kl+ce" if q is not None else "cross-entropy",
                   "train_loss": "objective-noisy-labels", "test_loss": "heldout-ce-true-labels",
                   "error": "misclassified", "test_size": str(len(xt)),
                   "full_batch": "false" if c.get("batch") else "true"}, output_dim=10)
    log_ = logger(run)

    def log(e, final):
        o, ot = mlp(params, x, torch.relu), mlp(params, xt, torch.relu)
        log_(e, objective(o, None), fn.cross_entropy(ot, yt), errors(o, y), errors(ot, yt), final=final)

    train_until(g, n, c, step, log)


def runs_kdtemp_width_digits():
    # The logic: 500 digits for training (the other 1,297 held out), 20% of their labels flipped; a teacher 64 -> 256
    # -> 10 trained by Adam for 100 epochs (about 1,000 steps: enough to begin memorising the flips), frozen; a student
    # 64 -> 32 -> 10 (2,410 weights) on the distillation objective at T 4 with alpha 0.9, momentum SGD 0.05, minibatches
    # of 50, 300 epochs. Fitting the soft labels of 500 images takes about 500 x 9 = 4,500 free logits, fitting the
    # hard noisy labels some hundreds of weights: the student's width swept across both, 4 (310 weights), 8, 16, 32,
    # 64 (4,810), 128 and 512 (38,410). One thing at a time besides: T 1 and 10; alpha 1 (the soft labels alone), 0.5
    # and 0 (no teacher, the noisy labels alone); an early teacher (20 epochs) and a late one (400); clean labels and
    # 40% flipped; 200 training images; Adam at 1e-3; full-batch GD at 0.5 for 2,000 epochs; and width 64 at alpha 0.5.
    # Evaluation spacing mixed.
    base = dict(n=500, flip=0.2, th=256, tep=100, T=4.0, alpha=0.9, hid=32, opt="sgdm", lr=0.05, batch=50,
                epochs=300, eval="every")
    return kdtemp_width_digits, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hid=4, eval="every:2"),
        dict(hid=8, eval="log:40"),
        dict(hid=16, eval="every"),
        dict(hid=64, eval="jitter:40"),
        dict(hid=128, eval="every:3"),
        dict(hid=512, eval="every:2"),
        dict(T=1.0, eval="mixed:30:3"),
        dict(T=10.0, eval="every"),
        dict(alpha=1.0, eval="geom:3"),
        dict(alpha=0.5, eval="every:2"),
        dict(alpha=0.0, eval="rand:90"),
        dict(tep=20, eval="every"),
        dict(tep=400, eval="burst:25:6"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="every"),
        dict(n=200, eval="mixlog:30:40"),
        dict(opt="adam", lr=1e-3, eval="every:3"),
        dict(opt="gd", lr=0.5, batch=None, epochs=2000, eval="log:40"),
        dict(hid=64, alpha=0.5, eval="every"),
    ], lambda d: "n%d%s-teach%d-ep%d-T%g-a%g-relu%d-%s-lr%g%s" % (
        d["n"], "-flip%g" % d["flip"] if d.get("flip") else "", d["th"], d["tep"], d["T"], d["alpha"], d["hid"],
        d["opt"], d["lr"], "-b%d" % d["batch"] if d.get("batch") else "-full"))


# ----------------------------------------------------------------------------------------------- bornagain-rf-softmax


def bornagain_rf_softmax(w, run_id, c):
    """Born-again random-feature softmax readouts, float64. Data (from the run's generator): real_classes 'cancer' or
    'wine', n training rows (standardised on them), the rest held out, a share 'flip' of the training labels flipped.
    Every generation draws its own N random ReLU features relu(x W / sqrt(d) + b) (W, b N(0, 1) from the run's
    generator), standardised on the training rows, plus a constant column, and trains a readout A ((N + 1) x K) from
    zero by full-batch gradient descent, or heavy ball ('mom'), at the step lr / L, L half the largest eigenvalue of
    Phi^T Phi / n (the softmax's curvature bound, which the T^2 KL term shares at any T). Generation 0: the
    cross-entropy of the noisy labels, for 'tep' epochs; generation k > 0: alpha T^2 KL(q || softmax(Phi A / T)) +
    (1 - alpha) CE(noisy labels), q the soft labels softmax(logits / T) of generation k - 1 on the training rows,
    for 'tep' epochs, the last generation ('gens') for 'epochs' epochs and logged. Train loss: its objective on the
    training rows; test loss: its cross-entropy (T = 1) on the held-out rows' true labels."""
    g = torch.Generator().manual_seed(1_172_000 + c["seed"])
    x, y, xt, yt, K = real_classes(g, c["data"], c["n"], 1.0, F64)
    y = flip_labels(g, y, K, c.get("flip"))
    n, d, N = x.shape[0], x.shape[1], c["N"]
    T, alpha, mom = float(c["T"]), float(c["alpha"]), c.get("mom") or 0.0
    onehot = fn.one_hot(y, K).to(F64)

    def features():
        W = torch.randn(d, N, generator=g, dtype=F64) / math.sqrt(d)
        b = torch.randn(N, generator=g, dtype=F64)
        f, ft = torch.relu(x @ W + b), torch.relu(xt @ W + b)
        mu, sd = f.mean(0), f.std(0).clamp_min(1e-6)
        one = torch.ones(1, dtype=F64)
        return (torch.cat([(f - mu) / sd, one.expand(n, 1)], 1), torch.cat([(ft - mu) / sd, one.expand(len(xt), 1)], 1))

    def generation(q):
        phi, phit = features()
        L = 0.5 * float(torch.linalg.eigvalsh(phi.T @ phi / n)[-1])
        st = {"A": torch.zeros(N + 1, K, dtype=F64), "v": torch.zeros(N + 1, K, dtype=F64)}

        def objective(out):
            hard = fn.cross_entropy(out, y)
            return hard if q is None else alpha * kd_term(out, q, T) + (1 - alpha) * hard

        def step(idx):
            z = phi @ st["A"]
            r = torch.softmax(z, 1) - onehot
            if q is not None:
                r = alpha * T * (torch.softmax(z / T, 1) - q) + (1 - alpha) * r
            st["v"] = mom * st["v"] + phi.T @ r / n
            st["A"] = st["A"] - c["lr"] / L * st["v"]

        return phi, phit, st, objective, step

    q = None
    for _ in range(c["gens"]):
        phi, _, st, _, step = generation(q)
        for _ in range(c["tep"]):
            step(None)
        q = torch.softmax(phi @ st["A"] / T, 1)
    phi, phit, st, objective, step = generation(q)

    run = w.run(run_id, (N + 1) * K, n, {"family": "random-relu-features", "width": N, "inputs": d, "outputs": K,
                                         "generation": c["gens"]},
                settings(c, ("seed", "data", "n", "flip", "N", "gens", "tep", "T", "alpha", "lr", "mom", "eval"))
                | {"optimizer": "heavy-ball" if mom else "gd", "full_batch": "true",
                   "loss": "kd-t2kl+ce" if q is not None else "cross-entropy", "width_ratio": "%.3g" % (N / n),
                   "train_loss": "objective-noisy-labels", "test_loss": "heldout-ce-true-labels",
                   "error": "misclassified", "test_size": str(len(xt))}, output_dim=K)
    log_ = logger(run)

    def log(e, final):
        o, ot = phi @ st["A"], phit @ st["A"]
        log_(e, objective(o), fn.cross_entropy(ot, yt), errors(o, y), errors(ot, yt), final=final)

    train_until(g, n, dict(c, batch=None), step, log)


def runs_bornagain_rf_softmax():
    # The logic: 150 breast-cancer patients (30 standardised columns, the other 419 held out), 20% of their labels
    # flipped; N = 150 random ReLU features (151 weights a class: the readout can just fit 150 soft labels, and
    # separates the noisy hard labels from about N = 75 on, where the cross-entropy's weights start to grow without
    # bound); generation 0 on the noisy labels, one born-again generation of the same size on its soft labels at T 3
    # (alpha 1), both 3,000 epochs of full-batch GD at the step 1 / L. The width swept across the two thresholds: 30,
    # 75, 110, 200, 300, 600 and 1,500 features. One thing at a time besides: the teacher itself (generation 0) at 150
    # and at 75 features; generations 2 and 3; T 1 and 10; alpha 0.5; clean labels and 35% flipped; an early teacher
    # (300 epochs); heavy ball (0.9, the step 0.3 / L, 1,000 epochs); and the wine (90 wines, 3 classes, 20% flipped,
    # 90 features; born-again and its teacher). Evaluation spacing mixed, mostly logarithmic.
    base = dict(data="cancer", n=150, flip=0.2, N=150, gens=1, tep=3000, T=3.0, alpha=1.0, lr=1.0, mom=None,
                epochs=3000, eval="log:40")
    wine = dict(data="wine", n=90, N=90)
    return bornagain_rf_softmax, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(N=30, eval="jitter:40"),
        dict(N=75, eval="log:30"),
        dict(N=110, eval="every:10"),
        dict(N=200, eval="log:40"),
        dict(N=300, eval="geom:30"),
        dict(N=600, eval="mixlog:30:40"),
        dict(N=1500, eval="log:35"),
        dict(gens=0, eval="log:40"),
        dict(gens=0, N=75, eval="rand:120"),
        dict(gens=2, eval="jitter:35"),
        dict(gens=3, eval="log:40"),
        dict(T=1.0, eval="every:25"),
        dict(T=10.0, eval="log:40"),
        dict(alpha=0.5, eval="burst:300:8"),
        dict(flip=None, eval="log:30"),
        dict(flip=0.35, eval="log:40"),
        dict(tep=300, eval="geom:25"),
        dict(mom=0.9, lr=0.3, tep=1000, epochs=1000, eval="every:4"),
        dict(wine, eval="log:40"),
        dict(wine, gens=0, eval="mixlog:20:35"),
    ], lambda d: "%s-n%d%s-rf%d-gen%d-tep%d-T%g-a%g-lr%g%s" % (
        d["data"], d["n"], "-flip%g" % d["flip"] if d.get("flip") else "", d["N"], d["gens"], d["tep"], d["T"],
        d["alpha"], d["lr"], "-mom%g" % d["mom"] if d.get("mom") else ""))


# -------------------------------------------------------------------------------------------------- confpl-gelu-blobs


def blobs(g, c):
    """(labelled x, their noisy labels, pool x, pool's true labels, test x, test labels): K classes of 'cl' Gaussian
    clusters each in d dimensions, the centres N(0, sep^2 I), the points a centre plus N(0, I), class and cluster
    uniform; n labelled points (a share 'flip' of their labels flipped), 'pool' unlabelled ones and 2,000 test points,
    all from g."""
    d, K, cl = c["d"], c["K"], c["cl"]
    centres = torch.randn(K * cl, d, generator=g) * c["sep"]

    def draw(m):
        k = torch.randint(K * cl, (m,), generator=g)
        return centres[k] + torch.randn(m, d, generator=g), k // cl

    x, y = draw(c["n"])
    xu, yu = draw(c["pool"])
    xt, yt = draw(2000)
    return x, flip_labels(g, y, K, c.get("flip")), xu, yu, xt, yt


def confpl_gelu_blobs(w, run_id, c):
    """A two-hidden-layer GELU MLP d -> hid -> hid -> K with confidence-thresholded pseudo-labels, float32. Data (from
    the run's generator): blobs. Weights U(+-1 / sqrt(fan-in)) from the run's generator. Every epoch: one pass over the
    labelled points in minibatches of 'batch'; from epoch 'warm' on, each step adds lam_t times the mean loss on 'ub'
    points drawn (with replacement, from the run's generator) among the pool's selected points, lam_t = lam min(1, (e -
    warm + 1) / ramp). The selection is refreshed at epoch warm and every R epochs after it: the pool's points whose
    largest predicted probability is at least tau, with their predicted class ('hard': cross-entropy) or their
    probabilities sharpened at temperature 0.5 ('soft': cross-entropy to them). Optimizer: 'adam' or 'sgdm' (0.9).
    Train loss: the cross-entropy on the labelled points at their given (noisy) labels; test loss: the cross-entropy on
    2,000 fresh points' true labels."""
    g = torch.Generator().manual_seed(1_173_000 + c["seed"])
    x, y, xu, yu, xt, yt = blobs(g, c)
    n, K = len(x), c["K"]
    params = mlp_params(g, [c["d"], c["hid"], c["hid"], K], F32)
    opt = opt_of(c, params)
    lam = c.get("lam") or 0.0
    st = {"sel": None, "tgt": None, "lam": 0.0}

    def net(z):
        return mlp(params, z, fn.gelu)

    def begin(e):
        if not lam or e < c["warm"]:
            return
        st["lam"] = lam * min(1.0, (e - c["warm"] + 1) / c["ramp"])
        if (e - c["warm"]) % c["R"]:
            return
        with torch.no_grad():
            p = torch.softmax(net(xu), 1)
            conf, lab = p.max(1)
            sel = torch.nonzero(conf >= c["tau"]).flatten()
            if c["pl"] == "soft":
                s = p[sel] ** 2
                tgt = s / s.sum(1, keepdim=True)
            else:
                tgt = lab[sel]
        st["sel"], st["tgt"] = (sel, tgt) if len(sel) else (None, None)

    def step(idx):
        opt.zero_grad()
        obj = fn.cross_entropy(net(take(x, idx)), take(y, idx))
        if st["sel"] is not None and st["lam"]:
            j = torch.randint(len(st["sel"]), (c["ub"],), generator=g)
            out = net(xu[st["sel"][j]])
            if c["pl"] == "soft":
                pu = -(st["tgt"][j] * fn.log_softmax(out, 1)).sum(1).mean()
            else:
                pu = fn.cross_entropy(out, st["tgt"][j])
            obj = obj + st["lam"] * pu
        obj.backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "mlp", "width": c["hid"], "depth": 2, "activation": "gelu",
                                           "inputs": c["d"]},
                settings(c, ("seed", "d", "K", "cl", "sep", "n", "flip", "pool", "hid", "lam", "tau", "pl", "warm",
                             "ramp", "R", "ub", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy+pseudo-labels" if lam else "cross-entropy",
                   "train_loss": "labelled-ce-noisy-labels", "test_loss": "heldout-ce-true-labels",
                   "error": "misclassified", "test_size": str(len(xt)), "full_batch": "false"}, output_dim=K)
    log_ = logger(run)

    def log(e, final):
        o, ot = net(x), net(xt)
        log_(e, fn.cross_entropy(o, y), fn.cross_entropy(ot, yt), errors(o, y), errors(ot, yt), final=final)

    train_until(g, n, c, step, log, begin=begin)


def runs_confpl_gelu_blobs():
    # The logic: 4 classes of 2 Gaussian clusters each in 10 dimensions (centres N(0, 0.8^2 I): neighbouring clusters
    # overlap a little), 120 labelled points with 20% of their labels flipped, 1,200 unlabelled; a GELU MLP 10 -> 32 ->
    # 32 -> 4 (1,540 weights, about thirteen a labelled point, so it can memorise the flips) under Adam 2e-3,
    # minibatches of 20 labelled points plus 100 pseudo-labelled ones, 400 epochs; 50 epochs of warm-up, then hard
    # pseudo-labels at tau 0.9 refreshed every 10 epochs, their weight ramped to 1 over 50 epochs. The width swept
    # across where the labelled part can just be fitted: 4 (84 weights), 8, 16, 32, 64 and 128 (18,436). One thing at
    # a time besides: tau 0.5 and 0.99; no pseudo-labels (the labelled part alone); lam 3; clean labels and 35%
    # flipped; 60 labelled points; a pool of 300; refreshed every epoch; a late start (warm-up 200); soft (sharpened)
    # pseudo-labels; momentum SGD 0.05; and a long run (1,500 epochs at Adam 1e-3). Evaluation spacing mixed.
    base = dict(d=10, K=4, cl=2, sep=0.8, n=120, flip=0.2, pool=1200, hid=32, lam=1.0, tau=0.9, pl="hard", warm=50,
                ramp=50, R=10, ub=100, opt="adam", lr=2e-3, batch=20, epochs=400, eval="every")
    return confpl_gelu_blobs, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hid=4, eval="every:2"),
        dict(hid=8, eval="mixed:60:2"),
        dict(hid=16, eval="every"),
        dict(hid=64, eval="jitter:40"),
        dict(hid=128, eval="every:3"),
        dict(tau=0.5, eval="every:2"),
        dict(tau=0.99, eval="log:40"),
        dict(lam=None, eval="every"),
        dict(lam=3.0, eval="burst:40:8"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.35, eval="geom:2"),
        dict(n=60, eval="every"),
        dict(pool=300, eval="rand:100"),
        dict(R=1, eval="every:2"),
        dict(warm=200, eval="mixlog:40:40"),
        dict(pl="soft", eval="every"),
        dict(opt="sgdm", lr=0.05, eval="every:4"),
        dict(lr=1e-3, epochs=1500, eval="log:40"),
    ], lambda d: "k%d-sep%g-n%d%s-pool%d-gelu%d-%s-lr%g%s" % (
        d["K"], d["sep"], d["n"], "-flip%g" % d["flip"] if d.get("flip") else "", d["pool"], d["hid"], d["opt"],
        d["lr"], "-pl%s-tau%g-lam%g-warm%d-R%d" % (d["pl"], d["tau"], d["lam"], d["warm"], d["R"]) if d.get("lam")
        else "-nopseudo"))


FAMILIES = {"kdtemp-width-digits": runs_kdtemp_width_digits, "bornagain-rf-softmax": runs_bornagain_rf_softmax,
            "confpl-gelu-blobs": runs_confpl_gelu_blobs}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
