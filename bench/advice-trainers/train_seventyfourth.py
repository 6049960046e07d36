#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, seventy-fourth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone), and made to differ from the families of train.py ... train_seventysecond.py in
model, loss, noise and data. The theme of the round is unstable training: large steps, loss spikes and recoveries,
runs at or past the edge of stability, where the train loss can spike by an order of magnitude and recover, or truly
blow up in part of the grid:

- eos-fullbatch-mlp: full-batch gradient descent on a tanh MLP (ReLU in 1 run) on scikit-learn's breast cancer (wine
  and iris in 1 run each), the squared error to one-hot targets (Cohen et al. 2021's setting; the cross-entropy in 1
  run), float64, with the step set as a multiple of 2 / lambda_0, lambda_0 the training loss's sharpness (the largest
  Hessian eigenvalue, by power iteration on Hessian-vector products) at the initialisation: below 1 the sharpness
  rises to 2 / step during training and gradient descent runs at the edge of stability, its loss spiking and
  recovering; at and above 1 it is past the edge early, and the loss spikes until the sharpness has fallen under 2 /
  step (the catapult of Lewkowycz et al. 2020) or blows up. In 2 runs the step is multiplied once, at epoch 250 (a
  step-up); in 1 heavy ball (momentum 0.9, its threshold (2 + 2 beta) / step). Noise: a share of the training labels
  flipped. Train loss: the loss on the training points at their given labels; test loss: the same on the held-out
  points with true labels; error rates: the misclassified shares.
- irnn-digit-rows: a recurrent network reading scikit-learn's 8 x 8 digits a row a step (8 steps of 8 pixels; half
  rows, 16 steps of 4, in 1 run, and the pixels in a fixed random order, 16 steps of 4, in 1), an IRNN (Le, Jaitly &
  Hinton 2015: ReLU units, the recurrent matrix initialised at scale times the identity) or in 1 run a tanh RNN with a
  scaled orthogonal recurrent matrix, its last state read out linearly to the 10 classes; torch.nn.RNN with its
  weights drawn from the run's generator, float32. Plain minibatch SGD (heavy ball in 1 run) without gradient
  clipping, which lets the gradients that explode through the ReLU recurrence (Pascanu et al. 2013) through, or with
  norm clipping at 1 or 10 in 3 runs. Noise: a share of the training labels flipped. Loss: the cross-entropy. Train
  loss: the cross-entropy on the training images at their given labels; test loss: the same on 500 held-out images
  with true labels; error rates: the misclassified shares.
- poisson-adam-eps: Poisson regression with the log link (the unnormalised exponential loss exp(f) - y f, whose
  gradient and curvature grow with exp(f)) by a two-hidden-layer ReLU network (tanh in 1 run; a linear model on
  random Fourier features in 1), trained by Adam with a tiny epsilon (1e-16; 1e-8, 1e-4 and 1e-2 in 1 run each) at
  large steps on minibatches, float64; in 2 runs the step follows a step-up (doubled every 50 epochs) or a triangular
  cyclic schedule whose peaks are 4 times the base step, in 1 AMSGrad. Data: counts drawn Poisson(lambda(x)), log
  lambda a random sum of sines of 4 inputs; scikit-learn's diabetes progression over 25, rounded, in 1 run. Noise:
  the Poisson counts themselves, overdispersed counts (a gamma-Poisson mixture) or outlying counts (a share
  multiplied by 5) in part of the grid. Train loss: the mean Poisson deviance of the training counts; test loss: the
  mean Poisson deviance of 2,000 fresh points' true rates from the predicted ones, 2 (lambda log(lambda / mu) - lambda
  + mu) (of the held-out patients' counts on the diabetes); no error rates.

A run whose loss turns NaN or infinite sends that evaluation as its last and stops.

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves and real_classes from
train_thirtysixth.py, epoch_loop (with eval_epochs), take and flip_labels from train_thirtyninth.py, count from
train_fortyeighth.py and mlp_params and mlp from train_sixtyfifth.py; one thread, every random draw from a seeded
torch.Generator (splits, flips, initialisations, power-iteration vectors, inputs, counts, features, minibatches),
synthetic event times, 6 significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_seventyfourth.py --family eos-fullbatch-mlp [--list] [--runs 0,3] [--out FILE]

Families (see README.md): eos-fullbatch-mlp, irnn-digit-rows, poisson-adam-eps. Evaluation spacings: train.py's
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
from train_thirtysixth import leaves, real_classes  # noqa: E402
from train_thirtyninth import epoch_loop, flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402  (U(+-1 / sqrt(fan-in)) MLPs)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


class Diverged(Exception):
    """Raised by a run's log after it sent an evaluation whose loss is NaN or infinite as its last event."""


def logger(run):
    """run.log, but an evaluation with a NaN or infinite loss is sent as the run's last (final) event and ends the
    run (Diverged)."""
    def log(e, lt, lh, et=None, eh=None, final=False):
        bad = not (math.isfinite(float(lt)) and math.isfinite(float(lh)))
        run.log(e, lt, lh, et, eh, final=final or bad)
        if bad and not final:
            raise Diverged()
    return log


def train_until(g, n, c, step, log, begin=None):
    """epoch_loop, stopped early by a divergence."""
    try:
        epoch_loop(g, n, c, step, log, begin=begin)
    except Diverged:
        pass


# ---------------------------------------------------------------------------------------------------- eos-fullbatch-mlp


def sharpness(loss_fn, params, g, iters):
    """The largest eigenvalue of the Hessian of loss_fn() in params, by power iteration on Hessian-vector products
    (double backward) from a random start drawn from g; its Rayleigh quotient after iters steps."""
    v = [torch.randn(q.shape, generator=g, dtype=q.dtype) for q in params]
    lam = 0.0
    for _ in range(iters):
        norm = math.sqrt(sum(float((u * u).sum()) for u in v))
        v = [u / norm for u in v]
        grads = torch.autograd.grad(loss_fn(), params, create_graph=True)
        hv = torch.autograd.grad(sum((gr * u).sum() for gr, u in zip(grads, v)), params)
        lam = sum(float((h * u).sum()) for h, u in zip(hv, v))
        v = [h.detach() for h in hv]
    return lam


def eos_fullbatch_mlp(w, run_id, c):
    """Full-batch gradient descent on an MLP near and past the edge of stability, float64. Data (from the run's
    generator): real_classes (breast cancer, wine or iris, standardised on the n training points, the rest held out); a
    share flip of the training labels flipped. Model: d -> hid (x depth, tanh or ReLU) -> K, U(+-1 / sqrt(fan-in)) from
    the run's generator. Loss: 'mse' half the squared error to the one-hot targets summed over the classes, mean over the
    points (Cohen et al. 2021); 'ce' the cross-entropy. Step: mult times the stability threshold (2 + 2 mom) / lambda_0,
    lambda_0 the sharpness at the initialisation (sharpness, 30 power iterations); times up from epoch up_at on.
    Optimizer: gradient descent (heavy ball at momentum mom), one step an epoch. Train loss: the loss on the training
    points at their given labels; test loss: the same on the held-out points, true labels; error rates: the
    misclassified shares."""
    g = torch.Generator().manual_seed(741_000 + c["seed"])
    x, y, xt, yt, K = real_classes(g, c["data"], c["n"], 1.0, F64)
    n, d = x.shape
    yn = flip_labels(g, y, K, c.get("flip"))
    act = torch.tanh if c["act"] == "tanh" else torch.relu
    params = mlp_params(g, [d] + [c["hid"]] * c["depth"] + [K], F64)

    def loss(o, t):
        if c["loss"] == "ce":
            return fn.cross_entropy(o, t)
        return 0.5 * ((o - fn.one_hot(t, K).to(F64)) ** 2).sum(1).mean()

    def train_loss():
        return loss(mlp(params, x, act), yn)

    lam0 = sharpness(train_loss, params, g, 30)
    mom = c.get("mom") or 0.0
    lr0 = c["mult"] * (2 + 2 * mom) / lam0
    opt = torch.optim.SGD(params, lr=lr0, momentum=mom)

    def begin(e):
        for grp in opt.param_groups:
            grp["lr"] = lr0 * (c["up"] if c.get("up") and e >= c["up_at"] else 1.0)

    def step(idx):
        opt.zero_grad()
        train_loss().backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "mlp", "hidden": c["hid"], "depth": c["depth"],
                                           "activation": c["act"]},
                settings(c, ("seed", "data", "n", "flip", "act", "hid", "depth", "loss", "mult", "up", "up_at", "mom",
                             "eval"))
                | {"optimizer": "momentum-gd" if mom else "gd", "full_batch": "true",
                   "loss": "half-squared-error-one-hot" if c["loss"] == "mse" else "cross-entropy",
                   "test_loss": "heldout-%s-true-labels" % c["loss"], "error": "misclassified",
                   "sharpness0": "%.4g" % lam0, "lr": "%.4g" % lr0, "test_size": str(len(yt))}, output_dim=K)
    log_ = logger(run)

    def log(e, final):
        o, ot = mlp(params, x, act), mlp(params, xt, act)
        log_(e, loss(o, yn), loss(ot, yt), (o.argmax(1) != yn).double().mean(), (ot.argmax(1) != yt).double().mean(),
             final=final)

    train_until(g, n, c, step, log, begin)


def runs_eos_fullbatch_mlp():
    # The logic: 200 breast-cancer patients, 20% of their labels flipped, a tanh MLP 30 -> 64 -> 64 -> 2 (6,274
    # weights) under full-batch gradient descent on the squared error to one-hot targets, which fits the flipped labels
    # only slowly. The step is set from the sharpness at the initialisation, lambda_0: at half the threshold 2 /
    # lambda_0 (the base) progressive sharpening carries the sharpness up to 2 / step and the run goes on at the edge of
    # stability, its loss spiking and recovering; at 0.85-2.5 times the threshold it is past the edge early (a
    # catapult, or a blow-up once the tanh units saturate and the readout alone is too sharp). 800 epochs. One thing
    # at a time besides: the step at 0.2, 0.35, 0.7, 0.85, 1.2 and 2.5 times the threshold, a step-up (times 1.4 or 3
    # at epoch 250), width 16 and 128, depth 1 and 3, ReLU, clean and 35% flipped labels, 100 patients, wine and iris
    # (100 points), the cross-entropy, heavy ball (momentum 0.9, at 0.2 times its threshold 3.8 / lambda_0).
    # Evaluation spacing mixed.
    base = dict(data="cancer", n=200, flip=0.2, act="tanh", hid=64, depth=2, loss="mse", mult=0.5, up=None, up_at=None,
                mom=None, epochs=800, eval="every:4")
    return eos_fullbatch_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(mult=0.2, eval="log:40"),
        dict(mult=0.35, eval="every:3"),
        dict(mult=0.7, eval="every:2"),
        dict(mult=0.85, eval="jitter:40"),
        dict(mult=1.2, eval="every:4"),
        dict(mult=2.5, eval="every"),
        dict(up=1.4, up_at=250, eval="every:4"),
        dict(up=3.0, up_at=250, eval="mixed:40:4"),
        dict(hid=16, eval="every:2"),
        dict(hid=128, eval="geom:3"),
        dict(depth=1, eval="every:5"),
        dict(depth=3, eval="every:4"),
        dict(act="relu", eval="log:30"),
        dict(flip=None, eval="every:4"),
        dict(flip=0.35, eval="burst:25:6"),
        dict(n=100, eval="every:3"),
        dict(data="wine", n=100, eval="mixlog:30:40"),
        dict(data="iris", n=100, eval="every:4"),
        dict(loss="ce", eval="rand:300"),
        dict(mom=0.9, mult=0.2, eval="every:2"),
    ], lambda d: "%s-n%d%s-%s-h%d-d%d-%s-x%g%s%s" % (
        d["data"], d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", d["act"], d["hid"], d["depth"],
        d["loss"], d["mult"], "-up%gat%d" % (d["up"], d["up_at"]) if d.get("up") else "",
        "-mom%g" % d["mom"] if d.get("mom") else ""))


# ---------------------------------------------------------------------------------------------------- irnn-digit-rows


def digit_sequences(g, c):
    """scikit-learn's digits (pixels / 16) as sequences (from the run's generator): n training and 500 held-out
    images at random; 'rows' 8 steps of a row of 8 pixels, 'half' 16 steps of half a row (4 pixels), 'perm' 16 steps of
    4 of the 64 pixels in a fixed random order."""
    from sklearn.datasets import load_digits
    xs, ys = load_digits(return_X_y=True)
    X, Y = torch.tensor(xs, dtype=F32) / 16, torch.tensor(ys)
    perm = torch.randperm(len(X), generator=g)
    tr, te = perm[:c["n"]], perm[c["n"]:c["n"] + 500]
    if c["seq"] == "perm":
        X = X[:, torch.randperm(64, generator=g)]
    steps, width = (8, 8) if c["seq"] == "rows" else (16, 4)
    return X[tr].reshape(-1, steps, width), Y[tr], X[te].reshape(-1, steps, width), Y[te]


def irnn_digit_rows(w, run_id, c):
    """An IRNN (or tanh RNN) on the digits read as sequences, float32. Data (from the run's generator):
    digit_sequences; a share flip of the training labels flipped. Model: torch.nn.RNN (batch first, one layer, hid
    units) with its weights drawn from the run's generator: 'irnn' ReLU units, W_hh scale times the identity; 'tanh'
    tanh units, W_hh scale times a random orthogonal matrix (QR of a Gaussian, signs fixed by R's diagonal); W_ih
    U(+-1 / sqrt(hid)) (PyTorch's default), biases 0; the last state read out by a linear map to 10 logits (U(+-1 /
    sqrt(hid))). Loss: the cross-entropy. Optimizer: SGD at lr on minibatches of batch (heavy ball at momentum mom
    where set), the gradient's total norm clipped to clip where set. Train loss: the cross-entropy on the training
    images at their given labels; test loss: the same on the held-out images, true labels; error rates: the
    misclassified shares. A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(742_000 + c["seed"])
    x, y, xt, yt = digit_sequences(g, c)
    n, hid = len(y), c["hid"]
    yn = flip_labels(g, y, 10, c.get("flip"))
    rnn = torch.nn.RNN(x.shape[2], hid, nonlinearity="relu" if c["cell"] == "irnn" else "tanh", batch_first=True)
    with torch.no_grad():
        if c["cell"] == "irnn":
            rnn.weight_hh_l0.copy_(c["scale"] * torch.eye(hid))
        else:
            q, r = torch.linalg.qr(torch.randn(hid, hid, generator=g, dtype=F64))
            rnn.weight_hh_l0.copy_((c["scale"] * q * torch.sign(torch.diagonal(r))[None, :]).to(F32))
        rnn.weight_ih_l0.copy_(uniform(g, hid, hid, x.shape[2]))
        rnn.bias_hh_l0.zero_()
        rnn.bias_ih_l0.zero_()
    head = mlp_params(g, [hid, 10], F32)
    params = list(rnn.parameters()) + head

    def forward(z):
        return mlp(head, rnn(z)[0][:, -1], None)

    opt = torch.optim.SGD(params, lr=c["lr"], momentum=c.get("mom") or 0.0)

    def step(idx):
        opt.zero_grad()
        fn.cross_entropy(forward(take(x, idx)), take(yn, idx)).backward()
        if c.get("clip"):
            torch.nn.utils.clip_grad_norm_(params, c["clip"])
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "rnn", "cell": c["cell"], "hidden": hid,
                                           "steps": x.shape[1]},
                settings(c, ("seed", "seq", "n", "flip", "cell", "hid", "scale", "lr", "mom", "clip", "batch", "eval"))
                | {"optimizer": "momentum" if c.get("mom") else "sgd",
                   "clipping": "norm" if c.get("clip") else "none", "loss": "cross-entropy",
                   "test_loss": "heldout-digits-ce-true-labels", "error": "misclassified", "test_size": str(len(yt))},
                output_dim=10)
    log_ = logger(run)

    def log(e, final):
        o, ot = forward(x), forward(xt)
        log_(e, fn.cross_entropy(o, yn), fn.cross_entropy(ot, yt), (o.argmax(1) != yn).float().mean(),
             (ot.argmax(1) != yt).float().mean(), final=final)

    train_until(g, n, c, step, log)


def runs_irnn_digit_rows():
    # The logic: 300 digits read a row a step (8 steps of 8 pixels), 20% of the labels flipped; an IRNN of 48 ReLU
    # units (its recurrent matrix the identity, so a state is carried unchanged and its gradient neither fades nor
    # shrinks, and grows wherever the ReLUs and the learnt recurrence push an eigenvalue past 1) with a linear readout,
    # 3,274 weights, ten a label, so it can fit the flipped labels; plain SGD at 0.05 on minibatches of 20 without
    # clipping, a step at which the gradients through the recurrence make the loss spike now and then. 80 epochs. One
    # thing at a time besides: the step 0.015, 0.15 and 0.3, norm clipping at 1 (at 0.05 and at 0.3) and at 10 (at
    # 0.15), heavy ball (momentum 0.9 at 0.005), the recurrent scale 0.9 and 1.1, a tanh RNN with a scaled orthogonal
    # recurrence (gain 1.2), half rows (16 steps), pixels in a random order (16 steps), width 24 and 128, clean and 40%
    # flipped labels, 150 and 600 images, minibatches of 50. Evaluation spacing mixed.
    base = dict(seq="rows", n=300, flip=0.2, cell="irnn", hid=48, scale=1.0, lr=0.05, mom=None, clip=None, batch=20,
                epochs=80, eval="every:2")
    return irnn_digit_rows, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(lr=0.015, eval="every"),
        dict(lr=0.15, eval="every:2"),
        dict(lr=0.3, eval="every"),
        dict(clip=1.0, eval="jitter:30"),
        dict(lr=0.3, clip=1.0, eval="every:2"),
        dict(lr=0.15, clip=10.0, eval="every"),
        dict(mom=0.9, lr=0.005, eval="geom:2"),
        dict(scale=0.9, eval="every:2"),
        dict(scale=1.1, eval="every"),
        dict(cell="tanh", scale=1.2, eval="log:30"),
        dict(seq="half", eval="every:2"),
        dict(seq="perm", eval="mixed:20:2"),
        dict(hid=24, eval="every"),
        dict(hid=128, eval="every:3"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.4, eval="burst:10:4"),
        dict(n=150, eval="every"),
        dict(n=600, eval="mixlog:15:30"),
        dict(batch=50, eval="rand:40"),
    ], lambda d: "%s-n%d%s-%s-h%d-s%g-sgd-lr%g%s%s-b%d" % (
        d["seq"], d["n"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", d["cell"], d["hid"], d["scale"],
        d["lr"], "-mom%g" % d["mom"] if d.get("mom") else "", "-clip%g" % d["clip"] if d.get("clip") else "",
        d["batch"]))


# ---------------------------------------------------------------------------------------------------- poisson-adam-eps


def poisson_dev(lam, mu):
    """The mean Poisson deviance 2 (lam log(lam / mu) - lam + mu) of counts or rates lam from the rates mu (lam log
    lam taken as 0 at lam = 0)."""
    t = torch.where(lam > 0, lam * torch.log(lam.clamp(min=1e-300) / mu), torch.zeros_like(lam))
    return (2 * (t - lam + mu)).mean()


def count_data(g, c):
    """(x, counts, xt, test rates or counts): 'synth' inputs N(0, I_4), log lambda = b + a sum_j sin(w_j . x + p_j) /
    sqrt(J) (J 6 random waves, w_j N(0, I / 4)), n training counts Poisson(lambda) (a gamma-Poisson mixture of shape
    disp where set; a share outlier of them times 5) and 2,000 fresh test points with their true rates; 'diabetes'
    scikit-learn's diabetes (inputs standardised on the training patients), the counts its progression over 25,
    rounded, n training patients and the rest held out with their counts; all from g."""
    if c["data"] == "diabetes":
        from sklearn.datasets import load_diabetes
        xs, ys = load_diabetes(return_X_y=True)
        X, Y = torch.tensor(xs, dtype=F64), torch.round(torch.tensor(ys, dtype=F64) / 25)
        perm = torch.randperm(len(X), generator=g)
        tr, te = perm[:c["n"]], perm[c["n"]:]
        X = (X - X[tr].mean(0)) / X[tr].std(0)
        y = Y[tr].clone()
        if c.get("outlier"):
            y = torch.where(torch.rand(len(y), generator=g, dtype=F64) < c["outlier"], 5 * y, y)
        return X[tr], y, X[te], Y[te]
    d, J = 4, 6
    W = torch.randn(J, d, generator=g, dtype=F64) / 2
    P = 2 * math.pi * torch.rand(J, generator=g, dtype=F64)

    def rate(z):
        return torch.exp(c["b"] + c["a"] * torch.sin(z @ W.T + P).sum(1) / math.sqrt(J))

    x = torch.randn(c["n"], d, generator=g, dtype=F64)
    xt = torch.randn(2000, d, generator=g, dtype=F64)
    lam = rate(x)
    if c.get("disp"):
        lam = torch._standard_gamma(torch.full_like(lam, c["disp"]), generator=g) * lam / c["disp"]
    y = torch.poisson(lam, generator=g)
    if c.get("outlier"):
        y = torch.where(torch.rand(len(y), generator=g, dtype=F64) < c["outlier"], 5 * y, y)
    return x, y, xt, rate(xt)


def sched_factor(c, e):
    """The step's multiplier in epoch e: 'const' 1; 'stepup' 2^floor(e / 50); 'cyclic' a triangle from 1 up to 4 and
    back over every 50 epochs."""
    if c["sched"] == "stepup":
        return 2.0 ** (e // 50)
    if c["sched"] == "cyclic":
        u = (e % 50) / 25
        return 1 + 3 * (u if u <= 1 else 2 - u)
    return 1.0


def poisson_adam_eps(w, run_id, c):
    """Poisson regression with the log link under Adam with a tiny epsilon, float64. Data (from the run's generator):
    count_data. Model: 'mlp' d -> hid (x depth, ReLU or tanh) -> 1, U(+-1 / sqrt(fan-in)) from the run's generator,
    the output bias from log(mean count); 'rff' f(x) = phi(x) . v + b0, phi D random Fourier features sqrt(2 / D)
    cos(Omega x + beta) (Omega N(0, I / ell^2), beta U(0, 2 pi)), v from 0, b0 from log(mean count). The rate mu =
    exp(f). Loss: the Poisson negative log-likelihood exp(f) - y f (mean). Optimizer: Adam (betas (beta1, beta2),
    epsilon eps, AMSGrad where set) at lr times sched_factor on minibatches of batch (the whole set where unset). Train
    loss: the mean Poisson deviance of the training counts; test loss: the mean Poisson deviance of the test points'
    true rates (the held-out counts on the diabetes) from mu. A NaN or infinite loss ends the run."""
    g = torch.Generator().manual_seed(743_000 + c["seed"])
    x, y, xt, yt = count_data(g, c)
    n, d = x.shape
    b0 = math.log(float(y.mean()))
    if c["model"] == "rff":
        D = c["D"]
        Om = torch.randn(d, D, generator=g, dtype=F64) / c["ell"]
        be = 2 * math.pi * torch.rand(D, generator=g, dtype=F64)
        phi, phit = (math.sqrt(2 / D) * torch.cos(z @ Om + be) for z in (x, xt))
        params = leaves([torch.zeros(D, dtype=F64), torch.full((1,), b0, dtype=F64)])

        def lograte(test):
            return (phit if test else phi) @ params[0] + params[1]
    else:
        act = torch.tanh if c["act"] == "tanh" else torch.relu
        params = mlp_params(g, [d] + [c["hid"]] * c["depth"] + [1], F64)
        with torch.no_grad():
            params[-1].fill_(b0)

        def lograte(test):
            return mlp(params, xt if test else x, act)[:, 0]

    opt = torch.optim.Adam(params, lr=c["lr"], betas=(c["beta1"], c["beta2"]), eps=c["eps"],
                           amsgrad=bool(c.get("amsgrad")))

    def begin(e):
        for grp in opt.param_groups:
            grp["lr"] = c["lr"] * sched_factor(c, e)

    def step(idx):
        opt.zero_grad()
        f = take(lograte(False), idx)
        (torch.exp(f) - take(y, idx) * f).mean().backward()
        opt.step()

    mlp_model = c["model"] == "mlp"
    run = w.run(run_id, count(params), n, {"family": "poisson-mlp" if mlp_model else "poisson-glm",
                                           "features": c["act"] if mlp_model else "random-fourier",
                                           "width": c["hid"] if mlp_model else c["D"],
                                           "depth": c["depth"] if mlp_model else 1, "link": "log"},
                settings(c, ("seed", "data", "n", "a", "b", "disp", "outlier", "model", "act", "hid", "depth", "D",
                             "ell", "lr", "beta1", "beta2", "eps", "amsgrad", "sched", "batch", "eval"))
                | {"optimizer": "amsgrad" if c.get("amsgrad") else "adam", "loss": "poisson-nll-log-link",
                   "train_loss": "poisson-deviance", "test_size": str(len(yt)),
                   "test_loss": "poisson-deviance-%s" % ("heldout-counts" if c["data"] == "diabetes"
                                                         else "true-rates")})
    log_ = logger(run)

    def log(e, final):
        log_(e, poisson_dev(y, torch.exp(lograte(False))), poisson_dev(yt, torch.exp(lograte(True))), final=final)

    train_until(g, n, c, step, log, begin)


def runs_poisson_adam_eps():
    # The logic: 300 counts Poisson(lambda(x)) of 4 Gaussian inputs, log lambda 1 plus 1.5 times a normalised sum of 6
    # random waves (rates about 0.2-20); a network 4 -> 32 -> 32 -> 1 with ReLU units and the log link (1,249
    # weights, four a count, so it can fit the Poisson noise); Adam at the large step 0.02 with epsilon 1e-16 on
    # minibatches of 30, 150 epochs: the exponential makes the loss's curvature grow with the rate, and the tiny
    # epsilon lets a coordinate whose gradient has faded move by about the step, so the loss spikes and recovers. One
    # thing at a time besides: epsilon 1e-8, 1e-4 and 1e-2, the step 0.006, 0.06 and 0.15, beta2 0.99 and 0.9999,
    # AMSGrad, the step doubled every 50 epochs, a cyclic step to 4 times, full batch, tanh units, a linear model on
    # 400 random Fourier features (length scale 1), outlying counts (10% times 5), overdispersed counts (gamma shape 2),
    # 150 counts, a steeper rate (a 2), the diabetes counts. Evaluation spacing mixed.
    base = dict(data="synth", n=300, a=1.5, b=1.0, disp=None, outlier=None, model="mlp", act="relu", hid=32, depth=2,
                D=None, ell=None, lr=0.02, beta1=0.9, beta2=0.999, eps=1e-16, amsgrad=None, sched="const", batch=30,
                epochs=150, eval="every")
    return poisson_adam_eps, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(eps=1e-8, eval="every:2"),
        dict(eps=1e-4, eval="every"),
        dict(eps=1e-2, eval="jitter:30"),
        dict(lr=0.006, eval="every:2"),
        dict(lr=0.06, eval="every"),
        dict(lr=0.15, eval="every"),
        dict(beta2=0.99, eval="geom:2"),
        dict(beta2=0.9999, eval="every:2"),
        dict(amsgrad=True, eval="log:30"),
        dict(sched="stepup", eval="every"),
        dict(sched="cyclic", eval="every"),
        dict(batch=None, eval="every:2"),
        dict(act="tanh", eval="every"),
        dict(model="rff", act=None, hid=None, depth=None, D=400, ell=1.0, eval="burst:15:5"),
        dict(outlier=0.1, eval="every"),
        dict(disp=2.0, eval="mixed:40:2"),
        dict(n=150, eval="every"),
        dict(a=2.0, eval="every:2"),
        dict(data="diabetes", a=None, b=None, eval="rand:60"),
    ], lambda d: "%s-n%d%s%s%s-%s-lr%g-b%g-%g-eps%g%s-%s-batch%s" % (
        d["data"], d["n"], "-a%g" % d["a"] if d.get("a") else "", "-disp%g" % d["disp"] if d.get("disp") else "",
        "-out%g" % d["outlier"] if d.get("outlier") else "",
        "%s%dx%d" % (d["act"], d["depth"], d["hid"]) if d["model"] == "mlp" else "rff%d-ell%g" % (d["D"], d["ell"]),
        d["lr"], d["beta1"], d["beta2"], d["eps"], "-ams" if d.get("amsgrad") else "", d["sched"],
        d.get("batch") or "full"))


FAMILIES = {"eos-fullbatch-mlp": runs_eos_fullbatch_mlp, "irnn-digit-rows": runs_irnn_digit_rows,
            "poisson-adam-eps": runs_poisson_adam_eps}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
