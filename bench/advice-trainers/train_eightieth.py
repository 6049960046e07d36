#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, eightieth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone), and made to differ from the families of train.py ... train_seventyeighth.py in model,
optimizer and noise. The theme of the round is the canonical deep double descent setup of Nakkiran, Kaplun, Bansal,
Yang, Barak & Sutskever (2019), scaled down to one CPU thread: a family of models swept over its width across the
point where it can just fit its noisy training set, a share (0, 10, 20 or 40%) of the training labels corrupted,
trained long, the test loss the cross-entropy on clean held-out labels:

- preact-resnet-shift: a small pre-activation residual convolutional network without normalisation (a 3 x 3 stem of k
  channels, one residual block at 8 x 8, a strided residual block to 2k channels at 4 x 4 with a 1 x 1 strided
  projection shortcut, global average pooling, a linear readout), the width k swept 2-16, on scikit-learn's 8 x 8
  digits; Adam (an L2 penalty in 1 run) on minibatches, with random shifts of the training images by up to 1 pixel
  (zero padding, offsets from the run's generator) in most runs, none or up to 2 pixels in the others. Noise: a share
  of the training labels replaced by another class drawn uniformly (train_thirtyninth.py's flip_labels).
- mcnn-invsqrt-sgd: a plain four-layer convolutional network in the manner of the paper's standard CNN (3 x 3
  convolutions of k, 2k and 4k channels with ReLU, 2 x 2 max pooling after the second and the third, a linear readout
  of the 4k x 2 x 2 maps), no normalisation, no residuals, the width k swept 1-16, on the digits; SGD with momentum
  0.9 (none in 1 run) and weight decay 5e-4 (none or 5e-3 in 1 run each), the step set before every minibatch to
  lr / sqrt(1 + floor(t / 512)) of the step count t (constant in 1 run); no augmentation (random 1-pixel shifts in 1
  run). Noise: a share of the training labels redrawn uniformly from all 10 classes (so about nine tenths of them
  change).
- pointer-transformer-dmodel: a one-block pre-LayerNorm transformer (token and learnt position embeddings, one head of
  self-attention, a ReLU feed-forward layer of twice the width, a final LayerNorm) read out at the first position,
  its width d_model swept 2-64, on a synthetic pointer task: sequences of L tokens out of V, the first token points
  at a later position (1 + x_0 mod (L - 1)) and the label is the token found there; AdamW (weight decay 0.01; 0 and
  0.1 in 1 run each; SGD with momentum 0.9 in 1 run) on minibatches. Noise: a share of the training labels moved
  to the next class (y + 1 mod V), a systematic cyclic corruption (uniform flips to another class in 1 run).

Train loss: the cross-entropy on the training examples at their given (corrupted) labels; test loss: the
cross-entropy on held-out examples at their true labels; error rates: the misclassified shares. A run whose loss
turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, logger and
train_until (train_thirtyninth.py's epoch_loop, with eval_epochs) from train_seventyfourth.py and digit_images from
train_seventysixth.py; one thread, every random draw from a seeded torch.Generator (splits, label corruptions,
initialisations, sequences, minibatches, shifts), synthetic event times, 6 significant digits. No planned last epoch
is told: the last event's final marks it.

    /usr/bin/python3 train_eightieth.py --family preact-resnet-shift [--list] [--runs 0,3] [--out FILE]

Families (see README.md): preact-resnet-shift, mcnn-invsqrt-sgd, pointer-transformer-dmodel. Evaluation spacings:
train.py's 'every', 'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's
'mixed:A:K', 'mixlog:A:K', 'geom:G', 'burst:P:B'.
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
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import digit_images  # noqa: E402  (the digits as 1 x 8 x 8 images, a seeded split)

torch.set_num_threads(1)

F32 = torch.float32


def shift_images(g, z, s):
    """Random translations of a batch of 1 x 8 x 8 images by up to s pixels each way (zero padding), each image's
    offsets drawn from g."""
    if not s:
        return z
    B, _, H, W = z.shape
    P = fn.pad(z, (s, s, s, s))
    dy = torch.randint(0, 2 * s + 1, (B,), generator=g)
    dx = torch.randint(0, 2 * s + 1, (B,), generator=g)
    rows = (dy[:, None] + torch.arange(H))[:, :, None]
    cols = (dx[:, None] + torch.arange(W))[:, None, :]
    return P[torch.arange(B)[:, None, None], 0, rows, cols][:, None]


def classifier_log(run, forward, x, yn, xt, yt):
    """The evaluation of a classifier: the cross-entropy and misclassified share on the training set at its given
    labels and on the held-out set at its true labels."""
    log_ = logger(run)

    def log(e, final):
        o, ot = forward(x), forward(xt)
        log_(e, fn.cross_entropy(o, yn), fn.cross_entropy(ot, yt), (o.argmax(1) != yn).float().mean(),
             (ot.argmax(1) != yt).float().mean(), final=final)

    return log


def noise_name(d):
    return "-%s%g" % (d.get("noise") or "flip", d["flip"]) if d.get("flip") else "-clean"


# -------------------------------------------------------------------------------------------------- preact-resnet-shift


def preact_resnet_shift(w, run_id, c):
    """A pre-activation residual network on the digits, float32, no normalisation. Data (from the run's generator):
    digit_images (n training, 'test' held-out images); a share flip of the training labels replaced by another class
    drawn uniformly (flip_labels). Model, width k: h = conv3x3(x) (1 -> k); h = h + conv3x3(relu(conv3x3(relu(h))))
    (k -> k -> k, 8 x 8); a = relu(h); h = conv1x1_stride2(a) + conv3x3(relu(conv3x3_stride2(a))) (k -> 2k, 4 x 4);
    logits = mean over positions of relu(h), times a 2k x 10 readout plus a bias; every weight and bias U(+-1 /
    sqrt(fan-in)) from the run's generator (the shortcut without bias). Loss: the cross-entropy. Optimizer: Adam at lr
    (weight decay wd where set) on minibatches of batch, each minibatch's images shifted by up to 'shift' pixels
    (shift_images). Train loss: the cross-entropy of the (unshifted) training images at their given labels; test loss:
    that of the held-out images at their true labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(801_000 + c["seed"])
    x, y, xt, yt = digit_images(g, c)
    yn = flip_labels(g, y, 10, c.get("flip"))
    k = c["k"]
    params = leaves([uniform(g, 9, k, 1, 3, 3), uniform(g, 9, k),
                     uniform(g, 9 * k, k, k, 3, 3), uniform(g, 9 * k, k),
                     uniform(g, 9 * k, k, k, 3, 3), uniform(g, 9 * k, k),
                     uniform(g, 9 * k, 2 * k, k, 3, 3), uniform(g, 9 * k, 2 * k),
                     uniform(g, 18 * k, 2 * k, 2 * k, 3, 3), uniform(g, 18 * k, 2 * k),
                     uniform(g, k, 2 * k, k, 1, 1),
                     uniform(g, 2 * k, 2 * k, 10), uniform(g, 2 * k, 10)])
    W0, b0, W1, b1, W2, b2, W3, b3, W4, b4, Ws, Wo, bo = params

    def forward(z):
        h = fn.conv2d(z, W0, b0, padding=1)
        h = h + fn.conv2d(torch.relu(fn.conv2d(torch.relu(h), W1, b1, padding=1)), W2, b2, padding=1)
        a = torch.relu(h)
        h = fn.conv2d(a, Ws, stride=2) + fn.conv2d(torch.relu(fn.conv2d(a, W3, b3, stride=2, padding=1)), W4, b4,
                                                   padding=1)
        return torch.relu(h).mean((2, 3)) @ Wo + bo

    opt = torch.optim.Adam(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(shift_images(g, take(x, idx), c.get("shift"))), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(y),
                {"family": "preact-resnet", "width": k, "stages": 2, "blocks_per_stage": 1, "norm": "none"},
                settings(c, ("seed", "n", "flip", "k", "shift", "lr", "wd", "batch", "eval"))
                | {"optimizer": "adam", "augment": "shift%d" % c["shift"] if c.get("shift") else "none",
                   "noise": "uniform-other-class" if c.get("flip") else "none", "loss": "cross-entropy",
                   "test_loss": "heldout-ce-clean-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=10)
    train_until(g, len(y), c, step, classifier_log(run, forward, x, yn, xt, yt))


def runs_preact_resnet_shift():
    # The logic: 300 digits, 20% of their labels flipped to another class, a pre-activation residual network of width
    # k (74 k^2 + 36 k + 10 weights: 5,034 at k 8), Adam at 0.005 on minibatches of 50, 100 epochs, each minibatch
    # shifted by up to a pixel (the augmentation of the paper's ResNet runs, scaled to 8 x 8 images); 400 held-out
    # images. The sweep of k (2, 4, 6, 8, 12, 16; the base, k 8, at 2 seeds) crosses where the network can fit its
    # 300 noisy labels through the shifts; without shifts (k 2, 4, 8, 16) it fits them sooner and at smaller widths.
    # Besides: clean labels (k 4 and 12), 10% and 40% flipped (k 8; 40% at k 16 too), shifts of up to 2 pixels (k 12),
    # an L2 penalty 1e-3 in Adam (k 8), and a smaller Adam step, 0.001 over 150 epochs (k 8; the paper's runs took
    # 1e-4 over thousands of epochs). Evaluation spacing mixed.
    base = dict(n=300, test=400, flip=0.2, k=8, shift=1, lr=0.005, wd=None, batch=50, epochs=100, eval="every")
    return preact_resnet_shift, dict_runs(base, [
        dict(k=2, eval="every"),
        dict(k=4, eval="every:2"),
        dict(k=6, eval="jitter:30"),
        dict(seeds=(1, 2)),
        dict(k=12, eval="every:2"),
        dict(k=16, eval="geom:2"),
        dict(shift=None, k=2, eval="every"),
        dict(shift=None, k=4, eval="mixed:30:2"),
        dict(shift=None, k=8, eval="every"),
        dict(shift=None, k=16, eval="every:3"),
        dict(flip=None, k=4, eval="every:2"),
        dict(flip=None, k=12, eval="log:30"),
        dict(flip=0.1, eval="burst:10:4"),
        dict(flip=0.4, eval="every"),
        dict(flip=0.4, k=16, eval="every:3"),
        dict(shift=2, k=12, eval="mixlog:20:30"),
        dict(wd=1e-3, eval="rand:40"),
        dict(lr=0.001, epochs=150, eval="every:3"),
    ], lambda d: "digits-n%d%s-k%d-shift%d-adam-lr%g%s-b%d" % (
        d["n"], noise_name(d), d["k"], d.get("shift") or 0, d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "",
        d["batch"]))


# ---------------------------------------------------------------------------------------------------- mcnn-invsqrt-sgd


def resample_labels(g, y, K, share):
    """A share of the labels redrawn uniformly from all K classes (a redraw may give the label back)."""
    if not share:
        return y
    hit = torch.rand(len(y), generator=g) < share
    return torch.where(hit, torch.randint(0, K, (len(y),), generator=g), y)


def mcnn_invsqrt_sgd(w, run_id, c):
    """A plain four-layer convolutional network on the digits, float32, no normalisation: conv3x3 1 -> k, ReLU,
    conv3x3 k -> 2k, ReLU, max-pool 2 (4 x 4), conv3x3 2k -> 4k, ReLU, max-pool 2 (2 x 2), a linear readout of the 16k
    features to 10 logits; every weight and bias U(+-1 / sqrt(fan-in)) from the run's generator. Data (from the run's
    generator): digit_images; a share flip of the training labels redrawn uniformly from all 10 classes
    (resample_labels). Loss: the cross-entropy. Optimizer: SGD with momentum mom and weight decay wd on minibatches of
    batch, the step set before every minibatch to lr / sqrt(1 + floor(t / 512)), t the steps taken ('const': lr
    throughout); random shifts of up to 'shift' pixels where set. Train loss: the cross-entropy of the training images
    at their given labels; test loss: that of the held-out images at their true labels; error rates: the misclassified
    shares."""
    g = torch.Generator().manual_seed(802_000 + c["seed"])
    x, y, xt, yt = digit_images(g, c)
    yn = resample_labels(g, y, 10, c.get("flip"))
    k = c["k"]
    params = leaves([uniform(g, 9, k, 1, 3, 3), uniform(g, 9, k),
                     uniform(g, 9 * k, 2 * k, k, 3, 3), uniform(g, 9 * k, 2 * k),
                     uniform(g, 18 * k, 4 * k, 2 * k, 3, 3), uniform(g, 18 * k, 4 * k),
                     uniform(g, 16 * k, 16 * k, 10), uniform(g, 16 * k, 10)])
    W1, b1, W2, b2, W3, b3, Wo, bo = params

    def forward(z):
        h = torch.relu(fn.conv2d(z, W1, b1, padding=1))
        h = fn.max_pool2d(torch.relu(fn.conv2d(h, W2, b2, padding=1)), 2)
        h = fn.max_pool2d(torch.relu(fn.conv2d(h, W3, b3, padding=1)), 2)
        return h.flatten(1) @ Wo + bo

    opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0, weight_decay=c.get("wd") or 0.0)
    st = {"t": 0}

    def step(idx):
        lr = c["lr"] if c["sched"] == "const" else c["lr"] / math.sqrt(1 + st["t"] // 512)
        for pg in opt.param_groups:
            pg["lr"] = lr
        opt.zero_grad()
        fn.cross_entropy(forward(shift_images(g, take(x, idx), c.get("shift"))), take(yn, idx)).backward()
        opt.step()
        st["t"] += 1

    run = w.run(run_id, count(params), len(y),
                {"family": "plain-cnn", "width": k, "conv_layers": 3, "pooling": "max", "norm": "none"},
                settings(c, ("seed", "n", "flip", "k", "shift", "lr", "sched", "mom", "wd", "batch", "eval"))
                | {"optimizer": "sgd-momentum" if c.get("mom") else "sgd",
                   "lr_schedule": "inverse-sqrt-512" if c["sched"] == "invsqrt" else "constant",
                   "augment": "shift%d" % c["shift"] if c.get("shift") else "none",
                   "noise": "uniform-redraw-all-classes" if c.get("flip") else "none", "loss": "cross-entropy",
                   "test_loss": "heldout-ce-clean-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=10)
    train_until(g, len(y), c, step, classifier_log(run, forward, x, yn, xt, yt))


def runs_mcnn_invsqrt_sgd():
    # The logic: 400 digits, 20% of their labels redrawn from all 10 classes, a plain convolutional network of width k
    # (90 k^2 + 176 k + 10 weights: 2,154 at k 4) under SGD with momentum 0.9 and weight decay 5e-4 at 0.05, the step
    # falling as the inverse square root of the steps in blocks of 512 (to half of it by the end), minibatches of 25,
    # 100 epochs, no augmentation (as in the paper's CNN runs); 400 held-out images. The sweep of k (1, 2, 3, 4, 6, 8,
    # 12, 16; the base, k 4, at 2 seeds) crosses where it can fit the redrawn labels. Besides: clean labels (k 3 and
    # 12), 10% and 40% redrawn (k 4; 40% at k 12 too), no weight decay and 5e-3 (k 4), no momentum at 0.1 (k 4), a
    # constant step (k 4), and random 1-pixel shifts (k 8). Evaluation spacing mixed.
    base = dict(n=400, test=400, flip=0.2, k=4, shift=None, lr=0.05, sched="invsqrt", mom=0.9, wd=5e-4, batch=25,
                epochs=100, eval="every")
    return mcnn_invsqrt_sgd, dict_runs(base, [
        dict(k=1, eval="every"),
        dict(k=2, eval="every:2"),
        dict(k=3, eval="jitter:30"),
        dict(seeds=(1, 2)),
        dict(k=6, eval="every:2"),
        dict(k=8, eval="mixed:20:2"),
        dict(k=12, eval="every:3"),
        dict(k=16, eval="geom:2"),
        dict(flip=None, k=3, eval="every"),
        dict(flip=None, k=12, eval="log:30"),
        dict(flip=0.1, eval="every:2"),
        dict(flip=0.4, eval="every"),
        dict(flip=0.4, k=12, eval="burst:10:4"),
        dict(wd=None, eval="every"),
        dict(wd=5e-3, eval="every:2"),
        dict(mom=None, lr=0.1, eval="mixlog:20:30"),
        dict(sched="const", eval="every"),
        dict(shift=1, k=8, eval="rand:40"),
    ], lambda d: "digits-n%d%s-k%d%s-sgd-lr%g-%s-mom%g%s-b%d" % (
        d["n"], noise_name(dict(d, noise="redraw")), d["k"], "-shift%d" % d["shift"] if d.get("shift") else "",
        d["lr"], d["sched"], d.get("mom") or 0, "-wd%g" % d["wd"] if d.get("wd") else "", d["batch"]))


# ------------------------------------------------------------------------------------------- pointer-transformer-dmodel


def pointer_data(g, m, c):
    """m sequences of L tokens drawn uniformly from V (from g) and their labels: the token at position
    1 + (x_0 mod (L - 1))."""
    L, V = c["L"], c["V"]
    xs = torch.randint(0, V, (m, L), generator=g)
    return xs, xs[torch.arange(m), 1 + xs[:, 0] % (L - 1)]


def pointer_transformer_dmodel(w, run_id, c):
    """A one-block pre-LayerNorm transformer, float32, width d (d_model): h = E[x] + P (token and position embeddings,
    N(0, 1) from the run's generator); h = h + Wo^T attention(LN(h)) (one head, queries, keys and values LN(h) Wq, Wk,
    Wv, the softmax of q k^T / sqrt(d) over all positions); h = h + relu(LN(h) W1 + b1) W2 + b2 (2d hidden units);
    logits = LN(h_0) Wr + br, read at the first position; LayerNorms without gain or bias; the matrices and biases
    U(+-1 / sqrt(fan-in)) from the run's generator. Data (from the run's generator): pointer_data, n training and 1,000
    held-out sequences; a share flip of the training labels moved to the next class (noise 'cyclic': y + 1 mod V) or
    to another class drawn uniformly ('uniform', flip_labels). Loss: the cross-entropy. Optimizer: AdamW at lr with
    weight decay wd (plain SGD with momentum mom where opt is 'sgd') on minibatches of batch. Train loss: the
    cross-entropy of the training sequences at their given labels; test loss: that of the held-out ones at their true
    labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(803_000 + c["seed"])
    x, y = pointer_data(g, c["n"], c)
    xt, yt = pointer_data(g, 1000, c)
    V, L, d = c["V"], c["L"], c["d"]
    if c.get("noise") == "uniform":
        yn = flip_labels(g, y, V, c.get("flip"))
    elif c.get("flip"):
        hit = torch.rand(len(y), generator=g) < c["flip"]
        yn = torch.where(hit, (y + 1) % V, y)
    else:
        yn = y
    params = leaves([torch.randn(V, d, generator=g), torch.randn(L, d, generator=g),
                     uniform(g, d, d, d), uniform(g, d, d, d), uniform(g, d, d, d), uniform(g, d, d, d),
                     uniform(g, d, d, 2 * d), uniform(g, d, 2 * d), uniform(g, 2 * d, 2 * d, d), uniform(g, 2 * d, d),
                     uniform(g, d, d, V), uniform(g, d, V)])
    E, P, Wq, Wk, Wv, Wo, W1, b1, W2, b2, Wr, br = params

    def forward(z):
        h = E[z] + P
        a = fn.layer_norm(h, (d,))
        att = torch.softmax((a @ Wq) @ (a @ Wk).transpose(1, 2) / math.sqrt(d), -1)
        h = h + (att @ (a @ Wv)) @ Wo
        h = h + torch.relu(fn.layer_norm(h, (d,)) @ W1 + b1) @ W2 + b2
        return fn.layer_norm(h[:, 0], (d,)) @ Wr + br

    if c["opt"] == "sgd":
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0)
    else:
        opt = torch.optim.AdamW(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(take(x, idx)), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(y),
                {"family": "transformer", "d_model": d, "blocks": 1, "heads": 1, "ffn": 2 * d, "norm": "pre-ln",
                 "readout": "first-position", "seq_len": L, "vocab": V},
                settings(c, ("seed", "n", "V", "L", "flip", "noise", "d", "opt", "lr", "wd", "mom", "batch", "eval"))
                | {"optimizer": "adamw" if c["opt"] == "adamw" else "sgd-momentum", "task": "pointer-lookup",
                   "loss": "cross-entropy", "test_loss": "heldout-ce-clean-labels", "error": "misclassified",
                   "test_size": "1000"},
                output_dim=V)
    train_until(g, len(y), c, step, classifier_log(run, forward, x, yn, xt, yt))


def runs_pointer_transformer_dmodel():
    # The logic: 400 training sequences of 8 tokens out of 8, the label the token the first one points at, 20% of the
    # training labels moved to the next class; a one-block transformer of width d (8 d^2 + 27 d + 8 weights: 2,488 at d
    # 16) under AdamW at 0.003 (weight decay 0.01) on minibatches of 50, 150 epochs; 1,000 held-out sequences. The
    # rule needs the attention to look up a position by the first token's content, which the widths learn at
    # different speeds, and the noisy labels can be fitted only sequence by sequence, which takes width. The sweep of
    # d (2, 4, 6, 8, 12, 16, 24, 32, 48, 64; the base, d 16, at 2 seeds) crosses where it can fit them. Besides: clean
    # labels (d 8 and 32), 10% and 40% moved (d 16; 40% at d 32 too), uniform flips to another class (d 16), weight
    # decay 0 and 0.1 (d 16), and SGD with momentum 0.9 at 0.05 (d 16). Evaluation spacing mixed.
    base = dict(n=400, V=8, L=8, flip=0.2, noise="cyclic", d=16, opt="adamw", lr=0.003, wd=0.01, mom=None, batch=50,
                epochs=150, eval="every")
    return pointer_transformer_dmodel, dict_runs(base, [
        dict(d=2, eval="every:2"),
        dict(d=4, eval="every"),
        dict(d=6, eval="jitter:40"),
        dict(d=8, eval="every:2"),
        dict(d=12, eval="every"),
        dict(seeds=(1, 2)),
        dict(d=24, eval="mixed:30:3"),
        dict(d=32, eval="every:3"),
        dict(d=48, eval="geom:3"),
        dict(d=64, eval="log:40"),
        dict(flip=None, noise=None, d=8, eval="every:2"),
        dict(flip=None, noise=None, d=32, eval="every:3"),
        dict(flip=0.1, eval="burst:15:5"),
        dict(flip=0.4, eval="every:2"),
        dict(flip=0.4, d=32, eval="every:3"),
        dict(noise="uniform", eval="every"),
        dict(wd=None, eval="mixlog:30:40"),
        dict(wd=0.1, eval="every:2"),
        dict(opt="sgd", lr=0.05, wd=None, mom=0.9, eval="rand:60"),
    ], lambda d: "pointer-n%d-V%d-L%d%s-d%d-%s-lr%g%s-b%d" % (
        d["n"], d["V"], d["L"], noise_name(d), d["d"], d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else "-mom%g" % d["mom"] if d.get("mom") else "", d["batch"]))


FAMILIES = {"preact-resnet-shift": runs_preact_resnet_shift, "mcnn-invsqrt-sgd": runs_mcnn_invsqrt_sgd,
            "pointer-transformer-dmodel": runs_pointer_transformer_dmodel}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
