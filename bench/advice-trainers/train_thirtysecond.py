#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, thirty-second held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained or looked at, revised at most once (README.md says where and why), and the runs were
sorted by census.py alone), and made to differ from the ninety-eight families of train.py ... train_thirtieth.py in
model, loss, optimizer, noise and data: an MLP-Mixer (token-mixing and channel-mixing GELU MLPs over the 2 x 2
patches of scikit-learn's 8 x 8 digits, with layer norm and residual connections) trained on the Poly-1 loss under
Lookahead wrapped around AdamW, on instance-dependent label noise (the most ambiguous training images moved to their
nearest other class), judged by the cross-entropy of clean held-out images; a contrastive encoder (SimCLR-style: a
ReLU MLP and a projection to the unit sphere) trained on the NT-Xent (InfoNCE) loss of two augmented views (shifts,
masked pixels, pixel noise) of the digits by a hand-written AdaBelief, some positive pairs false (the second view of
another image), judged by the NT-Xent loss of fixed views of held-out images; and a Deep Sets network (an element
network, sum, mean or max pooling, a set network) regressing a permutation-invariant function of synthetic sets (an
element-wise part and a pairwise-similarity part) on the Cauchy (Lorentzian) loss by a hand-written Adafactor, with
noisy targets and outlier elements in some training sets, judged by the squared error against the clean targets of
fresh sets. The file format, determinism and helpers are the earlier files': Writer and the command line from
train.py, epochs_of, settings and lr_factor from train_more.py, dict_runs from train_seventh.py, batches from
train_twentyfirst.py, set_lr from train_twentyeighth.py and the minibatch loop fit_epochs from train_twentyninth.py;
one thread, every random draw from a seeded
torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_thirtysecond.py --family mixer-patches [--list] [--runs 0,3] [--out FILE]

Families (see README.md): mixer-patches, infonce-views, deepsets-pool. Evaluation spacings: train.py's 'every',
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
from train_more import epochs_of, lr_factor, settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_twentyfirst import batches  # noqa: E402
from train_twentyeighth import set_lr  # noqa: E402
from train_twentyninth import fit_epochs  # noqa: E402

torch.set_num_threads(1)


def uniform(g, fan_in, *shape):
    """PyTorch's default Linear initialisation, U(-1 / sqrt(fan_in), 1 / sqrt(fan_in)), drawn from g."""
    return (torch.rand(*shape, generator=g) * 2 - 1) / math.sqrt(fan_in)


def linear(g, a, b):
    """A Linear layer's weight (a x b, used as z @ W) and bias, from g."""
    return [uniform(g, a, a, b), uniform(g, a, b)]


def digit_images():
    from sklearn.datasets import load_digits
    x, y = load_digits(return_X_y=True)
    return torch.tensor(x / 16.0, dtype=torch.float32), torch.tensor(y)


# ---------------------------------------------------------------------------------------------------- mixer-patches


def ambiguous_flips(x, y, share, g, K=10):
    """Instance-dependent label noise: each training image's margin is its distance to the nearest other class's
    centroid less its distance to its own class's centroid (centroids of the training images); of the 2 x share x n
    images of smallest margin, the most ambiguous, a random half (share x n) is moved to its nearest other class."""
    y = y.clone()
    if not share:
        return y
    mu = torch.stack([x[y == k].mean(0) for k in range(K)])
    d = torch.cdist(x, mu)
    own = d.gather(1, y[:, None]).squeeze(1)
    other = d.scatter(1, y[:, None], float("inf"))
    near = other.argmin(1)
    margin = other.min(1).values - own
    m = int(round(share * len(x)))
    cand = margin.argsort()[:2 * m]
    pick = cand[torch.randperm(len(cand), generator=g)[:m]]
    y[pick] = near[pick]
    return y


class Lookahead:
    """Lookahead (Zhang et al. 2019) around an inner optimizer: every k inner steps the slow weights move a share
    alpha of the way to the fast ones, and the fast weights restart from there (the inner optimizer's state kept)."""

    def __init__(self, inner, params, k, alpha):
        self.inner, self.params, self.k, self.alpha, self.t = inner, params, k, alpha, 0
        self.param_groups = inner.param_groups
        self.slow = [q.detach().clone() for q in params]

    def zero_grad(self):
        self.inner.zero_grad()

    def step(self):
        self.inner.step()
        self.t += 1
        if self.t % self.k == 0:
            with torch.no_grad():
                for q, s in zip(self.params, self.slow):
                    s += self.alpha * (q - s)
                    q.copy_(s)


def mixer_patches(w, run_id, c):
    """An MLP-Mixer (Tolstikhin et al. 2021) on scikit-learn's 8 x 8 digits, float32: each image cut into 16 patches of
    2 x 2 pixels (pixels / 16, centred on the training images), each patch embedded linearly into C channels; then
    'depth' Mixer blocks, each a token-mixing MLP (layer norm over channels, then per channel 16 -> 16 -> 16 tokens with
    a GELU) and a channel-mixing MLP (layer norm, C -> 2C -> C with a GELU), both residual; a final layer norm, the mean
    over the tokens and a linear head to 10 classes. Weights from PyTorch's default U(+-1 / sqrt(fan-in)) drawn from
    the run's generator, layer norms at 1 and 0. n training images, 600 of the rest clean for testing; a share
    c['flip'] of the training labels moved by ambiguous_flips (instance-dependent noise: the most ambiguous images to
    their nearest other class; c['noise'] 'uniform' in 1 run: a uniformly drawn other class). Loss: Poly-1 (Leng et
    al. 2022), the cross-entropy plus eps (1 - p_y) (eps 0: the cross-entropy). Optimizer: Lookahead (k, alpha) around
    AdamW (decoupled weight decay wd) or SGD with momentum 0.9 (coupled L2 wd), or AdamW alone (k None); minibatches
    (batch; None full batch), constant step or linear warm-up then linear decay ('warmup', warm epochs). Train loss: the
    Poly-1 loss on the (noisy) training labels; test loss: the cross-entropy of the clean held-out labels; error rates
    too."""
    g = torch.Generator().manual_seed(321_000 + c["seed"])
    X, Y = digit_images()
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:c["n"] + 600]
    X = X - X[tr].mean(0)
    patches = X.view(-1, 4, 2, 4, 2).permute(0, 1, 3, 2, 4).reshape(-1, 16, 4)
    x, xt, yt = patches[tr], patches[te], Y[te]
    if c.get("noise") == "uniform":
        y = Y[tr].clone()
        f = torch.rand(len(y), generator=g) < c["flip"]
        y = torch.where(f, (y + torch.randint(1, 10, (len(y),), generator=g)) % 10, y)
    else:
        y = ambiguous_flips(X[tr], Y[tr], c.get("flip"), g)
    C, depth = c["C"], c["depth"]
    params = linear(g, 4, C)
    for _ in range(depth):
        params += [torch.ones(C), torch.zeros(C)] + linear(g, 16, 16) + linear(g, 16, 16)
        params += [torch.ones(C), torch.zeros(C)] + linear(g, C, 2 * C) + linear(g, 2 * C, C)
    params += [torch.ones(C), torch.zeros(C)] + linear(g, C, 10)
    for q in params:
        q.requires_grad_()

    def forward(z):
        B = len(z)  # 2-D products throughout (a 3-D product with a transposed operand is several times slower)
        h = z.reshape(-1, 4) @ params[0] + params[1]  # B * 16 tokens x C
        i = 2
        for _ in range(depth):
            ga, be, u1, c1, u2, c2, gb, bb, v1, d1, v2, d2 = params[i:i + 12]
            t = fn.layer_norm(h, (C,), ga, be).view(B, 16, C).transpose(1, 2).reshape(-1, 16)  # B * C x 16
            t = fn.gelu(t @ u1 + c1) @ u2 + c2
            h = h + t.view(B, C, 16).transpose(1, 2).reshape(-1, C)
            t = fn.layer_norm(h, (C,), gb, bb)
            h = h + fn.gelu(t @ v1 + d1) @ v2 + d2
            i += 12
        h = fn.layer_norm(h, (C,), params[i], params[i + 1]).view(B, 16, C).mean(1)
        return h @ params[i + 2] + params[i + 3]

    def poly1(f, t):
        logp = fn.log_softmax(f, 1).gather(1, t[:, None]).squeeze(1)
        return (-logp + c["eps"] * (1 - logp.exp())).mean()

    wd = c.get("wd") or 0.0
    if c["inner"] == "sgd":
        inner = torch.optim.SGD(params, lr=c["lr"], momentum=0.9, weight_decay=wd)
    else:
        inner = torch.optim.AdamW(params, lr=c["lr"], weight_decay=wd)
    opt = Lookahead(inner, params, c["k"], c["alpha"]) if c.get("k") else inner
    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "mlp-mixer", "patches": 16, "channels": C, "depth": depth, "classes": 10},
                settings(c, ("seed", "n", "flip", "noise", "C", "depth", "eps", "inner", "k", "alpha", "lr", "wd",
                             "batch", "sched", "warm", "eval"))
                | {"optimizer": ("lookahead-" if c.get("k") else "") + c["inner"], "loss": "poly1",
                   "test_loss": "clean-cross-entropy"})
    def log(e, final):
        f, ft = forward(x), forward(xt)
        run.log(e, poly1(f, y), fn.cross_entropy(ft, yt), (f.argmax(1) != y).float().mean(),
                (ft.argmax(1) != yt).float().mean(), final=final)

    fit_epochs(opt, g, x, y, lambda xb, yb: poly1(forward(xb), yb), c, log)


def runs_mixer_patches():
    base = dict(n=400, flip=0.2, noise=None, C=16, depth=2, eps=1.0, inner="adamw", k=5, alpha=0.5, lr=0.003,
                wd=0.05, batch=100, sched="const", warm=None, epochs=200, eval="log:35")
    return mixer_patches, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=200, eval="every:2"),
        dict(n=800, epochs=100, eval="jitter:35"),
        dict(flip=None, eval="log:40"),
        dict(flip=0.4, eval="every:3"),
        dict(noise="uniform", eval="jitter:30"),
        dict(C=8, eval="every:4"),
        dict(C=32, eval="log:35"),
        dict(depth=1, eval="rand:250"),
        dict(depth=4, epochs=150, eval="every:2"),
        dict(eps=0.0, eval="log:35"),
        dict(eps=3.0, eval="every:5"),
        dict(k=None, alpha=None, eval="jitter:35"),
        dict(k=10, eval="log:30"),
        dict(alpha=0.8, eval="every:4"),
        dict(inner="sgd", lr=0.05, wd=0.0005, eval="log:35"),
        dict(wd=None, eval="every:5"),
        dict(wd=0.5, eval="jitter:35"),
        dict(batch=None, epochs=600, eval="log:35"),
        dict(batch=25, epochs=80, eval="every"),
        dict(sched="warmup", warm=20, eval="every:3"),
    ], lambda d: "n%d%s-C%d-depth%d-poly%g-%s%s-lr%g%s-%s-%s" % (
        d["n"], "-flip%g%s" % (d["flip"], "-uniform" if d.get("noise") else "") if d.get("flip") else "",
        d["C"], d["depth"], d["eps"], "lookahead%d-%g-" % (d["k"], d["alpha"]) if d.get("k") else "", d["inner"],
        d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "", "b%d" % d["batch"] if d.get("batch") else "fullbatch",
        d["sched"]))


# ---------------------------------------------------------------------------------------------------- infonce-views


class AdaBelief:
    """AdaBelief (Zhuang et al. 2020), hand-written: Adam with the second moment of the gradient's deviation from its
    running mean, s = b2 s + (1 - b2) (grad - m)^2 + eps, bias-corrected, the step lr m_hat / (sqrt(s_hat) + eps);
    decoupled weight decay wd (p -= lr wd p)."""

    def __init__(self, params, lr, betas=(0.9, 0.999), eps=1e-12, wd=0.0):
        self.params, self.b1, self.b2, self.eps, self.wd, self.t = params, betas[0], betas[1], eps, wd, 0
        self.param_groups = [{"lr": lr}]
        self.m = [torch.zeros_like(q) for q in params]
        self.s = [torch.zeros_like(q) for q in params]

    def zero_grad(self):
        for q in self.params:
            q.grad = None

    def step(self):
        self.t += 1
        lr = self.param_groups[0]["lr"]
        c1, c2 = 1 - self.b1 ** self.t, 1 - self.b2 ** self.t
        with torch.no_grad():
            for q, m, s in zip(self.params, self.m, self.s):
                gr = q.grad
                m.mul_(self.b1).add_(gr, alpha=1 - self.b1)
                s.mul_(self.b2).addcmul_(gr - m, gr - m, value=1 - self.b2).add_(self.eps)
                if self.wd:
                    q.mul_(1 - lr * self.wd)
                q.addcdiv_(m, (s / c2).sqrt_().add_(self.eps), value=-lr / c1)


def nt_xent(z1, z2, tau):
    """The NT-Xent loss (Chen et al. 2020) of B positive pairs (z1_i, z2_i), unit vectors: every one of the 2B views
    classifies its partner among the other 2B - 1 by the cosine similarity / tau; mean over the 2B views."""
    z = torch.cat([z1, z2])
    B = len(z1)
    sim = z @ z.T / tau
    sim = sim.masked_fill(torch.eye(2 * B, dtype=torch.bool), float("-inf"))
    target = torch.cat([torch.arange(B, 2 * B), torch.arange(B)])
    return fn.cross_entropy(sim, target)


def infonce_views(w, run_id, c):
    """A contrastive encoder (SimCLR, Chen et al. 2020) on scikit-learn's 8 x 8 digits, float32, without labels: a ReLU
    MLP 64 -> h -> h -> p (weights U(+-1 / sqrt(fan-in)) from the run's generator), its output normalised to the unit
    sphere, trained on the NT-Xent loss at temperature tau of two augmented views of each image of a minibatch. A view:
    the image (pixels / 16) shifted by -1, 0 or +1 pixel in each direction (zero fill), each pixel masked (zeroed)
    with probability 'mask', plus Gaussian pixel noise of standard deviation 'pnoise'; fresh views every epoch. n
    training images; a share c['false'] of them have a false positive: their second view is always of another image
    (drawn once). Optimizer: the hand-written AdaBelief (decoupled weight decay wd), or Adam (opt 'adam') or SGD with
    Nesterov momentum 0.9 (opt 'nesterov') for contrast; minibatches of 'batch' images (None: all n), constant step or
    a cosine decay. Train loss: NT-Xent of one fixed augmented pair per training image (the false partners included),
    in chunks of 128 images; test loss: the same of 512 held-out images with their true partners (fixed views drawn
    once), in chunks of 128."""
    g = torch.Generator().manual_seed(322_000 + c["seed"])
    X, _ = digit_images()
    perm = torch.randperm(len(X), generator=g)
    n = c["n"]
    tr, te = perm[:n], perm[n:n + 512]

    def shifts(imgs):  # the 9 shifted copies, 9 x m x 64
        pad = fn.pad(imgs.view(-1, 8, 8), (1, 1, 1, 1))
        return torch.stack([pad[:, 1 + dy:9 + dy, 1 + dx:9 + dx].reshape(-1, 64)
                            for dy in (-1, 0, 1) for dx in (-1, 0, 1)])

    S, St = shifts(X[tr]), shifts(X[te])
    partner = torch.arange(n)
    if c.get("false"):
        bad = torch.rand(n, generator=g) < c["false"]
        partner[bad] = (partner[bad] + torch.randint(1, n, (int(bad.sum()),), generator=g)) % n

    def view(Sx, idx):
        v = Sx[torch.randint(0, 9, (len(idx),), generator=g), idx]
        if c.get("mask"):
            v = v * (torch.rand(v.shape, generator=g) >= c["mask"])
        if c.get("pnoise"):
            v = v + c["pnoise"] * torch.randn(v.shape, generator=g)
        return v

    all_tr, all_te = torch.arange(n), torch.arange(len(te))
    fixed_tr = (view(S, all_tr), view(S, partner))
    fixed_te = (view(St, all_te), view(St, all_te))
    h, pdim = c["h"], c["p"]
    params = linear(g, 64, h) + linear(g, h, h) + linear(g, h, pdim)
    for q in params:
        q.requires_grad_()

    def embed(v):
        z = torch.relu(v @ params[0] + params[1])
        z = torch.relu(z @ params[2] + params[3])
        return fn.normalize(z @ params[4] + params[5], dim=1)

    def chunked(v1, v2):
        tot, m = 0.0, len(v1)
        for j in range(0, m, 128):
            tot += nt_xent(embed(v1[j:j + 128]), embed(v2[j:j + 128]), c["tau"]).item() * len(v1[j:j + 128])
        return tot / m

    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    elif c["opt"] == "nesterov":
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9, nesterov=True)
    else:
        opt = AdaBelief(params, c["lr"], wd=c.get("wd") or 0.0)
    run = w.run(run_id, sum(q.numel() for q in params), n,
                {"family": "simclr-mlp", "inputs": 64, "width": h, "projection": pdim},
                settings(c, ("seed", "n", "false", "h", "p", "tau", "mask", "pnoise", "opt", "lr", "wd", "batch",
                             "sched", "eval"))
                | {"optimizer": c["opt"], "loss": "nt-xent", "test_loss": "heldout-nt-xent"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            set_lr(opt, c["lr"] * lr_factor(c, e, c["epochs"]))
            for idx in batches(g, n, c.get("batch")):
                idx = all_tr if idx is None else idx
                v1, v2 = view(S, idx), view(S, partner[idx])
                opt.zero_grad()
                nt_xent(embed(v1), embed(v2), c["tau"]).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            run.log(e, chunked(*fixed_tr), chunked(*fixed_te), final=e == pts[-1])


def runs_infonce_views():
    # Revised once (the first grid had no winning run, all 21 runs without a bump, the encoder still learning at the
    # end): base n 256, h 64, mask 0.2, pixel noise 0.1, minibatches of 128, 600 epochs; one setting at a time n 128
    # (1,200 epochs) or 512 (300), no false pairs or 40%, h 16 or 128, p 8, tau 0.07 or 0.5, no masking and no pixel
    # noise, mask 0.4, Adam, Nesterov at 0.05, lr 0.003 or 0.0003 (1,200 epochs), wd 0.1, minibatches of 32 (150
    # epochs), full batch (1,200 epochs), a cosine decay. The revision trains a wider encoder for more steps on fewer
    # images under weaker augmentation, the regime where a contrastive encoder can memorise its training images.
    base = dict(n=64, false=0.2, h=128, p=32, tau=0.2, mask=0.1, pnoise=None, opt="adabelief", lr=0.001, wd=None,
                batch=None, sched="const", epochs=2000, eval="log:35")
    return infonce_views, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=32, eval="every:10"),
        dict(n=128, epochs=1000, eval="jitter:35"),
        dict(false=None, eval="log:40"),
        dict(false=0.4, eval="every:12"),
        dict(h=32, eval="jitter:30"),
        dict(h=256, epochs=700, eval="every:4"),
        dict(p=8, eval="log:35"),
        dict(tau=0.1, eval="rand:300"),
        dict(tau=0.5, eval="every:10"),
        dict(mask=None, eval="log:35"),
        dict(mask=0.3, pnoise=0.1, eval="every:15"),
        dict(opt="adam", eval="jitter:35"),
        dict(opt="nesterov", lr=0.05, eval="log:30"),
        dict(lr=0.003, eval="every:10"),
        dict(lr=0.0003, eval="log:35"),
        dict(wd=0.1, eval="every:12"),
        dict(batch=16, epochs=300, eval="every:2"),
        dict(sched="cosine", eval="every:10"),
        dict(tau=0.1, false=None, eval="jitter:35"),
    ], lambda d: "n%d%s-h%d-p%d-tau%g%s%s-%s-lr%g%s-%s-%s" % (
        d["n"], "-false%g" % d["false"] if d.get("false") else "", d["h"], d["p"], d["tau"],
        "-mask%g" % d["mask"] if d.get("mask") else "", "-pnoise%g" % d["pnoise"] if d.get("pnoise") else "",
        d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "",
        "b%d" % d["batch"] if d.get("batch") else "fullbatch", d["sched"]))


# ---------------------------------------------------------------------------------------------------- deepsets-pool


class Adafactor:
    """Adafactor (Shazeer & Stern 2018), hand-written with an absolute step lr: the second moment of a matrix's
    gradient kept factored (row and column means of grad^2 + 1e-30, their outer product over their mean), of a vector's
    in full, decaying at b2_t = 1 - t^-0.8; the update grad / sqrt(v) clipped to RMS at most 1; momentum b1 on the
    clipped update where b1 is set (None: none, the paper's default)."""

    def __init__(self, params, lr, b1=None):
        self.params, self.b1, self.t = params, b1, 0
        self.param_groups = [{"lr": lr}]
        self.v = [(torch.zeros(q.shape[0]), torch.zeros(q.shape[1])) if q.dim() == 2 else torch.zeros_like(q)
                  for q in params]
        self.m = [torch.zeros_like(q) for q in params] if b1 else None

    def zero_grad(self):
        for q in self.params:
            q.grad = None

    def step(self):
        self.t += 1
        b2 = 1 - self.t ** -0.8
        lr = self.param_groups[0]["lr"]
        with torch.no_grad():
            for i, q in enumerate(self.params):
                g2 = q.grad ** 2 + 1e-30
                if q.dim() == 2:
                    r, cc = self.v[i]
                    r.mul_(b2).add_(g2.mean(1), alpha=1 - b2)
                    cc.mul_(b2).add_(g2.mean(0), alpha=1 - b2)
                    # grad / sqrt(outer(r, cc) / mean(r)) as a product of the factors' inverse square roots (as the
                    # reference implementations do): the outer product of two factors near 1e-30 underflows to 0 in
                    # float32, and a dead unit's zero gradient over it gave 0 / 0
                    u = q.grad * (r / r.mean()).rsqrt()[:, None] * cc.rsqrt()[None, :]
                else:
                    self.v[i].mul_(b2).add_(g2, alpha=1 - b2)
                    u = q.grad / self.v[i].sqrt()
                u = u / u.pow(2).mean().sqrt().clamp(min=1.0)
                if self.m is not None:
                    self.m[i].mul_(self.b1).add_(u, alpha=1 - self.b1)
                    u = self.m[i]
                q.add_(u, alpha=-lr)


def set_data(g, c):
    """Synthetic sets of m elements in R^d (standard normals) and a permutation-invariant target: a first-order part,
    the mean over the elements of a random tanh readout (16 units; weights N(0, 1 / d), biases N(0, 0.25), readout
    N(0, 1)), scaled to variance F, and a second-order part, the mean over the element pairs of exp(-|x_i - x_j|^2 /
    (2 d)), scaled to variance S (both scales set on 4,000 reference sets). Training targets plus noise standard
    normals; in a share 'outl' of the training sets one element is replaced by an outlier (4 times a standard normal)
    after the target was computed. 1,000 fresh clean test sets."""
    m, d = c["m"], c["d"]
    A, a = torch.randn(d, 16, generator=g) / math.sqrt(d), 0.5 * torch.randn(16, generator=g)
    r = torch.randn(16, generator=g)
    iu = torch.triu_indices(m, m, 1)

    def parts(xs):
        first = torch.tanh(xs @ A + a).mean(1) @ r
        d2 = torch.cdist(xs, xs) ** 2
        second = torch.exp(-d2[:, iu[0], iu[1]] / (2 * d)).mean(1)
        return first, second

    f0, s0 = parts(torch.randn(4000, m, d, generator=g))
    mf, sf, ms, ss = f0.mean(), f0.std(), s0.mean(), s0.std()

    def target(xs):
        first, second = parts(xs)
        return (first - mf) / sf * math.sqrt(c["F"]) + (second - ms) / ss * math.sqrt(c["S"])

    x = torch.randn(c["n"], m, d, generator=g)
    y = target(x)
    if c.get("noise"):
        y = y + c["noise"] * torch.randn(c["n"], generator=g)
    if c.get("outl"):
        bad = torch.rand(c["n"], generator=g) < c["outl"]
        which = torch.randint(0, m, (c["n"],), generator=g)
        out = 4 * torch.randn(c["n"], d, generator=g)
        x = x.clone()
        x[bad, which[bad]] = out[bad]
    xt = torch.randn(1000, m, d, generator=g)
    return x, y, xt, target(xt)


def deepsets_pool(w, run_id, c):
    """A Deep Sets network (Zaheer et al. 2017), float32: an element network phi, d -> h -> h (ReLU, ReLU), pooled over
    the set by sum, mean or max, then a set network rho, h -> h -> 1 (ReLU); weights U(+-1 / sqrt(fan-in)) from the
    run's generator. Data: set_data. Loss: the Cauchy (Lorentzian) loss (cs^2 / 2) log(1 + (r / cs)^2) of the
    residuals, robust to the outliers' large residuals (loss 'mse': the squared error / 2). Optimizer: the hand-written
    Adafactor (absolute step lr, momentum b1 in 1 run) or Adam (opt 'adam') for contrast; full batch (batch None) or
    minibatches of sets, constant step or a cosine decay. Train loss: the training loss on the (noisy) training sets;
    test loss: the mean squared error against the clean targets of the fresh test sets."""
    g = torch.Generator().manual_seed(323_000 + c["seed"])
    x, y, xt, yt = set_data(g, c)
    d, h = c["d"], c["h"]
    params = linear(g, d, h) + linear(g, h, h) + linear(g, h, h) + linear(g, h, 1)
    for q in params:
        q.requires_grad_()

    def forward(z):
        e = torch.relu(z @ params[0] + params[1])
        e = torch.relu(e @ params[2] + params[3])
        pool = {"sum": lambda t: t.sum(1), "mean": lambda t: t.mean(1), "max": lambda t: t.max(1).values}[c["pool"]]
        s = torch.relu(pool(e) @ params[4] + params[5])
        return (s @ params[6] + params[7]).squeeze(1)

    def loss(f, t):
        r = f - t
        if c["loss"] == "mse":
            return 0.5 * (r ** 2).mean()
        cs = c["cs"]
        return (0.5 * cs ** 2 * torch.log1p((r / cs) ** 2)).mean()

    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    else:
        opt = Adafactor(params, c["lr"], c.get("b1"))
    run = w.run(run_id, sum(q.numel() for q in params), len(x),
                {"family": "deep-sets", "set_size": c["m"], "element_dim": d, "width": h, "pool": c["pool"]},
                settings(c, ("seed", "n", "m", "d", "F", "S", "noise", "outl", "h", "pool", "loss", "cs", "opt", "lr",
                             "b1", "batch", "sched", "eval"))
                | {"optimizer": c["opt"], "test_loss": "clean-mse"})
    fit_epochs(opt, g, x, y, lambda xb, yb: loss(forward(xb), yb), c,
               lambda e, final: run.log(e, loss(forward(x), y), ((forward(xt) - yt) ** 2).mean(), final=final))


def runs_deepsets_pool():
    base = dict(n=200, m=8, d=3, F=1.0, S=1.0, noise=0.5, outl=0.1, h=32, pool="sum", loss="cauchy", cs=1.0,
                opt="adafactor", lr=0.003, b1=None, batch=None, sched="const", epochs=2000, eval="log:35")
    return deepsets_pool, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(n=100, eval="every:10"),
        dict(n=800, epochs=600, eval="jitter:35"),
        dict(noise=None, eval="log:40"),
        dict(noise=1.0, eval="every:8"),
        dict(outl=None, eval="jitter:30"),
        dict(outl=0.3, eval="every:10"),
        dict(m=4, eval="log:35"),
        dict(m=16, epochs=1000, eval="rand:300"),
        dict(S=0.0, eval="every:6"),
        dict(h=8, eval="log:35"),
        dict(h=64, epochs=500, eval="every:5"),
        dict(pool="mean", eval="jitter:35"),
        dict(pool="max", eval="log:30"),
        dict(loss="mse", cs=None, eval="every:10"),
        dict(cs=0.3, eval="log:35"),
        dict(lr=0.01, eval="every:8"),
        dict(b1=0.9, eval="jitter:35"),
        dict(opt="adam", lr=0.001, eval="log:35"),
        dict(batch=25, epochs=300, eval="every"),
        dict(sched="cosine", eval="every:12"),
    ], lambda d: "n%d-m%d-d%d-F%g-S%g%s%s-h%d-%s-%s%s-%s-lr%g%s-%s-%s" % (
        d["n"], d["m"], d["d"], d["F"], d["S"], "-noise%g" % d["noise"] if d.get("noise") else "",
        "-outl%g" % d["outl"] if d.get("outl") else "", d["h"], d["pool"], d["loss"],
        "%g" % d["cs"] if d.get("cs") else "", d["opt"], d["lr"], "-b1%g" % d["b1"] if d.get("b1") else "",
        "b%d" % d["batch"] if d.get("batch") else "fullbatch", d["sched"]))


FAMILIES = {"mixer-patches": runs_mixer_patches, "infonce-views": runs_infonce_views,
            "deepsets-pool": runs_deepsets_pool}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
