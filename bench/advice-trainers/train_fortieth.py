#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, fortieth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read (one slip, not sought: git worktree add printed main's last commit subject,
README.md says which), and no git log, git show or git diff of main; no stopping benchmark, no Java, no Maven and not
the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 122 families of train.py ... train_thirtyeighth.py in model, loss,
optimizer, noise and data. The theme of the round is losses for counts, compositions and uncertainty, each family
judged on held-out data by its own likelihood, by a proper scoring rule or by a distance to the truth, test losses
that cannot go below zero (so that census.py's relative thresholds keep their meaning):

- zinb-counts: a zero-inflated negative binomial regression, a GLM (or a small network) with three heads, the zero
  probability, the mean and the dispersion of a count, fitted on the ZINB negative log-likelihood by a hand-written
  Shampoo (Kronecker-factored preconditioners, inverse fourth roots) on minibatches, on counts from a sparse teacher
  over two-scale inputs with a share of the training counts lost (set to zero), and on the digits' pixel counts
  (each pixel of scikit-learn's 8x8 digits counts the set bits of a 4x4 block), judged by the ZINB NLL of held-out
  counts (a probability mass is at most 1, so the NLL is at least 0);
- sinkhorn-hist: a network predicting a histogram over ordered bins, fitted on the debiased entropic optimal-transport
  (Sinkhorn) divergence to noisy target histograms, its gradient from the Sinkhorn potentials, by a hand-written
  Nesterov method with adaptive (gradient) restarts on the full batch, on the histograms of a discretised Normal
  located by two-scale inputs, each target the histogram of 5-100 draws, and on the column profile of the lower half
  of the digits from their upper half, judged by the exact 1-D Wasserstein distance to the true (or held-out) histogram;
- evidential-reg: deep evidential regression, a network predicting the four parameters of a Normal-Inverse-Gamma,
  fitted on its negative log marginal likelihood (a Student-t) plus the evidence regulariser, by a hand-written
  Sophia (clipped steps preconditioned by a Hutchinson estimate of the Hessian's diagonal) on minibatches, on
  two-scale inputs under contaminated Gaussian noise and on scikit-learn's diabetes and linnerud, judged by the
  continuous ranked probability score (CRPS, closed form) of the predictive Student-t on held-out targets.

The file format, determinism and helpers are the earlier files': Writer, the command line and the two-scale inputs
from train.py, settings from train_more.py, dict_runs from train_seventh.py, diabetes_products from
train_thirtythird.py, plain_opt (the contrast optimizers) from train_thirtyfourth.py, leaves from train_thirtysixth.py
and the evaluation spacings with their minibatch loop (spaced_fit, over train_twentyfirst.py's batches) from
train_thirtyseventh.py; one thread, every
random draw from a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_fortieth.py --family zinb-counts [--list] [--runs 0,3] [--out FILE]

Families (see README.md): zinb-counts, sinkhorn-hist, evidential-reg. Evaluation spacings: train.py's 'every',
'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K', 'mixlog:A:K',
'geom:G', 'burst:P:B'.
"""
import math
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before torch loads its BLAS
    os.environ[var] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import torch.nn.functional as fn  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train import two_scale_inputs  # noqa: E402
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtythird import diabetes_products  # noqa: E402
from train_thirtyfourth import plain_opt  # noqa: E402  (Adam, or SGD with momentum 0.9)
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyseventh import spaced_fit  # noqa: E402

torch.set_num_threads(1)


def init_layers(g, dims):
    """Weights (fan-in x fan-out, used as z @ W) and biases of a chain of linear layers, U(+-1 / sqrt(fan-in)) from g
    (PyTorch's default initialisation), float64, requiring gradients."""
    out = []
    for a, b in zip(dims, dims[1:]):
        out += [(torch.rand(a, b, generator=g, dtype=torch.float64) * 2 - 1) / math.sqrt(a),
                (torch.rand(b, generator=g, dtype=torch.float64) * 2 - 1) / math.sqrt(a)]
    return leaves(out)


def mlp(params, z, act):
    """The chain of init_layers under the activation act between layers (none after the last)."""
    for i in range(0, len(params), 2):
        z = z @ params[i] + params[i + 1]
        if i + 2 < len(params):
            z = act(z)
    return z


def minibatch_loop(g, n, c, step, log):
    """train_thirtyseventh.py's spaced_fit (minibatch epochs to each evaluation epoch of c['eval']), each evaluation
    logged under no_grad."""

    def logged(e, final):
        with torch.no_grad():
            log(e, final=final)

    spaced_fit(g, n, c, step, logged)


def take(t, idx):
    return t if idx is None else t[idx]


# ---------------------------------------------------------------------------------------------------- zinb-counts


def gamma_draw(g, m, shape):
    """m Gamma(shape, 1) draws from g, shape a multiple of 0.5: a sum of exponentials for the whole part, a halved
    square of a normal for the half."""
    k = int(shape)
    out = torch.zeros(m, dtype=torch.float64)
    for _ in range(k):
        out += torch.empty(m, dtype=torch.float64).exponential_(generator=g)
    if shape - k > 0.25:
        out += 0.5 * torch.randn(m, generator=g, dtype=torch.float64) ** 2
    return out


def zinb_draw(g, mu, pi, r):
    """Counts from the zero-inflated negative binomial: a Poisson count at the rate mu times a Gamma(r, 1 / r) factor
    (the negative binomial of mean mu and size r), set to zero with probability pi."""
    lam = mu * gamma_draw(g, len(mu), r) / r
    y = torch.poisson(lam, generator=g)
    return torch.where(torch.rand(len(mu), generator=g, dtype=torch.float64) < pi, torch.zeros_like(y), y)


def zinb_nll(out, y):
    """The ZINB negative log-likelihood of counts y, per count, from the three heads out[:, 0] = logit of the zero
    probability pi, out[:, 1] = log of the mean mu, out[:, 2] = log of the size r (the dispersion 1 / r), the last two
    bounded softly to (-8, 8) by 8 tanh(. / 8): -log(pi + (1 - pi) NB(0)) for a zero, -log(1 - pi) - log NB(y) for a
    positive count, with log NB(y) = lgamma(y + r) - lgamma(r) - lgamma(y + 1) - r log(1 + mu / r) - y log(1 + r /
    mu). At least 0."""
    lp, eta, rho = out[:, 0], 8 * torch.tanh(out[:, 1] / 8), 8 * torch.tanh(out[:, 2] / 8)
    r = rho.exp()
    log0 = -r * fn.softplus(eta - rho)
    lnb = torch.lgamma(y + r) - torch.lgamma(r) - torch.lgamma(y + 1) + log0 - y * fn.softplus(rho - eta)
    zero = torch.logaddexp(-fn.softplus(-lp), -fn.softplus(lp) + log0)
    return -torch.where(y == 0, zero, -fn.softplus(lp) + lnb)


def zinb_data(g, c):
    """(x, y, xt, yt), float64. 'synth': two_scale_inputs (df fast features of scale 1, ds slow ones of scale s); a
    sparse teacher: the log of the mean count log(m0) plus k of the fast features (power F) plus the slow features at
    unit scale (power S), the logit of the zero probability logit(p0) plus k other fast features (power Z), the size r
    (dispersion 1 / r) fixed; n training counts and 2,000 fresh test counts from it (zinb_draw). 'digits':
    scikit-learn's 8x8 digits, the target the count of pixel 'pixel' (0-16: each pixel counts the set bits of a 4x4
    block of the 32x32 bitmap), the inputs the other 63 pixels / 16, the image columns 4-7 times s; n training images,
    the others the test set. Then a share 'drop' of the training counts lost (set to zero, technical zeros), and a
    share 'swap' replaced by the count of another training point (seeded draws); the test counts untouched."""
    if c["data"] == "synth":
        df, ds, s, k = c["df"], c["ds"], c["s"], c["k"]
        pick = torch.randperm(df, generator=g)
        a_mu = torch.zeros(df, dtype=torch.float64)
        a_mu[pick[:k]] = torch.randn(k, generator=g, dtype=torch.float64)
        a_mu *= math.sqrt(c["F"]) / a_mu.norm()
        a_pi = torch.zeros(df, dtype=torch.float64)
        a_pi[pick[k:2 * k]] = torch.randn(k, generator=g, dtype=torch.float64)
        a_pi *= math.sqrt(c["Z"]) / a_pi.norm()
        b_s = torch.randn(ds, generator=g, dtype=torch.float64)
        b_s *= math.sqrt(c["S"]) / b_s.norm()

        def draw(m):
            x = two_scale_inputs(g, m, df, ds, s).double()
            mu = torch.exp(math.log(c["m0"]) + x[:, :df] @ a_mu + (x[:, df:] / s) @ b_s)
            pi = torch.sigmoid(math.log(c["p0"] / (1 - c["p0"])) + x[:, :df] @ a_pi)
            return x, zinb_draw(g, mu, pi, c["r"])

        x, y = draw(c["n"])
        xt, yt = draw(2000)
    else:
        from sklearn.datasets import load_digits
        X, _ = load_digits(return_X_y=True)
        X = torch.tensor(X, dtype=torch.float64)
        counts = X[:, c["pixel"]].clone()
        img = (X / 16).view(-1, 8, 8).clone()
        img[:, :, 4:] *= c["s"]
        X = torch.cat([img.view(-1, 64)[:, :c["pixel"]], img.view(-1, 64)[:, c["pixel"] + 1:]], 1)
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        x, y, xt, yt = X[tr], counts[tr], X[te], counts[te]
    if c.get("drop"):  # technical zeros: a share of the training counts lost
        y = torch.where(torch.rand(len(y), generator=g) < c["drop"], torch.zeros_like(y), y)
    if c.get("swap"):
        hit = torch.rand(len(y), generator=g) < c["swap"]
        y = torch.where(hit, y[torch.randint(0, len(y), (len(y),), generator=g)], y)
    return x, y, xt, yt


class Shampoo:
    """Shampoo (Gupta, Koren & Singer 2018), hand-written: for a weight matrix G's gradient (a x b) running averages L
    = b2 L + (1 - b2) G G^T and R = b2 R + (1 - b2) G^T G (b2 1: the sums of the paper), bias-corrected by 1 - b2^t
    as Adam's, the step direction L^(-1/4) G R^(-1/4); for a vector, H = b2 H + (1 - b2) g g^T and H^(-1/2) g. The
    roots by eigendecompositions every 'every' steps (from the first), each factor's eigenvalues floored at eps times
    its largest; heavy-ball momentum beta on the direction; the weight moved by lr times it."""

    def __init__(self, params, lr, beta=0.9, b2=0.99, eps=1e-4, every=10):
        self.params, self.lr, self.beta, self.b2, self.eps, self.every, self.t = params, lr, beta, b2, eps, every, 0
        self.param_groups = [{"lr": lr}]
        self.stats = [[torch.zeros(n, n, dtype=q.dtype) for n in q.shape] for q in params]
        self.roots = [[torch.eye(n, dtype=q.dtype) for n in q.shape] for q in params]
        self.mom = [torch.zeros_like(q) for q in params]

    def zero_grad(self):
        for q in self.params:
            q.grad = None

    def root(self, M, p):
        lam, V = torch.linalg.eigh(M / (1 - self.b2 ** self.t) if self.b2 < 1 else M)
        lam = lam.clamp_min(self.eps * max(lam[-1].item(), 1e-30))
        return (V * lam ** -p) @ V.T

    def step(self):
        self.t += 1
        b2 = self.b2
        with torch.no_grad():
            for q, st, rt, m in zip(self.params, self.stats, self.roots, self.mom):
                G = q.grad
                if G.dim() == 1:
                    st[0].mul_(b2).add_(torch.outer(G, G), alpha=1 - b2 if b2 < 1 else 1.0)
                    if (self.t - 1) % self.every == 0:
                        rt[0] = self.root(st[0], 0.5)
                    d = rt[0] @ G
                else:
                    st[0].mul_(b2).add_(G @ G.T, alpha=1 - b2 if b2 < 1 else 1.0)
                    st[1].mul_(b2).add_(G.T @ G, alpha=1 - b2 if b2 < 1 else 1.0)
                    if (self.t - 1) % self.every == 0:
                        rt[0], rt[1] = self.root(st[0], 0.25), self.root(st[1], 0.25)
                    d = rt[0] @ G @ rt[1]
                m.mul_(self.beta).add_(d)
                q.sub_(self.param_groups[0]["lr"] * m)


def zinb_counts(w, run_id, c):
    """A zero-inflated negative binomial regression, float64: a network d -> h -> 3 (tanh hidden layer; init_layers),
    or a GLM (h 0: three linear predictors), its three outputs the logit of the zero probability, the log of the mean
    and the log of the size (zinb_nll); the last layer's biases start at the logit of the training counts' share of
    zeros, the log of their mean and 0. Data: zinb_data. Loss: the mean ZINB NLL. Optimizer: the hand-written Shampoo
    on minibatches (or Adam or SGD with momentum 0.9, plain_opt). Train loss: the NLL of the (noisy) training counts;
    test loss: the NLL of the held-out counts (fresh draws from the teacher; the other images' pixel counts)."""
    torch.manual_seed(401_000 + c["seed"])
    g = torch.Generator().manual_seed(401_000 + c["seed"])
    x, y, xt, yt = zinb_data(g, c)
    d, h = x.shape[1], c["h"]
    params = init_layers(g, [d, h, 3] if h else [d, 3])
    with torch.no_grad():
        p0 = (y == 0).double().mean().clamp(0.02, 0.98).item()
        params[-1].copy_(torch.tensor([math.log(p0 / (1 - p0)), math.log(y.mean().item() + 0.1), 0.0]))

    def f(z):
        return mlp(params, z, torch.tanh)

    if c["opt"] == "shampoo":
        opt = Shampoo(params, c["lr"], c["beta"], c["b2"], c["eps"])
    else:
        opt = plain_opt(c, params)

    def step(idx):
        opt.zero_grad()
        zinb_nll(f(take(x, idx)), take(y, idx)).mean().backward()
        opt.step()

    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "zinb-mlp" if h else "zinb-glm", "inputs": d, "width": h, "heads": 3},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "k", "F", "S", "Z", "m0", "p0", "r", "pixel", "drop",
                             "swap", "h", "opt", "lr", "beta", "b2", "eps", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "zinb-nll", "test_loss": "heldout-zinb-nll"})

    def log(e, final):
        run.log(e, zinb_nll(f(x), y).mean(), zinb_nll(f(xt), yt).mean(), final=final)

    minibatch_loop(g, len(x), c, step, log)


def runs_zinb_counts():
    # The logic: three linear heads over 40 inputs (123 weights) against 400 counts: the mean's 30 fast inputs, 5 of
    # them carrying the teacher's fast part, fit the sparse signal within a few epochs and then the negative binomial
    # noise and the lost (zeroed) counts, and a count's NLL grows with the mean times the square of the error in the log
    # mean, so the fit of the noise costs much at held-out points; the slow part (power 1.5 in the log mean over 10
    # inputs at scale 0.1) needs weights 10 times larger that Shampoo's inverse fourth roots reach only late (its
    # factors' floor, 1e-2 of the largest eigenvalue, sits at the slow inputs' share of the curvature). The grid moves
    # one thing at a time: the data (n 250, 800; 15 or 60 fast inputs; the digits' pixel counts), the scale gap (s
    # 0.05, 0.3), the slow power (3), the dispersion (r 1, geometric), the lost counts (none, 30%), swapped counts,
    # the model (a tanh network of width 4 or 16 under the heads), Shampoo's floor (1e-3), its sums (b2 1, as the
    # paper's), its momentum (none), and Adam and momentum SGD for contrast.
    base = dict(data="synth", n=400, df=30, ds=10, s=0.1, k=5, F=0.5, S=1.5, Z=1.0, m0=4.0, p0=0.3, r=4.0, drop=0.15,
                h=0, opt="shampoo", lr=0.01, beta=0.9, b2=0.99, eps=1e-2, batch=64, epochs=600, eval="log:35")
    digits = dict(data="digits", df=None, ds=None, k=None, F=None, S=None, Z=None, m0=None, p0=None, r=None)
    contrast = dict(beta=None, b2=None, eps=None)
    return zinb_counts, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=250, eval="every:5"),
        dict(n=800, eval="jitter:35"),
        dict(df=15, eval="every:4"),
        dict(df=60, eval="mixed:20:6"),
        dict(s=0.05, eval="log:40"),
        dict(s=0.3, eval="rand:120"),
        dict(S=3.0, eval="every:6"),
        dict(r=1.0, eval="geom:5"),
        dict(drop=None, eval="jitter:30"),
        dict(drop=0.3, eval="every:5"),
        dict(swap=0.1, eval="mixlog:20:30"),
        dict(h=4, eval="every:4"),
        dict(h=16, eval="log:35"),
        dict(eps=1e-3, eval="burst:40:4"),
        dict(b2=1.0, eval="every:5"),
        dict(beta=0.0, eval="rand:100"),
        dict(contrast, opt="adam", lr=0.003, eval="every:6"),
        dict(contrast, opt="momentum", lr=0.001, eval="jitter:35"),
        dict(digits, pixel=42, eval="every:5"),
        dict(digits, pixel=22, n=200, eval="log:35"),
    ], lambda d: "%s-n%d%s-s%g%s%s-h%d-%s-lr%g" % (
        d["data"], d["n"], "-df%d-S%g-r%g" % (d["df"], d["S"], d["r"]) if d["data"] == "synth"
        else "-pixel%d" % d["pixel"], d["s"], "-drop%g" % d["drop"] if d.get("drop") else "",
        "-swap%g" % d["swap"] if d.get("swap") else "", d["h"],
        "shampoo-beta%g-b2%g-eps%g" % (d["beta"], d["b2"], d["eps"]) if d["opt"] == "shampoo" else d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- sinkhorn-hist


def sinkhorn_scalings(a, b, Kmat, iters, v=None):
    """Sinkhorn's iterations for the entropic optimal transport between the histograms a and b (rows) under the Gibbs
    kernel Kmat = exp(-C / eps), the reference measure a x b, in scaling form: u = 1 / (Kmat (b v)), v = 1 / (Kmat^T (a
    u)), iters times from v (1 where None). The potentials are f = eps log u, g = eps log v; OT_eps(a, b) = <a, f> +
    <b, g> at convergence, and d OT_eps / d a = f."""
    v = torch.ones_like(b) if v is None else v
    for _ in range(iters):
        u = 1 / ((b * v) @ Kmat.T)
        v = 1 / ((a * u) @ Kmat)
    return u, v


def sym_scaling(a, Kmat, iters, u=None):
    """The symmetric scaling of OT_eps(a, a) by the averaged fixed-point iteration of Feydy et al. (2019), f = (f +
    T(f)) / 2, in scaling form u = sqrt(u / (Kmat (a u))), iters times from u (1 where None); OT_eps(a, a) = 2 <a, f>
    with f = eps log u, its gradient in a 2 f."""
    u = torch.ones_like(a) if u is None else u
    for _ in range(iters):
        u = (u / ((a * u) @ Kmat.T)).sqrt()
    return u


def sinkhorn_divergence(a, b, Kmat, eps, iters=200):
    """The debiased Sinkhorn divergence S_eps(a, b) = OT_eps(a, b) - OT_eps(a, a) / 2 - OT_eps(b, b) / 2 of each row
    (Genevay et al. 2018; Feydy et al. 2019), from a cold start of iters iterations: at least 0, 0 where a = b."""
    u, v = sinkhorn_scalings(a, b, Kmat, iters)
    ua, ub = sym_scaling(a, Kmat, iters), sym_scaling(b, Kmat, iters)
    return eps * ((a * (u / ua).log()).sum(1) + (b * (v / ub).log()).sum(1))


def wasserstein_1d(a, b):
    """The exact 1-D Wasserstein-1 distance of each row's histograms over K ordered bins spaced 1 / (K - 1) apart (on
    [0, 1]): the sum over the bins of |F_a - F_b|, the difference of the cumulative distributions, times the spacing."""
    return (a - b).cumsum(1)[:, :-1].abs().sum(1) / (a.shape[1] - 1)


def hist_data(g, c):
    """(x, b, xt, bt): inputs and target histograms (rows summing to 1), float64. 'synth': two_scale_inputs (df fast
    features of scale 1, ds slow ones of scale s); a location m(x) = 0.5 + 0.15 (fast + slow), the fast part linear in
    the fast features (power F), the slow part linear in the slow features at unit scale (power S); the true
    histogram over K bins at t_k = k / (K - 1) a Normal of mean m(x) and std 'width' discretised (p_k proportional to
    exp(-(t_k - m)^2 / (2 width^2))); each training target the histogram of 'draws' draws from it (multinomial
    sampling noise), the test targets the true histograms of 1,000 fresh points. 'digits': scikit-learn's 8x8 digits
    (the few whose lower half is blank left out), the inputs the upper four rows (32 pixels / 16, columns 4-7 times
    s), the target the column profile of the lower four rows (the ink of each of the 8 columns over the ink of the
    lower half: K 8); each training target resampled from its profile by 'draws' draws; n training images, the others'
    profiles the test targets. Then a share 'swap' of the training targets replaced by another training point's."""
    if c["data"] == "synth":
        df, ds, s, K = c["df"], c["ds"], c["s"], c["K"]
        phi = torch.randn(df, generator=g, dtype=torch.float64)
        phi *= math.sqrt(c["F"]) / phi.norm()
        theta = torch.randn(ds, generator=g, dtype=torch.float64)
        theta *= math.sqrt(c["S"]) / theta.norm()
        t = torch.linspace(0, 1, K, dtype=torch.float64)

        def truth(x):
            m = 0.5 + 0.15 * (x[:, :df] @ phi + (x[:, df:] / s) @ theta)
            return torch.softmax(-(t - m[:, None]) ** 2 / (2 * c["width"] ** 2), 1)

        x = two_scale_inputs(g, c["n"], df, ds, s).double()
        xt = two_scale_inputs(g, 1000, df, ds, s).double()
        p, bt = truth(x), truth(xt)
    else:
        from sklearn.datasets import load_digits
        X, _ = load_digits(return_X_y=True)
        img = torch.tensor(X, dtype=torch.float64).view(-1, 8, 8)
        prof = img[:, 4:, :].sum(1)
        keep = prof.sum(1) > 0
        img, prof = img[keep], prof[keep] / prof[keep].sum(1, keepdim=True)
        up = img[:, :4, :] / 16
        up[:, :, 4:] *= c["s"]
        up = up.reshape(len(up), 32)
        perm = torch.randperm(len(up), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        x, p, xt, bt = up[tr], prof[tr], up[te], prof[te]
    draws = torch.multinomial(p, c["draws"], replacement=True, generator=g)
    b = fn.one_hot(draws, p.shape[1]).double().mean(1)
    if c.get("swap"):
        hit = torch.rand(len(b), generator=g) < c["swap"]
        b = torch.where(hit[:, None], b[torch.randint(0, len(b), (len(b),), generator=g)], b)
    return x, b, xt, bt


class RestartNesterov:
    """Nesterov's accelerated gradient with adaptive restart (O'Donoghue & Candes 2015), hand-written: x_(k+1) = y_k -
    lr grad f(y_k), y_(k+1) = x_(k+1) + (j - 1) / (j + 2) (x_(k+1) - x_k), j counting the steps since the last restart;
    the momentum restarts (j back to 1) whenever grad f(y_k) . (x_(k+1) - x_k) > 0, that is where the step goes uphill.
    The parameters hold y (where the gradient is taken); the iterate x is the model judged. 'norestart' keeps the
    momentum sequence of FISTA without restarts."""

    def __init__(self, params, lr, restart=True):
        self.params, self.restart, self.j, self.restarts = params, restart, 1, 0
        self.param_groups = [{"lr": lr}]
        self.x = [q.detach().clone() for q in params]

    def zero_grad(self):
        for q in self.params:
            q.grad = None

    def step(self):
        lr = self.param_groups[0]["lr"]
        with torch.no_grad():
            new = [q - lr * q.grad for q in self.params]
            if self.restart and sum((q.grad * (xn - xo)).sum() for q, xn, xo in zip(self.params, new, self.x)) > 0:
                self.j, self.restarts = 1, self.restarts + 1
            beta = (self.j - 1) / (self.j + 2)
            for q, xn, xo in zip(self.params, new, self.x):
                q.copy_(xn + beta * (xn - xo))
                xo.copy_(xn)
            self.j += 1


def sinkhorn_hist(w, run_id, c):
    """A histogram regression, float64: a ReLU network d -> h -> K (init_layers), the softmax of its outputs the
    predicted histogram a over K ordered bins (h 0: a linear softmax). Data: hist_data. Loss: the debiased Sinkhorn
    divergence S_eps(a, b) to the noisy target histograms b (sinkhorn_divergence), ground cost |t_i - t_j| on [0, 1],
    eps 'eps'; its gradient in a is f_ab - f_aa (the potentials, by the envelope theorem), so each step runs the
    Sinkhorn iterations under no_grad, 'iters' of them warm-started from the scalings of the step before, and
    backpropagates <f_ab - f_aa, a> through the network. Optimizer: the hand-written RestartNesterov on the full batch
    (or Adam, or SGD with momentum 0.9: plain_opt). Train loss: S_eps to the noisy training targets (from a cold start
    of 200 iterations); test loss: the exact 1-D Wasserstein distance (wasserstein_1d) between the predicted and the
    true histograms of fresh points (the held-out images' own profiles on the digits)."""
    torch.manual_seed(402_000 + c["seed"])
    g = torch.Generator().manual_seed(402_000 + c["seed"])
    x, b, xt, bt = hist_data(g, c)
    n, d, K, h, eps = len(x), x.shape[1], b.shape[1], c["h"], c["eps"]
    t = torch.linspace(0, 1, K, dtype=torch.float64)
    Kmat = torch.exp(-(t[:, None] - t[None, :]).abs() / eps)
    params = init_layers(g, [d, h, K] if h else [d, K])
    state = {"v": torch.ones(n, K, dtype=torch.float64), "ua": torch.ones(n, K, dtype=torch.float64)}

    def predict(p, z):
        return torch.softmax(mlp(p, z, torch.relu), 1)

    if c["opt"] == "nesterov":
        opt = RestartNesterov(params, c["lr"], c.get("restart", True))
    else:
        opt = plain_opt(c, params)

    def step(idx):
        opt.zero_grad()
        a = predict(params, take(x, idx))
        with torch.no_grad():
            u, v = sinkhorn_scalings(a, take(b, idx), Kmat, c["iters"], take(state["v"], idx))
            ua = sym_scaling(a, Kmat, c["iters"], take(state["ua"], idx))
            if idx is None:
                state["v"], state["ua"] = v, ua
            else:
                state["v"][idx], state["ua"][idx] = v, ua
        (eps * (u / ua).log() * a).sum(1).mean().backward()
        opt.step()

    run = w.run(run_id, sum(q.numel() for q in params), n,
                {"family": "hist-mlp" if h else "hist-softmax", "inputs": d, "width": h, "bins": K},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "K", "width", "draws", "swap", "h", "eps",
                             "iters", "opt", "lr", "restart", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "sinkhorn-divergence",
                   "test_loss": "w1-true-hist" if c["data"] == "synth" else "w1-heldout-hist"}, output_dim=K)

    def log(e, final):
        p = opt.x if c["opt"] == "nesterov" else params
        run.log(e, sinkhorn_divergence(predict(p, x), b, Kmat, eps).mean(), wasserstein_1d(predict(p, xt), bt).mean(),
                final=final)

    minibatch_loop(g, n, c, step, log)


def runs_sinkhorn_hist():
    # The logic: a linear softmax over 40 inputs (492 weights) against 100 histograms of 20 draws each: the 30 fast
    # inputs learn the fast part of the location within tens of epochs, then the sampling noise of the histograms,
    # which, under a divergence of the transport kind, also sharpens the predicted histograms (its minimiser for
    # sampled targets is no longer their mean), so the distance to the true histograms rises; the slow part (power 2
    # over 10 inputs at scale 0.15) is learned hundreds of epochs later under the accelerated method. The grid moves
    # one thing at a time: the data (n 70, 200; 20 or 45 fast inputs; the digits' profiles), the scale gap (0.1,
    # 0.25), the slow power (1), the sampling noise (5 or 100 draws), swapped targets, the true width (0.12), the bins
    # (24), the blur (eps 0.2), the momentum without restarts (FISTA's sequence), the step (2), a ReLU network of
    # width 16, and Adam and momentum SGD for contrast.
    base = dict(data="synth", n=100, df=30, ds=10, s=0.15, F=1.0, S=2.0, K=12, width=0.2, draws=20, h=0, eps=0.05,
                iters=5, opt="nesterov", lr=5.0, epochs=4000, eval="log:35")
    digits = dict(data="digits", s=0.1, df=None, ds=None, F=None, S=None, K=None, width=None)
    return sinkhorn_hist, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=200, eval="every:20"),
        dict(n=70, eval="jitter:35"),
        dict(df=20, eval="every:25"),
        dict(df=45, eval="mixed:50:20"),
        dict(s=0.1, eval="log:40"),
        dict(s=0.25, eval="rand:150"),
        dict(S=1.0, eval="every:20"),
        dict(draws=5, eval="geom:25"),
        dict(draws=100, eval="jitter:30"),
        dict(swap=0.1, eval="every:20"),
        dict(width=0.12, eval="mixlog:30:30"),
        dict(K=24, eval="every:25"),
        dict(eps=0.2, eval="log:35"),
        dict(restart=False, eval="burst:200:5"),
        dict(lr=2.0, eval="every:20"),
        dict(opt="adam", lr=0.01, eval="jitter:35"),
        dict(opt="momentum", lr=0.5, eval="every:25"),
        dict(h=16, eval="log:35"),
        dict(digits, n=300, eval="every:20"),
        dict(digits, draws=5, eval="rand:150"),
    ], lambda d: "%s-n%d%s-s%g-draws%d%s-h%d-eps%g-%s-lr%g" % (
        d["data"], d["n"], "-df%d-S%g-K%d-width%g" % (d["df"], d["S"], d["K"], d["width"]) if d["data"] == "synth"
        else "", d["s"], d["draws"], "-swap%g" % d["swap"] if d.get("swap") else "", d["h"], d["eps"],
        d["opt"] + ("-norestart" if d.get("restart") is False else ""), d["lr"]))


# ---------------------------------------------------------------------------------------------------- evidential-reg


def nig_params(out):
    """The Normal-Inverse-Gamma's four parameters from a network's four outputs: gamma (the mean), nu = softplus + 1e-3
    (the mean's virtual observations), alpha = softplus + 1 + 1e-3 (so that the predictive's variance and the CRPS
    exist), beta = softplus + 1e-3."""
    return (out[:, 0], fn.softplus(out[:, 1]) + 1e-3, fn.softplus(out[:, 2]) + 1.001, fn.softplus(out[:, 3]) + 1e-3)


def nig_nll(gam, nu, alpha, beta, y):
    """The negative log marginal likelihood of y under the Normal-Inverse-Gamma (Amini, Schwarting, Soleimany & Rus
    2020): the Student-t of 2 alpha degrees of freedom, location gamma and scale^2 beta (1 + nu) / (nu alpha); with
    Omega = 2 beta (1 + nu), 0.5 log(pi / nu) - alpha log Omega + (alpha + 0.5) log(nu (y - gamma)^2 + Omega) +
    lgamma(alpha) - lgamma(alpha + 0.5). A density's: below zero where it exceeds 1."""
    om = 2 * beta * (1 + nu)
    return (0.5 * torch.log(math.pi / nu) - alpha * om.log() + (alpha + 0.5) * torch.log(nu * (y - gam) ** 2 + om)
            + torch.lgamma(alpha) - torch.lgamma(alpha + 0.5))


def student_crps(gam, nu, alpha, beta, y):
    """The continuous ranked probability score of y under the NIG's predictive Student-t (Gneiting & Raftery 2007; the
    closed form of Jordan, Krueger & Lerch 2019): with dof v = 2 alpha, scale sig = sqrt(beta (1 + nu) / (nu alpha)), z
    = (y - gamma) / sig, sig [z (2 F(z) - 1) + 2 f(z) (v + z^2) / (v - 1) - 2 sqrt(v) B(1/2, v - 1/2) / ((v - 1) B(1/2,
    v / 2)^2)], F and f the t distribution's CDF (scipy.special.stdtr) and density. A proper scoring rule, at least 0,
    in the target's units."""
    from scipy.special import stdtr
    v = 2 * alpha
    sig = torch.sqrt(beta * (1 + nu) / (nu * alpha))
    z = (y - gam) / sig
    cdf = torch.tensor(stdtr(v.numpy(), z.numpy()), dtype=z.dtype)
    lbeta = lambda a, b: torch.lgamma(a) + torch.lgamma(b) - torch.lgamma(a + b)  # noqa: E731
    half = torch.full_like(v, 0.5)
    logpdf = (torch.lgamma((v + 1) / 2) - torch.lgamma(v / 2) - 0.5 * torch.log(v * math.pi)
              - (v + 1) / 2 * torch.log1p(z * z / v))
    last = 2 * v.sqrt() * torch.exp(lbeta(half, v - 0.5) - 2 * lbeta(half, v / 2)) / (v - 1)
    return sig * (z * (2 * cdf - 1) + 2 * logpdf.exp() * (v + z * z) / (v - 1) - last)


def evidential_data(g, c):
    """(x, y, xt, yt), float64. 'synth': two_scale_inputs (df fast features of scale 1, ds slow ones of scale s); the
    target a fast part, a standardised random tanh network of 4 units of the fast features (power F), plus a slow
    part linear in the slow features at unit scale (power S), plus contaminated Gaussian noise: std 'noise', and for a
    share 'p_out' of the points std 'noise' times 'out' instead; n training points and 2,000 fresh test points, the
    same noise on both. 'diabetes': diabetes_products (its 55 standardised squares and products at scale 1 beside its
    10 standardised columns at scale s), n training patients, the same noise on their progression; the others'
    progression the test targets. 'linnerud': scikit-learn's linnerud, the weight of 20 athletes from their three
    exercises (standardised on the n training athletes, the situps column times s), the same noise on the standardised
    training weights."""
    def noise(m):
        sd = torch.full((m,), c["noise"], dtype=torch.float64)
        if c.get("p_out"):
            sd = torch.where(torch.rand(m, generator=g) < c["p_out"], sd * c["out"], sd)
        return sd * torch.randn(m, generator=g, dtype=torch.float64)

    if c["data"] == "synth":
        df, ds, s = c["df"], c["ds"], c["s"]
        U = torch.randn(df, 4, generator=g, dtype=torch.float64) / math.sqrt(df)
        v = torch.randn(4, generator=g, dtype=torch.float64)
        theta = torch.randn(ds, generator=g, dtype=torch.float64)
        theta *= math.sqrt(c["S"]) / theta.norm()
        raw = torch.tanh(2 * torch.randn(4000, df, generator=g, dtype=torch.float64) @ U) @ v
        mean, sd = raw.mean().item(), raw.std().item()

        def clean(x):
            return math.sqrt(c["F"]) * (torch.tanh(2 * x[:, :df] @ U) @ v - mean) / sd + (x[:, df:] / s) @ theta

        x = two_scale_inputs(g, c["n"], df, ds, s).double()
        xt = two_scale_inputs(g, 2000, df, ds, s).double()
        return x, clean(x) + noise(len(x)), xt, clean(xt) + noise(len(xt))
    if c["data"] == "diabetes":
        X, Y, tr, te = diabetes_products(g, c["n"], c["s"], torch.float64)
        return X[tr], Y[tr] + noise(len(tr)), X[te], Y[te]
    from sklearn.datasets import load_linnerud
    data = load_linnerud()
    X, Y = torch.tensor(data.data, dtype=torch.float64), torch.tensor(data.target[:, 0], dtype=torch.float64)
    perm = torch.randperm(len(Y), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    X = (X - X[tr].mean(0)) / X[tr].std(0)
    X[:, 1] *= c["s"]
    Y = (Y - Y[tr].mean()) / Y[tr].std()
    return X[tr], Y[tr] + noise(len(tr)), X[te], Y[te]


class Sophia:
    """Sophia (Liu, Li, Hall, Liang & Ma 2023), hand-written, with the Hutchinson estimator of the Hessian's diagonal
    (Sophia-H): m = b1 m + (1 - b1) g; every k steps (from the first) h = b2 h + (1 - b2) u * (H u), u Rademacher draws
    from the run's generator, H u by a second backward pass; the weight moved by lr sign(m) min(|m| / max(rho h,
    1e-12), 1) (a clipped Newton step, a sign step where the curvature is negative or small). The caller gives it
    the gradient and, when hessian_due(), the products u * (H u) (update_hessian)."""

    def __init__(self, params, lr, rho=0.04, b1=0.965, b2=0.99, k=10):
        self.params, self.lr, self.rho, self.b1, self.b2, self.k, self.t = params, lr, rho, b1, b2, k, 0
        self.param_groups = [{"lr": lr}]
        self.m = [torch.zeros_like(q) for q in params]
        self.h = [torch.zeros_like(q) for q in params]

    def zero_grad(self):
        for q in self.params:
            q.grad = None

    def hessian_due(self):
        return self.t % self.k == 0

    def update_hessian(self, uhu):
        for h, e in zip(self.h, uhu):
            h.mul_(self.b2).add_(e, alpha=1 - self.b2)

    def step(self):
        self.t += 1
        lr = self.param_groups[0]["lr"]
        with torch.no_grad():
            for q, m, h in zip(self.params, self.m, self.h):
                m.mul_(self.b1).add_(q.grad, alpha=1 - self.b1)
                ratio = (m.abs() / (self.rho * h).clamp_min(1e-12)).clamp_max(1.0)
                q.sub_(lr * m.sign() * ratio)


def evidential_reg(w, run_id, c):
    """Deep evidential regression (Amini et al. 2020), float64: a tanh network d -> h -> 4 (init_layers), its outputs
    the Normal-Inverse-Gamma's gamma, nu, alpha, beta (nig_params); the last layer's biases from the training targets
    (gamma their mean, nu 1, alpha 2, beta their variance). Data: evidential_data. Loss: the NIG's negative log
    marginal likelihood (nig_nll) plus lam |y - gamma| (2 nu + alpha), the evidence regulariser, averaged.
    Optimizer: the hand-written Sophia on minibatches (the Hutchinson products from the minibatch's loss every k
    steps), or Adam or SGD with momentum 0.9 (plain_opt). Train loss: the NLL of the noisy training targets (below zero
    where the predictive density exceeds 1); test loss: the CRPS of the predictive Student-t (student_crps) of the
    held-out targets (fresh noisy targets; the other patients' progression or athletes' weight)."""
    torch.manual_seed(403_000 + c["seed"])
    g = torch.Generator().manual_seed(403_000 + c["seed"])
    x, y, xt, yt = evidential_data(g, c)
    d, h, lam = x.shape[1], c["h"], c.get("lam") or 0.0
    params = init_layers(g, [d, h, 4])
    inv = math.log(math.expm1(1.0))
    with torch.no_grad():
        params[-1].copy_(torch.tensor([y.mean().item(), inv, inv, math.log(math.expm1(y.var().item()))]))

    def nig(z):
        return nig_params(mlp(params, z, torch.tanh))

    def objective(xb, yb):
        gam, nu, alpha, beta = nig(xb)
        return (nig_nll(gam, nu, alpha, beta, yb) + lam * (yb - gam).abs() * (2 * nu + alpha)).mean()

    if c["opt"] == "sophia":
        opt = Sophia(params, c["lr"], c["rho"], k=c["k"])
    else:
        opt = plain_opt(c, params)

    def step(idx):
        opt.zero_grad()
        loss = objective(take(x, idx), take(y, idx))
        if c["opt"] == "sophia" and opt.hessian_due():
            grads = torch.autograd.grad(loss, params, create_graph=True)
            us = [torch.randint(0, 2, q.shape, generator=g).double() * 2 - 1 for q in params]
            hus = torch.autograd.grad(grads, params, grad_outputs=us)
            opt.update_hessian([u * hu for u, hu in zip(us, hus)])
            for q, gr in zip(params, grads):
                q.grad = gr.detach()
        else:
            loss.backward()
        opt.step()

    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "evidential-mlp", "inputs": d, "width": h, "heads": 4},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "noise", "p_out", "out", "h", "lam", "opt",
                             "lr", "rho", "k", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "nig-nll+evidence-reg", "test_loss": "heldout-crps"})

    def log(e, final):
        run.log(e, nig_nll(*nig(x), y).mean(), student_crps(*nig(xt), yt).mean(), final=final)

    minibatch_loop(g, len(x), c, step, log)


def runs_evidential_reg():
    # The logic: a tanh network of width 16 (580 weights) against 200 targets, 30 fast inputs of which a tanh teacher
    # uses four directions at power 0.5: it learns the fast part within a few epochs, then the contaminated noise, and
    # the NIG's evidence grows where the training targets are fitted, so the predictive narrows and the held-out CRPS
    # rises; the slow part (power 2 over 10 inputs at scale 0.1), which Sophia's clipped steps reach some tens of
    # epochs later, brings the CRPS down again, until the fit of the noise takes it back up. The grid moves one thing at
    # a time: the data (n 100, 400; 15 fast inputs; diabetes with its products, linnerud), the scale gap (0.05, 0.2),
    # no slow part, the noise (0.6; no contamination), the width (4, 64), the regulariser (none, 0.1), the step (0.01),
    # Sophia's rho (0.2), the batch (8), and Adam and momentum SGD for contrast.
    base = dict(data="synth", n=200, df=30, ds=10, s=0.1, F=0.5, S=2.0, noise=0.3, p_out=0.1, out=5.0, h=16, lam=0.01,
                opt="sophia", lr=0.003, rho=0.04, k=10, batch=32, epochs=600, eval="log:35")
    real = dict(df=None, ds=None, F=None, S=None)
    contrast = dict(rho=None, k=None)
    return evidential_reg, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=100, eval="every:4"),
        dict(n=400, eval="jitter:35"),
        dict(df=15, eval="every:3"),
        dict(s=0.05, eval="mixed:30:5"),
        dict(s=0.2, eval="log:40"),
        dict(S=0.0, eval="rand:100"),
        dict(noise=0.6, eval="every:4"),
        dict(p_out=None, out=None, eval="geom:4"),
        dict(h=4, eval="every:3"),
        dict(h=64, eval="jitter:30"),
        dict(lam=None, eval="every:4"),
        dict(lam=0.1, eval="mixlog:20:30"),
        dict(lr=0.01, eval="every:3"),
        dict(rho=0.2, eval="every:4"),
        dict(batch=8, epochs=200, eval="geom:3"),
        dict(contrast, opt="adam", eval="every:4"),
        dict(contrast, opt="momentum", eval="rand:120"),
        dict(real, data="diabetes", n=250, eval="every:4"),
        dict(real, data="diabetes", n=100, eval="jitter:35"),
        dict(real, data="linnerud", n=14, s=0.3, batch=None, epochs=1000, eval="log:40"),
    ], lambda d: "%s-n%d%s-s%g-noise%g%s-h%d%s-%s-lr%g%s" % (
        d["data"], d["n"], "-df%d-S%g" % (d["df"], d["S"]) if d["data"] == "synth" else "", d["s"], d["noise"],
        "-out%g" % d["p_out"] if d.get("p_out") else "", d["h"], "-lam%g" % d["lam"] if d.get("lam") else "",
        "sophia-rho%g" % d["rho"] if d["opt"] == "sophia" else d["opt"], d["lr"],
        "-b%d" % d["batch"] if d.get("batch") else "-fullbatch"))


FAMILIES = {"zinb-counts": runs_zinb_counts, "sinkhorn-hist": runs_sinkhorn_hist, "evidential-reg": runs_evidential_reg}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
