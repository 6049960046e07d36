#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundredth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is data augmentation under label noise on scikit-learn's 8 x 8
digits: small CNNs and MLPs trained on training images moved by random sub-pixel shifts and small rotations, with
Gaussian pixel noise added, or with random rectangles erased, at a fixed strength or at a strength ramped during the
run (up, down, switched on or off), with 0-30% of the training labels flipped, under SGD with momentum or Adam; the
test loss the cross-entropy on clean held-out images at their true labels:

- shiftrot-cnn-sgdm: a two-convolution CNN (3 x 3, ch and 2 ch channels, ReLU, 2 x 2 max pooling, 10 logits) under
  minibatch SGD with momentum 0.9 (Adam in 1 run), the training images shifted and rotated at random.
- pixnoise-ramp-mlp: a ReLU MLP on the 64 pixels (two hidden layers at the base) under Adam (momentum SGD in 1 run),
  Gaussian noise added to the training pixels, its sd fixed or ramped.
- randerase-ramp-cnn: a one-convolution CNN (3 x 3, ch channels, ReLU, 2 x 2 max pooling, a ReLU layer, 10 logits)
  under Adam (momentum SGD in 1 run), random erasing of a rectangle of the training images, its probability fixed or
  ramped.

Augmentation (augment, from the run's generator, drawn afresh for every minibatch): 'shift' a uniform sub-pixel shift in
[-shift s, shift s] pixels in each direction and 'rot' a uniform rotation in [-rot s, rot s] degrees, applied together
by one bilinear resampling (torch.nn.functional.affine_grid and grid_sample, zeros outside); 'sigma' Gaussian noise of
sd sigma s added to every pixel (clipped to [0, 1] where 'clip' is set); 'erase' a rectangle erased with probability
erase s (its area a share in [0.05, 'area'] of the image, aspect ratio log-uniform in [1/3, 3], a uniform position;
filled with zeros, or uniform draws where 'fill' is 'rand'). The strength s (ramp) of epoch e (from 0): 'const' 1;
'up' min(1, e / R); 'down' max(0, 1 - e / R); 'off' 1 before epoch R, 0 from it; 'on' 0 before epoch R, 1 from it
(R the setting 'R'). Train loss: the cross-entropy on the un-augmented training images at their given (partly
flipped) labels; test loss: the same on the held-out images at their true labels; error rates: the misclassified
shares of both. A run whose loss turns NaN or infinite sends that evaluation as its last and stops
(train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from train_thirtysixth.py,
take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and mlp from
train_sixtyfifth.py, logger and train_until from train_seventyfourth.py and digit_images from train_seventysixth.py;
one thread, every random draw from a seeded torch.Generator (splits, flips, initialisations, minibatches,
augmentations), synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final
marks it.

    /usr/bin/python3 train_hundredth.py --family shiftrot-cnn-sgdm [--list] [--runs 0,3] [--out FILE]

Families (see README.md): shiftrot-cnn-sgdm, pixnoise-ramp-mlp, randerase-ramp-cnn. Evaluation spacings: train.py's
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
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import digit_images  # noqa: E402  (the digits as 1 x 8 x 8 images, a seeded split)

torch.set_num_threads(1)

F32 = torch.float32


# ---------------------------------------------------------------------------------------------------- shared parts


def ramp(c, e):
    """The augmentation's strength at epoch e (from 0), see the module's docstring."""
    kind, R = c.get("ramp") or "const", c.get("R")
    if kind == "const":
        return 1.0
    if kind == "up":
        return min(1.0, e / R)
    if kind == "down":
        return max(0.0, 1.0 - e / R)
    if kind == "off":
        return 1.0 if e < R else 0.0
    return 0.0 if e < R else 1.0  # 'on'


def augment(g, x, c, s):
    """A minibatch of 1 x 8 x 8 images augmented at strength s (see the module's docstring), from g."""
    if s <= 0:
        return x
    B = len(x)
    shift, rot = (c.get("shift") or 0.0) * s, (c.get("rot") or 0.0) * s
    if shift or rot:
        a = (torch.rand(B, generator=g) * 2 - 1) * rot * math.pi / 180
        t = (torch.rand(B, 2, generator=g) * 2 - 1) * shift * 2 / 8  # pixels to the grid's [-1, 1] units
        cos, sin = torch.cos(a), torch.sin(a)
        theta = torch.stack([torch.stack([cos, -sin, t[:, 0]], 1), torch.stack([sin, cos, t[:, 1]], 1)], 1)
        grid = fn.affine_grid(theta, list(x.shape), align_corners=False)
        x = fn.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    if c.get("sigma"):
        x = x + c["sigma"] * s * torch.randn(x.shape, generator=g)
        if c.get("clip"):
            x = x.clamp(0.0, 1.0)
    if c.get("erase"):
        hit = torch.rand(B, generator=g) < c["erase"] * s
        area = (0.05 + (c["area"] - 0.05) * torch.rand(B, generator=g)) * 64
        aspect = torch.exp((torch.rand(B, generator=g) * 2 - 1) * math.log(3))
        h = torch.sqrt(area * aspect).round().clamp(1, 8)
        w = torch.sqrt(area / aspect).round().clamp(1, 8)
        top = (torch.rand(B, generator=g) * (9 - h)).floor()
        left = (torch.rand(B, generator=g) * (9 - w)).floor()
        ar = torch.arange(8, dtype=F32)
        rows = (ar >= top[:, None]) & (ar < (top + h)[:, None])
        cols = (ar >= left[:, None]) & (ar < (left + w)[:, None])
        mask = (rows[:, :, None] & cols[:, None, :] & hit[:, None, None])[:, None]
        fill = torch.rand(x.shape, generator=g) if c.get("fill") == "rand" else torch.zeros_like(x)
        x = torch.where(mask, fill, x)
    return x


def make_opt(c, params):
    """SGD at lr with heavy-ball momentum 'mom' and coupled weight decay 'wd', or Adam at lr (coupled decay wd)."""
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    return torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0, weight_decay=c.get("wd") or 0.0)


def aug_tag(c):
    parts = []
    if c.get("shift") or c.get("rot"):
        parts.append("shift-rotate")
    if c.get("sigma"):
        parts.append("gaussian-pixel-noise" + ("-clipped" if c.get("clip") else ""))
    if c.get("erase"):
        parts.append("random-erasing-" + (c.get("fill") or "zero"))
    return "+".join(parts) or "none"


def aug_name(d):
    out = ""
    if d.get("shift"):
        out += "-sh%g" % d["shift"]
    if d.get("rot"):
        out += "-rot%g" % d["rot"]
    if d.get("sigma"):
        out += "-sig%g%s" % (d["sigma"], "clip" if d.get("clip") else "")
    if d.get("erase"):
        out += "-er%g-a%g%s" % (d["erase"], d["area"], "rand" if d.get("fill") == "rand" else "")
    if not out:
        return "-noaug"
    return out + ("" if (d.get("ramp") or "const") == "const" else "-%s%d" % (d["ramp"], d["R"]))


def opt_name(d):
    return "%s-lr%g%s%s" % (d["opt"], d["lr"], "-mom%g" % d["mom"] if d.get("mom") else "",
                            "-wd%g" % d["wd"] if d.get("wd") else "")


def classify_run(w, run_id, c, g, params, forward, x, yn, xt, yt, model_info, flat=False):
    """The common loop: minibatches of the augmented training images (augment at the epoch's ramp strength), the
    cross-entropy at the given labels, make_opt; logs the clean train and test cross-entropies and error rates."""
    n = len(yn)
    opt = make_opt(c, params)
    st = {"s": 1.0}

    def begin(e):
        st["s"] = ramp(c, e)

    def prep(z):
        return z.flatten(1) if flat else z

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(prep(augment(g, take(x, idx), c, st["s"]))), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, model_info,
                settings(c, ("seed", "n", "flip", "shift", "rot", "sigma", "clip", "erase", "area", "fill", "ramp", "R",
                             "ch", "fc", "hid", "depth", "opt", "lr", "mom", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "augmentation": aug_tag(c), "strength": c.get("ramp") or "const",
                   "loss": "cross-entropy", "test_loss": "heldout-digits-ce-true-labels", "error": "misclassified",
                   "label_noise": str(c.get("flip") or 0.0), "test_size": str(len(yt))}, output_dim=10)
    log_ = logger(run)
    xf, xtf = prep(x), prep(xt)

    def log(e, final):
        o, ot = forward(xf), forward(xtf)
        log_(e, fn.cross_entropy(o, yn), fn.cross_entropy(ot, yt), (o.argmax(1) != yn).float().mean(),
             (ot.argmax(1) != yt).float().mean(), final=final)

    train_until(g, n, c, step, log, begin=begin)


# ---------------------------------------------------------------------------------------------------- shiftrot-cnn-sgdm


def shiftrot_cnn_sgdm(w, run_id, c):
    """A two-convolution CNN on the digits under shifts and rotations, float32. Data (from the run's generator):
    digit_images (n training images, 'test' others held out); a share flip of the training labels flipped. Model: a 3 x
    3 convolution 1 -> ch (padding 1), ReLU, a 3 x 3 convolution ch -> 2 ch (padding 1), ReLU, 2 x 2 max pooling, 2 ch
    x 16 -> 10 logits, U(+-1 / sqrt(fan-in)) from the run's generator. Optimizer: make_opt on minibatches of batch."""
    g = torch.Generator().manual_seed(1_001_000 + c["seed"])
    x, y, xt, yt = digit_images(g, dict(n=c["n"], test=c["test"]))
    yn = flip_labels(g, y, 10, c.get("flip"))
    ch = c["ch"]
    params = leaves([uniform(g, 9, ch, 1, 3, 3), uniform(g, 9, ch), uniform(g, 9 * ch, 2 * ch, ch, 3, 3),
                     uniform(g, 9 * ch, 2 * ch), uniform(g, 32 * ch, 32 * ch, 10), uniform(g, 32 * ch, 10)])

    def forward(z):
        z = torch.relu(fn.conv2d(z, params[0], params[1], padding=1))
        z = fn.max_pool2d(torch.relu(fn.conv2d(z, params[2], params[3], padding=1)), 2).flatten(1)
        return z @ params[4] + params[5]

    classify_run(w, run_id, c, g, params, forward, x, yn, xt, yt,
                 {"family": "convnet", "channels": ch, "conv_layers": 2, "pooling": "max"})


def runs_shiftrot_cnn_sgdm():
    # The logic: 400 digits, 20% of their labels flipped, a CNN of 8 and 16 channels (3,818 weights, about ten a label,
    # so it can fit the flips) under SGD at 0.05 with momentum 0.9 on minibatches of 32, 50 epochs, 600 held-out images;
    # each training image shifted by up to 1 pixel each way and rotated by up to 15 degrees: the augmented images slow
    # the memorisation of the flipped labels, which still comes late, the held-out loss rising as it does. One thing at a
    # time besides: no augmentation, shifts only, rotations only, shifts of 2 pixels and rotations of 30 degrees, the
    # strength ramped up over 25 epochs, ramped down to zero over 25 epochs, switched off at epoch 25 and switched on at
    # epoch 15, clean, 10% and 30% flipped labels, 4 and 16 channels, the step 0.02 and 0.1, weight decay 5e-4, Adam at
    # 2e-3, 200 and 800 images. Evaluation spacing mixed.
    base = dict(n=400, test=600, flip=0.2, shift=1.0, rot=15.0, ramp=None, R=None, ch=8, opt="sgd", lr=0.05, mom=0.9,
                wd=None, batch=32, epochs=50, eval="every")
    return shiftrot_cnn_sgdm, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(shift=None, rot=None, eval="every"),
        dict(rot=None, eval="every:2"),
        dict(shift=None, eval="jitter:40"),
        dict(shift=2.0, eval="every"),
        dict(rot=30.0, eval="geom:2"),
        dict(ramp="up", R=25, eval="every"),
        dict(ramp="down", R=25, eval="mixed:30:2"),
        dict(ramp="off", R=25, eval="every"),
        dict(ramp="on", R=15, eval="burst:10:4"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.1, eval="every"),
        dict(flip=0.3, eval="log:40"),
        dict(ch=4, eval="every"),
        dict(ch=16, eval="mixlog:20:40"),
        dict(lr=0.02, eval="every:3"),
        dict(lr=0.1, eval="every"),
        dict(wd=5e-4, eval="rand:40"),
        dict(opt="adam", lr=2e-3, mom=None, eval="every"),
        dict(n=200, eval="every:2"),
        dict(n=800, eval="every"),
    ], lambda d: "digits-n%d%s%s-cnn%d-%s-b%d" % (
        d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", aug_name(d), d["ch"], opt_name(d), d["batch"]))


# ---------------------------------------------------------------------------------------------------- pixnoise-ramp-mlp


def pixnoise_ramp_mlp(w, run_id, c):
    """A ReLU MLP on the digits' 64 pixels under Gaussian pixel noise, float32. Data (from the run's generator):
    digit_images (n training images, 'test' others held out), flattened; a share flip of the training labels flipped.
    Model: 64 -> hid (x depth, ReLU) -> 10, mlp_params (U(+-1 / sqrt(fan-in)) from the run's generator). Optimizer:
    make_opt on minibatches of batch."""
    g = torch.Generator().manual_seed(1_002_000 + c["seed"])
    x, y, xt, yt = digit_images(g, dict(n=c["n"], test=c["test"]))
    yn = flip_labels(g, y, 10, c.get("flip"))
    params = mlp_params(g, [64] + [c["hid"]] * c["depth"] + [10], F32)

    def forward(z):
        return mlp(params, z, torch.relu)

    classify_run(w, run_id, c, g, params, forward, x, yn, xt, yt,
                 {"family": "mlp", "hidden": c["hid"], "depth": c["depth"], "activation": "relu"}, flat=True)


def runs_pixnoise_ramp_mlp():
    # The logic: 400 digits, 20% of their labels flipped, a ReLU MLP 64 -> 128 -> 128 -> 10 (26,122 weights) under Adam
    # at 1e-3 on minibatches of 32, 150 epochs, 600 held-out images; Gaussian noise of sd 0.4 added to every training
    # pixel (pixels in [0, 1]): the noise keeps the net from fitting the flipped labels to the pixel, so it fits them
    # slowly; ramped down, the noise leaves the net to memorise them once it is gone. One thing at a time besides: no
    # noise, sd 0.2 and 0.8, the noise clipped to [0, 1], the sd ramped down to zero over 75 and over 135 epochs, ramped
    # up over 75, switched off at epoch 60 and switched on at epoch 45, clean, 10% and 30% flipped labels, one hidden
    # layer, width 512, momentum SGD at 0.05, the step 3e-3, weight decay 1e-4, shifts (1 pixel) with the noise, and
    # 800 images. Evaluation spacing mixed.
    base = dict(n=400, test=600, flip=0.2, sigma=0.4, clip=None, shift=None, ramp=None, R=None, hid=128, depth=2,
                opt="adam", lr=1e-3, mom=None, wd=None, batch=32, epochs=150, eval="every")
    return pixnoise_ramp_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(sigma=None, eval="every"),
        dict(sigma=0.2, eval="every:2"),
        dict(sigma=0.8, eval="jitter:40"),
        dict(clip=1, eval="every"),
        dict(ramp="down", R=75, eval="every"),
        dict(ramp="down", R=135, eval="mixed:40:3"),
        dict(ramp="up", R=75, eval="every:2"),
        dict(ramp="off", R=60, eval="every"),
        dict(ramp="on", R=45, eval="geom:3"),
        dict(flip=None, eval="every:3"),
        dict(flip=0.1, eval="every"),
        dict(flip=0.3, eval="burst:20:5"),
        dict(depth=1, eval="every"),
        dict(hid=512, eval="log:40"),
        dict(opt="sgd", lr=0.05, mom=0.9, eval="every:2"),
        dict(lr=3e-3, eval="mixlog:30:40"),
        dict(wd=1e-4, eval="every"),
        dict(shift=1.0, eval="rand:60"),
        dict(n=800, eval="every:2"),
    ], lambda d: "digits-n%d%s%s-mlp%dx%d-%s-b%d" % (
        d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", aug_name(d), d["depth"], d["hid"], opt_name(d),
        d["batch"]))


# --------------------------------------------------------------------------------------------------- randerase-ramp-cnn


def randerase_ramp_cnn(w, run_id, c):
    """A one-convolution CNN on the digits under random erasing, float32. Data (from the run's generator): digit_images
    (n training images, 'test' others held out); a share flip of the training labels flipped. Model: a 3 x 3
    convolution 1 -> ch (padding 1), ReLU, 2 x 2 max pooling, ch x 16 -> fc ReLU units -> 10 logits, U(+-1 /
    sqrt(fan-in)) from the run's generator. Optimizer: make_opt on minibatches of batch."""
    g = torch.Generator().manual_seed(1_003_000 + c["seed"])
    x, y, xt, yt = digit_images(g, dict(n=c["n"], test=c["test"]))
    yn = flip_labels(g, y, 10, c.get("flip"))
    ch, fc = c["ch"], c["fc"]
    params = leaves([uniform(g, 9, ch, 1, 3, 3), uniform(g, 9, ch), uniform(g, ch * 16, ch * 16, fc),
                     uniform(g, ch * 16, fc), uniform(g, fc, fc, 10), uniform(g, fc, 10)])

    def forward(z):
        z = fn.max_pool2d(torch.relu(fn.conv2d(z, params[0], params[1], padding=1)), 2).flatten(1)
        return torch.relu(z @ params[2] + params[3]) @ params[4] + params[5]

    classify_run(w, run_id, c, g, params, forward, x, yn, xt, yt,
                 {"family": "convnet", "channels": ch, "hidden": fc, "conv_layers": 1, "pooling": "max"})


def runs_randerase_ramp_cnn():
    # The logic: 400 digits, 20% of their labels flipped, a CNN of 16 channels, max pooling to 4 x 4, 64 ReLU units and
    # 10 logits (17,258 weights) under Adam at 2e-3 on minibatches of 32, 80 epochs, 600 held-out images; half the
    # training images (probability 0.5) with a rectangle of up to 30% of the image erased to zero: the erasing hides
    # part of each image, which slows the fit of the flipped labels. One thing at a time besides: no erasing, the
    # probability 1, rectangles of up to 50%, filled with uniform noise, the probability ramped up over 40 epochs,
    # ramped down over 40, switched off at epoch 40 and switched on at epoch 20, clean, 10% and 30% flipped labels, 8
    # channels and 32 units, 32 channels, momentum SGD at 0.05, the step 5e-4, weight decay 1e-4, erasing with shifts
    # (1 pixel) and rotations (10 degrees), erasing with pixel noise (sd 0.2), and 200 images. Evaluation spacing mixed.
    base = dict(n=400, test=600, flip=0.2, erase=0.5, area=0.3, fill=None, shift=None, rot=None, sigma=None, ramp=None,
                R=None, ch=16, fc=64, opt="adam", lr=2e-3, mom=None, wd=None, batch=32, epochs=80, eval="every")
    return randerase_ramp_cnn, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(erase=None, area=None, eval="every"),
        dict(erase=1.0, eval="every:2"),
        dict(area=0.5, eval="jitter:35"),
        dict(fill="rand", eval="every"),
        dict(ramp="up", R=40, eval="every"),
        dict(ramp="down", R=40, eval="mixed:30:2"),
        dict(ramp="off", R=40, eval="every:2"),
        dict(ramp="on", R=20, eval="every"),
        dict(flip=None, eval="geom:2"),
        dict(flip=0.1, eval="every"),
        dict(flip=0.3, eval="every:2"),
        dict(ch=8, fc=32, eval="burst:15:5"),
        dict(ch=32, eval="every"),
        dict(opt="sgd", lr=0.05, mom=0.9, eval="log:40"),
        dict(lr=5e-4, eval="every:3"),
        dict(wd=1e-4, eval="every"),
        dict(shift=1.0, rot=10.0, eval="mixlog:20:40"),
        dict(sigma=0.2, eval="every"),
        dict(n=200, eval="rand:50"),
    ], lambda d: "digits-n%d%s%s-cnn%dx%d-%s-b%d" % (
        d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", aug_name(d), d["ch"], d["fc"], opt_name(d),
        d["batch"]))


FAMILIES = {"shiftrot-cnn-sgdm": runs_shiftrot_cnn_sgdm, "pixnoise-ramp-mlp": runs_pixnoise_ramp_mlp,
            "randerase-ramp-cnn": runs_randerase_ramp_cnn}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
