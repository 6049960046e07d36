#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, fifth held-out round).

Written blind to the advice rule (nothing under detection/, bench/src/main/java or bench/src/test, neither
docs/benchmarks.md, the main README nor any *HeldOut*, *Stopping* or *Advice* Java file was read; no stopping benchmark,
no Java and not the descentwatch launcher was run; the runs were sorted by census.py alone), and made to differ from
the twenty families of train.py, train_more.py, train_third.py and train_fourth.py in model, loss, noise and
optimizer: a recommender's bilinear model of a ratings matrix (a content term on user and item features plus
low-rank user and item embeddings from a small initialisation), a student-teacher two-layer tanh or softplus network
trained in float32 under cyclic and one-cycle learning rates with contaminated or heavy-tailed noise, and a residual
MLP with layer normalisation and dropout on the same kind of teacher, trained by AdamW or Nesterov momentum on the
squared error or the Huber loss. The file format, determinism and helpers are the earlier files': Writer and the
command line from train.py, epochs_of, settings and lr_factor from train_more.py, grid_runs from train_third.py,
label_noise and strip_none from train_fourth.py; one thread, every random draw from a seeded torch.Generator,
synthetic event times, 6 significant digits.

    /usr/bin/python3 train_fifth.py --family bilinear-ratings [--list] [--runs 0,3] [--out FILE]

Families (see README.md): bilinear-ratings, tanh-student, resnet-layernorm. Evaluation spacings: train.py's 'every',
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

torch.set_num_threads(1)


def noise_of(g, m, law):
    """m unit-variance noise draws under law: 'gauss', 't<dof>' (Student-t, heavy tails; label_noise) or
    'contam<p>' (contaminated: a share p (in percent) of the draws from a normal four times wider, the rest standard,
    all divided by the mixture's standard deviation)."""
    if law.startswith("contam"):
        p = int(law[6:]) / 100
        z = torch.randn(m, generator=g)
        wide = torch.rand(m, generator=g) < p
        return torch.where(wide, 4 * z, z) / math.sqrt(1 - p + 16 * p)
    return label_noise(g, m, 0 if law == "gauss" else int(law[1:]))


def step_factor(c, e, epochs):
    """The step's multiplier at epoch e: 'cyclic' (triangular between c['floor'] and 1, period c['period'] epochs,
    starting at the floor), 'onecycle' (linear warm-up from c['floor'] to 1 over the first c['warm'] epochs, then a
    cosine down to c['floor'] / 100 at the last epoch), or train_more.py's lr_factor ('const', 'cosine', ...)."""
    sched = c.get("sched", "const")
    if sched == "cyclic":
        phase = (e % c["period"]) / c["period"]
        return c["floor"] + (1 - c["floor"]) * (1 - abs(2 * phase - 1))
    if sched == "onecycle":
        if e < c["warm"]:
            return c["floor"] + (1 - c["floor"]) * e / c["warm"]
        end = c["floor"] / 100
        return end + (1 - end) * 0.5 * (1 + math.cos(math.pi * (e - c["warm"]) / (epochs - c["warm"])))
    return lr_factor(c, e, epochs)


# ---------------------------------------------------------------------------------------------------- bilinear-ratings


def bilinear_ratings(w, run_id, c):
    """A recommender's model of a U x I ratings matrix: rating(u, i) = w0 + b_u + c_i + <x_u, A z_i> + <P_u, Q_i>,
    a content term (A, dx x dz, on standardised user features x_u and item features z_i, each times c['s']) and
    rank-k user and item embeddings P, Q. The truth has the same parts: user and item biases (std 0.3), a content
    part x_u^T B z_i (B random, full rank) of power S, a latent part of rank c['r0'] unrelated to the features of power
    F, plus noise of c['noise_law'] times c['noise']; 'stars' runs round each rating to a whole number of stars and
    clip it to 1-5. Each entry is observed with probability p: the observed ones train, the others test. The content
    term starts at zero, the biases at zero and w0 at the mean observed rating, the embeddings small (c['init'] over
    sqrt(k)), so the content term is fitted first and the embeddings leave their saddle at zero later, one direction
    after another. Full-batch gradient descent, minibatch SGD with heavy-ball momentum, or Adam, on the mean squared
    error or the Huber loss (delta 1), autograd. Train and test loss: that loss on the observed and the held-out
    entries."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(19_000 + c["seed"])
    U, I, dx, dz, k = c["U"], c["I"], c["dx"], c["dz"], c["k"]
    X, Z = torch.randn(U, dx, generator=g), torch.randn(I, dz, generator=g)
    content = X @ torch.randn(dx, dz, generator=g) @ Z.T
    latent = torch.randn(U, c["r0"], generator=g) @ torch.randn(I, c["r0"], generator=g).T
    R = 3.0 + 0.3 * torch.randn(U, 1, generator=g) + 0.3 * torch.randn(1, I, generator=g) \
        + math.sqrt(c["S"]) * content / content.std() + math.sqrt(c["F"]) * latent / latent.std()
    Y = R + c["noise"] * noise_of(g, U * I, c["noise_law"]).view(U, I)
    if c["stars"]:
        Y = Y.round().clamp(1, 5)
    obs = torch.rand(U, I, generator=g) < c["p"]
    uu, ii = torch.meshgrid(torch.arange(U), torch.arange(I), indexing="ij")
    u, i, y = uu[obs], ii[obs], Y[obs]
    ut, it, yt = uu[~obs], ii[~obs], Y[~obs]
    n = len(y)
    Xs, Zs = c["s"] * (X - X.mean(0)) / X.std(0), c["s"] * (Z - Z.mean(0)) / Z.std(0)
    P = torch.randn(U, k, generator=g) * c["init"] / math.sqrt(k)
    Q = torch.randn(I, k, generator=g) * c["init"] / math.sqrt(k)
    params = [torch.full((1,), y.mean().item()), torch.zeros(U), torch.zeros(I), torch.zeros(dx, dz), P, Q]
    for prm in params:
        prm.requires_grad_()
    w0, bu, ci, A, P, Q = params
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("momentum", 0.0))

    def loss(uj, ij, t):
        r = w0 + bu[uj] + ci[ij] + ((Xs[uj] @ A) * Zs[ij]).sum(1) + (P[uj] * Q[ij]).sum(1) - t
        if c["loss"] == "huber":
            return torch.where(r.abs() <= 1, 0.5 * r ** 2, r.abs() - 0.5).mean()
        return (r ** 2).mean()

    run = w.run(run_id, 1 + (U + I) * (k + 1) + dx * dz, n,
                {"family": "bilinear-recommender", "users": U, "items": I, "user_features": dx, "item_features": dz,
                 "rank": k},
                settings(c, ("seed", "r0", "s", "F", "S", "noise", "noise_law", "stars", "p", "init", "opt", "lr",
                             "momentum", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": c["loss"]})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    b = c.get("batch", n)
    e = 0
    for p in pts:
        while e < p:
            idx = torch.randperm(n, generator=g) if b < n else torch.arange(n)
            for j in range(0, n, b):
                jj = idx[j:j + b]
                opt.zero_grad()
                loss(u[jj], i[jj], y[jj]).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, loss(u, i, y), loss(ut, it, yt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_bilinear_ratings():
    keys = ("U", "I", "dx", "dz", "r0", "k", "s", "F", "S", "noise", "noise_law", "stars", "p", "init", "opt", "lr",
            "momentum", "batch", "loss", "epochs", "eval")
    grid = [
        (60, 50, 15, 15, 3, 3, 0.5, 2.0, 2.0, 0.7, "gauss", 0, 0.3, 0.001, "gd", 0.3, None, None, "mse", 5000,
         "log:30", (1,)),
        (60, 50, 15, 15, 3, 5, 0.5, 2.0, 2.0, 0.7, "gauss", 0, 0.3, 0.001, "gd", 0.3, None, None, "mse", 5000,
         "jitter:30", (1,)),
        (60, 50, 15, 15, 3, 3, 0.5, 2.0, 2.0, 0.7, "gauss", 0, 0.3, 0.01, "gd", 0.3, None, None, "mse", 4000,
         "every:5", (1,)),
        (60, 50, 15, 15, 3, 3, 0.5, 2.0, 2.0, 0.7, "gauss", 0, 0.3, 0.1, "gd", 0.3, None, None, "mse", 5000,
         "log:35", (1,)),
        (60, 50, 15, 15, 3, 3, 0.5, 2.0, 2.0, 1.0, "gauss", 0, 0.3, 0.001, "gd", 0.3, None, None, "mse", 5000,
         "log:30", (1,)),
        (60, 50, 12, 12, 3, 3, 0.5, 2.0, 2.0, 0.7, "gauss", 0, 0.3, 0.001, "gd", 0.3, None, None, "mse", 5000,
         "jitter:35", (1,)),
        (60, 50, 18, 18, 3, 3, 0.5, 2.0, 2.0, 0.7, "gauss", 0, 0.3, 0.001, "gd", 0.3, None, None, "mse", 8000,
         "log:30", (1,)),
        (60, 50, 15, 15, 3, 3, 0.5, 0.7, 0.7, 0.5, "gauss", 1, 0.3, 0.001, "gd", 0.3, None, None, "mse", 8000,
         "log:30", (1,)),
        (60, 50, 15, 15, 3, 3, 0.5, 2.0, 2.0, 0.7, "t3", 0, 0.3, 0.001, "gd", 0.5, None, None, "huber", 8000,
         "jitter:30", (1,)),
        (60, 50, 15, 15, 3, 3, 0.5, 2.0, 2.0, 0.7, "contam10", 0, 0.3, 0.001, "gd", 0.3, None, None, "mse", 5000,
         "rand:300", (1,)),
        (60, 50, 15, 15, 3, 3, 0.5, 2.0, 2.0, 0.7, "gauss", 0, 0.3, 0.001, "sgd", 0.03, 0.9, 100, "mse", 2000,
         "every:2", (1,)),
        (60, 50, 15, 15, 3, 3, 0.5, 2.0, 2.0, 0.7, "gauss", 0, 0.3, 0.001, "adam", 0.01, None, None, "mse", 3000,
         "log:30", (1,)),
        (60, 50, 15, 15, 3, 3, 0.5, 2.0, 2.0, 0.7, "gauss", 0, 0.5, 0.001, "gd", 0.3, None, None, "mse", 5000,
         "jitter:30", (1,)),
        (60, 50, 15, 15, 3, 3, 0.5, 1.0, 3.0, 0.7, "gauss", 0, 0.3, 0.001, "gd", 0.3, None, None, "mse", 5000,
         "log:30", (1,)),
        (60, 50, 15, 15, 3, 3, 0.5, 0.5, 3.0, 0.7, "gauss", 0, 0.3, 0.001, "gd", 0.3, None, None, "mse", 5000,
         "jitter:30", (1,)),
        (60, 50, 15, 15, 3, 3, 0.5, 2.0, 2.0, 0.7, "gauss", 0, 0.2, 0.001, "gd", 0.3, None, None, "mse", 5000,
         "log:30", (1,)),
        (60, 50, 20, 20, 3, 3, 0.5, 2.0, 2.0, 0.7, "gauss", 0, 0.3, 0.001, "gd", 0.3, None, None, "mse", 5000,
         "every:10", (1,)),
        (60, 50, 15, 15, 3, 8, 0.5, 2.0, 2.0, 0.7, "gauss", 0, 0.3, 0.001, "gd", 0.3, None, None, "mse", 10000,
         "log:30", (1,)),
        (60, 50, 15, 15, 3, 3, 0.5, 2.0, 2.0, 1.3, "t3", 0, 0.3, 0.001, "gd", 0.3, None, None, "huber", 5000,
         "jitter:35", (1,)),
    ]
    name = "%s-%s-%dx%d-feat%d-k%d-p%g-s%g-F%g-S%g-%s%s"
    return bilinear_ratings, strip_none(grid_runs(grid, keys, lambda d: name % (
        d["opt"], d["loss"], d["U"], d["I"], d["dx"], d["k"], d["p"], d["s"], d["F"], d["S"], d["noise_law"],
        "-stars" if d["stars"] else "")))


# ---------------------------------------------------------------------------------------------------- tanh teacher


def tanh_teacher(g, c):
    """A regression teacher on the two-scale inputs of train.py (df features of scale 1, ds of a small scale s): a
    fast part of power F, a two-layer tanh network of 4 units on the fast features (gain c['gain']), plus a slow part
    of power S, tanh of one direction u of the slow features at unit scale, <u, x_slow> / s; each part centred and
    scaled to its power on 20,000 draws. Returns data(m) -> (x, y) with the noise of c['noise_law'] times
    c['noise'] added."""
    df, ds, s = c["df"], c["ds"], c["s"]
    Wt = torch.randn(4, df, generator=g) * c["gain"] / math.sqrt(df)
    at = torch.randn(4, generator=g)
    u = torch.randn(ds, generator=g)
    u /= u.norm()

    def parts(x):
        return torch.tanh(x[:, :df] @ Wt.T) @ at, torch.tanh(x[:, df:] @ u / s)

    fast, slow = parts(train.two_scale_inputs(g, 20_000, df, ds, s))
    mf, kf, ms, ks = fast.mean().item(), fast.std().item(), slow.mean().item(), slow.std().item()

    def data(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        f, sl = parts(x)
        y = math.sqrt(c["F"]) * (f - mf) / kf + math.sqrt(c["S"]) * (sl - ms) / ks
        return x, y + c["noise"] * noise_of(g, m, c["noise_law"])

    return data


def tanh_student(w, run_id, c):
    """A two-layer network f(x) = a . act(W x + b) / sqrt(h) + a0 (act tanh or softplus, width h, both layers
    trained, from c['init'] times the default scale) learning tanh_teacher's target, in float32 (the data drawn in
    float64, then rounded). Minibatch SGD (batches c['batch'], reshuffled each epoch; full batch where it is n),
    heavy-ball momentum c['momentum'], the step c['lr'] times step_factor: cyclic, one-cycle or constant. Loss: the
    mean squared error, autograd; test loss on 2,000 fresh points, noise included."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(18_000 + c["seed"])
    n, h = c["n"], c["width"]
    d = c["df"] + c["ds"]
    data = tanh_teacher(g, c)
    x, y = data(n)
    xt, yt = data(2000)
    x, y, xt, yt = x.float(), y.float(), xt.float(), yt.float()
    W = torch.randn(d, h, generator=g).float() * c["init"] / math.sqrt(d)
    a = torch.randn(h, generator=g).float() * c["init"]
    torch.set_default_dtype(torch.float32)
    params = [W.requires_grad_(), torch.zeros(h, requires_grad=True), a.requires_grad_(),
              torch.zeros(1, requires_grad=True)]
    act = torch.tanh if c["act"] == "tanh" else torch.nn.functional.softplus
    opt = torch.optim.SGD(params, lr=c["lr"], momentum=c["momentum"])

    def f(z):
        return act(z @ params[0] + params[1]) @ params[2] / math.sqrt(h) + params[3]

    run = w.run(run_id, d * h + 2 * h + 1, n, {"family": "two-layer", "activation": c["act"], "width": h,
                                               "input_dim": d, "dtype": "float32"},
                settings(c, ("seed", "df", "ds", "s", "F", "S", "gain", "noise", "noise_law", "init", "lr", "momentum",
                             "batch", "sched", "period", "floor", "warm", "eval"))
                | {"optimizer": "sgd" if c["batch"] < n else "gd", "loss": "mse"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    b = c["batch"]
    e = 0
    for p in pts:
        while e < p:
            for group in opt.param_groups:
                group["lr"] = c["lr"] * step_factor(c, e, c["epochs"])
            idx = torch.randperm(n, generator=g) if b < n else None
            for i in range(0, n, b):
                xb, yb = (x, y) if idx is None else (x[idx[i:i + b]], y[idx[i:i + b]])
                opt.zero_grad()
                ((f(xb) - yb) ** 2).mean().backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, ((f(x) - y) ** 2).mean(), ((f(xt) - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_tanh_student():
    keys = ("n", "df", "ds", "s", "F", "S", "gain", "noise", "noise_law", "act", "width", "init", "lr", "momentum",
            "batch", "sched", "period", "floor", "warm", "epochs", "eval")
    grid = [
        (300, 20, 10, 0.05, 2.0, 3.0, 0.7, 0.7, "t3", "tanh", 4, 0.1, 0.1, 0.0, 300, "const", None, None, None, 10000,
         "log:30", (1, 2)),
        (300, 20, 10, 0.05, 2.0, 3.0, 0.7, 0.7, "t3", "softplus", 4, 0.1, 0.1, 0.0, 300, "const", None, None, None,
         10000, "jitter:30", (1, 2)),
        (300, 20, 10, 0.05, 2.0, 3.0, 0.7, 0.7, "contam10", "tanh", 4, 0.1, 0.2, 0.0, 300, "cyclic", 200, 0.1, None,
         10000, "every:5", (1,)),
        (300, 20, 10, 0.05, 2.0, 3.0, 0.7, 0.7, "t3", "tanh", 4, 0.1, 0.2, 0.0, 300, "onecycle", None, 0.1, 3000,
         10000, "log:35", (1,)),
        (300, 20, 10, 0.05, 2.0, 3.0, 0.7, 0.7, "t3", "tanh", 4, 0.1, 0.02, 0.0, 30, "const", None, None, None, 3000,
         "every:3", (1,)),
        (300, 20, 10, 0.05, 2.0, 3.0, 0.7, 0.7, "contam10", "tanh", 4, 0.1, 0.002, 0.9, 50, "cyclic", 100, 0.1, None,
         2000, "jitter:35", (1,)),
        (300, 25, 10, 0.05, 2.0, 0.5, 0.7, 0.7, "t3", "tanh", 4, 0.1, 0.1, 0.0, 300, "const", None, None, None, 10000,
         "log:30", (1, 2)),
        (300, 40, 10, 0.05, 2.0, 3.0, 0.7, 0.7, "t3", "tanh", 3, 0.1, 0.1, 0.0, 300, "const", None, None, None, 10000,
         "jitter:30", (1,)),
        (300, 30, 10, 0.05, 2.0, 3.0, 0.7, 1.0, "t3", "tanh", 4, 0.1, 0.1, 0.0, 300, "const", None, None, None, 10000,
         "log:30", (1,)),
        (300, 20, 10, 0.05, 2.0, 3.0, 0.7, 0.7, "gauss", "tanh", 6, 0.1, 0.1, 0.0, 300, "const", None, None, None,
         10000, "rand:300", (1,)),
        (300, 20, 10, 0.05, 2.0, 3.0, 0.7, 0.7, "contam10", "softplus", 8, 0.1, 0.1, 0.0, 300, "const", None, None,
         None, 10000, "log:35", (1,)),
        (300, 30, 10, 0.05, 2.0, 1.0, 0.7, 0.7, "t3", "tanh", 4, 0.1, 0.2, 0.0, 300, "onecycle", None, 0.1, 2000,
         10000, "jitter:30", (1,)),
        (300, 20, 10, 0.05, 2.0, 3.0, 0.7, 0.7, "t2", "tanh", 4, 0.1, 0.1, 0.0, 300, "cyclic", 500, 0.2, None, 2000,
         "every", (1,)),
        (300, 15, 10, 0.05, 2.0, 1.0, 0.7, 0.7, "gauss", "tanh", 4, 0.1, 0.1, 0.0, 300, "const", None, None, None,
         5000, "log:30", (1,)),
        (600, 20, 10, 0.05, 2.0, 3.0, 0.7, 0.7, "t3", "softplus", 4, 0.1, 0.1, 0.0, 600, "onecycle", None, 0.1, 1000,
         5000, "jitter:35", (1,)),
        (1000, 20, 10, 0.05, 2.0, 3.0, 0.7, 0.7, "t3", "tanh", 4, 0.1, 0.1, 0.0, 1000, "const", None, None, None,
         5000, "log:30", (1,)),
    ]
    return tanh_student, strip_none(grid_runs(grid, keys, lambda d: "%s-w%d-n%d-df%d-s%g-S%g-%s-%s%s" % (
        d["act"], d["width"], d["n"], d["df"], d["s"], d["S"], d["noise_law"], d["sched"],
        "-b%d" % d["batch"] if d["batch"] < d["n"] else "")))


# ---------------------------------------------------------------------------------------------------- resnet-layernorm


def resnet_layernorm(w, run_id, c):
    """A residual MLP learning tanh_teacher's target (two-scale inputs, optionally turned by a random rotation so
    that the two scales do not lie along coordinates, which AdamW's per-coordinate step would undo): an input layer
    to width h, c['depth'] residual blocks h + W2 drop(act(W1 LN(h) + b1)) + b2 (layer norm without gain, act ReLU or
    GELU, dropout c['drop'] in training only, W2 from c['rinit'] times the default scale), then a layer norm and a
    linear readout (from 0.1 times the default scale). Full batch, AdamW (decoupled weight decay c['wd']) or SGD with
    Nesterov momentum 0.9 (L2 weight decay c['wd']), on the mean squared error or the Huber loss (delta 1), autograd,
    float64; test loss: the same loss on 2,000 fresh points (noise included), evaluated without dropout."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(20_000 + c["seed"])
    n, h = c["n"], c["width"]
    d = c["df"] + c["ds"]
    data = tanh_teacher(g, c)
    x, y = data(n)
    xt, yt = data(2000)
    if c["rotate"]:
        Q, _ = torch.linalg.qr(torch.randn(d, d, generator=g))
        x, xt = x @ Q, xt @ Q

    def layer(a, b, scale=1.0):
        return [(torch.randn(a, b, generator=g) * scale / math.sqrt(a)).requires_grad_(),
                torch.zeros(b, requires_grad=True)]

    first = layer(d, h)
    blocks = [layer(h, h) + layer(h, h, c["rinit"]) for _ in range(c["depth"])]
    last = layer(h, 1, 0.1)
    params = first + [p for blk in blocks for p in blk] + last
    act = torch.relu if c["act"] == "relu" else torch.nn.functional.gelu
    drop = c.get("drop", 0.0)

    def f(z, training=False):
        hid = z @ first[0] + first[1]
        for W1, b1, W2, b2 in blocks:
            v = act(torch.nn.functional.layer_norm(hid, (h,)) @ W1 + b1)
            if training and drop > 0:
                v = v * (torch.rand(v.shape, generator=g) >= drop) / (1 - drop)
            hid = hid + v @ W2 + b2
        return (torch.nn.functional.layer_norm(hid, (h,)) @ last[0] + last[1]).squeeze(1)

    def loss(out, t):
        r = out - t
        if c["loss"] == "huber":
            return torch.where(r.abs() <= 1, 0.5 * r ** 2, r.abs() - 0.5).mean()
        return (r ** 2).mean()

    if c["opt"] == "adamw":
        opt = torch.optim.AdamW(params, lr=c["lr"], weight_decay=c["wd"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9, nesterov=True, weight_decay=c["wd"])
    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "residual-mlp", "norm": "layer", "width": h, "depth": c["depth"], "activation": c["act"],
                 "input_dim": d},
                settings(c, ("seed", "df", "ds", "s", "F", "S", "gain", "noise", "noise_law", "rotate", "rinit", "drop",
                             "opt", "lr", "wd", "eval"))
                | {"optimizer": c["opt"], "loss": c["loss"]})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            opt.zero_grad()
            loss(f(x, True), y).backward()
            opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, loss(f(x), y), loss(f(xt), yt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_resnet_layernorm():
    keys = ("n", "df", "ds", "s", "F", "S", "gain", "noise", "noise_law", "rotate", "width", "depth", "act", "rinit",
            "drop", "opt", "lr", "wd", "loss", "epochs", "eval")
    grid = [
        (600, 20, 10, 0.02, 2.0, 3.0, 0.7, 0.7, "t3", 0, 8, 1, "relu", 0.1, 0.0, "sgd", 0.005, 0.0, "mse", 10000,
         "log:30", (1, 2)),
        (600, 20, 10, 0.02, 2.0, 3.0, 0.7, 0.7, "t3", 1, 8, 1, "gelu", 0.1, 0.0, "adamw", 0.003, 0.01, "mse", 5000,
         "jitter:30", (1, 2)),
        (300, 20, 10, 0.02, 2.0, 3.0, 0.7, 0.7, "t3", 0, 8, 1, "relu", 0.1, 0.0, "sgd", 0.005, 0.0, "mse", 10000,
         "every:5", (1,)),
        (600, 20, 10, 0.02, 2.0, 3.0, 0.7, 0.7, "t3", 0, 8, 1, "relu", 0.1, 0.1, "sgd", 0.005, 0.0, "mse", 10000,
         "log:35", (1,)),
        (600, 20, 10, 0.02, 2.0, 3.0, 0.7, 0.7, "t3", 0, 8, 1, "relu", 0.1, 0.3, "sgd", 0.005, 0.0, "mse", 10000,
         "jitter:35", (1,)),
        (600, 20, 10, 0.02, 2.0, 3.0, 0.7, 0.7, "contam10", 0, 8, 1, "relu", 0.1, 0.0, "sgd", 0.005, 0.0, "huber",
         10000, "log:30", (1,)),
        (600, 20, 10, 0.02, 2.0, 3.0, 0.7, 0.7, "t3", 0, 8, 1, "gelu", 0.1, 0.0, "adamw", 0.003, 0.01, "mse", 5000,
         "rand:300", (1,)),
        (600, 20, 10, 0.02, 2.0, 3.0, 0.7, 0.7, "t3", 0, 8, 2, "relu", 0.1, 0.0, "sgd", 0.005, 0.0, "mse", 10000,
         "log:30", (1,)),
        (600, 20, 10, 0.02, 2.0, 3.0, 0.7, 0.7, "t3", 0, 8, 1, "relu", 0.1, 0.0, "sgd", 0.005, 0.001, "mse", 10000,
         "jitter:30", (1,)),
        (600, 20, 10, 0.02, 2.0, 3.0, 0.7, 0.7, "t3", 1, 8, 1, "gelu", 0.1, 0.0, "adamw", 0.003, 0.1, "mse", 5000,
         "log:30", (1,)),
        (600, 20, 10, 0.02, 2.0, 0.5, 0.7, 0.7, "t3", 0, 8, 1, "relu", 0.1, 0.0, "sgd", 0.005, 0.0, "mse", 10000,
         "log:30", (1, 2)),
        (600, 20, 10, 0.02, 2.0, 3.0, 0.7, 0.7, "t3", 0, 16, 1, "relu", 0.1, 0.0, "sgd", 0.005, 0.0, "mse", 6000,
         "every:2", (1,)),
        (600, 20, 10, 0.02, 2.0, 3.0, 0.7, 1.0, "gauss", 0, 8, 1, "gelu", 0.1, 0.0, "sgd", 0.005, 0.0, "mse", 10000,
         "log:30", (1,)),
        (600, 40, 10, 0.02, 2.0, 3.0, 0.7, 0.7, "t3", 0, 8, 1, "relu", 0.1, 0.0, "sgd", 0.005, 0.0, "mse", 10000,
         "jitter:30", (1,)),
        (600, 20, 10, 0.02, 2.0, 3.0, 0.7, 0.7, "t3", 0, 8, 1, "relu", 0.1, 0.0, "sgd", 0.005, 0.05, "mse", 10000,
         "log:30", (1,)),
        (600, 20, 10, 0.02, 2.0, 0.3, 0.7, 1.0, "t3", 0, 8, 1, "relu", 0.1, 0.0, "sgd", 0.005, 0.0, "mse", 10000,
         "jitter:30", (1,)),
        (300, 20, 10, 0.02, 2.0, 3.0, 0.7, 0.7, "t3", 0, 16, 1, "relu", 0.1, 0.0, "sgd", 0.005, 0.0, "mse", 10000,
         "log:35", (1,)),
    ]
    return resnet_layernorm, grid_runs(grid, keys, lambda d: "%s-%s-w%d-d%d-n%d-df%d-s%g-S%g-%s%s%s%s%s" % (
        d["opt"], d["act"], d["width"], d["depth"], d["n"], d["df"], d["s"], d["S"], d["noise_law"],
        "-huber" if d["loss"] == "huber" else "", "-wd%g" % d["wd"] if d["wd"] else "",
        "-drop%g" % d["drop"] if d["drop"] else "", "-rot" if d["rotate"] else ""))


FAMILIES = {"bilinear-ratings": runs_bilinear_ratings, "tanh-student": runs_tanh_student,
            "resnet-layernorm": runs_resnet_layernorm}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
