#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, eighty-third held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone), and made to differ from the families of train.py ... train_eightyfirst.py in
arithmetic first. The theme of the round is numerical precision in training: models trained in bfloat16 or float16
arithmetic, emulated on the CPU by rounding float32 weights, activations, gradients, optimizer states and updates to
the lower precision (round to nearest even by a .to(torch.bfloat16) or .to(torch.float16) round trip; stochastic
rounding by this file's sround), with or without loss scaling, stochastic rounding, gradient clipping or
Kahan-compensated updates, against float32 runs in the same grid:

- bf16-sr-mlp: a one-hidden-layer ReLU MLP classifying scikit-learn's 8 x 8 digits (flattened), every layer's input,
  weights, output and backward gradient rounded to bfloat16 (accumulation in float32, as on matrix units), the
  weights either kept in float32 as master copies ('bf16-master', mixed precision) or stored in bfloat16 only, the
  update added with round-to-nearest ('bf16-rn'), stochastic rounding ('bf16-sr') or a Kahan-compensated sum whose
  compensation is stored in bfloat16 too ('bf16-kahan'; Zamirai, Zhang, Aberger & De Sa 2020), the optimizer's
  states rounded to bfloat16 in the bfloat16-only modes; float32 ('fp32') as the reference. Momentum SGD or Adam on
  minibatches, global-norm gradient clipping in part of the grid. Noise: a share of the training labels replaced by
  another class drawn uniformly (train_thirtyninth.py's flip_labels). Loss: the cross-entropy (squared error on
  one-hot targets in 1 run).
- fp16-lossscale-cnn: a small convolutional network (3 x 3 convolutions of k and 2k channels, ReLU, 2 x 2 max pooling
  after each, a linear readout) on the digits in float16 mixed precision (Micikevicius et al. 2018): float32 master
  weights rounded to float16 for the forward pass, every activation and every backward gradient rounded to float16 (so
  they overflow to infinity above 65,504 and underflow below 2^-24), the cross-entropy of float16 logits taken in
  float32 and multiplied by a loss scale before the backward pass: none (1), a static 2^10 or 2^16, or a dynamic one
  (from 2^16, halved and the step skipped when a gradient is not finite, doubled after 200 clean steps); the gradients
  unscaled in float32, optionally clipped by their global norm, then Adam or momentum SGD on the master weights; in 2
  runs the weights stored in float16 only (round-to-nearest updates, float32 optimizer states), in 1 run bfloat16
  without scaling; float32 as the reference. Noise: flipped labels as above.
- kahan-bf16-linear: linear models trained from zero with their weights stored in bfloat16 (float16 in 2 runs) and
  the features, predictions, residuals and gradients rounded to it, the update added by round-to-nearest (which
  stalls once lr times the gradient falls under half a unit in the last place), stochastic rounding or Kahan
  summation, against float32: least squares on scikit-learn's diabetes with its 55 standardised squares and
  pairwise products beside its 10 columns (train_thirtythird.py's diabetes_products), n near the feature count so
  that gradient descent fits the noise in time, with Gaussian noise added to the training targets in part of the
  grid; multinomial logistic regression on scikit-learn's breast cancer with flipped labels. Full-batch gradient
  descent (heavy-ball momentum in 1 run, global-norm clipping in 1) or minibatch SGD.

Train loss: the loss on the training points at their given (noisy) labels or targets; test loss: the same loss on
held-out points with true labels (the held-out patients' standardised progression on the diabetes); error rates: the
misclassified shares (classifiers only). The models are evaluated in their training arithmetic (the same rounding in
the forward pass). A run whose loss turns NaN or infinite sends that evaluation as its last and stops
(train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves and real_classes from
train_thirtysixth.py, take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py,
diabetes_products from train_thirtythird.py, mlp_params from train_sixtyfifth.py, logger and train_until
(train_thirtyninth.py's epoch_loop, with eval_epochs) from train_seventyfourth.py and digit_images from
train_seventysixth.py; one thread, every random draw from a seeded torch.Generator (splits, label flips, target
noise, initialisations, minibatches, stochastic rounding's uniforms), synthetic event times, 6 significant digits. No
planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_eightythird.py --family bf16-sr-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): bf16-sr-mlp, fp16-lossscale-cnn, kahan-bf16-linear. Evaluation spacings: train.py's
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
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves, real_classes  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_thirtythird import diabetes_products  # noqa: E402
from train_sixtyfifth import mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import digit_images  # noqa: E402  (the digits as 1 x 8 x 8 images, a seeded split)
from train_fiftieth import noise_name  # noqa: E402  (also imported from here by later rounds)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64
LOW = {"bf16": torch.bfloat16, "fp16": torch.float16}
# (significand bits with the implicit one, the exponent e of frexp (x = m 2^e, 1/2 <= |m| < 1) below which the spacing
# stays that of the subnormals, the largest finite value)
SPEC = {"bf16": (8, -125, 3.3895313892515355e38), "fp16": (11, -13, 65504.0)}


# ---------------------------------------------------------------------------------------------------- arithmetic


def rn(x, fmt):
    """x rounded to the nearest value of fmt ('bf16', 'fp16'; ties to even, float16 overflowing to infinity), back in
    x's dtype; None leaves x as it is."""
    return x if fmt is None else x.to(LOW[fmt]).to(x.dtype)


def sround(x, fmt, g):
    """x rounded stochastically to fmt: to one of the two neighbouring values of fmt, the upper with probability the
    distance from the lower over their spacing (unbiased), the uniforms drawn from g; subnormal spacing below the
    smallest normal, beyond the largest finite value infinity."""
    p, emin, big = SPEC[fmt]
    xd = x.double()
    _, e = torch.frexp(xd)
    sp = torch.pow(2.0, (torch.clamp(e, min=emin) - p).double())
    y = torch.floor(xd / sp + torch.rand(x.shape, generator=g, dtype=F64)) * sp
    y = torch.where(y.abs() > big, torch.sign(y) * math.inf, y)
    return y.to(x.dtype)


class Round(torch.autograd.Function):
    """Rounds its input to a lower precision (rn) in the forward pass and the gradient flowing back through it in the
    backward pass: an emulated low-precision tensor."""

    @staticmethod
    def forward(ctx, x, fmt):
        ctx.fmt = fmt
        return rn(x, fmt)

    @staticmethod
    def backward(ctx, gy):
        return rn(gy, ctx.fmt), None


def q(x, fmt):
    return x if fmt is None else Round.apply(x, fmt)


class LowPrecisionUpdate:
    """Adds updates to weights stored in fmt: 'rn' w = rn(w + u), 'sr' w = sround(w + u), 'kahan' the compensated sum
    y = u - c, t = rn(w + y), c = rn((t - w) - y), w = t (c stored in fmt too), 'fp32' (or fmt None) w = w + u in
    float32."""

    def __init__(self, params, fmt, rule, g):
        self.params, self.fmt, self.rule, self.g = params, fmt, rule, g
        self.comp = [torch.zeros_like(p) for p in params] if rule == "kahan" else None
        if fmt is not None and rule != "fp32":
            with torch.no_grad():
                for p in params:
                    p.copy_(rn(p, fmt))

    def add(self, i, u):
        p = self.params[i]
        if self.fmt is None or self.rule == "fp32":
            p.add_(u)
        elif self.rule == "rn":
            p.copy_(rn(p + u, self.fmt))
        elif self.rule == "sr":
            p.copy_(sround(p + u, self.fmt, self.g))
        else:
            c = self.comp[i]
            y = u - c
            t = rn(p + y, self.fmt)
            c.copy_(rn((t - p) - y, self.fmt))
            p.copy_(t)


def clip_factor(grads, clip):
    """The factor that scales the gradients to global norm at most clip (1 where clip is not set)."""
    if not clip:
        return 1.0
    norm = math.sqrt(sum(float((gr.double() ** 2).sum()) for gr in grads))
    return min(1.0, clip / norm) if norm > 0 else 1.0


class Optimizer:
    """Momentum SGD (buf = mom buf + grad, update -lr buf) or Adam (betas 0.9, 0.999, eps 1e-8, bias-corrected), the
    update added by a LowPrecisionUpdate; its states rounded to state_fmt after every step where set."""

    def __init__(self, params, c, adder, state_fmt):
        self.params, self.c, self.adder, self.sf = params, c, adder, state_fmt
        self.m = [torch.zeros_like(p) for p in params]
        self.v = [torch.zeros_like(p) for p in params] if c["opt"] == "adam" else None
        self.t = 0

    def step(self, grads):
        c, sf = self.c, self.sf
        self.t += 1
        with torch.no_grad():
            for i, gr in enumerate(grads):
                if c["opt"] == "adam":
                    m = rn(0.9 * self.m[i] + 0.1 * gr, sf)
                    v = rn(0.999 * self.v[i] + 0.001 * gr * gr, sf)
                    self.m[i], self.v[i] = m, v
                    u = -c["lr"] * (m / (1 - 0.9 ** self.t)) / ((v / (1 - 0.999 ** self.t)).sqrt() + 1e-8)
                else:
                    self.m[i] = rn((c.get("mom") or 0.0) * self.m[i] + gr, sf)
                    u = -c["lr"] * self.m[i]
                self.adder.add(i, u)


def classifier_log(run, forward, x, yn, xt, yt, loss):
    """The evaluation of a classifier: the loss and misclassified share on the training set at its given labels and on
    the held-out set at its true labels."""
    log_ = logger(run)

    def log(e, final):
        o, ot = forward(x), forward(xt)
        log_(e, loss(o, yn), loss(ot, yt), (o.argmax(1) != yn).float().mean(), (ot.argmax(1) != yt).float().mean(),
             final=final)

    return log


# ---------------------------------------------------------------------------------------------------- bf16-sr-mlp


def bf16_sr_mlp(w, run_id, c):
    """A one-hidden-layer ReLU MLP on the digits in emulated bfloat16. Data (from the run's generator): digit_images
    (n training, 'test' held-out images), flattened to 64 pixels; a share flip of the training labels flipped
    (flip_labels). Model: 64 -> hid (ReLU) -> 10, mlp_params (U(+-1 / sqrt(fan-in)) from the run's generator); in every
    mode but 'fp32' each layer's input, weight, bias and output are rounded to bfloat16 (Round: the backward gradients
    too), the products accumulated in float32. 'prec': 'fp32' all float32; 'bf16-master' float32 master weights and
    optimizer states; 'bf16-rn', 'bf16-sr', 'bf16-kahan' the weights stored in bfloat16, the updates added by
    round-to-nearest, stochastic rounding or Kahan summation (LowPrecisionUpdate), the optimizer's states rounded to
    bfloat16. Loss: the cross-entropy ('ce') or the squared error to one-hot targets summed over the classes ('mse'),
    of the bfloat16 logits in float32. Optimizer: momentum SGD or Adam at lr on minibatches of batch, the gradients
    clipped to global norm 'clip' where set. Train loss: the loss on the training images at their given labels; test
    loss: the same on the held-out images at their true labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(831_000 + c["seed"])
    x, y, xt, yt = digit_images(g, c)
    x, xt = x.flatten(1), xt.flatten(1)
    yn = flip_labels(g, y, 10, c.get("flip"))
    params = mlp_params(g, [64, c["hid"], 10], F32)
    prec = c["prec"]
    low = None if prec == "fp32" else "bf16"
    pure = prec not in ("fp32", "bf16-master")
    adder = LowPrecisionUpdate(params, low if pure else None, prec[5:] if pure else "fp32", g)
    opt = Optimizer(params, c, adder, low if pure else None)

    def forward(z):
        z = q(z, low)
        for i in range(0, len(params), 2):
            z = q(z @ q(params[i], low) + q(params[i + 1], low), low)
            if i + 2 < len(params):
                z = torch.relu(z)
        return z

    def loss(o, t):
        if c["loss"] == "ce":
            return fn.cross_entropy(o, t)
        return ((o - fn.one_hot(t, 10).to(o.dtype)) ** 2).sum(1).mean()

    def step(idx):
        grads = torch.autograd.grad(loss(forward(take(x, idx)), take(yn, idx)), params)
        f = clip_factor(grads, c.get("clip"))
        opt.step([gr * f for gr in grads] if f != 1.0 else grads)

    run = w.run(run_id, count(params), len(y), {"family": "mlp", "hidden": c["hid"], "depth": 1, "activation": "relu"},
                settings(c, ("seed", "n", "flip", "hid", "prec", "opt", "lr", "mom", "clip", "batch", "loss", "eval"))
                | {"optimizer": "adam" if c["opt"] == "adam" else "sgd-momentum",
                   "arithmetic": "float32" if prec == "fp32" else "bfloat16",
                   "weights": "float32" if not pure else "bfloat16",
                   "update_rounding": {"fp32": "none", "bf16-master": "none (float32 master)", "bf16-rn": "nearest",
                                       "bf16-sr": "stochastic", "bf16-kahan": "kahan"}[prec],
                   "noise": "uniform-other-class" if c.get("flip") else "none",
                   "test_loss": "heldout-%s-clean-labels" % c["loss"], "error": "misclassified",
                   "test_size": str(len(yt))}, output_dim=10)
    train_until(g, len(y), c, step, classifier_log(run, forward, x, yn, xt, yt, loss))


def runs_bf16_sr_mlp():
    # The logic: 400 digits, 20% of their labels flipped, an MLP 64 -> 64 -> 10 (4,810 weights, twelve a label, so it
    # can fit the flips in float32) under momentum SGD (0.9) at 0.05 on minibatches of 50, 200 epochs; 600 held-out
    # images. Its weights are about 0.1 in size, where bfloat16's spacing is 2^-11 (5e-4) or coarser, while a late
    # step's lr times gradient is often 1e-5 to 1e-4: round-to-nearest drops those updates (the weights stall, the
    # late fitting of the flipped labels with them), stochastic rounding keeps them in expectation (noisily) and Kahan
    # summation keeps them exactly in the sum. The four arithmetics and float32 master weights at the base (float32 at
    # 2 seeds), then Adam at 0.003 (float32, nearest, stochastic, Kahan), the step 0.01 (float32, nearest, stochastic),
    # clean labels and 40% flipped (nearest and stochastic each), clipping to global norm 1 (nearest), the squared
    # error (stochastic) and width 256 (nearest). Evaluation spacing mixed.
    base = dict(n=400, test=600, flip=0.2, hid=64, prec="fp32", opt="sgd", lr=0.05, mom=0.9, clip=None, batch=50,
                loss="ce", epochs=200, eval="every")
    return bf16_sr_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(prec="bf16-master", eval="every:2"),
        dict(prec="bf16-rn", eval="every"),
        dict(prec="bf16-sr", eval="jitter:30"),
        dict(prec="bf16-kahan", eval="every"),
        dict(opt="adam", lr=0.003, mom=None, eval="every:2"),
        dict(opt="adam", lr=0.003, mom=None, prec="bf16-rn", eval="every"),
        dict(opt="adam", lr=0.003, mom=None, prec="bf16-sr", eval="geom:2"),
        dict(opt="adam", lr=0.003, mom=None, prec="bf16-kahan", eval="every:3"),
        dict(lr=0.01, eval="every:2"),
        dict(lr=0.01, prec="bf16-rn", eval="mixed:20:3"),
        dict(lr=0.01, prec="bf16-sr", eval="every"),
        dict(flip=None, prec="bf16-rn", eval="every:2"),
        dict(flip=None, prec="bf16-sr", eval="log:30"),
        dict(flip=0.4, prec="bf16-rn", eval="every"),
        dict(flip=0.4, prec="bf16-sr", eval="burst:10:4"),
        dict(clip=1.0, prec="bf16-rn", eval="every:2"),
        dict(loss="mse", prec="bf16-sr", eval="mixlog:20:30"),
        dict(hid=256, prec="bf16-rn", eval="rand:40"),
    ], lambda d: "digits-n%d%s-mlp%d-%s-%s-lr%g%s-%s-b%d" % (
        d["n"], noise_name(d), d["hid"], d["prec"], d["opt"], d["lr"], "-clip%g" % d["clip"] if d.get("clip") else "",
        d["loss"], d["batch"]))


# --------------------------------------------------------------------------------------------------- fp16-lossscale-cnn


def fp16_lossscale_cnn(w, run_id, c):
    """A small convolutional network on the digits in emulated float16 mixed precision. Data (from the run's
    generator): digit_images (n training, 'test' held-out images); a share flip of the training labels flipped
    (flip_labels). Model: conv3x3 1 -> k (padding 1), ReLU, max-pool 2, conv3x3 k -> 2k, ReLU, max-pool 2, a linear
    readout of the 8k features to 10 logits; U(+-1 / sqrt(fan-in)) from the run's generator. Arithmetic 'fmt': 'fp32',
    or 'fp16' ('bf16' in 1 run): the images, weights and biases rounded to it before every convolution and product,
    every layer's output and every backward gradient too (Round). Loss: the cross-entropy of the rounded logits in
    float32, times the loss scale S for the backward pass: 'none' S = 1; 'static:P' S = 2^P; 'dynamic' S from 2^16,
    halved and the step skipped when any gradient is not finite, doubled after 200 consecutive clean steps. The
    gradients divided by S in float32, clipped to global norm 'clip' where set, then Adam or momentum SGD (Optimizer)
    on float32 master weights ('master' 'fp32'), or on weights stored in float16 with round-to-nearest updates
    ('master' 'fp16'; the optimizer's states stay float32, where Adam's squared gradients do not underflow). Train
    loss: the cross-entropy on the training images at their given labels; test loss: the same on the held-out images
    at their true labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(832_000 + c["seed"])
    x, y, xt, yt = digit_images(g, c)
    yn = flip_labels(g, y, 10, c.get("flip"))
    k = c["k"]
    params = leaves([uniform(g, 9, k, 1, 3, 3), uniform(g, 9, k), uniform(g, 9 * k, 2 * k, k, 3, 3),
                     uniform(g, 9 * k, 2 * k), uniform(g, 8 * k, 8 * k, 10), uniform(g, 8 * k, 10)])
    low = None if c["fmt"] == "fp32" else c["fmt"]
    pure = c.get("master") == "fp16"
    adder = LowPrecisionUpdate(params, "fp16" if pure else None, "rn" if pure else "fp32", g)
    opt = Optimizer(params, c, adder, None)  # float32 states: Adam's squared gradients underflow in float16
    W1, b1, W2, b2, Wo, bo = params

    def forward(z):
        z = q(z, low)
        z = fn.max_pool2d(torch.relu(q(fn.conv2d(z, q(W1, low), q(b1, low), padding=1), low)), 2)
        z = fn.max_pool2d(torch.relu(q(fn.conv2d(z, q(W2, low), q(b2, low), padding=1), low)), 2)
        return q(z.flatten(1) @ q(Wo, low) + q(bo, low), low)

    scale = c.get("scale") or "none"
    st = {"S": 1.0 if scale == "none" else 2.0 ** 16 if scale == "dynamic" else 2.0 ** int(scale.split(":")[1]),
          "good": 0}

    def step(idx):
        S = st["S"]
        grads = torch.autograd.grad(fn.cross_entropy(forward(take(x, idx)), take(yn, idx)) * S, params)
        if not all(bool(torch.isfinite(gr).all()) for gr in grads):
            if scale == "dynamic":
                st["S"], st["good"] = S / 2, 0
            return  # the step skipped
        grads = [gr / S for gr in grads]
        f = clip_factor(grads, c.get("clip"))
        opt.step([gr * f for gr in grads] if f != 1.0 else grads)
        if scale == "dynamic":
            st["good"] += 1
            if st["good"] == 200:
                st["S"], st["good"] = 2 * S, 0

    run = w.run(run_id, count(params), len(y),
                {"family": "cnn", "channels": k, "conv_layers": 2, "pooling": "max", "norm": "none"},
                settings(c, ("seed", "n", "flip", "k", "fmt", "master", "scale", "opt", "lr", "mom", "clip", "batch",
                             "eval"))
                | {"optimizer": "adam" if c["opt"] == "adam" else "sgd-momentum",
                   "arithmetic": {"fp32": "float32", "fp16": "float16", "bf16": "bfloat16"}[c["fmt"]],
                   "loss_scale": {"none": "none", "dynamic": "dynamic-2^16-halve-skip-double-after-200"}.get(
                       scale, "static-2^" + scale.split(":")[-1]),
                   "noise": "uniform-other-class" if c.get("flip") else "none", "loss": "cross-entropy",
                   "test_loss": "heldout-ce-clean-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=10)
    train_until(g, len(y), c, step, classifier_log(run, forward, x, yn, xt, yt, fn.cross_entropy))


def runs_fp16_lossscale_cnn():
    # The logic: 300 digits, 20% of their labels flipped, a CNN of 8 and 16 channels (1,898 weights, six a label, so it
    # fits many of the flips) under Adam at 0.003 on minibatches of 50, 150 epochs; 500 held-out images. In float16 the
    # backward gradients of the clean, already fitted images fall under float16's smallest values (2^-24) and vanish
    # unless the loss is scaled up, while the flipped ones' large gradients survive; a scale too large overflows (the
    # dynamic scale skips those steps and halves). Float32 at 2 seeds, float16 without scaling, at a static 2^10 and
    # 2^16 and the dynamic scale (2 seeds); weights stored in float16 (dynamic, none); momentum SGD at 0.05 (float32,
    # none, dynamic); clipping to global norm 1 (float32, dynamic); clean labels (float32, dynamic); 40% flipped
    # (dynamic); bfloat16 without scaling; width 4 and 16 (dynamic). Evaluation spacing mixed.
    base = dict(n=300, test=500, flip=0.2, k=8, fmt="fp16", master="fp32", scale="dynamic", opt="adam", lr=0.003,
                mom=None, clip=None, batch=50, epochs=150, eval="every")
    return fp16_lossscale_cnn, dict_runs(base, [
        dict(fmt="fp32", scale=None, seeds=(1, 2)),
        dict(scale="none", eval="every:2"),
        dict(scale="static:10", eval="jitter:30"),
        dict(scale="static:16", eval="every"),
        dict(seeds=(1, 2), eval="every:2"),
        dict(master="fp16", eval="every"),
        dict(master="fp16", scale="none", eval="geom:2"),
        dict(fmt="fp32", scale=None, opt="sgd", lr=0.05, mom=0.9, eval="every:3"),
        dict(scale="none", opt="sgd", lr=0.05, mom=0.9, eval="every"),
        dict(opt="sgd", lr=0.05, mom=0.9, eval="mixed:20:2"),
        dict(fmt="fp32", scale=None, clip=1.0, eval="every:2"),
        dict(clip=1.0, eval="every"),
        dict(fmt="fp32", scale=None, flip=None, eval="log:30"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="burst:10:4"),
        dict(fmt="bf16", scale="none", eval="every"),
        dict(k=4, eval="mixlog:15:30"),
        dict(k=16, eval="rand:30"),
    ], lambda d: "digits-n%d%s-cnn%d-%s%s%s-%s-lr%g%s-b%d" % (
        d["n"], noise_name(d), d["k"], d["fmt"], "-master-%s" % d["master"] if d["fmt"] != "fp32" else "",
        "-scale-%s" % d["scale"].replace(":", "") if d.get("scale") else "", d["opt"], d["lr"],
        "-clip%g" % d["clip"] if d.get("clip") else "", d["batch"]))


# ---------------------------------------------------------------------------------------------------- kahan-bf16-linear


def kahan_bf16_linear(w, run_id, c):
    """A linear model trained from zero in emulated low precision. Data (from the run's generator): 'diabetes'
    diabetes_products (the 55 standardised squares and products at scale 1, the 10 columns at scale s, the standardised
    progression; n patients for training, the rest held out), Gaussian noise of sd 'noise' added to the training
    targets where set, least squares (K = 1; loss the mean squared error); 'cancer' real_classes (the breast cancer's 30
    columns standardised on the n training patients, the other ones held out; s 1) with a constant column, a share flip
    of the training labels flipped (flip_labels), a multinomial logistic regression (K = 2; loss the mean
    cross-entropy). Arithmetic 'fmt' ('fp32', 'bf16' or 'fp16'): the features rounded to it once, then the outputs,
    the residuals (outputs minus targets, or softmax minus one-hot) and the gradient X^T r / m rounded to it at every
    step, the weights stored in it and the update -lr times the (heavy-ball, momentum mom) buffer (rounded to it) added
    by 'rule' (LowPrecisionUpdate: 'rn', 'sr' or 'kahan'); float32 all through for 'fp32'. The gradient clipped to
    global norm 'clip' where set. Step: lr over the largest eigenvalue of X^T X / n (times 2 for the cross-entropy,
    whose curvature is at most half of it). Full batch (one step an epoch) or minibatches of batch. Train loss: the loss
    on the training targets (noisy where noise is set; the given labels); test loss: the same on the held-out points
    (true targets, true labels); error rates: the misclassified shares (classification only)."""
    g = torch.Generator().manual_seed(833_000 + c["seed"])
    if c["data"] == "diabetes":
        X, Y, tr, te = diabetes_products(g, c["n"], c["s"], F32)
        x, y, xt, yt = X[tr], Y[tr].clone(), X[te], Y[te]
        if c.get("noise"):
            y = y + c["noise"] * torch.randn(len(y), generator=g)
        K = 1
    else:
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], 1.0, F32)
        x, xt = (torch.cat([z, torch.ones(len(z), 1)], 1) for z in (x, xt))
        y = flip_labels(g, y, K, c.get("flip"))
    fmt = None if c["fmt"] == "fp32" else c["fmt"]
    x, xt = rn(x, fmt), rn(xt, fmt)
    n, d = x.shape
    ce = c["data"] != "diabetes"
    top = float(torch.linalg.eigvalsh((x.T @ x / n).double())[-1])
    lr = c["lr"] / top * (2 if ce else 1)
    wgt = torch.zeros(d, K)
    adder = LowPrecisionUpdate([wgt], fmt, c.get("rule") if fmt else "fp32", g)
    buf = torch.zeros(d, K)

    def outputs(z):
        return rn(z @ wgt, fmt)

    def loss(o, t):
        if ce:
            return fn.cross_entropy(o, t)
        return ((o[:, 0] - t) ** 2).mean()

    def step(idx):
        nonlocal buf
        xb, yb = take(x, idx), take(y, idx)
        o = outputs(xb)
        r = rn(torch.softmax(o, 1) - fn.one_hot(yb, K).to(F32) if ce else o - yb[:, None], fmt)
        gr = rn(xb.T @ r / len(xb), fmt)
        gr = gr * clip_factor([gr], c.get("clip"))
        buf = rn((c.get("mom") or 0.0) * buf + gr, fmt)
        adder.add(0, -lr * buf)

    tags = settings(c, ("seed", "data", "n", "s", "noise", "flip", "fmt", "rule", "lr", "mom", "clip", "batch", "eval"))
    run = w.run(run_id, d * K, n, {"family": "linear" if not ce else "multinomial-logistic", "features": d,
                                   "data": c["data"]},
                tags | {"optimizer": ("sgd" if c.get("batch") else "gd") + ("-heavy-ball" if c.get("mom") else ""),
                        "arithmetic": {"fp32": "float32", "fp16": "float16", "bf16": "bfloat16"}[c["fmt"]],
                        "update_rounding": {"rn": "nearest", "sr": "stochastic", "kahan": "kahan"}[c.get("rule")]
                        if fmt else "none",
                        "loss": "cross-entropy" if ce else "mse",
                        "test_loss": "heldout-ce-true-labels" if ce else "heldout-mse",
                        "test_size": str(len(yt))}, output_dim=K)
    log_ = logger(run)

    def log(e, final):
        o, ot = outputs(x), outputs(xt)
        if ce:
            log_(e, loss(o, y), loss(ot, yt), (o.argmax(1) != y).float().mean(), (ot.argmax(1) != yt).float().mean(),
                 final=final)
        else:
            log_(e, loss(o, y), loss(ot, yt), final=final)

    train_until(g, n, c, step, log)


def runs_kahan_bf16_linear():
    # The logic: 80 diabetes patients, 65 features (the 55 squares and products at scale 1 and the 10 columns at
    # scale 0.1, slow), least squares by full-batch gradient descent from zero at 0.9 over the largest eigenvalue,
    # 20,000 epochs: the products fit within tens of steps, much of the patients' noise with them at 65 features for
    # 80 points, the held-out error rising as they do, while the raw columns, which carry most of the signal, are
    # learnt about a hundred times slower, later. (Revised once after the census of the committed grid, which had
    # the columns at scale 1 and 3,000 epochs (600 for SGD) and found no winning run.) In bfloat16 (8 significant
    # bits) round-to-nearest drops an update below half a spacing, so the late directions stall (an early stop by
    # arithmetic) and the weights hover; stochastic rounding keeps the updates in expectation with noise of a
    # spacing; Kahan summation carries the dropped part. Float32, nearest, stochastic and Kahan on it (float32 at 2
    # seeds) and with noise of sd 0.5 added to the training targets; minibatch SGD (batches of 10, 0.2 over the
    # eigenvalue, 3,000 epochs) in the four; the breast cancer's logistic regression (100 patients, 20% flipped,
    # 3,000 epochs) in the four; float16 with nearest and stochastic rounding; heavy-ball momentum 0.9 (0.1 over the
    # eigenvalue) and clipping to norm 0.5 under nearest; 120 patients under Kahan. Evaluation spacing mixed.
    base = dict(data="diabetes", n=80, s=0.1, noise=None, flip=None, fmt="bf16", rule="rn", lr=0.9, mom=None,
                clip=None, batch=None, epochs=20000, eval="log:35")
    return kahan_bf16_linear, dict_runs(base, [
        dict(fmt="fp32", rule=None, seeds=(1, 2)),
        dict(rule="rn", eval="jitter:35"),
        dict(rule="sr", eval="log:40"),
        dict(rule="kahan", eval="log:35"),
        dict(noise=0.5, fmt="fp32", rule=None, eval="log:35"),
        dict(noise=0.5, rule="rn", eval="geom:40"),
        dict(noise=0.5, rule="sr", eval="log:30"),
        dict(noise=0.5, rule="kahan", eval="mixlog:30:35"),
        dict(batch=10, lr=0.2, epochs=3000, fmt="fp32", rule=None, eval="every:3"),
        dict(batch=10, lr=0.2, epochs=3000, rule="rn", eval="every:2"),
        dict(batch=10, lr=0.2, epochs=3000, rule="sr", eval="mixed:30:4"),
        dict(batch=10, lr=0.2, epochs=3000, rule="kahan", eval="every:3"),
        dict(data="cancer", n=100, s=None, flip=0.2, epochs=3000, fmt="fp32", rule=None, eval="log:35"),
        dict(data="cancer", n=100, s=None, flip=0.2, epochs=3000, rule="rn", eval="burst:100:20"),
        dict(data="cancer", n=100, s=None, flip=0.2, epochs=3000, rule="sr", eval="log:35"),
        dict(data="cancer", n=100, s=None, flip=0.2, epochs=3000, rule="kahan", eval="rand:80"),
        dict(fmt="fp16", rule="rn", eval="log:35"),
        dict(fmt="fp16", rule="sr", eval="jitter:30"),
        dict(mom=0.9, lr=0.1, eval="log:35"),
        dict(clip=0.5, eval="log:40"),
        dict(n=120, rule="kahan", eval="log:35"),
    ], lambda d: "%s-n%d%s%s%s-%s%s%s-lr%g%s%s" % (
        d["data"], d["n"], "-s%g" % d["s"] if d.get("s") else "", "-noise%g" % d["noise"] if d.get("noise") else "",
        "-flip%g" % d["flip"] if d.get("flip") else "", d["fmt"], "-%s" % d["rule"] if d.get("rule") else "",
        "-b%d" % d["batch"] if d.get("batch") else "-fullbatch", d["lr"], "-mom%g" % d["mom"] if d.get("mom") else "",
        "-clip%g" % d["clip"] if d.get("clip") else ""))


FAMILIES = {"bf16-sr-mlp": runs_bf16_sr_mlp, "fp16-lossscale-cnn": runs_fp16_lossscale_cnn,
            "kahan-bf16-linear": runs_kahan_bf16_linear}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
