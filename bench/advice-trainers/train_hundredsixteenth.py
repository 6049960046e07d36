#!/usr/bin/python3
"""Independent PyTorch trainers for judging DescentWatch's stopping advice (issue 21, hundred-sixteenth held-out round).

Written blind to the advice rule (nothing under detection/, streams/, producer/, clients/, bench/src/main/java or
bench/src/test, neither docs/benchmarks.md, the main README, announce_schedule.py nor any *HeldOut*, *Stopping*,
*Advice* or *Turn* file was read, nor ../shared/ or /work/shared, and no git log, git show or git diff of main; no
stopping benchmark, no Java, no Maven and not the descentwatch launcher was run; each family's grid was set from its
own logic and committed before any of its runs was trained, revised at most once (README.md says where and why), and
the runs were sorted by census.py alone). The theme of the round is covariate shift and importance weighting: models
trained with per-example weights (density-ratio weights estimated by a classifier, or known weights, possibly clipped
or flattened), reweighted subgroups or group-robust objectives, the test loss measured on a shifted target
distribution; model size, weight clipping and label noise swept:

- clfratio-rff-iwgd: random ReLU features of 8-dimensional Gaussian inputs and a linear readout, trained from zero by
  full-batch gradient descent (heavy ball) on the importance-weighted squared error; the training inputs N(0, I), the
  target's inputs N(shift e1, tscale^2 I), the target a sum of 20 random sine waves plus Gaussian noise on the
  training targets; the weights the density ratio p_target / p_source, known in closed form or estimated by a
  class-balanced logistic-regression classifier (source rows against 400 unlabelled target draws, on [x, x^2] or on x
  alone, Newton's method), flattened (ratio^alpha) and clipped; float64.
- selbias-digits-iwmlp: a one-hidden-layer ReLU MLP on scikit-learn's digits, the training images drawn from one half
  of the images with probability sigmoid(a z), the test images from the other half with probability sigmoid(-a z) (z
  the standardised first principal component), so the known density ratio is exp(-a z); or the ratio estimated by a
  logistic-regression classifier on the first 10 principal components (training images against the test images'
  unlabelled inputs); flattened and clipped; used as loss weights or by weighted resampling of the minibatches;
  flipped labels; momentum SGD or Adam on minibatches; float32.
- gdro-reweight-cancer: a two-hidden-layer ELU MLP with one logit on scikit-learn's breast cancer, the groups (label,
  mean radius above its median) and the two groups where radius and diagnosis disagree subsampled in training; the
  objective ERM, group reweighting (the weight of a group n_g^-alpha, clipped) or online group DRO (Sagawa et al.
  2020: exponentiated-gradient group weights q, optionally with the group adjustment C / sqrt(n_g)); flipped labels
  (the training groups from the given labels); Adam / AdamW or momentum SGD; float32.

Train loss: clfratio-rff-iwgd and selbias-digits-iwmlp the importance-weighted training loss (the objective, weights
of mean 1, no penalty) at the given (noisy) targets; gdro-reweight-cancer the group-balanced mean of the training
groups' logistic losses at the given labels. Test loss: the unweighted loss on the target distribution's held-out
points at their true targets (clfratio: 2,000 fresh target-distribution points, clean; selbias: the 400 drawn test
images; gdro: the group-balanced mean of the held-out groups' losses, the target with groups uniform). A run whose
loss turns NaN or infinite sends that evaluation as its last and stops (train_seventyfourth.py's logger).

The file format, determinism and helpers are the earlier files': Writer and the command line from train.py, settings
from train_more.py, dict_runs from train_seventh.py, take and flip_labels from
train_thirtyninth.py, count from train_fortyeighth.py, mlp_params and mlp from train_sixtyfifth.py, logger and
train_until from train_seventyfourth.py; one thread, every random draw from a seeded torch.Generator (splits,
selections, noise, flips, features, initialisations, minibatches, resampling), synthetic event times, 6 significant
digits. No planned last epoch is told: the last event's final marks it.

    /usr/bin/python3 train_hundredsixteenth.py --family clfratio-rff-iwgd [--list] [--runs 0,3] [--out FILE]

Families (see README.md): clfratio-rff-iwgd, selbias-digits-iwmlp, gdro-reweight-cancer. Evaluation spacings:
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
from train_thirtyninth import flip_labels, take  # noqa: E402
from train_fortyeighth import count  # noqa: E402
from train_sixtyfifth import mlp, mlp_params  # noqa: E402
from train_seventyfourth import logger, train_until  # noqa: E402  (a NaN or infinite loss ends the run)

torch.set_num_threads(1)

F32, F64 = torch.float32, torch.float64


# ---------------------------------------------------------------------------------------------------- shared parts


def logistic_ratio(zs, zt, ridge, iters=30):
    """A class-balanced logistic regression of target (1) against source (0) rows, float64, by iters Newton steps
    from zero with a ridge penalty on the slopes (not the intercept); each class carries half the total weight, so
    that its logit [1, z] beta estimates log p_target(z) / p_source(z). Returns beta."""
    ns, nt = len(zs), len(zt)
    Z = torch.cat([torch.ones(ns + nt, 1, dtype=F64), torch.cat([zs, zt]).to(F64)], 1)
    t = torch.cat([torch.zeros(ns, dtype=F64), torch.ones(nt, dtype=F64)])
    sw = torch.cat([torch.full((ns,), 0.5 / ns, dtype=F64), torch.full((nt,), 0.5 / nt, dtype=F64)])
    R = ridge * torch.eye(Z.shape[1], dtype=F64)
    R[0, 0] = 0.0
    beta = torch.zeros(Z.shape[1], dtype=F64)
    for _ in range(iters):
        p = torch.sigmoid(Z @ beta)
        grad = Z.T @ (sw * (p - t)) + R @ beta
        H = Z.T @ (Z * (sw * p * (1 - p))[:, None]) + R
        beta = beta - torch.linalg.solve(H, grad)
    return beta


def shape_weights(r, alpha, cap):
    """Raw ratios to training weights: normalised to mean 1, flattened (r^alpha, alpha 1: unchanged), renormalised,
    clipped at cap times the mean (cap None: not clipped) and renormalised to mean 1."""
    r = r / r.mean()
    if alpha is not None and alpha != 1:
        r = r ** alpha
        r = r / r.mean()
    if cap:
        r = torch.clamp(r, max=cap)
        r = r / r.mean()
    return r


def ess(r):
    """The effective sample size (sum r)^2 / sum r^2 of the weights."""
    return float(r.sum() ** 2 / (r ** 2).sum())


def make_opt(c, params):
    if c["opt"] == "adam":
        return torch.optim.Adam(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    if c["opt"] == "adamw":
        return torch.optim.AdamW(params, lr=c["lr"], weight_decay=c.get("wd") or 0.0)
    return torch.optim.SGD(params, lr=c["lr"], momentum=0.9, weight_decay=c.get("wd") or 0.0)


# --------------------------------------------------------------------------------------------------- clfratio-rff-iwgd


def clfratio_rff_iwgd(w, run_id, c):
    """Random ReLU features and a linear readout under covariate shift, float64. Data (from the run's generator):
    training inputs x ~ N(0, I_D), target inputs N(shift e1, tscale^2 I_D); the target f(x) = sum_j sin(v_j . x + p_j)
    / sqrt(J), v_j ~ N(0, I / D), p_j ~ U(0, 2 pi), centred and standardised by its mean and sd over the 2,000 test
    points (drawn from the target distribution, clean targets); the n training targets f + sd N(0, 1). Weights ('wts'): 'none' all 1;
    'known' the true density ratio; 'clf-quad' / 'clf-lin' exp of the logit of logistic_ratio (ridge 1e-3) fitted on
    the training inputs against nu unlabelled target draws, on the features [x, x^2] (the family of the true log
    ratio) or on x alone; then shape_weights (alpha, cap). Features phi(x) = relu(x W^T + b) / sqrt(N), W ~ N(0, I / D)
    (N rows), b ~ N(0, 1). Readout a from zero, full-batch gradient descent with heavy-ball momentum mom on
    (1/n) sum_i r_i (phi_i a - y_i)^2 / 2 + lam |a|^2 / 2, the step lr over the largest eigenvalue of the weighted
    Gram matrix (1/n) Phi^T diag(r) Phi + lam I; one step an epoch."""
    g = torch.Generator().manual_seed(1_161_000 + c["seed"])
    D, J, n, N = c["D"], c["J"], c["n"], c["N"]
    V = torch.randn(J, D, generator=g, dtype=F64) / math.sqrt(D)
    P = 2 * math.pi * torch.rand(J, generator=g, dtype=F64)

    def f(z):
        return torch.sin(z @ V.T + P).sum(1) / math.sqrt(J)

    mu = torch.zeros(D, dtype=F64)
    mu[0] = c["shift"]
    s = c.get("tscale") or 1.0
    x = torch.randn(n, D, generator=g, dtype=F64)
    xt = mu + s * torch.randn(2000, D, generator=g, dtype=F64)
    xu = mu + s * torch.randn(c["nu"], D, generator=g, dtype=F64)
    ft = f(xt)
    mf, sdf = float(ft.mean()), float(ft.std())
    y = (f(x) - mf) / sdf + (c.get("sd") or 0.0) * torch.randn(n, generator=g, dtype=F64)
    yt = (ft - mf) / sdf
    if c["wts"] == "none":
        r = torch.ones(n, dtype=F64)
    elif c["wts"] == "known":
        r = torch.exp(-((x - mu) ** 2).sum(1) / (2 * s * s) - D * math.log(s) + (x ** 2).sum(1) / 2)
    else:
        feats = (lambda z: torch.cat([z, z * z], 1)) if c["wts"] == "clf-quad" else (lambda z: z)
        beta = logistic_ratio(feats(x), feats(xu), 1e-3)
        r = torch.exp(torch.cat([torch.ones(n, 1, dtype=F64), feats(x)], 1) @ beta)
    r = shape_weights(r, c.get("alpha"), c.get("cap"))
    Wf = torch.randn(N, D, generator=g, dtype=F64) / math.sqrt(D)
    bf = torch.randn(N, generator=g, dtype=F64)
    phi = torch.relu(x @ Wf.T + bf) / math.sqrt(N)
    phit = torch.relu(xt @ Wf.T + bf) / math.sqrt(N)
    lam = c.get("lam") or 0.0
    top = float(torch.linalg.eigvalsh(phi.T @ (phi * r[:, None]) / n)[-1]) + lam
    step_size, mom = c["lr"] / top, c.get("mom") or 0.0
    st = {"a": torch.zeros(N, dtype=F64), "v": torch.zeros(N, dtype=F64)}

    def step(idx):
        a = st["a"]
        grad = phi.T @ (r * (phi @ a - y)) / n + lam * a
        st["v"] = mom * st["v"] + grad
        st["a"] = a - step_size * st["v"]

    run = w.run(run_id, N, n, {"family": "random-relu-features", "width": N, "input_dim": D},
                settings(c, ("seed", "n", "N", "sd", "shift", "tscale", "nu", "wts", "alpha", "cap", "lam", "mom", "lr",
                             "eval"))
                | {"optimizer": "gd" if not mom else "heavy-ball", "loss": "importance-weighted-mse",
                   "test_loss": "target-mse-clean", "test_size": "2000", "width_ratio": "%.3g" % (N / n),
                   "weights_ess": "%.4g" % ess(r), "weights_max": "%.4g" % float(r.max())})
    log_ = logger(run)

    def log(e, final):
        a = st["a"]
        log_(e, (r * (phi @ a - y) ** 2).mean(), ((phit @ a - yt) ** 2).mean(), final=final)

    train_until(g, n, c, step, log)


def runs_clfratio_rff_iwgd():
    # The logic: 100 training points in 8 dimensions, the target's inputs shifted by one standard deviation along the
    # first axis (the true ratio exp(x1 - 1/2): weights up to about 7 times the mean, an effective sample size near 40
    # of the 100), target noise sd 0.5 on a smooth sine-wave target that the features cannot represent exactly (so
    # the weighting matters); the ratio estimated by a quadratic-feature logistic classifier on 400 unlabelled target
    # draws (the true log ratio is in its family). Base width N = n = 100 random ReLU features, the interpolation
    # threshold of the readout; heavy ball 0.9 at the step 1 / top eigenvalue, 3,000 epochs (the small eigenvalues of
    # the weighted Gram matrix near the threshold are fitted slowly, late in the run). Widths on both sides: 25, 50,
    # 80, 120, 150, 250, 500, 1,000 (2,000 epochs). One thing at a time besides: no weights (ERM), the known ratio, a
    # linear-feature classifier (misspecified only when the scale changes), the weights clipped at 3 times the mean,
    # flattened to the power 0.5, no target noise and sd 1, a shift of 2 (weights up to e^4 relative), a shift of 0.5
    # with the target's scale 1.5 (a quadratic log ratio), a ridge lam 1e-3, plain gradient descent (4,000 epochs),
    # and 300 points with 300 features (the threshold at a larger n). Evaluation spacing mixed, log-like mostly.
    base = dict(D=8, J=20, n=100, N=100, sd=0.5, shift=1.0, tscale=None, nu=400, wts="clf-quad", alpha=None, cap=None,
                lam=None, mom=0.9, lr=1.0, epochs=3000, eval="log:30")
    return clfratio_rff_iwgd, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(N=25, eval="every:10"),
        dict(N=50, eval="jitter:30"),
        dict(N=80, eval="log:40"),
        dict(N=120, eval="geom:15"),
        dict(N=150, eval="mixlog:50:30"),
        dict(N=250, eval="every:20"),
        dict(N=500, eval="log:30"),
        dict(N=1000, epochs=2000, eval="rand:120"),
        dict(wts="none", eval="log:35"),
        dict(wts="known", eval="burst:300:15"),
        dict(wts="clf-lin", eval="log:30"),
        dict(cap=3.0, eval="every:15"),
        dict(alpha=0.5, eval="jitter:35"),
        dict(sd=None, eval="log:30"),
        dict(sd=1.0, eval="mixed:40:25"),
        dict(shift=2.0, eval="log:30"),
        dict(shift=0.5, tscale=1.5, eval="geom:25"),
        dict(lam=1e-3, eval="log:40"),
        dict(mom=None, epochs=4000, eval="every:20"),
        dict(n=300, N=300, eval="log:30"),
    ], lambda d: "n%d-N%d%s-shift%g%s-%s%s%s%s-%s" % (
        d["n"], d["N"], "-sd%g" % d["sd"] if d.get("sd") else "-clean", d["shift"],
        "-tscale%g" % d["tscale"] if d.get("tscale") else "", d["wts"],
        "-pow%g" % d["alpha"] if d.get("alpha") else "", "-clip%g" % d["cap"] if d.get("cap") else "",
        "-ridge%g" % d["lam"] if d.get("lam") else "", "hb%g" % d["mom"] if d.get("mom") else "gd"))


# ------------------------------------------------------------------------------------------------ selbias-digits-iwmlp


def digit_components(k):
    """scikit-learn's digits (pixels / 16, float64) and their first k principal components' scores (over all 1,797
    images; each component's sign such that its largest loading is positive), each standardised."""
    from sklearn.datasets import load_digits
    xs, ys = load_digits(return_X_y=True)
    X = torch.tensor(xs, dtype=F64) / 16.0
    Xc = X - X.mean(0)
    _, _, Vh = torch.linalg.svd(Xc, full_matrices=False)
    V = Vh[:k]
    V = V * torch.sign(V.gather(1, V.abs().argmax(1, keepdim=True)))
    pcs = Xc @ V.T
    return X, torch.tensor(ys), pcs / pcs.std(0)


def selbias_digits_iwmlp(w, run_id, c):
    """A one-hidden-layer ReLU MLP 64 -> hid -> 10 on scikit-learn's digits under a selection shift, float32. Data
    (from the run's generator): digit_components; the images split at random into a source half (1,100) and a target
    half (697); n training images drawn without replacement from the source half with probability proportional to
    sigmoid(a z), nt test images from the target half with probability proportional to sigmoid(-a z), z the first
    principal component; a share flip of the training labels flipped. Weights ('wts'): 'none'; 'known' the ratio of
    the selection probabilities, exp(-a z); 'clf' exp of the logit of logistic_ratio (ridge 1e-2) on the first 10
    principal components, training images against the test images' unlabelled inputs; then shape_weights (alpha,
    cap). Used ('iw'): 'loss' the minibatch loss the mean of r_i CE_i; 'sample' every epoch draws n indices with
    replacement with probability proportional to r (its minibatches unweighted). Weights U(+-1 / sqrt(fan-in)) from
    the run's generator (mlp_params). Optimizer: momentum SGD (0.9) or Adam, weight decay wd, minibatches of 'batch'."""
    g = torch.Generator().manual_seed(1_162_000 + c["seed"])
    X, Y, pcs = digit_components(10)
    z = pcs[:, 0]
    perm = torch.randperm(len(X), generator=g)
    A, B = perm[:1100], perm[1100:]
    a = c["a"]
    tr = A[torch.multinomial(torch.sigmoid(a * z[A]), c["n"], replacement=False, generator=g)]
    te = B[torch.multinomial(torch.sigmoid(-a * z[B]), c["nt"], replacement=False, generator=g)]
    x, xt, yt = X[tr].to(F32), X[te].to(F32), Y[te]
    y = flip_labels(g, Y[tr], 10, c.get("flip"))
    n = len(tr)
    if c["wts"] == "none":
        r = torch.ones(n, dtype=F64)
    elif c["wts"] == "known":
        r = torch.exp(-a * z[tr])
    else:
        beta = logistic_ratio(pcs[tr], pcs[te], 1e-2)
        r = torch.exp(torch.cat([torch.ones(n, 1, dtype=F64), pcs[tr]], 1) @ beta)
    r64 = shape_weights(r, c.get("alpha"), c.get("cap"))
    r = r64.to(F32)
    params = mlp_params(g, [64, c["hid"], 10], F32)
    opt = make_opt(c, params)
    st = {"resample": None}

    def begin(e):
        if c["iw"] == "sample":
            st["resample"] = torch.multinomial(r64, n, replacement=True, generator=g)

    def step(idx):
        opt.zero_grad()
        if c["iw"] == "sample":
            i = st["resample"] if idx is None else st["resample"][idx]
            loss = fn.cross_entropy(mlp(params, x[i], torch.relu), y[i])
        else:
            ce = fn.cross_entropy(mlp(params, take(x, idx), torch.relu), take(y, idx), reduction="none")
            loss = (take(r, idx) * ce).mean()
        loss.backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "mlp", "width": c["hid"], "depth": 1, "activation": "relu"},
                settings(c, ("seed", "n", "nt", "a", "flip", "hid", "wts", "alpha", "cap", "iw", "opt", "lr", "wd",
                             "batch", "eval"))
                | {"optimizer": "sgd-momentum0.9" if c["opt"] == "sgdm" else c["opt"],
                   "loss": "importance-weighted-cross-entropy", "test_loss": "target-ce-true-labels",
                   "test_size": str(len(te)), "error": "misclassified", "weights_ess": "%.4g" % ess(r64),
                   "weights_max": "%.4g" % float(r64.max())}, output_dim=10)
    log_ = logger(run)

    def log(e, final):
        o, ot = mlp(params, x, torch.relu), mlp(params, xt, torch.relu)
        lt = (r * fn.cross_entropy(o, y, reduction="none")).mean()
        log_(e, lt, fn.cross_entropy(ot, yt), (o.argmax(1) != y).float().mean(), (ot.argmax(1) != yt).float().mean(),
             final=final)

    train_until(g, n, c, step, log, begin=begin)


def runs_selbias_digits_iwmlp():
    # The logic: 300 training digits selected towards one end of the first principal component (a 1.5: the known
    # ratio exp(-1.5 z), weights spanning about e^6, so a few images carry much of the weight) and 400 test digits
    # selected towards the other end, 20% of the training labels flipped; the known ratio as the loss weights. A ReLU
    # MLP 64 -> 32 -> 10 (2,410 weights, eight a training image: about where it can just memorise 60 flipped labels),
    # momentum SGD 0.05 on minibatches of 32, 150 epochs. Widths on both sides: 4, 8, 16, 64, 128 and 512 (38,410
    # weights, 100 epochs). One thing at a time besides: no weights, the classifier's ratio, the weights clipped at 3
    # and at 10 times the mean, flattened to the power 0.5, weighted resampling instead of loss weights; clean labels,
    # 10% and 40% flipped; a weaker (0.5) and a stronger (3) selection; Adam 1e-3 (200 epochs); weight decay 5e-4; 150
    # training images (300 epochs). Evaluation spacing mixed, every epoch mostly.
    base = dict(n=300, nt=400, a=1.5, flip=0.2, hid=32, wts="known", alpha=None, cap=None, iw="loss", opt="sgdm",
                lr=0.05, wd=None, batch=32, epochs=150, eval="every")
    return selbias_digits_iwmlp, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hid=4, eval="every:2"),
        dict(hid=8, eval="every"),
        dict(hid=16, eval="jitter:40"),
        dict(hid=64, eval="every:3"),
        dict(hid=128, eval="mixed:30:2"),
        dict(hid=512, epochs=100, eval="every"),
        dict(wts="none", eval="every:2"),
        dict(wts="clf", eval="burst:25:5"),
        dict(cap=3.0, eval="every"),
        dict(cap=10.0, eval="every:2"),
        dict(alpha=0.5, eval="rand:70"),
        dict(iw="sample", eval="every"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.1, eval="geom:2"),
        dict(flip=0.4, eval="every"),
        dict(a=0.5, eval="every:2"),
        dict(a=3.0, eval="every"),
        dict(opt="adam", lr=1e-3, epochs=200, eval="mixlog:30:40"),
        dict(wd=5e-4, eval="every:3"),
        dict(n=150, epochs=300, eval="every:2"),
    ], lambda d: "n%d-a%g%s-relu%d-%s%s%s-%s-%s-lr%g%s" % (
        d["n"], d["a"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", d["hid"], d["wts"],
        "-pow%g" % d["alpha"] if d.get("alpha") else "", "-clip%g" % d["cap"] if d.get("cap") else "", d["iw"],
        d["opt"], d["lr"], "-wd%g" % d["wd"] if d.get("wd") else ""))


# ------------------------------------------------------------------------------------------------ gdro-reweight-cancer


def cancer_groups(g, c):
    """scikit-learn's breast cancer (label 0 malignant, 1 benign) with the attribute 'large' (mean radius above its
    median over all 569 rows) and the group 2 label + large: malignant-small (0) and benign-large (3) the minority
    groups, where radius and diagnosis disagree. From g: nt rows held out (the target), of the rest the minority
    groups' rows each kept with probability 'keep', the majority groups' all kept; inputs standardised on the training
    rows; a share flip of the training labels flipped, the training groups from the given labels. Returns x, y, gr,
    xt, yt, grt."""
    from sklearn.datasets import load_breast_cancer
    xs, ys = load_breast_cancer(return_X_y=True)
    X, Y = torch.tensor(xs, dtype=F64), torch.tensor(ys)
    large = (X[:, 0] > X[:, 0].median()).long()
    perm = torch.randperm(len(X), generator=g)
    te, pool = perm[:c["nt"]], perm[c["nt"]:]
    minority = (2 * Y[pool] + large[pool] == 0) | (2 * Y[pool] + large[pool] == 3)
    keep = torch.rand(len(pool), generator=g) < c["keep"]
    tr = pool[~minority | keep]
    mu, sd = X[tr].mean(0), X[tr].std(0)
    X = ((X - mu) / sd).to(F32)
    y = flip_labels(g, Y[tr], 2, c.get("flip"))
    return X[tr], y, 2 * y + large[tr], X[te], Y[te], 2 * Y[te] + large[te]


def group_means(per, gr, G=4):
    """The mean of per over each group's rows (0 for a group without rows) and the groups' row counts."""
    cnt = torch.bincount(gr, minlength=G).to(per.dtype)
    tot = torch.zeros(G, dtype=per.dtype).index_add(0, gr, per)
    return tot / cnt.clamp_min(1), cnt


def gdro_reweight_cancer(w, run_id, c):
    """A two-hidden-layer ELU MLP 30 -> hid -> hid -> 1 (one logit) on the breast cancer's groups (cancer_groups),
    float32; weights U(+-1 / sqrt(fan-in)) from the run's generator. Per-row loss: the logistic loss softplus(-s f), s
    +-1 the label. Objective ('obj'): 'erm' the mean over the minibatch; 'rw' the mean of the rows' group weights times
    their losses, a group's weight n_g^-alpha (n_g its training rows) scaled to a mean of 1 over the training rows,
    clipped at cap times that mean and rescaled; 'gdro' online group DRO: group weights q (uniform at the start; only
    the groups with training rows), each minibatch q_g <- q_g exp(eta (L_g + C / sqrt(n_g))) for the groups in it (L_g
    the group's mean loss in the minibatch, C the adjustment 'adj', 0 when unset), q renormalised, the loss sum_g q_g
    L_g. Optimizer: Adam, AdamW (decoupled weight decay wd) or momentum SGD (0.9) on minibatches of 'batch' (the
    whole set where not set)."""
    g = torch.Generator().manual_seed(1_163_000 + c["seed"])
    x, y, gr, xt, yt, grt = cancer_groups(g, c)
    n, h = len(x), c["hid"]
    s, st_ = (2 * y - 1).to(F32), (2 * yt - 1).to(F32)
    params = mlp_params(g, [x.shape[1], h, h, 1], F32)
    opt = make_opt(c, params)
    cnt = torch.bincount(gr, minlength=4).to(F32)
    present = cnt > 0
    if c["obj"] == "rw":
        wg = torch.where(present, cnt.clamp_min(1) ** -(c.get("alpha") or 1.0), torch.zeros(4))
        rw = wg[gr]
        rw = shape_weights(rw, None, c.get("cap"))
    else:
        rw = torch.ones(n, dtype=F32)
    q = present.to(F32) / present.sum()
    adj = (c.get("adj") or 0.0) / cnt.clamp_min(1).sqrt()

    def per_row(z, sign):
        return fn.softplus(-sign * mlp(params, z, fn.elu)[:, 0])

    def step(idx):
        opt.zero_grad()
        per = per_row(take(x, idx), take(s, idx))
        if c["obj"] == "gdro":
            Lg, cg = group_means(per, take(gr, idx))
            inb = cg > 0
            with torch.no_grad():
                q.mul_(torch.where(inb, torch.exp(c["eta"] * (Lg.detach() + adj)), torch.ones(4)))
                q.div_(q.sum())
            loss = (q * Lg).sum()
        else:
            loss = (take(rw, idx) * per).mean()
        loss.backward()
        opt.step()

    run = w.run(run_id, count(params), n, {"family": "mlp", "width": h, "depth": 2, "activation": "elu"},
                settings(c, ("seed", "nt", "keep", "flip", "hid", "obj", "alpha", "cap", "eta", "adj", "opt", "lr",
                             "wd", "batch", "eval"))
                | {"optimizer": {"sgdm": "sgd-momentum0.9"}.get(c["opt"], c["opt"]), "loss": "logistic",
                   "test_loss": "group-balanced-logistic-true-labels", "test_size": str(len(xt)),
                   "train_loss": "group-balanced-logistic-given-labels", "error": "group-balanced-misclassified",
                   "group_counts": "/".join(str(int(v)) for v in cnt), "full_batch": "false" if c.get("batch")
                   else "true"})
    log_ = logger(run)

    def balanced(z, sign, grp):
        out = mlp(params, z, fn.elu)[:, 0]
        Lg, cg = group_means(fn.softplus(-sign * out), grp)
        Eg, _ = group_means(((out > 0).to(F32) * 2 - 1 != sign).to(F32), grp)
        k = cg > 0
        return Lg[k].mean(), Eg[k].mean()

    def log(e, final):
        lt, et = balanced(x, s, gr)
        lh, eh = balanced(xt, st_, grt)
        log_(e, lt, lh, et, eh, final=final)

    train_until(g, n, c, step, log)


def runs_gdro_reweight_cancer():
    # The logic: 220 patients held out (the target: its four groups weighted equally), the other 349 the pool, whose
    # two minority groups (malignant with a small radius, benign with a large one) are kept at 20%, so the training set
    # (about 290 patients) has a few dozen minority rows at most; 10% of the training labels flipped. A two-hidden-layer
    # ELU MLP 30 -> 64 -> 64 -> 1 (6,209 weights, about twenty a patient, enough to memorise the flips) trained by
    # online group DRO (eta 0.05, Sagawa et al.'s order) with Adam 1e-3 on minibatches of 32, 300 epochs. Widths on
    # both sides: 4, 8, 16, 32 and 256 (150 epochs). One thing at a time besides: ERM; group reweighting, fully
    # balanced (alpha 1), flattened (alpha 0.5) and balanced but clipped at 3 times the mean; group DRO with eta 0.005
    # and 0.5 and with the group adjustment C 1; clean labels, 20% and 30% flipped; the minority groups kept at 5% and
    # 50%; AdamW with decoupled weight decay 0.1; momentum SGD 0.01 (400 epochs); full batch with Adam 3e-3 (800
    # epochs). Evaluation spacing mixed.
    base = dict(nt=220, keep=0.2, flip=0.1, hid=64, obj="gdro", alpha=None, cap=None, eta=0.05, adj=None, opt="adam",
                lr=1e-3, wd=None, batch=32, epochs=300, eval="every")
    rw = dict(obj="rw", eta=None)
    return gdro_reweight_cancer, dict_runs(base, [
        dict(seeds=(1, 2)),
        dict(hid=4, eval="every:2"),
        dict(hid=8, eval="every"),
        dict(hid=16, eval="every:3"),
        dict(hid=32, eval="rand:90"),
        dict(hid=256, epochs=150, eval="every"),
        dict(obj="erm", eta=None, eval="every:2"),
        dict(rw, alpha=1.0, eval="mixed:40:3"),
        dict(rw, alpha=0.5, eval="every"),
        dict(rw, alpha=1.0, cap=3.0, eval="every:2"),
        dict(eta=0.005, eval="burst:30:6"),
        dict(eta=0.5, eval="every"),
        dict(adj=1.0, eval="jitter:40"),
        dict(flip=None, eval="every:2"),
        dict(flip=0.2, eval="every"),
        dict(flip=0.3, eval="mixlog:40:40"),
        dict(keep=0.05, eval="every:3"),
        dict(keep=0.5, eval="every"),
        dict(opt="adamw", wd=0.1, eval="every:2"),
        dict(opt="sgdm", lr=0.01, epochs=400, eval="geom:3"),
        dict(batch=None, lr=3e-3, epochs=800, eval="every:4"),
    ], lambda d: "keep%g%s-elu%d-%s%s%s%s%s-%s-lr%g%s-%s" % (
        d["keep"], "-flip%g" % d["flip"] if d.get("flip") else "-clean", d["hid"], d["obj"],
        "-eta%g" % d["eta"] if d.get("eta") else "", "-adj%g" % d["adj"] if d.get("adj") else "",
        "-pow%g" % d["alpha"] if d.get("alpha") else "", "-clip%g" % d["cap"] if d.get("cap") else "", d["opt"],
        d["lr"], "-wd%g" % d["wd"] if d.get("wd") else "", "b%d" % d["batch"] if d.get("batch") else "full"))


FAMILIES = {"clfratio-rff-iwgd": runs_clfratio_rff_iwgd, "selbias-digits-iwmlp": runs_selbias_digits_iwmlp,
            "gdro-reweight-cancer": runs_gdro_reweight_cancer}


if __name__ == "__main__":
    train.main(FAMILIES, __doc__)
