#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, eighty-seventh held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone), and made to differ from the families of train.py ... train_eightythird.py in how
the network's connections are made sparse or noisy while it trains. The theme of the round is sparse and noisy
connectivity during training: dynamic sparse training at a fixed density (SET's random and RigL's gradient-led
regrowth after magnitude pruning), stochastic depth and DropConnect in a residual MLP, and Gaussian noise injected
into the weights, the activations or the inputs of a small CNN, with label or target noise in part of the grid:

- rigl-set-mlp: a two-hidden-layer ReLU MLP classifying scikit-learn's 8 x 8 digits (flattened) whose three weight
  matrices are kept at a fixed density from the first step (the 'density' setting; a uniform share in every layer or
  the Erdos-Renyi allocation), the biases dense. Every 'dt' minibatch steps a share of each layer's active weights, the
  smallest in magnitude, is dropped and as many connections are grown: at random ('set', Mocanu et al. 2018) or where
  the minibatch's dense gradient is largest ('rigl', Evci et al. 2020), the grown weights at zero and their optimizer
  states reset; the share constant or annealed by a cosine to zero at a share of the planned steps. 'static' keeps the
  first random mask (no regrowth), 'dense' trains every weight (density 1). Momentum SGD or Adam on minibatches. Noise:
  a share of the training labels replaced by another class (train_thirtyninth.py's flip_labels). Loss: the
  cross-entropy.
- droppath-resmlp: a residual MLP regressor (an input layer, 'depth' residual blocks z + f_l(z), f_l = Linear, ReLU,
  Linear, and a linear head) under stochastic depth (Huang et al. 2016): in training block l is kept with probability
  p_l ('linear': 1 - (l / L)(1 - pL); 'uniform': pL), per example ('row') or for the whole minibatch ('batch'), the kept
  block divided by p_l ('inverted', drop path) or its output times p_l at evaluation ('huang'); DropConnect (Wan et al.
  2013) on the blocks' weight matrices in part of the grid (each weight kept with probability 1 - q, one mask a
  minibatch, the kept ones divided by 1 - q). AdamW or momentum SGD on minibatches. Data: train_seventysixth.py's
  regression_data (a standardised sum of random sine waves of Gaussian inputs, or scikit-learn's diabetes) with
  Gaussian target noise, and in part of the grid a share of the training targets replaced by outliers. Loss: the
  squared error.
- gauss-inject-cnn: a small convolutional network (3 x 3 convolutions of k and 2k channels, ReLU after each, 2 x 2 max
  pooling, a linear readout) classifying the digits as 1 x 8 x 8 images, trained with Gaussian noise injected afresh at
  every minibatch: additive weight noise (sd sigma times each layer's initialisation bound, the gradient taken at the
  perturbed weights and applied to the clean ones), multiplicative weight noise (w (1 + sigma eps), Gaussian
  DropConnect), additive or multiplicative (Gaussian dropout) noise on the hidden activations after each ReLU, or
  additive noise on the input pixels; sigma constant or halved every 'half' epochs; none as the reference. Adam or
  momentum SGD on minibatches. Noise: flipped labels as above. Loss: the cross-entropy.

Train loss: the loss on the training points at their given (noisy) labels or targets, evaluated without any of the
training noise (every block and weight kept, no injected noise); test loss: the same loss on held-out points with true
labels (the clean target at 2,000 fresh points, or the held-out patients' standardised progression on the diabetes);
error rates: the misclassified shares (the classifiers only). A run whose loss turns NaN or infinite sends that
evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, mlp_params from
train_sixtyfifth.py, logger and train_until (train_thirtyninth.py's epoch_loop, with eval_epochs) from
train_seventyfourth.py, digit_images and regression_data from train_seventysixth.py and classifier_log from
train_eightythird.py; one thread, every random draw from a seeded torch.Generator (splits, label flips, target noise,
outliers, initialisations, masks, regrowth draws, block and weight drops, injected noise, minibatches), synthetic
event times, 6 significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_eightyseventh.py --family rigl-set-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): rigl-set-mlp, droppath-resmlp, gauss-inject-cnn. Evaluation spacings: train.py's 'every',
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
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import digit_images, regression_data  # noqa: E402
from train_eightythird import classifier_log, noise_name  # noqa: E402

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


def reset_state(opt, p, keep):
    """Zeroes the optimizer's per-weight states of p (momentum buffer, Adam's moments) where keep is 0."""
    for v in opt.state.get(p, {}).values():
        if torch.is_tensor(v) and v.shape == p.shape:
            v.mul_(keep)


# ---------------------------------------------------------------------------------------------------- rigl-set-mlp


def layer_densities(shapes, density, alloc):
    """Each weight matrix's density: 'uniform' the same in every layer; 'erk' (Erdos-Renyi, Mocanu et al. 2018, Evci
    et al. 2020) proportional to (fan-in + fan-out) / (fan-in x fan-out), scaled so that the weights kept in all make
    up 'density' of them, a layer whose share would pass 1 kept dense and the rest scaled again."""
    if alloc == "uniform" or density >= 1:
        return [min(density, 1.0)] * len(shapes)
    sizes = [a * b for a, b in shapes]
    raw = [(a + b) / (a * b) for a, b in shapes]
    dense = set()
    while True:
        budget = density * sum(sizes) - sum(sizes[i] for i in dense)
        free = [i for i in range(len(shapes)) if i not in dense]
        eps = budget / sum(raw[i] * sizes[i] for i in free)
        over = [i for i in free if eps * raw[i] > 1]
        if not over:
            return [1.0 if i in dense else eps * raw[i] for i in range(len(shapes))]
        dense |= set(over)


def rigl_set_mlp(w, run_id, c):
    """Dynamic sparse training of a ReLU MLP on the digits, float32. Data (from the run's generator): digit_images (n
    training, 'test' held-out images), flattened to 64 pixels; a share flip of the training labels flipped
    (flip_labels). Model: 64 -> hid -> hid -> 10 (ReLU), mlp_params (U(+-1 / sqrt(fan-in)) from the run's generator);
    each weight matrix kept at its layer's density (layer_densities) by a mask of exactly round(density x size) entries
    drawn at random from the run's generator, its kept weights multiplied by 1 / sqrt(density) (the sparse fan-in's
    scale); the biases dense. Training: on each minibatch the gradient is taken at the masked weights (dense, so RigL
    can read it), masked, and the optimizer's step taken, the weights masked again after it. Every dt-th step (rule
    'set' or 'rigl'; not after the share t_end of the planned steps when annealed) each layer drops its share f of
    active weights smallest in magnitude, f = zeta (1 + cos(pi t / T_end)) / 2 ('cosine') or zeta ('const'), and grows as
    many among the inactive positions (the just-dropped included): uniformly at random from the run's generator
    ('set') or those of largest dense gradient magnitude on the step's minibatch ('rigl'); grown weights start at zero,
    and the optimizer's states of dropped and grown weights are zeroed. 'static': the first mask throughout; 'dense':
    no mask. Optimizer: momentum SGD (0.9) or Adam at lr on minibatches of batch. Train loss: the cross-entropy on the
    training images at their given labels; test loss: the same on the held-out images at their true labels; error
    rates: the misclassified shares. The parameter count sent is the number of weights kept plus the biases."""
    g = torch.Generator().manual_seed(871_000 + c["seed"])
    x, y, xt, yt = digit_images(g, c)
    x, xt = x.flatten(1), xt.flatten(1)
    yn = flip_labels(g, y, 10, c.get("flip"))
    h = c["hid"]
    params = mlp_params(g, [64, h, h, 10], F32)
    weights = params[0::2]
    dens = layer_densities([tuple(p.shape) for p in weights], c["density"], c.get("alloc") or "uniform")
    masks = []
    with torch.no_grad():
        for p, dl in zip(weights, dens):
            m = torch.zeros(p.numel())
            m[torch.randperm(p.numel(), generator=g)[:int(round(dl * p.numel()))]] = 1.0
            m = m.view_as(p)
            p.mul_(m / math.sqrt(dl))
            masks.append(m)
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9)
    n = len(y)
    steps_per_epoch = 1 if not c.get("batch") or c["batch"] >= n else -(-n // c["batch"])
    t_end = int((c.get("t_end") or 1.0) * c["epochs"] * steps_per_epoch)
    st = {"t": 0}
    rule = c["rule"]

    def forward(z):
        for i in range(0, len(params), 2):
            z = z @ params[i] + params[i + 1]
            if i + 2 < len(params):
                z = torch.relu(z)
        return z

    def regrow(t):
        if c.get("anneal") == "cosine":
            if t >= t_end:
                return
            f = c["zeta"] * (1 + math.cos(math.pi * t / t_end)) / 2
        else:
            f = c["zeta"]
        for p, m in zip(weights, masks):
            k = int(m.sum())
            nd = int(f * k)
            if nd == 0:
                continue
            mf = m.view(-1)
            drop_score = torch.where(mf > 0, p.detach().abs().view(-1), torch.full_like(mf, math.inf))
            drop = torch.topk(-drop_score, nd).indices
            new = mf.clone()
            new[drop] = 0.0
            if rule == "set":
                score = torch.rand(len(mf), generator=g)
            else:
                score = p.grad.abs().view(-1).clone()
            score[new > 0] = -math.inf
            grow = torch.topk(score, nd).indices
            new[grow] = 1.0
            keep = mf * new
            keep[grow] = 0.0  # a grown weight starts afresh, even where it was just dropped
            with torch.no_grad():
                p.view(-1).mul_(keep)
            reset_state(opt, p, keep.view_as(p))
            m.copy_(new.view_as(m))

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(take(x, idx)), take(yn, idx)).backward()
        dense_grads = [p.grad.clone() for p in weights] if rule == "rigl" else None
        for p, m in zip(weights, masks):
            p.grad.mul_(m)
        opt.step()
        with torch.no_grad():
            for p, m in zip(weights, masks):
                p.mul_(m)
        st["t"] += 1
        if rule in ("set", "rigl") and st["t"] % c["dt"] == 0:
            if dense_grads is not None:
                for p, dg in zip(weights, dense_grads):
                    p.grad.copy_(dg)
            regrow(st["t"])

    kept = int(sum(float(m.sum()) for m in masks)) + sum(p.numel() for p in params[1::2])
    run = w.run(run_id, kept, n, {"family": "mlp", "hidden": h, "depth": 2, "activation": "relu",
                                  "sparsity": "dynamic" if rule in ("set", "rigl") else rule},
                settings(c, ("seed", "n", "flip", "hid", "density", "alloc", "rule", "zeta", "anneal", "t_end", "dt",
                             "opt", "lr", "batch", "eval"))
                | {"optimizer": "adam" if c["opt"] == "adam" else "sgd-momentum",
                   "regrowth": {"set": "random", "rigl": "dense-gradient-magnitude", "static": "none",
                                "dense": "none"}[rule],
                   "drop": "smallest-magnitude" if rule in ("set", "rigl") else "none",
                   "dense_params": str(count(params)), "layer_densities": ",".join("%.3g" % v for v in dens),
                   "noise": "uniform-other-class" if c.get("flip") else "none", "loss": "cross-entropy",
                   "test_loss": "heldout-ce-clean-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=10)
    train_until(g, n, c, step, classifier_log(run, forward, x, yn, xt, yt, fn.cross_entropy))


def runs_rigl_set_mlp():
    # The logic: 400 digits, 20% of their labels flipped, an MLP 64 -> 256 -> 256 -> 10 (85,002 weights dense) kept at
    # density 0.1 in every layer (8,448 weights: 21 a training image, enough to fit the flips) under RigL (every 25
    # steps, 30% of the active weights annealed by a cosine to zero at three quarters of the steps), momentum SGD at
    # 0.05 on minibatches of 40, 120 epochs; 600 held-out images. A sparse network fits the clean images first and the
    # flipped ones later; the regrowth moves connections to where the gradient (RigL) or chance (SET) puts them, and
    # each drop and regrowth disturbs the fit. One thing at a time besides: SET, the static random mask and the dense
    # network at the same step; densities 0.02, 0.05 and 0.3 (RigL) and 0.03 (SET, static); the Erdos-Renyi allocation;
    # a constant share (no annealing, SET's way) under RigL and SET; the share 0.5; updates every 100 steps; clean and
    # 40% flipped labels; Adam at 1e-3 (RigL, dense); width 64; 800 images. Evaluation spacing mixed.
    base = dict(n=400, test=600, flip=0.2, hid=256, density=0.1, alloc="uniform", rule="rigl", zeta=0.3,
                anneal="cosine", t_end=0.75, dt=25, opt="sgd", lr=0.05, batch=40, epochs=120, eval="every")
    static = dict(zeta=None, anneal=None, t_end=None, dt=None)
    return rigl_set_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(rule="set", eval="every:2"),
        dict(rule="static", **static, eval="every"),
        dict(rule="dense", density=1.0, alloc=None, **static, eval="jitter:30"),
        dict(density=0.02, eval="every"),
        dict(density=0.05, eval="every:3"),
        dict(density=0.3, eval="every"),
        dict(density=0.03, rule="set", eval="geom:2"),
        dict(density=0.03, rule="static", **static, eval="every:2"),
        dict(alloc="erk", eval="every"),
        dict(anneal="const", t_end=None, eval="mixed:30:2"),
        dict(anneal="const", t_end=None, rule="set", eval="every"),
        dict(zeta=0.5, eval="every:2"),
        dict(dt=100, eval="every"),
        dict(flip=None, eval="log:30"),
        dict(flip=0.4, eval="every"),
        dict(opt="adam", lr=1e-3, eval="burst:10:4"),
        dict(opt="adam", lr=1e-3, rule="dense", density=1.0, alloc=None, **static, eval="every:2"),
        dict(hid=64, eval="mixlog:20:30"),
        dict(n=800, test=600, eval="rand:50"),
    ], lambda d: "digits-n%d%s-mlp%d-%s-d%g%s%s%s-%s-lr%g-b%d" % (
        d["n"], noise_name(d), d["hid"], d["rule"], d["density"], "-erk" if d.get("alloc") == "erk" else "",
        "-zeta%g-%s" % (d["zeta"], d["anneal"]) if d.get("zeta") else "", "-dt%d" % d["dt"] if d.get("dt") else "",
        d["opt"], d["lr"], d["batch"]))


# ---------------------------------------------------------------------------------------------------- droppath-resmlp


def droppath_resmlp(w, run_id, c):
    """A residual MLP regressor under stochastic depth and DropConnect, float32. Data (from the run's generator):
    regression_data ('synth': n points of d Gaussian inputs, the target a standardised sum of J random sine waves, the
    training targets plus Gaussian noise of sd 'sd', 2,000 fresh test points with the clean target; 'diabetes':
    scikit-learn's diabetes standardised on the n training patients, the rest held out, noise of sd 'sd' added to the
    training targets where set); a share 'out' of the training targets replaced by outliers N(0, 3^2) where set. Model:
    z = x We + be (d -> hid), 'depth' blocks z + f_l(z), f_l(z) = relu(z V_l + v_l) W_l + w_l (hid -> hid -> hid), the
    head z Wo + bo; U(+-1 / sqrt(fan-in)) from the run's generator. Training: block l (1 ... L) kept with probability
    p_l = 1 - (l / L)(1 - pL) ('linear') or pL ('uniform'), a Bernoulli draw per example ('row') or per minibatch
    ('batch') from the run's generator; 'inverted': a kept block's f_l divided by p_l in training, every block whole at
    evaluation; 'huang': f_l as it is in training and times p_l at evaluation. DropConnect (q set): each entry of V_l
    and W_l kept with probability 1 - q (one mask a minibatch, from the run's generator) and divided by 1 - q; the full
    weights at evaluation. Loss: the mean squared error. Optimizer: AdamW (decoupled weight decay wd) or momentum SGD
    (0.9) at lr on minibatches of batch. Train loss: the mean squared error on the training targets (noisy, outliers
    included); test loss: the mean squared error against the clean targets of the test points (the held-out patients'
    progression on the diabetes); no error rates."""
    g = torch.Generator().manual_seed(872_000 + c["seed"])
    x, y, xt, yt = (t.to(F32) for t in regression_data(g, c))
    n, d = x.shape
    if c.get("out"):
        hit = torch.rand(n, generator=g) < c["out"]
        y = torch.where(hit, 3.0 * torch.randn(n, generator=g), y)
    h, L = c["hid"], c["depth"]
    shapes = [(d, h)] + [(h, h), (h, h)] * L + [(h, 1)]
    params = []
    for a, b in shapes:
        params += [uniform(g, a, a, b), uniform(g, a, b)]
    params = leaves(params)
    pL = c.get("pL") or 1.0
    keep = [1 - (l / L) * (1 - pL) if c.get("rule") == "linear" else pL for l in range(1, L + 1)]
    q = c.get("q") or 0.0
    scaling = c.get("scaling") or "inverted"

    def forward(z, training):
        z = z @ params[0] + params[1]
        for l in range(L):
            V, v, W, wb = params[2 + 4 * l:6 + 4 * l]
            if training and q:
                V = V * (torch.rand(V.shape, generator=g) >= q).to(F32) / (1 - q)
                W = W * (torch.rand(W.shape, generator=g) >= q).to(F32) / (1 - q)
            f = torch.relu(z @ V + v) @ W + wb
            p = keep[l]
            if training and p < 1:
                if c["mode"] == "row":
                    b = (torch.rand(len(z), 1, generator=g) < p).to(F32)
                else:
                    b = float(torch.rand(1, generator=g).item() < p)
                f = f * b / p if scaling == "inverted" else f * b
            elif not training and scaling == "huang":
                f = f * p
            z = z + f
        return (z @ params[-2] + params[-1])[:, 0]

    if c["opt"] == "adamw":
        opt = torch.optim.AdamW(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9)

    def step(idx):
        opt.zero_grad()
        ((forward(take(x, idx), True) - take(y, idx)) ** 2).mean().backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "residual-mlp", "hidden": h, "blocks": L, "activation": "relu",
                                           "norm": "none"},
                settings(c, ("seed", "data", "n", "d", "J", "sd", "out", "hid", "depth", "pL", "rule", "mode",
                             "scaling", "q", "opt", "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"] if c["opt"] == "adamw" else "sgd-momentum",
                   "stochastic_depth": "none" if pL >= 1 else "%s-%s-%s" % (c["rule"], c["mode"], scaling),
                   "dropconnect": "none" if not q else "blocks-per-minibatch",
                   "noise": "gaussian" + ("+outliers" if c.get("out") else "") if c.get("sd") else
                   ("outliers" if c.get("out") else "none"),
                   "loss": "mse", "test_loss": "heldout-mse" if c["data"] == "diabetes" else "mse-clean-target",
                   "test_size": str(len(yt))})
    log_ = logger(run)

    def log(e, final):
        log_(e, ((forward(x, False) - y) ** 2).mean(), ((forward(xt, False) - yt) ** 2).mean(), final=final)

    train_until(g, n, c, step, log)


def runs_droppath_resmlp():
    # The logic: 200 points of 3 Gaussian inputs, the target a standardised sum of 5 random sine waves, Gaussian noise
    # of sd 0.5 on the training targets; a residual MLP of width 64 with 4 blocks (33,601 weights, so it can fit the
    # noise) under stochastic depth by the linear rule down to a survival of 0.5 for the last block, per example, the
    # kept blocks scaled up (drop path), AdamW at 2e-3 (weight decay 1e-4) on minibatches of 20, 100 epochs; the clean
    # target at 2,000 test points. The dropped blocks hold back the fitting of the noise, but do not stop it. One thing
    # at a time besides: no stochastic depth; last-block survival 0.8 and 0.25; the uniform rule; one draw a minibatch;
    # Huang's scaling at evaluation; DropConnect 0.3 on the blocks with and without stochastic depth; 8 and 2 blocks;
    # noise sd 0.2 and 1; 20% outliers (with and without stochastic depth); 100 and 400 points; momentum SGD at 0.02;
    # scikit-learn's diabetes (150 patients, with and without stochastic depth). Evaluation spacing mixed.
    base = dict(data="synth", n=200, d=3, J=5, sd=0.5, df=None, out=None, hid=64, depth=4, pL=0.5, rule="linear",
                mode="row", scaling="inverted", q=None, opt="adamw", lr=2e-3, wd=1e-4, batch=20, epochs=100,
                eval="every")
    nodrop = dict(pL=None, rule=None, mode=None, scaling=None)
    diabetes = dict(data="diabetes", n=150, d=None, J=None, sd=None)
    return droppath_resmlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(**nodrop, eval="every:2"),
        dict(pL=0.8, eval="every"),
        dict(pL=0.25, eval="jitter:30"),
        dict(rule="uniform", eval="every:2"),
        dict(mode="batch", eval="every"),
        dict(scaling="huang", eval="every:3"),
        dict(**nodrop, q=0.3, eval="geom:2"),
        dict(q=0.3, eval="every"),
        dict(depth=8, eval="every:2"),
        dict(depth=2, eval="mixed:30:3"),
        dict(sd=0.2, eval="every"),
        dict(sd=1.0, eval="every:2"),
        dict(out=0.2, eval="log:30"),
        dict(n=100, eval="every"),
        dict(n=400, eval="burst:10:4"),
        dict(opt="sgd", lr=0.02, wd=None, eval="every:2"),
        dict(**diabetes, eval="mixlog:20:30"),
        dict(**diabetes, **nodrop, eval="every"),
        dict(**nodrop, out=0.2, eval="rand:60"),
    ], lambda d: "%s-n%d%s%s-res%dx%d-%s%s-%s-lr%g" % (
        d["data"], d["n"], "-sd%g" % d["sd"] if d.get("sd") else "", "-out%g" % d["out"] if d.get("out") else "",
        d["depth"], d["hid"],
        "sd-%s%g-%s-%s" % (d["rule"], d["pL"], d["mode"], d["scaling"]) if d.get("pL") else "nodrop",
        "-dc%g" % d["q"] if d.get("q") else "", d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- gauss-inject-cnn


def gauss_inject_cnn(w, run_id, c):
    """A small convolutional network on the digits trained with Gaussian noise injection, float32. Data (from the run's
    generator): digit_images (n training, 'test' held-out images); a share flip of the training labels flipped
    (flip_labels). Model: conv3x3 1 -> k (padding 1), ReLU, conv3x3 k -> 2k (padding 1), ReLU, max-pool 2, a linear
    readout of the 32k features to 10 logits; U(+-1 / sqrt(fan-in)) from the run's generator (b_l the bound of layer
    l). Injected noise, drawn afresh from the run's generator on every minibatch, at sd s = sigma (times 1/2 every 'half'
    epochs where set): 'weight-add' each weight matrix W_l + s b_l eps (the biases clean), the gradient taken there and
    the step applied to the clean weights; 'weight-mult' W_l (1 + s eps); 'act-add' the hidden activations after each
    ReLU plus s eps; 'act-mult' those times (1 + s eps) (Gaussian dropout); 'input' the pixels plus s eps; 'none' no
    noise. Loss: the cross-entropy. Optimizer: Adam or momentum SGD (0.9) at lr on minibatches of batch. Train loss: the
    cross-entropy of the noiseless network on the training images at their given labels; test loss: the same on the
    held-out images at their true labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(873_000 + c["seed"])
    x, y, xt, yt = digit_images(g, c)
    yn = flip_labels(g, y, 10, c.get("flip"))
    k = c["k"]
    params = leaves([uniform(g, 9, k, 1, 3, 3), uniform(g, 9, k), uniform(g, 9 * k, 2 * k, k, 3, 3),
                     uniform(g, 9 * k, 2 * k), uniform(g, 32 * k, 32 * k, 10), uniform(g, 32 * k, 10)])
    bounds = [1 / math.sqrt(9), 1 / math.sqrt(9 * k), 1 / math.sqrt(32 * k)]
    kind = c.get("noise") or "none"
    st = {"s": 0.0}

    def forward(z, s=0.0):
        W1, b1, W2, b2, Wo, bo = params
        if s and kind == "weight-add":
            W1, W2, Wo = (Wl + s * bl * torch.randn(Wl.shape, generator=g) for Wl, bl in zip((W1, W2, Wo), bounds))
        elif s and kind == "weight-mult":
            W1, W2, Wo = (Wl * (1 + s * torch.randn(Wl.shape, generator=g)) for Wl in (W1, W2, Wo))
        if s and kind == "input":
            z = z + s * torch.randn(z.shape, generator=g)

        def act(a):
            a = torch.relu(a)
            if s and kind == "act-add":
                return a + s * torch.randn(a.shape, generator=g)
            if s and kind == "act-mult":
                return a * (1 + s * torch.randn(a.shape, generator=g))
            return a

        z = act(fn.conv2d(z, W1, b1, padding=1))
        z = fn.max_pool2d(act(fn.conv2d(z, W2, b2, padding=1)), 2)
        return z.flatten(1) @ Wo + bo

    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9)

    def begin(e):
        st["s"] = (c.get("sigma") or 0.0) * (0.5 ** (e / c["half"]) if c.get("half") else 1.0)

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(take(x, idx), st["s"]), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(y), {"family": "cnn", "channels": k, "conv_layers": 2, "pooling": "max"},
                settings(c, ("seed", "n", "flip", "k", "noise", "sigma", "half", "opt", "lr", "batch", "eval"))
                | {"optimizer": "adam" if c["opt"] == "adam" else "sgd-momentum",
                   "injection": {"none": "none", "weight-add": "additive-weight-scaled-by-init-bound",
                                 "weight-mult": "multiplicative-weight", "act-add": "additive-activation",
                                 "act-mult": "multiplicative-activation", "input": "additive-input"}[kind],
                   "injection_schedule": "halved-every-%g-epochs" % c["half"] if c.get("half") else
                   ("constant" if kind != "none" else "none"),
                   "label_noise": "uniform-other-class" if c.get("flip") else "none", "loss": "cross-entropy",
                   "test_loss": "heldout-ce-clean-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=10)
    train_until(g, len(y), c, step, classifier_log(run, forward, x, yn, xt, yt, fn.cross_entropy), begin=begin)


def runs_gauss_inject_cnn():
    # The logic: 300 digits, 25% of their labels flipped, a CNN of 8 and 16 channels (3,818 weights, about thirteen a
    # label, so it can fit many of the flips) under Adam at 3e-3 on minibatches of 30, 100 epochs; 600 held-out images.
    # Without noise it fits the clean images, then the flipped ones, the held-out loss rising; injected noise makes the
    # memorising slower and noisier, and too much noise costs the clean fit too. No noise (2 seeds); additive weight
    # noise at 0.3, 1 and 2 init bounds (and 1 halved every 20 epochs); multiplicative weight noise 0.3 and 0.6;
    # additive activation noise 0.3 and 1; Gaussian dropout 0.5 and 1 (and 0.5 halved every 20 epochs); input noise 0.3;
    # clean labels and 45% flipped (none, Gaussian dropout 0.5); momentum SGD at 0.03 (none, multiplicative weight
    # 0.3); 800 images (Gaussian dropout 0.5). Evaluation spacing mixed.
    base = dict(n=300, test=600, flip=0.25, k=8, noise="none", sigma=None, half=None, opt="adam", lr=3e-3, batch=30,
                epochs=100, eval="every")
    return gauss_inject_cnn, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(noise="weight-add", sigma=0.3, eval="every:2"),
        dict(noise="weight-add", sigma=1.0, eval="every"),
        dict(noise="weight-add", sigma=2.0, eval="jitter:30"),
        dict(noise="weight-add", sigma=1.0, half=20, eval="every"),
        dict(noise="weight-mult", sigma=0.3, eval="every:3"),
        dict(noise="weight-mult", sigma=0.6, eval="every"),
        dict(noise="act-add", sigma=0.3, eval="geom:2"),
        dict(noise="act-add", sigma=1.0, eval="every:2"),
        dict(noise="act-mult", sigma=0.5, eval="every"),
        dict(noise="act-mult", sigma=1.0, eval="mixed:30:2"),
        dict(noise="act-mult", sigma=0.5, half=20, eval="every"),
        dict(noise="input", sigma=0.3, eval="every:2"),
        dict(flip=None, eval="log:30"),
        dict(flip=None, noise="act-mult", sigma=0.5, eval="every"),
        dict(flip=0.45, eval="burst:10:4"),
        dict(flip=0.45, noise="act-mult", sigma=0.5, eval="every:2"),
        dict(opt="sgd", lr=0.03, eval="every"),
        dict(opt="sgd", lr=0.03, noise="weight-mult", sigma=0.3, eval="mixlog:20:30"),
        dict(n=800, noise="act-mult", sigma=0.5, eval="rand:40"),
    ], lambda d: "digits-n%d%s-cnn%d-%s%s%s-%s-lr%g-b%d" % (
        d["n"], noise_name(d), d["k"], d["noise"], "%g" % d["sigma"] if d.get("sigma") else "",
        "-half%d" % d["half"] if d.get("half") else "", d["opt"], d["lr"], d["batch"]))


FAMILIES = {"rigl-set-mlp": runs_rigl_set_mlp, "droppath-resmlp": runs_droppath_resmlp,
            "gauss-inject-cnn": runs_gauss_inject_cnn}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
