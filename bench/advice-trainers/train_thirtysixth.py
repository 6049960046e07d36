#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, thirty-sixth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained or looked at, revised at most once (README.md says where and why), and the runs were
sorted by census.py alone), and made to differ from the 110 families of train.py ... train_thirtyfourth.py in model,
loss, optimizer, noise, data and evaluation spacing; the theme of the round is deep networks on real data that
scikit-learn ships:

- mutual-maxout: two deep maxout networks trained jointly by deep mutual learning (each one's loss its
  cross-entropy plus the KL divergence of its prediction from the other's) on scikit-learn's 8 x 8 digits with
  symmetric label noise and the right half of every image dimmed, by a hand-written AdaBound (Adam whose per-weight
  step is clipped into bounds that close on a final SGD step), judged by the first network's cross-entropy on the
  clean labels of held-out digits;
- bitemp-stochdepth: a deep residual MLP with zero-initialised residual gates (ReZero) and stochastic depth (blocks
  dropped per example with a probability rising with depth) on scikit-learn's breast cancer and wine, half the
  columns at a small scale, with flipped labels, trained on the bi-tempered logistic loss by minibatch momentum SGD
  with annealed Gaussian gradient noise, judged by the cross-entropy of the clean test labels under the tempered
  softmax;
- ple-rangetest: a tabular network over piecewise-linear encodings of quantile bins of each column of scikit-learn's
  diabetes (a per-column embedding of the bins, then a deep GELU MLP), with a share of the training targets shuffled
  among the training patients, trained by a hand-written MADGRAD at a step chosen by a learning-rate range test run
  before epoch 0, then a step decay, judged by the squared error of the held-out patients' progression.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py (epochs_of and lr_factor through fit_epochs), dict_runs from train_seventh.py, batches from
train_twentyfirst.py, set_lr from train_twentyeighth.py, the minibatch loop fit_epochs from train_twentyninth.py,
diabetes_split from train_twentythird.py, uniform from train_thirtysecond.py and plain_opt (the contrast optimizers)
from train_thirtyfourth.py; one thread, every random draw from a seeded torch.Generator, synthetic event times, 6
significant digits.

    /usr/bin/python3 train_thirtysixth.py --family mutual-maxout [--list] [--runs 0,3] [--out FILE]

Families (see README.md): mutual-maxout, bitemp-stochdepth, ple-rangetest. Evaluation spacings: train.py's 'every',
'every:K', 'log:K' and train_more.py's 'jitter:K', 'rand:M'.
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
from train_twentyfirst import batches  # noqa: E402
from train_twentyeighth import set_lr  # noqa: E402
from train_twentyninth import fit_epochs  # noqa: E402
from train_twentythird import diabetes_split  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtyfourth import plain_opt as contrast_opt  # noqa: E402  (Adam, or SGD with momentum 0.9)

torch.set_num_threads(1)


def leaves(tensors):
    for q in tensors:
        q.requires_grad_()
    return tensors


# ---------------------------------------------------------------------------------------------------- mutual-maxout


class AdaBound:
    """AdaBound (Luo et al. 2019), hand-written after the authors' implementation: Adam's bias-corrected moments, the
    per-weight step lr sqrt(1 - b2^t) / (1 - b1^t) / (sqrt(v) + eps) clipped into [final (1 - 1 / (gamma t + 1)),
    final (1 + 1 / (gamma t))], final = final_lr times the current lr over the initial one, then times the first
    moment; so it starts as Adam and ends as SGD at step final_lr."""

    def __init__(self, params, lr, final_lr=0.1, gamma=1e-3, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.final, self.gamma, self.b1, self.b2, self.eps = params, final_lr, gamma, *betas, eps
        self.base, self.t = lr, 0
        self.param_groups = [{"lr": lr}]
        self.m = [torch.zeros_like(q) for q in params]
        self.v = [torch.zeros_like(q) for q in params]

    def zero_grad(self):
        for q in self.params:
            q.grad = None

    def step(self):
        self.t += 1
        lr = self.param_groups[0]["lr"]
        final = self.final * lr / self.base
        lo, hi = final * (1 - 1 / (self.gamma * self.t + 1)), final * (1 + 1 / (self.gamma * self.t))
        size = lr * math.sqrt(1 - self.b2 ** self.t) / (1 - self.b1 ** self.t)
        with torch.no_grad():
            for q, m, v in zip(self.params, self.m, self.v):
                m.mul_(self.b1).add_(q.grad, alpha=1 - self.b1)
                v.mul_(self.b2).addcmul_(q.grad, q.grad, value=1 - self.b2)
                q.sub_((size / (v.sqrt() + self.eps)).clamp(lo, hi) * m)


def maxout_net(g, d, h, depth, k, K):
    """The weights of a maxout network d -> h ... -> K ('depth' maxout layers of h units, each the max of k linear
    pieces), U(+-1 / sqrt(fan-in)) from g."""
    params, a = [], d
    for _ in range(depth):
        params += [uniform(g, a, a, h * k), uniform(g, a, h * k)]
        a = h
    params += [uniform(g, a, a, K), uniform(g, a, K)]
    return leaves(params)


def maxout_forward(params, z, k):
    for i in range(0, len(params) - 2, 2):
        z = (z @ params[i] + params[i + 1]).view(len(z), -1, k).max(2).values
    return z @ params[-2] + params[-1]


def mutual_maxout(w, run_id, c):
    """Deep mutual learning (Zhang et al. 2018) of two maxout networks (Goodfellow et al. 2013), float32: each 64 ->
    h -> ... -> 10, 'depth' maxout layers of h units of k pieces, weights U(+-1 / sqrt(fan-in)) from the run's
    generator (the second network drawn after the first). Data: train.digits, n training images with a share 'noise'
    of labels replaced by another class at random, every image column but the 'fast' ones times s; the other images
    (clean) the test set. Loss of network j: its cross-entropy on the noisy labels plus lam times the KL divergence
    KL(p_other || p_j) of its softmax from the other network's (the other's prediction held fixed), both networks
    stepped on their own loss at every step (lam 0: two networks trained apart, the first one judged: a single
    network). Optimizer: the hand-written AdaBound (lr, final_lr, gamma 1e-3), or Adam or SGD with momentum 0.9 for
    contrast; full batch or minibatches. Train loss: the first network's cross-entropy on the noisy training labels;
    test loss: its cross-entropy on the clean test labels; error rates too."""
    torch.manual_seed(361_000 + c["seed"])
    g = torch.Generator().manual_seed(361_000 + c["seed"])
    cols = [j for j in range(8) if j not in c["fast"]]  # the image columns at scale s: all but the 'fast' ones
    x, y, xt, yt = train.digits(c["seed"], c["n"], c.get("noise") or 0.0, (c["s"], cols))
    k, lam = c["k"], c["lam"]
    nets = [maxout_net(g, 64, c["h"], c["depth"], k, 10) for _ in range(2)]
    params = nets[0] + nets[1]
    opt = AdaBound(params, c["lr"], final_lr=c["final_lr"]) if c["opt"] == "adabound" else contrast_opt(c, params)

    def objective(xb, yb):
        f = [maxout_forward(p, xb, k) for p in nets]
        total = 0
        for j in range(2):
            total = total + fn.cross_entropy(f[j], yb)
            if lam:
                other = fn.softmax(f[1 - j].detach(), 1)
                total = total + lam * fn.kl_div(fn.log_softmax(f[j], 1), other, reduction="batchmean")
        return total

    run = w.run(run_id, sum(q.numel() for q in nets[0]), len(x),
                {"family": "mutual-maxout", "width": c["h"], "depth": c["depth"], "pieces": k, "networks": 2},
                settings(c, ("seed", "n", "fast", "s", "noise", "h", "depth", "k", "lam", "opt", "lr", "final_lr",
                             "batch", "sched", "eval"))
                | {"optimizer": c["opt"], "loss": "ce+kl", "test_loss": "clean-ce-first-net"})

    def log(e, final):
        f, ft = maxout_forward(nets[0], x, k), maxout_forward(nets[0], xt, k)
        run.log(e, fn.cross_entropy(f, y), fn.cross_entropy(ft, yt), (f.argmax(1) != y).float().mean(),
                (ft.argmax(1) != yt).float().mean(), final=final)

    fit_epochs(opt, g, x, y, objective, c, log)


def runs_mutual_maxout():
    # Revised once (the first grid had no winning run: 20 runs, 17 nothing better and 3 no bump; the image's right
    # half, columns 4-7, at s 0.1 beside the unit-scale left half, 800 epochs, the rows below otherwise the same; the
    # clean test cross-entropy had its first minimum at 0.45-0.87 at epoch 98-330 and rose as the noisy labels were
    # memorised, to 1.06-2.66 by the end, with nothing lower after it, the left half alone carrying most of the
    # digits' signal). The revision
    # leaves only the two centre columns (3, 4) at unit scale and dims the other six (s 0.1), so that the fast view
    # holds too little to classify or to memorise 300 images and its fit saturates, while most of the signal waits in
    # the slow columns; 1,500 epochs, for the slow part's time.
    # The logic: the noisy labels are memorised by a network of about a thousand weights per hundred images, the
    # dimmed columns are learned late, and the mutual KL term pulls each network towards the other's softer
    # prediction, which slows the memorisation; so the grid sits near the interpolation threshold (n 300, h 16, two
    # maxout layers of 2 pieces: 2,794 weights a network) and moves one thing at a time: the data (n 150, 600), the
    # fast view (four centre columns), the scale gap (s 0.3, 1), the label noise (none, 0.4), the width (8, 32), the
    # depth (3 layers), the pieces (3), the mutual weight (0, a single network; 0.5, 2), the optimizer (Adam,
    # momentum, AdaBound's final step 0.01), minibatches and a cosine decay.
    base = dict(n=300, fast=(3, 4), s=0.1, noise=0.2, h=16, depth=2, k=2, lam=1.0, opt="adabound", lr=0.003,
                final_lr=0.1, batch=None, sched="const", epochs=1500, eval="log:35")
    return mutual_maxout, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=150, eval="every:12"),
        dict(n=600, epochs=800, eval="jitter:35"),
        dict(fast=(2, 3, 4, 5), eval="every:10"),
        dict(s=0.3, eval="log:40"),
        dict(s=1.0, eval="every:10"),
        dict(noise=None, eval="jitter:30"),
        dict(noise=0.4, eval="rand:150"),
        dict(h=8, eval="every:15"),
        dict(h=32, epochs=800, eval="log:35"),
        dict(depth=3, eval="jitter:35"),
        dict(k=3, eval="every:12"),
        dict(lam=0.0, eval="log:35"),
        dict(lam=0.5, eval="every:8"),
        dict(lam=2.0, eval="log:30"),
        dict(opt="adam", lr=0.003, final_lr=None, eval="jitter:35"),
        dict(opt="momentum", lr=0.1, final_lr=None, eval="log:35"),
        dict(final_lr=0.01, eval="every:15"),
        dict(batch=50, epochs=300, eval="every"),
        dict(sched="cosine", eval="rand:150"),
    ], lambda d: "n%d-fast%s-s%g%s-h%d-depth%d-k%d-lam%g-%s-lr%g%s-%s-%s" % (
        d["n"], "".join(str(j) for j in d["fast"]), d["s"], "-noise%g" % d["noise"] if d.get("noise") else "", d["h"],
        d["depth"], d["k"], d["lam"], d["opt"], d["lr"], "-final%g" % d["final_lr"] if d.get("final_lr") else "",
        "b%d" % d["batch"] if d.get("batch") else "fullbatch", d["sched"]))


# ---------------------------------------------------------------------------------------------------- bitemp-stochdepth


def log_t(u, t):
    return torch.log(u) if t == 1 else (u.pow(1 - t) - 1) / (1 - t)


def exp_t(u, t):
    return torch.exp(u) if t == 1 else torch.relu(1 + (1 - t) * u).pow(1 / (1 - t))


def tempered_softmax(a, t, iters=5):
    """The tempered softmax exp_t(a - lambda(a)) of Amid et al. 2019, its normaliser lambda by their fixed-point
    iteration (t > 1; the plain softmax at t 1)."""
    if t == 1:
        return fn.softmax(a, 1)
    mu = a.max(1, keepdim=True).values
    a0 = a - mu
    u = a0
    for _ in range(iters):
        z = exp_t(u, t).sum(1, keepdim=True)
        u = a0 * z.pow(1 - t)
    z = exp_t(u, t).sum(1, keepdim=True)
    return exp_t(a0 + log_t(1 / z, t), t)


def bitempered(a, y, t1, t2, K):
    """The bi-tempered logistic loss (Amid et al. 2019): the tempered softmax p at t2, then sum_k y_k (log_t1 y_k -
    log_t1 p_k) - (y_k^(2 - t1) - p_k^(2 - t1)) / (2 - t1) with one-hot y, averaged (t1 = t2 = 1: the cross-entropy)."""
    p = tempered_softmax(a, t2)
    if t1 == 1 and t2 == 1:
        return fn.cross_entropy(a, y)
    oh = fn.one_hot(y, K).to(a.dtype)
    lt = (oh * (log_t(oh + 1e-10, t1) - log_t(p, t1))).sum(1)
    return (lt - (oh.pow(2 - t1) - p.pow(2 - t1)).sum(1) / (2 - t1)).mean()


def real_classes(g, name, n, s, dtype=torch.float32):
    """scikit-learn's breast cancer ('cancer': 2 classes, 30 columns), wine (3 classes, 13 columns) or iris ('iris': 3
    classes, 4 columns), split at random (g) into n training points and the rest; standardised on the training points
    (in dtype), then the second half of the columns (in a seeded random choice) times s."""
    from sklearn.datasets import load_breast_cancer, load_iris, load_wine
    load = load_breast_cancer if name == "cancer" else load_iris if name == "iris" else load_wine
    xs, ys = load(return_X_y=True)
    x, y = torch.tensor(xs, dtype=dtype), torch.tensor(ys)
    perm = torch.randperm(len(x), generator=g)
    tr, te = perm[:n], perm[n:]
    x = (x - x[tr].mean(0)) / x[tr].std(0)
    cols = torch.randperm(x.shape[1], generator=g)[x.shape[1] // 2:]
    x[:, cols] *= s
    return x[tr], y[tr], x[te], y[te], int(y.max()) + 1


class NoisySGD:
    """SGD with momentum 0.9 and annealed Gaussian gradient noise (Neelakantan et al. 2015): at step t every gradient
    gets normal noise of variance eta / (1 + t)^0.55 (drawn from the run's generator) before the momentum step."""

    def __init__(self, params, lr, eta, g):
        self.params, self.eta, self.g, self.t = params, eta, g, 0
        self.param_groups = [{"lr": lr}]
        self.buf = [torch.zeros_like(q) for q in params]

    def zero_grad(self):
        for q in self.params:
            q.grad = None

    def step(self):
        sd = math.sqrt(self.eta / (1 + self.t) ** 0.55) if self.eta else 0.0
        self.t += 1
        lr = self.param_groups[0]["lr"]
        with torch.no_grad():
            for q, b in zip(self.params, self.buf):
                gr = q.grad + sd * torch.randn(q.shape, generator=self.g) if sd else q.grad
                b.mul_(0.9).add_(gr)
                q.sub_(lr * b)


def bitemp_stochdepth(w, run_id, c):
    """A deep residual MLP with ReZero gates (Bachlechner et al. 2020) and stochastic depth (Huang et al. 2016),
    float32: an input layer d -> h (ReLU), 'blocks' residual blocks z + alpha_l f_l(z), f_l = Linear h -> h, ReLU,
    Linear h -> h, each alpha_l a learned scalar started at 0 (so the network starts as the input layer and the head),
    and a head h -> K; weights U(+-1 / sqrt(fan-in)) from the run's generator. In training block l (1 ... L) is dropped
    for each example with probability pL l / L (the linear decay rule; pL the last block's) and the kept ones divided by
    their keep probability (drop path); at evaluation every block is kept. Data: real_classes, a share 'flip' of the
    training labels replaced by another class at random. Loss: the bi-tempered logistic loss at t1 (bounded below 1) and
    t2 (a heavy-tailed softmax above 1); t1 = t2 = 1 the cross-entropy. Optimizer: NoisySGD (minibatches, step lr,
    annealed gradient noise eta), or Adam for contrast. Train loss: the bi-tempered loss on the noisy labels, every
    block kept; test loss: the cross-entropy of the clean test labels under the tempered softmax at t2; error rates
    too."""
    torch.manual_seed(362_000 + c["seed"])
    g = torch.Generator().manual_seed(362_000 + c["seed"])
    x, y, xt, yt, K = real_classes(g, c["data"], c["n"], c["s"])
    if c.get("flip"):
        hit = torch.rand(len(y), generator=g) < c["flip"]
        y = torch.where(hit, (y + torch.randint(1, K, (len(y),), generator=g)) % K, y)
    d, h, L = x.shape[1], c["h"], c["blocks"]
    params = [uniform(g, d, d, h), uniform(g, d, h)]
    for _ in range(L):
        params += [uniform(g, h, h, h), uniform(g, h, h), uniform(g, h, h, h), uniform(g, h, h), torch.zeros(1)]
    params += [uniform(g, h, h, K), uniform(g, h, K)]
    leaves(params)
    t1, t2, pL = c["t1"], c["t2"], c.get("pL") or 0.0

    def forward(z, training):
        z = torch.relu(z @ params[0] + params[1])
        for l in range(L):
            w1, b1, w2, b2, alpha = params[2 + 5 * l:7 + 5 * l]
            branch = alpha * (torch.relu(z @ w1 + b1) @ w2 + b2)
            drop = pL * (l + 1) / L
            if training and drop:
                keep = (torch.rand(len(z), 1, generator=g) >= drop).float()
                branch = branch * keep / (1 - drop)
            z = z + branch
        return z @ params[-2] + params[-1]

    opt = NoisySGD(params, c["lr"], c.get("eta") or 0.0, g) if c["opt"] == "noisysgd" else contrast_opt(c, params)
    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "rezero-resmlp", "width": h, "blocks": L, "stochastic_depth": pL, "classes": K},
                settings(c, ("seed", "data", "n", "s", "flip", "h", "blocks", "pL", "t1", "t2", "opt", "lr", "eta",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "bi-tempered", "test_loss": "clean-ce-tempered"})

    def log(e, final):
        f, ft = forward(x, False), forward(xt, False)
        pt = tempered_softmax(ft, t2).clamp(min=1e-12)
        run.log(e, bitempered(f, y, t1, t2, K), -pt.gather(1, yt[:, None]).log().mean(),
                (f.argmax(1) != y).float().mean(), (ft.argmax(1) != yt).float().mean(), final=final)

    fit_epochs(opt, g, x, y, lambda xb, yb: bitempered(forward(xb, True), yb, t1, t2, K), c, log)


def runs_bitemp_stochdepth():
    # The logic: the flipped labels are fitted by a residual MLP that has room to memorise them (width 32, 4 blocks,
    # 9,000-odd weights on 300 points), while the columns at scale s 0.1 carry half the signal and are learned late;
    # the bi-tempered loss (t1 0.8 bounded, t2 1.2 heavy-tailed) and the stochastic depth slow the memorisation, the
    # gradient noise shakes the first minimum. The grid moves one thing at a time: the data (wine; n 150, 400), the
    # scale gap (s 0.3, 1), the flips (none, 0.4), the width (16), the depth (2, 8 blocks), the stochastic depth
    # (none, 0.5), the temperatures (t1 = t2 = 1, the cross-entropy; t1 0.6; t2 1.5), the gradient noise (none,
    # 0.3) and the optimizer (Adam, a larger step).
    base = dict(data="cancer", n=300, s=0.1, flip=0.2, h=32, blocks=4, pL=0.2, t1=0.8, t2=1.2, opt="noisysgd",
                lr=0.02, eta=0.05, batch=50, sched="const", epochs=300, eval="every:3")
    return bitemp_stochdepth, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(data="wine", n=100, epochs=500, eval="log:35"),
        dict(data="wine", n=100, flip=0.3, epochs=500, eval="every:5"),
        dict(n=150, eval="jitter:35"),
        dict(n=400, epochs=200, eval="every:2"),
        dict(s=0.3, eval="log:40"),
        dict(s=1.0, eval="every:4"),
        dict(flip=None, eval="rand:100"),
        dict(flip=0.4, eval="every:3"),
        dict(h=16, eval="log:35"),
        dict(blocks=2, eval="every:5"),
        dict(blocks=8, epochs=200, eval="jitter:30"),
        dict(pL=None, eval="every:3"),
        dict(pL=0.5, eval="log:35"),
        dict(t1=1.0, t2=1.0, eval="every:4"),
        dict(t1=0.6, eval="rand:120"),
        dict(t2=1.5, eval="every:6"),
        dict(eta=None, eval="log:30"),
        dict(eta=0.3, eval="every:3"),
        dict(opt="adam", lr=0.002, eta=None, eval="jitter:35"),
        dict(lr=0.06, eval="every:2"),
    ], lambda d: "%s-n%d-s%g%s-h%d-blocks%d%s-t%g-%g-%s-lr%g%s-b%d" % (
        d["data"], d["n"], d["s"], "-flip%g" % d["flip"] if d.get("flip") else "", d["h"], d["blocks"],
        "-pL%g" % d["pL"] if d.get("pL") else "", d["t1"], d["t2"], d["opt"], d["lr"],
        "-eta%g" % d["eta"] if d.get("eta") else "", d["batch"]))


# ---------------------------------------------------------------------------------------------------- ple-rangetest


class MADGRAD:
    """MADGRAD (Defazio & Jelassi 2021), hand-written: dual averaging with weights lambda_k = lr sqrt(k + 1), sums
    s += lambda_k grad and nu += lambda_k grad^2, the dual point z = x0 - s / (nu^(1/3) + eps) around the starting
    weights x0, and the weights moved towards it, x = (1 - ck) x + ck z with ck = 1 - momentum (0.1)."""

    def __init__(self, params, lr, momentum=0.9, eps=1e-6):
        self.params, self.ck, self.eps, self.k = params, 1 - momentum, eps, 0
        self.param_groups = [{"lr": lr}]
        self.x0 = [q.detach().clone() for q in params]
        self.s = [torch.zeros_like(q) for q in params]
        self.nu = [torch.zeros_like(q) for q in params]

    def zero_grad(self):
        for q in self.params:
            q.grad = None

    def step(self):
        lam = self.param_groups[0]["lr"] * math.sqrt(self.k + 1)
        self.k += 1
        with torch.no_grad():
            for q, x0, s, nu in zip(self.params, self.x0, self.s, self.nu):
                s.add_(q.grad, alpha=lam)
                nu.addcmul_(q.grad, q.grad, value=lam)
                z = x0 - s / (nu.pow(1 / 3) + self.eps)
                q.mul_(1 - self.ck).add_(z, alpha=self.ck)


def ple_encode(x, edges):
    """Piecewise-linear encoding (Gorishniy et al. 2022): column j in bins [b_0, b_1), ..., [b_{B-1}, b_B] of its
    training quantiles; component b of its code 1 past the bin, 0 below it, the position within it in between."""
    lo, hi = edges[:, :-1], edges[:, 1:]
    return ((x[:, :, None] - lo) / (hi - lo).clamp(min=1e-6)).clamp(0, 1)


def range_test(make, objective, x, y, c, g):
    """The learning-rate range test (Smith 2017), run before epoch 0 from a copy of the initial weights and not
    logged: minibatch steps (c['batch']) at a step growing geometrically from 1e-5 to 10 over 200 steps, the training
    loss smoothed (exponential average 0.9, bias-corrected); stopped once it stands 4 times above its lowest value.
    Returns the step at the lowest smoothed loss over c['div'] (Smith's one order of magnitude below, div 10)."""
    params, opt = make()
    avg, best, best_lr, i = 0.0, math.inf, 1e-5, 0
    while i < 200:
        for idx in batches(g, len(x), c.get("batch")):
            lr = 1e-5 * (1e6 ** (i / 199))
            set_lr(opt, lr)
            xb, yb = (x, y) if idx is None else (x[idx], y[idx])
            opt.zero_grad()
            loss = objective(params, xb, yb)
            loss.backward()
            opt.step()
            v = loss.item() if math.isfinite(loss.item()) else math.inf
            avg = 0.9 * avg + 0.1 * v
            sm = avg / (1 - 0.9 ** (i + 1))
            if sm < best:
                best, best_lr = sm, lr
            i += 1
            if sm > 4 * best or not math.isfinite(sm) or i >= 200:
                return best_lr / c["div"]
    return best_lr / c["div"]


def ple_rangetest(w, run_id, c):
    """A tabular network over piecewise-linear encodings of quantile bins (Gorishniy, Rubachev & Babenko 2022),
    float32: each of the ten diabetes columns encoded into B bins cut at its training quantiles (ple_encode), embedded
    by its own linear map B -> m and a ReLU, the ten embeddings concatenated into a GELU MLP of 'depth' hidden layers of
    width h, and a linear output; weights U(+-1 / sqrt(fan-in)) from the run's generator (the range test's copy drawn
    the same way). Data: diabetes_split (progression and columns standardised on the training patients, Gaussian noise
    'noise' on the training targets), then a share 'shuf' of the training targets permuted among themselves (records
    mixed up). Loss: the squared error. Optimizer: the hand-written MADGRAD (or SGD with momentum 0.9, opt 'momentum')
    on minibatches, its step chosen by range_test (c['lr'] 'range') or fixed; then constant ('const'), a step decay
    (times 0.1 at half and at three quarters of the epochs, 'step') or a cosine decay. Train loss: the squared error on
    the noisy training targets; test loss: the squared error of the held-out patients' standardised progression."""
    torch.manual_seed(363_000 + c["seed"])
    g = torch.Generator().manual_seed(363_000 + c["seed"])
    x, y, xt, yt = (a.float() for a in diabetes_split(g, c["n"], c.get("noise") or 0.0))
    if c.get("shuf"):
        pick = torch.nonzero(torch.rand(len(y), generator=g) < c["shuf"]).squeeze(1)
        y = y.clone()
        y[pick] = y[pick[torch.randperm(len(pick), generator=g)]]
    B, m, h, depth = c["B"], c["m"], c["h"], c["depth"]
    qs = torch.quantile(x, torch.linspace(0, 1, B + 1), dim=0).T.contiguous()
    qs[:, 0], qs[:, -1] = qs[:, 0] - 1e-3, qs[:, -1] + 1e-3
    x, xt = ple_encode(x, qs), ple_encode(xt, qs)
    d = x.shape[1]

    def init():
        p = [uniform(g, B, d, B, m), uniform(g, B, d, 1, m)]
        a = d * m
        for _ in range(depth):
            p += [uniform(g, a, a, h), uniform(g, a, h)]
            a = h
        return leaves(p + [uniform(g, a, a, 1), uniform(g, a, 1)])

    def forward(p, z):
        e = torch.relu(torch.einsum("njb,jbm->njm", z, p[0]) + p[1].transpose(0, 1)).reshape(len(z), -1)
        for i in range(2, len(p) - 2, 2):
            e = fn.gelu(e @ p[i] + p[i + 1])
        return (e @ p[-2] + p[-1]).squeeze(1)

    def objective(p, xb, yb):
        return ((forward(p, xb) - yb) ** 2).mean()

    def make():
        p = init()
        return p, (MADGRAD(p, 1e-5) if c["opt"] == "madgrad" else torch.optim.SGD(p, lr=1e-5, momentum=0.9))

    if c["lr"] == "range":
        state = g.get_state()
        lr = range_test(make, objective, x, y, c, g)
        g.set_state(state)  # the run starts from the same draws as the range test did
    else:
        lr = c["lr"]
    params, opt = make()
    cc = dict(c, lr=lr, sched="const" if c["sched"] == "step" else c["sched"])
    if c["sched"] == "step":
        opt_step, E, per = opt.step, c["epochs"], len(batches(torch.Generator(), len(x), c.get("batch")))
        count = [0]

        def stepped():  # the step decay on top of fit_epochs' constant step: times 0.1 at E / 2 and 3 E / 4
            e = count[0] // per
            set_lr(opt, lr * 0.1 ** ((e >= E // 2) + (e >= 3 * E // 4)))
            count[0] += 1
            opt_step()
        opt.step = stepped
    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "ple-mlp", "columns": d, "bins": B, "embed": m, "width": h, "depth": depth},
                settings(c, ("seed", "n", "noise", "shuf", "B", "m", "h", "depth", "opt", "lr", "div", "sched",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "lr_used": "%.4g" % lr, "loss": "mse", "test_loss": "heldout-mse"})

    def log(e, final):
        run.log(e, objective(params, x, y), objective(params, xt, yt), final=final)

    fit_epochs(opt, g, x, y, lambda xb, yb: objective(params, xb, yb), cc, log)


def runs_ple_rangetest():
    # The logic: the diabetes progression is mostly noise beyond a near-linear part, so a network over 10 x B bins of
    # the columns (B 16: 160 codes, 7,000-odd weights on 250 patients) fits the noisy and shuffled targets after it
    # has fitted the signal; the range test sets a large step, under which the minibatch noise holds the fit back, and
    # the step decay at half and three quarters of the run lets it fit the noise, or settles it in a lower minimum.
    # The grid moves one thing at a time: the data (n 150, 350), the target noise (none, 0.6) and the shuffled share
    # (none, 0.4), the bins (4, 48), the embedding (2, 16), the width (32, 128), the depth (1, 4), the range test's
    # divisor (3, 30), a fixed step instead of the test, the schedule (constant, cosine), the optimizer (momentum
    # SGD after its own range test) and the batch (16, 64).
    base = dict(n=250, noise=0.3, shuf=0.2, B=16, m=4, h=64, depth=2, opt="madgrad", lr="range", div=10,
                sched="step", batch=32, epochs=200, eval="every:2")
    return ple_rangetest, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=150, eval="rand:80"),
        dict(n=350, eval="log:35"),
        dict(noise=None, eval="every:3"),
        dict(noise=0.6, eval="every"),
        dict(shuf=None, eval="jitter:35"),
        dict(shuf=0.4, eval="every:2"),
        dict(B=4, eval="log:40"),
        dict(B=48, eval="every:4"),
        dict(m=2, eval="rand:100"),
        dict(m=16, eval="every:2"),
        dict(h=32, eval="log:35"),
        dict(h=128, eval="every:3"),
        dict(depth=1, eval="jitter:30"),
        dict(depth=4, eval="every:2"),
        dict(div=3, eval="every"),
        dict(div=30, eval="log:35"),
        dict(lr=0.003, div=None, eval="every:3"),
        dict(sched="const", eval="rand:100"),
        dict(sched="cosine", eval="every:4"),
        dict(opt="momentum", eval="log:35"),
    ], lambda d: "n%d%s%s-B%d-m%d-h%d-depth%d-%s-lr%s%s-%s-b%d" % (
        d["n"], "-noise%g" % d["noise"] if d.get("noise") else "", "-shuf%g" % d["shuf"] if d.get("shuf") else "",
        d["B"], d["m"], d["h"], d["depth"], d["opt"], d["lr"], "-div%g" % d["div"] if d.get("div") else "",
        d["sched"], d["batch"]))


FAMILIES = {"mutual-maxout": runs_mutual_maxout, "bitemp-stochdepth": runs_bitemp_stochdepth,
            "ple-rangetest": runs_ple_rangetest}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
