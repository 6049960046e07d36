#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-twenty-second held-out
round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/ or /work/shared, and no git log, git show or git diff of main; no
stopping benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its
own logic and committed before any of its runs was trained, revised at most once (README.md says where and why), and
the runs were sorted by census.py alone). The theme of the round is selective prediction and cost-sensitive learning:
classifiers with a reject option (an abstention output trained with the gambler's loss, or a selection head trained
with a coverage penalty), asymmetric misclassification costs and class-weighted losses under class imbalance and label
noise; width, cost ratio (or the abstention's payoff and the target coverage) and noise swept; the test loss is the
same objective on held-out rows:

- gambler-abstain-digits: a ReLU MLP 64 -> hid (-> hid) -> 11 on scikit-learn's 8x8 digits (pixels / 16), the eleventh
  output the abstention, trained on the deep gamblers' loss (Liu et al. 2019) -log(p_y + p_abstain / o), o the
  payoff of abstaining (1 < o <= 10: near 1 abstaining costs nothing, at 10 it is worth a uniform guess); a share of
  the training labels flipped; Adam or momentum SGD on minibatches, the first 20 epochs (all rows but one) on the
  plain cross-entropy of the ten digit outputs (the paper's warm-up); one row without the reject option (ten outputs,
  the cross-entropy). float32.
- selnet-coverage-mix: SelectiveNet (Geifman & El-Yaniv 2019) on a synthetic 4-class problem: a two-layer ReLU trunk
  d -> hid -> hid with three heads, the prediction f (4 logits), the selection g (one sigmoid) and the auxiliary h (4
  logits); the objective alpha (r + lam max(0, c - phi)^2) + (1 - alpha) mean(w ce_h), r = sum(g w ce_f) / sum(g)
  the selective risk and phi = mean(g) the coverage, c the target coverage, w class weights (none or inverse class
  frequency). Data: Gaussian inputs labelled by a random tanh teacher's argmax, one class rare (share rho), an
  ambiguous region (the inputs' first coordinate above its upper quartile) where a share 'amb' of the labels is
  redrawn uniformly in training AND held-out rows (aleatoric noise a reject option can avoid), and a share of the
  training labels flipped besides (held-out rows without flips). Momentum SGD or RMSprop on minibatches; float32.
- costratio-rf-cancer: random ReLU features of scikit-learn's breast cancer (N features relu(x A + b) and a constant,
  A and b Gaussian) and a linear readout from zero, a cost-sensitive binary classifier of malignancy: the costs of a
  missed malignant tumour (false negative) and of a false alarm in the ratio r (normalised to sum 2), times the
  inverse class frequencies where 'balanced'; the cost-weighted logistic loss or the cost-weighted squared hinge; the
  training rows drawn with a malignant share rho (class imbalance), a share of their labels flipped (symmetric, or only
  malignant to benign: missed diagnoses); full-batch gradient descent at lr over the loss's curvature bound, heavy
  ball, or minibatch SGD; optional L2 penalty (not in the test loss). float64.

Train loss: the objective on the training rows at their given (noisy) labels, the model in its evaluation form; test
loss: the same objective on the held-out rows at their true labels (selnet-coverage-mix: the labels of the ambiguous
region as drawn, no flips); error rates: the misclassified shares of the argmax over the classes (abstention and
selection ignored; costratio-rf-cancer: the sign of the readout). A run whose loss turns NaN or infinite sends that
evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, flip_labels and take from train_thirtyninth.py, count from
train_fortyeighth.py, mlp_params and mlp from train_sixtyfifth.py and logger and train_until (epoch_loop over
train_thirtyseventh.py's evaluation spacings, minibatches from train_twentyfirst.py) from train_seventyfourth.py;
one thread, every random draw from a seeded torch.Generator (splits, teachers, inputs, flips, features,
initialisations, minibatches), synthetic event times, 6 significant digits. No planned last epoch is told: the last
event's final marks it.

    /usr/bin/python3 train_hundredtwentysecond.py --family gambler-abstain-digits [--list] [--runs 0,3] [--out FILE]

Families (see README.md): gambler-abstain-digits, selnet-coverage-mix, costratio-rf-cancer. Evaluation spacings:
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
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


def make_opt(c, params):
    """'adam' Adam, 'sgdm' SGD with momentum 0.9, 'rmsprop' RMSprop (alpha 0.99); at c['lr']."""
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"])
    if c["opt"] == "rmsprop":
        return torch.optim.RMSprop(params, lr=c["lr"], alpha=0.99)
    return torch.optim.SGD(params, lr=c["lr"], momentum=0.9)


# --------------------------------------------------------------------------------------------- gambler-abstain-digits


def gambler_loss(out, t, o):
    """The deep gamblers' loss, mean over the rows: -log(p_t + p_abstain / o), p the softmax of the K + 1 outputs
    (the last the abstention); o None: the plain cross-entropy over K outputs."""
    if o is None:
        return fn.cross_entropy(out, t)
    pick = out.gather(1, t[:, None])[:, 0]
    both = torch.stack([pick, out[:, -1] - math.log(o)], 1)
    return (torch.logsumexp(out, 1) - torch.logsumexp(both, 1)).mean()


def gambler_abstain_digits(w, run_id, c):
    """A ReLU MLP 64 -> hid (x depth) -> 10 + 1 (10 without the reject option) on the digits, float32. Data (from the
    run's generator): scikit-learn's 1,797 digits, pixels / 16, n for training (a share 'flip' of their labels replaced
    by another digit), the rest held out. Weights U(+-1 / sqrt(fan-in)) from the run's generator (mlp_params). Loss:
    gambler_loss at the payoff o; the first 'pre' epochs the cross-entropy over the ten digit outputs instead (the
    abstention output left out). Optimizer make_opt on minibatches of 'batch'."""
    from sklearn.datasets import load_digits
    g = torch.Generator().manual_seed(1_221_000 + c["seed"])
    xs, ys = load_digits(return_X_y=True)
    X, Y = torch.tensor(xs / 16.0, dtype=F32), torch.tensor(ys)
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    x, y, xt, yt = X[tr], flip_labels(g, Y[tr], 10, c.get("flip")), X[te], Y[te]
    n, o = len(x), c.get("o")
    k = 10 if o is None else 11
    params = mlp_params(g, [64] + [c["hid"]] * c["depth"] + [k], F32)
    opt = make_opt(c, params)
    st = {"e": 0}

    def begin(e):
        st["e"] = e

    def step(idx):
        out = mlp(params, take(x, idx), torch.relu)
        opt.zero_grad()
        if o is not None and st["e"] < (c.get("pre") or 0):
            fn.cross_entropy(out[:, :10], take(y, idx)).backward()
        else:
            gambler_loss(out, take(y, idx), o).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "mlp", "width": c["hid"], "depth": c["depth"],
                                           "activation": "relu", "outputs": k, "reject_option": str(o is not None)},
                settings(c, ("seed", "n", "flip", "hid", "depth", "o", "pre", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy" if o is None else "gambler",
                   "test_loss": "heldout-" + ("ce" if o is None else "gambler") + "-true-labels",
                   "error": "misclassified-argmax-of-digits", "test_size": str(len(xt))}, output_dim=k)
    log_ = logger(run)

    def log(e, final):
        ot, oh = mlp(params, x, torch.relu), mlp(params, xt, torch.relu)
        log_(e, gambler_loss(ot, y, o), gambler_loss(oh, yt, o), (ot[:, :10].argmax(1) != y).float().mean(),
             (oh[:, :10].argmax(1) != yt).float().mean(), final=final)

    train_until(g, n, c, step, log, begin=begin)


def runs_gambler_abstain_digits():
    # The logic: 500 digits for training (the other 1,297 held out), 20% of their labels flipped; a ReLU MLP 64 -> 64
    # -> 11 (4,875 weights, about ten a training label, so it sits near where it can just memorise the flips) under
    # Adam at 3e-3 on minibatches of 50, 200 epochs, the first 20 of them on the plain cross-entropy (Liu et al.'s
    # warm-up: from scratch the gambler's loss at a small payoff settles on abstaining everywhere, a loss of log o),
    # the payoff o 5 (abstaining is worth half a correct answer's odds). Width on both sides: 8, 16, 32, 128, 256 and
    # 1,024 (77,835 weights). The payoff from cheap abstention to none: 2.5, 8 and 9.9 (almost a uniform guess); the
    # flips 0, 10% and 40%. One thing at a time besides: no warm-up; momentum SGD at 0.05; two hidden layers; 300 and
    # 1,000 training digits; and no reject option at all (ten outputs, the cross-entropy; no warm-up to tell).
    # Evaluation spacing mixed.
    base = dict(n=500, flip=0.2, hid=64, depth=1, o=5.0, pre=20, opt="adam", lr=3e-3, batch=50, epochs=200,
                eval="every")
    return gambler_abstain_digits, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hid=8, eval="every:2"),
        dict(hid=16, eval="log:40"),
        dict(hid=32, eval="every"),
        dict(hid=128, eval="jitter:40"),
        dict(hid=256, eval="every:2"),
        dict(hid=1024, eval="every:3"),
        dict(o=2.5, eval="every"),
        dict(o=8.0, eval="mixed:40:2"),
        dict(o=9.9, eval="every"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.1, eval="geom:2"),
        dict(flip=0.4, eval="every"),
        dict(opt="sgdm", lr=0.05, eval="burst:20:6"),
        dict(depth=2, eval="every:2"),
        dict(pre=None, eval="every"),
        dict(n=300, eval="mixlog:40:40"),
        dict(n=1000, eval="every:2"),
        dict(o=None, pre=None, eval="rand:90"),
    ], lambda d: "n%d%s-relu%dx%d-%s-%s-lr%g-b%d" % (
        d["n"], "-flip%g" % d["flip"] if d.get("flip") else "", d["hid"], d["depth"],
        "o%g" % d["o"] + ("-pre%d" % d["pre"] if d.get("pre") else "") if d.get("o") else "noreject",
        d["opt"], d["lr"], d["batch"]))


# ----------------------------------------------------------------------------------------------- selnet-coverage-mix


def selnet_data(g, c):
    """(x, y, xt, yt, amb_train, amb_test): inputs N(0, I_d); a random teacher tanh(x V) U (V d x 16 of N(0, 1 / d), U
    16 x K of N(0, 1)), each class's logit centred over a pool of 20,000 inputs, the label its argmax; from the pool n
    training and 2,000 held-out rows with class 0's share rho and the others' (1 - rho) / (K - 1) (rows taken in the
    pool's order); in the ambiguous region (first coordinate above 0.6745, a quarter of the inputs) a share amb of the
    labels redrawn uniformly, training and held-out alike; then a share 'flip' of the training labels flipped. All from
    g."""
    d, K = c["d"], 4
    V = torch.randn(d, 16, generator=g) / math.sqrt(d)
    U = torch.randn(16, K, generator=g)
    pool = torch.randn(20000, d, generator=g)
    logit = torch.tanh(pool @ V) @ U
    lab = (logit - logit.mean(0)).argmax(1)
    share = [c["rho"]] + [(1 - c["rho"]) / (K - 1)] * (K - 1)

    def counts(m):
        cnt = [int(round(s * m)) for s in share]
        cnt[-1] += m - sum(cnt)
        return cnt

    tr, te = [], []
    for k, (a, b) in enumerate(zip(counts(c["n"]), counts(2000))):
        rows = (lab == k).nonzero()[:, 0]
        assert len(rows) >= a + b, (k, len(rows), a + b)
        tr.append(rows[:a])
        te.append(rows[a:a + b])
    tr, te = torch.cat(tr), torch.cat(te)
    tr, te = tr[torch.randperm(len(tr), generator=g)], te[torch.randperm(len(te), generator=g)]

    def ambiguous(rows):
        z, t = pool[rows], lab[rows].clone()
        hit = (z[:, 0] > 0.6745) & (torch.rand(len(rows), generator=g) < (c.get("amb") or 0.0))
        t[hit] = torch.randint(0, K, (len(rows),), generator=g)[hit]
        return z, t, z[:, 0] > 0.6745

    x, y, ra = ambiguous(tr)
    xt, yt, rt = ambiguous(te)
    return x, flip_labels(g, y, K, c.get("flip")), xt, yt, ra, rt


def selnet_coverage_mix(w, run_id, c):
    """SelectiveNet, float32. Data: selnet_data. Model: trunk relu(relu(x W1 + b1) W2 + b2) of width hid, heads f
    (hid -> 4), g (hid -> 1, sigmoid) and h (hid -> 4), all U(+-1 / sqrt(fan-in)) from the run's generator. Class
    weights w_k: 1, or ('cw') n / (4 n_k) from the training labels. Objective on a set of rows: alpha (sum(g w ce_f) /
    sum(g) + lam max(0, cov - mean(g))^2) + (1 - alpha) mean(w ce_h). Optimizer make_opt on minibatches of 'batch'."""
    g = torch.Generator().manual_seed(1_222_000 + c["seed"])
    x, y, xt, yt, _, rt = selnet_data(g, c)
    n, d, h, K = len(x), c["d"], c["hid"], 4
    trunk = mlp_params(g, [d, h, h], F32)
    head_f, head_g, head_h = mlp_params(g, [h, K], F32), mlp_params(g, [h, 1], F32), mlp_params(g, [h, K], F32)
    params = trunk + head_f + head_g + head_h
    opt = make_opt(c, params)
    if c.get("cw"):
        nk = torch.bincount(y, minlength=K).to(F32)
        cw = n / (K * nk.clamp_min(1.0))
    else:
        cw = torch.ones(K)
    alpha, lam, cov = c["alpha"], c["lam"], c["cov"]

    def forward(z):
        u = torch.relu(mlp(trunk, z, torch.relu))
        return mlp(head_f, u, None), torch.sigmoid(mlp(head_g, u, None))[:, 0], mlp(head_h, u, None)

    def objective(z, t):
        f, s, a = forward(z)
        wt = cw[t]
        risk = (s * wt * fn.cross_entropy(f, t, reduction="none")).sum() / s.sum().clamp_min(1e-12)
        pen = lam * torch.clamp(cov - s.mean(), min=0.0) ** 2
        aux = (wt * fn.cross_entropy(a, t, reduction="none")).mean()
        return alpha * (risk + pen) + (1 - alpha) * aux, f, s

    def step(idx):
        opt.zero_grad()
        objective(take(x, idx), take(y, idx))[0].backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "selectivenet", "width": h, "depth": 2, "activation": "relu",
                                           "heads": "predict,select,auxiliary", "inputs": d},
                settings(c, ("seed", "n", "d", "rho", "amb", "flip", "hid", "cov", "lam", "alpha", "cw", "opt", "lr",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "selectivenet-coverage-penalised",
                   "test_loss": "heldout-selectivenet-objective", "error": "misclassified-argmax-of-f",
                   "class_weights": "inverse-frequency" if c.get("cw") else "none", "test_size": str(len(xt))},
                output_dim=K)
    log_ = logger(run)

    def log(e, final):
        lt, f, _ = objective(x, y)
        lh, fh, _ = objective(xt, yt)
        log_(e, lt, lh, (f.argmax(1) != y).float().mean(), (fh.argmax(1) != yt).float().mean(), final=final)

    train_until(g, n, c, step, log)


def runs_selnet_coverage_mix():
    # The logic: 400 training rows of 10 Gaussian inputs, 4 classes from a random tanh teacher, class 0 rare (10%), in
    # the ambiguous quarter of the input space half the labels redrawn (so three eighths of those rows' labels are
    # wrong and stay wrong in the held-out rows: the part a reject option should decline), 10% of the training labels
    # flipped besides; a two-layer ReLU trunk of width 64 (4,864 trunk weights, 5,449 with the heads, about fourteen a
    # row, near where it can memorise the flips) and SelectiveNet's heads, its objective at Geifman and El-Yaniv's lam
    # 32 and alpha 0.5, target coverage 0.8 (the quarter is ambiguous, but only half of its labels are redrawn);
    # momentum SGD at 0.02 on minibatches of 40, 150 epochs. Width on both sides: 8, 16, 32, 128 and 256 (70,921
    # weights); the coverage
    # target 0.5, 0.7 and 1 (no abstention wanted); lam 4 and 200; alpha 1 (no auxiliary head); no ambiguity and 90%
    # of the quarter redrawn; no flips and 30%; a balanced problem (rho 0.25); inverse-frequency class weights; RMSprop
    # at 1e-3; 150 rows (300 epochs); a long run (600 epochs); and 2,000 rows (40 epochs, fifty steps each).
    # Evaluation spacing mixed.
    base = dict(n=400, d=10, rho=0.1, amb=0.5, flip=0.1, hid=64, cov=0.8, lam=32.0, alpha=0.5, cw=None, opt="sgdm",
                lr=0.02, batch=40, epochs=150, eval="every")
    return selnet_coverage_mix, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hid=8, eval="every:2"),
        dict(hid=16, eval="every"),
        dict(hid=32, eval="jitter:40"),
        dict(hid=128, eval="every:2"),
        dict(hid=256, eval="every:3"),
        dict(cov=0.5, eval="every"),
        dict(cov=0.7, eval="log:40"),
        dict(cov=1.0, eval="every:2"),
        dict(lam=4.0, eval="mixed:30:3"),
        dict(lam=200.0, eval="every"),
        dict(alpha=1.0, eval="every:2"),
        dict(amb=None, eval="geom:2"),
        dict(amb=0.9, eval="every"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.3, eval="burst:15:5"),
        dict(rho=0.25, eval="every"),
        dict(cw=1, eval="every:2"),
        dict(opt="rmsprop", lr=1e-3, eval="every"),
        dict(n=150, epochs=300, eval="mixlog:40:40"),
        dict(epochs=600, eval="rand:120"),
        dict(n=2000, epochs=40, eval="every"),
    ], lambda d: "n%d-rho%g%s%s-relu%dx2-cov%g-lam%g-alpha%g%s-%s-lr%g-b%d" % (
        d["n"], d["rho"], "-amb%g" % d["amb"] if d.get("amb") else "", "-flip%g" % d["flip"] if d.get("flip") else "",
        d["hid"], d["cov"], d["lam"], d["alpha"], "-cw" if d.get("cw") else "", d["opt"], d["lr"], d["batch"]))


# ----------------------------------------------------------------------------------------------- costratio-rf-cancer


def costratio_rf_cancer(w, run_id, c):
    """Random ReLU features and a cost-sensitive linear readout, float64. Data (from the run's generator):
    scikit-learn's 569 breast-cancer patients, the positive class malignant (212); n training rows, round(rho n)
    malignant ones and the rest benign, each taken in a random order, the other 569 - n held out; standardised on the
    training rows; a share 'flip' of the training labels flipped ('noise' sym) or of the malignant training labels set
    benign ('fn'). Features: relu(x A + b), A (30 x N) N(0, 1 / 30), b N(0, 1), each standardised on the training rows,
    and a constant column. Readout a from zero, margin m = s (phi a) with s = +-1. Point weights: the cost of the true
    class (of the given label in training) cost_pos = 2 r / (1 + r), cost_neg = 2 / (1 + r), times n / (2 n_s) (the
    training rows' class counts, after the flips) where 'balanced'. Loss: 'log' mean(weight softplus(-m)), 'sqh'
    mean(weight max(0, 1 - m)^2). Optimizer: 'gd' full batch, 'hb' heavy ball (0.9), 'sgd' minibatches of 'batch';
    step lr / L, L the largest eigenvalue of phi^T phi / n (of phi phi^T / n where N + 1 > n) times the largest weight
    times the loss's curvature bound (1/4 the logistic's, 2 the squared hinge's); an L2 penalty wd |a|^2 / 2 where set
    (in the training steps only)."""
    from sklearn.datasets import load_breast_cancer
    g = torch.Generator().manual_seed(1_223_000 + c["seed"])
    xs, ys = load_breast_cancer(return_X_y=True)
    X, S = torch.tensor(xs, dtype=F64), torch.tensor(1 - ys, dtype=F64) * 2 - 1  # +1 malignant, -1 benign
    pos, neg = (S > 0).nonzero()[:, 0], (S < 0).nonzero()[:, 0]
    pos, neg = pos[torch.randperm(len(pos), generator=g)], neg[torch.randperm(len(neg), generator=g)]
    n, npos = c["n"], int(round(c["rho"] * c["n"]))
    tr = torch.cat([pos[:npos], neg[:n - npos]])
    te = torch.cat([pos[npos:], neg[n - npos:]])
    tr = tr[torch.randperm(n, generator=g)]
    X = (X - X[tr].mean(0)) / X[tr].std(0)
    x, s, xt, st = X[tr], S[tr].clone(), X[te], S[te]
    share = c.get("flip") or 0.0
    hit = torch.rand(n, generator=g) < share
    if c.get("noise") == "fn":
        hit = hit & (s > 0)
    s[hit] = -s[hit]
    N = c["N"]
    A = torch.randn(30, N, generator=g, dtype=F64) / math.sqrt(30)
    b = torch.randn(N, generator=g, dtype=F64)

    u = torch.relu(x @ A + b)
    mu, sd = u.mean(0), u.std(0).clamp_min(1e-6)

    def feats(z):
        return torch.cat([(torch.relu(z @ A + b) - mu) / sd, torch.ones(len(z), 1, dtype=F64)], 1)

    phi, phit = feats(x), feats(xt)
    r = c["ratio"]
    cost = {1: 2 * r / (1 + r), -1: 2 / (1 + r)}
    if c.get("balanced"):
        npos_tr = float((s > 0).sum())
        cost = {1: cost[1] * n / (2 * max(npos_tr, 1.0)), -1: cost[-1] * n / (2 * max(n - npos_tr, 1.0))}

    def weights(t):
        return torch.where(t > 0, torch.tensor(cost[1], dtype=F64), torch.tensor(cost[-1], dtype=F64))

    wtr, wte = weights(s), weights(st)
    curv = 0.25 if c["loss"] == "log" else 2.0
    gram = phi.T @ phi if N + 1 <= n else phi @ phi.T  # the same largest eigenvalue, the smaller matrix
    L = float(torch.linalg.eigvalsh(gram / n)[-1]) * max(cost.values()) * curv
    lr, wd = c["lr"] / L, c.get("wd") or 0.0
    st_ = {"a": torch.zeros(N + 1, dtype=F64), "v": torch.zeros(N + 1, dtype=F64)}

    def objective(f, t, wt):
        m = t * (f @ st_["a"])
        if c["loss"] == "log":
            return (wt * fn.softplus(-m)).mean()
        return (wt * torch.clamp(1 - m, min=0.0) ** 2).mean()

    def grad(idx):
        f, t, wt = take(phi, idx), take(s, idx), take(wtr, idx)
        m = t * (f @ st_["a"])
        dl = -torch.sigmoid(-m) if c["loss"] == "log" else -2 * torch.clamp(1 - m, min=0.0)
        return f.T @ (wt * dl * t) / len(f) + wd * st_["a"]

    def step(idx):
        gr = grad(idx)
        if c["opt"] == "hb":
            st_["v"] = 0.9 * st_["v"] + gr
            gr = st_["v"]
        st_["a"] = st_["a"] - lr * gr

    run = w.run(run_id, N + 1, n, {"family": "random-relu-features", "width": N, "inputs": 30, "data": "breast_cancer"},
                settings(c, ("seed", "n", "rho", "flip", "noise", "N", "ratio", "balanced", "loss", "opt", "lr", "wd",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cost-weighted-" + ("logistic" if c["loss"] == "log"
                                                                      else "squared-hinge"),
                   "test_loss": "heldout-cost-weighted-true-labels", "error": "misclassified",
                   "width_ratio": "%.3g" % (N / n), "test_size": str(len(xt)), "full_batch": str(not c.get("batch"))})
    log_ = logger(run)

    def log(e, final):
        log_(e, objective(phi, s, wtr), objective(phit, st, wte), ((phi @ st_["a"]) * s <= 0).double().mean(),
             ((phit @ st_["a"]) * st <= 0).double().mean(), final=final)

    train_until(g, n, c, step, log)


def runs_costratio_rf_cancer():
    # The logic: 150 training patients, a quarter of them malignant (fewer than the data's 37%: the class imbalance),
    # 10% of their labels flipped; a missed malignancy costs 5 times a false alarm; 100 random ReLU features,
    # standardised (two thirds of the patients: the cost-weighted logistic loss's readout should be able to separate
    # the flipped labels not far above that, after which gradient descent grows it without bound); full-batch gradient
    # descent at the step 1 over the curvature bound, 3,000 epochs. Width on both sides: 8, 25, 50, 150, 300, 1,000 and
    # 4,000 features. The cost ratio 1 (cost-blind) and 25; rho 0.1 and 0.37 (the data's own share); no flips, 25%
    # flips, and 20% of the malignant labels set benign (missed diagnoses); balanced class weights on top of the
    # costs; the squared hinge; heavy ball; minibatch SGD (15 patients, the step 0.3, 600 epochs); an L2 penalty 1e-3.
    # Evaluation spacing mixed.
    base = dict(n=150, rho=0.25, flip=0.1, noise="sym", N=100, ratio=5.0, balanced=None, loss="log", opt="gd",
                lr=1.0, wd=None, batch=None, epochs=3000, eval="log:40")
    return costratio_rf_cancer, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(N=8, eval="every:10"),
        dict(N=25, eval="jitter:40"),
        dict(N=50, eval="log:50"),
        dict(N=150, eval="every:5"),
        dict(N=300, eval="log:40"),
        dict(N=1000, eval="geom:8"),
        dict(N=4000, eval="log:40"),
        dict(ratio=1.0, eval="every:6"),
        dict(ratio=25.0, eval="log:40"),
        dict(rho=0.1, eval="mixlog:50:40"),
        dict(rho=0.37, eval="every:4"),
        dict(flip=None, eval="log:40"),
        dict(flip=0.25, eval="rand:200"),
        dict(flip=0.2, noise="fn", eval="log:40"),
        dict(balanced=1, eval="every:8"),
        dict(loss="sqh", eval="log:40"),
        dict(opt="hb", lr=0.1, eval="mixed:100:10"),
        dict(opt="sgd", lr=0.3, batch=15, epochs=600, eval="every"),
        dict(wd=1e-3, eval="burst:100:10"),
    ], lambda d: "n%d-rho%g%s-N%d-ratio%g%s-%s-%s-lr%g%s%s" % (
        d["n"], d["rho"], ("-%s%g" % ("flip" if d["noise"] == "sym" else "fnflip", d["flip"])) if d.get("flip") else "",
        d["N"], d["ratio"], "-balanced" if d.get("balanced") else "", d["loss"], d["opt"], d["lr"],
        "-b%d" % d["batch"] if d.get("batch") else "", "-wd%g" % d["wd"] if d.get("wd") else ""))


FAMILIES = {"gambler-abstain-digits": runs_gambler_abstain_digits, "selnet-coverage-mix": runs_selnet_coverage_mix,
            "costratio-rf-cancer": runs_costratio_rf_cancer}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
