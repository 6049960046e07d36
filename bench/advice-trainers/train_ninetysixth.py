#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, ninety-sixth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is learning-rate and batch-size schedules on noisy data: step
decay, exponential decay, linear warm-up then decay, cyclic rates and growing batch sizes, the schedule's drops and
turns inside the run:

- stepdrop-batchgrow-mlp: a ReLU MLP (one hidden layer; two in 1 run) classifying scikit-learn's 8 x 8 digits
  (flattened), float32, under minibatch SGD with heavy-ball momentum (plain SGD in 1 run, Adam in 1) on the
  cross-entropy, a share of the training labels flipped; at each milestone epoch the step is multiplied by 'factor'
  (step decay) and the minibatch by 'grow' (a growing batch size, capped at the training set: Smith, Kindermans, Ying
  & Le 2018, "don't decay the learning rate, increase the batch size"), either or both.
- warmexp-glm-pairs: generalised linear models on the pairwise products of standardised columns (plus the columns
  themselves) of scikit-learn's breast cancer, wine and diabetes: logistic or softmax regression on the cross-entropy
  or least squares on one-hot targets (flipped labels), linear regression on the squared error or the Huber loss
  (Gaussian noise on the training targets), a readout from zero under minibatch SGD with heavy-ball momentum, float64,
  its step (a multiple of one over the largest eigenvalue of the features' Gram matrix) under an exponential decay,
  a linear warm-up then an exponential decay, a linear warm-up then a linear decay to a floor held after it, or a
  constant step (a reference).
- cyclic-lr-convnet: a small convolutional network (3 x 3 convolution, ReLU, 2 x 2 max pooling, a ReLU layer, 10
  logits) classifying the 8 x 8 digits as images, float32, on the cross-entropy under minibatch SGD with momentum (Adam
  in 1 run) and a cyclic step set at every minibatch (Smith 2017): triangular between lo x lr and lr, 'triangular2'
  (the amplitude halved each cycle), 'exp_range' (the amplitude times gamma an epoch), a sawtooth (down from lr to lo x
  lr in each cycle, then back up at once), or a constant step (a reference); flipped labels (and Gaussian pixel noise
  on the training images in 1 run).

Train loss: the loss on the training points at their given (noisy) labels or targets; test loss: the same loss on
held-out points (true labels; the held-out patients' standardised progression for the diabetes); error rates: the
misclassified shares (classification runs only). A run whose loss turns NaN or infinite sends that evaluation as its
last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves and real_classes from
train_thirtysixth.py, take and flip_labels from train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and
mlp from train_sixtyfifth.py, logger and train_until (train_thirtyninth.py's epoch_loop with eval_epochs; its begin
hook sets each epoch's minibatch size) from train_seventyfourth.py, digit_images from train_seventysixth.py and
classifier_log from train_eightythird.py; one thread, every random draw from a seeded torch.Generator (splits, label
flips, target and pixel noise, column pairs, initialisations, minibatches), synthetic event times, 6 significant
digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_ninetysixth.py --family stepdrop-batchgrow-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): stepdrop-batchgrow-mlp, warmexp-glm-pairs, cyclic-lr-convnet. Evaluation spacings:
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
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves, real_classes  # noqa: E402
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import digit_images  # noqa: E402  (the digits as 1 x 8 x 8 images, a seeded split)
from train_eightythird import classifier_log  # noqa: E402

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- schedules


def milestones(c):
    return [int(v) for v in str(c.get("at") or "").split(",") if v]


def rate(c, t):
    """The step's multiplier at time t (epochs, fractional within an epoch: e + j / batches) under c['sched']:
    'const' 1; 'step' factor^(milestones passed) (a drop at the start of each epoch in c['at']); 'exp' gamma^t;
    'warmexp' a linear warm-up from 0.1 to 1 over 'warm' epochs, then gamma^(t - warm); 'warmlin' the same warm-up, then
    a linear decay to 'floor' over 'decay' epochs, the floor held after; the cyclic ones with half-cycles of 'half'
    epochs, starting at the bottom: 'tri' triangular between lo and 1, 'tri2' its amplitude halved each full cycle,
    'exprange' its amplitude times gamma^t, 'saw' down from 1 to lo in each full cycle (2 half-cycles), then back."""
    s = c["sched"]
    if s == "const":
        return 1.0
    if s == "step":
        return c["factor"] ** sum(t >= a for a in milestones(c))
    if s == "exp":
        return c["gamma"] ** t
    if s in ("warmexp", "warmlin"):
        w = c["warm"]
        if t < w:
            return 0.1 + 0.9 * t / w
        if s == "warmexp":
            return c["gamma"] ** (t - w)
        return max(c["floor"], 1 - (1 - c["floor"]) * (t - w) / c["decay"])
    lo, u = c["lo"], t / c["half"]
    cyc = math.floor(u / 2)
    if s == "saw":
        return 1 - (1 - lo) * (u / 2 - cyc)
    up = 1 - abs(u - 2 * cyc - 1)  # 0 at a cycle's start and end, 1 at its middle
    amp = 1 - lo
    if s == "tri2":
        amp /= 2 ** cyc
    elif s == "exprange":
        amp *= c["gamma"] ** t
    return lo + amp * up


def scheduled(g, n, c, opt, step, log, batch_of=None):
    """train_until with the step of every parameter group set before each minibatch to c['lr'] times rate(c, t), and
    each epoch's minibatch size batch_of(e) (c['batch'] where not given; None the whole set)."""
    cc = dict(c)
    st = {"e": 0, "j": 0, "nb": 1}

    def begin(e):
        b = batch_of(e) if batch_of else c.get("batch")
        cc["batch"] = b
        st.update(e=e, j=0, nb=1 if not b or b >= n else math.ceil(n / b))

    def stepped(idx):
        lr = c["lr"] * rate(c, st["e"] + st["j"] / st["nb"])
        for grp in opt.param_groups:
            grp["lr"] = lr
        step(idx)
        st["j"] += 1

    train_until(g, n, cc, stepped, log, begin=begin)


def sched_tags(c):
    s = c["sched"]
    return {"lr_schedule": {"const": "constant", "step": "step-decay", "exp": "exponential-decay",
                            "warmexp": "linear-warmup-exponential-decay", "warmlin": "linear-warmup-linear-decay",
                            "tri": "cyclic-triangular", "tri2": "cyclic-triangular2", "exprange": "cyclic-exp-range",
                            "saw": "cyclic-sawtooth"}[s],
            "lr_update": "per-minibatch" if s in ("warmexp", "warmlin", "exp", "tri", "tri2", "exprange", "saw")
            else "per-epoch"}


def make_opt(params, c):
    if c.get("opt") == "adam":
        return torch.optim.Adam(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    return torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0, weight_decay=c.get("wd") or 0.0)


# ---------------------------------------------------------------------------------------------------- stepdrop-batchgrow-mlp


def stepdrop_batchgrow_mlp(w, run_id, c):
    """A ReLU MLP classifier on the digits, float32. Data (from the run's generator): digit_images (n training, 'test'
    held-out images) flattened to 64 pixels; a share flip of the training labels replaced by another class. Model: 64
    -> hid (x depth, ReLU) -> 10, mlp_params. Loss: the cross-entropy. Optimizer: SGD with momentum mom (Adam where
    opt is 'adam', weight decay wd where set) on minibatches; at each milestone epoch in 'at' the step is multiplied by
    'factor' and the minibatch by 'grow' (rounded, capped at n: the whole set). Train loss: the cross-entropy on the
    training images at their given labels; test loss: the same on the held-out images at their true labels; error
    rates: the misclassified shares."""
    g = torch.Generator().manual_seed(961_000 + c["seed"])
    x, y, xt, yt = digit_images(g, c)
    x, xt = x.flatten(1), xt.flatten(1)
    yn = flip_labels(g, y, 10, c.get("flip"))
    params = mlp_params(g, [64] + [c["hid"]] * c["depth"] + [10], F32)
    opt = make_opt(params, c)
    ms = milestones(c)

    def batch_of(e):
        return min(len(y), int(round(c["batch"] * c["grow"] ** sum(e >= a for a in ms))))

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(mlp(params, take(x, idx), torch.relu), take(yn, idx)).backward()
        opt.step()

    n = len(y)
    run = w.run(run_id, count(params), n, {"family": "mlp", "hidden": c["hid"], "depth": c["depth"],
                                           "activation": "relu"},
                settings(c, ("seed", "n", "flip", "hid", "depth", "opt", "lr", "mom", "wd", "batch", "sched", "at",
                             "factor", "grow", "eval"))
                | sched_tags(c) | {"optimizer": "sgd-momentum" if c["opt"] == "sgd" and c.get("mom") else c["opt"],
                                   "batch_schedule": "grow-at-milestones" if c["grow"] != 1 else "constant",
                                   "loss": "cross-entropy", "noise": "uniform-other-class" if c.get("flip") else "none",
                                   "test_loss": "heldout-ce-true-labels", "error": "misclassified",
                                   "test_size": str(len(yt))}, output_dim=10)
    scheduled(g, n, c, opt, step, classifier_log(run, lambda z: mlp(params, z, torch.relu), x, yn, xt, yt,
                                                 fn.cross_entropy), batch_of)


def runs_stepdrop_batchgrow_mlp():
    # The logic: 400 digits, 30% of their labels flipped, an MLP 64 -> 128 -> 10 (9,610 weights, 24 a label, so it can
    # fit the flips) under SGD with momentum 0.9 at 0.05 on minibatches of 20, 100 epochs, 600 held-out images; the step
    # dropped tenfold at epochs 30 and 60 (step decay). While the step is large the minibatch noise keeps the net from
    # fitting the flipped labels and its held-out loss wanders; each drop lets it settle and then fit more of the
    # flips. One thing at a time besides: the batch grown fivefold at the same epochs in place of the drops (20, 100,
    # 400 = the whole set), the batch doubled every 15 epochs in place of the drops, a hybrid (the step halved and the
    # batch grown fivefold), one drop at 50, the step halved every 10 epochs, no schedule at all (the reference),
    # earlier drops (15 and 40), clean and 15% and 45% flipped labels, width 32 and 512, two hidden layers, the step
    # 0.1 and 0.02, weight decay 5e-4, Adam at 2e-3 under the same drops, plain SGD (no momentum) at 0.3, 200 and 800
    # images. Evaluation spacing mixed.
    base = dict(n=400, test=600, flip=0.3, hid=128, depth=1, opt="sgd", lr=0.05, mom=0.9, wd=None, batch=20,
                sched="step", at="30,60", factor=0.1, grow=1, epochs=100, eval="every")
    return stepdrop_batchgrow_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(factor=1.0, grow=5, eval="every:2"),
        dict(factor=1.0, grow=2, at="15,30,45,60,75", eval="jitter:40"),
        dict(factor=0.5, grow=5, eval="every"),
        dict(at="50", eval="mixed:30:2"),
        dict(factor=0.5, at="10,20,30,40,50,60,70,80,90", eval="every"),
        dict(sched="const", at=None, factor=None, eval="geom:2"),
        dict(at="15,40", eval="every"),
        dict(flip=None, eval="every:3"),
        dict(flip=0.15, eval="every"),
        dict(flip=0.45, eval="burst:10:4"),
        dict(hid=32, eval="every"),
        dict(hid=512, eval="log:30"),
        dict(depth=2, eval="every:2"),
        dict(lr=0.1, eval="every"),
        dict(lr=0.02, eval="mixlog:20:30"),
        dict(wd=5e-4, eval="every"),
        dict(opt="adam", lr=2e-3, mom=None, eval="rand:50"),
        dict(mom=None, lr=0.3, eval="every"),
        dict(n=200, eval="every:2"),
        dict(n=800, eval="jitter:30"),
    ], lambda d: "digits-n%d%s-mlp%s-%s-lr%g%s-b%d-%s%s%s" % (
        d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", "x".join([str(d["hid"])] * d["depth"]),
        d["opt"] + ("-mom%g" % d["mom"] if d.get("mom") else ""), d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "",
        d["batch"], d["sched"], "-x%g@%s" % (d["factor"], d["at"]) if d.get("at") else "",
        "-grow%g" % d["grow"] if d["grow"] != 1 else ""))


# ---------------------------------------------------------------------------------------------------- warmexp-glm-pairs


def pair_features(g, c):
    """(phi, y, phit, yt, K): the data set's columns standardised on the n training points (real_classes for 'cancer'
    and 'wine', the labels' share flip flipped; diabetes split at random with its progression standardised and Gaussian
    noise of sd 'noise' added to the training targets, K = 0), the products of P random pairs of columns (all pairs
    where P is None), each standardised on the training points, then the columns themselves; float64, all from g."""
    if c["data"] == "diabetes":
        from sklearn.datasets import load_diabetes
        xs, ys = load_diabetes(return_X_y=True)
        X, Y = torch.tensor(xs, dtype=F64), torch.tensor(ys, dtype=F64)
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        X = (X - X[tr].mean(0)) / X[tr].std(0)
        Y = (Y - Y[tr].mean()) / Y[tr].std()
        x, y, xt, yt, K = X[tr], Y[tr].clone(), X[te], Y[te], 0
        if c.get("noise"):
            y = y + c["noise"] * torch.randn(len(y), generator=g, dtype=F64)
    else:
        x, y, xt, yt, K = real_classes(g, c["data"], c["n"], 1.0, F64)
        y = flip_labels(g, y, K, c.get("flip"))
    d = x.shape[1]
    pairs = torch.combinations(torch.arange(d), 2)
    if c.get("P"):
        pairs = pairs[torch.randperm(len(pairs), generator=g)[:c["P"]]]
    z, zt = x[:, pairs[:, 0]] * x[:, pairs[:, 1]], xt[:, pairs[:, 0]] * xt[:, pairs[:, 1]]
    mu, sd = z.mean(0), z.std(0).clamp_min(1e-8)
    return torch.cat([(z - mu) / sd, x], 1), y, torch.cat([(zt - mu) / sd, xt], 1), yt, K


def warmexp_glm_pairs(w, run_id, c):
    """A generalised linear model on pair_features, float64: weights (features x K, or x 1 for the diabetes) and a bias
    from zero. Loss: 'ce' the cross-entropy of the softmax (logistic regression for the 2 classes of the breast cancer),
    'mse' the squared error summed over one-hot targets (or of the regression), 'huber' the Huber loss (delta 1) of the
    regression. Optimizer: SGD with heavy-ball momentum mom on minibatches of batch, at lr over the largest eigenvalue
    of Phi^T Phi / n (half that for the one-hot squared error, whose curvature is twice the cross-entropy's bound) times
    rate(c, t). Train loss: the loss on the training points at their given labels (noisy targets); test loss: the same
    on the held-out points at their true labels (the held-out patients' progression); error rates: the misclassified
    shares (classification only)."""
    g = torch.Generator().manual_seed(962_000 + c["seed"])
    phi, y, phit, yt, K = pair_features(g, c)
    n, D = phi.shape
    out = max(K, 1)
    params = leaves([torch.zeros(D, out, dtype=F64), torch.zeros(out, dtype=F64)])
    top = float(torch.linalg.eigvalsh(phi.T @ phi / n)[-1])
    cc = dict(c, lr=c["lr"] / top / (2 if c["loss"] == "mse" and K else 1))
    opt = make_opt(params, cc)

    def forward(z):
        o = z @ params[0] + params[1]
        return o if K else o.squeeze(1)

    def loss(o, t):
        if c["loss"] == "ce":
            return fn.cross_entropy(o, t)
        if K:
            return ((o - fn.one_hot(t, K).to(F64)) ** 2).sum(1).mean()
        return fn.huber_loss(o, t, delta=1.0) if c["loss"] == "huber" else ((o - t) ** 2).mean()

    def step(idx):
        opt.zero_grad()
        loss(forward(take(phi, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "glm", "features": D, "basis": "pairwise-products-plus-raw",
                                           "data": c["data"], "link": "softmax" if c["loss"] == "ce" else "identity"},
                settings(c, ("seed", "data", "n", "flip", "noise", "P", "loss", "lr", "mom", "batch", "sched",
                             "gamma", "warm", "decay", "floor", "eval"))
                | sched_tags(c) | {"optimizer": "sgd-momentum" if c.get("mom") else "sgd", "step_unit": "1/top-eigenvalue",
                                   "loss": {"ce": "cross-entropy", "mse": "mse-onehot" if K else "mse",
                                            "huber": "huber"}[c["loss"]],
                                   "noise": "gaussian-target" if not K and c.get("noise") else
                                   "uniform-other-class" if K and c.get("flip") else "none",
                                   "test_loss": "heldout-mse" if not K else "heldout-true-labels",
                                   "width_ratio": "%.3g" % (D / n), "test_size": str(len(yt))},
                output_dim=out)
    if K:
        log = classifier_log(run, forward, phi, y, phit, yt, loss)
    else:
        log_ = logger(run)

        def log(e, final):
            log_(e, loss(forward(phi), y), loss(forward(phit), yt), final=final)

    scheduled(g, n, cc, opt, step, log)


def runs_warmexp_glm_pairs():
    # The logic: 200 breast-cancer patients, 20% of their labels flipped, logistic regression on the 435 products of
    # pairs of their 30 standardised columns and the columns themselves (465 features, more than the patients, so it
    # can separate the flips), from zero under SGD with momentum 0.9 on minibatches of 20 at 0.1 over the top
    # eigenvalue, 300 epochs; the step warmed up linearly from a tenth over 10 epochs, then decayed by 0.98 an epoch
    # (to a fifth by epoch 90, a fiftieth by 200). The weights grow along the noise directions as long as the step
    # lets them. One thing at a time besides: a pure exponential decay (0.98 and 0.95 an epoch), the warm-up then a
    # linear decay to a hundredth over 150 epochs (and to a tenth over 60), no decay (the reference), a longer warm-up
    # (40), the step 0.3, clean and 35% flipped labels, least squares on one-hot targets, 100 and 400 patients, 150
    # random pairs, minibatches of 5, no momentum (at 0.5); wine (80 points, 3 classes, softmax) and scikit-learn's
    # diabetes (120 patients, the 45 products and 10 columns, Gaussian noise of sd 0.5 on the standardised training
    # progression; the step 0.05) under the squared error and the Huber loss. Evaluation spacing mixed.
    base = dict(data="cancer", n=200, flip=0.2, noise=None, P=None, loss="ce", lr=0.1, mom=0.9, batch=20,
                sched="warmexp", gamma=0.98, warm=10, decay=None, floor=None, epochs=300, eval="every:2")
    return warmexp_glm_pairs, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(sched="exp", warm=None, eval="every"),
        dict(sched="exp", warm=None, gamma=0.95, eval="log:40"),
        dict(sched="warmlin", gamma=None, decay=150, floor=0.01, eval="every:3"),
        dict(sched="warmlin", gamma=None, decay=60, floor=0.1, eval="jitter:40"),
        dict(sched="const", gamma=None, warm=None, eval="every:2"),
        dict(warm=40, eval="mixed:60:3"),
        dict(lr=0.3, eval="every:2"),
        dict(flip=None, eval="geom:3"),
        dict(flip=0.35, eval="every:2"),
        dict(loss="mse", eval="burst:30:6"),
        dict(n=100, eval="every:3"),
        dict(n=400, eval="mixlog:40:40"),
        dict(P=150, eval="every:2"),
        dict(batch=5, eval="every:4"),
        dict(mom=None, lr=0.5, eval="rand:100"),
        dict(data="wine", n=80, eval="every:2"),
        dict(data="diabetes", n=120, flip=None, noise=0.5, loss="mse", lr=0.05, eval="every:2"),
        dict(data="diabetes", n=120, flip=None, noise=0.5, loss="huber", lr=0.05, sched="warmlin", gamma=None, decay=150,
             floor=0.01, eval="jitter:35"),
    ], lambda d: "%s-n%d%s%s-%s-%s-lr%g%s-b%d-%s%s%s" % (
        d["data"], d["n"], "-flip%g" % d["flip"] if d.get("flip") else "",
        "-noise%g" % d["noise"] if d.get("noise") else "" if d["data"] == "diabetes" or d.get("flip") else "-clean",
        "pairs%d" % d["P"] if d.get("P") else "allpairs", d["loss"], d["lr"],
        "-mom%g" % d["mom"] if d.get("mom") else "", d["batch"], d["sched"],
        "-warm%d" % d["warm"] if d.get("warm") else "",
        "-g%g" % d["gamma"] if d.get("gamma") else "-to%g@%d" % (d["floor"], d["decay"]) if d.get("decay") else ""))


# ---------------------------------------------------------------------------------------------------- cyclic-lr-convnet


def cyclic_lr_convnet(w, run_id, c):
    """A small convolutional network classifying the digits, float32. Data (from the run's generator): digit_images;
    a share flip of the training labels flipped (and Gaussian pixel noise 'pix' on the training images where set).
    Model: a 3 x 3 convolution 1 -> ch channels (padding 1), ReLU, 2 x 2 max pooling, ch x 16 -> fc ReLU units -> 10
    logits, U(+-1 / sqrt(fan-in)) from the run's generator. Loss: the cross-entropy. Optimizer: SGD with momentum mom
    (Adam where opt is 'adam', weight decay wd where set) on minibatches of batch, the step lr times rate(c, t) set at
    every minibatch (the cyclic schedules). Train loss: the cross-entropy on the training images at their given
    labels; test loss: the same on the held-out images at their true labels; error rates: the misclassified shares."""
    g = torch.Generator().manual_seed(963_000 + c["seed"])
    x, y, xt, yt = digit_images(g, c)
    n, ch, fc = len(y), c["ch"], c["fc"]
    yn = flip_labels(g, y, 10, c.get("flip"))
    params = leaves([uniform(g, 9, ch, 1, 3, 3), uniform(g, 9, ch), uniform(g, ch * 16, ch * 16, fc),
                     uniform(g, ch * 16, fc), uniform(g, fc, fc, 10), uniform(g, fc, 10)])

    def forward(z):
        z = fn.max_pool2d(torch.relu(fn.conv2d(z, params[0], params[1], padding=1)), 2).flatten(1)
        return torch.relu(z @ params[2] + params[3]) @ params[4] + params[5]

    opt = make_opt(params, c)

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(take(x, idx)), take(yn, idx)).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "convnet", "channels": ch, "hidden": fc, "pooling": "max"},
                settings(c, ("seed", "n", "flip", "pix", "ch", "fc", "opt", "lr", "mom", "wd", "batch", "sched",
                             "lo", "half", "gamma", "eval"))
                | sched_tags(c) | {"optimizer": "sgd-momentum" if c["opt"] == "sgd" else c["opt"],
                                   "loss": "cross-entropy", "noise": ("uniform-other-class" if c.get("flip") else "none")
                                   + ("+gaussian-pixels" if c.get("pix") else ""),
                                   "test_loss": "heldout-digits-ce-true-labels", "error": "misclassified",
                                   "test_size": str(len(yt))}, output_dim=10)
    scheduled(g, n, c, opt, step, classifier_log(run, forward, x, yn, xt, yt, fn.cross_entropy))


def runs_cyclic_lr_convnet():
    # The logic: 400 digits, 30% of their labels flipped, a small convolutional network (8 channels of 3 x 3, max
    # pooling to 4 x 4, 32 ReLU units, 10 logits; 4,538 weights, eleven a label, so it can fit the flips) under SGD with
    # momentum 0.9 on minibatches of 25, 80 epochs, 600 held-out images; a triangular cyclic step between 0.01 and 0.1
    # with half-cycles of 10 epochs (4 full cycles), set at every minibatch. The large steps at each cycle's top
    # shake the fit of the flipped labels loose and the low ones let it settle, so the held-out loss rises and falls
    # with the cycles as the flips are fitted more at each trough. One thing at a time besides: triangular2 (the
    # amplitude halved each cycle), exp_range (times 0.97 an epoch), a sawtooth, no cycle (a constant 0.05, the
    # reference), half-cycles of 4 and 20 epochs, a lower bound of 0.001, the top 0.15 and 0.04, clean and 45% flipped
    # labels, Gaussian pixel noise 0.3, 4 and 16 channels, minibatches of 10 (top 0.04) and 100, weight decay 1e-3, 800
    # images and Adam between 2e-4 and 4e-3 (triangular2). Evaluation spacing mixed.
    base = dict(n=400, test=600, flip=0.3, pix=None, ch=8, fc=32, opt="sgd", lr=0.1, mom=0.9, wd=None, batch=25,
                sched="tri", lo=0.1, half=10, gamma=None, epochs=80, eval="every")
    return cyclic_lr_convnet, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(sched="tri2", eval="every"),
        dict(sched="exprange", gamma=0.97, eval="every:2"),
        dict(sched="saw", eval="jitter:30"),
        dict(sched="const", lo=None, half=None, lr=0.05, eval="every"),
        dict(half=4, eval="every"),
        dict(half=20, eval="mixed:20:2"),
        dict(lo=0.01, eval="every"),
        dict(lr=0.15, eval="geom:2"),
        dict(lr=0.04, eval="every"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.45, eval="burst:10:5"),
        dict(pix=0.3, eval="every"),
        dict(ch=4, eval="log:30"),
        dict(ch=16, eval="every"),
        dict(batch=10, lr=0.04, eval="mixlog:20:30"),
        dict(batch=100, eval="every"),
        dict(wd=1e-3, eval="every:3"),
        dict(n=800, eval="rand:40"),
        dict(opt="adam", mom=None, lr=4e-3, lo=0.05, sched="tri2", eval="every"),
    ], lambda d: "digits-n%d%s%s-conv%d-fc%d-%s-lr%g%s-b%d-%s%s%s" % (
        d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", "-pix%g" % d["pix"] if d.get("pix") else "",
        d["ch"], d["fc"], d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "", d["batch"], d["sched"],
        "-lo%g-half%d" % (d["lo"], d["half"]) if d.get("half") else "",
        "-g%g" % d["gamma"] if d.get("gamma") else ""))


FAMILIES = {"stepdrop-batchgrow-mlp": runs_stepdrop_batchgrow_mlp, "warmexp-glm-pairs": runs_warmexp_glm_pairs,
            "cyclic-lr-convnet": runs_cyclic_lr_convnet}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
