#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-twentieth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/, and no git log, git show or git diff of main; no stopping
benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its own logic
and committed before any of its runs was trained, revised at most once (README.md says where and why), and the runs
were sorted by census.py alone). The theme of the round is noisy and missing inputs: errors-in-variables regression
(noise on the features, not only on the targets), features missing at random filled inside the model by a learned
imputation or a mask embedding, and training on inputs corrupted by noise while the test loss is on clean inputs;
model size, input-noise level and missing rate swept:

- eiv-featnoise-rf: errors-in-variables regression, float64. The true inputs (a sum of random sine waves of 4
  Gaussian inputs, or scikit-learn's diabetes, standardised) are observed through Gaussian measurement noise of sd
  'sx' on every feature, once per row, on the training rows and (a fresh draw) on the held-out rows; the targets
  carry their own noise (sd 'sd') or are clean. Model: a readout (plus intercept) of N random ReLU features
  relu(x V / sqrt(d) + b) of the observed inputs (V, b Gaussian from the run's generator, fixed; each feature
  centred on the training rows, all divided by one common scale), or a linear model on the observed inputs; trained
  from zero by full-batch gradient descent at the step lr / L (L the largest eigenvalue of Phi^T Phi / n) on half
  the mean squared error ('ols'), or for the linear model on the errors-in-variables (Deming / total least squares)
  objective half mean r^2 / (1 + kappa |w|^2), kappa the assumed ratio of the feature noise's to the target noise's
  variance ('deming'). Width N swept through the number of training rows (the interpolation threshold), the feature
  noise sx from none to as large as the signal.
- mar-impute-mlp: features missing at random inside a one-hidden-layer ReLU MLP, float32. Data: scikit-learn's
  digits (pixels standardised on the training rows), breast cancer, wine (cross-entropy; a share of the training
  labels flipped) and diabetes (mean squared error; Gaussian target noise). Every entry of every row (training and
  held-out alike, drawn once) is missing with probability 'rate' ('mcar'), or with a probability that rises with an
  always-observed anchor column's value, 2 rate sigmoid(2 x_anchor) ('mar'). Filling ('fill'): 'mean' the missing
  entry set to 0 (the training mean), no mask; 'learned' a learned fill value per feature; 'embed' a mask embedding,
  a learned vector per feature added to the hidden pre-activation when that feature is missing (the same as feeding
  the mask as extra inputs); 'impnet' a learned linear imputation from the observed entries, x_miss = (m x) A + f.
  Adam on minibatches. Width, missing rate, mechanism and fill swept.
- cleantest-inputnoise-mlp: training on corrupted inputs, testing on clean ones: a two-hidden-layer tanh MLP,
  float32, on a sum of random sine waves of 4 Gaussian inputs (mean squared error, Gaussian target noise) or on
  scikit-learn's wine, breast cancer and digits (cross-entropy). The training inputs are corrupted ('corrupt'):
  'gauss' plus Gaussian noise of sd s, 'swap' a share s of the entries replaced by the same column's entry of another
  training row, 'mask' a share s of the entries set to 0 (the training mean); either once ('fixed': the training set
  was recorded noisy) or afresh for every minibatch ('fresh': noise injection). Momentum SGD (0.9) or RMSprop on
  minibatches. Width and corruption level swept.

Train loss: the loss on the training rows as the model sees them (eiv-featnoise-rf: the observed inputs and noisy
targets; mar-impute-mlp: the rows with their missing entries, at their given labels; cleantest-inputnoise-mlp: the
stored corrupted copy of the training inputs, for 'fresh' one draw made at the start, at the given targets), the
model in its evaluation form; test loss: eiv-featnoise-rf the mean squared error on held-out rows measured with the
same feature noise (clean inputs in 1 run), at their true targets; mar-impute-mlp the loss on held-out rows with
their own missing entries at their true labels; cleantest-inputnoise-mlp the loss on CLEAN held-out inputs at their
true targets; error rates (classification): the misclassified shares. A run whose loss turns NaN or infinite sends
that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, uniform from train_thirtysecond.py, leaves from
train_thirtysixth.py, take from train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and mlp from
train_sixtyfifth.py, logger and train_until from train_seventyfourth.py, regression_data (the synthetic waves and the
diabetes, standardised; target noise) from train_seventysixth.py and padded_data, loss_of, errors and data_tags from
train_hundredtenth.py; one thread, every random draw from a seeded torch.Generator (splits, flips, target noise,
feature noise, missing masks, corruptions, random features, initialisations, minibatches), synthetic event times, 6
significant digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_hundredtwentieth.py --family eiv-featnoise-rf [--list] [--runs 0,3] [--out FILE]

Families (see README.md): eiv-featnoise-rf, mar-impute-mlp, cleantest-inputnoise-mlp. Evaluation spacings: train.py's
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
import train  # noqa: E402  (train.py sets one thread too; its command line and Writer write the events)
from train_more import settings  # noqa: E402
from train_seventh import dict_runs  # noqa: E402
from train_thirtysecond import uniform  # noqa: E402
from train_thirtysixth import leaves  # noqa: E402
from train_thirtyninth import take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)
from train_seventysixth import regression_data  # noqa: E402  (synthetic waves or the diabetes; target noise)
from train_hundredtenth import data_tags, errors, loss_of, padded_data  # noqa: E402

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# --------------------------------------------------------------------------------------------------- eiv-featnoise-rf


def eiv_featnoise_rf(w, run_id, c):
    """Errors-in-variables regression, float64. Data (from the run's generator): regression_data ('synth': d Gaussian
    inputs, J sine waves, n training rows, 2,000 held-out rows with the clean target; 'diabetes': n patients, the rest
    held out), Gaussian target noise of sd 'sd' where set; then the observed inputs: the true ones plus sx N(0, 1) on
    every entry (one draw for the training rows, a fresh one for the held-out rows; the held-out rows' true inputs
    where test_in is 'clean'). Features Phi: 'rf' relu(x V / sqrt(d) + b), V (d x N) and b (N) N(0, 1) from the run's
    generator, each column centred by its mean over the training rows and all divided by their root mean square
    there (one scalar), plus a column of ones; 'linear' x plus a column of ones. Readout a from zero, full-batch
    gradient descent at the step lr / L, L the largest eigenvalue of Phi^T Phi / n: 'ols' on half the mean squared
    error (the gradient written out), 'deming' (linear only) on half mean r^2 / (1 + kappa |w|^2), w the weights
    without the intercept (autograd)."""
    g = torch.Generator().manual_seed(1_201_000 + c["seed"])
    x0, y, xt0, yt = regression_data(g, c)
    sx = c.get("sx") or 0.0
    x = x0 + sx * torch.randn(x0.shape, generator=g, dtype=F64)
    xtn = xt0 + sx * torch.randn(xt0.shape, generator=g, dtype=F64)
    xt = xt0 if c.get("test_in") == "clean" else xtn
    n, d = x.shape
    if c["model"] == "rf":
        N = c["N"]
        V = torch.randn(d, N, generator=g, dtype=F64) / math.sqrt(d)
        b = torch.randn(N, generator=g, dtype=F64)
        raw = torch.relu(x @ V + b)
        mu = raw.mean(0)
        sd = float((raw - mu).pow(2).mean().sqrt())  # one scale for all features: a feature (nearly) dead on the
        # training rows is not blown up on the held-out rows (a per-feature sd was, in the grid as first committed)

        def feats(z):
            return torch.cat([(torch.relu(z @ V + b) - mu) / sd, torch.ones(len(z), 1, dtype=F64)], 1)
    else:
        N = d

        def feats(z):
            return torch.cat([z, torch.ones(len(z), 1, dtype=F64)], 1)
    phi, phit = feats(x), feats(xt)
    L = float(torch.linalg.eigvalsh(phi.T @ phi / n)[-1])
    step_size = c["lr"] / L
    a = torch.zeros(N + 1, dtype=F64)
    kappa = c.get("kappa") or 0.0

    def step(idx):
        nonlocal a
        if c["loss"] == "ols":
            a = a - step_size * phi.T @ (phi @ a - y) / n
            return
        v = a.clone().requires_grad_()
        r = phi @ v - y
        obj = 0.5 * (r ** 2).mean() / (1 + kappa * (v[:-1] ** 2).sum())
        obj.backward()
        a = (v - step_size * v.grad).detach()

    run = w.run(run_id, N + 1, n, {"family": "random-relu-features" if c["model"] == "rf" else "linear",
                                   "width": N, "inputs": d},
                settings(c, ("seed", "data", "n", "d", "J", "sd", "sx", "test_in", "model", "N", "loss", "kappa",
                             "lr", "eval"))
                | {"optimizer": "gd", "full_batch": "true", "input_noise": "gaussian-fixed",
                   "test_loss": "heldout-mse-%s-inputs" % ("clean" if c.get("test_in") == "clean" else "noisy"),
                   "test_size": str(len(xt)), "width_ratio": "%.3g" % (N / n)})
    log_ = logger(run)

    def log(e, final):
        log_(e, ((phi @ a - y) ** 2).mean(), ((phit @ a - yt) ** 2).mean(), final=final)

    train_until(g, n, c, step, log)


def runs_eiv_featnoise_rf():
    # The logic: 150 training rows of a smooth target of 4 Gaussian inputs (16 random sine waves, unit variance),
    # target noise sd 0.3, every input measured with Gaussian noise of sd 0.3 (a reliability of 1 / 1.09: the
    # regression on the observed inputs is attenuated, and the feature noise is a second, input-side noise that a
    # flexible readout can fit); a readout of N random ReLU features by gradient descent from zero at the step 1 / L
    # for 3,000 epochs (enough to fit most of the training set where N is past 150, not all of its small directions).
    # The width on both sides of the interpolation threshold N = n = 150: 30, 75, 120, 150, 200, 300, 600 and 1,500.
    # The feature noise from none to as large as the signal: 0, 0.1, 0.3, 0.6 and 1 at N = 150, and 0.6 at N = 600.
    # One thing at a time besides: clean targets (the feature noise the only noise), the held-out rows measured
    # without noise; and scikit-learn's diabetes (150 patients, 10 standardised columns; N 150 and 600 at sx 0.3, N
    # 150 at sx 0.6), the linear model on it (11 weights, far below the threshold) under least squares and under the
    # Deming objective (sx 0.5, kappa 0.5 = 0.5^2 / 0.7^2, the target noise's sd taken as about 0.7 of the
    # standardised progression's). Evaluation spacing mixed.
    base = dict(data="synth", n=150, d=4, J=16, sd=0.3, sx=0.3, test_in="noisy", model="rf", N=150, loss="ols",
                kappa=None, lr=1.0, epochs=3000, eval="log:30")
    diab = dict(data="diabetes", d=None, J=None, sd=None)
    return eiv_featnoise_rf, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(N=30, eval="every:10"),
        dict(N=75, eval="jitter:30"),
        dict(N=120, eval="log:40"),
        dict(N=200, eval="every:5"),
        dict(N=300, eval="geom:8"),
        dict(N=600, eval="log:30"),
        dict(N=1500, epochs=1500, eval="mixed:50:10"),
        dict(sx=None, eval="log:30"),
        dict(sx=0.1, eval="every:6"),
        dict(sx=0.6, eval="log:30"),
        dict(sx=1.0, eval="rand:150"),
        dict(sx=0.6, N=600, eval="mixlog:40:30"),
        dict(sd=None, eval="log:30"),
        dict(test_in="clean", eval="burst:100:8"),
        dict(diab, eval="log:30"),
        dict(diab, N=600, eval="every:8"),
        dict(diab, sx=0.6, eval="log:35"),
        dict(diab, sx=0.5, model="linear", N=None, epochs=500, eval="every"),
        dict(diab, sx=0.5, model="linear", N=None, loss="deming", kappa=0.5, epochs=500, eval="every:2"),
    ], lambda d: "%s-n%d%s-sx%g%s-%s%s-%s%s" % (
        d["data"], d["n"], "-sd%g" % d["sd"] if d.get("sd") else "", d.get("sx") or 0,
        "-cleantest" if d["test_in"] == "clean" else "", d["model"], "%d" % d["N"] if d.get("N") else "",
        d["loss"], "-kappa%g" % d["kappa"] if d.get("kappa") else ""))


# ----------------------------------------------------------------------------------------------------- mar-impute-mlp


def missing_mask(g, x, c, anchor):
    """The observed-entry mask (1 observed, 0 missing) of x: 'mcar' each entry missing with probability rate; 'mar'
    with probability min(0.95, 2 rate sigmoid(2 x_anchor)) (the anchor column always observed). From g."""
    rate = c.get("rate") or 0.0
    u = torch.rand(x.shape, generator=g, dtype=F64).to(x.dtype)
    if c.get("mech") == "mar":
        p = torch.clamp(2 * rate * torch.sigmoid(2 * x[:, anchor:anchor + 1]), max=0.95).expand_as(x)
        m = (u >= p).to(x.dtype)
        m[:, anchor] = 1.0
        return m
    return (u >= rate).to(x.dtype)


def mar_impute_mlp(w, run_id, c):
    """A one-hidden-layer ReLU MLP d -> hid -> K (one output for the diabetes) on rows with missing entries, float32.
    Data (from the run's generator): padded_data without padding (digits, cancer, wine with a share 'flip' of the
    training labels flipped; the diabetes with target noise sd); masks missing_mask for the training and the held-out
    rows (the anchor the first column that is not blank on the training rows). Fill: 'mean' x m; 'learned'
    x m + (1 - m) f, f (d) learned from 0; 'impnet' x m + (1 - m) ((x m) A + f), A (d x d) and f learned from 0;
    'embed' the hidden pre-activation (x m) W1 + (1 - m) E + b1, E (d x hid) learned, U(+-1 / sqrt(d)) like W1. MLP
    weights U(+-1 / sqrt(fan-in)) from the run's generator (mlp_params). Adam at lr on minibatches of 'batch'."""
    g = torch.Generator().manual_seed(1_202_000 + c["seed"])
    x, y, xt, yt, K = padded_data(g, c, F32)
    n, d = x.shape
    k, h = 1 if K is None else K, c["hid"]
    anchor = int(torch.nonzero(x.var(0) > 0.5)[0])
    m, mt = missing_mask(g, x, c, anchor), missing_mask(g, xt, c, anchor)
    params = mlp_params(g, [d, h, k], F32)
    extra = []
    if c["fill"] == "learned":
        extra = leaves([torch.zeros(d)])
    elif c["fill"] == "impnet":
        extra = leaves([torch.zeros(d, d), torch.zeros(d)])
    elif c["fill"] == "embed":
        extra = leaves([uniform(g, d, d, h)])
    allp = params + extra
    opt = torch.optim.Adam(allp, lr=c["lr"])

    def forward(z, mm):
        zo = z * mm
        if c["fill"] == "learned":
            zo = zo + (1 - mm) * extra[0]
        elif c["fill"] == "impnet":
            zo = zo + (1 - mm) * (zo @ extra[0] + extra[1])
        W1, b1, W2, b2 = params
        pre = zo @ W1 + b1
        if c["fill"] == "embed":
            pre = pre + (1 - mm) @ extra[0]
        return torch.relu(pre) @ W2 + b2

    def step(idx):
        opt.zero_grad()
        loss_of(K, forward(take(x, idx), take(m, idx)), take(y, idx)).backward()
        opt.step()

    run = w.run(run_id, count(allp), n, {"family": "mlp", "width": h, "depth": 1, "activation": "relu",
                                         "inputs": d, "missing_fill": c["fill"]},
                settings(c, ("seed", "data", "n", "sd", "flip", "rate", "mech", "fill", "hid", "lr", "batch",
                             "eval"))
                | {"optimizer": "adam", "full_batch": "false",
                   "missing_share_train": "%.3g" % float(1 - m.mean()),
                   "missing_share_test": "%.3g" % float(1 - mt.mean())} | data_tags(c, K, xt), output_dim=k)
    log_ = logger(run)

    def log(e, final):
        o, ot = forward(x, m), forward(xt, mt)
        log_(e, loss_of(K, o, y), loss_of(K, ot, yt), errors(K, o, y), errors(K, ot, yt), final=final)

    train_until(g, n, c, step, log)


def runs_mar_impute_mlp():
    # The logic: 500 digits (64 standardised pixels, the other 1,297 held out), 20% of the training labels flipped,
    # 30% of every row's entries missing completely at random; a ReLU MLP 64 -> 64 -> 10 with a mask embedding
    # (64 x 64 more weights; 8,906 in all, eighteen an image, enough to memorise the flipped labels through the pattern
    # of missing pixels as well as through the pixels), Adam at 1e-3 on minibatches of 50, 300 epochs (3,000 steps).
    # The width on both sides of where the 500 noisy labels can just be fitted: 8, 16, 32, 64, 128 and 512. The missing
    # rate from none to most of the row: 0, 0.1, 0.3, 0.5 and 0.7, and 0.5 at width 512. The filling: the mean (no
    # mask), a learned value per feature, a learned linear imputation from the observed pixels. One thing at a time
    # besides: missing at random driven by the first pixel that is not blank; clean labels; the breast cancer (200
    # patients, 15% flipped; mask embedding at 30% missing, learned fill at 50%), the wine (100 wines, 20% flipped)
    # and the diabetes's mean squared error (200 patients, target noise sd 0.5, width 128; the mask embedding at 30%,
    # and the learned imputation at 50% for 60 epochs). Evaluation spacing mixed.
    base = dict(data="digits", n=500, sd=None, flip=0.2, rate=0.3, mech="mcar", fill="embed", hid=64, lr=1e-3,
                batch=50, epochs=300, eval="every:2")
    cancer = dict(data="cancer", n=200, flip=0.15, batch=20, epochs=150)
    diab = dict(data="diabetes", n=200, flip=None, sd=0.5, hid=128, batch=20, epochs=200)
    return mar_impute_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hid=8, eval="every"),
        dict(hid=16, eval="log:30"),
        dict(hid=32, eval="every:3"),
        dict(hid=128, eval="jitter:30"),
        dict(hid=512, epochs=200, eval="every:2"),
        dict(rate=None, eval="every:2"),
        dict(rate=0.1, eval="mixed:30:3"),
        dict(rate=0.5, eval="every:2"),
        dict(rate=0.7, eval="geom:3"),
        dict(rate=0.5, hid=512, epochs=200, eval="every:4"),
        dict(fill="learned", eval="every:2"),
        dict(fill="mean", eval="every:2"),
        dict(fill="impnet", eval="burst:25:5"),
        dict(mech="mar", eval="every:2"),
        dict(flip=None, eval="every:3"),
        dict(cancer, eval="every"),
        dict(cancer, fill="learned", rate=0.5, eval="rand:60"),
        dict(data="wine", n=100, flip=0.2, batch=20, epochs=200, eval="mixlog:20:30"),
        dict(diab, eval="every:2"),
        dict(diab, fill="impnet", rate=0.5, epochs=60, eval="every"),
    ], lambda d: "%s-n%d%s%s-miss%g%s-%s-relu%d-b%d" % (
        d["data"], d["n"], "-sd%g" % d["sd"] if d.get("sd") else "", "-flip%g" % d["flip"] if d.get("flip") else "",
        d.get("rate") or 0, "-mar" if d["mech"] == "mar" else "", d["fill"], d["hid"], d["batch"]))


# ------------------------------------------------------------------------------------------- cleantest-inputnoise-mlp


def corrupt(g, z, pool, c):
    """z corrupted as c['corrupt'] says at level s (from g): 'gauss' z + s N(0, 1); 'swap' a share s of the entries
    replaced by the same column's entry of a random row of pool; 'mask' a share s of the entries set to 0."""
    s, kind = c.get("s") or 0.0, c["corrupt"]
    if not s:
        return z
    if kind == "gauss":
        return z + s * torch.randn(z.shape, generator=g, dtype=F64).to(z.dtype)
    hit = torch.rand(z.shape, generator=g, dtype=F64) < s
    if kind == "mask":
        return torch.where(hit, torch.zeros_like(z), z)
    rows = torch.randint(0, len(pool), z.shape, generator=g)
    return torch.where(hit, pool[rows, torch.arange(z.shape[1])[None, :].expand_as(rows)], z)


def cleantest_inputnoise_mlp(w, run_id, c):
    """A two-hidden-layer tanh MLP d -> hid -> hid -> K (one output for the regression), float32. Data (from the
    run's generator): 'synth' regression_data (d Gaussian inputs, J sine waves, n training rows with target noise sd,
    2,000 clean held-out rows), or padded_data without padding (wine, cancer, digits; a share 'flip' of the training
    labels flipped where set). The training inputs corrupted (corrupt): 'fixed' one corrupted copy used throughout;
    'fresh' a new corruption of every minibatch's rows at every step (the train loss's copy one draw at the start).
    Weights U(+-1 / sqrt(fan-in)) from the run's generator (mlp_params). Optimizer: 'sgdm' momentum 0.9, 'rmsprop'
    RMSprop (alpha 0.99), at lr on minibatches of 'batch'. Loss: the mean squared error or the cross-entropy."""
    g = torch.Generator().manual_seed(1_203_000 + c["seed"])
    if c["data"] == "synth":
        x, y, xt, yt = (v.to(F32) for v in regression_data(g, c))
        K = None
    else:
        x, y, xt, yt, K = padded_data(g, c, F32)
    n, d = x.shape
    k, h = 1 if K is None else K, c["hid"]
    xc = corrupt(g, x, x, c)
    params = mlp_params(g, [d, h, h, k], F32)
    if c["opt"] == "rmsprop":
        opt = torch.optim.RMSprop(params, lr=c["lr"], alpha=0.99)
    else:
        opt = torch.optim.SGD(params, lr=c["lr"], momentum=0.9)

    def step(idx):
        xb = corrupt(g, take(x, idx), x, c) if c["mode"] == "fresh" else take(xc, idx)
        opt.zero_grad()
        loss_of(K, mlp(params, xb, torch.tanh), take(y, idx)).backward()
        opt.step()

    tags = data_tags(c, K, xt)
    tags["test_loss"] = "heldout-mse-clean-inputs" if K is None else "heldout-ce-clean-inputs-true-labels"
    run = w.run(run_id, count(params), n, {"family": "mlp", "width": h, "depth": 2, "activation": "tanh",
                                           "inputs": d},
                settings(c, ("seed", "data", "n", "d", "J", "sd", "flip", "corrupt", "s", "mode", "hid", "opt", "lr",
                             "batch", "eval"))
                | {"optimizer": c["opt"], "full_batch": "false", "train_inputs": "corrupted",
                   "test_inputs": "clean"} | tags, output_dim=k)
    log_ = logger(run)

    def log(e, final):
        o, ot = mlp(params, xc, torch.tanh), mlp(params, xt, torch.tanh)
        log_(e, loss_of(K, o, y), loss_of(K, ot, yt), errors(K, o, y), errors(K, ot, yt), final=final)

    train_until(g, n, c, step, log)


def runs_cleantest_inputnoise_mlp():
    # The logic: 200 training rows of a smooth target of 4 Gaussian inputs (12 random sine waves, unit variance),
    # target noise sd 0.2, the training inputs recorded once with Gaussian noise of sd 0.3 and the test on 2,000 clean
    # rows; a tanh MLP 4 -> 64 -> 64 -> 1 (4,545 weights, twenty-two a row: it can fit the noisy rows, and what it
    # learns of the noise-blurred map is off on clean inputs), momentum SGD at 0.02 on minibatches of 20, 400 epochs.
    # The width on both sides of where 200 rows can just be fitted: 4, 8, 16, 32, 64, 128 and 512. The corruption from
    # none to as large as the inputs: sd 0, 0.1, 0.3, 0.6 and 1, and fresh noise at every step at sd 0.3 and 1 (the
    # classical noise-injection regulariser, which should not be fitted). One thing at a time besides: RMSprop at
    # 1e-3; clean targets (the input corruption the only noise); a fifth of the entries swapped with other rows'.
    # Real data: the wine (100 wines, Gaussian sd 0.5, minibatches of 10, 300 epochs), the breast cancer (200
    # patients, 10% flipped labels, a fifth of the entries swapped, 200 epochs), and the digits (400 images, 30% of
    # the pixels zeroed once or afresh, 80 epochs; Gaussian sd 0.6 at width 256, 120 epochs). Evaluation spacing
    # mixed.
    base = dict(data="synth", n=200, d=4, J=12, sd=0.2, flip=None, corrupt="gauss", s=0.3, mode="fixed", hid=64,
                opt="sgdm", lr=0.02, batch=20, epochs=400, eval="every:2")
    real = dict(d=None, J=None, sd=None)
    digits = dict(real, data="digits", n=400, corrupt="mask", s=0.3, batch=40, epochs=80)
    return cleantest_inputnoise_mlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hid=4, eval="every:4"),
        dict(hid=8, eval="log:30"),
        dict(hid=16, eval="every:2"),
        dict(hid=32, eval="jitter:30"),
        dict(hid=128, eval="every:3"),
        dict(hid=512, epochs=250, eval="every:5"),
        dict(s=None, eval="every:2"),
        dict(s=0.1, eval="mixed:40:4"),
        dict(s=0.6, eval="every:2"),
        dict(s=1.0, eval="geom:4"),
        dict(mode="fresh", eval="every:2"),
        dict(mode="fresh", s=1.0, eval="every:3"),
        dict(opt="rmsprop", lr=1e-3, eval="burst:40:6"),
        dict(sd=None, eval="every:2"),
        dict(corrupt="swap", s=0.2, eval="every:2"),
        dict(real, data="wine", n=100, s=0.5, batch=10, epochs=300, eval="every:2"),
        dict(real, data="cancer", n=200, flip=0.1, corrupt="swap", s=0.2, epochs=200, eval="rand:80"),
        dict(digits, eval="every"),
        dict(digits, mode="fresh", eval="mixlog:20:30"),
        dict(digits, corrupt="gauss", s=0.6, hid=256, epochs=120, eval="every:2"),
    ], lambda d: "%s-n%d%s%s-%s%g-%s-tanh%d-%s-lr%g" % (
        d["data"], d["n"], "-sd%g" % d["sd"] if d.get("sd") else "", "-flip%g" % d["flip"] if d.get("flip") else "",
        d["corrupt"], d.get("s") or 0, d["mode"], d["hid"], d["opt"], d["lr"]))


FAMILIES = {"eiv-featnoise-rf": runs_eiv_featnoise_rf, "mar-impute-mlp": runs_mar_impute_mlp,
            "cleantest-inputnoise-mlp": runs_cleantest_inputnoise_mlp}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
