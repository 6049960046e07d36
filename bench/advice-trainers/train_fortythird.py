#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, forty-third held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 134 families of train.py ... train_fortysecond.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is optimizers, each hand-written in a few lines of
PyTorch (no torch.optim class makes the update), as families of their own on models and data of their own:

- lion-sign: Lion (Chen et al. 2023, "Symbolic discovery of optimization algorithms"): the update is the sign of an
  interpolation of the momentum and the gradient, sign(b1 m + (1 - b1) g), the momentum then m <- b2 m + (1 - b2) g,
  and a decoupled weight decay lr wd w; on a small convnet (two 3x3 convolutions with an average pool between, a linear
  head) on scikit-learn's digits with the right half dimmed, under uniformly flipped or pair-flipped labels (each
  flipped label moved to the next class), and a ReLU MLP on the digits, breast cancer and wine with flipped labels;
- adafactor-factored: Adafactor (Shazeer & Stern 2018) with its relative step sizes: the step of every tensor is
  rho_t max(eps2, RMS(w)), rho_t = min(rho, 1 / sqrt(t)) (or the warm-up init min(1e-6 t, 1 / sqrt(t))), the second
  moment of a weight matrix's gradient kept factored as its row and column means, decaying at b2_t = 1 - t^-c, the
  update clipped to RMS at most d, no first moment (0.9 in a run); on a two-hidden-layer SiLU MLP with Gaussian or
  Laplace target noise on a two-scale teacher whose inputs are turned by a random rotation (so that no row or column
  of a weight matrix holds the slow directions and neither the factored nor a diagonal second moment can rescale
  them), on diabetes with its products, and with flipped labels on breast cancer;
- radam-rectified: RAdam (Liu et al. 2020), Adam whose adaptive step is multiplied by the rectification term r_t,
  which corrects the variance of the adaptive learning rate in the first steps (and falls back to momentum SGD while
  rho_t <= 4), with and without a linear learning-rate warm-up, beside Adam with and without warm-up; on a gated linear
  unit (GLU) network whose first minimum comes within the first tens of epochs at its large step (the fast part of a
  two-scale teacher with target noise, the digits and breast cancer with flipped labels, diabetes).

The file format, determinism and helpers are the earlier files': Writer, the digits and the command line from
train.py, settings from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves and
real_classes from train_thirtysixth.py, eval_epochs (the irregular spacings, through epoch_loop) from
train_thirtyseventh.py, and epoch_loop, take, flip_labels and muon_data (the two-scale regression teacher, the digits,
breast cancer and diabetes) from train_thirtyninth.py; one thread, every random draw from a seeded torch.Generator,
synthetic event times, 6 significant digits.

    /usr/bin/python3 train_fortythird.py --family lion-sign [--list] [--runs 0,3] [--out FILE]

Families (see README.md): lion-sign, adafactor-factored, radam-rectified. Evaluation spacings: train.py's 'every',
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
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves, real_classes  # noqa: E402
from train_thirtyninth import epoch_loop, flip_labels, muon_data, take  # noqa: E402

torch.set_num_threads(1)

F64 = torch.float64


# ---------------------------------------------------------------------------------------------------- shared


def task_loss(f, t, K):
    """Half the squared error (K 1: regression) or the cross-entropy of the logits f."""
    return 0.5 * ((f - t) ** 2).mean() if K == 1 else fn.cross_entropy(f, t)


def log_task(run, e, K, f, y, ft, yt, final):
    """One event: the squared error (regression), or the cross-entropy and error rates of the logits."""
    if K == 1:
        run.log(e, ((f - y) ** 2).mean(), ((ft - yt) ** 2).mean(), final=final)
        return
    run.log(e, fn.cross_entropy(f, y), fn.cross_entropy(ft, yt), (f.argmax(1) != y).double().mean(),
            (ft.argmax(1) != yt).double().mean(), final=final)


def test_name(c):
    return {"synth": "clean-mse", "diabetes": "heldout-mse"}.get(c["data"], "clean-ce")


def pair_flip(g, y, K, share):
    """A share of the labels moved to the next class (k -> k + 1 mod K): asymmetric, class-dependent label noise."""
    hit = torch.rand(len(y), generator=g) < share
    return torch.where(hit, (y + 1) % K, y)


def class_data(g, c):
    """(x, y, xt, yt, K), float64, for classes: 'digits': train.digits (image columns 4-7 times s; n training images,
    the other images the test set); 'cancer', 'wine': real_classes (n training points, half the columns times s). A
    share 'flip' of the training labels replaced by another class drawn at random from the run's generator (noise_kind
    'uniform' or None) or moved to the next class (noise_kind 'pair'); the test labels clean."""
    if c["data"] == "digits":
        x, y, xt, yt = train.digits(c["seed"], c["n"], 0.0, (c["s"], [4, 5, 6, 7]))
        x, xt, K = x.double(), xt.double(), 10
    else:
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], c["s"], F64)
    if c.get("flip"):
        y = pair_flip(g, y, K, c["flip"]) if c.get("noise_kind") == "pair" else flip_labels(g, y, K, c["flip"])
    return x, y, xt, yt, K


def data_name(d):
    return "%s-n%d-s%g%s%s%s%s" % (
        d["data"], d["n"], d["s"], "-F%g-S%g" % (d["F"], d["S"]) if d["data"] == "synth" else "",
        "-rot" if d.get("rotate") else "",
        "-%s%g" % ("laplace" if d.get("noise_kind") == "laplace" else "noise", d["noise"]) if d.get("noise") else "",
        "-%s%g" % ("pairflip" if d.get("noise_kind") == "pair" else "flip", d["flip"]) if d.get("flip") else "")


# ---------------------------------------------------------------------------------------------------- lion-sign


class Lion:
    """Lion (Chen et al. 2023), hand-written: for every weight, c = b1 m + (1 - b1) g, w <- w - lr (sign(c) + wd w)
    (the weight decay decoupled, times the step), then m <- b2 m + (1 - b2) g; m from zero. The step lr times the
    epoch's multiplier (the attribute factor, set before every epoch)."""

    def __init__(self, params, lr, b1, b2, wd):
        self.params, self.lr, self.b1, self.b2, self.wd, self.factor = params, lr, b1, b2, wd, 1.0
        self.m = [torch.zeros_like(q) for q in params]

    def zero_grad(self):
        for q in self.params:
            q.grad = None

    def step(self):
        lr = self.lr * self.factor
        with torch.no_grad():
            for q, m in zip(self.params, self.m):
                u = torch.sign(self.b1 * m + (1 - self.b1) * q.grad)
                q.mul_(1 - lr * self.wd).add_(u, alpha=-lr)
                m.mul_(self.b2).add_(q.grad, alpha=1 - self.b2)


def conv_params(g, k, K):
    """A small convnet on 8x8 images: conv 3x3 1 -> k, ReLU, 2x2 average pool, conv 3x3 k -> k, ReLU, linear k 16 ->
    K; weights and biases U(+-1 / sqrt(fan-in)) from g, float64."""
    return leaves([uniform(g, 9, k, 1, 3, 3).double(), uniform(g, 9, k).double(),
                   uniform(g, 9 * k, k, k, 3, 3).double(), uniform(g, 9 * k, k).double(),
                   uniform(g, 16 * k, K, 16 * k).double(), uniform(g, 16 * k, K).double()])


def conv_forward(p, z):
    z = torch.relu(fn.conv2d(z.view(-1, 1, 8, 8), p[0], p[1], padding=1))
    z = fn.avg_pool2d(z, 2)
    z = torch.relu(fn.conv2d(z, p[2], p[3], padding=1))
    return z.flatten(1) @ p[4].T + p[5]


def mlp_params(g, sizes):
    """Weights (out x in) and biases of an MLP of the given layer sizes, U(+-1 / sqrt(fan-in)) from g, float64."""
    out = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        out += [uniform(g, a, b, a).double(), uniform(g, a, b).double()]
    return leaves(out)


def mlp_forward(p, z, act=torch.relu):
    for i in range(0, len(p) - 2, 2):
        z = act(z @ p[i].T + p[i + 1])
    return z @ p[-2].T + p[-1]


def lion_sign(w, run_id, c):
    """A small convnet (arch 'conv': conv_params, k channels) on the digits, or a one-hidden-layer ReLU MLP d -> h -> K
    (arch 'mlp'), float64, from the run's generator. Data: class_data (the digits with the right half times s; breast
    cancer and wine with half their columns times s), a share of the training labels flipped, uniformly or to the next
    class. Loss: the cross-entropy. Optimizer: Lion (opt 'lion') at step lr, b1, b2 and decoupled weight decay wd,
    or for contrast AdamW (hand-written in the same few lines: Adam's bias-corrected moments, b 0.9 / 0.999, eps 1e-8,
    and the same decoupled decay lr wd w; opt 'adamw') on minibatches; the step constant, or (sched 'cosine')
    annealed by a cosine to zero at the last epoch. Train loss: the cross-entropy of the noisy training labels; test
    loss: that of the clean test labels; error rates too."""
    g = torch.Generator().manual_seed(431_000 + c["seed"])
    x, y, xt, yt, K = class_data(g, c)
    if c["arch"] == "conv":
        params = conv_params(g, c["k"], K)

        def forward(z):
            return conv_forward(params, z)
    else:
        params = mlp_params(g, [x.shape[1], c["h"], K])

        def forward(z):
            return mlp_forward(params, z)
    if c["opt"] == "lion":
        opt = Lion(params, c["lr"], c["b1"], c["b2"], c["wd"])
    else:
        opt = AdamW(params, c["lr"], c["wd"])

    def begin(e):
        opt.factor = 0.5 * (1 + math.cos(math.pi * e / c["epochs"])) if c.get("sched") == "cosine" else 1.0

    def step(idx):
        opt.zero_grad()
        task_loss(forward(take(x, idx)), take(y, idx), K).backward()
        opt.step()

    model = ({"family": "convnet", "channels": c["k"], "convolutions": 2, "outputs": K} if c["arch"] == "conv" else
             {"family": "relu-mlp", "hidden_layers": 1, "width": c["h"], "inputs": x.shape[1], "outputs": K})
    run = w.run(run_id, sum(q.numel() for q in params), len(x), model,
                settings(c, ("seed", "data", "n", "s", "flip", "noise_kind", "arch", "k",
                             "h", "opt", "lr", "b1", "b2", "wd", "sched", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "ce", "test_loss": "clean-ce"},
                output_dim=K)

    def log(e, final):
        log_task(run, e, K, forward(x), y, forward(xt), yt, final)

    epoch_loop(g, len(x), c, step, log, begin)


class AdamW:
    """AdamW (Loshchilov & Hutter 2019), hand-written for contrast: Adam's bias-corrected moments (0.9, 0.999, eps
    1e-8) and the decoupled decay w <- w - lr wd w, the step lr times the epoch's multiplier (the attribute factor)."""

    def __init__(self, params, lr, wd):
        self.params, self.lr, self.wd, self.factor, self.t = params, lr, wd, 1.0, 0
        self.m = [torch.zeros_like(q) for q in params]
        self.v = [torch.zeros_like(q) for q in params]

    def zero_grad(self):
        for q in self.params:
            q.grad = None

    def step(self):
        self.t += 1
        lr = self.lr * self.factor
        with torch.no_grad():
            for q, m, v in zip(self.params, self.m, self.v):
                m.mul_(0.9).add_(q.grad, alpha=0.1)
                v.mul_(0.999).addcmul_(q.grad, q.grad, value=0.001)
                u = (m / (1 - 0.9 ** self.t)) / ((v / (1 - 0.999 ** self.t)).sqrt() + 1e-8)
                q.mul_(1 - lr * self.wd).add_(u, alpha=-lr)


def runs_lion_sign():
    # The logic: every Lion step moves every weight by exactly lr (the sign), and the decoupled decay pulls it back by
    # lr wd w, so each weight settles in the box |w| <= 1 / wd, jittering by about lr around where the sign of the
    # momentum points: wd sets how far the network can go to memorise the flipped labels (no decay: without bound, the
    # cross-entropy of the clean test labels growing with the weights; 3: a box of 1/3, too small to memorise them),
    # and lr wd, the jitter relative to the box, how noisy the late curve is. A convnet of 8 channels (1,954 weights)
    # on 300 digits with 20% flipped labels (the right half dimmed to 0.1) can just memorise the flips in the box of
    # radius 1 (wd 1) over 120 epochs at lr 0.01, the first minimum coming in the first tens of epochs. The grid moves
    # one thing at a time: the step (0.003: a quiet box; 0.03: a jittery one), the decay (none, 0.3, 3), a cosine
    # anneal of the step, the interpolation and momentum rates (0.95 and 0.98, the paper's alternative; b1 0: the sign
    # of the bare gradient), the channels (4, 16), the flips (10%, 40%, 30% pair flips to the next class), no dimming,
    # 600 images, batches of 100, AdamW with its own decay for contrast, and a ReLU MLP on the digits, breast cancer
    # and wine with flipped labels.
    base = dict(data="digits", n=300, s=0.1, flip=0.2, noise_kind=None, arch="conv", k=8, h=None, opt="lion",
                lr=0.01, b1=0.9, b2=0.99, wd=1.0, sched=None, batch=30, epochs=120, eval="every:2")
    mlp = dict(arch="mlp", k=None)
    return lion_sign, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(lr=0.003, eval="jitter:35"),
        dict(lr=0.03, eval="every"),
        dict(wd=0.0, eval="mixed:20:3"),
        dict(wd=0.3, eval="geom:3"),
        dict(wd=3.0, eval="every:2"),
        dict(sched="cosine", eval="log:35"),
        dict(b1=0.95, b2=0.98, eval="rand:60"),
        dict(b1=0.0, eval="every:3"),
        dict(k=4, eval="mixlog:20:30"),
        dict(k=16, eval="every:2"),
        dict(flip=0.1, eval="jitter:30"),
        dict(flip=0.4, eval="every:3"),
        dict(flip=0.3, noise_kind="pair", eval="mixed:30:3"),
        dict(s=1.0, eval="geom:4"),
        dict(n=600, eval="every:2"),
        dict(batch=100, epochs=300, eval="log:35"),
        dict(opt="adamw", lr=0.003, b1=None, b2=None, wd=0.1, eval="every:2"),
        dict(mlp, h=32, eval="every:3"),
        dict(mlp, data="cancer", h=16, eval="every:2"),
        dict(mlp, data="wine", n=120, h=16, batch=20, eval="every:2"),
    ], lambda d: "%s-%s-%s-lr%g%s-wd%g%s-b%d" % (
        data_name(d), "conv-k%d" % d["k"] if d["arch"] == "conv" else "mlp-h%d" % d["h"], d["opt"], d["lr"],
        "-b1%g-b2%g" % (d["b1"], d["b2"]) if d["opt"] == "lion" else "", d["wd"],
        "-cosine" if d.get("sched") == "cosine" else "", d["batch"]))


# ---------------------------------------------------------------------------------------------------- adafactor


class Adafactor:
    """Adafactor (Shazeer & Stern 2018, Algorithms 4 and 5 with the paper's defaults), hand-written: at step t,
    b2_t = 1 - t^-decay; for a weight matrix (factored) the row and column means R, C of grad^2 + eps1 decay at b2_t
    and V = R C^T / mean(R) (the update computed as grad times the inverse square roots of R / mean(R) and of C, as the
    reference implementations do), for a vector (or every tensor where factored is False) the full second moment; the
    update U = grad / sqrt(V) clipped to RMS at most d (U / max(1, RMS(U) / d); d None: no clipping); with momentum b1
    where set (on the clipped update; None: no first moment, the paper's default); the step alpha_t = rho_t max(eps2,
    RMS(w)) (relative True: the step relative to the tensor's own scale) or rho_t (relative False), rho_t = min(rho,
    1 / sqrt(t)), or min(1e-6 t, 1 / sqrt(t)) where warm_init (the warm-up of the reference implementations)."""

    def __init__(self, params, rho, decay=0.8, d=1.0, b1=None, relative=True, factored=True, warm_init=False,
                 eps1=1e-30, eps2=1e-3):
        self.params, self.rho, self.decay, self.d, self.b1 = params, rho, decay, d, b1
        self.relative, self.factored, self.warm, self.eps1, self.eps2, self.t = relative, factored, warm_init, eps1, \
            eps2, 0
        self.v = [(torch.zeros(q.shape[0], dtype=q.dtype), torch.zeros(q.shape[1], dtype=q.dtype))
                  if q.dim() == 2 and factored else torch.zeros_like(q) for q in params]
        self.m = [torch.zeros_like(q) for q in params] if b1 else None

    def zero_grad(self):
        for q in self.params:
            q.grad = None

    def step(self):
        self.t += 1
        t = self.t
        b2 = 1 - t ** -self.decay
        rho = min(1e-6 * t if self.warm else self.rho, 1 / math.sqrt(t))
        with torch.no_grad():
            for i, q in enumerate(self.params):
                g2 = q.grad ** 2 + self.eps1
                if isinstance(self.v[i], tuple):
                    r, cc = self.v[i]
                    r.mul_(b2).add_(g2.mean(1), alpha=1 - b2)
                    cc.mul_(b2).add_(g2.mean(0), alpha=1 - b2)
                    u = q.grad * (r / r.mean()).rsqrt()[:, None] * cc.rsqrt()[None, :]
                else:
                    self.v[i].mul_(b2).add_(g2, alpha=1 - b2)
                    u = q.grad / self.v[i].sqrt()
                if self.d is not None:
                    u = u / (u.pow(2).mean().sqrt() / self.d).clamp(min=1.0)
                if self.m is not None:
                    self.m[i].mul_(self.b1).add_(u, alpha=1 - self.b1)
                    u = self.m[i]
                alpha = rho * max(self.eps2, q.pow(2).mean().sqrt().item()) if self.relative else rho
                q.add_(u, alpha=-alpha)


def ada_data(g, c):
    """muon_data (the two-scale teacher with a linear and a tanh part, diabetes with its products), the synthetic
    targets' noise Laplace where noise_kind is 'laplace' (the same standard deviation; drawn as a difference of two
    exponentials from the run's generator), the inputs (training and test) turned by one random rotation (the Q of a
    QR decomposition of a normal matrix from the run's generator) where rotate is set; or class_data (breast cancer,
    wine) with flipped labels."""
    if c["data"] in ("cancer", "wine"):
        return class_data(g, c)
    if c["data"] == "synth" and c.get("noise_kind") == "laplace":
        x, y, xt, yt, K = muon_data(g, dict(c, noise=0.0))
        e1 = -torch.log(torch.rand(len(y), generator=g, dtype=F64))
        e2 = -torch.log(torch.rand(len(y), generator=g, dtype=F64))
        y = y + c["noise"] * (e1 - e2) / math.sqrt(2)
    else:
        x, y, xt, yt, K = muon_data(g, c)
    if c.get("rotate"):
        Q = torch.linalg.qr(torch.randn(x.shape[1], x.shape[1], generator=g, dtype=F64))[0]
        x, xt = x @ Q, xt @ Q
    return x, y, xt, yt, K


def adafactor_factored(w, run_id, c):
    """A two-hidden-layer SiLU MLP d -> h -> h -> K, float64, weights and biases U(+-1 / sqrt(fan-in)) from the run's
    generator. Data: ada_data. Loss: half the squared error, or the cross-entropy. Optimizer: Adafactor (opt
    'adafactor': rho, decay, clipping threshold d, b1, relative or absolute steps, factored or full second moments,
    warm-up init) or, for contrast, Adam (hand-written AdamW without decay, opt 'adam', at step lr) on minibatches.
    Train loss: the loss on the noisy training targets or labels; test loss: the squared error against the clean test
    targets (the held-out progression on diabetes) or the cross-entropy of the clean test labels; error rates too for
    classes."""
    g = torch.Generator().manual_seed(432_000 + c["seed"])
    x, y, xt, yt, K = ada_data(g, c)
    params = mlp_params(g, [x.shape[1], c["h"], c["h"], K])

    def forward(z):
        f = mlp_forward(params, z, fn.silu)
        return f.squeeze(-1) if K == 1 else f

    if c["opt"] == "adafactor":
        opt = Adafactor(params, c["rho"], c.get("decay") or 0.8, c.get("d"), c.get("b1"), not c.get("absolute"),
                        not c.get("full"), bool(c.get("warm_init")))
    else:
        opt = AdamW(params, c["lr"], 0.0)

    def step(idx):
        opt.zero_grad()
        task_loss(forward(take(x, idx)), take(y, idx), K).backward()
        opt.step()

    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "silu-mlp", "hidden_layers": 2, "width": c["h"], "inputs": x.shape[1], "outputs": K},
                settings(c, ("seed", "data", "rotate", "n", "df", "ds", "s", "F", "S", "noise", "noise_kind", "flip",
                             "h", "opt", "rho", "decay", "d", "b1", "absolute", "full", "warm_init", "lr", "batch",
                             "eval"))
                | {"optimizer": c["opt"], "loss": "mse" if K == 1 else "ce", "test_loss": test_name(c)},
                output_dim=K)

    def log(e, final):
        log_task(run, e, K, forward(x), y, forward(xt), yt, final)

    epoch_loop(g, len(x), c, step, log)


def runs_adafactor_factored():
    # The logic: Adafactor's second moment of a weight matrix is the outer product of its row and column means, so
    # like Adam's it rescales each input column to the size of its own gradient and would undo inputs at a small scale
    # that sit in columns of their own; the inputs are turned by a random rotation, so that the slow directions (10 of
    # 20, at scale 0.05, carrying a slow part of power 2 beside a fast part of power 2) lie across every column and no
    # row or column factor can rescale them. A SiLU network of two hidden layers of 8 units (249 weights) on 200 targets
    # under noise 1.0 fits the fast part within some tens of epochs (a first minimum near the slow part's power),
    # then the noise in the fast directions, and the slow part some hundreds of epochs later, then the rest of the
    # noise; the relative step (1% of each tensor's RMS a step) lets the weights' scale grow multiplicatively, clipping
    # at RMS 1, no first moment, over 600 epochs. The grid moves one thing at a time: the width (4, 16), the noise (0.5;
    # Laplace noise of the same standard deviation), the scale gap (0.1), no slow part, the inputs unrotated (the
    # factored second moment reaches the slow columns), the relative step (0.001, 0.03, 0.1: 1 / sqrt(t) takes over
    # after 100 steps), the warm-up init, an absolute step (0.003), no clipping, a first moment (0.9), a faster decay of
    # the second moment (t^-0.5), the full unfactored second moment, Adam for contrast, the full batch (2,000 epochs),
    # diabetes with its products and breast cancer with flipped labels.
    base = dict(data="synth", rotate=True, n=200, df=10, ds=10, s=0.05, F=2.0, S=2.0, noise=1.0, noise_kind=None,
                flip=None, h=8, opt="adafactor", rho=0.01, decay=0.8, d=1.0, b1=None, absolute=None, full=None,
                warm_init=None, lr=None, batch=20, epochs=600, eval="log:35")
    synth_off = dict(rotate=None, df=None, ds=None, F=None, S=None)
    return adafactor_factored, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=4, eval="every:5"),
        dict(h=16, eval="jitter:35"),
        dict(noise=0.5, eval="mixed:30:6"),
        dict(noise_kind="laplace", eval="geom:6"),
        dict(s=0.1, eval="every:4"),
        dict(S=0.0, eval="log:35"),
        dict(rotate=None, eval="every:6"),
        dict(rho=0.001, eval="rand:120"),
        dict(rho=0.03, eval="mixlog:20:30"),
        dict(rho=0.1, eval="every:5"),
        dict(warm_init=True, eval="jitter:30"),
        dict(absolute=True, rho=0.003, eval="every:6"),
        dict(d=None, eval="log:35"),
        dict(b1=0.9, eval="geom:5"),
        dict(decay=0.5, eval="every:4"),
        dict(full=True, eval="mixed:20:8"),
        dict(opt="adam", rho=None, decay=None, d=None, lr=0.003, eval="every:6"),
        dict(batch=None, epochs=2000, eval="log:35"),
        dict(synth_off, data="diabetes", n=250, s=0.1, noise=0.3, batch=25, epochs=300, eval="every:3"),
        dict(synth_off, data="cancer", n=300, s=0.1, noise=None, flip=0.2, h=16, batch=30, epochs=300,
             eval="every:3"),
    ], lambda d: "%s-h%d-%s-b%s" % (
        data_name(d), d["h"], "adafactor-%s%g-decay%g-clip%s%s%s%s" % (
            "abs" if d.get("absolute") else "rel", d["rho"], d["decay"], "%g" % d["d"] if d.get("d") else "none",
            "-b1%g" % d["b1"] if d.get("b1") else "", "-full" if d.get("full") else "",
            "-warminit" if d.get("warm_init") else "") if d["opt"] == "adafactor" else "adam-lr%g" % d["lr"],
        d["batch"] or "full"))


# ---------------------------------------------------------------------------------------------------- radam


class RAdam:
    """RAdam (Liu et al. 2020, Algorithm 2), hand-written: Adam's moments m, v (b1, b2) with the first bias-corrected;
    rho_inf = 2 / (1 - b2) - 1, rho_t = rho_inf - 2 t b2^t / (1 - b2^t); while rho_t > 4 the adaptive step
    lr r_t m_hat / (sqrt(v / (1 - b2^t)) + eps), r_t = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)
    (rho_inf - 2) rho_t)), the variance rectification; before that (the first few steps) the un-adapted momentum step
    lr m_hat. rectify False: Adam (r_t 1 from the first step). The step lr times the multiplier set in factor (the
    warm-up)."""

    def __init__(self, params, lr, b1=0.9, b2=0.999, eps=1e-8, rectify=True):
        self.params, self.lr, self.b1, self.b2, self.eps, self.rectify = params, lr, b1, b2, eps, rectify
        self.factor, self.t = 1.0, 0
        self.m = [torch.zeros_like(q) for q in params]
        self.v = [torch.zeros_like(q) for q in params]

    def zero_grad(self):
        for q in self.params:
            q.grad = None

    def step(self):
        self.t += 1
        t, b1, b2 = self.t, self.b1, self.b2
        lr = self.lr * self.factor
        rho_inf = 2 / (1 - b2) - 1
        rho = rho_inf - 2 * t * b2 ** t / (1 - b2 ** t)
        with torch.no_grad():
            for q, m, v in zip(self.params, self.m, self.v):
                m.mul_(b1).add_(q.grad, alpha=1 - b1)
                v.mul_(b2).addcmul_(q.grad, q.grad, value=1 - b2)
                mh = m / (1 - b1 ** t)
                if not self.rectify:
                    q.add_(mh / ((v / (1 - b2 ** t)).sqrt() + self.eps), alpha=-lr)
                elif rho > 4:
                    r = math.sqrt((rho - 4) * (rho - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho))
                    q.add_(mh / ((v / (1 - b2 ** t)).sqrt() + self.eps), alpha=-lr * r)
                else:
                    q.add_(mh, alpha=-lr)


def glu_params(g, d, h, K):
    """A GLU layer d -> h (a linear value path and a linear gate, h units each) and a linear head h -> K,
    U(+-1 / sqrt(fan-in)) from g, float64."""
    return leaves([uniform(g, d, h, d).double(), uniform(g, d, h).double(), uniform(g, d, h, d).double(),
                   uniform(g, d, h).double(), uniform(g, h, K, h).double(), uniform(g, h, K).double()])


def glu_forward(p, z):
    return ((z @ p[0].T + p[1]) * torch.sigmoid(z @ p[2].T + p[3])) @ p[4].T + p[5]


def radam_rectified(w, run_id, c):
    """A gated linear unit network (Dauphin et al. 2017): (x W + b) * sigmoid(x V + c), h units, then a linear head to
    K, float64, from the run's generator. Data: muon_data (the two-scale teacher with a linear and a tanh part, target
    noise; the digits, breast cancer with flipped labels; diabetes). Loss: half the squared error or the
    cross-entropy. Optimizer: RAdam (opt 'radam') or Adam (opt 'adam'), both hand-written (RAdam), at step lr, b2, on
    minibatches; with a linear warm-up of the step over the first 'warm' epochs (the multiplier (t + 1) / (warm
    per-epoch steps), by step) where warm is set. Train loss: the loss on the noisy training targets or labels; test
    loss: the squared error against the clean test targets (the held-out progression) or the cross-entropy of the clean
    test labels; error rates too for classes."""
    g = torch.Generator().manual_seed(433_000 + c["seed"])
    x, y, xt, yt, K = muon_data(g, c)
    params = glu_params(g, x.shape[1], c["h"], K)

    def forward(z):
        f = glu_forward(params, z)
        return f.squeeze(-1) if K == 1 else f

    opt = RAdam(params, c["lr"], 0.9, c.get("b2") or 0.999, rectify=c["opt"] == "radam")
    per = math.ceil(len(x) / c["batch"]) if c.get("batch") else 1
    warm_steps = (c.get("warm") or 0) * per

    def step(idx):
        opt.factor = min(1.0, (opt.t + 1) / warm_steps) if warm_steps else 1.0
        opt.zero_grad()
        task_loss(forward(take(x, idx)), take(y, idx), K).backward()
        opt.step()

    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "glu-net", "units": c["h"], "inputs": x.shape[1], "outputs": K},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "noise", "flip", "h", "opt", "lr", "b2",
                             "warm", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse" if K == 1 else "ce", "test_loss": test_name(c)},
                output_dim=K)

    def log(e, final):
        log_task(run, e, K, forward(x), y, forward(xt), yt, final)

    epoch_loop(g, len(x), c, step, log)


def runs_radam_rectified():
    # The logic: a GLU network of 8 units on 30 inputs (505 weights) against 200 noisy targets reaches its first
    # minimum within the first tens of epochs at a large step (0.05), as soon as the fast part of the two-scale teacher
    # is fitted, and fits the noise after it; RAdam multiplies Adam's step by r_t, which is 0.05 after 10 steps, 0.2
    # after 100 and 0.5 after about 450 at b2 0.999 (0.15, 0.63 and 0.98 at b2 0.99), a warm-up built into the
    # optimizer, where Adam takes its first steps at the full step with a second moment averaged over a few
    # gradients, and where a warm-up schedule ramps the step itself. Whether the early first minimum is a transient
    # of those first steps, and whether the slow part comes back under it, is the family's question. The grid moves one
    # thing at a time: Adam without warm-up (at 0.05 and 0.1), with a warm-up of 5 and 20 epochs, RAdam with a
    # warm-up of 5 epochs, the step (0.01; 0.001, slow to the end), b2 0.99 (a short rectification), the width (4), the
    # noise (1.0), no slow part, a strong slow part at scale 0.03 (RAdam and Adam, 400 epochs), 400 points, the full
    # batch (RAdam and Adam, one step an epoch, so the rectification spans thousands of epochs), the digits with 20%
    # flipped labels (RAdam and Adam), breast cancer with flipped labels and diabetes with its products.
    base = dict(data="synth", n=200, df=20, ds=10, s=0.1, F=2.0, S=1.0, noise=0.5, flip=None, h=8, opt="radam",
                lr=0.05, b2=0.999, warm=None, batch=20, epochs=300, eval="every:2")
    synth_off = dict(df=None, ds=None, F=None, S=None)
    digits = dict(synth_off, data="digits", n=300, noise=None, flip=0.2, h=16, lr=0.03, batch=30, epochs=150)
    return radam_rectified, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(opt="adam", eval="every"),
        dict(opt="adam", lr=0.1, eval="every"),
        dict(opt="adam", warm=5, eval="mixed:30:3"),
        dict(opt="adam", warm=20, eval="jitter:35"),
        dict(warm=5, eval="every:2"),
        dict(lr=0.01, eval="geom:3"),
        dict(lr=0.001, eval="log:35"),
        dict(b2=0.99, eval="every:3"),
        dict(h=4, eval="mixlog:20:30"),
        dict(noise=1.0, eval="rand:80"),
        dict(S=0.0, eval="every:2"),
        dict(s=0.03, F=1.0, S=2.0, epochs=400, eval="every:4"),
        dict(s=0.03, F=1.0, S=2.0, epochs=400, opt="adam", eval="geom:4"),
        dict(n=400, eval="every:3"),
        dict(batch=None, epochs=3000, eval="log:35"),
        dict(batch=None, epochs=3000, opt="adam", eval="log:35"),
        dict(digits, eval="every"),
        dict(digits, opt="adam", eval="mixed:30:3"),
        dict(synth_off, data="cancer", n=300, noise=None, flip=0.2, lr=0.03, batch=30, epochs=150, eval="every:2"),
        dict(synth_off, data="diabetes", n=250, noise=0.3, h=4, lr=0.03, batch=25, epochs=150, eval="jitter:30"),
    ], lambda d: "%s-h%d-%s-lr%g-b2%g%s-b%s" % (
        data_name(d), d["h"], d["opt"], d["lr"], d["b2"], "-warm%d" % d["warm"] if d.get("warm") else "",
        d["batch"] or "full"))


FAMILIES = {"lion-sign": runs_lion_sign, "adafactor-factored": runs_adafactor_factored,
            "radam-rectified": runs_radam_rectified}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
