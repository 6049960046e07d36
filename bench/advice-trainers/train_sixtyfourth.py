#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, sixty-fourth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 194 families of train.py ... train_sixtysecond.py in model, loss, noise
and data. The theme of the round is dense prediction and differentiable trees: a fully convolutional network that
labels every pixel of an image, a network that locates keypoints by regressing a heatmap per keypoint, and soft
(differentiable) decision trees trained by gradient descent on real tabular data; at sizes around where the model can
just fit its training set, with label or target noise in part of the grid:

- fcn-seg-shapes: pixel-wise segmentation of synthetic 12x12 images, each with two shapes (discs and squares of
  random place and size, the same intensity, so that the class is told by the shape alone) on Gaussian pixel noise,
  into 3 classes (background, disc, square). A fully convolutional network of 3x3 convolutions with dilations 1, 2
  and 4 (all 1 in 1 run) and a 1x1 classifier, no pooling, at full resolution. Loss: the per-pixel cross-entropy (a
  soft multi-class Dice loss, Milletari et al. 2016, or their sum, in 1 run each). Noise: a share of the training
  shapes' classes swapped in their masks (object-level label noise); in 1 run a share of the mask's pixels replaced
  by a random class instead. Adam (momentum SGD in 1 run) on minibatches, float32. Train loss: the run's loss on
  the training images and their given masks; test loss: the same loss on held-out images and their true masks;
  error rates: the misclassified pixels' shares.
- heatmap-keypoints: keypoint localisation by heatmap regression: synthetic 12x12 images with a plus sign and a
  filled square (anti-aliased by 4x4 subsamples) at random sub-pixel places on Gaussian pixel noise; the target one
  Gaussian heatmap (sd 1 pixel) per keypoint (the two shapes' centres). A small hourglass network (two 3x3
  convolutions at 12x12, a stride-2 convolution to 6x6, two 3x3 convolutions there, a stride-2 transposed
  convolution back to 12x12 added to the full-resolution features, a 1x1 convolution to the 2 heatmaps). Loss: the
  mean squared error of the heatmaps (a spatial softmax per keypoint under the cross-entropy against the normalised
  target heatmap, or the squared error with the target's foreground weighted 10 times, in 1 run each). Noise: the
  training keypoints jittered by Gaussian noise before their heatmaps are drawn; in 1 run the two keypoints swapped
  in a share of the training images instead. Adam (momentum SGD in 1 run) on minibatches, float32. Train loss: the
  run's loss on the training images and their given heatmaps; test loss: the same loss on held-out images and their
  true heatmaps; error rates: the shares of keypoints whose heatmap's arg max lies more than 1.5 pixels from the
  (given, or true) keypoint.
- soft-tree-ensemble: an ensemble of soft (differentiable) decision trees (Irsoy et al. 2012; Frosst & Hinton 2017):
  each inner node of a complete tree of depth D routes a point left with probability sigmoid(beta (w . x + b)), a
  leaf's weight is the product of the routing probabilities along its path, a tree's output the leaf-weighted sum of
  its leaves' vectors (class logits, or a value), the ensemble's the mean over its T trees. Data: scikit-learn's
  breast cancer (standardised; a share of the training labels flipped), its wine (3 classes) and its diabetes
  (regression, Gaussian noise added to the standardised training targets). Loss: the cross-entropy of the ensemble's
  logits (the squared error on diabetes). Adam (momentum SGD in 1 run) on minibatches, float64. Train loss: the loss
  on the training points and their given labels or targets; test loss: the held-out points' loss at their true
  labels or targets; error rates: the misclassification shares (none for diabetes, where no share exists).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs), take and flip_labels from train_thirtyninth.py, count from
train_fortyeighth.py, make_opt from train_fiftysixth.py and error_share from train_fiftyeighth.py; one thread, every
random draw from a seeded torch.Generator, synthetic event times, 6 significant digits. No planned last epoch is
told: the last event's final marks it.

    /usr/bin/python3 train_sixtyfourth.py --family fcn-seg-shapes [--list] [--runs 0,3] [--out FILE]

Families (see README.md): fcn-seg-shapes, heatmap-keypoints, soft-tree-ensemble. Evaluation spacings: train.py's
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
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop, flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_fiftysixth import make_opt  # noqa: E402  (Adam, momentum SGD, plain SGD, RMSprop; coupled decay)
from train_fiftyeighth import error_share  # noqa: E402

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64
S = 12  # the images' side in both image families


# ---------------------------------------------------------------------------------------------------- fcn-seg-shapes


def render_shapes(g, m):
    """m 12x12 images with two shapes each and their masks, all from g: each shape a disc (class 1) or a square
    (class 2) drawn at random, its centre U(1.5, 10.5) on both axes, its radius (half side) U(1.6, 3.2); a pixel
    belongs to a shape where its centre lies inside it (the second shape painted over the first); intensity 1 for
    both classes, plus N(0, 0.3^2) pixel noise. Returns the images (m, 1, S, S), the masks (m, S, S) and each
    pixel's shape index (0 background, 1 first, 2 second) for object-level label noise."""
    pix = torch.arange(S, dtype=F32) + 0.5
    px, py = pix[None, None, :], pix[None, :, None]
    mask = torch.zeros(m, S, S, dtype=torch.long)
    which = torch.zeros(m, S, S, dtype=torch.long)
    for j in (1, 2):
        cls = 1 + torch.randint(2, (m,), generator=g)
        c = 1.5 + 9 * torch.rand(m, 2, generator=g)
        r = 1.6 + 1.6 * torch.rand(m, generator=g)
        dx, dy = px - c[:, 0, None, None], py - c[:, 1, None, None]
        disc = dx ** 2 + dy ** 2 <= r[:, None, None] ** 2
        square = (dx.abs() <= r[:, None, None]) & (dy.abs() <= r[:, None, None])
        inside = torch.where(cls[:, None, None] == 1, disc, square)
        mask = torch.where(inside, cls[:, None, None], mask)
        which = torch.where(inside, torch.full_like(which, j), which)
    img = (mask > 0).to(F32) + 0.3 * torch.randn(m, S, S, generator=g)
    return img[:, None], mask, which


def soft_dice(logits, target, K=3):
    """The soft multi-class Dice loss: 1 - the mean over classes of (2 sum p t + 1) / (sum p + sum t + 1), the sums
    over every pixel of the batch, p the softmax probabilities, t the one-hot masks."""
    p = logits.softmax(1)
    t = fn.one_hot(target, K).permute(0, 3, 1, 2).to(p.dtype)
    inter = (p * t).sum((0, 2, 3))
    return 1 - ((2 * inter + 1) / (p.sum((0, 2, 3)) + t.sum((0, 2, 3)) + 1)).mean()


def seg_loss(logits, target, kind):
    if kind == "ce":
        return fn.cross_entropy(logits, target)
    if kind == "dice":
        return soft_dice(logits, target)
    return fn.cross_entropy(logits, target) + soft_dice(logits, target)


def fcn_seg_shapes(w, run_id, c):
    """Pixel-wise segmentation of render_shapes' images into background, disc and square, float32. Data (from the
    run's generator): n training images whose masks carry label noise: with 'q' each shape's class swapped (disc <->
    square) with probability q, over all its pixels; with 'pix' a share of the mask's pixels replaced by another class
    drawn at random instead; 300 fresh test images with their true masks. Model: conv 3x3 1 -> c (dilation 1) ->
    ReLU -> conv 3x3 c -> c (dilation 2; 1 where 'dil' is 1) -> ReLU -> conv 3x3 c -> c (dilation 4; 1) -> ReLU ->
    conv 1x1 c -> 3, zero padding keeping 12x12; weights and biases U(+-1 / sqrt(fan-in)) from the run's generator.
    Loss (seg_loss): 'ce' the mean per-pixel cross-entropy, 'dice' soft_dice, 'ce+dice' their sum. Optimizer:
    make_opt on minibatches. Train loss: the loss on the training images and their given masks; test loss: the loss
    on the test images and their true masks; error rates: the misclassified pixels' shares (against the given masks,
    against the true ones)."""
    g = torch.Generator().manual_seed(641_000 + c["seed"])
    n, ch = c["n"], c["ch"]
    x, y, which = render_shapes(g, n)
    if c.get("q"):
        swap = torch.rand(n, 3, generator=g) < c["q"]
        hit = torch.gather(swap, 1, which.view(n, -1)).view(n, S, S) & (which > 0)
        y = torch.where(hit, 3 - y, y)
    if c.get("pix"):
        y = flip_labels(g, y.view(-1), 3, c["pix"]).view(n, S, S)
    xt, yt, _ = render_shapes(g, 300)
    d2, d3 = (1, 1) if c.get("dil") == 1 else (2, 4)
    params = leaves([uniform(g, 9, ch, 1, 3, 3), uniform(g, 9, ch), uniform(g, 9 * ch, ch, ch, 3, 3),
                     uniform(g, 9 * ch, ch), uniform(g, 9 * ch, ch, ch, 3, 3), uniform(g, 9 * ch, ch),
                     uniform(g, ch, 3, ch, 1, 1), uniform(g, ch, 3)])

    def model(z):
        f = torch.relu(fn.conv2d(z, params[0], params[1], padding=1))
        f = torch.relu(fn.conv2d(f, params[2], params[3], padding=d2, dilation=d2))
        f = torch.relu(fn.conv2d(f, params[4], params[5], padding=d3, dilation=d3))
        return fn.conv2d(f, params[6], params[7])

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        seg_loss(model(take(x, idx)), take(y, idx), c["loss"]).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "dense-fcn-segmentation", "channels": ch, "loss": c["loss"]},
                settings(c, ("seed", "ch", "dil", "loss", "n", "q", "pix", "opt", "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "test_loss": "heldout-" + c["loss"] + "-true-masks",
                   "error": "pixel-misclassified", "pixels_per_weight": "%.3g" % (n * S * S / count(params))},
                output_dim=3)

    def log(e, final):
        lz, tz = model(x), model(xt)
        run.log(e, seg_loss(lz, y, c["loss"]), seg_loss(tz, yt, c["loss"]), (lz.argmax(1) != y).float().mean(),
                (tz.argmax(1) != yt).float().mean(), final=final)

    epoch_loop(g, n, c, step, log)


def runs_fcn_seg_shapes():
    # The logic: n 60 training images of 144 pixels, 20% of their shapes' classes swapped in the masks; the dilated
    # FCN of c channels has 18 c^2 + 15 c + 3 weights (1,275 at c 8), its receptive field 15 pixels, the whole image,
    # so it can tell a disc from a square by shape and, wide enough, learn the swapped shapes of its 60 images by
    # heart; the sweep of c (2, 4, 6, 8 at the base at 2 seeds, 12, 16: 105 to 4,851 weights) crosses where it can
    # just fit the swaps. Adam at 0.01 on minibatches of 10, 120 epochs. One thing at a time besides: no
    # dilation (receptive field 7), the soft Dice loss and cross-entropy plus Dice, clean masks and 40% swaps, 20%
    # random pixels instead of swaps, 30 and 120 images, c 16 at 30 images, the Dice loss at c 12, weight decay,
    # momentum SGD at 0.05. Evaluation spacing mixed.
    base = dict(ch=8, dil=None, loss="ce", n=60, q=0.2, pix=None, opt="adam", lr=0.01, wd=None, batch=10,
                epochs=120, eval="every:2")
    return fcn_seg_shapes, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(ch=2, eval="every"),
        dict(ch=4, eval="jitter:40"),
        dict(ch=6, eval="every:2"),
        dict(ch=12, eval="geom:3"),
        dict(ch=16, eval="mixed:40:4"),
        dict(dil=1, eval="every"),
        dict(loss="dice", eval="every:2"),
        dict(loss="ce+dice", eval="every:4"),
        dict(q=None, eval="every:2"),
        dict(q=0.4, eval="burst:20:5"),
        dict(q=None, pix=0.2, eval="every:3"),
        dict(n=30, eval="every"),
        dict(n=120, eval="log:40"),
        dict(ch=16, n=30, eval="every:2"),
        dict(ch=12, loss="dice", eval="mixlog:30:40"),
        dict(opt="momentum", lr=0.05, eval="rand:100"),
        dict(wd=0.001, eval="every:2"),
    ], lambda d: "c%d%s-%s-n%d%s%s-%s-lr%g%s" % (
        d["ch"], "-nodil" if d.get("dil") == 1 else "", d["loss"], d["n"],
        "-swap%g" % d["q"] if d.get("q") else "", "-pix%g" % d["pix"] if d.get("pix") else "",
        d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- heatmap-keypoints


def render_keypoints(g, m):
    """m 12x12 images with a plus sign (keypoint 0; arms 1.5 pixels from its centre, 1 pixel wide) and a filled
    square (keypoint 1; half side 1.2) at centres U(2, 10) on both axes (sub-pixel), coverage by 4x4 subsamples, the
    brighter of the two where they meet, plus N(0, 0.25^2) pixel noise; all from g. Returns the images (m, 1, S, S)
    and the keypoints (m, 2, 2) as (x, y) in pixels."""
    kp = 2 + 8 * torch.rand(m, 2, 2, generator=g)
    sub = (torch.arange(4 * S, dtype=F32) + 0.5) / 4
    sx, sy = sub[None, None, :], sub[None, :, None]
    dx, dy = sx - kp[:, 0, 0, None, None], sy - kp[:, 0, 1, None, None]
    plus = ((dx.abs() <= 1.5) & (dy.abs() <= 0.5)) | ((dy.abs() <= 1.5) & (dx.abs() <= 0.5))
    dx, dy = sx - kp[:, 1, 0, None, None], sy - kp[:, 1, 1, None, None]
    square = (dx.abs() <= 1.2) & (dy.abs() <= 1.2)
    img = (plus | square).to(F32).view(m, S, 4, S, 4).mean((2, 4))
    img = img + 0.25 * torch.randn(m, S, S, generator=g)
    return img[:, None], kp


def heatmaps(kp, sigma=1.0):
    """Gaussian heatmaps exp(-|p - k|^2 / (2 sigma^2)) at the pixel centres p, one per keypoint: (m, 2, S, S)."""
    pix = torch.arange(S, dtype=F32) + 0.5
    dx = pix[None, None, None, :] - kp[:, :, 0, None, None]
    dy = pix[None, None, :, None] - kp[:, :, 1, None, None]
    return torch.exp(-(dx ** 2 + dy ** 2) / (2 * sigma ** 2))


def heat_loss(out, target, kind):
    if kind == "mse":
        return ((out - target) ** 2).mean()
    if kind == "fgw":
        return ((1 + 9 * (target > 0.1).to(out.dtype)) * (out - target) ** 2).mean()
    m = len(out)
    logp = out.reshape(m, 2, -1).log_softmax(2)
    t = target.reshape(m, 2, -1)
    return -(t / t.sum(2, keepdim=True) * logp).sum(2).mean()


def keypoint_miss(out, kp):
    """The share of keypoints whose heatmap's arg max pixel centre lies more than 1.5 pixels from the keypoint."""
    m = len(out)
    a = out.reshape(m, 2, -1).argmax(2)
    px, py = (a % S).to(F32) + 0.5, (a // S).to(F32) + 0.5
    return (((px - kp[:, :, 0]) ** 2 + (py - kp[:, :, 1]) ** 2) > 1.5 ** 2).float().mean()


def heatmap_keypoints(w, run_id, c):
    """Keypoint localisation by heatmap regression, float32. Data (render_keypoints, from the run's generator): n
    training images whose keypoints are jittered by N(0, jitter^2) pixels on each axis before their heatmaps are
    drawn (with 'swap' the two keypoints exchanged in a share of the images instead), 300 fresh test images with their
    true keypoints. Model (an hourglass): conv 3x3 1 -> c -> ReLU -> conv 3x3 c -> c -> ReLU (12x12, f1) -> conv 3x3
    stride 2 c -> 2c -> ReLU (6x6) -> conv 3x3 2c -> 2c -> ReLU -> transposed conv 2x2 stride 2 2c -> c (12x12) added
    to f1 -> ReLU -> conv 1x1 c -> 2 heatmaps; weights and biases U(+-1 / sqrt(fan-in)) from the run's generator.
    Loss (heat_loss): 'mse' the mean squared error of the heatmaps, 'fgw' the same with the pixels where the target
    exceeds 0.1 weighted 10 times, 'softmax' a spatial softmax per keypoint under the cross-entropy against the
    target heatmap normalised to sum 1. Optimizer: make_opt on minibatches. Train loss: the loss on the training
    images and their given heatmaps; test loss: the loss on the test images and their true heatmaps; error rates:
    keypoint_miss against the given (training) and the true (test) keypoints."""
    g = torch.Generator().manual_seed(642_000 + c["seed"])
    n, ch = c["n"], c["ch"]
    x, kp = render_keypoints(g, n)
    if c.get("jitter"):
        kp = kp + c["jitter"] * torch.randn(n, 2, 2, generator=g)
    if c.get("swap"):
        hit = torch.rand(n, generator=g) < c["swap"]
        kp = torch.where(hit[:, None, None], kp.flip(1), kp)
    y = heatmaps(kp)
    xt, kpt = render_keypoints(g, 300)
    yt = heatmaps(kpt)
    params = leaves([uniform(g, 9, ch, 1, 3, 3), uniform(g, 9, ch), uniform(g, 9 * ch, ch, ch, 3, 3),
                     uniform(g, 9 * ch, ch), uniform(g, 9 * ch, 2 * ch, ch, 3, 3), uniform(g, 9 * ch, 2 * ch),
                     uniform(g, 18 * ch, 2 * ch, 2 * ch, 3, 3), uniform(g, 18 * ch, 2 * ch),
                     uniform(g, 8 * ch, 2 * ch, ch, 2, 2), uniform(g, 8 * ch, ch),
                     uniform(g, ch, 2, ch, 1, 1), uniform(g, ch, 2)])

    def model(z):
        f1 = torch.relu(fn.conv2d(z, params[0], params[1], padding=1))
        f1 = torch.relu(fn.conv2d(f1, params[2], params[3], padding=1))
        f = torch.relu(fn.conv2d(f1, params[4], params[5], padding=1, stride=2))
        f = torch.relu(fn.conv2d(f, params[6], params[7], padding=1))
        f = torch.relu(fn.conv_transpose2d(f, params[8], params[9], stride=2) + f1)
        return fn.conv2d(f, params[10], params[11])

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        heat_loss(model(take(x, idx)), take(y, idx), c["loss"]).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "dense-heatmap-keypoints", "channels": ch, "loss": c["loss"]},
                settings(c, ("seed", "ch", "loss", "n", "jitter", "swap", "opt", "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "test_loss": "heldout-" + c["loss"] + "-true-heatmaps",
                   "error": "argmax-beyond-1.5px", "points_per_weight": "%.3g" % (2 * n / count(params))},
                output_dim=2)

    def log(e, final):
        out, outt = model(x), model(xt)
        run.log(e, heat_loss(out, y, c["loss"]), heat_loss(outt, yt, c["loss"]), keypoint_miss(out, kp),
                keypoint_miss(outt, kpt), final=final)

    epoch_loop(g, n, c, step, log)


def runs_heatmap_keypoints():
    # The logic: n 80 training images, their keypoints jittered by 0.75 pixels (against a heatmap sd of 1 pixel);
    # the hourglass of c and 2c channels has 71 c^2 + 18 c + 2 weights (4,690 at c 8), a heatmap of 2 x 144 numbers
    # an image, so the sweep of c (2, 4, 6, 8 at the base at 2 seeds, 12, 16) crosses where it can just draw the
    # jittered heatmaps of 80 images by heart. Adam at 0.003 on minibatches of 10, 100 epochs. One thing at a time
    # besides: the foreground-weighted squared error and the spatial softmax, clean keypoints and jitter 1.5, the two
    # keypoints swapped in 20% of the images instead, 40 and 160 images, c 16 at 40 images, c 12 at jitter 1.5,
    # weight decay, momentum SGD at 0.05, Adam at 0.01.
    # Evaluation spacing mixed.
    base = dict(ch=8, loss="mse", n=80, jitter=0.75, swap=None, opt="adam", lr=0.003, wd=None, batch=10,
                epochs=100, eval="every:2")
    return heatmap_keypoints, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(ch=2, eval="every"),
        dict(ch=4, eval="jitter:40"),
        dict(ch=6, eval="every:2"),
        dict(ch=12, eval="geom:3"),
        dict(ch=16, eval="every:3"),
        dict(loss="fgw", eval="every"),
        dict(loss="softmax", eval="every:2"),
        dict(jitter=None, eval="every:4"),
        dict(jitter=1.5, eval="burst:20:5"),
        dict(jitter=None, swap=0.2, eval="every:2"),
        dict(n=40, eval="every"),
        dict(n=160, eval="log:40"),
        dict(ch=16, n=40, eval="mixed:40:4"),
        dict(ch=12, jitter=1.5, eval="mixlog:30:40"),
        dict(wd=0.001, eval="every:3"),
        dict(opt="momentum", lr=0.05, eval="rand:100"),
        dict(lr=0.01, eval="every:2"),
    ], lambda d: "c%d-%s-n%d%s%s-%s-lr%g%s" % (
        d["ch"], d["loss"], d["n"], "-jitter%g" % d["jitter"] if d.get("jitter") else "",
        "-swap%g" % d["swap"] if d.get("swap") else ("" if d.get("jitter") else "-clean"), d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else ""))


# --------------------------------------------------------------------------------------------------- soft-tree-ensemble


def tabular(g, c):
    """scikit-learn's data split by the run's generator, standardised by the training part's statistics: 'cancer'
    (breast cancer, 569 x 30, 2 classes), 'wine' (178 x 13, 3 classes) or 'diabetes' (442 x 10, the progression
    standardised, a regression); n training points, the rest held out. Classes: a share q of the training labels
    flipped to another class; diabetes: N(0, noise^2) added to the training targets."""
    from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
    load = {"cancer": load_breast_cancer, "wine": load_wine, "diabetes": load_diabetes}[c["data"]]
    X, Y = load(return_X_y=True)
    X = torch.tensor(X, dtype=F64)
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    mu, sd = X[tr].mean(0), X[tr].std(0)
    x, xt = (X[tr] - mu) / sd, (X[te] - mu) / sd
    if c["data"] == "diabetes":
        Y = torch.tensor(Y, dtype=F64)
        m, s = Y[tr].mean(), Y[tr].std()
        y, yt = (Y[tr] - m) / s, (Y[te] - m) / s
        y = y + (c.get("noise") or 0.0) * torch.randn(len(y), generator=g, dtype=F64)
        return x, y, xt, yt, 1
    Y = torch.tensor(Y)
    K = int(Y.max()) + 1
    return x, flip_labels(g, Y[tr], K, c.get("q")), xt, Y[te], K


def soft_trees(x, W, b, Q, beta):
    """The ensemble of T soft trees of depth D: W (T, 2^D - 1, p), b (T, 2^D - 1) the inner nodes in level order,
    Q (T, 2^D, K) the leaves; the probability of going left at a node sigmoid(beta (w . x + b)); the output the mean
    over the trees of the sum of the leaves' vectors weighted by their path probabilities: (B, K)."""
    s = torch.sigmoid(beta * (torch.einsum("bp,tnp->btn", x, W) + b))
    B, T = len(x), W.shape[0]
    mu = torch.ones(B, T, 1, dtype=x.dtype)
    lo = 0
    while mu.shape[2] < Q.shape[1]:
        k = mu.shape[2]
        sl = s[:, :, lo:lo + k]
        mu = torch.stack([mu * sl, mu * (1 - sl)], 3).reshape(B, T, 2 * k)
        lo += k
    return torch.einsum("btl,tlk->bk", mu, Q) / T


def soft_tree_ensemble(w, run_id, c):
    """An ensemble of T soft decision trees of depth D, float64, on tabular data (tabular). Inner nodes' weights
    U(+-1 / sqrt(p)) and biases 0.1 U(-1, 1), leaves N(0, 1) (times 0.1 for the regression), from the run's
    generator; beta the routing's sharpness. Loss: the cross-entropy of the ensemble's logits (the squared error of
    its value on diabetes). Optimizer: make_opt on minibatches. Train loss: the loss on the training points and their
    given labels or noisy targets; test loss: the held-out points' loss at their true labels or targets; error rates:
    the misclassification shares (none on diabetes)."""
    g = torch.Generator().manual_seed(643_000 + c["seed"])
    x, y, xt, yt, K = tabular(g, c)
    n, p = x.shape
    T, D = c["trees"], c["depth"]
    inner, nleaf = 2 ** D - 1, 2 ** D
    params = leaves([uniform(g, p, T, inner, p).to(F64), (0.1 * (2 * torch.rand(T, inner, generator=g) - 1)).to(F64),
                     ((0.1 if K == 1 else 1.0) * torch.randn(T, nleaf, K, generator=g)).to(F64)])
    beta = c["beta"]

    def loss(out, target):
        if K == 1:
            return ((out[:, 0] - target) ** 2).mean()
        return fn.cross_entropy(out, target)

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        loss(soft_trees(take(x, idx), *params, beta), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "soft-decision-trees", "trees": T, "depth": D,
                                          "data": c["data"]},
                settings(c, ("seed", "data", "trees", "depth", "beta", "n", "q", "noise", "opt", "lr", "wd", "batch",
                             "eval"))
                | {"optimizer": c["opt"], "loss": "mse" if K == 1 else "ce",
                   "test_loss": "heldout-" + ("mse" if K == 1 else "ce") + "-true",
                   "points_per_weight": "%.3g" % (n / count(params))}, output_dim=K)

    def log(e, final):
        out, outt = soft_trees(x, *params, beta), soft_trees(xt, *params, beta)
        if K == 1:
            run.log(e, loss(out, y), loss(outt, yt), final=final)
        else:
            run.log(e, loss(out, y), loss(outt, yt), error_share(out, y), error_share(outt, yt), final=final)

    epoch_loop(g, n, c, step, log)


def runs_soft_tree_ensemble():
    # The logic: breast cancer, n 300 training patients (269 held out), 20% of their labels flipped; an ensemble of
    # T trees of depth D has T ((2^D - 1) 31 + 2^D 2) weights (4 trees of depth 3: 932), its 7 soft hyperplanes a
    # tree able to carve the flipped patients out, so the sweep of depth (1, 2, 3 at the base at 2 seeds, 4, 5, 6)
    # and of the trees (1, 2, 4, 8, 16) crosses where the ensemble can just fit the flips. Adam at 0.003 on minibatches
    # of 25, 200 epochs, beta 1. One thing at a time besides: beta 0.3 (softer) and 3 (sharper), clean labels and 35%
    # flips, 150 patients, wine (100 of 178, 20% flips), diabetes (300 of 442, target noise 0.5, the squared error;
    # also at depth 5), Adam at 0.01, momentum SGD at 0.05, weight decay. Evaluation spacing mixed.
    base = dict(data="cancer", trees=4, depth=3, beta=1.0, n=300, q=0.2, noise=None, opt="adam", lr=0.003, wd=None,
                batch=25, epochs=200, eval="every:2")
    return soft_tree_ensemble, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(depth=1, eval="every"),
        dict(depth=2, eval="jitter:40"),
        dict(depth=4, eval="every:2"),
        dict(depth=5, eval="geom:3"),
        dict(depth=6, eval="every:3"),
        dict(trees=1, eval="every"),
        dict(trees=2, eval="every:2"),
        dict(lr=0.01, eval="every:3"),
        dict(trees=8, eval="mixed:40:4"),
        dict(trees=16, eval="every:4"),
        dict(beta=0.3, eval="every:2"),
        dict(beta=3.0, eval="every"),
        dict(q=None, eval="every:3"),
        dict(q=0.35, eval="burst:20:5"),
        dict(n=150, eval="every:2"),
        dict(data="wine", n=100, eval="every"),
        dict(data="diabetes", q=None, noise=0.5, eval="log:40"),
        dict(data="diabetes", q=None, noise=0.5, depth=5, eval="mixlog:30:40"),
        dict(opt="momentum", lr=0.05, eval="rand:100"),
        dict(wd=0.001, eval="every:2"),
    ], lambda d: "%s-T%d-D%d-beta%g-n%d%s%s-%s-lr%g%s" % (
        d["data"], d["trees"], d["depth"], d["beta"], d["n"], "-flip%g" % d["q"] if d.get("q") else "",
        "-noise%g" % d["noise"] if d.get("noise") else "", d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


FAMILIES = {"fcn-seg-shapes": runs_fcn_seg_shapes, "heatmap-keypoints": runs_heatmap_keypoints,
            "soft-tree-ensemble": runs_soft_tree_ensemble}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
