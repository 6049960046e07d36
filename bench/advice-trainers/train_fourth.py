#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, fourth held-out round).

Written blind to the advice rule (nothing of detection/, of the stopping benchmark's code, tests or figures, or of the
main README was read; no stopping benchmark and no Java was run), and made to differ from the seventeen families of
train.py, train_more.py and train_third.py in model, loss, noise and optimizer: a two-layer autoencoder on the 8x8
digits with noisy reconstruction targets, multi-quantile regression on the pinball loss with heteroscedastic
heavy-tailed noise and adaptive optimizers (RMSprop, Adagrad), and a convolutional network on synthetic signals whose
two frequency bands come at two scales. The file format, determinism and helpers are the earlier files': Writer and
the command line from train.py, epochs_of and settings from train_more.py, grid_runs and student_t from
train_third.py; one thread, every random draw from a seeded torch.Generator, synthetic event times, 6 significant
digits.

    /usr/bin/python3 train_fourth.py --family autoencoder-digits [--list] [--runs 0,3] [--out FILE]

Families (see README.md): autoencoder-digits, quantile-pinball, conv1d-bands. Evaluation spacings: train.py's
'every', 'every:K', 'log:K' and train_more.py's 'jitter:K', 'rand:M'.
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
from train_third import grid_runs, student_t  # noqa: E402

torch.set_num_threads(1)


def label_noise(g, m, dof):
    """m unit-variance noise draws: Gaussian (dof 0) or Student-t with dof degrees of freedom (heavy tails)."""
    return torch.randn(m, generator=g) if dof == 0 else student_t(g, m, dof)


def step_factor(c, e):
    """The step's multiplier at epoch e: a linear warm-up over c['warm'] epochs (0: none), times c['decay'] for
    every epoch of c['decay_at'] already passed (step decay)."""
    f = min(1.0, (e + 1) / c["warm"]) if c.get("warm") else 1.0
    return f * c.get("decay", 1.0) ** sum(1 for d in c.get("decay_at", ()) if e >= d)


def strip_none(runs):
    """Drops the settings a grid row leaves at None (those its run does not use), so they are no tags either."""
    for _, d in runs:
        for k in [k for k, v in d.items() if v is None]:
            del d[k]
    return runs


# ---------------------------------------------------------------------------------------------------- autoencoder


def whitening(pool, cols):
    """The map from images to the whitened principal components of their pixels in cols, fitted on the pool
    (directions with under 1e-3 of the largest variance, the always blank pixels among them, dropped)."""
    sub = pool[:, cols]
    mu = sub.mean(0)
    ev, V = torch.linalg.eigh((sub - mu).T @ (sub - mu) / len(sub))
    keep = ev > 1e-3 * ev[-1]
    V, sd = V[:, keep], ev[keep].sqrt()
    return lambda z: (z[:, cols] - mu) @ V / sd


def autoencoder(w, run_id, c):
    """A two-layer autoencoder on scikit-learn's 8x8 digits: encoder W1 (linear or tanh, c['width'] hidden units),
    decoder W2 and a bias (at the training images' mean), trained to reconstruct the raw pixels (in [0, 1]) from noisy
    training targets: each training image's target is the image plus fixed pixel noise (Gaussian or Student-t,
    std c['noise'], in 'ink' runs times (0.25 + pixel) / 0.75, more noise where the digit is drawn). The encoder's
    input is the image at two scales: the pixels of image columns below c['cols'] and those from it on, each group
    whitened on its own principal components (fitted on a pool of 600 other images), the second group then times a
    small c['s'] (a part of the image the encoder learns slowly). The images are split at random: n to train, 600
    for the pool, the rest (clean) to test. Loss: the squared error summed over the 64 pixels, mean over images; test
    loss against the clean test images. Full-batch gradient descent (step lr over the largest eigenvalue of the
    inputs' Gram matrix), heavy ball (momentum 0.9) or Adam, from small weights (c['init'] times the 1/sqrt(fan-in)
    scale); the gradient is written out (no autograd)."""
    from sklearn.datasets import load_digits
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(15_000 + c["seed"])
    xs, _ = load_digits(return_X_y=True)
    x_all = torch.tensor(xs / 16.0)
    perm = torch.randperm(len(x_all), generator=g)
    n, h = c["n"], c["width"]
    tr, pool, te = perm[:n], perm[n:n + 600], perm[n + 600:]
    grid = torch.arange(64).view(8, 8)
    fast, slow = whitening(x_all[pool], grid[:, :c["cols"]].reshape(-1)), \
        whitening(x_all[pool], grid[:, c["cols"]:].reshape(-1))

    def inputs(z):
        return torch.cat([fast(z), c["s"] * slow(z)], 1)

    x, xt = inputs(x_all[tr]), inputs(x_all[te])
    d = x.shape[1]
    eps = label_noise(g, n * 64, c["dof"]).view(n, 64) * c["noise"]
    if c["ink"]:
        eps = eps * (0.25 + x_all[tr]) / 0.75
    y, yt = x_all[tr] + eps, x_all[te]
    W1 = torch.randn(d, h, generator=g) * c["init"] / math.sqrt(d)
    W2 = torch.randn(h, 64, generator=g) * c["init"] / math.sqrt(h)
    b = x_all[tr].mean(0)
    params = [W1, W2, b]
    top = torch.linalg.eigvalsh(x.T @ x / n)[-1].item()
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    vel = [torch.zeros_like(p) for p in params]
    tanh = c["act"] == "tanh"

    def forward(z):
        hid = z @ W1
        if tanh:
            hid = torch.tanh(hid)
        return hid, hid @ W2 + b

    def loss(z, t):
        return ((forward(z)[1] - t) ** 2).sum(1).mean()

    run = w.run(run_id, d * h + h * 64 + 64, n, {"family": "autoencoder", "width": h, "activation": c["act"],
                                                 "input_dim": d},
                settings(c, ("seed", "cols", "s", "noise", "dof", "ink", "init", "opt", "lr", "eval"))
                | {"optimizer": {"gd": "gd", "hb": "heavy-ball", "adam": "adam"}[c["opt"]], "loss": "mse",
                   "noise_law": "gaussian" if c["dof"] == 0 else "student-t"},
                output_dim=64)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            hid, out = forward(x)
            r = (out - y) * (2 / n)
            gh = r @ W2.T
            if tanh:
                gh = gh * (1 - hid * hid)
            grads = [x.T @ gh, hid.T @ r, r.sum(0)]
            if c["opt"] == "adam":
                for prm, gr in zip(params, grads):
                    prm.grad = gr
                opt.step()
            else:
                mom = 0.9 if c["opt"] == "hb" else 0.0
                for prm, v, gr in zip(params, vel, grads):
                    v.mul_(mom).add_(gr)
                    prm.sub_(c["lr"] / top * v)
            e += 1
        run.log(e, loss(x, y), loss(xt, yt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_autoencoder():
    keys = ("n", "cols", "s", "width", "act", "noise", "dof", "ink", "init", "opt", "lr", "epochs", "eval")
    grid = [
        (100, 4, 0.05, 64, "linear", 0.2, 0, 0, 0.1, "gd", 0.2, 20000, "log:30", (1, 2)),
        (100, 5, 0.1, 64, "linear", 0.2, 0, 0, 0.1, "gd", 0.2, 10000, "jitter:30", (1, 2)),
        (80, 5, 0.1, 64, "linear", 0.2, 0, 0, 0.1, "gd", 0.2, 10000, "every:10", (1,)),
        (100, 4, 0.05, 64, "linear", 0.2, 3, 0, 0.1, "gd", 0.2, 20000, "jitter:35", (1,)),
        (100, 4, 0.05, 64, "linear", 0.2, 0, 1, 0.1, "gd", 0.2, 20000, "log:35", (1,)),
        (100, 4, 0.05, 64, "linear", 0.2, 0, 0, 0.1, "hb", 0.02, 5000, "every:5", (1,)),
        (100, 4, 0.05, 64, "tanh", 0.2, 0, 0, 0.1, "gd", 0.2, 20000, "log:30", (1,)),
        (100, 4, 0.05, 32, "linear", 0.2, 0, 0, 0.1, "gd", 0.2, 20000, "rand:300", (1,)),
        (100, 4, 0.05, 64, "linear", 0.2, 0, 0, 0.1, "adam", 0.003, 3000, "every:2", (1,)),
        (300, 6, 0.1, 64, "linear", 0.1, 0, 0, 0.1, "gd", 0.2, 5000, "log:30", (1, 2)),
        (100, 4, 0.1, 64, "linear", 0.2, 0, 0, 0.1, "hb", 0.02, 2000, "every", (1,)),
        (120, 4, 0.05, 16, "linear", 0.2, 0, 0, 0.1, "gd", 0.2, 20000, "jitter:30", (1,)),
        (100, 4, 0.05, 64, "tanh", 0.15, 0, 0, 0.1, "hb", 0.02, 3000, "log:30", (1,)),
        (200, 4, 0.1, 64, "linear", 0.1, 0, 0, 0.1, "gd", 0.15, 5000, "log:35", (1,)),
    ]
    return autoencoder, grid_runs(grid, keys, lambda d: "%s-%s-w%d-n%d-cols%d-s%g-noise%g%s%s" % (
        d["opt"], d["act"], d["width"], d["n"], d["cols"], d["s"], d["noise"], "-t%d" % d["dof"] if d["dof"] else "",
        "-ink" if d["ink"] else ""))


# ---------------------------------------------------------------------------------------------------- quantile-pinball


def quantile_pinball(w, run_id, c):
    """Linear multi-quantile regression: one linear predictor (and bias) for each quantile level in c['taus'],
    trained on the pinball loss mean_i mean_k max(tau_k r_ik, (tau_k - 1) r_ik), r = y - prediction. Inputs: the
    two-scale Gaussian inputs of train.py (df features of scale 1, ds of a small scale s) turned by a random rotation,
    so that the two scales do not lie along coordinates (an adaptive optimizer's per-coordinate step cannot undo
    them). The target: a linear fast part of power F plus a slow part of power S at unit scale, plus heteroscedastic
    noise, noise * (1 + hetero |<u, x_fast>|) / its mean (u a unit direction of the fast inputs) times a Gaussian or
    Student-t draw (dof). The weights start at zero, the biases at the training targets' quantiles; full batch or
    minibatches (c['batch']), with RMSprop, Adagrad, plain gradient descent or heavy ball (momentum 0.9), a linear
    warm-up and step decay (step_factor); the subgradient is written out. Test loss: the pinball loss on 2,000 fresh
    points."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(16_000 + c["seed"])
    n, df, ds, s = c["n"], c["df"], c["ds"], c["s"]
    d = df + ds
    theta = torch.cat([torch.randn(df, generator=g) * math.sqrt(c["F"] / df),
                       torch.randn(ds, generator=g) * math.sqrt(c["S"] / ds) / s])
    u = torch.randn(df, generator=g)
    u /= u.norm()
    Q, _ = torch.linalg.qr(torch.randn(d, d, generator=g))

    def data(m):
        x = train.two_scale_inputs(g, m, df, ds, s)
        scale = c["noise"] * (1 + c["hetero"] * (x[:, :df] @ u).abs()) / (1 + c["hetero"] * math.sqrt(2 / math.pi))
        return x @ Q, x @ theta + scale * label_noise(g, m, c["dof"])

    x, y = data(n)
    xt, yt = data(2000)
    tau = torch.tensor(c["taus"])
    K = len(tau)
    W = torch.zeros(d, K)
    b = torch.quantile(y, tau)
    params = [W, b]
    if c["opt"] == "rmsprop":
        opt = torch.optim.RMSprop(params, lr=c["lr"])
    elif c["opt"] == "adagrad":
        opt = torch.optim.Adagrad(params, lr=c["lr"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9 if c["opt"] == "hb" else 0.0)

    def pinball(z, t):
        r = t.unsqueeze(1) - (z @ W + b)
        return torch.maximum(tau * r, (tau - 1) * r).mean()

    run = w.run(run_id, (d + 1) * K, n, {"family": "linear-quantile", "fast_features": df, "slow_features": ds,
                                         "quantiles": "/".join("%g" % t for t in c["taus"])},
                settings(c, ("seed", "s", "F", "S", "noise", "hetero", "dof", "opt", "lr", "batch", "warm", "decay",
                             "eval"))
                | {"optimizer": c["opt"], "loss": "pinball", "rotated": True,
                   "noise_law": "gaussian" if c["dof"] == 0 else "student-t"}
                | ({"decay_at": "/".join(str(e) for e in c["decay_at"])} if c.get("decay_at") else {}),
                output_dim=K)
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    bsz = c["batch"]
    e = 0
    for p in pts:
        while e < p:
            for group in opt.param_groups:
                group["lr"] = c["lr"] * step_factor(c, e)
            idx = torch.randperm(n, generator=g) if bsz < n else torch.arange(n)
            for i in range(0, n, bsz):
                j = idx[i:i + bsz]
                r = y[j].unsqueeze(1) - (x[j] @ W + b)
                gout = ((r < 0).double() - tau) / (len(j) * K)  # the pinball loss's subgradient in the prediction
                W.grad, b.grad = x[j].T @ gout, gout.sum(0)
                opt.step()
            e += 1
        run.log(e, pinball(x, y), pinball(xt, yt), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_quantile_pinball():
    keys = ("n", "df", "ds", "s", "F", "S", "noise", "hetero", "dof", "taus", "opt", "lr", "batch", "warm", "decay",
            "decay_at", "epochs", "eval")
    Q = (0.1, 0.5, 0.9)  # the quantile levels of most runs
    grid = [
        (200, 100, 20, 0.1, 4.0, 4.0, 0.5, 1.0, 3, Q, "gd", 1.0, 200, None, None, None, 10000, "log:30", (1, 2)),
        (200, 120, 20, 0.1, 4.0, 4.0, 0.5, 1.0, 3, Q, "gd", 1.0, 200, None, None, None, 10000, "jitter:30", (1,)),
        (200, 100, 20, 0.1, 4.0, 4.0, 0.5, 1.0, 3, (0.5,), "gd", 1.0, 200, None, None, None, 10000, "log:35", (1,)),
        (200, 100, 20, 0.1, 4.0, 4.0, 0.5, 1.0, 3, Q, "rmsprop", 0.003, 200, None, None, None, 10000, "jitter:35",
         (1,)),
        (200, 100, 20, 0.1, 4.0, 4.0, 0.5, 1.0, 3, Q, "adagrad", 0.3, 200, None, None, None, 10000, "log:30", (1,)),
        (200, 100, 20, 0.1, 4.0, 4.0, 0.5, 1.0, 3, Q, "hb", 0.1, 200, None, None, None, 5000, "every:5", (1,)),
        (200, 100, 20, 0.1, 4.0, 4.0, 0.5, 1.0, 3, Q, "gd", 0.3, 20, 50, 0.3, (1000,), 2000, "every:2", (1,)),
        (200, 170, 20, 0.1, 4.0, 2.0, 0.5, 1.0, 3, Q, "gd", 1.0, 200, None, None, None, 10000, "log:30", (1, 2)),
        (200, 150, 30, 0.1, 4.0, 1.0, 1.0, 2.0, 2, Q, "gd", 1.0, 200, None, None, None, 10000, "jitter:30", (1,)),
        (200, 100, 20, 0.1, 4.0, 4.0, 0.5, 1.0, 3, Q, "adagrad", 0.03, 200, None, None, None, 5000, "log:35", (1,)),
        (200, 100, 20, 0.1, 4.0, 4.0, 0.5, 1.0, 3, Q, "gd", 0.3, 20, 50, 0.1, (200,), 2000, "rand:300", (1,)),
        (200, 140, 20, 0.1, 4.0, 1.0, 0.7, 1.0, 3, Q, "rmsprop", 0.003, 200, None, None, None, 10000, "log:30", (1,)),
        (200, 120, 20, 0.1, 4.0, 0.3, 0.5, 1.0, 3, Q, "gd", 1.0, 200, None, None, None, 10000, "log:30", (1,)),
        (200, 40, 20, 0.1, 4.0, 4.0, 0.5, 1.0, 3, Q, "gd", 1.0, 200, None, None, None, 10000, "jitter:30", (1,)),
        (200, 100, 20, 0.2, 4.0, 4.0, 0.5, 0.0, 0, (0.25, 0.75), "gd", 1.0, 200, None, None, None, 2000, "every", (1,)),
    ]
    return quantile_pinball, strip_none(grid_runs(grid, keys, lambda d: "%s-n%d-df%d-s%g-S%g-noise%g-h%g-%s-q%d%s" % (
        d["opt"], d["n"], d["df"], d["s"], d["S"], d["noise"], d["hetero"], "gauss" if d["dof"] == 0 else
        "t%d" % d["dof"], len(d["taus"]), "-b%d" % d["batch"] if d["batch"] < d["n"] else "")))


# ---------------------------------------------------------------------------------------------------- conv1d-bands


def conv1d_bands(w, run_id, c):
    """A one-dimensional convolutional network on synthetic periodic signals of length L: C circular filters of
    width k (linear or tanh), then a linear readout of all C x L outputs (and a bias). The signals have Gaussian
    Fourier coefficients, at scale 1 up to frequency c['low'] and at a small scale c['s'] above it (a high band the
    network learns slowly). The target: power F along a random functional of the low band plus power S along one of
    the high band at unit scale, plus noise (Gaussian or Student-t, heteroscedastic where c['hetero'] > 0: times
    1 + hetero |fast part|, normalised). Full-batch gradient descent, heavy ball (momentum 0.9) or Adam on the mean
    squared error, autograd, filters from c['init'] times the 1/sqrt(k) scale, readout from zero, bias at the mean
    target; test loss on 2,000 fresh signals."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(17_000 + c["seed"])
    n, L, k, C, s = c["n"], c["L"], c["k"], c["C"], c["s"]
    nf = L // 2 + 1
    band = torch.full((nf,), s)
    band[:c["low"] + 1] = 1.0

    def spectrum(m, scale):
        return torch.complex(torch.randn(m, nf, generator=g), torch.randn(m, nf, generator=g)) * scale

    w_low = torch.fft.irfft(spectrum(1, (band == 1).double()), n=L)[0]
    w_high = torch.fft.irfft(spectrum(1, (band < 1).double()), n=L)[0]
    sig = torch.fft.irfft(spectrum(20_000, band), n=L) * math.sqrt(L)  # about unit variance per sample
    k_low, k_high = (sig @ w_low).std().item(), (sig @ w_high).std().item()  # the two parts' scales, from many signals

    def data(m):
        z = torch.fft.irfft(spectrum(m, band), n=L) * math.sqrt(L)
        fl, fh = z @ w_low / k_low, z @ w_high / k_high  # each at unit variance: the high band's part at unit scale
        scale = c["noise"] * (1 + c["hetero"] * fl.abs()) / (1 + c["hetero"] * math.sqrt(2 / math.pi))
        return z, math.sqrt(c["F"]) * fl + math.sqrt(c["S"]) * fh + scale * label_noise(g, m, c["dof"])

    x, y = data(n)
    xt, yt = data(2000)
    filt = (torch.randn(C, 1, k, generator=g) * c["init"] / math.sqrt(k)).requires_grad_()
    U = torch.zeros(C * L, requires_grad=True)
    b = torch.full((1,), y.mean().item(), requires_grad=True)
    params = [filt, U, b]
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9 if c["opt"] == "hb" else 0.0)
    act = torch.tanh if c["act"] == "tanh" else (lambda v: v)

    def f(z):
        pad = torch.nn.functional.pad(z.unsqueeze(1), (k // 2, k - 1 - k // 2), mode="circular")
        return act(torch.nn.functional.conv1d(pad, filt)).flatten(1) @ U + b

    run = w.run(run_id, C * k + C * L + 1, n, {"family": "conv1d", "channels": C, "kernel": k, "length": L,
                                               "activation": c["act"]},
                settings(c, ("seed", "low", "s", "F", "S", "noise", "hetero", "dof", "init", "opt", "lr", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "noise_law": "gaussian" if c["dof"] == 0 else "student-t"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            opt.zero_grad()
            ((f(x) - y) ** 2).mean().backward()
            opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, ((f(x) - y) ** 2).mean(), ((f(xt) - yt) ** 2).mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_conv1d_bands():
    keys = ("n", "L", "low", "s", "C", "k", "act", "F", "S", "noise", "hetero", "dof", "init", "opt", "lr", "epochs",
            "eval")
    grid = [
        (100, 48, 16, 0.05, 2, 9, "linear", 2.0, 3.0, 0.5, 0.0, 0, 0.5, "gd", 0.03, 5000, "log:30", (1, 2)),
        (80, 48, 16, 0.05, 2, 9, "linear", 2.0, 3.0, 0.7, 0.0, 0, 0.5, "gd", 0.03, 5000, "jitter:30", (1,)),
        (100, 48, 16, 0.05, 2, 9, "linear", 2.0, 3.0, 0.5, 1.0, 3, 0.5, "gd", 0.03, 5000, "jitter:35", (1,)),
        (100, 48, 16, 0.05, 2, 9, "linear", 2.0, 3.0, 0.5, 0.0, 0, 0.5, "adam", 0.003, 3000, "every:3", (1,)),
        (100, 48, 16, 0.05, 2, 9, "linear", 2.0, 3.0, 0.5, 0.0, 0, 0.5, "hb", 0.003, 3000, "log:30", (1,)),
        (60, 48, 16, 0.05, 2, 9, "linear", 2.0, 0.5, 0.7, 0.0, 0, 0.5, "gd", 0.03, 5000, "log:30", (1, 2)),
        (70, 48, 16, 0.05, 2, 9, "linear", 2.0, 0.7, 0.7, 0.0, 0, 0.5, "gd", 0.03, 5000, "every:5", (1, 2)),
        (70, 48, 16, 0.05, 2, 9, "linear", 2.0, 0.3, 0.7, 0.0, 0, 0.5, "gd", 0.03, 5000, "rand:300", (1, 2)),
        (70, 48, 16, 0.05, 2, 9, "linear", 2.0, 0.7, 0.7, 1.0, 2, 0.5, "gd", 0.03, 5000, "jitter:30", (1,)),
        (60, 48, 16, 0.05, 2, 9, "linear", 2.0, 0.3, 0.7, 0.0, 0, 0.5, "adam", 0.003, 3000, "log:35", (1,)),
        (100, 48, 16, 0.05, 2, 9, "tanh", 2.0, 3.0, 0.5, 0.0, 0, 0.5, "adam", 0.003, 3000, "log:30", (1,)),
        (100, 48, 16, 0.05, 2, 9, "tanh", 2.0, 3.0, 0.5, 0.0, 0, 0.3, "hb", 0.003, 3000, "every:2", (1,)),
        (80, 32, 10, 0.1, 4, 5, "linear", 2.0, 2.0, 0.7, 0.0, 0, 0.5, "gd", 0.03, 5000, "jitter:30", (1,)),
        (100, 48, 16, 0.1, 2, 9, "linear", 2.0, 3.0, 0.5, 0.0, 0, 0.5, "gd", 0.03, 2000, "every", (1,)),
        (80, 48, 16, 0.05, 2, 9, "linear", 2.0, 0.3, 1.0, 0.0, 0, 0.5, "gd", 0.03, 5000, "log:30", (1,)),
        (100, 48, 16, 0.05, 2, 9, "tanh", 2.0, 3.0, 0.5, 0.0, 0, 0.2, "gd", 0.03, 5000, "log:35", (1,)),
    ]
    return conv1d_bands, grid_runs(grid, keys, lambda d: "%s-%s-C%d-n%d-low%d-s%g-S%g-noise%g%s" % (
        d["opt"], d["act"], d["C"], d["n"], d["low"], d["s"], d["S"], d["noise"],
        "-t%d" % d["dof"] if d["dof"] else ""))


FAMILIES = {"autoencoder-digits": runs_autoencoder, "quantile-pinball": runs_quantile_pinball,
            "conv1d-bands": runs_conv1d_bands}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
