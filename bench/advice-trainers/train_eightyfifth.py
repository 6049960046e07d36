#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, eighty-fifth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is federated and communication-limited training, simulated in
one process: clients holding non-identically distributed shares of the training set (a Dirichlet split of the classes,
or of the target's quantile bins), local steps between averagings, FedAvg and FedProx with client sampling and server
momentum, and compressed uplinks (top-k and random-k sparsification, sign compression, with or without error
feedback); the server's (averaged) model is the one evaluated:

- fedprox-dirichlet-mlp: FedAvg / FedProx (McMahan et al. 2017; Li et al. 2020) of a one-hidden-layer ReLU MLP
  classifying scikit-learn's 8 x 8 digits (flattened) over K clients, each class's training images dealt to the
  clients in Dirichlet(alpha) proportions; one communication round an epoch: a share of the clients drawn, each running
  tau local SGD steps on minibatches drawn from its own shard (the proximal term mu / 2 |w - w_server|^2 added for
  FedProx), the server moving by the shard-weighted mean of the clients' changes (with server momentum, FedAvgM, in
  part of the grid). Noise: a share of the training labels flipped, at every client or at some only.
- topk-ef-linreg: distributed full-batch gradient descent on least squares over K workers holding Dirichlet shares
  of the target's quantile bins, each worker's uplink compressed to k of the d coordinates: top-k (largest magnitude) or
  random-k, with error feedback (the dropped part kept and added to the next round's message; Stich, Cordonnier & Jaggi
  2018; Karimireddy et al. 2019) or without (dropped); dense gradient descent as the reference. Data: the two-scale
  linear teacher of train.py (fast features of scale 1 that fit the noise, slow features of a small scale s) or
  scikit-learn's diabetes with its squares and pairwise products (train_thirtythird.py's diabetes_products). Noise:
  Gaussian target noise on the training targets (none in part of the grid).
- ef-signsgd-cnn: sign-compressed distributed SGD of a small convolutional network classifying the digits over K
  clients with Dirichlet shares of the classes: signSGD with majority vote (Bernstein et al. 2018), the mean of the
  clients' signs, and the scaled sign with error feedback (EF-SignSGD, Karimireddy et al. 2019: the l1 norm over the
  size times the sign, per tensor, of the step plus the error), each with or without worker momentum (signum), against
  uncompressed averaged SGD; the clients' gradients in one pass by replicating the weights per client (grouped
  convolutions and batched products). Noise: a share of the training labels flipped.

Train loss: the loss of the server's model on the whole training set at its given (noisy) labels or targets; test
loss: the same loss on held-out points, true labels (the digits), or the held-out patients' progression (the
diabetes), or the two-scale teacher's fresh noisy test points (as train.py's two-scale-linear); error rates: the
misclassified shares (the classifiers only). A run whose loss turns NaN or infinite sends that evaluation as its last
and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer, the command line and two_scale_regression
from train.py, settings from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py,
flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, diabetes_products from train_thirtythird.py,
mlp_params from train_sixtyfifth.py, logger and train_until (train_thirtyninth.py's epoch_loop, with eval_epochs) from
train_seventyfourth.py and digit_images from train_seventysixth.py; one thread, every random draw from a seeded
torch.Generator (splits, Dirichlet proportions, label flips, target noise, initialisations, client draws, minibatches,
random-k coordinates), synthetic event times, 6 significant digits. No planned last epoch is told: the last event's
final marks it.

    /usr/bin/python3 train_eightyfifth.py --family fedprox-dirichlet-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): fedprox-dirichlet-mlp, topk-ef-linreg, ef-signsgd-cnn. Evaluation spacings: train.py's
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
from train import two_scale_regression  # noqa: E402
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtyninth import flip_labels  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_thirtythird import diabetes_products  # noqa: E402
from train_sixtyfifth import mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import digit_images  # noqa: E402  (the digits as 1 x 8 x 8 images, a seeded split)
from train_eightythird import classifier_log  # noqa: E402  (the cross-entropy and misclassified shares)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- clients


def dirichlet_split(g, labels, K, alpha):
    """The shards of K clients: for each label value (in increasing order) its points, in an order drawn from g, cut
    in proportions drawn from Dirichlet(alpha, ..., alpha) (normalised gamma draws from g). Returns the non-empty shards
    (index tensors, increasing) and the number of empty ones."""
    parts = [[] for _ in range(K)]
    for v in torch.unique(labels).tolist():
        idx = torch.nonzero(labels == v).squeeze(1)
        idx = idx[torch.randperm(len(idx), generator=g)]
        p = torch._standard_gamma(torch.full((K,), float(alpha), dtype=F64), generator=g).clamp_min(1e-300)
        cuts = torch.round(torch.cumsum(p / p.sum(), 0) * len(idx)).long().tolist()
        lo = 0
        for k in range(K):
            hi = len(idx) if k == K - 1 else cuts[k]
            parts[k].append(idx[lo:hi])
            lo = max(lo, hi)
    shards = [torch.sort(torch.cat(p)).values for p in parts]
    full = [s for s in shards if len(s) > 0]
    return full, K - len(full)


class Clients:
    """The non-empty shards as a padded index table, and minibatches drawn from them: for each client (of 'sel') and
    slot, a point of its own shard uniformly at random (with replacement), from g."""

    def __init__(self, shards):
        self.nk = torch.tensor([len(s) for s in shards])
        self.table = torch.zeros(len(shards), int(self.nk.max()), dtype=torch.long)
        for k, s in enumerate(shards):
            self.table[k, :len(s)] = s
        self.K = len(shards)

    def draw(self, g, sel, *shape):
        nk = self.nk[sel].double().view(-1, *[1] * len(shape))
        loc = torch.floor(torch.rand(len(sel), *shape, generator=g, dtype=F64) * nk).long()
        loc = torch.minimum(loc, (nk.long() - 1).expand_as(loc))
        return torch.gather(self.table[sel], 1, loc.reshape(len(sel), -1)).reshape(loc.shape)


def noisy_client_labels(g, y, shards, K, c):
    """The training labels with a share flip flipped (flip_labels) at the first round(noisy K) of the non-empty
    clients (all where noisy is not set)."""
    if not c.get("flip"):
        return y
    m = len(shards) if c.get("noisy") is None else int(round(c["noisy"] * len(shards)))
    yn = flip_labels(g, y, K, c["flip"])
    hit = torch.zeros(len(y), dtype=torch.bool)
    for s in shards[:m]:
        hit[s] = True
    return torch.where(hit, yn, y)


# ---------------------------------------------------------------------------------------------------- fedprox-dirichlet-mlp


def fedprox_dirichlet_mlp(w, run_id, c):
    """FedAvg / FedProx of a 64 -> hid (ReLU) -> 10 MLP on the digits, float32. Data (from the run's generator):
    digit_images (n training, 'test' held-out images), flattened; the training images dealt to K clients by
    dirichlet_split of their true classes at alpha; a share flip of the labels flipped at the first round(noisy K)
    clients (all where noisy is not set). Model: mlp_params (U(+-1 / sqrt(fan-in)) from the run's generator). One
    communication round an epoch: round(frac K') of the K' non-empty clients drawn (a randperm from the run's
    generator; all where frac is 1), each starting from the server's weights and taking tau plain SGD steps at lr on
    minibatches of batch drawn from its shard with replacement, on the cross-entropy plus mu / 2 times the squared
    distance from the server's weights (FedProx; FedAvg at mu 0); the server's change delta the mean of the clients'
    changes weighted by their shard sizes, its momentum buffer v = beta v + delta (FedAvgM; beta 0 plain FedAvg), its
    weights moved by slr v. The clients' steps taken together (their weights stacked, batched products). Train loss:
    the cross-entropy of the server's model on all training images at their given labels; test loss: the same on the
    held-out images, true labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(851_000 + c["seed"])
    x, y, xt, yt = digit_images(g, c)
    x, xt = x.flatten(1), xt.flatten(1)
    shards, empty = dirichlet_split(g, y, c["K"], c["alpha"])
    yn = noisy_client_labels(g, y, shards, 10, c)
    cl = Clients(shards)
    server = [q.detach() for q in mlp_params(g, [64, c["hid"], 10], F32)]
    vel = [torch.zeros_like(q) for q in server]
    m = max(1, int(round(c["frac"] * cl.K)))
    mu, tau, b = c.get("mu") or 0.0, c["tau"], c["batch"]

    def forward(z, ps=None):
        W1, b1, W2, b2 = server if ps is None else ps
        return torch.relu(z @ W1 + b1) @ W2 + b2

    def step(idx):
        sel = torch.arange(cl.K) if m == cl.K else torch.sort(torch.randperm(cl.K, generator=g)[:m]).values
        loc = [q.unsqueeze(0).repeat(m, *[1] * q.dim()).requires_grad_() for q in server]
        for _ in range(tau):
            bi = cl.draw(g, sel, b)
            W1, b1, W2, b2 = loc
            out = torch.relu(torch.bmm(x[bi], W1) + b1[:, None, :])
            out = torch.bmm(out, W2) + b2[:, None, :]
            obj = fn.cross_entropy(out.reshape(-1, 10), yn[bi].reshape(-1)) * m  # the sum of the clients' means
            if mu:
                obj = obj + 0.5 * mu * sum(((p - q.unsqueeze(0)) ** 2).sum() for p, q in zip(loc, server))
            grads = torch.autograd.grad(obj, loc)
            with torch.no_grad():
                for p, gr in zip(loc, grads):
                    p -= c["lr"] * gr
        wk = cl.nk[sel].float() / float(cl.nk[sel].sum())
        with torch.no_grad():
            for i, (p, q) in enumerate(zip(loc, server)):
                delta = ((p - q.unsqueeze(0)) * wk.view(-1, *[1] * q.dim())).sum(0)
                vel[i] = (c.get("beta") or 0.0) * vel[i] + delta
                server[i] = q + (c.get("slr") or 1.0) * vel[i]

    run = w.run(run_id, count(server), len(y), {"family": "mlp", "hidden": c["hid"], "depth": 1, "activation": "relu"},
                settings(c, ("seed", "n", "flip", "noisy", "K", "alpha", "frac", "tau", "batch", "lr", "mu", "beta",
                             "slr", "hid", "eval"))
                | {"optimizer": ("fedprox" if mu else "fedavg") + ("-server-momentum" if c.get("beta") else ""),
                   "local_optimizer": "sgd", "split": "dirichlet-classes", "empty_clients": str(empty),
                   "evaluated": "server-model", "noise": "uniform-other-class" if c.get("flip") else "none",
                   "loss": "cross-entropy", "test_loss": "heldout-ce-true-labels", "error": "misclassified",
                   "test_size": str(len(yt))}, output_dim=10)
    train_until(g, len(y), dict(c, batch=None), step, classifier_log(run, forward, x, yn, xt, yt, fn.cross_entropy))


def runs_fedprox_dirichlet_mlp():
    # The logic: 500 digits, 30% of their labels flipped, dealt to 10 clients by a Dirichlet split of the classes at
    # alpha 0.5 (most clients hold a few classes); an MLP 64 -> 64 -> 10 (4,810 weights, ten a label, so the server's
    # model can come to fit the flips) under FedAvg, every client each round, 20 local SGD steps at 0.3 on minibatches
    # of 10 drawn from its shard, 150 rounds (one an epoch): the averaged model learns the clean classes first and then
    # memorises the flipped labels, the held-out cross-entropy rising as it does; the client drift of the non-iid split
    # slows and bends that. One thing at a time besides: alpha 0.1 and 100 (nearly iid), FedProx at mu 0.01 and 0.1
    # (and 0.1 at alpha 0.1), 5 and 60 local steps, a third of the clients a round, server momentum 0.9 (server step
    # 0.3), clean labels and 50% flipped, the flips at half the clients only (at 60%), 30 clients, width 256, local step
    # 0.1 and 300 training images. Evaluation spacing mixed.
    base = dict(n=500, test=600, flip=0.3, noisy=None, K=10, alpha=0.5, frac=1.0, tau=20, batch=10, lr=0.3, mu=None,
                beta=None, slr=None, hid=64, epochs=150, eval="every")
    return fedprox_dirichlet_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(alpha=0.1, eval="every:2"),
        dict(alpha=100.0, eval="jitter:30"),
        dict(mu=0.01, eval="every"),
        dict(mu=0.1, eval="every:3"),
        dict(mu=0.1, alpha=0.1, eval="every"),
        dict(tau=5, eval="log:30"),
        dict(tau=60, epochs=60, eval="every"),
        dict(frac=0.3, eval="geom:2"),
        dict(beta=0.9, slr=0.3, eval="every:2"),
        dict(flip=None, eval="every"),
        dict(flip=0.5, eval="mixed:30:3"),
        dict(flip=0.6, noisy=0.5, eval="every"),
        dict(K=30, eval="burst:10:4"),
        dict(hid=256, eval="every:2"),
        dict(lr=0.1, eval="mixlog:20:30"),
        dict(n=300, eval="every"),
        dict(alpha=0.1, frac=0.3, eval="rand:60"),
    ], lambda d: "digits-n%d%s%s-K%d-alpha%g%s-tau%d-b%d-lr%g%s%s-mlp%d" % (
        d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean",
        "-noisy%g" % d["noisy"] if d.get("noisy") else "", d["K"], d["alpha"],
        "-frac%g" % d["frac"] if d["frac"] < 1 else "", d["tau"], d["batch"], d["lr"],
        "-fedprox%g" % d["mu"] if d.get("mu") else "-fedavg", "-beta%g-slr%g" % (d["beta"], d["slr"])
        if d.get("beta") else "", d["hid"]))


# ---------------------------------------------------------------------------------------------------- topk-ef-linreg


def compress(g, P, comp, k):
    """The columns of P (one a worker) compressed to k of their d coordinates: 'topk' the k largest in magnitude,
    'randk' k drawn at random from g (unscaled), 'none' all."""
    if comp == "none":
        return P
    d, K = P.shape
    if comp == "topk":
        idx = torch.topk(P.abs(), k, dim=0).indices
    else:
        idx = torch.argsort(torch.rand(d, K, generator=g, dtype=F64), dim=0)[:k]
    mask = torch.zeros_like(P).scatter_(0, idx, 1.0)
    return P * mask


def topk_ef_linreg(w, run_id, c):
    """Distributed full-batch gradient descent on least squares with compressed uplinks, float64. Data (from the run's
    generator): 'synth' train.py's two_scale_regression (df features of scale 1 and ds of scale s, a fast part of
    power F and a slow one of power S at unit scale, Gaussian noise 'noise' on the n training and 2,000 fresh test
    targets); 'diabetes' diabetes_products (the 55 standardised squares and products at scale 1, the 10 columns at
    scale s; n training patients, the rest held out), Gaussian noise 'noise' added to the training targets. The
    training points dealt to K workers by dirichlet_split of the training targets' quintile bins at alpha. One round
    an epoch: worker k's gradient g_k = X_k^T (X_k w - y_k) / n_k; its message p_k = eta g_k + e_k (eta lr over the
    largest eigenvalue of X^T X / n), sent as C(p_k) (compress: 'topk' or 'randk' keeping round(kf d) coordinates,
    'none' dense), e_k = p_k - C(p_k) with error feedback ('ef' true) or 0 without; the server moves w by minus the
    sum of n_k / n C(p_k). Train loss: the mean squared error on the training targets (noisy); test loss: the same on
    the test points (fresh noisy ones; the held-out patients' progression on the diabetes); no error rates."""
    g = torch.Generator().manual_seed(852_000 + c["seed"])
    if c["data"] == "diabetes":
        X, Y, tr, te = diabetes_products(g, c["n"], c["s"], F64)
        x, y, xt, yt = X[tr], Y[tr].clone(), X[te], Y[te]
        if c.get("noise"):
            y = y + c["noise"] * torch.randn(len(y), generator=g, dtype=F64)
    else:
        x, y, xt, yt = (z.double() for z in two_scale_regression(g, c))
    n, d = x.shape
    bins = torch.bucketize(y, torch.quantile(y, torch.tensor([0.2, 0.4, 0.6, 0.8], dtype=F64)))
    shards, empty = dirichlet_split(g, bins, c["K"], c["alpha"])
    K = len(shards)
    A = torch.zeros(n, K, dtype=F64)  # A[i, k] = 1 / n_k for the points of worker k
    for k, s in enumerate(shards):
        A[s, k] = 1.0 / len(s)
    wk = torch.tensor([len(s) / n for s in shards], dtype=F64)
    eta = c["lr"] / float(torch.linalg.eigvalsh(x.T @ x / n)[-1])
    kk = d if c["comp"] == "none" else max(1, int(round(c["kf"] * d)))
    st = {"w": torch.zeros(d, dtype=F64), "e": torch.zeros(d, K, dtype=F64)}

    def step(idx):
        r = x @ st["w"] - y
        P = eta * (x.T @ (r[:, None] * A)) + st["e"]
        C = compress(g, P, c["comp"], kk)
        if c.get("ef"):
            st["e"] = P - C
        st["w"] = st["w"] - C @ wk

    run = w.run(run_id, d, n, {"family": "linear", "features": d, "data": c["data"]},
                settings(c, ("seed", "data", "n", "df", "ds", "s", "F", "S", "noise", "K", "alpha", "comp", "kf", "ef",
                             "lr", "eval"))
                | {"optimizer": "distributed-gd-" + c["comp"] + ("-error-feedback" if c.get("ef") else ""),
                   "coordinates_sent": "%d/%d" % (kk, d), "split": "dirichlet-target-quintiles",
                   "workers_nonempty": str(K), "empty_clients": str(empty), "evaluated": "server-model",
                   "loss": "mse", "test_loss": "heldout-mse" if c["data"] == "diabetes" else "fresh-noisy-mse",
                   "test_size": str(len(yt))})
    log_ = logger(run)

    def log(e, final):
        log_(e, ((x @ st["w"] - y) ** 2).mean(), ((xt @ st["w"] - yt) ** 2).mean(), final=final)

    train_until(g, n, dict(c, batch=None), step, log)


def runs_topk_ef_linreg():
    # The logic: train.py's two-scale teacher, 200 points, 150 fast features of scale 1 and 20 slow ones of scale 0.05
    # (170 weights), fast and slow parts of power 3 each, noise 0.5: full-batch gradient descent fits the fast part
    # and the noise within hundreds of rounds (the test error rising) and learns the slow part about ten times later
    # (falling again). The points dealt to 8 workers by a Dirichlet split (alpha 0.3) of the targets' quintiles, each
    # worker's message top-k with error feedback at 10% of the coordinates, step 0.5 over the largest eigenvalue, 20,000
    # rounds. Top-k drops the slow features' small gradient entries round after round; error feedback keeps them and
    # sends them once they add up, without it they are lost. One thing at a time besides: dense, top-k without error
    # feedback, random-k with and without it, 2% and 30% of the coordinates, alpha 0.05 and 100, no noise and noise 1,
    # no slow part (S 0), 32 workers, the step 0.9; the diabetes with its products (80 patients, the 10 columns at scale
    # 0.1) dense, top-k with and without error feedback, and with noise 0.5 added to the training targets; 2,000 rounds
    # every epoch (top-k with error feedback) and every 2nd (dense). Evaluation spacing mostly logarithmic.
    base = dict(data="synth", n=200, df=150, ds=20, s=0.05, F=3.0, S=3.0, noise=0.5, K=8, alpha=0.3, comp="topk",
                kf=0.1, ef=True, lr=0.5, epochs=20000, eval="log:35")
    syn = dict(df=None, ds=None, F=None, S=None)
    return topk_ef_linreg, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(comp="none", kf=None, ef=None, eval="log:40"),
        dict(ef=False, eval="log:35"),
        dict(comp="randk", eval="jitter:35"),
        dict(comp="randk", ef=False, eval="log:30"),
        dict(kf=0.02, eval="geom:40"),
        dict(kf=0.3, eval="log:35"),
        dict(alpha=0.05, eval="log:35"),
        dict(alpha=100.0, eval="mixlog:30:35"),
        dict(noise=0.0, eval="log:35"),
        dict(noise=1.0, eval="log:40"),
        dict(S=0.0, eval="log:35"),
        dict(K=32, eval="jitter:30"),
        dict(lr=0.9, eval="log:35"),
        dict(data="diabetes", n=80, noise=None, comp="none", kf=None, ef=None, eval="log:35", **syn),
        dict(data="diabetes", n=80, noise=None, eval="burst:200:30", **syn),
        dict(data="diabetes", n=80, noise=None, ef=False, eval="log:35", **syn),
        dict(data="diabetes", n=80, noise=0.5, eval="rand:80", **syn),
        dict(epochs=2000, eval="every"),
        dict(comp="none", kf=None, ef=None, epochs=2000, eval="every:2"),
    ], lambda d: "%s-n%d%s-noise%g-K%d-alpha%g-%s%s%s-lr%g" % (
        d["data"], d["n"], "-S%g" % d["S"] if d["data"] == "synth" else "", d.get("noise") or 0, d["K"], d["alpha"],
        d["comp"], "%g" % d["kf"] if d.get("kf") else "", "-ef" if d.get("ef") else "-noef" if d["comp"] != "none"
        else "", d["lr"]))


# ---------------------------------------------------------------------------------------------------- ef-signsgd-cnn


def ef_signsgd_cnn(w, run_id, c):
    """Sign-compressed distributed SGD of a small CNN on the digits, float32. Data (from the run's generator):
    digit_images (n training, 'test' held-out images); the training images dealt to K clients by dirichlet_split of
    their true classes at alpha; a share flip of the labels flipped (flip_labels). Model: a 3 x 3 convolution 1 -> ch
    channels (padding 1), ReLU, 2 x 2 max pooling, a linear readout of the 16 ch features to 10 logits; U(+-1 /
    sqrt(fan-in)) from the run's generator. Every round each non-empty client draws a minibatch of batch from its shard
    (with replacement, from the run's generator) and takes the gradient of its mean cross-entropy at the server's
    weights (all clients in one pass: the weights replicated per client, a grouped convolution and batched products);
    m_k = beta m_k + g_k (worker momentum; beta 0: m_k = g_k). 'none': the server steps by -lr mean_k m_k; 'sign-mv':
    -lr sign(sum_k sign(m_k)) (majority vote); 'sign-avg': -lr mean_k sign(m_k); 'ef-sign': p_k = lr m_k + e_k, sent as
    C(p_k) = (|p_k|_1 / size) sign(p_k) per tensor, e_k = p_k - C(p_k), the server stepping by -mean_k C(p_k). An epoch
    is ceil(n / (K' batch)) rounds (K' the non-empty clients). Train loss: the cross-entropy of the server's model on all
    training images at their given labels; test loss: the same on the held-out images, true labels; error rates: the
    misclassified shares."""
    g = torch.Generator().manual_seed(853_000 + c["seed"])
    x, y, xt, yt = digit_images(g, c)
    shards, empty = dirichlet_split(g, y, c["K"], c["alpha"])
    yn = flip_labels(g, y, 10, c.get("flip"))
    cl = Clients(shards)
    K, ch, b = cl.K, c["ch"], c["batch"]
    server = [uniform(g, 9, ch, 1, 3, 3), uniform(g, 9, ch), uniform(g, 16 * ch, 16 * ch, 10), uniform(g, 16 * ch, 10)]
    mom = [torch.zeros(K, *q.shape) for q in server]
    err = [torch.zeros(K, *q.shape) for q in server]
    rounds = -(-len(y) // (K * b))
    sel = torch.arange(K)

    def forward(z):
        W1, b1, Wo, bo = server
        z = fn.max_pool2d(torch.relu(fn.conv2d(z, W1, b1, padding=1)), 2).flatten(1)
        return z @ Wo + bo

    def client_grads(bi):
        loc = [q.unsqueeze(0).repeat(K, *[1] * q.dim()).requires_grad_() for q in server]
        W1, b1, Wo, bo = loc
        z = x[bi].reshape(K, b, 8, 8).transpose(0, 1)  # (b, K, 8, 8): client k's images in channel k
        z = fn.conv2d(z, W1.reshape(K * ch, 1, 3, 3), b1.reshape(-1), padding=1, groups=K)
        z = fn.max_pool2d(torch.relu(z), 2).reshape(b, K, ch * 16).transpose(0, 1)  # (K, b, 16 ch)
        out = torch.bmm(z, Wo) + bo[:, None, :]
        obj = fn.cross_entropy(out.reshape(-1, 10), yn[bi].reshape(-1)) * K
        return torch.autograd.grad(obj, loc)

    def step(idx):
        for _ in range(rounds):
            grads = client_grads(cl.draw(g, sel, b))
            with torch.no_grad():
                for i, gr in enumerate(grads):
                    mom[i] = (c.get("beta") or 0.0) * mom[i] + gr
                    m = mom[i]
                    if c["comp"] == "none":
                        upd = c["lr"] * m.mean(0)
                    elif c["comp"] == "sign-mv":
                        upd = c["lr"] * torch.sign(torch.sign(m).sum(0))
                    elif c["comp"] == "sign-avg":
                        upd = c["lr"] * torch.sign(m).mean(0)
                    else:
                        p = c["lr"] * m + err[i]
                        scale = p.abs().reshape(K, -1).mean(1).view(-1, *[1] * (p.dim() - 1))
                        C = scale * torch.sign(p)
                        err[i] = p - C
                        upd = C.mean(0)
                    server[i] = server[i] - upd

    run = w.run(run_id, count(server), len(y), {"family": "cnn", "channels": ch, "conv_layers": 1, "pooling": "max"},
                settings(c, ("seed", "n", "flip", "K", "alpha", "comp", "beta", "lr", "batch", "ch", "eval"))
                | {"optimizer": {"none": "distributed-sgd", "sign-mv": "signsgd-majority-vote",
                                 "sign-avg": "signsgd-mean", "ef-sign": "ef-signsgd-scaled"}[c["comp"]]
                   + ("-worker-momentum" if c.get("beta") else ""),
                   "uplink_bits_per_weight": "32" if c["comp"] == "none" else "1",
                   "split": "dirichlet-classes", "empty_clients": str(empty), "rounds_per_epoch": str(rounds),
                   "evaluated": "server-model", "noise": "uniform-other-class" if c.get("flip") else "none",
                   "loss": "cross-entropy", "test_loss": "heldout-ce-true-labels", "error": "misclassified",
                   "test_size": str(len(yt))}, output_dim=10)
    train_until(g, len(y), dict(c, batch=None), step, classifier_log(run, forward, x, yn, xt, yt, fn.cross_entropy))


def runs_ef_signsgd_cnn():
    # The logic: 300 digits, 25% of their labels flipped, dealt to 8 clients by a Dirichlet split of the classes at
    # alpha 0.3; a CNN of 8 channels and a linear readout (1,370 weights, four a label) trained from the clients'
    # minibatches of 10 (4 rounds an epoch), 120 epochs. EF-SignSGD at 0.3 (the scaled sign with error feedback) at the
    # base: it follows SGD's path closely and fits the flips late; plain signSGD (majority vote, mean of signs) moves
    # every weight by the step whatever its gradient, biased on non-iid shards, so it fits differently and hovers; the
    # uncompressed mean as the reference. Error feedback at 2 seeds, uncompressed SGD at 0.3, majority vote and mean
    # of signs at 0.01 and with worker momentum 0.9 (signum, at 0.003), error feedback with momentum 0.9 (at 0.03), the
    # step 0.1 and 1, alpha 0.05 and 100, clean and 45% flipped labels, 16 channels, minibatches of 32, 20 clients;
    # majority vote at 0.003 and uncompressed SGD at alpha 0.05. Evaluation spacing mixed.
    base = dict(n=300, test=600, flip=0.25, K=8, alpha=0.3, comp="ef-sign", beta=None, lr=0.3, batch=10, ch=8,
                epochs=120, eval="every")
    return ef_signsgd_cnn, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(comp="none", eval="every:2"),
        dict(comp="sign-mv", lr=0.01, eval="every"),
        dict(comp="sign-mv", lr=0.003, beta=0.9, eval="jitter:30"),
        dict(comp="sign-avg", lr=0.01, eval="every:3"),
        dict(comp="sign-avg", lr=0.003, beta=0.9, eval="every"),
        dict(beta=0.9, lr=0.03, eval="geom:2"),
        dict(lr=0.1, eval="every"),
        dict(lr=1.0, eval="every:2"),
        dict(alpha=0.05, eval="mixed:20:3"),
        dict(alpha=100.0, eval="every"),
        dict(flip=None, eval="log:30"),
        dict(flip=0.45, eval="every:2"),
        dict(ch=16, eval="burst:10:4"),
        dict(batch=32, eval="every"),
        dict(K=20, eval="mixlog:20:30"),
        dict(comp="sign-mv", lr=0.003, eval="rand:50"),
        dict(comp="none", alpha=0.05, eval="every"),
    ], lambda d: "digits-n%d%s-K%d-alpha%g-%s%s-lr%g-b%d-cnn%d" % (
        d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", d["K"], d["alpha"], d["comp"],
        "-mom%g" % d["beta"] if d.get("beta") else "", d["lr"], d["batch"], d["ch"]))


FAMILIES = {"fedprox-dirichlet-mlp": runs_fedprox_dirichlet_mlp, "topk-ef-linreg": runs_topk_ef_linreg,
            "ef-signsgd-cnn": runs_ef_signsgd_cnn}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
