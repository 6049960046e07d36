#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-ninth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is likelihood-based density models on tabular data, fit by
maximum likelihood: masked autoregressive MLPs (MADE) and small normalising flows (affine couplings) on
scikit-learn's tables or synthetic mixtures, gross outliers among the training rows or too few of them in part of the
grid, the test loss the held-out negative log-likelihood:

- made-gauss-tabular: MADE (Germain et al. 2015): an MLP whose weight masks (from a seeded draw of the hidden units'
  degrees) make output i depend on inputs before i in an ordering (natural or a seeded permutation), plus masked
  direct input-to-output weights, giving each column's conditional as a Gaussian (a Laplace or a Student-t of 4
  degrees of freedom in part of the grid) of a predicted location and log-scale; on scikit-learn's wine (13 columns),
  10 of the breast cancer's columns (texture, smoothness, compactness, symmetry and fractal dimension, their means and
  standard errors) or the iris (4 columns), each column dequantised at its resolution, a seeded split, standardised on
  the clean training rows; float32. Noise: a share of the training rows replaced by gross outliers (uniform in a box,
  or a tight far cluster). Optimizers: Adam, AdamW, momentum SGD, RMSprop, full batch or minibatches.
- made-mog-synth: MADE with a mixture of Gaussians as each conditional (MoG-MADE, Papamakarios et al. 2017) on
  synthetic data: a mixture of rotated anisotropic Gaussians in 2-8 dimensions (one rare component in part of the
  grid: too few training points in that part of the space), or a ring of 8 Gaussians; outliers as above; test on
  2,000 fresh clean draws; float32.
- coupling-flow-toys: a RealNVP-style flow (Dinh et al. 2017): an elementwise affine layer and L affine coupling
  layers (alternating binary masks; scale and shift from a small MLP of the kept coordinates, the scale soft-clamped
  by cap tanh(s / cap), the last layer zero so the flow starts at the identity) onto a standard normal base (a
  Student-t base in 1 run), on scikit-learn's 2-D generators (make_moons, make_circles, the swiss roll's plane),
  synthetic mixtures or the iris (dequantised), standardised on the clean training points; outliers as above; test on
  2,000 fresh clean draws (the held-out rows of the iris); float32.

Train loss: the mean negative log-likelihood per coordinate (nats) of the training rows, outliers included; test
loss: the same on the clean held-out rows (for the synthetic sets, 2,000 fresh draws); no error rates. Every test
set's density has an entropy well above zero per coordinate, so the test loss stays positive. A run whose loss turns
NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, take from train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and mlp from
train_sixtyfifth.py and logger and train_until (train_thirtyninth.py's epoch_loop with eval_epochs) from
train_seventyfourth.py; one thread, every random draw from a seeded torch.Generator (splits, dequantisation,
outliers, mixtures, masks' degrees, orderings, initialisations, minibatches; scikit-learn's generators get a seed
drawn from it), synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final
marks it.

    /usr/bin/python3 train_hundredninth.py --family made-gauss-tabular [--list] [--runs 0,3] [--out FILE]

Families (see README.md): made-gauss-tabular, made-mog-synth, coupling-flow-toys. Evaluation spacings: train.py's
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
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402  (U(+-1 / sqrt(fan-in)) from a generator)
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F32 = torch.float32
HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)

# the breast cancer's texture, smoothness, compactness, symmetry and fractal dimension (means and standard errors)
CANCER_COLS = [1, 4, 5, 8, 9, 11, 14, 15, 18, 19]


# ---------------------------------------------------------------------------------------------------- data


def dequantise(g, X):
    """Each column plus uniform noise of its resolution (the smallest gap between its distinct values), from g."""
    step = torch.stack([torch.diff(torch.unique(X[:, j])).min() for j in range(X.shape[1])])
    return X + (torch.rand(X.shape, generator=g, dtype=X.dtype) - 0.5) * step


def real_table(g, name, n):
    """scikit-learn's wine (13 columns), the breast cancer's CANCER_COLS (10) or the iris (4), dequantised, a seeded
    split into n training rows and the held-out rest, standardised on the training rows (float32)."""
    from sklearn.datasets import load_breast_cancer, load_iris, load_wine
    xs = {"wine": load_wine, "cancer": load_breast_cancer, "iris": load_iris}[name](return_X_y=True)[0]
    if name == "cancer":
        xs = xs[:, CANCER_COLS]
    X = dequantise(g, torch.tensor(xs, dtype=torch.float64))
    perm = torch.randperm(len(X), generator=g)
    x, xt = X[perm[:n]], X[perm[n:]]
    mu, sd = x.mean(0), x.std(0)
    return ((x - mu) / sd).to(F32), ((xt - mu) / sd).to(F32)


def rotation(g, d):
    q, r = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=torch.float64))
    return (q * torch.sign(torch.diagonal(r))).to(F32)


def mixture_sampler(g, c):
    """A sampler m -> m points of a synthetic density (from g): 'mix' K Gaussians in d dimensions, means N(0,
    spread^2 I), each of sds U(0.6, 1) along a random rotation, weights equal or (rare set) one component at weight
    'rare' and the others sharing the rest; 'ring' 8 Gaussians of sd 0.4 on a circle of radius 3 (d 2)."""
    if c["dist"] == "ring":
        ang = torch.arange(8, dtype=F32) * (2 * math.pi / 8)
        means = 3.0 * torch.stack([torch.cos(ang), torch.sin(ang)], 1)
        sds = torch.full((8, 2), 0.4)
        rots = torch.eye(2).expand(8, 2, 2)
        w = torch.full((8,), 1 / 8)
    else:
        d, K = c["d"], c["K"]
        means = c["spread"] * torch.randn(K, d, generator=g)
        sds = 0.6 + 0.4 * torch.rand(K, d, generator=g)
        rots = torch.stack([rotation(g, d) for _ in range(K)])
        if c.get("rare"):
            w = torch.cat([torch.tensor([c["rare"]]), torch.full((K - 1,), (1 - c["rare"]) / (K - 1))])
        else:
            w = torch.full((K,), 1 / K)

    def sample(m):
        k = torch.multinomial(w, m, replacement=True, generator=g)
        z = torch.randn(m, means.shape[1], generator=g) * sds[k]
        return means[k] + torch.einsum("nd,nde->ne", z, rots[k])
    return sample


def toy_sampler(g, c):
    """scikit-learn's 2-D generators (a seed for them drawn from g): 'moons' (noise 0.1), 'circles' (noise 0.08,
    factor 0.5), 'swiss' (the swiss roll's x-z plane, noise 0.5, divided by 5)."""
    import sklearn.datasets as sk

    def sample(m):
        rs = int(torch.randint(0, 2 ** 31 - 1, (1,), generator=g))
        if c["dist"] == "moons":
            xs = sk.make_moons(m, noise=0.1, random_state=rs)[0]
        elif c["dist"] == "circles":
            xs = sk.make_circles(m, noise=0.08, factor=0.5, random_state=rs)[0]
        else:
            xs = sk.make_swiss_roll(m, noise=0.5, random_state=rs)[0][:, [0, 2]] / 5
        return torch.tensor(xs, dtype=F32)
    return sample


def contaminate(g, x, c):
    """A share 'out' of the training rows replaced by gross outliers: 'box' uniform in [-B, B]^d, 'cluster' a tight
    cluster (sd 0.2) around a random point at distance B (B 'reach'); the rows as they are where out is not set."""
    if not c.get("out"):
        return x
    n, d = x.shape
    hit = torch.rand(n, generator=g) < c["out"]
    B = c["reach"]
    if c["okind"] == "box":
        o = (torch.rand(n, d, generator=g) * 2 - 1) * B
    else:
        u = torch.randn(d, generator=g)
        o = B * u / u.norm() + 0.2 * torch.randn(n, d, generator=g)
    return torch.where(hit[:, None], o, x)


def density_data(g, c):
    """(training rows, contaminated; clean held-out rows): real_table, or n and 2,000 fresh draws of a sampler
    (standardised on the clean training draws where 'std' is set)."""
    if c["dist"] in ("wine", "cancer", "iris"):
        x, xt = real_table(g, c["dist"], c["n"])
    else:
        sample = toy_sampler(g, c) if c["dist"] in ("moons", "circles", "swiss") else mixture_sampler(g, c)
        x, xt = sample(c["n"]), sample(2000)
        if c.get("std"):
            mu, sd = x.mean(0), x.std(0)
            x, xt = (x - mu) / sd, (xt - mu) / sd
    return contaminate(g, x, c), xt


# ---------------------------------------------------------------------------------------------------- fitting


def make_opt(params, c):
    """'adam', 'adamw' (decoupled decay wd), 'sgd' (momentum 0.9, coupled L2 wd) or 'rmsprop' at lr."""
    wd = c.get("wd") or 0.0
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"], weight_decay=wd)
    if c["opt"] == "adamw":
        return torch.optim.AdamW(params, lr=c["lr"], weight_decay=wd)
    if c["opt"] == "sgd":
        return torch.optim.SGD(params, lr=c["lr"], momentum=0.9, weight_decay=wd)
    return torch.optim.RMSprop(params, lr=c["lr"], weight_decay=wd)


def fit_density(w, run_id, c, g, params, nll, x, xt, model_info, tags):
    """Fits nll(rows) -> per-row, per-coordinate negative log-likelihoods by maximum likelihood (the mean, under
    make_opt; one epoch 'spe' full-batch steps or one pass of minibatches of 'batch', gradients clipped at norm 'clip'
    where set) and logs the mean per coordinate on the training rows and on the held-out rows."""
    n = len(x)
    opt = make_opt(params, c)

    def step(idx):
        for _ in range(1 if idx is not None else (c.get("spe") or 1)):
            opt.zero_grad()
            nll(take(x, idx)).mean().backward()
            if c.get("clip"):
                torch.nn.utils.clip_grad_norm_(params, c["clip"])
            opt.step()

    run = w.run(run_id, count(params), n, model_info,
                tags | {"optimizer": c["opt"], "loss": "nll-per-coordinate", "test_loss": "heldout-nll-per-coordinate",
                        "test_size": str(len(xt)), "dims": str(x.shape[1]),
                        "full_batch": "false" if c.get("batch") else "true"})
    log_ = logger(run)

    def log(e, final):
        log_(e, nll(x).mean(), nll(xt).mean(), final=final)

    train_until(g, n, c, step, log)


# ---------------------------------------------------------------------------------------------------- MADE


def soft_clamp(s, cap):
    return cap * torch.tanh(s / cap)


class Made:
    """MADE: hidden layers (act, sizes hids) whose units get degrees drawn from g in [min previous degree, d - 1], the
    inputs the degrees 1..d in an ordering (natural or a permutation from g); a weight from a unit of degree a to one of
    degree b kept where b >= a (hidden) or b > a (outputs and the direct input-output weights). P outputs per
    coordinate (P blocks of d). Weights U(+-1 / sqrt(fan-in)) from g, the direct ones zero."""

    def __init__(self, g, d, hids, P, act, order):
        deg = torch.randperm(d, generator=g) + 1 if order == "random" else torch.arange(1, d + 1)
        degs, self.masks, params = [deg], [], []
        for h in hids:
            lo = min(int(degs[-1].min()), d - 1)
            degs.append(torch.randint(lo, d, (h,), generator=g))
        sizes = [d] + list(hids)
        for i, h in enumerate(hids):
            self.masks.append((degs[i + 1][None, :] >= degs[i][:, None]).to(F32))
            params += [uniform(g, sizes[i], sizes[i], h), uniform(g, sizes[i], h)]
        self.masks.append((deg[None, :] > degs[-1][:, None]).to(F32).repeat(1, P))
        self.masks.append((deg[None, :] > deg[:, None]).to(F32).repeat(1, P))
        params += [uniform(g, sizes[-1], sizes[-1], P * d), uniform(g, sizes[-1], P * d), torch.zeros(d, P * d)]
        self.params = leaves(params)
        self.act = torch.tanh if act == "tanh" else torch.relu
        self.d, self.P = d, P

    def __call__(self, x):
        p, m, z = self.params, self.masks, x
        nh = len(m) - 2
        for i in range(nh):
            z = self.act(z @ (p[2 * i] * m[i]) + p[2 * i + 1])
        out = z @ (p[2 * nh] * m[nh]) + p[2 * nh + 1] + x @ (p[-1] * m[-1])
        return out.view(len(x), self.P, self.d)


def conditional_nll(kind, out, x, K=1, nu=4.0):
    """Per-coordinate NLL of x under MADE's outputs: 'gauss' (location, log-scale), 'laplace', 'student' (nu degrees
    of freedom) or 'mog' (K logits, K means, K log-sds); log-scales soft-clamped to +-5."""
    if kind == "mog":
        logw = torch.log_softmax(out[:, :K], 1)
        mu, ls = out[:, K:2 * K], soft_clamp(out[:, 2 * K:3 * K], 5.0)
        z = (x[:, None, :] - mu) / torch.exp(ls)
        return -torch.logsumexp(logw - 0.5 * z * z - ls - HALF_LOG_2PI, 1)
    mu, ls = out[:, 0], soft_clamp(out[:, 1], 5.0)
    z = (x - mu) / torch.exp(ls)
    if kind == "gauss":
        return 0.5 * z * z + ls + HALF_LOG_2PI
    if kind == "laplace":
        return z.abs() + ls + math.log(2)
    return (math.lgamma(nu / 2) - math.lgamma((nu + 1) / 2) + 0.5 * math.log(nu * math.pi) + ls
            + (nu + 1) / 2 * torch.log1p(z * z / nu))


def made_density(w, run_id, c, seed_base):
    g = torch.Generator().manual_seed(seed_base + c["seed"])
    x, xt = density_data(g, c)
    d = x.shape[1]
    K = c.get("comps") or 1
    kind = c["cond"]
    net = Made(g, d, [c["hid"]] * c["depth"], 3 * K if kind == "mog" else 2, c["act"], c["order"])

    def nll(z):
        return conditional_nll(kind, net(z), z, K)

    fit_density(w, run_id, c, g, net.params, nll, x, xt,
                {"family": "made", "width": c["hid"], "depth": c["depth"], "activation": c["act"],
                 "conditional": kind + ("%d" % K if kind == "mog" else "")},
                settings(c, ("seed", "dist", "n", "d", "K", "spread", "rare", "std", "out", "okind", "reach", "hid",
                             "depth", "act", "order", "cond", "comps", "opt", "lr", "wd", "spe", "batch", "clip",
                             "eval")))


def made_gauss_tabular(w, run_id, c):
    """MADE with a Gaussian (Laplace, Student-t) conditional on a scikit-learn table: density_data (real_table,
    contaminate), Made, conditional_nll, fit_density; float32."""
    made_density(w, run_id, c, 1_091_000)


def made_mog_synth(w, run_id, c):
    """MADE with a mixture-of-Gaussians conditional on synthetic mixtures: density_data (mixture_sampler,
    contaminate), Made, conditional_nll, fit_density; float32."""
    made_density(w, run_id, c, 1_092_000)


def runs_made_gauss_tabular():
    # The logic: 80 of the wine's 178 rows for training (the 98 others held out), 5% of them replaced by gross
    # outliers uniform in a box of +-5 sd; MADE 13 -> 128 ReLU -> 26 (one Gaussian conditional a column, natural
    # ordering; about 5,400 weights, five a training value) under full-batch Adam at 1e-3, 2 steps an epoch, 150 epochs
    # (300 steps): the conditionals' means and scales are learned within a hundred steps or so, the held-out NLL falling,
    # then the network memorises the few training rows (and the outliers), their scales shrinking, the held-out NLL
    # rising. One thing at a time besides: clean rows and 15% outliers, a tight far cluster of outliers, 40 and 130
    # rows, the Laplace and the Student-t (4) conditional, tanh, two hidden layers of 64, width 32, a random ordering,
    # AdamW (decay 0.1), momentum SGD at 0.01, RMSprop at 1e-3, minibatches of 16, the breast cancer's 10 columns (150
    # and 60 rows, 10% outliers in the latter) and the iris (50 rows; 30 under the Student-t). Evaluation spacing mixed.
    base = dict(dist="wine", n=80, out=0.05, okind="box", reach=5.0, hid=128, depth=1, act="relu", order="natural",
                cond="gauss", opt="adam", lr=1e-3, wd=None, spe=2, batch=None, epochs=150, eval="every")
    return made_gauss_tabular, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(out=None, okind=None, reach=None, eval="every:2"),
        dict(out=0.15, eval="log:40"),
        dict(okind="cluster", reach=6.0, eval="every"),
        dict(n=40, eval="jitter:40"),
        dict(n=130, eval="every:3"),
        dict(cond="laplace", eval="every"),
        dict(cond="student", eval="geom:2"),
        dict(act="tanh", eval="every:2"),
        dict(hid=64, depth=2, eval="mixed:40:3"),
        dict(hid=32, eval="every"),
        dict(order="random", eval="burst:20:5"),
        dict(opt="adamw", wd=0.1, eval="every:2"),
        dict(opt="sgd", lr=0.01, eval="every"),
        dict(opt="rmsprop", lr=1e-3, eval="mixlog:30:40"),
        dict(batch=16, spe=None, epochs=100, eval="every"),
        dict(dist="cancer", n=150, eval="every:2"),
        dict(dist="cancer", n=60, out=0.1, eval="rand:70"),
        dict(dist="iris", n=50, eval="every"),
        dict(dist="iris", n=30, cond="student", eval="every:3"),
    ], lambda d: "%s-n%d%s-made%s%dx%d-%s-%s-%s-lr%g%s%s" % (
        d["dist"], d["n"], "-out%g%s" % (d["out"], d["okind"]) if d.get("out") else "-clean", d["act"], d["depth"],
        d["hid"], d["order"], d["cond"], d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "",
        "-b%d" % d["batch"] if d.get("batch") else "-full%d" % d["spe"]))


def runs_made_mog_synth():
    # The logic: 150 draws of a mixture of 5 rotated anisotropic Gaussians in 4 dimensions (means N(0, 2.5^2 I), sds
    # 0.6-1), 5% of them replaced by outliers uniform in a box of +-8; MoG-MADE 4 -> 96 ReLU -> 36 (3 Gaussians a
    # conditional; about 4,000 weights, seven a training value) under full-batch Adam at 3e-3, 4 steps an epoch, 150
    # epochs: the mixture's modes are found first, the held-out NLL on 2,000 fresh clean draws falling, then the
    # components narrow onto the few training points (and the outliers), the held-out NLL rising. One thing at a time
    # besides: 60 and 400 draws, clean draws and 15% outliers, a tight far cluster of outliers, one rare component
    # (weight 3%: few training points there), the ring of 8 Gaussians in 2-D, 8 dimensions, one Gaussian a conditional
    # and 8, two hidden layers, width 256, tanh, a random ordering, minibatches of 32, momentum SGD at 0.01, AdamW
    # (decay 0.05), the step 1e-2 (clipped at norm 5). Evaluation spacing mixed.
    base = dict(dist="mix", d=4, K=5, spread=2.5, rare=None, n=150, out=0.05, okind="box", reach=8.0, hid=96, depth=1,
                act="relu", order="natural", cond="mog", comps=3, opt="adam", lr=3e-3, wd=None, spe=4, batch=None,
                clip=None, epochs=150, eval="every")
    return made_mog_synth, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=60, eval="every:2"),
        dict(n=400, eval="log:40"),
        dict(out=None, okind=None, reach=None, eval="every"),
        dict(out=0.15, eval="jitter:40"),
        dict(okind="cluster", reach=10.0, eval="every:3"),
        dict(rare=0.03, eval="every"),
        dict(dist="ring", d=2, K=None, spread=None, eval="mixed:30:2"),
        dict(d=8, eval="every:2"),
        dict(comps=1, eval="every"),
        dict(comps=8, eval="geom:3"),
        dict(depth=2, eval="every"),
        dict(hid=256, eval="burst:25:5"),
        dict(act="tanh", eval="every:2"),
        dict(order="random", eval="every"),
        dict(batch=32, spe=None, epochs=100, eval="mixlog:20:40"),
        dict(opt="sgd", lr=0.01, eval="every:2"),
        dict(opt="adamw", wd=0.05, eval="every"),
        dict(lr=1e-2, clip=5.0, eval="rand:80"),
    ], lambda d: "%s%s-n%d%s%s-made%s%dx%d-%s-%s%d-%s-lr%g%s%s" % (
        d["dist"], "-d%dK%d" % (d["d"], d["K"]) if d["dist"] == "mix" else "", d["n"],
        "-rare%g" % d["rare"] if d.get("rare") else "",
        "-out%g%s" % (d["out"], d["okind"]) if d.get("out") else "-clean", d["act"], d["depth"], d["hid"], d["order"],
        d["cond"], d["comps"], d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "",
        "-b%d" % d["batch"] if d.get("batch") else "-full%d" % d["spe"]))


# ---------------------------------------------------------------------------------------------------- coupling flow


def coupling_flow_toys(w, run_id, c):
    """A RealNVP-style flow, float32. Data: density_data (toy_sampler, mixture_sampler or real_table; contaminate).
    Model: x -> x exp(a) + b (elementwise, a = b = 0 at the start), then 'layers' affine couplings: with a binary mask
    m (cycling over even / odd coordinates, and for 4 or more coordinates first half / second half), s, t from an MLP
    (d -> hid (act) -> hid (act) -> 2d, U(+-1 / sqrt(fan-in)) from g, its last layer zero) of m x, s soft-clamped to
    cap tanh(s / cap), x -> m x + (1 - m)(x exp(s) + t), log-determinant sum (1 - m) s; the base density the standard
    normal, or (base 'student') independent Student-t coordinates of 'nu' degrees of freedom. Loss: the NLL per
    coordinate by the change of variables; fit_density."""
    g = torch.Generator().manual_seed(1_093_000 + c["seed"])
    x, xt = density_data(g, c)
    d = x.shape[1]
    L, h, cap = c["layers"], c["hid"], c["cap"]
    act = torch.tanh if c["act"] == "tanh" else torch.relu
    idx = torch.arange(d)
    kinds = [idx % 2 == 0, idx % 2 == 1] + ([idx < d // 2, idx >= d // 2] if d >= 4 else [])
    masks = [kinds[l % len(kinds)].to(F32) for l in range(L)]
    nets = []
    for _ in range(L):
        p = mlp_params(g, [d, h, h, 2 * d], F32)
        with torch.no_grad():
            p[-2].zero_()
            p[-1].zero_()
        nets.append(p)
    a, b = leaves([torch.zeros(d), torch.zeros(d)])
    params = [a, b] + [q for p in nets for q in p]
    nu = c.get("nu") or 5.0

    def nll(z):
        logdet = a.sum().expand(len(z))
        z = z * torch.exp(a) + b
        for m, p in zip(masks, nets):
            st = mlp(p, z * m, act)
            s, t = soft_clamp(st[:, :d], cap) * (1 - m), st[:, d:] * (1 - m)
            z = z * torch.exp(s) + t
            logdet = logdet + s.sum(1)
        if c["base"] == "student":
            lp = (math.lgamma((nu + 1) / 2) - math.lgamma(nu / 2) - 0.5 * math.log(nu * math.pi)
                  - (nu + 1) / 2 * torch.log1p(z * z / nu))
        else:
            lp = -0.5 * z * z - HALF_LOG_2PI
        return -(lp + (logdet / d)[:, None])

    fit_density(w, run_id, c, g, params, nll, x, xt,
                {"family": "realnvp", "layers": L, "width": h, "activation": c["act"], "base": c["base"]},
                settings(c, ("seed", "dist", "n", "d", "K", "spread", "std", "out", "okind", "reach", "layers", "hid",
                             "act", "cap", "base", "nu", "opt", "lr", "wd", "spe", "batch", "clip", "eval")))


def runs_coupling_flow_toys():
    # The logic: 200 draws of scikit-learn's two moons (noise 0.1), standardised, 5% of them replaced by outliers
    # uniform in a box of +-5; a flow of an elementwise affine layer and 6 affine couplings (MLPs 2 -> 48 tanh -> 48
    # tanh -> 4, scale cap 2; about 15,000 weights) onto a standard normal, full-batch Adam at 3e-3, 2 steps an epoch,
    # 120 epochs: the moons' shape is learned first, the held-out NLL on 2,000 fresh clean draws falling, then the
    # flow may fold density onto the few training points and the outliers, the held-out NLL rising (sooner with fewer
    # points or more capacity). One thing at a time
    # besides: 60 and 600 draws, clean draws and 15% outliers, a tight far cluster of outliers, the circles, the swiss
    # roll's plane, the ring of 8 Gaussians (standardised), a mixture of 5 Gaussians in 4 dimensions (not
    # standardised), the iris (60 rows), a Student-t base (5 degrees of freedom), 3 and 10 couplings, width 16 and
    # 128, ReLU, the scale cap 5, minibatches of 32, momentum SGD at 0.01 (clipped at norm 10), AdamW (decay 0.01).
    # Evaluation spacing mixed.
    base = dict(dist="moons", n=200, std=True, out=0.05, okind="box", reach=5.0, layers=6, hid=48, act="tanh", cap=2.0,
                base="normal", opt="adam", lr=3e-3, wd=None, spe=2, batch=None, clip=None, epochs=120, eval="every")
    return coupling_flow_toys, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=60, eval="every:2"),
        dict(n=600, eval="log:40"),
        dict(out=None, okind=None, reach=None, eval="every"),
        dict(out=0.15, eval="jitter:40"),
        dict(okind="cluster", reach=6.0, eval="every:3"),
        dict(dist="circles", eval="every"),
        dict(dist="swiss", eval="mixed:30:2"),
        dict(dist="ring", eval="every:2"),
        dict(dist="mix", d=4, K=5, spread=2.5, std=None, reach=8.0, eval="every"),
        dict(dist="iris", n=60, std=None, eval="geom:2"),
        dict(base="student", nu=5.0, eval="every"),
        dict(layers=3, eval="burst:20:5"),
        dict(layers=10, eval="every:2"),
        dict(hid=16, eval="every"),
        dict(hid=128, eval="mixlog:20:40"),
        dict(act="relu", eval="every:2"),
        dict(cap=5.0, eval="every"),
        dict(batch=32, spe=None, epochs=80, eval="every:2"),
        dict(opt="sgd", lr=0.01, clip=10.0, eval="rand:70"),
        dict(opt="adamw", wd=0.01, eval="every"),
    ], lambda d: "%s%s-n%d%s-flow%dx%s%d-cap%g-%s-%s-lr%g%s%s" % (
        d["dist"], "-d%dK%d" % (d["d"], d["K"]) if d["dist"] == "mix" else "", d["n"],
        "-out%g%s" % (d["out"], d["okind"]) if d.get("out") else "-clean", d["layers"], d["act"], d["hid"], d["cap"],
        d["base"], d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "",
        "-b%d" % d["batch"] if d.get("batch") else "-full%d" % d["spe"]))


FAMILIES = {"made-gauss-tabular": runs_made_gauss_tabular, "made-mog-synth": runs_made_mog_synth,
            "coupling-flow-toys": runs_coupling_flow_toys}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
