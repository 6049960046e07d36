#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, sixty-second held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 188 families of train.py ... train_sixtieth.py in model, loss, noise and
data. The theme of the round is geometry and symmetry: a network built to respect a symmetry group (equivariant
layers, or an average over the group's orbit) against a plain network that must learn the symmetry from augmented
data, and a network that locates a shape in an image (a box regressed, judged by its overlap); at sizes around where
the model can just fit its training set, with label or target noise in part of the grid:

- p4-gconv-digits: scikit-learn's 8x8 digits without the 9s (a 9 is a 6 turned half-way), each image turned by a
  random multiple of 90 degrees (training and held-out images alike; the training images upright in 1 run), a share
  of the training labels flipped. A group-equivariant convolutional network for the rotation group C4 (P4, Cohen &
  Welling 2016): a lifting convolution (each 3x3 filter in its 4 turned copies), ReLU, a 2x2 max pool, a group
  convolution on the 4 orientations (the filters turned and the orientation axis rolled), ReLU, the max (or mean) over
  the orientations, then the sum of the 4x4 map over its quarter turns read at one cell of each of the grid's 4
  orbits, so that the logits are exactly invariant to quarter turns; against a plain CNN of about as many weights
  (twice the channels, no group structure, a 2x2 mean pool and a flattened 2x2 map) trained with each minibatch's
  images turned afresh by random quarter turns (rotation augmentation), or without it. Adam (momentum SGD in 1 run)
  on minibatches. Train loss: the cross-entropy on the stored training images (no augmentation) at their given
  labels; test loss: the held-out turned images' cross-entropy; error rates: the misclassification shares.
- orbit-avg-perm: an invariant network built by averaging a network over a symmetry group's orbit (the Reynolds
  operator; Janossy pooling, Murphy et al. 2019): the input 4 tokens of 3 numbers, the target a random tanh teacher
  averaged over all 24 permutations of the tokens (so invariant to them), standardised, with Gaussian target noise; a
  ReLU MLP 12 -> h -> 1 averaged over the orbit of its input under the permutations S4 (exactly invariant), under the
  cyclic shifts C4 only (partly), under S4 and the reflection x -> -x (a symmetry the target lacks), over k random
  permutations per point and step (the full average at evaluation), or not at all (a plain MLP, with or without a
  random permutation of each training point every step). Adam (momentum SGD in 1 run) on minibatches, float64. Train
  loss: the mean squared error on the noisy training targets of the model as evaluated; test loss: the mean squared
  error against the clean target on fresh points. No error rates (no share exists for a regression).
- bbox-regress: bounding-box regression: synthetic 12x12 images with one filled rectangle (an ellipse in 1 run; a
  faint second rectangle as a distractor in 1 run) of random size at a random place, anti-aliased, on Gaussian pixel
  noise; a small CNN (two 3x3 convolutions with 2x2 max pools, the flattened map to 4 numbers; an MLP in 1 run)
  regresses the box (x0, y0, x1, y1) / 12. Loss: the squared error of the coordinates (the L1 error, 1 - IoU or
  1 - GIoU, Rezatofighi et al. 2019, in 1 run each) against the training boxes, which carry Gaussian coordinate
  jitter (or in 1 run a share replaced by random boxes); flips of the image with the box flipped alike as an
  equivariant augmentation in 1 run. Adam (momentum SGD in 1 run) on minibatches, float32. Train loss: the training
  objective on the stored training images and their given boxes; test loss: 1 - the mean IoU of the predicted boxes
  with the true boxes of fresh images; error rates: the shares of boxes whose IoU is below 0.5 (training images
  against their given boxes, fresh ones against the true boxes).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs) and take from train_thirtyninth.py, count from
train_fortyeighth.py, make_opt from train_fiftysixth.py and error_share from train_fiftyeighth.py; one thread, every
random draw from a seeded torch.Generator, synthetic event times, 6 significant digits. No planned last epoch is
told: the last event's final marks it.

    /usr/bin/python3 train_sixtysecond.py --family p4-gconv-digits [--list] [--runs 0,3] [--out FILE]

Families (see README.md): p4-gconv-digits, orbit-avg-perm, bbox-regress. Evaluation spacings: train.py's 'every',
'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K', 'mixlog:A:K',
'geom:G', 'burst:P:B'.
"""
import itertools
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
from train_thirtyninth import epoch_loop, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_fiftysixth import make_opt  # noqa: E402  (Adam, momentum SGD, plain SGD, RMSprop; coupled decay)
from train_fiftyeighth import error_share  # noqa: E402

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- p4-gconv-digits


def quarter_turns(x, k):
    """Each image of x (B, 1, H, W) turned by k[i] quarter turns (torch.rot90 over the last two axes)."""
    turned = torch.stack([torch.rot90(x, r, (2, 3)) for r in range(4)], 1)
    return turned[torch.arange(len(x)), k]


def p4_lift(x, W, b):
    """The lifting convolution: x (B, 1, H, W), W (c, 1, 3, 3) in its 4 turned copies; out (B, 4, c, H, W), the
    orientation axis first, one bias a channel shared by the orientations."""
    Ws = torch.cat([torch.rot90(W, r, (2, 3)) for r in range(4)])
    out = fn.conv2d(x, Ws, padding=1)
    B, _, H, Wd = out.shape
    return out.view(B, 4, W.shape[0], H, Wd) + b[None, None, :, None, None]


def p4_gconv(f, W, b):
    """The group convolution on C4: f (B, 4, c, H, W), W (c2, 4, c, 3, 3) indexed by (out channel, relative
    orientation, in channel); the filter of output orientation r is W with its orientation axis rolled by r and its
    3x3 taps turned by r; out (B, 4, c2, H, W)."""
    c2, _, c = W.shape[:3]
    Ks = [torch.rot90(torch.roll(W, r, 1), r, (3, 4)).reshape(c2, 4 * c, 3, 3) for r in range(4)]
    B, _, _, H, Wd = f.shape
    out = fn.conv2d(f.reshape(B, 4 * c, H, Wd), torch.cat(Ks), padding=1)
    return out.view(B, 4, c2, H, Wd) + b[None, None, :, None, None]


def orbit_cells(f):
    """Invariant features of an equivariant map f (B, C, 4, 4): the sum of f over its 4 quarter turns, at the top-left
    2x2 cells, one from each of the 4x4 grid's 4 orbits under quarter turns (corners, centre, two kinds of edge
    cells); (B, 4 C)."""
    s = f + torch.rot90(f, 1, (2, 3)) + torch.rot90(f, 2, (2, 3)) + torch.rot90(f, 3, (2, 3))
    return s[:, :, :2, :2].flatten(1)


def p4_gconv_digits(w, run_id, c):
    """Quarter-turned digits, a C4-equivariant CNN against a plain CNN, float32. Data: scikit-learn's digits without
    the 9s (pixels / 16; 1,617 images), 400 held out at random by the run's generator and n training images from the
    rest; every image turned by a random number of quarter turns (the training images kept upright where
    'upright'); a share q of the training labels replaced by another of the 9 classes at random. Model 'p4': p4_lift
    (c channels) -> ReLU -> 2x2 max pool (on each orientation) -> p4_gconv (2c channels) -> ReLU -> the max over the
    4 orientations ('pool' 'mean': their mean) -> orbit_cells (8c invariant features) -> a linear layer to 9 logits;
    model 'plain': conv 3x3 1 -> 2c -> ReLU -> 2x2 max pool -> conv 3x3 2c -> 4c -> ReLU -> 2x2 mean pool -> the
    flattened 4c x 2 x 2 map -> a linear layer to 9 logits (about the p4 network's weight count), with 'aug' 'rot':
    each minibatch's images turned afresh by random quarter turns. Weights and biases U(+-1 / sqrt(fan-in)) from
    the run's generator. Optimizer: make_opt on minibatches. Train loss: the cross-entropy of the stored training
    images at their given labels; test loss: the held-out images' cross-entropy; error rates: the shares."""
    g = torch.Generator().manual_seed(621_000 + c["seed"])
    from sklearn.datasets import load_digits
    X, Y = load_digits(return_X_y=True)
    keep = Y != 9
    X = torch.tensor(X[keep] / 16.0, dtype=F32).view(-1, 1, 8, 8)
    Y = torch.tensor(Y[keep])
    K, n, ch = 9, c["n"], c["ch"]
    perm = torch.randperm(len(X), generator=g)
    te, tr = perm[:400], perm[400:400 + n]
    kt = torch.randint(4, (400,), generator=g)
    kr = torch.randint(4, (n,), generator=g)
    xt = quarter_turns(X[te], kt)
    x = X[tr] if c.get("upright") else quarter_turns(X[tr], kr)
    yt, y = Y[te], Y[tr].clone()
    if c.get("q"):
        hit = torch.rand(n, generator=g) < c["q"]
        y = torch.where(hit, (y + torch.randint(1, K, (n,), generator=g)) % K, y)
    if c["net"] == "p4":
        params = leaves([uniform(g, 9, ch, 1, 3, 3), uniform(g, 9, ch), uniform(g, 36 * ch, 2 * ch, 4, ch, 3, 3),
                         uniform(g, 36 * ch, 2 * ch), uniform(g, 8 * ch, K, 8 * ch), uniform(g, 8 * ch, K)])
    else:
        params = leaves([uniform(g, 9, 2 * ch, 1, 3, 3), uniform(g, 9, 2 * ch),
                         uniform(g, 18 * ch, 4 * ch, 2 * ch, 3, 3), uniform(g, 18 * ch, 4 * ch),
                         uniform(g, 16 * ch, K, 16 * ch), uniform(g, 16 * ch, K)])

    def model(z):
        if c["net"] == "p4":
            f = torch.relu(p4_lift(z, params[0], params[1]))
            B = len(z)
            f = fn.max_pool2d(f.view(B, 4 * ch, 8, 8), 2).view(B, 4, ch, 4, 4)
            f = torch.relu(p4_gconv(f, params[2], params[3]))
            f = f.amax(1) if c["pool"] == "max" else f.mean(1)
            f = orbit_cells(f)
        else:
            f = fn.max_pool2d(torch.relu(fn.conv2d(z, params[0], params[1], padding=1)), 2)
            f = fn.avg_pool2d(torch.relu(fn.conv2d(f, params[2], params[3], padding=1)), 2).flatten(1)
        return f @ params[4].T + params[5]

    opt = make_opt(c, params)

    def step(idx):
        xb = take(x, idx)
        if c.get("aug") == "rot":
            xb = quarter_turns(xb, torch.randint(4, (len(xb),), generator=g))
        opt.zero_grad()
        fn.cross_entropy(model(xb), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "symmetry-c4-rotated-digits", "net": c["net"], "channels": ch,
                                          "augmentation": c.get("aug") or "none"},
                settings(c, ("seed", "net", "ch", "pool", "aug", "upright", "n", "q", "opt", "lr", "wd", "batch",
                             "eval"))
                | {"optimizer": c["opt"], "loss": "ce", "test_loss": "heldout-ce-quarter-turned",
                   "points_per_weight": "%.3g" % (n / count(params))}, output_dim=K)

    def log(e, final):
        lz, tz = model(x), model(xt)
        run.log(e, fn.cross_entropy(lz, y), fn.cross_entropy(tz, yt), error_share(lz, y), error_share(tz, yt),
                final=final)

    epoch_loop(g, n, c, step, log)


def runs_p4_gconv_digits():
    # The logic: n 200 training digits (9 classes), 20% of their labels flipped, every image at a random quarter
    # turn; the P4 network with c lifted channels has 72 c^2 + 84 c + 9 weights (1,497 at c 4), so the sweep of c (1,
    # 2, 3, 4 at the base at 2 seeds, 6, 8: 165 to 5,289 weights) crosses where it can just fit 200 noisy labels; the
    # plain CNN of 2c and 4c channels has 72 c^2 + 168 c + 9 (1,833 at c 4), about as many, and must learn the turns
    # from the data (with augmentation at c 2, 4 and 8, at 400 images and with 40% flips, without it at c 4). Adam at
    # 0.005 on minibatches of 25, 120 epochs. One thing at a time besides: the mean over orientations, upright
    # training images, clean labels and 40% flips, 100 and 400 images, momentum SGD at 0.05. Evaluation spacing
    # mixed.
    base = dict(net="p4", ch=4, pool="max", aug=None, upright=None, n=200, q=0.2, opt="adam", lr=0.005, wd=None,
                batch=25, epochs=120, eval="every:2")
    return p4_gconv_digits, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(ch=1, eval="every"),
        dict(ch=2, eval="jitter:40"),
        dict(ch=3, eval="every:2"),
        dict(ch=6, eval="geom:3"),
        dict(ch=8, eval="every:3"),
        dict(net="plain", pool=None, aug="rot", ch=2, eval="every"),
        dict(net="plain", pool=None, aug="rot", eval="mixed:40:4"),
        dict(net="plain", pool=None, aug="rot", ch=8, eval="every:4"),
        dict(net="plain", pool=None, aug="rot", n=400, eval="every:3"),
        dict(net="plain", pool=None, eval="every:2"),
        dict(pool="mean", eval="every"),
        dict(upright=True, eval="log:40"),
        dict(q=None, eval="every:2"),
        dict(q=0.4, eval="burst:20:5"),
        dict(n=100, eval="every"),
        dict(n=400, eval="every:3"),
        dict(opt="momentum", lr=0.05, eval="rand:100"),
        dict(net="plain", pool=None, aug="rot", q=0.4, eval="mixlog:30:40"),
    ], lambda d: "%s%s-c%d%s%s-n%d%s-%s-lr%g" % (
        d["net"], "-%spool" % d["pool"] if d.get("pool") else "", d["ch"], "-aug" if d.get("aug") else "",
        "-upright" if d.get("upright") else "", d["n"], "-q%g" % d["q"] if d.get("q") else "-clean", d["opt"],
        d["lr"]))


# ---------------------------------------------------------------------------------------------------- orbit-avg-perm


S4 = torch.tensor(list(itertools.permutations(range(4))))
C4 = torch.tensor([[(i + r) % 4 for i in range(4)] for r in range(4)])


def orbit(x, group):
    """The orbit of x (B, 4, 3) under the group: 'S4' (the 24 orderings of the tokens), 'C4' (their 4 cyclic shifts),
    'S4xZ2' (the 24 orderings, each also negated; 48) or 'none' (x itself); (B, |G|, 12)."""
    if group == "none":
        return x.reshape(len(x), 1, 12)
    P = S4 if group in ("S4", "S4xZ2") else C4
    o = x[:, P].reshape(len(x), len(P), 12)
    return torch.cat([o, -o], 1) if group == "S4xZ2" else o


def orbit_avg_perm(w, run_id, c):
    """An orbit-averaged (invariant) network against a plain one, float64. Data (all from the run's generator): x 4
    tokens of 3 standard normals; the target t(x) = the mean over the 24 orderings pi of the tokens of a tanh teacher
    12 -> 24 -> 1 (rows N(0, 9 I / 12), readout N(0, 1 / 24)) at pi x, standardised to mean 0 and variance 1 on 4,000
    reference points; n training points with Gaussian target noise of std noise, 2,000 test points with their clean
    targets. Model: a ReLU MLP f, 12 -> h -> 1, weights and biases U(+-1 / sqrt(fan-in)) from the run's generator,
    evaluated as the mean of f over the orbit of its input (orbit(x, group)); 'sample' k: trained on the mean over k
    orderings drawn at random for each point and step, evaluated on the full S4 mean; 'aug': the plain MLP trained on
    each point in an ordering drawn afresh every step. Optimizer: make_opt on minibatches. Train loss: the mean
    squared error on the noisy training targets of the model as evaluated; test loss: the mean squared error against
    the clean targets."""
    g = torch.Generator().manual_seed(622_000 + c["seed"])
    n, h, grp = c["n"], c["h"], c["group"]
    Wt = 3 * torch.randn(24, 12, generator=g, dtype=F64) / math.sqrt(12)
    vt = torch.randn(24, generator=g, dtype=F64) / math.sqrt(24)

    def teacher(z):
        return (torch.tanh(orbit(z, "S4") @ Wt.T) @ vt).mean(1)

    ref = teacher(torch.randn(4000, 4, 3, generator=g, dtype=F64))
    mu, sd = ref.mean(), ref.std()
    x = torch.randn(n, 4, 3, generator=g, dtype=F64)
    y = (teacher(x) - mu) / sd + c["noise"] * torch.randn(n, generator=g, dtype=F64)
    xt = torch.randn(2000, 4, 3, generator=g, dtype=F64)
    yt = (teacher(xt) - mu) / sd
    params = leaves([uniform(g, 12, h, 12).to(F64), uniform(g, 12, h).to(F64), uniform(g, h, 1, h).to(F64),
                     uniform(g, h, 1).to(F64)])

    def f(o):  # o (B, m, 12) -> the mean over m of the MLP
        return (torch.relu(o @ params[0].T + params[1]) @ params[2].T + params[3]).squeeze(-1).mean(1)

    eval_group = "S4" if grp == "sample" else ("none" if grp == "aug" else grp)
    opt = make_opt(c, params)

    def step(idx):
        xb = take(x, idx)
        B = len(xb)
        if grp == "sample":
            pick = S4[torch.randint(24, (B, c["k"]), generator=g)]
            o = xb[torch.arange(B)[:, None, None], pick].reshape(B, c["k"], 12)
        elif grp == "aug":
            o = xb[torch.arange(B)[:, None], S4[torch.randint(24, (B,), generator=g)]].reshape(B, 1, 12)
        else:
            o = orbit(xb, grp)
        opt.zero_grad()
        ((f(o) - take(y, idx)) ** 2).mean().backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "symmetry-orbit-average", "hidden": h, "group": grp},
                settings(c, ("seed", "group", "k", "h", "n", "noise", "opt", "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "eval_group": eval_group, "test_loss": "clean-mse",
                   "points_per_weight": "%.3g" % (n / count(params))})

    def log(e, final):
        run.log(e, ((f(orbit(x, eval_group)) - y) ** 2).mean(), ((f(orbit(xt, eval_group)) - yt) ** 2).mean(),
                final=final)

    epoch_loop(g, n, c, step, log)


def runs_orbit_avg_perm():
    # The logic: n 150 training points with target noise 0.5 (the target of variance 1); the MLP 12 -> h -> 1 has
    # 14 h + 1 weights, so the sweep of h (2, 4, 8, 12, 16 at the base at 2 seeds, 24, 48, 96) crosses where the
    # S4-averaged network can just fit 150 noisy targets; the plain MLP (at h 16 and 48), the plain MLP on a fresh
    # ordering every step (h 16 and 48), the C4 average, 4 sampled orderings a step, and S4 with the reflection
    # x -> -x (which the target lacks) compare ways to meet the symmetry. Adam at 0.003 on minibatches of 10, 300
    # epochs. One thing at a time besides: clean targets and noise 1, 75 and 300 points, momentum SGD at 0.01.
    # Evaluation spacing mixed.
    base = dict(group="S4", k=None, h=16, n=150, noise=0.5, opt="adam", lr=0.003, wd=None, batch=10, epochs=300,
                eval="every:2")
    return orbit_avg_perm, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=2, eval="every"),
        dict(h=4, eval="jitter:40"),
        dict(h=8, eval="every:2"),
        dict(h=12, eval="every:3"),
        dict(h=24, eval="geom:3"),
        dict(h=48, eval="every:3"),
        dict(h=96, eval="mixed:40:4"),
        dict(group="none", eval="every"),
        dict(group="none", h=48, eval="every:2"),
        dict(group="aug", eval="every:2"),
        dict(group="aug", h=48, eval="every:4"),
        dict(group="C4", eval="every"),
        dict(group="sample", k=4, eval="every:2"),
        dict(group="S4xZ2", eval="every:3"),
        dict(noise=0.0, eval="every:2"),
        dict(noise=1.0, eval="burst:20:5"),
        dict(n=75, eval="every"),
        dict(n=300, eval="log:40"),
        dict(opt="momentum", lr=0.01, eval="rand:100"),
        dict(group="none", h=8, eval="mixlog:30:40"),
    ], lambda d: "%s%s-h%d-n%d-noise%g-%s-lr%g" % (
        d["group"], "%d" % d["k"] if d.get("k") else "", d["h"], d["n"], d["noise"], d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- bbox-regress


def render_boxes(g, m, c):
    """m 12x12 images and their boxes (x0, y0, x1, y1) in pixels, all from g: the box's sides U(3, 8), its corner
    uniform where it fits; a filled rectangle ('rect', anti-aliased by the pixels' exact coverage) or the ellipse
    inscribed in the box ('ellipse', coverage by 4x4 subsamples) of intensity 1; with 'distractor' a second rectangle
    of sides U(2, 4) and intensity 0.4 anywhere; plus N(0, 0.2^2) pixel noise."""
    S = 12
    wh = 3 + 5 * torch.rand(m, 2, generator=g)
    lo = (S - wh) * torch.rand(m, 2, generator=g)
    box = torch.cat([lo, lo + wh], 1)
    pix = torch.arange(S, dtype=F32)

    def cover(a, b):  # (m,) intervals -> (m, S) coverage of the pixels [j, j + 1]
        return (torch.minimum(b[:, None], pix + 1) - torch.maximum(a[:, None], pix)).clamp(0, 1)

    if c["shape"] == "ellipse":
        sub = (torch.arange(4 * S, dtype=F32) + 0.5) / 4
        cx, cy = (box[:, 0] + box[:, 2]) / 2, (box[:, 1] + box[:, 3]) / 2
        rx, ry = wh[:, 0] / 2, wh[:, 1] / 2
        inside = (((sub[None, None, :] - cx[:, None, None]) / rx[:, None, None]) ** 2
                  + ((sub[None, :, None] - cy[:, None, None]) / ry[:, None, None]) ** 2 <= 1).to(F32)
        img = inside.view(m, S, 4, S, 4).mean((2, 4))
    else:
        img = cover(box[:, 1], box[:, 3])[:, :, None] * cover(box[:, 0], box[:, 2])[:, None, :]
    if c.get("distractor"):
        dwh = 2 + 2 * torch.rand(m, 2, generator=g)
        dlo = (S - dwh) * torch.rand(m, 2, generator=g)
        img = img + 0.4 * cover(dlo[:, 1], dlo[:, 1] + dwh[:, 1])[:, :, None] * cover(dlo[:, 0], dlo[:, 0] + dwh[:, 0])[
            :, None, :]
    img = img + 0.2 * torch.randn(m, S, S, generator=g)
    return img[:, None], box / S


def ordered(p):
    """A predicted box with its corners ordered: (min x, min y, max x, max y)."""
    return torch.stack([torch.minimum(p[:, 0], p[:, 2]), torch.minimum(p[:, 1], p[:, 3]),
                        torch.maximum(p[:, 0], p[:, 2]), torch.maximum(p[:, 1], p[:, 3])], 1)


def iou_giou(p, t):
    """The IoU and GIoU of the ordered predicted boxes p with the boxes t (both (m, 4))."""
    p = ordered(p)
    iw = (torch.minimum(p[:, 2], t[:, 2]) - torch.maximum(p[:, 0], t[:, 0])).clamp_min(0)
    ih = (torch.minimum(p[:, 3], t[:, 3]) - torch.maximum(p[:, 1], t[:, 1])).clamp_min(0)
    inter = iw * ih
    ap = (p[:, 2] - p[:, 0]) * (p[:, 3] - p[:, 1])
    at = (t[:, 2] - t[:, 0]) * (t[:, 3] - t[:, 1])
    union = ap + at - inter
    iou = inter / union
    cw = torch.maximum(p[:, 2], t[:, 2]) - torch.minimum(p[:, 0], t[:, 0])
    chh = torch.maximum(p[:, 3], t[:, 3]) - torch.minimum(p[:, 1], t[:, 1])
    area_c = cw * chh
    return iou, iou - (area_c - union) / area_c


def box_loss(p, t, kind):
    if kind == "mse":
        return ((p - t) ** 2).mean()
    if kind == "l1":
        return (p - t).abs().mean()
    iou, giou = iou_giou(p, t)
    return (1 - iou).mean() if kind == "iou" else (1 - giou).mean()


def bbox_regress(w, run_id, c):
    """Bounding-box regression, float32. Data (render_boxes, from the run's generator): n training images whose boxes
    carry N(0, jitter^2) coordinate noise (in units of the image side; with 'gross' a share of them replaced by random
    boxes of the same law instead), 500 fresh test images with their true boxes. Model 'cnn': conv 3x3 1 -> c ->
    ReLU -> 2x2 max pool -> conv 3x3 c -> 2c -> ReLU -> 2x2 max pool -> the flattened 2c x 3 x 3 map -> a linear
    layer to 4 numbers; 'mlp': 144 -> h -> 4 (ReLU). Weights and biases U(+-1 / sqrt(fan-in)) from the run's
    generator. Loss (box_loss): 'mse', 'l1', 'iou' (1 - IoU) or 'giou' (1 - GIoU) of the predicted box, corners
    ordered for the overlaps; with 'flip' each minibatch image flipped left-right and up-down at random, its box
    alike. Optimizer: make_opt on minibatches. Train loss: the loss on the stored training images and their given
    boxes; test loss: 1 - the mean IoU on the test images; error rates: the shares of IoU below 0.5 (training images
    against their given boxes, test images against their true boxes)."""
    g = torch.Generator().manual_seed(623_000 + c["seed"])
    n, ch = c["n"], c["ch"]
    x, box = render_boxes(g, n, c)
    y = ordered(box + (c.get("jitter") or 0.0) * torch.randn(n, 4, generator=g))
    if c.get("gross"):
        hit = torch.rand(n, generator=g) < c["gross"]
        _, other = render_boxes(g, n, c)
        y = torch.where(hit[:, None], other, y)
    xt, yt = render_boxes(g, 500, c)
    if c["net"] == "cnn":
        params = leaves([uniform(g, 9, ch, 1, 3, 3), uniform(g, 9, ch), uniform(g, 9 * ch, 2 * ch, ch, 3, 3),
                         uniform(g, 9 * ch, 2 * ch), uniform(g, 18 * ch, 4, 18 * ch), uniform(g, 18 * ch, 4)])
    else:
        params = leaves([uniform(g, 144, ch, 144), uniform(g, 144, ch), uniform(g, ch, 4, ch), uniform(g, ch, 4)])

    def model(z):
        if c["net"] == "cnn":
            f = fn.max_pool2d(torch.relu(fn.conv2d(z, params[0], params[1], padding=1)), 2)
            f = fn.max_pool2d(torch.relu(fn.conv2d(f, params[2], params[3], padding=1)), 2).flatten(1)
        else:
            f = torch.relu(z.flatten(1) @ params[0].T + params[1])
        return f @ params[4 if c["net"] == "cnn" else 2].T + params[5 if c["net"] == "cnn" else 3]

    opt = make_opt(c, params)

    def step(idx):
        xb, yb = take(x, idx), take(y, idx)
        if c.get("flip"):
            B = len(xb)
            fx = torch.rand(B, generator=g) < 0.5
            fy = torch.rand(B, generator=g) < 0.5
            xb = torch.where(fx[:, None, None, None], xb.flip(3), xb)
            xb = torch.where(fy[:, None, None, None], xb.flip(2), xb)
            yb = torch.where(fx[:, None], torch.stack([1 - yb[:, 2], yb[:, 1], 1 - yb[:, 0], yb[:, 3]], 1), yb)
            yb = torch.where(fy[:, None], torch.stack([yb[:, 0], 1 - yb[:, 3], yb[:, 2], 1 - yb[:, 1]], 1), yb)
        opt.zero_grad()
        box_loss(model(xb), yb, c["loss"]).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "geometry-box-regression", "net": c["net"], "width": ch,
                                          "loss": c["loss"]},
                settings(c, ("seed", "net", "ch", "loss", "shape", "distractor", "flip", "n", "jitter", "gross", "opt",
                             "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "test_loss": "one-minus-mean-iou", "error": "iou-below-0.5",
                   "points_per_weight": "%.3g" % (4 * n / count(params))}, output_dim=4)

    def log(e, final):
        p, pt = model(x), model(xt)
        iou, _ = iou_giou(p, y)
        iou_t, _ = iou_giou(pt, yt)
        run.log(e, box_loss(p, y, c["loss"]), 1 - iou_t.mean(), (iou < 0.5).float().mean(),
                (iou_t < 0.5).float().mean(), final=final)

    epoch_loop(g, n, c, step, log)


def runs_bbox_regress():
    # The logic: n 200 training images, the boxes' coordinates jittered by 0.05 of the image side (0.6 pixels); the
    # CNN of c and 2c channels has 18 c^2 + 84 c + 4 weights (1,156 at c 6), so the sweep of c (2, 3, 4, 6 at the base
    # at 2 seeds, 8, 12: 244 to 3,604 weights) crosses where it can just fit the 800 noisy coordinates. Adam at
    # 0.003 on minibatches of 20, 200 epochs, the squared error. One thing at a time besides: an MLP of 32 units, the
    # L1 loss, 1 - IoU and 1 - GIoU, clean boxes and jitter 0.1, 20% of the boxes replaced by random ones, 100 and
    # 400 images, ellipses, a distractor, flip augmentation, momentum SGD at 0.05. Evaluation spacing mixed.
    base = dict(net="cnn", ch=6, loss="mse", shape="rect", distractor=None, flip=None, n=200, jitter=0.05, gross=None,
                opt="adam", lr=0.003, wd=None, batch=20, epochs=200, eval="every:2")
    return bbox_regress, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(ch=2, eval="every"),
        dict(ch=3, eval="jitter:40"),
        dict(ch=4, eval="every:2"),
        dict(ch=8, eval="geom:3"),
        dict(ch=12, eval="mixed:40:4"),
        dict(net="mlp", ch=32, eval="every:2"),
        dict(loss="l1", eval="every"),
        dict(loss="iou", eval="every:2"),
        dict(loss="giou", eval="every:4"),
        dict(jitter=None, eval="every:2"),
        dict(jitter=0.1, eval="burst:20:5"),
        dict(gross=0.2, eval="every:3"),
        dict(n=100, eval="every"),
        dict(n=400, eval="log:40"),
        dict(shape="ellipse", eval="every:2"),
        dict(distractor=True, eval="every"),
        dict(flip=True, eval="mixlog:30:40"),
        dict(opt="momentum", lr=0.05, eval="rand:100"),
    ], lambda d: "%s-c%d-%s-%s%s%s-n%d%s%s-%s-lr%g" % (
        d["net"], d["ch"], d["loss"], d["shape"], "-distractor" if d.get("distractor") else "",
        "-flip" if d.get("flip") else "", d["n"], "-jitter%g" % d["jitter"] if d.get("jitter") else "-clean",
        "-gross%g" % d["gross"] if d.get("gross") else "", d["opt"], d["lr"]))


FAMILIES = {"p4-gconv-digits": runs_p4_gconv_digits, "orbit-avg-perm": runs_orbit_avg_perm,
            "bbox-regress": runs_bbox_regress}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
