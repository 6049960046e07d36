#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, seventy-third held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping benchmark,
no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and
committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs were
sorted by census.py alone), and made to differ from the families of train.py ... train_seventysecond.py in model,
loss, noise and data. The theme of the round is min-max games and objectives that are not plain losses: the train
loss each trainer naturally reports is one player's objective in a game or a signed, non-monotone objective (a
Lagrangian under dual ascent, the value of a distributionally robust saddle-point problem, an actor-critic's
surrogate loss), while the test loss is a held-out quality measure:

- fair-lagrange: a classifier under a fairness (or rate) constraint solved as a Lagrangian game: the learner
  (a ReLU MLP, or logistic regression in 1 run) descends on L = CE + sum_k lambda_k (c_k - eps), the multipliers
  ascend on it (projected dual ascent, lambda_k <- max(0, lambda_k + eta_dual (c_k - eps)), after every primal step,
  on the minibatch's constraint estimate), c_k the two signs of the demographic-parity gap between the two groups'
  mean predicted probabilities (the surrogate rates; the true-positive-rate gap, equal opportunity, in 1 run; the
  overall positive rate against a ceiling in 1 run); a fixed multiplier (a penalty, no dual ascent) in 1 run. Data:
  synthetic points with a binary group s (35% of them s = 1), 4 core features that set the label together with a
  group offset (so the groups' base rates differ), a noisy proxy of s and noise features; scikit-learn's breast
  cancer in 1 run (the group whether the mean texture is above its median). Noise: a share of the training labels
  flipped, or (1 run) biased labels (a share of group 1's positives turned negative). Adam (momentum SGD in 1 run) on
  minibatches, float64. Train loss: the Lagrangian on the training set at the current multipliers and given labels
  (signed: the multiplier terms are negative while a constraint is slack); test loss: the cross-entropy on held-out
  points with true labels; error rates: the misclassified shares.
- chi2-dro-saddle: distributionally robust least squares as a saddle-point problem min_theta max_{p in the simplex}
  sum_i p_i l_i(theta) - (rho / 2) n sum_i (p_i - 1/n)^2 (a chi-square-penalised adversary over the training
  points' weights), full batch, solved by simultaneous gradient descent-ascent, alternating GDA, extragradient or
  optimistic GDA (the weights' steps projected onto the simplex); the regressor a linear readout of fixed random
  ReLU features (convex-concave) or a tanh MLP; Adam on theta in 1 run; ERM (uniform weights) in 1 run. Data:
  scikit-learn's diabetes (standardised targets; a synthetic Friedman-1 regression in 1 run). Noise: a share of the
  training targets replaced by gross outliers (which the adversary upweights), or Gaussian target noise. Float64.
  Train loss: the saddle objective at the current (theta, p) (the game's value as the players see it); test loss:
  the held-out mean squared error (uniform weights; no outliers or added noise on the held-out targets). No error
  rates (a regression).
- actor-critic-bandit: a one-step actor-critic on a contextual bandit: a softmax policy MLP (the actor) and a value
  MLP (the critic; a shared trunk in 1 run; none, REINFORCE with a running-mean baseline, in 1 run), trained on
  minibatches of training contexts, one action sampled from the policy per context and step, the loss
  -(r - V(x)) log pi(a|x) + c_v (r - V(x))^2 - beta H(pi(.|x)) (the advantage detached). Data: synthetic contexts
  whose mean rewards are a random tanh teacher's outputs, each training context given a reward table observed with
  Gaussian noise drawn once (the noise the policy can memorise; fresh noise at every pull in 1 run), or scikit-learn's
  digits and wine as bandits (reward 1 for the right class, flipped labels in the training contexts; 2 runs). Adam
  (RMSprop and momentum SGD in 1 run each), float32. Train loss: the actor-critic loss on the training contexts at
  their observed reward tables, its expectation over the policy's actions computed exactly (signed); test loss: the
  expected regret of the policy on held-out contexts, max_a mu(x, a) - sum_a pi(a|x) mu(x, a), under the true mean
  rewards; error rates: the shares of contexts whose greedy action is not the best (training contexts by their
  observed tables, held-out ones by the true means).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs), take and flip_labels from train_thirtyninth.py, count from
train_fortyeighth.py, make_opt from train_fiftysixth.py and mlp_params and mlp from train_sixtyfifth.py; one thread,
every random draw from a seeded torch.Generator (data, splits, flips, outliers, random features, minibatches and the
policy's actions), synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final
marks it.

    /usr/bin/python3 train_seventythird.py --family fair-lagrange [--list] [--runs 0,3] [--out FILE]

Families (see README.md): fair-lagrange, chi2-dro-saddle, actor-critic-bandit. Evaluation spacings: train.py's
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
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop, flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_fiftysixth import make_opt  # noqa: E402  (Adam, momentum SGD, plain SGD, RMSprop; coupled decay)
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


def standardise(x, xt):
    """Both sets standardised by the first one's column means and sds."""
    mu, sd = x.mean(0), x.std(0).clamp(min=1e-8)
    return (x - mu) / sd, (xt - mu) / sd


# ---------------------------------------------------------------------------------------------------- fair-lagrange


def fair_data(g, m, c, u):
    """m synthetic points: group s ~ Bernoulli(0.35); 4 core features N(0, 1) whose projection on the unit vector u
    sets the label with a group offset, y = 1[2 u . core + off (2 s - 1) > 0]; a proxy feature (2 s - 1) + N(0,
    0.6^2); `noise_dim` N(0, 1) noise features. Returns (x, y, s)."""
    s = (torch.rand(m, generator=g, dtype=F64) < 0.35).long()
    core = torch.randn(m, 4, generator=g, dtype=F64)
    sign = (2 * s - 1).to(F64)
    y = ((2 * core @ u + c["off"] * sign) > 0).long()
    proxy = sign + 0.6 * torch.randn(m, generator=g, dtype=F64)
    noise = torch.randn(m, c["noise_dim"], generator=g, dtype=F64)
    return torch.cat([core, proxy[:, None], noise], 1), y, s


def cancer_groups(g, n):
    """scikit-learn's breast cancer (569 points, 30 features), the label malignant (1) or benign (0), the group
    whether the mean texture is above its median; n random points for training, the rest held out; standardised on the
    training points."""
    from sklearn.datasets import load_breast_cancer
    X, Y = load_breast_cancer(return_X_y=True)
    X, Y = torch.tensor(X, dtype=F64), 1 - torch.tensor(Y)
    S = (X[:, 1] > X[:, 1].median()).long()
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:n], perm[n:]
    x, xt = standardise(X[tr], X[te])
    return x, Y[tr], S[tr], xt, Y[te], S[te]


def bias_labels(g, y, s, share):
    """A share of group 1's positive labels turned negative (labels biased against the group)."""
    if not share:
        return y
    hit = (torch.rand(len(y), generator=g, dtype=F64) < share) & (s == 1) & (y == 1)
    return torch.where(hit, torch.zeros_like(y), y)


def fair_constraints(c, prob, y, s):
    """The constraint values c_k (each to be <= eps) from predicted probabilities: 'dp' the two signs of the gap
    between the groups' mean probabilities; 'eo' the same among the points with y = 1; 'rate' the mean probability
    (one constraint, against the ceiling eps). A group absent from the points gives a zero gap."""
    if c["constraint"] == "rate":
        return prob.mean()[None]
    keep = (y == 1) if c["constraint"] == "eo" else torch.ones_like(y, dtype=torch.bool)
    a, b = keep & (s == 1), keep & (s == 0)
    if not a.any() or not b.any():
        gap = prob.sum() * 0
    else:
        gap = prob[a].mean() - prob[b].mean()
    return torch.stack([gap, -gap])


def fair_lagrange(w, run_id, c):
    """A classifier under a constraint as a Lagrangian game, float64. Data (from the run's generator): n training
    and 2,000 held-out points (fair_data; or the breast cancer, cancer_groups); a share flip of the training labels
    flipped (flip_labels), a share bias of group 1's positive training labels turned negative (bias_labels). Model:
    an MLP in -> hid -> 1 (ReLU; hid None: logistic regression), U(+-1 / sqrt(fan-in)) from the run's generator.
    Game: the learner steps (make_opt) on CE + sum_k lambda_k (c_k - eps) of its minibatch, then each multiplier
    lambda_k <- max(0, lambda_k + eta_dual (c_k - eps)) on the same minibatch's c_k (fair_constraints) at the
    updated weights (fixed at lam0, no dual ascent, when eta_dual is None). Train loss: the Lagrangian on the whole
    training set at its given labels and the current multipliers; test loss: the held-out cross-entropy, true labels;
    error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(731_000 + c["seed"])
    n = c["n"]
    if c["data"] == "cancer":
        x, y0, s, xt, yt, st = cancer_groups(g, n)
    else:
        u = torch.randn(4, generator=g, dtype=F64)
        u = u / u.norm()
        x, y0, s = fair_data(g, n, c, u)
        xt, yt, st = fair_data(g, 2000, c, u)
    y = bias_labels(g, flip_labels(g, y0, 2, c.get("flip")), s, c.get("bias"))
    sizes = [x.shape[1]] + ([c["hid"]] if c.get("hid") else []) + [1]
    params = mlp_params(g, sizes, F64)
    K = 1 if c["constraint"] == "rate" else 2
    lam = torch.full((K,), float(c.get("lam0") or 0.0), dtype=F64)
    eps, eta = c["eps"], c.get("eta_dual")
    yf, ytf = y.to(F64), yt.to(F64)

    def logit(z):
        return mlp(params, z, torch.relu)[:, 0]

    def lagrangian(z, t, grp):
        o = logit(z)
        cons = fair_constraints(c, torch.sigmoid(o), t, grp)
        return fn.binary_cross_entropy_with_logits(o, t.to(F64)) + (lam * (cons - eps)).sum(), cons

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        xb, yb, sb = take(x, idx), take(y, idx), take(s, idx)
        lagrangian(xb, yb, sb)[0].backward()
        opt.step()
        if eta:
            with torch.no_grad():
                cons = fair_constraints(c, torch.sigmoid(logit(xb)), yb, sb)
                lam.copy_((lam + eta * (cons - eps)).clamp(min=0))

    model = {"family": "mlp", "hidden": c["hid"]} if c.get("hid") else {"family": "logistic"}
    run = w.run(run_id, count(params), n, model | {"constraint": c["constraint"], "game": "lagrangian-dual-ascent"},
                settings(c, ("seed", "data", "n", "noise_dim", "off", "flip", "bias", "hid", "constraint", "eps",
                             "eta_dual", "lam0", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "lagrangian-ce-plus-multipliers",
                   "test_loss": "heldout-ce-true-labels", "error": "misclassified",
                   "points_per_weight": "%.3g" % (n / count(params))})

    def log(e, final):
        L, _ = lagrangian(x, y, s)
        o, ot = logit(x), logit(xt)
        run.log(e, L, fn.binary_cross_entropy_with_logits(ot, ytf), ((o > 0).long() != y).to(F64).mean(),
                ((ot > 0).long() != yt).to(F64).mean(), final=final)

    epoch_loop(g, n, c, step, log)


def runs_fair_lagrange():
    # The logic: 200 training points of 20 features (4 core, a proxy of the group, 15 noise), the groups' base rates
    # some 0.69 and 0.31 (offset 1), so the unconstrained classifier's demographic-parity gap is large and the
    # constraint (gap within +-0.05 of the surrogate rates) binds; 10% of the training labels flipped; a ReLU MLP of
    # width 32 has 21 * 32 + 33 = 705 weights, three and a half a point, so it can fit the flips while the dual ascent
    # moves the multipliers against it. Adam at 0.003 on minibatches of 50, the dual step 0.2 after every primal step,
    # 200 epochs. One thing at a time besides: logistic regression, width 8 and 128, 100 and 800 points, 40 noise
    # features, clean and 25% flipped labels, biased labels (30% of group 1's positives turned negative), eps 0.01 and
    # 0.2, dual steps 0.02 and 2, a fixed multiplier 1 (a penalty), equal opportunity, a positive-rate ceiling 0.3,
    # the breast cancer, momentum SGD at 0.03, Adam at 0.01. Evaluation spacing mixed.
    base = dict(data="synthetic", n=200, noise_dim=15, off=1.0, flip=0.1, bias=None, hid=32, constraint="dp",
                eps=0.05, eta_dual=0.2, lam0=None, opt="adam", lr=0.003, batch=50, epochs=200, eval="every:2")
    return fair_lagrange, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hid=None, eval="every"),
        dict(hid=8, eval="jitter:40"),
        dict(hid=128, eval="every:3"),
        dict(n=100, eval="log:40"),
        dict(n=800, eval="every:2"),
        dict(noise_dim=40, eval="geom:3"),
        dict(flip=None, eval="every:4"),
        dict(flip=0.25, eval="every"),
        dict(flip=None, bias=0.3, eval="every:3"),
        dict(eps=0.01, eval="every:2"),
        dict(eps=0.2, eval="burst:20:5"),
        dict(eta_dual=0.02, eval="every:2"),
        dict(eta_dual=2.0, eval="log:30"),
        dict(eta_dual=None, lam0=1.0, eval="every:2"),
        dict(constraint="eo", eval="mixed:40:4"),
        dict(constraint="rate", eps=0.3, eval="every:2"),
        dict(data="cancer", n=300, noise_dim=None, off=None, eval="rand:60"),
        dict(opt="momentum", lr=0.03, eval="mixlog:30:40"),
        dict(lr=0.01, eval="every"),
    ], lambda d: "%s-n%d%s%s%s%s-%s-%s-eps%g%s-%s-lr%g" % (
        d["data"], d["n"], "-noise%d" % d["noise_dim"] if d.get("noise_dim") else "",
        "-flip%g" % d["flip"] if d.get("flip") else "", "-bias%g" % d["bias"] if d.get("bias") else "",
        "" if d.get("flip") or d.get("bias") else "-clean",
        "h%d" % d["hid"] if d.get("hid") else "logistic", d["constraint"], d["eps"],
        "-dual%g" % d["eta_dual"] if d.get("eta_dual") else "-fixed%g" % d["lam0"], d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- chi2-dro-saddle


def project_simplex(v):
    """The Euclidean projection of v onto the probability simplex (sort-based; Duchi et al. 2008)."""
    if not torch.isfinite(v).all():
        return torch.full_like(v, math.nan)  # a diverged game: NaN from here on
    u, _ = torch.sort(v, descending=True)
    css = torch.cumsum(u, 0) - 1
    k = torch.arange(1, len(v) + 1, dtype=v.dtype)
    hit = torch.nonzero(u - css / k > 0)
    r = int(hit[-1, 0]) if len(hit) else 0  # (none only where round-off swamps 1 beside a huge entry)
    return (v - css[r] / (r + 1)).clamp(min=0)


def dro_data(g, c):
    """'diabetes': scikit-learn's diabetes (442 points, 10 features), n random ones for training and the rest held
    out, inputs standardised on the training points, targets by the training mean and sd; 'friedman': Friedman's
    first function 10 sin(pi x1 x2) + 20 (x3 - 0.5)^2 + 10 x4 + 5 x5 of 10 uniform inputs (5 irrelevant), n training
    and 1,000 held-out points, N(0, 1) noise on both, standardised the same way. Then the training targets' noise:
    a share `outliers` replaced by +-U(4, 8) (gross outliers), or N(0, noise^2) added."""
    if c["data"] == "diabetes":
        from sklearn.datasets import load_diabetes
        X, Y = load_diabetes(return_X_y=True)
        X, Y = torch.tensor(X, dtype=F64), torch.tensor(Y, dtype=F64)
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        x, xt, y, yt = X[tr], X[te], Y[tr], Y[te]
    else:
        m = c["n"] + 1000
        X = torch.rand(m, 10, generator=g, dtype=F64)
        Y = (10 * torch.sin(math.pi * X[:, 0] * X[:, 1]) + 20 * (X[:, 2] - 0.5) ** 2 + 10 * X[:, 3] + 5 * X[:, 4]
             + torch.randn(m, generator=g, dtype=F64))
        x, xt, y, yt = X[:c["n"]], X[c["n"]:], Y[:c["n"]], Y[c["n"]:]
    x, xt = standardise(x, xt)
    mu, sd = y.mean(), y.std()
    y, yt = (y - mu) / sd, (yt - mu) / sd
    if c.get("outliers"):
        hit = torch.rand(len(y), generator=g, dtype=F64) < c["outliers"]
        sign = torch.where(torch.rand(len(y), generator=g, dtype=F64) < 0.5, -1.0, 1.0).to(F64)
        y = torch.where(hit, sign * (4 + 4 * torch.rand(len(y), generator=g, dtype=F64)), y)
    if c.get("noise"):
        y = y + c["noise"] * torch.randn(len(y), generator=g, dtype=F64)
    return x, y, xt, yt


def chi2_dro_saddle(w, run_id, c):
    """Chi-square-penalised distributionally robust least squares, full batch, float64. Data: dro_data. Model: 'rf'
    a linear readout (from zero) of `width` fixed random ReLU features relu(W x + b) sqrt(2 / width), W N(0, 1 / d),
    b N(0, 1) (convex in theta); 'mlp' a tanh MLP d -> width -> 1, U(+-1 / sqrt(fan-in)); all from the run's
    generator. Game: f(theta, p) = sum_i p_i l_i(theta) - (rho / 2) n sum_i (p_i - 1 / n)^2, l_i the squared error,
    p on the simplex from uniform; theta descends (a plain gradient step lr, or Adam at lr for 'opt' adam), p ascends
    by the projected step tau / (rho n) (tau 1: the exact best response of the penalised adversary to the current
    losses); 'gda' simultaneous, 'alt' alternating (theta first), 'eg' extragradient (both players' half step, then
    the step from the start with the half step's gradients), 'ogda' optimistic (2 g_t - g_{t-1} for both); 'erm'
    keeps p uniform. `steps` steps an epoch. Train loss: f at the current (theta, p); test loss: the held-out mean
    squared error."""
    g = torch.Generator().manual_seed(732_000 + c["seed"])
    x, y, xt, yt = dro_data(g, c)
    n, d, width = len(y), x.shape[1], c["width"]
    if c["model"] == "rf":
        W = torch.randn(d, width, generator=g, dtype=F64) / math.sqrt(d)
        b = torch.randn(width, generator=g, dtype=F64)
        phi, phit = (torch.relu(z @ W + b) * math.sqrt(2 / width) for z in (x, xt))
        params = leaves([torch.zeros(width, dtype=F64)])

        def predict(train_set):
            return (phi if train_set else phit) @ params[0]
    else:
        params = mlp_params(g, [d, width, 1], F64)

        def predict(train_set):
            return mlp(params, x if train_set else xt, torch.tanh)[:, 0]

    rho, lr, algo = c["rho"], c["lr"], c["algo"]
    eta_p = c["tau"] / (rho * n)
    p = torch.full((n,), 1.0 / n, dtype=F64)
    adam = torch.optim.Adam(params, lr=lr) if c.get("opt") == "adam" else None

    def objective(q):
        losses = (predict(True) - y) ** 2
        return (q * losses).sum() - rho / 2 * n * ((q - 1.0 / n) ** 2).sum(), losses

    def grads(q):
        for t in params:
            t.grad = None
        f, losses = objective(q)
        f.backward()
        with torch.no_grad():
            gp = losses.detach() - rho * n * (q - 1.0 / n)
        return [t.grad.clone() for t in params], gp

    def move(gt, gp, q, scale=1.0):
        with torch.no_grad():
            if adam is not None:
                for t, gr in zip(params, gt):
                    t.grad = gr
                adam.step()
            else:
                for t, gr in zip(params, gt):
                    t -= scale * lr * gr
        return q if algo == "erm" else project_simplex(q + scale * eta_p * gp)

    prev = []

    def one_step():
        nonlocal p
        if algo in ("gda", "erm"):
            gt, gp = grads(p)
            p = move(gt, gp, p)
        elif algo == "alt":
            gt, _ = grads(p)
            move(gt, torch.zeros_like(p), p)
            _, gp = grads(p)
            p = project_simplex(p + eta_p * gp)
        elif algo == "eg":
            start = [t.detach().clone() for t in params]
            gt, gp = grads(p)
            half = move(gt, gp, p)
            gt2, gp2 = grads(half)
            with torch.no_grad():
                for t, s0 in zip(params, start):
                    t.copy_(s0)
            p = move(gt2, gp2, p)
        else:  # ogda
            gt, gp = grads(p)
            if prev:
                ot, op = prev[0]
                et, ep = [2 * a - b for a, b in zip(gt, ot)], 2 * gp - op
            else:
                et, ep = gt, gp
            prev[:] = [(gt, gp)]
            p = move(et, ep, p)

    def step(idx):
        for _ in range(c["steps"]):
            one_step()

    run = w.run(run_id, count(params), n, {"family": "random-features" if c["model"] == "rf" else "tanh-mlp",
                                           "width": width, "game": "chi2-dro", "algorithm": algo},
                settings(c, ("seed", "data", "n", "outliers", "noise", "model", "width", "rho", "tau", "algo", "opt",
                             "lr", "steps", "eval"))
                | {"optimizer": "%s-%s" % (algo, c.get("opt") or "gd"), "loss": "chi2-penalised-dro-saddle-value",
                   "test_loss": "heldout-mse-uniform", "points_per_weight": "%.3g" % (n / count(params))})

    def log(e, final):
        f, _ = objective(p)
        run.log(e, f, ((predict(False) - yt) ** 2).mean(), final=final)

    epoch_loop(g, n, dict(c, batch=None), step, log)


def runs_chi2_dro_saddle():
    # The logic: 200 training points of the diabetes (10 features), 10% of their targets replaced by gross outliers
    # (+-4 to 8 sd), which the adversary upweights; a linear readout of 400 random ReLU features (400 weights, two a
    # point, so the readout can interpolate the outliers) makes the game convex-concave; rho 10 lets an outlier's
    # weight grow to some 1 + (36 - 1) / 10, about 4.5 times 1/n, while the clean points' weights stay near 1/n (rho 1
    # put nearly all the weight on the outliers). Simultaneous GDA, the readout's step 0.05 (the features' curvature,
    # 2 E[phi phi^T], has its top eigenvalue near 1-4) and the weights' step 0.2 of the penalty's curvature, 5 steps
    # an epoch, 300 epochs. One thing at a time besides: alternating GDA, extragradient and optimistic GDA, ERM, rho 3
    # and 30, tau 0.05 and 1, width 100 and 1,600, a tanh MLP of width 32 (385 weights) and of width 128 at step 0.02
    # (their output layer's curvature 2 E|h|^2 is far larger than the features': step 0.1 diverged at width 32),
    # Adam at 0.003 on the readout, the readout's step 0.2, 100 and 300 points, clean targets, 25% outliers, Gaussian
    # target noise 0.5 instead, the Friedman-1 data. Evaluation spacing mixed.
    base = dict(data="diabetes", n=200, outliers=0.1, noise=None, model="rf", width=400, rho=10.0, tau=0.2,
                algo="gda", opt=None, lr=0.05, steps=5, epochs=300, eval="every:2")
    return chi2_dro_saddle, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(algo="alt", eval="every"),
        dict(algo="eg", eval="jitter:40"),
        dict(lr=0.2, eval="every:3"),
        dict(algo="ogda", eval="every:2"),
        dict(algo="erm", eval="log:40"),
        dict(rho=3.0, eval="every:2"),
        dict(rho=30.0, eval="geom:3"),
        dict(tau=0.05, eval="every:4"),
        dict(tau=1.0, eval="every"),
        dict(width=100, eval="every:3"),
        dict(width=1600, eval="burst:20:5"),
        dict(model="mlp", width=32, lr=0.02, eval="every:2"),
        dict(model="mlp", width=128, lr=0.02, eval="log:30"),
        dict(opt="adam", lr=0.003, eval="every:2"),
        dict(n=100, eval="mixed:40:4"),
        dict(n=300, eval="every:2"),
        dict(outliers=None, eval="every:3"),
        dict(outliers=0.25, eval="rand:60"),
        dict(outliers=None, noise=0.5, eval="mixlog:30:40"),
        dict(data="friedman", eval="every"),
    ], lambda d: "%s-n%d%s%s-%s%d-rho%g-tau%g-%s%s-lr%g" % (
        d["data"], d["n"], "-out%g" % d["outliers"] if d.get("outliers") else "",
        "-noise%g" % d["noise"] if d.get("noise") else ("" if d.get("outliers") else "-clean"), d["model"],
        d["width"], d["rho"], d["tau"], d["algo"], "-adam" if d.get("opt") else "", d["lr"]))


# -------------------------------------------------------------------------------------------------- actor-critic-bandit


def bandit_data(g, c):
    """The contexts, their observed training reward tables and the held-out true mean rewards. 'teacher': contexts
    N(0, I_d), mean rewards mu(x, a) = tanh(x W1) W2 of a random teacher (W1 N(0, 1/d), d x 16; W2 N(0, 1/16), 16 x
    K) scaled to unit sd; each training context's table mu + N(0, sigma^2) drawn once. 'digits'/'wine': scikit-learn's
    data sets as bandits, reward 1 for the right class and 0 else, n training images (standardised on them) with a
    share flip of their labels flipped (the training tables built from the given labels), the rest held out."""
    if c["data"] == "teacher":
        d, K = c["d"], c["K"]
        W1 = torch.randn(d, 16, generator=g) / math.sqrt(d)
        W2 = torch.randn(16, K, generator=g) / 4.0
        x = torch.randn(c["n"], d, generator=g)
        xt = torch.randn(1000, d, generator=g)
        mu, mut = torch.tanh(x @ W1) @ W2, torch.tanh(xt @ W1) @ W2
        scale = mut.std()
        mu, mut = mu / scale, mut / scale
        table = mu + (c.get("sigma") or 0.0) * torch.randn(mu.shape, generator=g)
        return x, table, xt, mut
    from sklearn.datasets import load_digits, load_wine
    X, Y = (load_digits if c["data"] == "digits" else load_wine)(return_X_y=True)
    X, Y = torch.tensor(X, dtype=F32), torch.tensor(Y)
    K = int(Y.max()) + 1
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:]
    x, xt = standardise(X[tr], X[te])
    y = flip_labels(g, Y[tr], K, c.get("flip"))
    return x, fn.one_hot(y, K).to(F32), xt, fn.one_hot(Y[te], K).to(F32)


def actor_critic_bandit(w, run_id, c):
    """A one-step actor-critic on a contextual bandit, float32. Data: bandit_data. Model: the actor an MLP d -> hid ->
    K (ReLU) giving the policy's logits, the critic an MLP d -> hid -> 1 ('separate'), or one trunk d -> hid (ReLU)
    under both heads ('shared'), or no critic ('none': the baseline a running mean of the rewards, momentum 0.9 a
    minibatch); U(+-1 / sqrt(fan-in)) from the run's generator. Each step: a minibatch of training contexts, one
    action a ~ pi(.|x) each from the run's generator, its reward r the context's table entry (plus N(0, pull^2) drawn
    afresh where pull is set); the loss mean(-(r - V(x)) log pi(a|x) + c_v (r - V(x))^2 - beta H(pi(.|x))), the
    advantage detached; make_opt. Train loss: that loss's expectation over the policy's actions, exact, on all
    training contexts at their tables; test loss: the expected regret max_a mu - sum_a pi mu on the held-out
    contexts; error rates: the shares whose greedy action is not the table's (training) or the mean's (held-out)
    best."""
    g = torch.Generator().manual_seed(733_000 + c["seed"])
    x, table, xt, mut = bandit_data(g, c)
    n, d, K, hid, crit = len(x), x.shape[1], table.shape[1], c["hid"], c["critic"]
    if crit == "shared":
        trunk = mlp_params(g, [d, hid], F32)
        actor = mlp_params(g, [hid, K], F32)
        critic = mlp_params(g, [hid, 1], F32)
    else:
        trunk = []
        actor = mlp_params(g, [d, hid, K], F32)
        critic = mlp_params(g, [d, hid, 1], F32) if crit == "separate" else []
    params = trunk + actor + critic
    baseline = torch.zeros(())
    cv, beta = c["cv"], c.get("beta") or 0.0

    def heads(z):
        if crit == "shared":
            h = torch.relu(mlp(trunk, z, None))
            return mlp(actor, h, None), mlp(critic, h, None)[:, 0]
        v = mlp(critic, z, torch.relu)[:, 0] if crit == "separate" else baseline.expand(len(z))
        return mlp(actor, z, torch.relu), v

    def entropy(logp):
        return -(logp.exp() * logp).sum(1)

    opt = make_opt(c, params)
    every = torch.arange(n)

    def step(idx):
        nonlocal baseline
        v_idx = take(every, idx)
        logits, v = heads(x[v_idx])
        logp = fn.log_softmax(logits, 1)
        a = torch.multinomial(logp.detach().exp(), 1, generator=g)[:, 0]
        r = table[v_idx, a]
        if c.get("pull"):
            r = r + c["pull"] * torch.randn(len(r), generator=g)
        adv = (r - v).detach()
        loss = (-adv * logp[torch.arange(len(a)), a] - beta * entropy(logp)).mean()
        if crit != "none":
            loss = loss + cv * ((r - v) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if crit == "none":
            baseline = 0.9 * baseline + 0.1 * r.mean()

    run = w.run(run_id, count(params), n, {"family": "actor-critic", "hidden": hid, "critic": crit, "actions": K},
                settings(c, ("seed", "data", "n", "d", "K", "sigma", "pull", "flip", "hid", "critic", "cv", "beta",
                             "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "actor-critic-surrogate", "test_loss": "heldout-expected-regret",
                   "error": "greedy-action-not-best", "contexts_per_weight": "%.3g" % (n / count(params))},
                output_dim=K)

    def log(e, final):
        logits, v = heads(x)
        logp = fn.log_softmax(logits, 1)
        pi = logp.exp()
        adv = table - v[:, None]
        loss = (pi * (-adv * logp)).sum(1) - beta * entropy(logp)
        if crit != "none":
            loss = loss + cv * (pi * adv ** 2).sum(1)
        pit = fn.softmax(heads(xt)[0], 1)
        regret = mut.max(1).values - (pit * mut).sum(1)
        err = (logits.argmax(1) != table.argmax(1)).to(F32).mean()
        errt = (pit.argmax(1) != mut.argmax(1)).to(F32).mean()
        run.log(e, loss.mean(), regret.mean(), err, errt, final=final)

    epoch_loop(g, n, c, step, log)


def runs_actor_critic_bandit():
    # The logic: 200 training contexts of 8 features, 5 actions whose mean rewards come from a random tanh teacher
    # (unit sd), each training context's reward table observed once with noise sd 0.7, so the policy can learn the
    # teacher's rule or memorise the noisy tables; an actor of width 64 (8 * 64 + 64 + 64 * 5 + 5 = 901 weights) and a
    # critic of the same width (641), some seven weights a context. Adam at 0.003 on minibatches of 20 contexts, one
    # sampled action each, c_v 0.5, entropy bonus 0.01, 200 epochs. One thing at a time besides: width 16 and 256, a
    # shared trunk, no critic (REINFORCE with a running baseline), entropy 0 and 0.1, c_v 0.1 and 2, 100 and 800
    # contexts, clean tables, noise 1.5, fresh noise at every pull instead of the fixed tables, 10 actions, the digits
    # and wine as bandits (20% flipped labels; 500 and 100 training contexts), RMSprop at 0.001, momentum SGD at 0.02,
    # Adam at 0.01. Evaluation spacing mixed.
    base = dict(data="teacher", n=200, d=8, K=5, sigma=0.7, pull=None, flip=None, hid=64, critic="separate", cv=0.5,
                beta=0.01, opt="adam", lr=0.003, batch=20, epochs=200, eval="every:2")
    return actor_critic_bandit, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hid=16, eval="every"),
        dict(hid=256, eval="jitter:40"),
        dict(critic="shared", eval="every:3"),
        dict(critic="none", eval="every:2"),
        dict(beta=None, eval="log:40"),
        dict(beta=0.1, eval="every:2"),
        dict(cv=0.1, eval="geom:3"),
        dict(cv=2.0, eval="every:4"),
        dict(n=100, eval="every"),
        dict(n=800, eval="every:3"),
        dict(sigma=None, eval="every:2"),
        dict(sigma=1.5, eval="burst:20:5"),
        dict(sigma=None, pull=0.7, eval="every:2"),
        dict(K=10, eval="mixed:40:4"),
        dict(data="digits", n=500, d=None, K=None, sigma=None, flip=0.2, eval="every:2"),
        dict(data="wine", n=100, d=None, K=None, sigma=None, flip=0.2, eval="rand:60"),
        dict(opt="rmsprop", lr=0.001, eval="log:30"),
        dict(opt="momentum", lr=0.02, eval="mixlog:30:40"),
        dict(lr=0.01, eval="every"),
    ], lambda d: "%s-n%d%s%s%s%s-h%d-%s-cv%g-beta%g-%s-lr%g" % (
        d["data"], d["n"], "-d%d-K%d" % (d["d"], d["K"]) if d.get("d") else "",
        "-sigma%g" % d["sigma"] if d.get("sigma") else "", "-pull%g" % d["pull"] if d.get("pull") else "",
        "-flip%g" % d["flip"] if d.get("flip") else ("" if d.get("sigma") or d.get("pull") else "-clean"),
        d["hid"], d["critic"], d["cv"], d.get("beta") or 0, d["opt"], d["lr"]))


FAMILIES = {"fair-lagrange": runs_fair_lagrange, "chi2-dro-saddle": runs_chi2_dro_saddle,
            "actor-critic-bandit": runs_actor_critic_bandit}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
