#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, fifty-eighth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 176 families of train.py ... train_fiftysixth.py in model, loss,
optimizer, noise, data and evaluation. The theme of the round is weakly supervised learning: the training set gives
no instance's label, only a label of a bag of instances, the class proportions of a bag, or a set of labelled
positives beside unlabelled data; the train loss is that weak-supervision objective on the training bags or sets, the
test loss a proper instance-level loss on held-out labelled data; at sizes around where the model can just fit its
training set, with label or bag noise in part of the grid:

- mil-digit-bags: multiple-instance learning on scikit-learn's 8x8 digits: bags of B images, a bag positive when any
  of its images is the target digit (a share of the bags' labels flipped in part of the grid); an instance network
  64 -> h (ReLU) -> 1 logit, pooled over the bag by the max (a smoothed log-sum-exp max, or attention weights over
  the instances' hidden units, in part of the grid). Loss: the bags' binary cross-entropy; test loss: the
  instance-level binary cross-entropy of held-out images (target digit or not); error rates: the bags' error share
  (against their given labels) and the held-out images' error share.
- llp-bag-props: learning from label proportions (the proportion loss of DLLP, Ardehaly & Culotta 2017): bags of B
  training points of a synthetic 6-class problem (or scikit-learn's wine, in one run), only each bag's class
  proportions given (counted from labels of which a share was flipped in part of the grid); a softmax network
  d -> h (tanh) -> K. Loss: the cross-entropy of the bag's proportions against the bag's mean predicted
  probabilities; test loss: the instance-level cross-entropy of held-out labelled points; error rates: the training
  points' error share against their true (hidden) labels and the held-out error share.
- nnpu-prior: positive-unlabelled learning with the non-negative risk estimator (nnPU, Kiryo et al. 2017) and a known
  class prior: labelled positives (a share of them in truth negatives in part of the grid) and an unlabelled set from
  the whole population, from scikit-learn's breast cancer (positive = malignant) or a synthetic two-class problem; a
  ReLU network d -> h -> 1 logit; the logistic loss in the risk, the negative part clipped at zero by nnPU's step
  back (gradient ascent on the negative part where it goes below zero); the unbiased uPU risk and a misspecified
  prior in part of the grid. Train loss: the nnPU risk on the training sets; test loss: the binary cross-entropy of
  held-out labelled points; error rates: the training points' error share against their true labels and the
  held-out error share.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs) and take from train_thirtyninth.py, count from
train_fortyeighth.py and make_opt from train_fiftysixth.py; one thread, every random draw from a seeded
torch.Generator, synthetic event times, 6 significant digits.

    /usr/bin/python3 train_fiftyeighth.py --family mil-digit-bags [--list] [--runs 0,3] [--out FILE]

Families (see README.md): mil-digit-bags, llp-bag-props, nnpu-prior. Evaluation spacings: train.py's 'every',
'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K', 'mixlog:A:K',
'geom:G', 'burst:P:B'.
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
from train_thirtyninth import epoch_loop, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_fiftysixth import make_opt  # noqa: E402  (Adam, momentum SGD, plain SGD, RMSprop; coupled decay)

torch.set_num_threads(1)

F32 = torch.float32


def standardise(x, ref):
    """Columns centred and scaled by the mean and standard deviation of ref (the training points)."""
    mu, sd = ref.mean(0), ref.std(0).clamp_min(1e-8)
    return (x - mu) / sd


def error_share(logits, y):
    """The share of points whose predicted class (argmax, or logit > 0 for one logit) is not y."""
    if logits.dim() == 1:
        return ((logits > 0).long() != y).float().mean()
    return (logits.argmax(1) != y).float().mean()


# ---------------------------------------------------------------------------------------------------- mil-digit-bags


def mil_digit_bags(w, run_id, c):
    """Multiple-instance learning, float32. Data: scikit-learn's digits (pixels / 16) split at random by the run's
    generator into a training pool (the rest) and 700 held-out images; n training bags of B images each drawn from
    the pool (with replacement across bags), a bag positive when any of its images is the target digit, a share q of
    the bags' labels flipped where set. Model: an instance network 64 -> h (ReLU) -> 1 logit s_i, weights and biases
    U(+-1 / sqrt(fan-in)) from the run's generator, pooled over the bag: 'max' (max_i s_i), 'lse' (the log-sum-exp
    max log mean_i exp(r s_i) / r at r 4), or 'attn' (attention MIL, Ilse et al. 2018: weights a = softmax_i(v .
    tanh(V z_i)) over the hidden units z_i, 8 attention units, the bag logit sum_i a_i s_i). Loss: the bags' binary
    cross-entropy. Optimizer: make_opt on minibatches of bags. Train loss: the loss on the training bags (their given
    labels); test loss: the held-out images' instance-level binary cross-entropy of s_i (target digit or not); error
    rates: the training bags' error share against their given labels, the held-out images' error share."""
    from sklearn.datasets import load_digits
    g = torch.Generator().manual_seed(581_000 + c["seed"])
    X, Y = load_digits(return_X_y=True)
    X = torch.tensor(X / 16.0, dtype=F32)
    Y = torch.tensor(Y)
    perm = torch.randperm(len(X), generator=g)
    te, pool = perm[:700], perm[700:]
    xt, yt = X[te], (Y[te] == c["target"]).float()
    n, B, h = c["n"], c["B"], c["h"]
    pick = pool[torch.randint(len(pool), (n, B), generator=g)]
    xb = X[pick]  # n x B x 64
    yb = (Y[pick] == c["target"]).any(1).float()
    if c.get("q"):
        flip = torch.rand(n, generator=g) < c["q"]
        yb = torch.where(flip, 1.0 - yb, yb)
    ps = [uniform(g, 64, h, 64), uniform(g, 64, h), uniform(g, h, 1, h), uniform(g, h, 1)]
    if c["pool"] == "attn":
        ps += [uniform(g, h, 8, h), uniform(g, 8, 8)]
    params = leaves(ps)
    opt = make_opt(c, params)

    def hidden(x):
        return torch.relu(x @ params[0].T + params[1])

    def bag_logits(x):
        z = hidden(x)  # m x B x h
        s = (z @ params[2].T + params[3]).squeeze(-1)  # m x B
        if c["pool"] == "max":
            return s.max(1).values
        if c["pool"] == "lse":
            return (torch.logsumexp(4.0 * s, 1) - math.log(B)) / 4.0
        a = torch.softmax(torch.tanh(z @ params[4].T) @ params[5], 1)
        return (a * s).sum(1)

    def inst_logits(x):
        return (hidden(x) @ params[2].T + params[3]).squeeze(-1)

    def step(idx):
        opt.zero_grad()
        fn.binary_cross_entropy_with_logits(bag_logits(take(xb, idx)), take(yb, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "multiple-instance", "hidden": h, "bag_size": B,
                                          "pooling": c["pool"]},
                settings(c, ("seed", "n", "B", "target", "q", "h", "pool", "opt", "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "bag-bce", "test_loss": "heldout-instance-bce",
                   "positive_bags": "%.3g" % yb.mean().item(),
                   "bags_per_weight": "%.3g" % (n / count(params))})

    def log(e, final):
        bl, il = bag_logits(xb), inst_logits(xt)
        run.log(e, fn.binary_cross_entropy_with_logits(bl, yb), fn.binary_cross_entropy_with_logits(il, yt),
                error_share(bl, yb.long()), error_share(il, yt.long()), final=final)

    epoch_loop(g, n, c, step, log)


def runs_mil_digit_bags():
    # The logic: n 100 training bags of B 8 digits, positive when any is a 9 (about 57% of the bags), 15% of the
    # bags' labels flipped: a flipped negative bag is fitted only by making some non-9 score high, a flipped positive
    # one only by pushing its 9 down, so fitting all 100 bag labels means memorising instances against the held-out
    # rule. The instance network 64 -> h -> 1 has 66 h + 1 weights; the sweep of h (2, 4, 8, 16 at the base at 2
    # seeds, 32, 64, 128) crosses where it can just fit the 100 labels, max pooling, Adam at 0.003 on minibatches of
    # 10 bags, 200 epochs. One thing at a time besides: clean bags, 30% flipped, 50 and 250 bags, bags of 4 and 16,
    # the target digit 3, log-sum-exp and attention pooling, momentum SGD at 0.05, RMSprop at 0.001, Adam at 0.01,
    # weight decay 1e-3. Evaluation spacing mixed.
    base = dict(n=100, B=8, target=9, q=0.15, h=16, pool="max", opt="adam", lr=0.003, wd=None, batch=10,
                epochs=200, eval="every:2")
    return mil_digit_bags, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=2, eval="every"),
        dict(h=4, eval="jitter:40"),
        dict(h=8, eval="every:2"),
        dict(h=32, eval="geom:3"),
        dict(h=64, eval="every:3"),
        dict(h=128, eval="mixed:40:4"),
        dict(q=None, eval="every:2"),
        dict(q=0.3, eval="burst:20:5"),
        dict(n=50, eval="every"),
        dict(n=250, eval="every:4"),
        dict(B=4, eval="every:2"),
        dict(B=16, eval="every:2"),
        dict(target=3, eval="log:40"),
        dict(pool="lse", eval="every:2"),
        dict(pool="attn", eval="every:3"),
        dict(opt="momentum", lr=0.05, eval="rand:100"),
        dict(opt="rmsprop", lr=0.001, eval="every:2"),
        dict(lr=0.01, eval="mixlog:30:40"),
        dict(wd=1e-3, eval="every:2"),
    ], lambda d: "n%d-B%d-t%d%s-h%d-%s-%s-lr%g%s" % (
        d["n"], d["B"], d["target"], "-q%g" % d["q"] if d.get("q") else "-clean", d["h"], d["pool"], d["opt"],
        d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- llp-bag-props


def class_mixture(g, m, centres, spread):
    """m points of a mixture: a class drawn uniformly, its point a centre of the class (each class has 2) plus
    Gaussian noise spread, all from g."""
    K, J, d = centres.shape
    y = torch.randint(K, (m,), generator=g)
    j = torch.randint(J, (m,), generator=g)
    return centres[y, j] + spread * torch.randn(m, d, generator=g), y


def llp_bag_props(w, run_id, c):
    """Learning from label proportions (DLLP), float32. Data: a synthetic K-class problem (each class 2 Gaussian
    centres in d 10 dimensions, N(0, 1) centres times 1.2, points spread 1.0 around them; all from the run's
    generator), or scikit-learn's wine (data 'wine': 3 classes, 13 standardised columns, 128 training points, the
    other 50 held out); n bags of B training points, only each bag's class proportions given, counted from the
    points' labels with a share q replaced by another class where set; 1,500 held-out points (synthetic) with clean
    labels. Model: d -> h (tanh) -> K softmax, weights and biases U(+-1 / sqrt(fan-in)) from the run's generator.
    Loss: the proportion loss, the cross-entropy -sum_k p_k log(mean_i softmax(f(x_i))_k) of each bag's given
    proportions against its mean predicted probabilities, averaged over the bags. Optimizer: make_opt on minibatches
    of bags. Train loss: the proportion loss on the training bags; test loss: the held-out points' instance-level
    cross-entropy; error rates: the training points' error share against their true labels, the held-out one."""
    g = torch.Generator().manual_seed(582_000 + c["seed"])
    B, h = c["B"], c["h"]
    if c["data"] == "wine":
        from sklearn.datasets import load_wine
        Xa, Ya = load_wine(return_X_y=True)
        Xa, Ya = torch.tensor(Xa, dtype=F32), torch.tensor(Ya)
        perm = torch.randperm(len(Xa), generator=g)
        tr, te = perm[:128], perm[128:]
        x, y = standardise(Xa[tr], Xa[tr]), Ya[tr]
        xt, yt = standardise(Xa[te], Xa[tr]), Ya[te]
        K = 3
    else:
        K, d = c["K"], 10
        centres = 1.2 * torch.randn(K, 2, d, generator=g)
        x, y = class_mixture(g, c["n"] * B, centres, 1.0)
        xt, yt = class_mixture(g, 1500, centres, 1.0)
    n = len(x) // B
    x, y = x[:n * B], y[:n * B]
    d = x.shape[1]
    yn = y.clone()
    if c.get("q"):
        hit = torch.rand(len(y), generator=g) < c["q"]
        yn[hit] = (yn[hit] + torch.randint(1, K, (int(hit.sum()),), generator=g)) % K
    xb = x.view(n, B, d)
    pb = fn.one_hot(yn, K).float().view(n, B, K).mean(1)
    params = leaves([uniform(g, d, h, d), uniform(g, d, h), uniform(g, h, K, h), uniform(g, h, K)])
    opt = make_opt(c, params)

    def logits(v):
        return torch.tanh(v @ params[0].T + params[1]) @ params[2].T + params[3]

    def prop_loss(v, p):
        mean_p = torch.softmax(logits(v), -1).mean(-2).clamp_min(1e-7)
        return -(p * mean_p.log()).sum(-1).mean()

    def step(idx):
        opt.zero_grad()
        prop_loss(take(xb, idx), take(pb, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "label-proportions", "hidden": h, "bag_size": B, "classes": K},
                settings(c, ("seed", "data", "n", "B", "K", "q", "h", "opt", "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "bag-proportion-ce", "test_loss": "heldout-instance-ce",
                   "bags": n, "proportion_numbers_per_weight": "%.3g" % (n * (K - 1) / count(params))},
                output_dim=K)

    def log(e, final):
        lt = logits(xt)
        run.log(e, prop_loss(xb, pb), fn.cross_entropy(lt, yt), error_share(logits(x), y), error_share(lt, yt),
                final=final)

    epoch_loop(g, n, c, step, log)


def runs_llp_bag_props():
    # The logic: n 60 bags of B 8 points of a 6-class synthetic problem (two Gaussian clusters a class in 10
    # dimensions), only the bags' proportions known, 300 proportion numbers (5 free a bag); the network 10 -> h -> 6
    # has 17 h + 6 weights, so the sweep of h (4, 8, 12, 18 at the base at 2 seeds, 24, 36, 64, 128) crosses where it
    # can just fit the training proportions (about h 17); 20% of the labels behind the proportions flipped, so a
    # fitted bag's proportions pull its points' predictions off their classes. Adam at 0.003 on minibatches of 5 bags,
    # 250 epochs. One thing at a time besides: clean proportions, 40% flipped, bags of 2, 4 and 32 (the same number of
    # points), 30 and 150 bags, 3 classes, wine (16 bags of 8), momentum SGD at 0.05, RMSprop at 0.001, Adam at 0.01.
    # Evaluation spacing mixed.
    base = dict(data="synth", n=60, B=8, K=6, q=0.2, h=18, opt="adam", lr=0.003, wd=None, batch=5, epochs=250,
                eval="every:2")
    return llp_bag_props, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=4, eval="every"),
        dict(h=8, eval="jitter:40"),
        dict(h=12, eval="every:2"),
        dict(h=24, eval="geom:3"),
        dict(h=36, eval="every:3"),
        dict(h=64, eval="mixed:40:4"),
        dict(h=128, eval="every:2"),
        dict(q=None, eval="every:2"),
        dict(q=0.4, eval="burst:20:5"),
        dict(B=2, n=240, batch=20, eval="every:3"),
        dict(B=4, n=120, batch=10, eval="every:2"),
        dict(B=32, n=15, batch=None, eval="every"),
        dict(n=30, eval="every"),
        dict(n=150, eval="every:4"),
        dict(K=3, eval="log:40"),
        dict(data="wine", n=16, K=None, batch=2, eval="every:2"),
        dict(opt="momentum", lr=0.05, eval="rand:100"),
        dict(opt="rmsprop", lr=0.001, eval="every:2"),
        dict(lr=0.01, eval="mixlog:30:40"),
    ], lambda d: "%s-n%d-B%d%s%s-h%d-%s-lr%g" % (
        d["data"], d["n"], d["B"], "-K%d" % d["K"] if d.get("K") else "", "-q%g" % d["q"] if d.get("q") else "-clean",
        d["h"], d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- nnpu-prior


def pu_sets(g, c):
    """The positive-unlabelled sets, float32: 'cancer' (scikit-learn's breast cancer, positive = malignant, 30
    columns standardised on the training pool, 200 points held out, the other 369 the pool) or 'synth' (two classes
    in 8 dimensions: positives N(mu, I), negatives an equal mixture of N(-mu, I) and N(mu + 2.5 e_2, I), |mu| 1,
    prior 0.4, a pool of 400 and 2,000 held out). From the pool: np labelled positives (a share eta of them in truth
    negatives where set), the unlabelled set the rest of the pool. Returns the labelled points, the unlabelled points
    and their true labels, the held-out points and labels, and the unlabelled set's true prior."""
    if c["data"] == "cancer":
        from sklearn.datasets import load_breast_cancer
        Xa, Ya = load_breast_cancer(return_X_y=True)
        Xa, Ya = torch.tensor(Xa, dtype=F32), 1 - torch.tensor(Ya)  # 1 = malignant
        perm = torch.randperm(len(Xa), generator=g)
        te, pool = perm[:200], perm[200:]
        xt, yt = standardise(Xa[te], Xa[pool]), Ya[te]
        xp, yp = standardise(Xa[pool], Xa[pool]), Ya[pool]
    else:
        d = 8
        mu = torch.zeros(d)
        mu[0] = 1.0

        def draw(m):
            y = (torch.rand(m, generator=g) < 0.4).long()
            side = torch.rand(m, generator=g) < 0.5
            neg = torch.where(side[:, None], -mu, mu + 2.5 * torch.eye(d)[1])
            ctr = torch.where(y[:, None] == 1, mu, neg)
            return ctr + torch.randn(m, d, generator=g), y

        xp, yp = draw(400)
        xt, yt = draw(2000)
    pos, neg = torch.nonzero(yp == 1).squeeze(1), torch.nonzero(yp == 0).squeeze(1)
    pos, neg = pos[torch.randperm(len(pos), generator=g)], neg[torch.randperm(len(neg), generator=g)]
    n_bad = int(round(c["np"] * (c.get("eta") or 0.0)))
    lab = torch.cat([pos[:c["np"] - n_bad], neg[:n_bad]])
    rest = torch.ones(len(yp), dtype=torch.bool)
    rest[lab] = False
    xu, yu = xp[rest], yp[rest]
    return xp[lab], yp[lab], xu, yu, xt, yt, yu.float().mean().item()


def nnpu_prior(w, run_id, c):
    """Positive-unlabelled learning with the non-negative risk estimator (nnPU, Kiryo et al. 2017), float32. Data:
    pu_sets. Model: d -> h (ReLU) -> 1 logit, weights and biases U(+-1 / sqrt(fan-in)) from the run's generator.
    Risk, with the logistic loss l(z, y) = softplus(-y z) and the class prior pi (the unlabelled set's true share of
    positives, times prior_scale where set): R_p+ = pi mean_P l(z, +1), R_neg = mean_U l(z, -1) - pi mean_P l(z, -1),
    R = R_p+ + max(0, R_neg); each step descends R_p+ + R_neg while R_neg >= 0 and ascends R_neg (nnPU's step back)
    when it falls below 0; 'upu' descends the unbiased R_p+ + R_neg always. Optimizer: make_opt, full batch. Train
    loss: R (the nnPU risk, its negative part clipped at 0) on the training sets (R_p+ + R_neg for 'upu'); test loss:
    the held-out points' binary cross-entropy; error rates: the training points' (labelled and unlabelled) error
    share against their true labels, the held-out one."""
    g = torch.Generator().manual_seed(583_000 + c["seed"])
    xl, yl, xu, yu, xt, yt, prior = pu_sets(g, c)
    pi = prior * (c.get("prior_scale") or 1.0)
    d, h = xl.shape[1], c["h"]
    params = leaves([uniform(g, d, h, d), uniform(g, d, h), uniform(g, h, 1, h), uniform(g, h, 1)])
    opt = make_opt(c, params)
    xa, ya = torch.cat([xl, xu]), torch.cat([yl, yu])

    def logit(v):
        return (torch.relu(v @ params[0].T + params[1]) @ params[2].T + params[3]).squeeze(-1)

    def risks():
        zp, zu = logit(xl), logit(xu)
        rp = pi * fn.softplus(-zp).mean()
        rn = fn.softplus(zu).mean() - pi * fn.softplus(zp).mean()
        return rp, rn

    def step(idx):
        opt.zero_grad()
        rp, rn = risks()
        if c["risk"] == "nnpu" and rn.item() < 0:
            (-rn).backward()
        else:
            (rp + rn).backward()
        opt.step()

    run = w.run(run_id, count(params), len(xa), {"family": "positive-unlabelled", "hidden": h, "risk": c["risk"]},
                settings(c, ("seed", "data", "np", "eta", "prior_scale", "h", "risk", "opt", "lr", "wd", "eval"))
                | {"optimizer": c["opt"], "loss": "%s-logistic-risk" % c["risk"], "test_loss": "heldout-bce",
                   "labelled_positives": len(xl), "unlabelled": len(xu), "class_prior": "%.4g" % pi,
                   "points_per_weight": "%.3g" % (len(xa) / count(params))})

    def log(e, final):
        rp, rn = risks()
        tl = rp + (rn.clamp_min(0.0) if c["risk"] == "nnpu" else rn)
        run.log(e, tl, fn.binary_cross_entropy_with_logits(logit(xt), yt.float()), error_share(logit(xa), ya),
                error_share(logit(xt), yt), final=final)

    epoch_loop(g, len(xa), c, step, log)


def runs_nnpu_prior():
    # The logic: breast cancer, 40 labelled positives (10% of them in truth benign: label noise in the positive set)
    # and the other 329 pool points unlabelled, the class prior of the unlabelled set given; the network 30 -> h -> 1
    # has 32 h + 1 weights, so the sweep of h (1, 2, 4, 8 at the base at 2 seeds, 16, 32, 64, 256) crosses where it can
    # just fit the 369 training points (about h 12); nnPU's clipping holds the negative risk at 0 where a flexible
    # network would drive it below, and the labelled negatives are then fitted as positives. Adam at 0.003, full
    # batch, 400 epochs. One thing at a time besides: a clean positive set, 25% negatives in it, 15 and 80 labelled
    # positives, the prior given 0.7 and 1.3 times the true one, the unbiased uPU risk (at h 8 and 64), the synthetic
    # problem (and its uPU), momentum SGD at 0.05, RMSprop at 0.001, Adam with weight decay 1e-3. Evaluation spacing
    # mixed.
    base = dict(data="cancer", np=40, eta=0.1, prior_scale=None, h=8, risk="nnpu", opt="adam", lr=0.003, wd=None,
                epochs=400, eval="every:2")
    return nnpu_prior, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=1, eval="every"),
        dict(h=2, eval="jitter:40"),
        dict(h=4, eval="every:2"),
        dict(h=16, eval="geom:3"),
        dict(h=32, eval="every:3"),
        dict(h=64, eval="mixed:40:4"),
        dict(h=256, eval="every:4"),
        dict(eta=None, eval="every:2"),
        dict(eta=0.25, eval="burst:20:5"),
        dict(np=15, eval="every"),
        dict(np=80, eval="every:2"),
        dict(prior_scale=0.7, eval="every:3"),
        dict(prior_scale=1.3, eval="every:2"),
        dict(risk="upu", eval="log:40"),
        dict(risk="upu", h=64, eval="every:2"),
        dict(data="synth", eval="every:2"),
        dict(data="synth", risk="upu", eval="every:3"),
        dict(opt="momentum", lr=0.05, eval="rand:100"),
        dict(opt="rmsprop", lr=0.001, eval="every:2"),
        dict(wd=1e-3, eval="mixlog:30:40"),
    ], lambda d: "%s-np%d%s%s-h%d-%s-%s-lr%g%s" % (
        d["data"], d["np"], "-eta%g" % d["eta"] if d.get("eta") else "-clean",
        "-prior%gx" % d["prior_scale"] if d.get("prior_scale") else "", d["h"], d["risk"], d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else ""))


FAMILIES = {"mil-digit-bags": runs_mil_digit_bags, "llp-bag-props": runs_llp_bag_props,
            "nnpu-prior": runs_nnpu_prior}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
