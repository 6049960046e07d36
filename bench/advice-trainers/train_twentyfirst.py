#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, twenty-first held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping* or
*Advice* file was read, and no git log of main; no stopping benchmark, no Java, no Maven and not the descentwatch
launcher was run; each family's grid was set from its own logic and committed before any of its runs was looked at,
revised at most once (README.md says where and why), and the runs were sorted by census.py alone), and made to differ
from the sixty-five families of train.py ... train_nineteenth.py (written beside the twentieth round, without reading
it) in model, loss, optimizer, noise and data: a multi-label classifier, one sigmoid per label on linear logits or on a
shared tanh trunk, trained on the binary cross-entropy summed over labels under per-label flips (equal or ramped
rates), on a two-scale teacher of independent or low-rank-correlated labels and on attributes of scikit-learn's digits;
a deep ensemble, K one-hidden-layer tanh or ReLU networks trained side by side (on the same points, on bootstrap
resamples or on random halves, or jointly as one averaged model), whose test loss is that of their averaged
prediction, on a two-scale teacher and on scikit-learn's diabetes; and a softmax classifier trained on class-imbalanced
data (rare classes subsampled, the test set balanced) under the plain cross-entropy, a class-reweighted cross-entropy,
the logit-adjusted loss (Menon et al. 2021) or post-hoc logit adjustment, evaluated by the balanced test
cross-entropy. The file format, determinism and helpers are the earlier files': Writer, the command line and two-scale
inputs from train.py, epochs_of and settings from train_more.py, label_noise from train_fourth.py, rotation from
train_sixth.py and dict_runs from train_seventh.py; one thread, every random draw from a seeded torch.Generator,
synthetic event times, 6 significant digits.

    /usr/bin/python3 train_twentyfirst.py --family multilabel-bce [--list] [--runs 0,3] [--out FILE]

Families (see README.md): multilabel-bce, deep-ensemble, imbalance-logit. Evaluation spacings: train.py's 'every',
'every:K', 'log:K' and train_more.py's 'jitter:K', 'rand:M'.
"""
import math
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before torch loads its BLAS
    os.environ[var] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import epochs_of, settings  # noqa: E402
from train_fourth import label_noise  # noqa: E402
from train_sixth import rotation  # noqa: E402
from train_seventh import dict_runs  # noqa: E402

torch.set_num_threads(1)


def make_optimizer(c, params, lr):
    """'gd' (plain steps), 'hb' (heavy ball, momentum c['mom']), 'sgd' (minibatches under momentum c['mom']) or 'adam',
    all torch.optim."""
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=lr)
    return torch.optim.SGD(params, lr=lr, momentum=c.get("mom") or 0.0)


def top_eig(x, weights=None):
    """The largest eigenvalue of x1^T diag(weights) x1 / n, x1 the inputs with a constant column."""
    x1 = torch.cat([x, torch.ones(len(x), 1)], 1)
    xw = x1 if weights is None else x1 * weights.unsqueeze(1)
    return torch.linalg.eigvalsh(xw.T @ x1 / len(x))[-1].item()


def batches(g, n, bsz):
    """The minibatches of one epoch: a seeded permutation cut into batches of bsz, or the whole set (None)."""
    if not bsz or bsz >= n:
        return [None]
    idx = torch.randperm(n, generator=g)
    return [idx[j:j + bsz] for j in range(0, n, bsz)]


# ---------------------------------------------------------------------------------------------------- multilabel-bce


DIGIT_ATTRIBUTES = (("even", (0, 2, 4, 6, 8)), ("five_or_more", (5, 6, 7, 8, 9)), ("prime", (2, 3, 5, 7)),
                    ("closed_loop", (0, 4, 6, 8, 9)), ("multiple_of_3", (0, 3, 6, 9)))


def multilabel_data(g, c):
    """(x, y, xt, yt) with y the n x L label matrix (0/1). 'synth': train.py's two-scale Gaussian inputs, df fast ones of
    scale 1 and ds slow ones of scale s (turned by one random rotation where c['rot']); label l drawn as a Bernoulli of
    sigmoid(fast_l + slow_l), fast_l a Gaussian readout of the fast inputs of power F, slow_l one of the slow inputs at
    unit scale of power S; where c['r'] the L readouts are of rank r (labels correlated through r shared directions:
    each part a Gaussian d x r times r x L product, rescaled to the same power). 2,000 test points drawn the same way.
    'digits': scikit-learn's 8x8 digits, pixels over 16 centred on the training images, n for training and the other
    images for testing; the L = 5 labels attributes of the digit's class (even, 5 or more, prime, a closed loop, a
    multiple of 3)."""
    if c["data"] == "digits":
        from sklearn.datasets import load_digits
        xs, cls = load_digits(return_X_y=True)
        x = torch.tensor(xs / 16.0)
        cls = torch.tensor(cls)
        y = torch.stack([sum((cls == k).double() for k in ks) for _, ks in DIGIT_ATTRIBUTES], 1)
        perm = torch.randperm(len(x), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        x = x - x[tr].mean(0)
        return x[tr], y[tr], x[te], y[te]
    L, df, ds, s = c["L"], c["df"], c["ds"], c["s"]
    d = df + ds

    def readout(rows, power):
        if c.get("r"):
            B = torch.randn(rows, c["r"], generator=g) @ torch.randn(c["r"], L, generator=g)
            return B * math.sqrt(power * L / (B ** 2).sum().item())
        return torch.randn(rows, L, generator=g) * math.sqrt(power / rows)

    Bf, Bs = readout(df, c["F"]), readout(ds, c["S"])
    Q = rotation(g, d) if c.get("rot") else None

    def draw(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        logits = x[:, :df] @ Bf + (x[:, df:] / s) @ Bs
        lab = (torch.rand(m, L, generator=g) < torch.sigmoid(logits)).double()
        return (x @ Q if Q is not None else x), lab

    x, y = draw(c["n"])
    xt, yt = draw(2000)
    return x, y, xt, yt


def multilabel_bce(w, run_id, c):
    """A multi-label classifier: L logits, one sigmoid per label, trained on the binary cross-entropy averaged over
    points and labels (binary_cross_entropy_with_logits), autograd, float64. Data: multilabel_data; then each training
    label flipped (0 <-> 1) with probability c['flip'] (the same for every label), or, where c['ramp'], with probability
    2 flip l / (L - 1) for label l = 0 ... L - 1 (rates from 0 to twice the mean, per-label noise levels); test labels
    unflipped. Model: linear logits from zero, or a shared tanh trunk of width h (first layer from 1/sqrt(d) times
    standard normals, biases zero) under a linear head per label (from 0.1/sqrt(h) times them). Optimizers: 'gd',
    full-batch steps of c['lr'] times 4 over the largest eigenvalue of the inputs' Gram matrix with the constant (the
    bound 1/4 on the sigmoid's curvature) for the linear model, c['lr'] itself for the trunk; 'hb' (heavy ball, momentum
    0.9) and 'sgd' (minibatches under momentum 0.9) at the same scale; 'adam' at step c['lr'] (on rotated inputs, so
    that its per-coordinate steps cannot undo the scales). Train loss: the mean binary cross-entropy on the flipped
    training labels; test loss: the same on the test labels; error rates the Hamming error (the share of wrong labels).
    Grid (runs_multilabel_bce; 20 settings, 1-2 seeds, 21 runs): the base synthetic, L 5 independent labels, n 1,000,
    df 200, ds 15, s 0.05, F 6, S 12, 10% flips per label, linear, gradient descent at 1 (x 4 over the eigenvalue),
    8,000 epochs (2 seeds); one setting at a time no flips, 25% flips, ramped rates 0-20%, df 350 or 100, s 0.1 or 0.2
    (5,000 epochs), S 4 or 30, 2 or 12 labels, labels of rank 2, n 600, heavy ball at 0.1, minibatches of 100 at 0.05
    (1,000 epochs), Adam at 0.01 on rotated inputs, the tanh trunk of width 16 under heavy ball at step 0.05 (2,000
    epochs); and the digits' five attributes, n 500 with 15% flips, linear under gradient descent (3,000 epochs) and the
    tanh trunk of width 32 under heavy ball (2,000 epochs). Revised once (README): the first grid's base had n 500, df
    150 and s 0.1 over 5,000 epochs (its rows df 250 or 60, s 0.05 over 15,000 epochs or 0.3, n 300, minibatches of 50
    over 1,500 epochs, the trunk of width 32 over 3,000), the rows otherwise the same; there the fast inputs, 0.3 of the
    points per label with the unlearned slow part as noise, fitted the training labels towards separation within a few
    hundred epochs and the slow part came too late to undo it (0 winning runs, 18 nothing better, 3 no bump)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(71_000 + c["seed"])
    x, y, xt, yt = multilabel_data(g, c)
    n, d = x.shape
    L = y.shape[1]
    if c.get("ramp"):
        rates = torch.linspace(0.0, 2 * c["flip"], L)
    else:
        rates = torch.full((L,), c["flip"])
    flip = torch.rand(n, L, generator=g) < rates
    y = torch.where(flip, 1 - y, y)
    if c["model"] == "linear":
        params = [torch.zeros(d, L, requires_grad=True), torch.zeros(L, requires_grad=True)]

        def logits_of(z):
            return z @ params[0] + params[1]
        lr = c["lr"] if c["opt"] == "adam" else c["lr"] * 4 / top_eig(x)
    else:
        h = c["h"]
        params = [(torch.randn(d, h, generator=g) / math.sqrt(d)).requires_grad_(), torch.zeros(h, requires_grad=True),
                  (torch.randn(h, L, generator=g) * 0.1 / math.sqrt(h)).requires_grad_(),
                  torch.zeros(L, requires_grad=True)]

        def logits_of(z):
            return torch.tanh(z @ params[0] + params[1]) @ params[2] + params[3]
        lr = c["lr"]
    opt = make_optimizer(c, params, lr)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    run = w.run(run_id, sum(q.numel() for q in params), n,
                {"family": "multilabel-" + c["model"], "labels": L, "input_dim": d, "width": c.get("h") or 0},
                settings(c, ("seed", "data", "L", "n", "df", "ds", "s", "F", "S", "r", "flip", "ramp", "model", "h",
                             "rot", "opt", "lr", "mom", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "binary-cross-entropy",
                   "label_noise": "per-label-ramp" if c.get("ramp") else "per-label-flip"}, output_dim=L)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for idx in batches(g, n, c.get("batch")):
                xb, yb = (x, y) if idx is None else (x[idx], y[idx])
                opt.zero_grad()
                bce(logits_of(xb), yb).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            o, ot = logits_of(x), logits_of(xt)
            run.log(e, bce(o, y), bce(ot, yt), ((o > 0).double() != y).double().mean(),
                    ((ot > 0).double() != yt).double().mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_multilabel_bce():
    base = dict(data="synth", L=5, n=1000, df=200, ds=15, s=0.05, F=6.0, S=12.0, r=None, flip=0.1, ramp=None,
                model="linear", h=None, rot=None, opt="gd", lr=1.0, mom=None, batch=None, epochs=8000, eval="log:30")
    digits = dict(data="digits", L=None, n=500, df=None, ds=None, s=None, F=None, S=None, flip=0.15, epochs=3000)
    return multilabel_bce, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(flip=0.0, eval="every:4"),
        dict(flip=0.25, eval="jitter:30"),
        dict(ramp=True, eval="every:3"),
        dict(df=350, eval="log:35"),
        dict(df=100, eval="every:5"),
        dict(s=0.1, epochs=5000, eval="log:35"),
        dict(s=0.2, epochs=5000, eval="every:2"),
        dict(S=4.0, eval="jitter:35"),
        dict(S=30.0, eval="every:4"),
        dict(L=2, eval="rand:300"),
        dict(L=12, eval="log:30"),
        dict(r=2, eval="every:3"),
        dict(n=600, eval="jitter:30"),
        dict(opt="hb", lr=0.1, mom=0.9, eval="every:2"),
        dict(opt="sgd", lr=0.05, mom=0.9, batch=100, epochs=1000, eval="every"),
        dict(opt="adam", lr=0.01, rot=True, eval="every:5"),
        dict(model="tanh", h=16, opt="hb", lr=0.05, mom=0.9, epochs=2000, eval="log:40"),
        dict(digits, eval="log:30"),
        dict(digits, model="tanh", h=32, opt="hb", lr=0.05, mom=0.9, epochs=2000, eval="every:2"),
    ], lambda d: "%s-%s%s-L%s-n%d%s-%s%g-%s" % (
        d["data"], d["model"] + ("%d" % d["h"] if d.get("h") else ""), "-rot" if d.get("rot") else "",
        d.get("L") or 5, d["n"], "-df%d-s%g-S%g%s" % (d["df"], d["s"], d["S"], "-r%d" % d["r"] if d.get("r") else "")
        if d["data"] == "synth" else "", "ramp" if d.get("ramp") else "flip", d["flip"], d["opt"]))


# ---------------------------------------------------------------------------------------------------- deep-ensemble


def ensemble_data(g, c):
    """(x, y, xt, yt) of deep-ensemble. 'synth': train.py's two-scale Gaussian inputs (df of scale 1, ds of scale s;
    turned by one random rotation where c['rot']), the target a linear readout of power F of the fast inputs plus one of
    power S of the slow inputs at unit scale, plus Gaussian label noise of std c['noise'] (Student-t with c['dof']
    degrees of freedom where given); n training points, 2,000 test points, noise included. 'diabetes': scikit-learn's
    442 patients split at random into n for training and the rest, inputs and progression standardised on the training
    patients, Gaussian noise of std c['noise'] added to the training targets only; the inputs c['N'] products of two
    different inputs (a random choice of the 45 pairs, standardised, at scale 1) next to the ten inputs times c['s'],
    or the ten inputs alone where N is 0."""
    if c["data"] == "diabetes":
        from sklearn.datasets import load_diabetes
        X, Y = load_diabetes(return_X_y=True)
        X, Y = torch.tensor(X), torch.tensor(Y)
        perm = torch.randperm(len(Y), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        X = (X - X[tr].mean(0)) / X[tr].std(0)
        Y = (Y - Y[tr].mean()) / Y[tr].std()
        if c["N"]:
            i, j = torch.triu_indices(10, 10, 1)
            pick = torch.randperm(len(i), generator=g)[:c["N"]]
            P = X[:, i[pick]] * X[:, j[pick]]
            P = (P - P[tr].mean(0)) / P[tr].std(0)
            X = torch.cat([P, X * c["s"]], 1)
        y = Y[tr] + c["noise"] * torch.randn(len(tr), generator=g)
        return X[tr], y, X[te], Y[te]
    n, df, ds, s = c["n"], c["df"], c["ds"], c["s"]
    beta = torch.randn(df, generator=g) * math.sqrt(c["F"] / df)
    gamma = torch.randn(ds, generator=g) * math.sqrt(c["S"] / ds)
    Q = rotation(g, df + ds) if c.get("rot") else None

    def draw(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        yy = x[:, :df] @ beta + (x[:, df:] / s) @ gamma + c["noise"] * label_noise(g, m, c.get("dof") or 0)
        return (x @ Q if Q is not None else x), yy

    x, y = draw(n)
    xt, yt = draw(2000)
    return x, y, xt, yt


def deep_ensemble(w, run_id, c):
    """A deep ensemble (Lakshminarayanan et al. 2017): K one-hidden-layer networks f_k(x) = a_k . act(W_k x + b_k) + c_k
    of width h (act tanh or ReLU; W_k from 1/sqrt(d) times standard normals, a_k from 1/sqrt(h) times them, biases
    zero: each member its own random start), trained side by side on the squared error, full batch, autograd, float64;
    the ensemble's prediction the members' average. Training sets (c['bag']): 'same' (every member on all n points, as
    in a deep ensemble), 'bootstrap' (member k on n draws with replacement, as multiplicities in its loss) or 'half'
    (member k on its own random half). Mode (c['mode']): 'indep', each member minimising its own mean squared error
    (their sum is stepped; no member sees another), or 'joint', the ensemble trained as one model, K times the mean
    squared error of the averaged prediction (so each member's gradient has the scale it has alone). Optimizers: 'gd'
    (step c['lr']), 'hb' (heavy ball, momentum 0.9), 'sgd' (minibatches of c['batch'] under momentum 0.9, the same
    minibatch for every member) and 'adam' (on rotated inputs); the gradient's norm clipped to c['clip']. Train loss:
    the averaged prediction's mean squared error on the n training points (targets with their noise); test loss: the
    same on the test points (noise included for 'synth', the clean progression for diabetes). param_count the members'
    weights together. Grid (runs_deep_ensemble; 21 settings, 1-2 seeds, 22 runs): the base synthetic, n 400, df 30, ds
    10, s 0.2, F 2, S 4, noise 1, K 5 tanh members of width 8 (337 weights each, fewer than the points) on the same
    points, indep, gradient descent at 0.1 (clipped to norm 10), 4,000 epochs (2 seeds); one setting at a time K 1 (a
    single network) or 10, bootstrap resamples (K 5 and K 10), random halves, joint training, S 1 or 0, df 60 or 10, s
    0.1 (10,000 epochs), noise 0.5, width 24, ReLU members, heavy ball at 0.01, Adam at 0.003 on rotated inputs,
    minibatches of 40 at 0.01 (1,500 epochs); and diabetes, n 300 with noise 0.5 added to the training targets, 20
    products at scale 1 next to the ten inputs at scale 0.1 (same points and bootstrap; 4,000 epochs), or the ten inputs
    alone (2,000 epochs), members of width 4. Revised once (README): the first grid's base had n 200, df 100 and width
    12 (1,345 weights a member for 200 points) at step 0.3 over 3,000 epochs (its rows df 180 or 40, s 0.1 over 8,000
    epochs, width 48, heavy ball at 0.03, minibatches of 20 at 0.03; diabetes n 150 with 30 products, width 12), the
    rows otherwise the same; there the synthetic runs' members fitted their training points to squared errors under 0.02
    within 25-90 epochs, the slow part with the noise, and the ensemble's test loss never came back below its first
    minimum (1 winning run, 14 nothing better, 7 no bump)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(72_000 + c["seed"])
    x, y, xt, yt = ensemble_data(g, c)
    n, d = x.shape
    K, h = c["K"], c["h"]
    W = (torch.randn(d, K * h, generator=g) / math.sqrt(d)).requires_grad_()
    b = torch.zeros(K * h, requires_grad=True)
    a = (torch.randn(K, h, generator=g) / math.sqrt(h)).requires_grad_()
    c0 = torch.zeros(K, requires_grad=True)
    params = [W, b, a, c0]
    if c["bag"] == "bootstrap":
        draws = torch.randint(n, (K, n), generator=g)
        mult = torch.stack([torch.bincount(draws[k], minlength=n) for k in range(K)]).double()
    elif c["bag"] == "half":
        mult = torch.zeros(K, n)
        for k in range(K):
            mult[k, torch.randperm(n, generator=g)[:n // 2]] = 1.0
    else:
        mult = torch.ones(K, n)
    act = torch.tanh if c["act"] == "tanh" else torch.relu

    def members(z):
        return (act(z @ W + b).view(len(z), K, h) * a).sum(2) + c0

    opt = make_optimizer(c, params, c["lr"])
    run = w.run(run_id, sum(q.numel() for q in params), n,
                {"family": "deep-ensemble-" + c["act"], "members": K, "width": h, "input_dim": d},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "noise", "dof", "N", "K", "h", "act",
                             "bag", "mode", "rot", "opt", "lr", "mom", "batch", "clip", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "prediction": "ensemble-average"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for idx in batches(g, n, c.get("batch")):
                xb, yb, mb = (x, y, mult) if idx is None else (x[idx], y[idx], mult[:, idx])
                opt.zero_grad()
                f = members(xb)
                if c["mode"] == "joint":
                    loss = K * ((f.mean(1) - yb) ** 2).mean()
                else:
                    loss = (((f - yb.unsqueeze(1)) ** 2 * mb.T).sum(0) / mb.sum(1).clamp_min(1.0)).sum()
                loss.backward()
                if c.get("clip"):
                    torch.nn.utils.clip_grad_norm_(params, c["clip"])
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, ((members(x).mean(1) - y) ** 2).mean(), ((members(xt).mean(1) - yt) ** 2).mean(),
                    final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_deep_ensemble():
    base = dict(data="synth", n=400, df=30, ds=10, s=0.2, F=2.0, S=4.0, noise=1.0, dof=None, N=None, K=5, h=8,
                act="tanh", bag="same", mode="indep", rot=None, opt="gd", lr=0.1, mom=None, batch=None, clip=10.0,
                epochs=4000, eval="log:30")
    dia = dict(data="diabetes", n=300, df=None, ds=None, F=None, S=None, noise=0.5, N=20, s=0.1, h=4, epochs=4000)
    return deep_ensemble, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(K=1, eval="every:3"),
        dict(K=10, eval="jitter:30"),
        dict(bag="bootstrap", eval="log:35"),
        dict(bag="bootstrap", K=10, eval="every:4"),
        dict(bag="half", eval="every:2"),
        dict(mode="joint", eval="jitter:35"),
        dict(S=1.0, eval="every:3"),
        dict(S=0.0, eval="rand:300"),
        dict(df=60, eval="log:40"),
        dict(df=10, eval="every:5"),
        dict(s=0.1, epochs=10000, eval="log:35"),
        dict(noise=0.5, eval="every:2"),
        dict(h=24, eval="log:30"),
        dict(act="relu", eval="every:4"),
        dict(opt="hb", lr=0.01, mom=0.9, eval="every"),
        dict(opt="adam", lr=0.003, rot=True, eval="every:5"),
        dict(opt="sgd", lr=0.01, mom=0.9, batch=40, epochs=1500, eval="every:3"),
        dict(dia, eval="log:30"),
        dict(dia, bag="bootstrap", eval="jitter:30"),
        dict(dia, N=0, s=1.0, epochs=2000, eval="every:2"),
    ], lambda d: "%s-K%d-%s%d-%s-%s-%s%s-n%d%s" % (
        d["data"], d["K"], d["act"], d["h"], d["bag"], d["mode"], d["opt"], "-rot" if d.get("rot") else "", d["n"],
        "-df%d-s%g-S%g-noise%g" % (d["df"], d["s"], d["S"], d["noise"]) if d["data"] == "synth"
        else "-N%d-s%g-noise%g" % (d["N"], d["s"], d["noise"])))


# ---------------------------------------------------------------------------------------------------- imbalance-logit


def imbalance_data(g, c):
    """(x, y, xt, yt, K) of imbalance-logit, training labels before flips. 'synth': train.py's two-scale Gaussian inputs
    (df of scale 1, ds of scale s; turned by one random rotation where c['rot']); K classes drawn from the softmax of a
    teacher's logits, a fast part of power F per class plus a slow part of power S per class at unit scale, no biases
    (the classes about equally likely). Training points: draws of which a point of one of the c['rare'] first classes
    is kept with probability c['rho'] (every other point kept), until n are kept: the rare classes' shares cut by rho,
    p(x | y) unchanged (label shift). Test: 3,000 points drawn without the cut. 'digits': scikit-learn's 8x8 digits,
    pixels over 16 centred on the training images; the images of the c['rare'] first classes (digits 0, 1, ...) kept
    with probability rho in a random order until n training images, the other images the test set."""
    rare, rho = c["rare"], c["rho"]
    if c["data"] == "digits":
        from sklearn.datasets import load_digits
        xs, ys = load_digits(return_X_y=True)
        x, lab = torch.tensor(xs / 16.0), torch.tensor(ys)
        perm = torch.randperm(len(x), generator=g)
        u = torch.rand(len(x), generator=g)
        keep = [int(i) for i in perm if lab[i] >= rare or u[i] < rho][:c["n"]]
        mask = torch.ones(len(x), dtype=torch.bool)
        mask[keep] = False
        tr, te = torch.tensor(keep), torch.nonzero(mask).squeeze(1)
        x = x - x[tr].mean(0)
        return x[tr], lab[tr], x[te], lab[te], 10
    K, df, ds, s = c["K"], c["df"], c["ds"], c["s"]
    Bf = torch.randn(df, K, generator=g) * math.sqrt(c["F"] / df)
    Bs = torch.randn(ds, K, generator=g) * math.sqrt(c["S"] / ds)
    Q = rotation(g, df + ds) if c.get("rot") else None

    def draw(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        logits = x[:, :df] @ Bf + (x[:, df:] / s) @ Bs
        lab = torch.multinomial(torch.softmax(logits, 1), 1, generator=g).squeeze(1)
        return (x @ Q if Q is not None else x), lab

    xs, ys, kept = [], [], 0
    while kept < c["n"]:
        xb, yb = draw(2 * c["n"])
        keep = (yb >= rare) | (torch.rand(len(yb), generator=g) < rho)
        xs.append(xb[keep])
        ys.append(yb[keep])
        kept += int(keep.sum())
    x, y = torch.cat(xs)[:c["n"]], torch.cat(ys)[:c["n"]]
    xt, yt = draw(3000)
    return x, y, xt, yt, K


def balanced_ce(logits, y, K):
    """The balanced cross-entropy: the mean over classes of the mean cross-entropy of the class's points (classes with
    no point left out), and the balanced error rate likewise."""
    ce = torch.nn.functional.cross_entropy(logits, y, reduction="none")
    wrong = (logits.argmax(1) != y).double()
    cls = [k for k in range(K) if (y == k).any()]
    return (sum(ce[y == k].mean() for k in cls) / len(cls), sum(wrong[y == k].mean() for k in cls) / len(cls))


def imbalance_logit(w, run_id, c):
    """A softmax classifier on class-imbalanced training data, evaluated on balanced test data. Data: imbalance_data;
    then a share c['flip'] of the n training labels replaced by another class at random (symmetric; test labels
    unflipped). pi_k the training labels' class shares (after the flips). Loss (c['loss']): 'ce', the plain
    cross-entropy; 'reweight', the cross-entropy with point weights proportional to 1 / pi_k of their label, normalised
    to mean 1 (a class-balanced loss); 'logit-adjust', the logit-adjusted loss of Menon et al. (2021), the cross-entropy
    of the logits plus tau log pi_k, the model's own logits evaluated; 'posthoc', the plain cross-entropy, evaluated at
    the logits minus tau log pi_k (post-hoc logit adjustment). Model: linear logits from zero, or one tanh hidden layer of
    width h (first layer from 1/sqrt(d) times standard normals, the readout from 0.1/sqrt(h) times them). Optimizers:
    'gd', full-batch steps of c['lr'] over half the largest eigenvalue of the inputs' Gram matrix with the constant,
    each point weighted by its loss weight (the cross-entropy's curvature bound) for the linear model, c['lr'] itself for
    the network; 'hb' (heavy ball, momentum 0.9) and 'sgd' (minibatches under momentum 0.9) at the same scale; 'adam' at
    step c['lr'] (on rotated inputs). Autograd, float64. Train loss: the training objective on the flipped labels
    (weighted or adjusted as trained); test loss: the balanced cross-entropy of the evaluated logits on the test points
    (the mean over classes of each class's mean cross-entropy, so that the rare classes count as much as the others);
    error rates the training error and the balanced test error. Grid (runs_imbalance_logit; 21 settings, 1-2 seeds, 22
    runs): the base synthetic, K 3, one rare class kept at rho 0.1, n 1,500, df 50, ds 10, s 0.1, F 6, S 12, 5% flips,
    the logit-adjusted loss at tau 1, linear, gradient descent at 1, 5,000 epochs (2 seeds); one setting at a time the
    plain cross-entropy, the reweighted one, post-hoc adjustment (tau 1), tau 2, rho 1 (balanced), 0.03 or 0.3, no flips
    or 20%, df 120, S 4, s 0.05 (15,000 epochs), 5 classes with 2 rare on 2,500 points, 2 classes, heavy ball at 0.1,
    minibatches of 150 at 0.05 (1,000 epochs), Adam at 0.01 on rotated inputs, the tanh network of width 16 under heavy
    ball at step 0.05 (2,000 epochs); and the digits, the digit 0 kept at rho 0.3, n 1,200 with 15% flips, linear under
    gradient descent, logit-adjusted and reweighted (3,000 epochs). Revised once (README): the first grid's base had n
    600, df 120, ds 15 and 10% flips (its rows 25% flips, df 250, 5 classes on 1,000 points, minibatches of 50 over 1,500
    epochs, the network of width 32 over 3,000; the digits n 600 with the digits 0-2 kept at rho 0.1), the rows
    otherwise the same; there the rare class, about 29 points and as many flipped into it, was separable from the others
    in 135 dimensions, its logits grew without bound and the balanced test cross-entropy rose from its first minimum to
    the end in every run with rho 0.1 or less (2 winning runs, at rho 1 and 0.3, 20 nothing better)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(73_000 + c["seed"])
    x, y, xt, yt, K = imbalance_data(g, c)
    n, d = x.shape
    flip = torch.rand(n, generator=g) < c["flip"]
    y = torch.where(flip, (y + torch.randint(1, K, (n,), generator=g)) % K, y)
    pi = torch.bincount(y, minlength=K).double().clamp_min(1.0) / n
    loss_kind, tau = c["loss"], c.get("tau") or 0.0
    cls_w = torch.ones(K)
    if loss_kind == "reweight":
        cls_w = (1.0 / pi) / (1.0 / pi)[y].mean()
    pt_w = cls_w[y]
    shift_train = tau * torch.log(pi) if loss_kind == "logit-adjust" else torch.zeros(K)
    shift_eval = -tau * torch.log(pi) if loss_kind == "posthoc" else torch.zeros(K)
    if c["model"] == "linear":
        params = [torch.zeros(d, K, requires_grad=True), torch.zeros(K, requires_grad=True)]

        def logits_of(z):
            return z @ params[0] + params[1]
        lr = c["lr"] if c["opt"] == "adam" else c["lr"] / (top_eig(x, pt_w) / 2)
    else:
        h = c["h"]
        params = [(torch.randn(d, h, generator=g) / math.sqrt(d)).requires_grad_(), torch.zeros(h, requires_grad=True),
                  (torch.randn(h, K, generator=g) * 0.1 / math.sqrt(h)).requires_grad_(),
                  torch.zeros(K, requires_grad=True)]

        def logits_of(z):
            return torch.tanh(z @ params[0] + params[1]) @ params[2] + params[3]
        lr = c["lr"]
    opt = make_optimizer(c, params, lr)

    def objective(o, t, wt):
        return (torch.nn.functional.cross_entropy(o + shift_train, t, reduction="none") * wt).mean()

    run = w.run(run_id, sum(q.numel() for q in params), n,
                {"family": "softmax-" + c["model"], "classes": K, "input_dim": d, "width": c.get("h") or 0},
                settings(c, ("seed", "data", "K", "rare", "rho", "n", "df", "ds", "s", "F", "S", "flip", "loss", "tau",
                             "model", "h", "rot", "opt", "lr", "mom", "batch", "eval"))
                | {"optimizer": c["opt"], "test_loss": "balanced-cross-entropy",
                   "rare_share": "%.3g" % pi[:c["rare"]].sum().item()}, output_dim=K)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for idx in batches(g, n, c.get("batch")):
                xb, yb, wb = (x, y, pt_w) if idx is None else (x[idx], y[idx], pt_w[idx])
                opt.zero_grad()
                objective(logits_of(xb), yb, wb).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            o = logits_of(x)
            test_loss, test_err = balanced_ce(logits_of(xt) + shift_eval, yt, K)
            run.log(e, objective(o, y, pt_w), test_loss, ((o + shift_eval).argmax(1) != y).double().mean(), test_err,
                    final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_imbalance_logit():
    base = dict(data="synth", K=3, rare=1, rho=0.1, n=1500, df=50, ds=10, s=0.1, F=6.0, S=12.0, flip=0.05,
                loss="logit-adjust", tau=1.0, model="linear", h=None, rot=None, opt="gd", lr=1.0, mom=None, batch=None,
                epochs=5000, eval="log:30")
    digits = dict(data="digits", K=None, rare=1, rho=0.3, n=1200, df=None, ds=None, s=None, F=None, S=None, flip=0.15,
                  epochs=3000)
    return imbalance_logit, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(loss="ce", tau=None, eval="every:4"),
        dict(loss="reweight", tau=None, eval="jitter:30"),
        dict(loss="posthoc", eval="every:3"),
        dict(tau=2.0, eval="log:35"),
        dict(rho=1.0, eval="every:2"),
        dict(rho=0.03, eval="rand:300"),
        dict(rho=0.3, eval="every:5"),
        dict(flip=0.0, eval="jitter:35"),
        dict(flip=0.2, eval="every:3"),
        dict(df=120, eval="log:30"),
        dict(S=4.0, eval="every:2"),
        dict(s=0.05, epochs=15000, eval="log:35"),
        dict(K=5, rare=2, n=2500, eval="log:30"),
        dict(K=2, eval="every:4"),
        dict(opt="hb", lr=0.1, mom=0.9, eval="every"),
        dict(opt="sgd", lr=0.05, mom=0.9, batch=150, epochs=1000, eval="every:3"),
        dict(opt="adam", lr=0.01, rot=True, eval="jitter:30"),
        dict(model="tanh", h=16, opt="hb", lr=0.05, mom=0.9, epochs=2000, eval="every:3"),
        dict(digits, eval="log:30"),
        dict(digits, loss="reweight", tau=None, eval="every:2"),
    ], lambda d: "%s-%s%s-K%s-rare%d-rho%g-n%d%s-flip%g-%s%s-%s" % (
        d["data"], d["model"] + ("%d" % d["h"] if d.get("h") else ""), "-rot" if d.get("rot") else "",
        d.get("K") or 10, d["rare"], d["rho"], d["n"],
        "-df%d-s%g-S%g" % (d["df"], d["s"], d["S"]) if d["data"] == "synth" else "", d["flip"], d["loss"],
        "%g" % d["tau"] if d.get("tau") else "", d["opt"]))


FAMILIES = {"multilabel-bce": runs_multilabel_bce, "deep-ensemble": runs_deep_ensemble,
            "imbalance-logit": runs_imbalance_logit}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
