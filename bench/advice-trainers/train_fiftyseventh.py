#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, fifty-seventh held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 176 families of train.py ... train_fiftysixth.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is federated and distributed optimisation: several
simulated clients or workers, each with its own copy of the model and its own share of the data, whose updates are
averaged or applied late; the evaluated model is the global (averaged, or the server's) one, its train loss taken on
the union of the clients' training data (label or target noise included), its test loss on held-out data; at sizes
around where the global model can just fit the union, with label or target noise in part of the grid:

- fedavg-noniid: federated averaging (McMahan et al. 2017) of a ReLU MLP 64 -> h -> 10 over C clients holding
  non-IID shards of scikit-learn's 8x8 digits (the training images sorted by their true label and cut into shards,
  each client a few shards, so a few labels; an IID split in one run), a share of the training labels flipped after
  the split; each round a random share of the clients (partial participation) runs E local epochs of minibatch SGD
  on the cross-entropy from the global weights, and the server replaces the global weights by the participants'
  average (FedProx's proximal term, or the server's momentum on the averaged update, in one run each). One epoch is
  one communication round. Train loss: the global model's cross-entropy on the union of the clients' (noisy) labels;
  test loss: that on 500 held-out digits; error rates: the misclassification shares.
- local-sgd-avg: local SGD (periodic model averaging) of a ReLU MLP 16 -> h -> 1 across K simulated workers on a
  synthetic regression (Gaussian inputs, a tanh teacher of 8 units, Gaussian target noise): each worker steps on
  minibatches of its own shard of the training set, and every H local steps the workers' weights are replaced by
  their average (the shards split by the first input's value, so each worker sees its own band of the inputs, in
  one run). One epoch is one pass of every worker over its shard. The evaluated model is the workers' average at the
  epoch's end. Train loss: its mean squared error on the union of the shards' noisy targets; test loss: that against
  the clean teacher on 2,000 fresh inputs. No error rates (no share exists for a regression).
- async-stale-sgd: asynchronous SGD with stale gradients (a parameter server whose workers read the weights, compute
  a minibatch gradient and send it back late): a ReLU MLP 30 -> h -> 1 on scikit-learn's breast cancer data
  (standardised), the logistic loss, a share of the training labels flipped; the gradient applied at step t is taken
  at the weights of step t - d (d fixed, or drawn at random per step; d 0 is plain SGD; a staleness-aware step
  lr / (1 + d) in one run; heavy-ball momentum on the stale gradients in one). Train loss: the server weights'
  logistic loss on the (noisy) training labels; test loss: that on the held-out patients; error rates: the
  misclassification shares.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs), take and flip_labels from train_thirtyninth.py, and count from
train_fortyeighth.py; one thread, every random draw from a seeded torch.Generator, synthetic event times, 6
significant digits.

    /usr/bin/python3 train_fiftyseventh.py --family fedavg-noniid [--list] [--runs 0,3] [--out FILE]

Families (see README.md): fedavg-noniid, local-sgd-avg, async-stale-sgd. Evaluation spacings: train.py's 'every',
'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K', 'mixlog:A:K',
'geom:G', 'burst:P:B'.
"""
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
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop, flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402

torch.set_num_threads(1)


def mlp_init(g, d, h, o, dtype):
    """A one-hidden-layer MLP's weights [W1 (d x h), b1 (1 x h), W2 (h x o), b2 (1 x o)], PyTorch's default
    U(+-1 / sqrt(fan-in)), drawn from g."""
    return [uniform(g, d, d, h).to(dtype), uniform(g, d, 1, h).to(dtype), uniform(g, h, h, o).to(dtype),
            uniform(g, h, 1, o).to(dtype)]


def mlp(ps, x):
    """relu(x W1 + b1) W2 + b2; with a leading worker dimension on the weights (S x ...) and on x (S x m x d), every
    worker's own copy on its own inputs at once."""
    return torch.relu(x @ ps[0] + ps[1]) @ ps[2] + ps[3]


def stack(ps, S):
    """S copies of the weights ps along a new leading dimension, as leaves."""
    return leaves([p.detach().unsqueeze(0).repeat(S, *([1] * p.dim())) for p in ps])


# ---------------------------------------------------------------------------------------------------- fedavg-noniid


def client_split(g, y, C, spc):
    """The clients' index sets (C x n / C): spc shards each of the training points sorted by their label (2 C shards
    of equal size for spc 2, the shards dealt at random), or an IID split (spc None: a random permutation cut into C
    equal parts)."""
    n = len(y)
    if not spc:
        return torch.randperm(n, generator=g).reshape(C, n // C)
    order = torch.sort(y, stable=True)[1]
    shards = order.reshape(C * spc, n // (C * spc))
    deal = torch.randperm(C * spc, generator=g).reshape(C, spc)
    return shards[deal].reshape(C, n // C)


def fedavg_noniid(w, run_id, c):
    """Federated averaging, float32: the global MLP 64 -> h (ReLU) -> 10 (mlp_init from the run's generator).
    Data: scikit-learn's digits (pixels / 16), n training images and 500 others for testing, split at random by the
    run's generator; the training images dealt to C clients by client_split (by their true label), then a share flip
    of the training labels replaced by another class (flip_labels). Each round (one epoch): m = round(frac C) clients
    drawn at random; each starts from the global weights and runs E local epochs of SGD (step lr, minibatches of
    local_batch of its own points, a fresh permutation each local epoch) on its mean cross-entropy (plus mu / 2 |w -
    w_global|^2 where FedProx's mu is set); the new global weights are the participants' average (equal shards, equal
    weights), or, with server momentum beta, w_global - v with v = beta v + (w_global - average). Train loss: the
    global model's cross-entropy on the union of the clients' training images and their (noisy) labels; test loss:
    that on the held-out images; error rates: the misclassification shares."""
    from sklearn.datasets import load_digits
    g = torch.Generator().manual_seed(571_000 + c["seed"])
    data = load_digits()
    X = torch.tensor(data.data / 16.0, dtype=torch.float32)
    Y = torch.tensor(data.target, dtype=torch.long)
    perm = torch.randperm(len(X), generator=g)
    n, C = c["n"], c["C"]
    x, ytrue, xt, yt = X[perm[:n]], Y[perm[:n]], X[perm[n:n + 500]], Y[perm[n:n + 500]]
    parts = client_split(g, ytrue, C, c.get("spc"))
    y = flip_labels(g, ytrue, 10, c.get("flip"))
    Xc, Yc = x[parts], y[parts]
    s = n // C
    m = max(1, int(round(c["frac"] * C)))
    glob = mlp_init(g, 64, c["h"], 10, torch.float32)
    vel = [torch.zeros_like(p) for p in glob]
    B, E, lr, mu = c["local_batch"], c["E"], c["lr"], c.get("mu")

    def step(_):
        sel = torch.sort(torch.randperm(C, generator=g)[:m])[0]
        xs, ys = Xc[sel], Yc[sel]
        loc = stack(glob, m)
        ar = torch.arange(m).unsqueeze(1)
        for _e in range(E):
            order = torch.rand(m, s, generator=g).argsort(1)
            for j in range(0, s, B):
                idx = order[:, j:j + B]
                out = mlp(loc, xs[ar, idx])
                loss = fn.cross_entropy(out.reshape(-1, 10), ys[ar, idx].reshape(-1), reduction="sum") / idx.shape[1]
                if mu:
                    loss = loss + 0.5 * mu * sum(((q - p) ** 2).sum() for q, p in zip(loc, glob))
                grads = torch.autograd.grad(loss, loc)
                with torch.no_grad():
                    for q, gr in zip(loc, grads):
                        q -= lr * gr
        with torch.no_grad():
            for k, q in enumerate(loc):
                avg = q.mean(0)
                if c.get("beta"):
                    vel[k] = c["beta"] * vel[k] + (glob[k] - avg)
                    glob[k] = glob[k] - vel[k]
                else:
                    glob[k] = avg

    run = w.run(run_id, count(glob), n, {"family": "fedavg-mlp", "hidden": c["h"], "classes": 10, "clients": C},
                settings(c, ("seed", "n", "C", "spc", "flip", "h", "frac", "E", "local_batch", "lr", "mu", "beta",
                             "eval"))
                | {"optimizer": "fedprox" if mu else ("fedavgm" if c.get("beta") else "fedavg"),
                   "split": "iid" if not c.get("spc") else "label-shards", "loss": "cross-entropy",
                   "epoch_unit": "communication-round", "clients_per_round": m,
                   "test_loss": "heldout-cross-entropy", "labels_per_weight": "%.3g" % (n / count(glob))},
                output_dim=10)

    def log(e, final):
        a, b = mlp(glob, x), mlp(glob, xt)
        run.log(e, fn.cross_entropy(a, y), fn.cross_entropy(b, yt), (a.argmax(1) != y).float().mean(),
                (b.argmax(1) != yt).float().mean(), final=final)

    epoch_loop(g, 1, c, step, log)


def runs_fedavg_noniid():
    # The logic: 400 training digits dealt to 10 clients of 40, each 2 shards of 20 images sorted by label (so about
    # 2 labels a client), 20% of the labels flipped after the split. The global MLP 64 -> h -> 10 has 75 h + 10
    # weights; fitting the union's 400 labels, 80 of them flipped against the pixels, takes a hidden layer of a few
    # tens (h 32 at the base at 2 seeds, 2,410 weights, 6 per label); the sweep of h (8, 16, 32, 64, 128, 256) crosses
    # it. Each round half the clients (5) run 2 local epochs of SGD at 0.1 on minibatches of 10, 500 rounds. One
    # thing at a time besides: clean labels, 40% flips, 1 and 5 local epochs (client drift grows with them), 2 and 10
    # clients a round, an IID split, 1 shard a client (about one label each) and 5 (near IID), 20 clients of 20, 800
    # training digits (clients of 80), FedProx mu 0.1, server momentum 0.7, step 0.3. Evaluation spacing mixed.
    base = dict(n=400, C=10, spc=2, flip=0.2, h=32, frac=0.5, E=2, local_batch=10, lr=0.1, mu=None, beta=None,
                epochs=500, eval="every:2")
    return fedavg_noniid, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=8, eval="every"),
        dict(h=16, eval="jitter:40"),
        dict(h=64, eval="every:3"),
        dict(h=128, eval="geom:3"),
        dict(h=256, eval="every:2"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="mixed:40:4"),
        dict(E=1, eval="every"),
        dict(E=5, eval="every:4"),
        dict(frac=0.2, eval="burst:20:5"),
        dict(frac=1.0, eval="every:2"),
        dict(spc=None, eval="every:2"),
        dict(spc=1, eval="log:40"),
        dict(spc=5, eval="every:3"),
        dict(C=20, eval="every:2"),
        dict(n=800, eval="rand:100"),
        dict(mu=0.1, eval="every:2"),
        dict(beta=0.7, eval="mixlog:30:40"),
        dict(lr=0.3, eval="every"),
    ], lambda d: "n%d-C%d-%s-flip%g-h%d-frac%g-E%d-lr%g%s%s" % (
        d["n"], d["C"], "shards%d" % d["spc"] if d.get("spc") else "iid", d.get("flip") or 0, d["h"], d["frac"],
        d["E"], d["lr"], "-prox%g" % d["mu"] if d.get("mu") else "", "-srvmom%g" % d["beta"] if d.get("beta") else ""))


# ---------------------------------------------------------------------------------------------------- local-sgd-avg


def tanh_teacher(g, d, units, dtype):
    """A tanh teacher of `units` units: f(x) = a . tanh(V x) with V's rows N(0, I / d) (each unit's input about unit
    scale) and a N(0, 1 / units), plus a linear part x . b / sqrt(d) with b N(0, 0.25 I); drawn from g."""
    V = torch.randn(units, d, generator=g, dtype=dtype) / d ** 0.5
    a = torch.randn(units, generator=g, dtype=dtype) / units ** 0.5
    b = 0.5 * torch.randn(d, generator=g, dtype=dtype)
    return lambda z: torch.tanh(z @ V.T) @ a + z @ b / d ** 0.5


def local_sgd_avg(w, run_id, c):
    """Local SGD with periodic averaging, float64: K workers each hold a copy of the MLP 16 -> h (ReLU) -> 1 (one
    initialisation from the run's generator, copied) and a shard of n / K of the training points (a random split, or
    the points sorted by their first input and cut into bands where split is 'band'); every local step each worker
    takes SGD's step lr (heavy-ball momentum with its own buffer where mom is set) on the mean squared error of a
    minibatch of its own shard (a fresh permutation each epoch), and after every H local steps the workers' weights are
    replaced by their average (the momentum buffers are kept). Data: inputs N(0, I_16), the target tanh_teacher of 8
    units (standardised by its spread on the test inputs) plus Gaussian noise sigma, n training points, 2,000 fresh
    test inputs with their clean targets. One epoch: one pass of every worker over its shard. The evaluated model is the
    workers' average at the epoch's end (the model the next averaging makes; after an averaging, the averaged one).
    Train loss: its mean squared error on the union of the shards' noisy targets; test loss: that against the clean
    teacher."""
    g = torch.Generator().manual_seed(572_000 + c["seed"])
    dt, d, n, K = torch.float64, 16, c["n"], c["K"]
    f = tanh_teacher(g, d, 8, dt)
    x = torch.randn(n, d, generator=g, dtype=dt)
    xt = torch.randn(2000, d, generator=g, dtype=dt)
    scale = f(xt).std()
    yt = (f(xt) / scale).unsqueeze(1)
    y = (f(x) / scale + (c.get("sigma") or 0.0) * torch.randn(n, generator=g, dtype=dt)).unsqueeze(1)
    if c.get("split") == "band":
        parts = torch.sort(x[:, 0])[1].reshape(K, n // K)
    else:
        parts = torch.randperm(n, generator=g).reshape(K, n // K)
    xs, ys = x[parts], y[parts]
    s, B, H, lr, mom = n // K, c["local_batch"], c["H"], c["lr"], c.get("mom")
    glob = mlp_init(g, d, c["h"], 1, dt)
    loc = stack(glob, K)
    buf = [torch.zeros_like(q) for q in loc]
    ar = torch.arange(K).unsqueeze(1)
    box = {"t": 0}

    def step(_):
        order = torch.rand(K, s, generator=g).argsort(1)
        for j in range(0, s, B):
            idx = order[:, j:j + B]
            loss = ((mlp(loc, xs[ar, idx]) - ys[ar, idx]) ** 2).mean((1, 2)).sum()
            grads = torch.autograd.grad(loss, loc)
            with torch.no_grad():
                for k, (q, gr) in enumerate(zip(loc, grads)):
                    if mom:
                        buf[k] = mom * buf[k] + gr
                        gr = buf[k]
                    q -= lr * gr
                box["t"] += 1
                if box["t"] % H == 0:
                    for q in loc:
                        q.copy_(q.mean(0, keepdim=True).expand_as(q))

    run = w.run(run_id, count(glob), n, {"family": "local-sgd-mlp", "hidden": c["h"], "inputs": d, "workers": K},
                settings(c, ("seed", "n", "sigma", "h", "K", "H", "split", "local_batch", "lr", "mom", "eval"))
                | {"optimizer": "local-sgd" + ("-momentum" if mom else ""), "loss": "mse",
                   "epoch_unit": "pass-of-every-worker", "test_loss": "clean-teacher-mse",
                   "points_per_weight": "%.3g" % (n / count(glob))})

    def log(e, final):
        avg = [q.mean(0) for q in loc]
        run.log(e, ((mlp(avg, x) - y) ** 2).mean(), ((mlp(avg, xt) - yt) ** 2).mean(), final=final)

    epoch_loop(g, 1, c, step, log)


def runs_local_sgd_avg():
    # The logic: 256 training points of 16 Gaussian inputs, the target a standardised tanh teacher (8 units plus a
    # linear part) with Gaussian noise 0.5. The MLP 16 -> h -> 1 has 18 h + 1 weights, so by count it can just fit
    # the 256 noisy targets near h 14: the sweep of h (4, 8, 12, 16 at the base at 2 seeds, 24, 32, 64, 128) crosses
    # it. K 8 workers of 32 points, minibatches of 8 (4 local steps an epoch), the weights averaged every H 4 local
    # steps (once an epoch), SGD at 0.05, 600 epochs. One thing at a time besides: averaging every step (H 1,
    # minibatch SGD over K B points), every 16 and every 64 local steps (4 and 16 epochs), 2 and 32 workers, shards
    # that are bands of the first input (the workers' data differ), clean targets, noise 1.0, 128 points, local
    # heavy-ball momentum 0.9 at 0.01, step 0.15. Evaluation spacing mixed.
    base = dict(n=256, sigma=0.5, h=16, K=8, H=4, split=None, local_batch=8, lr=0.05, mom=None, epochs=600,
                eval="every:2")
    return local_sgd_avg, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=4, eval="every"),
        dict(h=8, eval="jitter:40"),
        dict(h=12, eval="every:2"),
        dict(h=24, eval="geom:3"),
        dict(h=32, eval="every:3"),
        dict(h=64, eval="every:2"),
        dict(h=128, eval="mixed:40:4"),
        dict(H=1, eval="every:2"),
        dict(H=16, eval="every"),
        dict(H=64, eval="every:4"),
        dict(K=2, eval="every:2"),
        dict(K=32, eval="burst:20:5"),
        dict(split="band", eval="every:2"),
        dict(sigma=None, eval="log:40"),
        dict(sigma=1.0, eval="every:3"),
        dict(n=128, eval="rand:120"),
        dict(mom=0.9, lr=0.01, eval="every:2"),
        dict(lr=0.15, eval="mixlog:30:40"),
    ], lambda d: "n%d-sig%g-h%d-K%d-H%d%s-lr%g%s" % (
        d["n"], d.get("sigma") or 0, d["h"], d["K"], d["H"], "-band" if d.get("split") else "", d["lr"],
        "-mom%g" % d["mom"] if d.get("mom") else ""))


# ---------------------------------------------------------------------------------------------------- async-stale-sgd


def async_stale_sgd(w, run_id, c):
    """Asynchronous SGD with stale gradients, float64: the MLP 30 -> h (ReLU) -> 1 (mlp_init from the run's
    generator) on scikit-learn's breast cancer data, n patients for training and the rest for testing (split at
    random by the run's generator; the inputs standardised by the training set's means and spreads), a share flip of
    the training labels flipped. Each step takes a minibatch's gradient of the mean logistic loss at the weights of d
    steps before (d = tau; drawn uniformly from 0 ... 2 tau per step where delays is 'rand'; at most the steps so far)
    and applies it to the current weights with step lr (lr / (1 + d) where scaled; heavy-ball momentum mom on the
    stale gradients where set). Train loss: the current weights' logistic loss on the (noisy) training labels; test
    loss: that on the held-out patients; error rates: the misclassification shares."""
    from sklearn.datasets import load_breast_cancer
    g = torch.Generator().manual_seed(573_000 + c["seed"])
    data = load_breast_cancer()
    X = torch.tensor(data.data, dtype=torch.float64)
    Y = torch.tensor(data.target, dtype=torch.float64)
    perm = torch.randperm(len(X), generator=g)
    n = c["n"]
    x, ytrue, xt, yt = X[perm[:n]], Y[perm[:n]], X[perm[n:]], Y[perm[n:]]
    mu_, sd = x.mean(0), x.std(0)
    x, xt = (x - mu_) / sd, (xt - mu_) / sd
    y = ytrue.clone()
    if c.get("flip"):
        hit = torch.rand(n, generator=g, dtype=torch.float64) < c["flip"]
        y = torch.where(hit, 1 - y, y)
    ps = mlp_init(g, 30, c["h"], 1, torch.float64)
    tau, lr, mom = c["tau"], c["lr"], c.get("mom")
    hist = [[p.clone() for p in ps]]
    buf = [torch.zeros_like(p) for p in ps]

    def bce(f, t):
        return fn.binary_cross_entropy_with_logits(f.squeeze(1), t)

    def step(idx):
        if c.get("delays") == "rand":
            dly = int(torch.randint(0, 2 * tau + 1, (1,), generator=g).item())
        else:
            dly = tau
        dly = min(dly, len(hist) - 1)
        old = leaves([p.clone() for p in hist[-1 - dly]])
        grads = torch.autograd.grad(bce(mlp(old, take(x, idx)), take(y, idx)), old)
        eta = lr / (1 + dly) if c.get("scaled") else lr
        with torch.no_grad():
            for k, (p, gr) in enumerate(zip(ps, grads)):
                if mom:
                    buf[k] = mom * buf[k] + gr
                    gr = buf[k]
                p -= eta * gr
        hist.append([p.clone() for p in ps])
        if len(hist) > 2 * tau + 2:
            del hist[0]

    run = w.run(run_id, count(ps), n, {"family": "async-sgd-mlp", "hidden": c["h"], "inputs": 30},
                settings(c, ("seed", "n", "flip", "h", "tau", "delays", "scaled", "batch", "lr", "mom", "eval"))
                | {"optimizer": "async-stale-sgd" + ("-momentum" if mom else ""), "loss": "logistic",
                   "test_loss": "heldout-logistic", "labels_per_weight": "%.3g" % (n / count(ps))})

    def log(e, final):
        a, b = mlp(ps, x), mlp(ps, xt)
        run.log(e, bce(a, y), bce(b, yt), ((a.squeeze(1) > 0).double() != y).double().mean(),
                ((b.squeeze(1) > 0).double() != yt).double().mean(), final=final)

    epoch_loop(g, n, c, step, log)


def runs_async_stale_sgd():
    # The logic: 200 breast-cancer patients for training (369 held out), 15% of their labels flipped. The MLP 30 -> h
    # -> 1 has 32 h + 1 weights; a linear rule already separates the clean labels nearly, and fitting the 30 or so
    # flipped ones as well takes a hidden layer of a few units and more (h 8 at the base at 2 seeds, 257 weights,
    # about one per label); the sweep of h (2, 4, 8, 16, 32, 64) crosses it. Minibatches of 10 (20 steps an epoch),
    # SGD at 0.03 whose gradients are 8 steps stale, 300 epochs. One thing at a time besides: staleness 0 (plain
    # SGD), 2, 16 and 32, random delays 0-16 (mean 8), those with the staleness-aware step 0.2 / (1 + d), heavy-ball
    # momentum 0.9 at 0.003 on stale gradients, clean labels, 30% flips, 100 and 400 patients, step 0.1. Evaluation
    # spacing mixed.
    base = dict(n=200, flip=0.15, h=8, tau=8, delays=None, scaled=None, batch=10, lr=0.03, mom=None, epochs=300,
                eval="every:2")
    return async_stale_sgd, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=2, eval="every"),
        dict(h=4, eval="jitter:40"),
        dict(h=16, eval="every:3"),
        dict(h=32, eval="geom:3"),
        dict(h=64, eval="every:2"),
        dict(tau=0, eval="every:2"),
        dict(tau=2, eval="every"),
        dict(tau=16, eval="mixed:40:4"),
        dict(tau=32, eval="every:2"),
        dict(delays="rand", eval="burst:20:5"),
        dict(delays="rand", scaled=True, lr=0.2, eval="every:2"),
        dict(mom=0.9, lr=0.003, eval="every:4"),
        dict(flip=None, eval="log:40"),
        dict(flip=0.3, eval="every:2"),
        dict(n=100, eval="every"),
        dict(n=400, eval="rand:100"),
        dict(lr=0.1, eval="mixlog:30:40"),
    ], lambda d: "n%d-flip%g-h%d-tau%d%s%s-lr%g%s" % (
        d["n"], d.get("flip") or 0, d["h"], d["tau"], "-rand" if d.get("delays") else "",
        "-scaled" if d.get("scaled") else "", d["lr"], "-mom%g" % d["mom"] if d.get("mom") else ""))


FAMILIES = {"fedavg-noniid": runs_fedavg_noniid, "local-sgd-avg": runs_local_sgd_avg,
            "async-stale-sgd": runs_async_stale_sgd}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
