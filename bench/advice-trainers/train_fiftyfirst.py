#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, fifty-first held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 158 families of train.py ... train_fiftieth.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is everyday training recipes of small classifiers as
researchers run them today, at sizes around where the model can just fit its training set, with label noise in part
of the grid:

- warmup-cosine-cnn: a small CNN on scikit-learn's 8x8 digits trained by AdamW (decoupled weight decay) on
  minibatches, the step set before every minibatch by a linear warm-up over the first epochs then a cosine decay to
  zero at the run's planned last epoch (the schedule of most recent papers); a share of the training labels flipped,
  the right half of the images dimmed in part of the grid. Train loss: the cross-entropy of the noisy training
  labels; test loss: that of the clean held-out images.
- onecycle-mlp: the one-cycle policy (Smith & Topin 2019; PyTorch's OneCycleLR, written out): the step rises from
  max / div to max over the first share pct of the steps and falls by a cosine (or linearly) to max / (div x 1e4) at
  the planned last step, while SGD's momentum (Adam's beta1 in a run) is cycled the other way, 0.95 down to 0.85 and
  back; a ReLU MLP on synthetic two-scale classes, wine or breast cancer, a share of the labels flipped.
- deep-supervision: deeply-supervised nets (Lee et al. 2015): a ReLU MLP of 3 hidden layers (4 in a run) on the
  digits (or wine, breast cancer) with a linear auxiliary classifier on each hidden layer but the last, the objective
  the final head's cross-entropy plus the auxiliary heads' cross-entropies weighted by alpha, annealed linearly to
  zero over the first share of the epochs (constant in a run); Adam on minibatches. Train loss: the final head's
  cross-entropy of the noisy training labels; test loss: that of the clean test labels (error rates of the final
  head too).

The file format, determinism and helpers are the earlier files': Writer, digits and the command line from train.py,
settings from train_more.py, dict_runs from train_seventh.py, batches from train_twentyfirst.py, uniform from
train_thirtysecond.py, leaves and real_classes from train_thirtysixth.py, eval_epochs from train_thirtyseventh.py,
epoch_loop, take and flip_labels from train_thirtyninth.py, mlp_params, mlp_forward and count from
train_fortyeighth.py and class_data, data_tags, ce, errors, data_name and noise_name from train_fiftieth.py; one
thread, every random draw from a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_fiftyfirst.py --family warmup-cosine-cnn [--list] [--runs 0,3] [--out FILE]

Families (see README.md): warmup-cosine-cnn, onecycle-mlp, deep-supervision. Evaluation spacings: train.py's
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
from train_twentyfirst import batches  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves, real_classes  # noqa: E402
from train_thirtyseventh import eval_epochs  # noqa: E402
from train_thirtyninth import epoch_loop, flip_labels, take  # noqa: E402
from train_fortyeighth import count, mlp_forward, mlp_params  # noqa: E402
from train_fiftieth import ce, class_data, data_name, data_tags, errors, noise_name  # noqa: E402

torch.set_num_threads(1)

F = torch.nn.functional


def image_data(c):
    """train.digits (float32, pixels in [0, 1]): n training images, a share c['flip'] of their labels flipped, the
    other images (clean) for testing; the right half (columns 4-7) times c['s'] where set."""
    s = c.get("s")
    return train.digits(c["seed"], c["n"], c.get("flip") or 0.0, (s, [4, 5, 6, 7]) if s else None)


# ---------------------------------------------------------------------------------------------------- warmup-cosine-cnn


def cnn_params(g, k):
    """conv 3x3 1 -> k, conv 3x3 k -> 2k, a linear readout of the 2k x 4 x 4 pooled maps to 10 classes; weights and
    biases U(+-1 / sqrt(fan-in)) from g, float32."""
    return leaves([uniform(g, 9, k, 1, 3, 3), uniform(g, 9, k), uniform(g, 9 * k, 2 * k, k, 3, 3),
                   uniform(g, 9 * k, 2 * k), uniform(g, 32 * k, 10, 32 * k), uniform(g, 32 * k, 10)])


def cnn_forward(p, x):
    z = torch.relu(F.conv2d(x.view(-1, 1, 8, 8), p[0], p[1], padding=1))
    z = F.max_pool2d(torch.relu(F.conv2d(z, p[2], p[3], padding=1)), 2)
    return z.flatten(1) @ p[4].T + p[5]


def warmup_cosine(c, t):
    """The step's multiplier at fractional epoch t: linear from 0 over the first c['warm'] epochs, then 'cosine' (to
    zero at the planned last epoch c['epochs']) or 'const' (the contrast: 1 after the warm-up)."""
    E, W = c["epochs"], c.get("warm") or 0
    if W and t < W:
        return t / W
    if c["sched"] == "const":
        return 1.0
    return 0.5 * (1 + math.cos(math.pi * min(1.0, (t - W) / (E - W))))


def warmup_cosine_cnn(w, run_id, c):
    """A small CNN on the digits under AdamW and a warm-up-cosine schedule, float32 (cnn_params, from the run's
    generator). Data: image_data. Optimizer: AdamW (betas 0.9, 0.999, decoupled weight decay wd) at peak step lr on
    minibatches of `batch` (a seeded permutation every epoch), the step set before every minibatch to lr times
    warmup_cosine at the fractional epoch reached. Loss: the cross-entropy. Train loss: that of the noisy training
    labels; test loss: that of the clean test images; error rates too."""
    g = torch.Generator().manual_seed(511_000 + c["seed"])
    x, y, xt, yt = image_data(c)
    params = cnn_params(g, c["k"])
    opt = torch.optim.AdamW(params, lr=c["lr"], weight_decay=c["wd"])
    n = len(x)
    per = len(batches(torch.Generator().manual_seed(0), n, c["batch"]))
    t = [0]

    def step(idx):
        for group in opt.param_groups:
            group["lr"] = c["lr"] * warmup_cosine(c, t[0] / per)
        opt.zero_grad()
        ce(cnn_forward(params, take(x, idx)), take(y, idx)).backward()
        opt.step()
        t[0] += 1

    run = w.run(run_id, count(params), n, {"family": "cnn", "channels": c["k"], "classes": 10},
                settings(c, ("seed", "n", "flip", "s", "k", "lr", "wd", "warm", "sched", "batch", "eval"))
                | {"optimizer": "adamw", "loss": "ce", "test_loss": "clean-ce",
                   "points_per_weight": "%.3g" % (n / count(params))},
                output_dim=10)

    def log(e, final):
        f, ft = cnn_forward(params, x), cnn_forward(params, xt)
        run.log(e, ce(f, y), ce(ft, yt), errors(f, y), errors(ft, yt), final=final)

    epoch_loop(g, n, c, step, log)


def runs_warmup_cosine_cnn():
    # The logic: the CNN with 4 and 8 channels (1,626 weights) on 400 digit images, 20% of whose labels are flipped,
    # can just fit its training set within 100 epochs of AdamW at a peak step 0.01 on minibatches of 50: the clean
    # images are learned in the first epochs (while the step warms up over 5), the flips are memorised as the step is
    # still large, and the cosine's tail, the step going to zero at the planned last epoch, settles the network where
    # it is (the fit of the flips completed, or, with weight decay pulling the memorising weights back, a lower test
    # loss). The grid moves one thing at a time: the warm-up (none, 20 epochs), the planned length (50, 200 epochs),
    # a constant step after the warm-up (the contrast), weight decay (0, 0.5), the peak step (0.003, 0.03), the flips
    # (none, 40%), the channels (2, 8), 200 and 800 images, the right half of the images dimmed to 0.1 (the slow
    # features) with and without flips, and minibatches of 25.
    base = dict(n=400, flip=0.2, s=None, k=4, lr=0.01, wd=0.05, warm=5, sched="cosine", batch=50, epochs=100,
                eval="every")
    return warmup_cosine_cnn, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(warm=None, eval="every:2"),
        dict(warm=20, eval="every:2"),
        dict(epochs=50, eval="every"),
        dict(epochs=200, eval="every:2"),
        dict(sched="const", eval="every"),
        dict(wd=0.0, eval="jitter:30"),
        dict(wd=0.5, eval="every:2"),
        dict(lr=0.003, eval="mixed:30:2"),
        dict(lr=0.03, eval="every"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="every:2"),
        dict(k=2, eval="geom:2"),
        dict(k=8, eval="every:2"),
        dict(n=200, eval="every:2"),
        dict(n=800, eval="every:3"),
        dict(s=0.1, eval="every"),
        dict(s=0.1, flip=None, eval="burst:10:4"),
        dict(batch=25, eval="every:2"),
    ], lambda d: "n%d%s%s-k%d-lr%g-wd%g-warm%d-%s%d-b%d" % (
        d["n"], noise_name(d), "-s%g" % d["s"] if d.get("s") else "", d["k"], d["lr"], d["wd"], d.get("warm") or 0,
        d["sched"], d["epochs"], d["batch"]))


# ---------------------------------------------------------------------------------------------------- onecycle-mlp


def one_cycle(c, t, T):
    """(step, momentum) at step t of T: the step from lr / div up to lr over the first pct of the steps, then down to
    lr / (div x final) by a cosine ('cos') or linearly ('linear'); the momentum from m_hi down to m_lo as the step
    rises and back up as it falls (constant m_hi where cycling is off). 'const' (the contrast): lr and m_hi
    throughout."""
    lr, m_hi, m_lo = c["lr"], c["m_hi"], c.get("m_lo") or c["m_hi"]
    if c["anneal"] == "const":
        return lr, m_hi
    lo, end = lr / c["div"], lr / (c["div"] * c["final"])
    up = c["pct"] * T - 1

    def ramp(a, b, u):
        if c["anneal"] == "linear":
            return a + (b - a) * u
        return b + (a - b) * 0.5 * (1 + math.cos(math.pi * u))

    if t <= up:
        u = t / up
        return ramp(lo, lr, u), ramp(m_hi, m_lo, u)
    u = min(1.0, (t - up) / (T - 1 - up))
    return ramp(lr, end, u), ramp(m_lo, m_hi, u)


def onecycle_mlp(w, run_id, c):
    """A ReLU MLP d -> h -> K under the one-cycle policy, float64, weights and biases U(+-1 / sqrt(fan-in)) from the
    run's generator. Data: train_fiftieth's class_data. Optimizer: SGD with (heavy-ball) momentum, or Adam ('adam',
    its beta1 cycled as the momentum, beta2 0.99), the step and momentum set before every minibatch of `batch` by
    one_cycle over the run's planned steps (epochs x minibatches per epoch). Loss: the cross-entropy. Train loss: that
    of the noisy training labels; test loss: that of the clean test labels; error rates too."""
    g = torch.Generator().manual_seed(512_000 + c["seed"])
    x, y, xt, yt, K = class_data(g, c)
    params = mlp_params(g, [x.shape[1], c["h"], K])
    adam = c["opt"] == "adam"
    opt = torch.optim.Adam(params, lr=c["lr"], betas=(c["m_hi"], 0.99)) if adam else \
        torch.optim.SGD(params, lr=c["lr"], momentum=c["m_hi"])
    n = len(x)
    T = c["epochs"] * len(batches(torch.Generator().manual_seed(0), n, c.get("batch")))
    t = [0]

    def step(idx):
        lr, m = one_cycle(c, t[0], T)
        for group in opt.param_groups:
            group["lr"] = lr
            if adam:
                group["betas"] = (m, 0.99)
            else:
                group["momentum"] = m
        opt.zero_grad()
        ce(mlp_forward(params, take(x, idx)), take(y, idx)).backward()
        opt.step()
        t[0] += 1

    run = w.run(run_id, count(params), n,
                {"family": "onecycle-mlp", "width": c["h"], "inputs": x.shape[1], "classes": K},
                settings(c, ("seed",) + data_tags(c) + ("h", "opt", "lr", "div", "final", "pct", "anneal", "m_hi",
                                                         "m_lo", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "ce", "test_loss": "clean-ce",
                   "points_per_weight": "%.3g" % (n / count(params))},
                output_dim=K)

    def log(e, final):
        f, ft = mlp_forward(params, x), mlp_forward(params, xt)
        run.log(e, ce(f, y), ce(ft, yt), errors(f, y), errors(ft, yt), final=final)

    epoch_loop(g, n, c, step, log)


def runs_onecycle_mlp():
    # The logic: a ReLU MLP of 24 hidden units over 16 fast and 12 slow features of 4 synthetic classes (796 weights)
    # on 500 points, 20% of whose labels are flipped, can just fit its training set. The one-cycle policy at a peak
    # step 0.1 (momentum SGD on minibatches of 25, 150 epochs, 30% of them rising) learns the class means at the low
    # starting step, then the large steps in mid-run, with the momentum lowered to 0.85, keep the network from
    # settling on the flips (the "super-convergence" regularisation) and the annealing to lr / 2.5e5 lets it fit them
    # at the end, or, with the slow features (scale 0.15) learned meanwhile, reach a lower test loss. The grid moves
    # one thing at a time: the peak step (0.03, 0.3), the rising share (0.1, 0.5), the momentum not cycled (0.9), a
    # linear anneal (the original three-phase form's shape), a constant step and momentum (the contrast), Adam with
    # beta1 cycled (peak 0.01), the flips (none, 40%), the width (8, 64), the slow scale (0.05, 0.4), the planned
    # length (50, 300 epochs), 250 points, and wine and breast cancer (half the columns times 0.1).
    base = dict(data="synth", n=500, K=4, df=16, ds=12, a=0.8, b=0.5, s=0.15, sigma_s=0.3, flip=0.2, h=24,
                opt="sgd", lr=0.1, div=25, final=1e4, pct=0.3, anneal="cos", m_hi=0.95, m_lo=0.85, batch=25,
                epochs=150, eval="every:2")
    real = dict(K=None, df=None, ds=None, a=None, b=None, sigma_s=None, s=0.1)
    return onecycle_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(lr=0.03, eval="every"),
        dict(lr=0.3, eval="every:2"),
        dict(pct=0.1, eval="jitter:30"),
        dict(pct=0.5, eval="every"),
        dict(m_hi=0.9, m_lo=None, eval="every:3"),
        dict(anneal="linear", eval="every:2"),
        dict(anneal="const", lr=0.02, m_hi=0.9, m_lo=None, div=None, final=None, pct=None, eval="every:2"),
        dict(opt="adam", lr=0.01, eval="mixed:30:3"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="every"),
        dict(h=8, eval="geom:3"),
        dict(h=64, eval="every:2"),
        dict(s=0.05, eval="every:3"),
        dict(s=0.4, eval="every:2"),
        dict(epochs=50, eval="every"),
        dict(epochs=300, eval="every:4"),
        dict(n=250, eval="every"),
        dict(real, data="wine", n=100, eval="every"),
        dict(real, data="cancer", n=300, eval="every:2"),
    ], lambda d: "%s%s-h%d-%s-lr%g-%s%s-m%g%s-e%d" % (
        data_name(d), noise_name(d), d["h"], d["opt"], d["lr"], d["anneal"],
        "-pct%g" % d["pct"] if d.get("pct") else "", d["m_hi"], "-%g" % d["m_lo"] if d.get("m_lo") else "",
        d["epochs"]))


# ---------------------------------------------------------------------------------------------------- deep-supervision


def deep_supervision(w, run_id, c):
    """A deeply-supervised ReLU MLP, float32: `depth` hidden layers of width h and a final linear head to K classes,
    plus a linear auxiliary head on each of the first `depth` - 1 hidden layers (only the first where aux_at is 1),
    all weights and biases U(+-1 / sqrt(fan-in)) from the run's generator. Objective: the final head's cross-entropy
    plus alpha(e) times the sum of the auxiliary heads' cross-entropies, alpha(e) = alpha x max(0, 1 - e / (anneal x
    epochs)) (anneal None: constant alpha; alpha 0: the plain network). Data: image_data, or real_classes (wine,
    breast cancer; float32). Optimizer: Adam ('adam') or SGD with momentum 0.9 ('momentum') at step lr on minibatches.
    Train loss: the final head's cross-entropy of the noisy training labels; test loss: that of the clean test labels;
    error rates of the final head."""
    g = torch.Generator().manual_seed(513_000 + c["seed"])
    if c["data"] == "digits":
        x, y, xt, yt = image_data(c)
        K = 10
    else:
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], c["s"])
        y = flip_labels(g, y, K, c.get("flip"))
    d, h, depth = x.shape[1], c["h"], c["depth"]
    trunk = []
    for a in [d] + [h] * (depth - 1):
        trunk += [uniform(g, a, h, a), uniform(g, a, h)]
    head = [uniform(g, h, K, h), uniform(g, h, K)]
    n_aux = (c.get("aux_at") or depth - 1) if c["alpha"] else 0
    aux = []
    for _ in range(n_aux):
        aux += [uniform(g, h, K, h), uniform(g, h, K)]
    params = leaves(trunk + head + aux)
    opt = torch.optim.Adam(params, lr=c["lr"]) if c["opt"] == "adam" else \
        torch.optim.SGD(params, lr=c["lr"], momentum=0.9)
    E = c["epochs"]
    alpha = [c["alpha"]]

    def forward(z):
        hid = []
        for i in range(0, len(trunk), 2):
            z = torch.relu(z @ trunk[i].T + trunk[i + 1])
            hid.append(z)
        return z @ head[0].T + head[1], [hid[j] @ aux[2 * j].T + aux[2 * j + 1] for j in range(n_aux)]

    def begin(e):
        a = c["alpha"]
        if c.get("anneal"):
            a *= max(0.0, 1 - e / (c["anneal"] * E))
        alpha[0] = a

    def step(idx):
        opt.zero_grad()
        f, fa = forward(take(x, idx))
        yb = take(y, idx)
        loss = ce(f, yb)
        if alpha[0]:
            loss = loss + alpha[0] * sum(ce(q, yb) for q in fa)
        loss.backward()
        opt.step()

    heads_weights = count(head) + count(aux)
    run = w.run(run_id, count(params), len(x),
                {"family": "deep-supervision-mlp", "width": h, "depth": depth, "aux_heads": n_aux, "inputs": d,
                 "classes": K},
                settings(c, ("seed", "data", "n", "flip", "s", "depth", "h", "alpha", "anneal", "aux_at", "opt",
                             "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "ce+aux", "test_loss": "clean-ce-final-head",
                   "head_weights": heads_weights, "points_per_weight": "%.3g" % (len(x) / count(params))},
                output_dim=K)

    def log(e, final):
        f, ft = forward(x)[0], forward(xt)[0]
        run.log(e, ce(f, y), ce(ft, yt), errors(f, y), errors(ft, yt), final=final)

    epoch_loop(g, len(x), c, step, log, begin=begin)


def runs_deep_supervision():
    # The logic: a ReLU MLP of 3 hidden layers of 32 units (64 -> 32 -> 32 -> 32 -> 10, 4,522 weights with the final
    # head, 660 more in the 2 auxiliary heads) on 500 digit images, 20% of whose labels are flipped, can just fit its
    # training set within 150 epochs of Adam at 0.005 on minibatches of 50. The auxiliary heads on hidden layers 1 and
    # 2, weighted 0.3, make the lower layers learn class-separating features early (the deep-supervision claim), and
    # as their weight anneals to zero by mid-run the final head is left to fit the noisy labels alone: the test loss
    # of the final head first falls, rises as the flips are memorised, and may fall again. The grid moves one thing at
    # a time: no auxiliary heads (the plain network), alpha 1, a constant alpha, the annealing over the whole run, one
    # auxiliary head only, 4 hidden layers (3 heads), the flips (none, 40%), the width (16, 64), 250 and 1,000 images,
    # the right half of the images dimmed to 0.1 (with and without flips), momentum SGD (0.03), the step (0.002, 0.015),
    # and wine and breast cancer (half the columns times 0.1, width 16).
    base = dict(data="digits", n=500, flip=0.2, s=None, depth=3, h=32, alpha=0.3, anneal=0.5, aux_at=None,
                opt="adam", lr=0.005, batch=50, epochs=150, eval="every:2")
    return deep_supervision, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(alpha=0.0, anneal=None, eval="every:2"),
        dict(alpha=1.0, eval="every"),
        dict(anneal=None, eval="every:2"),
        dict(anneal=1.0, eval="jitter:30"),
        dict(aux_at=1, eval="every:3"),
        dict(depth=4, eval="every:2"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="every"),
        dict(h=16, eval="geom:3"),
        dict(h=64, eval="every:3"),
        dict(n=250, eval="every"),
        dict(n=1000, eval="every:3"),
        dict(s=0.1, eval="every:2"),
        dict(s=0.1, flip=None, eval="mixed:30:3"),
        dict(opt="momentum", lr=0.03, eval="every:2"),
        dict(lr=0.002, eval="every"),
        dict(lr=0.015, eval="every:3"),
        dict(data="wine", n=100, s=0.1, h=16, eval="every"),
        dict(data="cancer", n=300, s=0.1, h=16, eval="every:2"),
    ], lambda d: "%s-n%d%s%s-d%d-h%d-a%g%s%s-%s-lr%g" % (
        d["data"], d["n"], noise_name(d), "-s%g" % d["s"] if d.get("s") else "", d["depth"], d["h"], d["alpha"],
        "-ann%g" % d["anneal"] if d.get("anneal") else "-const" if d["alpha"] else "",
        "-aux%d" % d["aux_at"] if d.get("aux_at") else "", d["opt"], d["lr"]))


FAMILIES = {"warmup-cosine-cnn": runs_warmup_cosine_cnn, "onecycle-mlp": runs_onecycle_mlp,
            "deep-supervision": runs_deep_supervision}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
