#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, thirty-third held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git show or git diff of main; no stopping benchmark, no Java, no Maven and
not the descentwatch launcher was run; each family's grid was set from its own logic and committed before any of its
runs was trained, revised at most once (README.md says where and why), and the runs were sorted by census.py alone).
Its theme is classical statistical models, made to differ from the hundred and four families of train.py ...
train_thirtysecond.py in model, loss, optimizer, noise and data: a Tobit regression (a Gaussian linear model whose
targets are censored at a detection limit, its noise scale learned), fitted by gradient descent, a hand-written Yogi
or SVRG on the censored likelihood, judged by the censored negative log-likelihood of fresh targets; a beta regression
of proportions (a logit-linear mean over a low and a slowly learned high band of Fourier features, a learned
precision), fitted by mirror descent under the hyperbolic entropy (from exponentiated-gradient-like to gradient-descent-
like), judged by the KL divergence of the true conditional Beta from the fitted one; and independent component analysis
by maximum likelihood (an unmixing matrix under a sech source prior), fitted by Amari's natural (relative) gradient or
the ordinary gradient on contaminated samples of a mixing at two scales, judged by the held-out negative
log-likelihood in excess of the true density's. The file format, determinism and helpers are the earlier files':
Writer, the two-scale inputs and the command line from train.py, epochs_of and settings from train_more.py, dict_runs
from train_seventh.py, batches from train_twentyfirst.py; one thread, every random draw from a seeded
torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_thirtythird.py --family tobit-censored [--list] [--runs 0,3] [--out FILE]

Families (see README.md): tobit-censored, beta-fourier, ica-natgrad. Evaluation spacings: train.py's 'every',
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
from train_more import epochs_of, settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_twentyfirst import batches  # noqa: E402

torch.set_num_threads(1)
LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)


def logged_loop(c, step, log):
    """Calls step(e) for every epoch e up to each evaluation epoch of c['eval'] (epochs_of), then log(e, final=...)."""
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            step(e)
            e += 1
        log(e, final=e == pts[-1])


# ---------------------------------------------------------------------------------------------------- tobit-censored


def diabetes_products(g, n, s, dtype):
    """(X, Y, tr, te): scikit-learn's diabetes, its 55 standardised squares and pairwise products at scale 1 beside its
    10 standardised columns at scale s, the standardised progression Y; tr the n patients drawn by g for training, te
    the others. In dtype (this file's families float64, train_thirtyfifth.py's float32)."""
    from sklearn.datasets import load_diabetes
    X, Y = load_diabetes(return_X_y=True)
    X = torch.tensor(X, dtype=dtype)
    X = (X - X.mean(0)) / X.std(0)
    iu = torch.triu_indices(10, 10)
    P = X[:, iu[0]] * X[:, iu[1]]
    P = (P - P.mean(0)) / P.std(0)
    X = torch.cat([P, X * s], 1)
    Y = torch.tensor(Y, dtype=dtype)
    Y = (Y - Y.mean()) / Y.std()
    perm = torch.randperm(len(X), generator=g)
    return X, Y, perm[:n], perm[n:]


def tobit_data(g, c):
    """(x, y, xt, yt, lo, hi): inputs and censored targets for training and test. 'synth': c['df'] inputs of scale 1
    and c['ds'] of scale c['s'] (two_scale_inputs), the latent target a linear teacher of power c['F'] over the first
    and c['S'] over the second (at unit scale in the target) plus noise of scale c['noise'] (Gaussian, or Student-t
    with 3 degrees of freedom scaled to the same variance, ntype 't3'); 2,000 fresh test points. 'diabetes':
    scikit-learn's diabetes, the 10 standardised columns at scale c['s'] beside their 55 standardised squares and
    pairwise products at scale 1, the standardised disease progression as the latent target, c['n'] patients drawn by
    g for training, the other ones for testing. Either way the targets are censored from below at the c['cens']
    quantile of the latent targets (a detection limit) and, where c['upper'], from above at the 1 - c['upper']
    quantile; lo, hi the limits (None where not censored)."""
    if c["data"] == "diabetes":
        X, Y, tr, te = diabetes_products(g, c["n"], c["s"], torch.float64)
        x, ys, xt, yts = X[tr], Y[tr], X[te], Y[te]
        ref = Y
    else:
        df, ds, s = c["df"], c["ds"], c["s"]
        theta = torch.cat([torch.randn(df, generator=g) * math.sqrt(c["F"] / df),
                           torch.randn(ds, generator=g) * math.sqrt(c["S"] / max(ds, 1)) / s])

        def draw(m):
            xx = two_scale_inputs(g, m, df, ds, s)
            if c.get("ntype") == "t3":  # Student-t, 3 degrees of freedom, variance 3 scaled to 1
                chi = (torch.randn(m, 3, generator=g) ** 2).sum(1)
                z = torch.randn(m, generator=g) / torch.sqrt(chi / 3.0) / math.sqrt(3.0)
            else:
                z = torch.randn(m, generator=g)
            return xx, xx @ theta + c["noise"] * z

        x, ys = draw(c["n"])
        xt, yts = draw(2000)
        ref = torch.cat([ys, yts])
    lo = float(torch.quantile(ref, c["cens"])) if c.get("cens") else None
    hi = float(torch.quantile(ref, 1 - c["upper"])) if c.get("upper") else None

    def censor(v):
        if lo is not None:
            v = v.clamp(min=lo)
        if hi is not None:
            v = v.clamp(max=hi)
        return v

    return x, censor(ys), xt, censor(yts), lo, hi


def tobit_nll(mu, log_sigma, y, lo, hi):
    """The mean Tobit negative log-likelihood: -log Phi((lo - mu) / sigma) for targets at the lower limit,
    -log Phi((mu - hi) / sigma) at the upper one, the Gaussian density's otherwise."""
    sigma = log_sigma.exp()
    z = (y - mu) / sigma
    nll = log_sigma + LOG_SQRT_2PI + 0.5 * z ** 2
    if lo is not None:
        nll = torch.where(y <= lo, -torch.special.log_ndtr((lo - mu) / sigma), nll)
    if hi is not None:
        nll = torch.where(y >= hi, -torch.special.log_ndtr((mu - hi) / sigma), nll)
    return nll.mean()


class Yogi(torch.optim.Optimizer):
    """Yogi (Zaheer et al. 2018), written out: m = b1 m + (1 - b1) g, v = v - (1 - b2) sign(v - g^2) g^2, the step
    lr m / (sqrt(v) + eps) with Adam's bias corrections; v starts at zero (so its first update is Adam's)."""

    def __init__(self, params, lr, b1=0.9, b2=0.999, eps=1e-3):
        super().__init__(params, dict(lr=lr, b1=b1, b2=b2, eps=eps))

    @torch.no_grad()
    def step(self):
        for grp in self.param_groups:
            for p in grp["params"]:
                st = self.state[p]
                if not st:
                    st["t"], st["m"], st["v"] = 0, torch.zeros_like(p), torch.zeros_like(p)
                st["t"] += 1
                g2 = p.grad ** 2
                st["m"].mul_(grp["b1"]).add_((1 - grp["b1"]) * p.grad)
                st["v"].sub_((1 - grp["b2"]) * torch.sign(st["v"] - g2) * g2)
                mh = st["m"] / (1 - grp["b1"] ** st["t"])
                vh = st["v"] / (1 - grp["b2"] ** st["t"])
                p.sub_(grp["lr"] * mh / (vh.sqrt() + grp["eps"]))


def tobit_censored(w, run_id, c):
    """A Tobit regression (Tobin 1958), float64: a linear predictor mu = b + x . beta and a noise scale sigma, fitted
    by maximum likelihood to targets censored at a detection limit (tobit_data, tobit_nll). Parameterised by
    (beta, b, log sigma), or (c['param'] 'olsen') by Olsen's (1978) theta = beta / sigma, b / sigma and gamma =
    1 / sigma (log gamma trained), in which the censored likelihood is convex. beta starts at zero, b at the
    training targets' mean, sigma at their standard deviation. Optimizer (c['opt']): 'gd', full-batch gradient descent
    at step c['lr']; 'yogi', the hand-written Yogi over minibatches of c['batch']; 'svrg' (Johnson & Zhang 2013), at
    the start of each epoch a snapshot and its full gradient, then one step per minibatch of c['batch'] along the
    minibatch gradient minus the snapshot's on the same minibatch plus the full gradient. One epoch is one pass.
    Train loss: the mean Tobit NLL of the training targets; test loss: that of the test targets (noise included)."""
    torch.set_default_dtype(torch.float64)  # two_scale_inputs draws in the default dtype
    g = torch.Generator().manual_seed(330_000 + c["seed"])
    torch.manual_seed(c["seed"])
    x, y, xt, yt, lo, hi = tobit_data(g, c)
    n, d = x.shape
    beta = torch.zeros(d, dtype=torch.float64, requires_grad=True)
    if c.get("param") == "olsen":
        s0 = float(y.std())
        b = torch.tensor(float(y.mean()) / s0, dtype=torch.float64, requires_grad=True)
        ls = torch.tensor(-math.log(s0), dtype=torch.float64, requires_grad=True)  # log gamma = -log sigma

        def mu_ls(xx):
            return (b + xx @ beta) / ls.exp(), -ls
    else:
        b = torch.tensor(float(y.mean()), dtype=torch.float64, requires_grad=True)
        ls = torch.tensor(math.log(float(y.std())), dtype=torch.float64, requires_grad=True)

        def mu_ls(xx):
            return b + xx @ beta, ls
    params = [beta, b, ls]

    def objective(xx, yy):
        m, l = mu_ls(xx)
        return tobit_nll(m, l, yy, lo, hi)

    run = w.run(run_id, d + 2, n, {"family": "tobit-regression", "inputs": d,
                                   "censoring": "two-limit" if hi is not None else ("left" if lo is not None else "none")},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "noise", "ntype", "cens", "upper", "param",
                             "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "tobit-nll", "test_loss": "tobit-nll"})
    if c["opt"] == "yogi":
        opt = Yogi(params, c["lr"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"])

    def grads(xx, yy, ps):
        return torch.autograd.grad(objective(xx, yy), ps)

    def step(e):
        if c["opt"] == "gd":
            opt.zero_grad()
            objective(x, y).backward()
            opt.step()
            return
        if c["opt"] == "yogi":
            for idx in batches(g, n, c["batch"]):
                opt.zero_grad()
                objective(x[idx], y[idx]).backward()
                opt.step()
            return
        snap = [p.detach().clone().requires_grad_(True) for p in params]  # svrg

        def on(ps, xx):
            m = (ps[1] + xx @ ps[0]) / ps[2].exp() if c.get("param") == "olsen" else ps[1] + xx @ ps[0]
            return m, (-ps[2] if c.get("param") == "olsen" else ps[2])

        def snap_grads(xx, yy):
            m, l = on(snap, xx)
            return torch.autograd.grad(tobit_nll(m, l, yy, lo, hi), snap)

        full = snap_grads(x, y)
        for idx in batches(g, n, c["batch"]):
            gb = grads(x[idx], y[idx], params)
            gs = snap_grads(x[idx], y[idx])
            with torch.no_grad():
                for p, a, s_, f in zip(params, gb, gs, full):
                    p.sub_(c["lr"] * (a - s_ + f))

    def log(e, final):
        with torch.no_grad():
            run.log(e, objective(x, y), objective(xt, yt), final=final)

    logged_loop(c, step, log)
    torch.set_default_dtype(torch.float32)


def runs_tobit_censored():
    base = dict(data="synth", n=400, df=150, ds=50, s=0.1, F=1.0, S=2.0, noise=0.5, ntype=None, cens=0.3, upper=None,
                param=None, opt="gd", lr=0.1, batch=None, epochs=10000, eval="log:35")
    return tobit_censored, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=300, eval="jitter:35"),
        dict(n=800, eval="every:20"),
        dict(df=250, eval="log:40"),
        dict(S=0.0, eval="every:25"),
        dict(S=4.0, eval="rand:300"),
        dict(s=0.3, epochs=3000, eval="every:10"),
        dict(noise=1.0, eval="log:35"),
        dict(noise=0.25, eval="jitter:30"),
        dict(cens=None, eval="every:20"),
        dict(cens=0.6, eval="log:35"),
        dict(upper=0.2, eval="every:25"),
        dict(ntype="t3", eval="jitter:35"),
        dict(param="olsen", eval="log:30"),
        dict(opt="yogi", lr=0.003, batch=20, epochs=1500, eval="every:5"),
        dict(opt="svrg", lr=0.05, batch=20, epochs=1000, eval="log:35"),
        dict(data="diabetes", n=100, df=None, ds=None, F=None, S=None, noise=None, s=0.1, eval="every:20"),
        dict(data="diabetes", n=150, df=None, ds=None, F=None, S=None, noise=None, s=0.1, cens=0.5, eval="log:35"),
        dict(lr=0.03, epochs=20000, eval="rand:300"),
    ], lambda d: "%s-n%d%s-s%g%s%s%s%s-%s-lr%g%s" % (
        d["data"], d["n"], "-df%d-ds%d-F%g-S%g-noise%g" % (d["df"], d["ds"], d["F"], d["S"], d["noise"])
        if d.get("df") else "", d["s"], "-" + d["ntype"] if d.get("ntype") else "",
        "-cens%g" % d["cens"] if d.get("cens") else "-uncensored", "-upper%g" % d["upper"] if d.get("upper") else "",
        "-olsen" if d.get("param") else "", d["opt"], d["lr"], "-b%d" % d["batch"] if d.get("batch") else ""))


# ---------------------------------------------------------------------------------------------------- beta-fourier


def fourier(x, K, K1, s):
    """cos and sin of 2 pi k x for k = 1 ... K, the low band k <= K1 at amplitude sqrt 2, the high band at sqrt 2 s."""
    k = torch.arange(1, K + 1, dtype=torch.float64)
    amp = torch.where(k <= K1, 1.0, s) * math.sqrt(2)
    a = 2 * math.pi * x[:, None] * k[None, :]
    return torch.cat([torch.cos(a) * amp, torch.sin(a) * amp], 1)


def beta_kl(a1, b1, a2, b2):
    """KL(Beta(a1, b1) || Beta(a2, b2)), elementwise."""
    lb = lambda a, b: torch.lgamma(a) + torch.lgamma(b) - torch.lgamma(a + b)  # noqa: E731
    dg = torch.digamma
    return lb(a2, b2) - lb(a1, b1) + (a1 - a2) * dg(a1) + (b1 - b2) * dg(b1) + (a2 - a1 + b2 - b1) * dg(a1 + b1)


def beta_fourier(w, run_id, c):
    """A beta regression of proportions (Ferrari & Cribari-Neto 2004), float64: y in (0, 1) ~ Beta(mu phi,
    (1 - mu) phi), the mean mu = sigmoid(b + f(x) . w) over Fourier features of x in [0, 1] (fourier: K frequencies,
    the c['K1'] lowest at amplitude 1 and the others, a high band, at c['s'], so their weights are learned slowly), the
    precision phi = exp(log phi) learned. Data: x uniform; the true logit a random Fourier series, power c['F'] over the
    low band and c['S'] over the high one (at unit amplitude in the logit), decaying as 1 / k within each band, plus
    -0.3; y from the true Beta of precision c['phi'] (noise 'beta'), or (noise 'counts') the proportion of successes
    out of c['m'] trials at a probability drawn from it, (k + 0.5) / (m + 1); c['n'] training points. Weights from
    zero, b and log phi from 0 and log 5. Optimizer: mirror descent under the hyperbolic entropy (Ghai, Hazan & Singer
    2020) on w, w <- beta sinh(asinh(w / beta) - lr grad) with beta c['hb'] (small: like exponentiated gradient, EG+-,
    whose step grows with |w|; large: like gradient descent), b and log phi by gradient steps of c['lr_b']; or (c['opt']
    'gd') gradient descent on all at c['lr']; full batch or (c['batch']) minibatches, one epoch a pass. Train loss: the
    mean Beta NLL of the training proportions (negative where their density exceeds 1); test loss: the mean over
    2,000 fresh inputs of KL(true Beta || fitted Beta), a noise-free divergence, at least zero."""
    g = torch.Generator().manual_seed(331_000 + c["seed"])
    torch.manual_seed(c["seed"])
    K, K1 = c["K"], c["K1"]
    k = torch.arange(1, K + 1, dtype=torch.float64)
    low = k <= K1
    dec = 1.0 / k
    wl = torch.where(low, dec, 0.0)
    wh = torch.where(~low, dec, 0.0)
    raw = torch.randn(2 * K, generator=g, dtype=torch.float64)
    cl, ch = raw * torch.cat([wl, wl]), raw * torch.cat([wh, wh])
    cl = cl * math.sqrt(c["F"] / float((cl ** 2).sum()))
    ch = ch * math.sqrt(c["S"] / float((ch ** 2).sum())) if c["S"] > 0 else ch * 0

    def truth(x):  # the true logit, every band at unit amplitude: its variance over x is F + S
        return -0.3 + fourier(x, K, K, 1.0) @ (cl + ch)

    def draw(m):
        xx = torch.rand(m, generator=g, dtype=torch.float64)
        mu = torch.sigmoid(truth(xx))
        a, bb = mu * c["phi"], (1 - mu) * c["phi"]
        # Beta draws from the run's generator: torch's Gamma and Beta samplers take no Generator, so by the inverse CDF
        yy = beta_icdf(torch.rand(m, generator=g, dtype=torch.float64), a, bb)
        if c["noise"] == "counts":
            cnt = (torch.rand(m, c["m"], generator=g, dtype=torch.float64) < yy[:, None]).sum(1).double()
            yy = (cnt + 0.5) / (c["m"] + 1)
        return xx, yy.clamp(1e-6, 1 - 1e-6), mu

    x, y, _ = draw(c["n"])
    xt = torch.rand(2000, generator=g, dtype=torch.float64)  # the test inputs; the KL needs no test proportions
    mut = torch.sigmoid(truth(xt))
    F, Ft = fourier(x, K, K1, c["s"]), fourier(xt, K, K1, c["s"])
    wt = torch.zeros(2 * K, dtype=torch.float64, requires_grad=True)
    b = torch.zeros((), dtype=torch.float64, requires_grad=True)
    lphi = torch.tensor(math.log(5.0), dtype=torch.float64, requires_grad=True)
    ly, l1y = torch.log(y), torch.log1p(-y)

    def nll(idx):
        Fi, lyi, l1yi = (F, ly, l1y) if idx is None else (F[idx], ly[idx], l1y[idx])
        eta = b + Fi @ wt
        phi = lphi.exp()
        a, bb = torch.sigmoid(eta) * phi, torch.sigmoid(-eta) * phi  # not (1 - mu) phi: 0 where mu rounds to 1
        return -(torch.lgamma(phi) - torch.lgamma(a) - torch.lgamma(bb) + (a - 1) * lyi + (bb - 1) * l1yi).mean()

    run = w.run(run_id, 2 * K + 2, c["n"], {"family": "beta-regression", "frequencies": K, "low_band": K1},
                settings(c, ("seed", "n", "K", "K1", "s", "F", "S", "phi", "noise", "m", "opt", "hb", "lr", "lr_b",
                             "batch", "eval"))
                | {"optimizer": "hypentropy-md" if c["opt"] == "md" else "gd", "loss": "beta-nll",
                   "test_loss": "kl-true-beta"})

    def step(e):
        for idx in batches(g, c["n"], c.get("batch")):
            gw, gb, gp = torch.autograd.grad(nll(idx), [wt, b, lphi])
            with torch.no_grad():
                if c["opt"] == "md":
                    hb = c["hb"]
                    wt.copy_(hb * torch.sinh(torch.asinh(wt / hb) - c["lr"] * gw))
                    b.sub_(c["lr_b"] * gb)
                    lphi.sub_(c["lr_b"] * gp)
                else:
                    wt.sub_(c["lr"] * gw)
                    b.sub_(c["lr"] * gb)
                    lphi.sub_(c["lr"] * gp)

    def log(e, final):
        with torch.no_grad():
            eta = b + Ft @ wt
            phi = lphi.exp()
            kl = beta_kl(mut * c["phi"], (1 - mut) * c["phi"], torch.sigmoid(eta) * phi,
                         torch.sigmoid(-eta) * phi).mean()
            run.log(e, nll(None), kl, final=final)

    logged_loop(c, step, log)


def beta_icdf(u, a, b):
    """The Beta(a, b) quantile of u, elementwise (to 1 / 4,000): the first point of a grid of 3,999 in (0, 1) where a
    cumulative sum of the density reaches u (a, b of 2 or more in this family, so the density is bounded)."""
    grid = torch.linspace(0, 1, 4001, dtype=torch.float64)[1:-1]
    lg = (torch.lgamma(a + b) - torch.lgamma(a) - torch.lgamma(b))[:, None]
    logd = lg + (a[:, None] - 1) * torch.log(grid)[None, :] + (b[:, None] - 1) * torch.log1p(-grid)[None, :]
    dens = logd.exp()
    cdf = torch.cumsum(dens, 1)
    cdf = cdf / cdf[:, -1:]
    j = torch.searchsorted(cdf, u[:, None]).clamp(max=len(grid) - 1)[:, 0]
    return grid[j]


def runs_beta_fourier():
    base = dict(n=120, K=40, K1=6, s=0.1, F=2.0, S=1.0, phi=20.0, noise="beta", m=None, opt="md", hb=0.01, lr=0.5,
                lr_b=0.5, batch=None, epochs=4000, eval="every:10")
    return beta_fourier, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=60, eval="rand:300"),
        dict(n=300, eval="every:8"),
        dict(K=20, eval="log:35"),
        dict(K=80, eval="every:10"),
        dict(S=0.0, eval="jitter:35"),
        dict(S=2.0, eval="every:12"),
        dict(s=0.3, eval="every:10"),
        dict(s=0.03, eval="rand:300"),
        dict(phi=5.0, eval="every:8"),
        dict(phi=80.0, eval="log:40"),
        dict(noise="counts", m=10, eval="every:10"),
        dict(opt="gd", hb=None, lr_b=None, eval="every:15"),
        dict(hb=0.001, eval="rand:250"),
        dict(hb=1.0, eval="every:10"),
        dict(lr=0.15, lr_b=0.15, epochs=8000, eval="log:35"),
        dict(batch=20, epochs=1500, eval="every:5"),
        dict(K1=3, eval="jitter:30"),
        dict(F=4.0, eval="every:20"),
    ], lambda d: "n%d-K%d-K1%d-s%g-F%g-S%g-phi%g-%s-%s%s-lr%g%s" % (
        d["n"], d["K"], d["K1"], d["s"], d["F"], d["S"], d["phi"],
        "counts%d" % d["m"] if d["noise"] == "counts" else d["noise"], d["opt"],
        "%g" % d["hb"] if d.get("hb") else "", d["lr"], "-b%d" % d["batch"] if d.get("batch") else ""))


# ---------------------------------------------------------------------------------------------------- ica-natgrad


def gen_gauss(g, m, p):
    """m draws of a unit-variance generalised Gaussian of shape p (1 Laplace, 2 Gaussian, large: towards uniform)."""
    # |s / alpha|^p ~ Gamma(1/p); torch's Gamma sampler takes no Generator, so by the inverse CDF (gamma_icdf)
    r = gamma_icdf(torch.rand(m, generator=g, dtype=torch.float64), 1.0 / p) ** (1.0 / p)
    sgn = torch.where(torch.rand(m, generator=g) < 0.5, -1.0, 1.0).double()
    var = math.exp(math.lgamma(3.0 / p) - math.lgamma(1.0 / p))
    return sgn * r / math.sqrt(var)


def gamma_icdf(u, shape):
    """Gamma(shape, 1) quantiles of u by a cumulative sum of the density on a grid in t = x^shape (smooth at 0)."""
    t = torch.linspace(0, 1, 20001, dtype=torch.float64)[1:]
    xmax = 40.0 + 10 * shape
    x = xmax * t ** (1.0 / shape)
    # density in t: f(x) dx/dt, dx/dt = xmax / shape * t^(1/shape - 1); f(x) x^(1 - shape) cancels the singularity
    dens = torch.exp(-x - math.lgamma(shape)) * xmax ** shape / shape
    cdf = torch.cumsum(dens, 0)
    cdf = cdf / cdf[-1]
    j = torch.searchsorted(cdf, u).clamp(max=len(x) - 1)
    return x[j]


def logsech(y):
    """log of the sech source density 1 / (pi cosh y), stably."""
    a = y.abs()
    return -a - torch.log1p(torch.exp(-2 * a)) + math.log(2.0) - math.log(math.pi)


def ica_natgrad(w, run_id, c):
    """Independent component analysis by maximum likelihood (Bell & Sejnowski 1995; Pham & Garat 1997), float64: an
    unmixing matrix W (d x d) and the density p(x) = |det W| prod_j 1 / (pi cosh((W x)_j)), the sech prior of
    super-Gaussian sources, whose score is tanh. Data ('synth'): d independent unit-variance sources, generalised
    Gaussians of the shapes c['shapes'] (a cycle of shapes over the sources: 1 Laplace, 0.6 sparser, 1.5 nearer the
    Gaussian, 2 Gaussian), mixed by A = U diag(a) V (U, V random rotations, a log-spaced from 1 to 1 / c['cond']);
    c['n'] training samples of which a share c['outl'] is replaced by outliers (each a standard normal vector times
    8 times the samples' RMS, gross sensor errors), and 20,000 clean test samples. ('digits'): the first d principal
    components of scikit-learn's 8x8 digits, fitted on c['n'] training images and scaled to unit variance there, with
    the other images as the test set. W starts at the inverse of the training samples' RMS times the identity.
    Optimizer: c['opt'] 'natural', Amari's natural (relative) gradient (Amari, Cichocki & Yang 1996; Cardoso &
    Laheld 1996), W <- W + lr (I - E[tanh(y) y^T]) W, equivariant: its course does not depend on the mixing A;
    'plain', the ordinary gradient of the log-likelihood, W <- W + lr (W^-T - E[tanh(y) x^T]), whose course does;
    full batch, or minibatches of c['batch'] (one epoch a pass). Train loss: the mean NLL per dimension of the
    training samples; test loss: the mean NLL per dimension of the test samples in excess of the true density's
    (an estimate of the KL divergence per dimension; at least the sech prior's mismatch with the true sources), or
    for the digits their NLL per dimension itself."""
    g = torch.Generator().manual_seed(332_000 + c["seed"])
    d, n = c["d"], c["n"]
    true_nll_t = None
    if c["data"] == "digits":
        from sklearn.datasets import load_digits
        X = torch.tensor(load_digits().data / 16.0, dtype=torch.float64)
        perm = torch.randperm(len(X), generator=g)
        tr, te = X[perm[:n]], X[perm[n:]]
        mean = tr.mean(0)
        _, S, Vt = torch.linalg.svd(tr - mean, full_matrices=False)
        P = Vt[:d].T / (S[:d] / math.sqrt(n))
        x, xt = (tr - mean) @ P, (te - mean) @ P
    else:
        shapes = [c["shapes"][j % len(c["shapes"])] for j in range(d)]

        def rot():
            q, r = torch.linalg.qr(torch.randn(d, d, generator=g, dtype=torch.float64))
            return q * torch.sign(torch.diagonal(r))

        a = torch.logspace(0, -math.log10(c["cond"]), d, dtype=torch.float64)
        A = rot() @ torch.diag(a) @ rot()

        def src(m):
            return torch.stack([gen_gauss(g, m, p) for p in shapes], 1)

        st = src(20000)
        s = src(n)
        x, xt = s @ A.T, st @ A.T
        if c.get("outl"):
            k = int(round(c["outl"] * n))
            rms = float(x.pow(2).mean().sqrt())
            x[:k] = torch.randn(k, d, generator=g, dtype=torch.float64) * 8 * rms
            x = x[torch.randperm(n, generator=g)]
        # true log density of a clean test sample: log|det A^-1| + sum_j log p_j(s_j), p_j generalised Gaussian
        ld = 0.0
        for j, p in enumerate(shapes):
            al = math.sqrt(math.exp(math.lgamma(1.0 / p) - math.lgamma(3.0 / p)))  # scale of unit variance
            ld = ld + (math.log(p) - math.log(2 * al) - math.lgamma(1.0 / p) - (st[:, j].abs() / al) ** p)
        true_nll_t = float(-(ld - torch.linalg.slogdet(A)[1]).mean()) / d
    W = torch.eye(d, dtype=torch.float64) / float(x.pow(2).mean().sqrt())
    eye = torch.eye(d, dtype=torch.float64)

    def nll(W, xx):
        return float(-(torch.linalg.slogdet(W)[1] + logsech(xx @ W.T).sum(1)).mean()) / d

    run = w.run(run_id, d * d, n, {"family": "ica-ml", "dim": d, "prior": "sech"},
                settings(c, ("seed", "data", "d", "n", "cond", "outl", "opt", "lr", "batch", "eval"))
                | {"shapes": "-".join("%g" % p for p in c["shapes"]) if c.get("shapes") else "digits",
                   "optimizer": c["opt"] + "-gradient", "loss": "ica-nll",
                   "test_loss": "excess-nll" if true_nll_t is not None else "heldout-nll"})

    def step(e):
        nonlocal W
        for idx in batches(g, n, c.get("batch")):
            xb = x if idx is None else x[idx]
            y = xb @ W.T
            psi = torch.tanh(y)
            if c["opt"] == "natural":
                W = W + c["lr"] * (eye - psi.T @ y / len(xb)) @ W
            else:
                W = W + c["lr"] * (torch.linalg.inv(W).T - psi.T @ xb / len(xb))

    def log(e, final):
        te = nll(W, xt)
        run.log(e, nll(W, x), te - true_nll_t if true_nll_t is not None else te, final=final)

    logged_loop(c, step, log)


def runs_ica_natgrad():
    base = dict(data="synth", d=8, n=40, shapes=(1.0, 1.5), cond=10.0, outl=0.05, opt="natural", lr=0.05, batch=None,
                epochs=3000, eval="log:35")
    return ica_natgrad, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=24, eval="every:10"),
        dict(n=100, eval="jitter:35"),
        dict(d=4, n=20, eval="every:15"),
        dict(d=16, n=80, eval="log:35"),
        dict(cond=1.0, eval="rand:250"),
        dict(cond=30.0, eval="every:10"),
        dict(outl=None, eval="log:40"),
        dict(outl=0.15, eval="every:12"),
        dict(shapes=(1.0,), eval="jitter:30"),
        dict(shapes=(0.6, 1.0, 2.0), eval="every:10"),
        dict(shapes=(1.5,), eval="log:35"),
        dict(opt="plain", lr=0.002, epochs=6000, eval="every:20"),
        dict(opt="plain", lr=0.002, cond=3.0, epochs=6000, eval="log:35"),
        dict(batch=8, epochs=1000, eval="every:4"),
        dict(lr=0.01, epochs=10000, eval="log:35"),
        dict(lr=0.2, epochs=1000, eval="every:5"),
        dict(data="digits", d=8, n=60, shapes=None, cond=None, outl=None, eval="rand:250"),
        dict(data="digits", d=12, n=150, shapes=None, cond=None, outl=None, eval="log:35"),
    ], lambda d: "%s-d%d-n%d%s%s%s-%s-lr%g%s" % (
        d["data"], d["d"], d["n"], "-shapes" + "_".join("%g" % p for p in d["shapes"]) if d.get("shapes") else "",
        "-cond%g" % d["cond"] if d.get("cond") else "", "-outl%g" % d["outl"] if d.get("outl") else "",
        d["opt"], d["lr"], "-b%d" % d["batch"] if d.get("batch") else "-fullbatch"))


FAMILIES = {"tobit-censored": runs_tobit_censored, "beta-fourier": runs_beta_fourier, "ica-natgrad": runs_ica_natgrad}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
