#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, thirty-ninth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 122 families of train.py ... train_thirtyeighth.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is optimizers that no earlier round used, on familiar
models: orthogonalised and full-matrix preconditioned updates, and weight averaging:

- muon-mlp: a two-hidden-layer ReLU MLP (regression on a two-scale teacher and scikit-learn's diabetes, or
  classification of the digits and the breast cancer with flipped labels) trained by a hand-written Muon: Nesterov
  momentum whose update for each weight matrix is orthogonalised by a few quintic Newton-Schulz iterations, scaled by
  the matrix's shape, Adam on the biases; Adam or momentum SGD on every weight in a few runs for contrast;
- shampoo-linear: a multi-output linear model or a random-features model (fixed ReLU features, a learned readout),
  trained by a hand-written Shampoo: per matrix a left and a right Kronecker factor of the gradients' second moments,
  their inverse fourth roots by eigendecomposition every few steps, on two-scale inputs under a multi-output teacher,
  scikit-learn's digits as softmax regression with flipped labels and its diabetes with its products; Adam or
  momentum SGD in a few runs for contrast;
- swa-lookahead: a small CNN or MLP (no batch norm) on the digits with flipped labels, trained by Lookahead over SGD
  with momentum or Adam, the evaluated model the stochastic weight average (SWA: the equal-weight average of the
  weights at the end of every few epochs from a start epoch on, under its own constant or cyclic step) once it has
  begun, the Lookahead's slow weights before; without SWA or without Lookahead in a few runs for contrast.

The file format, determinism and helpers are the earlier files': Writer, the two-scale inputs and teacher, the digits
and the command line from train.py, epochs_of and settings from train_more.py, dict_runs from train_seventh.py, batches
from train_twentyfirst.py, uniform from train_thirtysecond.py and its Lookahead, diabetes_products from
train_thirtythird.py, plain_opt (the contrast optimizers) from train_thirtyfourth.py, leaves and real_classes from
train_thirtysixth.py and eval_epochs (the irregular spacings) from train_thirtyseventh.py; one thread, every random
draw from a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_thirtyninth.py --family muon-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): muon-mlp, shampoo-linear, swa-lookahead. Evaluation spacings: train.py's 'every',
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
from train_twentyfirst import batches  # noqa: E402
from train_thirtysecond import Lookahead, uniform  # noqa: E402
from train_thirtythird import diabetes_products  # noqa: E402
from train_thirtyfourth import plain_opt  # noqa: E402  (Adam, or SGD with momentum 0.9)
from train_thirtysixth import leaves, real_classes  # noqa: E402
from train_thirtyseventh import eval_epochs  # noqa: E402

torch.set_num_threads(1)


def epoch_loop(g, n, c, step, log, begin=None, end=None):
    """Minibatch epochs to each evaluation epoch of c['eval'] (eval_epochs): begin(e) before epoch e's steps, step(idx)
    for each minibatch of batches(g, n, c['batch']) (idx None: the whole set), end(e + 1) after them; log(epoch,
    final=...) at the evaluated epochs, under no_grad."""
    pts = eval_epochs(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            if begin is not None:
                begin(e)
            for idx in batches(g, n, c.get("batch")):
                step(idx)
            e += 1
            if end is not None:
                end(e)
        with torch.no_grad():
            log(e, final=e == pts[-1])


def take(t, idx):
    return t if idx is None else t[idx]


def flip_labels(g, y, K, share):
    """A share of the labels replaced by another class drawn at random."""
    if not share:
        return y
    hit = torch.rand(len(y), generator=g) < share
    return torch.where(hit, (y + torch.randint(1, K, (len(y),), generator=g)) % K, y)


def cooldown(c, e):
    """The step's multiplier at epoch e: 1, then a linear decay to zero over the last share c['cool'] of the epochs."""
    E, cool = c["epochs"], c.get("cool") or 0.0
    start = E * (1 - cool)
    return 1.0 if e < start or not cool else max(0.0, (E - e) / (E - start))


# ---------------------------------------------------------------------------------------------------- muon-mlp


def newton_schulz(G, steps):
    """The orthogonalisation of Muon (Jordan et al. 2024): G scaled to unit Frobenius norm, then `steps` quintic
    Newton-Schulz iterations X <- a X + (b A + c A^2) X, A = X X^T, (a, b, c) = (3.4445, -4.7750, 2.0315), taken on the
    wide orientation; they push every singular value that is not tiny into about [0.7, 1.2] and keep the singular
    vectors: about U V^T of G's SVD."""
    a, b, c = 3.4445, -4.7750, 2.0315
    X = G / (G.norm() + 1e-7)
    tall = X.shape[0] > X.shape[1]
    if tall:
        X = X.T
    for _ in range(steps):
        A = X @ X.T
        X = a * X + (b * A + c * A @ A) @ X
    return X.T if tall else X


class Muon:
    """Muon, hand-written: for each weight matrix W (out x in), the momentum buffer B = mu B + grad, the Nesterov
    direction grad + mu B, orthogonalised by newton_schulz, and W -= lr max(1, out / in)^(1/2) times it; the other
    parameters (the biases, and the head where c['head'] is 'adam') by Adam at adam_lr. Both steps times the epoch's
    multiplier (set_factor)."""

    def __init__(self, mats, others, lr, momentum, ns_steps, adam_lr):
        self.mats, self.lr, self.mu, self.ns, self.factor = mats, lr, momentum, ns_steps, 1.0
        self.buf = [torch.zeros_like(W) for W in mats]
        self.adam = torch.optim.Adam(others, lr=adam_lr)
        self.adam_lr = adam_lr

    def set_factor(self, f):
        self.factor = f
        self.adam.param_groups[0]["lr"] = self.adam_lr * f

    def zero_grad(self):
        for W in self.mats:
            W.grad = None
        self.adam.zero_grad()

    def step(self):
        with torch.no_grad():
            for W, B in zip(self.mats, self.buf):
                B.mul_(self.mu).add_(W.grad)
                u = W.grad + self.mu * B
                W.sub_(self.lr * self.factor * max(1.0, W.shape[0] / W.shape[1]) ** 0.5 * newton_schulz(u, self.ns))
        self.adam.step()


def muon_data(g, c):
    """(x, y, xt, yt, K), float64; K 1 for regression. 'synth': two_scale_inputs (df fast features of scale 1, ds slow
    ones of scale s), the target a fast part of power F (two thirds of it linear in a random direction of the fast
    features, a third tanh of another, scaled to unit variance), plus a slow part of power S linear in the slow
    features at unit scale; Gaussian noise c['noise'] on the n training targets; 2,000 fresh test points with clean
    targets. 'diabetes': diabetes_products (the 55 squares and products at scale 1, the 10 columns at scale s), n
    training patients with noise c['noise'] on their standardised progression, the others' progression the test
    targets. 'digits': train.digits, n training images, image columns 4-7 times s, a share 'flip' of the labels
    replaced; the other images, clean, the test set. 'cancer': real_classes (half the columns times s), a share
    'flip' of the training labels replaced."""
    name = c["data"]
    if name == "synth":
        df, ds, s = c["df"], c["ds"], c["s"]
        a = torch.randn(df, generator=g, dtype=torch.float64)
        u = torch.randn(df, generator=g, dtype=torch.float64)
        th = torch.randn(ds, generator=g, dtype=torch.float64)
        a, u, th = a / a.norm(), u / u.norm(), th / th.norm()

        def clean(z):
            f = math.sqrt(2 * c["F"] / 3) * (z[:, :df] @ a) + math.sqrt(c["F"] / 3) * torch.tanh(z[:, :df] @ u) / 0.63
            return f + math.sqrt(c["S"]) * (z[:, df:] / s) @ th

        x = two_scale_inputs(g, c["n"], df, ds, s).double()
        xt = two_scale_inputs(g, 2000, df, ds, s).double()
        y = clean(x) + c["noise"] * torch.randn(c["n"], generator=g, dtype=torch.float64)
        return x, y, xt, clean(xt), 1
    if name == "diabetes":
        X, Y, tr, te = diabetes_products(g, c["n"], c["s"], torch.float64)
        return X[tr], Y[tr] + c["noise"] * torch.randn(len(tr), generator=g, dtype=torch.float64), X[te], Y[te], 1
    if name == "digits":
        x, y, xt, yt = train.digits(c["seed"], c["n"], c.get("flip") or 0.0, (c["s"], [4, 5, 6, 7]))
        return x.double(), y, xt.double(), yt, 10
    x, y, xt, yt, K = real_classes(g, name, c["n"], c["s"], torch.float64)
    return x, flip_labels(g, y, K, c.get("flip")), xt, yt, K


def muon_mlp(w, run_id, c):
    """A two-hidden-layer ReLU MLP d -> h -> h -> K, float64, weights and biases U(+-1 / sqrt(fan-in)) from the run's
    generator, weight matrices stored out x in. Data: muon_data. Loss: half the squared error (regression) or the
    cross-entropy (classification). Optimizer: Muon (opt 'muon') at step lr on the weight matrices (all three, or the
    two hidden ones with the head on Adam where head is 'adam'), momentum mu, ns_steps Newton-Schulz iterations, Adam
    at adam_lr on the biases; or Adam or SGD with momentum 0.9 on every weight (plain_opt); minibatches; every step
    times cooldown (constant, then a linear decay to zero over the last share 'cool' of the epochs). Train loss: the
    loss on the noisy training targets or labels; test loss: the squared error against the clean test targets (the
    held-out progression on diabetes) or the cross-entropy of the clean test labels; error rates too for classes."""
    g = torch.Generator().manual_seed(391_000 + c["seed"])
    x, y, xt, yt, K = muon_data(g, c)
    d, h = x.shape[1], c["h"]
    W1, W2, W3 = (uniform(g, d, h, d).double(), uniform(g, h, h, h).double(), uniform(g, h, K, h).double())
    b1, b2, b3 = uniform(g, d, h).double(), uniform(g, h, h).double(), uniform(g, h, K).double()
    params = leaves([W1, b1, W2, b2, W3, b3])

    def forward(z):
        return (torch.relu(torch.relu(z @ W1.T + b1) @ W2.T + b2) @ W3.T + b3).squeeze(-1) if K == 1 else \
            torch.relu(torch.relu(z @ W1.T + b1) @ W2.T + b2) @ W3.T + b3

    def lossf(f, t):
        return 0.5 * ((f - t) ** 2).mean() if K == 1 else fn.cross_entropy(f, t)

    if c["opt"] == "muon":
        mats = [W1, W2] if c.get("head") == "adam" else [W1, W2, W3]
        opt = Muon(mats, [q for q in params if all(q is not m for m in mats)], c["lr"], c["mu"], c["ns"],
                   c["adam_lr"])
    else:
        opt = plain_opt(c, params)
        base = c["lr"]

    def begin(e):
        f = cooldown(c, e)
        if c["opt"] == "muon":
            opt.set_factor(f)
        else:
            opt.param_groups[0]["lr"] = base * f

    def step(idx):
        opt.zero_grad()
        lossf(forward(take(x, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "relu-mlp", "hidden_layers": 2, "width": h, "inputs": d, "outputs": K},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "noise", "flip", "h", "opt", "lr", "mu",
                             "ns", "adam_lr", "head", "cool", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse" if K == 1 else "ce",
                   "test_loss": {"synth": "clean-mse", "diabetes": "heldout-mse"}.get(c["data"], "clean-ce")},
                output_dim=K)

    def log(e, final):
        f, ft = forward(x), forward(xt)
        if K == 1:
            run.log(e, 2 * lossf(f, y), 2 * lossf(ft, yt), final=final)
        else:
            run.log(e, lossf(f, y), lossf(ft, yt), (f.argmax(1) != y).double().mean(),
                    (ft.argmax(1) != yt).double().mean(), final=final)

    epoch_loop(g, len(x), c, step, log, begin)


def runs_muon_mlp():
    # The logic: a two-hidden-layer network of 8 units on 30 inputs (329 weights) against 200 noisy targets can just
    # fit them; Muon's orthogonalised step moves every direction of a weight matrix's update by about the same amount,
    # so the input layer's directions along the fast features and along the noise-fitting combinations are taken as
    # fast as each other and the network fits the noise within a few tens of epochs, while the slow part (power 1 over
    # 10 features at scale 0.1), whose directions make a small share of the update's singular values until the fast
    # residual is spent, comes later if at all; the step is constant, then decays linearly to zero over the last fifth
    # of the run. The grid moves one thing at a time: the width (4, 6, 24), the data (n 400), the noise (1.0), the scale
    # gap (0.3), no slow signal, the step (0.005, 0.05), the momentum (0.8), fewer Newton-Schulz iterations (2, a
    # rougher orthogonalisation), the head on Adam (Muon's own recipe: only the hidden matrices orthogonalised), a
    # constant step, the full batch, Adam and momentum SGD on every weight for contrast, the digits with the right half
    # dimmed and 20% flipped labels (Muon and Adam), breast cancer with half its columns dimmed and flipped labels, and
    # diabetes with its products.
    base = dict(data="synth", n=200, df=20, ds=10, s=0.1, F=2.0, S=1.0, noise=0.5, flip=None, h=8, opt="muon",
                lr=0.02, mu=0.95, ns=5, adam_lr=0.003, head=None, cool=0.2, batch=20, epochs=300, eval="log:35")
    synth_off = dict(df=None, ds=None, F=None, S=None)
    digits = dict(synth_off, data="digits", n=300, noise=None, flip=0.2, h=16, batch=30, epochs=150)
    return muon_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=4, eval="every:3"),
        dict(h=6, eval="jitter:35"),
        dict(h=24, eval="mixed:20:5"),
        dict(n=400, eval="log:40"),
        dict(noise=1.0, eval="every:2"),
        dict(s=0.3, eval="rand:100"),
        dict(S=0.0, eval="geom:3"),
        dict(lr=0.005, eval="every:3"),
        dict(lr=0.05, eval="log:35"),
        dict(mu=0.8, eval="mixlog:20:30"),
        dict(ns=2, eval="jitter:30"),
        dict(head="adam", eval="every:4"),
        dict(cool=None, eval="log:35"),
        dict(batch=None, epochs=1500, eval="log:35"),
        dict(opt="adam", lr=0.003, mu=None, ns=None, adam_lr=None, eval="every:3"),
        dict(opt="momentum", lr=0.01, mu=None, ns=None, adam_lr=None, eval="log:35"),
        dict(digits, eval="mixed:30:3"),
        dict(digits, opt="adam", lr=0.001, mu=None, ns=None, adam_lr=None, eval="every:2"),
        dict(synth_off, data="cancer", n=300, noise=None, flip=0.2, h=12, eval="geom:4"),
        dict(synth_off, data="diabetes", n=250, noise=0.3, h=6, eval="every:2"),
    ], lambda d: "%s-n%d-s%g%s%s-h%d-%s-lr%g-%s" % (
        d["data"], d["n"], d["s"], "-noise%g" % d["noise"] if d.get("noise") else "",
        "-flip%g" % d["flip"] if d.get("flip") else "", d["h"],
        "muon-mu%g-ns%d%s" % (d["mu"], d["ns"], "-headadam" if d.get("head") == "adam" else "")
        if d["opt"] == "muon" else d["opt"], d["lr"], "b%d" % d["batch"] if d.get("batch") else "fullbatch"))


# ---------------------------------------------------------------------------------------------------- shampoo-linear


def inverse_root(M, p, eps):
    """(M + delta I)^(-1/p) of a symmetric positive semi-definite M by its eigendecomposition (eigenvalues clipped at
    0), the damping delta eps times M's mean eigenvalue (trace / size), so that a direction the statistics have not yet
    seen is stepped at most (size / (rank eps))^(1/p) times as far as the seen ones."""
    lam, U = torch.linalg.eigh(M)
    delta = eps * lam.clamp(min=0).mean() + 1e-300
    return (U * (lam.clamp(min=0) + delta) ** (-1.0 / p)) @ U.T


class Shampoo:
    """Shampoo (Gupta, Koren & Singer 2018), hand-written, for weight matrices W (out x in): the left factor L += G G^T
    (out x out) and the right one R += G^T G (in x in) of every step's gradient G (summed, as in AdaGrad; or an
    exponential average at beta2, bias-corrected as Adam's), their damped inverse fourth roots (inverse_root: the
    damping eps times the factor's mean eigenvalue) recomputed by eigendecomposition every `freq` steps (the first
    step included) and kept in between, and W -= lr times the momentum (mu) of the preconditioned gradient
    L^(-1/4) G R^(-1/4). The step times the epoch's multiplier."""

    def __init__(self, mats, lr, eps, freq, beta2=None, mu=0.0):
        self.mats, self.lr, self.eps, self.freq, self.beta2, self.mu, self.t = mats, lr, eps, freq, beta2, mu, 0
        self.param_groups = [{"lr": lr}]
        self.L = [torch.zeros(W.shape[0], W.shape[0], dtype=W.dtype) for W in mats]
        self.R = [torch.zeros(W.shape[1], W.shape[1], dtype=W.dtype) for W in mats]
        self.roots = [None for _ in mats]
        self.buf = [torch.zeros_like(W) for W in mats]

    def zero_grad(self):
        for W in self.mats:
            W.grad = None

    def step(self):
        self.t += 1
        with torch.no_grad():
            for i, (W, L, R, B) in enumerate(zip(self.mats, self.L, self.R, self.buf)):
                G = W.grad
                if self.beta2:
                    L.mul_(self.beta2).add_(G @ G.T, alpha=1 - self.beta2)
                    R.mul_(self.beta2).add_(G.T @ G, alpha=1 - self.beta2)
                else:
                    L.add_(G @ G.T)
                    R.add_(G.T @ G)
                if (self.t - 1) % self.freq == 0:  # the averages bias-corrected as Adam's (the damping is relative)
                    corr = 1 - self.beta2 ** self.t if self.beta2 else 1.0
                    self.roots[i] = (inverse_root(L / corr, 4, self.eps), inverse_root(R / corr, 4, self.eps))
                Lr, Rr = self.roots[i]
                u = Lr @ G @ Rr
                if self.mu:
                    B.mul_(self.mu).add_(u)
                    u = B
                W.sub_(self.param_groups[0]["lr"] * u)


def shampoo_data(g, c):
    """(x, y, xt, yt, K), float64; y, yt n x K targets for regression, labels for 'digits'. 'synth': two_scale_inputs
    (df fast features of scale 1, ds slow ones of scale s), K targets from a linear teacher Theta (d x K) whose fast
    rows carry power F and slow rows power S per target (at unit scale in the target), Gaussian noise c['noise'] on
    the n training targets; 2,000 fresh test points with clean targets. 'diabetes': diabetes_products (K 1), n
    training patients, noise c['noise'] on their progression, the others' the test targets. 'digits': train.digits,
    n training images, columns 4-7 times s, a share 'flip' of the labels replaced, the other images clean for testing.
    A column of ones is appended to every input (the bias, a column of the weight matrix)."""
    name = c["data"]
    if name == "synth":
        df, ds, s, K = c["df"], c["ds"], c["s"], c["K"]
        Th = torch.cat([torch.randn(df, K, generator=g, dtype=torch.float64) * math.sqrt(c["F"] / df),
                        torch.randn(ds, K, generator=g, dtype=torch.float64) * math.sqrt(c["S"] / ds) / s])
        x = two_scale_inputs(g, c["n"], df, ds, s).double()
        xt = two_scale_inputs(g, 2000, df, ds, s).double()
        y, yt = x @ Th, xt @ Th
        y = y + c["noise"] * torch.randn(y.shape, generator=g, dtype=torch.float64)
    elif name == "diabetes":
        X, Y, tr, te = diabetes_products(g, c["n"], c["s"], torch.float64)
        x, y, xt, yt = X[tr], Y[tr, None], X[te], Y[te, None]
        y = y + c["noise"] * torch.randn(y.shape, generator=g, dtype=torch.float64)
    else:
        x, y, xt, yt = train.digits(c["seed"], c["n"], c.get("flip") or 0.0, (c["s"], [4, 5, 6, 7]))
        x, xt = x.double(), xt.double()
    one = torch.ones(1, dtype=torch.float64)
    return (torch.cat([x, one.expand(len(x), 1)], 1), y, torch.cat([xt, one.expand(len(xt), 1)], 1), yt,
            10 if name == "digits" else y.shape[1])


def shampoo_linear(w, run_id, c):
    """A linear model f(x) = W x (K x (d + 1), the bias a column), float64, from zero; or (c['N']) a random-features
    model, N fixed ReLU features relu(V x / sqrt(d)) (V standard normals from the run's generator, the constant column
    in x their bias), centred and scaled to unit variance on the training points, and a learned readout W (K x (N +
    1)). Data: shampoo_data. Loss: half the squared error summed over the K targets (regression) or the cross-entropy
    of the softmax (digits). Optimizer: Shampoo (opt 'shampoo') at step lr, eps, roots every `freq` steps, summed
    statistics or an exponential average at beta2, momentum mu; or Adam or SGD with momentum 0.9 (plain_opt);
    minibatches; every step times cooldown. Train loss: the loss on the noisy training targets or labels; test loss:
    the squared error (summed over targets) against the clean test targets (held-out progression), or the
    cross-entropy of the clean test labels; error rates too for the digits."""
    g = torch.Generator().manual_seed(392_000 + c["seed"])
    x, y, xt, yt, K = shampoo_data(g, c)
    if c.get("N"):
        V = torch.randn(x.shape[1], c["N"], generator=g, dtype=torch.float64) / math.sqrt(x.shape[1] - 1)
        F, Ft = torch.relu(x @ V), torch.relu(xt @ V)
        mu_, sd = F.mean(0), F.std(0) + 1e-12
        one = torch.ones(1, dtype=torch.float64)
        x = torch.cat([(F - mu_) / sd, one.expand(len(F), 1)], 1)
        xt = torch.cat([(Ft - mu_) / sd, one.expand(len(Ft), 1)], 1)
    W = torch.zeros(K, x.shape[1], dtype=torch.float64)
    params = leaves([W])
    classes = c["data"] == "digits"

    def lossf(f, t):
        return fn.cross_entropy(f, t) if classes else 0.5 * ((f - t) ** 2).sum(1).mean()

    if c["opt"] == "shampoo":
        opt = Shampoo(params, c["lr"], c["eps"], c["freq"], c.get("beta2"), c.get("mu") or 0.0)
    else:
        opt = plain_opt(c, params)
    base = c["lr"]

    def begin(e):
        opt.param_groups[0]["lr"] = base * cooldown(c, e)

    def step(idx):
        opt.zero_grad()
        lossf(take(x, idx) @ W.T, take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, W.numel(), len(x),
                {"family": "random-features" if c.get("N") else "linear", "inputs": x.shape[1] - 1, "outputs": K},
                settings(c, ("seed", "data", "n", "K", "df", "ds", "s", "F", "S", "noise", "flip", "N", "opt", "lr",
                             "eps", "freq", "beta2", "mu", "cool", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "ce" if classes else "mse",
                   "test_loss": {"synth": "clean-mse", "diabetes": "heldout-mse"}.get(c["data"], "clean-ce")},
                output_dim=K)

    def log(e, final):
        f, ft = x @ W.T, xt @ W.T
        if classes:
            run.log(e, lossf(f, y), lossf(ft, yt), (f.argmax(1) != y).double().mean(),
                    (ft.argmax(1) != yt).double().mean(), final=final)
        else:
            run.log(e, 2 * lossf(f, y), 2 * lossf(ft, yt), final=final)

    epoch_loop(g, len(x), c, step, log, begin)


def runs_shampoo_linear():
    # The logic: a linear model of 71 inputs per target (60 fast features, 10 slow ones at scale 0.1 and the bias)
    # on 100 noisy points sits near the interpolation threshold, so the fast features fit the noise once the fast
    # signal is learned; Shampoo's right factor sees the slow directions' gradients s^2 times smaller and its inverse
    # fourth root steps them s^(-1/2) times further than plain gradient steps would (full AdaGrad's inverse square
    # root would undo the scale entirely), so the slow part, whose weights must grow like 1 / s, is learned after the
    # noise, some tens of epochs in; three targets make the left factor a real 3 x 3 one. The base averages the
    # statistics at beta2 0.99 (bias-corrected), damps each factor by 1% of its mean eigenvalue and recomputes the roots
    # every 10 steps. The grid moves one thing at a time: the step (0.01, 0.1), the statistics summed as in AdaGrad
    # (beta2 none; a larger step, as its steps shrink), beta2 0.999, the damping (1e-4, 1), the roots every step and
    # every 50, momentum 0.9 on the preconditioned step, the targets (1, 10), the noise (1.0), the scale gap (0.3), no
    # slow signal, fewer points (80, at the threshold), random ReLU features (90 of them on 25 two-scale inputs),
    # Adam and momentum SGD for contrast, the digits as softmax regression with the right half dimmed and 20% flipped
    # labels, and diabetes with its products (one target: the left factor a number).
    base = dict(data="synth", n=100, K=3, df=60, ds=10, s=0.1, F=2.0, S=1.0, noise=0.5, flip=None, N=None,
                opt="shampoo", lr=0.03, eps=0.01, freq=10, beta2=0.99, mu=None, batch=10, epochs=400, eval="log:35")
    synth_off = dict(K=None, df=None, ds=None, F=None, S=None)
    return shampoo_linear, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(lr=0.01, eval="every:3"),
        dict(lr=0.1, eval="jitter:35"),
        dict(beta2=None, lr=0.1, eval="log:40"),
        dict(beta2=0.999, eval="every:2"),
        dict(eps=1e-4, eval="mixed:20:5"),
        dict(eps=1.0, eval="rand:100"),
        dict(freq=1, eval="geom:3"),
        dict(freq=50, eval="every:3"),
        dict(mu=0.9, eval="log:35"),
        dict(K=1, eval="every:2"),
        dict(K=10, eval="jitter:30"),
        dict(noise=1.0, eval="mixed:30:5"),
        dict(s=0.3, eval="every:4"),
        dict(S=0.0, eval="log:35"),
        dict(n=80, eval="rand:80"),
        dict(N=90, df=20, ds=5, eval="every:2"),
        dict(opt="adam", lr=0.01, eps=None, freq=None, beta2=None, eval="log:35"),
        dict(opt="momentum", lr=0.01, eps=None, freq=None, beta2=None, eval="every:3"),
        dict(synth_off, data="digits", n=300, noise=None, flip=0.2, batch=30, eval="mixlog:20:30"),
        dict(synth_off, data="diabetes", n=100, noise=0.3, eval="geom:4"),
    ], lambda d: "%s-n%d%s-s%g%s%s%s-%s-lr%g-b%d" % (
        d["data"], d["n"], "-K%d" % d["K"] if d.get("K") else "", d["s"],
        "-noise%g" % d["noise"] if d.get("noise") else "", "-flip%g" % d["flip"] if d.get("flip") else "",
        "-rf%d" % d["N"] if d.get("N") else "",
        "shampoo-eps%g-freq%d%s%s" % (d["eps"], d["freq"], "-beta%g" % d["beta2"] if d.get("beta2") else "-summed",
                                     "-mu%g" % d["mu"] if d.get("mu") else "") if d["opt"] == "shampoo" else d["opt"],
        d["lr"], d["batch"]))


# ---------------------------------------------------------------------------------------------------- swa-lookahead


def swa_lookahead(w, run_id, c):
    """A small network without batch norm on the digits, float32, weights U(+-1 / sqrt(fan-in)) from the run's
    generator: a CNN (model 'cnn': conv 3x3 1 -> k channels, ReLU, conv 3x3 k -> 2k, ReLU, max-pool 2, linear 2k x 16
    -> 10, as train.py's cnn-digits) or a one-hidden-layer ReLU MLP (model 'mlp': 64 -> h -> 10). Data: train.digits,
    n training images, image columns 4-7 times s, a share 'flip' of the labels replaced by another class; the other
    images, clean, the test set. Loss: the cross-entropy. Optimizer: Lookahead (train_thirtysecond.py's: every k inner
    steps the slow weights move alpha of the way to the fast ones, which restart there) over SGD with momentum 0.9 or
    Adam (inner 'sgd', 'adam'), or the inner optimizer alone (k None), at step lr on minibatches. SWA (Izmailov et al.
    2018), from epoch swa_start on (none where None): the step set to swa_lr (constant), or cyclic (swa_cycle epochs,
    the step falling linearly from swa_lr to swa_lr / 10 within each cycle), and the slow weights (the weights where
    there is no Lookahead) added to an equal-weight running average at the end of every swa_every-th epoch from
    swa_start (at the end of each cycle where cyclic). The evaluated model is that average once it holds a snapshot,
    the slow weights before. No batch norm, so the average needs no refresh of running statistics: SWA recomputes the
    batch-norm statistics of the averaged weights with a pass over the training data because the average of the
    weights does not match any network's statistics, and these networks have none. Train loss: the cross-entropy of
    the evaluated model on the noisy training labels; test loss: on the clean test labels; error rates too."""
    torch.manual_seed(393_000 + c["seed"])
    g = torch.Generator().manual_seed(393_000 + c["seed"])
    x, y, xt, yt = train.digits(c["seed"], c["n"], c.get("flip") or 0.0, (c["s"], [4, 5, 6, 7]))
    if c["model"] == "cnn":
        k = c["k"]
        params = leaves([uniform(g, 9, k, 1, 3, 3), uniform(g, 9, k), uniform(g, 9 * k, 2 * k, k, 3, 3),
                         uniform(g, 9 * k, 2 * k), uniform(g, 32 * k, 32 * k, 10), uniform(g, 32 * k, 10)])
        x, xt = x.view(-1, 1, 8, 8), xt.view(-1, 1, 8, 8)

        def forward(p, z):
            a = torch.relu(fn.conv2d(z, p[0], p[1], padding=1))
            a = fn.max_pool2d(torch.relu(fn.conv2d(a, p[2], p[3], padding=1)), 2)
            return a.flatten(1) @ p[4] + p[5]
        info = {"family": "cnn", "channels": k}
    else:
        h = c["h"]
        params = leaves([uniform(g, 64, 64, h), uniform(g, 64, h), uniform(g, h, h, 10), uniform(g, h, 10)])

        def forward(p, z):
            return torch.relu(z @ p[0] + p[1]) @ p[2] + p[3]
        info = {"family": "relu-mlp", "width": h}
    inner = plain_opt(dict(c, opt=c["inner"]), params)
    opt = Lookahead(inner, params, c["k_la"], c["alpha"]) if c.get("k_la") else inner
    slow = opt.slow if c.get("k_la") else params
    state = {"avg": None, "m": 0}
    start = c.get("swa_start")

    def begin(e):
        lr = c["lr"]
        if start is not None and e >= start:
            lr = c["swa_lr"]
            if c.get("swa_cycle"):
                t = (e - start) % c["swa_cycle"]
                lr = c["swa_lr"] * (1 - 0.9 * t / max(c["swa_cycle"] - 1, 1))
        for group in inner.param_groups:
            group["lr"] = lr

    def end(e):
        if start is None or e <= start:
            return
        every = c.get("swa_cycle") or c.get("swa_every") or 1
        if (e - start) % every:
            return
        with torch.no_grad():
            if state["avg"] is None:
                state["avg"] = [q.detach().clone() for q in slow]
            else:
                for a, q in zip(state["avg"], slow):
                    a.mul_(state["m"] / (state["m"] + 1)).add_(q, alpha=1 / (state["m"] + 1))
            state["m"] += 1

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(params, take(x, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, sum(q.numel() for q in params), len(x), info,
                settings(c, ("seed", "model", "k", "h", "n", "s", "flip", "inner", "lr", "k_la", "alpha", "swa_start",
                             "swa_lr", "swa_every", "swa_cycle", "batch", "eval"))
                | {"optimizer": ("lookahead-" if c.get("k_la") else "") + c["inner"]
                   + ("+swa" if start is not None else ""), "loss": "ce", "test_loss": "clean-ce",
                   "evaluated": "swa-average" if start is not None else "slow-weights" if c.get("k_la") else "weights"},
                output_dim=10)

    def log(e, final):
        p = state["avg"] if state["avg"] is not None else slow
        f, ft = forward(p, x), forward(p, xt)
        run.log(e, fn.cross_entropy(f, y), fn.cross_entropy(ft, yt), (f.argmax(1) != y).float().mean(),
                (ft.argmax(1) != yt).float().mean(), final=final)

    epoch_loop(g, len(x), c, step, log, begin, end)


def runs_swa_lookahead():
    # The logic: a small CNN (4 channels, 1,626 weights) on 300 digits with 20% flipped labels fits the clean
    # labels first, its clean test cross-entropy at a minimum some tens of epochs in, and memorises the flips after,
    # the test loss rising for good; Lookahead's slow weights, a fraction alpha of the way to the fast ones every k
    # steps, drift more slowly into the memorisation. SWA from epoch 40, about the first minimum, at twice the step,
    # averages iterates that bounce around a wide region, which holds the average down where the iterates rise, until
    # the late iterates, memorising, outweigh the early ones; started early it averages unfinished models, started
    # late it averages memorising ones. The dimmed right half of every image (s 0.1) is a slow feature, learned late.
    # The grid moves one thing at a time: the start (20, 80, none: Lookahead alone), no Lookahead (SGD with SWA; and
    # plain SGD with momentum, neither, for contrast), the SWA step (0.05, the same as before; 0.2), a cyclic SWA step
    # (5-epoch cycles from 0.1 to 0.01, one snapshot a cycle), alpha 0.8, Adam inside (with SWA and Lookahead; and
    # Adam alone for contrast), the flips (none, 0.4), the scale gap (none), the channels (8),
    # the data (n 600) and an MLP of 8, 32 and 128 units (32 also at a large step, 0.2, SWA at 0.4).
    base = dict(model="cnn", k=4, h=None, n=300, s=0.1, flip=0.2, inner="sgd", lr=0.05, k_la=5, alpha=0.5,
                swa_start=40, swa_lr=0.1, swa_every=1, swa_cycle=None, batch=32, epochs=150, eval="log:35")
    no_swa = dict(swa_start=None, swa_lr=None, swa_every=None)
    mlp = dict(model="mlp", k=None)
    return swa_lookahead, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(swa_start=20, eval="every:2"),
        dict(swa_start=80, eval="jitter:35"),
        dict(no_swa, eval="every:3"),
        dict(k_la=None, alpha=None, eval="log:35"),
        dict(no_swa, k_la=None, alpha=None, eval="mixed:20:4"),
        dict(swa_lr=0.05, eval="geom:3"),
        dict(swa_lr=0.2, eval="rand:60"),
        dict(swa_every=None, swa_cycle=5, eval="every:2"),
        dict(alpha=0.8, eval="every:2"),
        dict(inner="adam", lr=0.003, swa_lr=0.006, eval="log:35"),
        dict(no_swa, inner="adam", lr=0.003, k_la=None, alpha=None, eval="every:3"),
        dict(flip=None, eval="jitter:30"),
        dict(flip=0.4, eval="every:2"),
        dict(s=1.0, eval="geom:4"),
        dict(k=8, eval="log:35"),
        dict(n=600, eval="every:3"),
        dict(mlp, h=32, eval="log:35"),
        dict(mlp, h=32, lr=0.2, swa_lr=0.4, eval="every:2"),
        dict(mlp, h=8, eval="jitter:35"),
        dict(mlp, h=128, eval="every:2"),
    ], lambda d: "%s%d-n%d-s%g%s-%s%s-lr%g%s-b%d" % (
        d["model"], d["k"] if d["model"] == "cnn" else d["h"], d["n"], d["s"],
        "-flip%g" % d["flip"] if d.get("flip") else "", "la%d-alpha%g-" % (d["k_la"], d["alpha"]) if d.get("k_la")
        else "", d["inner"], d["lr"],
        "-swa%d-lr%g%s" % (d["swa_start"], d["swa_lr"], "-cyc%d" % d["swa_cycle"] if d.get("swa_cycle") else
                           "-every%d" % d["swa_every"]) if d.get("swa_start") is not None else "", d["batch"]))


FAMILIES = {"muon-mlp": runs_muon_mlp, "shampoo-linear": runs_shampoo_linear, "swa-lookahead": runs_swa_lookahead}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
