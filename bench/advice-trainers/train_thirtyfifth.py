#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, thirty-fifth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 110 families of train.py ... train_thirtyfourth.py in model, loss,
optimizer, noise and data. The theme of the round is the negative log-likelihood of a continuous density, so that the
train loss goes below zero wherever the fitted density exceeds 1 at the training points:

- vonmises-glm: a von Mises regression of angles, a GLM whose natural parameter eta = kappa (cos mu, sin mu) is
  linear in two-scale inputs, fitted on the von Mises NLL (convex in eta) by a hand-written quasi-hyperbolic momentum
  (QHM), under von Mises noise with a share of uniform angles, judged by the held-out NLL of fresh clean angles in
  excess of the true density's;
- maf-flow: a masked autoregressive flow (MAF: MADE conditioners, affine autoregressive layers with the order reversed
  between them) of a density in 4-6 dimensions whose fast part is a banana of two clusters at unit scale and whose slow
  part is a pair of coordinates at a small scale, the second a function of the first, fitted by a hand-written MADGRAD,
  judged by the held-out NLL per point in excess of the true density's (or, on scikit-learn's iris, the held-out NLL);
- studentt-net: a heteroscedastic Student-t regression by a GELU network with a location and a log-scale head and a
  learned number of degrees of freedom, fitted on the Student-t NLL by a hand-written AdaBound over minibatches, under
  heavy-tailed noise whose scale depends on the input, judged by the held-out NLL in excess of the true conditional
  density's (or, on scikit-learn's diabetes, the held-out NLL).

The test losses are excess NLLs (an estimate of a KL divergence, at least about zero) where the true density is known,
so that census.py's relative thresholds (10% above the running minimum, 2% below the first minimum) keep their meaning;
the train losses are the NLLs themselves and go below zero. The file format, determinism and helpers are the earlier
files': Writer and the command line from train.py, epochs_of and settings from train_more.py, dict_runs from
train_seventh.py, batches from train_twentyfirst.py, logged_loop and diabetes_products from train_thirtythird.py; one
thread, every random draw from a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_thirtyfifth.py --family vonmises-glm [--list] [--runs 0,3] [--out FILE]

Families (see README.md): vonmises-glm, maf-flow, studentt-net. Evaluation spacings: train.py's 'every', 'every:K',
'log:K' and train_more.py's 'jitter:K', 'rand:M'.
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
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_twentyfirst import batches  # noqa: E402
from train_thirtythird import diabetes_products, logged_loop  # noqa: E402

torch.set_num_threads(1)
LOG_2PI = math.log(2 * math.pi)


# ---------------------------------------------------------------------------------------------------- vonmises-glm


def log_i0(k):
    """log I0(k) for k >= 0, stably (the exponentially scaled Bessel function)."""
    return torch.log(torch.special.i0e(k)) + k


def vm_sample(g, kappa, mu):
    """Von Mises draws, elementwise, by Best & Fisher's (1979) rejection sampler, every uniform from g (torch's von
    Mises sampler takes no Generator); the still rejected entries are drawn again, all at once, until none is left."""
    k = kappa.clamp(min=1e-4)
    tau = 1 + torch.sqrt(1 + 4 * k ** 2)
    rho = (tau - torch.sqrt(2 * tau)) / (2 * k)
    r = (1 + rho ** 2) / (2 * rho)
    out = torch.zeros_like(k)
    todo = torch.ones_like(k, dtype=torch.bool)
    while bool(todo.any()):
        idx = todo.nonzero()[:, 0]
        u1, u2, u3 = (torch.rand(len(idx), generator=g, dtype=k.dtype) for _ in range(3))
        z = torch.cos(math.pi * u1)
        f = (1 + r[idx] * z) / (r[idx] + z)
        cc = k[idx] * (r[idx] - f)
        ok = (cc * (2 - cc) - u2 > 0) | (torch.log(cc / u2) + 1 - cc >= 0)
        th = torch.sign(u3 - 0.5) * torch.acos(f.clamp(-1, 1))
        out[idx[ok]] = th[ok]
        todo[idx[ok]] = False
    return torch.remainder(out + mu + math.pi, 2 * math.pi) - math.pi


def vm_nll(eta, u):
    """The mean von Mises NLL of unit vectors u = (cos y, sin y) under natural parameters eta (m x 2):
    log(2 pi I0(|eta|)) - eta . u, per point."""
    k = eta.norm(dim=1)
    return LOG_2PI + log_i0(k) - (eta * u).sum(1)


def vonmises_glm(w, run_id, c):
    """A von Mises regression of angles (Fisher & Lee 1992; Gould 1969), float64: y ~ VM(mu(x), kappa(x)) written as
    an exponential family, its natural parameter eta = kappa (cos mu, sin mu) = b + W x linear in the inputs (2 x d
    weights and 2 intercepts, all from zero: the uniform density), its NLL log(2 pi I0(|eta|)) - eta . (cos y, sin y)
    convex in (W, b). Data: c['df'] Gaussian inputs of scale 1 and c['ds'] of scale c['s'] (two_scale_inputs); the true
    eta = (c['k0'], 0) + A x, A's rows a fast part of power c['F'] and a slow part of power c['S'] (at unit scale in
    eta); c['n'] training angles from the true von Mises, a share c['outl'] of them replaced by uniform angles (a
    contamination the concentrated likelihood pays for), and 5,000 fresh clean test angles. Gradient in closed form:
    dNLL / deta = A1(|eta|) eta / |eta| - u, A1 = I1 / I0. Optimizer: a hand-written quasi-hyperbolic momentum (QHM,
    Ma & Yarats 2019), buf <- beta buf + (1 - beta) grad, step lr ((1 - nu) grad + nu buf): nu c['nu'] (0, gradient
    descent; 1, normalised heavy ball) and beta c['beta'], full batch or (c['batch']) minibatches, one epoch a pass.
    Train loss: the training angles' mean NLL (below zero once the fitted concentration passes about 2 pi e); test
    loss: the test angles' mean NLL minus the true density's mean NLL on the same angles, an estimate of the KL
    divergence of the fitted conditional density from the true one."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(350_000 + c["seed"])
    df, ds, s, n = c["df"], c["ds"], c["s"], c["n"]
    d = df + ds
    A = torch.cat([torch.randn(2, df, generator=g) * math.sqrt(c["F"] / df),
                   torch.randn(2, ds, generator=g) * math.sqrt(c["S"] / max(ds, 1)) / s], 1)
    b0 = torch.tensor([c["k0"], 0.0])

    def draw(m, outl):
        x = two_scale_inputs(g, m, df, ds, s)
        eta = b0 + x @ A.T
        y = vm_sample(g, eta.norm(dim=1), torch.atan2(eta[:, 1], eta[:, 0]))
        if outl:
            bad = torch.rand(m, generator=g) < outl
            y = torch.where(bad, (torch.rand(m, generator=g) * 2 - 1) * math.pi, y)
        return x, torch.stack([torch.cos(y), torch.sin(y)], 1), eta

    x, u, _ = draw(n, c.get("outl"))
    xt, ut, etat = draw(5000, None)
    true_t = float(vm_nll(etat, ut).mean())
    W = torch.zeros(2, d)
    b = torch.zeros(2)
    bufW, bufb = torch.zeros(2, d), torch.zeros(2)
    run = w.run(run_id, 2 * d + 2, n, {"family": "vonmises-glm", "inputs": d},
                settings(c, ("seed", "n", "df", "ds", "s", "k0", "F", "S", "outl", "nu", "beta", "lr", "batch", "eval"))
                | {"optimizer": "qhm", "loss": "vonmises-nll", "test_loss": "excess-nll"})

    def step(e):
        nonlocal W, b, bufW, bufb
        for idx in batches(g, n, c.get("batch")):
            xb, ub = (x, u) if idx is None else (x[idx], u[idx])
            eta = b + xb @ W.T
            k = eta.norm(dim=1, keepdim=True).clamp(min=1e-12)
            ratio = torch.special.i1e(k) / torch.special.i0e(k)
            ge = ratio * eta / k - ub  # dNLL / deta per point
            gW, gb = ge.T @ xb / len(xb), ge.mean(0)
            bufW = c["beta"] * bufW + (1 - c["beta"]) * gW
            bufb = c["beta"] * bufb + (1 - c["beta"]) * gb
            W = W - c["lr"] * ((1 - c["nu"]) * gW + c["nu"] * bufW)
            b = b - c["lr"] * ((1 - c["nu"]) * gb + c["nu"] * bufb)

    def log(e, final):
        run.log(e, vm_nll(b + x @ W.T, u).mean(), vm_nll(b + xt @ W.T, ut).mean() - true_t, final=final)

    logged_loop(c, step, log)
    torch.set_default_dtype(torch.float32)


def runs_vonmises_glm():
    base = dict(n=250, df=60, ds=20, s=0.1, k0=30.0, F=100.0, S=200.0, outl=0.02, nu=0.7, beta=0.999, lr=2.0,
                batch=None, epochs=10000, eval="log:35")
    return vonmises_glm, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=200, eval="every:20"),
        dict(n=400, eval="jitter:35"),
        dict(df=100, eval="log:40"),
        dict(ds=40, eval="rand:300"),
        dict(S=0.0, eval="every:25"),
        dict(S=400.0, eval="log:35"),
        dict(s=0.3, epochs=3000, eval="every:10"),
        dict(s=0.05, eval="jitter:30"),
        dict(outl=None, eval="log:35"),
        dict(outl=0.1, eval="every:20"),
        dict(k0=10.0, F=25.0, S=50.0, eval="log:30"),
        dict(F=200.0, eval="log:35"),
        dict(nu=0.0, eval="rand:300"),
        dict(nu=1.0, beta=0.99, eval="every:25"),
        dict(beta=0.9, eval="jitter:35"),
        dict(lr=0.5, epochs=20000, eval="log:35"),
        dict(lr=6.0, eval="every:20"),
        dict(batch=25, epochs=2000, eval="every:5"),
    ], lambda d: "n%d-df%d-ds%d-s%g-k%g-F%g-S%g%s-nu%g-beta%g-lr%g%s" % (
        d["n"], d["df"], d["ds"], d["s"], d["k0"], d["F"], d["S"], "-outl%g" % d["outl"] if d.get("outl") else "",
        d["nu"], d["beta"], d["lr"], "-b%d" % d["batch"] if d.get("batch") else ""))


# ---------------------------------------------------------------------------------------------------- maf-flow


class MADE(torch.nn.Module):
    """A MADE (Germain et al. 2015) with one tanh hidden layer of h units: hidden unit j has degree 1 + j mod (D - 1)
    and sees the inputs of order <= its degree; output k (a shift and a log-scale) sees the hidden units of degree < k,
    so that the conditioner of the k-th coordinate in the order reads only the coordinates before it. A masked direct
    linear path from the inputs to the shifts too. The output layer starts at zero: the layer starts as the identity."""

    def __init__(self, D, h, g):
        super().__init__()
        deg_h = 1 + torch.arange(h) % max(D - 1, 1)
        deg_in = torch.arange(1, D + 1)
        self.m1 = (deg_h[:, None] >= deg_in[None, :]).double()  # h x D
        self.m2 = (deg_in[:, None] > deg_h[None, :]).double()  # D x h
        self.md = (deg_in[:, None] > deg_in[None, :]).double()  # D x D, strictly lower
        self.W1 = torch.nn.Parameter(torch.randn(h, D, generator=g, dtype=torch.float64) / math.sqrt(D))
        self.b1 = torch.nn.Parameter(torch.zeros(h, dtype=torch.float64))
        self.Wm = torch.nn.Parameter(torch.zeros(D, h, dtype=torch.float64))
        self.Ws = torch.nn.Parameter(torch.zeros(D, h, dtype=torch.float64))
        self.Wd = torch.nn.Parameter(torch.zeros(D, D, dtype=torch.float64))
        self.bm = torch.nn.Parameter(torch.zeros(D, dtype=torch.float64))
        self.bs = torch.nn.Parameter(torch.zeros(D, dtype=torch.float64))

    def forward(self, z):
        """(u, log|det|): u = (z - m(z)) exp(-ls(z)), coordinatewise in the autoregressive order."""
        hid = torch.tanh(z @ (self.W1 * self.m1).T + self.b1)
        m = hid @ (self.Wm * self.m2).T + z @ (self.Wd * self.md).T + self.bm
        ls = hid @ (self.Ws * self.m2).T + self.bs
        return (z - m) * torch.exp(-ls), -ls.sum(1)


def flow_data(g, c):
    """(x, xt, true_nll_t): c['n'] training and 5,000 test points, or the iris rows. 'synth': coordinate 1 a mixture
    of two clusters at +-1 (std 0.5), coordinate 2 a banana, 0.5 (x1^2 - 1.25) plus noise 0.3 (the fast part, at unit
    scale); c['pairs'] slow pairs, a = s N(0, 1) and b = c['S'] tanh(2 a / s) plus noise c['noise'] (the second a
    function of the first, read through a coordinate at the small scale s); the true log density in closed form. The
    coordinates in the order 1, 2, a_1, b_1, ...: the conditioner of b reads a. 'iris': scikit-learn's iris, its four
    columns standardised on the c['n'] training rows, the others the test set (no true density)."""
    if c["data"] == "iris":
        from sklearn.datasets import load_iris
        X = torch.tensor(load_iris().data, dtype=torch.float64)
        perm = torch.randperm(len(X), generator=g)
        tr, te = X[perm[:c["n"]]], X[perm[c["n"]:]]
        mu, sd = tr.mean(0), tr.std(0)
        return (tr - mu) / sd, (te - mu) / sd, None
    s, S, nz, P = c["s"], c["S"], c["noise"], c["pairs"]

    def draw(m):
        sign = torch.where(torch.rand(m, generator=g) < 0.5, -1.0, 1.0).double()
        x1 = sign + 0.5 * torch.randn(m, generator=g, dtype=torch.float64)
        x2 = 0.5 * (x1 ** 2 - 1.25) + 0.3 * torch.randn(m, generator=g, dtype=torch.float64)
        cols, logp = [x1, x2], 0.0
        logp = torch.logsumexp(torch.stack([-0.5 * ((x1 - 1) / 0.5) ** 2, -0.5 * ((x1 + 1) / 0.5) ** 2]), 0) \
            - math.log(2) - math.log(0.5) - 0.5 * LOG_2PI
        logp = logp - 0.5 * ((x2 - 0.5 * (x1 ** 2 - 1.25)) / 0.3) ** 2 - math.log(0.3) - 0.5 * LOG_2PI
        for _ in range(P):
            a = s * torch.randn(m, generator=g, dtype=torch.float64)
            bb = S * torch.tanh(2 * a / s) + nz * torch.randn(m, generator=g, dtype=torch.float64)
            logp = logp - 0.5 * (a / s) ** 2 - math.log(s) - 0.5 * LOG_2PI
            logp = logp - 0.5 * ((bb - S * torch.tanh(2 * a / s)) / nz) ** 2 - math.log(nz) - 0.5 * LOG_2PI
            cols += [a, bb]
        return torch.stack(cols, 1), -logp

    x, _ = draw(c["n"])
    xt, nlt = draw(5000)
    return x, xt, float(nlt.mean())


class MADGRAD(torch.optim.Optimizer):
    """MADGRAD (Defazio & Jelassi 2021), written out, without weight decay: a dual-averaging method with a cube-root
    denominator; lambda_k = lr sqrt(k + 1), s += lambda_k g, v += lambda_k g^2, z = x0 - s / (v^(1/3) + eps), and the
    iterate moved towards z, x <- (1 - c) x + c z with c = 1 - momentum."""

    def __init__(self, params, lr, momentum=0.9, eps=1e-6):
        super().__init__(params, dict(lr=lr, momentum=momentum, eps=eps))
        self.k = 0

    @torch.no_grad()
    def step(self):
        for grp in self.param_groups:
            lam = grp["lr"] * math.sqrt(self.k + 1)
            ck = 1 - grp["momentum"]
            for p in grp["params"]:
                st = self.state[p]
                if not st:
                    st["s"], st["v"], st["x0"] = torch.zeros_like(p), torch.zeros_like(p), p.detach().clone()
                st["s"].add_(lam * p.grad)
                st["v"].add_(lam * p.grad ** 2)
                z = st["x0"] - st["s"] / (st["v"].pow(1.0 / 3) + grp["eps"])
                p.mul_(1 - ck).add_(ck * z)
        self.k += 1


def maf_flow(w, run_id, c):
    """A masked autoregressive flow (Papamakarios, Pavlakou & Murray 2017), float64: c['layers'] MADE layers (MADE, a
    tanh hidden layer of c['h'] units), the coordinate order reversed between layers, then a standard normal base; the
    input first standardised per coordinate by the training points' means and deviations (a fixed affine layer, its
    log-determinant counted) on iris, not on the synthetic runs (c['raw']), so that the small-scale coordinate a
    reaches the conditioner of the next one at its own scale s, and the dependence of b on a is learned slowly. Loss: the
    exact NLL per point by the change of variables. Data: flow_data. Optimizer: the hand-written MADGRAD at c['lr']
    (momentum 0.9), or (c['opt']) Adam; full batch or (c['batch']) minibatches, one epoch a pass. Train loss: the
    training points' mean NLL (below zero once the small-scale coordinates' density is learned); test loss: the test
    points' mean NLL minus the true density's (an estimate of the KL divergence), or on iris the held-out NLL."""
    g = torch.Generator().manual_seed(351_000 + c["seed"])
    x, xt, true_t = flow_data(g, c)
    n, D = x.shape
    layers = torch.nn.ModuleList([MADE(D, c["h"], g) for _ in range(c["layers"])])
    if c.get("raw"):
        shift, scale = torch.zeros(D, dtype=torch.float64), torch.ones(D, dtype=torch.float64)
    else:
        shift, scale = x.mean(0), x.std(0)

    def nll(xx):
        z = (xx - shift) / scale
        ld = -torch.log(scale).sum() * torch.ones(len(xx), dtype=torch.float64)
        for j, layer in enumerate(layers):
            if j % 2 == 1:
                z = z.flip(1)
            z, l = layer(z)
            ld = ld + l
        return (0.5 * (z ** 2).sum(1) + 0.5 * D * LOG_2PI - ld).mean()

    params = list(layers.parameters())
    opt = MADGRAD(params, c["lr"]) if c["opt"] == "madgrad" else torch.optim.Adam(params, lr=c["lr"])
    run = w.run(run_id, sum(p.numel() for p in params), n, {"family": "maf", "dim": D, "layers": c["layers"],
                                                           "hidden": c["h"]},
                settings(c, ("seed", "data", "n", "pairs", "s", "S", "noise", "layers", "h", "raw", "opt", "lr",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "flow-nll",
                   "test_loss": "excess-nll" if true_t is not None else "heldout-nll"})

    def step(e):
        for idx in batches(g, n, c.get("batch")):
            opt.zero_grad()
            nll(x if idx is None else x[idx]).backward()
            opt.step()

    def log(e, final):
        with torch.no_grad():
            te = float(nll(xt))
            run.log(e, nll(x), te - true_t if true_t is not None else te, final=final)

    logged_loop(c, step, log)


def runs_maf_flow():
    base = dict(data="synth", n=300, pairs=1, s=0.05, S=1.0, noise=0.1, layers=2, h=32, raw=True, opt="madgrad",
                lr=0.001, batch=None, epochs=2000, eval="jitter:35")
    return maf_flow, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=150, eval="rand:200"),
        dict(n=600, eval="every:20"),
        dict(s=0.03, eval="log:35"),
        dict(s=0.1, eval="every:10"),
        dict(S=0.5, eval="jitter:30"),
        dict(S=2.0, eval="every:25"),
        dict(noise=0.05, eval="log:35"),
        dict(pairs=2, eval="every:20"),
        dict(pairs=0, eval="log:40"),
        dict(h=16, eval="rand:250"),
        dict(h=64, eval="every:10"),
        dict(layers=1, eval="jitter:35"),
        dict(layers=4, eval="every:20"),
        dict(opt="adam", eval="log:35"),
        dict(lr=0.003, eval="every:10"),
        dict(batch=50, epochs=500, eval="every:5"),
        dict(data="iris", n=100, pairs=None, s=None, S=None, noise=None, raw=None, eval="log:35"),
        dict(data="iris", n=60, pairs=None, s=None, S=None, noise=None, raw=None, eval="every:10"),
    ], lambda d: "%s-n%d%s-L%d-h%d-%s-lr%g%s" % (
        d["data"], d["n"], "-pairs%d-s%g-S%g-noise%g" % (d["pairs"], d["s"], d["S"], d["noise"])
        if d["data"] == "synth" else "", d["layers"], d["h"], d["opt"], d["lr"],
        "-b%d" % d["batch"] if d.get("batch") else ""))


# ---------------------------------------------------------------------------------------------------- studentt-net


def t_nll(mu, ls, nu, y):
    """The Student-t NLL per point of y under location mu, scale exp(ls) and nu degrees of freedom."""
    z = (y - mu) * torch.exp(-ls)
    return (-torch.lgamma((nu + 1) / 2) + torch.lgamma(nu / 2) + 0.5 * torch.log(nu * math.pi) + ls
            + (nu + 1) / 2 * torch.log1p(z ** 2 / nu))


class AdaBound(torch.optim.Optimizer):
    """AdaBound (Luo, Xiong, Liu & Sun 2019), written out: Adam's bias-corrected moments, the per-coordinate step
    lr / (sqrt(v) + eps) clipped to [final (1 - 1 / (gamma t + 1)), final (1 + 1 / (gamma t))], bounds that close on
    the final step c['final'] of SGD as t grows."""

    def __init__(self, params, lr, final=0.1, gamma=1e-3, b1=0.9, b2=0.999, eps=1e-8):
        super().__init__(params, dict(lr=lr, final=final, gamma=gamma, b1=b1, b2=b2, eps=eps))

    @torch.no_grad()
    def step(self):
        for grp in self.param_groups:
            for p in grp["params"]:
                st = self.state[p]
                if not st:
                    st["t"], st["m"], st["v"] = 0, torch.zeros_like(p), torch.zeros_like(p)
                st["t"] += 1
                t = st["t"]
                st["m"].mul_(grp["b1"]).add_((1 - grp["b1"]) * p.grad)
                st["v"].mul_(grp["b2"]).add_((1 - grp["b2"]) * p.grad ** 2)
                lr_t = grp["lr"] * math.sqrt(1 - grp["b2"] ** t) / (1 - grp["b1"] ** t)
                lo = grp["final"] * (1 - 1 / (grp["gamma"] * t + 1))
                hi = grp["final"] * (1 + 1 / (grp["gamma"] * t))
                stepsize = (lr_t / (st["v"].sqrt() + grp["eps"])).clamp(lo, hi)
                p.sub_(stepsize * st["m"])


def studentt_data(g, c):
    """(x, y, xt, yt, true_nll_t). 'synth': c['df'] inputs of scale 1 and c['ds'] of scale c['s'] (two_scale_inputs);
    the target a fast part, a random tanh teacher of 4 units on the fast inputs scaled to power c['F'], plus a slow
    part, a random linear readout of the slow inputs of power c['S'] at unit scale, plus Student-t noise of c['dof']
    degrees of freedom and scale c['sig0'] exp(c['gam'] v . x_fast) (v a random unit direction); c['n'] training
    points, 4,000 fresh test points, the true conditional NLL in closed form. 'diabetes': scikit-learn's diabetes, its
    55 standardised squares and pairwise products at scale 1 beside its 10 standardised columns at scale c['s'], the
    standardised progression the target, c['n'] patients for training and the others for testing."""
    if c["data"] == "diabetes":
        X, Y, tr, te = diabetes_products(g, c["n"], c["s"], torch.float32)
        return X[tr], Y[tr], X[te], Y[te], None
    df, ds, s = c["df"], c["ds"], c["s"]
    Wt = torch.randn(4, df, generator=g) / math.sqrt(df) * 2.0
    at = torch.randn(4, generator=g)
    ref = torch.tanh(torch.randn(4000, df, generator=g) @ Wt.T) @ at
    at = at * math.sqrt(c["F"] / float(ref.var()))
    th = torch.randn(ds, generator=g) * math.sqrt(c["S"] / ds) / s
    v = torch.randn(df, generator=g)
    v = v / v.norm()
    nu = torch.tensor(float(c["dof"]))

    def draw(m):
        xx = two_scale_inputs(g, m, df, ds, s)
        mu = torch.tanh(xx[:, :df] @ Wt.T) @ at + xx[:, df:] @ th
        ls = math.log(c["sig0"]) + c["gam"] * (xx[:, :df] @ v)
        zz = torch.randn(m, generator=g)
        chi = (torch.randn(m, c["dof"], generator=g) ** 2).sum(1)
        yy = mu + torch.exp(ls) * zz / torch.sqrt(chi / c["dof"])
        return xx, yy, t_nll(mu, ls, nu, yy)

    x, y, _ = draw(c["n"])
    xt, yt, nl = draw(4000)
    return x, y, xt, yt, float(nl.mean())


def studentt_net(w, run_id, c):
    """A heteroscedastic Student-t regression network, float32: one GELU hidden layer of c['h'] units (PyTorch's
    default initialisation under torch.manual_seed) under two linear heads, the location mu and the log-scale (its
    bias from the log of the training targets' deviation), and a learned number of degrees of freedom nu = 1 +
    softplus(r) (r from softplus^-1(4): nu 5), fitted on the mean Student-t NLL (t_nll). Data: studentt_data.
    Optimizer: the hand-written AdaBound at c['lr'] with final step c['final'] (c['opt'] 'adabound'), or Adam, or SGD
    with momentum 0.9, over minibatches of c['batch']; one epoch a pass. Train loss: the training points' mean NLL
    (below zero once the fitted scale is below about 0.25 where the fit is good); test loss: the test points' mean
    NLL minus the true conditional density's (an estimate of the KL divergence), or on the diabetes data the held-out
    NLL itself."""
    g = torch.Generator().manual_seed(352_000 + c["seed"])
    torch.manual_seed(c["seed"])
    x, y, xt, yt, true_t = studentt_data(g, c)
    n, d = x.shape
    net = torch.nn.Sequential(torch.nn.Linear(d, c["h"]), torch.nn.GELU(), torch.nn.Linear(c["h"], 2))
    with torch.no_grad():
        net[2].bias[1] = math.log(float(y.std()))
    r = torch.nn.Parameter(torch.tensor(math.log(math.expm1(4.0))))
    params = list(net.parameters()) + [r]

    def nll(xx, yy):
        out = net(xx)
        return t_nll(out[:, 0], out[:, 1], 1 + torch.nn.functional.softplus(r), yy).mean()

    if c["opt"] == "adabound":
        opt = AdaBound(params, c["lr"], final=c["final"])
    elif c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9)
    run = w.run(run_id, sum(p.numel() for p in params), n, {"family": "studentt-mlp", "inputs": d, "hidden": c["h"]},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "dof", "sig0", "gam", "h", "opt", "lr",
                             "final", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "student-t-nll",
                   "test_loss": "excess-nll" if true_t is not None else "heldout-nll"})

    def step(e):
        for idx in batches(g, n, c.get("batch")):
            opt.zero_grad()
            nll(x[idx], y[idx]).backward()
            opt.step()

    def log(e, final):
        with torch.no_grad():
            te = float(nll(xt, yt))
            run.log(e, nll(x, y), te - true_t if true_t is not None else te, final=final)

    logged_loop(c, step, log)


def runs_studentt_net():
    base = dict(data="synth", n=300, df=8, ds=8, s=0.1, F=1.0, S=2.0, dof=3, sig0=0.1, gam=0.5, h=64,
                opt="adabound", lr=0.003, final=0.02, batch=25, epochs=400, eval="every:4")
    return studentt_net, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=150, eval="log:35"),
        dict(n=600, epochs=250, eval="every:3"),
        dict(S=0.0, eval="jitter:35"),
        dict(S=4.0, eval="every:5"),
        dict(s=0.3, eval="rand:150"),
        dict(s=0.03, eval="every:4"),
        dict(dof=1, eval="log:35"),
        dict(dof=10, eval="every:6"),
        dict(sig0=0.3, eval="jitter:30"),
        dict(gam=0.0, eval="every:4"),
        dict(h=16, eval="log:35"),
        dict(h=256, eval="every:5"),
        dict(opt="adam", final=None, eval="every:4"),
        dict(opt="sgd", lr=0.001, final=None, eval="jitter:35"),
        dict(final=0.1, eval="every:4"),
        dict(batch=100, eval="rand:150"),
        dict(data="diabetes", n=250, df=None, ds=None, F=None, S=None, dof=None, sig0=None, gam=None, eval="every:4"),
        dict(data="diabetes", n=150, df=None, ds=None, F=None, S=None, dof=None, sig0=None, gam=None, eval="log:35"),
    ], lambda d: "%s-n%d%s-s%g-h%d-%s-lr%g%s-b%d" % (
        d["data"], d["n"], "-df%d-ds%d-F%g-S%g-dof%d-sig%g-gam%g" % (d["df"], d["ds"], d["F"], d["S"], d["dof"],
                                                                   d["sig0"], d["gam"])
        if d["data"] == "synth" else "", d["s"], d["h"], d["opt"], d["lr"],
        "-final%g" % d["final"] if d.get("final") else "", d["batch"]))


FAMILIES = {"vonmises-glm": runs_vonmises_glm, "maf-flow": runs_maf_flow, "studentt-net": runs_studentt_net}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
