#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-eighth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is interpretable tabular models: neural additive models (one
small MLP per feature, their outputs summed), input-convex networks (the output convex in the inputs by nonnegative
hidden-to-hidden weights and convex nondecreasing activations) and monotone networks (the output nondecreasing in
chosen features by sign-constrained weights), on scikit-learn's bundled tables (diabetes, breast cancer, wine) or
synthetic rows, target or label noise on the training rows in part of the grid, SGD or Adam:

- nam-additive-mlp: a neural additive model f(x) = sum_j f_j(x_j) + b, each f_j a small MLP of its one feature (ReLU
  units, or the NAM paper's exp-centred ExU units clipped at 1, one or two hidden layers) to the task's outputs,
  all features' nets evaluated at once as batched tensors; scikit-learn's breast cancer (binary cross-entropy on one
  logit), wine (the cross-entropy on 3 logits) or diabetes (the squared error of the standardised progression);
  float32, Adam or momentum SGD, optionally NAM's output penalty (the mean squared shape-function outputs) or weight
  decay. Noise: a share of the training labels flipped, or Gaussian noise on the training targets.
- icnn-convex-reg: an input-convex network (Amos, Xu & Kolter 2017): z1 = act(x A0 + b0), z_{l+1} = act(z_l W_l +
  x A_l + b_l), f = z_L W_L + x A_L + b, the W_l nonnegative (projected by clamping after every step, or written as
  softplus of free weights) and act softplus or ReLU, so f is convex in x; an unconstrained twin (the W_l free) as a
  reference; scikit-learn's diabetes (squared error), the breast cancer (a convex logit under the binary
  cross-entropy) or a synthetic convex target (a scaled log-sum-exp of random affine maps of Gaussian inputs); float32,
  Adam or momentum SGD on minibatches or the whole set. Noise: Gaussian target noise, a share of the training targets
  replaced by other training rows' targets, or flipped labels.
- monotone-minmax-net: networks nondecreasing in chosen features: Sill's min-max network (groups of linear units,
  the max within a group, the min over groups, the weights of the monotone features sign * exp(free)) or a monotone
  MLP (the monotone features' first-layer weights sign * |free|, every later weight |free|, tanh or ReLU), the monotone
  features the m with the largest absolute correlation with the training target (the sign theirs); an unconstrained
  MLP as a reference; scikit-learn's diabetes (squared error), the breast cancer (binary cross-entropy) or a synthetic
  monotone target (a sum of sigmoids of Gaussian inputs plus an unconstrained sine); float32, Adam or momentum SGD.
  Noise: Gaussian target noise or flipped labels.

Train loss: the training objective's data term (the squared error, binary or multiclass cross-entropy) on the training
rows at their given (noisy) targets or labels; test loss: the same loss on the held-out rows at their true targets
(for the synthetic targets, on 2,000 fresh rows at the clean target); error rates (the classifiers only): the
misclassified shares. A run whose loss turns NaN or infinite sends that evaluation as its last and stops
(train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py and logger and
train_until (train_thirtyninth.py's epoch_loop with eval_epochs) from train_seventyfourth.py; one thread, every random
draw from a seeded torch.Generator (splits, noise, label flips, synthetic rows, initialisations, minibatches),
synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_hundredeighth.py --family nam-additive-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): nam-additive-mlp, icnn-convex-reg, monotone-minmax-net. Evaluation spacings: train.py's
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
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F32 = torch.float32


# ---------------------------------------------------------------------------------------------------- shared parts


def tab_data(g, c):
    """(x, noisy training targets, xt, true test targets, K): K 0 for a regression (float targets), 2 for a binary
    task (labels 0/1), 3 for the wine. 'diabetes' (the progression standardised on the n training rows), 'cancer',
    'wine': scikit-learn's table split at random (g) into n training rows and the rest held out, the columns
    standardised on the training rows; 'convex' / 'monotone': synthetic rows (see convex_target, monotone_target), n
    for training and 2,000 fresh test rows at the clean target. Noise on the training rows only: 'sd' Gaussian target
    noise, 'swap' a share of the training targets replaced by other training rows' targets, 'flip' a share of the
    labels flipped (flip_labels)."""
    name = c["data"]
    if name in ("convex", "monotone"):
        d = c["d"]
        x = torch.randn(c["n"], d, generator=g)
        xt = torch.randn(2000, d, generator=g)
        f = convex_target(g, d) if name == "convex" else monotone_target(g, d)
        y, yt = f(x), f(xt)
        s = float(yt.std())
        y, yt, K = y / s, yt / s, 0
    else:
        import sklearn.datasets as ds
        load = {"diabetes": ds.load_diabetes, "cancer": ds.load_breast_cancer, "wine": ds.load_wine}[name]
        xs, ys = load(return_X_y=True)
        X = torch.tensor(xs, dtype=F32)
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        X = (X - X[tr].mean(0)) / X[tr].std(0)
        if name == "diabetes":
            Y = torch.tensor(ys, dtype=F32)
            Y = (Y - Y[tr].mean()) / Y[tr].std()
            K = 0
        else:
            Y = torch.tensor(ys)
            K = int(Y.max()) + 1
        x, y, xt, yt = X[tr], Y[tr], X[te], Y[te]
    if K:
        y = flip_labels(g, y, K, c.get("flip"))
    else:
        if c.get("sd"):
            y = y + c["sd"] * torch.randn(len(y), generator=g)
        if c.get("swap"):
            hit = torch.rand(len(y), generator=g) < c["swap"]
            y = torch.where(hit, y[torch.randint(0, len(y), (len(y),), generator=g)], y)
    return x, y, xt, yt, K


def convex_target(g, d):
    """A convex function of x: log sum_j exp(x . a_j + b_j) over 8 random affine maps (a_j N(0, I / d) times 2, b_j
    N(0, 1)), plus a small quadratic 0.1 |x|^2 / d; from g."""
    A = 2 * torch.randn(d, 8, generator=g) / math.sqrt(d)
    b = torch.randn(8, generator=g)
    return lambda z: torch.logsumexp(z @ A + b, 1) + 0.1 * (z * z).sum(1) / d


def monotone_target(g, d):
    """A function nondecreasing in the first half of the inputs: sum over those of w_j sigmoid(3 x_j + c_j) (w_j
    U(0.5, 1.5)) plus sin(x . v) over the other half (v N(0, I) / sqrt), from g."""
    h = d // 2
    w = 0.5 + torch.rand(h, generator=g)
    cc = torch.randn(h, generator=g)
    v = torch.randn(d - h, generator=g) / math.sqrt(d - h)
    return lambda z: (w * torch.sigmoid(3 * z[:, :h] + cc)).sum(1) + torch.sin(2 * z[:, h:] @ v)


def task_loss(K):
    """The data term: the squared error (K 0), the binary cross-entropy of one logit (K 2), the cross-entropy
    (K > 2)."""
    if K == 0:
        return lambda o, t: ((o[:, 0] - t) ** 2).mean()
    if K == 2:
        return lambda o, t: fn.binary_cross_entropy_with_logits(o[:, 0], t.to(o.dtype))
    return fn.cross_entropy


def make_opt(params, c):
    """'adam': Adam (L2 'wd' coupled); 'sgd': SGD with heavy-ball momentum 'mom' (0.9 by default) and L2 'wd'."""
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    return torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.9, weight_decay=c.get("wd") or 0.0)


def fit_tab(w, run_id, c, g, params, forward, x, y, xt, yt, K, model_info, tags, penalty=None, project=None):
    """Trains forward(rows) -> outputs (1 for K 0 or 2, K otherwise) on (x, y) by make_opt on minibatches of 'batch'
    (the whole set where unset), the data term task_loss(K) plus penalty(rows) where given, project() after every step
    (a projection onto the constraint set); logs the data term on the training rows at y and on the held-out rows at
    yt, with the misclassified shares for the classifiers."""
    n = len(y)
    loss = task_loss(K)
    opt = make_opt(params, c)

    def step(idx):
        opt.zero_grad()
        xb = take(x, idx)
        o = loss(forward(xb), take(y, idx))
        if penalty is not None:
            o = o + penalty(xb)
        o.backward()
        opt.step()
        if project is not None:
            with torch.no_grad():
                project()

    def pred(o):
        return (o[:, 0] > 0).long() if K == 2 else o.argmax(1)

    run = w.run(run_id, count(params), n, model_info,
                tags | {"optimizer": c["opt"], "test_loss": "heldout-" + ("mse" if K == 0 else "ce") + "-true-targets",
                        "loss": {0: "mse", 2: "binary-cross-entropy"}.get(K, "cross-entropy"),
                        "test_size": str(len(yt)), "full_batch": "false" if c.get("batch") else "true"}
                | ({"error": "misclassified"} if K else {}),
                output_dim=K if K > 2 else 1)
    log_ = logger(run)

    def log(e, final):
        o, ot = forward(x), forward(xt)
        if K:
            log_(e, loss(o, y), loss(ot, yt), (pred(o) != y).float().mean(), (pred(ot) != yt).float().mean(),
                 final=final)
        else:
            log_(e, loss(o, y), loss(ot, yt), final=final)

    train_until(g, n, c, step, log)


def noise_name(d):
    return ("-flip%g" % d["flip"] if d.get("flip") else "") + ("-sd%g" % d["sd"] if d.get("sd") else "") + \
        ("-swap%g" % d["swap"] if d.get("swap") else "") + \
        ("" if d.get("flip") or d.get("sd") or d.get("swap") else "-clean")


# --------------------------------------------------------------------------------------------------- nam-additive-mlp


def nam_additive_mlp(w, run_id, c):
    """A neural additive model, float32. Data (from the run's generator): tab_data. Model: one MLP per feature j,
    x_j -> hid units ('relu': relu(x_j a + b), a and b U(+-1); 'exu': min(relu(exp(a) (x_j - b)), 1), a N(4, 0.5) and
    b drawn from the training values of x_j, as in Agarwal et al. 2021) -> ('depth' 2: a second ReLU layer of hid,
    U(+-1 / sqrt(hid))) -> out outputs (U(+-1 / sqrt(hid))), summed over the features plus a bias (zero). Loss:
    task_loss plus 'outpen' times the mean over rows and features of the squared shape-function outputs (NAM's output
    penalty) where set; optimizer make_opt."""
    g = torch.Generator().manual_seed(1_081_000 + c["seed"])
    x, y, xt, yt, K = tab_data(g, c)
    n, d = x.shape
    h, out = c["hid"], 1 if K <= 2 else K
    if c["unit"] == "exu":
        a1 = 4.0 + 0.5 * torch.randn(d, h, generator=g)
        b1 = x[torch.randint(0, n, (d, h), generator=g), torch.arange(d)[:, None]].clone()
    else:
        a1 = torch.rand(d, h, generator=g) * 2 - 1
        b1 = torch.rand(d, h, generator=g) * 2 - 1
    ps = [a1, b1]
    if c["depth"] == 2:
        ps += [uniform(g, h, d, h, h), uniform(g, h, d, h)]
    ps += [uniform(g, h, d, h, out), torch.zeros(out)]
    params = leaves(ps)

    def shapes(z):
        """The shape functions' outputs, rows x features x outputs."""
        if c["unit"] == "exu":
            u = torch.clamp(torch.relu(torch.exp(params[0]) * (z[:, :, None] - params[1])), max=1.0)
        else:
            u = torch.relu(z[:, :, None] * params[0] + params[1])
        if c["depth"] == 2:
            u = torch.relu(torch.einsum("ndh,dhk->ndk", u, params[2]) + params[3])
        return torch.einsum("ndh,dhk->ndk", u, params[-2])

    def forward(z):
        return shapes(z).sum(1) + params[-1]

    pen = None
    if c.get("outpen"):
        def pen(z):
            return c["outpen"] * (shapes(z) ** 2).mean()

    fit_tab(w, run_id, c, g, params, forward, x, y, xt, yt, K,
            {"family": "neural-additive-model", "features": d, "hidden": h, "depth": c["depth"], "unit": c["unit"]},
            settings(c, ("seed", "data", "n", "flip", "sd", "unit", "hid", "depth", "opt", "lr", "mom", "wd",
                         "outpen", "batch", "eval")), penalty=pen)


def runs_nam_additive_mlp():
    # The logic: 120 breast-cancer patients (30 standardised columns), 20% of their labels flipped; a neural additive
    # model, one MLP 1 -> 16 ReLU -> 16 ReLU -> 1 per column (9,601 weights in all, about 80 a patient), so each
    # column's shape function is a piecewise-linear curve with dozens of kinks: the additive part that separates the
    # tumours is learnt first, then the curves bend to reach the flipped patients (each sits at its own values of
    # the 30 columns), the held-out cross-entropy rising as they do. Adam at 3e-3 on minibatches of 40, 100 epochs;
    # the other 449 patients held out. One thing at a time besides: clean and 35% flipped labels; ExU units (sharp,
    # exp-centred: NAM's units for jagged shape functions); one hidden layer; width 8 and 48; momentum SGD at 0.05;
    # the step 1e-2; NAM's output penalty 1e-2; L2 1e-3; the whole set a step (200 epochs); 60 and 250 patients; the
    # wine (80 training wines, three logits, 20% flipped; ExU in 1 run) and the diabetes (150 patients, the squared
    # error, Gaussian noise of sd 0.5 and of sd 1 on the standardised training targets; ExU in 1 run). Evaluation
    # spacing mixed.
    base = dict(data="cancer", n=120, flip=0.2, sd=None, unit="relu", hid=16, depth=2, opt="adam", lr=3e-3, mom=None,
                wd=None, outpen=None, batch=40, epochs=100, eval="every")
    return nam_additive_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(flip=None, eval="every:2"),
        dict(flip=0.35, eval="jitter:40"),
        dict(unit="exu", eval="every"),
        dict(depth=1, eval="every:3"),
        dict(hid=8, eval="log:40"),
        dict(hid=48, eval="every:2"),
        dict(opt="sgd", lr=0.05, mom=0.9, eval="mixed:40:4"),
        dict(lr=1e-2, eval="every"),
        dict(outpen=1e-2, eval="geom:3"),
        dict(wd=1e-3, eval="every:2"),
        dict(batch=None, epochs=200, eval="every:2"),
        dict(n=60, eval="burst:25:5"),
        dict(n=250, eval="every"),
        dict(data="wine", n=80, eval="every:2"),
        dict(data="wine", n=80, unit="exu", eval="mixlog:30:40"),
        dict(data="diabetes", n=150, flip=None, sd=0.5, eval="every"),
        dict(data="diabetes", n=150, flip=None, sd=1.0, eval="rand:100"),
        dict(data="diabetes", n=150, flip=None, sd=0.5, unit="exu", eval="every:3"),
    ], lambda d: "%s-n%d%s-%s%dx%d-%s-lr%g%s%s-%s" % (
        d["data"], d["n"], noise_name(d), d["unit"], d["depth"], d["hid"], d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else "", "-outpen%g" % d["outpen"] if d.get("outpen") else "",
        "b%d" % d["batch"] if d.get("batch") else "full"))


# ---------------------------------------------------------------------------------------------------- icnn-convex-reg


def icnn_convex_reg(w, run_id, c):
    """An input-convex network, float32. Data (from the run's generator): tab_data. Model: 'depth' hidden layers of
    'hid' units: z1 = act(x A0 + b0), z_{l+1} = act(z_l W_l + x A_l + b_l), f = z_L W_L + x A_L + b (one output); the
    A_l and b_l U(+-1 / sqrt(fan-in)); the W_l U(0, 1 / hid) ('clamp': free weights clamped at 0 after every
    step; 'softplus': W_l = softplus(V_l), V_l drawn so that softplus(V_l) is that draw; 'free': unconstrained, U(+-1 /
    sqrt(hid)), not convex, a reference). act: softplus or ReLU (convex, nondecreasing). Loss: task_loss; optimizer
    make_opt."""
    g = torch.Generator().manual_seed(1_082_000 + c["seed"])
    x, y, xt, yt, K = tab_data(g, c)
    n, d = x.shape
    h, L = c["hid"], c["depth"]
    ps = [uniform(g, d, d, h), uniform(g, d, h)]
    for j in range(L):
        last = j == L - 1
        o = 1 if last else h
        if c["cons"] == "free":
            W = uniform(g, h, h, o)
        else:
            W = torch.rand(h, o, generator=g) / h
            if c["cons"] == "softplus":
                W = torch.log(torch.expm1(W.clamp_min(1e-4)))  # the inverse of softplus
        ps += [W, uniform(g, d, d, o), uniform(g, d, o)]
    params = leaves(ps)
    act = fn.softplus if c["act"] == "softplus" else torch.relu

    def pos(W):
        return fn.softplus(W) if c["cons"] == "softplus" else W

    def forward(z0):
        z = act(z0 @ params[0] + params[1])
        for j in range(L):
            W, A, b = params[2 + 3 * j:5 + 3 * j]
            u = z @ pos(W) + z0 @ A + b
            z = u if j == L - 1 else act(u)
        return z

    def project():
        for j in range(L):
            params[2 + 3 * j].clamp_(min=0.0)

    fit_tab(w, run_id, c, g, params, forward, x, y, xt, yt, K,
            {"family": "input-convex-network" if c["cons"] != "free" else "mlp-input-skips", "features": d,
             "hidden": h, "depth": L, "activation": c["act"]},
            settings(c, ("seed", "data", "n", "d", "flip", "sd", "swap", "hid", "depth", "act", "cons", "opt", "lr",
                         "mom", "wd", "batch", "eval"))
            | {"convex": "false" if c["cons"] == "free" else "true"},
            project=project if c["cons"] == "clamp" else None)


def runs_icnn_convex_reg():
    # The logic: 150 diabetes patients (10 standardised columns), Gaussian noise of sd 0.5 on their standardised
    # progression; an input-convex network with two hidden layers of 64 softplus units, the hidden-to-hidden and
    # output weights clamped nonnegative after every step (the original ICNN), skip connections from the inputs to
    # every layer (5,579 weights, about 37 a patient): the fit is convex in the 10 columns, which still leaves room to
    # chase the noise near the edges of the data (a convex function can bend up sharply where few patients are), the
    # held-out squared error (292 patients at their true progression) rising once it does. Adam at 3e-3 on
    # minibatches of 30, 400 epochs. One thing at a time besides: clean targets and sd 1; a share (25%) of the training
    # targets swapped for other patients'; ReLU; one and three hidden layers; width 16 and 256; the softplus
    # parameterisation of the nonnegative weights; the unconstrained twin (free weights: an MLP with input skips);
    # momentum SGD at 0.01; the step 1e-2; the whole set a step (1,000 epochs); 80 and 300 patients; the synthetic
    # convex target (a log-sum-exp of 8 affine maps of 8 Gaussian inputs, 100 rows, sd 0.5; and its unconstrained
    # twin); the breast cancer (120 patients, 20% flipped, a convex logit). Evaluation spacing mixed.
    base = dict(data="diabetes", n=150, d=None, flip=None, sd=0.5, swap=None, hid=64, depth=2, act="softplus",
                cons="clamp", opt="adam", lr=3e-3, mom=None, wd=None, batch=30, epochs=400, eval="every:2")
    return icnn_convex_reg, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(sd=None, eval="every:2"),
        dict(sd=1.0, eval="jitter:40"),
        dict(sd=None, swap=0.25, eval="every"),
        dict(act="relu", eval="every:3"),
        dict(depth=1, eval="log:40"),
        dict(depth=3, eval="every:2"),
        dict(hid=16, eval="mixed:40:3"),
        dict(hid=256, eval="every"),
        dict(cons="softplus", eval="geom:3"),
        dict(cons="free", eval="every:2"),
        dict(opt="sgd", lr=0.01, mom=0.9, eval="burst:25:5"),
        dict(lr=1e-2, eval="every"),
        dict(batch=None, epochs=1000, eval="every:5"),
        dict(n=80, eval="every:2"),
        dict(n=300, eval="mixlog:30:40"),
        dict(data="convex", n=100, d=8, eval="every"),
        dict(data="convex", n=100, d=8, cons="free", eval="rand:100"),
        dict(data="cancer", n=120, sd=None, flip=0.2, eval="every:3"),
    ], lambda d: "%s-n%d%s%s-%s%dx%d-%s-%s-lr%g-%s" % (
        d["data"], d["n"], "-d%d" % d["d"] if d.get("d") else "", noise_name(d), d["act"], d["depth"], d["hid"],
        d["cons"], d["opt"], d["lr"], "b%d" % d["batch"] if d.get("batch") else "full"))


# ------------------------------------------------------------------------------------------------ monotone-minmax-net


def monotone_minmax_net(w, run_id, c):
    """A network nondecreasing in chosen features, float32. Data (from the run's generator): tab_data. The monotone
    features: the 'mono' columns of largest absolute correlation with the training target (the labels for the
    cancer), each with the sign s_j of that correlation (the synthetic target: its first half, sign +1). Models:
    'minmax' (Sill 1998): 'groups' groups of 'units' linear units u = x w + b, f = min over groups of the max within
    the group, the monotone columns' weights s_j exp(v) (v N(-1, 0.5)), the others free (N(0, 1 / d)), b N(0, 1);
    'posmlp': a ReLU or tanh MLP ('act') of 'depth' hidden layers of 'hid' units, the monotone columns' first-layer
    weights s_j |v|, every later weight |v| (so every path from a monotone column is nondecreasing), the rest free,
    U(+-1 / sqrt(fan-in)) (the later weights U(+-1 / fan-in), their sum kept near the default scale's); 'free': the
    same MLP unconstrained (a reference, not monotone). Loss: task_loss; optimizer make_opt.
    """
    g = torch.Generator().manual_seed(1_083_000 + c["seed"])
    x, y, xt, yt, K = tab_data(g, c)
    n, d = x.shape
    if c["data"] == "monotone":
        sign = torch.cat([torch.ones(d // 2), torch.zeros(d - d // 2)])
    else:
        yc = y.to(F32) - y.to(F32).mean()
        xc = x - x.mean(0)
        corr = (xc * yc[:, None]).mean(0) / (xc.std(0) * yc.std() + 1e-12)
        top = corr.abs().argsort(descending=True)[:c.get("mono") or 0]
        sign = torch.zeros(d)
        sign[top] = torch.sign(corr[top])
    mono = sign != 0
    if c["arch"] == "minmax":
        G, J = c["groups"], c["units"]
        params = leaves([torch.randn(d, G * J, generator=g) / math.sqrt(d) - 1.0 * mono[:, None] +
                         0.5 * torch.randn(d, G * J, generator=g) * mono[:, None],
                         torch.randn(G * J, generator=g)])
        # the monotone rows are the log-magnitudes v (N(-1, 0.5) plus the free draw's small N(0, 1 / d))

        def forward(z):
            Wm = torch.where(mono[:, None], sign[:, None] * torch.exp(params[0]), params[0])
            u = (z @ Wm + params[1]).view(len(z), G, J)
            return u.max(2).values.min(1, keepdim=True).values
        info = {"family": "min-max-network", "groups": G, "units": J}
    else:
        act = torch.tanh if c["act"] == "tanh" else torch.relu
        h, L = c["hid"], c["depth"]
        sizes = [d] + [h] * L + [1]
        ps = []
        free = c["arch"] == "free"
        for j, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
            ps += [uniform(g, a, a, b) / (1 if free or j == 0 else math.sqrt(a)), uniform(g, a, b)]
        params = leaves(ps)

        def forward(z):
            for i in range(0, len(params), 2):
                W = params[i]
                if not free:
                    W = torch.where(mono[:, None], sign[:, None] * W.abs(), W) if i == 0 else W.abs()
                z = z @ W + params[i + 1]
                if i + 2 < len(params):
                    z = act(z)
            return z
        info = {"family": "monotone-mlp" if not free else "mlp", "hidden": h, "depth": L, "activation": c["act"]}

    fit_tab(w, run_id, c, g, params, forward, x, y, xt, yt, K, info | {"features": d},
            settings(c, ("seed", "data", "n", "d", "flip", "sd", "mono", "arch", "groups", "units", "hid", "depth",
                         "act", "opt", "lr", "mom", "wd", "batch", "eval"))
            | {"monotone_features": "0" if c["arch"] == "free" else str(int(mono.sum())),
               "monotone": "false" if c["arch"] == "free" else "true"})


def runs_monotone_minmax_net():
    # The logic: 150 diabetes patients (10 standardised columns), Gaussian noise of sd 0.5 on their standardised
    # progression; a monotone ReLU MLP 10 -> 64 -> 64 -> 1 nondecreasing in the 4 columns most correlated with the
    # training progression (their first-layer weights signed by the correlation, every later weight |.|; 4,929
    # weights, about 33 a patient), the other 6 columns free: the monotone directions cannot bend back to a noisy
    # patient, the free ones can, so the fit chases the noise more slowly than an unconstrained net, the held-out
    # squared error (292 patients at their true progression) rising once it does. Adam at 3e-3 on minibatches of 30,
    # 400 epochs. One thing at a time besides: clean targets and sd 1; all 10 columns monotone and only 2; tanh; one
    # hidden layer; width 256; Sill's min-max network (4 groups of 4 units, and 8 of 8); the unconstrained MLP as a
    # reference; momentum SGD at 0.01; the step 1e-2; the whole set a step (1,000 epochs); 80 and 300 patients; the
    # synthetic monotone target (8 Gaussian inputs, the first 4 monotone, 100 rows, sd 0.5; and its unconstrained
    # twin); the breast cancer (120 patients, 20% flipped, 10 monotone columns; and the min-max network on it).
    # Evaluation spacing mixed.
    base = dict(data="diabetes", n=150, d=None, flip=None, sd=0.5, mono=4, arch="posmlp", groups=None, units=None,
                hid=64, depth=2, act="relu", opt="adam", lr=3e-3, mom=None, wd=None, batch=30, epochs=400,
                eval="every")
    mm = dict(arch="minmax", hid=None, depth=None, act=None)
    return monotone_minmax_net, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(sd=None, eval="every:2"),
        dict(sd=1.0, eval="jitter:40"),
        dict(mono=10, eval="every"),
        dict(mono=2, eval="every:3"),
        dict(act="tanh", eval="log:40"),
        dict(depth=1, eval="every:2"),
        dict(hid=256, eval="mixed:40:3"),
        dict(mm, groups=4, units=4, eval="every"),
        dict(mm, groups=8, units=8, eval="geom:3"),
        dict(arch="free", mono=None, eval="every:2"),
        dict(opt="sgd", lr=0.01, mom=0.9, eval="burst:25:5"),
        dict(lr=1e-2, eval="every"),
        dict(batch=None, epochs=1000, eval="every:5"),
        dict(n=80, eval="every:2"),
        dict(n=300, eval="mixlog:30:40"),
        dict(data="monotone", n=100, d=8, mono=None, eval="every"),
        dict(data="monotone", n=100, d=8, mono=None, arch="free", eval="rand:100"),
        dict(data="cancer", n=120, sd=None, flip=0.2, mono=10, eval="every:3"),
        dict(mm, data="cancer", n=120, sd=None, flip=0.2, mono=10, groups=8, units=8, eval="every:2"),
    ], lambda d: "%s-n%d%s%s-%s%s-mono%s-%s-lr%g-%s" % (
        d["data"], d["n"], "-d%d" % d["d"] if d.get("d") else "", noise_name(d), d["arch"],
        "%dx%d" % (d["groups"], d["units"]) if d["arch"] == "minmax" else "-%s%dx%d" % (d["act"], d["depth"], d["hid"]),
        d["mono"] if d.get("mono") else ("half" if d["data"] == "monotone" and d["arch"] != "free" else "0"),
        d["opt"], d["lr"], "b%d" % d["batch"] if d.get("batch") else "full"))


FAMILIES = {"nam-additive-mlp": runs_nam_additive_mlp, "icnn-convex-reg": runs_icnn_convex_reg,
            "monotone-minmax-net": runs_monotone_minmax_net}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
