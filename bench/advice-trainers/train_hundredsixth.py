#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-sixth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is ordinal and censored targets: a real target of
scikit-learn's data cut into ordered classes, or a real (or synthetic) event time censored at random, fitted by a
likelihood made for it, linear or MLP heads, Adam, SGD or RMSprop, label noise or heavy censoring in part of the grid,
the test loss the same likelihood on held-out points:

- cumlink-ordinal-mlp: a cumulative-logit (proportional-odds) model, P(y <= k | x) = F(theta_k - f(x)) with F the
  logistic (the normal in 1 run) and ordered thresholds theta_1 < ... < theta_{K-1} (the first free, the gaps
  softplus of free parameters), the score f a linear map or a ReLU (tanh) MLP; scikit-learn's diabetes progression
  cut into K classes at the training targets' quantiles (or the breast cancer's mean area, from the 21 columns that
  are not a radius, perimeter or area); a share of the training labels moved to a neighbouring class (or to any other
  class). Loss: the ordinal negative log-likelihood -log(F(theta_y - f) - F(theta_{y-1} - f)); error rates: the shares
  whose most likely class is not the label.
- dtime-hazard-net: a discrete-time hazard network: the observed times cut into J intervals at the training times'
  quantiles, the network giving J hazard logits l_j(x) (a linear map, an MLP, or 'prop' an MLP score plus J
  intercepts), the hazard h_j the logistic of l_j (the grouped-time proportional-hazards 1 - exp(-exp(l_j)) in
  'cloglog'); scikit-learn's diabetes progression taken as the event time, censored at random by exponential
  censoring times of a mean solved for a censoring share (a synthetic Weibull proportional-hazards time of Gaussian
  inputs in 2 runs). Loss: the negative log-likelihood of the discrete time, sum over the intervals up to the observed
  one of -log(1 - h_j), plus -log h_k for an event in interval k (pycox's logistic-hazard loss, log(1 - h_k) for a
  censored point); noise: log-normal jitter of the training event times (before censoring), or a share of the
  training event indicators flipped.
- cox-breslow-mlp: a Cox proportional-hazards model, log risk f(x) a linear map or a ReLU (tanh) MLP, trained on
  the negative log partial likelihood with Breslow's ties over the number of events (full batch, or on minibatches
  with the risk sets inside the batch in 1 run); scikit-learn's breast cancer's 30 columns as covariates under
  synthetic Weibull proportional-hazards times of a teacher risk (a random linear part on three columns, a product of
  two and a tanh of a third), censored at random; scikit-learn's diabetes progression as the event time in 3 runs and
  Gaussian inputs under a sum of random sine waves in 2. Noise as in dtime-hazard-net.

The survival families send as error rates the discordant share of Harrell's comparable pairs (1 - C-index; ties in
the risk count half): pairs of a point with an observed event and one with a longer observed time, the first not given
the higher risk (the hazard network's risk minus its expected number of intervals survived). Every test loss is the
training loss's own likelihood on held-out points (their clean labels, their clean times under the same random
censoring; the Cox partial likelihood over the held-out points' own risk sets). A run whose loss turns NaN or infinite
sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, take and flip_labels from train_thirtyninth.py, count from
train_fortyeighth.py, mlp_params and mlp from train_sixtyfifth.py and logger and train_until from
train_seventyfourth.py; one thread, every random draw from a seeded torch.Generator (splits, label moves, censoring
times, Weibull times, noise, initialisations, minibatches), float64, synthetic event times, 6 significant digits. No
planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_hundredsixth.py --family cumlink-ordinal-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): cumlink-ordinal-mlp, dtime-hazard-net, cox-breslow-mlp. Evaluation spacings: train.py's
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
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F64 = torch.float64
AREA_LIKE = (0, 2, 3, 10, 12, 13, 20, 22, 23)  # the breast cancer's radius, perimeter and area columns


# ---------------------------------------------------------------------------------------------------- shared parts


def real_target(g, data, n):
    """(x, t, xt, tt) float64: scikit-learn's diabetes (10 columns, the progression as t) or 'cancer-area' (the
    breast cancer's 21 columns that are no radius, perimeter or area, its mean area as t), split at random (g) into n
    training points and the rest, the inputs standardised on the training points."""
    from sklearn.datasets import load_breast_cancer, load_diabetes
    if data == "diabetes":
        xs, ts = load_diabetes(return_X_y=True)
        X, T = torch.tensor(xs, dtype=F64), torch.tensor(ts, dtype=F64)
    else:
        xs, _ = load_breast_cancer(return_X_y=True)
        X = torch.tensor(xs, dtype=F64)
        T = X[:, 3].clone()
        X = X[:, [j for j in range(X.shape[1]) if j not in AREA_LIKE]]
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:n], perm[n:]
    X = (X - X[tr].mean(0)) / X[tr].std(0)
    return X[tr], T[tr], X[te], T[te]


def make_opt(c, params):
    """Adam, SGD (heavy-ball momentum mom where set; 'gd' the same on the whole set) or RMSprop at lr, L2 weight decay
    wd (coupled) where set."""
    wd = c.get("wd") or 0.0
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"], weight_decay=wd)
    if c["opt"] == "rmsprop":
        return torch.optim.RMSprop(params, lr=c["lr"], weight_decay=wd)
    return torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0, weight_decay=wd)


def head(g, c, d, out):
    """(params, forward): a linear map d -> out ('linear') or an MLP d -> hid (x depth, ReLU or tanh) -> out, float64,
    U(+-1 / sqrt(fan-in)) from g."""
    sizes = [d, out] if c["model"] == "linear" else [d] + [c["hid"]] * c["depth"] + [out]
    params = mlp_params(g, sizes, F64)
    act = torch.tanh if c.get("act") == "tanh" else torch.relu
    return params, lambda z: mlp(params, z, act)


def weibull_data(g, c, x_all):
    """Synthetic proportional-hazards event times for the rows of x_all: T = (E exp(-r(x)))^(1 / 1.5), E ~ Exp(1),
    the log risk r standardised to sd 'beta' over the rows; r the teacher of 'cancer' (0.7 N(0, 1) weights on three
    random columns, plus x_a x_b / 2 and tanh(2 x_c) of three others) or of 'synth' (a sum of 4 random sine waves
    sin(w . x + p), w N(0, I / d))."""
    d = x_all.shape[1]
    if c["data"] == "cancer":
        cols = torch.randperm(d, generator=g)[:6]
        beta = 0.7 * torch.randn(3, generator=g, dtype=F64)
        r = x_all[:, cols[:3]] @ beta + 0.5 * x_all[:, cols[3]] * x_all[:, cols[4]] + torch.tanh(2 * x_all[:, cols[5]])
    else:
        W = torch.randn(d, 4, generator=g, dtype=F64) / math.sqrt(d)
        P = 2 * math.pi * torch.rand(4, generator=g, dtype=F64)
        r = torch.sin(x_all @ W + P).sum(1)
    r = c["beta"] * (r - r.mean()) / r.std()
    E = -torch.log(torch.rand(len(r), generator=g, dtype=F64))
    return (E * torch.exp(-r)) ** (1 / 1.5)


def survival_data(g, c):
    """(x, z, delta, xt, zt, deltat): event times T of 'diabetes' (the progression, inputs standardised on the n
    training patients, the rest held out), 'cancer' (the breast cancer's 30 columns standardised on the n training
    patients, Weibull times of its teacher, the rest held out) or 'synth' (inputs N(0, I_d), n training and 'test'
    held-out points, Weibull times of its teacher); the training times times exp(tnoise N(0, 1)) where tnoise is set;
    censoring times C ~ Exp(mean s), s solved by bisection so that the mean over all points of P(C < T) is cens (no
    censoring where cens is not set); z = min(T, C), delta = [T <= C]; a share sflip of the training deltas flipped;
    all from g."""
    n = c["n"]
    if c["data"] == "diabetes":
        x, T, xt, Tt = real_target(g, "diabetes", n)
    else:
        if c["data"] == "cancer":
            from sklearn.datasets import load_breast_cancer
            X = torch.tensor(load_breast_cancer(return_X_y=True)[0], dtype=F64)
            perm = torch.randperm(len(X), generator=g)
            X = X[perm]
            X = (X - X[:n].mean(0)) / X[:n].std(0)
        else:
            X = torch.randn(n + c["test"], c["d"], generator=g, dtype=F64)
        T_all = weibull_data(g, c, X)
        x, T, xt, Tt = X[:n], T_all[:n], X[n:], T_all[n:]
    if c.get("tnoise"):
        T = T * torch.exp(c["tnoise"] * torch.randn(len(T), generator=g, dtype=F64))
    both = torch.cat([T, Tt])
    if c.get("cens"):
        lo, hi = 1e-6 * float(both.mean()), 1e6 * float(both.mean())
        for _ in range(200):
            s = math.sqrt(lo * hi)
            if float((1 - torch.exp(-both / s)).mean()) > c["cens"]:
                lo = s
            else:
                hi = s
        C = -s * torch.log(torch.rand(len(both), generator=g, dtype=F64))
    else:
        C = torch.full_like(both, math.inf)
    zall, dall = torch.minimum(both, C), (both <= C).long()
    z, zt, delta, deltat = zall[:n], zall[n:], dall[:n], dall[n:]
    delta = flip_labels(g, delta, 2, c.get("sflip"))
    return x, z, delta, xt, zt, deltat


def discordant(z, delta):
    """1 - Harrell's C-index as a function of the risks: among the pairs (i, j) with z_i < z_j and an event at i (found
    once), the share where risk_i is not above risk_j (ties in the risk count half); 0.5 where no pair is comparable."""
    i, j = torch.nonzero((z[:, None] < z[None, :]) & (delta[:, None] == 1), as_tuple=True)

    def share(risk):
        if len(i) == 0:
            return 0.5
        a, b = risk[i], risk[j]
        return 1 - float((a > b).sum() + 0.5 * (a == b).sum()) / len(i)
    return share


def survival_tags(c):
    return {"censoring": "exponential-share-%g" % c["cens"] if c.get("cens") else "none",
            "event_time": {"diabetes": "diabetes-progression", "cancer": "weibull-ph-cancer-teacher",
                           "synth": "weibull-ph-sine-teacher"}[c["data"]],
            "error": "discordant-pairs", "full_batch": "false" if c.get("batch") else "true"}


# ------------------------------------------------------------------------------------------------ cumlink-ordinal-mlp


def ordinal_noise(g, y, K, share, kind):
    """A share of the labels moved: 'adjacent' one class up or down (a fair coin; reflected at the ends), 'uniform'
    to another class at random (flip_labels)."""
    if not share:
        return y
    if kind == "uniform":
        return flip_labels(g, y, K, share)
    hit = torch.rand(len(y), generator=g) < share
    step = torch.where(torch.rand(len(y), generator=g) < 0.5, -1, 1)
    moved = y + step
    moved = torch.where(moved < 0, y + 1, torch.where(moved > K - 1, y - 1, moved))
    return torch.where(hit, moved, y)


def cumlink_ordinal_mlp(w, run_id, c):
    """A cumulative-link ordinal model (see the module's docstring), float64. Data (from the run's generator):
    real_target, the target cut into K classes at the training targets' quantiles (k / K), the held-out targets cut at
    the same points; ordinal_noise on the training labels. Thresholds: theta_1 = a, theta_k = a + sum of softplus(b_j),
    started at the logistic (or normal) quantiles of k / K. Loss: the mean negative log-likelihood of the labels, the
    class probabilities clamped at 1e-300. Optimizer: make_opt on minibatches of batch (the whole set where batch is
    None). Train loss: the loss on the training points at their given labels; test loss: the same on the held-out
    points at their true classes; error rates: the shares whose most likely class is not the label."""
    g = torch.Generator().manual_seed(1_061_000 + c["seed"])
    x, t, xt, tt = real_target(g, c["data"], c["n"])
    K = c["K"]
    cuts = torch.quantile(t, torch.arange(1, K, dtype=F64) / K)
    y, yt = torch.bucketize(t, cuts, right=True), torch.bucketize(tt, cuts, right=True)
    yn = ordinal_noise(g, y, K, c.get("noise"), c.get("nkind"))
    n, d = x.shape
    params, f = head(g, c, d, 1)
    q = torch.arange(1, K, dtype=F64) / K
    start = torch.special.ndtri(q) if c["link"] == "probit" else torch.log(q / (1 - q))
    gaps = start[1:] - start[:-1]
    a = start[:1].clone().requires_grad_()
    b = torch.log(torch.expm1(gaps)).requires_grad_()
    cdf = torch.special.ndtr if c["link"] == "probit" else torch.sigmoid
    opt = make_opt(c, params + [a, b])

    def probs(z):
        theta = torch.cat([a, a + torch.cumsum(fn.softplus(b), 0)])
        cum = cdf(theta[None, :] - f(z))
        ones = torch.ones(len(z), 1, dtype=F64)
        return torch.cat([cum, ones], 1) - torch.cat([0 * ones, cum], 1)

    def nll(p, lab):
        return -torch.log(p.gather(1, lab[:, None]).clamp_min(1e-300)).mean()

    def step(idx):
        opt.zero_grad()
        nll(probs(take(x, idx)), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params) + K - 1, n,
                {"family": "cumulative-link-ordinal", "score": "linear" if c["model"] == "linear" else "mlp",
                 "width": c.get("hid", 0), "depth": c.get("depth", 0), "classes": K, "data": c["data"]},
                settings(c, ("seed", "data", "n", "K", "noise", "nkind", "model", "hid", "depth", "act", "link", "opt",
                             "lr", "mom", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "ordinal-%s-nll" % c["link"],
                   "target": "diabetes-progression" if c["data"] == "diabetes" else "cancer-mean-area",
                   "binning": "train-quantiles", "full_batch": "false" if c.get("batch") else "true",
                   "test_loss": "heldout-ordinal-nll-true-classes", "error": "misclassified",
                   "test_size": str(len(yt))}, output_dim=K)
    log_ = logger(run)

    def log(e, final):
        p, pt = probs(x), probs(xt)
        log_(e, nll(p, yn), nll(pt, yt), (p.argmax(1) != yn).double().mean(), (pt.argmax(1) != yt).double().mean(),
             final=final)

    train_until(g, n, c, step, log)


def runs_cumlink_ordinal_mlp():
    # The logic: 150 diabetes patients, their progression cut into 5 classes of equal share (the other 292 held out),
    # 20% of the training labels moved to a neighbouring class; a ReLU MLP score 10 -> 64 -> 1 (769 weights, five a
    # patient) under 4 learned ordered thresholds, full-batch Adam at 0.01, 400 epochs: the score's smooth trend (the
    # progression is about half explained by the ten columns) is fitted first, then the score bends to put every
    # training patient, moved ones included, in its class, the held-out likelihood worsening as it does. One thing at
    # a time besides: clean labels and 40% moved, moves to any class, a linear score, widths 16 and 256, two hidden
    # layers, tanh, the probit link, 3 and 8 classes, 80 and 300 patients, minibatch SGD (16, momentum 0.9),
    # full-batch heavy ball, an L2 penalty 1e-3, and the breast cancer's mean area as the ordered target (MLP, with
    # 40% moved labels, and linear). Evaluation spacing mixed.
    base = dict(data="diabetes", n=150, K=5, noise=0.2, nkind="adjacent", model="mlp", hid=64, depth=1, act="relu",
                link="logit", opt="adam", lr=0.01, mom=None, wd=None, batch=None, epochs=400, eval="mixed:40:4")
    lin = dict(model="linear", hid=None, depth=None, act=None)
    return cumlink_ordinal_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(noise=None, nkind=None, eval="every:2"),
        dict(noise=0.4, eval="log:40"),
        dict(nkind="uniform", eval="jitter:40"),
        dict(lin, eval="every:3"),
        dict(hid=16, eval="geom:4"),
        dict(hid=256, eval="every:5"),
        dict(depth=2, eval="burst:40:8"),
        dict(act="tanh", eval="mixlog:40:40"),
        dict(link="probit", eval="every:4"),
        dict(K=3, eval="every:2"),
        dict(K=8, eval="rand:100"),
        dict(n=80, eval="every"),
        dict(n=300, eval="every:4"),
        dict(opt="sgd", lr=0.02, mom=0.9, batch=16, epochs=200, eval="every"),
        dict(opt="gd", lr=0.1, mom=0.9, epochs=1000, eval="log:35"),
        dict(wd=1e-3, eval="every:3"),
        dict(data="cancer-area", eval="mixed:30:5"),
        dict(data="cancer-area", noise=0.4, eval="every:2"),
        dict(lin, data="cancer-area", eval="jitter:35"),
    ], lambda d: "%s-n%d-K%d%s-%s%s-%s-lr%g%s%s%s" % (
        d["data"], d["n"], d["K"], "-%s%g" % (d["nkind"], d["noise"]) if d.get("noise") else "-clean",
        "linear" if d["model"] == "linear" else "%s%dx%d" % (d["act"], d["depth"], d["hid"]),
        "-probit" if d["link"] == "probit" else "", d["opt"], d["lr"], "-mom%g" % d["mom"] if d.get("mom") else "",
        "-wd%g" % d["wd"] if d.get("wd") else "", "-b%d" % d["batch"] if d.get("batch") else ""))


# --------------------------------------------------------------------------------------------------- dtime-hazard-net


def dtime_hazard_net(w, run_id, c):
    """A discrete-time hazard network (see the module's docstring), float64. Data (from the run's generator):
    survival_data; the observed times cut into J intervals at the quantiles j / J of the training observed times (the
    held-out times at the same points). Model: 'linear' d -> J logits, 'mlp' d -> hid (ReLU or tanh) -> J, 'prop' an
    MLP d -> hid -> 1 score plus J intercepts (from zero). Loss: the mean over points of sum_{j <= k} -log(1 - h_j)
    (the last term -log h_k instead for an event), k a point's interval, h_j its hazards. Optimizer: make_opt on
    minibatches of batch (the whole set where batch is None). Train loss: the loss on the training points as observed
    (noisy); test loss: the same on the held-out points; error rates: the discordant shares (discordant), the risk
    minus the expected number of intervals survived."""
    g = torch.Generator().manual_seed(1_062_000 + c["seed"])
    x, z, delta, xt, zt, deltat = survival_data(g, c)
    n, d = x.shape
    J = c["J"]
    cuts = torch.quantile(z, torch.arange(1, J, dtype=F64) / J)
    k, kt = torch.bucketize(z, cuts, right=True), torch.bucketize(zt, cuts, right=True)
    if c["model"] == "prop":
        params, score = head(g, dict(c, model="mlp"), d, 1)
        alpha = torch.zeros(J, dtype=F64, requires_grad=True)
        params = params + [alpha]

        def logits(u):
            return score(u) + alpha
    else:
        params, logits = head(g, c, d, J)
    opt = make_opt(c, params)
    cols = torch.arange(J)

    def log_h(l):
        """(log h, log(1 - h)) of the logits."""
        if c["hazard"] == "cloglog":
            return torch.log(-torch.expm1(-torch.exp(l))), -torch.exp(l)
        return fn.logsigmoid(l), fn.logsigmoid(-l)

    def nll(l, kk, dd):
        lh, l1h = log_h(l)
        upto = (cols[None, :] <= kk[:, None]).to(F64)
        hit = (cols[None, :] == kk[:, None]) & (dd[:, None] == 1)
        return -(torch.where(hit, lh, l1h) * upto).sum(1).mean()

    def risk(l):
        return -torch.cumsum(log_h(l)[1], 1).exp().sum(1)

    def step(idx):
        opt.zero_grad()
        nll(logits(take(x, idx)), take(k, idx), take(delta, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n,
                {"family": "discrete-time-hazard", "head": c["model"], "width": c.get("hid", 0), "intervals": J,
                 "data": c["data"]},
                settings(c, ("seed", "data", "n", "d", "test", "J", "cens", "tnoise", "sflip", "model", "hid", "act",
                             "hazard", "opt", "lr", "mom", "wd", "batch", "eval"))
                | survival_tags(c)
                | {"optimizer": c["opt"], "loss": "discrete-time-%s-hazard-nll" % c["hazard"],
                   "binning": "train-time-quantiles", "test_loss": "heldout-discrete-time-nll",
                   "test_size": str(len(zt))}, output_dim=J)
    log_ = logger(run)
    disc, disc_t = discordant(z, delta), discordant(zt, deltat)

    def log(e, final):
        lo, lt = logits(x), logits(xt)
        log_(e, nll(lo, k, delta), nll(lt, kt, deltat), disc(risk(lo)), disc_t(risk(lt)), final=final)

    train_until(g, n, c, step, log)


def runs_dtime_hazard_net():
    # The logic: 200 diabetes patients, their progression taken as an event time, 30% of all times censored at random
    # (exponential censoring times), the training times jittered by a log-normal factor (sd 0.3: noisy event times);
    # the observed times cut into 10 intervals; a ReLU MLP 10 -> 64 -> 10 hazard logits (1,354 weights) under the
    # discrete-time logistic-hazard likelihood, full-batch Adam at 0.005, 300 epochs: the hazard's dependence on the
    # ten columns is fitted first, then each training patient's own interval, jitter included, the held-out likelihood
    # worsening as it is. One thing at a time besides: heavy censoring (70% and 85%) and none, clean times and a jitter
    # of sd 0.8, 20% of the training event indicators flipped, 5 and 20 intervals, the grouped-time proportional-hazards
    # (cloglog) hazard, a linear head, a proportional head (an MLP score plus per-interval intercepts), widths 16 and
    # 256, minibatch SGD (20, momentum 0.9), RMSprop, an L2 penalty 1e-3, 100 patients, and synthetic Weibull times of
    # 8 Gaussian inputs (300 training points, 600 held out; with 70% censoring in 1 run). Evaluation spacing mixed.
    base = dict(data="diabetes", n=200, d=None, test=None, J=10, cens=0.3, tnoise=0.3, sflip=None, model="mlp", hid=64,
                depth=1, act="relu", hazard="logistic", opt="adam", lr=0.005, mom=None, wd=None, batch=None,
                epochs=300, eval="mixed:30:3")
    synth = dict(data="synth", n=300, d=8, test=600, beta=1.0)
    return dtime_hazard_net, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(cens=0.7, eval="every:2"),
        dict(cens=0.85, eval="log:40"),
        dict(cens=None, eval="every:3"),
        dict(tnoise=None, eval="jitter:40"),
        dict(tnoise=0.8, eval="every:4"),
        dict(sflip=0.2, eval="geom:3"),
        dict(J=5, eval="every:2"),
        dict(J=20, eval="mixlog:30:40"),
        dict(hazard="cloglog", eval="every:3"),
        dict(model="linear", hid=None, depth=None, act=None, eval="log:35"),
        dict(model="prop", eval="every:2"),
        dict(hid=16, eval="burst:30:6"),
        dict(hid=256, eval="every:5"),
        dict(opt="sgd", lr=0.02, mom=0.9, batch=20, epochs=150, eval="every"),
        dict(opt="rmsprop", lr=0.002, eval="rand:90"),
        dict(wd=1e-3, eval="every:3"),
        dict(n=100, eval="every:2"),
        dict(synth, eval="mixed:40:5"),
        dict(synth, cens=0.7, eval="jitter:35"),
    ], lambda d: "%s-n%d-J%d-%s%s%s-%s%s-%s-%s-lr%g%s%s%s" % (
        d["data"], d["n"], d["J"], "cens%g" % d["cens"] if d.get("cens") else "uncensored",
        "-tnoise%g" % d["tnoise"] if d.get("tnoise") else "", "-sflip%g" % d["sflip"] if d.get("sflip") else "",
        d["model"], "" if d["model"] == "linear" else "-%s%d" % (d["act"], d["hid"]), d["hazard"], d["opt"], d["lr"],
        "-mom%g" % d["mom"] if d.get("mom") else "", "-wd%g" % d["wd"] if d.get("wd") else "",
        "-b%d" % d["batch"] if d.get("batch") else ""))


# ---------------------------------------------------------------------------------------------------- cox-breslow-mlp


def cox_nll(r, z, delta):
    """The negative log partial likelihood of log risks r with Breslow's ties over the number of events: the risk set
    of an event time holds every point observed at or after it (0 where there is no event)."""
    order = torch.argsort(z, descending=True)
    r, z, delta = r[order], z[order], delta[order]
    lcse = torch.logcumsumexp(r, 0)
    end = torch.searchsorted(-z, -z, right=True) - 1  # the last point (in this order) whose time is at least z_i
    ev = delta.to(F64)
    return -((r - lcse[end]) * ev).sum() / ev.sum().clamp_min(1.0)


def cox_breslow_mlp(w, run_id, c):
    """A Cox model (see the module's docstring), float64. Data (from the run's generator): survival_data. Model: head,
    d -> 1 log risk. Loss: cox_nll. Optimizer: make_opt on minibatches of batch (the partial likelihood of the batch's
    own risk sets; the whole set where batch is None). Train loss: cox_nll over the training points as observed
    (noisy); test loss: cox_nll over the held-out points; error rates: the discordant shares (discordant) of the log
    risks."""
    g = torch.Generator().manual_seed(1_063_000 + c["seed"])
    x, z, delta, xt, zt, deltat = survival_data(g, c)
    n, d = x.shape
    params, f = head(g, c, d, 1)
    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        cox_nll(f(take(x, idx))[:, 0], take(z, idx), take(delta, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n,
                {"family": "cox-proportional-hazards", "score": "linear" if c["model"] == "linear" else "mlp",
                 "width": c.get("hid", 0), "depth": c.get("depth", 0), "data": c["data"]},
                settings(c, ("seed", "data", "n", "d", "test", "beta", "cens", "tnoise", "sflip", "model", "hid",
                             "depth", "act", "opt", "lr", "mom", "wd", "batch", "eval"))
                | survival_tags(c)
                | {"optimizer": c["opt"], "loss": "cox-partial-nll-breslow", "test_loss": "heldout-cox-partial-nll",
                   "test_size": str(len(zt))})
    log_ = logger(run)
    disc, disc_t = discordant(z, delta), discordant(zt, deltat)

    def log(e, final):
        r, rt = f(x)[:, 0], f(xt)[:, 0]
        log_(e, cox_nll(r, z, delta), cox_nll(rt, zt, deltat), disc(r), disc_t(rt), final=final)

    train_until(g, n, c, step, log)


def runs_cox_breslow_mlp():
    # The logic: 150 breast-cancer patients (30 columns), synthetic Weibull proportional-hazards times of a teacher
    # risk of six of the columns (log-risk sd 1.5), 40% censored at random, the other 419 patients held out; a ReLU MLP
    # log risk 30 -> 32 -> 1 (1,025 weights) under the Breslow partial likelihood, full-batch Adam at 0.001, 300
    # epochs: the teacher's ordering is learnt first, then the network orders the training patients' own random
    # Weibull draws (noise of an exponential's size) and the held-out partial likelihood worsens. One thing at a time
    # besides: heavy censoring (80%) and none, log-normal jitter (sd 0.5) of the training times, 20% of the event
    # indicators flipped, a linear log risk (alone and with an L2 penalty 1e-2), width 128, two hidden layers, tanh,
    # full-batch heavy ball, minibatches of 32 (risk sets inside the batch), an L2 penalty 1e-3, 80 and 300 patients,
    # scikit-learn's diabetes progression as the event time (40% and 80% censored, MLP and linear), and Gaussian
    # inputs (10, 200 training points, 600 held out) under a sum of sine waves (clean and jittered by sd 1). Evaluation
    # spacing mixed.
    base = dict(data="cancer", n=150, d=None, test=None, beta=1.5, cens=0.4, tnoise=None, sflip=None, model="mlp",
                hid=32, depth=1, act="relu", opt="adam", lr=0.001, mom=None, wd=None, batch=None, epochs=300,
                eval="every:2")
    lin = dict(model="linear", hid=None, depth=None, act=None)
    diab = dict(data="diabetes", beta=None)
    synth = dict(data="synth", n=200, d=10, test=600)
    return cox_breslow_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(cens=0.8, eval="every"),
        dict(cens=None, eval="log:40"),
        dict(tnoise=0.5, eval="jitter:40"),
        dict(sflip=0.2, eval="every:3"),
        dict(lin, eval="every:2"),
        dict(lin, wd=1e-2, eval="geom:3"),
        dict(hid=128, eval="every:4"),
        dict(depth=2, eval="mixed:30:3"),
        dict(act="tanh", eval="burst:25:5"),
        dict(opt="gd", lr=0.05, mom=0.9, epochs=600, eval="log:35"),
        dict(batch=32, eval="every:2"),
        dict(wd=1e-3, eval="every:3"),
        dict(n=80, eval="every"),
        dict(n=300, eval="mixlog:30:40"),
        dict(diab, eval="every:2"),
        dict(diab, cens=0.8, eval="rand:100"),
        dict(diab, **lin, eval="every:3"),
        dict(synth, eval="every:4"),
        dict(synth, tnoise=1.0, eval="jitter:35"),
    ], lambda d: "%s-n%d-%s%s%s-%s-%s-lr%g%s%s%s" % (
        d["data"], d["n"], "cens%g" % d["cens"] if d.get("cens") else "uncensored",
        "-tnoise%g" % d["tnoise"] if d.get("tnoise") else "", "-sflip%g" % d["sflip"] if d.get("sflip") else "",
        "linear" if d["model"] == "linear" else "%s%dx%d" % (d["act"], d["depth"], d["hid"]), d["opt"], d["lr"],
        "-mom%g" % d["mom"] if d.get("mom") else "", "-wd%g" % d["wd"] if d.get("wd") else "",
        "-b%d" % d["batch"] if d.get("batch") else ""))


FAMILIES = {"cumlink-ordinal-mlp": runs_cumlink_ordinal_mlp, "dtime-hazard-net": runs_dtime_hazard_net,
            "cox-breslow-mlp": runs_cox_breslow_mlp}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
