#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, ninety-ninth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is metric and contrastive learning on scikit-learn's data:
an embedding network trained so that points of one class lie close and points of different classes far apart, from
labels of which a share is wrong, the test loss the training loss's own function on pairs, triplets or minibatches
drawn from held-out points at their true labels:

- siamese-margin-pairs: a siamese network (one ReLU MLP embedding both points of a pair; a linear map in 1 run) trained
  by the contrastive margin loss (Hadsell, Chopra & LeCun 2006) on a fixed set of labelled pairs of training points,
  half of them same-class, drawn from the (partly flipped) point labels, or in 1 run with a share of the pair labels
  flipped; minibatches of pairs; scikit-learn's digits (wine, breast cancer and iris in 1 run each, synthetic Gaussian
  classes with nuisance dimensions in 1).
- triplet-semihard-mine: a triplet network (a ReLU MLP; a small convolutional network on the digit images and a
  linear map in 1 run each), embeddings on the unit sphere (raw in 1 run), trained by the triplet margin loss with
  online semi-hard mining in each minibatch of points (FaceNet, Schroff, Kalenichenko & Philbin 2015; batch-hard,
  batch-all and random negatives in 1 run each); the logged losses the triplet margin loss of fixed random triplets.
- supcon-temp-embed: supervised contrastive learning (Khosla et al. 2020; L_out, L_in in 1 run) of unit embeddings at
  temperature tau by a ReLU MLP over minibatches of points (two Gaussian-noised views of each in 2 runs); error rates
  by the nearest training neighbour.

Data (metric_data, from the run's generator): scikit-learn's digits (pixels / 16), wine, breast cancer or iris
(standardised on the training points), or 'blobs' (K Gaussian classes whose means, N(0, sep^2 I), differ only in the
first dsig dimensions, dnoise pure-noise dimensions besides), n training points and 'test' held-out ones at random; a
share flip of the training labels replaced by another class (flip_labels). Train loss: the family's loss on the
training points at their given (flipped) labels; test loss: the same loss on held-out points at their true labels
(the pairs, triplets or chunks drawn once from the run's generator, the same at every evaluation). A run whose loss
turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and
mlp from train_sixtyfifth.py and logger and train_until from train_seventyfourth.py; one thread, every random draw
from a seeded torch.Generator (splits, flips, pairs, triplets, chunks, views, initialisations, minibatches, random
negatives), synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final marks
it.

    /usr/bin/python3 train_ninetyninth.py --family siamese-margin-pairs [--list] [--runs 0,3] [--out FILE]

Families (see README.md): siamese-margin-pairs, triplet-semihard-mine, supcon-temp-embed. Evaluation spacings:
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
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F32 = torch.float32


# ---------------------------------------------------------------------------------------------------- shared parts


def metric_data(g, c):
    """(x, y, xt, yt, K), float32, from g: 'digits' (pixels / 16), 'wine', 'cancer' (breast cancer) or 'iris' from
    scikit-learn (standardised on the training points), or 'blobs' (K classes of N(mu_k, I) in dsig + dnoise
    dimensions, mu_k N(0, sep^2) in the first dsig and 0 in the rest); n training points, up to 'test' held out."""
    n, m = c["n"], c["test"]
    if c["data"] == "blobs":
        K, ds, dn = c["K"], c["dsig"], c["dnoise"]
        mu = torch.cat([c["sep"] * torch.randn(K, ds, generator=g), torch.zeros(K, dn)], 1)
        y_all = torch.randint(0, K, (n + m,), generator=g)
        x_all = mu[y_all] + torch.randn(n + m, ds + dn, generator=g)
        return x_all[:n], y_all[:n], x_all[n:], y_all[n:], K
    import sklearn.datasets
    name = {"cancer": "breast_cancer"}.get(c["data"], c["data"])
    xs, ys = getattr(sklearn.datasets, "load_" + name)(return_X_y=True)
    X, Y = torch.tensor(xs, dtype=F32), torch.tensor(ys)
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:n], perm[n:n + m]
    if c["data"] == "digits":
        X = X / 16
    else:
        X = (X - X[tr].mean(0)) / X[tr].std(0)
    return X[tr], Y[tr], X[te], Y[te], int(Y.max()) + 1


def partners(g, y, K, a, same):
    """For each anchor index a (labels y), a partner of the same class (same True; another point where the class has
    one) or of another class drawn at random (a random other class, then a random member), from g."""
    order = torch.argsort(y, stable=True)
    cnt = torch.bincount(y, minlength=K)
    start = torch.cumsum(cnt, 0) - cnt
    k = torch.where(same, y[a], (y[a] + torch.randint(1, K, (len(a),), generator=g)) % K)
    while bool((cnt[k] == 0).any()):  # an empty class (a small set): another class
        empty = cnt[k] == 0
        k = torch.where(empty, (k + 1) % K, k)
    pos = torch.minimum(start[k] + (torch.rand(len(a), generator=g) * cnt[k]).long(), start[k] + cnt[k] - 1)
    b = order[pos]
    clash = b == a
    b = torch.where(clash, order[start[k] + (pos - start[k] + 1) % cnt[k]], b)
    return b


def embedder(g, c, d):
    """(params, embed(z), model tags): 'mlp' d -> hid (x depth, ReLU or tanh) -> emb, mlp_params from g; 'linear'
    d -> emb (a Mahalanobis metric of rank emb); 'cnn' on 8 x 8 images, a 3 x 3 convolution 1 -> ch (padding 1), ReLU,
    2 x 2 max pooling, ch x 16 -> emb; the output scaled to the unit sphere where norm is set."""
    kind, emb = c["model"], c["emb"]
    if kind == "cnn":
        ch = c["ch"]
        params = leaves([uniform(g, 9, ch, 1, 3, 3), uniform(g, 9, ch), uniform(g, ch * 16, ch * 16, emb),
                         uniform(g, ch * 16, emb)])

        def raw(z):
            z = fn.max_pool2d(torch.relu(fn.conv2d(z.view(-1, 1, 8, 8), params[0], params[1], padding=1)), 2)
            return z.flatten(1) @ params[2] + params[3]
        info = {"family": "convnet", "channels": ch, "embedding": emb}
    else:
        sizes = [d, emb] if kind == "linear" else [d] + [c["hid"]] * c["depth"] + [emb]
        params = mlp_params(g, sizes, F32)
        act = torch.tanh if c.get("act") == "tanh" else torch.relu

        def raw(z):
            return mlp(params, z, act)
        info = {"family": "linear-embedding", "embedding": emb} if kind == "linear" else \
            {"family": "mlp", "hidden": c["hid"], "depth": c["depth"], "activation": c.get("act", "relu"),
             "embedding": emb}

    def embed(z):
        out = raw(z)
        return fn.normalize(out, dim=1) if c.get("norm") else out
    info["normalised"] = "true" if c.get("norm") else "false"
    return params, embed, info


def make_opt(c, params):
    """Adam, AdamW (decoupled decay wd), RMSprop, or SGD with heavy-ball momentum mom."""
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"])
    if c["opt"] == "adamw":
        return torch.optim.AdamW(params, lr=c["lr"], weight_decay=c["wd"])
    if c["opt"] == "rmsprop":
        return torch.optim.RMSprop(params, lr=c["lr"])
    return torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0)


def dist(u, v):
    """Euclidean distances of the rows of u to those of v (a floor of 1e-12 under the square, so no NaN gradient)."""
    sq = (u * u).sum(1)[:, None] + (v * v).sum(1)[None, :] - 2 * u @ v.T
    return sq.clamp_min(1e-12).sqrt()


def data_name(d):
    if d["data"] == "blobs":
        return "blobs%d-s%d-n%d" % (d["K"], d["dsig"], d["dnoise"])
    return d["data"]


def opt_name(d):
    return "%s-lr%g%s%s" % (d["opt"], d["lr"], "-mom%g" % d["mom"] if d.get("mom") else "",
                            "-wd%g" % d["wd"] if d.get("wd") else "")


def model_name(d):
    if d["model"] == "cnn":
        return "cnn%d-e%d" % (d["ch"], d["emb"])
    if d["model"] == "linear":
        return "linear-e%d" % d["emb"]
    return "mlp%s%dx%d-e%d" % (d.get("act", "relu"), d["depth"], d["hid"], d["emb"])


DATA_KEYS = ("seed", "data", "n", "test", "K", "dsig", "dnoise", "sep", "flip")
MODEL_KEYS = ("model", "hid", "depth", "act", "ch", "emb", "norm")
OPT_KEYS = ("opt", "lr", "mom", "wd", "batch", "eval")


# ---------------------------------------------------------------------------------------------------- siamese-margin-pairs


def contrastive(ea, eb, s, m):
    """Hadsell et al.'s contrastive loss of pairs at distance d: (s d^2 + (1 - s) max(0, m - d)^2) / 2, mean; and
    the verification error (same predicted where d < m / 2)."""
    d = ((ea - eb) ** 2).sum(1).clamp_min(1e-12).sqrt()
    loss = 0.5 * (s * d * d + (1 - s) * torch.relu(m - d) ** 2).mean()
    return loss, ((d < m / 2).to(F32) != s).to(F32).mean()


def siamese_margin_pairs(w, run_id, c):
    """A siamese embedding network on labelled pairs, float32. Data: metric_data, a share flip of the training labels
    flipped; 'pairs' training pairs (anchor uniform over the training points, its partner of the same flipped label
    with probability 1/2, else of another one; partners) and 'tpairs' held-out pairs drawn alike at true labels; the
    pair label s = 1 for a same-class pair; a share pflip of the training pair labels flipped besides where set.
    Model: embedder. Loss: contrastive at margin m. Optimizer: make_opt on minibatches of batch pairs. Train loss: the
    contrastive loss of the training pairs at their given labels; test loss: the same of the held-out pairs at true
    labels; error rates: the pairs' verification errors."""
    g = torch.Generator().manual_seed(991_000 + c["seed"])
    x, y, xt, yt, K = metric_data(g, c)
    yn = flip_labels(g, y, K, c.get("flip"))
    P = c["pairs"]
    a = torch.randint(0, len(y), (P,), generator=g)
    same = torch.rand(P, generator=g) < 0.5
    b = partners(g, yn, K, a, same)
    s = (yn[a] == yn[b]).to(F32)
    if c.get("pflip"):
        s = torch.where(torch.rand(P, generator=g) < c["pflip"], 1 - s, s)
    at = torch.randint(0, len(yt), (c["tpairs"],), generator=g)
    bt = partners(g, yt, K, at, torch.rand(c["tpairs"], generator=g) < 0.5)
    st = (yt[at] == yt[bt]).to(F32)
    params, embed, info = embedder(g, c, x.shape[1])
    opt = make_opt(c, params)
    m = c["margin"]

    def step(idx):
        ia, ib = take(a, idx), take(b, idx)
        opt.zero_grad()
        contrastive(embed(x[ia]), embed(x[ib]), take(s, idx), m)[0].backward()
        opt.step()

    run = w.run(run_id, count(params), len(y), info,
                settings(c, DATA_KEYS + ("pflip", "pairs", "tpairs") + MODEL_KEYS + ("margin",) + OPT_KEYS)
                | {"optimizer": c["opt"], "loss": "contrastive-margin", "pair_labels": "from-flipped-point-labels",
                   "test_loss": "heldout-pairs-contrastive-true-labels", "error": "pair-verification-d<margin/2",
                   "test_size": str(len(yt))})
    log_ = logger(run)

    def log(e, final):
        E, Et = embed(x), embed(xt)
        lt, et = contrastive(E[a], E[b], s, m)
        lh, eh = contrastive(Et[at], Et[bt], st, m)
        log_(e, lt, lh, et, eh, final=final)

    train_until(g, P, c, step, log)


def runs_siamese_margin_pairs():
    # The logic: 200 digits to train, 20% of their labels flipped, 2,000 training pairs drawn from them (half of the
    # same flipped label), a ReLU MLP 64 -> 128 -> 32 (12,448 weights) embedding both sides, the contrastive loss at
    # margin 1, Adam at 1e-3 on minibatches of 100 pairs, 100 epochs; 2,000 held-out pairs of 600 held-out digits at
    # true labels: the classes are separated first, then the pairs of the flipped points are fitted (a flipped point
    # pulled into its wrong class and pushed from its own), the held-out loss rising as they are. One thing at a time
    # besides: clean and 40% flipped labels, 20% of the pair labels flipped instead of the point labels, 600 and
    # 6,000 pairs (40 epochs), width 32 and 512, two hidden layers, a 2-d embedding, unit embeddings at margin 0.5,
    # margin 2, momentum SGD, AdamW with decay, RMSprop, a linear embedding, and wine, breast cancer, iris and Gaussian
    # classes with 60 nuisance dimensions. Evaluation spacing mixed.
    base = dict(data="digits", n=200, test=600, K=None, dsig=None, dnoise=None, sep=None, flip=0.2, pflip=None,
                pairs=2000, tpairs=2000, model="mlp", hid=128, depth=1, act="relu", ch=None, emb=32, norm=None,
                margin=1.0, opt="adam", lr=1e-3, mom=None, wd=None, batch=100, epochs=100, eval="every")
    return siamese_margin_pairs, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="jitter:40"),
        dict(flip=None, pflip=0.2, eval="every"),
        dict(pairs=600, eval="geom:3"),
        dict(pairs=6000, epochs=40, eval="mixed:20:2"),
        dict(hid=32, eval="every"),
        dict(hid=512, eval="log:40"),
        dict(depth=2, eval="every:3"),
        dict(emb=2, eval="every"),
        dict(norm=True, margin=0.5, eval="burst:20:5"),
        dict(margin=2.0, eval="every:2"),
        dict(opt="sgd", lr=0.05, mom=0.9, eval="mixlog:30:40"),
        dict(opt="adamw", wd=0.05, eval="every"),
        dict(opt="rmsprop", eval="every:2"),
        dict(model="linear", hid=None, depth=None, act=None, eval="every"),
        dict(data="wine", n=100, test=78, tpairs=1000, hid=64, eval="every"),
        dict(data="cancer", n=150, test=419, hid=64, eval="every:2"),
        dict(data="iris", n=60, test=90, tpairs=1000, hid=64, eval="rand:100"),
        dict(data="blobs", n=200, test=1000, K=5, dsig=4, dnoise=60, sep=1.5, eval="every"),
    ], lambda d: "%s-n%d%s%s-p%d-%s-m%g%s-%s-b%d" % (
        data_name(d), d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean",
        "-pflip%g" % d["pflip"] if d.get("pflip") else "", d["pairs"], model_name(d), d["margin"],
        "-unit" if d.get("norm") else "", opt_name(d), d["batch"]))


# ---------------------------------------------------------------------------------------------------- triplet-semihard-mine


def mined_triplet_loss(E, y, margin, mining, g):
    """The triplet margin loss max(0, d(a, p) - d(a, n) + margin) of a minibatch's embeddings E (labels y), mined
    online: 'semihard' for every anchor-positive pair the closest negative farther than the positive, else the
    farthest negative (FaceNet; TensorFlow Addons' rule), mean over the pairs; 'random' a negative drawn at random
    from g; 'hard' for every anchor its farthest positive and closest negative (batch-hard), mean over the anchors;
    'all' every valid triplet, mean over those with a positive loss (batch-all)."""
    D = dist(E, E)
    B = len(y)
    same = y[:, None] == y[None, :]
    eye = torch.eye(B, dtype=torch.bool)
    pos, neg = same & ~eye, ~same
    if mining == "hard":
        keep = pos.any(1) & neg.any(1)
        dp = torch.where(pos, D, torch.zeros_like(D)).max(1).values
        dn = torch.where(neg, D, torch.full_like(D, math.inf)).min(1).values
        return torch.relu(dp - dn + margin)[keep].mean()
    ia, ip = pos.nonzero(as_tuple=True)
    keep = neg[ia].any(1)
    ia, ip = ia[keep], ip[keep]
    dap = D[ia, ip]
    dan = D[ia]
    nm = neg[ia]
    if mining == "all":
        trip = torch.relu(dap[:, None] - dan + margin) * nm
        return trip.sum() / (trip > 0).sum().clamp_min(1)
    if mining == "random":
        pick = torch.multinomial(nm.to(F32), 1, generator=g)[:, 0]
        return torch.relu(dap - dan[torch.arange(len(ia)), pick] + margin).mean()
    outside = nm & (dan > dap[:, None])
    semi = torch.where(outside, dan, torch.full_like(dan, math.inf)).min(1).values
    inside = torch.where(nm, dan, torch.full_like(dan, -math.inf)).max(1).values
    chosen = torch.where(outside.any(1), semi, inside)
    return torch.relu(dap - chosen + margin).mean()


def triplet_eval(E, ia, ip, ineg, margin):
    """The triplet margin loss of fixed triplets (mean) and the share whose positive is not closer than the negative."""
    dp = ((E[ia] - E[ip]) ** 2).sum(1).sqrt()
    dn = ((E[ia] - E[ineg]) ** 2).sum(1).sqrt()
    return torch.relu(dp - dn + margin).mean(), (dp >= dn).to(F32).mean()


def triplet_semihard_mine(w, run_id, c):
    """A triplet embedding network, float32. Data: metric_data, a share flip of the training labels flipped. Model:
    embedder (unit embeddings where norm is set). Loss: mined_triplet_loss at margin on minibatches of batch training
    points at their given labels. Optimizer: make_opt. Train loss: the triplet margin loss of 'triplets' fixed random
    triplets of training points (anchor uniform, a positive of its given label, a negative of another; partners) at
    their given labels; test loss: the same of as many fixed random triplets of held-out points at true labels; error
    rates: the shares of those triplets whose positive is not closer than the negative."""
    g = torch.Generator().manual_seed(992_000 + c["seed"])
    x, y, xt, yt, K = metric_data(g, c)
    yn = flip_labels(g, y, K, c.get("flip"))
    T = c["triplets"]

    def fixed(labels):
        ia = torch.randint(0, len(labels), (T,), generator=g)
        return ia, partners(g, labels, K, ia, torch.ones(T, dtype=torch.bool)), \
            partners(g, labels, K, ia, torch.zeros(T, dtype=torch.bool))

    tr_trip, te_trip = fixed(yn), fixed(yt)
    params, embed, info = embedder(g, c, x.shape[1])
    opt = make_opt(c, params)
    m = c["margin"]

    def step(idx):
        opt.zero_grad()
        mined_triplet_loss(embed(take(x, idx)), take(yn, idx), m, c["mining"], g).backward()
        opt.step()

    run = w.run(run_id, count(params), len(y), info,
                settings(c, DATA_KEYS + MODEL_KEYS + ("mining", "margin", "triplets") + OPT_KEYS)
                | {"optimizer": c["opt"], "loss": "triplet-margin-%s-mined" % c["mining"],
                   "logged_losses": "triplet-margin-fixed-random-triplets",
                   "test_loss": "heldout-triplets-margin-true-labels", "error": "triplet-order-violated",
                   "test_size": str(len(yt))})
    log_ = logger(run)

    def log(e, final):
        lt, et = triplet_eval(embed(x), *tr_trip, m)
        lh, eh = triplet_eval(embed(xt), *te_trip, m)
        log_(e, lt, lh, et, eh, final=final)

    train_until(g, len(y), c, step, log)


def runs_triplet_semihard_mine():
    # The logic: 300 digits to train, 20% of their labels flipped, a ReLU MLP 64 -> 128 -> 32 (12,448 weights) whose
    # output lies on the unit sphere, the triplet loss at margin 0.2 with semi-hard negatives mined in each minibatch of
    # 60 points (about six a class), Adam at 1e-3, 120 epochs; the logged losses are the triplet margin loss of 2,000
    # fixed random triplets, of training points at their given labels and of 600 held-out digits at true labels: the
    # classes gather first, then the flipped points are pulled to their wrong classes (each flipped point an anchor
    # and a positive of its wrong class), the held-out loss rising as they are. One thing at a time besides: clean and
    # 40% flipped labels, batch-hard, batch-all and random negatives, raw (not unit) embeddings at margin 1, a margin
    # of 0.5, width 512, two hidden layers, an 8-d embedding, a small convolutional network and a linear map,
    # momentum SGD and AdamW with decay, minibatches of 30 and 150, 150 training digits, and wine, breast cancer and
    # Gaussian classes with nuisance dimensions. Evaluation spacing mixed.
    base = dict(data="digits", n=300, test=600, K=None, dsig=None, dnoise=None, sep=None, flip=0.2, model="mlp",
                hid=128, depth=1, act="relu", ch=None, emb=32, norm=True, mining="semihard", margin=0.2,
                triplets=2000, opt="adam", lr=1e-3, mom=None, wd=None, batch=60, epochs=120, eval="every")
    return triplet_semihard_mine, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="geom:3"),
        dict(mining="hard", eval="every"),
        dict(mining="all", eval="jitter:40"),
        dict(mining="random", eval="every:2"),
        dict(norm=None, margin=1.0, eval="every"),
        dict(margin=0.5, eval="mixed:40:3"),
        dict(hid=512, eval="log:40"),
        dict(depth=2, eval="every:3"),
        dict(emb=8, eval="every"),
        dict(model="cnn", hid=None, depth=None, act=None, ch=8, eval="burst:25:5"),
        dict(model="linear", hid=None, depth=None, act=None, eval="every:2"),
        dict(opt="sgd", lr=0.05, mom=0.9, eval="every"),
        dict(opt="adamw", wd=0.05, eval="mixlog:30:40"),
        dict(batch=30, eval="every:2"),
        dict(batch=150, eval="every"),
        dict(n=150, eval="rand:120"),
        dict(data="wine", n=100, test=78, hid=64, eval="every"),
        dict(data="cancer", n=200, test=369, hid=64, eval="every:2"),
        dict(data="blobs", n=300, test=1000, K=5, dsig=4, dnoise=60, sep=1.5, eval="every"),
    ], lambda d: "%s-n%d%s-%s%s-%s-m%g-%s-b%d" % (
        data_name(d), d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", model_name(d),
        "-unit" if d.get("norm") else "-raw", d["mining"], d["margin"], opt_name(d), d["batch"]))


# ---------------------------------------------------------------------------------------------------- supcon-temp-embed


def supcon_loss(Z, y, tau, variant):
    """Khosla et al.'s supervised contrastive loss of unit embeddings Z (labels y) at temperature tau: every anchor i
    with a positive (another sample of its label) scores the others by z_i . z_a / tau, log p_ia their log-softmax
    without i; 'out' -mean over positives p of log p_ip, 'in' -log of the mean over positives of p_ip; a sum over the
    anchors, and their count."""
    B = len(y)
    eye = torch.eye(B, dtype=torch.bool)
    S = (Z @ Z.T / tau).masked_fill(eye, -math.inf)
    logp = S - torch.logsumexp(S, 1, keepdim=True)
    pos = (y[:, None] == y[None, :]) & ~eye
    npos = pos.sum(1)
    keep = npos > 0
    if variant == "in":
        per = -torch.logsumexp(torch.where(pos, logp, torch.full_like(logp, -math.inf)), 1) + torch.log(
            npos.clamp_min(1).to(Z.dtype))
    else:
        per = -torch.where(pos, logp, torch.zeros_like(logp)).sum(1) / npos.clamp_min(1)
    return per[keep].sum(), int(keep.sum())


def supcon_temp_embed(w, run_id, c):
    """Supervised contrastive learning of unit embeddings, float32. Data: metric_data, a share flip of the training
    labels flipped. Model: embedder, its output on the unit sphere. Loss: supcon_loss on minibatches of batch training
    points at their given labels (with views 2: two views of each point, the point plus vnoise times N(0, 1) drawn
    afresh, both of its label). Optimizer: make_opt. Train loss: the loss of the training points at their given labels
    over a fixed partition (from g) into chunks of batch points, mean over anchors; test loss: the same of the held-out
    points at true labels in fixed chunks of batch (two fixed noisy views each where views is 2, drawn once); error
    rates: the nearest-neighbour (cosine) errors: a training point's nearest other training point's label against its
    given label, and a held-out point's nearest training point's given label against its true label."""
    g = torch.Generator().manual_seed(993_000 + c["seed"])
    x, y, xt, yt, K = metric_data(g, c)
    yn = flip_labels(g, y, K, c.get("flip"))
    params, embed, info = embedder(g, dict(c, norm=True), x.shape[1])
    opt = make_opt(c, params)
    B, tau, two = c["batch"], c["tau"], c.get("views") == 2

    def views(z, gen):
        v = c["vnoise"]
        return torch.cat([z + v * torch.randn(z.shape, generator=gen), z + v * torch.randn(z.shape, generator=gen)])

    def chunks(m):
        perm = torch.randperm(m, generator=g)
        return [perm[j:j + B] for j in range(0, m, B)]

    ch_tr, ch_te = chunks(len(y)), chunks(len(yt))
    fixed_tr = [(views(x[i], g), torch.cat([yn[i], yn[i]])) if two else (x[i], yn[i]) for i in ch_tr]
    fixed_te = [(views(xt[i], g), torch.cat([yt[i], yt[i]])) if two else (xt[i], yt[i]) for i in ch_te]

    def step(idx):
        xb, yb = take(x, idx), take(yn, idx)
        if two:
            xb, yb = views(xb, g), torch.cat([yb, yb])
        opt.zero_grad()
        tot, k = supcon_loss(embed(xb), yb, tau, c["variant"])
        (tot / max(k, 1)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(y), info,
                settings(c, DATA_KEYS + MODEL_KEYS + ("tau", "variant", "views", "vnoise") + OPT_KEYS)
                | {"optimizer": c["opt"], "loss": "supcon-%s" % c["variant"],
                   "test_loss": "heldout-chunks-supcon-true-labels", "error": "nearest-neighbour-cosine",
                   "test_size": str(len(yt))})
    log_ = logger(run)

    def chunked(fixed):
        tot, k = 0.0, 0
        for xb, yb in fixed:
            a, b = supcon_loss(embed(xb), yb, tau, c["variant"])
            tot, k = tot + float(a), k + b
        return tot / max(k, 1)

    def log(e, final):
        E, Et = embed(x), embed(xt)
        S = (E @ E.T).fill_diagonal_(-math.inf)
        et = (yn[S.argmax(1)] != yn).to(F32).mean()
        eh = (yn[(Et @ E.T).argmax(1)] != yt).to(F32).mean()
        log_(e, chunked(fixed_tr), chunked(fixed_te), et, eh, final=final)

    train_until(g, len(y), c, step, log)


def runs_supcon_temp_embed():
    # The logic: 300 digits to train, 20% of their labels flipped, a ReLU MLP 64 -> 128 -> 32 (12,448 weights) whose
    # output lies on the unit sphere, the supervised contrastive loss L_out at temperature 0.1 on minibatches of 60
    # points, Adam at 1e-3, 150 epochs; the test loss the same loss of 600 held-out digits at true labels in fixed
    # chunks of 60: the classes gather first, then each flipped point is drawn into its wrong class, the held-out loss
    # rising as they are. One thing at a time besides: clean and 40% flipped labels, temperatures 0.05 and 0.5, L_in,
    # two Gaussian-noised views of each point (noise 0.1 and 0.3), minibatches of 20 and 150, width 512, two hidden
    # layers, an 8-d embedding, momentum SGD and AdamW with decay, 150 training digits, and wine, breast cancer, iris
    # and Gaussian classes with nuisance dimensions. Evaluation spacing mixed.
    base = dict(data="digits", n=300, test=600, K=None, dsig=None, dnoise=None, sep=None, flip=0.2, model="mlp",
                hid=128, depth=1, act="relu", ch=None, emb=32, tau=0.1, variant="out", views=None, vnoise=None,
                opt="adam", lr=1e-3, mom=None, wd=None, batch=60, epochs=150, eval="every")
    return supcon_temp_embed, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="jitter:40"),
        dict(tau=0.05, eval="every"),
        dict(tau=0.5, eval="geom:3"),
        dict(variant="in", eval="every"),
        dict(views=2, vnoise=0.1, eval="every:2"),
        dict(views=2, vnoise=0.3, eval="mixed:40:3"),
        dict(batch=20, eval="every:3"),
        dict(batch=150, eval="every"),
        dict(hid=512, eval="log:40"),
        dict(depth=2, eval="every"),
        dict(emb=8, eval="burst:25:5"),
        dict(opt="sgd", lr=0.05, mom=0.9, eval="every:2"),
        dict(opt="adamw", wd=0.05, eval="mixlog:30:40"),
        dict(n=150, eval="every"),
        dict(data="wine", n=100, test=78, hid=64, eval="rand:120"),
        dict(data="cancer", n=200, test=369, hid=64, eval="every"),
        dict(data="iris", n=75, test=75, hid=64, eval="every:2"),
        dict(data="blobs", n=300, test=1000, K=5, dsig=4, dnoise=60, sep=1.5, eval="every"),
    ], lambda d: "%s-n%d%s-%s-tau%g-%s%s-%s-b%d" % (
        data_name(d), d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", model_name(d), d["tau"],
        d["variant"], "-views2-noise%g" % d["vnoise"] if d.get("views") else "", opt_name(d), d["batch"]))


FAMILIES = {"siamese-margin-pairs": runs_siamese_margin_pairs, "triplet-semihard-mine": runs_triplet_semihard_mine,
            "supcon-temp-embed": runs_supcon_temp_embed}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
