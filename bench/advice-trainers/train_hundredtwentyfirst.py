#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-twenty-first held-out
round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is permutation-invariant models on sets: Deep Sets with sum,
mean or max pooling and attention pooling over a set's elements, set-level regression or classification where each
example is a set of rows drawn from a scikit-learn table or of synthetic points; the set size, the width and the
label noise swept, the width on both sides of where the model can just fit its training sets:

- digitsum-deepsets: Deep Sets (Zaheer et al. 2017) regressing the sum of the digits in a set of B of scikit-learn's
  8x8 digit images (the standardised sum of their labels): an element network phi 64 -> h -> h (ReLU, ReLU), pooled
  over the set by the sum, the mean or the max, a set network rho h -> h -> 1 (ReLU); a fixed pool of training images
  from which a fixed number of training sets is drawn, held-out sets drawn from the other images. Noise: Gaussian
  noise on the training sets' targets, or a share of the training images' labels replaced before they are summed.
  Loss: the mean squared error; Adam (momentum SGD in 1 run) on minibatches of sets; float32.
- pma-vote-tables: set classification of rows of scikit-learn's breast cancer or wine: a set of B rows of which a
  strict majority (a uniform count from B // 2 + 1 to B) belongs to the set's class and the rest to the other
  classes; the set's label is that majority class. An element encoder d -> h -> h (ReLU) and pooling by multihead
  attention (the PMA of Lee et al.'s Set Transformer, 2019: a learned seed vector as the query, H heads over the
  set's elements, the output projection added to the seed), or a mean or max pooling for contrast, then a head
  h -> K on its ReLU. Noise: a share of the training sets' labels flipped. Loss: the cross-entropy; AdamW (momentum
  SGD in 1 run) on minibatches of sets; float32.
- logdet-pointset-hb: set regression on synthetic point clouds: a set of P points in D dimensions, x = mu + A z
  (z N(0, I), A with N(0, 1 / D) entries, mu N(0, 0.25 I), all a set's own), the target half the log-determinant of
  the set's sample covariance (plus 0.05 I), or the largest distance of a point from the origin ('maxnorm');
  standardised by the held-out sets' mean and sd. Deep Sets with GELU, phi D -> h -> h, pooled by the sum, the mean
  or the max, rho h -> h -> 1. Noise: Student-t (or Gaussian) noise on the training targets. Loss: the Huber loss
  (delta 1; the mean squared error in 1 run); full-batch heavy-ball gradient descent (plain and Nesterov in 1 run
  each) for thousands of epochs; float64.

Train loss: the training loss on the training sets at their given (noisy) targets or labels; test loss: the same loss
on held-out sets (built from held-out images, rows or fresh points) at their true targets or labels; error rates
(classification): the misclassified shares. A run whose loss turns NaN or infinite sends that evaluation as its last
and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves and real_classes from
train_thirtysixth.py, take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and
mlp from train_sixtyfifth.py, logger and train_until from train_seventyfourth.py and target_noise from
train_seventysixth.py; one thread, every random draw from a seeded torch.Generator (splits, sets, flips, target noise,
initialisations, minibatches), synthetic event times, 6 significant digits. No planned last epoch is told: the last
event's final marks it.

    /usr/bin/python3 train_hundredtwentyfirst.py --family digitsum-deepsets [--list] [--runs 0,3] [--out FILE]

Families (see README.md): digitsum-deepsets, pma-vote-tables, logdet-pointset-hb. Evaluation spacings: train.py's
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
from train_thirtysecond import uniform  # noqa: E402  (U(+-1 / sqrt(fan-in)) from a generator)
from train_thirtysixth import leaves, real_classes  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import target_noise  # noqa: E402  (Gaussian or Student-t noise of sd 'sd')

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- shared parts


def pool(z, kind):
    """A permutation-invariant pooling over the set's axis (1) of z (sets x elements x features)."""
    if kind == "sum":
        return z.sum(1)
    if kind == "mean":
        return z.mean(1)
    return z.max(1).values


def deep_sets(phi, rho, x, kind, act):
    """rho(pool(act(phi(x)))): phi and rho MLPs (mlp_params lists), the element network's output through act too."""
    return mlp(rho, pool(act(mlp(phi, x, act)), kind), act)


def draw_subsets(g, sets, pool_size, B):
    """sets x B indexes into range(pool_size), distinct within a set (the first B of a random order), from g."""
    return torch.argsort(torch.rand(sets, pool_size, generator=g), dim=1)[:, :B]


def opt_of(c, params):
    """'adam' Adam, 'adamw' AdamW (weight decay 'wd'), 'sgdm' SGD with momentum 0.9, 'hb' heavy ball ('mom'),
    'nesterov' Nesterov momentum ('mom'), 'gd' plain gradient descent; step 'lr'."""
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"])
    if c["opt"] == "adamw":
        return torch.optim.AdamW(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    if c["opt"] == "sgdm":
        return torch.optim.SGD(params, lr=c["lr"], momentum=0.9)
    mom = 0.0 if c["opt"] == "gd" else c.get("mom") or 0.9
    return torch.optim.SGD(params, lr=c["lr"], momentum=mom, nesterov=c["opt"] == "nesterov")


# ------------------------------------------------------------------------------------------------- digitsum-deepsets


DIGIT_MEAN, DIGIT_SD = 4.5, math.sqrt(8.25)  # of a label uniform on 0..9


def digit_sets(g, c):
    """(x, y, xt, yt): scikit-learn's digits (pixels / 16), split at random into a pool of 'imgs' training images and
    the rest; 'sets' training sets of B distinct pool images and 'test_sets' held-out sets of B distinct held-out
    images (x: sets x B x 64). Target: (sum of the labels - 4.5 B) / (sd sqrt(B)), unit variance for uniform labels;
    the training sets' sums taken over the pool's labels after a share 'flip' of them was replaced by another digit,
    then Gaussian noise of sd 'sd' added to each training set's target. All from g."""
    from sklearn.datasets import load_digits
    xs, ys = load_digits(return_X_y=True)
    X, Y = torch.tensor(xs / 16.0, dtype=F32), torch.tensor(ys)
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:c["imgs"]], perm[c["imgs"]:]
    B = c["B"]
    ylab = flip_labels(g, Y[tr], 10, c.get("flip"))
    i, it = draw_subsets(g, c["sets"], len(tr), B), draw_subsets(g, c["test_sets"], len(te), B)

    def target(lab):
        return ((lab.sum(1).to(F64) - DIGIT_MEAN * B) / (DIGIT_SD * math.sqrt(B)))

    y = target_noise(g, c, target(ylab[i])).to(F32)
    return X[tr][i], y, X[te][it], target(Y[te][it]).to(F32)


def digitsum_deepsets(w, run_id, c):
    """Deep Sets on sets of digit images, float32. Data (from the run's generator): digit_sets. Model: phi 64 -> h -> h
    (ReLU after both layers), pool 'pool' (sum, mean or max over the set), rho h -> h -> 1 (ReLU between); weights
    U(+-1 / sqrt(fan-in)) from the run's generator (mlp_params). Loss: the mean squared error of the standardised
    sum. Optimizer (opt_of): Adam or momentum SGD on minibatches of 'batch' sets."""
    g = torch.Generator().manual_seed(1_211_000 + c["seed"])
    x, y, xt, yt = digit_sets(g, c)
    n, h = len(x), c["h"]
    phi, rho = mlp_params(g, [64, h, h], F32), mlp_params(g, [h, h, 1], F32)
    params = phi + rho
    opt = opt_of(c, params)

    def forward(z):
        return deep_sets(phi, rho, z, c["pool"], torch.relu)[:, 0]

    def step(idx):
        opt.zero_grad()
        ((forward(take(x, idx)) - take(y, idx)) ** 2).mean().backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "deep-sets", "width": h, "pooling": c["pool"],
                                           "element_inputs": 64, "set_size": c["B"]},
                settings(c, ("seed", "imgs", "sets", "B", "sd", "flip", "h", "pool", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "mse", "test_loss": "heldout-mse-clean-sum",
                   "target": "standardised-digit-sum", "test_sets": str(len(xt)), "data": "digits"})
    log_ = logger(run)

    def log(e, final):
        log_(e, ((forward(x) - y) ** 2).mean(), ((forward(xt) - yt) ** 2).mean(), final=final)

    train_until(g, n, c, step, log)


def runs_digitsum_deepsets():
    # The logic: 200 training sets of 4 images drawn from a pool of 400 training images (each image in about two sets),
    # the standardised digit sum with Gaussian noise of sd 0.5 on the training targets; Deep Sets with sum pooling, h
    # 32 (4,225 weights, twenty a set: enough to give each of the 400 pool images its own value and so to fit the
    # noise of 200 sums; at h 4, about 300 weights, it cannot), Adam at 1e-3 on minibatches of 20 sets, 300 epochs.
    # The width on both sides: 4, 8, 16, 64, 128, 256. One thing at a time besides: clean targets, sd 1; 20% and
    # (clean) 40% of the pool's labels replaced; sets of 2, 8 and 16 images; 100 and 400 training sets; mean and max
    # pooling; momentum SGD at 0.01; a short run (60 epochs) at h 64 and a long one (1,000 epochs) at h 16. Evaluation
    # spacing mixed.
    base = dict(imgs=400, sets=200, test_sets=500, B=4, sd=0.5, flip=None, h=32, pool="sum", opt="adam", lr=1e-3,
                batch=20, epochs=300, eval="every:2")
    return digitsum_deepsets, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=4, eval="every"),
        dict(h=8, eval="jitter:40"),
        dict(h=16, eval="every:3"),
        dict(h=64, eval="every:2"),
        dict(h=128, eval="mixed:40:3"),
        dict(h=256, eval="every:4"),
        dict(sd=None, eval="every"),
        dict(sd=1.0, eval="rand:90"),
        dict(flip=0.2, eval="every:2"),
        dict(sd=None, flip=0.4, eval="burst:30:6"),
        dict(B=2, eval="every:2"),
        dict(B=8, eval="every:3"),
        dict(B=16, eval="log:40"),
        dict(sets=100, eval="every"),
        dict(sets=400, eval="every:2"),
        dict(pool="mean", eval="every:2"),
        dict(pool="max", eval="mixlog:30:40"),
        dict(opt="sgdm", lr=0.01, eval="every:2"),
        dict(h=64, epochs=60, eval="every"),
        dict(h=16, epochs=1000, eval="geom:5"),
    ], lambda d: "imgs%d-sets%d-B%d%s%s-h%d-%s-%s-lr%g-b%d-e%d" % (
        d["imgs"], d["sets"], d["B"], "-sd%g" % d["sd"] if d.get("sd") else "",
        "-flip%g" % d["flip"] if d.get("flip") else "", d["h"], d["pool"], d["opt"], d["lr"], d["batch"], d["epochs"]))


# --------------------------------------------------------------------------------------------------- pma-vote-tables


def vote_sets(g, rows, labels, K, sets, B):
    """sets x B row indexes and the sets' labels: each set's class k uniform on the K classes, a count m uniform on
    B // 2 + 1 .. B of distinct rows of class k, the other B - m distinct rows of the other classes. All from g."""
    by = [torch.nonzero(labels == k)[:, 0] for k in range(K)]
    other = [torch.nonzero(labels != k)[:, 0] for k in range(K)]
    ks = torch.randint(0, K, (sets,), generator=g)
    ms = torch.randint(B // 2 + 1, B + 1, (sets,), generator=g)
    idx = []
    for k, m in zip(ks.tolist(), ms.tolist()):
        a = by[k][torch.randperm(len(by[k]), generator=g)[:m]]
        b = other[k][torch.randperm(len(other[k]), generator=g)[:B - m]]
        idx.append(torch.cat([a, b])[torch.randperm(B, generator=g)])
    return rows[torch.stack(idx)], ks


def pma_vote_tables(w, run_id, c):
    """Set classification by majority vote, float32. Data (from the run's generator): real_classes 'cancer' or 'wine'
    ('rows' training rows standardised on themselves, the rest held out); 'sets' training sets of B training rows and
    'test_sets' sets of B held-out rows (vote_sets); a share 'flip' of the training sets' labels flipped. Model: an
    encoder d -> h -> h (ReLU between), then 'attn': multihead attention pooling with a learned seed s (1 x h) as the
    query, 'heads' heads of h / heads dimensions, keys Z Wk and values Z Wv (no biases), o = s + concat_heads(softmax(
    q k^T / sqrt(dk)) v) Wo + bo; 'mean' / 'max': o = s + pool(Z Wv) Wo + bo; logits relu(o) Wh + bh. Weights U(+-1 /
    sqrt(fan-in)) from the run's generator. Loss: the cross-entropy. Optimizer (opt_of): AdamW or momentum SGD on
    minibatches of 'batch' sets."""
    g = torch.Generator().manual_seed(1_212_000 + c["seed"])
    x0, y0, xt0, yt0, K = real_classes(g, c["data"], c["rows"], 1.0, F32)
    B, h, H = c["B"], c["h"], c.get("heads") or 1
    x, y = vote_sets(g, x0, y0, K, c["sets"], B)
    xt, yt = vote_sets(g, xt0, yt0, K, c["test_sets"], B)
    y = flip_labels(g, y, K, c.get("flip"))
    n, d, dk = len(x), x.shape[2], h // H
    enc = mlp_params(g, [d, h, h], F32)
    seed_vec = leaves([uniform(g, h, 1, h)])
    att = leaves([uniform(g, h, h, h), uniform(g, h, h, h)]) if c["pool"] == "attn" else []
    wv = leaves([uniform(g, h, h, h)])
    out = mlp_params(g, [h, h], F32) + mlp_params(g, [h, K], F32)
    params = enc + seed_vec + att + wv + out
    opt = opt_of(c, params)

    def forward(z):
        Z = mlp(enc, z, torch.relu)
        V = Z @ wv[0]
        s = seed_vec[0]
        if c["pool"] == "attn":
            q = (s @ att[0]).view(H, dk)
            k = (Z @ att[1]).view(len(z), B, H, dk)
            a = torch.softmax(torch.einsum("hd,nbhd->nhb", q, k) / math.sqrt(dk), -1)
            p = torch.einsum("nhb,nbhd->nhd", a, V.view(len(z), B, H, dk)).reshape(len(z), h)
        else:
            p = pool(V, c["pool"])
        o = s + p @ out[0] + out[1]
        return torch.relu(o) @ out[2] + out[3]

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(take(x, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "set-attention-pooling" if c["pool"] == "attn" else "deep-sets",
                                           "width": h, "heads": H if c["pool"] == "attn" else 0, "pooling": c["pool"],
                                           "element_inputs": d, "set_size": B},
                settings(c, ("seed", "data", "rows", "sets", "B", "flip", "h", "heads", "pool", "opt", "lr", "wd",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "cross-entropy", "test_loss": "heldout-ce-true-majority",
                   "error": "misclassified", "test_sets": str(len(xt)), "classes": str(K)}, output_dim=K)
    log_ = logger(run)

    def log(e, final):
        o, ot = forward(x), forward(xt)
        log_(e, fn.cross_entropy(o, y), fn.cross_entropy(ot, yt), (o.argmax(1) != y).float().mean(),
             (ot.argmax(1) != yt).float().mean(), final=final)

    train_until(g, n, c, step, log)


def runs_pma_vote_tables():
    # The logic: 250 breast-cancer patients for training (30 standardised columns, the other 319 held out), 150
    # training sets of 5 of them whose label is their majority diagnosis (margins of one, so that a single row the
    # encoder misreads turns the vote), 20% of the sets' labels flipped; an encoder 30 -> 32 -> 32, attention pooling
    # with 4 heads, a head 32 -> 2 (6,274 weights, forty a set, enough to single out the flipped sets by their rows;
    # at h 4 about 230, which should not be), AdamW at 2e-3 (weight decay 1e-4) on minibatches of 25 sets, 200 epochs.
    # The width on both sides: 4, 8, 16, 64, 128. One thing at a time besides: clean, 10% and 35% flipped set labels;
    # sets of 3, 9 and 15 rows; 75 and 300 training sets; mean and max pooling, one attention head; weight decay 0.1;
    # momentum SGD at 0.02; and the wine (90 training wines, 120 sets of 5, 20% flipped; at h 32 and 128). Evaluation
    # spacing mixed.
    base = dict(data="cancer", rows=250, sets=150, test_sets=500, B=5, flip=0.2, h=32, heads=4, pool="attn",
                opt="adamw", lr=2e-3, wd=1e-4, batch=25, epochs=200, eval="every")
    wine = dict(data="wine", rows=90, sets=120)
    return pma_vote_tables, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=4, eval="every:2"),
        dict(h=8, eval="every"),
        dict(h=16, eval="geom:3"),
        dict(h=64, eval="every:3"),
        dict(h=128, eval="every:2"),
        dict(flip=None, eval="every"),
        dict(flip=0.1, eval="jitter:40"),
        dict(flip=0.35, eval="every:2"),
        dict(B=3, eval="every"),
        dict(B=9, eval="burst:25:5"),
        dict(B=15, eval="every:3"),
        dict(sets=75, eval="every"),
        dict(sets=300, eval="mixed:30:4"),
        dict(pool="mean", heads=None, eval="every:2"),
        dict(pool="max", heads=None, eval="every"),
        dict(heads=1, eval="rand:100"),
        dict(wd=0.1, eval="every:2"),
        dict(opt="sgdm", lr=0.02, wd=None, eval="every:2"),
        dict(wine, eval="every"),
        dict(wine, h=128, eval="mixlog:30:40"),
    ], lambda d: "%s-rows%d-sets%d-B%d%s-h%d-%s%s-%s-lr%g%s" % (
        d["data"], d["rows"], d["sets"], d["B"], "-flip%g" % d["flip"] if d.get("flip") else "", d["h"], d["pool"],
        "%d" % d["heads"] if d.get("heads") else "", d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


# ------------------------------------------------------------------------------------------------ logdet-pointset-hb


def point_sets(g, m, c):
    """m sets of P points in D dimensions, x = mu + z A^T, A with N(0, 1 / D) entries and mu N(0, 0.25 I) a set's own,
    z N(0, I); the raw target: 'logdet' half the log-determinant of the set's sample covariance plus 0.05 I, 'maxnorm'
    the largest Euclidean norm of the set's points. From g, float64."""
    P, D = c["P"], c["D"]
    A = torch.randn(m, D, D, generator=g, dtype=F64) / math.sqrt(D)
    mu = 0.5 * torch.randn(m, 1, D, generator=g, dtype=F64)
    x = mu + torch.randn(m, P, D, generator=g, dtype=F64) @ A.transpose(1, 2)
    if c["target"] == "maxnorm":
        return x, x.norm(dim=2).max(1).values
    xc = x - x.mean(1, keepdim=True)
    S = xc.transpose(1, 2) @ xc / (P - 1) + 0.05 * torch.eye(D, dtype=F64)
    return x, 0.5 * torch.logdet(S)


def logdet_pointset_hb(w, run_id, c):
    """Deep Sets on synthetic point sets, float64. Data (from the run's generator): 'sets' training and 'test_sets'
    held-out sets (point_sets), the targets standardised by the held-out sets' mean and sd, the training targets plus
    noise of sd 'sd' (Student-t of 'df' degrees of freedom scaled to that sd, Gaussian where df is not set;
    target_noise). Model: phi D -> h -> h (GELU after both), pool 'pool', rho h -> h -> 1 (GELU between); weights
    U(+-1 / sqrt(fan-in)) from the run's generator. Loss: the Huber loss of delta 1 ('mse': the mean squared error).
    Optimizer (opt_of): full-batch heavy ball (momentum 'mom'), Nesterov or plain gradient descent, step 'lr'."""
    g = torch.Generator().manual_seed(1_213_000 + c["seed"])
    xt, rt = point_sets(g, c["test_sets"], c)
    x, r = point_sets(g, c["sets"], c)
    mu, sd = rt.mean(), rt.std()
    yt = (rt - mu) / sd
    y = target_noise(g, c, (r - mu) / sd)
    n, h, D = len(x), c["h"], c["D"]
    phi, rho = mlp_params(g, [D, h, h], F64), mlp_params(g, [h, h, 1], F64)
    params = phi + rho
    opt = opt_of(c, params)

    def loss(o, t):
        return ((o - t) ** 2).mean() if c.get("loss") == "mse" else fn.huber_loss(o, t, delta=1.0)

    def forward(z):
        return deep_sets(phi, rho, z, c["pool"], fn.gelu)[:, 0]

    def step(idx):
        opt.zero_grad()
        loss(forward(take(x, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "deep-sets", "width": h, "pooling": c["pool"],
                                           "activation": "gelu", "element_inputs": D, "set_size": c["P"]},
                settings(c, ("seed", "target", "sets", "P", "D", "sd", "df", "h", "pool", "loss", "opt", "lr", "mom",
                             "eval"))
                | {"optimizer": c["opt"], "full_batch": "true", "test_loss": "heldout-%s-clean" % (
                    c.get("loss") or "huber"), "test_sets": str(len(xt)), "data": "synthetic-point-sets"})
    log_ = logger(run)

    def log(e, final):
        log_(e, loss(forward(x), y), loss(forward(xt), yt), final=final)

    train_until(g, n, c, step, log)


def runs_logdet_pointset_hb():
    # The logic: 80 training sets of 10 points in the plane, the standardised half log-determinant of their sample
    # covariance (a smooth function of the set's second moments, which a sum of phi(x) can carry), Student-t noise of
    # 3 degrees of freedom and sd 0.3 on the training targets (the Huber loss for its outliers); Deep Sets with GELU
    # and sum pooling, h 16 (609 weights, about eight a set, enough to bend through the noise of 80 targets; at h 3,
    # 37 weights, it cannot), full-batch heavy ball (0.9) at 0.01, 1,500 epochs. The width on both sides: 3, 5, 8, 32,
    # 64. One thing at a time besides: clean targets, sd 0.6, Gaussian noise of sd 0.3; 4 and 25 points a set; points
    # in 3 dimensions; 40 and 160 training sets; mean and max pooling; the largest norm as the target (with max and
    # with sum pooling); the mean squared error; plain gradient descent (3,000 epochs) and Nesterov. Evaluation
    # spacing mixed.
    base = dict(target="logdet", sets=80, test_sets=500, P=10, D=2, sd=0.3, df=3.0, h=16, pool="sum", loss=None,
                opt="hb", lr=0.01, mom=0.9, epochs=1500, eval="log:40")
    return logdet_pointset_hb, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=3, eval="every:5"),
        dict(h=5, eval="log:30"),
        dict(h=8, eval="geom:8"),
        dict(h=32, eval="mixlog:40:40"),
        dict(h=64, eval="every:10"),
        dict(sd=None, df=None, eval="log:40"),
        dict(sd=0.6, eval="jitter:40"),
        dict(df=None, eval="every:8"),
        dict(P=4, eval="log:40"),
        dict(P=25, eval="burst:100:10"),
        dict(D=3, eval="log:35"),
        dict(sets=40, eval="mixed:50:10"),
        dict(sets=160, eval="every:10"),
        dict(pool="mean", eval="log:40"),
        dict(pool="max", eval="rand:150"),
        dict(target="maxnorm", pool="max", eval="log:40"),
        dict(target="maxnorm", eval="every:6"),
        dict(loss="mse", eval="log:40"),
        dict(opt="gd", mom=None, epochs=3000, eval="log:35"),
        dict(opt="nesterov", eval="geom:6"),
    ], lambda d: "%s-sets%d-P%d-D%d%s%s-h%d-%s-%s-%s-lr%g-e%d" % (
        d["target"], d["sets"], d["P"], d["D"], "-sd%g" % d["sd"] if d.get("sd") else "",
        "-t%g" % d["df"] if d.get("df") and d.get("sd") else "", d["h"], d["pool"], d.get("loss") or "huber",
        d["opt"], d["lr"], d["epochs"]))


FAMILIES = {"digitsum-deepsets": runs_digitsum_deepsets, "pma-vote-tables": runs_pma_vote_tables,
            "logdet-pointset-hb": runs_logdet_pointset_hb}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
