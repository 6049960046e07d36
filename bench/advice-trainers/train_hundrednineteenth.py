#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-nineteenth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is ensembles trained as one model: several small networks
whose average (or sum) is the prediction, trained together in one run, either each on its own error with a
diversity penalty (negative-correlation learning), or all on the ensemble's error alone with the number of members
and each member's width swept, or stage by stage, each new small network fitted to what the frozen earlier ones
leave (boosting-like stagewise fitting); the test loss is always the ensemble's:

- negcorr-ensemble-mlp: M one-hidden-layer MLPs (tanh, or ReLU) trained together by negative-correlation learning
  (Liu & Yao 1999, in Brown, Wyatt & Tino's 2005 form): the objective is the members' mean of half their squared
  errors minus gamma times the mean of half their squared distances to the ensemble's mean, (1/M) sum_i |f_i - y|^2 / 2
  - gamma (1/M) sum_i |f_i - fbar|^2 / 2 = |fbar - y|^2 / 2 + (1 - gamma) (1/M) sum_i |f_i - fbar|^2 / 2: gamma 0
  trains the members independently, gamma 1 trains the ensemble's mean alone, gamma past 1 rewards disagreement without
  bound. Data: a synthetic sum of random sine waves with Gaussian target noise, scikit-learn's diabetes, and the wine
  and breast cancer with flipped labels (the squared error on one-hot targets). Adam, momentum SGD or full-batch
  gradient descent; float32.
- jointavg-width-members: M one-hidden-layer ReLU MLPs 64 -> h -> 10 on scikit-learn's digits (a share of the
  training labels flipped), their logits averaged ('logit') or their class probabilities averaged ('prob'), trained
  jointly on the ensemble's cross-entropy alone (no member has a loss of its own); the number of members and each
  member's width swept, also at a fixed total width. Momentum SGD or Adam on minibatches, optional weight decay;
  float32.
- stagewise-resid-nets: stagewise additive fitting inside one run: K stages of E epochs each; in stage k a fresh
  one-hidden-layer network f_k (tanh or ReLU, width h, its output layer from zero unless 'init' is 'default') is
  trained, the earlier stages frozen, on the loss of F_{k-1} + nu f_k (for the squared error, fitting the residual
  y - F_{k-1}); at the stage's end F_k = F_{k-1} + nu f_k. Data: a synthetic sum of random sine waves with Gaussian
  target noise, scikit-learn's diabetes (the squared error), the breast cancer and the wine with flipped labels (the
  cross-entropy of the summed logits). Adam or momentum SGD, a fresh optimizer each stage, full batch or minibatches;
  float64.

Train loss: the ensemble's loss (the mean squared error of the mean prediction, or of the one-hot target; the
cross-entropy of the combined prediction) on the training rows at their given (noisy) targets; test loss: the same on
the held-out rows at their true targets; error rates (classification): the misclassified shares of the ensemble's
prediction. A run whose loss turns NaN or infinite sends that evaluation as its last and stops
(train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, take from train_thirtyninth.py, count from train_fortyeighth.py, mlp and mlp_params from
train_sixtyfifth.py, logger and train_until from train_seventyfourth.py, regression_data (the synthetic sine waves)
from train_seventysixth.py and padded_data (the diabetes, digits, breast cancer and wine, split, standardised, with
target noise or flipped labels; no padding here) from train_hundredtenth.py; one thread, every random draw from a
seeded torch.Generator (splits, flips, target noise, initialisations, minibatches), synthetic event times, 6
significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_hundrednineteenth.py --family negcorr-ensemble-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): negcorr-ensemble-mlp, jointavg-width-members, stagewise-resid-nets. Evaluation spacings:
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
from train_thirtysecond import uniform  # noqa: E402  (U(+-1 / sqrt(fan-in)) from a generator)
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import regression_data  # noqa: E402  (the synthetic sine waves; target noise)
from train_hundredtenth import padded_data  # noqa: E402  (diabetes, digits, cancer, wine; split, standardised)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- shared parts


def ens_data(g, c, dtype):
    """(x, y, xt, yt, K): 'synth' regression_data (inputs N(0, I_d), the target a sum of J random sine waves
    standardised, Gaussian noise of sd 'sd' on the n training targets, 2,000 clean test points; K None), or
    padded_data without padding ('diabetes': K None, noise sd 'sd' on the training targets where set; 'digits',
    'cancer', 'wine': K classes, a share 'flip' of the training labels flipped). All from g."""
    if c["data"] == "synth":
        x, y, xt, yt = regression_data(g, c)
        return x.to(dtype), y.to(dtype), xt.to(dtype), yt.to(dtype), None
    return padded_data(g, dict(c, pad=0), dtype)


def member_params(g, M, sizes, dtype):
    """M MLPs of the given layer sizes as stacked tensors: per layer a weight (M x a x b, used as z @ W) and a bias
    (M x 1 x b), PyTorch's default U(+-1 / sqrt(fan-in)) from g."""
    out = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        out += [uniform(g, a, M, a, b).to(dtype), uniform(g, a, M, 1, b).to(dtype)]
    return leaves(out)


def members(params, z, act):
    """The members' outputs, M x rows x outputs, for the rows z (rows x inputs)."""
    for i in range(0, len(params), 2):
        z = z @ params[i] + params[i + 1]
        if i + 2 < len(params):
            z = act(z)
    return z


ACTS = {"tanh": torch.tanh, "relu": torch.relu}


def make_opt(c, params, lr=None):
    """'adam' Adam, 'sgdm' SGD with momentum 0.9, 'gd' plain (full-batch) gradient descent; weight decay 'wd'."""
    lr = c["lr"] if lr is None else lr
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=c.get("wd") or 0.0)
    return torch.optim.SGD(params, lr=lr, momentum=0.9 if c["opt"] == "sgdm" else 0.0, weight_decay=c.get("wd") or 0.0)


def error_rate(out, t):
    return (out.argmax(1) != t).to(out.dtype).mean()


# ----------------------------------------------------------------------------------------------- negcorr-ensemble-mlp


def negcorr_ensemble_mlp(w, run_id, c):
    """M one-hidden-layer MLPs d -> h -> k (k 1 for regression, K one-hot outputs for classification), stacked, float32.
    Data (from the run's generator): ens_data; targets the standardised target or one-hot labels. Weights U(+-1 /
    sqrt(fan-in)) from the run's generator. Objective on a minibatch (mean over its rows): (1/M) sum_i |f_i - y|^2 / 2
    - gamma (1/M) sum_i |f_i - fbar|^2 / 2, fbar the members' mean. Optimizer make_opt on minibatches of 'batch' (the
    whole set where not set). Train and test loss: |fbar - y|^2 (summed over the outputs) averaged over the rows."""
    g = torch.Generator().manual_seed(1_191_000 + c["seed"])
    x, y, xt, yt, K = ens_data(g, c, F32)
    n, d = x.shape
    k = 1 if K is None else K
    Y = y[:, None] if K is None else fn.one_hot(y, K).to(F32)
    Yt = yt[:, None] if K is None else fn.one_hot(yt, K).to(F32)
    M, h, act, gamma = c["members"], c["hid"], ACTS[c["act"]], c["gamma"]
    params = member_params(g, M, [d, h, k], F32)
    opt = make_opt(c, params)

    def step(idx):
        out = members(params, take(x, idx), act)
        fbar = out.mean(0)
        obj = 0.5 * ((out - take(Y, idx)) ** 2).sum(2).mean() - gamma * 0.5 * ((out - fbar) ** 2).sum(2).mean()
        opt.zero_grad()
        obj.backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "ensemble-mlp", "members": M, "width": h, "depth": 1,
                                           "activation": c["act"], "inputs": d, "outputs": k},
                settings(c, ("seed", "data", "n", "d", "J", "sd", "flip", "members", "hid", "act", "gamma", "opt", "lr",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "objective": "negative-correlation", "combine": "mean",
                   "full_batch": "false" if c.get("batch") else "true",
                   "loss": "mse" if K is None else "mse-one-hot",
                   "test_loss": "heldout-ensemble-mse" if K is None else "heldout-ensemble-mse-one-hot-true-labels",
                   "test_size": str(len(xt))} | ({} if K is None else {"error": "misclassified"}),
                output_dim=k)
    log_ = logger(run)

    def log(e, final):
        f, ft = members(params, x, act).mean(0), members(params, xt, act).mean(0)
        lt, lh = ((f - Y) ** 2).sum(1).mean(), ((ft - Yt) ** 2).sum(1).mean()
        if K is None:
            log_(e, lt, lh, final=final)
        else:
            log_(e, lt, lh, error_rate(f, y), error_rate(ft, yt), final=final)

    train_until(g, n, c, step, log)


def runs_negcorr_ensemble_mlp():
    # The logic: 200 training points of a 4-dimensional sum of 8 random sine waves (standardised; held out on 2,000
    # clean points), Gaussian target noise sd 0.5 (a fifth of the target's variance); 5 tanh members 4 -> 16 -> 1
    # (97 weights each, 485 in all, more than two a training point, so the ensemble can fit much of the noise), Adam
    # at 3e-3 on minibatches of 20, 400 epochs, gamma 0.5 (halfway between independent members and the ensemble's
    # mean alone). Gamma on both sides: 0, 0.25, 0.75, 0.9, 1 and 1.1 (past the bound, where the members' disagreement
    # is rewarded). The members' width on both sides of where the ensemble can just fit 200 points: 2 (55 weights in
    # all), 4 (125), 64 (1,925); 2 and 20 members; ReLU members; momentum SGD at 0.02; full-batch gradient descent at
    # 0.1 for 2,000 epochs; no noise and sd 1; 100 points; and the real data: the diabetes (150 patients, no added
    # noise), the wine (100 wines, 20% flipped, one-hot squared error) and the breast cancer (200 patients, 20%
    # flipped). Evaluation spacing mixed.
    base = dict(data="synth", n=200, d=4, J=8, sd=0.5, flip=None, members=5, hid=16, act="tanh", gamma=0.5,
                opt="adam", lr=3e-3, batch=20, epochs=400, eval="every:2")
    real = dict(d=None, J=None, sd=None)
    return negcorr_ensemble_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(gamma=0.0, eval="log:40"),
        dict(gamma=0.25, eval="every"),
        dict(gamma=0.75, eval="jitter:40"),
        dict(gamma=0.9, eval="every:3"),
        dict(gamma=1.0, eval="every:2"),
        dict(gamma=1.1, eval="every"),
        dict(hid=2, eval="geom:3"),
        dict(hid=4, eval="every:2"),
        dict(hid=64, eval="every:3"),
        dict(members=2, eval="mixed:40:3"),
        dict(members=20, eval="every:2"),
        dict(act="relu", eval="every"),
        dict(opt="sgdm", lr=0.02, eval="burst:30:6"),
        dict(opt="gd", lr=0.1, batch=None, epochs=2000, eval="every:8"),
        dict(sd=None, eval="every:2"),
        dict(sd=1.0, eval="mixlog:30:40"),
        dict(n=100, eval="every"),
        dict(real, data="diabetes", n=150, eval="every:2"),
        dict(real, data="wine", n=100, flip=0.2, eval="every:3"),
        dict(real, data="cancer", n=200, flip=0.2, eval="rand:100"),
    ], lambda d: "%s-n%d%s%s-m%d-%s%d-gamma%g-%s-lr%g%s" % (
        d["data"], d["n"], "-sd%g" % d["sd"] if d.get("sd") else "", "-flip%g" % d["flip"] if d.get("flip") else "",
        d["members"], d["act"], d["hid"], d["gamma"], d["opt"], d["lr"],
        "-b%d" % d["batch"] if d.get("batch") else "-full"))


# --------------------------------------------------------------------------------------------- jointavg-width-members


def jointavg_width_members(w, run_id, c):
    """M one-hidden-layer ReLU MLPs 64 -> h -> 10 on the digits, stacked, float32. Data (from the run's generator):
    padded_data's digits (n training images, pixels standardised on them, the rest held out; a share 'flip' of the
    training labels flipped). Weights U(+-1 / sqrt(fan-in)) from the run's generator. The ensemble's prediction:
    'logit' the members' mean logits; 'prob' the log of the members' mean softmax probabilities (logsumexp of their
    log-softmaxes minus log M). Objective: the ensemble's cross-entropy alone, all members trained jointly by make_opt
    on minibatches of 'batch'. Train and test loss: the ensemble's cross-entropy."""
    g = torch.Generator().manual_seed(1_192_000 + c["seed"])
    x, y, xt, yt, K = padded_data(g, dict(c, data="digits", pad=0), F32)
    n, d = x.shape
    M, h = c["members"], c["hid"]
    params = member_params(g, M, [d, h, K], F32)
    opt = make_opt(c, params)

    def ensemble(z):
        out = members(params, z, torch.relu)
        if c["combine"] == "logit":
            return out.mean(0)
        return torch.logsumexp(torch.log_softmax(out, 2), 0) - math.log(M)

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(ensemble(take(x, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "ensemble-mlp", "members": M, "width": h, "total_width": M * h,
                                           "depth": 1, "activation": "relu", "inputs": d},
                settings(c, ("seed", "n", "flip", "members", "hid", "combine", "opt", "lr", "wd", "batch", "eval"))
                | {"data": "digits", "optimizer": c["opt"], "objective": "ensemble-cross-entropy",
                   "loss": "cross-entropy", "test_loss": "heldout-ensemble-ce-true-labels", "test_size": str(len(xt)),
                   "error": "misclassified"}, output_dim=K)
    log_ = logger(run)

    def log(e, final):
        f, ft = ensemble(x), ensemble(xt)
        log_(e, fn.cross_entropy(f, y), fn.cross_entropy(ft, yt), error_rate(f, y), error_rate(ft, yt), final=final)

    train_until(g, n, c, step, log)


def runs_jointavg_width_members():
    # The logic: 400 digits (the other 1,397 held out with their true labels), 20% of the training labels flipped;
    # 4 ReLU members 64 -> 16 -> 10 (1,210 weights each, 4,840 in all, twelve a training image, enough to memorise
    # the flips), their logits averaged, trained jointly on the ensemble's cross-entropy by momentum SGD (0.05,
    # momentum 0.9, minibatches of 32) for 150 epochs. The number of members on both sides: 1, 2, 8 and 16; each
    # member's width on both sides of where the ensemble can just memorise 400 noisy labels: 2 (4 members, 640
    # weights), 4, 8, 64 and 128; the total width 64 split into 16 members of 4 and 64 members of 1 (a sum of 64 single
    # ReLU units, each with its own output biases); the probabilities averaged instead of the logits (4 members, and 16
    # of 4); clean labels and 40% flipped; 200 and 1,000 training images; Adam at 1e-3; weight decay 5e-4; a long
    # run (600 epochs) and a short one (40 epochs of minibatches of 8). Evaluation spacing mixed.
    base = dict(n=400, flip=0.2, members=4, hid=16, combine="logit", opt="sgdm", lr=0.05, wd=None, batch=32,
                epochs=150, eval="every")
    return jointavg_width_members, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(members=1, eval="every:2"),
        dict(members=2, eval="log:40"),
        dict(members=8, eval="every"),
        dict(members=16, eval="jitter:35"),
        dict(hid=2, eval="every:2"),
        dict(hid=4, eval="every"),
        dict(hid=8, eval="geom:3"),
        dict(hid=64, eval="every:2"),
        dict(hid=128, eval="every:3"),
        dict(members=16, hid=4, eval="burst:25:5"),
        dict(members=64, hid=1, eval="every"),
        dict(combine="prob", eval="every:2"),
        dict(combine="prob", members=16, hid=4, eval="mixed:30:2"),
        dict(flip=None, eval="every"),
        dict(flip=0.4, eval="every:2"),
        dict(n=200, eval="mixlog:20:40"),
        dict(n=1000, eval="every:3"),
        dict(opt="adam", lr=1e-3, eval="every"),
        dict(wd=5e-4, eval="every:2"),
        dict(epochs=600, eval="every:5"),
        dict(batch=8, epochs=40, eval="every"),
    ], lambda d: "digits-n%d%s-m%d-relu%d-%s-%s-lr%g%s-b%d" % (
        d["n"], "-flip%g" % d["flip"] if d.get("flip") else "", d["members"], d["hid"], d["combine"], d["opt"],
        d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "", d["batch"]))


# ----------------------------------------------------------------------------------------------- stagewise-resid-nets


def stagewise_resid_nets(w, run_id, c):
    """Stagewise additive fitting of small networks inside one run, float64. Data (from the run's generator):
    ens_data. 'stages' stages of 'stage_epochs' epochs; stage k trains a fresh one-hidden-layer network f_k: d -> h -> k
    (k 1 for regression, K logits for classification; tanh or ReLU; weights U(+-1 / sqrt(fan-in)) from the run's
    generator, its output layer then set to zero unless 'init' is 'default') by make_opt (a fresh optimizer each stage)
    on minibatches of 'batch' (the whole set where not set), on the loss of F_{k-1} + nu f_k, the earlier stages
    frozen (F_0 = 0; for the squared error this fits the residual y - F_{k-1}); at the stage's end F_k = F_{k-1} + nu
    f_k. Loss: the mean squared error (regression) or the cross-entropy of the summed logits. Train and test loss: the
    loss of the ensemble so far, F_{k-1} + nu f_k (k the stage in training)."""
    g = torch.Generator().manual_seed(1_193_000 + c["seed"])
    x, y, xt, yt, K = ens_data(g, c, F64)
    n, d = x.shape
    k = 1 if K is None else K
    h, act, nu, E = c["hid"], ACTS[c["act"]], c["nu"], c["stage_epochs"]
    st = {"F": torch.zeros(n, k, dtype=F64), "Ft": torch.zeros(len(xt), k, dtype=F64), "stage": 0}

    def loss(out, t):
        return ((out[:, 0] - t) ** 2).mean() if K is None else fn.cross_entropy(out, t)

    def new_stage():
        p = mlp_params(g, [d, h, k], F64)
        if c.get("init") != "default":
            with torch.no_grad():
                p[2].zero_()
                p[3].zero_()
        st["p"], st["opt"] = p, make_opt(c, p)

    def begin(e):
        if e and e % E == 0:
            with torch.no_grad():
                st["F"] += nu * mlp(st["p"], x, act)
                st["Ft"] += nu * mlp(st["p"], xt, act)
            st["stage"] += 1
            new_stage()

    def step(idx):
        st["opt"].zero_grad()
        loss(take(st["F"], idx) + nu * mlp(st["p"], take(x, idx), act), take(y, idx)).backward()
        st["opt"].step()

    new_stage()
    per_stage = count(st["p"])
    run = w.run(run_id, per_stage * c["stages"], n, {"family": "stagewise-mlp-sum", "stages": c["stages"],
                                                     "stage_width": h, "stage_params": per_stage, "depth": 1,
                                                     "activation": c["act"], "inputs": d, "outputs": k},
                settings(c, ("seed", "data", "n", "d", "J", "sd", "flip", "hid", "act", "init", "nu", "stages",
                             "stage_epochs", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "objective": "stagewise-additive", "full_batch": "false" if c.get("batch")
                   else "true", "loss": "mse" if K is None else "cross-entropy",
                   "test_loss": "heldout-ensemble-mse" if K is None else "heldout-ensemble-ce-true-labels",
                   "test_size": str(len(xt))} | ({} if K is None else {"error": "misclassified"}), output_dim=k)
    log_ = logger(run)

    def log(e, final):
        f, ft = st["F"] + nu * mlp(st["p"], x, act), st["Ft"] + nu * mlp(st["p"], xt, act)
        if K is None:
            log_(e, loss(f, y), loss(ft, yt), final=final)
        else:
            log_(e, loss(f, y), loss(ft, yt), error_rate(f, y), error_rate(ft, yt), final=final)

    train_until(g, n, dict(c, epochs=c["stages"] * E), step, log, begin=begin)


def runs_stagewise_resid_nets():
    # The logic: 150 training points of a 3-dimensional sum of 6 random sine waves (standardised; 2,000 clean test
    # points), Gaussian target noise sd 0.5; 40 stages of 40 full-batch Adam epochs (3e-2, a fresh Adam each stage),
    # each stage a tanh network 3 -> 4 -> 1 (21 weights; 840 in all after 40 stages, between five and six a training
    # point, so that the late stages can fit the noise), its output from zero, shrinkage nu 0.3 (gradient boosting's
    # usual range). One thing at a time on both sides: nu 0.1 and 1; the stage's width 1, 2, 16 and 64; shorter
    # stages (160 of 10 epochs) and longer ones (8 of 200); 100 stages (4,000 epochs); ReLU stages; each stage's
    # output layer at its default initialisation (a jump at every new stage); momentum SGD at 0.1; minibatches of 25;
    # no noise and sd 1; 60 points; and the real data: the diabetes (150 patients), the breast cancer (the
    # cross-entropy, 200 patients, 20% flipped; 10% flipped with width 16) and the wine (100 wines, 20% flipped, three
    # logits). Evaluation spacing mixed. (Probes of the base run on seed 97 before this grid was committed: at Adam
    # 1e-2 and 25 stages the ensemble's training loss was still well above the noise's variance at its end, so the
    # step was raised to 3e-2 and the stages to 40.)
    base = dict(data="synth", n=150, d=3, J=6, sd=0.5, flip=None, hid=4, act="tanh", init=None, nu=0.3, stages=40,
                stage_epochs=40, opt="adam", lr=3e-2, batch=None, eval="every:4")
    real = dict(d=None, J=None, sd=None)
    return stagewise_resid_nets, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(nu=0.1, eval="every:4"),
        dict(nu=1.0, eval="log:40"),
        dict(hid=1, eval="every:5"),
        dict(hid=2, eval="every:3"),
        dict(hid=16, eval="jitter:40"),
        dict(hid=64, eval="every:4"),
        dict(stages=160, stage_epochs=10, eval="every:2"),
        dict(stages=8, stage_epochs=200, eval="geom:4"),
        dict(stages=100, eval="every:10"),
        dict(act="relu", eval="every:4"),
        dict(init="default", eval="burst:40:8"),
        dict(opt="sgdm", lr=0.1, eval="every:4"),
        dict(batch=25, eval="every:5"),
        dict(sd=None, eval="every:4"),
        dict(sd=1.0, eval="mixlog:40:40"),
        dict(n=60, eval="every:3"),
        dict(real, data="diabetes", n=150, eval="every:4"),
        dict(real, data="cancer", n=200, flip=0.2, eval="every:4"),
        dict(real, data="cancer", n=200, flip=0.1, hid=16, eval="rand:150"),
        dict(real, data="wine", n=100, flip=0.2, eval="every:3"),
    ], lambda d: "%s-n%d%s%s-%s%d%s-nu%g-k%dx%d-%s-lr%g%s" % (
        d["data"], d["n"], "-sd%g" % d["sd"] if d.get("sd") else "", "-flip%g" % d["flip"] if d.get("flip") else "",
        d["act"], d["hid"], "-initdefault" if d.get("init") else "", d["nu"], d["stages"], d["stage_epochs"],
        d["opt"], d["lr"], "-b%d" % d["batch"] if d.get("batch") else "-full"))


FAMILIES = {"negcorr-ensemble-mlp": runs_negcorr_ensemble_mlp, "jointavg-width-members": runs_jointavg_width_members,
            "stagewise-resid-nets": runs_stagewise_resid_nets}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
