#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, fifty-second held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 158 families of train.py ... train_fiftieth.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is model-size sweeps across the interpolation threshold
as a researcher runs them: in each family the grid sweeps one kind of size through where the model can just fit its
training set, short runs (100-150 epochs) evaluated every epoch, label noise in part of the grid, a few runs at other
optimizer settings:

- width-sweep-conv: a one-convolution network on the 8x8 digits, conv 3x3 (1 -> k channels), ReLU, 2x2 average
  pooling, a linear readout of the 16 k pooled features to 10 scores, trained on the squared error against one-hot
  targets; the channel count k swept 1-64; a share of the training labels flipped to a confusable digit (0-6, 1-7, 2-5,
  3-8, 4-9 swapped), or to any other class in a few runs. Test loss: the squared error of clean held-out images.
- depth-sweep-resmlp: a residual MLP without normalisation, an input layer to width 16, L residual blocks
  z + alpha (W2 relu(W1 z + b1) + b2) with the branch scaled by alpha = 1 / sqrt(L) (1 in a run), a linear readout;
  the number of blocks L swept 0-12; synthetic classes that are each a mixture of three Gaussian clusters, a share of
  the training labels flipped. Cross-entropy, SGD with Nesterov momentum (Adam or plain SGD in a few runs).
- embed-width-bag: a bag-of-embeddings classifier (the mean of the document's word embeddings, a bias and tanh, a
  linear readout) of synthetic documents whose words come from class topics over a Zipf vocabulary; the embedding
  width D swept 1-64; a share of the training labels flipped. Cross-entropy, Adam (SGD with momentum or RMSprop in a
  few runs).

The file format, determinism and helpers are the earlier files': Writer, digits and the command line from train.py,
settings from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs), take and flip_labels from train_thirtyninth.py, zipf and
documents from train_fortysixth.py, and mlp_params, count and unit_rows from train_fortyeighth.py; one thread, every
random draw from a seeded torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_fiftysecond.py --family width-sweep-conv [--list] [--runs 0,3] [--out FILE]

Families (see README.md): width-sweep-conv, depth-sweep-resmlp, embed-width-bag. Evaluation spacing: train.py's
'every' (every epoch) throughout.
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
from train_thirtyninth import epoch_loop, flip_labels, take  # noqa: E402
from train_fortysixth import documents, zipf  # noqa: E402
from train_fortyeighth import count, mlp_params, unit_rows  # noqa: E402

torch.set_num_threads(1)

F64 = torch.float64


def make_opt(c, params):
    """Adam ('adam'), SGD with Nesterov momentum 0.9 ('nesterov'), with heavy-ball momentum 0.9 ('momentum'), plain
    SGD ('sgd') or RMSprop ('rmsprop', alpha 0.99) at step lr."""
    o, lr = c["opt"], c["lr"]
    if o == "adam":
        return torch.optim.Adam(params, lr=lr)
    if o == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr)
    if o == "sgd":
        return torch.optim.SGD(params, lr=lr)
    return torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=o == "nesterov")


def errors(f, y):
    return (f.argmax(1) != y).double().mean()


def noise_name(d):
    if not d.get("flip"):
        return "clean"
    return "%s%g" % ("pair" if d.get("noise") == "pair" else "flip", d["flip"])


# ---------------------------------------------------------------------------------------------------- width-sweep-conv

CONFUSABLE = torch.tensor([6, 7, 5, 8, 9, 2, 0, 1, 3, 4])  # 0-6, 1-7, 2-5, 3-8, 4-9 swapped


def pair_flips(g, y, share):
    """A share of the labels replaced by the digit's confusable partner (CONFUSABLE)."""
    if not share:
        return y
    hit = torch.rand(len(y), generator=g) < share
    return torch.where(hit, CONFUSABLE[y], y)


def width_sweep_conv(w, run_id, c):
    """A one-convolution network on the 8x8 digits, float64: conv 3x3 (1 -> k, padding 1, weights and biases
    U(+-1 / sqrt(9)) from the run's generator), ReLU, 2x2 average pooling, a linear readout of the 16 k pooled features
    to 10 scores (U(+-1 / sqrt(16 k))). Data: train.digits' seeded split, n training images, their labels flipped to
    the confusable digit (noise 'pair') or to another class at random ('uniform') with probability flip; 800 clean
    held-out images. Loss: the squared error against one-hot targets, summed over the 10 scores, averaged over images.
    Optimizer: make_opt on minibatches. Train loss: the squared error of the noisy training labels; test loss: that of
    the clean held-out labels; error rates of the top score."""
    g = torch.Generator().manual_seed(521_000 + c["seed"])
    x, y, xt, yt = train.digits(c["seed"], c["n"], 0.0)
    x, xt, yt = x.double().view(-1, 1, 8, 8), xt[:800].double().view(-1, 1, 8, 8), yt[:800]
    y = pair_flips(g, y, c.get("flip")) if c.get("noise") == "pair" else flip_labels(g, y, 10, c.get("flip"))
    k = c["k"]
    params = leaves([uniform(g, 9, k, 1, 3, 3).double(), uniform(g, 9, k).double(),
                     uniform(g, 16 * k, 10, 16 * k).double(), uniform(g, 16 * k, 10).double()])
    Wc, bc, Wo, bo = params
    opt = make_opt(c, params)
    eye = torch.eye(10, dtype=F64)

    def forward(z):
        h = fn.avg_pool2d(torch.relu(fn.conv2d(z, Wc, bc, padding=1)), 2)
        return h.flatten(1) @ Wo.T + bo

    def sq(f, t):
        return ((f - eye[t]) ** 2).sum(1).mean()

    def step(idx):
        opt.zero_grad()
        sq(forward(take(x, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(x), {"family": "conv-avgpool", "channels": k, "classes": 10},
                settings(c, ("seed", "n", "noise", "flip", "k", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "squared-one-hot", "test_loss": "clean-squared-one-hot",
                   "outputs_per_weight": "%.3g" % (10 * len(x) / count(params))},
                output_dim=10)

    def log(e, final):
        f, ft = forward(x), forward(xt)
        run.log(e, sq(f, y), sq(ft, yt), errors(f, y), errors(ft, yt), final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_width_sweep_conv():
    # The logic: 200 training images, 10 one-hot targets each, 2,000 numbers to fit; the network has 170 k + 10
    # weights, so by count it can just fit them near k 12, and in practice (the readout sees only 16 k pooled ReLU
    # features of one 3x3 layer) a little above. The sweep of k (1, 2, 4, 8, 12, 16, 32, 64) crosses it under 20% of
    # the labels flipped to the confusable digit (the base, k 8, at 2 seeds), a few widths on clean labels (4, 12, 32)
    # and under 40% uniform flips (8, 32), one under 20% uniform flips (12); Adam at 0.005 on minibatches of 20, 100
    # epochs, every epoch evaluated; at k 12 the other optimizers: momentum SGD 0.05 (150 epochs), Adam 0.02, full
    # batches (Adam 0.01, 150 epochs).
    base = dict(n=200, noise="pair", flip=0.2, k=8, opt="adam", lr=0.005, batch=20, epochs=100, eval="every")
    return width_sweep_conv, dict_runs(base, [
        dict(k=1), dict(k=2), dict(k=4), dict(seeds=(1, 2)), dict(k=12), dict(k=16), dict(k=32), dict(k=64),
        dict(flip=None, noise=None, k=4), dict(flip=None, noise=None, k=12), dict(flip=None, noise=None, k=32),
        dict(noise="uniform", flip=0.4, k=8), dict(noise="uniform", flip=0.4, k=32),
        dict(noise="uniform", flip=0.2, k=12),
        dict(k=12, opt="momentum", lr=0.05, epochs=150),
        dict(k=12, lr=0.02),
        dict(k=12, batch=None, lr=0.01, epochs=150),
    ], lambda d: "n%d-%s-k%d-%s-lr%g-b%s-e%d" % (d["n"], noise_name(d), d["k"], d["opt"], d["lr"],
                                                 d.get("batch") or "full", d["epochs"]))


# ---------------------------------------------------------------------------------------------------- depth-sweep-resmlp


def cluster_classes(g, c):
    """K classes, each a mixture of M Gaussian clusters in d dimensions: centres r times unit vectors (unit_rows),
    points centre + N(0, 1), and (the revised grid) ds slow features s (P_s[class] / 2 + 0.3 N(0, 1)), P_s unit rows
    times sqrt(ds); n training points (labels flipped by flip_labels, a share flip) and 2,000 test points."""
    K, M, d, ds = c["K"], c["M"], c["d"], c.get("ds") or 0
    centres = unit_rows(g, K * M, d) * c["r"]
    P_s = unit_rows(g, K, ds) * math.sqrt(ds) if ds else None

    def draw(m):
        j = torch.randint(0, K * M, (m,), generator=g)
        x = centres[j] + torch.randn(m, d, generator=g, dtype=F64)
        if ds:  # revision: slow features s (P_s[class] / 2 + 0.3 N(0, 1)), clear but at a small scale
            x = torch.cat([x, c["s"] * (0.5 * P_s[j // M] + 0.3 * torch.randn(m, ds, generator=g, dtype=F64))], 1)
        return x, j // M

    x, y = draw(c["n"])
    xt, yt = draw(2000)
    return x, flip_labels(g, y, K, c.get("flip")), xt, yt


def depth_sweep_resmlp(w, run_id, c):
    """A residual MLP without normalisation, float64: z = W0 x + b0 (d -> w), then L blocks
    z <- z + alpha (W2 relu(W1 z + b1) + b2) (w -> w -> w), alpha = 1 / sqrt(L) ('scale' 'sqrt') or 1 ('one'), then
    scores = Wo relu(z) + bo (w -> K); weights and biases U(+-1 / sqrt(fan-in)) from the run's generator. Data:
    cluster_classes. Loss: the cross-entropy. Optimizer: make_opt on minibatches. Train loss: the cross-entropy of the
    noisy training labels; test loss: that of the clean test labels; error rates too."""
    g = torch.Generator().manual_seed(522_000 + c["seed"])
    x, y, xt, yt = cluster_classes(g, c)
    L, h, K = c["L"], c["w"], c["K"]
    stem = mlp_params(g, [x.shape[1], h])
    blocks = [mlp_params(g, [h, h, h]) for _ in range(L)]
    head = mlp_params(g, [h, K])
    params = stem + [q for b in blocks for q in b] + head
    alpha = 1.0 if c.get("scale") == "one" or not L else 1.0 / math.sqrt(L)
    opt = make_opt(c, params)

    def forward(z):
        z = z @ stem[0].T + stem[1]
        for W1, b1, W2, b2 in blocks:
            z = z + alpha * (torch.relu(z @ W1.T + b1) @ W2.T + b2)
        return torch.relu(z) @ head[0].T + head[1]

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(take(x, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(x), {"family": "resmlp-nonorm", "blocks": L, "width": h, "classes": K},
                settings(c, ("seed", "n", "K", "M", "d", "ds", "s", "r", "flip", "L", "w", "scale", "opt", "lr",
                             "batch",
                             "eval"))
                | {"optimizer": c["opt"], "loss": "ce", "test_loss": "clean-ce",
                   "points_per_weight": "%.3g" % (len(x) / count(params))},
                output_dim=K)

    def log(e, final):
        f, ft = forward(x), forward(xt)
        run.log(e, fn.cross_entropy(f, y), fn.cross_entropy(ft, yt), errors(f, y), errors(ft, yt), final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_depth_sweep_resmlp():
    # The logic: 300 points of 4 classes, each class three clusters in 8 dimensions (centres at radius 2.5 in unit
    # noise, so the clusters overlap and the classes are not linearly separable), 20% of the labels flipped. A stem
    # to width 16 and a readout make 212 weights, too few to fit 300 noisy labels; each block adds 544, so the depth
    # sweep (0, 1, 2, 3, 4, 6, 8, 12 blocks) crosses the point where the network can just fit them (1-3 blocks).
    # SGD with Nesterov momentum at 0.05 on minibatches of 30, 120 epochs, every epoch evaluated; the base 3 blocks at
    # 2 seeds. A few depths on clean labels (1, 4, 12) and under 40% flips (2, 8); at 4 blocks Adam 0.003, plain SGD
    # 0.1 (150 epochs) and Nesterov 0.02 (150 epochs); at 8 blocks the branches unscaled (alpha 1).
    # Revision (once, committed before it was trained): the first grid had no winning run (all 18 nothing better: the
    # overlapping clusters are learned within a few epochs, then the flips are memorised and the test loss rises for
    # good). The revised data add 8 slow features at scale 0.1 that tell the class clearly (a class prototype of norm
    # sqrt(8) / 2 in noise 0.3), learned only slowly, so that a later descent is possible; the rows are unchanged.
    base = dict(n=300, K=4, M=3, d=8, ds=8, s=0.1, r=2.5, flip=0.2, L=3, w=16, scale="sqrt", opt="nesterov", lr=0.05, batch=30,
                epochs=120, eval="every")
    return depth_sweep_resmlp, dict_runs(base, [
        dict(L=0), dict(L=1), dict(L=2), dict(seeds=(1, 2)), dict(L=4), dict(L=6), dict(L=8), dict(L=12),
        dict(flip=None, L=1), dict(flip=None, L=4), dict(flip=None, L=12),
        dict(flip=0.4, L=2), dict(flip=0.4, L=8),
        dict(L=4, opt="adam", lr=0.003),
        dict(L=4, opt="sgd", lr=0.1, epochs=150),
        dict(L=4, lr=0.02, epochs=150),
        dict(L=8, scale="one"),
    ], lambda d: "n%d-%s-L%d-w%d-%s-%s-lr%g-e%d" % (d["n"], noise_name(d), d["L"], d["w"], d["scale"], d["opt"],
                                                    d["lr"], d["epochs"]))


# ---------------------------------------------------------------------------------------------------- embed-width-bag


def topic_docs(g, c):
    """Synthetic documents of K classes over V words: a shared Zipf distribution (zipf, exponent 1, k0 2) tilted per
    class by exp(beta u_kj), u ~ N(0, 1), renormalised; documents of 1 + Poisson(L - 1) words (documents); n training
    documents (labels flipped by flip_labels, a share flip) and 2,000 test documents. Returns counts and lengths."""
    V, K = c["V"], c["K"]
    p = zipf(V, 1.0, 2.0)
    probs = p * torch.exp(c["beta"] * torch.randn(K, V, generator=g, dtype=F64))
    probs = probs / probs.sum(1, keepdim=True)
    y = torch.randint(0, K, (c["n"],), generator=g)
    yt = torch.randint(0, K, (2000,), generator=g)
    X, lx = documents(g, c["n"], c["L"], probs, y)
    Xt, lt = documents(g, 2000, c["L"], probs, yt)
    return X / lx[:, None], flip_labels(g, y, K, c.get("flip")), Xt / lt[:, None], yt


def embed_width_bag(w, run_id, c):
    """A bag-of-embeddings classifier, float64: E (V x D, N(0, 1) from the run's generator), the document's mean
    embedding (its word shares times E), a bias b and tanh, then a linear readout D -> K (U(+-1 / sqrt(D))). Data:
    topic_docs. Loss: the cross-entropy. Optimizer: make_opt on minibatches. Train loss: the cross-entropy of the
    noisy training labels; test loss: that of the clean test labels; error rates too."""
    g = torch.Generator().manual_seed(523_000 + c["seed"])
    x, y, xt, yt = topic_docs(g, c)
    V, D, K = c["V"], c["D"], c["K"]
    E = torch.randn(V, D, generator=g, dtype=F64)
    b = torch.zeros(D, dtype=F64)
    params = leaves([E, b] + [q.detach() for q in mlp_params(g, [D, K])])
    opt = make_opt(c, params)

    def forward(z):
        return torch.tanh(z @ params[0] + params[1]) @ params[2].T + params[3]

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(take(x, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), len(x), {"family": "embedding-bag-tanh", "embed_dim": D, "vocabulary": V,
                                                "classes": K},
                settings(c, ("seed", "n", "V", "K", "L", "beta", "flip", "D", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "ce", "test_loss": "clean-ce",
                   "docs_per_weight": "%.3g" % (len(x) / count(params))},
                output_dim=K)

    def log(e, final):
        f, ft = forward(x), forward(xt)
        run.log(e, fn.cross_entropy(f, y), fn.cross_entropy(ft, yt), errors(f, y), errors(ft, yt), final=final)

    epoch_loop(g, len(x), c, step, log)


def runs_embed_width_bag():
    # The logic: 300 documents of 4 classes, about 16 words each from a 400-word Zipf vocabulary tilted per class
    # (beta 0.7: the classes overlap, a document's words tell its class only in part), 20% of the labels flipped. The
    # embedding table has 400 D weights, but a width-D bag squeezes each document into D numbers before the tanh and
    # the readout, so at D 1-2 it cannot tell 4 classes apart, let alone fit the flips, and from D about 4-8 the
    # documents' rare words give it room to memorise them. The sweep of D (1, 2, 3, 4, 6, 8, 16, 32, 64) crosses that,
    # the base D 4 at 2 seeds; a few widths on clean labels (2, 8, 32) and under 40% flips (4, 16); at D 8 the other
    # optimizers: SGD with momentum 0.5 (150 epochs), RMSprop 0.003, Adam 0.03. Adam at 0.01 on minibatches of 30,
    # 120 epochs, every epoch evaluated.
    base = dict(n=300, V=400, K=4, L=16, beta=0.7, flip=0.2, D=4, opt="adam", lr=0.01, batch=30, epochs=120,
                eval="every")
    return embed_width_bag, dict_runs(base, [
        dict(D=1), dict(D=2), dict(D=3), dict(seeds=(1, 2)), dict(D=6), dict(D=8), dict(D=16), dict(D=32),
        dict(D=64),
        dict(flip=None, D=2), dict(flip=None, D=8), dict(flip=None, D=32),
        dict(flip=0.4, D=4), dict(flip=0.4, D=16),
        dict(D=8, opt="momentum", lr=0.5, epochs=150),
        dict(D=8, opt="rmsprop", lr=0.003),
        dict(D=8, lr=0.03),
    ], lambda d: "n%d-V%d-%s-D%d-%s-lr%g-e%d" % (d["n"], d["V"], noise_name(d), d["D"], d["opt"], d["lr"],
                                                 d["epochs"]))


FAMILIES = {"width-sweep-conv": runs_width_sweep_conv, "depth-sweep-resmlp": runs_depth_sweep_resmlp,
            "embed-width-bag": runs_embed_width_bag}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
