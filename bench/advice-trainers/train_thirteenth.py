#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, thirteenth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, bench/src/main/java or bench/src/test,
neither docs/benchmarks.md, the main README nor any *HeldOut*, *Stopping* or *Advice* file was read; no stopping
benchmark, no Java and not the descentwatch launcher was run; the runs were sorted by census.py alone), and made to
differ from the forty-one families of train.py ... train_eleventh.py in model, loss, optimizer, noise and evaluation:
a two-layer ReLU network trained by sharpness-aware minimisation (SAM: every step's gradient taken at weights moved
up the gradient by a radius rho; adaptive SAM, whose move is scaled by each weight's size; full batch or per
minibatch, under heavy ball or plain gradient descent); a linear support vector machine, the hinge loss plus an L2
penalty, on random Fourier features of an RBF kernel next to raw inputs at a small scale, trained by Pegasos (step
1/(lambda t), projection on the ball of radius 1/sqrt(lambda)) or Bottou's SVM-SGD (step eta0 / (1 + lambda eta0 t)),
on synthetic data and on scikit-learn's breast cancer, wine and digits (3 against 8) with flipped training labels,
judged by the test hinge loss on clean labels; and a network pruned during training by gradual magnitude pruning
(Zhu and Gupta's cubic sparsity schedule, or one shot), layer by layer or globally, with the pruned weights held at
zero, on a sparse ReLU teacher's regression or on scikit-learn's digits with flipped labels. The file format,
determinism and helpers are the earlier files': Writer, the command line, two-scale inputs and the digits from
train.py, epochs_of, settings and lr_factor from train_more.py, label_noise from train_fourth.py, rotation from
train_sixth.py and dict_runs from train_seventh.py; one thread, every random draw from a seeded torch.Generator,
synthetic event times, 6 significant digits.

    /usr/bin/python3 train_thirteenth.py --family sam-relu [--list] [--runs 0,3] [--out FILE]

Families (see README.md): sam-relu, pegasos-hinge, prune-magnitude. Evaluation spacings: train.py's 'every',
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
from train_fourth import label_noise  # noqa: E402
from train_sixth import rotation  # noqa: E402
from train_seventh import dict_runs  # noqa: E402

torch.set_num_threads(1)

RELU_MEAN, RELU_STD = 1 / math.sqrt(2 * math.pi), math.sqrt(0.5 - 1 / (2 * math.pi))  # of relu(z), z standard normal


# ---------------------------------------------------------------------------------------------------- sam-relu


def sam_relu(w, run_id, c):
    """A two-layer ReLU network trained by sharpness-aware minimisation. Inputs: train.py's two-scale Gaussians (df
    features of scale 1, ds of scale c['s']), turned by a random rotation in 'rot' runs. Target: a fast linear part of
    power F over the fast features, plus a slow part of power S at unit scale along one direction u of the slow
    features, linear ('linear') or a standardised ReLU of it ('relu'), plus label noise of std c['noise'] (Gaussian, or
    Student-t with c['dof'] degrees of freedom). Model: f(x) = a . relu(x W + b) / sqrt(h) + a0, W from c['init'] /
    sqrt(d) times standard normals, b from 0.5 times them, a standard normal, a0 zero. Every step (full batch, or each
    minibatch of c['batch'] reshuffled every epoch, so the perturbation is the minibatch's: m-sharpness) takes the
    gradient g of the mean squared error, moves the weights to w + e, 'sam' e = rho g / |g| (Foret et al.), 'asam' e =
    rho T^2 g / |T g| with T = |w| + 0.01 elementwise (Kwon et al.'s adaptive SAM), takes the gradient there, moves
    back and hands that gradient to the base optimizer: heavy ball (momentum c['mom']) or plain gradient descent,
    under train_more.py's schedules; rho 0 is the base optimizer alone. Autograd, float64. Train loss: the squared
    error on the training points at the unperturbed weights; test loss: on 2,000 fresh points, noise included."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(43_000 + c["seed"])
    n, df, ds, s, h = c["n"], c["df"], c["ds"], c["s"], c["h"]
    d = df + ds
    bf = torch.randn(df, generator=g)
    bf *= math.sqrt(c["F"]) / bf.norm()
    u = torch.randn(ds, generator=g)
    u /= u.norm()
    Q = rotation(g, d) if c.get("rot") else None

    def data(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        z = x[:, df:] @ u / s
        slow = z if c["slow"] == "linear" else (torch.relu(z) - RELU_MEAN) / RELU_STD
        y = x[:, :df] @ bf + math.sqrt(c["S"]) * slow + c["noise"] * label_noise(g, m, c.get("dof") or 0)
        return (x @ Q if Q is not None else x), y

    x, y = data(n)
    xt, yt = data(2000)
    W = (torch.randn(d, h, generator=g) * c["init"] / math.sqrt(d)).requires_grad_()
    b = (torch.randn(h, generator=g) * 0.5).requires_grad_()
    a = torch.randn(h, generator=g).requires_grad_()
    a0 = torch.zeros(1, requires_grad=True)
    params = [W, b, a, a0]

    def mse(u_, y_):
        return ((torch.relu(u_ @ W + b) @ a / math.sqrt(h) + a0 - y_) ** 2).mean()

    opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0)
    rho, kind = c["rho"], c["sam"]
    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "two-layer-relu", "width": h, "input_dim": d, "sharpness_aware": kind},
                settings(c, ("seed", "n", "df", "ds", "s", "F", "S", "slow", "noise", "dof", "rot", "h", "init", "sam",
                             "rho", "lr", "mom", "batch", "sched", "eval"))
                | {"optimizer": ("%s+" % kind if rho > 0 else "") + ("heavy-ball" if c.get("mom") else "gd"),
                   "loss": "mse"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch") or n
    e = 0
    for p in pts:
        while e < p:
            for group in opt.param_groups:
                group["lr"] = c["lr"] * lr_factor(c, e, c["epochs"])
            idx = torch.randperm(n, generator=g) if bsz < n else None
            for j in range(0, n, bsz):
                xb, yb = (x, y) if idx is None else (x[idx[j:j + bsz]], y[idx[j:j + bsz]])
                grads = torch.autograd.grad(mse(xb, yb), params)
                if rho > 0:
                    with torch.no_grad():
                        if kind == "asam":
                            t = [q.abs() + 0.01 for q in params]
                            norm = torch.sqrt(sum(((ti * gi) ** 2).sum() for ti, gi in zip(t, grads)))
                            eps = [rho * ti * ti * gi / (norm + 1e-12) for ti, gi in zip(t, grads)]
                        else:
                            norm = torch.sqrt(sum((gi ** 2).sum() for gi in grads))
                            eps = [rho * gi / (norm + 1e-12) for gi in grads]
                        for q, ei in zip(params, eps):
                            q.add_(ei)
                    grads = torch.autograd.grad(mse(xb, yb), params)
                    with torch.no_grad():
                        for q, ei in zip(params, eps):
                            q.sub_(ei)
                for q, gi in zip(params, grads):
                    q.grad = gi
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, mse(x, y), mse(xt, yt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_sam_relu():
    base = dict(n=300, df=30, ds=10, s=0.1, F=1.0, S=6.0, slow="linear", noise=1.0, dof=None, rot=1, h=8, init=1.0,
                sam="sam", rho=0.05, lr=0.05, mom=0.9, batch=None, sched="const", epochs=3000, eval="log:30")
    return sam_relu, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(rho=0.02, eval="every:2"),
        dict(rho=0.1, eval="jitter:30"),
        dict(rho=0.2, eval="every:3"),
        dict(rho=0.5, eval="log:35"),
        dict(sam="asam", rho=0.5, eval="rand:300"),
        dict(sam="asam", rho=1.0, eval="every:4"),
        dict(batch=50, lr=0.01, eval="every:5"),
        dict(mom=None, lr=0.3, eval="log:30"),
        dict(rho=0.0, eval="jitter:35"),
        dict(h=16, eval="log:30"),
        dict(df=60, eval="every:2"),
        dict(S=2.0, eval="every:10"),
        dict(s=0.05, epochs=5000, eval="log:40"),
        dict(slow="relu", eval="every"),
        dict(dof=3, eval="jitter:30"),
        dict(rot=None, eval="every:3"),
        dict(sched="cosine", eval="log:30"),
    ], lambda d: "%s%g-%s-h%d-n%d-df%d-s%g-S%g" % (
        d["sam"], d["rho"], "hb" if d.get("mom") else "gd", d["h"], d["n"], d["df"], d["s"], d["S"]))


# ---------------------------------------------------------------------------------------------------- pegasos-hinge


def real_binary(g, name, n):
    """scikit-learn's data as a binary task with labels +-1, split at random (g) into n training points and the rest:
    'cancer' (breast cancer, malignant against benign), 'wine' (class 0 against the others), 'digits38' (the 8x8
    digits 3 against 8). Inputs standardised on the training points (constant columns left at zero)."""
    from sklearn.datasets import load_breast_cancer, load_digits, load_wine
    if name == "cancer":
        xs, ys = load_breast_cancer(return_X_y=True)
        ys = ys == 1
    elif name == "wine":
        xs, ys = load_wine(return_X_y=True)
        ys = ys == 0
    else:
        xs, ys = load_digits(return_X_y=True)
        keep = (ys == 3) | (ys == 8)
        xs, ys = xs[keep], ys[keep] == 3
    x = torch.tensor(xs, dtype=torch.float64)
    y = torch.tensor(ys, dtype=torch.float64) * 2 - 1
    perm = torch.randperm(len(x), generator=g)
    tr, te = perm[:n], perm[n:]
    mu, sd = x[tr].mean(0), x[tr].std(0)
    sd = torch.where(sd > 1e-12, sd, torch.ones_like(sd))
    x = torch.where(x[tr].std(0) > 1e-12, (x - mu) / sd, torch.zeros_like(x))
    return x[tr], y[tr], x[te], y[te]


def pegasos_hinge(w, run_id, c):
    """A linear support vector machine on kernel features. Features: N random Fourier features of an RBF kernel,
    sqrt(2) cos(v . x / (bw sqrt(p)) + phase), v standard normal, the phase uniform (fast, scale 1), next to raw inputs
    times c['s'] (slow) and a constant 1. Synthetic data ('synth'): p = c['di'] Gaussian inputs seen by the kernel
    features and ds other Gaussian inputs seen raw; the label the sign of a teacher's score, a fast part of power F
    (a random readout of 50 random Fourier features of the kernel inputs, standardised) plus a slow part of power S
    along a random direction of the other inputs, plus logistic noise of scale c['T']; 2,000 test points. Real data
    (real_binary: breast cancer, wine, digits 3 against 8): the kernel features and the raw inputs both of all the
    standardised inputs, the other points the test set. A share c['flip'] of the training labels flipped; the test
    labels clean. Objective: the mean hinge loss max(0, 1 - y f) plus lam |w|^2 / 2 (the constant's weight too), w from
    zero; minibatches of c['batch'] reshuffled every epoch (the whole set: full-batch subgradient descent), each step
    w -= eta_t (lam w - mean over the batch's margin violators of y phi): 'svmsgd' eta_t = eta0 / (1 + lam eta0 t)
    (Bottou's SVM-SGD; lam 0 a constant step), 'pegasos' eta_t = 1 / (lam t) and then w projected on the ball of
    radius 1 / sqrt(lam) (Shalev-Shwartz et al.), t the step count from 1. Float64, the subgradient written out. Train
    loss: the mean hinge loss on the (flipped) training labels; test loss: the mean hinge loss on the clean test
    labels; error rates in the events."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(44_000 + c["seed"])
    data_name = c["data"]
    if data_name == "synth":
        di, ds = c["di"], c["ds"]
        vt = torch.randn(50, di, generator=g) / (c["bw"] * math.sqrt(di))
        pt = torch.rand(50, generator=g) * 2 * math.pi
        at = torch.randn(50, generator=g)
        us = torch.randn(ds, generator=g)
        us /= us.norm()

        def fast_teacher(z):
            return math.sqrt(2) * torch.cos(z @ vt.T + pt) @ at

        ref = fast_teacher(torch.randn(20_000, di, generator=g))
        mu_t, sd_t = ref.mean(), ref.std()

        def draw(m):
            z = torch.randn(m, di + ds, generator=g)
            score = (math.sqrt(c["F"]) * (fast_teacher(z[:, :di]) - mu_t) / sd_t
                     + math.sqrt(c["S"]) * z[:, di:] @ us)
            u_ = torch.rand(m, generator=g).clamp(1e-12, 1 - 1e-12)
            return z, torch.sign(score + c["T"] * torch.log(u_ / (1 - u_)) + 1e-300)

        x, y = draw(c["n"])
        xt, yt = draw(2000)
        kin, raw = slice(0, di), slice(di, di + ds)
    else:
        x, y, xt, yt = real_binary(g, data_name, c["n"])
        kin = raw = slice(0, x.shape[1])
    n = len(x)
    p = x[:, kin].shape[1]
    N = c["N"]
    v = torch.randn(N, p, generator=g) / (c["bw"] * math.sqrt(p))
    ph = torch.rand(N, generator=g) * 2 * math.pi

    def features(z):
        return torch.cat([math.sqrt(2) * torch.cos(z[:, kin] @ v.T + ph), c["s"] * z[:, raw],
                          torch.ones(len(z), 1)], 1)

    y = torch.where(torch.rand(n, generator=g) < c["flip"], -y, y)
    phi, phit = features(x), features(xt)
    D = phi.shape[1]
    wv = torch.zeros(D)
    lam, eta0, kind = c["lam"], c.get("eta0"), c["opt"]
    bsz = c.get("batch") or n
    run = w.run(run_id, D, n, {"family": "linear-svm", "kernel": "rbf-random-fourier", "width": N,
                               "raw_inputs": D - N - 1, "solver": kind},
                settings(c, ("seed", "data", "n", "N", "di", "ds", "bw", "s", "F", "S", "T", "flip", "opt", "lam",
                             "eta0", "batch", "eval"))
                | {"optimizer": kind, "loss": "hinge+l2"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])

    def hinge(f, t):
        return torch.clamp(1 - t * f, min=0).mean()

    step = 0
    e = 0
    for pt_ in pts:
        while e < pt_:
            idx = torch.randperm(n, generator=g) if bsz < n else torch.arange(n)
            for j in range(0, n, bsz):
                bi = idx[j:j + bsz]
                pb, yb = phi[bi], y[bi]
                step += 1
                viol = (yb * (pb @ wv) < 1).double()
                sub = (viol * yb) @ pb / len(bi)
                if kind == "pegasos":
                    eta = 1.0 / (lam * step)
                    wv = (1 - eta * lam) * wv + eta * sub
                    norm = wv.norm().item()
                    if norm > 1 / math.sqrt(lam):
                        wv = wv / (norm * math.sqrt(lam))
                else:
                    eta = eta0 / (1 + lam * eta0 * step)
                    wv = wv - eta * (lam * wv - sub)
            e += 1
        f, ft = phi @ wv, phit @ wv
        run.log(e, hinge(f, y), hinge(ft, yt), (torch.sign(f) != y).double().mean(),
                (torch.sign(ft) != yt).double().mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_pegasos_hinge():
    base = dict(data="synth", n=300, N=80, di=10, ds=20, bw=1.0, s=0.1, F=4.0, S=9.0, T=0.3, flip=0.15,
                opt="svmsgd", lam=1e-4, eta0=0.05, batch=20, epochs=3000, eval="log:30")
    real = dict(di=None, ds=None, F=None, S=None, T=None)
    return pegasos_hinge, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(lam=1e-3, eval="every:2"),
        dict(lam=1e-2, eval="jitter:30"),
        dict(lam=0.0, eval="every:3"),
        dict(opt="pegasos", lam=1e-3, eta0=None, eval="log:35"),
        dict(opt="pegasos", lam=1e-4, eta0=None, eval="rand:300"),
        dict(N=150, eval="every:4"),
        dict(N=40, eval="jitter:35"),
        dict(S=3.0, eval="every:5"),
        dict(s=0.05, epochs=6000, eval="log:40"),
        dict(flip=0.3, eval="every:10"),
        dict(batch=5, eta0=0.02, epochs=2000, eval="every"),
        dict(batch=None, eta0=0.05, eval="log:30"),
        dict(real, data="cancer", n=300, N=80, seeds=(1, 2), eval="every:2"),
        dict(real, data="wine", n=110, N=30, eval="jitter:30"),
        dict(real, data="digits38", n=200, N=60, eval="log:30"),
        dict(real, data="digits38", n=200, N=60, s=0.3, eval="every:5"),
    ], lambda d: "%s-%s-lam%g-n%d-N%d-s%g%s-flip%g" % (
        d["data"], d["opt"], d["lam"], d["n"], d["N"], d["s"], "-S%g" % d["S"] if d.get("S") else "", d["flip"]))


# ---------------------------------------------------------------------------------------------------- prune-magnitude


def sparsity_at(c, e):
    """The target sparsity of the pruned weights at the start of epoch e: 0 before c['t0']; 'cubic' Zhu and Gupta's
    s_f (1 - (1 - (e - t0) / (t1 - t0))^3) up to c['t1'] and s_f after; 'oneshot' s_f from t0 on."""
    if c["prune"] == "none" or e < c["t0"]:
        return 0.0
    if c["prune"] == "oneshot" or e >= c["t1"]:
        return c["sf"]
    return c["sf"] * (1 - (1 - (e - c["t0"]) / (c["t1"] - c["t0"])) ** 3)


def prune_magnitude(w, run_id, c):
    """A one-hidden-layer ReLU network pruned during training by magnitude. Synthetic data ('synth'): d Gaussian
    inputs, the target a sparse ReLU teacher, kt units each reading r random inputs (unit weight vectors on them; r = d
    a dense teacher) under a random readout, standardised to power F, plus Gaussian label noise of std c['noise'];
    2,000 test points, noise included; the network f(x) = relu(x W1 + b1) W2 + b2 of width h, the squared error.
    Digits ('digits'): train.py's 8x8 digits, n training images with a share c['noise'] of their labels replaced by
    another class, the other images (clean) the test set; 64 inputs, 10 logits, the cross-entropy, error rates in the
    events. W1 and W2 from standard normals over the root of their fan-in, b1 and b2 zero. The weight matrices (not
    the biases) are pruned by magnitude every c['every'] epochs from epoch c['t0'] to c['t1'] to sparsity_at's target,
    each matrix to the same sparsity ('layer') or both by one threshold ('global'); a pruned weight stays zero (its
    gradient and its optimizer state masked, the weight re-masked after every step). Full-batch heavy ball (momentum
    c['mom']), minibatch SGD with momentum (batches c['batch'] reshuffled every epoch) or Adam; autograd, float64.
    Train loss: the loss on the training targets (noisy); test loss: on the test points."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(45_000 + c["seed"])
    if c["data"] == "synth":
        d, kt, r = c["d"], c["kt"], c["r"]
        V = torch.zeros(kt, d)
        for k in range(kt):
            idx = torch.randperm(d, generator=g)[:r]
            V[k, idx] = torch.randn(r, generator=g)
            V[k] /= V[k].norm()
        ct = torch.randn(kt, generator=g)
        ref = torch.relu(torch.randn(20_000, d, generator=g) @ V.T) @ ct
        mu_t, sd_t = ref.mean(), ref.std()

        def draw(m):
            z = torch.randn(m, d, generator=g)
            return z, math.sqrt(c["F"]) * (torch.relu(z @ V.T) @ ct - mu_t) / sd_t + c["noise"] * torch.randn(
                m, generator=g)

        x, y = draw(c["n"])
        xt, yt = draw(2000)
        out = 1
    else:
        x, y, xt, yt = train.digits(c["seed"], c["n"], c["noise"])
        x, xt = x.double(), xt.double()
        d, out = 64, 10
    n, h = len(x), c["h"]
    W1 = (torch.randn(d, h, generator=g) / math.sqrt(d)).requires_grad_()
    b1 = torch.zeros(h, requires_grad=True)
    W2 = (torch.randn(h, out, generator=g) / math.sqrt(h)).requires_grad_()
    b2 = torch.zeros(out, requires_grad=True)
    params, mats = [W1, b1, W2, b2], [W1, W2]
    masks = [torch.ones_like(W1), torch.ones_like(W2)]
    classify = out > 1

    def forward(z):
        f = torch.relu(z @ W1 + b1) @ W2 + b2
        return f if classify else f.squeeze(1)

    def loss_of(f, t):
        return torch.nn.functional.cross_entropy(f, t) if classify else ((f - t) ** 2).mean()

    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0)

    def prune(target):
        with torch.no_grad():
            if c["scope"] == "global":
                mags = torch.cat([m.abs().flatten() for m in mats])
                k = int(round(target * len(mags)))
                if k == 0:
                    return
                thr = torch.sort(mags, stable=True).values[k - 1]
                for i, m in enumerate(mats):
                    masks[i] = (m.abs() > thr).double() * masks[i]
            else:
                for i, m in enumerate(mats):
                    k = int(round(target * m.numel()))
                    if k == 0:
                        continue
                    order = torch.sort(m.abs().flatten(), stable=True).indices
                    keep = torch.ones(m.numel())
                    keep[order[:k]] = 0.0
                    masks[i] = keep.view_as(m) * masks[i]
            for m, mk in zip(mats, masks):
                m.mul_(mk)
                for buf in opt.state.get(m, {}).values():
                    if torch.is_tensor(buf) and buf.shape == m.shape:
                        buf.mul_(mk)

    run = w.run(run_id, sum(q.numel() for q in params), n,
                {"family": "pruned-mlp", "width": h, "input_dim": d, "pruning": c["prune"],
                 "scope": c.get("scope") or "none", "final_sparsity": c.get("sf") or 0},
                settings(c, ("seed", "data", "n", "d", "kt", "r", "F", "noise", "h", "prune", "scope", "sf", "t0", "t1",
                             "every", "opt", "lr", "mom", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy" if classify else "mse"},
                output_dim=out)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch") or n
    e = 0
    for p in pts:
        while e < p:
            if c["prune"] != "none" and c["t0"] <= e <= c["t1"] and (
                    (e - c["t0"]) % c["every"] == 0 or e == c["t1"]):
                prune(sparsity_at(c, e))
            idx = torch.randperm(n, generator=g) if bsz < n else None
            for j in range(0, n, bsz):
                xb, yb = (x, y) if idx is None else (x[idx[j:j + bsz]], y[idx[j:j + bsz]])
                opt.zero_grad()
                loss_of(forward(xb), yb).backward()
                with torch.no_grad():
                    for m, mk in zip(mats, masks):
                        m.grad.mul_(mk)
                opt.step()
                with torch.no_grad():
                    for m, mk in zip(mats, masks):
                        m.mul_(mk)
            e += 1
        with torch.no_grad():
            f, ft = forward(x), forward(xt)
            if classify:
                run.log(e, loss_of(f, y), loss_of(ft, yt), (f.argmax(1) != y).double().mean(),
                        (ft.argmax(1) != yt).double().mean(), final=e == pts[-1])
            else:
                run.log(e, loss_of(f, y), loss_of(ft, yt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_prune_magnitude():
    base = dict(data="synth", n=300, d=20, kt=4, r=3, F=2.0, noise=1.0, h=64, prune="cubic", scope="layer", sf=0.9,
                t0=500, t1=2000, every=25, opt="sgd", lr=0.01, mom=0.9, batch=None, epochs=3000, eval="log:30")
    digits = dict(data="digits", n=500, d=None, kt=None, r=None, F=None, noise=0.2, h=128, t0=50, t1=300, every=10,
                  lr=0.05, batch=50, epochs=500)
    return prune_magnitude, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(sf=0.5, eval="every:2"),
        dict(sf=0.8, eval="jitter:30"),
        dict(sf=0.95, eval="every:3"),
        dict(sf=0.98, eval="log:35"),
        dict(prune="oneshot", t0=1000, t1=1000, eval="rand:300"),
        dict(prune="oneshot", sf=0.8, t0=300, t1=300, eval="every:4"),
        dict(t0=100, t1=1000, eval="every:5"),
        dict(t0=1000, t1=2500, eval="jitter:35"),
        dict(scope="global", eval="log:30"),
        dict(r=20, eval="every:2"),
        dict(noise=0.5, eval="log:40"),
        dict(h=128, eval="every:10"),
        dict(n=600, eval="every"),
        dict(opt="adam", lr=0.003, mom=None, eval="jitter:30"),
        dict(prune="none", scope=None, sf=None, t0=None, t1=None, every=None, eval="log:30"),
        dict(digits, eval="log:30"),
        dict(digits, sf=0.97, eval="every:2"),
        dict(digits, noise=0.4, scope="global", eval="jitter:30"),
    ], lambda d: "%s-%s%s-h%d-n%d-noise%g" % (
        d["data"], d["prune"], "-%s-sf%g-t%d-%d" % (d["scope"], d["sf"], d["t0"], d["t1"]) if d.get("sf") else "",
        d["h"], d["n"], d["noise"]))


FAMILIES = {"sam-relu": runs_sam_relu, "pegasos-hinge": runs_pegasos_hinge, "prune-magnitude": runs_prune_magnitude}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
