#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, tenth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, bench/src/main/java or bench/src/test, neither
docs/benchmarks.md, the main README nor any *HeldOut*, *Stopping* or *Advice* file was read; no stopping benchmark,
no Java and not the descentwatch launcher was run; the runs were sorted by census.py alone), and made to differ from
the thirty-five families of train.py ... train_ninth.py in model, loss, optimizer, noise and evaluation: an ordinal
regression, a linear score with learned ordered thresholds under a cumulative-link (ordered logit or probit) loss on
binned targets, trained by Rprop, Adamax, NAdam, RAdam and plain gradient descent, with labels moved to a neighbouring
class as noise (synthetic latents and scikit-learn's diabetes progression cut into quantile classes); multitask
learning, a shared trunk (linear of low rank, tanh or ReLU) under several heads, regression targets of different noise
levels and a classification head on flipped labels, the loss a weighted sum of the heads' losses; and kernel
regression on Nystroem features of an RBF kernel on two-scale inputs, solved iteratively, one iteration an epoch, by
conjugate gradient on the normal equations (CGLS), the Chebyshev semi-iterative method, or Landweber (Richardson)
iteration under no, a Jacobi or an EigenPro preconditioner. The file format, determinism and helpers are the earlier
files': Writer, the command line and two-scale inputs from train.py, epochs_of, settings and lr_factor from
train_more.py, label_noise from train_fourth.py, rotation from train_sixth.py and dict_runs from train_seventh.py; one
thread, every random draw from a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_tenth.py --family ordinal-logit [--list] [--runs 0,3] [--out FILE]

Families (see README.md): ordinal-logit, multitask-trunk, cg-nystroem. Evaluation spacings: train.py's 'every',
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


def make_opt(c, params):
    """The optimizers of this round: Rprop, Adamax, NAdam, RAdam, or plain / heavy-ball gradient descent."""
    o = c["opt"]
    if o == "rprop":
        return torch.optim.Rprop(params, lr=c["lr"], step_sizes=(1e-6, c.get("max_step") or 1.0))
    if o == "adamax":
        return torch.optim.Adamax(params, lr=c["lr"])
    if o == "nadam":
        return torch.optim.NAdam(params, lr=c["lr"])
    if o == "radam":
        return torch.optim.RAdam(params, lr=c["lr"])
    return torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0)


def full_batch_loop(run, c, opt, loss_fn, evaluate):
    """Full-batch steps under train_more.py's schedules; evaluate() -> (train loss, test loss) at the spacing's
    epochs."""
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            for group in opt.param_groups:
                group["lr"] = c["lr"] * lr_factor(c, e, c["epochs"])
            opt.zero_grad()
            loss_fn().backward()
            opt.step()
            e += 1
        with torch.no_grad():
            tr, te = evaluate()
        run.log(e, tr, te, final=e == pts[-1])


# ---------------------------------------------------------------------------------------------------- ordinal-logit


def ordinal_data(g, c):
    """(x, y, xt, yt, K): inputs and ordered class labels 0..K-1. 'synthetic': train.py's two-scale inputs (df
    features of scale 1, ds of scale c['s']), turned by a random rotation in 'rot' runs; a latent z = fast part (power
    F) + slow part (power S at unit scale) + logistic noise of scale c['temp'] (Student-t with c['dof'] degrees of
    freedom, times c['temp'], in 'dof' runs), cut into K classes of equal probability at the quantiles of 20,000 clean
    latents. 'diabetes': scikit-learn's 442 patients, the progression cut into K quantile classes; features N random
    tanh features tanh(v.x + b) of the standardised inputs (v Gaussian of std c['bw'] / sqrt(10), b uniform in [-1,
    1]), centred and standardised on the training points (fast, scale 1), next to the standardised inputs times c['s']
    (slow); n for training, the rest for testing. A share c['jump'] of the training labels is moved to a neighbouring
    class (up or down at random, kept inside 0..K-1); the test labels are not."""
    K = c["K"]
    if c["data"] == "diabetes":
        from sklearn.datasets import load_diabetes
        xs, ys = load_diabetes(return_X_y=True)
        xa = torch.tensor(xs, dtype=torch.float64)
        xa = (xa - xa.mean(0)) / xa.std(0)
        ya = torch.tensor(ys, dtype=torch.float64)
        cuts = torch.quantile(ya, torch.arange(1, K, dtype=torch.float64) / K)
        lab = torch.bucketize(ya, cuts)
        V = torch.randn(xa.shape[1], c["N"], generator=g) * c["bw"] / math.sqrt(xa.shape[1])
        bb = torch.rand(c["N"], generator=g) * 2 - 1
        rf = torch.tanh(xa @ V + bb)
        perm = torch.randperm(len(xa), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        rf = (rf - rf[tr].mean(0)) / rf[tr].std(0).clamp_min(1e-9)
        feats = torch.cat([rf, c["s"] * xa], 1)
        x, y, xt, yt = feats[tr], lab[tr].clone(), feats[te], lab[te]
    else:
        df, ds, s = c["df"], c["ds"], c["s"]
        bf = torch.randn(df, generator=g)
        bf *= math.sqrt(c["F"]) / bf.norm()
        bs = torch.randn(ds, generator=g)
        bs *= math.sqrt(c["S"]) / bs.norm() / s
        beta = torch.cat([bf, bs])
        Q = rotation(g, df + ds) if c.get("rot") else None

        def latent(m, noisy):
            xx = train.two_scale_inputs(g, m, df, ds, s)
            z = xx @ beta
            if noisy:
                if c.get("dof"):
                    z = z + c["temp"] * label_noise(g, m, c["dof"])
                else:
                    z = z + c["temp"] * torch.logit(torch.rand(m, generator=g).clamp(1e-12, 1 - 1e-12))
            return (xx @ Q if Q is not None else xx), z

        _, z0 = latent(20000, True)
        cuts = torch.quantile(z0, torch.arange(1, K, dtype=torch.float64) / K)
        x, z = latent(c["n"], True)
        xt, zt = latent(2000, True)
        y, yt = torch.bucketize(z, cuts), torch.bucketize(zt, cuts)
    jump = torch.rand(len(y), generator=g) < c["jump"]
    step = torch.where(torch.rand(len(y), generator=g) < 0.5, -1, 1)
    y = torch.where(jump, (y + step).clamp(0, K - 1), y)
    return x, y, xt, yt, K


def ordinal_logit(w, run_id, c):
    """Ordinal regression by a cumulative-link model: a linear score f(x) = x.w (from zero) and K-1 ordered thresholds
    t_1 < ... < t_{K-1} (t_1 free, the gaps exp(d_k), started at the logistic quantiles of equal classes), P(y <= k) =
    F(t_{k+1} - f(x)) with F the logistic (ordered logit) or normal (ordered probit, c['link']) CDF; the loss the mean
    negative log-likelihood of the observed class. Full-batch Rprop, Adamax, NAdam, RAdam or gradient descent (heavy
    ball with c['mom']) under train_more.py's schedules, autograd, float64. Train loss: the NLL on the (noisy)
    training labels; test loss: the NLL on the test points (ordinal_data)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(33_000 + c["seed"])
    x, y, xt, yt, K = ordinal_data(g, c)
    n, d = x.shape
    wv = torch.zeros(d, requires_grad=True)
    q = torch.logit(torch.arange(1, K, dtype=torch.float64) / K)
    t1 = q[:1].clone().requires_grad_()
    gaps = torch.log(q[1:] - q[:-1]).clone().requires_grad_()
    params = [wv, t1, gaps]
    probit = c.get("link") == "probit"

    def cdf(u):
        return 0.5 * torch.erfc(-u / math.sqrt(2)) if probit else torch.sigmoid(u)

    def nll(u, lab):
        f = u @ wv
        th = torch.cat([t1, t1 + torch.cumsum(torch.exp(gaps), 0)])
        big = torch.full((len(u), 1), 1e6)
        cum = cdf(torch.cat([-big, th.unsqueeze(0) - f.unsqueeze(1), big], 1))
        p = (cum[:, 1:] - cum[:, :-1]).gather(1, lab.unsqueeze(1)).squeeze(1)
        return -torch.log(p.clamp_min(1e-300)).mean()

    opt = make_opt(c, params)
    run = w.run(run_id, d + K - 1, n, {"family": "cumulative-link", "link": "probit" if probit else "logit",
                                       "classes": K, "input_dim": d, "data": c["data"]},
                settings(c, ("seed", "data", "df", "ds", "s", "rot", "N", "bw", "K", "F", "S", "temp", "dof", "jump",
                             "link", "opt", "lr", "mom", "max_step", "sched", "eval"))
                | {"optimizer": c["opt"], "loss": "ordinal-nll"})
    full_batch_loop(run, c, opt, lambda: nll(x, y), lambda: (nll(x, y), nll(xt, yt)))
    torch.set_default_dtype(torch.float32)


def runs_ordinal_logit():
    base = dict(data="synthetic", n=300, df=100, ds=20, s=0.1, rot=None, N=None, bw=None, K=5, F=2.0, S=9.0,
                temp=0.5, dof=None, jump=0.1, link="logit", opt="sgd", lr=0.3, mom=0.9, max_step=None,
                sched="const", epochs=4000, eval="log:30")
    diabetes = dict(data="diabetes", df=None, ds=None, N=150, bw=2.0, F=None, S=None, temp=None, lr=0.05)
    rows = [
        dict(seeds=(1, 2)),
        dict(link="probit", eval="jitter:30"),
        dict(K=3, eval="every:4"),
        dict(K=8, S=1.0, eval="log:35"),
        dict(df=120, jump=0.3, eval="every:5"),
        dict(S=0.6, eval="jitter:35"),
        dict(dof=3, eval="log:30"),
        dict(rot=1, df=140, eval="rand:300"),
        dict(mom=None, lr=1.0, epochs=10000, eval="log:40"),
        dict(opt="nadam", lr=0.005, mom=None, eval="jitter:30"),
        dict(opt="rprop", lr=0.01, mom=None, eval="every:3"),
        dict(opt="adamax", lr=0.002, mom=None, epochs=8000, eval="log:35"),
        dict(opt="radam", lr=0.01, mom=None, df=170, eval="every:20"),
        dict(df=180, eval="every:10"),
        dict(s=0.03, epochs=6000, eval="every:25"),
        dict(diabetes, eval="log:30"),
        dict(diabetes, n=250, N=200, bw=1.0, s=0.2, K=3, epochs=2000, eval="every:2"),
        dict(diabetes, N=100, opt="adamax", lr=0.02, mom=None, eval="jitter:30"),
    ]
    return ordinal_logit, dict_runs(base, rows, lambda d: "%s-%s-%s-K%d-n%d-%s-s%g-jump%g" % (
        d["data"], d["link"], d["opt"], d["K"], d["n"],
        "N%d" % d["N"] if d["data"] == "diabetes" else "df%d-S%g" % (d["df"], d["S"]), d["s"], d["jump"]))


# ---------------------------------------------------------------------------------------------------- multitask-trunk


def multitask_trunk(w, run_id, c):
    """Multitask learning with a shared trunk. Inputs: train.py's two-scale Gaussians (df features of scale 1, ds of
    scale c['s']). A teacher trunk of r0 = 3 directions, a fast part of power F in the fast features plus a slow part
    of power S in the slow ones at unit scale, mixed by each head's random unit vector: len(c['noises']) regression
    targets with label noise of std c['noises'][t] (Gaussian, or Student-t with c['dof'] degrees of freedom), and in
    'cls' runs a binary label, the sign of one more mixture plus logistic noise of scale 0.3, c['flip'] of the
    training labels flipped. Student: a shared trunk, 'linear' (x -> x A, rank c['h'], A at c['init'] / sqrt(d) from
    the seeded generator) or 'tanh' or 'relu' (one hidden layer of width c['h'], act(x A + a) / sqrt(h), A drawn the
    same way), and one linear head per target from zero. Loss: the weighted sum (c['weights'], one per head, the
    classification head's last) of the regression heads' mean squared errors and the classification head's logistic
    loss. Full-batch or minibatch (c['batch'], reshuffled by the generator) gradient descent with heavy ball, NAdam,
    Adamax, RAdam or Rprop under train_more.py's schedules, autograd, float64. Train loss: the weighted loss on the
    training points; test loss: the same weighted sum on 2,000 fresh points (regression targets with their noise,
    labels unflipped)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(34_000 + c["seed"])
    n, df, ds, s = c["n"], c["df"], c["ds"], c["s"]
    d = df + ds
    r0 = 3
    Bf = torch.randn(df, r0, generator=g)
    Bf *= math.sqrt(c["F"] * r0) / Bf.norm()
    Bs = torch.randn(ds, r0, generator=g)
    Bs *= math.sqrt(c["S"] * r0) / Bs.norm() / s
    noises = list(c["noises"])
    R = len(noises)
    cls = bool(c.get("cls"))
    U = torch.randn(r0, R + 1, generator=g)
    U /= U.norm(dim=0)

    def data(m, test):
        x = train.two_scale_inputs(g, m, df, ds, s)
        z = (x[:, :df] @ Bf + x[:, df:] @ Bs) @ U
        ys = torch.stack([z[:, t] + noises[t] * label_noise(g, m, c.get("dof") or 0) for t in range(R)], 1)
        logit = z[:, R] + 0.3 * torch.logit(torch.rand(m, generator=g).clamp(1e-12, 1 - 1e-12))
        lab = (logit > 0).double()
        if not test:
            flip = torch.rand(m, generator=g) < (c.get("flip") or 0.0)
            lab = torch.where(flip, 1 - lab, lab)
        return x, ys, lab

    x, ys, lab = data(n, False)
    xt, yst, labt = data(2000, True)
    kind, h = c["trunk"], c["h"]
    A = (torch.randn(d, h, generator=g) * c["init"] / math.sqrt(d)).requires_grad_()
    a = torch.zeros(h, requires_grad=True)
    heads = torch.zeros(h, R + (1 if cls else 0), requires_grad=True)
    hb = torch.zeros(R + (1 if cls else 0), requires_grad=True)
    params = [A, heads, hb] + ([] if kind == "linear" else [a])
    wts = torch.tensor(c["weights"], dtype=torch.float64)

    def loss(u, yy, ll):
        z = u @ A if kind == "linear" else (torch.tanh if kind == "tanh" else torch.relu)(u @ A + a) / math.sqrt(h)
        o = z @ heads + hb
        parts = [((o[:, t] - yy[:, t]) ** 2).mean() for t in range(R)]
        if cls:
            parts.append(torch.nn.functional.binary_cross_entropy_with_logits(o[:, R], ll))
        return (torch.stack(parts) * wts).sum()

    opt = make_opt(c, params)
    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "multitask-shared-trunk", "trunk": kind, "width": h, "heads": R + (1 if cls else 0),
                 "input_dim": d},
                settings(c, ("seed", "df", "ds", "s", "F", "S", "noises", "dof", "cls", "flip", "weights", "trunk",
                             "h", "init", "opt", "lr", "mom", "batch", "sched", "eval"))
                | {"optimizer": c["opt"], "loss": "weighted-multitask"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c.get("batch") or n
    e = 0
    for p in pts:
        while e < p:
            for group in opt.param_groups:
                group["lr"] = c["lr"] * lr_factor(c, e, c["epochs"])
            idx = torch.randperm(n, generator=g) if bsz < n else torch.arange(n)
            for j in range(0, n, bsz):
                b = idx[j:j + bsz]
                opt.zero_grad()
                loss(x[b], ys[b], lab[b]).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, loss(x, ys, lab), loss(xt, yst, labt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_multitask_trunk():
    base = dict(n=300, df=150, ds=20, s=0.1, F=4.0, S=2.0, noises=(0.5, 1.0, 2.0), dof=None, cls=None, flip=None,
                weights=(1.0, 1.0, 1.0), trunk="linear", h=8, init=0.5, opt="sgd", lr=0.02, mom=0.9, batch=None,
                sched="const", epochs=4000, eval="log:30")
    rows = [
        dict(seeds=(1, 2)),
        dict(df=250, eval="every:5"),
        dict(df=200, noises=(1.0, 2.0, 3.0), eval="jitter:30"),
        dict(df=200, S=0.5, eval="log:35"),
        dict(h=1, eval="every:4"),
        dict(init=0.01, eval="log:40"),
        dict(trunk="tanh", h=16, lr=0.05, eval="jitter:35"),
        dict(trunk="relu", h=16, lr=0.05, eval="rand:300"),
        dict(cls=1, flip=0.15, weights=(1.0, 1.0, 1.0, 2.0), eval="every:3"),
        dict(cls=1, flip=0.3, noises=(1.0,), weights=(1.0, 3.0), eval="log:30"),
        dict(opt="nadam", lr=0.003, mom=None, eval="jitter:30"),
        dict(opt="rprop", lr=0.001, mom=None, eval="every:10"),
        dict(batch=50, lr=0.005, epochs=2000, eval="log:30"),
        dict(s=0.05, lr=0.01, epochs=8000, eval="every:25"),
        dict(dof=3, epochs=2000, eval="every:2"),
        dict(opt="radam", lr=0.005, mom=None, eval="log:35"),
        dict(S=1.0, sched="cosine", eval="every:2"),
        dict(opt="adamax", lr=0.01, mom=None, eval="jitter:30"),
    ]
    return multitask_trunk, dict_runs(base, rows, lambda d: "%s-h%d-%s-heads%d%s-n%d-df%d-s%g-S%g" % (
        d["trunk"], d["h"], d["opt"], len(d["noises"]), "+cls" if d.get("cls") else "", d["n"], d["df"], d["s"],
        d["S"]))


# ---------------------------------------------------------------------------------------------------- cg-nystroem


def cg_nystroem(w, run_id, c):
    """Kernel regression on Nystroem features, solved iteratively. Inputs: train.py's two-scale Gaussians (df
    coordinates of scale 1, ds of scale c['s']); the target a fast part, c['M'] random RBF bumps of the fast
    coordinates (width c['tw'] sqrt(df), centred, power F), plus a slow part, linear in the slow coordinates at unit
    scale (power S), plus label noise of std c['noise']: Gaussian, uniform (unit variance), or 'spikes' (Gaussian of
    std 0.3 with a share c['spike'] of the points given a Gaussian of std 3, times c['noise']). Features: the Nystroem
    map of the RBF kernel exp(-|u - u'|^2 / (2 bw^2 df)) on the fast coordinates u, c['m'] landmarks drawn from the
    training points, phi(u) = k(u, L) V diag(lambda)^(-1/2) over the landmark kernel's eigenpairs above 1e-10 of the
    largest, each feature centred and standardised on the training points (fast, scale 1), next to the ds raw slow
    coordinates (scale s). The least-squares problem min |Phi w - y|^2 / n is solved from zero, one iteration an epoch,
    float64, by 'cg' (conjugate gradient on the normal equations, CGLS), 'landweber' (Richardson iteration, w += eta
    Phi^T (y - Phi w) / n, eta = c['step'] over the largest eigenvalue of Phi^T Phi / n), 'jacobi' (the same under the
    inverse of that matrix's diagonal as preconditioner, the step over the preconditioned matrix's largest
    eigenvalue), 'eigenpro' (EigenPro's preconditioner: the top c['q'] eigendirections damped to the (q+1)-th
    eigenvalue, the step c['step'] over it) or 'chebyshev' (the Chebyshev semi-iterative method on the normal
    equations for the spectral interval [c['lo'] lambda_max, lambda_max]). Train loss: the mean squared error on the
    training points; test loss: on 2,000 fresh points, noise included."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(35_000 + c["seed"])
    n, df, ds, s = c["n"], c["df"], c["ds"], c["s"]
    d = df + ds
    M = c["M"]
    centres = torch.randn(M, df, generator=g)
    amp = torch.randn(M, generator=g)
    beta = torch.randn(ds, generator=g)
    beta *= math.sqrt(c["S"]) / beta.norm() / s

    def fast(u):
        return torch.exp(-torch.cdist(u[:, :df], centres) ** 2 / (2 * c["tw"] ** 2 * df)) @ amp

    z0 = fast(torch.randn(5000, df, generator=g))
    amp *= math.sqrt(c["F"]) / z0.std()
    mean0 = z0.mean() * math.sqrt(c["F"]) / z0.std()

    def data(m):
        u = train.two_scale_inputs(g, m, df, ds, s)
        kind = c["noise_kind"]
        if kind == "uniform":
            eps = (torch.rand(m, generator=g) * 2 - 1) * math.sqrt(3)
        elif kind == "spikes":
            eps = 0.3 * torch.randn(m, generator=g)
            eps = torch.where(torch.rand(m, generator=g) < c["spike"], 3 * torch.randn(m, generator=g), eps)
        else:
            eps = torch.randn(m, generator=g)
        return u, fast(u) - mean0 + u[:, df:] @ beta + c["noise"] * eps

    x, y = data(n)
    xt, yt = data(2000)
    L = x[torch.randperm(n, generator=g)[:c["m"]], :df]
    bw2 = 2 * c["bw"] ** 2 * df

    def kern(u, v):
        return torch.exp(-torch.cdist(u, v) ** 2 / bw2)

    lam, V = torch.linalg.eigh(kern(L, L))
    keep = lam > 1e-10 * lam[-1]
    proj = V[:, keep] / lam[keep].sqrt()
    nf = kern(x[:, :df], L) @ proj
    mu, sd = nf.mean(0), nf.std(0).clamp_min(1e-12)

    def feats(u):
        return torch.cat([(kern(u[:, :df], L) @ proj - mu) / sd, u[:, df:]], 1)

    P, Pt = feats(x), feats(xt)
    p = P.shape[1]
    H = P.T @ P / n
    ev, EV = torch.linalg.eigh(H)
    top = ev[-1].item()
    b = P.T @ y / n
    wv = torch.zeros(p)
    method = c["method"]
    if method == "cg":
        r = b.clone()
        dirn = r.clone()
        rr = torch.dot(r, r)
    elif method == "chebyshev":
        lo, hi = c["lo"] * top, top
        theta, delta = (hi + lo) / 2, (hi - lo) / 2
        sigma1 = theta / delta
        rho = 1 / sigma1
        r = b.clone()
        dirn = r / theta
    else:
        if method == "jacobi":
            prec = 1 / torch.diagonal(H)
            eta = c["step"] / torch.linalg.eigvalsh(H * prec.sqrt().unsqueeze(0) * prec.sqrt().unsqueeze(1))[-1].item()
        elif method == "eigenpro":
            q = c["q"]
            lq = ev[-q - 1].item()
            Eq = EV[:, -q:]
            damp = 1 - lq / ev[-q:]
            eta = c["step"] / lq
        else:
            eta = c["step"] / top
    run = w.run(run_id, p, n, {"family": "nystroem-kernel-regression", "landmarks": c["m"], "features": p,
                               "input_dim": d, "solver": method},
                settings(c, ("seed", "df", "ds", "s", "M", "tw", "F", "S", "noise", "noise_kind", "spike", "m", "bw",
                             "method", "step", "q", "lo", "eval"))
                | {"optimizer": method, "loss": "mse"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for pt in pts:
        while e < pt:
            if method == "cg":
                hd = H @ dirn
                alpha = rr / torch.dot(dirn, hd)
                wv = wv + alpha * dirn
                r = r - alpha * hd
                rr1 = torch.dot(r, r)
                dirn = r + (rr1 / rr) * dirn
                rr = rr1
            elif method == "chebyshev":
                wv = wv + dirn
                r = r - H @ dirn
                rho1 = 1 / (2 * sigma1 - rho)
                dirn = rho1 * rho * dirn + (2 * rho1 / delta) * r
                rho = rho1
            else:
                grad = b - H @ wv
                if method == "jacobi":
                    grad = prec * grad
                elif method == "eigenpro":
                    grad = grad - Eq @ (damp * (Eq.T @ grad))
                wv = wv + eta * grad
            e += 1
        run.log(e, ((P @ wv - y) ** 2).mean(), ((Pt @ wv - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_cg_nystroem():
    base = dict(n=400, df=6, ds=20, s=0.1, M=20, tw=1.0, F=4.0, S=2.0, noise=1.0, noise_kind="gauss", spike=None,
                m=240, bw=1.0, method="cg", step=1.0, q=None, lo=None, epochs=500, eval="every")
    rows = [
        dict(seeds=(1, 2)),
        dict(m=300, eval="every:2"),
        dict(S=1.0, eval="jitter:30"),
        dict(S=4.0, eval="log:30"),
        dict(n=200, m=120, epochs=300, eval="every"),
        dict(n=800, m=500, eval="log:30"),
        dict(method="landweber", epochs=20000, eval="log:30"),
        dict(method="landweber", step=1.9, s=0.05, epochs=20000, eval="every:50"),
        dict(method="eigenpro", q=10, epochs=3000, eval="jitter:35"),
        dict(method="eigenpro", q=40, epochs=3000, eval="every:10"),
        dict(method="chebyshev", lo=1e-3, eval="every"),
        dict(method="chebyshev", lo=1e-2, epochs=1000, eval="rand:200"),
        dict(noise_kind="spikes", spike=0.1, eval="log:35"),
        dict(noise_kind="uniform", eval="every:3"),
        dict(s=0.03, epochs=800, eval="every"),
        dict(bw=2.0, eval="jitter:30"),
        dict(bw=0.5, eval="log:30"),
        dict(method="jacobi", epochs=3000, eval="log:30"),
        dict(noise=1.5, eval="every:4"),
    ]
    return cg_nystroem, dict_runs(base, rows, lambda d: "%s-n%d-m%d-bw%g-s%g-S%g-%s%g" % (
        d["method"], d["n"], d["m"], d["bw"], d["s"], d["S"], d["noise_kind"], d["noise"]))


FAMILIES = {"ordinal-logit": runs_ordinal_logit, "multitask-trunk": runs_multitask_trunk,
            "cg-nystroem": runs_cg_nystroem}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
