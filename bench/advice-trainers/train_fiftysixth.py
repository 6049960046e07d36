#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, fifty-sixth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 170 families of train.py ... train_fiftyfourth.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is denoising and sparse-coding models trained by
gradient descent, on the digits and on synthetic sparse signals, at sizes around where the model can just fit its
training set, with input or target noise in part of the grid:

- denoise-ae-digits: a denoising autoencoder of scikit-learn's 8x8 digits (64 -> h ReLU -> 64, sigmoid output):
  the training images' inputs corrupted once (Gaussian pixel noise, or masking noise that zeroes a share of the
  pixels; fresh corruption every epoch in one run), the targets the clean images (plus Gaussian target noise in part
  of the grid). Loss: the squared error summed over the 64 pixels; test loss: the held-out images' clean
  reconstruction from their corrupted inputs (corrupted the same way, drawn once).
- lista-unrolled: learned ISTA (Gregor & LeCun 2010): T unrolled layers z <- soft(W_e y + S z, theta_t) (W_e and S
  shared by the layers, or one pair per layer), started at ISTA's values for a known dictionary, trained to recover
  the sparse codes of synthetic signals y = D z + noise, a share of the dictionary's atoms at a small norm in part of
  the grid; the training codes given with Gaussian target noise in part of the grid. Loss: the squared error of the
  codes summed over the atoms; test loss: that of fresh signals' clean codes; error rates: the share of code entries
  whose support (zero or not) is wrong.
- dict-learn-sgd: dictionary learning by minibatch SGD on the codes and the atoms jointly: a dictionary of K unit
  atoms (renormalised after every step) and one code per training signal, both parameters, on 0.5 |y - D c|^2 +
  lam |c|_1 of noisy synthetic sparse signals; test loss: the held-out denoising error, fresh noisy signals coded by
  50 ISTA steps with the current (frozen) dictionary, the squared error of D c against the clean signals.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs) and take from train_thirtyninth.py, and count from
train_fortyeighth.py; one thread, every random draw from a seeded torch.Generator, synthetic event times, 6
significant digits.

    /usr/bin/python3 train_fiftysixth.py --family denoise-ae-digits [--list] [--runs 0,3] [--out FILE]

Families (see README.md): denoise-ae-digits, lista-unrolled, dict-learn-sgd. Evaluation spacings: train.py's
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
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402

torch.set_num_threads(1)


def make_opt(c, params):
    """Adam ('adam'), SGD with heavy-ball momentum 0.9 ('momentum'), plain SGD ('sgd') or RMSprop ('rmsprop', alpha
    0.99) at step lr, with L2 weight decay wd (coupled) where set."""
    o, lr, wd = c["opt"], c["lr"], c.get("wd") or 0.0
    if o == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=wd)
    if o == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, weight_decay=wd)
    if o == "sgd":
        return torch.optim.SGD(params, lr=lr, weight_decay=wd)
    return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=wd)


def soft(z, t):
    """Soft thresholding at t (t broadcast over z)."""
    return torch.sign(z) * torch.relu(z.abs() - t)


# ---------------------------------------------------------------------------------------------------- denoise-ae-digits


def corrupt_images(g, x, c):
    """The inputs of a denoising autoencoder: 'gauss' pixel noise of std p (clipped to [0, 1]) or 'mask' noise that
    sets each pixel to 0 with probability p, drawn from g."""
    if c["kind"] == "mask":
        return x * (torch.rand(x.shape, generator=g) >= c["p"]).to(x.dtype)
    return (x + c["p"] * torch.randn(x.shape, generator=g)).clamp(0.0, 1.0)


def denoise_ae_digits(w, run_id, c):
    """A denoising autoencoder, float32: 64 -> h (ReLU) -> 64 (a sigmoid on the output), weights and biases U(+-1 /
    sqrt(fan-in)) from the run's generator. Data: scikit-learn's digits (pixels / 16), n training images and 500
    others for testing, split at random by the run's generator; the training inputs corrupted once by corrupt_images
    (afresh every epoch where fresh is set), the targets the clean images plus Gaussian noise tsig (drawn once) where
    set; the test inputs corrupted once the same way, their targets clean. Loss: the squared error summed over the 64
    pixels, averaged over the images. Optimizer: make_opt on minibatches. Train loss: the objective on the training
    inputs and targets (those of the last epoch where fresh); test loss: the held-out clean reconstruction error."""
    from sklearn.datasets import load_digits
    g = torch.Generator().manual_seed(561_000 + c["seed"])
    X = torch.tensor(load_digits().data / 16.0, dtype=torch.float32)
    perm = torch.randperm(len(X), generator=g)
    x, xt = X[perm[:c["n"]]], X[perm[c["n"]:c["n"] + 500]]
    box = {"in": corrupt_images(g, x, c)}
    y = x + c["tsig"] * torch.randn(x.shape, generator=g) if c.get("tsig") else x
    it = corrupt_images(g, xt, c)
    h = c["h"]
    params = leaves([uniform(g, 64, h, 64), uniform(g, 64, h), uniform(g, h, 64, h), uniform(g, h, 64)])
    opt = make_opt(c, params)

    def forward(z):
        return torch.sigmoid(torch.relu(z @ params[0].T + params[1]) @ params[2].T + params[3])

    def sse(f, t):
        return ((f - t) ** 2).sum(1).mean()

    def begin(e):
        if c.get("fresh") and e > 0:
            box["in"] = corrupt_images(g, x, c)

    def step(idx):
        opt.zero_grad()
        sse(forward(take(box["in"], idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(x), {"family": "denoising-autoencoder", "hidden": h, "pixels": 64},
                settings(c, ("seed", "n", "kind", "p", "fresh", "tsig", "h", "opt", "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "pixel-sse", "test_loss": "clean-heldout-reconstruction-sse",
                   "numbers_per_weight": "%.3g" % (64 * len(x) / count(params))},
                output_dim=64)

    def log(e, final):
        run.log(e, sse(forward(box["in"]), y), sse(forward(it), xt), final=final)

    epoch_loop(g, len(x), c, step, log, begin=begin)


def runs_denoise_ae_digits():
    # The logic: 150 training images, 64 clean target pixels each (9,600 numbers); the autoencoder 64 -> h -> 64 has
    # 129 h + 64 weights, so by count it can just fit them near h 74, and since its inputs are corrupted once, fitting
    # them means memorising which corrupted image maps to which clean one (the held-out reconstruction then worsens).
    # The sweep of h (8, 16, 32, 48, 64 at the base at 2 seeds, 96, 128, 256) crosses it under masking noise (30% of
    # the pixels zeroed), Adam at 0.003 on minibatches of 25, 250 epochs. One thing at a time besides: Gaussian input
    # noise 0.3, masking 50%, Gaussian target noise 0.2 (and 0.4 at h 128), fresh masking every epoch (the textbook
    # denoising autoencoder, which should not memorise), 80 and 400 images, momentum SGD at 0.1, RMSprop at 0.001,
    # Adam at 0.01, weight decay 1e-4. Evaluation spacing mixed.
    base = dict(n=150, kind="mask", p=0.3, fresh=None, tsig=None, h=64, opt="adam", lr=0.003, wd=None, batch=25,
                epochs=250, eval="every:2")
    return denoise_ae_digits, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=8, eval="every"),
        dict(h=16, eval="jitter:40"),
        dict(h=32, eval="every:2"),
        dict(h=48, eval="geom:3"),
        dict(h=96, eval="every:3"),
        dict(h=128, eval="mixed:40:4"),
        dict(h=256, eval="every:2"),
        dict(kind="gauss", p=0.3, eval="every:2"),
        dict(p=0.5, eval="burst:20:5"),
        dict(tsig=0.2, eval="every:2"),
        dict(tsig=0.4, h=128, eval="log:40"),
        dict(fresh=True, eval="every:2"),
        dict(n=80, eval="every"),
        dict(n=400, eval="every:4"),
        dict(opt="momentum", lr=0.1, eval="rand:100"),
        dict(opt="rmsprop", lr=0.001, eval="every:2"),
        dict(lr=0.01, eval="mixlog:30:40"),
        dict(wd=1e-4, eval="every:3"),
    ], lambda d: "n%d-%s%g%s%s-h%d-%s-lr%g%s" % (
        d["n"], d["kind"], d["p"], "-fresh" if d.get("fresh") else "", "-tsig%g" % d["tsig"] if d.get("tsig") else "",
        d["h"], d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- lista-unrolled


def sparse_signals(g, D, m, c):
    """m signals y = D z + sigma N(0, 1) of codes z with each of the K entries nonzero with probability rho (N(0, 1)
    amplitudes), drawn from g; the codes kept."""
    K = D.shape[1]
    z = torch.randn(m, K, generator=g, dtype=torch.float64) * (
        torch.rand(m, K, generator=g, dtype=torch.float64) < c["rho"]).double()
    y = z @ D.T + c["sigma"] * torch.randn(m, D.shape[0], generator=g, dtype=torch.float64)
    return y, z


def dictionary(g, c, K):
    """A dictionary of K Gaussian atoms in M dimensions, unit norm, the last share `slow` of them at norm s."""
    D = torch.randn(c["M"], K, generator=g, dtype=torch.float64)
    D = D / D.norm(dim=0)
    if c.get("slow"):
        ks = int(round(K * c["slow"]))
        D[:, K - ks:] *= c["s"]
    return D


def lista_unrolled(w, run_id, c):
    """Learned ISTA, float64: T layers z_0 = soft(W_e y, theta_0), z_t = soft(W_e y + S z_{t-1}, theta_t), with W_e
    (K x M) and S (K x K) shared by the layers (one pair per layer where untied), started at ISTA's values for the
    true dictionary D (W_e = D^T / L, S = I - D^T D / L, theta_t = lam0 / L; L the largest eigenvalue of D^T D), then
    trained. Data: sparse_signals of a dictionary (dictionary(): K atoms in M dimensions, a share slow of them at norm
    s where set) drawn from the run's generator; n training signals (their codes given with Gaussian noise tau on
    every entry where set, the targets), 1,000 fresh test signals with their clean codes. Loss: the squared error of
    the codes summed over the K atoms, averaged over the signals. Optimizer: make_opt on minibatches. Train loss: that
    of the (noisy) training codes; test loss: that of the clean test codes; error rates: the share of code entries
    whose support (nonzero or not) the last layer gets wrong."""
    g = torch.Generator().manual_seed(562_000 + c["seed"])
    K, T = c["K"], c["T"]
    D = dictionary(g, c, K)
    y, z = sparse_signals(g, D, c["n"], c)
    yt, zt = sparse_signals(g, D, 1000, c)
    zn = z + c["tau"] * torch.randn(z.shape, generator=g, dtype=torch.float64) if c.get("tau") else z
    L = torch.linalg.eigvalsh(D.T @ D)[-1].item()
    pairs = T if c.get("untied") else 1
    We = [(D.T / L).clone() for _ in range(pairs)]
    S = [(torch.eye(K, dtype=torch.float64) - D.T @ D / L) for _ in range(pairs)]
    theta = torch.full((T,), c["lam0"] / L, dtype=torch.float64)
    params = leaves(We + S + [theta])
    opt = make_opt(c, params)

    def forward(v):
        out = soft(v @ We[0].T, theta[0])
        for t in range(1, T):
            k = t if c.get("untied") else 0
            out = soft(v @ We[k].T + out @ S[k].T, theta[t])
        return out

    def sse(f, t):
        return ((f - t) ** 2).sum(1).mean()

    def support_err(f, t):
        return ((f != 0) != (t != 0)).double().mean()

    def step(idx):
        opt.zero_grad()
        sse(forward(take(y, idx)), take(zn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), c["n"], {"family": "lista", "layers": T, "atoms": K, "measurements": c["M"],
                                                "tied": "no" if c.get("untied") else "yes"},
                settings(c, ("seed", "n", "M", "K", "rho", "sigma", "slow", "s", "tau", "T", "untied", "lam0", "opt",
                             "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "code-sse", "test_loss": "clean-code-sse",
                   "numbers_per_weight": "%.3g" % (K * c["n"] / count(params))},
                output_dim=K)

    def log(e, final):
        a, b = forward(y), forward(yt)
        run.log(e, sse(a, zn), sse(b, zt), support_err(a, z), support_err(b, zt), final=final)

    epoch_loop(g, c["n"], c, step, log)


def runs_lista_unrolled():
    # The logic: signals of M 20 measurements from a dictionary of K 40 atoms, codes nonzero with probability 0.1
    # (about 4 atoms a signal), measurement noise 0.05, the training codes given with Gaussian noise 0.1 on every
    # entry. Tied LISTA with T 3 layers has K M + K^2 + T = 2,403 weights, so the sweep of the training set n (30,
    # 45, 60 at the base at 2 seeds, 90, 120, 200, 400; 40 code numbers each) crosses where it can just fit the
    # training codes (about n 60); untied layers (7,203 weights) at n 60 and 200. Adam at 0.001 on minibatches of 10,
    # 300 epochs. One thing at a time besides: clean codes, code noise 0.3, a quarter of the atoms at norm 0.3 (their
    # codes weak in the signal, learned late), that with clean codes, T 1 and 5 layers, momentum SGD at 0.01, RMSprop
    # at 0.0005, Adam at 0.005. Evaluation spacing mixed.
    base = dict(n=60, M=20, K=40, rho=0.1, sigma=0.05, slow=None, s=None, tau=0.1, T=3, untied=None, lam0=0.1,
                opt="adam", lr=0.001, batch=10, epochs=300, eval="every:2")
    return lista_unrolled, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=30, eval="every"),
        dict(n=45, eval="jitter:40"),
        dict(n=90, eval="every:2"),
        dict(n=120, eval="geom:3"),
        dict(n=200, eval="every:3"),
        dict(n=400, eval="every:4"),
        dict(untied=True, eval="mixed:40:4"),
        dict(untied=True, n=200, eval="every:3"),
        dict(tau=None, eval="every:2"),
        dict(tau=0.3, eval="burst:20:5"),
        dict(slow=0.25, s=0.3, eval="every:2"),
        dict(slow=0.25, s=0.3, tau=None, eval="log:40"),
        dict(T=1, eval="every:2"),
        dict(T=5, eval="every:2"),
        dict(opt="momentum", lr=0.01, eval="rand:120"),
        dict(opt="rmsprop", lr=0.0005, eval="every:2"),
        dict(lr=0.005, eval="mixlog:30:40"),
    ], lambda d: "n%d-M%d-K%d-%s%s-T%d%s-%s-lr%g" % (
        d["n"], d["M"], d["K"], "tau%g" % d["tau"] if d.get("tau") else "clean",
        "-slow%g-s%g" % (d["slow"], d["s"]) if d.get("slow") else "", d["T"], "-untied" if d.get("untied") else "",
        d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- dict-learn-sgd


def ista_codes(D, y, lam, steps):
    """The lasso codes of signals y for a dictionary D by `steps` ISTA iterations from zero, step 1 / L."""
    L = torch.linalg.eigvalsh(D.T @ D)[-1].item()
    zc = torch.zeros(len(y), D.shape[1], dtype=D.dtype)
    for _ in range(steps):
        zc = soft(zc - (zc @ D.T - y) @ D / L, lam / L)
    return zc


def dict_learn_sgd(w, run_id, c):
    """Dictionary learning by minibatch SGD, float64: a dictionary D of K atoms in M dimensions (Gaussian, unit norm,
    from the run's generator) and one code per training signal (zeros), both parameters, on the objective
    0.5 |y - D c|^2 + lam |c|_1 (the squared error summed over the M dimensions, averaged over the signals), the
    atoms renormalised to unit norm after every step. Data: sparse_signals of a true dictionary (dictionary(): K0
    atoms, a share slow of them at norm s where set) drawn from the run's generator, n training signals and 500 test
    signals, both under measurement noise sigma. Optimizer: make_opt on minibatches (each step moves the batch's codes
    and the atoms). Train loss: the objective on the training signals; test loss: the held-out denoising error, the
    test signals coded by 50 ISTA steps (lam) with the current dictionary, mean |D c - D0 z|^2 against the clean
    signals."""
    g = torch.Generator().manual_seed(563_000 + c["seed"])
    K, M, lam = c["K"], c["M"], c["lam"]
    D0 = dictionary(g, c, c["K0"])
    y, _ = sparse_signals(g, D0, c["n"], c)
    yt, zt = sparse_signals(g, D0, 500, c)
    clean_t = zt @ D0.T
    D = torch.randn(M, K, generator=g, dtype=torch.float64)
    D = D / D.norm(dim=0)
    C = torch.zeros(c["n"], K, dtype=torch.float64)
    params = leaves([D, C])
    opt = make_opt(c, params)

    def objective(Dm, cc, v):
        return 0.5 * ((cc @ Dm.T - v) ** 2).sum(1).mean() + lam * cc.abs().sum(1).mean()

    def step(idx):
        opt.zero_grad()
        cc = C if idx is None else C[idx]
        objective(D, cc, take(y, idx)).backward()
        opt.step()
        with torch.no_grad():
            D.div_(D.norm(dim=0).clamp_min(1e-12))

    run = w.run(run_id, K * M + c["n"] * K, c["n"], {"family": "sgd-dictionary-learning", "atoms": K, "dimension": M},
                settings(c, ("seed", "n", "M", "K0", "rho", "sigma", "slow", "s", "K", "lam", "opt", "lr", "batch",
                             "eval"))
                | {"optimizer": c["opt"], "loss": "lasso-objective", "test_loss": "heldout-denoising-sse",
                   "dictionary_weights": K * M, "code_weights": c["n"] * K},
                output_dim=M)

    def log(e, final):
        zc = ista_codes(D, yt, lam, 50)
        run.log(e, objective(D, C, y), ((zc @ D.T - clean_t) ** 2).sum(1).mean(), final=final)

    epoch_loop(g, c["n"], c, step, log)


def runs_dict_learn_sgd():
    # The logic: 150 training signals of M 16 dimensions from a true dictionary of K0 24 unit atoms, codes nonzero
    # with probability 0.15 (about 3.6 atoms a signal), measurement noise 0.2 (the training and the test signals
    # alike). With K atoms the learned dictionary spans the signals' 16 dimensions from K 16 on, and with per-signal
    # codes the model (16 K + 150 K numbers) can fit every training signal, noise included, from about there: below
    # it the dictionary keeps the signals' strongest directions (a denoiser), above it the atoms chase the noise. The
    # sweep of K (4, 8, 12, 16, 24 at the base at 2 seeds, 32, 48, 96) crosses it under lam 0.1, Adam at 0.01 on
    # minibatches of 15, 150 epochs. One thing at a time besides: noise 0.05 and 0.4, a quarter of the true atoms at
    # norm 0.3 (learned late), lam 0.03 and 0.3, 60 and 400 signals, momentum SGD at 0.05, plain SGD at 0.3 (full
    # batch), RMSprop at 0.003, Adam at 0.03. Evaluation spacing mixed.
    base = dict(n=150, M=16, K0=24, rho=0.15, sigma=0.2, slow=None, s=None, K=24, lam=0.1, opt="adam", lr=0.01,
                batch=15, epochs=150, eval="every")
    return dict_learn_sgd, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(K=4, eval="every"),
        dict(K=8, eval="jitter:40"),
        dict(K=12, eval="every:2"),
        dict(K=16, eval="every"),
        dict(K=32, eval="geom:2"),
        dict(K=48, eval="every"),
        dict(K=96, eval="mixed:40:3"),
        dict(sigma=0.05, eval="every"),
        dict(sigma=0.4, eval="burst:20:5"),
        dict(slow=0.25, s=0.3, eval="every"),
        dict(lam=0.03, eval="every:2"),
        dict(lam=0.3, eval="log:40"),
        dict(n=60, eval="every"),
        dict(n=400, eval="every:2"),
        dict(opt="momentum", lr=0.05, eval="rand:80"),
        dict(opt="sgd", lr=0.3, batch=None, epochs=600, eval="every:4"),
        dict(opt="rmsprop", lr=0.003, eval="every"),
        dict(lr=0.03, eval="mixlog:30:40"),
    ], lambda d: "n%d-M%d-K0%d-sig%g%s-K%d-lam%g-%s-lr%g-b%s" % (
        d["n"], d["M"], d["K0"], d["sigma"], "-slow%g-s%g" % (d["slow"], d["s"]) if d.get("slow") else "", d["K"],
        d["lam"], d["opt"], d["lr"], d.get("batch") or "full"))


FAMILIES = {"denoise-ae-digits": runs_denoise_ae_digits, "lista-unrolled": runs_lista_unrolled,
            "dict-learn-sgd": runs_dict_learn_sgd}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
