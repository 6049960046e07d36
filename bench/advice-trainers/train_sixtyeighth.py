#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, sixty-eighth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping benchmark,
no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and
committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs were
sorted by census.py alone), and made to differ from the families of train.py ... train_sixtysixth.py in model, loss,
noise and data. The theme of the round is point clouds and attention over sets and graphs: a PointNet classifying
point clouds of shapes, a graph attention network classifying the nodes of a graph from few labels, and a dynamic
graph CNN (EdgeConv on k-nearest-neighbour graphs) segmenting point clouds point by point; on synthetic data, at sizes
around where the model can just fit its training labels, with label noise, jitter or outlier points in part of the
grid:

- pointnet-shapes: a PointNet (Qi et al. 2017) on 2-D point clouds of 5 shapes (circle, square, triangle, spiral,
  figure-eight): a shared per-point MLP 2 -> h -> h (ReLU), a symmetric max pooling over the points (a mean in 1 run),
  a head h -> h -> 5 (ReLU). Data: P points a cloud sampled along the shape's curve with a random arc of it missing,
  random scale, aspect, rotation and shift, Gaussian jitter, in part of the grid outlier points uniform in the box;
  a share of the training labels flipped. Loss: the cross-entropy. Adam (momentum SGD in 1 run) on minibatches of
  clouds, float32; random rotations of the training clouds drawn afresh every epoch in 1 run. Train loss: the
  cross-entropy on the training clouds at their given labels; test loss: the cross-entropy on held-out clouds with
  clean labels; error rates: the misclassified shares.
- gat-nodes: a graph attention network (Velickovic et al. 2018): a first layer of H heads, each a linear map to f
  features and attention coefficients softmax_j(LeakyReLU(a_dst . W x_i + a_src . W x_j)) over the node's neighbours
  and itself, the heads concatenated after an ELU, and an output layer of one head to the 4 class logits. Data: a
  stochastic block model of 4 classes (or a random geometric graph whose classes are the quadrants of the unit
  square), node features a weak class mean plus Gaussian noise; a few labelled nodes a class, a share of their labels
  flipped; the other nodes the test set (transductive). Loss: the cross-entropy on the labelled nodes. Full-batch
  Adam (momentum SGD in 1 run), float32; dropout on the inputs and the attention coefficients in 2 runs; uniform
  attention (a mean over the neighbours) in 1 run. Train loss: the cross-entropy on the labelled nodes at their given
  labels; test loss: the cross-entropy on the other nodes with their true labels; error rates: the misclassified
  shares.
- edgeconv-knn: a dynamic graph CNN (Wang et al. 2019): EdgeConv layers, each edge (i, j) of the k-nearest-neighbour
  graph giving LeakyReLU(W_c x_i + W_d (x_j - x_i) + b) and each point the max over its k edges; the first layer on
  the coordinates, the second on the first's features with the k nearest neighbours found anew in that feature space
  (in the coordinates in 1 run; one layer only in 1 run), a global max pooling, and a per-point head over the local
  and global features -> h -> 4 (ReLU). Data: 2-D clouds of a ring, a segment, a Gaussian blob and uniform clutter at
  random places (parts may overlap), jittered; per point the part it was drawn from; a share of the training points'
  labels flipped. Loss: the per-point cross-entropy. Adam (momentum SGD in 1 run) on minibatches of clouds, float32.
  Train loss: the per-point cross-entropy on the training clouds at their given labels; test loss: the same on
  held-out clouds with clean labels; error rates: the misclassified shares of the points.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs), take and flip_labels from train_thirtyninth.py, count from
train_fortyeighth.py, make_opt from train_fiftysixth.py and mlp_params, mlp and leaky from train_sixtyfifth.py; one
thread, every random draw from a seeded torch.Generator (dropout masks too), synthetic event times, 6 significant
digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_sixtyeighth.py --family pointnet-shapes [--list] [--runs 0,3] [--out FILE]

Families (see README.md): pointnet-shapes, gat-nodes, edgeconv-knn. Evaluation spacings: train.py's 'every',
'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K', 'mixlog:A:K',
'geom:G', 'burst:P:B'.
"""
import ctypes
import math
import os
import sys
import warnings

# Speed only, not results: glibc hands tensors of over about 128 kB to mmap and back at every free, so each
# evaluation's activations of a few MB cost fresh page faults (4 times the CPU time of this file's runs); keep them on
# the heap instead (32 MB is mallopt's largest threshold) and do not trim it back after every step
try:
    _libc = ctypes.CDLL("libc.so.6")
    _libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD
    _libc.mallopt(-1, 512 << 20)  # M_TRIM_THRESHOLD
    _libc.mallopt(-2, 64 << 20)  # M_TOP_PAD
except (OSError, AttributeError):
    pass

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
from train_sixtyfifth import leaky, mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs, LeakyReLU 0.2)

torch.set_num_threads(1)
warnings.filterwarnings("ignore", message="scatter_reduce")  # torch 1.13 calls it beta; used for a softmax's max only

F32 = torch.float32
TWO_PI = 2 * math.pi


def rotate(g, x):
    """Each cloud of x (m x P x 2) turned by its own angle uniform in [0, 2 pi), from g."""
    a = TWO_PI * torch.rand(len(x), generator=g)
    cs, sn = torch.cos(a), torch.sin(a)
    rot = torch.stack([torch.stack([cs, -sn], 1), torch.stack([sn, cs], 1)], 1)  # m x 2 x 2
    return x @ rot.transpose(1, 2)


# ---------------------------------------------------------------------------------------------------- pointnet-shapes


SHAPES = ("circle", "square", "triangle", "spiral", "figure8")


def polygon(t, corners):
    """Points at perimeter fraction t (any shape) of the closed polygon through corners (C x 2), equal sides."""
    C = len(corners)
    s = t * C
    side = torch.clamp(s.floor().long(), max=C - 1)
    frac = (s - side.float())[..., None]
    return corners[side] + frac * (corners[(side + 1) % C] - corners[side])


def shape_clouds(g, y, P, c):
    """Clouds (m x P x 2) of the shapes y (m), from g: P curve parameters t uniform on the curve but for a missing
    arc of share miss at a random place; the curve (circle radius 0.8, square half-side 0.7, triangle circumradius
    0.85, two-turn spiral of radius 0.15-0.9, Gerono figure-eight 0.85 wide); a random scale U(0.7, 1.1) with an
    aspect 1 +- U(-0.15, 0.15), a random rotation, a shift N(0, 0.1^2 I); jitter N(0, jit^2 I) per point; each point
    with probability out an outlier uniform in [-1.2, 1.2]^2."""
    m = len(y)
    t0 = torch.rand(m, 1, generator=g)
    t = (t0 + (1 - c["miss"]) * torch.rand(m, P, generator=g)) % 1.0
    ang = TWO_PI * t
    circle = 0.8 * torch.stack([torch.cos(ang), torch.sin(ang)], -1)
    sq = torch.tensor([[-0.7, -0.7], [0.7, -0.7], [0.7, 0.7], [-0.7, 0.7]])
    tri = 0.85 * torch.tensor([[math.cos(a), math.sin(a)] for a in (math.pi / 2, math.pi / 2 + TWO_PI / 3,
                                                                     math.pi / 2 + 2 * TWO_PI / 3)])
    r = 0.15 + 0.75 * t
    spiral = torch.stack([r * torch.cos(2 * ang), r * torch.sin(2 * ang)], -1)
    fig8 = 0.85 * torch.stack([torch.sin(ang), torch.sin(ang) * torch.cos(ang) * 1.4], -1)
    every = torch.stack([circle, polygon(t, sq), polygon(t, tri), spiral, fig8], 1)  # m x 5 x P x 2
    x = every[torch.arange(m), y]
    s = 0.7 + 0.4 * torch.rand(m, 1, generator=g)
    asp = 0.3 * torch.rand(m, 1, generator=g) - 0.15
    x = x * torch.stack([s * (1 + asp), s * (1 - asp)], -1)
    x = rotate(g, x) + 0.1 * torch.randn(m, 1, 2, generator=g)
    x = x + c["jit"] * torch.randn(m, P, 2, generator=g)
    if c.get("out"):
        hit = torch.rand(m, P, 1, generator=g) < c["out"]
        x = torch.where(hit, 2.4 * torch.rand(m, P, 2, generator=g) - 1.2, x)
    return x


def pointnet_shapes(w, run_id, c):
    """A PointNet classifier, float32. Data (from the run's generator): n training clouds and 600 held-out clouds of
    P points (shape_clouds), classes uniform over the 5 shapes; a share flip of the training labels flipped to
    another class. Model: the shared per-point MLP 2 -> h -> h (ReLU after both), the max over the points (the mean
    with pool 'mean'), the head h -> h -> 5 (ReLU); weights U(+-1 / sqrt(fan-in)) from the run's generator. Loss: the
    cross-entropy. Optimizer: make_opt on minibatches of clouds; with aug every training cloud turned by a fresh random
    angle every epoch. Train loss: the cross-entropy on the (unturned) training clouds at their given labels; test
    loss: the cross-entropy on the held-out clouds, clean labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(681_000 + c["seed"])
    n, P, h, K = c["n"], c["P"], c["h"], len(SHAPES)
    y = torch.randint(K, (n,), generator=g)
    x = shape_clouds(g, y, P, c)
    yn = flip_labels(g, y, K, c.get("flip"))
    yt = torch.randint(K, (600,), generator=g)
    xt = shape_clouds(g, yt, P, c)
    local = mlp_params(g, [2, h, h], F32)
    head = mlp_params(g, [h, h, K], F32)
    params = local + head

    def logits(z):
        f = torch.relu(mlp(local, z, torch.relu))
        f = f.amax(1) if c["pool"] == "max" else f.mean(1)
        return mlp(head, f, torch.relu)

    opt = make_opt(c, params)
    cur = [x]

    def begin(e):
        if c.get("aug"):
            cur[0] = rotate(g, x)

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(logits(take(cur[0], idx)), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "pointnet", "hidden": h, "pool": c["pool"], "points": P},
                settings(c, ("seed", "h", "pool", "P", "n", "miss", "jit", "out", "flip", "aug", "opt", "lr", "wd",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy", "test_loss": "heldout-ce-clean-labels",
                   "error": "misclassified", "clouds_per_weight": "%.3g" % (n / count(params))}, output_dim=K)

    def losses(z, t):
        out = logits(z)
        return fn.cross_entropy(out, t), (out.argmax(1) != t).float().mean()

    def log(e, final):
        lt, et = losses(x, yn)
        lh, eh = losses(xt, yt)
        run.log(e, lt, lh, et, eh, final=final)

    epoch_loop(g, n, c, step, log, begin=begin)


def runs_pointnet_shapes():
    # The logic: 150 training clouds of 32 points, 5 shapes, 20% of the labels flipped; the PointNet has 2 h^2 + 10 h
    # + 5 weights (2,373 at h 32), so the sweep of h (8, 16, 32 at the base at 2 seeds, 64, 128: 213 to 34,053
    # weights) crosses where it can just fit every training label, the flipped ones too, with the shapes themselves
    # easy to tell apart. Jitter 0.05, a missing arc of 10%, Adam at 0.003 on minibatches of 25 clouds, 120 epochs.
    # One thing at a time besides: 16 and 64 points, 75 and 300 clouds, clean and 40% flipped labels, jitter 0.15,
    # 15% outlier points, a missing arc of 40%, mean pooling, random rotations each epoch, momentum SGD at 0.05, Adam
    # at 0.01, weight decay. Evaluation spacing mixed.
    base = dict(h=32, pool="max", P=32, n=150, miss=0.1, jit=0.05, out=None, flip=0.2, aug=None, opt="adam",
                lr=0.003, wd=None, batch=25, epochs=120, eval="every:2")
    return pointnet_shapes, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=8, eval="every"),
        dict(h=16, eval="jitter:40"),
        dict(h=64, eval="every:3"),
        dict(h=128, eval="geom:3"),
        dict(P=16, eval="every:2"),
        dict(P=64, eval="log:40"),
        dict(n=75, eval="every"),
        dict(n=300, eval="every:4"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="burst:20:5"),
        dict(jit=0.15, eval="every:3"),
        dict(out=0.15, eval="mixed:40:4"),
        dict(miss=0.4, eval="every:2"),
        dict(pool="mean", eval="every:2"),
        dict(aug="rot", eval="mixlog:30:40"),
        dict(opt="momentum", lr=0.05, eval="rand:60"),
        dict(lr=0.01, eval="every:2"),
        dict(wd=0.0005, eval="every:3"),
    ], lambda d: "h%d-%s-P%d-n%d-miss%g-jit%g%s%s%s-%s-lr%g%s" % (
        d["h"], d["pool"], d["P"], d["n"], d["miss"], d["jit"], "-out%g" % d["out"] if d.get("out") else "",
        "-flip%g" % d["flip"] if d.get("flip") else "-clean", "-aug" if d.get("aug") else "", d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- gat-nodes


def node_graph(g, c):
    """The graph (N x N boolean adjacency with self-loops), the node classes (4) and features, from g. 'sbm': a
    stochastic block model of 4 equal blocks, about din neighbours within the block and dout across; 'geo': a random
    geometric graph, nodes uniform in the unit square joined within the radius of about din + dout neighbours, the
    class the quadrant. Features: mu times the class's unit mean vector (random directions) plus N(0, I_F)."""
    N, K, F = c["N"], 4, c["F"]
    if c["graph"] == "sbm":
        y = torch.arange(N) % K
        y = y[torch.randperm(N, generator=g)]
        same = y[:, None] == y[None, :]
        p = torch.where(same, c["din"] / (N / K - 1), c["dout"] / (N - N / K))
        pos = None
    else:
        pos = torch.rand(N, 2, generator=g)
        y = (pos[:, 0] > 0.5).long() + 2 * (pos[:, 1] > 0.5).long()
        rad = math.sqrt((c["din"] + c["dout"]) / (math.pi * N))
        p = (torch.cdist(pos, pos) < rad).float()
    u = torch.rand(N, N, generator=g)
    a = torch.triu(u < p, 1)
    adj = a | a.T | torch.eye(N, dtype=torch.bool)
    means = torch.randn(K, F, generator=g)
    means = means / means.norm(dim=1, keepdim=True)
    x = c["mu"] * means[y] + torch.randn(N, F, generator=g)
    return adj, y, x


def gat_nodes(w, run_id, c):
    """A two-layer graph attention network, float32, transductive. Data (from the run's generator): node_graph; lab
    labelled nodes a class drawn at random, a share flip of their labels flipped to another class; the other nodes
    the test set. Model: layer 1, H heads of f features: W (F x H f), attention vectors a_src, a_dst (H x f), e_ij =
    LeakyReLU_0.2(a_dst . W x_i + a_src . W x_j) over the neighbours j of i and i itself, alpha = softmax_j(e_ij), the
    head's output sum_j alpha_ij W x_j, the heads concatenated, a bias, ELU; layer 2, one head to the 4 class logits
    in the same way (GAT's output layer); attn 'none' replaces every alpha by the mean over the neighbours. Weights
    U(+-1 / sqrt(fan-in)) from the run's generator. With drop, inverted dropout of the inputs of both layers and of
    the attention coefficients in training (masks from the run's generator). Loss: the cross-entropy on the labelled
    nodes at their given labels. Optimizer: make_opt, full batch (one step an epoch). Train loss: that cross-entropy
    without dropout; test loss: the cross-entropy on the other nodes, true labels; error rates: the misclassified
    shares."""
    g = torch.Generator().manual_seed(682_000 + c["seed"])
    adj, y, x = node_graph(g, c)
    N, K, F, H, f = c["N"], 4, c["F"], c["heads"], c["f"]
    lab = torch.cat([torch.nonzero(y == k)[:, 0][torch.randperm(int((y == k).sum()), generator=g)[:c["lab"]]]
                     for k in range(K)])
    rest = torch.ones(N, dtype=torch.bool)
    rest[lab] = False
    test = torch.nonzero(rest)[:, 0]
    ylab = flip_labels(g, y[lab], K, c.get("flip"))
    params = leaves([uniform(g, F, F, H * f), uniform(g, f, H, f), uniform(g, f, H, f), torch.zeros(H * f),
                     uniform(g, H * f, H * f, K), uniform(g, K, 1, K), uniform(g, K, 1, K), torch.zeros(K)])
    W1, as1, ad1, b1, W2, as2, ad2, b2 = params
    dst, src = torch.nonzero(adj).unbind(1)  # the edges j -> i as (i, j), i's self-loop among them
    E = len(dst)
    uniform_att = (1.0 / adj.float().sum(1))[dst]
    drop = c.get("drop") or 0.0

    def dropout(z, training):
        if not (training and drop):
            return z
        return z * (torch.rand(z.shape, generator=g) >= drop).float() / (1 - drop)

    def layer(z, W, a_s, a_d, heads, width, training):
        # on the edge list: e (E x heads), its softmax over each node's in-edges, the messages summed by index_add
        wz = (dropout(z, training) @ W).reshape(N, heads, width)
        if c["attn"] == "none":
            alpha = uniform_att[:, None].expand(E, heads)
        else:
            e = leaky((wz * a_d).sum(-1)[dst] + (wz * a_s).sum(-1)[src])  # E x heads
            top = torch.zeros(N, heads).scatter_reduce(0, dst[:, None].expand(E, heads), e.detach(), "amax",
                                                      include_self=False)
            ex = torch.exp(e - top[dst])
            alpha = ex / torch.zeros(N, heads).index_add(0, dst, ex)[dst]
        alpha = dropout(alpha, training)
        return torch.zeros(N, heads, width).index_add(0, dst, alpha[:, :, None] * wz[src]).reshape(N, heads * width)

    def logits(training):
        z = fn.elu(layer(x, W1, as1, ad1, H, f, training) + b1)
        return layer(z, W2, as2, ad2, 1, K, training) + b2

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(logits(True)[lab], ylab).backward()
        opt.step()

    run = w.run(run_id, count(params), len(lab), {"family": "gat", "heads": H, "head_width": f, "attn": c["attn"],
                                                  "graph": c["graph"]},
                settings(c, ("seed", "graph", "N", "din", "dout", "F", "mu", "lab", "flip", "heads", "f", "attn",
                             "drop", "opt", "lr", "wd", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy", "test_loss": "unlabelled-nodes-ce-true-labels",
                   "error": "misclassified", "test_nodes": str(len(test)),
                   "labels_per_weight": "%.3g" % (len(lab) / count(params))}, output_dim=K)

    def log(e, final):
        out = logits(False)
        lt, lh = fn.cross_entropy(out[lab], ylab), fn.cross_entropy(out[test], y[test])
        et = (out[lab].argmax(1) != ylab).float().mean()
        eh = (out[test].argmax(1) != y[test]).float().mean()
        run.log(e, lt, lh, et, eh, final=final)

    epoch_loop(g, len(lab), c, step, log)


def runs_gat_nodes():
    # The logic: 300 nodes in 4 classes, about 6 neighbours within the class and 3 across; 20 features whose class
    # mean is weak (mu 1 against unit noise a feature); 8 labelled nodes a class (32), 25% of their labels flipped;
    # the GAT has F H f + 3 H f + (H f + 3) 4 weights (876 at 4 heads of 8), far more than its 32 labels, so it
    # can fit them all, the flipped ones too, while the graph carries the class to the unlabelled nodes. Adam at 0.005,
    # full batch, 200 epochs (one step an epoch). One thing at a time besides: 1, 2 and 8 heads, heads of 4 and 16
    # features, 4 and 20 labelled nodes a class, clean and 40% flipped labels, a weaker homophily (3 within, 6
    # across), a random geometric graph with the quadrants as classes, stronger features (mu 2), 100 features,
    # uniform attention, dropout 0.3, GAT's own recipe (dropout 0.6, weight decay 0.0005), momentum SGD at 0.05, Adam
    # at 0.02. Evaluation spacing mixed.
    base = dict(graph="sbm", N=300, din=6, dout=3, F=20, mu=1.0, lab=8, flip=0.25, heads=4, f=8, attn="gat",
                drop=None, opt="adam", lr=0.005, wd=None, epochs=200, eval="every")
    return gat_nodes, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(heads=1, eval="every:2"),
        dict(heads=2, eval="jitter:40"),
        dict(heads=8, eval="every:3"),
        dict(f=4, eval="geom:3"),
        dict(f=16, eval="every:2"),
        dict(lab=4, eval="every"),
        dict(lab=20, eval="log:40"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="burst:20:5"),
        dict(din=3, dout=6, eval="every:3"),
        dict(graph="geo", eval="every:2"),
        dict(mu=2.0, eval="mixed:40:4"),
        dict(F=100, eval="every:2"),
        dict(attn="none", eval="every:2"),
        dict(drop=0.3, eval="mixlog:30:40"),
        dict(drop=0.6, wd=0.0005, eval="every"),
        dict(opt="momentum", lr=0.05, eval="rand:60"),
        dict(lr=0.02, eval="every:4"),
    ], lambda d: "%s-N%d-din%g-dout%g-F%d-mu%g-lab%d%s-H%d-f%d-%s%s-%s-lr%g%s" % (
        d["graph"], d["N"], d["din"], d["dout"], d["F"], d["mu"], d["lab"],
        "-flip%g" % d["flip"] if d.get("flip") else "-clean", d["heads"], d["f"], d["attn"],
        "-drop%g" % d["drop"] if d.get("drop") else "", d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- edgeconv-knn


PARTS = ("ring", "segment", "blob", "clutter")


def part_clouds(g, m, P, c):
    """m clouds of P points (m x P x 2) and the part of every point (m x P), from g: round(clut P) clutter points
    uniform in [-1, 1]^2, the rest split as evenly as can be into a ring (radius U(0.25, 0.45)), a segment (length
    U(0.6, 1.0), a random direction) and a Gaussian blob (sd 0.08), each at its own centre uniform in [-0.55,
    0.55]^2 (so parts may overlap), the points of the ring and the segment uniform along them; the parts' points
    jittered by N(0, jit^2 I)."""
    nc = int(round(c["clut"] * P))
    sizes = [(P - nc) // 3 + (1 if i < (P - nc) % 3 else 0) for i in range(3)]
    centre = 1.1 * torch.rand(m, 3, 2, generator=g) - 0.55
    pts = []
    a = TWO_PI * torch.rand(m, sizes[0], generator=g)
    r = 0.25 + 0.2 * torch.rand(m, 1, generator=g)
    pts.append(r[..., None] * torch.stack([torch.cos(a), torch.sin(a)], -1) + centre[:, None, 0])
    d = TWO_PI * torch.rand(m, 1, generator=g)
    ln = 0.6 + 0.4 * torch.rand(m, 1, generator=g)
    s = ln * (torch.rand(m, sizes[1], generator=g) - 0.5)
    pts.append(s[..., None] * torch.stack([torch.cos(d), torch.sin(d)], -1) + centre[:, None, 1])
    pts.append(0.08 * torch.randn(m, sizes[2], 2, generator=g) + centre[:, None, 2])
    x = torch.cat(pts, 1)
    x = x + c["jit"] * torch.randn(x.shape, generator=g)
    x = torch.cat([x, 2 * torch.rand(m, nc, 2, generator=g) - 1], 1)
    y = torch.cat([torch.full((sz,), i, dtype=torch.long) for i, sz in enumerate(sizes + [nc])])
    return x, y.expand(m, P).clone()


def knn(z, k):
    """The indexes (m x P x k) of every point's k nearest points in z (m x P x d), itself among them."""
    return torch.cdist(z, z).topk(k, dim=2, largest=False).indices


def edgeconv_knn(w, run_id, c):
    """A dynamic graph CNN for per-point segmentation, float32. Data (from the run's generator): n training clouds
    and 150 held-out clouds of P points (part_clouds), 4 classes (the parts); a share flip of the training points'
    labels flipped to another class. Model: EdgeConv(z, idx): per point i the max over its k neighbours j (idx) of
    LeakyReLU_0.2(z_i W_c + (z_j - z_i) W_d + b); layer 1 on the coordinates with the k nearest neighbours in the
    plane, width h; layer 2 (depth 2) on layer 1's features with the k nearest neighbours in that feature space
    found anew at every forward pass ('dynamic'; in the plane with graph 'static'), width h; the global feature the
    max over the cloud's points of the layers' features; the head per point over [local features, global feature]
    -> h -> 4 (ReLU). Weights U(+-1 / sqrt(fan-in)) from the run's generator. Loss: the per-point cross-entropy.
    Optimizer: make_opt on minibatches of clouds. Train loss: the per-point cross-entropy on the training clouds at
    their given labels; test loss: the same on the held-out clouds, clean labels; error rates: the misclassified
    shares of the points."""
    g = torch.Generator().manual_seed(683_000 + c["seed"])
    n, P, h, k, K, depth = c["n"], c["P"], c["h"], c["k"], len(PARTS), c["depth"]
    x, y = part_clouds(g, n, P, c)
    yn = flip_labels(g, y.reshape(-1), K, c.get("flip")).reshape(n, P)
    xt, yt = part_clouds(g, 150, P, c)
    idx_x, idx_t = knn(x, k), knn(xt, k)
    convs = []
    for din in [2] + [h] * (depth - 1):
        convs.append(leaves([uniform(g, 2 * din, din, h), uniform(g, 2 * din, din, h), uniform(g, 2 * din, h)]))
    head = mlp_params(g, [2 * depth * h, h, K], F32)
    params = [q for cv in convs for q in cv] + head

    def edgeconv(z, idx, cv):
        # z_i W_c + (z_j - z_i) W_d + b = z_i (W_c - W_d) + b + z_j W_d, and LeakyReLU is increasing, so the max over
        # the edges of the activations is the activation of the centre's term plus the max over the neighbours of
        # z_j W_d: the same function (and gradient) as forming every edge's features, at a k-th of the cost
        wc, wd, b = cv
        m = len(z)
        nb = (z @ wd).reshape(m * P, h)
        flat = (idx + P * torch.arange(m)[:, None, None]).reshape(-1)
        return leaky(z @ (wc - wd) + b + nb.index_select(0, flat).reshape(m, P, k, h).amax(2))

    def logits(z, idx):
        feats = [edgeconv(z, idx, convs[0])]
        for cv in convs[1:]:
            nidx = knn(feats[-1].detach(), k) if c["graph"] == "dynamic" else idx
            feats.append(edgeconv(feats[-1], nidx, cv))
        local = torch.cat(feats, 2)
        glob = local.amax(1, keepdim=True).expand_as(local)
        return mlp(head, torch.cat([local, glob], 2), torch.relu)

    def ce(out, t):
        return fn.cross_entropy(out.reshape(-1, K), t.reshape(-1))

    opt = make_opt(c, params)

    def step(ids):
        opt.zero_grad()
        ce(logits(take(x, ids), take(idx_x, ids)), take(yn, ids)).backward()
        opt.step()

    run = w.run(run_id, count(params), n * P, {"family": "dgcnn-edgeconv", "hidden": h, "k": k, "depth": depth,
                                               "graph": c["graph"]},
                settings(c, ("seed", "h", "k", "depth", "graph", "P", "n", "clut", "jit", "flip", "opt", "lr", "wd",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "per-point-cross-entropy", "test_loss": "heldout-ce-clean-labels",
                   "error": "points-misclassified", "points_per_weight": "%.3g" % (n * P / count(params))},
                output_dim=K)

    def losses(z, idx, t):
        out = logits(z, idx)
        return ce(out, t), (out.argmax(2) != t).float().mean()

    def log(e, final):
        lt, et = losses(x, idx_x, yn)
        lh, eh = losses(xt, idx_t, yt)
        run.log(e, lt, lh, et, eh, final=final)

    epoch_loop(g, n, c, step, log)


def runs_edgeconv_knn():
    # The logic: 40 training clouds of 36 points (1,440 labelled points: a ring and a segment of 11 points, a blob of 10
    # and 4 clutter points a cloud), 15% of the points' labels flipped; the network has 6 h^2 + 11 h + 4 weights (6,500
    # at h 32), so the sweep of h (8, 16, 32 at the base at 2 seeds, 64: 476 to 25,284 weights) crosses where it can
    # just fit every training point's label, the flipped ones too, which it can only do by telling points apart by their
    # neighbourhoods. k 8, jitter 0.03, 10% clutter, Adam at 0.003 on minibatches of 8 clouds, 120 epochs. One thing at
    # a time besides: k 4 and 16, 24 and 60 points a cloud, 20 and 80 clouds, clean and 30% flipped labels, jitter 0.08,
    # the second layer's neighbours in the plane (static), one EdgeConv layer, 30% clutter, momentum SGD at 0.05, Adam
    # at 0.01, weight decay. Evaluation spacing mixed.
    base = dict(h=32, k=8, depth=2, graph="dynamic", P=36, n=40, clut=0.1, jit=0.03, flip=0.15, opt="adam", lr=0.003,
                wd=None, batch=8, epochs=120, eval="every:2")
    return edgeconv_knn, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=8, eval="every"),
        dict(h=16, eval="jitter:40"),
        dict(h=64, eval="every:3"),
        dict(k=4, eval="every:2"),
        dict(k=16, eval="geom:3"),
        dict(P=24, eval="every:2"),
        dict(P=60, eval="log:40"),
        dict(n=20, eval="every"),
        dict(n=80, eval="every:4"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.3, eval="burst:20:5"),
        dict(jit=0.08, eval="every:3"),
        dict(graph="static", eval="every:2"),
        dict(depth=1, eval="mixed:40:4"),
        dict(clut=0.3, eval="every:2"),
        dict(opt="momentum", lr=0.05, eval="rand:60"),
        dict(lr=0.01, eval="mixlog:30:40"),
        dict(wd=0.0005, eval="every:3"),
    ], lambda d: "h%d-k%d-depth%d-%s-P%d-n%d-clut%g-jit%g%s-%s-lr%g%s" % (
        d["h"], d["k"], d["depth"], d["graph"], d["P"], d["n"], d["clut"], d["jit"],
        "-flip%g" % d["flip"] if d.get("flip") else "-clean", d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else ""))


FAMILIES = {"pointnet-shapes": runs_pointnet_shapes, "gat-nodes": runs_gat_nodes, "edgeconv-knn": runs_edgeconv_knn}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
