#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, seventh held-out round).

Written blind to the advice rule (nothing under detection/, bench/src/main/java or bench/src/test, neither
docs/benchmarks.md, the main README nor any *HeldOut*, *Stopping* or *Advice* file was read; no stopping benchmark,
no Java and not the descentwatch launcher was run; the runs were sorted by census.py alone), and made to differ from
the twenty-six families of train.py ... train_sixth.py in model, loss, noise, optimizer and evaluation: a graph
convolutional network (one or two propagation layers with a normalised adjacency matrix) doing node regression or
node classification on synthetic graphs (stochastic block model, random geometric graph) with node features at two
scales, trained on the training nodes and tested on the others; a mixture of experts (a softmax gate over linear or
one-hidden-layer experts) on a two-scale regression with a piecewise part, under minibatch SGD with momentum or Adam,
weight decay in some runs, on the mean squared error or the Huber loss; and regressions whose test set is small
(30-120 points, so the test curve carries the test set's own noise): random features of two scales trained by
minibatch SGD under exponential or step decay, and a one-hidden-layer MLP on scikit-learn's diabetes data with added
label noise. The file format, determinism and helpers are the earlier files': Writer and the command line from
train.py, epochs_of, settings and lr_factor from train_more.py, grid_runs from train_third.py, label_noise and
strip_none from train_fourth.py, rotation from train_sixth.py; one thread, every random draw from a seeded
torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_seventh.py --family graph-conv [--list] [--runs 0,3] [--out FILE]

Families (see README.md): graph-conv, moe-gated, small-val-noisy. Evaluation spacings: train.py's 'every',
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
from train_more import epochs_of, lr_factor, settings  # noqa: E402
from train_third import grid_runs  # noqa: E402
from train_fourth import label_noise, strip_none  # noqa: E402
from train_sixth import rotation  # noqa: E402

torch.set_num_threads(1)


def dict_runs(base, rows, fmt):
    """grid_runs from dicts: every row is base updated by the row (its 'seeds' the seeds), None entries dropped."""
    keys = sorted(set(base) | {k for r in rows for k in r} - {"seeds"})
    grid = [tuple(dict(base, **r).get(k) for k in keys) + (r.get("seeds", (1,)),) for r in rows]
    return strip_none(grid_runs(grid, keys, fmt))


def decay_factor(c, e, epochs):
    """The step's multiplier at epoch e: 'exp' (c['gamma'] ** e), 'step' (times c['decay'] at each epoch of
    c['decay_at']), or train_more.py's lr_factor ('const', 'cosine', 'warmup', ...)."""
    if c["sched"] == "exp":
        return c["gamma"] ** e
    if c["sched"] == "step":
        return c["decay"] ** sum(1 for d in c["decay_at"] if e >= d)
    return lr_factor(c, e, epochs)


def make_opt(c, params):
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    if c["opt"] == "adamw":
        return torch.optim.AdamW(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    return torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0, weight_decay=c.get("wd") or 0.0)


# ---------------------------------------------------------------------------------------------------- graph-conv


def graph(g, c):
    """The adjacency matrix (dense, symmetric, no self-loops) and each node's block: a stochastic block model ('sbm':
    c['blocks'] blocks of equal size, edge probability c['deg_in'] / block size within a block, c['deg_out'] / N across)
    or a random geometric graph ('rgg': uniform points in the unit square, an edge under the distance that gives
    about c['deg_in'] neighbours; the block is the quadrant)."""
    N = c["N"]
    if c["graph"] == "sbm":
        k = c["blocks"]
        block = torch.arange(N) % k
        same = block[:, None] == block[None, :]
        p = torch.where(same, torch.tensor(c["deg_in"] * k / N), torch.tensor(c["deg_out"] / N))
        a = (torch.rand(N, N, generator=g) < p).double()
    else:
        pos = torch.rand(N, 2, generator=g)
        r = math.sqrt(c["deg_in"] / (math.pi * N))
        a = (torch.cdist(pos, pos) < r).double()
        block = (pos[:, 0] > 0.5).long() * 2 + (pos[:, 1] > 0.5).long()
    a = torch.triu(a, 1)
    a = a + a.T
    return a, block


def graph_conv(w, run_id, c):
    """A graph convolutional network on a synthetic graph of N nodes (graph()). Every node has df fast features of
    scale 1 (noise-like, carrying a weak part of the target) and ds slow ones; with the normalised adjacency
    P = D^-1/2 (A + I) D^-1/2 the features are propagated once (Z = P X), each column standardised over the nodes, the
    slow ones then scaled by s, and the d columns turned by one random rotation (so Adam's per-coordinate step cannot
    undo the small scale). Regression target: a fast part of power F along a random direction of Z's fast columns, a
    slow part of power S along the slow ones at unit scale, a block effect of power B, plus label noise; classification
    ('cls'): the sign of the same after logistic noise (temperature c['noise']), a share c['flip'] of the training
    labels flipped, the cross-entropy. Model: 'layers' 1, f = Z w + b (one propagation, a simplified graph
    convolution), or 2, f = P act(Z W1 + b1) w2 + b2 (a second propagation; act ReLU or identity, hidden width h,
    W1 from c['init'] times the 1/sqrt(d) scale, w2 small). n training nodes drawn at random, the others (N - n) the
    test nodes. Full-batch gradient descent, heavy ball or Adam on the training nodes' mean squared error (or
    cross-entropy), autograd, float64; test loss the same on the test nodes (noise included, no flipped labels)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(24_000 + c["seed"])
    N, n, df, ds, s = c["N"], c["n"], c["df"], c["ds"], c["s"]
    d = df + ds
    adj, block = graph(g, c)
    ahat = adj + torch.eye(N)
    dinv = ahat.sum(1).rsqrt()
    P = dinv[:, None] * ahat * dinv[None, :]
    X = torch.randn(N, d, generator=g)
    Z = P @ X
    Z = (Z - Z.mean(0)) / Z.std(0)
    a = torch.randn(df, generator=g)
    a *= math.sqrt(c["F"]) / a.norm()
    bs = torch.randn(ds, generator=g)
    bs *= math.sqrt(c["S"]) / bs.norm()
    beff = torch.randn(int(block.max()) + 1, generator=g) * math.sqrt(c["B"])
    t = Z[:, :df] @ a + Z[:, df:] @ bs + beff[block]
    Z = Z * torch.cat([torch.ones(df), torch.full((ds,), s)])
    Z = Z @ rotation(g, d)
    perm = torch.randperm(N, generator=g)
    tr, te = perm[:n], perm[n:]
    cls = c["task"] == "cls"
    if cls:
        u = torch.rand(N, generator=g).clamp(1e-12, 1 - 1e-12)
        y = (t + c["noise"] * (u.log() - (1 - u).log()) > 0).long()
        flipped = torch.zeros(N, dtype=torch.bool)
        flipped[tr] = torch.rand(n, generator=g) < c["flip"]
        ytr = torch.where(flipped, 1 - y, y)
    else:
        y = t + c["noise"] * label_noise(g, N, c.get("dof") or 0)
        ytr = y
    L, h = c["layers"], c.get("hidden")
    out_dim = 2 if cls else 1
    if L == 1:
        W = torch.zeros(d, out_dim, requires_grad=True)
        bias = torch.zeros(out_dim, requires_grad=True)
        params = [W, bias]

        def f():
            return Z @ W + bias
    else:
        W1 = (torch.randn(d, h, generator=g) * c["init"] / math.sqrt(d)).requires_grad_()
        b1 = torch.zeros(h, requires_grad=True)
        W2 = (torch.randn(h, out_dim, generator=g) * c["init"] / math.sqrt(h)).requires_grad_()
        b2 = torch.zeros(out_dim, requires_grad=True)
        params = [W1, b1, W2, b2]
        act = torch.relu if c["act"] == "relu" else (lambda v: v)

        def f():
            return P @ act(Z @ W1 + b1) @ W2 + b2

    def loss(out, idx, target):
        if cls:
            return torch.nn.functional.cross_entropy(out[idx], target[idx])
        return ((out[idx, 0] - target[idx]) ** 2).mean()

    opt = make_opt(c, params)
    model = {"family": "graph-convolution", "layers": L, "nodes": N, "graph": c["graph"], "input_dim": d}
    if L == 2:
        model |= {"hidden": h, "activation": c["act"]}
    run = w.run(run_id, sum(p.numel() for p in params), n, model,
                settings(c, ("seed", "task", "N", "blocks", "deg_in", "deg_out", "df", "ds", "s", "F", "S", "B",
                             "noise", "dof", "flip", "init", "opt", "lr", "mom", "wd", "sched", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy" if cls else "mse", "test_size": N - n},
                output_dim=out_dim)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for group in opt.param_groups:
                group["lr"] = c["lr"] * lr_factor(c, e, c["epochs"])
            opt.zero_grad()
            loss(f(), tr, ytr).backward()
            opt.step()
            e += 1
        with torch.no_grad():
            out = f()
            if cls:
                run.log(e, loss(out, tr, ytr), loss(out, te, y), (out[tr].argmax(1) != ytr[tr]).double().mean(),
                        (out[te].argmax(1) != y[te]).double().mean(), final=e == pts[-1])
            else:
                run.log(e, loss(out, tr, ytr), loss(out, te, y), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_graph_conv():
    base = dict(task="reg", graph="sbm", N=500, blocks=4, deg_in=8, deg_out=2, n=200, df=110, ds=10, s=0.05, F=2.0,
                S=3.0, B=0.2, noise=0.7, dof=None, flip=None, layers=1, hidden=None, act=None, init=None, opt="gd",
                lr=0.1, mom=None, wd=None, sched="const", epochs=8000, eval="log:30")
    rows = [
        dict(seeds=(1, 2)),
        dict(eval="jitter:30", s=0.03, epochs=15000),
        dict(graph="rgg", deg_in=10, eval="log:35"),
        dict(S=0.5, eval="every:5"),
        dict(df=150, eval="log:30"),
        dict(opt="hb", mom=0.9, lr=0.01, eval="jitter:35"),
        dict(layers=2, hidden=8, act="linear", init=0.5, lr=0.05, epochs=6000, eval="log:35"),
        dict(layers=2, hidden=8, act="relu", init=0.5, lr=0.05, epochs=6000, eval="jitter:30"),
        dict(opt="adam", lr=0.003, epochs=4000, eval="log:30"),
        dict(opt="adam", lr=0.003, wd=0.01, epochs=4000, eval="rand:300"),
        dict(noise=1.0, dof=3, eval="log:30"),
        dict(wd=0.02, eval="every:10"),
        dict(N=300, n=150, df=90, lr=0.002, epochs=2000, eval="log:35"),
        dict(S=1.0, s=0.03, epochs=10000, eval="every:4"),
        dict(task="cls", F=3.0, S=6.0, noise=0.3, flip=0.15, lr=1.0, epochs=5000, eval="log:30"),
        dict(task="cls", F=3.0, S=6.0, noise=0.3, flip=0.15, opt="adam", lr=0.01, epochs=3000, eval="jitter:30"),
        dict(df=130, sched="cosine", epochs=6000, eval="every:3"),
        dict(df=30, eval="log:30"),
        dict(N=600, n=400, df=110, eval="jitter:30"),
    ]
    return graph_conv, dict_runs(base, rows, lambda d: "%s-%s-L%d-%s-N%d-n%d-df%d-s%g-S%g%s%s" % (
        d["task"], d["graph"], d["layers"], d["opt"], d["N"], d["n"], d["df"], d["s"], d["S"],
        "-" + d["act"] if d.get("act") else "", "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- moe-gated


def moe_gated(w, run_id, c):
    """A mixture of experts on a two-scale regression: inputs with df fast features of scale 1 and ds slow ones of
    scale s, turned by one random rotation. The target: a fast linear part of power F, a piecewise part of power P
    (relu of one fast direction times the sign of another: what a gate can split), a slow linear part of power S at
    unit scale, plus label noise (c['dof'] Student-t or Gaussian, times c['noise']). Model: f(x) = sum_k pi_k(x)
    e_k(x), a softmax gate pi = softmax(G x + g0) over K experts, each linear (w_k . x + c_k) or one-hidden-layer
    tanh (width c['eh']); gate and experts from c['init'] times the 1/sqrt(fan-in) scale. Minibatch SGD with momentum
    (or Adam), weight decay c['wd'] (L2), train_more.py's lr_factor schedules, on the mean squared error or the Huber
    loss (delta 1), autograd, float64; test loss the same loss on 2,000 fresh points."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(25_000 + c["seed"])
    n, df, ds, s, K = c["n"], c["df"], c["ds"], c["s"], c["K"]
    d = df + ds
    Q = rotation(g, d)
    a = torch.randn(df, generator=g)
    a /= a.norm()
    u = torch.randn(df, generator=g)
    u /= u.norm()
    v = torch.randn(df, generator=g)
    v /= v.norm()
    b = torch.randn(ds, generator=g)
    b /= b.norm()

    def raw(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        xf = x[:, :df]
        pw = torch.relu(xf @ u) * torch.sign(xf @ v)
        return x, xf @ a, pw, x[:, df:] @ b / s

    _, _, p0, _ = raw(20_000)
    pm, pk = p0.mean(), p0.std()

    def data(m):
        x, lin, pw, slow = raw(m)
        t = math.sqrt(c["F"]) * lin + math.sqrt(c["P"]) * (pw - pm) / pk + math.sqrt(c["S"]) * slow
        return x @ Q, t + c["noise"] * label_noise(g, m, c.get("dof") or 0)

    x, y = data(n)
    xt, yt = data(2000)
    init = c["init"]
    G = (torch.randn(d, K, generator=g) * init / math.sqrt(d)).requires_grad_()
    g0 = torch.zeros(K, requires_grad=True)
    if c["expert"] == "linear":
        E = (torch.randn(d, K, generator=g) * init / math.sqrt(d)).requires_grad_()
        e0 = torch.zeros(K, requires_grad=True)
        params = [G, g0, E, e0]

        def experts(z):
            return z @ E + e0
    else:
        eh = c["eh"]
        E1 = (torch.randn(K, d, eh, generator=g) * init / math.sqrt(d)).requires_grad_()
        e1 = torch.zeros(K, 1, eh, requires_grad=True)
        E2 = (torch.randn(K, eh, 1, generator=g) * init / math.sqrt(eh)).requires_grad_()
        e0 = torch.zeros(K, requires_grad=True)
        params = [G, g0, E1, e1, E2, e0]

        def experts(z):
            return (torch.tanh(z.unsqueeze(0) @ E1 + e1) @ E2).squeeze(2).T + e0

    def f(z):
        return (torch.softmax(z @ G + g0, 1) * experts(z)).sum(1)

    huber = c["loss"] == "huber"

    def loss(out, t):
        if huber:
            return torch.nn.functional.huber_loss(out, t, delta=1.0)
        return ((out - t) ** 2).mean()

    opt = make_opt(c, params)
    model = {"family": "mixture-of-experts", "experts": K, "expert": c["expert"], "input_dim": d}
    if c["expert"] != "linear":
        model["expert_hidden"] = c["eh"]
    run = w.run(run_id, sum(p.numel() for p in params), n, model,
                settings(c, ("seed", "df", "ds", "s", "F", "P", "S", "noise", "dof", "init", "opt", "lr", "mom",
                             "wd", "batch", "sched", "eval"))
                | {"optimizer": c["opt"], "loss": c["loss"]})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch") or n
    e = 0
    for p in pts:
        while e < p:
            for group in opt.param_groups:
                group["lr"] = c["lr"] * lr_factor(c, e, c["epochs"])
            idx = torch.randperm(n, generator=g) if bsz < n else torch.arange(n)
            for j in range(0, n, bsz):
                jj = idx[j:j + bsz]
                opt.zero_grad()
                loss(f(x[jj]), y[jj]).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, loss(f(x), y), loss(f(xt), yt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_moe_gated():
    base = dict(n=600, df=60, ds=10, s=0.05, F=1.0, P=1.0, S=3.0, noise=1.0, dof=None, K=2, expert="linear", eh=None,
                init=0.5, opt="sgd", lr=0.01, mom=0.9, wd=None, batch=100, sched="const", loss="mse", epochs=2500,
                eval="log:30")
    rows = [
        dict(seeds=(1, 2)),
        dict(K=4, epochs=2000, eval="jitter:30"),
        dict(K=8, epochs=1500, eval="log:35"),
        dict(df=100, epochs=3000, eval="log:30"),
        dict(s=0.03, epochs=3000, eval="every:5"),
        dict(expert="mlp", eh=3, eval="jitter:35"),
        dict(S=0.5, eval="log:30"),
        dict(wd=0.01, eval="jitter:30"),
        dict(wd=0.001, eval="every:4"),
        dict(opt="adam", lr=0.001, mom=None, eval="log:35", seeds=(1, 2)),
        dict(opt="adam", lr=0.001, mom=None, wd=0.001, eval="rand:300"),
        dict(loss="huber", dof=3, epochs=3500, eval="log:30"),
        dict(df=30, eval="every:10"),
        dict(sched="cosine", epochs=2000, eval="every:2"),
        dict(batch=None, lr=0.05, epochs=2500, eval="log:40"),
        dict(P=3.0, F=0.5, epochs=3500, eval="jitter:35"),
        dict(df=15, noise=0.7, eval="log:35"),
        dict(df=30, noise=0.5, epochs=1500, eval="jitter:30"),
    ]
    return moe_gated, dict_runs(base, rows, lambda d: "%s-K%d-%s-%s-n%d-df%d-s%g-S%g%s%s" % (
        d["opt"], d["K"], d["expert"], d["loss"], d["n"], d["df"], d["s"], d["S"],
        "-wd%g" % d["wd"] if d.get("wd") else "", "-b%d" % d["batch"] if d.get("batch") else "-full"))


# ---------------------------------------------------------------------------------------------------- small-val-noisy


def small_val_noisy(w, run_id, c):
    """Regressions whose test set is small (c['m'] points, 30-120), so that the test curve carries the test set's own
    sampling noise. 'rf': N ReLU random features of df Gaussian inputs (relu(W x / sqrt(df)), centred and standardised
    on the training points) plus ds raw slow inputs of scale s; the target a linear part of power F in the df inputs
    plus a random readout of the features of power R, a slow part of power S at unit scale, and label noise. The
    linear readout (from zero) is trained by minibatch SGD (momentum c['mom']) under an exponential ('exp') or step
    ('step') decay of the step. 'diabetes': scikit-learn's diabetes data (442 patients, 10 inputs, the standardised
    progression), split at random into n training and m test patients, the training targets with added label noise
    (std c['noise']); the inputs are the raw inputs times s (slow) and N standardised products of two inputs
    (fast); model a one-hidden-layer tanh MLP of width h (or the linear readout) trained the same way. Mean squared
    error, autograd, float64; test loss on the m test points."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(26_000 + c["seed"])
    n, m, N, s = c["n"], c["m"], c["N"], c["s"]
    if c["data"] == "rf":
        df, ds = c["df"], c["ds"]
        W = torch.randn(df, N, generator=g) / math.sqrt(df)
        a = torch.randn(df, generator=g) * math.sqrt(c["F"] / df)
        r = torch.randn(N, generator=g) * math.sqrt(c["R"] / N)
        b = torch.randn(ds, generator=g)
        b *= math.sqrt(c["S"]) / b.norm()

        def raw(k):
            xf = torch.randn(k, df, generator=g)
            xs = torch.randn(k, ds, generator=g)
            return torch.relu(xf @ W), xf, xs

        ftr, xftr, xstr = raw(n)
        mu, sd = ftr.mean(0), ftr.std(0).clamp_min(1e-9)

        def data(k, fx):
            feat, xf, xs = fx
            phi = (feat - mu) / sd
            y = xf @ a + phi @ r + xs @ b + c["noise"] * label_noise(g, k, c.get("dof") or 0)
            return torch.cat([phi, s * xs], 1), y

        x, y = data(n, (ftr, xftr, xstr))
        xt, yt = data(m, raw(m))
    else:
        from sklearn.datasets import load_diabetes
        X, Y = load_diabetes(return_X_y=True)
        X, Y = torch.tensor(X), torch.tensor(Y)
        perm = torch.randperm(len(Y), generator=g)
        tr, te = perm[:n], perm[n:n + m]
        mu, sd = X[tr].mean(0), X[tr].std(0)
        Xs = (X - mu) / sd
        Y = (Y - Y[tr].mean()) / Y[tr].std()
        pairs = torch.randint(0, 10, (N, 2), generator=g)
        prod = Xs[:, pairs[:, 0]] * Xs[:, pairs[:, 1]]
        prod = (prod - prod[tr].mean(0)) / prod[tr].std(0).clamp_min(1e-9)
        F_all = torch.cat([prod, s * Xs], 1)
        x, xt = F_all[tr], F_all[te]
        y = Y[tr] + c["noise"] * label_noise(g, n, c.get("dof") or 0)
        yt = Y[te]
    d = x.shape[1]
    h = c.get("hidden")
    if h:
        W1 = (torch.randn(d, h, generator=g) * c["init"] / math.sqrt(d)).requires_grad_()
        b1 = torch.zeros(h, requires_grad=True)
        w2 = (torch.randn(h, generator=g) * c["init"] / math.sqrt(h)).requires_grad_()
        b2 = torch.zeros(1, requires_grad=True)
        params = [W1, b1, w2, b2]

        def f(z):
            return torch.tanh(z @ W1 + b1) @ w2 + b2
    else:
        wt = torch.zeros(d, requires_grad=True)
        b0 = torch.zeros(1, requires_grad=True)
        params = [wt, b0]

        def f(z):
            return z @ wt + b0
    opt = make_opt(c, params)
    model = {"family": "mlp" if h else "linear", "input_dim": d}
    if h:
        model["hidden"] = h
    run = w.run(run_id, sum(p.numel() for p in params), n, model,
                settings(c, ("seed", "data", "m", "N", "df", "ds", "s", "F", "R", "S", "noise", "dof", "init", "opt",
                             "lr", "mom", "batch", "sched", "gamma", "decay", "decay_at", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "test_size": m})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c["batch"]
    e = 0
    for p in pts:
        while e < p:
            for group in opt.param_groups:
                group["lr"] = c["lr"] * decay_factor(c, e, c["epochs"])
            idx = torch.randperm(n, generator=g)
            for j in range(0, n, bsz):
                jj = idx[j:j + bsz]
                opt.zero_grad()
                ((f(x[jj]) - y[jj]) ** 2).mean().backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, ((f(x) - y) ** 2).mean(), ((f(xt) - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_small_val_noisy():
    base = dict(data="rf", n=200, m=60, N=160, df=20, ds=10, s=0.1, F=1.0, R=1.0, S=3.0, noise=0.7, dof=None,
                hidden=None, init=None, opt="sgd", lr=0.02, mom=0.0, batch=20, sched="exp", gamma=0.9995, decay=None,
                decay_at=None, epochs=2000, eval="log:30")
    rows = [
        dict(seeds=(1, 2)),
        dict(m=30, eval="jitter:30"),
        dict(m=120, eval="every:4"),
        dict(m=40, S=0.5, eval="log:35"),
        dict(m=50, sched="step", gamma=None, decay=0.3, decay_at=(1000,), eval="log:30"),
        dict(m=80, sched="step", gamma=None, decay=0.1, decay_at=(300,), eval="jitter:35"),
        dict(m=60, mom=0.9, lr=0.002, eval="rand:300"),
        dict(m=60, N=120, eval="log:30"),
        dict(m=100, dof=3, noise=1.0, eval="every:2"),
        dict(m=40, s=0.05, epochs=4000, gamma=0.9998, eval="log:40"),
        dict(m=60, batch=10, lr=0.01, eval="jitter:30"),
        dict(data="diabetes", n=250, m=80, N=120, s=0.05, noise=0.5, S=None, F=None, R=None, df=None, ds=None,
             lr=0.02, eval="log:30", seeds=(1, 2)),
        dict(data="diabetes", n=250, m=120, N=120, s=0.05, noise=0.5, S=None, F=None, R=None, df=None, ds=None,
             hidden=16, init=0.5, lr=0.02, eval="jitter:30"),
        dict(data="diabetes", n=300, m=60, N=150, s=0.05, noise=0.7, S=None, F=None, R=None, df=None, ds=None,
             lr=0.02, eval="every:5"),
        dict(m=30, N=60, eval="log:30"),
        dict(n=400, m=50, N=60, noise=0.5, epochs=1500, eval="jitter:35"),
        dict(data="diabetes", n=300, m=100, N=20, s=0.05, noise=0.5, S=None, F=None, R=None, df=None, ds=None,
             lr=0.02, epochs=1500, eval="every:3"),
    ]
    return small_val_noisy, dict_runs(base, rows, lambda d: "%s-n%d-m%d-N%d-s%g%s-%s%s-b%d" % (
        d["data"], d["n"], d["m"], d["N"], d["s"], "-S%g" % d["S"] if d.get("S") is not None else "",
        d["sched"], "-h%d" % d["hidden"] if d.get("hidden") else "", d["batch"]))


FAMILIES = {"graph-conv": runs_graph_conv, "moe-gated": runs_moe_gated, "small-val-noisy": runs_small_val_noisy}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
