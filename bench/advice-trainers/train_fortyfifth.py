#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, forty-fifth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 137 families of train.py ... train_fortythird.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is regularisers that no earlier round used, each on
minibatch training of a small network at sizes around where it can just fit its partly mislabelled training set:

- rdrop-consistency: R-Drop (Liang et al. 2021): every minibatch goes twice through a ReLU MLP with dropout, under two
  independent dropout masks, and the loss is the two passes' cross-entropies plus alpha times the symmetric KL
  divergence between their two softmax predictions, (KL(p1 || p2) + KL(p2 || p1)) / 2; against one-pass dropout, two
  passes without the consistency term and no dropout; Adam (momentum SGD in a few runs) on minibatches; the digits
  with the right half dimmed, breast cancer and wine, with flipped labels, and the regression analogue (the symmetric
  KL of two unit-variance Gaussians, half the squared difference of the passes' outputs) on a two-scale teacher with
  target noise and on diabetes;
- manifold-mixup: Manifold Mixup (Verma et al. 2019): for every minibatch a layer k is drawn at random from an eligible
  set (0: the inputs, 1 and 2: the outputs of the two hidden layers of a ReLU MLP), the minibatch's representations
  at layer k are mixed with those of a permutation of it, lam h + (1 - lam) h[perm], lam ~ Beta(alpha, alpha), and the
  loss is the same mixture of the cross-entropies of the two labels; against input mixup (k 0 only) and no mixing;
  SGD with Nesterov momentum on minibatches; the digits with flipped labels, breast cancer and wine;
- cutout-occlusion: Cutout (DeVries & Taylor 2017): every training image of every minibatch has a square of side L
  (centred at a random pixel, clipped at the border) set to zero with probability p, drawn afresh each step; against no
  occlusion; a small convnet with two 3x3 convolutions, each followed by a 2x2 max pool, and a linear head; the digits
  with flipped labels (uniform or to the next class, or pixel noise), and a synthetic image set of oriented bars;
  the test loss on the clean test images, or in a few runs on test images occluded once by fixed squares.

The file format, determinism and helpers are the earlier files': Writer, the digits and the command line from
train.py, settings from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, eval_epochs (the irregular spacings, through epoch_loop) from train_thirtyseventh.py, epoch_loop
and take from train_thirtyninth.py, and task_loss, log_task, class_data (the digits with the right half dimmed, breast
cancer and wine, uniform or pair flips), mlp_params and data_name from train_fortythird.py; one thread, every random
draw (dropout masks, mixing coefficients, permutations, occlusions) from a seeded torch.Generator, synthetic event
times, 6 significant digits.

    /usr/bin/python3 train_fortyfifth.py --family rdrop-consistency [--list] [--runs 0,3] [--out FILE]

Families (see README.md): rdrop-consistency, manifold-mixup, cutout-occlusion. Evaluation spacings: train.py's
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
from train_thirtyfourth import plain_opt  # noqa: E402  (Adam, or SGD with momentum 0.9)
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop, flip_labels, muon_data, take  # noqa: E402
from train_fortythird import class_data, data_name, log_task, mlp_params, pair_flip, task_loss, test_name  # noqa: E402

torch.set_num_threads(1)

F64 = torch.float64


def class_keys():
    return ("seed", "data", "n", "s", "flip", "noise_kind")


# ---------------------------------------------------------------------------------------------------- rdrop-consistency


def drop(g, z, p):
    """Inverted dropout: each entry kept with probability 1 - p (mask from g) and divided by 1 - p; p 0: z."""
    if not p:
        return z
    keep = (torch.rand(z.shape, generator=g, dtype=z.dtype) >= p).to(z.dtype)
    return z * keep / (1 - p)


def mlp_dropout(params, z, g=None, p=0.0):
    """A ReLU MLP (weights out x in), dropout at rate p after every hidden layer where g is given (training)."""
    for i in range(0, len(params) - 2, 2):
        z = torch.relu(z @ params[i].T + params[i + 1])
        if g is not None:
            z = drop(g, z, p)
    return z @ params[-2].T + params[-1]


def sym_kl(f1, f2, K):
    """(KL(p1 || p2) + KL(p2 || p1)) / 2 of the softmax predictions of the logits f1, f2, averaged over the rows; for
    regression (K 1) that of two unit-variance Gaussians at the outputs f1, f2, (f1 - f2)^2 / 2."""
    if K == 1:
        return 0.5 * ((f1 - f2) ** 2).mean()
    l1, l2 = torch.log_softmax(f1, 1), torch.log_softmax(f2, 1)
    return 0.5 * ((l1.exp() * (l1 - l2)).sum(1) + (l2.exp() * (l2 - l1)).sum(1)).mean()


def rdrop_consistency(w, run_id, c):
    """A ReLU MLP d -> h (-> h) -> K (depth 1 or 2 hidden layers), float64, weights and biases U(+-1 / sqrt(fan-in))
    from the run's generator, with inverted dropout at rate p after every hidden layer in training (masks from the
    run's generator; no dropout at evaluation). Data: class_data (the digits with the right half times s, breast cancer
    and wine with half their columns times s), a share of the training labels flipped; or muon_data's two-scale
    teacher with target noise ('synth') and diabetes with its products. Loss (R-Drop, Liang et al. 2021; passes 2):
    every minibatch goes twice through the network under two independent masks, outputs f1 and f2, and the loss is
    CE(f1, y) + CE(f2, y) + alpha (KL(p1 || p2) + KL(p2 || p1)) / 2, halved (the mean of the two passes'
    cross-entropies plus alpha / 2 times the symmetric KL; sym_kl), alpha 0 for two passes without the consistency
    term; for regression half the squared error in place of the cross-entropy and the symmetric KL of two
    unit-variance Gaussians at f1 and f2; or (passes 1) the loss of one dropout pass. Optimizer: Adam (opt 'adam') or
    SGD with momentum 0.9 ('momentum') at step lr on minibatches. Train loss: the cross-entropy of the noisy training
    labels (the squared error of the noisy targets) without dropout; test loss: that of the clean test labels (the
    squared error against the clean test targets, the held-out progression); error rates too for classes."""
    g = torch.Generator().manual_seed(451_000 + c["seed"])
    x, y, xt, yt, K = muon_data(g, c) if c["data"] in ("synth", "diabetes") else class_data(g, c)
    depth = c.get("depth") or 1
    params = mlp_params(g, [x.shape[1]] + [c["h"]] * depth + [K])
    opt = plain_opt(c, params)
    p, alpha, passes = c.get("p") or 0.0, c.get("alpha") or 0.0, c["passes"]

    def forward(z, gen=None):
        f = mlp_dropout(params, z, gen, p)
        return f.squeeze(-1) if K == 1 else f

    def step(idx):
        xb, yb = take(x, idx), take(y, idx)
        opt.zero_grad()
        if passes == 1:
            loss = task_loss(forward(xb, g), yb, K)
        else:
            f1, f2 = forward(xb, g), forward(xb, g)
            loss = 0.5 * (task_loss(f1, yb, K) + task_loss(f2, yb, K))
            if alpha:
                loss = loss + 0.5 * alpha * sym_kl(f1, f2, K)
        loss.backward()
        opt.step()

    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "dropout-mlp", "hidden_layers": depth, "width": c["h"], "inputs": x.shape[1],
                 "outputs": K},
                settings(c, class_keys() + ("df", "ds", "F", "S", "noise", "h", "depth", "p", "passes", "alpha", "opt",
                                            "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "test_loss": test_name(c),
                   "loss": ("mse" if K == 1 else "ce") + ("+sym-kl" if passes == 2 and alpha and p else "")},
                output_dim=K)

    def log(e, final):
        log_task(run, e, K, forward(x), y, forward(xt), yt, final)

    epoch_loop(g, len(x), c, step, log)


def runs_rdrop_consistency():
    # The logic: a one-hidden-layer ReLU MLP of 32 units on the digits (2,410 weights) with the right half dimmed to
    # 0.1 and 20% flipped labels can memorise the flips within a few hundred epochs of Adam at 0.01 without dropout,
    # the clean test cross-entropy rising for good after a first minimum in the first tens of epochs; dropout at 0.3
    # slows that, and R-Drop's consistency term, alpha times the symmetric KL between two dropout passes, slows it
    # further: a flipped label can only be memorised by a prediction that two random sub-networks share, so the fit of
    # the flips comes later, more slowly, and at a large alpha not within the run (the network then just fits its
    # training set at the end, train loss about 0.3 at the base). The grid moves one thing at a time: the consistency
    # weight (0: two passes without it; 0.3, 3), one-pass dropout, no dropout (the plain network), the rate (0.1,
    # 0.5), the width (16, 64), two hidden layers, the flips (40%; 30% pair flips), the step (0.003), momentum SGD,
    # 600 images, breast cancer and wine with flipped labels; and the regression analogue, where the symmetric KL of
    # two unit-variance Gaussians is half the squared difference of the two passes' outputs, on the two-scale teacher
    # with target noise (R-Drop and two passes without the term, momentum SGD, 8 units around the 200 targets) and on
    # diabetes with its products.
    base = dict(data="digits", n=300, s=0.1, flip=0.2, noise_kind=None, df=None, ds=None, F=None, S=None, noise=None,
                h=32, depth=1, p=0.3, passes=2, alpha=1.0, opt="adam", lr=0.01, batch=30, epochs=300, eval="every:3")
    synth = dict(data="synth", n=200, df=20, ds=10, s=0.1, F=2.0, S=1.0, noise=0.5, flip=None, h=8, p=0.2,
                 opt="momentum", lr=0.02, batch=20)
    return rdrop_consistency, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(alpha=0.0, eval="jitter:35"),
        dict(passes=1, alpha=None, eval="every:3"),
        dict(p=None, passes=1, alpha=None, eval="mixed:30:3"),
        dict(alpha=0.3, eval="geom:3"),
        dict(alpha=3.0, eval="every:4"),
        dict(p=0.1, eval="log:35"),
        dict(p=0.5, eval="every:3"),
        dict(h=16, eval="rand:90"),
        dict(h=64, eval="every:2"),
        dict(depth=2, eval="mixlog:20:30"),
        dict(flip=0.4, eval="every:3"),
        dict(flip=0.3, noise_kind="pair", eval="jitter:30"),
        dict(lr=0.003, eval="every:4"),
        dict(opt="momentum", lr=0.05, eval="geom:4"),
        dict(n=600, eval="every:3"),
        dict(data="cancer", eval="every:2"),
        dict(data="wine", n=120, h=16, batch=20, eval="mixed:20:3"),
        dict(synth, eval="every:3"),
        dict(synth, alpha=0.0, eval="log:35"),
        dict(data="diabetes", n=250, s=0.1, flip=None, noise=0.3, h=8, lr=0.003, batch=25, eval="every:3"),
    ], lambda d: "%s-h%d%s-p%g-%dpass-alpha%g-%s-lr%g-b%d" % (
        data_name(d), d["h"], "x%d" % d["depth"] if d.get("depth", 1) > 1 else "", d.get("p") or 0, d["passes"],
        d.get("alpha") or 0, d["opt"], d["lr"], d["batch"]))


# ---------------------------------------------------------------------------------------------------- manifold-mixup


def gamma_draw(g, a):
    """A Gamma(a, 1) draw from g (Marsaglia & Tsang 2000; for a < 1 a Gamma(a + 1) draw times u^(1 / a))."""
    if a < 1:
        u = torch.rand(1, generator=g, dtype=F64).item()
        return gamma_draw(g, a + 1) * u ** (1 / a)
    d = a - 1 / 3
    cc = 1 / math.sqrt(9 * d)
    while True:
        z = torch.randn(1, generator=g, dtype=F64).item()
        v = (1 + cc * z) ** 3
        if v <= 0:
            continue
        u = torch.rand(1, generator=g, dtype=F64).item()
        if math.log(max(u, 1e-300)) < 0.5 * z * z + d - d * v + d * math.log(v):
            return d * v


def beta_draw(g, a):
    """A Beta(a, a) draw from g, as X / (X + Y) of two Gamma(a) draws."""
    u, v = gamma_draw(g, a), gamma_draw(g, a)
    return u / (u + v)


def mixed_forward(params, z, k=None, lam=1.0, perm=None):
    """A ReLU MLP whose representation at layer k (0: the inputs, i: the output of hidden layer i) is replaced by
    lam h + (1 - lam) h[perm]; k None: no mixing."""
    if k == 0:
        z = lam * z + (1 - lam) * z[perm]
    for i in range(0, len(params) - 2, 2):
        z = torch.relu(z @ params[i].T + params[i + 1])
        if k == i // 2 + 1:
            z = lam * z + (1 - lam) * z[perm]
    return z @ params[-2].T + params[-1]


def manifold_mixup(w, run_id, c):
    """A ReLU MLP d -> h -> h -> K, float64, weights and biases U(+-1 / sqrt(fan-in)) from the run's generator. Data:
    class_data (the digits with the right half times s, breast cancer and wine), a share of the training labels
    flipped. Training (Manifold Mixup, Verma et al. 2019): for every minibatch a layer k drawn uniformly from the
    eligible set c['layers'] (a string of digits: 0 the inputs, 1 and 2 the two hidden layers' outputs; '0' is input
    mixup, '' no mixing), a coefficient lam ~ Beta(alpha, alpha) and a permutation of the minibatch, all from the
    run's generator; the representation at layer k mixed, lam h + (1 - lam) h[perm], and the loss lam CE(f, y) +
    (1 - lam) CE(f, y[perm]). Optimizer: SGD with Nesterov momentum 0.9 (opt 'nesterov') or Adam (opt 'adam') at step
    lr, weight decay wd (coupled; none by default), on minibatches. Train loss: the cross-entropy of the unmixed
    network on the noisy training labels; test loss: that of the clean test labels; error rates too."""
    g = torch.Generator().manual_seed(452_000 + c["seed"])
    x, y, xt, yt, K = class_data(g, c)
    params = mlp_params(g, [x.shape[1], c["h"], c["h"], K])
    wd = c.get("wd") or 0.0
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"], weight_decay=wd)
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9, nesterov=True, weight_decay=wd)
    layers = [int(v) for v in c.get("layers") or ""]

    def step(idx):
        xb, yb = take(x, idx), take(y, idx)
        opt.zero_grad()
        if layers:
            k = layers[int(torch.randint(len(layers), (1,), generator=g))]
            lam = beta_draw(g, c["alpha"])
            perm = torch.randperm(len(xb), generator=g)
            f = mixed_forward(params, xb, k, lam, perm)
            loss = lam * fn.cross_entropy(f, yb) + (1 - lam) * fn.cross_entropy(f, yb[perm])
        else:
            loss = fn.cross_entropy(mixed_forward(params, xb), yb)
        loss.backward()
        opt.step()

    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "relu-mlp", "hidden_layers": 2, "width": c["h"], "inputs": x.shape[1], "outputs": K},
                settings(c, class_keys() + ("h", "layers", "alpha", "opt", "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mixed-ce" if layers else "ce", "test_loss": "clean-ce",
                   "mix_layers": "-".join(str(k) for k in layers) or "none"},
                output_dim=K)

    def log(e, final):
        log_task(run, e, K, mixed_forward(params, x), y, mixed_forward(params, xt), yt, final)

    epoch_loop(g, len(x), c, step, log)


def runs_manifold_mixup():
    # The logic: a two-hidden-layer ReLU MLP of 32 units (3,466 weights) on 300 digits with the right half dimmed to 0.1
    # and 20% flipped labels memorises the flips within tens of epochs under Nesterov SGD at 0.05 without mixing (the
    # clean test cross-entropy from about 0.86 at its minimum to 2.3); mixing the representations of pairs of
    # examples at a layer drawn from {inputs, hidden 1, hidden 2} with a Beta(2, 2) coefficient (the paper's setting)
    # and the same mixture of their labels makes a flipped label a soft target shared with a random partner, so it is
    # fitted only slowly and the network just fits its training set by the end (train loss about 0.15-0.3), the test
    # curve wandering with the mixing draws. The grid moves one thing at a time: the eligible layers (the hidden ones
    # only, the last hidden only, the inputs only: input mixup, none: the plain network), the Beta parameter (0.2,
    # mostly light mixing; 1, uniform; 8, mixing near halves), the width (16, 64), the flips (none, 40%, 30% pair
    # flips), the step (0.01), a weight decay of 5e-4, Adam, the undimmed digits, 600 images, breast cancer and wine.
    base = dict(data="digits", n=300, s=0.1, flip=0.2, noise_kind=None, h=32, layers="012", alpha=2.0,
                opt="nesterov", lr=0.05, wd=None, batch=30, epochs=300, eval="every:3")
    return manifold_mixup, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(layers="12", eval="jitter:35"),
        dict(layers="2", eval="every:2"),
        dict(layers="0", eval="mixed:30:3"),
        dict(layers=None, alpha=None, eval="every:3"),
        dict(alpha=0.2, eval="geom:3"),
        dict(alpha=1.0, eval="log:35"),
        dict(alpha=8.0, eval="every:4"),
        dict(h=16, eval="rand:90"),
        dict(h=64, eval="every:3"),
        dict(flip=None, eval="mixlog:20:30"),
        dict(flip=0.4, eval="every:2"),
        dict(flip=0.3, noise_kind="pair", eval="jitter:30"),
        dict(lr=0.01, eval="every:4"),
        dict(wd=5e-4, eval="geom:4"),
        dict(opt="adam", lr=0.003, eval="every:3"),
        dict(s=1.0, eval="mixed:20:3"),
        dict(n=600, eval="every:3"),
        dict(data="cancer", h=16, eval="every:2"),
        dict(data="wine", n=120, h=16, batch=20, eval="log:35"),
    ], lambda d: "%s-h%d-%s-%s-lr%g%s-b%d" % (
        data_name(d), d["h"], "mix%s-alpha%g" % (d["layers"], d["alpha"]) if d.get("layers") else "nomix",
        d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "", d["batch"]))


# ---------------------------------------------------------------------------------------------------- cutout-occlusion


def bars_data(g, c):
    """A synthetic image set of oriented bars, 8x8, 4 classes: a horizontal, vertical, diagonal or anti-diagonal bar
    of length 5 (at a random position, intensity U(0.5, 1)), plus a second, fainter bar of a random class at
    intensity c['s'] times U(0.5, 1) (a distractor) and Gaussian pixel noise 0.2, clipped to [0, 1]; n training
    images, 1,000 test images, drawn from g; a share 'flip' of the training labels flipped (uniform or pair)."""
    def draw(m):
        imgs = torch.zeros(m, 8, 8, dtype=F64)
        cls = torch.randint(4, (m,), generator=g)
        for j, (k, amp) in enumerate(((cls, 1.0), (torch.randint(4, (m,), generator=g), c["s"]))):
            r0 = torch.randint(0, 4, (m,), generator=g)
            c0 = torch.randint(0, 4, (m,), generator=g)
            off = torch.randint(0, 8, (m,), generator=g)
            a = amp * (0.5 + 0.5 * torch.rand(m, generator=g, dtype=F64))
            for i in range(m):
                t = torch.arange(5)
                kk = int(k[i])
                if kk == 0:
                    rr, cc = torch.full((5,), int(off[i])), c0[i] + t
                elif kk == 1:
                    rr, cc = r0[i] + t, torch.full((5,), int(off[i]))
                elif kk == 2:
                    rr, cc = r0[i] + t, c0[i] + t
                else:
                    rr, cc = r0[i] + t, c0[i] + 4 - t
                imgs[i, rr, cc] = torch.maximum(imgs[i, rr, cc], a[i].expand(5))
        imgs = (imgs + 0.2 * torch.randn(m, 8, 8, generator=g, dtype=F64)).clamp(0, 1)
        return imgs.view(m, 64), cls

    x, y = draw(c["n"])
    xt, yt = draw(1000)
    if c.get("flip"):
        y = pair_flip(g, y, 4, c["flip"]) if c.get("noise_kind") == "pair" else flip_labels(g, y, 4, c["flip"])
    return x, y, xt, yt, 4


def image_data(g, c):
    """bars_data, or class_data's digits (the right half times s), with Gaussian pixel noise c['pixel_noise'] added
    once to the training images (clipped to [0, 1]) where set."""
    if c["data"] == "bars":
        x, y, xt, yt, K = bars_data(g, c)
    else:
        x, y, xt, yt, K = class_data(g, c)
    if c.get("pixel_noise"):
        x = (x + c["pixel_noise"] * torch.randn(x.shape, generator=g, dtype=F64)).clamp(0, 1)
    return x, y, xt, yt, K


def cutout(g, z, side, prob):
    """Cutout (DeVries & Taylor 2017) of a minibatch of 8x8 images (rows of 64): for each image, with probability prob,
    the square of side `side` whose centre (the pixel at offset side // 2 within it) is drawn uniformly among the 64
    pixels, clipped at the border, set to zero; all draws from g."""
    m = z.shape[0]
    cy = torch.randint(0, 8, (m,), generator=g)
    cx = torch.randint(0, 8, (m,), generator=g)
    hit = torch.rand(m, generator=g) < prob
    r = torch.arange(8)
    y0, x0 = (cy - side // 2)[:, None], (cx - side // 2)[:, None]
    my = (r[None, :] >= y0) & (r[None, :] < y0 + side)
    mx = (r[None, :] >= x0) & (r[None, :] < x0 + side)
    mask = my[:, :, None] & mx[:, None, :] & hit[:, None, None]
    return z.masked_fill(mask.view(m, 64), 0.0)


def pool_cnn_params(g, k, K):
    """conv 3x3 1 -> k, ReLU, 2x2 max pool (4x4), conv 3x3 k -> 2k, ReLU, 2x2 max pool (2x2), linear 2k 4 -> K;
    weights and biases U(+-1 / sqrt(fan-in)) from g, float64."""
    return leaves([uniform(g, 9, k, 1, 3, 3).double(), uniform(g, 9, k).double(),
                   uniform(g, 9 * k, 2 * k, k, 3, 3).double(), uniform(g, 9 * k, 2 * k).double(),
                   uniform(g, 8 * k, K, 8 * k).double(), uniform(g, 8 * k, K).double()])


def pool_cnn_forward(p, z):
    z = fn.max_pool2d(torch.relu(fn.conv2d(z.view(-1, 1, 8, 8), p[0], p[1], padding=1)), 2)
    z = fn.max_pool2d(torch.relu(fn.conv2d(z, p[2], p[3], padding=1)), 2)
    return z.flatten(1) @ p[4].T + p[5]


def cutout_occlusion(w, run_id, c):
    """A small convnet (pool_cnn_params: two 3x3 convolutions of k and 2k channels, each followed by a 2x2 max pool, a
    linear head), float64, from the run's generator. Data: image_data (the digits with the right half times s, or the
    synthetic bars), a share of the training labels flipped (uniformly, or to the next class), Gaussian pixel noise on
    the training images where set. Augmentation: every training minibatch's images occluded by cutout(side, prob),
    drawn afresh at every step (side 0: no occlusion). Loss: the cross-entropy. Optimizer: SGD with momentum 0.9 (opt
    'momentum') or Adam (opt 'adam') at step lr on minibatches. Train loss: the cross-entropy of the noisy training
    labels on the un-occluded training images; test loss: that of the clean test labels on the clean test images, or
    (test 'occluded') on the test images each occluded once by a square of side test_side, drawn from a generator of
    its own (seeded by the run's seed); error rates too."""
    g = torch.Generator().manual_seed(453_000 + c["seed"])
    x, y, xt, yt, K = image_data(g, c)
    if c.get("test") == "occluded":
        xt = cutout(torch.Generator().manual_seed(453_500 + c["seed"]), xt, c["test_side"], 1.0)
    params = pool_cnn_params(g, c["k"], K)
    opt = torch.optim.Adam(params, lr=c["lr"]) if c["opt"] == "adam" else \
        torch.optim.SGD(params, lr=c["lr"], momentum=0.9)
    side, prob = c.get("side") or 0, c.get("prob") or 0.0

    def step(idx):
        xb = take(x, idx)
        if side:
            xb = cutout(g, xb, side, prob)
        opt.zero_grad()
        task_loss(pool_cnn_forward(params, xb), take(y, idx), K).backward()
        opt.step()

    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "convnet-maxpool", "channels": c["k"], "convolutions": 2, "outputs": K},
                settings(c, class_keys() + ("pixel_noise", "k", "side", "prob", "test", "test_side", "opt", "lr",
                                            "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "ce", "augmentation": "cutout" if side else "none",
                   "test_loss": "occluded-clean-ce" if c.get("test") == "occluded" else "clean-ce"},
                output_dim=K)

    def log(e, final):
        log_task(run, e, K, pool_cnn_forward(params, x), y, pool_cnn_forward(params, xt), yt, final)

    epoch_loop(g, len(x), c, step, log)


def runs_cutout_occlusion():
    # The logic: the convnet of 8 and 16 channels with two max pools (1,898 weights) on 300 digits with 20% flipped
    # labels memorises the flips within about a hundred epochs of momentum SGD at 0.02 without occlusion (train loss
    # 0.006 at epoch 150, the clean test cross-entropy from its minimum near epoch 30 to twice that); a 4x4 square (a
    # quarter of the image when it lies inside) zeroed at a random place in every training image at every step means
    # that an image is never seen twice the same, so a flipped label has to be memorised across its occluded views:
    # the network just fits its training set by the end (train loss about 0.3), the test curve falling longer and
    # wandering with the draws. The grid moves one thing at a time: the side (none, 2, 3, 6), half the images
    # occluded, the test images occluded once by fixed 4x4 squares (with and without occlusion in training), the
    # channels (4, 16), the flips (none, 40%, 30% pair flips), Gaussian pixel noise 0.3 on the training images
    # instead of flips, the step (0.005), Adam, the right half dimmed to 0.1, 600 images, and a synthetic set of
    # oriented bars with a fainter distractor bar (with and without occlusion).
    base = dict(data="digits", n=300, s=1.0, flip=0.2, noise_kind=None, pixel_noise=None, k=8, side=4, prob=1.0,
                test=None, test_side=None, opt="momentum", lr=0.02, batch=30, epochs=150, eval="every:2")
    return cutout_occlusion, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(side=None, prob=None, eval="every:2"),
        dict(side=2, eval="jitter:30"),
        dict(side=3, eval="mixed:30:3"),
        dict(side=6, eval="every:3"),
        dict(prob=0.5, eval="geom:3"),
        dict(test="occluded", test_side=4, eval="every:2"),
        dict(side=None, prob=None, test="occluded", test_side=4, eval="every:2"),
        dict(k=4, eval="log:30"),
        dict(k=16, eval="every:3"),
        dict(flip=None, eval="mixlog:20:25"),
        dict(flip=0.4, eval="every:2"),
        dict(flip=0.3, noise_kind="pair", eval="rand:60"),
        dict(flip=None, pixel_noise=0.3, eval="every:3"),
        dict(lr=0.005, eval="geom:4"),
        dict(opt="adam", lr=0.003, eval="every:2"),
        dict(s=0.1, eval="jitter:35"),
        dict(n=600, eval="every:3"),
        dict(data="bars", s=0.5, eval="every:2"),
        dict(data="bars", s=0.5, side=None, prob=None, eval="mixed:30:3"),
    ], lambda d: "%s%s-k%d-%s%s-%s-lr%g-b%d" % (
        data_name(d), "-pixnoise%g" % d["pixel_noise"] if d.get("pixel_noise") else "", d["k"],
        "cut%d-p%g" % (d["side"], d["prob"]) if d.get("side") else "nocut",
        "-testocc%d" % d["test_side"] if d.get("test") == "occluded" else "", d["opt"], d["lr"], d["batch"]))


FAMILIES = {"rdrop-consistency": runs_rdrop_consistency, "manifold-mixup": runs_manifold_mixup,
            "cutout-occlusion": runs_cutout_occlusion}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
