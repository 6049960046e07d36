#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, sixty-third held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, and no git log, git show or git diff of main; no stopping benchmark, no Java, no
Maven and not the descentwatch launcher was run; each family's grid was set from its own logic and committed before
any of its runs was trained, revised at most once (README.md says where and why), and the runs were sorted by
census.py alone), and made to differ from the 194 families of train.py ... train_sixtysecond.py in model, loss,
noise, optimizer and data. The theme of the round is distribution shift and domain adaptation: a model trained on a
labelled source domain and judged on a shifted target domain whose inputs it sees unlabelled (adversarially aligned
features, aligned feature covariances), and a model trained on data with a spurious feature and judged on its worst
group; at sizes around where the model can just fit its training set, with label or target noise in part of the
grid:

- dann-reversal: domain-adversarial training (DANN, Ganin et al. 2016) on scikit-learn's 8x8 digits, float32: the
  source domain the digits as they are (pixels / 16), a share of their labels flipped; the target domain other digits
  moved one pixel right, their contrast lowered and a grey offset and Gaussian pixel noise added (the contrast change
  alone, or a move right and down with a stronger contrast change, in 1 run each), seen unlabelled. A feature
  extractor 64 -> h (ReLU), a label head h -> 10 and a domain classifier h -> 16 -> 1 (ReLU) fed through a gradient-
  reversal layer (identity forward, -lambda times the gradient backward, lambda ramped up by 2 / (1 + exp(-10 p)) - 1
  over the first epochs); the domain classifier's logistic loss on a source and a target minibatch, the label head's
  cross-entropy on the source minibatch. Adam (momentum SGD in 1 run) on minibatches. Train loss: the label head's
  cross-entropy on the source training images at their given labels; test loss: the cross-entropy on held-out target-
  domain images at their true labels; error rates: the misclassification shares of the same.
- coral-align: Deep CORAL (Sun & Saenko 2016) on a synthetic regression, float64: a latent z ~ N(0, I_8), the
  target a tanh teacher of z with Gaussian target noise; the source sensor reads x = z, the target sensor x = A z + b
  (per-coordinate gains, a mixing of the coordinates and an offset), its readings unlabelled in training. A ReLU
  MLP 8 -> h -> 1 trained full batch on the source squared error plus lambda times the CORAL penalty, the squared
  Frobenius distance of the source and target hidden features' covariance matrices over 4 h^2. Adam (momentum
  gradient descent in 1 run). Train loss: the objective (source mean squared error on the noisy targets plus the
  weighted penalty over the whole source set and target pool); test loss: the mean squared error against the clean
  teacher on fresh target-domain readings. No error rates (no share exists for a regression).
- group-dro: group distributionally robust optimisation (Sagawa et al. 2020) on synthetic data with a spurious
  feature, float64: a label y and an attribute a, both +-1, the four groups (y, a); in training a = y for most
  points (a minority of the points in the two groups with a != y), a share of the labels flipped; inputs weak core
  features that carry y, a strong spurious feature that carries a and pure-noise features. A ReLU MLP d -> h -> 1 on
  the logistic loss; group DRO weights the groups' mean losses on each minibatch by q, updated by exponentiated
  gradient q_g <- q_g exp(eta_q L_g) and normalised; against ERM (the mean loss) and fixed group weights (1/4 each).
  SGD with momentum 0.9 (Adam in 1 run) on minibatches. Train loss: the objective on the whole training set (the
  q-weighted group losses at the current q; the mean loss for ERM); test loss: the worst group's mean logistic loss
  on a balanced held-out set at the true labels; error rates: the worst group's misclassification share (the
  training groups' against the given labels, the held-out groups' against the true ones).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, epoch_loop (with eval_epochs), take and flip_labels from train_thirtyninth.py, batches from
train_twentyfirst.py, count from train_fortyeighth.py, make_opt from train_fiftysixth.py and error_share from
train_fiftyeighth.py; one thread, every random draw from a seeded torch.Generator, synthetic event times, 6
significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_sixtythird.py --family dann-reversal [--list] [--runs 0,3] [--out FILE]

Families (see README.md): dann-reversal, coral-align, group-dro. Evaluation spacings: train.py's 'every', 'every:K',
'log:K', train_more.py's 'jitter:K', 'rand:M' and train_thirtyseventh.py's 'mixed:A:K', 'mixlog:A:K', 'geom:G',
'burst:P:B'.
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
from train_twentyfirst import batches  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import epoch_loop, flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_fiftysixth import make_opt  # noqa: E402  (Adam, momentum SGD, plain SGD, RMSprop; coupled decay)
from train_fiftyeighth import error_share  # noqa: E402

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- dann-reversal


class GradReverse(torch.autograd.Function):
    """The gradient-reversal layer: the identity forward, -lam times the incoming gradient backward."""

    @staticmethod
    def forward(ctx, x, lam):
        ctx.lam = lam
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return -ctx.lam * grad, None


# shift name -> (pixels moved right, pixels moved down, contrast, grey offset, pixel noise std)
DIGIT_SHIFTS = {"contrast": (0, 0, 0.7, 0.1, 0.1), "base": (1, 0, 0.7, 0.1, 0.1), "strong": (1, 1, 0.6, 0.2, 0.1)}


def shift_digits(g, x, shift):
    """The target domain's images: x (m, 64) in [0, 1] moved dx pixels right and dy down (zeros shifted in), times
    the contrast, plus the grey offset and N(0, std^2) pixel noise drawn once from g."""
    dx, dy, con, off, sd = DIGIT_SHIFTS[shift]
    img = x.view(-1, 8, 8)
    if dx or dy:
        moved = torch.zeros_like(img)
        moved[:, dy:, dx:] = img[:, :8 - dy, :8 - dx]
        img = moved
    return (off + con * img + sd * torch.randn(img.shape, generator=g)).reshape(-1, 64)


def dann_reversal(w, run_id, c):
    """DANN from the plain digits (source) to shifted digits (target), float32. Data: scikit-learn's digits (pixels
    / 16), split at random by the run's generator into n source training images (a share q of their labels replaced
    by another class), a pool of m target images (shift_digits; unlabelled in training) and 600 held-out target
    images (shift_digits, true labels). Model: features f = relu(W1 x + b1) (64 -> h), label head h -> 10, domain
    classifier h -> 16 -> 1 (ReLU) on GradReverse(f, lambda_e); weights and biases U(+-1 / sqrt(fan-in)) from the
    run's generator. lambda_e = lam (2 / (1 + exp(-10 p)) - 1), p = min(1, epoch / ramp) (lam throughout without a
    ramp). A step: a source minibatch and a target minibatch of the same size (drawn from the pool by the run's
    generator); the label cross-entropy on the source minibatch plus the domain classifier's logistic loss (source
    0, target 1) on both. Optimizer: make_opt. Train loss: the label cross-entropy of the source training images at
    their given labels; test loss: that of the held-out target images at their true labels; error rates: the
    shares."""
    g = torch.Generator().manual_seed(631_000 + c["seed"])
    from sklearn.datasets import load_digits
    X, Y = load_digits(return_X_y=True)
    X = torch.tensor(X / 16.0, dtype=F32)
    Y = torch.tensor(Y)
    n, m, h, bsz = c["n"], c["pool"], c["h"], c["batch"]
    perm = torch.randperm(len(X), generator=g)
    tr, po, te = perm[:n], perm[n:n + m], perm[n + m:n + m + 600]
    x, y = X[tr], flip_labels(g, Y[tr], 10, c.get("q"))
    xp = shift_digits(g, X[po], c["shift"])
    xt, yt = shift_digits(g, X[te], c["shift"]), Y[te]
    params = leaves([uniform(g, 64, h, 64), uniform(g, 64, h), uniform(g, h, 10, h), uniform(g, h, 10),
                     uniform(g, h, 16, h), uniform(g, h, 16), uniform(g, 16, 1, 16), uniform(g, 16, 1)])

    def feat(z):
        return torch.relu(z @ params[0].T + params[1])

    def head(f):
        return f @ params[2].T + params[3]

    def domain(f):
        return (torch.relu(f @ params[4].T + params[5]) @ params[6].T + params[7]).squeeze(-1)

    opt = make_opt(c, params)
    state = {"lam": 0.0}

    def begin(e):
        ramp = c.get("ramp")
        p = min(1.0, e / ramp) if ramp else 1.0
        state["lam"] = c["lam"] * (2 / (1 + math.exp(-10 * p)) - 1) if ramp else c["lam"]

    def step(idx):
        xs, ys = take(x, idx), take(y, idx)
        xq = xp[torch.randint(m, (len(xs),), generator=g)]
        opt.zero_grad()
        fs, fq = feat(xs), feat(xq)
        loss = fn.cross_entropy(head(fs), ys)
        if c["lam"]:
            dl = domain(GradReverse.apply(torch.cat([fs, fq]), state["lam"]))
            dy = torch.cat([torch.zeros(len(fs)), torch.ones(len(fq))])
            loss = loss + fn.binary_cross_entropy_with_logits(dl, dy)
        loss.backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "domain-adversarial-digits", "hidden": h, "lambda": c["lam"]},
                settings(c, ("seed", "h", "lam", "ramp", "shift", "n", "pool", "q", "opt", "lr", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "ce+reversed-domain-bce", "train_loss": "source-ce-given-labels",
                   "test_loss": "target-heldout-ce", "points_per_weight": "%.3g" % (n / count(params))},
                output_dim=10)

    def log(e, final):
        lz, tz = head(feat(x)), head(feat(xt))
        run.log(e, fn.cross_entropy(lz, y), fn.cross_entropy(tz, yt), error_share(lz, y), error_share(tz, yt),
                final=final)

    epoch_loop(g, n, c, step, log, begin=begin)


def runs_dann_reversal():
    # The logic: n 300 source digits, 20% of their labels flipped; the label path 64 -> h -> 10 has 75 h + 10
    # weights (1,210 at h 16; the domain classifier adds 16 h + 33), so the sweep of h (4, 8, 16 at the base at 2
    # seeds, 32, 64, 128) crosses where the features and head can just fit 300 noisy labels. lambda 0.3 ramped over
    # the first 30 epochs, a target pool of 400 images, Adam at 0.003 on minibatches of 30 (and 30 target images a
    # step), 200 epochs. One thing at a time besides: lambda 0 (source only, the domain classifier idle), 0.1 and 1,
    # lambda without the ramp, clean labels and 40% flips, 150 and 600 source images, a pool of 100, the contrast
    # shift alone and a stronger shift, momentum SGD at 0.01. Evaluation spacing mixed.
    base = dict(h=16, lam=0.3, ramp=30, shift="base", n=300, pool=400, q=0.2, opt="adam", lr=0.003, batch=30,
                epochs=200, eval="every:2")
    return dann_reversal, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=4, eval="every"),
        dict(h=8, eval="jitter:40"),
        dict(h=32, eval="every:3"),
        dict(h=64, eval="geom:3"),
        dict(h=128, eval="every:2"),
        dict(lam=0.0, ramp=None, eval="every"),
        dict(lam=0.1, eval="every:2"),
        dict(lam=1.0, eval="mixed:40:4"),
        dict(ramp=None, eval="every:3"),
        dict(q=None, eval="every:2"),
        dict(q=0.4, eval="burst:20:5"),
        dict(n=150, eval="every"),
        dict(n=600, eval="log:40"),
        dict(pool=100, eval="every:4"),
        dict(shift="contrast", eval="every:2"),
        dict(shift="strong", eval="mixlog:30:40"),
        dict(opt="momentum", lr=0.01, eval="rand:100"),
    ], lambda d: "h%d-lam%g%s-%s-n%d-pool%d%s-%s-lr%g" % (
        d["h"], d["lam"], "-ramp%d" % d["ramp"] if d.get("ramp") else "", d["shift"], d["n"], d["pool"],
        "-q%g" % d["q"] if d.get("q") else "-clean", d["opt"], d["lr"]))


# ---------------------------------------------------------------------------------------------------- coral-align


# shift name -> (log of the largest gain, mixing scale, offset scale)
SENSOR_SHIFTS = {"none": (0.0, 0.0, 0.0), "base": (math.log(2), 0.3, 0.5), "strong": (math.log(3), 0.6, 1.0)}


def coral(fs, ft):
    """The CORAL penalty: the squared Frobenius distance of the two sets of features' covariance matrices over 4 d^2."""
    d = fs.shape[1]
    cs, ct = torch.cov(fs.T), torch.cov(ft.T)
    return ((cs - ct) ** 2).sum() / (4 * d * d)


def coral_align(w, run_id, c):
    """Deep CORAL on a sensor shift, float64. Data (all from the run's generator): z ~ N(0, I_8); the teacher a tanh
    network 8 -> 24 -> 1 (rows N(0, 2 I / 8), readout N(0, 1 / 24)) standardised to mean 0 and variance 1 on 4,000
    reference points; the source reads x = z, the target x = A z + b with A = diag(exp(U(-k, k))) (I + mix M / sqrt(8))
    (M standard normal) and b = off N(0, I) (SENSOR_SHIFTS). n source training points with N(0, noise^2) target
    noise, a pool of m target readings (unlabelled), 2,000 fresh target readings with their clean targets. Model: a
    ReLU MLP 8 -> h -> 1, weights and biases U(+-1 / sqrt(fan-in)) from the run's generator, the hidden layer the
    aligned features. Objective (full batch): the source mean squared error plus lam times coral() of the hidden
    features of the source set and of the target pool. Optimizer: make_opt. Train loss: the objective; test loss:
    the mean squared error against the clean targets on the fresh target readings."""
    g = torch.Generator().manual_seed(632_000 + c["seed"])
    n, m, h = c["n"], c["pool"], c["h"]
    Wt = math.sqrt(2 / 8) * torch.randn(24, 8, generator=g, dtype=F64)
    vt = torch.randn(24, generator=g, dtype=F64) / math.sqrt(24)

    def teacher(z):
        return torch.tanh(z @ Wt.T) @ vt

    ref = teacher(torch.randn(4000, 8, generator=g, dtype=F64))
    mu, sd = ref.mean(), ref.std()
    k, mix, off = SENSOR_SHIFTS[c["shift"]]
    gains = torch.exp(k * (2 * torch.rand(8, generator=g, dtype=F64) - 1))
    A = torch.diag(gains) @ (torch.eye(8, dtype=F64) + mix * torch.randn(8, 8, generator=g, dtype=F64) / math.sqrt(8))
    b = off * torch.randn(8, generator=g, dtype=F64)
    z = torch.randn(n, 8, generator=g, dtype=F64)
    x, y = z, (teacher(z) - mu) / sd + c["noise"] * torch.randn(n, generator=g, dtype=F64)
    xp = torch.randn(m, 8, generator=g, dtype=F64) @ A.T + b
    zt = torch.randn(2000, 8, generator=g, dtype=F64)
    xt, yt = zt @ A.T + b, (teacher(zt) - mu) / sd
    params = leaves([uniform(g, 8, h, 8).to(F64), uniform(g, 8, h).to(F64), uniform(g, h, 1, h).to(F64),
                     uniform(g, h, 1).to(F64)])

    def feat(q):
        return torch.relu(q @ params[0].T + params[1])

    def out(f):
        return (f @ params[2].T + params[3]).squeeze(-1)

    def objective():
        fs = feat(x)
        loss = ((out(fs) - y) ** 2).mean()
        return loss + c["lam"] * coral(fs, feat(xp)) if c["lam"] else loss

    opt = make_opt(c, params)

    def step(idx):
        opt.zero_grad()
        objective().backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "coral-sensor-shift", "hidden": h, "lambda": c["lam"]},
                settings(c, ("seed", "h", "lam", "shift", "n", "pool", "noise", "opt", "lr", "wd", "eval"))
                | {"optimizer": c["opt"], "loss": "mse+coral", "train_loss": "objective",
                   "test_loss": "target-clean-mse", "points_per_weight": "%.3g" % (n / count(params))})

    def log(e, final):
        run.log(e, objective(), ((out(feat(xt)) - yt) ** 2).mean(), final=final)

    epoch_loop(g, n, c, step, log)


def runs_coral_align():
    # The logic: n 100 source points with target noise 0.5 (the target of variance 1); the MLP 8 -> h -> 1 has 10 h
    # + 1 weights, so the sweep of h (3, 6, 12 at the base at 2 seeds, 24, 48, 96) crosses where it can just fit 100
    # noisy targets. lambda 30 over a pool of 200 target readings, full-batch Adam at 0.01, 800 epochs. One thing at
    # a time besides: lambda 0 (source only), 3 and 300, no shift (the penalty a regulariser) and a stronger shift,
    # clean targets and noise 1, 50 and 200 source points, a pool of 30, weight decay 0.001, momentum gradient
    # descent at 0.02. Evaluation spacing mixed.
    base = dict(h=12, lam=30.0, shift="base", n=100, pool=200, noise=0.5, opt="adam", lr=0.01, wd=None, batch=None,
                epochs=800, eval="every:4")
    return coral_align, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=3, eval="every:2"),
        dict(h=6, eval="jitter:40"),
        dict(h=24, eval="every:3"),
        dict(h=48, eval="geom:3"),
        dict(h=96, eval="every:5"),
        dict(lam=0.0, eval="every:2"),
        dict(lam=3.0, eval="every:4"),
        dict(lam=300.0, eval="mixed:40:4"),
        dict(shift="none", eval="every:3"),
        dict(shift="strong", eval="every:4"),
        dict(noise=0.0, eval="every:5"),
        dict(noise=1.0, eval="burst:20:5"),
        dict(n=50, eval="every:2"),
        dict(n=200, eval="log:40"),
        dict(pool=30, eval="every:4"),
        dict(wd=0.001, eval="every:3"),
        dict(opt="momentum", lr=0.02, eval="rand:100"),
        dict(lam=0.0, h=48, eval="mixlog:30:40"),
    ], lambda d: "h%d-lam%g-%s-n%d-pool%d-noise%g-%s-lr%g%s" % (
        d["h"], d["lam"], d["shift"], d["n"], d["pool"], d["noise"], d["opt"], d["lr"],
        "-wd%g" % d["wd"] if d.get("wd") else ""))


# ---------------------------------------------------------------------------------------------------- group-dro


def spurious_data(g, c, m, majority):
    """m points of the spurious-feature law (all from g): y and a +-1; a = y with chance majority (None: y and a
    independent and the four groups equally many, m / 4 each); inputs d_c core features N(y mu_c, 1), one spurious
    feature N(a mu_s, 0.5^2) and d_n noise features N(0, 1); returns (x, y in {0, 1}, group = 2 (y > 0) + (a > 0))."""
    if majority is None:
        y = torch.tensor([1.0, 1.0, -1.0, -1.0], dtype=F64).repeat_interleave(m // 4)
        a = torch.tensor([1.0, -1.0, 1.0, -1.0], dtype=F64).repeat_interleave(m // 4)
    else:
        y = 2.0 * (torch.rand(m, generator=g, dtype=F64) < 0.5) - 1
        a = torch.where(torch.rand(m, generator=g, dtype=F64) < majority, y, -y)
    mu_c, mu_s = c["core"], c["spur"]
    core = y[:, None] * mu_c + torch.randn(len(y), c["dc"], generator=g, dtype=F64)
    spur = a[:, None] * mu_s + 0.5 * torch.randn(len(y), 1, generator=g, dtype=F64)
    noise = torch.randn(len(y), c["dn"], generator=g, dtype=F64)
    return torch.cat([core, spur, noise], 1), (y > 0).long(), 2 * (y > 0).long() + (a > 0).long()


def group_losses(losses, grp):
    """The mean of the losses in each of the 4 groups (0 for a group absent) and the groups' presence."""
    s = torch.zeros(4, dtype=losses.dtype).index_add(0, grp, losses)
    k = torch.zeros(4, dtype=losses.dtype).index_add(0, grp, torch.ones_like(losses))
    return s / k.clamp_min(1), k > 0


def group_dro(w, run_id, c):
    """Group DRO against ERM on a spurious feature, float64. Data (spurious_data, from the run's generator): n
    training points, a = y with chance 1 - minority, a share q of the labels flipped (the groups formed from the given
    label and a); a balanced held-out set of 2,000 points (500 a group) at the true labels. Model: a ReLU MLP d -> h
    -> 1 (d = d_c + 1 + d_n), weights and biases U(+-1 / sqrt(fan-in)) from the run's generator; the logistic loss of
    its logit. 'dro': on each minibatch the groups' mean losses L_g, q_g <- q_g exp(eta L_g) over the groups present,
    q normalised, the step on sum_g q_g L_g; 'erm': the minibatch's mean loss; 'fixed': the groups' mean losses
    weighted 1/4 each (over those present). Optimizer: make_opt on minibatches. Train loss: the objective on the
    whole training set (sum_g q_g L_g at the current q, the mean loss, or the equal-weight group mean); test loss: the
    worst held-out group's mean logistic loss; error rates: the worst group's misclassification share, training
    groups against the given labels, held-out groups against the true labels."""
    g = torch.Generator().manual_seed(633_000 + c["seed"])
    n, h = c["n"], c["h"]
    x, y, grp = spurious_data(g, c, n, 1 - c["minority"])
    y = flip_labels(g, y, 2, c.get("q"))
    grp = 2 * y + grp % 2
    xt, yt, gt = spurious_data(g, c, 2000, None)
    d = x.shape[1]
    params = leaves([uniform(g, d, h, d).to(F64), uniform(g, d, h).to(F64), uniform(g, h, 1, h).to(F64),
                     uniform(g, h, 1).to(F64)])
    q = torch.full((4,), 0.25, dtype=F64)

    def logit(z):
        return (torch.relu(z @ params[0].T + params[1]) @ params[2].T + params[3]).squeeze(-1)

    def losses(z, t):
        return fn.binary_cross_entropy_with_logits(logit(z), t.to(F64), reduction="none")

    def weighted(ls, gr):
        if c["method"] == "erm":
            return ls.mean()
        lg, present = group_losses(ls, gr)
        wq = q * present if c["method"] == "dro" else present.to(F64)
        return (wq * lg).sum() / wq.sum()

    opt = make_opt(c, params)

    def step(idx):
        ls = losses(take(x, idx), take(y, idx))
        gr = take(grp, idx)
        if c["method"] == "dro":
            with torch.no_grad():
                lg, present = group_losses(ls, gr)
                q.mul_(torch.exp(c["eta"] * lg * present))
                q.div_(q.sum())
        opt.zero_grad()
        weighted(ls, gr).backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "group-dro-spurious", "hidden": h, "method": c["method"]},
                settings(c, ("seed", "method", "eta", "h", "n", "minority", "q", "core", "spur", "dc", "dn", "opt",
                             "lr", "wd", "batch", "eval"))
                | {"optimizer": c["opt"], "loss": "logistic", "train_loss": "objective",
                   "test_loss": "worst-group-logistic", "error": "worst-group-share",
                   "points_per_weight": "%.3g" % (n / count(params))})

    def worst_error(z, t, gr):
        wrong = ((logit(z) > 0).long() != t).to(F64)
        share, present = group_losses(wrong, gr)
        return share[present].max()

    def log(e, final):
        lt, _ = group_losses(losses(xt, yt), gt)
        run.log(e, weighted(losses(x, y), grp), lt.max(), worst_error(x, y, grp), worst_error(xt, yt, gt),
                final=final)

    epoch_loop(g, n, c, step, log)


def runs_group_dro():
    # The logic: n 200 training points, 10% of them in the two minority groups (a != y), 10% of the labels flipped;
    # inputs 4 core features (mean +-0.6 a feature), 1 spurious feature (mean +-2, std 0.5) and 20 noise features, d
    # 25; the MLP 25 -> h -> 1 has 27 h + 1 weights, so the sweep of h (2, 4, 8 at the base at 2 seeds, 16, 32, 64)
    # crosses where it can just fit 200 noisy labels (and memorise the minority). Group DRO at eta 0.1, momentum SGD
    # at 0.02 on minibatches of 50, 300 epochs. One thing at a time besides: ERM and fixed equal group weights, eta
    # 0.01 and 1, weight decay 0.01 (the strong L2 of Sagawa et al.), clean labels and 25% flips, minority 5% and
    # 25%, 100 and 400 points, a weaker spurious feature (mean +-1), Adam at 0.003; ERM at h 32. Evaluation spacing
    # mixed.
    base = dict(method="dro", eta=0.1, h=8, n=200, minority=0.1, q=0.1, core=0.6, spur=2.0, dc=4, dn=20,
                opt="momentum", lr=0.02, wd=None, batch=50, epochs=300, eval="every:2")
    return group_dro, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(h=2, eval="every"),
        dict(h=4, eval="jitter:40"),
        dict(h=16, eval="every:3"),
        dict(h=32, eval="geom:3"),
        dict(h=64, eval="every:2"),
        dict(method="erm", eta=None, eval="every"),
        dict(method="fixed", eta=None, eval="every:2"),
        dict(eta=0.01, eval="every:3"),
        dict(eta=1.0, eval="mixed:40:4"),
        dict(wd=0.01, eval="every:2"),
        dict(q=None, eval="every:4"),
        dict(q=0.25, eval="burst:20:5"),
        dict(minority=0.05, eval="every"),
        dict(minority=0.25, eval="every:2"),
        dict(n=100, eval="every:3"),
        dict(n=400, eval="log:40"),
        dict(spur=1.0, eval="every:2"),
        dict(opt="adam", lr=0.003, eval="rand:100"),
        dict(method="erm", eta=None, h=32, eval="mixlog:30:40"),
    ], lambda d: "%s%s-h%d-n%d-min%g%s-spur%g-%s-lr%g%s" % (
        d["method"], "-eta%g" % d["eta"] if d.get("eta") else "", d["h"], d["n"], d["minority"],
        "-q%g" % d["q"] if d.get("q") else "-clean", d["spur"], d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd")
        else ""))


FAMILIES = {"dann-reversal": runs_dann_reversal, "coral-align": runs_coral_align, "group-dro": runs_group_dro}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
