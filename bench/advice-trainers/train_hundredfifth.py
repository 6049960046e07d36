#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-fifth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is normalisation layers under label noise: deep MLPs and
small CNNs on scikit-learn's digits or wine with batch norm, layer norm, weight norm, RMS norm or no normalisation,
small or large minibatches, SGD with momentum or Adam, 0-30% of the training labels flipped, the test loss the
cross-entropy on clean held-out data:

- normflip-deep-mlp: a deep ReLU MLP (6 hidden layers of 64 at the base; 3 and 10 in some runs) on the 8 x 8 digits
  (300 training images, 600 held out), each hidden layer normalised by one of the five, minibatches of 32 (8 and the
  whole set in some runs), Adam (momentum SGD in some runs).
- normflip-small-cnn: a small CNN (two 3 x 3 convolutions of 8 and 16 channels, each normalised by one of the five,
  ReLU, 2 x 2 average pooling, a linear head) on the digits as images (400 training images, 400 held out), minibatches
  of 40 (10 and the whole set in some runs), Adam (momentum SGD in some runs).
- normflip-wine-mlp: a ReLU MLP (4 hidden layers of 64 at the base) on the wine (100 training wines, standardised, the
  other 78 held out), momentum SGD on minibatches of 10 (4 and the whole set in some runs; Adam in some runs).

Normalisations (NormNet), each on a hidden layer's pre-activation h: 'batch' batch norm (fn.batch_norm: the
minibatch's mean and biased variance per feature or channel in training, running averages (momentum 0.1) at
evaluation; a gain and a shift per feature or channel); 'layer' layer norm (each example's mean and variance over its
features, or over its channels and pixels in the CNN; a gain and a shift per feature or channel); 'rms' RMS norm (h over
the root of each example's mean square, plus 1e-5, over the same; a gain per feature or channel, no shift); 'weight'
weight norm (every unit's or output channel's weight vector v reparameterised as gamma v / |v|, gamma starting at |v|;
no normalisation of h); 'none'. The head (the last linear layer) is never normalised. Weights U(+-1 / sqrt(fan-in))
from the run's generator (train_thirtysecond.py's uniform), gains 1, shifts 0. Loss: the cross-entropy. Train loss: the
cross-entropy on the training points at their given (partly flipped) labels, in evaluation mode (batch norm's running
statistics); test loss: the same on the held-out points at their true labels; error rates: the misclassified shares.
A run whose loss turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves and real_classes from
train_thirtysixth.py, flip_labels and take from train_thirtyninth.py, count from train_fortyeighth.py, logger and
train_until from train_seventyfourth.py and digit_images from train_seventysixth.py; one thread, every random draw from
a seeded torch.Generator (splits, label flips, initialisations, minibatches), float32, synthetic event times, 6
significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_hundredfifth.py --family normflip-deep-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): normflip-deep-mlp, normflip-small-cnn, normflip-wine-mlp. Evaluation spacings: train.py's
'every', 'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K',
'mixlog:A:K', 'geom:G', 'burst:P:B'.
"""
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
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import digit_images  # noqa: E402

torch.set_num_threads(1)

F32 = torch.float32
EPS = 1e-5


# ---------------------------------------------------------------------------------------------------- shared parts


class NormNet:
    """A ReLU MLP ('mlp': d -> width x depth -> K) or a small CNN ('cnn': 3 x 3 convolutions 1 -> ch -> 2 ch, padding 1,
    then 2 x 2 average pooling and a linear head from 2 ch x 16 to K), each hidden layer's pre-activation normalised by
    c['norm'] (see the module's docstring); its weights from g."""

    def __init__(self, g, c, d, K):
        self.norm, self.arch = c["norm"], c["arch"]
        if self.arch == "cnn":
            ch = c["ch"]
            shapes = [(1, ch), (ch, 2 * ch)]
            self.ws = [uniform(g, a * 9, b, a, 3, 3) for a, b in shapes]
            self.bs = [uniform(g, a * 9, b) for a, b in shapes]
            width = [b for _, b in shapes]
            fan = 2 * ch * 16
        else:
            sizes = [d] + [c["width"]] * c["depth"]
            self.ws = [uniform(g, a, a, b) for a, b in zip(sizes, sizes[1:])]
            self.bs = [uniform(g, a, b) for a, b in zip(sizes, sizes[1:])]
            width = sizes[1:]
            fan = sizes[-1]
        self.head = [uniform(g, fan, fan, K), uniform(g, fan, K)]
        self.gain = [torch.ones(m) for m in width] if self.norm in ("batch", "layer", "rms") else []
        self.shift = [torch.zeros(m) for m in width] if self.norm in ("batch", "layer") else []
        self.run_mean = [torch.zeros(m) for m in width]
        self.run_var = [torch.ones(m) for m in width]
        self.wn = [self.vnorm(w) for w in self.ws] if self.norm == "weight" else []
        self.params = leaves(self.ws + self.bs + self.gain + self.shift + self.wn + self.head)

    def vnorm(self, w):
        """Each unit's (MLP: a column; CNN: an output channel's) weight vector's length."""
        return w.norm(dim=0) if self.arch == "mlp" else w.flatten(1).norm(dim=1)

    def weight(self, i):
        w = self.ws[i]
        if self.norm != "weight":
            return w
        scale = self.wn[i] / self.vnorm(w)
        return w * scale if self.arch == "mlp" else w * scale.view(-1, 1, 1, 1)

    def normalise(self, i, h, training):
        if self.norm in ("none", "weight"):
            return h
        view = (1, -1) if h.dim() == 2 else (1, -1, 1, 1)
        if self.norm == "batch":
            return fn.batch_norm(h, self.run_mean[i], self.run_var[i], self.gain[i], self.shift[i], training, 0.1, EPS)
        dims = tuple(range(1, h.dim()))
        if self.norm == "layer":
            mu = h.mean(dims, keepdim=True)
            h = (h - mu) / torch.sqrt(((h - mu) ** 2).mean(dims, keepdim=True) + EPS)
            return h * self.gain[i].view(view) + self.shift[i].view(view)
        return h / torch.sqrt((h * h).mean(dims, keepdim=True) + EPS) * self.gain[i].view(view)

    def __call__(self, z, training=False):
        for i in range(len(self.ws)):
            if self.arch == "cnn":
                h = fn.conv2d(z, self.weight(i), self.bs[i], padding=1)
            else:
                h = z @ self.weight(i) + self.bs[i]
            z = torch.relu(self.normalise(i, h, training))
        if self.arch == "cnn":
            z = fn.avg_pool2d(z, 2).flatten(1)
        return z @ self.head[0] + self.head[1]


def norm_classifier(w, run_id, c, base):
    """Trains a NormNet classifier (see the module's docstring); every random draw from a generator seeded by base plus
    the run's seed. Data: 'digits' (digit_images: n training and 'test' held-out images, pixels / 16; flattened to 64
    inputs for the MLP) or 'wine' (real_classes: n training wines, standardised on them, the rest held out); a share
    flip of the training labels flipped. Optimizer: 'adam' (torch.optim.Adam) or 'sgd' (torch.optim.SGD, momentum 0.9)
    at lr on minibatches of batch (the whole set where batch is None)."""
    g = torch.Generator().manual_seed(base + c["seed"])
    if c["data"] == "wine":
        x, y, xt, yt, K = real_classes(g, "wine", c["n"], 1.0, F32)
    else:
        x, y, xt, yt = digit_images(g, c)
        K = 10
        if c["arch"] == "mlp":
            x, xt = x.flatten(1), xt.flatten(1)
    yn = flip_labels(g, y, K, c.get("flip"))
    n = len(y)
    net = NormNet(g, c, x.shape[1], K)
    if c["opt"] == "adam":
        opt = torch.optim.Adam(net.params, lr=c["lr"])
    else:
        opt = torch.optim.SGD(net.params, lr=c["lr"], momentum=0.9)

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(net(take(x, idx), training=True), take(yn, idx)).backward()
        opt.step()

    cnn = c["arch"] == "cnn"
    info = {"family": "convnet" if cnn else "mlp", "normalisation": c["norm"], "activation": "relu", "data": c["data"]}
    info.update({"channels": c["ch"], "depth": 2} if cnn else {"width": c["width"], "depth": c["depth"]})
    run = w.run(run_id, count(net.params), n, info,
                settings(c, ("seed", "data", "n", "flip", "arch", "depth", "width", "ch", "norm", "opt", "lr", "batch",
                             "eval"))
                | {"optimizer": "adam" if c["opt"] == "adam" else "sgd-momentum0.9",
                   "full_batch": "false" if c.get("batch") else "true", "loss": "cross-entropy",
                   "test_loss": "heldout-ce-true-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=K)
    log_ = logger(run)

    def log(e, final):
        o, ot = net(x), net(xt)
        log_(e, fn.cross_entropy(o, yn), fn.cross_entropy(ot, yt), (o.argmax(1) != yn).float().mean(),
             (ot.argmax(1) != yt).float().mean(), final=final)

    train_until(g, n, c, step, log)


def norm_name(d):
    model = "cnn%d" % d["ch"] if d["arch"] == "cnn" else "mlp%dx%d" % (d["depth"], d["width"])
    return "%s-n%d%s-%s-%s-%s-lr%g-%s" % (
        d["data"], d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", model, d["norm"], d["opt"], d["lr"],
        "b%d" % d["batch"] if d.get("batch") else "full")


# ---------------------------------------------------------------------------------------------------- normflip-deep-mlp


def normflip_deep_mlp(w, run_id, c):
    norm_classifier(w, run_id, c, 1_051_000)


def runs_normflip_deep_mlp():
    # The logic: 300 digits, 20% of their labels flipped, 600 held out; a deep ReLU MLP 64 -> 64 x 6 -> 10 (about 25,000
    # weights, eighty a training image, so it can fit the flips) with batch norm on every hidden layer, Adam at 1e-3 on
    # minibatches of 32, 70 epochs: the clean structure is fitted within tens of epochs, then the flipped labels are
    # memorised and the held-out cross-entropy rises; how fast, and whether it falls back, depends on the
    # normalisation, the batch size and the optimizer. One thing at a time besides: layer, RMS and weight norm and none;
    # minibatches of 8 (with batch norm and with none; 40 epochs) and the whole set (batch norm and layer norm; 3e-3, 150
    # epochs); momentum SGD at 0.05 (batch, layer, RMS and no norm); clean, 10% and 30% flipped labels; 3 and 10 hidden
    # layers (10 also without a norm). Evaluation spacing mixed.
    base = dict(data="digits", n=300, test=600, flip=0.2, arch="mlp", depth=6, width=64, ch=None, norm="batch",
                opt="adam", lr=1e-3, batch=32, epochs=70, eval="every")
    full = dict(batch=None, lr=3e-3, epochs=150)
    return normflip_deep_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(norm="layer", eval="every:2"),
        dict(norm="rms", eval="jitter:30"),
        dict(norm="weight", eval="every"),
        dict(norm="none", eval="every:3"),
        dict(batch=8, epochs=40, eval="every"),
        dict(batch=8, epochs=40, norm="none", eval="mixed:20:2"),
        dict(full, eval="log:40"),
        dict(full, norm="layer", eval="geom:4"),
        dict(opt="sgd", lr=0.05, eval="every:2"),
        dict(opt="sgd", lr=0.05, norm="layer", eval="mixlog:20:40"),
        dict(opt="sgd", lr=0.05, norm="rms", eval="every:4"),
        dict(opt="sgd", lr=0.05, norm="none", eval="burst:20:5"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.1, eval="every"),
        dict(flip=0.3, eval="rand:60"),
        dict(depth=3, eval="every"),
        dict(depth=10, eval="jitter:35"),
        dict(depth=10, norm="none", eval="every:2"),
    ], norm_name)


# ---------------------------------------------------------------------------------------------------- normflip-small-cnn


def normflip_small_cnn(w, run_id, c):
    norm_classifier(w, run_id, c, 1_052_000)


def runs_normflip_small_cnn():
    # The logic: 400 digits as 8 x 8 images, 20% of their labels flipped, 400 held out; a small CNN (3 x 3 convolutions
    # of 8 and 16 channels, each batch-normalised, ReLU, 2 x 2 average pooling, a linear head; about 3,900 weights, ten
    # a training image) under Adam at 3e-3 on minibatches of 40, 40 epochs: the convolutions learn the digits' strokes
    # first and memorise the flipped labels later, the held-out cross-entropy rising once they do. One thing at a time
    # besides: layer, RMS and weight norm and none; minibatches of 10 (batch norm and none; 20 epochs) and the whole set
    # (batch norm and none; 1e-2, 80 epochs); momentum SGD at 0.05 (batch, layer and no norm); clean, 10% and 30%
    # flipped labels; 4 and 12 channels (12 also without a norm). Evaluation spacing mixed.
    base = dict(data="digits", n=400, test=400, flip=0.2, arch="cnn", depth=None, width=None, ch=8, norm="batch",
                opt="adam", lr=3e-3, batch=40, epochs=40, eval="every")
    full = dict(batch=None, lr=1e-2, epochs=80)
    return normflip_small_cnn, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(norm="layer", eval="every"),
        dict(norm="rms", eval="every:2"),
        dict(norm="weight", eval="jitter:30"),
        dict(norm="none", eval="every"),
        dict(batch=10, epochs=20, eval="every"),
        dict(batch=10, epochs=20, norm="none", eval="burst:10:4"),
        dict(full, eval="log:40"),
        dict(full, norm="none", eval="mixlog:20:40"),
        dict(opt="sgd", lr=0.05, eval="every:2"),
        dict(opt="sgd", lr=0.05, norm="layer", eval="geom:2"),
        dict(opt="sgd", lr=0.05, norm="none", eval="every"),
        dict(flip=None, eval="every:3"),
        dict(flip=0.1, eval="mixed:20:2"),
        dict(flip=0.3, eval="every"),
        dict(ch=4, eval="every:2"),
        dict(ch=12, eval="rand:30"),
        dict(ch=12, norm="none", eval="every"),
    ], norm_name)


# ---------------------------------------------------------------------------------------------------- normflip-wine-mlp


def normflip_wine_mlp(w, run_id, c):
    norm_classifier(w, run_id, c, 1_053_000)


def runs_normflip_wine_mlp():
    # The logic: 100 wines (3 cultivars, 13 columns standardised), 20% of their labels flipped, the other 78 held out; a
    # ReLU MLP 13 -> 64 x 4 -> 3 (about 13,600 weights, far more than the wines) with batch norm on every hidden layer,
    # momentum SGD at 0.02 on minibatches of 10, 150 epochs: the three cultivars are nearly linearly separable and are
    # fitted within a few epochs, the flipped wines next, the held-out cross-entropy rising steeply once they are. One
    # thing at a time besides: layer, RMS and weight norm and none; minibatches of 4 (batch norm and none; 60 epochs)
    # and the whole set (batch norm and none; 0.05, 600 epochs); Adam at 1e-3 (batch, layer and no norm); clean, 10% and
    # 30% flipped labels; 2 and 8 hidden layers (8 also without a norm); width 16. Evaluation spacing mixed.
    base = dict(data="wine", n=100, test=None, flip=0.2, arch="mlp", depth=4, width=64, ch=None, norm="batch",
                opt="sgd", lr=0.02, batch=10, epochs=150, eval="every:2")
    full = dict(batch=None, lr=0.05, epochs=600)
    return normflip_wine_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(norm="layer", eval="every"),
        dict(norm="rms", eval="every:3"),
        dict(norm="weight", eval="jitter:35"),
        dict(norm="none", eval="every:2"),
        dict(batch=4, epochs=60, eval="every"),
        dict(batch=4, epochs=60, norm="none", eval="mixed:20:2"),
        dict(full, eval="log:40"),
        dict(full, norm="none", eval="geom:5"),
        dict(opt="adam", lr=1e-3, eval="every"),
        dict(opt="adam", lr=1e-3, norm="layer", eval="burst:25:5"),
        dict(opt="adam", lr=1e-3, norm="none", eval="every:2"),
        dict(flip=None, eval="every:4"),
        dict(flip=0.1, eval="every"),
        dict(flip=0.3, eval="mixlog:30:40"),
        dict(depth=2, eval="every:2"),
        dict(depth=8, eval="rand:60"),
        dict(depth=8, norm="none", eval="every"),
        dict(width=16, eval="every:3"),
    ], norm_name)


FAMILIES = {"normflip-deep-mlp": runs_normflip_deep_mlp, "normflip-small-cnn": runs_normflip_small_cnn,
            "normflip-wine-mlp": runs_normflip_wine_mlp}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
