#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, twenty-fourth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping* or
*Advice* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no Maven and not
the descentwatch launcher was run; each family's grid was set from its own logic and committed before any of its runs
was trained or looked at, revised at most once (README.md says where and why), and the runs were sorted by census.py
alone), and made to differ from the seventy-seven families of train.py ... train_twentythird.py in model, loss,
optimizer, noise and data: a normalizing flow (RealNVP affine coupling layers, small tanh networks giving each
layer's log-scales and shifts, a data-initialised per-dimension affine layer before the Gaussian base) trained by
maximum likelihood on a few points of low-dimensional data, a bimodal fast part beside slow-scale pairs whose second
coordinate depends nonlinearly on the first, or standardised columns of scikit-learn's wine and breast cancer, judged
by the test negative log-likelihood per point; a linear model or small tanh network on a two-scale teacher with
label noise trained without backpropagation by evolution strategies: OpenAI-style antithetic Gaussian perturbations
whose loss differences (or centred ranks) estimate the gradient, one update an epoch under momentum or Adam, a
(1+1)-ES under the one-fifth success rule and separable natural evolution strategies (sNES, one adapted step size per
weight); and a SIREN, a network with sine activations sin(omega_0 (W x + b)), fitting a multi-scale 1-D or 2-D
signal (a low-frequency part plus a small high-frequency part) or a digit image from noisy samples, judged by the
squared error against the clean signal at held-out points. The file format, determinism and helpers are the
earlier files': Writer, the command line and two-scale inputs from train.py, epochs_of and settings from
train_more.py, dict_runs from train_seventh.py, and make_optimizer from train_twentyfirst.py; one thread, every
random draw from a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_twentyfourth.py --family realnvp-flow [--list] [--runs 0,3] [--out FILE]

Families (see README.md): realnvp-flow, es-evolve, siren-signal. Evaluation spacings: train.py's 'every', 'every:K',
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
from train_more import epochs_of, settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_twentyfirst import make_optimizer  # noqa: E402

torch.set_num_threads(1)

LOG2PI = math.log(2 * math.pi)


# ---------------------------------------------------------------------------------------------------- realnvp-flow


def flow_data(g, c):
    """(x, xt): 'synth', D = df + 2 pairs dimensions: df fast ones at unit scale, sep z u + N(0, I) (z = +1 or -1 at
    random, u a random unit vector: two clusters; sep 0 one Gaussian), then `pairs` slow pairs s (a1, a2), a1 standard
    normal, a2 = S sin(omega a1) + 0.3 eps (the second coordinate a nonlinear function of the first, learned through a
    coupling network's inputs at scale s); n training points and 2,000 test points drawn the same way. 'wine' and
    'breast_cancer': scikit-learn's columns c['cols'], n rows for training and the rest for testing, standardised on
    the training rows."""
    if c["data"] != "synth":
        from sklearn import datasets
        X = torch.tensor(getattr(datasets, "load_" + c["data"])(return_X_y=True)[0])[:, list(c["cols"])]
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        X = (X - X[tr].mean(0)) / X[tr].std(0)
        return X[tr], X[te]
    df, pairs, s = c["df"], c["pairs"], c["s"]
    u = torch.randn(df, generator=g)
    u /= u.norm()

    def draw(m):
        z = 2.0 * (torch.rand(m, generator=g) < 0.5).double() - 1.0
        fast = c["sep"] * z.unsqueeze(1) * u + torch.randn(m, df, generator=g)
        cols = [fast]
        for _ in range(pairs):
            a1 = torch.randn(m, generator=g)
            a2 = c["S"] * torch.sin(c["omega"] * a1) + 0.3 * torch.randn(m, generator=g)
            cols.append(s * torch.stack([a1, a2], 1))
        return torch.cat(cols, 1)

    return draw(c["n"]), draw(2000)


def realnvp_flow(w, run_id, c):
    """A RealNVP normalizing flow (Dinh et al. 2017): L affine coupling layers, layer l transforming the dimensions of
    one parity (even indices for even l, odd for odd l) given the others, y = x_A + x_B exp(ls) + t with (ls, t) from a
    tanh network of the masked input (depth 1 or 2 hidden layers of width h; hidden weights 1/sqrt(fan-in) times
    standard normals, biases zero, the output layer zero so that the flow starts as the identity), the log-scales
    bounded as 2 tanh(ls / 2); then a per-dimension affine layer (mean and log-std initialised from the training
    points, learned) onto a standard normal base. Loss: the negative log-likelihood per point, 0.5 |z|^2 + D/2 log 2 pi
    minus the log-determinants, plus c['wd'] times the squared network weights / 2 where set; full-batch Adam or heavy
    ball ('hb', momentum c['mom']), float64. Train loss: the training NLL; test loss: the NLL of the test points (2,000
    fresh draws, or the held-out wine or breast-cancer rows). Data: flow_data. Grid (runs_realnvp_flow; 19 settings,
    1-2 seeds, 20 runs; revised once): the base synthetic, n 400, df 4 fast dimensions (clusters at sep 1.5), 1 slow
    pair at s 0.3 (S 1.5, omega 1.5), 4 coupling layers of width 16 (one hidden layer; 1,276 weights), Adam at 0.001,
    3,000 epochs (2 seeds); one setting at a time the first grid's base (n 150, width 32, s 0.2, S 1, Adam at 0.003),
    n 150 or 1,000, width 4 or 64, 2 or 8 layers, two hidden layers, s 0.6 or 0.15, no slow pair or 2 pairs, df 8,
    weight decay 1e-3, Adam at 0.003, heavy ball at 0.01 (momentum 0.9, 4,000 epochs); and wine (6 columns, 120
    rows) and breast cancer (6 columns, 300 rows). The first grid (n 150, width 32 (2,492 weights), s 0.2, S 1, Adam
    at 0.003; n 60 and 600, width 8 and 128, wine on 60 and 100 rows, breast cancer on 100) had the test NLL at its
    first minimum within 0-50 epochs, 0-8% below its start, and 10% above it within 20-200 epochs, the flow
    collapsing onto its training points (training NLL down to -8, test NLL up to 180-33,000 by the end): 2 winning
    runs (a jump at the first step), 18 nothing better; it judged no flow that learns its slow pair before it
    memorises its points, so the revision gives the flow about two numbers per weight (n 400, width 16), a smaller
    step, and a slow pair of more weight (S 1.5) at a less small scale (s 0.3), and keeps the first grid's base in one
    run."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(87_000 + c["seed"])
    x, xt = flow_data(g, c)
    n, D = x.shape
    h, L, depth = c["h"], c["L"], c["depth"]
    layers, weights = [], []
    for l in range(L):
        mask = (torch.arange(D) % 2 == l % 2).double()
        dims = [D] + [h] * depth
        hid = [((torch.randn(a, b, generator=g) / math.sqrt(a)).requires_grad_(), torch.zeros(b, requires_grad=True))
               for a, b in zip(dims, dims[1:])]
        out = (torch.zeros(h, 2 * D, requires_grad=True), torch.zeros(2 * D, requires_grad=True))
        layers.append((mask, hid, out))
        weights += [W for W, _ in hid] + [out[0]]
    an_mu = x.mean(0).clone().requires_grad_()
    an_ls = torch.log(x.std(0)).clone().requires_grad_()
    params = [p for _, hid, out in layers for pair in hid + [out] for p in pair] + [an_mu, an_ls]
    wd = c.get("wd") or 0.0
    opt = make_optimizer(c, params, c["lr"])

    def nll(z):
        logdet = torch.zeros(len(z))
        for mask, hid, (Wo, bo) in layers:
            a = z * mask
            for W, b in hid:
                a = torch.tanh(a @ W + b)
            o = a @ Wo + bo
            ls = 2 * torch.tanh(o[:, :D] / 2) * (1 - mask)
            z = z * mask + (1 - mask) * (z * torch.exp(ls) + o[:, D:])
            logdet = logdet + ls.sum(1)
        z = (z - an_mu) * torch.exp(-an_ls)
        logdet = logdet - an_ls.sum()
        return (0.5 * (z ** 2).sum(1) + 0.5 * D * LOG2PI - logdet).mean()

    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "realnvp-affine-coupling", "layers": L, "width": h, "input_dim": D},
                settings(c, ("seed", "data", "n", "df", "pairs", "s", "sep", "S", "omega", "cols", "L", "h", "depth",
                             "wd", "opt", "lr", "mom", "eval"))
                | {"optimizer": c["opt"], "loss": "flow-nll", "test_loss": "flow-nll-per-point"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            opt.zero_grad()
            loss = nll(x)
            if wd:
                loss = loss + wd * 0.5 * sum((W ** 2).sum() for W in weights)
            loss.backward()
            opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, nll(x), nll(xt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_realnvp_flow():
    base = dict(data="synth", n=400, df=4, pairs=1, s=0.3, sep=1.5, S=1.5, omega=1.5, cols=None, L=4, h=16, depth=1,
                wd=None, opt="adam", lr=0.001, mom=None, epochs=3000, eval="log:30")
    real = dict(df=None, pairs=None, s=None, sep=None, S=None, omega=None)
    return realnvp_flow, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=150, h=32, s=0.2, S=1.0, lr=0.003, eval="every:10"),
        dict(n=150, eval="every:10"),
        dict(n=1000, eval="jitter:30"),
        dict(h=4, eval="every:6"),
        dict(h=64, eval="log:35"),
        dict(L=2, eval="every:5"),
        dict(L=8, eval="rand:300"),
        dict(depth=2, eval="every:8"),
        dict(s=0.6, eval="every:10"),
        dict(s=0.15, eval="jitter:35"),
        dict(pairs=0, eval="every:6"),
        dict(pairs=2, eval="log:30"),
        dict(df=8, eval="every:12"),
        dict(wd=1e-3, eval="every:10"),
        dict(lr=0.003, eval="log:40"),
        dict(opt="hb", lr=0.01, mom=0.9, epochs=4000, eval="every:20"),
        dict(real, data="wine", n=120, cols=(0, 1, 2, 3, 4, 9), eval="every:4"),
        dict(real, data="breast_cancer", n=300, cols=(1, 4, 8, 9, 11, 14), eval="log:35"),
    ], lambda d: "%s-n%d%s-L%d-h%d%s%s-%s-lr%g" % (
        d["data"].replace("_", "-"), d["n"],
        "-df%d-pairs%d-s%g-S%g" % (d["df"], d["pairs"], d["s"], d["S"]) if d["data"] == "synth" else "",
        d["L"], d["h"], "-depth%d" % d["depth"] if d["depth"] != 1 else "", "-wd%g" % d["wd"] if d.get("wd") else "",
        d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- es-evolve


def es_data(g, c):
    """(x, y, xt, yt): train.py's two-scale Gaussian inputs (df fast of scale 1, ds slow of scale s) and a linear
    teacher f = x . theta, its fast part of power F and its slow part of power S at unit scale. 'reg': training
    targets f + noise x N(0, 1), test targets the clean f on 2,000 points; 'cls': labels 1[f > 0], a share c['flip']
    of the training labels flipped, the test labels clean."""
    df, ds, s = c["df"], c["ds"], c["s"]
    theta = torch.cat([torch.randn(df, generator=g) * math.sqrt(c["F"] / df),
                       torch.randn(ds, generator=g) * math.sqrt(c["S"] / max(ds, 1)) / s])
    x = train.two_scale_inputs(g, c["n"], df, ds, s)
    xt = train.two_scale_inputs(g, 2000, df, ds, s)
    f, ft = x @ theta, xt @ theta
    if c["task"] == "reg":
        return x, f + c["noise"] * torch.randn(c["n"], generator=g), xt, ft
    y = (f > 0).double()
    flip = torch.rand(c["n"], generator=g) < c["flip"]
    y[flip] = 1 - y[flip]
    return x, y, xt, (ft > 0).double()


def es_evolve(w, run_id, c):
    """A linear model (from zero) or a tanh network of width h (hidden weights 1/sqrt(d) times standard normals, biases
    zero, readout 1/sqrt(h) times standard normals), its weights one flat vector theta, trained without gradients by
    evolution strategies on the training loss (mean squared error, or the binary cross-entropy of the logits), all
    population members evaluated at once, float64. 'es' (Salimans et al. 2017): pop/2 Gaussian directions eps_i, the
    losses at theta +- sigma eps_i, the gradient estimate sum_i (L+_i - L-_i) eps_i / (pop sigma), or with c['rank']
    the centred ranks of the pop losses (in [-0.5, 0.5]) in place of the losses, one step an epoch by make_optimizer
    (heavy ball or Adam) on that estimate. 'oneplus' ((1+1)-ES, Rechenberg): c['gens'] generations an epoch, each a
    mutation theta + sigma eps kept if its loss is no higher, sigma times exp((success - 1/5) / (0.8 (1 + d / 2))) (the
    one-fifth success rule). 'snes' (separable NES, Schaul et al. 2011): a mean and one step size per weight, pop
    samples, log-rank utilities, mean += sigma * sum u_k s_k, sigma *= exp(eta_sigma / 2 sum u_k (s_k^2 - 1)), eta_sigma
    (3 + ln d) / (5 sqrt d), one generation an epoch. Train loss: the loss on the noisy training targets or flipped
    labels at the current theta (the mean for sNES); test loss: the squared error against the clean teacher or the
    cross-entropy of the clean test labels (errors too). Data: es_data. Grid (runs_es_evolve; 20 settings, 1-2 seeds,
    21 runs): the base 'reg', n 60, df 48 fast inputs of power F 3, ds 8 slow ones at scale s 0.15 of power S 3, noise
    0.5, linear, 'es' with pop 32, sigma 0.05, heavy ball at 0.05 without momentum, 4,000 epochs (2 seeds); one setting
    at a time pop 8 or 64, momentum 0.9 (step 0.01), centred ranks under Adam at 0.01, step 0.02, no noise, noise 1, s
    0.3, no slow signal, n 120; the tanh network of width 16 at sigma 0.05 or 0.3 or with ranks under Adam; 'cls' with
    20% flips, linear or the network; (1+1)-ES (10 generations an epoch, sigma from 0.05) and sNES (pop 16, sigma
    from 0.05), linear or the network (3,000 epochs)."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(88_000 + c["seed"])
    x, y, xt, yt = es_data(g, c)
    n, D = x.shape
    h = c.get("h")
    if h:
        theta = torch.cat([(torch.randn(D, h, generator=g) / math.sqrt(D)).flatten(), torch.zeros(h),
                           torch.randn(h, generator=g) / math.sqrt(h)])
    else:
        theta = torch.zeros(D)
    d = len(theta)

    def predict(T, z):
        """Outputs of the population T (m x d) on the inputs z: m x len(z)."""
        if not h:
            return T @ z.T
        W = T[:, :D * h].reshape(-1, D, h)
        b = T[:, D * h:D * h + h]
        a = T[:, D * h + h:]
        return (torch.tanh(torch.matmul(z, W) + b.unsqueeze(1)) * a.unsqueeze(1)).sum(2)

    def losses(T, z, t):
        out = predict(T, z)
        if c["task"] == "reg":
            return ((out - t) ** 2).mean(1)
        return torch.nn.functional.binary_cross_entropy_with_logits(out, t.expand_as(out), reduction="none").mean(1)

    method, sigma = c["method"], c["sigma"]
    if method == "es":
        theta.requires_grad_()
        opt = make_optimizer(c, [theta], c["lr"])
    elif method == "snes":
        sig = torch.full((d,), sigma)
        lam = c["pop"]
        util = torch.clamp(math.log(lam / 2 + 1) - torch.log(torch.arange(1, lam + 1).double()), min=0)
        util = util / util.sum() - 1.0 / lam
        eta_s = (3 + math.log(d)) / (5 * math.sqrt(d))
    cur = None

    def step():
        nonlocal sigma, cur, sig
        if method == "es":
            half = c["pop"] // 2
            eps = torch.randn(half, d, generator=g)
            with torch.no_grad():
                L = losses(torch.cat([theta + sigma * eps, theta - sigma * eps]), x, y)
            if c.get("rank"):
                r = torch.empty(2 * half)
                r[torch.argsort(L)] = torch.arange(2 * half).double()
                L = r / (2 * half - 1) - 0.5
            opt.zero_grad()
            theta.grad = (L[:half] - L[half:]) @ eps / (2 * half * sigma)
            opt.step()
        elif method == "oneplus":
            if cur is None:
                cur = losses(theta.unsqueeze(0), x, y)[0]
            for _ in range(c["gens"]):
                cand = theta + sigma * torch.randn(d, generator=g)
                lc = losses(cand.unsqueeze(0), x, y)[0]
                ok = bool(lc <= cur)
                if ok:
                    theta.copy_(cand)
                    cur = lc
                sigma *= math.exp(((1.0 if ok else 0.0) - 0.2) / (0.8 * (1 + d / 2)))
        else:
            s_k = torch.randn(c["pop"], d, generator=g)
            L = losses(theta + sig * s_k, x, y)
            order = torch.argsort(L)
            u = torch.empty(c["pop"])
            u[order] = util
            theta.add_(sig * (u @ s_k))
            sig = sig * torch.exp(0.5 * eta_s * (u @ (s_k ** 2 - 1)))

    def evaluate(z, t):
        T = theta.detach().unsqueeze(0)
        l = losses(T, z, t)[0]
        if c["task"] == "reg":
            return l, None
        return l, ((predict(T, z)[0] > 0).double() != t).double().mean()

    run = w.run(run_id, d, n, {"family": "tanh-1hidden" if h else "linear", "input_dim": D, "width": h or 0},
                settings(c, ("seed", "task", "n", "df", "ds", "s", "F", "S", "noise", "flip", "h", "method", "pop",
                             "sigma", "rank", "gens", "opt", "lr", "mom", "eval"))
                | {"optimizer": "es-" + method, "loss": "mse" if c["task"] == "reg" else "bce",
                   "test_loss": "clean-mse" if c["task"] == "reg" else "clean-bce"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            step()
            e += 1
        with torch.no_grad():
            (tr, tre), (te, tee) = evaluate(x, y), evaluate(xt, yt)
            run.log(e, tr, te, tre, tee, final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_es_evolve():
    base = dict(task="reg", n=60, df=48, ds=8, s=0.15, F=3.0, S=3.0, noise=0.5, flip=None, h=None, method="es",
                pop=32, sigma=0.05, rank=None, gens=None, opt="hb", lr=0.05, mom=None, epochs=4000, eval="log:30")
    mlp = dict(h=16)
    cls = dict(task="cls", noise=None, flip=0.2)
    return es_evolve, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(pop=8, eval="every:4"),
        dict(pop=64, eval="jitter:30"),
        dict(mom=0.9, lr=0.01, eval="every:5"),
        dict(rank=True, opt="adam", lr=0.01, eval="log:35"),
        dict(lr=0.02, eval="every:8"),
        dict(noise=0.0, eval="every:5"),
        dict(noise=1.0, eval="rand:400"),
        dict(s=0.3, eval="every:4"),
        dict(S=0.0, eval="log:30"),
        dict(n=120, eval="every:10"),
        dict(mlp, eval="every:5"),
        dict(mlp, sigma=0.3, eval="jitter:35"),
        dict(mlp, rank=True, opt="adam", lr=0.01, eval="every:8"),
        dict(cls, eval="every:5"),
        dict(cls, **mlp, eval="log:35"),
        dict(method="oneplus", gens=10, opt=None, lr=None, pop=None, epochs=3000, eval="every:3"),
        dict(mlp, method="oneplus", gens=10, opt=None, lr=None, pop=None, epochs=3000, eval="log:30"),
        dict(method="snes", pop=16, opt=None, lr=None, epochs=3000, eval="every:6"),
        dict(mlp, method="snes", pop=16, opt=None, lr=None, epochs=3000, eval="jitter:30"),
    ], lambda d: "%s-n%d-s%g-S%g%s-%s-%s%s-sigma%g%s%s" % (
        d["task"], d["n"], d["s"], d["S"], "-noise%g" % d["noise"] if d["task"] == "reg" else "-flip%g" % d["flip"],
        "h%d" % d["h"] if d.get("h") else "linear", d["method"], "-pop%d" % d["pop"] if d.get("pop") else "",
        d["sigma"], "-rank" if d.get("rank") else "",
        "-%s-lr%g%s" % (d["opt"], d["lr"], "-mom%g" % d["mom"] if d.get("mom") else "") if d.get("opt") else ""))


# ---------------------------------------------------------------------------------------------------- siren-signal


def siren_data(g, c):
    """(x, y, xt, ft) on [-1, 1]^dim: '1d', a low-frequency part (3 sines of frequencies pi k, k = 1, 2, 3, random
    phases and Gaussian amplitudes, rescaled to power 1 on 20,000 points) plus A sin(pi K x + phase) (a small
    high-frequency part); '2d', 6 sines of random integer frequency vectors (entries -3 to 3) of power 1 plus A sin(pi
    (K, K') . x + phase), K' random in 0..K; n training points uniform at random with Gaussian noise c['noise'], the
    clean signal at 1,000 (2,000 in 2-D) uniform test points. 'digits': one of scikit-learn's 8x8 digits (chosen by
    the seed, pixels over 16) as a signal on the pixel grid, n of its 64 pixels for training with noise added, the
    clean values of the others for testing."""
    if c["data"] == "digits":
        from sklearn.datasets import load_digits
        X = torch.tensor(load_digits().data / 16.0)
        img = X[torch.randint(len(X), (1,), generator=g).item()]
        ax = torch.linspace(-1, 1, 8)
        grid = torch.stack(torch.meshgrid(ax, ax, indexing="ij"), -1).reshape(64, 2)
        perm = torch.randperm(64, generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        return grid[tr], img[tr] + c["noise"] * torch.randn(len(tr), generator=g), grid[te], img[te]
    dim = 1 if c["data"] == "1d" else 2
    if dim == 1:
        freqs = torch.tensor([[1.0], [2.0], [3.0]])
        hf = torch.tensor([[float(c["K"])]])
    else:
        freqs = torch.randint(-3, 4, (6, 2), generator=g).double()
        freqs[:, 0] = freqs[:, 0].abs().clamp_min(1)
        hf = torch.tensor([[float(c["K"]), float(torch.randint(0, c["K"] + 1, (1,), generator=g).item())]])
    ph = 2 * math.pi * torch.rand(len(freqs), generator=g)
    amp = torch.randn(len(freqs), generator=g)
    ph_hf = 2 * math.pi * torch.rand(1, generator=g)

    def low(z):
        return torch.sin(math.pi * z @ freqs.T + ph) @ amp

    probe = low(2 * torch.rand(20000, dim, generator=g) - 1)
    scale, mean = 1 / probe.std().item(), probe.mean().item()

    def f(z):
        return (low(z) - mean) * scale + c["A"] * torch.sin(math.pi * z @ hf.T + ph_hf).squeeze(1)

    x = 2 * torch.rand(c["n"], dim, generator=g) - 1
    xt = 2 * torch.rand(1000 * dim, dim, generator=g) - 1
    return x, f(x) + c["noise"] * torch.randn(c["n"], generator=g), xt, f(xt)


def siren_signal(w, run_id, c):
    """A SIREN (Sitzmann et al. 2020): `depth` sine layers of width h, sin(omega_0 (W z + b)), and a linear readout;
    the first layer's weights uniform in +-1/fan-in, the later layers' (the readout's too) in +-sqrt(6 / fan-in) /
    omega_0, biases uniform in +-1/sqrt(fan-in), all from the run's generator, float64. Loss: the mean squared error on
    the noisy samples; full-batch Adam or heavy ball ('hb', momentum c['mom']). Train loss: the squared error on the
    noisy training samples; test loss: the squared error against the clean signal at the held-out points. Data:
    siren_data. Grid (runs_siren_signal; 20 settings, 1-2 seeds, 21 runs; revised once): the base 1-D signal, n 100
    samples, noise 0.3, a high-frequency part of amplitude A 0.3 at frequency K 12 (12 periods on [-1, 1]), omega_0 3,
    width 64, 3 sine layers (8,513 weights), Adam at 3e-4, 3,000 epochs (2 seeds); one setting at a time omega_0 1 or 6,
    the first grid's omega_0 30 at Adam 1e-4, width 16 or 256, 2 or 4 sine layers, n 40 or 400, no noise, noise 0.6, no
    high-frequency part, K 24, Adam at 1e-3, heavy ball at 0.01 (momentum 0.9); the 2-D signal (n 400, K 6) at omega_0 3
    or 6; and a digit image (44 of its 64 pixels, noise 0.2) at omega_0 3, or 10 at Adam 1e-4. The first grid (omega_0
    30, Adam at 1e-4; omega_0 3, 10 and 60, and the 2-D signal and the digit at omega_0 30 and 10) had the test error's
    first minimum at epoch 18-1,736, then the network fitting the noise, the test error rising from it and never coming
    back (18 nothing better, the digit at omega_0 10 no bump); only omega_0 3, whose sines fit the low frequencies
    first, fell below its first minimum late, and no noise by 2%. The revision makes omega_0 3 the base, with a step
    three times larger so that its slow high-frequency part is reached within the run, and keeps the first grid's base
    in one run."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(89_000 + c["seed"])
    x, y, xt, ft = siren_data(g, c)
    n, dim = x.shape
    h, om = c["h"], c["omega"]
    dims = [dim] + [h] * c["depth"] + [1]
    params = []
    for i, (a, b) in enumerate(zip(dims, dims[1:])):
        bound = 1.0 / a if i == 0 else math.sqrt(6.0 / a) / om
        W = ((2 * torch.rand(a, b, generator=g) - 1) * bound).requires_grad_()
        bias = ((2 * torch.rand(b, generator=g) - 1) / math.sqrt(a)).requires_grad_()
        params += [W, bias]
    opt = make_optimizer(c, params, c["lr"])

    def predict(z):
        for i in range(0, len(params) - 2, 2):
            z = torch.sin(om * (z @ params[i] + params[i + 1]))
        return (z @ params[-2] + params[-1]).squeeze(1)

    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "siren", "width": h, "sine_layers": c["depth"], "input_dim": dim},
                settings(c, ("seed", "data", "n", "noise", "A", "K", "omega", "h", "depth", "opt", "lr", "mom",
                             "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "test_loss": "clean-signal-mse"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            opt.zero_grad()
            ((predict(x) - y) ** 2).mean().backward()
            opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, ((predict(x) - y) ** 2).mean(), ((predict(xt) - ft) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_siren_signal():
    base = dict(data="1d", n=100, noise=0.3, A=0.3, K=12, omega=3.0, h=64, depth=3, opt="adam", lr=3e-4, mom=None,
                epochs=3000, eval="log:30")
    dig = dict(data="digits", n=44, noise=0.2, A=None, K=None)
    return siren_signal, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(omega=1.0, eval="every:5"),
        dict(omega=6.0, eval="jitter:30"),
        dict(omega=30.0, lr=1e-4, eval="every:4"),
        dict(h=16, eval="log:35"),
        dict(h=256, eval="every:10"),
        dict(depth=2, eval="every:6"),
        dict(depth=4, eval="rand:300"),
        dict(n=40, eval="every:5"),
        dict(n=400, eval="jitter:35"),
        dict(noise=0.0, eval="every:8"),
        dict(noise=0.6, eval="log:30"),
        dict(A=0.0, eval="every:5"),
        dict(K=24, eval="every:4"),
        dict(lr=1e-3, eval="log:40"),
        dict(opt="hb", lr=0.01, mom=0.9, eval="every:3"),
        dict(data="2d", n=400, K=6, eval="every:6"),
        dict(data="2d", n=400, K=6, omega=6.0, eval="jitter:30"),
        dict(dig, eval="every:3"),
        dict(dig, omega=10.0, lr=1e-4, eval="log:30"),
    ], lambda d: "%s-n%d-noise%g%s-omega%g-h%d-depth%d-%s-lr%g" % (
        d["data"], d["n"], d["noise"], "-A%g-K%d" % (d["A"], d["K"]) if d["data"] != "digits" else "", d["omega"],
        d["h"], d["depth"], d["opt"], d["lr"]))


FAMILIES = {"realnvp-flow": runs_realnvp_flow, "es-evolve": runs_es_evolve, "siren-signal": runs_siren_signal}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
