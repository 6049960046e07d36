#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, thirty-eighth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read (one slip: a grep over this folder's *.py files printed five lines of
announce_schedule.py, README.md says which), and no git log, git show or git diff of main; no stopping benchmark, no
Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and
committed before any of its runs was trained or looked at, revised at most once (README.md says where and why), and
the runs were sorted by census.py alone), and made to differ from the 116 families of train.py ...
train_thirtysixth.py in model, loss, optimizer, noise, data and evaluation spacing. The theme of the round is
classical models and kernels written as PyTorch modules, trained by first-order methods under a learning-rate
schedule that the run does not announce (no tag, run name or model field says which schedule, where it decays or
restarts):

- gmlvq-relevance: generalised matrix learning vector quantisation (prototypes per class and a learned relevance
  matrix, the metric of the distances), trained on the GLVQ cost through a sigmoid by minibatch SGD with a smaller
  step on the metric, on synthetic classes whose best-separated features sit at a small scale and on scikit-learn's
  wine, breast cancer, iris and digits with flipped labels, judged by the same sigmoid cost on the clean labels of
  held-out points;
- ppr-expectile: projection pursuit regression, a sum of ridge functions of learned projections, each ridge function
  an expansion in Hermite functions, trained on the expectile (asymmetric least squares) loss by a hand-written AdaMod
  (Adam with a smoothed bound on its per-weight steps) on minibatches, with Gaussian noise plus one-sided outliers on
  the targets, on synthetic two-scale inputs, scikit-learn's diabetes with its products and its linnerud, judged by
  the squared error against the true conditional expectile on fresh points or by the expectile loss of held-out
  targets;
- mkl-svr: multiple kernel learning for support vector regression, a linear model over the empirical feature maps
  of Gaussian kernels at five bandwidths and of a linear kernel, each kernel's block weighted by the square root of
  its softmax weight, the combination learned with the weights, trained on the epsilon-insensitive loss plus an
  RKHS penalty by full-batch Nesterov momentum, with Laplace noise and gross outliers on the targets, on synthetic
  two-scale inputs, scikit-learn's diabetes and its linnerud, judged by the mean absolute error against clean or
  held-out targets.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py and its
two-scale inputs, settings, epochs_of and lr_factor from train_more.py, dict_runs from train_seventh.py, batches from
train_twentyfirst.py, diabetes_split from train_twentythird.py, diabetes_products from train_thirtythird.py, plain_opt
(the contrast optimizers) from train_thirtyfourth.py, and leaves and real_classes from train_thirtysixth.py; one
thread, every random draw from a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_thirtyeighth.py --family gmlvq-relevance [--list] [--runs 0,3] [--out FILE]

Families (see README.md): gmlvq-relevance, ppr-expectile, mkl-svr. Evaluation spacings: train.py's 'every',
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
from train import two_scale_inputs  # noqa: E402
from train_more import epochs_of, lr_factor, settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_twentyfirst import batches  # noqa: E402
from train_twentythird import diabetes_split  # noqa: E402
from train_thirtythird import diabetes_products  # noqa: E402
from train_thirtyfourth import plain_opt as contrast_opt  # noqa: E402  (Adam, or SGD with momentum 0.9)
from train_thirtysixth import leaves, real_classes  # noqa: E402

torch.set_num_threads(1)

# The schedule's settings: used by sched_factor, never sent as tags nor written into a run's name.
SCHEDULE_KEYS = ("sched", "decay", "decay_at", "power", "period", "mult", "warm")


def sched_factor(c, e, epochs):
    """The step's multiplier at epoch e: 'step' (times c['decay'] at each fraction of the epochs in c['decay_at']),
    'poly' (polynomial decay (1 - e / epochs)^power), or train_more.py's lr_factor ('const', 'cosine', 'restarts':
    cosine annealing with warm restarts every 'period' epochs, the period times 'mult' after each restart,
    'inv-sqrt': a linear warm-up over 'warm' epochs, then sqrt(warm / (e + 1)))."""
    kind = c["sched"]
    if kind == "step":
        return c["decay"] ** sum(1 for f in c["decay_at"] if e >= int(round(f * epochs)))
    if kind == "poly":
        return (1 - e / epochs) ** c["power"]
    return lr_factor(c, e, epochs)


def scheduled_loop(opt, g, x, y, objective, c, log, after_step=None):
    """Training to each evaluation epoch of c['eval'] (epochs_of), then log(epoch, final=...) under no_grad: each epoch
    sets every parameter group's step to its initial step times sched_factor, then steps on objective(xb, yb) over
    batches(g, len(x), c['batch']) (the whole set where None), calling after_step() after every step."""
    base = [group["lr"] for group in opt.param_groups]
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            f = sched_factor(c, e, c["epochs"])
            for group, lr in zip(opt.param_groups, base):
                group["lr"] = lr * f
            for idx in batches(g, len(x), c.get("batch")):
                xb, yb = (x, y) if idx is None else (x[idx], y[idx])
                opt.zero_grad()
                objective(xb, yb).backward()
                opt.step()
                if after_step is not None:
                    after_step()
            e += 1
        with torch.no_grad():
            log(e, final=e == pts[-1])


def tags_of(c, keys):
    """The run's settings as tags, the schedule's never among them."""
    return settings(c, tuple(k for k in keys if k not in SCHEDULE_KEYS))


# ---------------------------------------------------------------------------------------------------- gmlvq-relevance


def lvq_data(g, c):
    """(x, y, xt, yt, K), float64, the training labels clean (flips come after). 'synth': K Gaussian classes, unit
    noise in every feature, the class means drawn at random with norm about sep_f over df fast features (scale 1) and
    about sep_s over ds slow ones, the slow features then times s (so the best-separated features sit at a small
    scale); n training points, 2,000 fresh test points. 'wine', 'cancer': real_classes (half the columns times s);
    'iris': real_classes in float64; 'digits': train.digits, pixels / 16, the image columns 'slow_cols' times s."""
    name = c["data"]
    if name == "synth":
        K, df, ds, s = c["K"], c["df"], c["ds"], c["s"]
        mf = torch.randn(K, df, generator=g, dtype=torch.float64) * c["sep_f"] / math.sqrt(df)
        ms = torch.randn(K, ds, generator=g, dtype=torch.float64) * c["sep_s"] / math.sqrt(ds)
        scale = torch.cat([torch.ones(df, dtype=torch.float64), torch.full((ds,), s, dtype=torch.float64)])

        def draw(m):
            lab = torch.randint(0, K, (m,), generator=g)
            z = torch.randn(m, df + ds, generator=g, dtype=torch.float64) + torch.cat([mf, ms], 1)[lab]
            return z * scale, lab

        x, y = draw(c["n"])
        xt, yt = draw(2000)
        return x, y, xt, yt, K
    if name in ("wine", "cancer"):
        x, y, xt, yt, K = real_classes(g, name, c["n"], c["s"])
        return x.double(), y, xt.double(), yt, K
    if name == "iris":
        return real_classes(g, name, c["n"], c["s"], torch.float64)
    x, y, xt, yt = train.digits(c["seed"], c["n"], 0.0, (c["s"], list(c["slow_cols"])))
    return x.double(), y, xt.double(), yt, 10


def gmlvq_mu(W, om, cls, z, lab):
    """The GLVQ relative distance mu = (d+ - d-) / (d+ + d-) of every point: d+ its squared distance to the nearest
    prototype of its own class, d- to the nearest of another, both under the metric om^T om."""
    pz, pw = z @ om.T, W @ om.T
    d = ((pz[:, None, :] - pw[None]) ** 2).sum(-1)
    same = cls[None, :] == lab[:, None]
    dp = d.masked_fill(~same, math.inf).min(1).values
    dm = d.masked_fill(same, math.inf).min(1).values
    return (dp - dm) / (dp + dm + 1e-12), d


def gmlvq_relevance(w, run_id, c):
    """Generalised matrix LVQ (Sato & Yamada 1996; Schneider, Biehl & Hammer 2009), float64: P prototypes per class
    (each a training point of that class drawn at random, labels as trained on), distances d(x, w) = |om (x - w)|^2
    under a relevance matrix om (r x d; the identity where r = d, else standard normals, from the run's generator),
    normalised to trace(om^T om) = 1 after every step. Data: lvq_data, a share 'flip' of the training labels replaced
    by another class at random. Loss: the GLVQ cost through a sigmoid, mean sigmoid(beta mu). Optimizer: minibatch SGD,
    the prototypes at step lr, the metric at lr times 'ratio' (ratio 0: GLVQ, the metric fixed), or Adam (opt 'adam')
    with the same two steps; under the run's learning-rate schedule (sched_factor, not announced). Train loss: the cost
    on the noisy training labels; test loss: the cost on the clean test labels; error rates of the nearest prototype
    too."""
    torch.manual_seed(381_000 + c["seed"])
    g = torch.Generator().manual_seed(381_000 + c["seed"])
    x, y, xt, yt, K = lvq_data(g, c)
    if c.get("flip"):
        hit = torch.rand(len(y), generator=g) < c["flip"]
        y = torch.where(hit, (y + torch.randint(1, K, (len(y),), generator=g)) % K, y)
    d, P, beta = x.shape[1], c["P"], c["beta"]
    protos, cls = [], []
    for k in range(K):
        members = torch.nonzero(y == k).squeeze(1)
        pick = members[torch.randint(0, len(members), (P,), generator=g)]
        protos.append(x[pick] + 0.01 * torch.randn(P, d, generator=g, dtype=torch.float64))
        cls += [k] * P
    W = torch.cat(protos)
    cls = torch.tensor(cls)
    r = c.get("rank") or d
    om = torch.eye(d, dtype=torch.float64) if r == d else torch.randn(r, d, generator=g, dtype=torch.float64)
    om = om / om.norm()
    params = leaves([W, om])
    groups = [{"params": [W], "lr": c["lr"]}, {"params": [om], "lr": c["lr"] * c["ratio"]}]
    opt = torch.optim.Adam(groups) if c["opt"] == "adam" else torch.optim.SGD(groups, lr=c["lr"])

    def cost(z, lab):
        return torch.sigmoid(beta * gmlvq_mu(W, om, cls, z, lab)[0]).mean()

    def normalise():
        with torch.no_grad():
            om.div_(om.norm())

    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "gmlvq", "prototypes_per_class": P, "classes": K, "metric_rank": r, "inputs": d},
                tags_of(c, ("seed", "data", "n", "K", "df", "ds", "s", "sep_f", "sep_s", "slow_cols", "flip", "P",
                            "rank", "beta", "ratio", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "glvq-sigmoid", "test_loss": "clean-glvq-sigmoid"})

    def log(e, final):
        mu, dd = gmlvq_mu(W, om, cls, x, y)
        mut, ddt = gmlvq_mu(W, om, cls, xt, yt)
        run.log(e, torch.sigmoid(beta * mu).mean(), torch.sigmoid(beta * mut).mean(),
                (cls[dd.argmin(1)] != y).double().mean(), (cls[ddt.argmin(1)] != yt).double().mean(), final=final)

    scheduled_loop(opt, g, x, y, cost, c, log, normalise)


def runs_gmlvq_relevance():
    # The logic: with a few prototypes per class, the prototypes place themselves on what the unit-scale features
    # show first, and the ones drawn on (or pulled towards) flipped points carve out pockets of the wrong class; the
    # relevance matrix, at a tenth of the prototypes' step, learns later to weigh up the well-separated features at
    # the small scale s, which can move the decision borders away from those pockets; the schedule (a step decay at
    # half and three quarters of the run at the base) settles the prototypes where they are when it decays. The grid
    # moves one thing at a time: the data (n 400; wine, breast cancer, iris, digits), the scale gap (s 0.3, 1), the
    # flips (none, 0.4), the prototypes (1, 8 per class), the metric (rank 2; ratio 1, as fast as the prototypes; ratio
    # 0, no metric learning), the sigmoid's slope (beta 10), the optimizer (Adam) and the schedule (warm restarts,
    # inverse square root after a warm-up, polynomial decay, constant).
    base = dict(data="synth", n=150, K=3, df=10, ds=4, s=0.1, sep_f=1.5, sep_s=4.0, flip=0.2, P=3, beta=3.0,
                ratio=0.1, opt="sgd", lr=0.05, batch=16, sched="step", decay=0.1, decay_at=(0.5, 0.75), epochs=300,
                eval="log:35")
    synth_off = dict(K=None, df=None, ds=None, sep_f=None, sep_s=None)
    return gmlvq_relevance, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=400, eval="every:3"),
        dict(s=0.3, eval="jitter:35"),
        dict(s=1.0, eval="every:2"),
        dict(flip=None, eval="log:40"),
        dict(flip=0.4, eval="rand:120"),
        dict(P=1, eval="every:3"),
        dict(P=8, eval="jitter:30"),
        dict(rank=2, eval="every:2"),
        dict(beta=10.0, eval="log:35"),
        dict(ratio=1.0, eval="every:4"),
        dict(ratio=0.0, eval="rand:100"),
        dict(sched="restarts", decay=None, decay_at=None, period=20, mult=2, eval="every"),
        dict(sched="inv-sqrt", decay=None, decay_at=None, warm=10, eval="every:2"),
        dict(sched="poly", decay=None, decay_at=None, power=2.0, eval="jitter:35"),
        dict(sched="const", decay=None, decay_at=None, eval="log:35"),
        dict(opt="adam", lr=0.005, eval="every:3"),
        dict(synth_off, data="wine", n=100, eval="every:2"),
        dict(synth_off, data="cancer", n=300, eval="log:35"),
        dict(synth_off, data="iris", n=90, s=0.3, eval="every:2"),
        dict(synth_off, data="digits", n=500, slow_cols=(4, 5, 6, 7), batch=32, epochs=150, eval="every:2"),
    ], lambda d: "%s-n%d-s%g%s-P%d%s-beta%g-ratio%g-%s-lr%g-b%d" % (
        d["data"], d["n"], d["s"], "-flip%g" % d["flip"] if d.get("flip") else "", d["P"],
        "-rank%d" % d["rank"] if d.get("rank") else "", d["beta"], d["ratio"], d["opt"], d["lr"], d["batch"]))


# ---------------------------------------------------------------------------------------------------- ppr-expectile


class AdaMod:
    """AdaMod (Ding, Ren, Luo & Sun 2019), hand-written after the authors' implementation: Adam's moments and its
    bias-corrected per-weight step eta = lr sqrt(1 - b2^t) / (1 - b1^t) / (sqrt(v) + eps), bounded above by its own
    exponential average s = b3 s + (1 - b3) eta (b3 0.999), the weight moved by min(eta, s) times the first moment."""

    def __init__(self, params, lr, betas=(0.9, 0.999), beta3=0.999, eps=1e-8):
        self.params, self.b1, self.b2, self.b3, self.eps, self.t = params, *betas, beta3, eps, 0
        self.param_groups = [{"lr": lr}]
        self.m = [torch.zeros_like(q) for q in params]
        self.v = [torch.zeros_like(q) for q in params]
        self.s = [torch.zeros_like(q) for q in params]

    def zero_grad(self):
        for q in self.params:
            q.grad = None

    def step(self):
        self.t += 1
        size = self.param_groups[0]["lr"] * math.sqrt(1 - self.b2 ** self.t) / (1 - self.b1 ** self.t)
        with torch.no_grad():
            for q, m, v, s in zip(self.params, self.m, self.v, self.s):
                m.mul_(self.b1).add_(q.grad, alpha=1 - self.b1)
                v.mul_(self.b2).addcmul_(q.grad, q.grad, value=1 - self.b2)
                eta = size / (v.sqrt() + self.eps)
                s.mul_(self.b3).add_(eta, alpha=1 - self.b3)
                q.sub_(torch.minimum(eta, s) * m)


def hermite_functions(z, J):
    """The first J Hermite functions h_j(z) = H_j(z) exp(-z^2 / 2) / sqrt(2^j j! sqrt(pi)) (orthonormal on the line)
    by their stable three-term recurrence; a new last axis of length J."""
    h = [math.pi ** -0.25 * torch.exp(-z * z / 2)]
    if J > 1:
        h.append(math.sqrt(2) * z * h[0])
    for j in range(1, J - 1):
        h.append(math.sqrt(2 / (j + 1)) * z * h[j] - math.sqrt(j / (j + 1)) * h[j - 1])
    return torch.stack(h, -1)


def skewed_noise(g, m, c):
    """Gaussian noise of std c['noise'] plus, for a share c['p_out'] of the points, a one-sided (positive) outlier,
    exponential with mean c['out']."""
    eps = c.get("noise", 0.0) * torch.randn(m, generator=g, dtype=torch.float64)
    if c.get("p_out"):
        hit = (torch.rand(m, generator=g) < c["p_out"]).double()
        eps = eps + hit * c["out"] * torch.empty(m, dtype=torch.float64).exponential_(generator=g)
    return eps


def expectile_of(c, tau):
    """The tau-expectile of skewed_noise, the root of E[|tau - 1(eps < e)| (eps - e)] = 0, from 200,000 draws of a
    generator of its own (so the runs' draws do not move), by bisection."""
    eps = skewed_noise(torch.Generator().manual_seed(388_000), 200_000, c)
    lo, hi = eps.min().item(), eps.max().item()
    for _ in range(100):
        e = (lo + hi) / 2
        wgt = torch.where(eps < e, 1 - tau, tau)
        if (wgt * (eps - e)).mean() > 0:
            lo = e
        else:
            hi = e
    return (lo + hi) / 2


def ppr_data(g, c):
    """(x, y, xt, yt, clean_test): float64. 'synth': two_scale_inputs (df fast features of scale 1, ds slow ones of
    scale s), the target a fast part of power F, three ridge functions of random unit directions of the fast features
    (sin 2z, (z^2 - 1) / sqrt 2 and tanh 2z, each standardised), plus a slow part of power S, linear in the slow
    features at unit scale; skewed_noise on training and fresh test targets alike; clean_test (True) the test target
    is the true conditional tau-expectile, the clean target plus the noise's expectile. 'diabetes': diabetes_products
    (the 55 standardised squares and products at scale 1, the 10 standardised columns at scale s), n training
    patients, skewed_noise on their progression; the others' progression, clean, the test targets. 'linnerud':
    scikit-learn's linnerud (20 athletes, 3 exercises), the weight as the target, n training athletes, columns and
    target standardised on them, the situps column times s, skewed_noise on the training targets."""
    name = c["data"]
    if name == "synth":
        df, ds, s = c["df"], c["ds"], c["s"]
        U = torch.randn(df, 3, generator=g, dtype=torch.float64)
        U = U / U.norm(dim=0)
        theta = torch.randn(ds, generator=g, dtype=torch.float64)
        theta = theta / theta.norm() * math.sqrt(c["S"])

        def clean(x):
            z = x[:, :df] @ U
            parts = [torch.sin(2 * z[:, 0]) / math.sqrt(0.5 * (1 - math.exp(-8))),
                     (z[:, 1] ** 2 - 1) / math.sqrt(2), torch.tanh(2 * z[:, 2]) / 0.8]
            return math.sqrt(c["F"] / 3) * sum(parts) + (x[:, df:] / s) @ theta

        x = two_scale_inputs(g, c["n"], df, ds, s).double()
        xt = two_scale_inputs(g, 2000, df, ds, s).double()
        y = clean(x) + skewed_noise(g, c["n"], c)
        return x, y, xt, clean(xt) + expectile_of(c, c["tau"]), True
    if name == "diabetes":
        X, Y, tr, te = diabetes_products(g, c["n"], c["s"], torch.float64)
        return X[tr], Y[tr] + skewed_noise(g, len(tr), c), X[te], Y[te], False
    from sklearn.datasets import load_linnerud
    data = load_linnerud()
    X, Y = torch.tensor(data.data), torch.tensor(data.target[:, 0])
    perm = torch.randperm(len(Y), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    X = (X - X[tr].mean(0)) / X[tr].std(0)
    X[:, 1] *= c["s"]
    Y = (Y - Y[tr].mean()) / Y[tr].std()
    return X[tr], Y[tr] + skewed_noise(g, len(tr), c), X[te], Y[te], False


def expectile_loss(r, tau):
    """The expectile (asymmetric least squares) loss of residuals r = y - f (Newey & Powell 1987): |tau - 1(r < 0)|
    r^2, averaged; tau 0.5 is half the squared error."""
    return (torch.where(r < 0, 1 - tau, tau) * r * r).mean()


def ppr_expectile(w, run_id, c):
    """Projection pursuit regression (Friedman & Stuetzle 1981) with Hermite-function ridge functions, float64: f(x) =
    b + sum_k sum_j C_kj h_j(a_k . x + t_k), K projections a_k (d -> 1, standard normals over sqrt(d) from the run's
    generator, offsets t_k 0), J Hermite functions each (hermite_functions; coefficients C normal with std 0.5 /
    sqrt(K)), b 0. Data: ppr_data. Loss: the expectile loss at tau. Optimizer: the hand-written AdaMod at step lr, or
    Adam or SGD with momentum 0.9 (contrast_opt), on minibatches, under the run's learning-rate schedule (sched_factor,
    not announced). Train loss: the expectile loss on the noisy training targets; test loss: on synthetic data the
    squared error against the true conditional tau-expectile on fresh points, on real data the expectile loss at tau
    of the held-out targets."""
    torch.manual_seed(382_000 + c["seed"])
    g = torch.Generator().manual_seed(382_000 + c["seed"])
    x, y, xt, yt, clean_test = ppr_data(g, c)
    d, K, J, tau = x.shape[1], c["K"], c["J"], c["tau"]
    A = torch.randn(d, K, generator=g, dtype=torch.float64) / math.sqrt(d)
    C = 0.5 / math.sqrt(K) * torch.randn(K, J, generator=g, dtype=torch.float64)
    params = leaves([A, torch.zeros(K, dtype=torch.float64), C, torch.zeros(1, dtype=torch.float64)])

    def f(z):
        return params[3] + (hermite_functions(z @ params[0] + params[1], J) * params[2]).sum((1, 2))

    opt = AdaMod(params, c["lr"]) if c["opt"] == "adamod" else contrast_opt(c, params)
    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "projection-pursuit", "ridges": K, "hermite_functions": J, "inputs": d},
                tags_of(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "noise", "p_out", "out", "K", "J", "tau",
                            "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "expectile",
                   "test_loss": "mse-true-expectile" if clean_test else "heldout-expectile"})

    def log(e, final):
        ft = f(xt)
        run.log(e, expectile_loss(y - f(x), tau),
                ((ft - yt) ** 2).mean() if clean_test else expectile_loss(yt - ft, tau), final=final)

    scheduled_loop(opt, g, x, y, lambda xb, yb: expectile_loss(yb - f(xb), tau), c, log)


def runs_ppr_expectile():
    # The logic: K ridge functions of J Hermite functions each over d inputs (6 x (12 + 1 + 8) + 1 = 127 weights at
    # the base) against 200 noisy targets sit near the interpolation threshold, so the fit of the noise and of the
    # one-sided outliers comes after the fast teacher's ridges are found; the slow linear part, at scale s, needs
    # large projection weights and comes later still; the expectile at tau 0.7 leans on the positive outliers. The
    # base schedule is a polynomial decay (power 2) to zero at the end, which slows the late fit. The grid moves one
    # thing at a time: the data (n 100, 400; diabetes with its products, linnerud), the scale gap (s 0.3, 1), the noise
    # (0.8; no outliers), the expectile (0.5, 0.9), the ridges (2, 16), the Hermite functions (4, 16), the schedule
    # (step decay, warm restarts, inverse square root after a warm-up, constant) and the optimizer (Adam, momentum).
    base = dict(data="synth", n=200, df=8, ds=4, s=0.1, F=2.0, S=1.0, noise=0.3, p_out=0.1, out=2.0, K=6, J=8,
                tau=0.7, opt="adamod", lr=0.01, batch=32, sched="poly", power=2.0, epochs=600, eval="log:35")
    synth_off = dict(df=None, ds=None, F=None, S=None)
    return ppr_expectile, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=100, eval="every:4"),
        dict(n=400, epochs=400, eval="jitter:35"),
        dict(s=0.3, eval="every:3"),
        dict(s=1.0, eval="log:40"),
        dict(noise=0.8, eval="rand:150"),
        dict(p_out=None, out=None, eval="every:4"),
        dict(tau=0.5, eval="jitter:30"),
        dict(tau=0.9, eval="every:3"),
        dict(K=2, eval="log:35"),
        dict(K=16, eval="every:5"),
        dict(J=4, eval="rand:120"),
        dict(J=16, eval="every:4"),
        dict(sched="step", power=None, decay=0.1, decay_at=(0.5, 0.75), eval="every:3"),
        dict(sched="restarts", power=None, period=40, mult=2, epochs=600, eval="every:2"),
        dict(sched="inv-sqrt", power=None, warm=20, eval="log:35"),
        dict(sched="const", power=None, eval="every:4"),
        dict(opt="adam", eval="jitter:35"),
        dict(opt="momentum", lr=0.02, eval="every:3"),
        dict(synth_off, data="diabetes", n=300, noise=0.3, eval="every:3"),
        dict(synth_off, data="linnerud", n=14, s=0.3, noise=0.3, K=3, batch=None, epochs=2000, eval="log:40"),
    ], lambda d: "%s-n%d-s%g-noise%g%s-K%d-J%d-tau%g-%s-lr%g%s" % (
        d["data"], d["n"], d["s"], d["noise"], "-out%g" % d["p_out"] if d.get("p_out") else "", d["K"], d["J"],
        d["tau"], d["opt"], d["lr"], "-b%d" % d["batch"] if d.get("batch") else "-fullbatch"))


# ---------------------------------------------------------------------------------------------------- mkl-svr


def laplace_outliers(g, m, c):
    """Laplace noise of std c['noise'] plus, for a share c['p_out'] of the points, a gross outlier of either sign
    and size 3-6."""
    u = torch.rand(m, generator=g, dtype=torch.float64) - 0.5
    eps = -c["noise"] / math.sqrt(2) * torch.sign(u) * torch.log1p(-2 * u.abs())
    if c.get("p_out"):
        hit = (torch.rand(m, generator=g) < c["p_out"]).double()
        sign = torch.randint(0, 2, (m,), generator=g).double() * 2 - 1
        eps = eps + hit * sign * (3 + 3 * torch.rand(m, generator=g, dtype=torch.float64))
    return eps


def mkl_data(g, c):
    """(x, y, xt, yt): float64. 'synth': two_scale_inputs (df fast features of scale 1, ds slow ones of scale s), the
    target a fast part of power F, 20 random cosines of the fast features (frequencies standard normal), plus a slow
    part of power S linear in the slow features at unit scale; laplace_outliers on the training targets; 1,000 fresh
    test points with their clean targets. 'diabetes': diabetes_split (the ten columns and the progression
    standardised on the n training patients), then five of the columns (a seeded choice) times s;
    laplace_outliers on the training targets; the other patients' progression the test targets. 'linnerud': as for
    ppr-expectile (the weight from the 3 exercises, the situps column times s), n training athletes."""
    name = c["data"]
    if name == "synth":
        df, ds, s = c["df"], c["ds"], c["s"]
        Wf = torch.randn(df, 20, generator=g, dtype=torch.float64)
        bf = 2 * math.pi * torch.rand(20, generator=g, dtype=torch.float64)
        af = torch.randn(20, generator=g, dtype=torch.float64)
        af = af / af.norm() * math.sqrt(2 * c["F"])
        theta = torch.randn(ds, generator=g, dtype=torch.float64)
        theta = theta / theta.norm() * math.sqrt(c["S"])

        def clean(x):
            return torch.cos(x[:, :df] @ Wf + bf) @ af + (x[:, df:] / s) @ theta

        x = two_scale_inputs(g, c["n"], df, ds, s).double()
        xt = two_scale_inputs(g, 1000, df, ds, s).double()
        return x, clean(x) + laplace_outliers(g, c["n"], c), xt, clean(xt)
    if name == "diabetes":
        x, y, xt, yt = diabetes_split(g, c["n"], 0.0)
        cols = torch.randperm(10, generator=g)[5:]
        x, xt = x.clone(), xt.clone()
        x[:, cols] *= c["s"]
        xt[:, cols] *= c["s"]
        return x, y + laplace_outliers(g, len(y), c), xt, yt
    from sklearn.datasets import load_linnerud
    data = load_linnerud()
    X, Y = torch.tensor(data.data), torch.tensor(data.target[:, 0])
    perm = torch.randperm(len(Y), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    X = (X - X[tr].mean(0)) / X[tr].std(0)
    X[:, 1] *= c["s"]
    Y = (Y - Y[tr].mean()) / Y[tr].std()
    return X[tr], Y[tr] + laplace_outliers(g, len(tr), c), X[te], Y[te]


def mkl_kernels(a, b, widths, med):
    """The base kernels between rows of a and rows of b, stacked: Gaussian kernels exp(-|a - b|^2 / (2 (w med)^2)) at
    every width w (med the training inputs' median distance), then the linear kernel a . b / dim."""
    d2 = torch.cdist(a, b) ** 2
    ks = [torch.exp(-d2 / (2 * (wd * med) ** 2)) for wd in widths]
    return torch.stack(ks + [a @ b.T / a.shape[1]])


def kernel_features(K, Kt):
    """The empirical feature map of one kernel on the training points (its eigenvectors times the square roots of
    their eigenvalues, the eigenvalues under 1e-9 of the largest dropped) and its extension to the test points, K_t U
    Lambda^(-1/2); so that features times features^T is the kernel matrix."""
    lam, U = torch.linalg.eigh(K)
    keep = lam > 1e-9 * lam[-1]
    lam, U = lam[keep], U[:, keep]
    return U * lam.sqrt(), Kt @ U / lam.sqrt()


def mkl_svr(w, run_id, c):
    """Multiple kernel learning for support vector regression (Lanckriet et al. 2004; the primal of Rakotomamonjy et
    al. 2008's SimpleMKL, here by first-order steps on all its parts), float64: f(x) = sum_m sqrt(beta_m) phi_m(x) .
    v_m + b, phi_m the empirical feature map of base kernel m (kernel_features of mkl_kernels: Gaussian kernels at
    five widths and a linear kernel), so that f lies in the span of the training points under K_beta = sum_m beta_m
    K_m, beta = softmax(eta); eta 0 (uniform weights), v and b 0. Data: mkl_data. Loss: the epsilon-insensitive loss
    mean max(0, |y - f| - eps) plus lam / 2 sum_m |v_m|^2, the RKHS norm. Optimizer: full-batch SGD with Nesterov
    momentum 0.9 (opt 'nesterov'), without momentum ('gd') or Adam ('adam'); v and b at step
    lr n / lambda_max(K_uniform)
    (plain steps, Nesterov and gd: the function then moves by lr K_beta / lambda_max times the subgradient; lr itself
    under Adam), eta at eta_lr (0: the uniform combination kept); under the run's learning-rate schedule (sched_factor,
    not announced). Train loss: the epsilon-insensitive loss on the noisy training targets (without the penalty); test
    loss: the mean absolute error against the clean (synthetic) or held-out (real) test targets."""
    torch.manual_seed(383_000 + c["seed"])
    g = torch.Generator().manual_seed(383_000 + c["seed"])
    x, y, xt, yt = mkl_data(g, c)
    n = len(x)
    dist = torch.cdist(x, x)
    med = dist[~torch.eye(n, dtype=torch.bool)].median().item()
    widths = c["widths"]
    Ks, Kt = mkl_kernels(x, x, widths, med), mkl_kernels(xt, x, widths, med)
    feats = [kernel_features(K, Kv) for K, Kv in zip(Ks, Kt)]
    M = len(feats)
    top = torch.linalg.eigvalsh(Ks.mean(0))[-1].item()
    v = [torch.zeros(F.shape[1], dtype=torch.float64) for F, _ in feats]
    eta, b = torch.zeros(M, dtype=torch.float64), torch.zeros(1, dtype=torch.float64)
    params = leaves(v + [b, eta])
    eps, lam = c["eps"], c.get("lam") or 0.0
    step = c["lr"] if c["opt"] == "adam" else c["lr"] * n / top
    groups = [{"params": v + [b], "lr": step}, {"params": [eta], "lr": c["eta_lr"]}]
    if c["opt"] == "adam":
        opt = torch.optim.Adam(groups)
    else:
        opt = torch.optim.SGD(groups, lr=step, momentum=0.9 if c["opt"] == "nesterov" else 0.0,
                              nesterov=c["opt"] == "nesterov")

    def predict(which):
        beta = torch.softmax(eta, 0)
        return b + sum(beta[m].sqrt() * (feats[m][which] @ v[m]) for m in range(M))

    def insensitive(r):
        return torch.relu(r.abs() - eps).mean()

    def objective(xb, yb):  # full batch: xb, yb are x, y
        return insensitive(yb - predict(0)) + lam / 2 * sum((q * q).sum() for q in v)

    run = w.run(run_id, sum(q.numel() for q in params), n,
                {"family": "mkl-svr", "kernels": M, "gaussian_widths": len(widths), "inputs": x.shape[1]},
                tags_of(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "noise", "p_out", "eps", "lam", "widths",
                            "opt", "lr", "eta_lr", "eval"))
                | {"optimizer": c["opt"], "loss": "eps-insensitive+rkhs", "test_loss": "mae"})

    def log(e, final):
        run.log(e, insensitive(y - predict(0)), (yt - predict(1)).abs().mean(), final=final)

    scheduled_loop(opt, g, x, y, objective, c, log)


def runs_mkl_svr():
    # The logic: the kernel expansion has a weight per training point, so it can fit every noisy target; in the
    # kernels' feature maps the gradient steps move the function by K_beta times the loss's subgradient, so the
    # smooth, wide kernels' top directions are fitted first and the narrow kernels' many small directions, which
    # carry the noise and the outliers, late; the slow inputs at scale s barely move an isotropic kernel, and their
    # linear signal rides on the linear kernel's small directions; the learned combination can shift weight towards
    # the kernel that fits the training targets best, narrow or linear. The epsilon tube stops the gradient of the
    # points it holds. The base schedule is the classical one for subgradient steps, the inverse square root after a
    # warm-up. The grid
    # moves one thing at a time: the data (n 100, 400; diabetes with half its columns at scale s, linnerud), the
    # scale gap (s 0.1, 1), the noise (0.6; no outliers), the tube (eps 0, 0.5), the penalty (none, 0.01), the
    # kernels (the uniform combination kept; a faster combination step), the schedule (step decay, polynomial decay,
    # warm restarts, constant) and the optimizer (no momentum, Adam).
    base = dict(data="synth", n=200, df=4, ds=2, s=0.3, F=2.0, S=1.0, noise=0.3, p_out=0.1, eps=0.1, lam=1e-4,
                widths=(0.25, 0.5, 1.0, 2.0, 4.0), opt="nesterov", lr=0.3, eta_lr=0.05, sched="inv-sqrt", warm=50,
                epochs=4000, eval="log:35")
    synth_off = dict(df=None, ds=None, F=None, S=None)
    return mkl_svr, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=100, eval="every:20"),
        dict(n=400, eval="jitter:35"),
        dict(s=0.1, eval="every:25"),
        dict(s=1.0, eval="log:40"),
        dict(noise=0.6, eval="rand:200"),
        dict(p_out=None, eval="every:20"),
        dict(eps=0.0, eval="jitter:30"),
        dict(eps=0.5, eval="every:25"),
        dict(lam=None, eval="log:35"),
        dict(lam=0.01, eval="every:20"),
        dict(eta_lr=0.0, eval="rand:150"),
        dict(eta_lr=0.5, eval="every:20"),
        dict(sched="step", warm=None, decay=0.1, decay_at=(0.5, 0.75), eval="every:20"),
        dict(sched="poly", warm=None, power=1.0, eval="jitter:35"),
        dict(sched="restarts", warm=None, period=250, mult=2, epochs=3750, eval="every:15"),
        dict(sched="const", warm=None, eval="log:35"),
        dict(opt="gd", lr=1.0, eval="every:25"),
        dict(opt="adam", lr=0.01, eval="jitter:35"),
        dict(synth_off, data="diabetes", n=300, s=0.1, eval="every:20"),
        dict(synth_off, data="linnerud", n=14, eval="log:40"),
    ], lambda d: "%s-n%d-s%g-noise%g%s-eps%g%s-%s-lr%g-etalr%g" % (
        d["data"], d["n"], d["s"], d["noise"], "-out%g" % d["p_out"] if d.get("p_out") else "", d["eps"],
        "-lam%g" % d["lam"] if d.get("lam") else "", d["opt"], d["lr"], d["eta_lr"]))


FAMILIES = {"gmlvq-relevance": runs_gmlvq_relevance, "ppr-expectile": runs_ppr_expectile, "mkl-svr": runs_mkl_svr}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
