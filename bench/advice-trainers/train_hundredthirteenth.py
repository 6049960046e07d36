#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-thirteenth held-out
round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/ or /work/shared, and no git log, git show or git diff of main; no
stopping benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its
own logic and committed before any of its runs was trained, revised at most once (README.md says where and why), and
the runs were sorted by census.py alone). The theme of the round is complex-valued and hypercomplex networks: every
complex or quaternion number is held as its real components, every layer is written out by hand in them, the losses
are real (the cross-entropy or the squared error on real outputs) and the optimizers are plain gradient methods on
the real and imaginary parts (gradient descent, minibatch SGD, heavy-ball or Nesterov momentum, weight decay):

- cvnn-dft-digits: a complex-valued MLP on the two-dimensional discrete Fourier transform of scikit-learn's 8 x 8
  digits (the 40 complex coefficients of the real FFT of each image, or of each of its rows), one or two complex
  hidden layers z W + b with a complex activation (modReLU, the split CReLU or the cardioid), a complex output layer
  to 10 and logits the real parts (or the moduli) of the 10 outputs; the cross-entropy, flipped training labels;
  minibatch SGD with momentum, Nesterov or plain, on the real and imaginary parts; float32.
- quat-hamilton-mlp: a quaternion MLP (Parcollet et al. 2019): every layer a Hamilton product of quaternion weights
  with the quaternion inputs (4 real parameters a quaternion weight where a real layer of the same real shape has
  16), split tanh or split ReLU; scikit-learn's diabetes (10 standardised columns in 3 quaternions, the progression
  the real part of the output quaternion, the squared error, Gaussian target noise), breast cancer and wine (the
  cross-entropy on the first K components of the output quaternion, flipped labels); full-batch gradient descent,
  heavy-ball momentum or minibatch SGD, weight decay in part of the grid; float64.
- urnn-expm-seq: a unitary recurrent network: a complex hidden state h_t = modReLU(h_{t-1} Q + x_t V), Q = exp(S -
  S^H) unitary (the exponential map of a skew-Hermitian matrix, Lezcano-Casado & Martinez-Rubio 2019, the free
  complex S trained), from a diagonal of random phases (Arjovsky, Shah & Bengio 2016); or its real orthogonal
  counterpart (Q = exp(S - S^T)); a real linear readout of the last state's real and imaginary parts and moduli.
  Synthetic sequences: which of four frequencies a noisy sinusoid carries (the cross-entropy, flipped training
  labels), or the adding problem (the squared error, Gaussian target noise); SGD with momentum, plain SGD or
  full-batch gradient descent; float32.

Train loss: the loss on the training rows at their given (noisy) targets; test loss: the same loss on held-out rows
(2,000 fresh sequences for urnn-expm-seq) at their true targets; error rates (classification): the misclassified
shares. A run whose loss turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's
logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, real_classes from train_thirtysixth.py, take and flip_labels
from train_thirtyninth.py, logger and train_until from train_seventyfourth.py and regression_data (the diabetes,
split and standardised, Gaussian target noise) from train_seventysixth.py; one thread, every random draw from a seeded
torch.Generator (splits, flips, target noise, sequences, initialisations, minibatches), synthetic event times, 6
significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_hundredthirteenth.py --family cvnn-dft-digits [--list] [--runs 0,3] [--out FILE]

Families (see README.md): cvnn-dft-digits, quat-hamilton-mlp, urnn-expm-seq. Evaluation spacings: train.py's 'every',
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
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtysixth import real_classes  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import regression_data  # noqa: E402  (the diabetes, standardised; target noise)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- shared parts


def gauss(g, sd, *shape, dtype=F32):
    """N(0, sd^2) from g (drawn in float64, so that the draw does not depend on the dtype), as a trainable leaf."""
    return (torch.randn(*shape, generator=g, dtype=F64) * sd).to(dtype).requires_grad_()


def zeros(*shape, dtype=F32):
    return torch.zeros(*shape, dtype=dtype).requires_grad_()


def plain_opt(c, params):
    """A plain gradient method on the real components: 'sgd' (no momentum), 'sgdm' heavy ball 0.9, 'nesterov' (0.9),
    'gd' (full batch, no momentum) or 'hb' (full batch, heavy ball 'mom'); weight decay 'wd' on every parameter."""
    mom = {"sgd": 0.0, "gd": 0.0, "sgdm": 0.9, "nesterov": 0.9}.get(c["opt"], c.get("mom") or 0.0)
    return torch.optim.SGD(params, lr=c["lr"], momentum=mom, nesterov=c["opt"] == "nesterov",
                           weight_decay=c.get("wd") or 0.0)


def complex_block(wr, wi):
    """The real (2a x 2b) matrix of right multiplication by the complex a x b matrix wr + i wi on the layout [re, im]:
    [zr, zi] @ [[wr, wi], [-wi, wr]] = [zr wr - zi wi, zr wi + zi wr]."""
    return torch.cat([torch.cat([wr, wi], 1), torch.cat([-wi, wr], 1)], 0)


def cplx_act(kind, z, m, b=None):
    """A complex activation on the layout [re (m), im (m)]: 'modrelu' z / |z| relu(|z| + b) (b a real bias per unit),
    'crelu' relu(re) + i relu(im), 'cardioid' (1 + cos arg z) z / 2."""
    zr, zi = z[:, :m], z[:, m:]
    if kind == "crelu":
        return torch.relu(z)
    mod = torch.sqrt(zr * zr + zi * zi + 1e-8)
    if kind == "modrelu":
        s = torch.relu(mod + b) / mod
    else:
        s = 0.5 * (1 + zr / mod)
    return torch.cat([zr * s, zi * s], 1)


def class_loss(K, out, t):
    """The cross-entropy (K classes) or the mean squared error (K None, one output)."""
    if K is None:
        return ((out[:, 0] - t) ** 2).mean()
    return fn.cross_entropy(out, t)


def errors(K, out, t):
    return None if K is None else (out.argmax(1) != t).to(out.dtype).mean()


def data_tags(K, m_test):
    return {"test_loss": "heldout-mse" if K is None else "heldout-ce-true-labels",
            "loss": "mse" if K is None else "cross-entropy", "test_size": str(m_test)} \
        | ({} if K is None else {"error": "misclassified"})


# ---------------------------------------------------------------------------------------------------- cvnn-dft-digits


def dft_digits(g, c):
    """scikit-learn's 1,797 digits split at random (g) into n training images and the rest, a share 'flip' of the
    training labels flipped (g). Features ('feat'): 'fft2' the real 2-D FFT of the 8 x 8 image (pixels / 16; 8 x 5 =
    40 complex coefficients), 'rowfft' the real 1-D FFT of each row (8 x 5 = 40); each coefficient centred on its
    training mean and divided by its training root-mean-square modulus (so E|z|^2 = 1, the phases kept). Returns the
    layout [re (40), im (40)] in float32."""
    from sklearn.datasets import load_digits
    xs, ys = load_digits(return_X_y=True)
    img = torch.tensor(xs, dtype=F64).view(-1, 8, 8) / 16.0
    Y = torch.tensor(ys)
    perm = torch.randperm(len(img), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    z = (torch.fft.rfft2(img) if c["feat"] == "fft2" else torch.fft.rfft(img, dim=2)).reshape(len(img), -1)
    z = z - z[tr].mean(0)
    z = z / torch.sqrt((z[tr].abs() ** 2).mean(0)).clamp_min(1e-9)
    X = torch.cat([z.real, z.imag], 1).to(F32)
    y = flip_labels(g, Y[tr], 10, c.get("flip"))
    return X[tr], y, X[te], Y[te]


def cvnn_dft_digits(w, run_id, c):
    """A complex MLP 40 -> hid (-> hid) -> 10 on dft_digits, float32. Complex weights with real and imaginary parts
    N(0, 1 / (2 fan-in)) each (E|w|^2 = 1 / fan-in), complex biases from zero, modReLU biases from zero (minus 'mb0'
    where set); activation 'act' (cplx_act); logits 'head': 'real' the real parts of the 10 complex outputs, 'modulus'
    their moduli. Loss: the cross-entropy. Optimizer: plain_opt on the real and imaginary parts, minibatches of
    'batch'."""
    g = torch.Generator().manual_seed(1_131_000 + c["seed"])
    x, y, xt, yt = dft_digits(g, c)
    n, h = len(x), c["hid"]
    sizes = [40] + [h] * c.get("depth", 1) + [10]
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        sd = 1 / math.sqrt(2 * a)
        layers.append((gauss(g, sd, a, b), gauss(g, sd, a, b), zeros(2 * b)))
    mbias = [zeros(h) for _ in sizes[1:-1]] if c["act"] == "modrelu" else []
    with torch.no_grad():
        for mb in mbias:
            mb -= c.get("mb0") or 0.0
    params = [q for layer in layers for q in layer] + mbias
    opt = plain_opt(c, params)

    def forward(z):
        for i, (wr, wi, b) in enumerate(layers):
            z = z @ complex_block(wr, wi) + b
            if i + 1 < len(layers):
                z = cplx_act(c["act"], z, wr.shape[1], mbias[i] if mbias else None)
        if c["head"] == "real":
            return z[:, :10]
        return torch.sqrt(z[:, :10] ** 2 + z[:, 10:] ** 2 + 1e-8)

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(take(x, idx)), take(y, idx)).backward()
        opt.step()

    pc = sum(q.numel() for q in params)
    run = w.run(run_id, pc, n, {"family": "complex-mlp", "width": h, "depth": c.get("depth", 1),
                                "activation": c["act"], "inputs": "40 complex", "head": c["head"]},
                settings(c, ("seed", "feat", "n", "flip", "hid", "depth", "act", "mb0", "head", "opt", "lr", "wd",
                             "batch", "eval"))
                | {"optimizer": c["opt"] + "-on-real-and-imaginary-parts", "full_batch": "false"}
                | data_tags(10, len(xt)), output_dim=10)
    log_ = logger(run)

    def log(e, final):
        o, ot = forward(x), forward(xt)
        log_(e, fn.cross_entropy(o, y), fn.cross_entropy(ot, yt), errors(10, o, y), errors(10, ot, yt), final=final)

    train_until(g, n, c, step, log)


def runs_cvnn_dft_digits():
    # The logic: 300 training digits (the other 1,497 held out), 20% of their labels flipped, as the 40 complex
    # coefficients of the real 2-D FFT; a complex MLP 40 -> 64 -> 10 with modReLU (2 x (40 x 64 + 64 + 64 x 10 + 10)
    # + 64 = 6,612 real parameters, about 22 a training digit, so it can learn the flipped labels by heart) under
    # minibatch SGD with momentum 0.9 at 0.02, batches of 30, 150 epochs. The width on both sides of where it can just
    # fit the 300 noisy labels (about 300 x 9 logit constraints against 102 real parameters a hidden unit: 20-30
    # units): 4, 8, 16, 32, 128 and 512; no flips and 40% flips; 150 and 800 training digits (300 and 60 epochs, about
    # the base's 1,500 minibatch steps); the split CReLU and the
    # cardioid; the moduli as the logits; two hidden layers; the row-wise FFT; plain SGD at 0.1, Nesterov; weight decay
    # 1e-3 and 1e-2. Evaluation spacing mixed.
    base = dict(feat="fft2", n=300, flip=0.2, hid=64, depth=1, act="modrelu", mb0=None, head="real", opt="sgdm",
                lr=0.02, wd=None, batch=30, epochs=150, eval="every")
    return cvnn_dft_digits, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hid=4, eval="every:2"),
        dict(hid=8, eval="log:40"),
        dict(hid=16, eval="every"),
        dict(hid=32, eval="jitter:40"),
        dict(hid=128, eval="every:2"),
        dict(hid=512, eval="every:3"),
        dict(flip=None, eval="every"),
        dict(flip=0.4, eval="burst:20:6"),
        dict(n=150, epochs=300, eval="every"),
        dict(n=800, epochs=60, eval="every:2"),
        dict(act="crelu", eval="geom:2"),
        dict(act="cardioid", eval="every"),
        dict(head="modulus", eval="mixed:30:3"),
        dict(depth=2, eval="every:2"),
        dict(feat="rowfft", eval="every"),
        dict(opt="sgd", lr=0.1, eval="mixlog:25:40"),
        dict(opt="nesterov", eval="every"),
        dict(wd=1e-3, eval="rand:80"),
        dict(wd=1e-2, eval="every:2"),
    ], lambda d: "%s-n%d%s-c%dx%d-%s%s-%s-%s-lr%g%s-b%d" % (
        d["feat"], d["n"], "-flip%g" % d["flip"] if d.get("flip") else "", d["hid"], d["depth"], d["act"],
        "-mb%g" % d["mb0"] if d.get("mb0") else "", d["head"], d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else "", d["batch"]))


# -------------------------------------------------------------------------------------------------- quat-hamilton-mlp


def hamilton_block(r, i, j, k):
    """The real (4a x 4b) matrix of a quaternion layer (a x b quaternion weights w = r + i i + j j + k k) on the layout
    [r-parts (a), i-parts (a), j-parts (a), k-parts (a)]: out_u = sum_v x_v w_vu, the Hamilton product of the input
    quaternion x_v with the weight on its right, (x w) = (xr wr - xi wi - xj wj - xk wk) + (xr wi + xi wr + xj wk -
    xk wj) i + (xr wj - xi wk + xj wr + xk wi) j + (xr wk + xi wj - xj wi + xk wr) k."""
    return torch.cat([torch.cat([r, i, j, k], 1),
                      torch.cat([-i, r, -k, j], 1),
                      torch.cat([-j, k, r, -i], 1),
                      torch.cat([-k, -j, i, r], 1)], 0)


def quat_data(g, c):
    """(x, y, xt, yt, K) with x in the quaternion layout [r, i, j, k] of q = ceil(columns / 4) quaternions (the
    standardised columns in order, the last quaternion's missing components 0): 'diabetes' regression_data (K None;
    Gaussian noise of sd 'sd' on the training targets), 'cancer' or 'wine' real_classes (a share 'flip' of the
    training labels flipped); all from g, float64."""
    if c["data"] == "diabetes":
        x, y, xt, yt = regression_data(g, dict(c, sd=c.get("sd")))
        K = None
    else:
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], 1.0, F64)
        y = flip_labels(g, y, K, c.get("flip"))
    d = x.shape[1]
    q = -(-d // 4)

    def lay(z):
        z = torch.cat([z, torch.zeros(len(z), 4 * q - d, dtype=F64)], 1)
        return z.view(len(z), q, 4).transpose(1, 2).reshape(len(z), 4 * q)  # quaternion v = columns 4v..4v+3
    return lay(x), y, lay(xt), yt, K, q


def quat_hamilton_mlp(w, run_id, c):
    """A quaternion MLP q -> hid (-> hid) -> 1 quaternions on quat_data, float64. Every layer hamilton_block of
    quaternion weights whose four components are N(0, 1 / (4 fan-in)) (fan-in in quaternions; the real fan-in is 4
    fan-in), plus a quaternion bias from zero; activation 'act' split (component-wise) tanh or ReLU. Output: the real
    part of the output quaternion (the diabetes) or its first K components as logits. Loss: the squared error or the
    cross-entropy. Optimizer: plain_opt on the components; full batch unless 'batch'; 'spe' full-batch steps an
    epoch."""
    g = torch.Generator().manual_seed(1_132_000 + c["seed"])
    x, y, xt, yt, K, q = quat_data(g, c)
    n, h = len(x), c["hid"]
    sizes = [q] + [h] * c.get("depth", 1) + [1]
    layers = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        layers.append(tuple(gauss(g, 1 / math.sqrt(4 * a), a, b, dtype=F64) for _ in range(4))
                      + (zeros(4 * b, dtype=F64),))
    params = [p for layer in layers for p in layer]
    opt = plain_opt(c, params)
    act = torch.tanh if c["act"] == "tanh" else torch.relu

    def forward(z):
        for li, (r, i, j, k, b) in enumerate(layers):
            z = z @ hamilton_block(r, i, j, k) + b
            if li + 1 < len(layers):
                z = act(z)
        return z[:, :1] if K is None else z[:, :K]

    def step(idx):
        for _ in range(1 if idx is not None else (c.get("spe") or 1)):
            opt.zero_grad()
            class_loss(K, forward(take(x, idx)), take(y, idx)).backward()
            opt.step()

    k_out = 1 if K is None else K
    run = w.run(run_id, sum(p.numel() for p in params), n,
                {"family": "quaternion-mlp", "width": h, "depth": c.get("depth", 1), "activation": "split-" + c["act"],
                 "inputs": "%d quaternions" % q},
                settings(c, ("seed", "data", "n", "sd", "flip", "hid", "depth", "act", "opt", "lr", "mom", "wd", "spe",
                             "batch", "eval"))
                | {"optimizer": c["opt"] + "-on-quaternion-components",
                   "full_batch": "false" if c.get("batch") else "true"} | data_tags(K, len(xt)), output_dim=k_out)
    log_ = logger(run)

    def log(e, final):
        o, ot = forward(x), forward(xt)
        log_(e, class_loss(K, o, y), class_loss(K, ot, yt), errors(K, o, y), errors(K, ot, yt), final=final)

    train_until(g, n, c, step, log)


def runs_quat_hamilton_mlp():
    # The logic: 100 diabetes patients (10 standardised columns in 3 quaternions, the other 342 held out), Gaussian
    # noise of sd 0.5 on their standardised progression; a quaternion MLP 3 -> 16 -> 1 with split tanh (4 x (3 x 16
    # + 16) + 4 x (16 + 1) = 324 real parameters, more than three a patient, so it can chase the noise) under
    # full-batch gradient descent at 0.02 (probes on seed 97: 0.05 is at the edge of stability at width 64 and
    # diverges at 256), 3,000 epochs. The width on both sides of where it can just fit 100 targets (20 real
    # parameters a hidden quaternion: 5 units): 1, 2, 4, 8, 64 and 256 (the latter at the step 0.005, where full-batch
    # descent is stable at that width); target noise none and sd 1; 50 and 250 patients; split ReLU; two hidden
    # layers; heavy-ball momentum 0.9 (1,000 epochs); minibatch SGD (batches of 10, 300 epochs); weight decay 1e-3
    # and 1e-2; and the cross-entropy on the breast cancer (150 patients, 30
    # columns in 8 quaternions, 20% flipped; 2 logits) and the wine (60 wines, 13 columns in 4 quaternions, 20%
    # flipped; 3 logits). Evaluation spacing mixed.
    base = dict(data="diabetes", n=100, sd=0.5, flip=None, hid=16, depth=1, act="tanh", opt="gd", lr=0.02, mom=None,
                wd=None, spe=None, batch=None, epochs=3000, eval="every:4")
    return quat_hamilton_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hid=1, eval="log:40"),
        dict(hid=2, eval="every:5"),
        dict(hid=4, eval="jitter:50"),
        dict(hid=8, eval="every:4"),
        dict(hid=64, eval="every:8"),
        dict(hid=256, lr=0.005, eval="mixlog:40:50"),
        dict(sd=None, eval="every:4"),
        dict(sd=1.0, eval="geom:6"),
        dict(n=50, eval="every:4"),
        dict(n=250, eval="every:10"),
        dict(act="relu", eval="every:4"),
        dict(depth=2, eval="burst:100:10"),
        dict(opt="hb", mom=0.9, epochs=1000, eval="every:2"),
        dict(opt="sgd", batch=10, epochs=300, eval="every"),
        dict(wd=1e-3, eval="rand:300"),
        dict(wd=1e-2, eval="every:4"),
        dict(data="cancer", n=150, sd=None, flip=0.2, eval="mixed:100:5"),
        dict(data="wine", n=60, sd=None, flip=0.2, eval="every:4"),
    ], lambda d: "%s-n%d%s%s-q%dx%d-%s-%s-lr%g%s%s%s" % (
        d["data"], d["n"], "-sd%g" % d["sd"] if d.get("sd") else "", "-flip%g" % d["flip"] if d.get("flip") else "",
        d["hid"], d["depth"], d["act"], d["opt"], d["lr"], "-mom%g" % d["mom"] if d.get("mom") else "",
        "-wd%g" % d["wd"] if d.get("wd") else "", "-b%d" % d["batch"] if d.get("batch") else "-full"))


# ------------------------------------------------------------------------------------------------------ urnn-expm-seq


def sequences(g, c, m):
    """m synthetic sequences of length T (float32) and their clean targets, from g. 'freq': a sinusoid of amplitude
    U(0.5, 1.5), a random phase and one of 4 frequencies (2, 3, 4 or 5 cycles over the T steps; the class), plus
    N(0, 'noise'^2) at every step; one input channel. 'adding': two channels, values U(0, 1) and a marker on one step
    of each half; the target the sum of the two marked values minus 1, times sqrt(6) (unit variance)."""
    T = c["T"]
    t = torch.arange(T, dtype=F64)
    if c["task"] == "freq":
        cls = torch.randint(0, 4, (m,), generator=g)
        amp = 0.5 + torch.rand(m, 1, generator=g, dtype=F64)
        ph = 2 * math.pi * torch.rand(m, 1, generator=g, dtype=F64)
        s = amp * torch.sin(2 * math.pi * (cls[:, None] + 2).to(F64) * t / T + ph)
        s = s + c["noise"] * torch.randn(m, T, generator=g, dtype=F64)
        return s[:, :, None].to(F32), cls
    v = torch.rand(m, T, generator=g, dtype=F64)
    a = torch.randint(0, T // 2, (m,), generator=g)
    b = torch.randint(T // 2, T, (m,), generator=g)
    mark = torch.zeros(m, T, dtype=F64)
    mark[torch.arange(m), a] = 1.0
    mark[torch.arange(m), b] = 1.0
    y = ((v * mark).sum(1) - 1.0) * math.sqrt(6.0)
    return torch.stack([v, mark], 2).to(F32), y.to(F32)


def urnn_expm_seq(w, run_id, c):
    """A unitary (or orthogonal) recurrent network on sequences, float32. 'cell' 'unitary': a complex state of m
    units, h_0 = 0, h_t = modReLU(h_{t-1} Q + x_t V) (V d x m complex, real and imaginary parts N(0, 1 / (2 d T)), so
    that the last state's units are of order one; a
    real modReLU bias per unit from zero), Q = exp(S - S^H) (torch.matrix_exp of its real 2m x 2m block form), S
    from i diag(theta / 2), theta U(-pi, pi), so that Q starts as the diagonal of phases exp(i theta); 'orthogonal':
    a real state of m units, h_t = modReLU_real(h_{t-1} Q + x_t V) (sign(z) relu(|z| + b), V N(0, 1 / (d T))), Q =
    exp(S - S^T), S from 2 x 2 blocks of angles theta / 2 (Q rotations by theta). Readout: a real linear map of the
    last state's real (and imaginary) parts and its units' moduli (phase-free features: a sinusoid's random phase
    turns the real and imaginary parts but not the moduli), weights N(0, 1 / features), bias from zero, to 4 logits
    or one output. Loss: the cross-entropy
    ('freq', flipped training labels) or the squared error ('adding', Gaussian target noise sd). Optimizer: plain_opt
    on S's real and imaginary parts and the other weights; minibatches of 'batch' or the full batch."""
    g = torch.Generator().manual_seed(1_133_000 + c["seed"])
    x, y = sequences(g, c, c["n"])
    xt, yt = sequences(g, c, 2000)
    K = 4 if c["task"] == "freq" else None
    if K:
        y = flip_labels(g, y, K, c.get("flip"))
    elif c.get("sd"):
        y = y + c["sd"] * torch.randn(len(y), generator=g, dtype=F64).to(F32)
    n, m, d, T = c["n"], c["hid"], x.shape[2], c["T"]
    cplx = c["cell"] == "unitary"
    wdt = 2 * m if cplx else m
    theta = (2 * torch.rand(m if cplx else m // 2, generator=g, dtype=F64) - 1) * math.pi
    if cplx:
        Sr = zeros(m, m)
        Si = torch.diag(theta / 2).to(F32).requires_grad_()
        rec = [Sr, Si]
    else:
        S0 = torch.zeros(m, m, dtype=F64)
        ar = torch.arange(m // 2)
        S0[2 * ar, 2 * ar + 1] = theta / 2
        S0[2 * ar + 1, 2 * ar] = -theta / 2
        rec = [S0.to(F32).requires_grad_()]
    V = gauss(g, 1 / math.sqrt((2 * d if cplx else d) * T), d, wdt)
    mb = zeros(m)
    k_out, nf = K or 1, wdt + m
    Wo, bo = gauss(g, 1 / math.sqrt(nf), nf, k_out), zeros(k_out)
    params = rec + [V, mb, Wo, bo]
    opt = plain_opt(c, params)

    def Q():
        if cplx:
            Br, Bi = rec[0] - rec[0].T, rec[1] + rec[1].T  # S - S^H = (Sr - Sr^T) + i (Si + Si^T)
            return torch.matrix_exp(complex_block(Br, Bi))
        return torch.matrix_exp(rec[0] - rec[0].T)

    def forward(z):
        U = Q()
        inp = z @ V  # (batch, T, width)
        h = torch.zeros(len(z), wdt, dtype=F32)
        for s in range(T):
            a = h @ U + inp[:, s]
            if cplx:
                h = cplx_act("modrelu", a, m, mb)
            else:
                h = torch.sign(a) * torch.relu(a.abs() + mb)
        mod = torch.sqrt(h[:, :m] ** 2 + h[:, m:] ** 2 + 1e-8) if cplx else h.abs()
        return torch.cat([h, mod], 1) @ Wo + bo

    def step(idx):
        opt.zero_grad()
        class_loss(K, forward(take(x, idx)), take(y, idx)).backward()
        opt.step()

    pc = sum(p.numel() for p in params)
    run = w.run(run_id, pc, n, {"family": "unitary-rnn" if cplx else "orthogonal-rnn", "width": m, "length": T,
                                "recurrent": "exp(S - S^H)" if cplx else "exp(S - S^T)", "activation": "modrelu"},
                settings(c, ("seed", "task", "T", "n", "noise", "flip", "sd", "cell", "hid", "opt", "lr", "wd", "batch",
                             "eval"))
                | {"optimizer": c["opt"] + ("-on-real-and-imaginary-parts" if cplx else ""),
                   "full_batch": "false" if c.get("batch") else "true"} | data_tags(K, len(xt)), output_dim=k_out)
    log_ = logger(run)

    def log(e, final):
        o, ot = forward(x), forward(xt)
        log_(e, class_loss(K, o, y), class_loss(K, ot, yt), errors(K, o, y), errors(K, ot, yt), final=final)

    train_until(g, n, c, step, log)


def runs_urnn_expm_seq():
    # The logic: 200 training sequences of 16 steps, each a sinusoid of 2, 3, 4 or 5 cycles (the class) at a random
    # amplitude and phase under step noise of sd 1 (classes that a matched filter tells apart most of the time, not
    # always), 20% of the training labels flipped, 2,000 fresh clean-labelled sequences as the test set; a unitary
    # RNN of 16 complex units (2 x 256 + 2 x 16 + 16 + 48 x 4 + 4 = 756 real parameters, 3.8 a sequence; the
    # effective recurrent freedom is the 256 of the skew-Hermitian S - S^H), SGD with momentum 0.9 at 0.003 (probes
    # on seed 97: at 0.01 the training loss jumps), batches of 50, 120 epochs. The width on both sides of where it can
    # just fit the 200 noisy labels: 2, 4, 8, 32 and 64; no flips and 40% flips; step noise 0.5; 100 and 600
    # sequences (240 and 40 epochs, the base's 480 steps); the real orthogonal cell (16 and 32 units); full-batch
    # gradient descent at 0.02 (800 epochs); plain SGD at 0.02; weight decay 1e-3; and the adding problem (target
    # noise sd 0.5; 4, 16 and 64 units). Evaluation spacing mixed.
    base = dict(task="freq", T=16, n=200, noise=1.0, flip=0.2, sd=None, cell="unitary", hid=16, opt="sgdm", lr=0.003,
                wd=None, batch=50, epochs=120, eval="every")
    add = dict(task="adding", noise=None, flip=None, sd=0.5)
    return urnn_expm_seq, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hid=2, eval="every:2"),
        dict(hid=4, eval="log:30"),
        dict(hid=8, eval="every"),
        dict(hid=32, eval="jitter:30"),
        dict(hid=64, eval="every:2"),
        dict(flip=None, eval="every"),
        dict(flip=0.4, eval="burst:15:5"),
        dict(noise=0.5, eval="every:2"),
        dict(n=100, epochs=240, eval="every"),
        dict(n=600, epochs=40, eval="every"),
        dict(cell="orthogonal", eval="geom:2"),
        dict(cell="orthogonal", hid=32, eval="every"),
        dict(opt="gd", lr=0.02, batch=None, epochs=800, eval="mixlog:30:40"),
        dict(opt="sgd", lr=0.02, eval="every"),
        dict(wd=1e-3, eval="rand:60"),
        dict(add, eval="every"),
        dict(add, hid=64, eval="mixed:30:2"),
        dict(add, hid=4, eval="every:2"),
    ], lambda d: "%s-T%d-n%d%s%s%s-%s%d-%s-lr%g%s-%s" % (
        d["task"], d["T"], d["n"], "-noise%g" % d["noise"] if d.get("noise") else "",
        "-flip%g" % d["flip"] if d.get("flip") else "", "-sd%g" % d["sd"] if d.get("sd") else "", d["cell"], d["hid"],
        d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "", "b%d" % d["batch"] if d.get("batch") else "full"))


FAMILIES = {"cvnn-dft-digits": runs_cvnn_dft_digits, "quat-hamilton-mlp": runs_quat_hamilton_mlp,
            "urnn-expm-seq": runs_urnn_expm_seq}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
