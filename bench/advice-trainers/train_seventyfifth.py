#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, seventy-fifth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone), and made to differ from the families of train.py ... train_seventyfourth.py in
model, loss, noise and data. The theme of the round is weak labels of other kinds and one-class learning: a learner
that never sees the true label of a training point (only a class it is not, or a set of classes that should hold
it), or sees only normal points, while the test loss is a held-out measure against the true labels or the true
normal / anomalous status:

- complement-labels: learning from complementary labels (Ishida et al. 2017, 2019): each training digit (scikit-
  learn's 8 x 8 digits) is tagged with one class it is NOT, drawn uniformly from the 9 others (from a skewed, class-
  dependent distribution in 1 run), and a ReLU MLP (linear in 1 run) is trained by Adam (AdamW and momentum SGD in 1
  run each) on minibatches, float32, on the forward-corrected loss -log(1 - p_ybar) (Yu et al. 2018's forward
  correction under uniform complementary labels), or in 5 runs on the unbiased risk estimator of the cross-entropy,
  R = E[-(K - 1) l(f(x), ybar) + sum_j l(f(x), j)] (which can go negative), on its non-negative correction (the
  class-wise partial risks R_k clipped at 0, the max operator) or its gradient-ascent correction (a step up the
  negative partial risks when one is negative), the partial risks estimated per complementary class as in Ishida et
  al.'s code. Noise: a share of the complementary labels wrong (the true class itself; 3% or 6%, under the 1 / K = 10%
  at which they would carry no information). Train loss: the run's objective on the training set at its
  complementary labels (signed for the unbiased estimator); test loss: the cross-entropy on 500 held-out digits with
  true labels; error rates: the misclassified shares by the true labels (the training digits' true labels, never seen
  in training).
- partial-label-sets: partial-label learning: each training point carries a candidate set of classes that holds its
  true label, each other class joining it with probability q (a fixed partner class of the true one with probability
  0.9 in 1 run); a tanh MLP (linear in 1 run) trained by momentum SGD (Adagrad in 1 run) on minibatches, float64, on
  PRODEN (Lv et al. 2020: the cross-entropy against weights over the candidates, re-estimated from the model's
  predictions after every step), the classifier-consistent loss -log sum_{j in S} p_j (Feng et al. 2020) or the naive
  average -mean_{j in S} log p_j. Data: a synthetic mixture of 8 Gaussian classes in 10 dimensions; scikit-learn's
  wine and iris in 1 run each. Noise: the true label missing from a share of the candidate sets (replaced by a wrong
  class). Train loss: the run's objective on the training set at its candidate sets (PRODEN's at its current
  weights); test loss: the cross-entropy on held-out points (2,000 fresh ones on the mixture) with true labels; error
  rates: the misclassified shares by the true labels.
- svdd-oneclass: one-class learning by Deep SVDD (Ruff et al. 2018): a bias-free leaky-ReLU MLP maps the training
  points, all taken as normal, into a representation, trained by RMSprop (Adam in 1 run) on minibatches, float64, to
  pull them towards a centre fixed at the mean initial representation (the one-class objective, the mean squared
  distance; the soft-boundary objective with a radius re-set each epoch to a quantile in 1 run; biases allowed, which
  admit the collapsed constant map, in 1 run), or an autoencoder trained on the reconstruction error in 2 runs. Data:
  scikit-learn's breast cancer (benign tumours normal, malignant anomalous); the digits in 2 runs (one digit normal,
  the nine others anomalous). Noise: contamination, a share of anomalies among the training points taken as normal.
  Train loss: the run's objective on the training points; test loss: a held-out balanced cross-entropy against the
  true status: the anomaly score s (squared distance to the centre, or reconstruction error) made a probability p =
  sigmoid(2 log(s / r)), r the 0.95 quantile of the training points' scores, and the cross-entropy of p averaged
  over the held-out normal points and over the held-out anomalies, the two means then averaged; no error rates.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves and real_classes from
train_thirtysixth.py, epoch_loop (with eval_epochs) and take from train_thirtyninth.py, count from
train_fortyeighth.py, mlp_params and mlp from train_sixtyfifth.py and Diverged, logger and train_until from
train_seventyfourth.py (a NaN or infinite loss is sent as the run's last event and ends it); one thread, every random
draw from a seeded torch.Generator (splits, complementary labels, candidate sets, contamination, initialisations,
minibatches), synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final
marks it.

    /usr/bin/python3 train_seventyfifth.py --family complement-labels [--list] [--runs 0,3] [--out FILE]

Families (see README.md): complement-labels, partial-label-sets, svdd-oneclass. Evaluation spacings: train.py's
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
from train_thirtyninth import epoch_loop, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import Diverged, logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


def digit_split(g, n, n_test):
    """scikit-learn's digits (pixels / 16, float32): n training and n_test held-out images at random (from g)."""
    from sklearn.datasets import load_digits
    xs, ys = load_digits(return_X_y=True)
    X, Y = torch.tensor(xs, dtype=F32) / 16, torch.tensor(ys)
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:n], perm[n:n + n_test]
    return X[tr], Y[tr], X[te], Y[te]


# ---------------------------------------------------------------------------------------------------- complement-labels


def complementary(g, y, K, c):
    """One complementary label a point (from g): 'uniform' a class drawn uniformly from the K - 1 others; 'skew' from
    a class-dependent distribution over the others, weights exp(skew z), z N(0, 1) drawn once per (class, class)
    pair. Then a share cnoise of them replaced by the true class (wrong complementary labels)."""
    n = len(y)
    if c["cdist"] == "skew":
        wgt = torch.exp(c["skew"] * torch.randn(K, K, generator=g))
        wgt[torch.arange(K), torch.arange(K)] = 0.0
        yb = torch.multinomial(wgt[y], 1, generator=g)[:, 0]
    else:
        yb = (y + torch.randint(1, K, (n,), generator=g)) % K
    if c.get("cnoise"):
        yb = torch.where(torch.rand(n, generator=g) < c["cnoise"], y, yb)
    return yb


def partial_risks(logits, yb, K, prior):
    """The class-wise partial risks R_k of the unbiased estimator with the cross-entropy (uniform complementary
    labels), stratified by complementary class as in Ishida et al. 2019's code: R_k = sum_j pi_j m_jk - (K - 1) pi_k
    m_kk, m_jk the mean loss l(f(x), k) over the batch's points with complementary label j (classes absent from the
    batch left out), pi the complementary labels' shares in the whole training set; their sum is the estimator."""
    nll = -fn.log_softmax(logits, 1)
    onehot = fn.one_hot(yb, K).to(nll.dtype)
    cnt = onehot.sum(0)
    present = (cnt > 0).to(nll.dtype)
    m = (onehot.T @ nll) / cnt.clamp(min=1)[:, None]
    return (prior * present) @ m - (K - 1) * prior * present * torch.diagonal(m)


def complement_objective(logits, yb, K, loss, prior):
    """The training objective on a batch: 'ure' sum_k R_k; 'max' sum_k max(0, R_k) (Ishida et al. 2019's max
    operator); 'ga' its gradient-ascent form, -sum_k min(0, R_k) where a partial risk is negative, else sum_k R_k
    (the objective reported for 'ga' is that of 'max'); 'fwd' the forward-corrected loss -log(1 - p_ybar) (mean)."""
    if loss == "fwd":
        lse = torch.logsumexp(logits, 1)
        masked = logits.masked_fill(fn.one_hot(yb, K).bool(), float("-inf"))
        return (lse - torch.logsumexp(masked, 1)).mean()
    r = partial_risks(logits, yb, K, prior)
    if loss == "ure":
        return r.sum()
    return r.clamp(min=0).sum()


def complement_step_loss(logits, yb, K, loss, prior):
    if loss == "ga":
        r = partial_risks(logits, yb, K, prior)
        if bool((r < 0).any()):
            return -r.clamp(max=0).sum()
        return r.sum()
    return complement_objective(logits, yb, K, loss, prior)


def complement_labels(w, run_id, c):
    """Complementary-label learning on the digits, float32. Data (from the run's generator): digit_split (n training
    images, 500 held out); complementary. Model: 64 -> hid (x depth, ReLU) -> 10, U(+-1 / sqrt(fan-in)) from the
    run's generator (a linear model where hid is unset). Loss: complement_objective (the 'ga' step as
    complement_step_loss). Optimizer: Adam at lr (AdamW at weight decay wd; momentum SGD at mom) on minibatches of
    batch. Train loss: the objective on the training images at their complementary labels; test loss: the cross-entropy
    on the held-out images, true labels; error rates: the misclassified shares by the true labels."""
    g = torch.Generator().manual_seed(751_000 + c["seed"])
    K = 10
    x, y, xt, yt = digit_split(g, c["n"], 500)
    n = len(y)
    yb = complementary(g, y, K, c)
    prior = torch.bincount(yb, minlength=K).to(F32) / n
    sizes = [64] + ([c["hid"]] * c["depth"] if c.get("hid") else []) + [K]
    params = mlp_params(g, sizes, F32)
    if c["opt"] == "sgd":
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=c["mom"])
    elif c["opt"] == "adamw":
        opt = torch.optim.AdamW(params, lr=c["lr"], weight_decay=c["wd"])
    else:
        opt = torch.optim.Adam(params, lr=c["lr"])

    def step(idx):
        opt.zero_grad()
        complement_step_loss(mlp(params, take(x, idx), torch.relu), take(yb, idx), K, c["loss"], prior).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "mlp" if c.get("hid") else "linear",
                                           "hidden": c.get("hid") or 0, "depth": c["depth"] if c.get("hid") else 0},
                settings(c, ("seed", "n", "cdist", "skew", "cnoise", "hid", "depth", "loss", "opt", "lr", "mom", "wd",
                             "batch", "eval"))
                | {"labels": "complementary", "weak_loss": {"ure": "unbiased-risk-estimator",
                                                            "max": "non-negative-max", "ga": "gradient-ascent",
                                                            "fwd": "forward-log-1-minus-p"}[c["loss"]],
                   "test_loss": "heldout-digits-ce-true-labels", "error": "misclassified-true-labels",
                   "test_size": str(len(yt))}, output_dim=K)
    log_ = logger(run)

    def log(e, final):
        o, ot = mlp(params, x, torch.relu), mlp(params, xt, torch.relu)
        log_(e, complement_objective(o, yb, K, c["loss"], prior), fn.cross_entropy(ot, yt),
             (o.argmax(1) != y).float().mean(), (ot.argmax(1) != yt).float().mean(), final=final)

    train_until(g, n, c, step, log)


def runs_complement_labels():
    # The logic: 1,200 digits, each with one uniformly drawn complementary label (a class it is not), so a label
    # carries about a twentieth of a true label's information (log 10/9 of log 10 nats); a ReLU MLP 64 -> 128 -> 10
    # (9,610 weights, eight a weak label) under Adam at 0.001 on minibatches of 128, 100 epochs, on the forward loss
    # -log(1 - p_ybar), which a flexible model can drive to zero by putting its mass on any class but ybar, and on the
    # unbiased risk estimator, which it can drive below zero (Ishida et al. 2019), where the max-operator and
    # gradient-ascent corrections keep the partial risks from going negative. One thing at a time besides: the
    # unbiased estimator (at 0.001 and 0.0001), the max operator, gradient ascent, the step 0.0003 and 0.003, width
    # 32 and 512, two hidden layers, a linear model, 600 and 1,290 digits, 3% and 6% wrong complementary labels (the
    # true class; below 1 / K = 10%, where P(ybar = k | y) would be 0.1 for every k and the labels would carry no
    # information, and above which they point at the true class), skewed complementary labels, the max operator at 6%
    # wrong labels, AdamW at weight decay 0.01, momentum SGD (0.9 at 0.05), minibatches of 32. Evaluation spacing
    # mixed. (Revised once after the first training: the wrong shares were 10% and 25%, and 25% under the max
    # operator; see README.md.)
    base = dict(n=1200, cdist="uniform", skew=None, cnoise=None, hid=128, depth=1, loss="fwd", opt="adam", lr=0.001,
                mom=None, wd=None, batch=128, epochs=100, eval="every:2")
    return complement_labels, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(loss="ure", eval="every"),
        dict(loss="ure", lr=0.0001, eval="every:2"),
        dict(loss="max", eval="log:30"),
        dict(loss="ga", eval="every:3"),
        dict(lr=0.0003, eval="every:2"),
        dict(lr=0.003, eval="jitter:30"),
        dict(hid=32, eval="every"),
        dict(hid=512, eval="every:2"),
        dict(depth=2, eval="mixed:30:3"),
        dict(hid=None, depth=None, eval="every:3"),
        dict(n=600, eval="every"),
        dict(n=1290, eval="geom:3"),
        dict(cnoise=0.03, eval="every:2"),
        dict(cnoise=0.06, eval="every"),
        dict(cdist="skew", skew=1.5, eval="burst:20:5"),
        dict(loss="max", cnoise=0.06, eval="mixlog:20:30"),
        dict(opt="adamw", wd=0.01, eval="every"),
        dict(opt="sgd", lr=0.05, mom=0.9, eval="every:2"),
        dict(batch=32, eval="rand:50"),
    ], lambda d: "n%d-%s%s-%s-%s-%s-lr%g%s-b%d" % (
        d["n"], d["cdist"] + ("%g" % d["skew"] if d.get("skew") else ""),
        "-wrong%g" % d["cnoise"] if d.get("cnoise") else "",
        "relu%dx%d" % (d["depth"], d["hid"]) if d.get("hid") else "linear", d["loss"], d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else "-mom%g" % d["mom"] if d.get("mom") else "", d["batch"]))


# ---------------------------------------------------------------------------------------------------- partial-label-sets


def partial_data(g, c):
    """(x, y, xt, yt, K): 'mix' 8 classes in 10 dimensions, class means sep N(0, I), points the mean plus N(0, I),
    classes uniform, n training and 2,000 fresh test points; 'wine' or 'iris' real_classes (n training points, the
    rest held out); float64, from g."""
    if c["data"] in ("wine", "iris"):
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], 1.0, F64)
        return x, y, xt, yt, K
    K, d = 8, 10
    mu = c["sep"] * torch.randn(K, d, generator=g, dtype=F64)

    def draw(m):
        lab = torch.randint(0, K, (m,), generator=g)
        return mu[lab] + torch.randn(m, d, generator=g, dtype=F64), lab

    x, y = draw(c["n"])
    xt, yt = draw(2000)
    return x, y, xt, yt, K


def candidate_sets(g, y, K, c):
    """Candidate sets (n x K, bool), from g: the true label, and each other class with probability q; where pair is
    set, the true class's partner (a fixed random derangement of the classes) with probability pair besides. Then
    in a share drop of the sets the true label is taken out and a wrong class drawn uniformly put in (so the set
    misses the true label)."""
    n = len(y)
    S = torch.rand(n, K, generator=g) < c["q"]
    if c.get("pair"):
        partner = (torch.arange(K) + torch.randint(1, K, (K,), generator=g)) % K
        S[torch.arange(n), partner[y]] |= torch.rand(n, generator=g) < c["pair"]
    S[torch.arange(n), y] = True
    if c.get("drop"):
        hit = torch.rand(n, generator=g) < c["drop"]
        wrong = (y + torch.randint(1, K, (n,), generator=g)) % K
        S[torch.arange(n)[hit], y[hit]] = False
        S[torch.arange(n)[hit], wrong[hit]] = True
    return S


def partial_label_sets(w, run_id, c):
    """Partial-label learning, float64. Data (from the run's generator): partial_data; candidate_sets. Model: d -> hid
    (x depth, tanh) -> K, U(+-1 / sqrt(fan-in)) from the run's generator (linear where hid is unset). Loss: 'proden'
    -sum_j w_ij log p_ij, the weights w_i uniform over the candidates at the start and, after every step, the model's
    probabilities over the candidates renormalised on that minibatch (Lv et al. 2020); 'cc' -log sum_{j in S_i} p_ij
    (Feng et al. 2020); 'avg' -mean_{j in S_i} log p_ij. Optimizer: SGD at lr (momentum mom) or Adagrad at lr, on
    minibatches of batch. Train loss: the objective on the training set at its candidate sets (PRODEN's at the current
    weights); test loss: the cross-entropy on the held-out points, true labels; error rates: the misclassified shares
    by the true labels."""
    g = torch.Generator().manual_seed(752_000 + c["seed"])
    x, y, xt, yt, K = partial_data(g, c)
    n, d = x.shape
    S = candidate_sets(g, y, K, c)
    Sf = S.to(F64)
    conf = Sf / Sf.sum(1, keepdim=True)
    sizes = [d] + ([c["hid"]] * c["depth"] if c.get("hid") else []) + [K]
    params = mlp_params(g, sizes, F64)
    if c["opt"] == "adagrad":
        opt = torch.optim.Adagrad(params, lr=c["lr"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0)

    def objective(logits, idx):
        lp = fn.log_softmax(logits, 1)
        s = take(S, idx)
        if c["loss"] == "cc":
            return -torch.logsumexp(lp.masked_fill(~s, float("-inf")), 1).mean()
        wgt = take(conf, idx) if c["loss"] == "proden" else take(Sf, idx) / take(Sf, idx).sum(1, keepdim=True)
        return -(wgt * lp).sum(1).mean()

    def step(idx):
        opt.zero_grad()
        objective(mlp(params, take(x, idx), torch.tanh), idx).backward()
        opt.step()
        if c["loss"] == "proden":
            with torch.no_grad():
                p = torch.softmax(mlp(params, take(x, idx), torch.tanh), 1) * take(Sf, idx)
                new = p / p.sum(1, keepdim=True)
                if idx is None:
                    conf.copy_(new)
                else:
                    conf[idx] = new

    run = w.run(run_id, count(params), n, {"family": "mlp" if c.get("hid") else "linear",
                                           "hidden": c.get("hid") or 0, "depth": c["depth"] if c.get("hid") else 0},
                settings(c, ("seed", "data", "n", "sep", "q", "pair", "drop", "hid", "depth", "loss", "opt", "lr",
                             "mom", "batch", "eval"))
                | {"labels": "partial-candidate-sets", "weak_loss": {"proden": "proden-progressive",
                                                                     "cc": "classifier-consistent-log-sum",
                                                                     "avg": "average-candidate-ce"}[c["loss"]],
                   "mean_candidates": "%.3g" % float(Sf.sum(1).mean()),
                   "test_loss": "heldout-ce-true-labels", "error": "misclassified-true-labels",
                   "test_size": str(len(yt))}, output_dim=K)
    log_ = logger(run)

    def log(e, final):
        o, ot = mlp(params, x, torch.tanh), mlp(params, xt, torch.tanh)
        log_(e, objective(o, None), fn.cross_entropy(ot, yt), (o.argmax(1) != y).double().mean(),
             (ot.argmax(1) != yt).double().mean(), final=final)

    train_until(g, n, c, step, log)


def runs_partial_label_sets():
    # The logic: 300 points of 8 overlapping Gaussian classes in 10 dimensions (means 1.2 N(0, I) apart, so some
    # classes overlap), each with a candidate set holding its true label and every other class with probability 0.3
    # (about 3.1 candidates a point); a tanh MLP 10 -> 64 -> 8 (1,224 weights, four a point) under momentum SGD (0.9
    # at 0.05) on minibatches of 30, 200 epochs, on PRODEN, whose weights follow the model's own predictions and so
    # can lock in its mistakes on the overlapping classes. One thing at a time besides: the classifier-consistent
    # and the naive average losses, q 0.1 and 0.6, a fixed partner class in the set with probability 0.9, the true
    # label missing from 10% and 30% of the sets (and the classifier-consistent loss at 30%), width 16 and 256, two
    # hidden layers, a linear model, 150 and 600 points, the step 0.01 and 0.2, Adagrad at 0.1, the class means 2
    # apart, wine (100 points) and iris (90 points). Evaluation spacing mixed.
    base = dict(data="mix", n=300, sep=1.2, q=0.3, pair=None, drop=None, hid=64, depth=1, loss="proden", opt="sgd",
                lr=0.05, mom=0.9, batch=30, epochs=150, eval="every:2")
    return partial_label_sets, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(loss="cc", eval="every"),
        dict(loss="avg", eval="every:3"),
        dict(q=0.1, eval="log:30"),
        dict(q=0.6, eval="every:2"),
        dict(pair=0.9, eval="every"),
        dict(drop=0.1, eval="jitter:30"),
        dict(drop=0.3, eval="every:2"),
        dict(loss="cc", drop=0.3, eval="mixed:40:3"),
        dict(hid=16, eval="every"),
        dict(hid=256, eval="every:4"),
        dict(depth=2, eval="geom:3"),
        dict(hid=None, depth=None, eval="every:2"),
        dict(n=150, eval="every"),
        dict(n=600, eval="burst:20:5"),
        dict(lr=0.01, eval="every:2"),
        dict(lr=0.2, eval="every"),
        dict(opt="adagrad", lr=0.1, mom=None, eval="mixlog:30:30"),
        dict(sep=2.0, eval="rand:80"),
        dict(data="wine", n=100, sep=None, eval="every"),
        dict(data="iris", n=90, sep=None, eval="every:2"),
    ], lambda d: "%s-n%d%s-q%g%s%s-%s-%s-%s-lr%g%s-b%d" % (
        d["data"], d["n"], "-sep%g" % d["sep"] if d.get("sep") else "", d["q"],
        "-pair%g" % d["pair"] if d.get("pair") else "", "-drop%g" % d["drop"] if d.get("drop") else "",
        "tanh%dx%d" % (d["depth"], d["hid"]) if d.get("hid") else "linear", d["loss"], d["opt"], d["lr"],
        "-mom%g" % d["mom"] if d.get("mom") else "", d["batch"]))


# ---------------------------------------------------------------------------------------------------- svdd-oneclass


def oneclass_data(g, c):
    """(x, xt_normal, xt_anomalous, anomalies among x) from g: 'cancer' scikit-learn's breast cancer, benign normal and
    malignant anomalous, standardised on the training points; 'digits' the digits (pixels / 16, centred on the
    training points), the digit c['normal'] normal and the others anomalous (500 of them held out at random). n normal
    training points and round(contam n) anomalies among them; every other normal point and every other anomaly (500
    on the digits) held out."""
    if c["data"] == "digits":
        from sklearn.datasets import load_digits
        xs, ys = load_digits(return_X_y=True)
        X, Y = torch.tensor(xs, dtype=F64) / 16, torch.tensor(ys)
        normal = Y == c["normal"]
    else:
        from sklearn.datasets import load_breast_cancer
        xs, ys = load_breast_cancer(return_X_y=True)
        X, Y = torch.tensor(xs, dtype=F64), torch.tensor(ys)
        normal = Y == 1
    nor, ano = torch.nonzero(normal)[:, 0], torch.nonzero(~normal)[:, 0]
    nor, ano = nor[torch.randperm(len(nor), generator=g)], ano[torch.randperm(len(ano), generator=g)]
    m = int(round((c.get("contam") or 0.0) * c["n"]))
    tr = torch.cat([nor[:c["n"]], ano[:m]])
    te_n, te_a = nor[c["n"]:], ano[m:]
    if c["data"] == "digits":
        te_a = te_a[:500]
        mean, sd = X[tr].mean(0), torch.ones(X.shape[1], dtype=F64)
    else:
        mean, sd = X[tr].mean(0), X[tr].std(0)
    X = (X - mean) / sd
    return X[tr], X[te_n], X[te_a], m


def balanced_ce(s_n, s_a, r):
    """The balanced cross-entropy of p = sigmoid(2 log(s / r)) against the true status: the mean of -log(1 - p) over
    the normal scores s_n and of -log p over the anomalous scores s_a, averaged."""
    z_n = 2 * (torch.log(s_n.clamp(min=1e-300)) - math.log(max(r, 1e-300)))
    z_a = 2 * (torch.log(s_a.clamp(min=1e-300)) - math.log(max(r, 1e-300)))
    return 0.5 * (fn.softplus(z_n).mean() + fn.softplus(-z_a).mean())


def svdd_oneclass(w, run_id, c):
    """One-class learning, float64. Data (from the run's generator): oneclass_data. Model: 'svdd' d -> hid (x depth,
    leaky ReLU 0.1) -> rep without biases (with biases where bias is set), U(+-1 / sqrt(fan-in)) from the run's
    generator, the centre the mean initial representation of the training points (coordinates within 0.1 of 0 set to
    +-0.1, Ruff et al.'s guard); 'ae' an autoencoder d -> hid -> rep -> hid -> d with biases. Loss: 'oc' the mean
    squared distance to the centre; 'soft' R^2 + mean(max(0, dist^2 - R^2)) / nu, R 0 for 10 epochs and then, after
    each epoch, the (1 - nu) quantile of the training points' distances; 'ae' the mean squared reconstruction error
    (summed over the features). Optimizer: RMSprop (Adam where opt is 'adam') at lr, weight decay wd, on minibatches
    of batch. Score: the squared distance to the centre (the reconstruction error for 'ae'). Train loss: the
    objective on the training points; test loss: balanced_ce of the held-out normal and anomalous points' scores, r
    the 0.95 quantile of the training points' scores. No error rates."""
    g = torch.Generator().manual_seed(753_000 + c["seed"])
    x, xn, xa, m = oneclass_data(g, c)
    n, d = x.shape
    act = lambda z: fn.leaky_relu(z, 0.1)  # noqa: E731
    if c["model"] == "ae":
        params = mlp_params(g, [d, c["hid"], c["rep"], c["hid"], d], F64)

        def score(z):
            return ((mlp(params, z, act) - z) ** 2).sum(1)
    else:
        sizes = [d] + [c["hid"]] * c["depth"] + [c["rep"]]
        if c.get("bias"):
            params = mlp_params(g, sizes, F64)
        else:
            params = leaves([uniform(g, a, a, b).to(F64) for a, b in zip(sizes[:-1], sizes[1:])])

        def embed(z):
            if c.get("bias"):
                return mlp(params, z, act)
            for i, W in enumerate(params):
                z = z @ W
                if i + 1 < len(params):
                    z = act(z)
            return z

        with torch.no_grad():
            centre = embed(x).mean(0)
            centre = torch.where(centre.abs() < 0.1, torch.where(centre < 0, -0.1, 0.1).to(F64), centre)

        def score(z):
            return ((embed(z) - centre) ** 2).sum(1)

    radius = [0.0]

    def objective(s):
        if c["loss"] == "soft":
            r2 = radius[0] ** 2
            return r2 + (s - r2).clamp(min=0).mean() / c["nu"]
        return s.mean()

    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    else:
        opt = torch.optim.RMSprop(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)

    def step(idx):
        opt.zero_grad()
        objective(score(take(x, idx))).backward()
        opt.step()

    def end(e):
        if c["loss"] == "soft" and e >= 10:
            with torch.no_grad():
                radius[0] = float(torch.quantile(score(x).sqrt(), 1 - c["nu"]))

    run = w.run(run_id, count(params), n, {"family": "autoencoder" if c["model"] == "ae" else "deep-svdd",
                                               "hidden": c["hid"], "depth": c.get("depth") or 1,
                                               "representation": c["rep"]},
                settings(c, ("seed", "data", "normal", "n", "contam", "model", "hid", "depth", "rep", "bias", "loss",
                             "nu", "opt", "lr", "wd", "batch", "eval"))
                | {"labels": "one-class", "anomalies_in_train": str(m),
                   "score": "reconstruction-error" if c["model"] == "ae" else "squared-distance-to-centre",
                   "test_loss": "heldout-balanced-ce-true-status-q0.95",
                   "test_size": str(len(xn) + len(xa)), "test_normal": str(len(xn)), "test_anomalous": str(len(xa))})
    log_ = logger(run)

    def log(e, final):
        s = score(x)
        r = float(torch.quantile(s, 0.95))
        log_(e, objective(s), balanced_ce(score(xn), score(xa), r), final=final)

    try:
        epoch_loop(g, n, c, step, log, end=end)
    except Diverged:
        pass


def runs_svdd_oneclass():
    # The logic: 200 benign tumours of scikit-learn's breast cancer as the normal class (30 standardised features),
    # the 157 other benign and all 212 malignant ones held out; a bias-free leaky-ReLU MLP 30 -> 64 -> 16 (2,944
    # weights) pulled towards its initial mean representation by RMSprop at 0.0001 on minibatches of 25, 150 epochs:
    # the map contracts the normal points faster than the rest at first, and later also the directions it does not
    # need, where anomalies lie. One thing at a time besides: contamination 5%, 10% and 20% (anomalies among the
    # training points), the soft-boundary objective (nu 0.1, at 10%), an autoencoder (clean and at 10%), the step
    # 0.00003 and 0.001, weight decay 0.001, representations of 4 and 64, two hidden layers of 128, biases (which admit
    # the collapsed constant map), 80 normal points, full batch, Adam, the digits (0 normal; clean, and 3 normal at
    # 10%). Evaluation spacing mixed.
    base = dict(data="cancer", normal=None, n=200, contam=None, model="svdd", hid=64, depth=1, rep=16, bias=None,
                loss="oc", nu=None, opt="rmsprop", lr=0.0001, wd=None, batch=25, epochs=150, eval="every:2")
    return svdd_oneclass, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(contam=0.05, eval="every"),
        dict(contam=0.1, eval="every:2"),
        dict(contam=0.2, eval="log:30"),
        dict(contam=0.1, loss="soft", nu=0.1, eval="every"),
        dict(model="ae", loss="ae", depth=None, eval="every:3"),
        dict(model="ae", loss="ae", depth=None, contam=0.1, eval="jitter:30"),
        dict(lr=0.00003, eval="every:2"),
        dict(lr=0.001, eval="every"),
        dict(wd=0.001, eval="mixed:30:3"),
        dict(rep=4, eval="every:2"),
        dict(rep=64, eval="geom:2"),
        dict(hid=128, depth=2, eval="every"),
        dict(bias=True, eval="every:2"),
        dict(n=80, eval="every"),
        dict(batch=None, eval="burst:15:5"),
        dict(opt="adam", eval="every:2"),
        dict(data="digits", normal=0, n=100, eval="mixlog:20:30"),
        dict(data="digits", normal=3, n=100, contam=0.1, eval="rand:70"),
    ], lambda d: "%s%s-n%d%s-%s-%s-rep%d%s-%s-%s-lr%g%s-b%s" % (
        d["data"], "%d" % d["normal"] if d.get("normal") is not None else "", d["n"],
        "-contam%g" % d["contam"] if d.get("contam") else "-clean",
        d["model"], "lrelu%dx%d" % (d.get("depth") or 1, d["hid"]), d["rep"], "-bias" if d.get("bias") else "",
        d["loss"] + ("%g" % d["nu"] if d.get("nu") else ""), d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else "", d.get("batch") or "full"))


FAMILIES = {"complement-labels": runs_complement_labels, "partial-label-sets": runs_partial_label_sets,
            "svdd-oneclass": runs_svdd_oneclass}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
