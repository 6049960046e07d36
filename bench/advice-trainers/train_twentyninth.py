#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, twenty-ninth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained or looked at, revised at most once (README.md says where and why), and the runs were
sorted by census.py alone), and made to differ from the ninety-two families of train.py ... train_twentyeighth.py in
model, loss, optimizer, noise and data: a two-layer ReLU network on a sparse parity of Boolean inputs (the label the
product of k secret bits among 12-30, some training labels flipped), trained by minibatch SGD, momentum, Adam or
full-batch gradient descent on the logistic, hinge or squared loss, judged by the same loss on clean fresh inputs (the
hidden progress setting of Barak et al. 2022); a Gaussian mixture model with full, diagonal or tied covariances fitted
by expectation-maximisation, one EM iteration an epoch (batch EM, hard classification EM, deterministically annealed
EM or online EM with a decreasing step on minibatches), on synthetic clusters one of which is a close pair (Gaussian,
Student-t or with outliers) and on scikit-learn's wine, breast cancer and digits (projected on their principal
components), judged by the held-out excess negative log-likelihood over the true density or by the negative
log-likelihood of held-out points; and a CP (canonical polyadic) decomposition of a 3-way tensor completed from a
share of its entries by alternating least squares, one sweep over the three factor matrices an epoch (ridge, proximal
and line-search-extrapolated ALS, and Adam on the same objective), on a tensor of large and small rank-one components
under Gaussian noise or sparse spikes and on scikit-learn's digits as an images x rows x columns tensor, judged by the
squared error of the held-out entries against the clean tensor. The file format, determinism and helpers are the
earlier files': Writer and the command line from train.py, epochs_of, settings and lr_factor from train_more.py,
dict_runs from train_seventh.py and batches from train_twentyfirst.py; one thread, every random draw from a seeded
torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_twentyninth.py --family sparse-parity [--list] [--runs 0,3] [--out FILE]

Families (see README.md): sparse-parity, gmm-em, cp-als. Evaluation spacings: train.py's 'every', 'every:K', 'log:K'
and train_more.py's 'jitter:K', 'rand:M'.
"""
import math
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # before torch loads its BLAS
    os.environ[var] = "1"
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import epochs_of, lr_factor, settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_twentyfirst import batches  # noqa: E402
from train_twentyeighth import set_lr  # noqa: E402

torch.set_num_threads(1)


# ---------------------------------------------------------------------------------------------------- sparse-parity


def fit_epochs(opt, g, x, y, objective, c, log):
    """Minibatch training to each evaluation epoch of c['eval'] (epochs_of), then log(epoch, final=...) under no_grad:
    each epoch sets the step to c['lr'] times lr_factor, then steps on objective(xb, yb) over batches(g, len(x),
    c['batch']) (the whole set where None). The loop the twenty-ninth and thirty-second rounds' minibatch families
    share; every random draw is batches', in the same order as the loop written out."""
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            set_lr(opt, c["lr"] * lr_factor(c, e, c["epochs"]))
            for idx in batches(g, len(x), c.get("batch")):
                xb, yb = (x, y) if idx is None else (x[idx], y[idx])
                opt.zero_grad()
                objective(xb, yb).backward()
                opt.step()
            e += 1
        with torch.no_grad():
            log(e, final=e == pts[-1])


def parity_data(g, c):
    """(x, y, xt, yt): n training and 2,000 test inputs uniform on {-1, 1}^bits, labelled by the product of k secret
    bits (a seeded choice); a share c['flip'] of the training labels negated (the test labels clean)."""
    nb, k = c["bits"], c["k"]
    secret = torch.randperm(nb, generator=g)[:k]

    def draw(m):
        x = 2 * torch.randint(0, 2, (m, nb), generator=g).float() - 1
        return x, x[:, secret].prod(1)

    x, y = draw(c["n"])
    xt, yt = draw(2000)
    if c.get("flip"):
        y = torch.where(torch.rand(c["n"], generator=g) < c["flip"], -y, y)
    return x, y, xt, yt


def sparse_parity(w, run_id, c):
    """A two-layer ReLU network f(x) = a . relu(W x + b) + a0 on a sparse parity (the hidden-progress setting of Barak
    et al. 2022; with a finite, partly mislabelled training set, as in the grokking studies of parities), float32: W
    (bits x h) from 1/sqrt(bits) times standard normals, a from 1/sqrt(h) times them, biases zero. Loss (c['loss']) on
    the +-1 labels: 'logistic' softplus(-y f), 'hinge' max(0, 1 - y f) or 'square' (1 - y f)^2 / 2; minibatches of
    c['batch'] (a seeded permutation every epoch; the whole set where None) under SGD (momentum c['mom'], coupled L2
    c['wd']) or Adam (coupled L2 c['wd']), the step constant or under a cosine decay (lr_factor). Train loss: the loss
    on the (partly flipped) training labels; test loss: the same loss on the 2,000 clean test labels; error rates too.
    Data: parity_data. Grid (runs_sparse_parity; 20 settings, 1-2 seeds, 21 runs): the base, 20 bits, k 3, n 1,000, 10%
    flipped, h 256, logistic, SGD at 0.1 in minibatches of 32, 600 epochs (about 19,000 steps; 2 seeds); one setting
    at a time 12 or 30 bits, k 2 or 4, n 500 (1,200 epochs) or 3,000 (200 epochs), no flips or 25%, h 64 or 1,024, L2
    0.001 or 0.01, Adam at 0.001, full-batch gradient descent at 0.5 (3,000 epochs), minibatches of 8 at 0.05 (150
    epochs), momentum 0.9 at 0.01, a cosine decay, the hinge loss and the squared loss."""
    g = torch.Generator().manual_seed(107_000 + c["seed"])
    x, y, xt, yt = parity_data(g, c)
    nb, h, n = c["bits"], c["h"], c["n"]
    params = [torch.randn(nb, h, generator=g) / math.sqrt(nb), torch.zeros(h),
              torch.randn(h, generator=g) / math.sqrt(h), torch.zeros(1)]
    for q in params:
        q.requires_grad_()
    W, b, a, a0 = params
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0, weight_decay=c.get("wd") or 0.0)

    def forward(z):
        return torch.relu(z @ W + b) @ a + a0

    def loss_of(f, t):
        m = t * f
        if c["loss"] == "hinge":
            return torch.relu(1 - m).mean()
        if c["loss"] == "square":
            return 0.5 * ((1 - m) ** 2).mean()
        return torch.nn.functional.softplus(-m).mean()

    run = w.run(run_id, nb * h + 2 * h + 1, n, {"family": "parity-mlp-relu", "bits": nb, "width": h},
                settings(c, ("seed", "bits", "k", "n", "flip", "h", "loss", "opt", "lr", "mom", "wd", "batch", "sched",
                             "eval"))
                | {"optimizer": c["opt"], "test_loss": "clean-parity-" + c["loss"]})
    def log(e, final):
        f, ft = forward(x), forward(xt)
        run.log(e, loss_of(f, y), loss_of(ft, yt), (f * y <= 0).float().mean(), (ft * yt <= 0).float().mean(),
                final=final)

    fit_epochs(opt, g, x, y, lambda xb, yb: loss_of(forward(xb), yb), c, log)


def runs_sparse_parity():
    base = dict(bits=20, k=3, n=1000, flip=0.1, h=256, loss="logistic", opt="sgd", lr=0.1, mom=None, wd=None,
                batch=32, sched="const", epochs=600, eval="log:35")
    return sparse_parity, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(bits=12, eval="every:5"),
        dict(bits=30, eval="jitter:35"),
        dict(k=2, eval="log:40"),
        dict(k=4, eval="every:4"),
        dict(n=500, epochs=1200, eval="jitter:30"),
        dict(n=3000, epochs=200, eval="every"),
        dict(flip=None, eval="log:35"),
        dict(flip=0.25, eval="every:5"),
        dict(h=64, eval="rand:300"),
        dict(h=1024, eval="log:30"),
        dict(wd=0.001, eval="every:6"),
        dict(wd=0.01, eval="jitter:35"),
        dict(opt="adam", lr=0.001, eval="log:35"),
        dict(batch=None, lr=0.5, epochs=3000, eval="every:20"),
        dict(batch=8, lr=0.05, epochs=150, eval="every"),
        dict(mom=0.9, lr=0.01, eval="jitter:30"),
        dict(sched="cosine", eval="every:5"),
        dict(loss="hinge", eval="log:35"),
        dict(loss="square", eval="every:8"),
    ], lambda d: "bits%d-k%d-n%d%s-h%d-%s-%s%g%s%s%s-%s" % (
        d["bits"], d["k"], d["n"], "-flip%g" % d["flip"] if d.get("flip") else "", d["h"], d["loss"], d["opt"],
        d["lr"], "-mom%g" % d["mom"] if d.get("mom") else "", "-wd%g" % d["wd"] if d.get("wd") else "",
        "-b%d" % d["batch"] if d.get("batch") else "-fullbatch", d["sched"]))


# ---------------------------------------------------------------------------------------------------- gmm-em


def gmm_data(g, c):
    """(x, xt, logp): training and test points and the true log-density (None for the real data). 'blobs': d
    dimensions, 3 clusters with centres sep times standard normals and covariances A A^T / d + 0.3 I (A standard
    normals), weights 1/3; the first cluster split, where delta > 0, into a
    close pair of halves of weight 1/6, covariance half its own, means apart by delta standard deviations of a half
    along a random direction (a structure finer than the clusters); n training and 2,000 test points, the Gaussian draws
    scaled by sqrt(dof / chi2_dof) where c['dof'] is set (multivariate Student-t), a share c['out'] of the points
    replaced by uniform draws on [-B, B]^d (B the largest centre coordinate plus 4; outliers). 'wine' (13 columns, 100
    rows for training, 78 for testing) and 'cancer' (the first 10 columns of breast cancer, 300 and 269), standardised
    on the training rows; 'digits' (pixels / 16; 1,000 images and 797) projected on the training images' first 10
    principal components. The true log-density of 'blobs': the mixture's, Gaussian or Student-t components (scale
    matrix the covariance), mixed with the outliers' uniform density where c['out'] is set."""
    if c["data"] != "blobs":
        from sklearn import datasets
        if c["data"] == "wine":
            X = datasets.load_wine().data
        elif c["data"] == "cancer":
            X = datasets.load_breast_cancer().data[:, :10]
        else:
            X = datasets.load_digits().data / 16.0
        X = torch.tensor(X)
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        mean = X[tr].mean(0)
        if c["data"] == "digits":
            V = torch.linalg.svd(X[tr] - mean, full_matrices=False)[2][:c["d"]].T
            return (X[tr] - mean) @ V, (X[te] - mean) @ V, None
        sd = X[tr].std(0)
        return (X[tr] - mean) / sd, (X[te] - mean) / sd, None
    d = c["d"]
    centres = c["sep"] * torch.randn(3, d, generator=g)
    covs = []
    for _ in range(3):
        A = torch.randn(d, d, generator=g)
        covs.append(A @ A.T / d + 0.3 * torch.eye(d))
    u = torch.randn(d, generator=g)
    u = u / u.norm()
    if c["delta"]:
        half = 0.5 * covs[0]
        step = 0.5 * c["delta"] * torch.sqrt(u @ half @ u) * u
        comps = [(1 / 6, centres[0] + step, half), (1 / 6, centres[0] - step, half)]
    else:
        comps = [(1 / 3, centres[0], covs[0])]
    comps += [(1 / 3, centres[1], covs[1]), (1 / 3, centres[2], covs[2])]
    wts = torch.tensor([q[0] for q in comps])
    means = torch.stack([q[1] for q in comps])
    chols = torch.stack([torch.linalg.cholesky(q[2]) for q in comps])
    box = centres.abs().max().item() + 4

    def draw(m):
        k = torch.multinomial(wts, m, replacement=True, generator=g)
        z = torch.randn(m, d, generator=g)
        if c.get("dof"):
            chi2 = (torch.randn(m, c["dof"], generator=g) ** 2).sum(1)
            z = z * torch.sqrt(c["dof"] / chi2).unsqueeze(1)
        x = means[k] + (chols[k] @ z.unsqueeze(2)).squeeze(2)
        if c.get("out"):
            o = torch.rand(m, generator=g) < c["out"]
            x[o] = box * (2 * torch.rand(int(o.sum()), d, generator=g) - 1)
        return x

    def logp(z):
        diff = (z.unsqueeze(0) - means.unsqueeze(1)).transpose(1, 2)
        q = (torch.linalg.solve_triangular(chols, diff, upper=False) ** 2).sum(1)
        logdet = torch.log(torch.diagonal(chols, dim1=1, dim2=2)).sum(1, keepdim=True)
        v = c.get("dof")
        if v:
            lp = (math.lgamma((v + d) / 2) - math.lgamma(v / 2) - 0.5 * d * math.log(v * math.pi) - logdet
                  - 0.5 * (v + d) * torch.log1p(q / v))
        else:
            lp = -0.5 * q - logdet - 0.5 * d * math.log(2 * math.pi)
        lp = torch.logsumexp(lp + torch.log(wts).unsqueeze(1), 0)
        if c.get("out"):
            inside = (z.abs() <= box).all(1)
            lo = torch.where(inside, torch.full_like(lp, math.log(c["out"]) - d * math.log(2 * box)),
                             torch.full_like(lp, -math.inf))
            lp = torch.logaddexp(math.log(1 - c["out"]) + lp, lo)
        return lp

    return draw(c["n"]), draw(2000), logp


def safe_cholesky(S):
    """Cholesky factors of a batch of covariances, adding 1e-9, 1e-8, ... times the identity to any that is not
    numerically positive definite."""
    L, info = torch.linalg.cholesky_ex(S)
    jitter = 1e-9
    while bool((info > 0).any()):
        S = S + jitter * (info > 0).double().view(-1, 1, 1) * torch.eye(S.shape[-1])
        L, info = torch.linalg.cholesky_ex(S)
        jitter *= 10
    return L


def gmm_logp(x, w, mu, S):
    """(K, m): log w_k + log N(x | mu_k, S_k)."""
    L = safe_cholesky(S)
    diff = (x.unsqueeze(0) - mu.unsqueeze(1)).transpose(1, 2)
    z = torch.linalg.solve_triangular(L, diff, upper=False)
    return (-0.5 * (z ** 2).sum(1) - torch.log(torch.diagonal(L, dim1=1, dim2=2)).sum(1, keepdim=True)
            - 0.5 * x.shape[1] * math.log(2 * math.pi) + torch.log(w).unsqueeze(1))


def gmm_params(s0, s1, s2, c):
    """Weights, means and covariances from sufficient statistics (per point averages of the responsibilities r, of r x
    and of r x x^T): the covariance full, diagonal or tied (the components' pooled), plus c['reg'] times I."""
    K, d = s1.shape
    nk = s0 + 10 * torch.finfo(torch.float64).eps
    mu = s1 / nk.unsqueeze(1)
    S = s2 / nk.view(K, 1, 1) - mu.unsqueeze(2) * mu.unsqueeze(1)
    if c["cov"] == "diag":
        S = torch.diag_embed(torch.diagonal(S, dim1=1, dim2=2).clamp_min(0))
    elif c["cov"] == "tied":
        S = ((nk.view(K, 1, 1) * S).sum(0) / nk.sum()).expand(K, d, d)
    S = 0.5 * (S + S.transpose(1, 2)) + c["reg"] * torch.eye(d)
    return nk / nk.sum(), mu, S


def gmm_stats(x, r):
    """The per point averages of r, r x and r x x^T, r the (K, m) responsibilities."""
    m = x.shape[0]
    return r.sum(1) / m, r @ x / m, torch.einsum("kn,ni,nj->kij", r, x, x) / m


def gmm_em(w, run_id, c):
    """A Gaussian mixture model of K components (full, diagonal or tied covariances plus c['reg'] I, as in
    scikit-learn's GaussianMixture) fitted by expectation-maximisation, float64, one EM iteration an epoch: batch EM
    ('em'); hard classification EM ('hard', each point wholly to its likeliest component); deterministically annealed
    EM ('anneal', the E-step's responsibilities softmax(beta log p), beta rising linearly from 0.2 to 1 over the first
    200 epochs; Ueda & Nakano 1998); or online EM ('online', Cappe & Moulines 2009: the sufficient statistics of each
    minibatch of c['batch'] blended into running ones with weight (t + 2)^-0.6, t the update's count, the parameters
    recomputed after every minibatch). Start ('init'): 'random' responsibilities (uniform draws normalised per point)
    followed by an M-step, as scikit-learn's init_params='random', or 'points': the means K distinct training points,
    every covariance the training points' own, equal weights. Train loss: the mean negative log-likelihood of the
    training points; test loss (c['test']): 'kl', the held-out excess negative log-likelihood, the mean over the test
    points of the true log-density minus the model's (an estimate of the KL divergence from the truth to the model), or
    'nll', the test points' mean negative log-likelihood (the real data). Data: gmm_data. Grid (runs_gmm_em, revised
    once; 21 settings, 1-2 seeds, 22 runs): the base 'blobs', d 5, sep 3, delta 2 (an overlapping pair; four true
    components), n 200, K 6 full, reg 1e-6, random start, batch EM, test 'kl', 1,000 epochs (2 seeds); one setting at a
    time K 4 or 12, diagonal or tied covariances, n 100 or 1,000, d 10, delta 0 (no pair) or 4, reg 0.01, the 'points'
    start, hard EM, annealed EM, online EM in minibatches of 20 (300 epochs), Student-t clusters of 3 degrees of
    freedom, 5% outliers, and the first grid's base (delta 3, n 300, K 4, test 'nll'); and wine (K 3, 500 epochs),
    breast cancer (K 4) and digits on 10 principal components (K 10, 500 epochs), test 'nll'. The first grid (delta 3,
    n 300, K 4 and test 'nll' in the base; K 2, 8 and 16, delta 6, online minibatches of 30, digits with diagonal
    covariances at K 30) had no winning run: EM converged within 10-130 iterations and the test NLL, 7-20 nats, hardly
    moved after."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(108_000 + c["seed"])
    x, xt, true_logp = gmm_data(g, c)
    n, d = x.shape
    lpt = true_logp(xt) if c["test"] == "kl" else None
    K = c["K"]
    if c["init"] == "points":
        mu = x[torch.randperm(n, generator=g)[:K]]
        xc = x - x.mean(0)
        S = (xc.T @ xc / n + c["reg"] * torch.eye(d)).expand(K, d, d)
        wk = torch.full((K,), 1.0 / K)
        stats = (wk, wk.unsqueeze(1) * mu, wk.view(K, 1, 1) * (S + mu.unsqueeze(2) * mu.unsqueeze(1)))
    else:
        r = torch.rand(K, n, generator=g)
        stats = gmm_stats(x, r / r.sum(0))
        wk, mu, S = gmm_params(*stats, c)
    cov_params = {"full": K * d * (d + 1) // 2, "diag": K * d, "tied": d * (d + 1) // 2}[c["cov"]]
    run = w.run(run_id, K - 1 + K * d + cov_params, n, {"family": "gmm-" + c["cov"], "components": K, "dims": d},
                settings(c, ("seed", "data", "d", "sep", "delta", "dof", "out", "n", "K", "cov", "reg", "init", "algo",
                             "batch", "test", "eval"))
                | {"optimizer": "em-" + c["algo"], "loss": "mean-nll",
                   "test_loss": {"kl": "heldout-excess-nll", "nll": "heldout-mean-nll"}[c["test"]]})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e, t = 0, 0
    for p in pts:
        while e < p:
            if c["algo"] == "online":
                for idx in batches(g, n, c["batch"]):
                    xb = x[idx]
                    r = torch.softmax(gmm_logp(xb, wk, mu, S), 0)
                    gam = (t + 2) ** -0.6
                    stats = tuple((1 - gam) * s + gam * sb for s, sb in zip(stats, gmm_stats(xb, r)))
                    wk, mu, S = gmm_params(*stats, c)
                    t += 1
            else:
                lp = gmm_logp(x, wk, mu, S)
                if c["algo"] == "hard":
                    r = torch.nn.functional.one_hot(lp.argmax(0), K).T.double()
                elif c["algo"] == "anneal":
                    r = torch.softmax(min(1.0, 0.2 + 0.8 * e / 200) * lp, 0)
                else:
                    r = torch.softmax(lp, 0)
                wk, mu, S = gmm_params(*gmm_stats(x, r), c)
            e += 1
        test_nll = -torch.logsumexp(gmm_logp(xt, wk, mu, S), 0)
        run.log(e, -torch.logsumexp(gmm_logp(x, wk, mu, S), 0).mean(),
                (test_nll + lpt).mean() if lpt is not None else test_nll.mean(), final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_gmm_em():
    base = dict(data="blobs", d=5, sep=3.0, delta=2.0, dof=None, out=None, n=200, K=6, cov="full", reg=1e-6,
                init="random", algo="em", batch=None, test="kl", epochs=1000, eval="log:35")
    real = dict(sep=None, delta=None, test="nll")
    return gmm_em, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(K=4, eval="every:5"),
        dict(K=12, eval="jitter:35"),
        dict(cov="diag", eval="every:4"),
        dict(cov="tied", eval="rand:300"),
        dict(n=100, eval="every"),
        dict(n=1000, eval="log:30"),
        dict(d=10, eval="jitter:30"),
        dict(delta=0.0, eval="every:5"),
        dict(delta=4.0, eval="log:40"),
        dict(reg=0.01, eval="every:8"),
        dict(init="points", eval="jitter:35"),
        dict(algo="hard", eval="every:2"),
        dict(algo="anneal", eval="log:35"),
        dict(algo="online", batch=20, epochs=300, eval="every"),
        dict(dof=3, eval="every:10"),
        dict(out=0.05, eval="jitter:30"),
        dict(delta=3.0, n=300, K=4, test="nll", eval="log:35"),
        dict(real, data="wine", d=13, n=100, K=3, epochs=500, eval="every:2"),
        dict(real, data="cancer", d=10, n=300, K=4, eval="log:35"),
        dict(real, data="digits", d=10, n=1000, K=10, epochs=500, eval="every:3"),
    ], lambda d: "%s-d%d%s%s%s-n%d-K%d-%s-reg%g-%s-%s%s-%s" % (
        d["data"], d["d"], "-sep%g-delta%g" % (d["sep"], d["delta"]) if d["data"] == "blobs" else "",
        "-t%d" % d["dof"] if d.get("dof") else "", "-out%g" % d["out"] if d.get("out") else "", d["n"], d["K"],
        d["cov"], d["reg"], d["init"], d["algo"], "-b%d" % d["batch"] if d.get("batch") else "", d["test"]))


# ---------------------------------------------------------------------------------------------------- cp-als


def cp_data(g, c):
    """(shape, idx, y, idx_t, y_t): the observed entries (indexes, m x 3) with their noisy values and the held-out
    entries with their clean values. 'synth': a size^3 tensor, the sum of RL large rank-one components a o b o c (each
    factor's entries standard normals; the large components' factors in every mode sqrt(rho) times a common standard
    normal vector plus sqrt(1 - rho) times their own, congruent where rho > 0) and RS small ones times s; a share
    c['frac'] of the entries observed (a seeded choice), with Gaussian noise c['noise'] added and, where c['spike'] is
    set, that share of them moved by +-3 (sparse spikes). 'digits': scikit-learn's digits, c['images'] of them (a seeded
    choice; pixels / 16) as an images x 8 x 8 tensor, a share c['frac'] of the pixels observed as they are."""
    if c["data"] == "digits":
        from sklearn.datasets import load_digits
        X = torch.tensor(load_digits().data / 16.0)
        T = X[torch.randperm(len(X), generator=g)[:c["images"]]].view(-1, 8, 8)
    else:
        I = c["size"]

        def factor(R, rho):
            common = torch.randn(I, 1, generator=g)
            return math.sqrt(rho) * common + math.sqrt(1 - rho) * torch.randn(I, R, generator=g)

        T = torch.zeros(I, I, I)
        for R, rho, wt in ((c["RL"], c["rho"], 1.0), (c["RS"], 0.0, c.get("s"))):
            if R:
                A, B, C = (factor(R, rho) for _ in range(3))
                T = T + wt * torch.einsum("ir,jr,kr->ijk", A, B, C)
    shape = T.shape
    total = T.numel()
    perm = torch.randperm(total, generator=g)
    m = int(round(c["frac"] * total))

    def unravel(f):
        return torch.stack([f // (shape[1] * shape[2]), (f // shape[2]) % shape[1], f % shape[2]], 1)

    flat = T.reshape(-1)
    y = flat[perm[:m]] + (c.get("noise") or 0.0) * torch.randn(m, generator=g)
    if c.get("spike"):
        hit = torch.rand(m, generator=g) < c["spike"]
        y = y + 3.0 * hit * torch.sign(torch.randn(m, generator=g))
    return shape, unravel(perm[:m]), y, unravel(perm[m:]), flat[perm[m:]]


def cp_predict(F, idx):
    return (F[0][idx[:, 0]] * F[1][idx[:, 1]] * F[2][idx[:, 2]]).sum(1)


def slice_layout(idx, shape):
    """For each mode: where each observed entry goes in a (rows x width) layout of the mode's slices, padded with zeros
    (width the largest count of observed entries in a slice), so a slice's Gram matrix is one batched product."""
    out = []
    for mode in range(3):
        key = idx[:, mode]
        order = torch.sort(key, stable=True).indices
        counts = torch.bincount(key, minlength=shape[mode])
        starts = torch.cumsum(counts, 0) - counts
        pos = torch.empty(len(key), dtype=torch.long)
        pos[order] = key[order] * int(counts.max()) + torch.arange(len(key)) - starts[key[order]]
        out.append((pos, int(counts.max())))
    return out


def als_mode(F, mode, idx, y, layout, lam, mu):
    """The exact update of one factor matrix: each of its rows the minimiser of the squared error of the observed
    entries in its slice plus lam |row|^2 plus mu |row - its current value|^2 (a batch of R x R solves; the slices' Gram
    matrices from the padded layout of slice_layout)."""
    o1, o2 = [q for q in range(3) if q != mode]
    Z = F[o1][idx[:, o1]] * F[o2][idx[:, o2]]
    R, rows = Z.shape[1], F[mode].shape[0]
    pos, width = layout[mode]
    P = torch.zeros(rows * width, R)
    P[pos] = Z
    yp = torch.zeros(rows * width)
    yp[pos] = y
    Pt = P.view(rows, width, R).transpose(1, 2)
    G = Pt @ P.view(rows, width, R) + (lam + mu) * torch.eye(R)
    h = (Pt @ yp.view(rows, width, 1)).squeeze(2)
    return torch.linalg.solve(G, (h + mu * F[mode]).unsqueeze(2)).squeeze(2)


def cp_als(w, run_id, c):
    """A CP (canonical polyadic, PARAFAC) decomposition of rank R, T_ijk ~ sum_r A_ir B_jr C_kr, completed from the
    observed entries of a 3-way tensor, float64: factors from c['init'] times standard normals; objective the sum of
    squared errors of the observed entries plus c['lam'] times the factors' squared norms. Optimizer (c['opt']), one
    epoch one sweep: 'als', alternating least squares, the three factor matrices in turn, each solved exactly row by row
    (als_mode); 'prox', the same with a proximal term c['mu'] |row - current|^2 (regularised ALS, Navasca et al. 2008);
    'ls', ALS with Bro's line search extrapolation (after sweep t the factors moved t^(1/3) times the sweep's change
    from their values before it, kept where the objective is lower than after the plain sweep); 'adam', full-batch Adam
    at c['lr'] on the objective divided by the number of observed entries, one step an epoch. Train loss: the mean
    squared error of the observed (noisy) entries; test loss: the mean squared error of the held-out entries against the
    clean tensor. Data: cp_data. Grid (runs_cp_als; 20 settings, 1-2 seeds, 21 runs): the base 'synth', size 25, RL 3
    large and RS 2 small components at s 0.2, rho 0, 15% observed, noise 0.3, R 8, lam 0.001, init 0.5, ALS, 1,000
    sweeps (2 seeds); one setting at a time R 3, 5 or 16, 8% or 40% observed, noise 0 or 0.6, s 0.05, no small
    components, lam 1 or 10, rho 0.9 (congruent large components, ALS's swamps), proximal ALS at mu 30, line-search
    ALS, Adam at 0.01 (3,000 epochs), size 40, 2% spikes; and digits, 300 images, 30% observed, R 10 and R 30."""
    torch.set_default_dtype(torch.float64)
    g = torch.Generator().manual_seed(109_000 + c["seed"])
    shape, idx, y, idx_t, y_t = cp_data(g, c)
    R, lam, m = c["R"], c["lam"], len(y)
    F = [c["init"] * torch.randn(shape[q], R, generator=g) for q in range(3)]
    layout = slice_layout(idx, shape)

    def objective(F):
        return ((cp_predict(F, idx) - y) ** 2).sum() + lam * sum((f ** 2).sum() for f in F)

    if c["opt"] == "adam":
        for f in F:
            f.requires_grad_()
        opt = torch.optim.Adam(F, lr=c["lr"])
    run = w.run(run_id, R * sum(shape), m, {"family": "cp-rank-%d" % R, "shape": "x".join(str(s) for s in shape)},
                settings(c, ("seed", "data", "size", "RL", "RS", "s", "rho", "images", "frac", "noise", "spike", "R",
                             "lam", "init", "opt", "mu", "lr", "eval"))
                | {"optimizer": c["opt"], "loss": "observed-mse", "test_loss": "heldout-clean-mse"})
    pts = epochs_of(c["eval"], c["epochs"], c["seed"])
    e = 0
    for p in pts:
        while e < p:
            if c["opt"] == "adam":
                opt.zero_grad()
                (objective(F) / m).backward()
                opt.step()
            else:
                old = [f.clone() for f in F]
                for mode in range(3):
                    F[mode] = als_mode(F, mode, idx, y, layout, lam, c.get("mu") or 0.0)
                if c["opt"] == "ls" and e >= 1:
                    step = (e + 1) ** (1 / 3)
                    trial = [o + step * (f - o) for o, f in zip(old, F)]
                    if objective(trial) < objective(F):
                        F = trial
            e += 1
        with torch.no_grad():
            run.log(e, ((cp_predict(F, idx) - y) ** 2).mean(), ((cp_predict(F, idx_t) - y_t) ** 2).mean(),
                    final=e == pts[-1])
    torch.set_default_dtype(torch.float32)


def runs_cp_als():
    base = dict(data="synth", size=25, RL=3, RS=2, s=0.2, rho=0.0, images=None, frac=0.15, noise=0.3, spike=None,
                R=8, lam=0.001, init=0.5, opt="als", mu=None, lr=None, epochs=1000, eval="log:35")
    dig = dict(data="digits", size=None, RL=None, RS=None, s=None, rho=None, images=300, frac=0.3, noise=None)
    return cp_als, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(R=3, eval="every:5"),
        dict(R=5, eval="jitter:35"),
        dict(R=16, eval="log:40"),
        dict(frac=0.08, eval="every:4"),
        dict(frac=0.4, eval="rand:300"),
        dict(noise=0.0, eval="log:30"),
        dict(noise=0.6, eval="every"),
        dict(s=0.05, eval="jitter:30"),
        dict(RS=0, s=None, eval="every:5"),
        dict(lam=1.0, eval="log:35"),
        dict(lam=10.0, eval="every:8"),
        dict(rho=0.9, eval="jitter:35"),
        dict(opt="prox", mu=30.0, eval="every:2"),
        dict(opt="ls", eval="log:35"),
        dict(opt="adam", lr=0.01, epochs=3000, eval="every:10"),
        dict(size=40, eval="jitter:30"),
        dict(spike=0.02, eval="every:3"),
        dict(dig, R=10, eval="log:35"),
        dict(dig, R=30, eval="every:4"),
    ], lambda d: "%s%s-frac%g%s%s-R%d-lam%g-%s%s" % (
        d["data"], "-size%d-RL%d-RS%d-s%g-rho%g" % (d["size"], d["RL"], d["RS"], d["s"] or 0, d["rho"])
        if d["data"] == "synth" else "-images%d" % d["images"], d["frac"],
        "-noise%g" % d["noise"] if d.get("noise") is not None else "",
        "-spike%g" % d["spike"] if d.get("spike") else "",
        d["R"], d["lam"], d["opt"], "-mu%g" % d["mu"] if d.get("mu") else "-lr%g" % d["lr"] if d.get("lr") else ""))


FAMILIES = {"sparse-parity": runs_sparse_parity, "gmm-em": runs_gmm_em, "cp-als": runs_cp_als}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
