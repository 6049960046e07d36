#!/usr/bin/python3
"""Independent PyTorch trainers judging DescentWatch's stopping advice (issue 21, hundred-eighteenth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is implicit neural representations and coordinate networks:
MLPs fitted to a signal or an image from its coordinates (random Fourier feature encodings with a frequency scale,
sine activations, plain ReLU on positional encodings or raw coordinates), from noisy or sparse samples, the test loss
on held-out coordinates; width, frequency scale and sample noise swept:

- gaussff-mosaic-mlp: an image regressed from its pixel coordinates, the image a 2 x 2 mosaic of scikit-learn's 8 x 8
  digits, each bilinearly upsampled to 24 x 24 (48 x 48 pixels, values over 16), a random quarter of its pixels the
  training samples (Gaussian pixel noise), the other pixels held out at their clean values; the coordinates through
  Tancik et al.'s (2020) Gaussian random Fourier features gamma(v) = [cos(2 pi v B), sin(2 pi v B)], B (2 x m)
  N(0, sigma^2) and fixed, then a ReLU MLP (or, depth 0, a linear readout; or no encoding, plain ReLU on the raw
  coordinates); the mean squared error, full-batch Adam (the readout of depth 0 by gradient descent from zero at the
  step lr / L); float32.
- sine-dj-huber: a sine-activation network (SIREN: sin(omega_0 (W z + b)) in every hidden layer, Sitzmann et al.'s
  initialisation) fitted to one of Donoho and Johnstone's test functions (doppler, heavisine, bumps, blocks,
  standardised) from n random sample positions on [0, 1] with Gaussian noise, and outliers (a share of the samples
  with a second, wider normal noise) in part of the grid; the Huber loss of width delta, Adam, RMSprop or momentum SGD
  on minibatches; the test loss the mean squared error against the clean function on a regular held-out grid;
  float64.
- posenc-occupancy-bce: a 2-D shape's occupancy (inside or outside) classified from the coordinates by a ReLU MLP on
  NeRF's positional encoding [z, sin(2^k pi z), cos(2^k pi z)], k < L (L = 0: plain ReLU on the raw coordinates);
  n coordinates drawn uniformly in [-1, 1]^2 with a share of their labels flipped, held-out coordinates at their true
  labels; shapes a star with fine lobes, concentric rings, and a glyph of scikit-learn's digits (its 8 x 8 image
  bilinearly interpolated, inside above half ink); the binary cross-entropy of the logit, AdamW (decoupled weight
  decay) or momentum SGD on minibatches; float32.

Train loss: the training objective (the mean squared error, the Huber loss, the binary cross-entropy) on the training
samples at their given (noisy) values or labels; test loss: the mean squared error against the clean signal at the
held-out coordinates (gaussff-mosaic-mlp, sine-dj-huber) or the binary cross-entropy of the true labels of held-out
coordinates (posenc-occupancy-bce, whose error rates are the misclassified shares). A run whose loss turns NaN or
infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, take from train_thirtyninth.py, count from train_fortyeighth.py,
mlp_params and mlp from train_sixtyfifth.py, logger and train_until (train_thirtyninth.py's epoch_loop, stopped by a
divergence) from train_seventyfourth.py; one thread, every random draw from a seeded torch.Generator (mosaics, sample
positions, noise, Fourier matrices, label flips, initialisations, minibatches), synthetic event times, 6 significant
digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_hundredeighteenth.py --family gaussff-mosaic-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): gaussff-mosaic-mlp, sine-dj-huber, posenc-occupancy-bce. Evaluation spacings: train.py's
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
import torch.nn.functional as fn  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtyninth import take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs, z @ W + b)
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- shared parts


def fourier_features(z, B):
    """Tancik et al.'s random Fourier features [cos(2 pi z B), sin(2 pi z B)] of coordinates z (rows)."""
    p = 2 * math.pi * (z @ B)
    return torch.cat([torch.cos(p), torch.sin(p)], 1)


def positional_encoding(z, L):
    """NeRF's encoding [z, sin(2^k pi z), cos(2^k pi z) for k < L] (L = 0: the raw coordinates)."""
    parts = [z]
    for k in range(L):
        parts += [torch.sin((2.0 ** k) * math.pi * z), torch.cos((2.0 ** k) * math.pi * z)]
    return torch.cat(parts, 1)


def make_opt(c, params, lr=None):
    lr = c["lr"] if lr is None else lr
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=lr)
    if c["opt"] == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=c.get("wd") or 0.0)
    if c["opt"] == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=0.99)
    if c["opt"] == "sgdm":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=c.get("wd") or 0.0)
    return torch.optim.SGD(params, lr=lr)  # 'gd'


# ------------------------------------------------------------------------------------------------ gaussff-mosaic-mlp


def mosaic_data(g, c):
    """(x, y, xt, yt): an R x R mosaic of scikit-learn's digits (distinct images drawn from g, pixels over 16, so in
    [0, 1], each bilinearly upsampled from 8 x 8 to 8up x 8up), (8 up R)^2 pixels at the coordinates of their centres
    in [0, 1]^2; n of them (a random choice) the training samples with Gaussian noise of sd 'noise', the others held
    out at their clean values. float32."""
    from sklearn.datasets import load_digits
    imgs = torch.tensor(load_digits().images / 16.0, dtype=F32)
    R, U = c["R"], c["up"]
    pick = torch.randperm(len(imgs), generator=g)[:R * R]
    s = 8 * U
    tiles = fn.interpolate(imgs[pick][:, None], size=(s, s), mode="bilinear", align_corners=False)[:, 0]
    img = tiles.reshape(R, R, s, s).permute(0, 2, 1, 3).reshape(R * s, R * s)
    side = R * s
    ax = (torch.arange(side, dtype=F32) + 0.5) / side
    coords = torch.stack(torch.meshgrid(ax, ax, indexing="ij"), -1).reshape(-1, 2)
    vals = img.reshape(-1)
    perm = torch.randperm(len(vals), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    noise = c.get("noise") or 0.0
    y = vals[tr] + noise * torch.randn(len(tr), generator=g, dtype=F32)
    return coords[tr], y, coords[te], vals[te]


def gaussff_mosaic_mlp(w, run_id, c):
    """A coordinate network on mosaic_data, float32. Encoding ('enc'): 'gauss' Tancik et al.'s random Fourier features
    of m frequencies, B (2 x m) N(0, sigma^2) from the run's generator, fixed (2m inputs); 'none' the raw coordinates
    (2 inputs, a plain ReLU MLP). Model: 'depth' hidden ReLU layers of width h and a linear readout, U(+-1 /
    sqrt(fan-in)) from the run's generator (mlp_params); depth 0 a linear readout of the encoding from zero. Loss: the
    mean squared error. Optimizer: full-batch Adam at lr ('adam'), or gradient descent at lr / L on half the mean
    squared error ('gd', depth 0 only; L the largest eigenvalue of the features' (with the bias column) second-moment
    matrix), one step an epoch. Train loss: the mean squared error on the noisy training pixels; test loss: the mean
    squared error against the clean held-out pixels. param_count: the trained weights (B is not trained)."""
    g = torch.Generator().manual_seed(1_181_000 + c["seed"])
    x, y, xt, yt = mosaic_data(g, c)
    n = len(x)
    if c["enc"] == "gauss":
        B = c["sigma"] * torch.randn(2, c["m"], generator=g, dtype=F32)
        phi, phit = fourier_features(x, B), fourier_features(xt, B)
    else:
        phi, phit = x, xt
    d = phi.shape[1]
    if c["depth"] == 0:
        params = [torch.zeros(d, 1, dtype=F32).requires_grad_(), torch.zeros(1, dtype=F32).requires_grad_()]
    else:
        params = mlp_params(g, [d] + [c["h"]] * c["depth"] + [1], F32)
    lr = c["lr"]
    if c["opt"] == "gd":
        pb = torch.cat([phi, torch.ones(n, 1, dtype=F32)], 1).double()
        lr = c["lr"] / float(torch.linalg.eigvalsh(pb.T @ pb / n)[-1]) / 2  # on the MSE, twice half the MSE
    opt = make_opt(c, params, lr)

    def predict(f):
        return mlp(params, f, torch.relu)[:, 0]

    def step(idx):
        opt.zero_grad()
        ((predict(take(phi, idx)) - take(y, idx)) ** 2).mean().backward()
        opt.step()

    run = w.run(run_id, count(params), n,
                {"family": "fourier-feature-mlp" if c["enc"] == "gauss" else "relu-mlp", "width": c.get("h") or 0,
                 "depth": c["depth"], "activation": "relu", "encoding": c["enc"], "inputs": d, "coordinates": 2},
                settings(c, ("seed", "R", "up", "n", "noise", "enc", "sigma", "m", "h", "depth", "opt", "lr", "eval"))
                | {"optimizer": c["opt"], "full_batch": "true", "loss": "mse", "test_loss": "heldout-pixels-clean-mse",
                   "data": "digits-mosaic", "test_size": str(len(xt))})
    log_ = logger(run)

    def log(e, final):
        log_(e, ((predict(phi) - y) ** 2).mean(), ((predict(phit) - yt) ** 2).mean(), final=final)

    train_until(g, n, c, step, log)


def runs_gaussff_mosaic_mlp():
    # The logic: a 48 x 48 image (2 x 2 digits, each bilinearly upsampled from 8 x 8 to 24 x 24, so that its strokes
    # are a few pixels wide), 576 of its 2,304 pixels sampled (a quarter) with Gaussian noise of sd 0.1 (the pixels' sd
    # is about 0.4); Gaussian Fourier features of 64 frequencies at the scale sigma 3 (cycles per unit: a digit spans
    # half the unit, its own 8 pixels resolve at most about 8 cycles a unit), a ReLU MLP 128 -> 64 -> 64 -> 1 (12,481
    # weights, about 22 a sample: it can interpolate the noisy samples), full-batch Adam at 1e-3 (Tancik et al.'s),
    # 1,500 epochs. The scale on both sides: 1 and 2 (smooth features, slow to fit the samples: spectral bias), 6, 12
    # and 32 (up to beyond the sampled image's Nyquist frequency, 24: the features fit every sample and alias between
    # them). The width: 8, 16, and 256 (500 epochs, for its time); and the plain ReLU MLP on the raw coordinates (no
    # encoding). The linear readout of the features alone (depth 0, gradient descent from zero at the step 1 / L,
    # 3,000 epochs), at sigma 8, where the probes showed the Fourier features of the 576 samples conditioned well
    # enough for gradient descent to reach the least-squares fit within the run (at sigma 3 it crawled): m 64, 144,
    # 288 (2m + 1 = 577 weights, the samples: the interpolation threshold), 576 and 1,152. The noise: none, 0.3; the
    # samples: 288 and 1,152. Evaluation spacing mixed.
    base = dict(R=2, up=3, n=576, noise=0.1, enc="gauss", sigma=3.0, m=64, h=64, depth=2, opt="adam", lr=1e-3,
                epochs=1500, eval="every:5")
    ro = dict(sigma=8.0, depth=0, h=None, opt="gd", lr=1.0, epochs=3000)
    return gaussff_mosaic_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(sigma=1.0, eval="log:30"),
        dict(sigma=2.0, eval="every:3"),
        dict(sigma=6.0, eval="jitter:30"),
        dict(sigma=12.0, eval="every:4"),
        dict(sigma=32.0, eval="rand:200"),
        dict(h=8, eval="every:5"),
        dict(h=16, eval="mixlog:50:30"),
        dict(h=256, epochs=500, eval="every:2"),
        dict(enc="none", sigma=None, m=None, eval="every:5"),
        dict(ro, m=64, eval="log:35"),
        dict(ro, m=144, eval="every:5"),
        dict(ro, m=288, eval="every:3"),
        dict(ro, m=576, eval="jitter:35"),
        dict(ro, m=1152, eval="every:4"),
        dict(noise=None, eval="every:5"),
        dict(noise=0.3, eval="log:30"),
        dict(n=288, eval="every:4"),
        dict(n=1152, eval="rand:250"),
    ], lambda d: "R%dx%d-n%d-noise%g-%s%s-%s-%s-lr%g" % (
        d["R"], d["up"], d["n"], d.get("noise") or 0, d["enc"],
        "-sigma%g-m%d" % (d["sigma"], d["m"]) if d["enc"] == "gauss" else "",
        "relu%dx%d" % (d["h"], d["depth"]) if d["depth"] else "readout", d["opt"], d["lr"]))


# ----------------------------------------------------------------------------------------------------- sine-dj-huber


DJ_T = [0.1, 0.13, 0.15, 0.23, 0.25, 0.40, 0.44, 0.65, 0.76, 0.78, 0.81]
DJ_BUMP_H = [4, 5, 3, 4, 5, 4.2, 2.1, 4.3, 3.1, 5.1, 4.2]
DJ_BUMP_W = [0.005, 0.005, 0.006, 0.01, 0.01, 0.03, 0.01, 0.01, 0.005, 0.008, 0.005]
DJ_BLOCK_H = [4, -5, 3, -4, 5, -4.2, 2.1, 4.3, -3.1, 2.1, -4.2]


def dj_function(name, t):
    """Donoho and Johnstone's (1994) test functions on [0, 1] (float64)."""
    if name == "doppler":
        return torch.sqrt(t * (1 - t)) * torch.sin(2 * math.pi * 1.05 / (t + 0.05))
    if name == "heavisine":
        return 4 * torch.sin(4 * math.pi * t) - torch.sign(t - 0.3) - torch.sign(0.72 - t)
    out = torch.zeros_like(t)
    for j, tj in enumerate(DJ_T):
        if name == "bumps":
            out = out + DJ_BUMP_H[j] * (1 + ((t - tj) / DJ_BUMP_W[j]).abs()) ** -4
        else:  # blocks
            out = out + DJ_BLOCK_H[j] * (1 + torch.sign(t - tj)) / 2
    return out


def dj_data(g, c):
    """(x, y, xt, ft) on z = 2t - 1 in [-1, 1]: the function 'fn' standardised (mean 0, sd 1 on a grid of 20,000
    points), n sample positions t uniform in [0, 1] from g, Gaussian noise of sd 'noise' on each sample, and a share
    'out' of the samples (drawn from g) with a second normal noise of sd 'out_sd' added; the clean function at 2,000
    held-out positions, the midpoints (k + 1/2) / 2,000. float64."""
    ref = dj_function(c["fn"], (torch.arange(20000, dtype=F64) + 0.5) / 20000)
    mu, sd = ref.mean(), ref.std()

    def f(t):
        return (dj_function(c["fn"], t) - mu) / sd

    t = torch.rand(c["n"], generator=g, dtype=F64)
    y = f(t) + (c.get("noise") or 0.0) * torch.randn(c["n"], generator=g, dtype=F64)
    if c.get("out"):
        hit = (torch.rand(c["n"], generator=g, dtype=F64) < c["out"]).to(F64)
        y = y + hit * c["out_sd"] * torch.randn(c["n"], generator=g, dtype=F64)
    tt = (torch.arange(2000, dtype=F64) + 0.5) / 2000
    return (2 * t - 1)[:, None], y, (2 * tt - 1)[:, None], f(tt)


def sine_dj_huber(w, run_id, c):
    """A SIREN 1 -> h -> ... -> h -> 1 ('depth' sine layers sin(omega_0 (W z + b)), a linear readout), float64:
    Sitzmann et al.'s initialisation, the first layer's weights U(+-1 / fan-in), the later ones' (the readout's too)
    U(+-sqrt(6 / fan-in) / omega_0), the biases U(+-1 / sqrt(fan-in)), all from the run's generator. Data: dj_data.
    Loss: the Huber loss of width delta (quadratic within delta of the target, linear beyond). Optimizer: 'adam',
    'rmsprop' (alpha 0.99) or 'sgdm' (momentum 0.9) at lr on minibatches of 'batch' (a permutation from the run's
    generator each epoch). Train loss: the Huber loss on the noisy samples; test loss: the mean squared error against
    the clean function at the 2,000 held-out positions."""
    g = torch.Generator().manual_seed(1_182_000 + c["seed"])
    x, y, xt, ft = dj_data(g, c)
    n, h, om = len(x), c["h"], c["omega"]
    dims = [1] + [h] * c["depth"] + [1]
    params = []
    for i, (a, b) in enumerate(zip(dims, dims[1:])):
        bound = 1.0 / a if i == 0 else math.sqrt(6.0 / a) / om
        params += [((2 * torch.rand(a, b, generator=g, dtype=F64) - 1) * bound).requires_grad_(),
                   ((2 * torch.rand(b, generator=g, dtype=F64) - 1) / math.sqrt(a)).requires_grad_()]
    opt = make_opt(c, params)

    def predict(z):
        for i in range(0, len(params) - 2, 2):
            z = torch.sin(om * (z @ params[i] + params[i + 1]))
        return (z @ params[-2] + params[-1])[:, 0]

    def huber(p, t):
        return fn.huber_loss(p, t, delta=c["delta"])

    def step(idx):
        opt.zero_grad()
        huber(predict(take(x, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n,
                {"family": "siren", "width": h, "sine_layers": c["depth"], "omega0": om, "coordinates": 1},
                settings(c, ("seed", "fn", "n", "noise", "out", "out_sd", "omega", "h", "depth", "delta", "opt", "lr",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "full_batch": "false", "loss": "huber", "test_loss": "heldout-grid-clean-mse",
                   "data": "donoho-johnstone-" + c["fn"], "test_size": str(len(xt))})
    log_ = logger(run)

    def log(e, final):
        log_(e, huber(predict(x), y), ((predict(xt) - ft) ** 2).mean(), final=final)

    train_until(g, n, c, step, log)


def runs_sine_dj_huber():
    # The logic: the doppler (its frequency rising without bound towards t = 0, so the samples resolve it only so far),
    # 256 random positions, Gaussian noise of sd 0.2 (a fifth of the function's sd); a SIREN of two sine layers of
    # width 64 (4,353 weights, seventeen a sample: it can pass through every noisy sample) at Sitzmann et al.'s omega_0
    # 30; the Huber loss at delta 0.5 (quadratic for the Gaussian noise, linear for outliers); Adam at 1e-4 on
    # minibatches of 32, 400 epochs (3,200 steps). The width on both sides of the samples: 8 (97 weights, too few to
    # interpolate), 16 (321, about the samples), 32 and 256. omega_0: 5 (too smooth for the high-frequency part), 15,
    # 60 and 120 (fast enough to fit every sample and rough in between). The noise: none, 0.5, and 0.1 plus a fifth of
    # the samples with outliers of sd 3. The samples: 64 and 1,024. The function: heavisine (jumps), bumps (narrow
    # spikes), blocks (a step function). The Huber width: 0.05 (near the absolute loss) and 10 (the half squared
    # error). The optimizer: RMSprop at 1e-4 and momentum SGD at 1e-3 (the probes' 1e-2 and 3e-2 did not train).
    # Evaluation spacing mixed.
    base = dict(fn="doppler", n=256, noise=0.2, out=None, out_sd=None, omega=30.0, h=64, depth=2, delta=0.5,
                opt="adam", lr=1e-4, batch=32, epochs=400, eval="every:2")
    return sine_dj_huber, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=8, eval="mixed:40:4"),
        dict(h=16, eval="geom:3"),
        dict(h=32, eval="every:2"),
        dict(h=256, eval="burst:25:5"),
        dict(omega=5.0, eval="every:3"),
        dict(omega=15.0, eval="mixlog:30:40"),
        dict(omega=60.0, eval="every:2"),
        dict(omega=120.0, eval="jitter:35"),
        dict(noise=None, eval="every:4"),
        dict(noise=0.5, eval="geom:2"),
        dict(noise=0.1, out=0.2, out_sd=3.0, eval="mixed:30:3"),
        dict(n=64, eval="every:2"),
        dict(n=1024, epochs=150, eval="every"),
        dict(fn="heavisine", eval="burst:20:4"),
        dict(fn="bumps", eval="every:3"),
        dict(fn="blocks", eval="log:40"),
        dict(delta=0.05, eval="every:2"),
        dict(delta=10.0, eval="rand:150"),
        dict(opt="rmsprop", lr=1e-4, eval="every:2"),
        dict(opt="sgdm", lr=1e-3, eval="mixed:50:5"),
    ], lambda d: "%s-n%d-noise%g%s-omega%g-sine%dx%d-huber%g-%s-lr%g-b%d" % (
        d["fn"], d["n"], d.get("noise") or 0, "-out%g-sd%g" % (d["out"], d["out_sd"]) if d.get("out") else "",
        d["omega"], d["h"], d["depth"], d["delta"], d["opt"], d["lr"], d["batch"]))


# ---------------------------------------------------------------------------------------------- posenc-occupancy-bce


def occupancy(c, z, g):
    """Inside (1) or outside (0) of the shape 'shape' at coordinates z in [-1, 1]^2: 'star' the radius 0.55 + 0.15
    cos(5 theta + p1) + 0.04 cos(17 theta + p2) (phases from g); 'rings' the annuli where cos(2 pi 'freq' r) > 0 for r
    below 0.9; 'digit' one of scikit-learn's digits (drawn from g, pixels over 16) bilinearly interpolated on the square
    (pixel centres at -7/8, -5/8, ..., 7/8), inside where the ink is above one half."""
    if c["shape"] == "star":
        p = 2 * math.pi * torch.rand(2, generator=g, dtype=F64)
        r, th = z.double().norm(dim=1), torch.atan2(z[:, 1].double(), z[:, 0].double())
        return (r < 0.55 + 0.15 * torch.cos(5 * th + p[0]) + 0.04 * torch.cos(17 * th + p[1])).to(F32)
    if c["shape"] == "rings":
        r = z.double().norm(dim=1)
        return ((torch.cos(2 * math.pi * c["freq"] * r) > 0) & (r < 0.9)).to(F32)
    from sklearn.datasets import load_digits
    imgs = torch.tensor(load_digits().images / 16.0, dtype=F64)
    img = imgs[int(torch.randint(len(imgs), (1,), generator=g))]
    pad = fn.pad(img, (1, 1, 1, 1))  # blank beyond the glyph's border
    u = (z.double() + 1) * 4 - 0.5 + 1  # rows and columns in the padded image
    i0, j0 = u[:, 1].floor().clamp(0, 8).long(), u[:, 0].floor().clamp(0, 8).long()
    a, b = u[:, 1] - i0, u[:, 0] - j0
    v = (pad[i0, j0] * (1 - a) * (1 - b) + pad[i0 + 1, j0] * a * (1 - b) + pad[i0, j0 + 1] * (1 - a) * b
         + pad[i0 + 1, j0 + 1] * a * b)
    return (v > 0.5).to(F32)


def occupancy_data(g, c):
    """(x, y, xt, yt): n training and 4,000 held-out coordinates uniform in [-1, 1]^2 (from g), their occupancy, a
    share 'flip' of the training labels flipped (from g). The shape's own draws (phases, the digit) come first."""
    g_shape = torch.Generator().manual_seed(int(torch.randint(2 ** 31 - 1, (1,), generator=g)))
    x = 2 * torch.rand(c["n"], 2, generator=g, dtype=F32) - 1
    xt = 2 * torch.rand(4000, 2, generator=g, dtype=F32) - 1
    both = occupancy(c, torch.cat([x, xt]), g_shape)
    y, yt = both[:c["n"]], both[c["n"]:]
    if c.get("flip"):
        hit = torch.rand(c["n"], generator=g) < c["flip"]
        y = torch.where(hit, 1 - y, y)
    return x, y, xt, yt


def posenc_occupancy_bce(w, run_id, c):
    """A ReLU MLP (2 + 4L) -> h (x 'depth') -> 1 on positional_encoding(z, L), U(+-1 / sqrt(fan-in)) from the run's
    generator (mlp_params), float32; the logit of inside. Data: occupancy_data. Loss: the binary cross-entropy of the
    logit. Optimizer: 'adamw' (AdamW at lr, decoupled weight decay wd) or 'sgdm' (momentum 0.9, L2 weight decay wd) on
    minibatches of 'batch'. Train loss: the cross-entropy on the training coordinates at their given (flipped) labels;
    test loss: the same on the 4,000 held-out coordinates at their true labels; error rates: the misclassified
    shares."""
    g = torch.Generator().manual_seed(1_183_000 + c["seed"])
    x, y, xt, yt = occupancy_data(g, c)
    n, L = len(x), c["L"]
    phi, phit = positional_encoding(x, L), positional_encoding(xt, L)
    d = phi.shape[1]
    params = mlp_params(g, [d] + [c["h"]] * c["depth"] + [1], F32)
    opt = make_opt(c, params)

    def logit(f):
        return mlp(params, f, torch.relu)[:, 0]

    def bce(o, t):
        return fn.binary_cross_entropy_with_logits(o, t)

    def step(idx):
        opt.zero_grad()
        bce(logit(take(phi, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n,
                {"family": "relu-mlp", "width": c["h"], "depth": c["depth"], "activation": "relu",
                 "encoding": "positional" if L else "none", "octaves": L, "inputs": d, "coordinates": 2},
                settings(c, ("seed", "shape", "freq", "n", "flip", "L", "h", "depth", "opt", "lr", "wd", "batch",
                             "eval"))
                | {"optimizer": c["opt"], "full_batch": "false", "loss": "bce", "test_loss": "heldout-bce-true-labels",
                   "error": "misclassified", "data": "occupancy-" + c["shape"], "test_size": str(len(xt))})
    log_ = logger(run)

    def log(e, final):
        o, ot = logit(phi), logit(phit)
        log_(e, bce(o, y), bce(ot, yt), ((o > 0).to(F32) != y).to(F32).mean(), ((ot > 0).to(F32) != yt).to(F32).mean(),
             final=final)

    train_until(g, n, c, step, log)


def runs_posenc_occupancy_bce():
    # The logic: the star (five broad lobes with seventeen fine ones on its rim), 1,000 coordinates with 15% of their
    # labels flipped; NeRF's encoding with L 6 octaves (up to 32 pi: fine enough for the fine lobes, and for single
    # flipped points), a ReLU MLP 26 -> 64 -> 64 -> 64 -> 1 (10,113 weights, ten a sample: it can memorise the flips),
    # AdamW at 1e-3 without weight decay on minibatches of 50, 100 epochs (2,000 steps). The octaves on both sides: 0
    # (plain ReLU on the raw coordinates, smooth), 2, 4, 8 and 10. The width on both sides of the samples: 4 (153
    # weights), 8 (369), 16 (993, about the samples) and 256. The flips: none, 5%, 30%. The samples: 300, 3,000. The
    # weight decay (decoupled) 0.1 and 1. Momentum SGD at 0.05. The rings (frequency 3) and a digit's glyph. Evaluation
    # spacing mixed; the runs 40 to 150 epochs.
    base = dict(shape="star", freq=None, n=1000, flip=0.15, L=6, h=64, depth=3, opt="adamw", lr=1e-3, wd=None,
                batch=50, epochs=100, eval="every")
    return posenc_occupancy_bce, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(L=0, eval="every:2"),
        dict(L=2, eval="mixlog:20:30"),
        dict(L=4, eval="every"),
        dict(L=8, eval="jitter:40"),
        dict(L=10, eval="every"),
        dict(h=4, eval="every:2"),
        dict(h=8, eval="rand:60"),
        dict(h=16, eval="every"),
        dict(h=256, epochs=60, eval="every"),
        dict(flip=None, eval="log:40"),
        dict(flip=0.05, eval="every"),
        dict(flip=0.3, eval="burst:10:4"),
        dict(n=300, epochs=150, eval="every:2"),
        dict(n=3000, epochs=40, eval="every"),
        dict(wd=0.1, eval="every"),
        dict(wd=1.0, eval="mixed:30:3"),
        dict(opt="sgdm", lr=0.05, eval="every"),
        dict(shape="rings", freq=3.0, eval="geom:2"),
        dict(shape="digit", eval="every"),
    ], lambda d: "%s%s-n%d-flip%g-pe%d-relu%dx%d-%s-lr%g%s-b%d" % (
        d["shape"], "%g" % d["freq"] if d.get("freq") else "", d["n"], d.get("flip") or 0, d["L"], d["h"], d["depth"],
        d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "", d["batch"]))


FAMILIES = {"gaussff-mosaic-mlp": runs_gaussff_mosaic_mlp, "sine-dj-huber": runs_sine_dj_huber,
            "posenc-occupancy-bce": runs_posenc_occupancy_bce}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
