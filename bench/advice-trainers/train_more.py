#!/usr/bin/python3
"""More independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, second held-out round).

Written blind to the advice rule (nothing of detection/ or of the stopping benchmark was read), and made to
differ from train.py's families in model, optimizer, loss, noise, schedule and evaluation spacing. The file format,
determinism and helpers (num, schedule, Writer) are train.py's: one thread, every random draw from a seeded
torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_more.py --family kernel-gd [--list] [--runs 0,3] [--out FILE]

Families (see README.md): kernel-gd, two-layer-relu, schedules, legendre-poly.

Evaluation spacing, besides train.py's 'every', 'every:K' and 'log:K':
  'jitter:K'  irregular: epoch 0, then one epoch drawn at random (from the run's seeded generator) in each of the
              geometric cells [10^(i/K), 10^((i+1)/K)), deduplicated, and the last epoch;
  'rand:M'    irregular: epoch 0, M epochs drawn at random without replacement from 1..epochs-1, and the last.
"""
import math
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before torch loads its BLAS
    os.environ[var] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import train  # noqa: E402
from train import schedule, two_scale_inputs, two_scale_regression  # noqa: E402  (train.py sets one thread too)

torch.set_num_threads(1)


def epochs_of(spacing, epochs, seed):
    """train.py's schedule, plus the irregular 'jitter:K' and 'rand:M' (drawn from a generator seeded by the run)."""
    if spacing.startswith("jitter:"):
        k = int(spacing.split(":")[1])
        g = torch.Generator().manual_seed(90_000 + seed)
        pts, i = {0, epochs}, 0
        while 10 ** (i / k) <= epochs:
            lo, hi = 10 ** (i / k), min(10 ** ((i + 1) / k), epochs + 1)
            e = int(math.floor(lo + (hi - lo) * torch.rand(1, generator=g).item()))
            pts.add(min(max(e, 1), epochs))
            i += 1
        return sorted(pts)
    if spacing.startswith("rand:"):
        m = int(spacing.split(":")[1])
        g = torch.Generator().manual_seed(91_000 + seed)
        pick = torch.randperm(epochs - 1, generator=g)[:m] + 1
        return sorted({0, epochs} | set(pick.tolist()))
    return schedule(spacing, epochs)


def settings(c, keys):
    return {k: c[k] for k in keys if k in c}


# ---------------------------------------------------------------------------------------------------- kernel-gd


def kernel_matrix(a, b, kind, bw):
    d = torch.cdist(a, b)
    if kind == "rbf":
        return torch.exp(-d ** 2 / (2 * bw ** 2))
    return torch.exp(-d / bw)  # laplace


def kernel_gd(w, run_id, c):
    """Kernel regression on a data set scikit-learn ships (digits, wine, iris, breast cancer; inputs standardised
    on the training points, targets one-hot, a share of training labels replaced by another class), with the sum
    of two kernels K = K_view + s^2 K_all: an RBF or Laplace kernel of bandwidth bw_view on a few input columns only
    (a weak view that fits the noisy labels fast, unit scale) and one of bandwidth bw_all on all inputs at scale s
    (slow). s = 0 leaves the view kernel alone; view = 'all' puts a single kernel on all inputs. The dual
    coefficients A are trained from zero by gradient descent on the functional squared error,
    A <- A - lr (K A - Y) / n (kernel gradient descent; step lr over the largest eigenvalue of K / n), iterated in
    K's eigenbasis, where each step is the same update for O(n) work. Test loss: squared error (summed over the
    one-hot outputs) of K(test, train) A on the held-out points."""
    import sklearn.datasets
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(5_000 + c["seed"])
    xs, ys = getattr(sklearn.datasets, "load_" + c["data"])(return_X_y=True)
    x_all, y_all = torch.tensor(xs, dtype=torch.float64), torch.tensor(ys)
    perm = torch.randperm(len(x_all), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    mu, sd = x_all[tr].mean(0), x_all[tr].std(0)
    x_all = (x_all - mu) / torch.where(sd > 1e-6, sd, torch.ones_like(sd))
    D = x_all.shape[1]
    K_cls = int(y_all.max()) + 1
    n = len(tr)
    y = y_all[tr].clone()
    flip = torch.rand(n, generator=g) < c["flip"]
    y[flip] = (y[flip] + torch.randint(1, K_cls, (int(flip.sum()),), generator=g)) % K_cls
    Y, Yt = torch.nn.functional.one_hot(y, K_cls).double(), torch.nn.functional.one_hot(y_all[te], K_cls).double()
    if c["view"] == "all":
        cols = torch.arange(D)
    else:
        cols = torch.randperm(D, generator=g)[:c["view"]]
    xv = x_all[:, cols]
    Kv = kernel_matrix(xv[tr], xv[tr], c["kernel"], c["bw_view"] * math.sqrt(len(cols)))
    Kvt = kernel_matrix(xv[te], xv[tr], c["kernel"], c["bw_view"] * math.sqrt(len(cols)))
    if c["s"] > 0:
        bw = c["bw_all"] * math.sqrt(D)
        Kv = Kv + c["s"] ** 2 * kernel_matrix(x_all[tr], x_all[tr], c["kernel_all"], bw)
        Kvt = Kvt + c["s"] ** 2 * kernel_matrix(x_all[te], x_all[tr], c["kernel_all"], bw)
    lam, V = torch.linalg.eigh(Kv)
    lam = lam.clamp_min(0.0)
    lr = c["lr"] / (lam[-1].item() / n)
    Yr = V.T @ Y  # targets in the eigenbasis
    B = torch.zeros(n, K_cls)  # coefficients in the eigenbasis: A = V B
    run = w.run(run_id, n * K_cls, n, {"family": "kernel-regression", "kernel": c["kernel"], "data": c["data"]},
                settings(c, ("seed", "data", "kernel", "kernel_all", "view", "bw_view", "bw_all", "s", "flip", "lr",
                             "eval")) | {"optimizer": "kernel-gd", "loss": "mse"}, output_dim=K_cls)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    lam_c = lam.unsqueeze(1)
    e = 0
    for p in pts:
        while e < p:
            B -= lr * (lam_c * B - Yr) / n
            e += 1
        A = V @ B
        run.log(e, ((Kv @ A - Y) ** 2).sum(1).mean(), ((Kvt @ A - Yt) ** 2).sum(1).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_kernel_gd():
    out = []
    # (data, n, kernel, kernel_all, view, bw_view, bw_all, s, flip, lr, epochs, eval, seeds)
    grid = [
        ("digits", 600, "laplace", "rbf", 6, 0.3, 1.0, 0.3, 0.3, 0.9, 50000, "log:35", (1, 2)),
        ("digits", 600, "laplace", "rbf", "all", 0.3, 1.0, 0.0, 0.3, 0.9, 20000, "jitter:30", (1, 2)),
        ("digits", 600, "rbf", "rbf", "all", 0.5, 1.0, 0.0, 0.3, 0.9, 3000, "every:2", (1,)),
        ("digits", 400, "rbf", "rbf", 10, 1.0, 1.0, 0.3, 0.3, 0.9, 50000, "log:40", (1, 2)),
        ("digits", 400, "rbf", "rbf", 10, 1.5, 1.0, 0.1, 0.3, 0.9, 50000, "jitter:35", (1, 2)),
        ("digits", 400, "rbf", "rbf", 10, 1.0, 0.5, 0.3, 0.3, 0.9, 20000, "rand:300", (1,)),
        ("digits", 500, "rbf", "laplace", 8, 0.7, 1.0, 0.2, 0.2, 0.9, 2000, "every", (1,)),
        ("wine", 120, "rbf", "rbf", 3, 0.5, 1.0, 0.3, 0.2, 0.9, 20000, "log:35", (1, 2)),
        ("breast_cancer", 300, "laplace", "rbf", 4, 0.3, 1.0, 0.3, 0.2, 0.9, 20000, "jitter:35", (1, 2)),
        ("iris", 100, "rbf", "rbf", 2, 0.3, 1.0, 0.3, 0.2, 0.9, 10000, "every:5", (1,)),
        ("iris", 100, "laplace", "rbf", "all", 0.2, 1.0, 0.0, 0.3, 0.9, 10000, "log:35", (1, 2)),
    ]
    for i, (data, n, kern, kall, view, bwv, bwa, s, flip, lr, epochs, ev, seeds) in enumerate(grid):
        for seed in seeds:
            out.append(("c%02d-%s-n%d-%s-view%s-s%g-flip%g/seed%d" % (i, data.replace("_", "-"), n, kern, view, s,
                                                                      flip, seed),
                        dict(data=data, n=n, kernel=kern, kernel_all=kall, view=view, bw_view=bwv, bw_all=bwa, s=s,
                             flip=flip, lr=lr, epochs=epochs, eval=ev, seed=seed + 10 * i)))
    return kernel_gd, out


# ---------------------------------------------------------------------------------------------------- two-layer-relu


def two_layer_relu(w, run_id, c):
    """A two-layer ReLU network f(x) = a . relu(W x + b) / sqrt(h) + a0 with BOTH layers trained, initialised small
    (c['init'] times the default scale), regressing a teacher on Gaussian inputs with df features of scale 1 and ds of
    scale c['s']: a linear fast part (power F) plus a slow part of power S along one direction u of the slow
    features at unit scale, z = <u, x_slow> / s, either linear (teacher 'linear': z) or a standardised ReLU
    (teacher 'relu': relu(z) less its mean, over its standard deviation), plus label noise. Full-batch gradient descent or minibatch SGD (batches c['batch']) on the mean squared error;
    test loss on 2,000 fresh points."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(6_000 + c["seed"])
    n, df, ds, s, h = c["n"], c["df"], c["ds"], c["s"], c["width"]
    d = df + ds
    theta = torch.randn(df, generator=g) * math.sqrt(c["F"] / df)
    u = torch.randn(ds, generator=g)
    u /= u.norm()

    def data(m):
        x = two_scale_inputs(g, m, df, ds, s)
        z = x[:, df:] @ u / s  # the slow direction at unit scale
        if c["teacher"] == "relu":
            slow = (torch.relu(z) - 1 / math.sqrt(2 * math.pi)) / math.sqrt(0.5 - 1 / (2 * math.pi))
        else:
            slow = z
        y = x[:, :df] @ theta + math.sqrt(c["S"]) * slow
        return x, y + c["noise"] * torch.randn(m, generator=g)

    x, y = data(n)
    xt, yt = data(2000)
    W = (torch.randn(d, h, generator=g) * c["init"] / math.sqrt(d)).requires_grad_()
    b = torch.zeros(h, requires_grad=True)
    a = (torch.randn(h, generator=g) * c["init"]).requires_grad_()
    a0 = torch.zeros(1, requires_grad=True)
    params = [W, b, a, a0]
    opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("momentum", 0.0))

    def f(z):
        return torch.relu(z @ W + b) @ a / math.sqrt(h) + a0

    run = w.run(run_id, d * h + 2 * h + 1, n, {"family": "two-layer-relu", "width": h, "input_dim": d},
                settings(c, ("seed", "teacher", "s", "F", "S", "noise", "init", "lr", "batch", "momentum", "eval"))
                | {"optimizer": "gd" if c["batch"] >= n else "sgd", "loss": "mse"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            if c["batch"] >= n:
                opt.zero_grad()
                ((f(x) - y) ** 2).mean().backward()
                opt.step()
            else:
                idx = torch.randperm(n, generator=g)
                for i in range(0, n, c["batch"]):
                    j = idx[i:i + c["batch"]]
                    opt.zero_grad()
                    ((f(x[j]) - y[j]) ** 2).mean().backward()
                    opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, ((f(x) - y) ** 2).mean(), ((f(xt) - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_two_layer_relu():
    out = []
    # (teacher, n, df, ds, s, F, S, noise, width, init, lr, batch, epochs, eval, seeds)
    grid = [
        ("linear", 200, 30, 10, 0.1, 2.0, 3.0, 0.5, 4, 0.1, 0.1, 200, 20000, "log:35", (1, 2)),
        ("linear", 200, 30, 10, 0.1, 2.0, 3.0, 0.5, 6, 0.1, 0.1, 200, 20000, "jitter:35", (1, 2)),
        ("linear", 200, 30, 10, 0.1, 2.0, 3.0, 0.5, 4, 0.5, 0.1, 200, 3000, "every", (1,)),
        ("relu", 200, 30, 10, 0.1, 2.0, 3.0, 0.5, 4, 0.1, 0.1, 200, 20000, "log:30", (1, 2)),
        ("linear", 200, 150, 10, 0.1, 2.0, 3.0, 0.5, 2, 0.1, 0.1, 200, 10000, "jitter:30", (1, 2)),
        ("relu", 200, 30, 10, 0.1, 2.0, 2.0, 0.5, 8, 0.1, 0.05, 200, 10000, "log:35", (1, 2)),
        ("linear", 200, 60, 10, 0.1, 2.0, 5.0, 0.5, 3, 0.1, 0.1, 200, 10000, "every:4", (1,)),
        ("linear", 300, 40, 10, 0.15, 2.0, 3.0, 0.7, 6, 0.1, 0.05, 300, 20000, "rand:400", (1,)),
        ("linear", 200, 30, 10, 0.1, 2.0, 3.0, 0.5, 4, 0.1, 0.02, 50, 1500, "every:2", (1,)),
        ("linear", 200, 30, 10, 0.1, 2.0, 0.3, 1.0, 4, 0.1, 0.1, 200, 20000, "log:35", (1, 2)),
        ("relu", 200, 30, 10, 0.2, 2.0, 3.0, 0.3, 16, 0.1, 0.1, 200, 5000, "jitter:40", (1,)),
    ]
    for i, (teacher, n, df, ds, s, F, S, noise, h, init, lr, batch, epochs, ev, seeds) in enumerate(grid):
        for seed in seeds:
            out.append(("c%02d-%s-w%d-n%d-df%d-s%g-S%g-noise%g-b%d/seed%d" % (i, teacher, h, n, df, s, S, noise, batch,
                                                                             seed),
                        dict(teacher=teacher, n=n, df=df, ds=ds, s=s, F=F, S=S, noise=noise, width=h, init=init, lr=lr, batch=batch,
                             epochs=epochs, eval=ev, seed=seed + 10 * i)))
    return two_layer_relu, out


# ---------------------------------------------------------------------------------------------------- schedules


def lr_factor(c, e, epochs):
    """The step's multiplier at epoch e: 'const', 'cosine' (annealed to 0 at the last epoch), 'restarts' (cosine
    annealing restarted every c['period'] epochs, the period times c['mult'] after each restart), 'warmup' (linear
    warm-up over c['warm'] epochs, then linear decay to 0 at the last epoch), 'inv-sqrt' (warm-up, then
    sqrt(warm / e))."""
    kind = c["sched"]
    if kind == "const":
        return 1.0
    if kind == "cosine":
        return 0.5 * (1 + math.cos(math.pi * e / epochs))
    if kind == "restarts":
        p, start = c["period"], 0
        while e >= start + p:
            start += p
            p *= c["mult"]
        return 0.5 * (1 + math.cos(math.pi * (e - start) / p))
    warm = c["warm"]
    if e < warm:
        return (e + 1) / warm
    if kind == "warmup":
        return max(0.0, (epochs - e) / (epochs - warm))
    return math.sqrt(warm / (e + 1))  # inv-sqrt


def schedules(w, run_id, c):
    """Linear regression on inputs with df features of scale 1 and ds of scale c['s'] (the target's fast part of
    power F, its slow part of power S at unit scale, label noise), the weights trained from zero with torch.optim
    under a learning-rate schedule: SGD with Nesterov momentum, AdamW (decoupled weight decay) or SGD with L2
    weight decay, full batch or minibatches; the step set each epoch by lr_factor."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(7_000 + c["seed"])
    n, df, ds = c["n"], c["df"], c["ds"]
    d = df + ds
    x, y, xt, yt = two_scale_regression(g, c)
    wgt = torch.zeros(d, requires_grad=True)
    if c["opt"] == "adamw":
        opt = torch.optim.AdamW([wgt], lr=c["lr"], weight_decay=c["wd"])
    else:
        opt = torch.optim.SGD([wgt], lr=c["lr"], momentum=c["momentum"], nesterov=c["opt"] == "nesterov",
                              weight_decay=c["wd"])
    run = w.run(run_id, d, n, {"family": "linear", "fast_features": df, "slow_features": ds},
                settings(c, ("seed", "s", "F", "S", "noise", "opt", "lr", "momentum", "wd", "batch", "sched",
                             "period", "mult", "warm", "eval")) | {"optimizer": c["opt"], "loss": "mse"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    b = c["batch"]
    e = 0
    for p in pts:
        while e < p:
            for group in opt.param_groups:
                group["lr"] = c["lr"] * lr_factor(c, e, c["epochs"])
            idx = torch.randperm(n, generator=g) if b < n else None
            for i in range(0, n, b):
                xb, yb = (x, y) if idx is None else (x[idx[i:i + b]], y[idx[i:i + b]])
                opt.zero_grad()
                ((xb @ wgt - yb) ** 2).mean().backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, ((x @ wgt - y) ** 2).mean(), ((xt @ wgt - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_schedules():
    out = []
    # (n, df, ds, s, F, S, noise, opt, lr, momentum, wd, batch, sched, extra, epochs, eval, seeds)
    grid = [
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, "nesterov", 0.02, 0.9, 0.0, 200, "cosine", {}, 5000, "log:35", (1, 2)),
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, "nesterov", 0.02, 0.9, 0.05, 200, "cosine", {}, 5000, "jitter:35", (1,)),
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, "adamw", 0.01, 0.0, 0.0, 200, "const", {}, 5000, "log:35", (1, 2)),
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, "adamw", 0.01, 0.0, 1.0, 200, "const", {}, 3000, "every", (1,)),
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, "adamw", 0.01, 0.0, 0.1, 200, "warmup", {"warm": 100}, 5000, "jitter:30",
         (1, 2)),
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, "nesterov", 0.02, 0.9, 0.0, 200, "restarts", {"period": 300, "mult": 2},
         9300, "log:40", (1, 2)),
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, "sgd", 0.01, 0.5, 0.0, 20, "inv-sqrt", {"warm": 50}, 2000, "every:2",
         (1,)),
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, "sgd", 0.05, 0.0, 0.2, 200, "const", {}, 5000, "log:35", (1,)),
        (300, 240, 30, 0.05, 2.0, 4.0, 0.7, "adamw", 0.005, 0.0, 0.01, 300, "cosine", {}, 20000, "rand:500", (1,)),
        (200, 170, 20, 0.1, 3.0, 0.5, 1.0, "nesterov", 0.02, 0.9, 0.0, 200, "warmup", {"warm": 50}, 5000,
         "jitter:35", (1, 2)),
        (200, 60, 20, 0.1, 3.0, 3.0, 0.5, "nesterov", 0.02, 0.9, 0.0, 200, "cosine", {}, 5000, "log:35", (1,)),
        (250, 200, 25, 0.1, 3.0, 3.0, 0.5, "adamw", 0.003, 0.0, 0.3, 25, "restarts", {"period": 100, "mult": 1},
         1500, "every:3", (1,)),
        (200, 150, 20, 0.1, 3.0, 3.0, 0.5, "adamw", 0.01, 0.0, 0.3, 200, "cosine", {}, 5000, "log:35", (1,)),
    ]
    for i, (n, df, ds, s, F, S, noise, opt, lr, mom, wd, b, sch, extra, epochs, ev, seeds) in enumerate(grid):
        for seed in seeds:
            out.append(("c%02d-%s-%s-lr%g-wd%g-b%d-n%d-s%g-S%g/seed%d" % (i, opt, sch, lr, wd, b, n, s, S, seed),
                        dict(n=n, df=df, ds=ds, s=s, F=F, S=S, noise=noise, opt=opt, lr=lr, momentum=mom, wd=wd,
                             batch=b, sched=sch, epochs=epochs, eval=ev, seed=seed + 10 * i) | extra))
    return schedules, out


# ---------------------------------------------------------------------------------------------------- legendre-poly


def poly_features(x, D, basis):
    """Orthonormal polynomials of degree 0..D-1: Legendre sqrt(2k+1) P_k(x) (unit second moment under the uniform
    law on [-1, 1]) or Chebyshev sqrt(2) T_k(x) = sqrt(2) cos(k arccos x) (under the arcsine law), T_0 = 1."""
    if basis == "chebyshev":
        k = torch.arange(D)
        f = torch.cos(torch.arccos(x.clamp(-1, 1)).unsqueeze(1) * k) * math.sqrt(2)
        f[:, 0] = 1
        return f
    p = [torch.ones_like(x), x]
    for k in range(1, D - 1):
        p.append(((2 * k + 1) * x * p[k] - k * p[k - 1]) / (k + 1))
    return torch.stack(p[:D], 1) * torch.sqrt(2 * torch.arange(D) + 1.0)


def legendre_poly(w, run_id, c):
    """1-D polynomial regression: D orthonormal Legendre or Chebyshev features of x in [-1, 1], feature k scaled by
    (1 + k)^-alpha (a decaying, multi-scale spectrum), times c['s'] from degree K1 on (a second, slower band; K1 = 0:
    no band). The target: low * sin(2x) + amp * (a degree-hi polynomial of the basis, or sin(omega x)), plus label
    noise. n training points at Chebyshev nodes cos(pi (j + 1/2) / n) ('nodes') or drawn at random ('random', from
    the arcsine law for Chebyshev, uniform for Legendre); test loss = squared error on 2,000 fresh points drawn the
    same random way (noise included). Linear readout from zero, full-batch gradient descent (step lr over the
    largest eigenvalue of the features' Gram matrix) on the mean squared error, the Huber loss (delta) or the
    absolute error (delta times its subgradient)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(8_000 + c["seed"])
    n, D, hi = c["n"], c["D"], c["hi"]
    scale = (1.0 + torch.arange(D)) ** (-c["alpha"])
    if c["K1"]:
        scale[c["K1"]:] *= c["s"]

    def data(m, nodes):
        u = (torch.arange(m) + 0.5) / m if nodes else torch.rand(m, generator=g)
        x = torch.cos(math.pi * u) if nodes or c["basis"] == "chebyshev" else 2 * u - 1
        f = poly_features(x, max(D, hi + 1), c["basis"])
        target = c["low"] * torch.sin(2 * x) + c["amp"] * (torch.sin(c["omega"] * x) if c["omega"] else f[:, hi])
        return f[:, :D] * scale, target + c["noise"] * torch.randn(m, generator=g)

    phi, y = data(n, c["design"] == "nodes")
    phit, yt = data(2000, False)
    lr = c["lr"] / torch.linalg.eigvalsh(phi.T @ phi / n)[-1].item()
    a = torch.zeros(D)
    delta = c.get("delta", 1.0)

    def loss(f, t):
        r = f @ a - t
        if c["loss"] == "huber":
            return torch.where(r.abs() <= delta, 0.5 * r ** 2, delta * (r.abs() - 0.5 * delta)).mean()
        if c["loss"] == "l1":
            return r.abs().mean()
        return (r ** 2).mean()

    run = w.run(run_id, D, n, {"family": "polynomial", "basis": c["basis"], "degree": D - 1},
                settings(c, ("seed", "basis", "design", "alpha", "K1", "s", "hi", "omega", "amp", "low", "noise",
                             "loss", "delta", "lr", "eval")) | {"optimizer": "gd"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            r = phi @ a - y
            if c["loss"] == "huber":
                r = r.clamp(-delta, delta)
            elif c["loss"] == "l1":
                r = delta * torch.sign(r)
            a -= lr * (phi.T @ r) / n
            e += 1
        run.log(e, loss(phi, y), loss(phit, yt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_legendre_poly():
    out = []
    # (basis, design, n, D, alpha, K1, s, hi, omega, amp, low, noise, loss, delta, lr, epochs, eval, seeds)
    grid = [
        ("chebyshev", "nodes", 100, 70, 0.3, 60, 0.2, 65, 0, 1.0, 2.0, 1.0, "mse", 1.0, 0.9, 20000, "log:35", (1, 2)),
        ("chebyshev", "nodes", 100, 80, 0.3, 70, 0.2, 75, 0, 1.0, 2.0, 1.0, "mse", 1.0, 0.9, 20000, "jitter:35", (1, 2)),
        ("chebyshev", "nodes", 100, 70, 0.3, 60, 0.2, 65, 0, 1.0, 2.0, 1.0, "huber", 0.5, 0.9, 20000, "log:30", (1,)),
        ("legendre", "nodes", 100, 70, 0.3, 60, 0.2, 65, 0, 1.0, 2.0, 1.0, "mse", 1.0, 0.9, 20000, "jitter:30", (1,)),
        ("chebyshev", "nodes", 100, 90, 0.5, 60, 0.3, 70, 0, 1.0, 2.0, 1.0, "mse", 1.0, 0.9, 50000, "log:35", (1,)),
        ("chebyshev", "nodes", 100, 70, 0.3, 60, 0.2, 65, 0, 1.0, 2.0, 1.0, "l1", 0.5, 0.9, 6000, "every:3", (1,)),
        ("chebyshev", "nodes", 100, 90, 0.3, 60, 0.2, 0, 55, 1.0, 2.0, 0.7, "mse", 1.0, 0.9, 3000, "every", (1,)),
        ("legendre", "random", 40, 60, 1.0, 0, 1.0, 0, 0, 0.0, 1.0, 0.3, "mse", 1.0, 0.9, 20000, "log:35", (1, 2)),
        ("legendre", "random", 40, 60, 1.0, 0, 1.0, 0, 0, 0.0, 1.0, 0.3, "huber", 0.3, 0.9, 20000, "jitter:35", (1,)),
        ("legendre", "random", 40, 60, 0.5, 0, 1.0, 0, 0, 0.0, 1.0, 0.3, "l1", 0.3, 0.9, 5000, "every:2", (1,)),
        ("legendre", "random", 40, 100, 1.0, 0, 1.0, 0, 0, 0.0, 1.0, 0.3, "mse", 1.0, 0.9, 20000, "rand:300", (1,)),
        ("chebyshev", "nodes", 200, 80, 1.0, 0, 1.0, 60, 0, 1.0, 2.0, 1.0, "mse", 1.0, 0.9, 50000, "log:35", (1, 2)),
        ("chebyshev", "random", 100, 90, 0.3, 60, 0.2, 70, 0, 1.0, 2.0, 1.0, "mse", 1.0, 0.9, 20000, "log:35", (1, 2)),
        ("chebyshev", "nodes", 200, 250, 1.0, 0, 1.0, 60, 0, 1.0, 2.0, 1.0, "mse", 1.0, 0.9, 50000, "jitter:30", (1,)),
        ("legendre", "random", 40, 60, 1.5, 0, 1.0, 0, 0, 0.0, 1.0, 0.1, "mse", 1.0, 0.9, 20000, "log:35", (1,)),
    ]
    for i, (basis, design, n, D, alpha, K1, s, hi, om, amp, low, noise, loss, delta, lr, epochs, ev, seeds) \
            in enumerate(grid):
        for seed in seeds:
            out.append(("c%02d-%s-%s-n%d-D%d-alpha%g-K%d-s%g-%s/seed%d" % (i, basis, design, n, D, alpha, K1, s,
                                                                           loss, seed),
                        dict(basis=basis, design=design, n=n, D=D, alpha=alpha, K1=K1, s=s, hi=hi, omega=om, amp=amp,
                             low=low, noise=noise, loss=loss, delta=delta, lr=lr, epochs=epochs, eval=ev,
                             seed=seed + 10 * i)))
    return legendre_poly, out


FAMILIES = {"kernel-gd": runs_kernel_gd, "two-layer-relu": runs_two_layer_relu, "schedules": runs_schedules,
            "legendre-poly": runs_legendre_poly}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
