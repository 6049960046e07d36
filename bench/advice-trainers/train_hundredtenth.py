#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-tenth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is sparsity-inducing penalties: linear models and MLPs trained
by proximal gradient with an L1 or a group-lasso penalty, or with a relaxed-L0 (hard-concrete) gate penalty, on
scikit-learn's data padded with pure-noise features, the penalty strength on both sides of what the data support
(from none, which lets the noise features fit the training noise, to one that prunes the real features too), label or
target noise in part of the grid; the test loss is the UNPENALISED loss on held-out rows:

- proxl1-padded-linear: a linear model (least squares on scikit-learn's diabetes, the multinomial logistic loss on the
  breast cancer and the wine) on the real columns plus 'pad' noise columns (Gaussian, or the real columns with their
  rows shuffled), an L1 penalty lam |W|_1 on the weights (not the bias), trained from zero by ISTA, FISTA, FISTA with
  adaptive (function-value) restart, or proximal minibatch SGD, the step lr over the Lipschitz bound of the smooth
  part; float64. Noise: Gaussian target noise on the diabetes, flipped labels on the classification sets.
- grouplasso-input-mlp: a one-hidden-layer ReLU MLP on padded data (breast cancer, wine, digits, diabetes), a
  group-lasso penalty lam sum_j |w_j|_2 over the input features' rows of the first layer ('input'), over the hidden
  units' fan-in-and-fan-out groups ('units'), or the sparse group lasso (half L1, half group), applied by its proximal
  map (block soft-thresholding) after every SGD, momentum-SGD or Adam step; float32. Noise: flipped labels, Gaussian
  target noise on the diabetes.
- hardconcrete-l0-mlp: a one-hidden-layer ReLU MLP whose inputs (or hidden units) pass through hard-concrete gates
  (Louizos, Welling & Kingma 2018: z = min(1, max(0, sigmoid((log u - log(1 - u) + log_alpha) / beta) (zeta - gamma)
  + gamma)), u uniform from the run's generator, gamma -0.1, zeta 1.1), the penalty lam times the expected number of
  open gates, trained by Adam or momentum SGD on minibatches; at evaluation the gates are deterministic
  (min(1, max(0, sigmoid(log_alpha) (zeta - gamma) + gamma))); float32. Data: padded diabetes, breast cancer, wine.

Train loss: the unpenalised loss (the mean squared error of the standardised target, or the cross-entropy) on the
training rows at their given (noisy) targets, the model in its evaluation form; test loss: the same on the held-out
rows at their true targets; error rates (classification): the misclassified shares. A run whose loss turns NaN or
infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, leaves and real_classes from train_thirtysixth.py, take and
flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and mlp from train_sixtyfifth.py,
logger and train_until from train_seventyfourth.py and regression_data (the diabetes, split and standardised, Gaussian
target noise) from train_seventysixth.py; one thread, every random draw from a seeded
torch.Generator (splits, flips, target noise, noise features, initialisations, minibatches, gate noise), synthetic
event times, 6 significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_hundredtenth.py --family proxl1-padded-linear [--list] [--runs 0,3] [--out FILE]

Families (see README.md): proxl1-padded-linear, grouplasso-input-mlp, hardconcrete-l0-mlp. Evaluation spacings:
train.py's 'every', 'every:K', 'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's
'mixed:A:K', 'mixlog:A:K', 'geom:G', 'burst:P:B'.
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
from train_thirtysixth import leaves, real_classes  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import regression_data  # noqa: E402  (the diabetes, standardised; target noise)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- shared parts


def padded_data(g, c, dtype):
    """(x, y, xt, yt, K): 'diabetes' regression_data (K None; Gaussian noise of sd 'sd' on the training targets where
    set), or real_classes 'cancer' / 'wine' / 'digits' (scikit-learn's digits, pixels standardised on the training rows,
    blank pixels left at 0; K classes, a share 'flip' of the training labels flipped); then 'pad' noise columns
    appended to training and held-out rows alike: 'gauss' N(0, 1), or 'shuffle' real columns (cycled) with their rows
    permuted, so that they keep the real columns' marginals but carry nothing about the target. All from g."""
    if c["data"] == "diabetes":
        x, y, xt, yt = regression_data(g, dict(c, sd=c.get("sd")))
        x, y, xt, yt, K = x.to(dtype), y.to(dtype), xt.to(dtype), yt.to(dtype), None
    elif c["data"] == "digits":
        from sklearn.datasets import load_digits
        xs, ys = load_digits(return_X_y=True)
        X, Y = torch.tensor(xs, dtype=dtype), torch.tensor(ys)
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        sd = X[tr].std(0)
        X = (X - X[tr].mean(0)) / torch.where(sd > 1e-6, sd, torch.ones_like(sd))
        x, y, xt, yt, K = X[tr], Y[tr], X[te], Y[te], 10
    else:
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], 1.0, dtype)
    if K is not None:
        y = flip_labels(g, y, K, c.get("flip"))
    P = c.get("pad") or 0
    if P:
        if c.get("pad_kind") == "shuffle":
            allx = torch.cat([x, xt])
            cols = [j % allx.shape[1] for j in range(P)]
            z = torch.stack([allx[torch.randperm(len(allx), generator=g), j] for j in cols], 1)
        else:
            z = torch.randn(len(x) + len(xt), P, generator=g, dtype=F64).to(dtype)
        x, xt = torch.cat([x, z[:len(x)]], 1), torch.cat([xt, z[len(x):]], 1)
    return x, y, xt, yt, K


def loss_of(K, out, t):
    """The unpenalised loss: the mean squared error (K None, one output) or the cross-entropy."""
    if K is None:
        return ((out[:, 0] - t) ** 2).mean()
    return fn.cross_entropy(out, t)


def errors(K, out, t):
    return None if K is None else (out.argmax(1) != t).to(out.dtype).mean()


def data_tags(c, K, xt):
    return {"test_loss": "heldout-mse" if K is None else "heldout-ce-true-labels",
            "loss": "mse" if K is None else "cross-entropy", "test_size": str(len(xt))} \
        | ({} if K is None else {"error": "misclassified"})


def soft_threshold(v, t):
    return torch.sign(v) * torch.clamp(v.abs() - t, min=0.0)


def group_shrink(v, t, dim):
    """Block soft-thresholding: each slice along dim (a group) scaled by max(0, 1 - t / |group|_2)."""
    norm = v.norm(dim=dim, keepdim=True)
    return v * torch.clamp(1 - t / norm.clamp_min(1e-12), min=0.0)


# ----------------------------------------------------------------------------------------------- proxl1-padded-linear


def proxl1_padded_linear(w, run_id, c):
    """A linear model on padded data, float64. Data (from the run's generator): padded_data. Model: x W + b, W (d x K,
    one column for the diabetes), from zero. Smooth part: half the mean squared error (the diabetes) or the
    multinomial cross-entropy; its Lipschitz bound L the largest eigenvalue of X^T X / n (half that for the
    cross-entropy, the bound of the softmax's curvature), the bias column included. Penalty lam |W|_1 (the bias not
    penalised). Optimizer, 'spe' proximal steps an epoch (one pass of minibatches of 'batch' for 'psgd'), step lr / L:
    'ista' W <- prox(W - step grad); 'fista' Beck and Teboulle's momentum t_{k+1} = (1 + sqrt(1 + 4 t_k^2)) / 2 on the
    prox steps; 'fista-restart' the same, the momentum reset whenever the penalised objective rises (O'Donoghue and
    Candes' function-value restart); 'psgd' proximal SGD on minibatches (the prox after each minibatch step)."""
    g = torch.Generator().manual_seed(1_101_000 + c["seed"])
    x, y, xt, yt, K = padded_data(g, c, F64)
    n, d = x.shape
    k = 1 if K is None else K
    xb = torch.cat([x, torch.ones(n, 1, dtype=F64)], 1)
    L = float(torch.linalg.eigvalsh(xb.T @ xb / n)[-1]) * (1.0 if K is None else 0.5)
    step_size, lam = c["lr"] / L, c.get("lam") or 0.0
    st = {"W": torch.zeros(d, k, dtype=F64), "b": torch.zeros(k, dtype=F64), "t": 1.0, "obj": math.inf}
    st["Wp"], st["bp"] = st["W"].clone(), st["b"].clone()  # the last prox point (FISTA's x_{k-1})

    def smooth_grad(W, b, idx):
        xi, yi = take(x, idx), take(y, idx)
        out = xi @ W + b
        if K is None:
            r = (out[:, 0] - yi)[:, None]
        else:
            r = torch.softmax(out, 1) - fn.one_hot(yi, K).to(F64)
        return xi.T @ r / len(xi), r.mean(0)

    def objective(W, b):
        out = x @ W + b
        sm = 0.5 * loss_of(K, out, y) if K is None else loss_of(K, out, y)
        return float(sm) + lam * float(W.abs().sum())

    def prox_step(W, b, idx):
        gW, gb = smooth_grad(W, b, idx)
        return soft_threshold(W - step_size * gW, step_size * lam), b - step_size * gb

    def step(idx):
        for _ in range(1 if idx is not None else (c.get("spe") or 1)):
            if c["opt"] in ("ista", "psgd"):
                st["W"], st["b"] = prox_step(st["W"], st["b"], idx)
                continue
            # FISTA: st W, b the extrapolated point y_k; Wp, bp the last prox point x_{k-1}
            Wn, bn = prox_step(st["W"], st["b"], None)
            if c["opt"] == "fista-restart":
                o = objective(Wn, bn)
                if o > st["obj"]:
                    st["t"] = 1.0
                st["obj"] = o
            t1 = (1 + math.sqrt(1 + 4 * st["t"] ** 2)) / 2
            mom = (st["t"] - 1) / t1
            st["W"], st["b"] = Wn + mom * (Wn - st["Wp"]), bn + mom * (bn - st["bp"])
            st["Wp"], st["bp"], st["t"] = Wn, bn, t1

    def current():
        return (st["Wp"], st["bp"]) if c["opt"].startswith("fista") else (st["W"], st["b"])

    run = w.run(run_id, d * k + k, n, {"family": "linear", "inputs": d, "real_inputs": d - (c.get("pad") or 0),
                                      "outputs": k},
                settings(c, ("seed", "data", "n", "sd", "flip", "pad", "pad_kind", "lam", "opt", "lr", "spe", "batch",
                             "eval"))
                | {"optimizer": "proximal-" + c["opt"], "penalty": "l1", "full_batch": "false" if c.get("batch")
                   else "true"} | data_tags(c, K, xt), output_dim=k)
    log_ = logger(run)

    def log(e, final):
        W, b = current()
        o, ot = x @ W + b, xt @ W + b
        log_(e, loss_of(K, o, y), loss_of(K, ot, yt), errors(K, o, y), errors(K, ot, yt), final=final)

    train_until(g, n, c, step, log)


def runs_proxl1_padded_linear():
    # The logic: 150 diabetes patients (10 standardised columns, the rest of the 442 held out) padded with 200 Gaussian
    # noise columns (210 inputs, more than the patients, so that without a penalty the least-squares fit can
    # interpolate the training progression through the noise columns); FISTA from zero at the step 1 / L, one prox step
    # an epoch, 400 epochs, the L1 penalty lam 0.1 on the standardised target's half mean squared error (about where a
    # noise column's largest chance correlation with the residual, about 0.08 times 2.9 for 200 columns of 150 rows,
    # stops entering). The penalty on both sides: none, 3e-3, 0.01, 0.03, 0.2 and 0.5 (near the largest correlation of
    # a real column, which should leave little but the intercept). One thing at a time besides: ISTA, FISTA with
    # restart, proximal SGD (minibatches of 16, the step 0.2 / L, 150 epochs); Gaussian target noise sd 0.5 and 1 (the
    # latter at lam 0.2); 50 and 800 noise columns, shuffled real columns as the padding; 80 patients; and the
    # multinomial logistic loss on the breast cancer (150 patients, 10% flipped labels, lam 0.05; 30% flipped, no
    # penalty, ISTA at lam 0.15) and the wine (80 wines, 20% flipped, lam 0.05). Evaluation spacing mixed.
    base = dict(data="diabetes", n=150, sd=None, flip=None, pad=200, pad_kind="gauss", lam=0.1, opt="fista", lr=1.0,
                spe=1, batch=None, epochs=400, eval="every:2")
    cancer = dict(data="cancer", flip=0.1, pad=200, lam=0.05)
    return proxl1_padded_linear, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(lam=None, eval="log:40"),
        dict(lam=3e-3, eval="every"),
        dict(lam=0.01, eval="every:3"),
        dict(lam=0.03, eval="jitter:40"),
        dict(lam=0.2, eval="every:2"),
        dict(lam=0.5, eval="every:4"),
        dict(opt="ista", eval="geom:3"),
        dict(opt="fista-restart", eval="every"),
        dict(opt="psgd", lr=0.2, spe=None, batch=16, epochs=150, eval="every"),
        dict(sd=0.5, eval="mixed:40:3"),
        dict(sd=1.0, lam=0.2, eval="every:2"),
        dict(pad=50, eval="burst:30:6"),
        dict(pad=800, eval="every:3"),
        dict(pad_kind="shuffle", eval="mixlog:30:40"),
        dict(n=80, eval="every"),
        dict(cancer, eval="every:2"),
        dict(cancer, flip=0.3, eval="rand:100"),
        dict(cancer, lam=None, eval="every"),
        dict(cancer, opt="ista", lam=0.15, eval="every:3"),
        dict(data="wine", n=80, flip=0.2, pad=200, lam=0.05, eval="every:2"),
    ], lambda d: "%s-n%d%s%s-pad%d%s-%s-lr%g%s-%s" % (
        d["data"], d["n"], "-sd%g" % d["sd"] if d.get("sd") else "", "-flip%g" % d["flip"] if d.get("flip") else "",
        d["pad"], "shuf" if d["pad_kind"] == "shuffle" else "", d["opt"], d["lr"],
        "-b%d" % d["batch"] if d.get("batch") else "-spe%d" % d["spe"],
        "lam%g" % d["lam"] if d.get("lam") else "nopenalty"))


# ----------------------------------------------------------------------------------------------- grouplasso-input-mlp


def grouplasso_input_mlp(w, run_id, c):
    """A one-hidden-layer ReLU MLP d -> hid -> K (one output for the diabetes) on padded data, float32. Data (from the
    run's generator): padded_data. Weights U(+-1 / sqrt(fan-in)) from the run's generator (mlp_params). Loss: the
    mean squared error (the diabetes) or the cross-entropy. Penalty and its proximal map, applied after every
    optimizer step with the threshold lr lam: 'input' lam sum_j |W1[j, :]|_2 (one group an input feature: its row of
    the first layer), 'units' lam sum_u |(W1[:, u], b1[u], W2[u, :])|_2 (one group a hidden unit: its fan-in, bias and
    fan-out), 'sgl' the sparse group lasso over the input rows (lam / 2 |W1|_1 then lam / 2 the group's norm:
    soft-thresholding then block soft-thresholding). Optimizer: 'sgd' plain, 'sgdm' momentum 0.9, 'adam' Adam (the
    prox after its step, at the threshold lr lam: a heuristic proximal Adam), on minibatches of 'batch' ('spe'
    full-batch steps an epoch where batch is not set)."""
    g = torch.Generator().manual_seed(1_102_000 + c["seed"])
    x, y, xt, yt, K = padded_data(g, c, F32)
    n, d = x.shape
    k = 1 if K is None else K
    params = mlp_params(g, [d, c["hid"], k], F32)
    if c["opt"] == "adam":
        opt = torch.optim.Adam(params, lr=c["lr"])
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9 if c["opt"] == "sgdm" else 0.0)
    lam = c.get("lam") or 0.0

    def prox():
        t = c["lr"] * lam
        if not t:
            return
        W1, b1, W2 = params[0], params[1], params[2]
        with torch.no_grad():
            if c["group"] == "input":
                W1.copy_(group_shrink(W1, t, 1))
            elif c["group"] == "sgl":
                W1.copy_(group_shrink(soft_threshold(W1, t / 2), t / 2, 1))
            else:
                u = torch.cat([W1, b1[None, :], W2.T], 0)
                u = group_shrink(u, t, 0)
                W1.copy_(u[:d])
                b1.copy_(u[d])
                W2.copy_(u[d + 1:].T)

    def step(idx):
        for _ in range(1 if idx is not None else (c.get("spe") or 1)):
            opt.zero_grad()
            loss_of(K, mlp(params, take(x, idx), torch.relu), take(y, idx)).backward()
            opt.step()
            prox()

    run = w.run(run_id, count(params), n, {"family": "mlp", "width": c["hid"], "depth": 1, "activation": "relu",
                                           "inputs": d, "real_inputs": d - (c.get("pad") or 0)},
                settings(c, ("seed", "data", "n", "sd", "flip", "pad", "pad_kind", "hid", "group", "lam", "opt", "lr",
                             "spe", "batch", "eval"))
                | {"optimizer": "proximal-" + c["opt"], "penalty": "sparse-group-lasso" if c["group"] == "sgl"
                   else "group-lasso", "full_batch": "false" if c.get("batch") else "true"} | data_tags(c, K, xt),
                output_dim=k)
    log_ = logger(run)

    def log(e, final):
        o, ot = mlp(params, x, torch.relu), mlp(params, xt, torch.relu)
        log_(e, loss_of(K, o, y), loss_of(K, ot, yt), errors(K, o, y), errors(K, ot, yt), final=final)

    train_until(g, n, c, step, log)


def runs_grouplasso_input_mlp():
    # The logic: 200 breast-cancer patients (30 standardised columns, the other 369 held out), 20% of their labels
    # flipped, padded with 100 Gaussian noise columns; a ReLU MLP 130 -> 64 -> 2 (8,514 weights, forty a patient, so it
    # can fit the flips through the noise columns) under proximal momentum SGD (0.01, momentum 0.9, minibatches of
    # 20, 100 epochs), the group lasso over the input features' rows at lam 0.1 (the threshold lr lam summed over the
    # run's 1,000 steps is 1, more than a row's norm of about 0.4 at initialisation, so a row the loss does not hold is
    # worn away). The penalty on both sides: none, 0.01, 0.03, 0.3 and 1 (which should prune the real features too). One thing at a time besides: the hidden units as
    # the groups; the sparse group lasso; plain proximal SGD at 0.05; Adam at 1e-3 with the prox; full batch (10
    # steps an epoch); clean and 35% flipped labels; 20 and 400 noise columns; width 256; the wine (100 wines, 20%
    # flipped); the digits (300 images, 64 pixels plus 64 noise columns, 20% flipped); and the diabetes's mean squared
    # error (150 patients, 100 noise columns, target noise sd 0.5; with and without the penalty). Evaluation spacing
    # mixed.
    base = dict(data="cancer", n=200, sd=None, flip=0.2, pad=100, pad_kind="gauss", hid=64, group="input", lam=0.1,
                opt="sgdm", lr=0.01, spe=None, batch=20, epochs=100, eval="every")
    diab = dict(data="diabetes", n=150, flip=None, sd=0.5, pad=100)
    return grouplasso_input_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(lam=None, eval="every:2"),
        dict(lam=0.01, eval="log:40"),
        dict(lam=0.03, eval="every"),
        dict(lam=0.3, eval="jitter:35"),
        dict(lam=1.0, eval="every:3"),
        dict(group="units", eval="every"),
        dict(group="sgl", eval="every:2"),
        dict(opt="sgd", lr=0.05, eval="geom:3"),
        dict(opt="adam", lr=1e-3, eval="every"),
        dict(batch=None, spe=10, eval="mixed:30:2"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.35, eval="burst:20:5"),
        dict(pad=20, eval="every"),
        dict(pad=400, eval="every:4"),
        dict(hid=256, eval="every:2"),
        dict(data="wine", n=100, eval="mixlog:20:40"),
        dict(data="digits", n=300, pad=64, eval="every:2"),
        dict(diab, eval="every"),
        dict(diab, lam=None, eval="rand:70"),
    ], lambda d: "%s-n%d%s%s-pad%d-relu%d-%s-%s-lr%g%s-%s" % (
        d["data"], d["n"], "-sd%g" % d["sd"] if d.get("sd") else "", "-flip%g" % d["flip"] if d.get("flip") else "",
        d["pad"], d["hid"], d["group"], d["opt"], d["lr"], "-b%d" % d["batch"] if d.get("batch") else "-full",
        "lam%g" % d["lam"] if d.get("lam") else "nopenalty"))


# ------------------------------------------------------------------------------------------------ hardconcrete-l0-mlp


GAMMA, ZETA = -0.1, 1.1


def hardconcrete_l0_mlp(w, run_id, c):
    """A one-hidden-layer ReLU MLP d -> hid -> K (one output for the diabetes) with hard-concrete gates, float32. Data
    (from the run's generator): padded_data. Weights U(+-1 / sqrt(fan-in)) from the run's generator; log_alpha of
    every gate at 'la0'. Gates ('gate'): 'input' one a column of x (multiplying the input), 'units' one a hidden unit
    (multiplying its activation). In training each minibatch draws one gate vector z = min(1, max(0, sigmoid((log u -
    log(1 - u) + log_alpha) / beta) (zeta - gamma) + gamma)), u ~ U(0, 1) from the run's generator; the objective is
    the loss plus lam times the expected number of open gates, sum sigmoid(log_alpha - beta log(-gamma / zeta)). At
    evaluation the gates are min(1, max(0, sigmoid(log_alpha) (zeta - gamma) + gamma)). Optimizer: Adam or momentum
    SGD (0.9) on minibatches of 'batch'."""
    g = torch.Generator().manual_seed(1_103_000 + c["seed"])
    x, y, xt, yt, K = padded_data(g, c, F32)
    n, d = x.shape
    k, h = 1 if K is None else K, c["hid"]
    params = mlp_params(g, [d, h, k], F32)
    m = d if c["gate"] == "input" else h
    log_alpha = leaves([torch.full((m,), float(c["la0"]))])[0]
    beta = c["beta"]
    allp = params + [log_alpha]
    if c["opt"] == "adam":
        opt = torch.optim.Adam(allp, lr=c["lr"])
    else:
        opt = torch.optim.SGD(allp, lr=c["lr"], momentum=0.9)
    lam = c.get("lam") or 0.0

    def forward(z, gate):
        W1, b1, W2, b2 = params
        if c["gate"] == "input":
            return torch.relu((z * gate) @ W1 + b1) @ W2 + b2
        return (torch.relu(z @ W1 + b1) * gate) @ W2 + b2

    def eval_gate():
        return torch.clamp(torch.sigmoid(log_alpha) * (ZETA - GAMMA) + GAMMA, 0.0, 1.0)

    def step(idx):
        u = torch.rand(m, generator=g).clamp(1e-6, 1 - 1e-6)
        s = torch.sigmoid((torch.log(u) - torch.log(1 - u) + log_alpha) / beta)
        gate = torch.clamp(s * (ZETA - GAMMA) + GAMMA, 0.0, 1.0)
        opt.zero_grad()
        obj = loss_of(K, forward(take(x, idx), gate), take(y, idx))
        if lam:
            obj = obj + lam * torch.sigmoid(log_alpha - beta * math.log(-GAMMA / ZETA)).sum()
        obj.backward()
        opt.step()

    run = w.run(run_id, count(allp), n, {"family": "mlp", "width": h, "depth": 1, "activation": "relu",
                                         "gates": c["gate"], "inputs": d, "real_inputs": d - (c.get("pad") or 0)},
                settings(c, ("seed", "data", "n", "sd", "flip", "pad", "pad_kind", "hid", "gate", "lam", "la0", "beta",
                             "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "penalty": "hard-concrete-l0", "full_batch": "false"} | data_tags(c, K, xt),
                output_dim=k)
    log_ = logger(run)

    def log(e, final):
        gate = eval_gate()
        o, ot = forward(x, gate), forward(xt, gate)
        log_(e, loss_of(K, o, y), loss_of(K, ot, yt), errors(K, o, y), errors(K, ot, yt), final=final)

    train_until(g, n, c, step, log)


def runs_hardconcrete_l0_mlp():
    # The logic: 150 diabetes patients (10 standardised columns, the rest held out) padded with 100 Gaussian noise
    # columns; a ReLU MLP 110 -> 32 -> 1 (3,585 weights and 110 gates, twenty-four a patient, so it can fit the
    # progression's noise through the noise columns) with a hard-concrete gate on every input (log_alpha from 1, so
    # that the gates start mostly open; beta 2/3, Louizos et al.'s), Adam at 3e-3 on minibatches of 30, 200 epochs,
    # lam 0.01 per expected open gate (110 open gates cost 1.1, more than the standardised progression's variance, so
    # the noise columns' gates should close unless they pay for themselves). The penalty on both sides: none, 1e-3,
    # 3e-3, 0.03, 0.1 and 0.3 (which should close the real features' gates too). One thing at a time
    # besides: gates on the hidden units; beta 0.3; log_alpha from -1 (mostly closed) and 3; momentum SGD at 0.01;
    # Gaussian target noise sd 0.5 and 1; 20 and 400 noise columns; 80 patients; width 128; and the cross-entropy on
    # the breast cancer (200 patients, 100 noise columns; 20% flipped, clean, and without the penalty) and the wine
    # (100 wines, 20% flipped). Evaluation spacing mixed.
    base = dict(data="diabetes", n=150, sd=None, flip=None, pad=100, pad_kind="gauss", hid=32, gate="input", lam=0.01,
                la0=1.0, beta=2 / 3, opt="adam", lr=3e-3, batch=30, epochs=200, eval="every")
    cancer = dict(data="cancer", n=200, flip=0.2)
    return hardconcrete_l0_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(lam=None, eval="every:2"),
        dict(lam=1e-3, eval="log:40"),
        dict(lam=3e-3, eval="every"),
        dict(lam=0.03, eval="jitter:40"),
        dict(lam=0.1, eval="every:3"),
        dict(lam=0.3, eval="every:2"),
        dict(gate="units", eval="every"),
        dict(beta=0.3, eval="geom:3"),
        dict(la0=-1.0, eval="every:2"),
        dict(la0=3.0, eval="every"),
        dict(opt="sgdm", lr=0.01, eval="mixed:40:3"),
        dict(sd=0.5, eval="every"),
        dict(sd=1.0, eval="burst:25:5"),
        dict(pad=20, eval="every:2"),
        dict(pad=400, eval="every:4"),
        dict(n=80, eval="mixlog:30:40"),
        dict(hid=128, eval="every:2"),
        dict(cancer, eval="every"),
        dict(cancer, flip=None, eval="every:3"),
        dict(cancer, lam=None, eval="rand:80"),
        dict(data="wine", n=100, flip=0.2, eval="every:2"),
    ], lambda d: "%s-n%d%s%s-pad%d-relu%d-gate%s-beta%.2g-la%g-%s-lr%g-%s" % (
        d["data"], d["n"], "-sd%g" % d["sd"] if d.get("sd") else "", "-flip%g" % d["flip"] if d.get("flip") else "",
        d["pad"], d["hid"], d["gate"], d["beta"], d["la0"], d["opt"], d["lr"],
        "lam%g" % d["lam"] if d.get("lam") else "nopenalty"))


FAMILIES = {"proxl1-padded-linear": runs_proxl1_padded_linear, "grouplasso-input-mlp": runs_grouplasso_input_mlp,
            "hardconcrete-l0-mlp": runs_hardconcrete_l0_mlp}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
